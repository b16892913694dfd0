"""Weighted estimates with 95 % intervals, the suppression rule, and the trust index by every
dimension — vectorised with numpy (``bincount`` per cell), never a Python loop over
respondents per cell.

Design (docs/design/surveys.md §4–5): a with-replacement design with the weights treated as
fixed (no strata, no clusters; the raking is ignored, which errs on the safe side). For a
cell ``d`` (a category of a dimension, or everyone) and an item ``y`` (missing values — item
non-response, "don't know" 88, "refusal" 99, hidden questions — are left out, never zero):

* ``ȳ_d = Σ_{i∈d} w_i y_i / Σ_{i∈d} w_i`` (a share: ``y`` is 0/1);
* Taylor linearisation, the domain (subpopulation) form: ``z_i = 1{i∈d} w_i (y_i − ȳ_d) / Σ_{d} w``
  over all ``n`` respondents of the weighted sample, ``se² = n/(n−1) Σ_i (z_i − z̄)²``
  (``z̄ = 0``) — what R's ``survey::svymean`` gives on ``subset(design, …)`` of a weights-only
  design;
* means: ``ȳ ± 1.96 se``; shares: the interval is built on the logit scale,
  ``logit(p) ± 1.96 se / (p(1−p))`` and transformed back (it stays inside 0–1), as
  ``survey::svyciprop(method="logit")``; a share of exactly 0 or 1 has a zero-width interval;
* ``n`` (unweighted respondents with a value) and Kish's effective ``n = (Σw)² / Σw²`` per cell.

Shares are stored as proportions (0–1); the index on 0–100. Open text is never estimated;
each matrix row is a question ``<code>.<row>``; demographic questions only for everyone.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from . import trust_index
from .models import Estimate, Option, Question

if TYPE_CHECKING:
    from .models import Survey, WeightingRun

Z95 = 1.959963984540054
MIN_EFFECTIVE_N = 50.0  # below it a published cell carries the "treat with caution" mark
DIMENSIONS = Estimate.DIMENSIONS
TRUSTING_STATISTIC = "share:TRUSTING"
QUESTION_LENGTH = 30  # Estimate.question's max_length: longer matrix-row names are not estimated
_NAN = float("nan")
# Classes read as numbers (booleans and text are not; numpy's appear when chunks of answers
# with different column types are joined).
_NUMBER_TYPES = frozenset({int, float, np.int64, np.int32, np.float64, np.float32})


def cell_status(
    n: int, effective_n: float, *, min_cell: int, caution_cell: int
) -> tuple[bool, bool]:
    """The one suppression rule: ``(suppressed, caution)``. Fewer than ``min_cell`` respondents
    (unweighted) → not published; fewer than ``caution_cell`` or an effective n below
    ``MIN_EFFECTIVE_N`` → published with a "treat with caution" mark."""
    if n < min_cell:
        return True, False
    return False, bool(n < caution_cell or effective_n < MIN_EFFECTIVE_N)


# --- The sample ------------------------------------------------------------------------------


class Answers:
    """The answers as columns, one per question code (``pandas.DataFrame.from_records`` reads
    lists of dicts in C, several times faster than a Python pass per question); NaN or None
    where a respondent has no answer."""

    def __init__(self, answers: Sequence[dict[str, Any]] | None = None, *, frame: Any = None):
        import pandas as pd

        if frame is None:
            rows = [a if isinstance(a, dict) else {} for a in answers or []]
            frame = pd.DataFrame.from_records(rows) if rows else pd.DataFrame()
        self.frame = frame
        self.n = len(frame)
        self._matrices: dict[str, Any] = {}
        self._numbers: dict[tuple[str, float, float], Any] = {}

    def column(self, code: str) -> Any:
        """The question's answers as a pandas Series (None/NaN where there is none)."""
        import pandas as pd

        if code not in self.frame.columns:
            return pd.Series([None] * self.n, dtype=object)
        return self.frame[code]

    def of(self, variable: Variable) -> Any:
        if not variable.row:
            return self.column(variable.question)
        rows = self._matrices.get(variable.question)
        if rows is None:
            import pandas as pd

            values = self.column(variable.question).tolist()
            rows = pd.DataFrame.from_records([v if v.__class__ is dict else {} for v in values])
            self._matrices[variable.question] = rows
        if variable.row not in rows.columns:
            import pandas as pd

            return pd.Series([None] * self.n, dtype=object)
        return rows[variable.row]

    def numbers(self, variable: Variable) -> Any:
        """``numbers`` of the variable's answers, converted once."""
        key = (variable.code, variable.low, variable.high)
        if key not in self._numbers:
            self._numbers[key] = numbers(self.of(variable), variable.low, variable.high)
        return self._numbers[key]

    def subset(self, index: Any) -> Answers:
        return Answers(frame=self.frame.iloc[index].reset_index(drop=True))


@dataclass
class Sample:
    """The eligible responses of a survey as arrays: ids, demographic categories (text, "" when
    missing), the answers as columns, and the stored weights (NaN where none)."""

    ids: Any
    answers: Answers
    demographics: dict[str, Any]  # dimension → numpy array of str
    weights: Any

    def __len__(self) -> int:
        return len(self.ids)

    def table(self) -> Answers:
        return self.answers

    def subset(self, keep: Any) -> Sample:
        index = np.flatnonzero(keep)
        return Sample(
            ids=self.ids[index],
            answers=self.answers.subset(index),
            demographics={k: v[index] for k, v in self.demographics.items()},
            weights=self.weights[index],
        )


LOAD_CHUNK = 5000


@contextlib.contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Python's cycle collector off for a bulk computation: the answers of a large survey are
    a million small lists, dicts and strings without cycles, which every full collection would
    walk again (seconds, at random moments); reference counting still frees everything."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def load_sample(survey: Survey) -> Sample:
    """Every response of the survey not excluded by the analyst, in id order. Rows are read in
    chunks; each chunk's answers are decoded by one ``json.loads`` of their stored text (the
    keys shared, and no per-row converter) and turned into columns at once, so the decoded JSON
    of the whole survey is never held (100,000 responses × 60 questions as dicts take
    ~600 MB)."""
    import json

    import pandas as pd
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from birlik.geo.models import Region
    from birlik.registry.models import EthnicGroup

    from .models import Response

    regions = dict(Region.objects.values_list("pk", "iso"))
    groups = dict(EthnicGroup.objects.values_list("pk", "code"))
    queryset = (
        Response.objects.filter(survey=survey, excluded=False)
        .order_by("pk")
        .annotate(answers_text=Cast("answers", output_field=TextField()))
        .values_list(
            "pk",
            "region_id",
            "ethnic_group_id",
            "age_group",
            "sex",
            "settlement_type",
            "home_language",
            "weight",
            "answers_text",
        )
    )
    parts: list[list[tuple[Any, ...]]] = []
    frames: list[Any] = []
    rows = queryset.iterator(chunk_size=LOAD_CHUNK)
    with no_cyclic_gc():
        while chunk := list(itertools.islice(rows, LOAD_CHUNK)):
            columns = list(zip(*chunk, strict=True))
            parts.append(columns[:8])
            decoded = json.loads("[" + ",".join(t or "{}" for t in columns[8]) + "]")
            frames.append(
                pd.DataFrame.from_records([a if a.__class__ is dict else {} for a in decoded])
            )
            del chunk, columns, decoded
    fixed = [tuple(itertools.chain.from_iterable(part[k] for part in parts)) for k in range(8)]
    count = len(fixed[0])
    columns = fixed
    ids = np.fromiter(columns[0], dtype=np.int64, count=count)
    weights = np.array([_NAN if w is None else w for w in columns[7]], dtype=float)
    demographics = {
        "region": np.array([regions.get(v, "") if v else "" for v in columns[1]], dtype=object),
        "ethnic_group": np.array(
            [groups.get(v, "") if v else "" for v in columns[2]], dtype=object
        ),
        "age_group": np.array([v or "" for v in columns[3]], dtype=object),
        "sex": np.array([v or "" for v in columns[4]], dtype=object),
        "settlement_type": np.array([v or "" for v in columns[5]], dtype=object),
        "home_language": np.array([v or "" for v in columns[6]], dtype=object),
    }
    if len(frames) > 1:
        frame = pd.concat(frames, ignore_index=True, sort=False)
    else:
        frame = frames[0] if frames else pd.DataFrame()
    return Sample(ids=ids, answers=Answers(frame=frame), demographics=demographics, weights=weights)


# --- Variables ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variable:
    """What is estimated from one answer: a mean over a range, or shares of options."""

    code: str  # question code, or "<code>.<row>" for a matrix row
    statistic: str  # "mean" | "single" | "multiple"
    question: str  # the question's code
    row: str = ""
    low: float = -math.inf
    high: float = math.inf
    options: tuple[str, ...] = ()
    demographic: bool = False


def variables_of(questions: Iterable[Question]) -> list[Variable]:
    """The estimable variables of a version's questions (prefetch ``options``)."""
    out: list[Variable] = []
    for q in questions:
        options = list(q.options.all())
        choices = tuple(
            o.code
            for o in options
            if o.kind == Option.Kind.CHOICE and o.code not in Option.MISSING_CODES
        )
        demographic = bool(q.role)
        if q.kind == Question.Kind.SCALE:
            low, high = _scale_range(q)
            out.append(Variable(q.code, "mean", q.code, low=low, high=high))
        elif q.kind == Question.Kind.NUMBER:
            low = float(q.number_min) if q.number_min is not None else -math.inf
            high = float(q.number_max) if q.number_max is not None else math.inf
            out.append(Variable(q.code, "mean", q.code, low=low, high=high))
        elif q.kind == Question.Kind.SINGLE and choices:
            out.append(Variable(q.code, "single", q.code, options=choices, demographic=demographic))
        elif q.kind == Question.Kind.MULTIPLE and choices:
            out.append(Variable(q.code, "multiple", q.code, options=choices))
        elif q.kind == Question.Kind.MATRIX:
            for row in (o for o in options if o.kind == Option.Kind.ROW):
                name = f"{q.code}.{row.code}"
                if len(name) <= QUESTION_LENGTH:
                    low, high = _scale_range(q)
                    out.append(Variable(name, "mean", q.code, row=row.code, low=low, high=high))
        # open text: never estimated
    return out


def _scale_range(q: Question) -> tuple[float, float]:
    return (
        float(q.scale_min) if q.scale_min is not None else -math.inf,
        float(q.scale_max) if q.scale_max is not None else math.inf,
    )


def _objects(raw: Any) -> Any:
    """Any sequence (list, numpy array, pandas Series) as a numpy array; numeric Series and
    arrays keep their dtype, everything else becomes objects."""
    if isinstance(raw, np.ndarray):
        return raw
    if hasattr(raw, "to_numpy"):  # a pandas Series
        if raw.dtype.kind in "iuf":
            return raw.to_numpy(dtype=float, na_value=_NAN)
        if raw.dtype.kind == "b":
            return raw.to_numpy(dtype=bool)
        return raw.to_numpy(dtype=object)
    return np.array(list(raw), dtype=object)


def numbers(raw: Any, low: float = -math.inf, high: float = math.inf) -> Any:
    """Answers as floats; NaN for missing codes (88/99), text, booleans and out-of-range values."""
    array = _objects(raw)
    if array.dtype.kind in "iuf":
        y = array.astype(float)
    elif array.dtype.kind == "b":
        y = np.full(array.shape, _NAN)
    else:
        kinds = _NUMBER_TYPES
        y = np.array(
            [v if v.__class__ in kinds else _NAN for v in array.tolist()], dtype=float
        ).reshape(array.shape)
    with np.errstate(invalid="ignore"):
        y[(y < low) | (y > high)] = _NAN
    return y


def choice_index(raw: Any, options: Sequence[str]) -> Any:
    """The position of each single-choice answer among ``options``, -1 when missing."""
    if hasattr(raw, "to_numpy") and not isinstance(raw, np.ndarray):
        return _positions(raw, options)  # a pandas Series: text columns stay in C
    return _positions(_objects(raw), options)


def _positions(values: Any, options: Sequence[str]) -> Any:
    """Each value's position among the option codes (text), -1 for anything else."""
    import pandas as pd

    if not len(values):
        return np.zeros(0, dtype=np.int64)
    index = pd.Index(list(options), dtype=object)
    try:  # in C; values that are not option codes (NaN, None, numbers) get -1
        if isinstance(values, pd.Series) and values.dtype.kind in "iufb":
            return np.full(len(values), -1, dtype=np.int64)  # numbers are never codes
        codes = index.get_indexer(pd.Index(values, dtype=object))
    except TypeError:  # an unhashable value (a list where a code was expected)
        texts = [v if v.__class__ is str else None for v in list(values)]
        codes = index.get_indexer(pd.Index(texts, dtype=object))
    return np.asarray(codes, dtype=np.int64).reshape(len(values))


def choice_matrix(raw: Any, options: Sequence[str]) -> tuple[Any, Any]:
    """For a multiple choice: an (n × options) 0/1 matrix and whether each respondent answered
    (chose at least one real option)."""
    values = raw.tolist() if hasattr(raw, "tolist") else list(raw)
    lists = [v if v.__class__ is list else () for v in values]
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    flat = list(itertools.chain.from_iterable(lists))
    columns = _positions(flat, options)
    rows = np.repeat(np.arange(len(lists)), lengths)
    chosen = columns >= 0
    matrix = np.zeros((len(lists), len(options)), dtype=float)
    matrix[rows[chosen], columns[chosen]] = 1.0
    return matrix, matrix.any(axis=1)


def index_items(answers: Sequence[dict[str, Any]] | Answers) -> Any:
    """The five trust items as an (n × 5) float array, NaN where missing."""
    table = answers if isinstance(answers, Answers) else Answers(answers)
    if not table.n:
        return np.zeros((0, len(trust_index.ITEM_CODES)))
    low, high = float(trust_index.SCALE_MIN), float(trust_index.SCALE_MAX)
    return np.column_stack(
        [
            table.numbers(Variable(code, "mean", code, low=low, high=high))
            for code in trust_index.ITEM_CODES
        ]
    )


def index_scores(answers: Sequence[dict[str, Any]] | Answers) -> Any:
    """Each respondent's trust index (0–100) by ``trust_index.score``'s rule, vectorised:
    10 × the mean of the answered items when at least ``MIN_ANSWERED`` were answered, else NaN."""
    items = index_items(answers)
    answered = (~np.isnan(items)).sum(axis=1)
    total = np.nansum(items, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = 100.0 * total / (answered * (trust_index.SCALE_MAX - trust_index.SCALE_MIN))
    scores[answered < trust_index.MIN_ANSWERED] = _NAN
    return scores


# --- Cells ---------------------------------------------------------------------------------------


@dataclass
class Cells:
    """Per-cell results of one statistic over one grouping (arrays of length = cells)."""

    n: Any
    effective_n: Any
    value: Any
    se: Any
    low: Any = field(default=None)
    high: Any = field(default=None)


def mean_cells(y: Any, w: Any, group: Any, cells: int, *, n_total: int | None = None) -> Cells:
    """Weighted means of ``y`` per cell (``group`` −1 = in no cell) with their Taylor standard
    errors (domain form over all ``n_total`` respondents, ``len(y)`` by default; ``y``, ``w``
    and ``group`` may list a respondent once per dimension) and 95 % intervals."""
    n_total = len(y) if n_total is None else n_total
    valid = ~np.isnan(y)
    if len(group) and group.min() < 0:
        valid &= group >= 0
    g, wv, yv = group[valid], w[valid], y[valid]
    count = np.bincount(g, minlength=cells)
    total = np.bincount(g, weights=wv, minlength=cells)
    squares = np.bincount(g, weights=wv * wv, minlength=cells)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(g, weights=wv * yv, minlength=cells) / total
        residual = wv * (yv - mean[g])  # z_i × Σ_d w
        var = _finite(n_total) * np.bincount(g, weights=residual * residual, minlength=cells)
        se = np.sqrt(var) / total
        eff = total * total / squares
    return Cells(
        n=count, effective_n=eff, value=mean, se=se, low=mean - Z95 * se, high=mean + Z95 * se
    )


def _share_cells(
    chosen: Any, chosen_sq: Any, count: Any, total: Any, squares: Any, n_total: int
) -> Cells:
    """Shares from per-cell sums: ``chosen`` Σw and ``chosen_sq`` Σw² of the respondents who
    chose, ``total``/``squares`` over all who answered. Σz² of the linearised share is
    ``[Σ_chosen w² (1−p)² + Σ_other w² p²] / W²``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        p = chosen / total
        sum_z2 = (chosen_sq * (1 - p) ** 2 + (squares - chosen_sq) * p * p) / (total * total)
        se = np.sqrt(_finite(n_total) * sum_z2)
        eff = total * total / squares
    low, high = logit_interval(p, se)
    return Cells(n=count, effective_n=eff, value=p, se=se, low=low, high=high)


def share_cells(
    indicator: Any, valid: Any, w: Any, group: Any, cells: int, *, n_total: int | None = None
) -> list[Cells]:
    """Weighted shares of each column of the 0/1 ``indicator`` matrix among respondents with
    ``valid`` answers, per cell, with Taylor SEs and logit-scale 95 % intervals."""
    n_total = len(w) if n_total is None else n_total
    keep = valid & (group >= 0)
    g, wv, ind = group[keep], w[keep], indicator[keep]
    count = np.bincount(g, minlength=cells)
    total = np.bincount(g, weights=wv, minlength=cells)
    squares = np.bincount(g, weights=wv * wv, minlength=cells)
    return [
        _share_cells(
            np.bincount(g, weights=wv * ind[:, k], minlength=cells),
            np.bincount(g, weights=wv * wv * ind[:, k], minlength=cells),
            count,
            total,
            squares,
            n_total,
        )
        for k in range(ind.shape[1])
    ]


def single_share_cells(
    position: Any, w: Any, group: Any, cells: int, options: int, *, n_total: int | None = None
) -> list[Cells]:
    """``share_cells`` for a single choice given as each respondent's option position (−1:
    missing): every option of every cell in two ``bincount`` calls."""
    n_total = len(w) if n_total is None else n_total
    keep = (position >= 0) & (group >= 0)
    g, wv, k = group[keep], w[keep], position[keep]
    count = np.bincount(g, minlength=cells)
    total = np.bincount(g, weights=wv, minlength=cells)
    squares = np.bincount(g, weights=wv * wv, minlength=cells)
    flat = g * options + k
    chosen = np.bincount(flat, weights=wv, minlength=cells * options).reshape(cells, options)
    chosen_sq = np.bincount(flat, weights=wv * wv, minlength=cells * options).reshape(
        cells, options
    )
    return [
        _share_cells(chosen[:, j], chosen_sq[:, j], count, total, squares, n_total)
        for j in range(options)
    ]


def logit_interval(p: Any, se: Any) -> tuple[Any, Any]:
    """The 95 % interval of a proportion built on the logit scale (0 and 1: zero width)."""
    p = np.asarray(p, dtype=float)
    se = np.asarray(se, dtype=float)
    low = p.copy()
    high = p.copy()
    inside = (p > 0) & (p < 1) & np.isfinite(se)
    pi = p[inside]
    logit = np.log(pi / (1 - pi))
    half = Z95 * se[inside] / (pi * (1 - pi))
    low[inside] = 1 / (1 + np.exp(-(logit - half)))
    high[inside] = 1 / (1 + np.exp(-(logit + half)))
    return low, high


def _finite(n: int) -> float:
    return n / (n - 1) if n > 1 else 0.0


# --- Everything for a run ---------------------------------------------------------------------


@dataclass
class Layout:
    """Every respondent listed once per dimension, with the cell they fall in there (a
    respondent with no category in a dimension is not listed for it): the estimates of every
    cell of every dimension come from one ``bincount`` per sum."""

    spans: list[tuple[str, list[str], int]]  # dimension, its categories, offset of its cells
    cells: int
    row: Any  # respondent of each entry
    cell: Any  # cell of each entry


def layout_of(sample: Sample, dimensions: Sequence[str] = DIMENSIONS) -> Layout:
    n = len(sample)
    spans: list[tuple[str, list[str], int]] = []
    rows: list[Any] = []
    cells: list[Any] = []
    offset = 0
    for dimension in dimensions:
        if dimension == "all":
            names, inverse = [""], np.zeros(n, dtype=np.int64)
        else:
            values = sample.demographics[dimension].astype(str)
            categories, inverse = np.unique(values, return_inverse=True)
            inverse = inverse.astype(np.int64).reshape(n)
            names = [str(c) for c in categories]
            if "" in names:
                blank = names.index("")
                inverse = np.where(inverse == blank, -1, inverse - (inverse > blank))
                names.pop(blank)
        present = np.flatnonzero(inverse >= 0)
        rows.append(present)
        cells.append(inverse[present] + offset)
        spans.append((dimension, names, offset))
        offset += len(names)
    return Layout(
        spans=spans,
        cells=offset,
        row=np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64),
        cell=np.concatenate(cells) if cells else np.zeros(0, dtype=np.int64),
    )


def compute(survey: Survey, run: WeightingRun, *, sample: Sample | None = None) -> list[Estimate]:
    """Every estimate of the run (unsaved ``Estimate`` rows): each question × statistic ×
    dimension × category, plus the trust index (mean) and the trusting share when the survey
    measures it. ``sample`` (with weights) saves reading the responses again."""
    with no_cyclic_gc():
        return _compute(survey, run, sample)


def _compute(survey: Survey, run: WeightingRun, sample: Sample | None) -> list[Estimate]:
    if sample is None:
        sample = load_sample(survey)
    weighted = ~np.isnan(np.asarray(sample.weights, dtype=float))
    if not weighted.all():
        sample = sample.subset(weighted)
    n = len(sample)
    questions = Question.objects.filter(version=survey.version).prefetch_related("options")
    table = sample.answers
    w = np.asarray(sample.weights, dtype=float)
    full, everyone = layout_of(sample), layout_of(sample, ("all",))
    weights = {id(full): w[full.row], id(everyone): w[everyone.row]}
    rules = {"min_cell": survey.min_cell, "caution_cell": survey.caution_cell}
    rows: list[Estimate] = []

    def emit(question: str, statistic: str, layout: Layout, cells: Cells) -> None:
        counts = cells.n.tolist()
        effective = cells.effective_n.tolist()
        values = [cells.value.tolist(), cells.se.tolist(), cells.low.tolist(), cells.high.tolist()]
        for dimension, categories, offset in layout.spans:
            for index, category in enumerate(categories):
                at = offset + index
                count = int(counts[at])
                if count == 0:
                    continue
                eff = float(effective[at])
                suppressed, caution = cell_status(count, eff, **rules)
                value, se, low, high = (
                    (None, None, None, None) if suppressed else (_number(v[at]) for v in values)
                )
                rows.append(
                    Estimate(
                        run_id=run.pk,
                        question=question,
                        statistic=statistic,
                        dimension=dimension,
                        category=category,
                        n=count,
                        effective_n=round(eff, 3),
                        value=value,
                        se=se,
                        low=low,
                        high=high,
                        suppressed=suppressed,
                        caution=caution,
                    )
                )

    for variable in variables_of(questions):
        layout = everyone if variable.demographic else full
        w_long, at = weights[id(layout)], layout.row
        if variable.statistic == "mean":
            y = table.numbers(variable)
            cells = mean_cells(y[at], w_long, layout.cell, layout.cells, n_total=n)
            emit(variable.code, "mean", layout, cells)
            continue
        raw = table.of(variable)
        if variable.statistic == "single":
            position = choice_index(raw, variable.options)
            by_option = single_share_cells(
                position[at], w_long, layout.cell, layout.cells, len(variable.options), n_total=n
            )
        else:
            indicator, valid = choice_matrix(raw, variable.options)
            by_option = share_cells(
                indicator[at], valid[at], w_long, layout.cell, layout.cells, n_total=n
            )
        for option, cells in zip(variable.options, by_option, strict=True):
            emit(variable.code, f"share:{option}", layout, cells)

    if survey.is_trust_index:
        scores = index_scores(table)
        has_score = ~np.isnan(scores)
        trusting = (np.nan_to_num(scores, nan=-1.0) >= trust_index.TRUSTING_FROM).astype(float)
        at, w_long = full.row, weights[id(full)]
        emit(
            Estimate.TRUST_INDEX,
            "mean",
            full,
            mean_cells(scores[at], w_long, full.cell, full.cells, n_total=n),
        )
        (cells,) = share_cells(
            trusting[at][:, None], has_score[at], w_long, full.cell, full.cells, n_total=n
        )
        emit(Estimate.TRUSTING, TRUSTING_STATISTIC, full, cells)
    return rows


def insert(rows: Sequence[Estimate], *, batch: int = 2000) -> int:
    """Write estimate rows with ``executemany`` (``bulk_create`` compiles SQL for every row:
    seconds for the ~7,000 cells of a national wave)."""
    from django.db import connection

    if not rows:
        return 0
    fields = [f for f in Estimate._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    table = quote(Estimate._meta.db_table)
    columns = ", ".join(quote(str(f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - model names, values bound
    names = [f.attname for f in fields]
    params = [[getattr(row, name) for name in names] for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(params), batch):
            cursor.executemany(sql, params[start : start + batch])
    return len(rows)


def _number(value: Any) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None
