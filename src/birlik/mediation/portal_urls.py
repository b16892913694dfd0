from django.urls import URLPattern, URLResolver

app_name = "mediation_portal"
urlpatterns: list[URLPattern | URLResolver] = []
