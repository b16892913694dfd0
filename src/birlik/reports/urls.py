"""Staff dashboards and plans, mounted at /<lang>/workspace/reports/."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("all/", views.every_figure, name="all"),
    path("indicators/", views.catalogue, name="catalogue"),
    path("year/", views.interview_figures, name="interview"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/regions/<str:iso>/", views.plan_region, name="plan_region"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:pk>/targets/", views.target_add, name="target_add"),
    path("plans/<int:pk>/targets/<int:target>/delete/", views.target_delete, name="target_delete"),
    path("plans/<int:pk>/targets/import/", views.targets_import, name="targets_import"),
    path("plans/<int:pk>/targets.xlsx", views.targets_export, name="targets_export"),
]
