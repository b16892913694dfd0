"""The public side of people's diplomacy: a partner's request, mounted at /<lang>/diplomacy/."""

from django.urls import URLPattern, URLResolver, path

from . import portal_views

app_name = "diplomacy_portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", portal_views.index, name="index"),
    path("request/", portal_views.request_new, name="request"),
    path("request/received/", portal_views.received, name="received"),
    path("status/<str:token>/", portal_views.status, name="status"),
]
