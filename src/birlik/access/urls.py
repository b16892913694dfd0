from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("security/", views.security, name="totp"),
    path("security/verify/", views.verify, name="verify"),
    path("profile/", views.profile, name="profile"),
    path("password/", views.password_change, name="password"),
    path("grants/", views.grants, name="grants"),
    path("grants/new/", views.grant_new, name="grant_new"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("grants/waiting/<int:pk>/", views.grant_decide, name="grant_decide"),
    path("accounts/<int:pk>/second-factor/", views.second_factor_reset, name="second_factor_reset"),
    path("audit/", views.audit, name="audit"),
    # participants (accounts)
    path("join/", views.join, name="join"),
    path("contact/", views.verify_contact, name="verify_contact"),
    path("password/forgotten/", views.password_reset, name="password_reset"),
    path("password/forgotten/code/", views.password_reset_code, name="password_reset_code"),
]
