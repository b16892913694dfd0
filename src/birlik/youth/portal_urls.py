"""youth on the public portal, mounted at /<lang>/youth/."""

from django.urls import URLPattern, URLResolver, path

from . import portal_views as views

app_name = "youth_portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.projects, name="projects"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("cohorts/<int:pk>/apply/", views.apply, name="apply"),
    path("mine/", views.mine, name="mine"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
