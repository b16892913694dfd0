"""The annual report in the workspace, mounted at /<lang>/workspace/reports/documents/."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "reports_documents"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.runs, name="runs"),
    path("status/", views.run_status, name="status"),
    path("<int:pk>/<str:fmt>/", views.download, name="download"),
]
