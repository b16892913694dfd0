from django.urls import URLPattern, URLResolver

app_name = "reports_documents"
urlpatterns: list[URLPattern | URLResolver] = []
