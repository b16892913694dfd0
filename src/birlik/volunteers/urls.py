"""volunteers in the workspace, mounted at /<lang>/workspace/volunteers/."""

from django.urls import URLPattern

app_name = "volunteers"
urlpatterns: list[URLPattern] = []
