from django.urls import path

from . import views

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
    path("bodies/<int:pk>/import/", views.import_upload, name="import"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("imports/template/<str:import_kind>/", views.import_template, name="import_template"),
    path("imports/<str:token>/", views.import_review, name="import_review"),
    path("imports/<str:token>/confirm/", views.import_confirm, name="import_confirm"),
]
