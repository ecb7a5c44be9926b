from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.start, name="start"),
    path("step/<slug:code>/", views.step, name="step"),
    path("thank-you/", views.thanks, name="thanks"),
    path("resume/<str:token>/", views.resume, name="resume"),
]
