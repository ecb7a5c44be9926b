"""The clinic's pages, mounted at the root after every app: home, robots.txt, the crisis
page, and the static pages (last: ``<slug>/`` matches any slug)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("crisis/", views.crisis_page, name="crisis"),
    path("<slug:slug>/", views.page_detail, name="page"),
]
