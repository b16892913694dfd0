"""Indicators of people's diplomacy, computed in the database: international requests received
(by country and kind of requester), visits and delegations that started (by direction and
country), friendship ambassadors in the Corps at the period's end, and their activities (by
kind). With a region: requests and ambassadors kept by a body of that region; visits that went
to that region or are kept by one of its bodies."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.kpi import Period, Row, dimension_labels, indicator
from birlik.geo.models import Region

from . import countries
from .models import (
    Ambassador,
    AmbassadorActivity,
    InternationalRequest,
    RequesterKind,
    Visit,
)
from .queries import ambassadors_active


def requests_received(
    period: Period, region: Region | None = None
) -> QuerySet[InternationalRequest]:
    qs = InternationalRequest.objects.filter(
        received_on__gte=period.start, received_on__lte=period.end
    )
    return qs.filter(organisation__region=region) if region is not None else qs


def visits_started(period: Period, region: Region | None = None) -> QuerySet[Visit]:
    """Visits and delegations (not cancelled) that started in the period."""
    qs = Visit.objects.filter(starts_on__gte=period.start, starts_on__lte=period.end).exclude(
        status=Visit.Status.CANCELLED
    )
    if region is None:
        return qs
    went = Visit.regions.through.objects.filter(region=region).values("visit_id")
    return qs.filter(Q(pk__in=went) | Q(organisation__region=region))


def activities_held(period: Period, region: Region | None = None) -> QuerySet[AmbassadorActivity]:
    qs = AmbassadorActivity.objects.filter(date__gte=period.start, date__lte=period.end)
    return qs.filter(ambassador__organisation__region=region) if region is not None else qs


@indicator(
    "diplomacy.requests",
    name=pgettext_lazy("indicator", "International requests"),
    unit=pgettext_lazy("unit", "requests"),
    dimensions=("country", "diplomacy_requester"),
    order=1900,
    description=_(
        "Requests from international organisations, foreign parliaments, research centres, "
        "embassies and foreign public organisations received in the period (declined ones "
        "included), by the requester's country (an international organisation: the country of "
        "its seat) and kind."
    ),
)
def requests(period: Period, region: Region | None) -> list[Row]:
    rows = (
        requests_received(period, region)
        .values("country", "requester_kind")
        .annotate(value=Count("id"))
        .order_by("country", "requester_kind")
    )
    return [
        {"country": r["country"], "diplomacy_requester": r["requester_kind"], "value": r["value"]}
        for r in rows
    ]


@indicator(
    "diplomacy.visits",
    name=pgettext_lazy("indicator", "Visits and delegations"),
    unit=pgettext_lazy("unit", "visits"),
    dimensions=("diplomacy_direction", "country"),
    order=1901,
    description=_(
        "Foreign delegations received and the Assembly's delegations abroad that started in the "
        "period (cancelled ones left out), by direction and country."
    ),
)
def visits(period: Period, region: Region | None) -> list[Row]:
    rows = (
        visits_started(period, region)
        .values("direction", "country")
        .annotate(value=Count("id"))
        .order_by("direction", "country")
    )
    return [
        {"diplomacy_direction": r["direction"], "country": r["country"], "value": r["value"]}
        for r in rows
    ]


@indicator(
    "diplomacy.ambassadors",
    name=pgettext_lazy("indicator", "Friendship ambassadors"),
    unit=pgettext_lazy("unit", "ambassadors"),
    order=1902,
    description=_(
        "Members of the Corps of Friendship Ambassadors at the end of the period (or today, for "
        "a period not yet over): their term has begun and not ended."
    ),
)
def ambassadors(period: Period, region: Region | None) -> list[Row]:
    qs = Ambassador.objects.filter(ambassadors_active(period.as_of))
    if region is not None:
        qs = qs.filter(organisation__region=region)
    return [{"value": qs.values("person_id").distinct().count()}]


@indicator(
    "diplomacy.ambassador_activities",
    name=pgettext_lazy("indicator", "Activities of friendship ambassadors"),
    unit=pgettext_lazy("unit", "activities"),
    dimensions=("diplomacy_activity",),
    order=1903,
    description=_(
        "Meetings, lectures, media appearances, events abroad, delegations hosted and other "
        "activities of friendship ambassadors in the period, by kind."
    ),
)
def ambassador_activities(period: Period, region: Region | None) -> list[Row]:
    rows = (
        activities_held(period, region).values("kind").annotate(value=Count("id")).order_by("kind")
    )
    return [{"diplomacy_activity": r["kind"], "value": r["value"]} for r in rows]


@dimension_labels("country")
def country_labels() -> dict[str, str]:
    return countries.labels()


@dimension_labels("diplomacy_requester")
def requester_labels() -> dict[str, str]:
    return {code: str(label) for code, label in RequesterKind.choices}


@dimension_labels("diplomacy_direction")
def direction_labels() -> dict[str, str]:
    return {
        Visit.Direction.INCOMING: str(pgettext_lazy("visits", "incoming")),
        Visit.Direction.OUTGOING: str(pgettext_lazy("visits", "outgoing")),
    }


@dimension_labels("diplomacy_activity")
def activity_labels() -> dict[str, str]:
    return {code: str(label) for code, label in AmbassadorActivity.Kind.choices}
