"""youth in the workspace, mounted at /<lang>/workspace/youth/."""

from django.urls import URLPattern

app_name = "youth"
urlpatterns: list[URLPattern] = []
