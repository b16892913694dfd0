"""The outbox in the admin: national admins see failed notices and send them again.

A notice's recipient, subject and text hold applicants' phones and private status links, so the
admin shows only how delivery went (channel, status, attempts, times), never whom or what.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from birlik.access.admin import is_national_admin

from .models import Notice
from .services import notice_retry

SHOWN = ("created_at", "channel", "language", "status", "attempts", "next_attempt_at", "sent_at")


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "channel")
    fields = SHOWN
    readonly_fields = SHOWN
    actions = ["retry"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_national_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_national_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Read-only: the "send again" action is the only change made from here.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return is_national_admin(request)

    @admin.action(description=_("Send the chosen notices again"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Notice]) -> None:
        count = 0
        # Not a notice sent or being sent: that would send it twice.
        for notice in queryset.exclude(status__in=(Notice.Status.SENT, Notice.Status.SENDING)):
            notice_retry(notice=notice)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d notice queued again.", "%(count)d notices queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
