"""The public media-coverage figures, mounted at /<lang>/media/: aggregates only."""

from django.urls import URLPattern, path

from . import portal_views

app_name = "monitoring_portal"
urlpatterns: list[URLPattern] = [
    path("", portal_views.coverage, name="coverage"),
]
