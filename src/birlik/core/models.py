"""Figures snapshots: indicators computed by a background job and kept for history."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FigureSnapshot(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    region_iso = models.CharField(_("region"), max_length=5, blank=True)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    data = models.JSONField(_("figures"))

    class Meta:
        ordering = ["-computed_at"]
        verbose_name = _("figures snapshot")
        verbose_name_plural = _("figures snapshots")
        indexes = [models.Index(fields=["year", "region_iso", "-computed_at"])]

    def __str__(self) -> str:
        return f"{self.year} {self.region_iso or 'KZ'} {self.computed_at:%Y-%m-%d %H:%M}"
