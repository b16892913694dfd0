"""diplomacy in the workspace, mounted at /<lang>/workspace/diplomacy/."""

from django.urls import URLPattern, URLResolver

app_name = "diplomacy"
urlpatterns: list[URLPattern | URLResolver] = []
