"""Public figures, mounted at /<lang>/figures/: aggregates only."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "reports_portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.public_dashboard, name="dashboard"),
    path("all/", views.public_every_figure, name="all"),
    path("indicators/", views.catalogue, name="catalogue"),
    path("year/", views.public_interview_figures, name="interview"),
]
