"""Indicators of volunteering, computed in the database from sign-ups and their hours:
volunteers who gave hours, actions held (calls with hours) and hours given, by the region of the
call and the kind of the body that called. A call counts in the period its window starts in
(Asia/Almaty)."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, FloatField, QuerySet, Sum
from django.db.models.functions import Cast, Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.kpi import Period, Row, indicator
from birlik.geo import labels as geo_labels
from birlik.geo.models import Region

from .models import SignUp
from .queries import held_calls


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    return _local_midnight(period.start), _local_midnight(period.end + datetime.timedelta(days=1))


def given_hours(period: Period, region: Region | None = None) -> QuerySet[SignUp]:
    """Sign-ups with hours on calls (not cancelled) that started in the period."""
    start, end = _bounds(period)
    qs = SignUp.objects.filter(
        minutes__gt=0, call__starts_at__gte=start, call__starts_at__lt=end
    ).exclude(call__status="cancelled")
    return qs.filter(call__region=region) if region is not None else qs


def _code(value: object) -> str:
    return str(value) if value else geo_labels.NO_REGION


@indicator(
    "volunteers.volunteers",
    name=pgettext_lazy("indicator", "Volunteers by region"),
    unit=pgettext_lazy("unit", "volunteers"),
    dimensions=("region",),
    order=1780,
    additive=False,  # a volunteer who helped in two regions is in both rows
    description=_(
        "Different volunteers with hours recorded on calls that started in the period, by the "
        "region of the call. A volunteer who helped in two regions counts in each of them."
    ),
)
def volunteers_by_region(period: Period, region: Region | None) -> list[Row]:
    rows = (
        given_hours(period, region)
        .values("call__region__iso")
        .annotate(value=Count("profile", distinct=True))
        .order_by("call__region__iso")
    )
    return [{"region": _code(r["call__region__iso"]), "value": r["value"]} for r in rows]


@indicator(
    "volunteers.volunteers_total",
    name=pgettext_lazy("indicator", "Volunteers"),
    unit=pgettext_lazy("unit", "volunteers"),
    order=1781,
    description=_(
        "Different volunteers with hours recorded on calls that started in the period, each "
        "counted once."
    ),
)
def volunteers_total(period: Period, region: Region | None) -> list[Row]:
    return [{"value": given_hours(period, region).values("profile").distinct().count()}]


@indicator(
    "volunteers.actions",
    name=pgettext_lazy("indicator", "Volunteer actions held"),
    unit=pgettext_lazy("unit", "actions"),
    dimensions=("region", "kind"),
    order=1782,
    description=_(
        "Calls for volunteers that started in the period and on which at least one volunteer "
        "has hours, by the region of the call and the kind of the body that called."
    ),
)
def actions(period: Period, region: Region | None) -> list[Row]:
    qs = held_calls(*_bounds(period))
    if region is not None:
        qs = qs.filter(region=region)
    rows = (
        qs.values("region__iso", "organisation__kind__code")
        .annotate(value=Count("id"))
        .order_by("region__iso", "organisation__kind__code")
    )
    return [
        {
            "region": _code(r["region__iso"]),
            "kind": r["organisation__kind__code"],
            "value": r["value"],
        }
        for r in rows
    ]


@indicator(
    "volunteers.hours",
    name=pgettext_lazy("indicator", "Volunteer hours"),
    unit=pgettext_lazy("unit", "hours"),
    dimensions=("region", "kind"),
    order=1783,
    description=_(
        "Hours volunteers gave on calls that started in the period (from check-in to check-out "
        "within the call's time, or entered by staff), by the region of the call and the kind "
        "of the body that called."
    ),
)
def hours(period: Period, region: Region | None) -> list[Row]:
    rows = (
        given_hours(period, region)
        .values(region_code=F("call__region__iso"), kind_code=F("call__organisation__kind__code"))
        .annotate(value=Round(Cast(Sum("minutes"), FloatField()) / 60.0, 1))
        .order_by("region_code", "kind_code")
    )
    return [
        {"region": _code(r["region_code"]), "kind": r["kind_code"], "value": r["value"] or 0}
        for r in rows
    ]
