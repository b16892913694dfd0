"""Territory: the 20 top-level units of Kazakhstan and their districts (KATO, ISO 3166-2:KZ)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    class Kind(models.TextChoices):
        REGION = "region", _("region")
        CITY = "city", _("city of republican significance")

    kato = models.CharField(_("KATO code"), max_length=2, unique=True)
    iso = models.CharField(_("ISO 3166-2 code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    centre = models.CharField(_("administrative centre"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["kato"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("district")
        CITY = "city", _("city of regional significance")
        CITY_DISTRICT = "city_district", _("district of a city")

    kato = models.CharField(_("KATO code"), max_length=9, unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)

    class Meta:
        ordering = ["kato"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name
