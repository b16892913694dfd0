"""Reads of programmes shared by the public pages, the workspace, the indicators, the plan and
the annual report (slice ``programmes``).

Every figure of a programme comes from the KPI registry (``events.programme_*``,
``events.festivals``, ``events.performances``) through ``programme_figures``: the programme
pages, the plan's programme targets and the annual report's table by programme read the same
rows, never a count of their own.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from birlik.access.policies import ALL_ROLES, STAFF_ROLES, prefix_q, roots
from birlik.core import kpi
from birlik.core.kpi import Period, Row
from birlik.geo.models import Region
from birlik.registry.models import Organisation

from . import programme_policies  # noqa: F401  (the rules of programmes, registered on import)
from .models import Event, Programme, ProgrammeMembership, ProgrammePartner
from .queries import calendar_events

# What a programme's figures are, and the indicator each is read from.
MEASURES: dict[str, str] = {
    "bodies": "events.programme_bodies",
    "events": "events.programme_events",
    "participants": "events.programme_participants",
    "festivals": "events.festivals",
    "performances": "events.performances",
}
# Indicators a plan may set a programme target on, and the measure each one reads.
TARGET_MEASURES: dict[str, str] = {
    **{key: measure for measure, key in MEASURES.items()},
    "events.events_by_programme": "events",
    "events.participants_by_programme": "participants",
}


# --- Memberships: one rule for "taking part" ---------------------------------------------------


def memberships_during(period: Period) -> QuerySet[ProgrammeMembership]:
    """Memberships that overlap the period: joined on or before its last day and not left
    before its first."""
    return ProgrammeMembership.objects.filter(joined_on__lte=period.end).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=period.start)
    )


def memberships_on(day: datetime.date) -> QuerySet[ProgrammeMembership]:
    """Memberships in force on ``day``."""
    return memberships_during(Period(day, day))


def open_membership(
    *, programme: Programme, organisation: Organisation
) -> ProgrammeMembership | None:
    """The body's current membership of the programme (not left), if any."""
    return ProgrammeMembership.objects.filter(
        programme=programme, organisation=organisation, left_on__isnull=True
    ).first()


# --- Public pages ------------------------------------------------------------------------------


def public_programmes() -> QuerySet[Programme]:
    """Programmes in use whose public page is on."""
    return Programme.objects.filter(is_active=True, is_public=True).order_by("position", "code")


def public_programme_or_404(code: str) -> Programme:
    programme = public_programmes().select_related("owner").filter(code=code).first()
    if programme is None:
        raise Http404
    return programme


def programme_partners(programme: Programme) -> list[ProgrammePartner]:
    """The programme's partners, those of the past included, in order of their start."""
    return list(
        programme.partners.select_related("state_body", "organisation").order_by("starts_on", "pk")
    )


def bodies_by_region(programme: Programme, *, on: datetime.date) -> list[dict[str, Any]]:
    """The bodies taking part on ``on``, grouped by region (bodies of the whole country first):
    ``[{"region": Region | None, "bodies": [Organisation, ...]}, ...]`` from one query."""
    memberships = (
        memberships_on(on)
        .filter(programme=programme)
        .select_related("organisation", "organisation__region", "organisation__kind")
        .order_by("organisation__region__kato", "organisation__name", "organisation_id")
    )
    groups: dict[int | None, dict[str, Any]] = {}
    for membership in memberships:
        body = membership.organisation
        group = groups.setdefault(body.region_id, {"region": body.region, "bodies": []})
        group["bodies"].append(body)
    return list(groups.values())


def upcoming_programme_events(programme: Programme, *, limit: int = 5) -> list[Event]:
    """The programme's next public events (as the calendar lists them), not cancelled."""
    events = calendar_events(programme=programme).exclude(status=Event.Status.CANCELLED)
    return list(events[:limit])


# --- Figures -----------------------------------------------------------------------------------


def programme_figures(*, period: Period, region: Region | None = None) -> dict[str, list[Row]]:
    """The rows (programme, region, value) of each measure of ``MEASURES`` for the period,
    computed by the KPI registry and cached until the figures change."""

    def build() -> dict[str, list[Row]]:
        return {measure: kpi.compute(key, period, region) for measure, key in MEASURES.items()}

    iso = region.iso if region is not None else "all"
    value: dict[str, list[Row]] = kpi.cached(
        f"programmes:figures:{period.start}:{period.end}:{iso}", build, timeout=300
    )
    return value


def totals_by_programme(figures: dict[str, list[Row]]) -> dict[str, dict[str, float]]:
    """code → measure → the programme's total (regions added up)."""
    totals: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for measure, rows in figures.items():
        for row in rows:
            totals[row["programme"]][measure] += row["value"]
    return dict(totals)


def by_region(figures: dict[str, list[Row]], code: str) -> dict[str, dict[str, float]]:
    """ISO code of the region → measure → the programme's figure in that region."""
    result: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(MEASURES, 0))
    for measure, rows in figures.items():
        for row in rows:
            if row["programme"] == code:
                result[row["region"]][measure] += row["value"]
    return dict(result)


@dataclass(frozen=True)
class TargetProgress:
    """A target of the year's approved plan for a programme, with the actual figure."""

    measure: str
    region: Region | None
    target: float
    actual: float

    @property
    def share(self) -> float | None:
        return round(100 * self.actual / self.target, 1) if self.target else None


def approved_targets(*, programme: Programme, year: int) -> QuerySet[Any]:
    """The targets of the programme in the year's approved national plan (any kind of body).

    The plan lives in ``reports``, a layer above: its model is asked for by name, as the KPI
    registry asks for apps, so that this app does not import it."""
    target_model = apps.get_model("reports", "Target")
    return (
        target_model.objects.filter(
            plan__year=year,
            plan__status="approved",
            programme=programme,
            kind__isnull=True,
            indicator__in=list(TARGET_MEASURES),
        )
        .select_related("region")
        .order_by("region__kato", "indicator")
    )


def targets_progress(
    *, programme: Programme, year: int, figures: dict[str, list[Row]]
) -> list[TargetProgress]:
    """Target against actual for each of the programme's targets of the year (national ones
    against the programme's total, regional ones against the region's figure)."""
    totals = totals_by_programme(figures).get(programme.code, dict.fromkeys(MEASURES, 0))
    regions = by_region(figures, programme.code)
    result = []
    for target in approved_targets(programme=programme, year=year):
        measure = TARGET_MEASURES[target.indicator]
        if target.region_id is None:
            actual = totals[measure]
        else:
            actual = regions.get(target.region.iso, {}).get(measure, 0)
        result.append(
            TargetProgress(
                measure=measure, region=target.region, target=float(target.value), actual=actual
            )
        )
    return result


# --- Workspace ---------------------------------------------------------------------------------


def programmes_for_staff(user: Any) -> QuerySet[Programme]:
    """Every programme in use, with the bodies taking part today in the whole network
    (``bodies_total``) and in the user's scope (``bodies_mine``), in one query."""
    today = timezone.localdate()
    current = Q(memberships__joined_on__lte=today) & (
        Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gte=today)
    )
    mine = current & prefix_q("memberships__organisation__path", roots(user, ALL_ROLES))
    return (
        Programme.objects.filter(is_active=True)
        .select_related("owner")
        .annotate(
            bodies_total=Count("memberships", filter=current, distinct=True),
            bodies_mine=Count("memberships", filter=mine, distinct=True),
        )
        .order_by("position", "code")
    )


def staff_programme_or_404(code: str) -> Programme:
    programme = Programme.objects.select_related("owner").filter(code=code).first()
    if programme is None:
        raise Http404
    return programme


def memberships_in_scope(programme: Programme, user: Any) -> QuerySet[ProgrammeMembership]:
    """The programme's memberships (current and past) of the bodies in the user's scope,
    current ones first."""
    return (
        ProgrammeMembership.objects.filter(programme=programme)
        .filter(prefix_q("organisation__path", roots(user, ALL_ROLES)))
        .select_related("organisation", "organisation__region", "organisation__kind")
        .order_by("left_on", "organisation__region__kato", "organisation__name", "pk")
    )


def joinable_bodies(
    programme: Programme, user: Any, *, kind: str = "", region: Region | None = None
) -> QuerySet[Organisation]:
    """Active bodies the user may join to the programme (their staff's or managers' scope)
    that are not taking part in it now."""
    taking_part = ProgrammeMembership.objects.filter(
        programme=programme, left_on__isnull=True
    ).values("organisation_id")
    bodies = (
        Organisation.objects.filter(prefix_q("path", roots(user, STAFF_ROLES)))
        .filter(status=Organisation.Status.ACTIVE)
        .exclude(pk__in=taking_part)
        .select_related("kind", "region")
    )
    if kind:
        bodies = bodies.filter(kind__code=kind)
    if region is not None:
        bodies = bodies.filter(region=region)
    return bodies.order_by("path")
