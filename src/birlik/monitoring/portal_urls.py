"""Placeholder: filled in by this change."""

from django.urls import URLPattern

app_name = "monitoring_portal"
urlpatterns: list[URLPattern] = []
