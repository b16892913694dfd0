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


class RateCounter(models.Model):
    """One fixed-window counter of the rate limiter (``birlik.core.ratelimit``).

    A row per (scope, client): the window opens with the first event and lasts until
    ``expires`` (seconds since the epoch); an event after that opens a new window. Shared by
    every web process through the database; expired rows are purged by a daily job.
    """

    scope = models.CharField(_("scope"), max_length=64)
    ident = models.CharField(_("client"), max_length=128)
    count = models.PositiveIntegerField(_("count"), default=0)
    expires = models.BigIntegerField(_("expires"))

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [
            models.UniqueConstraint(fields=["scope", "ident"], name="core_ratecounter_unique_key")
        ]
        indexes = [models.Index(fields=["expires"], name="core_ratecounter_expires")]

    def __str__(self) -> str:
        return f"{self.scope} {self.ident[:12]} {self.count}"


class Sequence(models.Model):
    """One gapless yearly counter of ``birlik.core.sequences``: the last number given out.

    A row per (scope, year), e.g. ``("appeals.number", 2026)`` or
    ``("mediation.case:17", 2026)``; ``next_number`` locks it and adds one inside the caller's
    transaction, so a rolled-back registration gives its number back.
    """

    scope = models.CharField(_("scope"), max_length=64)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(fields=["scope", "year"], name="core_sequence_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.scope}/{self.year}: {self.last}"
