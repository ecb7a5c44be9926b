from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.start, name="start"),
    path("step/<slug:code>/", views.step, name="step"),
    path("step/<slug:code>/save/", views.save, name="save"),
    path("closed/", views.closed, name="closed"),
    path("thank-you/", views.thanks, name="thanks"),
    path("resume/<str:token>/", views.resume, name="resume"),
]
