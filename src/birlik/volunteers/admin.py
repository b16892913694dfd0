"""The skills catalogue is data: national administrators keep it in the admin. Profiles,
calls and sign-ups are personal data and work records, changed only through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from birlik.access.admin import AuditedAdmin

from .models import Skill


@admin.register(Skill)
class SkillAdmin(AuditedAdmin, TranslationAdmin):  # type: ignore[misc]
    list_display = ("name", "code", "is_active", "position")
    list_filter = ("is_active",)
    search_fields = ("code", "name")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Profiles and calls point to skills; a skill is retired by unticking "in use".
        return False
