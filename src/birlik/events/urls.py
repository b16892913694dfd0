from django.urls import URLPattern, path

app_name = "events"
urlpatterns: list[URLPattern] = []
