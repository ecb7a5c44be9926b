"""Root URLs: the apps, the admin, and the static pages (last: they match any slug)."""

from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "MindScape staff"
admin.site.site_title = "MindScape staff"
admin.site.index_title = "Front desk, content and screenings"

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("", include("blog.urls")),
    path("consultation/", include("booking.urls")),
    path("<slug:slug>/", views.page_detail, name="page"),
]

handler400 = "mindscape.views.bad_request"
handler403 = "mindscape.views.permission_denied"
handler404 = "mindscape.views.page_not_found"
handler500 = "mindscape.views.server_error"
