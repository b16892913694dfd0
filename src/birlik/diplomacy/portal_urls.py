"""The public side of people's diplomacy: a partner's request, mounted at /<lang>/diplomacy/."""

from django.urls import URLPattern, URLResolver

app_name = "diplomacy_portal"
urlpatterns: list[URLPattern | URLResolver] = []
