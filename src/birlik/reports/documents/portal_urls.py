from django.urls import URLPattern, URLResolver

app_name = "reports_documents_portal"
urlpatterns: list[URLPattern | URLResolver] = []
