"""The Django admin, for national administrators only.

Coordinators and body staff do all their work in the workspace; the admin edits the catalogues
(kinds of body, ethnic groups) and repairs data. Nobody gets in on ``is_staff`` alone: the
account also needs an active national administrator grant.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class BirlikAdminSite(admin.AdminSite):
    site_header = _("Birlik administration")
    site_title = _("Birlik administration")
    index_title = _("Catalogues and data repair")

    def has_permission(self, request: HttpRequest) -> bool:
        from . import policies
        from .models import Role

        user = request.user
        return bool(
            user.is_active
            and (user.is_staff or user.is_superuser)
            and policies.has_role(user, {Role.NATIONAL_ADMIN})
        )

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """One sign-in for everyone (with its rate limit and second factor); others get 403."""
        from django.contrib.auth.views import redirect_to_login

        if request.user.is_authenticated:
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, login_url=reverse("access:login"))


class BirlikAdminConfig(AdminConfig):
    default_site = "birlik.access.adminsite.BirlikAdminSite"
