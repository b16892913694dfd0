from django.urls import URLPattern, URLResolver

app_name = "charity_portal"
urlpatterns: list[URLPattern | URLResolver] = []
