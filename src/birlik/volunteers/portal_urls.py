"""volunteers on the public portal, mounted at /<lang>/volunteers/."""

from django.urls import URLPattern, path

from . import portal_views

app_name = "volunteers_portal"
urlpatterns: list[URLPattern] = [
    path("", portal_views.calls, name="calls"),
    path("calls/<int:pk>/", portal_views.call, name="call"),
    path("calls/<int:pk>/sign-up/", portal_views.sign_up, name="sign_up"),
    path("calls/<int:pk>/cancel/", portal_views.cancel, name="cancel"),
    path("profile/", portal_views.profile, name="profile"),
    path("mine/", portal_views.mine, name="mine"),
    path("mine/record/<int:year>/", portal_views.record, name="record"),
    path("records/<str:code>/", portal_views.verify, name="verify"),
]
