"""Reads of the report documents: the figures of a year (the dashboard's own function), the
years that have data, and each figure as a flat line (indicator, breakdown, value)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from birlik.core import kpi
from birlik.events.models import FOUNDING_YEAR
from birlik.geo.models import Region
from birlik.reports.models import Plan

from .models import OpenDataRelease, ReportRun

FIRST_YEAR = FOUNDING_YEAR  # yearly totals imported from earlier records go back so far


def year_figures(year: int, region: Region | None = None) -> dict[str, Any]:
    """Every figure of a calendar year, national or one region, labelled in the active
    language: ``birlik.reports.queries.dashboard_figures`` itself, so the report shows the
    dashboard's numbers (``indicators``: every indicator; ``cubes``: what its charts draw)."""
    from birlik.reports.queries import dashboard_figures

    figures: dict[str, Any] = dashboard_figures(
        period=kpi.Period.year(year), region=region, every=True
    )
    return figures


def approved_plan(year: int) -> Plan | None:
    """The year's plan once it is approved (a draft is not yet a plan to report against)."""
    return Plan.objects.filter(year=year, status=Plan.Status.APPROVED).first()


def year_has_data(year: int, region: Region | None = None) -> bool:
    """Something happened in the year: an event held, an appeal received or a yearly total
    imported from earlier records (in the region)."""
    from birlik.appeals.kpis import received
    from birlik.events.kpis import held_events
    from birlik.events.queries import historical_rows

    period = kpi.Period.year(year)
    return (
        held_events(period, region).exists()
        or received(period, region).exists()
        or bool(historical_rows(period, region))
    )


def last_year() -> int:
    return timezone.localdate().year


@dataclass(frozen=True)
class FigureLine:
    """One number of the report: an indicator's total (``codes == ()``) or one breakdown."""

    key: str
    name: str
    unit: str
    breakdown: str  # the dimension labels joined, "" for the total
    codes: tuple[str, ...]
    value: float | int | None  # None: not computable (a share of nothing)
    is_total: bool
    missing: str = ""  # (figures) of a total: what the records lack for it to be whole


def figure_lines(figure: dict[str, Any], *, total_label: str) -> Iterator[FigureLine]:
    """The total of an indicator, then a line per row of its breakdown (if it has dimensions)."""
    yield FigureLine(
        key=figure["key"],
        name=figure["name"],
        unit=figure["unit"],
        breakdown=total_label,
        codes=(),
        value=plain_number(figure["total"]),
        is_total=True,
        missing=figure.get("missing", ""),
    )
    dimensions = list(figure["dimensions"])
    if not dimensions:
        return
    for row in figure["rows"]:
        yield FigureLine(
            key=figure["key"],
            name=figure["name"],
            unit=figure["unit"],
            breakdown=" · ".join(str(row.get(f"{dim}_name", row.get(dim))) for dim in dimensions),
            codes=tuple(str(row.get(dim)) for dim in dimensions),
            value=plain_number(row["value"]),
            is_total=False,
        )


def plain_number(value: Any) -> float | int | None:
    """A figure's value as a spreadsheet number: whole numbers as ints, None as None."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return int(value) if isinstance(value, float) and value.is_integer() else value
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else number


def report_runs(*, user: Any) -> QuerySet[ReportRun]:
    """The runs the user may see, newest first, with what the list shows."""
    from birlik.access.policies import scoped

    return scoped(ReportRun.objects.select_related("region", "requested_by"), user)


def report_progress(*, user: Any, ids: list[int]) -> QuerySet[ReportRun]:
    """Status and progress of the given runs the user may see (one light query)."""
    from birlik.access.policies import scoped

    return scoped(ReportRun.objects.filter(pk__in=ids), user).only("pk", "status", "progress")


def current_release() -> OpenDataRelease | None:
    return OpenDataRelease.objects.order_by("-generated_at", "-pk").first()


def report_years() -> list[int]:
    """Years offered in the request form: this one and the nine before it."""
    this_year = last_year()
    return list(range(this_year, max(FIRST_YEAR, this_year - 9) - 1, -1))


def as_of(year: int) -> datetime.date:
    return kpi.Period.year(year).as_of
