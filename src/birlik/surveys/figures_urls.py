"""The public method page of the index of interethnic trust, mounted at
/<lang>/figures/trust-index/, and one page per published wave.

Everything on these pages is generated, not typed: the items and the formula from
``trust_index``, each wave's fieldwork, modes, sample, design effect, trimming cap, margins'
sources and Cronbach's α from its stored weighting run, the values and their intervals from the
run's stored estimates (``queries.trust_series``, ``Estimate`` rows). Only published waves are
read; a cell with too few respondents shows no number anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from birlik.access import policies
from birlik.geo.models import Region

from . import queries, trust_index
from .figures_charts import Point, index_map, trend_chart
from .figures_charts import figure as shown_number
from .models import MarginTarget, Mode, Survey
from .results_tables import (
    DIMENSIONS,
    CategoryNames,
    IndexRow,
    RunFacts,
    dimension_name,
    index_estimates,
    index_rows,
    run_facts,
    thresholds,
)

app_name = "surveys_figures"
Z95 = 1.959963984540054  # the 95 % interval of a change, as ``queries.trend_change`` tests it


@dataclass
class Wave:
    """A published wave as the pages show it."""

    survey: Survey
    run: Any
    facts: RunFacts
    national: Mapping[str, Any] | None  # queries.trust_series's cell over all respondents
    whole_country: bool
    modes: list[str]
    margins: list[dict[str, Any]]
    rules: dict[str, Any]
    change: dict[str, Any] | None = None
    label: str = ""
    value: float | None = None  # the index over all respondents, rounded; None if suppressed
    low: float | None = None
    high: float | None = None
    tables: list[dict[str, Any]] = field(default_factory=list)


def _language() -> str:
    language = (get_language() or "kk")[:2]
    return language if language in ("kk", "ru", "en") else "kk"


def _items() -> list[dict[str, str]]:
    """The five items with their end labels, in the page's language."""
    language = _language()
    return [
        {
            "code": item.code,
            "text": item.text.get(language, item.text["kk"]),
            "label_min": item.label_min.get(language, item.label_min["kk"]),
            "label_max": item.label_max.get(language, item.label_max["kk"]),
        }
        for item in trust_index.ITEMS
    ]


def _formula() -> dict[str, Any]:
    return {
        "items": len(trust_index.ITEMS),
        "min_answered": trust_index.MIN_ANSWERED,
        "scale_min": trust_index.SCALE_MIN,
        "scale_max": trust_index.SCALE_MAX,
        "trusting_from": trust_index.TRUSTING_FROM,
        "missing": ", ".join(trust_index.MISSING),
        "version": trust_index.VERSION,
        "alpha_acceptable": trust_index.ALPHA_ACCEPTABLE,
    }


def _country_wide(surveys: Iterable[Survey]) -> set[int]:
    """The waves that cover the whole country: no region chosen, or every region."""
    surveys = list(surveys)
    every = Region.objects.count()
    through: Any = Survey.regions.through
    covered = dict(
        through.objects.filter(survey_id__in=[s.pk for s in surveys])
        .values("survey_id")
        .annotate(count=Count("region_id"))
        .values_list("survey_id", "count")
    )
    return {s.pk for s in surveys if covered.get(s.pk, 0) in (0, every)}


def _margins(run: Any) -> list[dict[str, Any]]:
    """The margins a run was weighted to: each dimension with its sources and dates."""
    snapshot = run.margins if isinstance(run.margins, dict) else {}
    targets = snapshot.get("targets")
    if not isinstance(targets, dict):
        targets = {}
    names = dict(MarginTarget.Dimension.choices)
    found = []
    for dimension, categories in targets.items():
        pairs: set[tuple[str, str]] = set()
        if isinstance(categories, dict):
            for target in categories.values():
                if isinstance(target, dict):
                    pairs.add((str(target.get("source") or ""), str(target.get("as_of") or "")))
        found.append(
            {
                "name": names.get(dimension, dimension),
                "sources": sorted(pairs),
                "count": len(categories) if isinstance(categories, dict) else 0,
            }
        )
    return found


def _rounded(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


def _label(survey: Survey, waves_in_year: int) -> str:
    if waves_in_year > 1:
        return _("%(year)s, wave %(wave)s") % {"year": survey.year, "wave": survey.wave}
    return str(survey.year)


def _waves(series: list[dict[str, Any]]) -> list[Wave]:
    """The published waves, oldest first, each with its change from the wave before it of the
    same reach (country-wide or not)."""
    surveys = [entry["survey"] for entry in series]
    national = _country_wide(surveys)
    per_year: dict[int, int] = {}
    for survey in surveys:
        per_year[survey.year] = per_year.get(survey.year, 0) + 1
    modes = dict(Mode.choices)
    waves = []
    for entry in series:
        survey, run = entry["survey"], entry["run"]
        overall = entry["national"] or {}
        shown = not overall.get("suppressed") and overall.get("value") is not None
        waves.append(
            Wave(
                survey=survey,
                run=run,
                facts=run_facts(run),
                national=entry["national"],
                whole_country=survey.pk in national,
                modes=[str(modes.get(code, code)) for code in survey.modes or []],
                margins=_margins(run),
                rules=thresholds(survey),
                label=_label(survey, per_year[survey.year]),
                value=_rounded(overall.get("value")) if shown else None,
                low=_rounded(overall.get("low")) if shown else None,
                high=_rounded(overall.get("high")) if shown else None,
            )
        )
    previous: Wave | None = None
    for wave in (w for w in waves if w.whole_country):
        if previous is not None:
            diff, se, significant = queries.trend_change(previous.national, wave.national)
            if diff is not None and se is not None:
                wave.change = {
                    "since": previous.label,
                    "value": round(diff, 1),
                    "low": round(diff - Z95 * se, 1),
                    "high": round(diff + Z95 * se, 1),
                    "significant": significant,
                }
        previous = wave
    return waves


def _tables(wave: Wave, names: CategoryNames) -> tuple[list[dict[str, Any]], IndexRow | None]:
    """Every breakdown of a wave's index, and its row over all respondents."""
    found = index_estimates([wave.run]).get(wave.run.pk, [])
    tables = [
        {"dimension": dim, "name": dimension_name(dim), "rows": rows}
        for dim in DIMENSIONS[1:]
        if (rows := index_rows(found, dim, names))
    ]
    overall = index_rows(found, "all", names)
    wave.tables = tables
    return tables, (overall[0] if overall else None)


def _map(wave: Wave, tables: list[dict[str, Any]], names: CategoryNames) -> Any:
    rows: list[IndexRow] = next((t["rows"] for t in tables if t["dimension"] == "region"), [])
    if not rows:
        return None
    values = {row.index.category: row.index.value for row in rows if row.index.value is not None}
    hidden = {row.index.category for row in rows if row.index.suppressed}
    return index_map(
        values,
        suppressed=hidden,
        labels=names.names("region"),
        title=_("Index of interethnic trust by region, %(wave)s") % {"wave": wave.label},
        description=_(
            "The index of each region on a scale from 0 to 100, darker for higher values. "
            "Regions with too few respondents are hatched and have no value; regions without "
            "respondents are blank. The table below gives every value."
        ),
    )


def _chart(waves: list[Wave]) -> Any:
    points = [Point(wave.label, wave.value, wave.low, wave.high) for wave in waves]
    said = "; ".join(
        _("%(wave)s: %(value)s (interval at 95 %%: %(low)s–%(high)s)")
        % {
            "wave": point.label,
            "value": shown_number(point.value),
            "low": shown_number(point.low),
            "high": shown_number(point.high),
        }
        for point in points
    )
    return trend_chart(
        points,
        title=_("Index of interethnic trust, whole country, by wave"),
        description=said,
    )


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "registry.view_figures")  # the public figures: everyone
    waves = _waves(queries.trust_series(public_only=True))
    context: dict[str, Any] = {"items": _items(), "formula": _formula(), "waves": waves}
    national = [wave for wave in waves if wave.whole_country]
    if national:
        latest = national[-1]
        names = CategoryNames([latest.survey.version_id])
        tables, overall = _tables(latest, names)
        context.update(
            {
                "national": national,
                "latest": latest,
                "latest_overall": overall,
                "tables": tables,
                "map": _map(latest, tables, names),
                "chart": _chart(national),
            }
        )
    context["other_waves"] = [wave for wave in waves if not wave.whole_country]
    return render(request, "surveys/figures/index.html", context)


@require_GET
def wave(request: HttpRequest, slug: str) -> HttpResponse:
    policies.require(request.user, "registry.view_figures")
    found = [
        entry for entry in queries.trust_series(public_only=True) if entry["survey"].slug == slug
    ]
    if not found:
        raise Http404
    (shown,) = _waves(found)
    names = CategoryNames([shown.survey.version_id])
    tables, overall = _tables(shown, names)
    return render(
        request,
        "surveys/figures/wave.html",
        {
            "items": _items(),
            "formula": _formula(),
            "wave": shown,
            "overall": overall,
            "tables": tables,
            "map": _map(shown, tables, names),
        },
    )


urlpatterns = [
    path("", index, name="index"),
    path("<slug:slug>/", wave, name="wave"),
]
