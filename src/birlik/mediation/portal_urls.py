"""The public mediation pages, mounted at /<lang>/mediation/."""

from django.urls import path

from . import portal_views

app_name = "mediation_portal"
urlpatterns = [
    path("", portal_views.index, name="index"),
    path("request/", portal_views.request_mediator, name="request"),
    path("request/received/", portal_views.received, name="received"),
]
