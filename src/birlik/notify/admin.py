"""The outbox in the admin: national admins see failed notices and send them again."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Notice
from .services import notice_retry


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "recipient", "status", "attempts", "last_error")
    list_filter = ("status", "channel")
    search_fields = ("recipient", "idempotency_key")
    readonly_fields = [field.name for field in Notice._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send the chosen notices again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        count = 0
        for notice in queryset.exclude(status=Notice.Status.SENT):
            notice_retry(notice=notice)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d notice queued again.", "%(count)d notices queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
