"""The demo's yearly totals imported from the years before the platform: the events and
participants of «Мың бала» in the nine years before the demo's first full year.

They are the rows the spreadsheet import of yearly totals writes
(``events.services.historical_figures_import``, as ``imports.events.apply_history`` calls it):
one per year and body, with the source file's name and the national administrator who imported
it, and an audit row each. With the events the demo records for its first full year, the
movement's ten years come to about 130,000 events at scale 1.0 (the Assembly's interview of
2025), growing year by year and shared among the bodies that run the programme, each from the
year it joined (and not before it was founded). Deterministic from ``seed``; added once.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone

DECADE_EVENTS = 130_000  # «Мың бала» over ten years at scale 1.0
YEARS = 9  # imported: the nine years before the demo's first full year
GROWTH = 1.08  # each year's events against the year before
FIRST_YEAR_SHARE = 0.55  # of the programme's bodies, those already running it in the first year
PARTICIPANTS_PER_EVENT = (18, 40)
SOURCE = "«Мың бала» — жылдық қорытындылар {first}–{last}.xlsx"


def shares(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in whole numbers in proportion to ``weights`` (largest remainders)."""
    if not weights or total <= 0:
        return [0] * len(weights)
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    parts = [int(value) for value in exact]
    order = sorted(range(len(exact)), key=lambda index: parts[index] - exact[index])
    for index in order[: total - sum(parts)]:
        parts[index] += 1
    return parts


def demo_history_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo's imported yearly totals once; returns {what: count}, or {} when there."""
    from birlik.access.models import Grant, Role
    from birlik.core.kpi import Period
    from birlik.events.kpis import MYN_BALA, held_events
    from birlik.events.models import Event, HistoricalFigure, Programme
    from birlik.events.services import HistoricalRow, historical_figures_import
    from birlik.registry.models import Organisation

    programme = Programme.objects.filter(code=MYN_BALA).first()
    first_full_year = timezone.localdate().year - 1
    years = list(range(first_full_year - YEARS, first_full_year))
    if programme is None or HistoricalFigure.objects.filter(programme=programme).exists():
        return {}
    grant = (
        Grant.objects.filter(role=Role.NATIONAL_ADMIN, revoked_at__isnull=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    # The bodies running the programme: those taking part in it and those that organised its
    # events (bodies of the whole country report their figures by region: left out).
    organisers = Event.objects.filter(programme=programme).values("organiser_id")
    bodies = list(
        Organisation.objects.filter(
            Q(programme_memberships__programme=programme) | Q(pk__in=organisers),
            region__isnull=False,
        )
        .distinct()
        .order_by("pk")
    )
    if grant is None or not bodies:
        return {}
    recorded = held_events(Period.year(first_full_year)).filter(programme=programme).count()
    total = round(DECADE_EVENTS * scale) - recorded
    if total <= 0:
        return {}
    rng = random.Random(seed * 61 + 19)
    # The year each body started running the programme: most from the first year, the others
    # joined later (and none before it was founded).
    started = {
        body.pk: max(
            years[0] if rng.random() < FIRST_YEAR_SHARE else rng.choice(years[1:]),
            body.founded_on.year if body.founded_on else years[0],
        )
        for body in bodies
    }
    rows: list[HistoricalRow] = []
    per_year = shares(total, [GROWTH**index for index in range(len(years))])
    for year, events in zip(years, per_year, strict=True):
        running = [body for body in bodies if started[body.pk] <= year] or bodies[:1]
        counts = shares(events, [rng.uniform(0.5, 1.5) for _body in running])
        for body, count in zip(running, counts, strict=True):
            if count:
                rows.append(
                    HistoricalRow(
                        line=len(rows) + 2,  # as in a file: the header is line 1
                        organisation=body,
                        year=year,
                        programme=programme,
                        events=count,
                        participants=count * rng.randint(*PARTICIPANTS_PER_EVENT),
                    )
                )
    summary = historical_figures_import(
        actor=grant.user, rows=rows, source=SOURCE.format(first=years[0], last=years[-1])
    )
    # The records now show the programme running since the first imported year.
    if programme.first_year is None or programme.first_year > years[0]:
        Programme.objects.filter(pk=programme.pk).update(first_year=years[0])
    return {"imported yearly totals": summary.created}
