"""Ideas in the admin, for national administrators: the categories are data kept here; ideas
are only shown (they are submitted, supported, moderated and merged through ``services``,
which keep the numbers, the support counts and the answer clock right)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from birlik.access.admin import AuditedAdmin
from birlik.core import kpi

from .models import Category, Idea


@admin.register(Category)
class CategoryAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ("name", "code", "is_active", "position")
    list_filter = ("is_active",)
    search_fields = ("code", "name")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        transaction.on_commit(kpi.invalidate)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Ideas point to them; a category is retired by unticking "in use".
        return False


@admin.register(Idea)
class IdeaAdmin(AuditedAdmin):
    list_display = ("number", "title", "status", "support_count", "organisation", "created_at")
    list_filter = ("status", "language")
    search_fields = ("number", "title")
    fields = (
        "number",
        "title",
        "status",
        "call",
        "organisation",
        "region",
        "category",
        "language",
        "author_display",
        "support_count",
        "merged_into",
        "threshold_reached_on",
        "answer_due",
        "answered_on",
    )
    readonly_fields = fields
    list_select_related = ("organisation",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
