"""Placeholder: its part of the app fills it."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
