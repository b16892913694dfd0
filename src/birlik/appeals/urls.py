"""The staff's appeal and proposal pages, mounted at /<lang>/workspace/appeals/."""

from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("register/", views.register_choose, name="register_choose"),
    path("register/<int:body>/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attachments/<int:attachment>/", views.attachment, name="attachment"),
    path("<int:pk>/take-on/", views.take_on, name="take_on"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/draft/", views.draft, name="draft"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/extend/", views.extend, name="extend"),
    path("<int:pk>/redirect/", views.redirect_to_state_body, name="redirect"),
    path("<int:pk>/close/", views.close, name="close"),
    path("proposals/", views.proposals, name="proposals"),
    path("proposals/new/", views.proposal_choose, name="proposal_choose"),
    path("proposals/new/<int:body>/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", views.proposal, name="proposal"),
    path("proposals/<int:pk>/approve/", views.proposal_approve, name="proposal_approve"),
    path("proposals/<int:pk>/send/", views.proposal_send, name="proposal_send"),
    path("proposals/<int:pk>/answer/", views.proposal_answer, name="proposal_answer"),
]
