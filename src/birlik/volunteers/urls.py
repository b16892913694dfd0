"""volunteers in the workspace, mounted at /<lang>/workspace/volunteers/."""

from django.urls import URLPattern, path

from . import views

app_name = "volunteers"
urlpatterns: list[URLPattern] = [
    path("", views.calls, name="calls"),
    path("calls/new/", views.call_new, name="call_new"),
    path("calls/<int:pk>/", views.call_detail, name="call"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/status/", views.call_status, name="call_status"),
    path("calls/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("calls/<int:pk>/hours/<int:signup>/", views.hours, name="hours"),
    path("profiles/<int:pk>/", views.profile, name="profile"),
]
