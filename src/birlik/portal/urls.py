from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("bodies/", views.directory, name="directory"),
    path("bodies/<int:pk>/", views.body, name="body"),
]
