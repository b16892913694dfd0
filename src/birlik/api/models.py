"""Integration tokens of the REST API.

An integration acts as a dedicated account (no usable password) holding grants on the bodies it
works for, so the one policy layer scopes its calls like anyone else's. Only the SHA-256 digest of
a token is stored: the secret is shown once, when the token is made.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        EVENTS_WRITE = "events:write", _("plan and change events")
        ATTENDANCE_WRITE = "attendance:write", _("record attendance and check people in")
        APPEALS_WRITE = "appeals:write", _("read the register of appeals and change their status")

    name = models.CharField(_("name of the integration"), max_length=100)
    user = models.ForeignKey(
        "access.User",
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("integration account"),
    )
    organisation = models.ForeignKey(
        "registry.Organisation",
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=pgettext_lazy("token", "body"),
    )
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    # Codes between commas (",events:write,") as events keep their languages.
    scopes = models.CharField(_("allowed actions"), max_length=200, default="")
    created_by = models.ForeignKey(
        "access.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(pgettext_lazy("token", "revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("integration token")
        verbose_name_plural = _("integration tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def scope_codes(self) -> list[str]:
        return [code for code in self.scopes.split(",") if code]

    def scope_labels(self) -> list[str]:
        labels = dict(self.Scope.choices)
        return [str(labels.get(code, code)) for code in self.scope_codes]

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)
