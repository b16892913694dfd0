"""Indicators of the deputy group's initiatives (and of Assembly members in maslikhats),
computed in the database: initiatives submitted in the period by level and by the stage they had
reached at the period's end (not today's stage), and initiatives adopted in the period. A region
is the raising body's region (the deputy group of the whole country has none)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.kpi import Period, Row, dimension_labels, indicator
from birlik.geo.models import Region

from . import queries
from .models import Level, Stage


@indicator(
    "deputies.initiatives",
    name=pgettext_lazy("indicator", "Initiatives of the deputy group and of maslikhat deputies"),
    unit=pgettext_lazy("unit", "initiatives"),
    dimensions=("initiative_level", "initiative_stage"),
    order=1900,
    description=_(
        "Initiatives of the deputy group «Bir El – Bir Mudde» and of Assembly members in "
        "maslikhats submitted in the period, by level (Parliament or maslikhat) and by the stage "
        "each had reached on the last day of the period."
    ),
)
def initiatives(period: Period, region: Region | None) -> list[Row]:
    return queries.counts_by_level_and_stage(period.start, period.end, region)


@indicator(
    "deputies.initiatives_adopted",
    name=pgettext_lazy("indicator", "Initiatives adopted"),
    unit=pgettext_lazy("unit", "initiatives"),
    dimensions=("initiative_level",),
    order=1901,
    description=_(
        "Initiatives of the deputy group and of Assembly members in maslikhats adopted by "
        "Parliament or a maslikhat in the period, by level."
    ),
)
def initiatives_adopted(period: Period, region: Region | None) -> list[Row]:
    return queries.adopted_by_level(period.start, period.end, region)


@dimension_labels("initiative_level")
def initiative_level_labels() -> dict[str, str]:
    return {code: str(label) for code, label in Level.choices}


@dimension_labels("initiative_stage")
def initiative_stage_labels() -> dict[str, str]:
    return {code: str(label) for code, label in Stage.choices}
