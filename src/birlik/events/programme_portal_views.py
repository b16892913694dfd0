"""The public programme pages (slice ``programmes``), mounted at /<lang>/programmes/: the
programmes with their figures of the year, and a programme's page with its description, goal,
partners, the bodies taking part by region, its figures by region, the plan's targets against
the actual figures and its next events. Every number is read through
``programme_queries.programme_figures`` (the KPI registry); a page costs the same queries
whatever the number of bodies and events."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from birlik.core.kpi import Period
from birlik.geo.labels import region_labels

from . import programme_queries as queries
from .programme_forms import YearForm

RECENT_YEARS = 5


def _year(request: HttpRequest) -> tuple[YearForm, int]:
    form = YearForm(request.GET or None)
    return form, form.chosen_year()


def _years(first: int | None = None) -> list[int]:
    this = timezone.localdate().year
    start = this - RECENT_YEARS + 1
    if first is not None:
        start = max(min(start, first), this - 30)
    return list(range(this, start - 1, -1))


def programme_list(request: HttpRequest) -> HttpResponse:
    form, year = _year(request)
    figures = queries.programme_figures(period=Period.year(year))
    totals = queries.totals_by_programme(figures)
    empty = dict.fromkeys(queries.MEASURES, 0)
    programmes = [
        (programme, totals.get(programme.code, empty)) for programme in queries.public_programmes()
    ]
    return render(
        request,
        "events/programmes/portal_list.html",
        {
            "programmes": programmes,
            "year": year,
            "years": _years(),
            "form": form,
            "invalid": form.is_bound and not form.is_valid(),
            "this_year": timezone.localdate().year,
        },
    )


def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    programme = queries.public_programme_or_404(code)
    form, year = _year(request)
    period = Period.year(year)
    figures = queries.programme_figures(period=period)
    labels = region_labels()
    per_region = queries.by_region(figures, programme.code)
    regions: list[tuple[str, dict[str, Any]]] = [
        (labels.get(iso, iso), values)
        for iso, values in sorted(
            per_region.items(),
            key=lambda pair: (pair[0] == "none", labels.get(pair[0], "\uffff")),
        )
    ]
    return render(
        request,
        "events/programmes/portal_detail.html",
        {
            "programme": programme,
            "year": year,
            "years": _years(programme.first_year),
            "form": form,
            "invalid": form.is_bound and not form.is_valid(),
            "totals": queries.totals_by_programme(figures).get(
                programme.code, dict.fromkeys(queries.MEASURES, 0)
            ),
            "regions": regions,
            "bodies": queries.bodies_by_region(programme, on=period.as_of),
            "partners": queries.programme_partners(programme),
            "targets": queries.targets_progress(programme=programme, year=year, figures=figures),
            "upcoming": queries.upcoming_programme_events(programme),
            "this_year": timezone.localdate().year,
        },
    )
