"""diplomacy in the workspace, mounted at /<lang>/workspace/diplomacy/."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "diplomacy"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.requests, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("requests/<int:pk>/take-on/", views.request_take_on, name="request_take_on"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("requests/<int:pk>/close/", views.request_close, name="request_close"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("requests/<int:pk>/people/", views.request_people, name="request_people"),
    path("requests/<int:pk>/bodies/", views.request_bodies, name="request_bodies"),
    path("visits/", views.visits, name="visits"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/held/", views.visit_held, name="visit_held"),
    path("visits/<int:pk>/cancel/", views.visit_cancel, name="visit_cancel"),
    path("visits/<int:pk>/events/", views.visit_events, name="visit_events"),
    path("ambassadors/", views.ambassadors, name="ambassadors"),
    path("ambassadors/new/", views.ambassador_new, name="ambassador_new"),
    path("ambassadors/<int:pk>/", views.ambassador_detail, name="ambassador"),
    path("ambassadors/<int:pk>/edit/", views.ambassador_edit, name="ambassador_edit"),
    path("ambassadors/<int:pk>/activities/", views.activity_add, name="activity_add"),
    path(
        "ambassadors/<int:pk>/activities/<int:activity>/remove/",
        views.activity_remove,
        name="activity_remove",
    ),
]
