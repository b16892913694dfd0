"""Admin of the registry's catalogues and records, for national administrators only.

Kinds of body and ethnic groups are data that the national admins keep here; bodies, people and
memberships are normally edited in the workspace, and here only to repair data. Every change is
audited; the IIN digest is never shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from birlik.access.admin import AuditedAdmin
from birlik.access.services import audit_read, audit_record
from birlik.core import kpi

from .models import EthnicGroup, Membership, Organisation, OrganisationKind, Person


class _FiguresChangeMixin:
    """Changes to the registry change the public figures: drop the cached ones after commit."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        transaction.on_commit(kpi.invalidate)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)  # type: ignore[misc]
        transaction.on_commit(kpi.invalidate)


@admin.register(OrganisationKind)
class OrganisationKindAdmin(_FiguresChangeMixin, AuditedAdmin, TranslationAdmin):
    list_display = ("name", "code", "level", "may_be_root", "counts_members", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name")
    filter_horizontal = ("allowed_parents",)


@admin.register(EthnicGroup)
class EthnicGroupAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ("name", "code", "population_2021", "position")
    search_fields = ("code", "name")


@admin.register(Organisation)
class OrganisationAdmin(_FiguresChangeMixin, AuditedAdmin, TreeAdmin, TranslationAdmin):
    form = movenodeform_factory(Organisation, exclude=("path", "depth", "numchild", "search_text"))
    list_display = ("name", "kind", "region", "district", "status")
    list_filter = ("status", "kind", "region")
    list_select_related = ("kind", "region", "district")
    search_fields = ("name", "search_text")
    filter_horizontal = ("ethnic_groups",)

    def audit_path(self, obj: Any) -> str:
        return str(obj.path)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Bodies are closed, never deleted (people, memberships and grants point to them).
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # ``name`` itself follows the translated fields (modeltranslation); the search key
        # folds all three spellings.
        obj.refresh_search_text()
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)

    def move_node(self, request: HttpRequest) -> HttpResponse:
        """Moves in the tree are audited too: the body's path (and so its scope) changes."""
        node = Organisation.objects.filter(pk=request.POST.get("node") or None).first()
        before = node.path if node is not None else ""
        with transaction.atomic():
            response = super().move_node(request)
            if node is not None and response.status_code == 200:
                node.refresh_from_db()
                audit_record(
                    actor=request.user,  # type: ignore[arg-type]
                    action="update",
                    obj=node,
                    organisation_path=node.path,
                    changes={"parent": [before, node.path]},
                    note="admin: moved in the tree",
                )
                transaction.on_commit(kpi.invalidate)
        return response


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ("last_name", "first_name", "patronymic", "registered_by")
    list_select_related = ("registered_by",)
    search_fields = ("last_name", "first_name")
    raw_id_fields = ("registered_by",)
    # The IIN digest is not editable and never listed; only the masked last digits are shown.
    exclude = ("iin_digest", "iin_last4")
    readonly_fields = ("masked_iin",)

    @admin.display(description=_("IIN"))
    def masked_iin(self, obj: Person) -> str:
        return obj.iin_masked or "—"

    def audit_path(self, obj: Any) -> str:
        return str(obj.registered_by.path) if obj.registered_by_id else ""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        # Opening a person's record is a read of personal data, and is logged as one.
        if request.method == "GET":
            person = (
                Person.objects.select_related("registered_by").filter(pk=object_id).first()
                if str(object_id).isdigit()
                else None
            )
            if person is not None and self.has_view_permission(request, person):
                audit_read(
                    actor=request.user,  # type: ignore[arg-type]
                    obj=person,
                    organisation_path=str(person.registered_by.path),
                    note="admin",
                )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ("person", "organisation", "role", "position", "start_date", "end_date")
    list_filter = ("role",)
    list_select_related = ("person", "organisation")
    search_fields = ("person__last_name", "organisation__name")
    raw_id_fields = ("person", "organisation")
    audit_reads = True  # a membership names a person: opening it is logged as a read

    def audit_path(self, obj: Any) -> str:
        return str(obj.organisation.path) if obj.organisation_id else ""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A membership ends (end of term); it is not deleted.
        return False
