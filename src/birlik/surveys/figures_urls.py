"""Placeholder: its part of the app fills it."""

from django.urls import URLPattern

app_name = "surveys_figures"
urlpatterns: list[URLPattern] = []
