"""Admin of the events catalogues, for national administrators only.

Programmes and audience categories are data that the national admins keep here. Events are
planned, registered and reported in the workspace through ``events.services`` (which keep the
place counters and the figures right), so the admin only shows them. Registrations and
attachments are not listed here: they hold personal data and files that the workspace serves
after its scope checks. Historical figures (yearly totals imported from earlier records) are
shown and may be deleted when imported by mistake; they are written by the import only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from birlik.access.admin import AuditedAdmin
from birlik.core import kpi

from .models import Audience, Event, HistoricalFigure, Programme


class _CatalogueAdmin(AuditedAdmin, TranslationAdmin):
    list_display: tuple[str, ...] = ("name", "code", "position")
    search_fields = ("code", "name")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Figures are broken down by programme and audience: their names are in the cache.
        transaction.on_commit(kpi.invalidate)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Events point to them; a programme is retired by unticking "in use".
        return False


@admin.register(Programme)
class ProgrammeAdmin(_CatalogueAdmin):
    list_display = ("name", "code", "is_active", "position")
    list_filter = ("is_active",)


@admin.register(Audience)
class AudienceAdmin(_CatalogueAdmin):
    pass


@admin.register(Event)
class EventAdmin(AuditedAdmin):
    list_display = ("title", "organiser", "region", "starts_at", "status", "participants_total")
    list_filter = ("status", "kind", "format", "region", "programme")
    list_select_related = ("organiser", "region")
    search_fields = ("title", "organiser__name")
    date_hierarchy = "starts_at"
    raw_id_fields = ("organiser", "venue", "co_organisers")

    def audit_path(self, obj: Any) -> str:
        return str(obj.organiser.path) if obj.organiser_id else ""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(HistoricalFigure)
class HistoricalFigureAdmin(AuditedAdmin):
    list_display = (
        "year",
        "organisation",
        "programme",
        "events_count",
        "participants",
        "source",
        "imported_at",
    )
    list_filter = ("year", "programme")
    list_select_related = ("organisation", "programme")
    search_fields = ("organisation__name", "source")
    raw_id_fields = ("organisation", "imported_by")

    def audit_path(self, obj: Any) -> str:
        return str(obj.organisation.path) if obj.organisation_id else ""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        transaction.on_commit(kpi.invalidate)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        transaction.on_commit(kpi.invalidate)
