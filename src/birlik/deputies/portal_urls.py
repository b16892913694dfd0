"""The public side of the deputy group: its initiatives, mounted at /<lang>/deputies/."""

from django.urls import URLPattern, URLResolver, path

from . import portal_views

app_name = "deputies_portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", portal_views.initiatives, name="initiatives"),
    path("<slug:number>/", portal_views.initiative, name="initiative"),
]
