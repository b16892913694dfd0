"""The public side of the deputy group: its initiatives, mounted at /<lang>/deputies/."""

from django.urls import URLPattern, URLResolver

app_name = "deputies_portal"
urlpatterns: list[URLPattern | URLResolver] = []
