"""Indicators of mediation, anonymous by construction: counts by region, kind, outcome, centre.

Cases received are counted by the day received; closed cases (and the share settled, the
duration) by the day closed. Requests still unassigned count as received.
"""

from __future__ import annotations

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from birlik.core.kpi import Period, Row, dimension_labels, indicator
from birlik.geo.models import Region

from .models import DisputeKind, MediationCase

SETTLED = Q(outcome__in=MediationCase.SETTLED)


def received(period: Period, region: Region | None = None) -> QuerySet[MediationCase]:
    qs = MediationCase.objects.filter(received_on__gte=period.start, received_on__lte=period.end)
    return qs.filter(centre__region=region) if region is not None else qs


def closed(period: Period, region: Region | None = None) -> QuerySet[MediationCase]:
    qs = MediationCase.objects.filter(
        closed_on__gte=period.start, closed_on__lte=period.end, outcome__gt=""
    )
    return qs.filter(centre__region=region) if region is not None else qs


@indicator(
    "mediation.received",
    name=_("Mediation cases received"),
    unit=_("cases"),
    dimensions=("region", "dispute_kind"),
    order=500,
    description=_("Cases received in the period by the region of the centre and kind of dispute."),
)
def cases_received(period: Period, region: Region | None) -> list[Row]:
    rows = (
        received(period, region)
        .values("centre__region__iso", "kind")
        .annotate(value=Count("id"))
        .order_by("centre__region__iso", "kind")
    )
    return [
        {
            "region": r["centre__region__iso"] or "none",
            "dispute_kind": r["kind"],
            "value": r["value"],
        }
        for r in rows
    ]


@indicator(
    "mediation.closed",
    name=_("Mediation cases closed by outcome"),
    unit=_("cases"),
    dimensions=("region", "mediation_outcome"),
    order=501,
    description=_("Cases closed in the period, refusals included, by outcome."),
)
def cases_closed(period: Period, region: Region | None) -> list[Row]:
    rows = (
        closed(period, region)
        .values("centre__region__iso", "outcome")
        .annotate(value=Count("id"))
        .order_by("centre__region__iso", "outcome")
    )
    return [
        {
            "region": r["centre__region__iso"] or "none",
            "mediation_outcome": r["outcome"],
            "value": r["value"],
        }
        for r in rows
    ]


@indicator(
    "mediation.settled_share",
    name=_("Share of mediation cases settled"),
    unit=_("%"),
    dimensions=(),
    order=502,
    description=_(
        "Of the cases closed in the period, the share where the parties reached an agreement "
        "in full or in part."
    ),
)
def settled_share(period: Period, region: Region | None) -> list[Row]:
    totals = closed(period, region).aggregate(
        closed=Count("id"), settled=Count("id", filter=SETTLED)
    )
    if not totals["closed"]:
        return []
    return [{"value": round(100 * totals["settled"] / totals["closed"], 1)}]


def _closed_for_duration(period: Period, region: Region | None) -> QuerySet[MediationCase]:
    return closed(period, region).exclude(outcome=MediationCase.Outcome.REFUSED)


@indicator(
    "mediation.duration",
    name=_("Average duration of a mediation"),
    unit=_("days"),
    order=503,
    description=_(
        "Calendar days from receipt to closing, on average, of the cases closed in the period "
        "(refusals left out)."
    ),
)
def duration(period: Period, region: Region | None) -> list[Row]:
    value = _closed_for_duration(period, region).aggregate(value=Avg("duration_days"))["value"]
    return [] if value is None else [{"value": round(float(value), 1)}]


@indicator(
    "mediation.duration_by_kind",
    name=_("Average duration of a mediation by kind of dispute"),
    unit=_("days"),
    dimensions=("dispute_kind",),
    order=503,
    additive=False,
    description=_(
        "Calendar days from receipt to closing, on average, of the cases of each kind of "
        "dispute closed in the period (refusals left out)."
    ),
)
def duration_by_kind(period: Period, region: Region | None) -> list[Row]:
    rows = (
        _closed_for_duration(period, region)
        .values("kind")
        .annotate(value=Avg("duration_days"))
        .order_by("kind")
    )
    return [{"dispute_kind": r["kind"], "value": round(float(r["value"] or 0), 1)} for r in rows]


@indicator(
    "mediation.per_centre",
    name=_("Mediation cases received per centre"),
    unit=_("cases"),
    dimensions=("mediation_centre",),
    order=504,
    description=_("Cases received in the period at each mediation centre or council."),
)
def per_centre(period: Period, region: Region | None) -> list[Row]:
    rows = (
        received(period, region)
        .values("centre_id", "centre__name")
        .annotate(value=Count("id"))
        .order_by("centre__name", "centre_id")
    )
    return [{"mediation_centre": str(r["centre_id"]), "value": r["value"]} for r in rows]


@dimension_labels("dispute_kind")
def dispute_kind_labels() -> dict[str, str]:
    return {code: str(label) for code, label in DisputeKind.choices}


@dimension_labels("mediation_outcome")
def outcome_labels() -> dict[str, str]:
    return {code: str(label) for code, label in MediationCase.Outcome.choices}


@dimension_labels("mediation_centre")
def centre_labels() -> dict[str, str]:
    from birlik.registry.models import Organisation

    return {
        str(pk): str(name)
        for pk, name in Organisation.objects.filter(
            kind__code__in=("mediation_centre", "mediation_council")
        ).values_list("pk", "name")
    }
