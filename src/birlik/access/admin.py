"""Admin of accounts and the audit log (national administrators only, see ``adminsite``).

Every change made in the admin is written to the audit log like a change made in the workspace.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import policies
from .models import AlertChannel, AuditEntry, Grant, Role, User
from .services import account_path, audit_read, audit_record, diff, snapshot

NEVER_AUDITED = frozenset({"password", "iin_digest", "search_text", "path", "depth", "numchild"})


def is_national_admin(request: HttpRequest) -> bool:
    return policies.has_role(request.user, {Role.NATIONAL_ADMIN})


class AuditedAdmin(admin.ModelAdmin):
    """Writes an audit row for every save and delete; only national administrators pass."""

    def audited_fields(self, obj: Model) -> list[str]:
        return [
            field.name
            for field in obj._meta.concrete_fields
            if not field.primary_key and field.name not in NEVER_AUDITED
        ]

    # Opening the change page of a record of this model is a read of personal data, and is
    # written to the audit log as one (like opening a person in the workspace).
    audit_reads = False

    def audit_path(self, obj: Any) -> str:
        """The body the record belongs to, so that the row is seen by those who audit it."""
        return ""

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if self.audit_reads and request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None and self.has_view_permission(request, obj):
                audit_read(
                    actor=request.user,  # type: ignore[arg-type]
                    obj=obj,
                    organisation_path=self.audit_path(obj),
                    note="admin",
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_national_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_national_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_national_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_national_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_national_admin(request)

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        # Read the stored state before the form writes: tree forms save as they go.
        before = {}
        if change and form.instance.pk:
            stored = type(form.instance)._default_manager.get(pk=form.instance.pk)
            before = snapshot(stored, self.audited_fields(stored))
        obj = super().save_form(request, form, change)
        obj._birlik_audit_before = before
        return obj

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        before = getattr(obj, "_birlik_audit_before", {})
        changes = diff(before, snapshot(obj, self.audited_fields(obj)))
        if changes or not change:
            audit_record(
                actor=request.user,  # type: ignore[arg-type]
                action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
                obj=obj,
                organisation_path=self.audit_path(obj),
                changes=changes,
                note="admin",
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    def _audit_delete(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=request.user,  # type: ignore[arg-type]
            action=AuditEntry.Action.DELETE,
            obj=obj,
            organisation_path=self.audit_path(obj),
            changes=diff(snapshot(obj, self.audited_fields(obj)), {}),
            note="admin",
        )


class BirlikUserChangeForm(UserChangeForm):  # type: ignore[type-arg]
    """The account as the admin edits it; the channels for alerts as a checkbox group."""

    alert_channels = forms.MultipleChoiceField(
        label=_("Channels for alerts"),
        choices=AlertChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A ticked channel without its address sends the alert by e-mail."),
        error_messages={"required": _("Choose at least one of: e-mail, SMS, Telegram.")},
    )

    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class BirlikUserAdmin(AuditedAdmin, UserAdmin):
    form = BirlikUserChangeForm
    list_display = ("username", "full_name", "email", "language", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "language")}),
        (
            pgettext_lazy("early warning", "Alerts"),
            {"fields": ("alert_channels", "phone", "telegram_chat_id")},
        ),
        (
            _("Access"),
            {
                "fields": ("is_active", "is_staff", "is_superuser"),
                "description": _(
                    "Roles on bodies are given on the page “Roles and access”, not here."
                ),
            },
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "email", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    audit_reads = True

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Nobody widens their own access: one's own flags are changed by another admin.
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            fields += ("is_active", "is_staff", "is_superuser")
        return fields

    def audit_path(self, obj: Any) -> str:
        return account_path(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Accounts are switched off, not deleted: the audit log keeps naming them.
        return False


@admin.register(Grant)
class GrantAdmin(AuditedAdmin):
    """Read-only here: roles are given and revoked through the grants page and its checks."""

    list_display = (
        "user",
        "role",
        "organisation",
        "created_at",
        "revoked_at",
        "granted_by",
        "approved_by",
    )
    list_filter = ("role",)
    list_select_related = ("user", "organisation", "granted_by", "approved_by")
    search_fields = ("user__username", "user__full_name")
    raw_id_fields = ("user", "organisation", "granted_by", "approved_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditedAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    list_select_related = ("actor",)
    search_fields = ("object_repr", "actor__username")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
