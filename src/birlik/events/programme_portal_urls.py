"""Programmes on the public portal, mounted at /<lang>/programmes/ (filled by its slice)."""

from django.urls import URLPattern

app_name = "programmes"
urlpatterns: list[URLPattern] = []
