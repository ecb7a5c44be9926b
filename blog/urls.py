from django.urls import path

from . import views

app_name = "blog"

urlpatterns = [
    path("blog/", views.article_list, name="list"),
    path("blog/category/<slug:slug>/", views.category, name="category"),
    path("blog/tag/<slug:slug>/", views.tag, name="tag"),
    path("blog/preview/<int:pk>/", views.article_preview, name="preview"),
    path("blog/preview/revision/<int:pk>/", views.revision_preview, name="revision_preview"),
    path("blog/<slug:slug>/", views.article_detail, name="article"),
    path("search/", views.search, name="search"),
]
