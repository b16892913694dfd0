"""Plans and targets: a national plan for a year sets target values of registry indicators,
nationally or per region and kind of body; progress compares them with the actual figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class Target(models.Model):
    """A target value of one indicator for the plan's year: national (no region) or for one
    region, for every kind of body (no kind) or one, for every programme (no programme) or
    one."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan")
    )
    indicator = models.CharField(_("indicator"), max_length=100)
    region = models.ForeignKey(
        "geo.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    kind = models.ForeignKey(
        "registry.OrganisationKind",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kind of body"),
    )
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=1)
    # (programmes): a target of one programme, read from the indicator's programme rows.
    programme = models.ForeignKey(
        "events.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["plan", "indicator", "region__kato", "kind__position"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        indexes = [models.Index(fields=["plan", "indicator", "region"])]

    def __str__(self) -> str:
        return (
            f"{self.indicator} {self.region_id or '-'} {self.kind_id or '-'} "
            f"{self.programme_id or '-'}: {self.value}"
        )
