"""The public media-coverage page, mounted at /<lang>/media/: how many items of the media early
warning collected, by region, language and month, and the journalists' club's output by kind.

Counts only. No risk score, topic, story, alert, title or outlet of a single item is read here:
the figures come from ``queries.coverage_public`` and ``queries.club_counts``, which give
nothing else.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from birlik.access import policies
from birlik.core import kpi
from birlik.geo.labels import region_names
from birlik.reports import charts
from birlik.reports.queries import month_label, month_short_label

from . import queries
from .club_forms import CoverageForm
from .models import ClubPublication, Language


def _club_counts(year: int) -> dict[str, int]:
    value: dict[str, int] = kpi.cached(
        f"monitoring:club-counts:{year}", lambda: queries.club_counts(year=year)
    )
    return value


def _figures(year: int) -> dict[str, Any]:
    coverage = queries.coverage_public(year=year)
    regions = region_names()
    languages = dict(Language.choices)
    by_region = [(iso, name, coverage["by_region"].get(iso, 0)) for iso, name in regions.items()]
    by_language = [
        (str(languages.get(code, code)), value)
        for code, value in sorted(coverage["by_language"].items(), key=lambda pair: -pair[1])
    ]
    by_month = [(month_label(code), value) for code, value in coverage["by_month"].items()]
    club = _club_counts(year)
    club_rows = [(str(label), club[code]) for code, label in ClubPublication.Kind.choices]
    unit = pgettext("media", "items")
    return {
        "total": coverage["total"],
        "by_region": by_region,
        "by_language": by_language,
        "by_month": by_month,
        "club": club_rows,
        "club_total": sum(club.values()),
        "map": charts.region_map(
            {iso: value for iso, _name, value in by_region},
            title=_("Media items collected in %(year)s: map of the regions") % {"year": year},
            labels=regions,
            unit=unit,
        ),
        "language_chart": charts.bar_chart(
            by_language,
            title=_("Media items collected in %(year)s by language") % {"year": year},
            unit=unit,
        ),
        "month_chart": charts.column_chart(
            [
                (month_short_label(code, with_year=False), value)
                for code, value in coverage["by_month"].items()
            ],
            title=_("Media items collected in %(year)s by month") % {"year": year},
            unit=unit,
        ),
        "club_chart": charts.bar_chart(
            club_rows,
            title=_("Output of the journalists' club in %(year)s") % {"year": year},
            unit=_("publications"),
        ),
    }


@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "registry.view_figures")  # the public figures: everyone
    form = CoverageForm(request.GET or None)
    year = form.chosen_year()
    return render(
        request,
        "monitoring/portal_coverage.html",
        {"form": form, "year": year, "invalid": bool(form.errors), **_figures(year)},
    )
