"""The public side of training, mounted at /<lang>/learning/: the course catalogue and the
check of a certificate."""

from django.urls import URLPattern, URLResolver, path

from . import portal_views as views

app_name = "learning_portal"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.courses, name="courses"),
    path("courses/<int:pk>/", views.course, name="course"),
    path("certificates/", views.check, name="check"),
    path("certificates/<str:code>/", views.verify, name="verify"),
]
