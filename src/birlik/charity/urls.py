from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "charity"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.requests, name="requests"),
    path("requests/new/", views.intake, name="intake"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/do/<slug:action>/", views.request_action, name="action"),
    path("requests/<int:pk>/documents/<int:document>/", views.document, name="document"),
    path("beneficiaries.xlsx", views.export, name="export"),
    path("projects/", views.projects, name="projects"),
    path("projects/new/", views.project_new, name="project_new"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/donate/", views.donate, name="donate"),
    path("projects/<int:pk>/ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("donations/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("donations/<int:pk>/cancel/", views.donation_cancel, name="donation_cancel"),
    path(
        "requests/<int:pk>/distributions/<int:distribution>/cancel/",
        views.distribution_cancel,
        name="distribution_cancel",
    ),
    path("pledges/", views.pledges, name="pledges"),
    path("pledges/<int:pk>/<slug:decision>/", views.pledge_decide, name="pledge_decide"),
]
