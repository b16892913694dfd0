"""The Django admin, for national administrators only.

Coordinators and body staff do all their work in the workspace; the admin edits the catalogues
(kinds of body, ethnic groups) and repairs data. Nobody gets in on ``is_staff`` alone: the
account also needs an active national administrator grant.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Records the admin never lists nor shows, whoever registers them: confidential cases and
# beneficiaries stay behind the policies of their own pages (where each read is audited), and
# second-factor secrets, task payloads and permission groups have no business here. django_rq
# (at scale) registers a dashboard backed by no table: its pages answered 500, and the job
# payloads it shows are task payloads too (operators use `rq info` on the worker machines).
NOT_IN_ADMIN_APPS = frozenset(
    {"mediation", "charity", "appeals", "otp_totp", "otp_static", "django_rq"}
)
NOT_IN_ADMIN_MODELS = frozenset(
    {
        "access.RecoveryDevice",
        "access.RecoveryCode",
        "access.GrantRequest",
        "auth.Group",
        "auth.Permission",
        "django_tasks_database.DBTaskResult",
    }
)


def kept_out_of_admin(model: Any) -> bool:
    """Whether ``model`` is one the admin must never list or show."""
    meta = model._meta
    return meta.app_label in NOT_IN_ADMIN_APPS or meta.label in NOT_IN_ADMIN_MODELS


class BirlikAdminSite(admin.AdminSite):
    site_header = _("Birlik administration")
    site_title = _("Birlik administration")
    index_title = _("Catalogues and data repair")

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        """Registration of a confidential model is ignored (third-party apps register theirs
        on their own): one list here decides what the admin may show."""
        models = (
            [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        )
        kept = [model for model in models if not kept_out_of_admin(model)]
        if kept:
            super().register(kept, admin_class, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        from . import policies
        from .middleware import second_factor_passed
        from .models import Role

        user = request.user
        return bool(
            user.is_active
            and (user.is_staff or user.is_superuser)
            and policies.has_role(user, {Role.NATIONAL_ADMIN})
            and second_factor_passed(request)
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
