from django.urls import path

from . import views

app_name = "booking"

urlpatterns = [
    path("", views.consultation, name="consultation"),
    path("booked/", views.confirmed, name="confirmed"),
    path("call-me-back/", views.callback, name="callback"),
    path("call-me-back/thanks/", views.callback_thanks, name="callback-thanks"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/move/", views.move, name="move"),
    path("manage/<str:token>/cancel/", views.cancel, name="cancel"),
    path("manage/<str:token>/calendar.ics", views.calendar_file, name="calendar"),
    path("staff-calendar/<str:token>.ics", views.staff_calendar, name="staff-calendar"),
]
