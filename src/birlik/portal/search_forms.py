"""The portal's search box (home page and search page): words and a region, both checked, and
the visitor's position ("near me"), which only chooses the region."""

from __future__ import annotations

import math
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from birlik.geo.locate import iso_at
from birlik.geo.models import Region

from .forms import TerritoryFilterForm


class SearchForm(TerritoryFilterForm):
    """Bodies and events by words of their names, in one region or the whole country."""

    field_order = ["q", "region"]
    cached_choices = ("region",)

    q = forms.CharField(
        label=_("Find a House of Friendship, an association or an event near you"),
        required=False,
        max_length=200,
        strip=True,
        help_text=_("In Kazakh, Russian or English, or only a region."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"max_length": _("The search text is too long: use at most 200 letters.")},
    )

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        # "near": the position the page's "Use my location" button sends. The region it falls
        # in is searched as if chosen in the select (and shown chosen); the position itself is
        # not kept anywhere: not in the links, not in a log.
        self.near: NearResult | None = None
        if data is not None and "near" in data:
            self.near = locate_near(str(data.get("near", "")))
            if self.near.iso:
                data = data.copy()
                data["region"] = self.near.iso
        super().__init__(data, *args, **kwargs)
        del self.fields["district"]  # the search box asks for a region only

    def terms(self) -> tuple[str, Region | None]:
        """The words and the region that passed validation (an invalid one is reported)."""
        self.is_valid()
        data: dict[str, Any] = self.cleaned_data
        return data.get("q") or "", data.get("region")

    def understood(self) -> dict[str, str]:
        """The values understood, for the links to the directory and the calendar."""
        return {
            key: value
            for key in self.fields
            if (value := str(self.data.get(key, "")).strip()) and key not in self.errors
        }


# Two decimal numbers, "latitude,longitude" (a space after the comma allowed): no exponent, no
# "nan" or "inf", ASCII digits only, at most 6 decimals (about 10 cm; the page sends 2, about 1 km).
NEAR_PATTERN = re.compile(r"(-?\d{1,3}(?:\.\d{1,6})?), ?(-?\d{1,3}(?:\.\d{1,6})?)", re.ASCII)


class NearResult:
    """What a "near" value gave: ``understood`` false for a value that is not a position,
    ``iso`` the region found (empty outside Kazakhstan)."""

    __slots__ = ("iso", "understood")

    def __init__(self, *, understood: bool, iso: str = "") -> None:
        self.understood = understood
        self.iso = iso

    @property
    def outside(self) -> bool:
        return self.understood and not self.iso


def parse_near(value: str) -> tuple[float, float] | None:
    """``(latitude, longitude)`` from "52.29,76.97", or None for anything else (out of range
    included)."""
    match = NEAR_PATTERN.fullmatch(value.strip())
    if match is None:
        return None
    latitude, longitude = float(match.group(1)), float(match.group(2))
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    return latitude, longitude


def locate_near(value: str) -> NearResult:
    """The region of a "near" value, found in memory (no query)."""
    position = parse_near(value)
    if position is None:
        return NearResult(understood=False)
    return NearResult(understood=True, iso=iso_at(*position) or "")
