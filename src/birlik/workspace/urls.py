from django.urls import path

from . import import_views, views

app_name = "workspace"
urlpatterns = [
    path("", views.home, name="home"),
    path("bodies/", views.bodies, name="bodies"),
    path("bodies/export/<str:fmt>/", views.bodies_export, name="bodies_export"),
    path("bodies/<int:pk>/", views.body, name="body"),
    path("bodies/<int:pk>/new/", views.body_create, name="body_create"),
    path("bodies/<int:pk>/edit/", views.body_edit, name="body_edit"),
    path("bodies/<int:pk>/close/", views.body_close, name="body_close"),
    path("bodies/<int:pk>/people/new/", views.person_create, name="person_create"),
    path("bodies/<int:pk>/members/add/", views.membership_add, name="membership_add"),
    path(
        "bodies/<int:pk>/members/export/<str:fmt>/",
        views.members_export,
        name="members_export",
    ),
    path("bodies/<int:pk>/import/", import_views.import_upload, name="import"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path(
        "imports/template/<str:import_kind>/",
        import_views.import_template,
        name="import_template",
    ),
    path("imports/<str:token>/", import_views.import_review, name="import_review"),
    path("imports/<str:token>/columns/", import_views.import_columns, name="import_columns"),
    path("imports/<str:token>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("imports/<str:token>/cancel/", import_views.import_cancel, name="import_cancel"),
    path("imports/<str:token>/rejected/", import_views.import_rejected, name="import_rejected"),
]
