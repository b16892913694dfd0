"""The staff's event pages, mounted at /<lang>/workspace/events/."""

from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/<int:body>/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/publish/", views.event_publish, name="publish"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/register/", views.register, name="register"),
    path(
        "<int:pk>/registrations/<int:registration>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/sheet/", views.sheet, name="sheet"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:attachment>/", views.attachment, name="attachment"),
]
