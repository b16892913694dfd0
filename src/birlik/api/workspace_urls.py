"""Workspace pages of integration tokens (/<lang>/workspace/integrations/)."""

from django.urls import path

from . import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.tokens, name="list"),
    path("new/", views.token_new, name="new"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
]
