from django.urls import path

from . import views

app_name = "blog"

urlpatterns = [
    path("blog/", views.article_list, name="list"),
    path("search/", views.search, name="search"),
]
