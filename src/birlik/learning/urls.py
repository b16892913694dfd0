"""learning in the workspace, mounted at /<lang>/workspace/learning/."""

from django.urls import URLPattern, URLResolver

app_name = "learning"
urlpatterns: list[URLPattern | URLResolver] = []
