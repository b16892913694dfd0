"""Raking a sample to population margins, trimming, and checking the result — the only module
that imports weightipy (imported by the stats services that need it, never at start-up).

weightipy 0.4.2's iterative proportional fitting ("rim weighting") does the raking; this module
wraps its three defects (docs/design/surveys.md §1), each covered by a test:

* ``cap=(min, max)`` crashes comparing a tuple: only the upper cap (× the mean weight) is
  passed; the smallest weight is reported, not trimmed;
* it ``print``s ("Convergence did not occur…"): it runs under ``redirect_stdout`` and each
  printed line becomes a warning of the run (so do Python warnings raised inside);
* a margin category without respondents is skipped silently: raking is refused when a category
  has fewer than ``min_per_category`` respondents (naming them, so the analyst can merge), and
  every margin is recomputed here after raking — above ``MAX_MARGIN_ERROR_PP`` the run fails.

Weights have mean 1 (they sum to the number of respondents, as ESS scales its weights to the
net sample). Kish's design effect ``deff = n Σw² / (Σw)²`` and effective sample size ``n / deff``
describe the loss of precision the weights cause.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from birlik.core.errors import DomainError

MAX_MARGIN_ERROR_PP = 0.01  # percentage points, any category of any margin
CONVERGENCE = 1e-4  # weightipy's convcrit: stop when an iteration improves by less than this
MAX_ITERATIONS = 1000
MIN_PER_CATEGORY = 5


@dataclass(frozen=True)
class Weights:
    values: Any  # numpy array of float, aligned with the frame's rows; mean 1
    n: int
    deff: float
    effective_n: float
    smallest: float
    largest: float
    iterations: int
    worst_margin_error: float  # percentage points
    margin_errors: dict[str, dict[str, float]] = field(default_factory=dict)  # pp, signed
    warnings: list[str] = field(default_factory=list)
    library: str = ""


def kish_deff(weights: Any) -> float:
    """Kish's design effect of unequal weights: ``n Σw² / (Σw)²`` (1 when all are equal)."""
    w = np.asarray(weights, dtype=float)
    total = w.sum()
    if w.size == 0 or total <= 0:
        return float("nan")
    return float(w.size * np.dot(w, w) / (total * total))


def effective_n(weights: Any) -> float:
    """Kish's effective sample size ``(Σw)² / Σw²`` = ``n / deff``."""
    w = np.asarray(weights, dtype=float)
    squares = np.dot(w, w)
    return float(w.sum() ** 2 / squares) if squares > 0 else 0.0


def margin_errors(
    frame: pd.DataFrame, weights: Any, margins: Mapping[str, Mapping[str, float]]
) -> dict[str, dict[str, float]]:
    """Weighted share minus target share, in percentage points, for every category of every
    margin (targets normalised to sum to 1 within a dimension)."""
    w = np.asarray(weights, dtype=float)
    total = w.sum()
    out: dict[str, dict[str, float]] = {}
    for dimension, targets in margins.items():
        column = frame[dimension].astype(object).to_numpy()
        target_total = float(sum(targets.values())) or 1.0
        out[dimension] = {}
        for category, share in targets.items():
            weighted = float(w[column == category].sum() / total) if total > 0 else 0.0
            out[dimension][category] = 100.0 * (weighted - float(share) / target_total)
    return out


def _label(dimension: str) -> str:
    from .models import MarginTarget

    try:
        return str(MarginTarget.Dimension(dimension).label)
    except ValueError:
        return dimension


def _library() -> str:
    import weightipy

    return f"weightipy {weightipy.__version__}"


def _check(
    frame: pd.DataFrame, margins: Mapping[str, Mapping[str, float]], min_per_category: int
) -> dict[str, dict[str, float]]:
    """The margins to rake to (zero shares dropped, shares normalised), or a refusal naming
    what the analyst must fix."""
    if len(frame) == 0:
        raise DomainError(_("There are no responses to weigh."))
    if not margins:
        raise DomainError(_("The margin set has no targets."))
    clean: dict[str, dict[str, float]] = {}
    for dimension, targets in margins.items():
        if dimension not in frame.columns:
            raise DomainError(
                _("The responses have no column for the margin «%(dimension)s».")
                % {"dimension": _label(dimension)}
            )
        kept = {str(c): float(s) for c, s in targets.items() if float(s) > 0}
        total = sum(kept.values())
        if total <= 0:
            raise DomainError(
                _("The margin «%(dimension)s» has no category with a share above zero.")
                % {"dimension": _label(dimension)}
            )
        clean[dimension] = {c: s / total for c, s in kept.items()}
        column = frame[dimension]
        if column.isna().any():
            raise DomainError(
                _("%(count)s responses have no value for «%(dimension)s».")
                % {"count": int(column.isna().sum()), "dimension": _label(dimension)}
            )
        counts = column.astype(str).value_counts()
        outside = sorted(set(counts.index) - set(clean[dimension]))
        if outside:
            raise DomainError(
                _(
                    "Responses fall in categories of «%(dimension)s» that have no share in the "
                    "margins: %(categories)s. Add them to the margins (or merge them)."
                )
                % {"dimension": _label(dimension), "categories": ", ".join(outside)}
            )
        thin = [
            f"{category} ({int(counts.get(category, 0))})"
            for category in clean[dimension]
            if int(counts.get(category, 0)) < min_per_category
        ]
        if thin:
            raise DomainError(
                _(
                    "Too few respondents to weigh in «%(dimension)s»: %(categories)s; each "
                    "category needs at least %(minimum)s. Merge these categories with "
                    "neighbouring ones in the margins."
                )
                % {
                    "dimension": _label(dimension),
                    "categories": ", ".join(thin),
                    "minimum": min_per_category,
                }
            )
    return clean


def rake(
    frame: pd.DataFrame,
    margins: Mapping[str, Mapping[str, float]],
    *,
    cap: float,
    min_per_category: int = MIN_PER_CATEGORY,
) -> Weights:
    """Rake ``frame`` (one row per respondent, a column per margin dimension holding the
    respondent's category as text) to ``margins`` (dimension → category → share), with weights
    trimmed to at most ``cap`` × the mean; refuse (``DomainError``) what cannot be weighted."""
    import weightipy

    cap = float(cap)
    if not cap > 1:
        raise DomainError(_("The largest weight must be more than 1 (times the mean)."))
    clean = _check(frame, margins, min_per_category)
    data = pd.DataFrame({dimension: frame[dimension].astype(str).to_numpy() for dimension in clean})
    scheme = weightipy.Rim("birlik", max_iterations=MAX_ITERATIONS, convcrit=CONVERGENCE, cap=cap)
    # weightipy takes percentages; each dimension one target (sex × age is one, of 12 cells).
    scheme.set_targets(
        [
            {dimension: {c: 100.0 * s for c, s in targets.items()}}
            for dimension, targets in clean.items()
        ]
    )
    printed = io.StringIO()
    with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(printed):
        warnings.simplefilter("always")
        series = weightipy.weight(data, scheme)
    notes = [line.strip() for line in printed.getvalue().splitlines() if line.strip()]
    notes += [str(w.message) for w in caught]
    values = np.asarray(series.reindex(data.index), dtype=float)
    if not np.all(np.isfinite(values)) or values.sum() <= 0:
        raise DomainError(_("Weighting failed: some weights could not be computed."))
    values = values * (len(values) / values.sum())  # mean exactly 1
    iterations = int(scheme.groups[scheme._DEFAULT_NAME].get("iterations") or 0)
    errors = margin_errors(data, values, clean)
    worst = max((abs(e) for by in errors.values() for e in by.values()), default=0.0)
    if worst > MAX_MARGIN_ERROR_PP:
        dimension, category = max(
            ((d, c) for d, by in errors.items() for c in by),
            key=lambda dc: abs(errors[dc[0]][dc[1]]),
        )
        raise DomainError(
            _(
                "The weights miss the margin «%(dimension)s = %(category)s» by %(error)s "
                "percentage points (more than %(limit)s allows). Raise the largest weight or "
                "merge small categories."
            )
            % {
                "dimension": _label(dimension),
                "category": category,
                "error": f"{worst:.3f}",
                "limit": MAX_MARGIN_ERROR_PP,
            }
        )
    deff = kish_deff(values)
    return Weights(
        values=values,
        n=len(values),
        deff=deff,
        effective_n=len(values) / deff,
        smallest=float(values.min()),
        largest=float(values.max()),
        iterations=iterations,
        worst_margin_error=float(worst),
        margin_errors=errors,
        warnings=notes,
        library=_library(),
    )
