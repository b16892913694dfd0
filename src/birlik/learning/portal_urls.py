"""The public side of training: certificate verification, mounted at /<lang>/learning/."""

from django.urls import URLPattern, URLResolver

app_name = "learning_portal"
urlpatterns: list[URLPattern | URLResolver] = []
