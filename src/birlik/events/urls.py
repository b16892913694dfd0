"""The staff's event pages, mounted at /<lang>/workspace/events/."""

from django.urls import path

from . import programme_views, views

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
    # (programmes) programmes that bodies join
    path("programmes/", programme_views.programme_list, name="programme_list"),
    path("programmes/<slug:code>/", programme_views.programme_detail, name="programme_detail"),
    path("programmes/<slug:code>/join/", programme_views.programme_join, name="programme_join"),
    path(
        "programmes/<slug:code>/memberships/<int:membership>/leave/",
        programme_views.programme_leave,
        name="programme_leave",
    ),
    path(
        "programmes/<slug:code>/partners/",
        programme_views.programme_partners,
        name="programme_partners",
    ),
    path(
        "programmes/<slug:code>/partners/<int:partner>/remove/",
        programme_views.programme_partner_remove,
        name="programme_partner_remove",
    ),
]
