"""(filled by its slice)"""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
