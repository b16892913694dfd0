"""volunteers on the public portal, mounted at /<lang>/volunteers/."""

from django.urls import URLPattern

app_name = "volunteers_portal"
urlpatterns: list[URLPattern] = []
