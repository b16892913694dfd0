"""Placeholder: filled in by this change."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
