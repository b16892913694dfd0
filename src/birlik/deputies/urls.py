"""deputies in the workspace, mounted at /<lang>/workspace/deputies/."""

from django.urls import URLPattern, URLResolver

app_name = "deputies"
urlpatterns: list[URLPattern | URLResolver] = []
