"""Stored estimates as the results pages and the public method page show them: the names of
categories and answers in the reader's language, values rounded, shares in per cent, and
suppressed cells without any number.

Only ``WeightingRun`` and ``Estimate`` rows are read here, never responses; the numbers are the
stats slice's (``estimates.py``), the suppression decided there once (``cell_status``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from birlik.core.templatetags.birlik_format import number
from birlik.geo.models import Region
from birlik.registry.models import EthnicGroup

from . import trust_index
from .models import AgeGroup, Estimate, Option, Question, SettlementType, Sex, WeightingRun

DIMENSIONS = Estimate.DIMENSIONS
SHARE = "share:"
TRUSTING_STATISTIC = f"{SHARE}{Estimate.TRUSTING}"
INDEX_QUESTIONS = (Estimate.TRUST_INDEX, Estimate.TRUSTING)


def dimension_name(dimension: str) -> str:
    """A breakdown's name: the label of the demographic question that fills it."""
    if dimension == "all":
        return pgettext("estimate", "all respondents")
    names = {str(role.value): role.label for role in Question.Role if role.value}
    return str(names.get(dimension, dimension))


@dataclass(frozen=True)
class Cell:
    """One estimate as shown: ``value``, ``low``, ``high`` rounded (in per cent for a share),
    all three None when the cell is suppressed."""

    question: str
    statistic: str
    category: str
    label: str
    value: float | None
    low: float | None
    high: float | None
    n: int
    effective_n: float
    suppressed: bool
    caution: bool
    percent: bool


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else round(value * factor, 1)


def cell(estimate: Estimate, label: str) -> Cell:
    percent = estimate.statistic.startswith(SHARE)
    factor = 100.0 if percent else 1.0
    hidden = estimate.suppressed or estimate.value is None
    return Cell(
        question=estimate.question,
        statistic=estimate.statistic,
        category=estimate.category,
        label=label,
        value=None if hidden else _scaled(estimate.value, factor),
        low=None if hidden else _scaled(estimate.low, factor),
        high=None if hidden else _scaled(estimate.high, factor),
        n=estimate.n,
        effective_n=round(estimate.effective_n, 1),
        suppressed=hidden,
        caution=bool(estimate.caution) and not hidden,
        percent=percent,
    )


class CategoryNames:
    """Names of each breakdown's categories in the active language (each list read once) and
    their order in tables."""

    def __init__(self, versions: Iterable[Any] = ()) -> None:
        self.versions = list(versions)
        self._names: dict[str, dict[str, str]] = {}

    def _load(self, dimension: str) -> dict[str, str]:
        if dimension == "all":
            return {"": pgettext("estimate", "all respondents")}
        if dimension == "region":
            return {region.iso: str(region.name) for region in Region.objects.order_by("kato")}
        if dimension == "ethnic_group":
            return {group.code: str(group.name) for group in EthnicGroup.objects.all()}
        if dimension == "age_group":
            return {str(item.value): str(item.label) for item in AgeGroup}
        if dimension == "sex":
            return {str(item.value): str(item.label) for item in Sex}
        if dimension == "settlement_type":
            return {str(item.value): str(item.label) for item in SettlementType}
        if dimension == "home_language":
            options = Option.objects.filter(
                question__version__in=self.versions,
                question__role=Question.Role.LANGUAGE,
                kind=Option.Kind.CHOICE,
            ).order_by("order", "id")
            found: dict[str, str] = {}
            for option in options:
                found.setdefault(option.code, str(option.label))
            return found
        return {}

    def names(self, dimension: str) -> dict[str, str]:
        if dimension not in self._names:
            self._names[dimension] = self._load(dimension)
        return self._names[dimension]

    def label(self, dimension: str, code: str) -> str:
        return self.names(dimension).get(code, code)

    def order(self, dimension: str, code: str) -> tuple[int, str]:
        positions = {known: place for place, known in enumerate(self.names(dimension))}
        return positions.get(code, len(positions)), code


def cells(estimates: Iterable[Estimate], dimension: str, names: CategoryNames) -> list[Cell]:
    """The estimates of one breakdown as cells, categories in their usual order."""
    ordered = sorted(estimates, key=lambda e: (names.order(dimension, e.category), e.statistic))
    return [cell(e, names.label(dimension, e.category)) for e in ordered]


@dataclass(frozen=True)
class IndexRow:
    """A category's trust index with its share of "trusting" respondents."""

    index: Cell
    trusting: Cell | None


def index_rows(
    estimates: Sequence[Estimate], dimension: str, names: CategoryNames
) -> list[IndexRow]:
    """The trust index (mean, 0–100) of each category of a breakdown beside the share with an
    index of 60 or more, from the run's ``TRUST_INDEX`` and ``TRUSTING`` rows."""
    trusting = {
        e.category: e
        for e in estimates
        if e.dimension == dimension
        and e.question == Estimate.TRUSTING
        and e.statistic == TRUSTING_STATISTIC
    }
    means = [
        e
        for e in estimates
        if e.dimension == dimension and e.question == Estimate.TRUST_INDEX and e.statistic == "mean"
    ]
    rows = []
    for index in cells(means, dimension, names):
        share = trusting.get(index.category)
        rows.append(
            IndexRow(
                index,
                None if share is None else cell(share, names.label(dimension, index.category)),
            )
        )
    return rows


def index_estimates(runs: Iterable[WeightingRun]) -> dict[int, list[Estimate]]:
    """The trust index rows of each run (one query)."""
    found: dict[int, list[Estimate]] = {}
    for estimate in Estimate.objects.filter(
        run__in=list(runs), question__in=INDEX_QUESTIONS
    ).order_by("run_id", "question", "dimension", "category"):
        found.setdefault(estimate.run_id, []).append(estimate)
    return found


def statistic_label(statistic: str, options: dict[str, str]) -> str:
    """ "mean", or the answer whose share it is."""
    if statistic == "mean":
        return pgettext("statistic", "mean")
    if statistic == TRUSTING_STATISTIC:
        return _("trusting (index of 60 or more)")
    code = statistic.removeprefix(SHARE)
    return options.get(code, code)


@dataclass(frozen=True)
class RunFacts:
    """A weighting run's figures rounded for reading."""

    n: int
    effective_n: int | None
    deff: float | None
    cap: float
    smallest: float | None
    largest: float | None
    worst_error: float | None  # percentage points
    worst_error_text: str
    alpha: float | None
    alpha_low: bool
    alpha_floor: float
    loadings: list[tuple[str, float]]
    warnings: list[str]


def _round(value: Any, digits: int) -> float | None:
    try:
        return None if value is None else round(float(value), digits)
    except (TypeError, ValueError):
        return None


WORST_ERROR_SHOWN = 0.001  # percentage points; a smaller error reads "< 0.001"


def _small(value: float | None, floor: float) -> str:
    if value is None:
        return "–"
    if 0 < abs(value) < floor:
        return f"< {number(floor)}"
    return number(value)


def run_facts(run: WeightingRun) -> RunFacts:
    worst = _round(run.worst_margin_error, 4)
    method = run.method if isinstance(run.method, dict) else {}
    alpha = _round(method.get("alpha"), 2)
    raw = method.get("loadings") or []
    if isinstance(raw, dict):
        pairs = list(raw.items())
    else:
        pairs = list(zip(trust_index.ITEM_CODES, raw, strict=False))
    loadings = [(str(code), value) for code, v in pairs if (value := _round(v, 2)) is not None]
    return RunFacts(
        n=run.n,
        effective_n=None if run.effective_n is None else round(run.effective_n),
        deff=_round(run.deff, 3),
        cap=float(run.trim_cap),
        smallest=_round(run.smallest_weight, 3),
        largest=_round(run.largest_weight, 3),
        worst_error=worst,
        worst_error_text=_small(worst, WORST_ERROR_SHOWN),
        alpha=alpha,
        alpha_low=alpha is not None and alpha < trust_index.ALPHA_ACCEPTABLE,
        alpha_floor=trust_index.ALPHA_ACCEPTABLE,
        loadings=loadings,
        warnings=[str(w) for w in (run.warnings or [])],
    )


def thresholds(survey: Any) -> dict[str, Any]:
    """The suppression rule's numbers for the notes under tables (the rule itself is
    ``estimates.cell_status``)."""
    from .estimates import MIN_EFFECTIVE_N  # brings numpy: only when a table is shown

    return {
        "min_cell": survey.min_cell,
        "caution_cell": survey.caution_cell,
        "effective_min": round(MIN_EFFECTIVE_N),
    }
