"""youth in the workspace, mounted at /<lang>/workspace/youth/."""

from django.urls import URLPattern, URLResolver, path

from . import staff_views as views

app_name = "youth"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.projects, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/questions/new/", views.question_new, name="question_new"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("projects/<int:pk>/criteria/new/", views.criterion_new, name="criterion_new"),
    path("criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
    path("projects/<int:pk>/cohorts/new/", views.cohort_new, name="cohort_new"),
    path("cohorts/<int:pk>/", views.cohort, name="cohort"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/status/", views.cohort_status, name="cohort_status"),
    path("cohorts/<int:pk>/jury/", views.jury, name="jury"),
    path("cohorts/<int:pk>/jury/submit/", views.jury_submit, name="jury_submit"),
    path("cohorts/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("cohorts/<int:pk>/sessions/", views.sessions, name="sessions"),
    path("cohorts/<int:pk>/graduation/", views.graduation, name="graduation"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("applications/<int:pk>/", views.application, name="application"),
]
