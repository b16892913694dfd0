"""Indicators of mediation, anonymous by construction: counts by region, kind, outcome, centre.

Cases received are counted by the day received; closed cases (and the share settled, the
duration) by the day closed. Requests still unassigned count as received.
"""

from __future__ import annotations

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.kpi import Period, Row, cached, dimension_labels, indicator
from birlik.geo.models import Region

from .models import DisputeKind, MediationCase, Mediator

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


# --- interview figures (figures) ---------------------------------------------------------------
# "Mediators in the register" of the Assembly's annual interview: a stock, read on the period's
# last day (or today). The register keeps the day a mediator entered it but not the day one was
# suspended or excluded, so a past period counts them by their status of today.


def _register_by_region(period: Period, region: Region | None) -> list[Row]:
    """Mediators in the register on the period's last day (or today), by the region of their
    centre: those active today and the others, in one grouped query shared by the figure and
    what it lacks (cached while the figures stand)."""

    def build() -> list[Row]:
        qs = Mediator.objects.filter(registered_on__lte=period.as_of)
        if region is not None:
            qs = qs.filter(centre__region=region)
        active = Q(status=Mediator.Status.ACTIVE)
        rows = (
            qs.order_by()
            .values("centre__region__iso")
            .annotate(active=Count("id", filter=active), other=Count("id", filter=~active))
            .order_by("centre__region__iso")
        )
        return [
            {
                "region": r["centre__region__iso"] or "none",
                "active": r["active"],
                "other": r["other"],
            }
            for r in rows
        ]

    iso = region.iso if region is not None else "all"
    rows: list[Row] = cached(f"mediation:register:{period.start}:{period.end}:{iso}", build, 60)
    return rows


def _status_history_missing(period: Period, region: Region | None) -> str:
    if period.as_of >= timezone.localdate():
        return ""
    if not any(row["other"] for row in _register_by_region(period, region)):
        return ""
    return str(
        _(
            "The register does not keep the day a mediator was suspended or excluded: mediators "
            "suspended or excluded since the end of the period may have been active then, and "
            "are not counted."
        )
    )


@indicator(
    "mediation.mediators",
    name=_("Mediators in the register"),
    unit=pgettext_lazy("unit", "people"),
    dimensions=("region",),
    order=505,
    description=_(
        "Mediators of the mediation centres and councils in the register at the end of the "
        "period (or today) and active, by the region of their centre."
    ),
    missing=_status_history_missing,
)
def mediators(period: Period, region: Region | None) -> list[Row]:
    return [
        {"region": row["region"], "value": row["active"]}
        for row in _register_by_region(period, region)
        if row["active"]
    ]
