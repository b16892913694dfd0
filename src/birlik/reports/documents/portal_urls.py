"""Public open data pages, mounted at /<lang>/open-data/."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "reports_documents_portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.opendata_index, name="index"),
    path("dictionary/", views.opendata_dictionary, name="dictionary"),
    path("files/<str:name>", views.opendata_file, name="file"),
    path("live/<slug:code>.csv", views.opendata_live, name="live"),
]
