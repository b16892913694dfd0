from django.urls import URLPattern, URLResolver, path

from . import portal_views

app_name = "charity_portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", portal_views.index, name="index"),
    path("ask/", portal_views.ask, name="ask"),
    path("requests/<str:public_id>/", portal_views.open_request, name="request"),
    path("stories/", portal_views.stories, name="stories"),
]
