"""Programmes on the public portal, mounted at /<lang>/programmes/ (slice ``programmes``)."""

from django.urls import URLPattern, path

from . import programme_portal_views as views

app_name = "programmes"
urlpatterns: list[URLPattern] = [
    path("", views.programme_list, name="list"),
    path("<slug:code>/", views.programme_detail, name="detail"),
]
