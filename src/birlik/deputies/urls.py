"""deputies in the workspace, mounted at /<lang>/workspace/deputies/."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "deputies"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.initiatives, name="initiatives"),
    path("new/", views.initiative_choose, name="initiative_choose"),
    path("new/<int:body>/", views.initiative_create, name="initiative_create"),
    path("<int:pk>/", views.initiative, name="initiative"),
    path("<int:pk>/edit/", views.initiative_edit, name="initiative_edit"),
    path("<int:pk>/stage/", views.initiative_stage, name="initiative_stage"),
    path("<int:pk>/act/", views.initiative_result, name="initiative_result"),
    path("<int:pk>/sources/", views.initiative_link, name="initiative_link"),
    path("<int:pk>/sources/<int:link>/remove/", views.initiative_unlink, name="initiative_unlink"),
]
