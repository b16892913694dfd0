"""Reads shared by the dashboards, the plans and the annual report: every figure comes from the
KPI registry (``birlik.core.kpi``), so a page, a report and the API show the same numbers.

Raw indicator rows are cached per (indicator, period, region) until the next write that changes
a figure (``kpi.invalidate`` on commit); labels are added afterwards in the reader's language.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from babel.dates import format_date
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language, pgettext_lazy

from birlik.core import kpi
from birlik.core.templatetags.birlik_format import LOCALES
from birlik.events.queries import imported_totals
from birlik.geo import labels as geo_labels
from birlik.geo.models import District, Region
from birlik.registry.models import OrganisationKind

CACHE_SECONDS = 24 * 3600

# Indicators of these apps describe confidential work: the public sees their totals and their
# region rows only.
CONFIDENTIAL_APPS = frozenset({"mediation", "charity"})
PUBLIC_DIMENSIONS = frozenset({"region", "kind", "month"})

# The figures shown first on a dashboard, in this order, when they are registered.
HEADLINE = (
    "registry.bodies",
    "registry.members",
    "events.events",
    "events.participants",
    "appeals.received_by_body",
    "appeals.answered_on_time_share",
    "appeals.proposals_sent",
)

# Charts of a dashboard: (indicator with month × region × kind rows, what the chart counts).
CUBES = (
    "events.events_cube",
    "events.participants_cube",
    "appeals.received_cube",
    "appeals.answered_on_time_cube",
)


def _period_key(period: kpi.Period) -> str:
    return f"{period.start.isoformat()}:{period.end.isoformat()}"


def max_stale_seconds() -> float:
    """How long figures may lag behind the records: ``BIRLIK_FIGURES_MAX_STALE`` (seconds)."""
    return float(getattr(settings, "BIRLIK_FIGURES_MAX_STALE", 30))


def _fresh(name: str, build: Any) -> Any:
    """A computed value kept in the cache under ``name``: fresh until the next write that
    changes a figure (``kpi.invalidate``); after it, still served while it is younger than
    ``max_stale_seconds()``."""
    current = kpi.version()
    entry = cache.get(name)
    now = time.time()
    if entry is not None:
        version, computed_at, data = entry
        if version == current or now - computed_at < max_stale_seconds():
            return data
    data = build()
    cache.set(name, (current, now, data), CACHE_SECONDS)
    return data


def rows(key: str, period: kpi.Period, region: Region | None = None) -> list[kpi.Row]:
    """The raw rows of one indicator (codes, no labels), cached.

    Fresh until the next write that changes a figure (``kpi.invalidate``); after it, the cached
    rows are still served while they are younger than ``max_stale_seconds()``, so that a busy
    network (check-ins every second) does not make every dashboard compute from cold. With
    ``BIRLIK_FIGURES_MAX_STALE = 0`` every figure is as fresh as the last commit.
    """
    iso = region.iso if region is not None else "all"
    name = f"birlik:reports:rows:{key}:{_period_key(period)}:{iso}"
    return list(_fresh(name, lambda: kpi.compute(key, period, region)))


def missing(item: kpi.Indicator, period: kpi.Period, region: Region | None = None) -> str:
    """What the records lack for the indicator's figure of the period and region, in the
    active language ("" when nothing): a fixed text as it is, one the records tell cached as
    the rows are."""
    if item.missing_is_static:
        return item.missing_for(period, region)
    iso = region.iso if region is not None else "all"
    language = get_language() or settings.LANGUAGE_CODE
    name = f"birlik:reports:missing:{item.key}:{_period_key(period)}:{iso}:{language}"
    return str(_fresh(name, lambda: item.missing_for(period, region)))


def indicator_map() -> dict[str, kpi.Indicator]:
    return {item.key: item for item in kpi.indicators()}


def app_of(key: str) -> str:
    return key.split(".", 1)[0]


def filter_kind(
    item: kpi.Indicator, data: Iterable[kpi.Row], kind: str | None
) -> list[kpi.Row] | None:
    """Rows of one kind of body; ``None`` when the indicator is not broken down by kind."""
    data = list(data)
    if not kind:
        return data
    if "kind" not in item.dimensions:
        return None
    return [row for row in data if row.get("kind") == kind]


def total(item: kpi.Indicator, data: list[kpi.Row] | None) -> float | None:
    if data is None:
        return None
    return kpi.total_of(item, data)


def regroup(data: Iterable[kpi.Row], dimension: str) -> dict[str, float]:
    """Sum rows by one dimension's code (in database order of first appearance)."""
    out: dict[str, float] = defaultdict(float)
    for row in data:
        out[str(row.get(dimension, "none"))] += row["value"]
    return dict(out)


def month_label(code: str) -> str:
    """'2025-03' → the month's name and year in the active language."""
    try:
        day = datetime.date(int(code[:4]), int(code[5:7]), 1)
    except ValueError:
        return code
    locale = LOCALES.get((get_language() or "kk").split("-")[0], "kk_KZ")
    return str(format_date(day, "LLL yyyy", locale=locale))


def month_short_label(code: str, *, with_year: bool) -> str:
    """'2025-03' → a short name for a chart axis: the month ("нау."), or "03.25" over years."""
    if with_year:
        return f"{code[5:7]}.{code[2:4]}"
    try:
        day = datetime.date(int(code[:4]), int(code[5:7]), 1)
    except ValueError:
        return code
    locale = LOCALES.get((get_language() or "kk").split("-")[0], "kk_KZ")
    return str(format_date(day, "LLL", locale=locale))


def months_of(period: kpi.Period) -> list[str]:
    codes = []
    day = period.start.replace(day=1)
    while day <= period.end:
        codes.append(day.strftime("%Y-%m"))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return codes


def region_names() -> dict[str, str]:
    return geo_labels.region_names()


def kind_names() -> dict[str, str]:
    return {k.code: k.name_plural for k in OrganisationKind.objects.order_by("position", "code")}


def district_names(region: Region | None = None) -> dict[str, str]:
    qs = District.objects.all() if region is None else District.objects.filter(region=region)
    return {district.kato: district.name for district in qs}


# The unit of amounts in tenge (charity's indicators): their totals are written «1 250 000 ₸».
MONEY_UNIT = pgettext_lazy("unit", "KZT")


# Headline figures that are the total of a cube (same rows, one query fewer).
FROM_CUBE = {
    "events.events": "events.events_cube",
    "events.participants": "events.participants_cube",
    "appeals.received_by_body": "appeals.received_cube",
}


class _Labels:
    """Names of dimension codes in the active language, each dimension read once."""

    def __init__(self) -> None:
        self.maps: dict[str, dict[str, str]] = {}

    def label(self, data: list[kpi.Row], dimensions: tuple[str, ...]) -> list[kpi.Row]:
        kpi.autodiscover()
        for dim in dimensions:
            if dim not in self.maps and dim in kpi.REGISTRY.labels:
                self.maps[dim] = kpi.REGISTRY.labels[dim]()
        labelled = []
        for row in data:
            item = dict(row)
            for dim in dimensions:
                names = self.maps.get(dim)
                if names is not None:
                    item[f"{dim}_name"] = names.get(str(row.get(dim)), str(row.get(dim)))
                elif dim == "month":
                    item["month_name"] = month_label(str(row.get(dim)))
            labelled.append(item)
        return labelled


def _figure(
    item: kpi.Indicator,
    raw: list[kpi.Row] | None,
    labels: _Labels,
    *,
    public: bool,
    with_rows: bool = True,
    missing: str = "",
) -> dict[str, Any]:
    dimensions = list(item.dimensions)
    shown = raw or []
    if public and app_of(item.key) in CONFIDENTIAL_APPS:
        # The public sees confidential work as totals and whole regions only.
        if "region" in item.dimensions:
            shown = [
                {"region": code, "value": value} for code, value in regroup(shown, "region").items()
            ]
            dimensions = ["region"]
        else:
            shown, dimensions = [], []
    return {
        "key": item.key,
        "name": str(item.name),
        "unit": str(item.unit),
        "is_money": str(item.unit) == str(MONEY_UNIT),
        "description": str(item.description),
        "dimensions": dimensions,
        "total": total(item, raw),
        "rows": labels.label(shown, tuple(dimensions)) if with_rows else [],
        "missing": missing,
    }


def dashboard_figures(
    *,
    period: kpi.Period,
    region: Region | None = None,
    kind: str | None = None,
    public: bool = False,
    every: bool = False,
) -> dict[str, Any]:
    """The figures a dashboard (and the annual report) shows for a period, region and kind.

    Returns a dict (names in the active language; values are numbers)::

        {
          "period": Period, "region": Region | None, "kind": str | None,
          "headline": [figure, ...],      # the main figures, in HEADLINE order, then the
                                          # single-number indicators of other apps
          "indicators": [figure, ...],    # with every=True: every registered indicator
                                          # (cubes aside), in registry order; else []
          "imported": ImportedTotals | None,  # yearly totals imported from earlier records
                                          # that the figures include (``.note`` says so)
          "cubes": {                      # the charts, per cube indicator key
              "<key>": {
                  "name": str, "unit": str, "total": float,
                  "by_region": [(iso, name, value), ...],   # the 20 regions (or the one asked)
                  "by_month": [(code, label, value), ...],  # every month of the period
                  "by_kind": [(code, name, value), ...],    # kinds with a value
              }, ...
          },
        }

    A ``figure`` is ``{"key", "name", "unit", "is_money", "description", "dimensions", "total",
    "rows", "missing"}`` (``is_money``: the unit is tenge; ``missing``: what the records lack
    for the figure to be whole, "" when nothing):
    ``total`` is ``None`` when the indicator is not counted by kind of body and a kind is asked
    (or a percentage has nothing to divide); ``rows`` are the rows with ``<dim>_name`` beside
    each code (headline figures have no rows). With ``public=True``, indicators of
    confidential apps (mediation, charity) keep only their total and their region rows.
    Every number equals ``kpi.compute(key, period, region)`` summed (for ``kind``: over the
    rows of that kind).
    """
    regions = region_names()
    kinds = kind_names()
    known = indicator_map()
    labels = _Labels()
    cubes: dict[str, dict[str, Any]] = {}
    cube_rows: dict[str, list[kpi.Row]] = {}
    for key in CUBES:
        if key not in known:
            continue
        item = known[key]
        data = filter_kind(item, rows(key, period, region), kind) or []
        cube_rows[key] = data
        per_region = regroup(data, "region")
        per_month = regroup(data, "month")
        per_kind = regroup(data, "kind")
        cubes[key] = {
            "name": str(item.name),
            "unit": str(item.unit),
            "total": sum(row["value"] for row in data),
            "by_region": [
                (iso, name, per_region.get(iso, 0))
                for iso, name in regions.items()
                if region is None or iso == region.iso
            ],
            "by_month": [
                (code, month_label(code), per_month.get(code, 0)) for code in months_of(period)
            ],
            "by_kind": [
                (code, name, per_kind[code]) for code, name in kinds.items() if code in per_kind
            ],
        }

    def headline_figure(key: str) -> dict[str, Any]:
        item = known[key]
        source = FROM_CUBE.get(key)
        if source in cube_rows and set(item.dimensions) <= {"kind"}:
            # The same rows as the indicator, grouped by kind: its total is the cube's.
            raw: list[kpi.Row] | None = [
                {"kind": code, "value": value}
                for code, value in regroup(cube_rows[source], "kind").items()
            ]
        else:
            raw = filter_kind(item, rows(key, period, region), kind)
        return _figure(
            item,
            raw,
            labels,
            public=public,
            with_rows=False,
            missing=missing(item, period, region),
        )

    if public:
        known = {key: item for key, item in known.items() if item.public}
    headline_keys = [key for key in HEADLINE if key in known]
    # Indicators of apps written after this list (mediation, charity…) join the headline when
    # they give a single number or one per kind of body.
    headline_keys += [
        item.key
        for item in known.values()
        if app_of(item.key) not in {"registry", "events", "appeals"}
        and set(item.dimensions) <= {"kind"}
    ]
    headline = [headline_figure(key) for key in headline_keys]
    indicators = []
    if every:
        indicators = [
            _figure(
                item,
                filter_kind(item, rows(item.key, period, region), kind),
                labels,
                public=public,
                missing=missing(item, period, region),
            )
            for item in kpi.indicators()
            if item.key not in CUBES and (item.public or not public)
        ]
    return {
        "period": period,
        "region": region,
        "kind": kind,
        "headline": headline,
        "indicators": indicators,
        "cubes": cubes,
        "imported": imported_totals(period=period, region=region, kind=kind),
    }


def indicator_total(
    key: str, *, period: kpi.Period, region: Region | None = None, kind: str | None = None
) -> float | None:
    """One indicator's total for a period, region and kind (``None``: not cut by kind).

    Totals of indicators that a cube repeats month by month (``FROM_CUBE``) are read from the
    cube: the same rows, from the rollup."""
    known = indicator_map()
    item = known[key]
    source = FROM_CUBE.get(key)
    if source in known and set(item.dimensions) <= {"kind"}:
        return sum(
            row["value"]
            for row in filter_kind(known[source], rows(source, period, region), kind) or []
        )
    return total(item, filter_kind(item, rows(key, period, region), kind))


# --- Plans: progress against targets ------------------------------------------------------------

# Where the region (and kind) breakdown of an indicator is read in one query, when the indicator
# itself has no region dimension. Indicators named ``<key>_cube`` or ``<key>_by_region`` are
# found by that convention too.
REGION_SOURCES = {
    "events.events": "events.events_cube",
    "events.participants": "events.participants_cube",
    "appeals.received": "appeals.received_cube",
    "appeals.received_by_body": "appeals.received_cube",
    "appeals.answered_on_time": "appeals.answered_on_time_cube",
}


def _region_source(key: str, kind: str | None) -> str | None:
    known = indicator_map()
    candidates = [key, REGION_SOURCES.get(key, ""), f"{key}_cube", f"{key}_by_region"]
    for candidate in candidates:
        item = known.get(candidate)
        if item is None or "region" not in item.dimensions:
            continue
        if kind and "kind" not in item.dimensions:
            continue
        return candidate
    return None


def actual_by_region(
    key: str, *, period: kpi.Period, kind: str | None = None
) -> dict[str, float | None]:
    """An indicator's value in every region (by ISO code), cut by kind of body if asked."""
    known = indicator_map()
    source = _region_source(key, kind)
    if source is not None:
        data = filter_kind(known[source], rows(source, period), kind) or []
        grouped = regroup(data, "region")
        return {region.iso: grouped.get(region.iso, 0) for region in Region.objects.all()}
    # No breakdown by region: ask the indicator region by region (each answer is cached).
    return {
        region.iso: indicator_total(key, period=period, region=region, kind=kind)
        for region in Region.objects.all()
    }


def actual_by_district(key: str, *, period: kpi.Period, region: Region) -> dict[str, float]:
    """An indicator's value in each district of a region, from its ``<key>_by_district`` twin;
    empty when there is none. Bodies of the whole region are under the code "none"."""
    twin = f"{key}_by_district"
    if twin not in indicator_map():
        return {}
    return regroup(rows(twin, period, region), "district")


def _gap(actual: float | None, target: float | None) -> dict[str, Any]:
    if actual is None or target is None:
        return {"actual": actual, "target": target, "gap": None, "gap_pct": None, "share": None}
    gap = actual - target
    return {
        "actual": actual,
        "target": target,
        "gap": gap,
        "gap_pct": round(100 * gap / target, 1) if target else None,
        "share": round(100 * actual / target, 1) if target else None,
    }


# (programmes): targets of one programme read the indicator's rows of that programme.


def _programme_rows(
    key: str,
    *,
    period: kpi.Period,
    programme: str,
    region: Region | None = None,
    kind: str | None = None,
) -> list[kpi.Row]:
    item = indicator_map()[key]
    data = filter_kind(item, rows(key, period, region), kind) or []
    return [row for row in data if row.get("programme") == programme]


def programme_actual(
    key: str,
    *,
    period: kpi.Period,
    programme: str,
    region: Region | None = None,
    kind: str | None = None,
) -> float:
    """An indicator's value for one programme (code), in a region or the whole country: its
    rows of that programme added up (one programme's rows add up, region by region)."""
    return sum(
        row["value"]
        for row in _programme_rows(
            key, period=period, programme=programme, region=region, kind=kind
        )
    )


def programme_actual_by_region(
    key: str, *, period: kpi.Period, programme: str, kind: str | None = None
) -> dict[str, float]:
    """An indicator's value for one programme in every region (by ISO code)."""
    regions = list(Region.objects.all())
    if "region" in indicator_map()[key].dimensions:
        data = _programme_rows(key, period=period, programme=programme, kind=kind)
        grouped = regroup(data, "region")
        return {region.iso: grouped.get(region.iso, 0) for region in regions}
    return {
        region.iso: programme_actual(
            key, period=period, programme=programme, region=region, kind=kind
        )
        for region in regions
    }


def plan_progress(*, plan: Any, region: Region | None = None) -> list[dict[str, Any]]:
    """Actual against target for every (indicator, kind, programme) of the plan, rolled up the
    hierarchy.

    Returns one dict per (indicator, kind, programme) with ``key``, ``name``, ``unit``,
    ``kind``, ``kind_name``, ``programme``, ``programme_name`` and the figures of the scope
    asked (the nation, or ``region``): ``actual``, ``target``, ``gap`` (actual − target),
    ``gap_pct`` (gap as % of target), ``share`` (actual as % of target). National scope adds
    ``regions``: the same figures per region (regions with a target or an actual); region
    scope adds ``districts``: ``(kato, name, actual)`` of its districts. A national target
    missing from the plan is the sum of the regional ones (not for percentages); a region's
    actual is the database figure of the region, which equals the sum of its districts'
    figures. A programme's target reads the indicator's rows of that programme."""
    from .services import plan_period

    period = plan_period(plan)
    known = indicator_map()
    regions = list(Region.objects.all())
    names = kind_names()
    groups: dict[tuple[str, str | None, str | None], dict[str | None, float]] = defaultdict(dict)
    programme_names: dict[str, str] = {}
    for target in plan.targets.select_related("region", "kind", "programme"):
        kind_code = target.kind.code if target.kind_id else None
        region_iso = target.region.iso if target.region_id else None
        programme_code = target.programme.code if target.programme_id else None
        if target.programme_id:
            programme_names[target.programme.code] = target.programme.name
        groups[(target.indicator, kind_code, programme_code)][region_iso] = float(target.value)
    result = []

    def position(pair: tuple[tuple[str, str | None, str | None], Any]) -> tuple[int, str, str, str]:
        (key, kind_code, programme_code), _targets = pair
        order = known[key].order if key in known else 9999
        return (order, key, kind_code or "", programme_code or "")

    for (key, kind_code, programme_code), targets in sorted(groups.items(), key=position):
        item = known.get(key)
        if item is None:
            continue
        if programme_code is not None:
            result.append(
                _programme_progress(
                    item,
                    targets,
                    period=period,
                    region=region,
                    kind_code=kind_code,
                    kind_name=names.get(kind_code, "") if kind_code else "",
                    programme_code=programme_code,
                    programme_name=programme_names.get(programme_code, programme_code),
                    regions=regions,
                )
            )
            continue
        percentage = str(item.unit) == "%"
        entry: dict[str, Any] = {
            "key": key,
            "name": str(item.name),
            "unit": str(item.unit),
            "description": str(item.description),
            "kind": kind_code,
            "kind_name": names.get(kind_code, "") if kind_code else "",
            "programme": None,
            "programme_name": "",
        }
        if region is None:
            national_target = targets.get(None)
            regional = {iso: value for iso, value in targets.items() if iso is not None}
            if national_target is None and regional and not percentage:
                national_target = sum(regional.values())
            actual = indicator_total(key, period=period, kind=kind_code)
            entry.update(_gap(actual, national_target))
            per_region = actual_by_region(key, period=period, kind=kind_code)
            entry["regions"] = [
                {"iso": r.iso, "name": r.name, **_gap(per_region.get(r.iso), regional.get(r.iso))}
                for r in regions
                if r.iso in regional or per_region.get(r.iso)
            ]
        else:
            target_value = targets.get(region.iso)
            actual = indicator_total(key, period=period, region=region, kind=kind_code)
            entry.update(_gap(actual, target_value))
            districts = (
                actual_by_district(key, period=period, region=region) if not kind_code else {}
            )
            labels = district_names(region)
            entry["districts"] = [
                (code, labels.get(code, ""), value)
                for code, value in sorted(
                    districts.items(), key=lambda pair: labels.get(pair[0], "\uffff")
                )
            ]
        result.append(entry)
    return result


def _programme_progress(
    item: kpi.Indicator,
    targets: dict[str | None, float],
    *,
    period: kpi.Period,
    region: Region | None,
    kind_code: str | None,
    kind_name: str,
    programme_code: str,
    programme_name: str,
    regions: list[Region],
) -> dict[str, Any]:
    """(programmes) The progress entry of one programme's targets: as ``plan_progress`` (the
    nation with its regions, or one region), the actual read from the programme's rows."""
    entry: dict[str, Any] = {
        "key": item.key,
        "name": str(item.name),
        "unit": str(item.unit),
        "description": str(item.description),
        "kind": kind_code,
        "kind_name": kind_name,
        "programme": programme_code,
        "programme_name": programme_name,
        "districts": [],
    }
    percentage = str(item.unit) == "%"
    if region is None:
        national_target = targets.get(None)
        regional = {iso: value for iso, value in targets.items() if iso is not None}
        if national_target is None and regional and not percentage:
            national_target = sum(regional.values())
        actual = programme_actual(item.key, period=period, programme=programme_code, kind=kind_code)
        entry.update(_gap(actual, national_target))
        per_region = programme_actual_by_region(
            item.key, period=period, programme=programme_code, kind=kind_code
        )
        entry["regions"] = [
            {"iso": r.iso, "name": r.name, **_gap(per_region.get(r.iso), regional.get(r.iso))}
            for r in regions
            if r.iso in regional or per_region.get(r.iso)
        ]
    else:
        actual = programme_actual(
            item.key, period=period, programme=programme_code, region=region, kind=kind_code
        )
        entry.update(_gap(actual, targets.get(region.iso)))
    return entry
