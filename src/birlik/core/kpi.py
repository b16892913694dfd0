"""The KPI registry: each app declares its indicators in ``<app>/kpis.py``; this composes them.

An indicator is computed in the database for a period and, optionally, one region; its rows
carry dimension codes (``kind``, ``region``…) that are labelled in the reader's language. An
indicator whose records do not yet give the whole figure says what is missing (``missing``).
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.utils import timezone
from django.utils.functional import Promise

Row = dict[str, Any]
# What the records lack for a figure to be whole, in the reader's language ("" when nothing):
# given for a period and a region (None: the whole country).
MissingFunction = Callable[["Period", Any], str]
Missing = str | Promise | MissingFunction


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @property
    def as_of(self) -> datetime.date:
        """The day stock figures (bodies, members) are read: the period's end, or today."""
        return min(self.end, timezone.localdate())


@dataclass(frozen=True)
class Indicator:
    key: str
    name: str | Promise
    unit: str | Promise
    dimensions: tuple[str, ...]
    compute: Callable[[Period, Any], list[Row]]
    description: str | Promise = ""
    order: int = 1000
    # Whether the rows add up to a meaningful total: not for averages and shares, nor for rows
    # that overlap (an event with two audiences is in both rows). None: all but "%" units.
    additive: bool | None = None
    # Whether the public figures page and the open data release may show it at all: not for
    # staff-only signals (early warning's alerts and risk).
    public: bool = True
    # What the records lack for the figure to be whole: a text that always holds, or a
    # function of (period, region) that says it for them ("" when nothing is missing).
    missing: Missing = ""

    @property
    def missing_is_static(self) -> bool:
        """The missing part is a fixed text: saying it asks nothing of the database."""
        return isinstance(self.missing, str | Promise)

    def missing_for(self, period: Period, region: Any = None) -> str:
        """What is missing from the figure of the period (and region), "" when nothing."""
        missing = self.missing
        if isinstance(missing, str | Promise):
            return str(missing)
        return str(missing(period, region))

    @property
    def is_additive(self) -> bool:
        if self.additive is not None:
            return self.additive
        return str(self.unit) != "%"


def total_of(item: Indicator, rows: list[Row]) -> float | None:
    """The indicator's total over its rows: the one value when it has no dimensions, the sum
    when its rows add up, otherwise None (no honest total exists)."""
    if not item.dimensions:
        if rows:
            return rows[0]["value"]  # type: ignore[no-any-return]
        return 0 if item.is_additive else None
    if item.is_additive:
        return sum(row["value"] for row in rows)
    return None


@dataclass
class Registry:
    indicators: dict[str, Indicator] = field(default_factory=dict)
    labels: dict[str, Callable[[], dict[str, str]]] = field(default_factory=dict)
    discovered: bool = False


REGISTRY = Registry()


def indicator(
    key: str,
    *,
    name: str | Promise,
    unit: str | Promise,
    dimensions: tuple[str, ...] = (),
    description: str | Promise = "",
    order: int = 1000,
    additive: bool | None = None,
    public: bool = True,
    missing: Missing = "",
) -> Callable[[Callable[[Period, Any], list[Row]]], Callable[[Period, Any], list[Row]]]:
    """Declare an indicator: the decorated function returns rows of dimension codes + value.

    ``missing`` says what the records lack for the figure to be whole: a text, or a function
    ``(period, region) -> str`` that returns "" when nothing is missing."""

    def register(func: Callable[[Period, Any], list[Row]]) -> Callable[[Period, Any], list[Row]]:
        REGISTRY.indicators[key] = Indicator(
            key=key,
            name=name,
            unit=unit,
            dimensions=dimensions,
            compute=func,
            description=description,
            order=order,
            additive=additive,
            public=public,
            missing=missing,
        )
        return func

    return register


def missing_part(key: str) -> Callable[[MissingFunction], MissingFunction]:
    """Declare what an indicator declared earlier lacks, with a function ``(period, region) ->
    str`` ("" when nothing): for an indicator whose declaration stays as it was written."""

    def register(func: MissingFunction) -> MissingFunction:
        REGISTRY.indicators[key] = dataclasses.replace(REGISTRY.indicators[key], missing=func)
        return func

    return register


def dimension_labels(name: str) -> Callable[[Callable[[], dict[str, str]]], Any]:
    """Declare how codes of a dimension are named in the active language."""

    def register(func: Callable[[], dict[str, str]]) -> Callable[[], dict[str, str]]:
        REGISTRY.labels[name] = func
        return func

    return register


def autodiscover() -> None:
    if REGISTRY.discovered:
        return
    for config in apps.get_app_configs():
        if config.name.startswith("birlik."):
            try:
                importlib.import_module(f"{config.name}.kpis")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.kpis":
                    raise
    REGISTRY.discovered = True


def indicators() -> list[Indicator]:
    autodiscover()
    return sorted(REGISTRY.indicators.values(), key=lambda item: (item.order, item.key))


def public_indicators() -> list[Indicator]:
    """The indicators the public may read (figures page, catalogue, open data, public API)."""
    return [item for item in indicators() if item.public]


def compute(key: str, period: Period, region: Any = None) -> list[Row]:
    autodiscover()
    return REGISTRY.indicators[key].compute(period, region)


def missing(key: str, period: Period, region: Any = None) -> str:
    """What is missing from one indicator's figure of the period (and region), "" when nothing."""
    autodiscover()
    return REGISTRY.indicators[key].missing_for(period, region)


def label_rows(rows: list[Row], dimensions: tuple[str, ...]) -> list[Row]:
    """Add ``<dimension>_name`` beside each code, in the active language."""
    maps = {dim: REGISTRY.labels[dim]() for dim in dimensions if dim in REGISTRY.labels}
    labelled = []
    for row in rows:
        item = dict(row)
        for dim, names in maps.items():
            item[f"{dim}_name"] = names.get(str(row.get(dim)), str(row.get(dim)))
        labelled.append(item)
    return labelled


def compute_all(period: Period, region: Any = None) -> list[dict[str, Any]]:
    """Every indicator for the period (and region), labelled, with totals and what is missing
    from them ("" when nothing)."""
    result = []
    for item in indicators():
        rows = label_rows(item.compute(period, region), item.dimensions)
        result.append(
            {
                "key": item.key,
                "name": str(item.name),
                "unit": str(item.unit),
                "dimensions": list(item.dimensions),
                "total": total_of(item, rows),
                "rows": rows,
                "missing": item.missing_for(period, region),
            }
        )
    return result


_VERSION_KEY = "birlik:figures:version"


def _new_version() -> int:
    # A fresh number rather than an increment: the cache every process shares (the database
    # table of the embedded default) has no atomic increment, and two writers that both read
    # 5 and wrote 6 would leave a figure computed between them cached as current. A version
    # lost from the cache comes back as a fresh number too, never as one already used.
    return time.time_ns() + secrets.randbelow(1_000_000)


def invalidate() -> None:
    """Called on commit of any write that changes a figure: cached figures are recomputed."""
    cache.set(_VERSION_KEY, _new_version(), None)


def version() -> int:
    """The number of the current state of the figures, shared by every process: it changes
    with each ``invalidate``."""
    value = cache.get_or_set(_VERSION_KEY, _new_version, None)
    return int(value) if value is not None else 0


def cached(name: str, builder: Callable[[], Any], timeout: int = 300) -> Any:
    """A figure cached until the next registry change (or ``timeout`` seconds)."""
    key = f"birlik:figures:{version()}:{name}"
    value = cache.get(key)
    if value is None:
        value = builder()
        cache.set(key, value, timeout)
    return value


# --- Rollups: tables of figures kept by the services ---------------------------------------------


def whole_months(period: Period) -> tuple[list[datetime.date], list[Period]]:
    """The calendar months the period covers whole (their first days), and the pieces of the
    months it cuts (at most one at each end): a rollup by month answers the first, the records
    the second."""
    whole: list[datetime.date] = []
    pieces: list[Period] = []
    day = period.start
    while day <= period.end:
        first = day.replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        last = following - datetime.timedelta(days=1)
        if day == first and period.end >= last:
            whole.append(first)
        else:
            pieces.append(Period(day, min(period.end, last)))
        day = following
    return whole, pieces


def insert_rows(model: Any, columns: dict[str, str], queryset: Any) -> int:
    """``INSERT INTO <model's table> (...) SELECT ...`` from a query set, in the database: a
    rollup rebuilt from millions of rows never passes them through Python. ``columns`` maps
    each field of ``model`` to the name it has in ``queryset.values(...)``; returns the rows
    written."""
    from django.db import connections, router

    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    sql, params = queryset.query.sql_with_params()
    fields = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    chosen = ", ".join(f"sub.{quote(alias)}" for alias in columns.values())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({fields}) "  # noqa: S608 - names quoted
            f"SELECT {chosen} FROM ({sql}) sub",
            params,
        )
        return max(cursor.rowcount, 0)


def grouped(queryset: Any, keys: dict[str, Any]) -> Any:
    """``queryset`` grouped by the expressions ``keys`` (alias → expression or field path), only
    the aliases selected (``values(**…)`` alone would select every field too): the input of
    ``insert_rows`` and ``differing_rows``."""
    from django.db.models import F

    named = {alias: F(path) if isinstance(path, str) else path for alias, path in keys.items()}
    return queryset.annotate(**named).values(*named)


def differing_rows(recount: Any, stored: Any, aliases: list[str]) -> int:
    """Rows (by ``aliases``) found in one query set and not the other: 0 when a rollup
    (``stored``) equals its recount from the records, counted in the database."""
    from django.db import connections, router

    connection = connections[router.db_for_read(stored.model)]
    quote = connection.ops.quote_name
    chosen = ", ".join(quote(alias) for alias in aliases)
    left_sql, left_params = recount.query.sql_with_params()
    right_sql, right_params = stored.query.sql_with_params()
    total = 0
    with connection.cursor() as cursor:
        for first, second, params in (
            (left_sql, right_sql, (*left_params, *right_params)),
            (right_sql, left_sql, (*right_params, *left_params)),
        ):
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT {chosen} FROM ({first}) a "  # noqa: S608
                f"EXCEPT SELECT {chosen} FROM ({second}) b) d",
                params,
            )
            total += int(cursor.fetchone()[0])
    return total


@dataclass(frozen=True)
class RollupPart:
    """One rollup table (or one part of it): how to recount it from the records, and what
    is stored. ``build`` is a cheaper recount for a rebuild (from parts written before it)."""

    label: str
    model: Any
    columns: dict[str, str]  # field of the rollup → alias in ``recount`` and ``stored``
    recount: Any
    stored: Any
    build: Any = None

    def rebuild(self) -> int:
        return insert_rows(self.model, self.columns, self.build or self.recount)

    def differences(self) -> int:
        return differing_rows(self.recount, self.stored, list(self.columns.values()))
