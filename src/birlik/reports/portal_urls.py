from django.urls import URLPattern, URLResolver

app_name = "reports_portal"
urlpatterns: list[URLPattern | URLResolver] = []
