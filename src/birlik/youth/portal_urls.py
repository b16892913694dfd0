"""youth on the public portal, mounted at /<lang>/youth/."""

from django.urls import URLPattern

app_name = "youth_portal"
urlpatterns: list[URLPattern] = []
