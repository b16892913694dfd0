"""The mediation workspace, mounted at /<lang>/workspace/mediation/."""

from django.urls import path

from . import views

app_name = "mediation"
urlpatterns = [
    path("", views.cases, name="cases"),
    path("new/", views.case_new, name="case_new"),
    path("export/", views.export, name="export"),
    path("figures/", views.figures, name="figures"),
    path("mediators/", views.mediators, name="mediators"),
    path("mediators/<int:pk>/", views.mediator, name="mediator"),
    path("centres/", views.centres, name="centres"),
    path("centres/<int:centre>/mediators/new/", views.mediator_new, name="mediator_new"),
    path("<int:pk>/", views.case, name="case"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/parties/", views.add_party, name="add_party"),
    path("<int:pk>/sessions/", views.session, name="session"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/agreement/", views.agreement, name="agreement"),
    path("<int:pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/execution/", views.execution, name="execution"),
    path("<int:pk>/conflict/", views.conflict, name="conflict"),
    path("<int:pk>/documents/<int:document>/", views.document, name="document"),
]
