"""learning in the workspace, mounted at /<lang>/workspace/learning/."""

from django.urls import URLPattern, URLResolver, path

from . import staff_views as views

app_name = "learning"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("courses/", views.courses, name="courses"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:pk>/", views.course, name="course"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/modules/new/", views.module_new, name="module_new"),
    path("modules/<int:pk>/edit/", views.module_edit, name="module_edit"),
    path("modules/<int:pk>/delete/", views.module_delete, name="module_delete"),
    path("courses/<int:pk>/cohorts/new/", views.cohort_new, name="cohort_new"),
    path("cohorts/<int:pk>/", views.cohort, name="cohort"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/status/", views.cohort_status, name="cohort_status"),
    path("cohorts/<int:pk>/sessions/", views.sessions, name="sessions"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("cohorts/<int:pk>/results/", views.results, name="results"),
    path("cohorts/<int:pk>/complete/", views.complete, name="complete"),
    path("cohorts/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("nominations/", views.nominations, name="nominations"),
    path("enrolments/<int:pk>/", views.enrolment, name="enrolment"),
    path("enrolments/<int:pk>/withdraw/", views.enrolment_withdraw, name="enrolment_withdraw"),
    path("certificates/<int:pk>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("needs/", views.needs, name="needs"),
    path("needs/overdue/", views.overdue, name="overdue"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_new, name="rule_new"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
]
