"""Estimates: the suppression rule, means and shares with Taylor SEs and intervals equal to a
direct computation, missing codes, open text, matrix rows, and the rows written for a run."""

from __future__ import annotations

import math

import numpy as np
import pytest

from birlik.surveys import estimates
from birlik.surveys.models import Estimate, Survey, WeightingRun

from .factories import make_response, make_survey, make_version

Z = 1.959963984540054


# --- The one suppression rule ----------------------------------------------------------------


def test_a_cell_below_min_cell_is_suppressed_and_at_min_cell_published_with_caution():
    rule = {"min_cell": 50, "caution_cell": 100}
    assert estimates.cell_status(49, 49.0, **rule) == (True, False)
    assert estimates.cell_status(50, 50.0, **rule) == (False, True)
    assert estimates.cell_status(99, 99.0, **rule) == (False, True)
    assert estimates.cell_status(100, 100.0, **rule) == (False, False)
    # Enough respondents, too unequal weights: caution.
    assert estimates.cell_status(120, 49.9, **rule) == (False, True)
    assert estimates.cell_status(120, 50.0, **rule) == (False, False)


# --- Means and shares against a direct computation ------------------------------------------


def direct_mean(y, w, in_domain):
    """Ratio mean over a domain and its linearised SE, written out by hand: residuals
    z_i = w_i (y_i − ȳ) / Σ_d w for respondents in the domain with a value, 0 for every
    other respondent, and se² = n/(n−1) Σ (z_i − z̄)² over all n respondents."""
    n = len(y)
    total = sum(w[i] for i in range(n) if in_domain[i] and not math.isnan(y[i]))
    mean = sum(w[i] * y[i] for i in range(n) if in_domain[i] and not math.isnan(y[i])) / total
    z = [
        w[i] * (y[i] - mean) / total if in_domain[i] and not math.isnan(y[i]) else 0.0
        for i in range(n)
    ]
    z_bar = sum(z) / n
    se = math.sqrt(n / (n - 1) * sum((v - z_bar) ** 2 for v in z))
    return mean, se


def test_weighted_means_and_intervals_equal_a_direct_computation():
    rng = np.random.default_rng(5)
    n = 400
    y = rng.integers(0, 11, size=n).astype(float)
    y[rng.random(n) < 0.1] = np.nan  # item non-response
    w = rng.uniform(0.3, 3.0, size=n)
    group = rng.integers(-1, 3, size=n)  # −1: no category
    cells = estimates.mean_cells(y, w, group, 3)
    everyone = estimates.mean_cells(y, w, np.zeros(n, dtype=np.int64), 1)
    mean, se = direct_mean(y, w, [True] * n)
    assert everyone.value[0] == pytest.approx(mean)
    assert everyone.se[0] == pytest.approx(se)
    assert everyone.low[0] == pytest.approx(mean - Z * se)
    assert everyone.high[0] == pytest.approx(mean + Z * se)
    valid = ~np.isnan(y)
    assert everyone.n[0] == valid.sum()
    assert everyone.effective_n[0] == pytest.approx(w[valid].sum() ** 2 / (w[valid] ** 2).sum())
    for k in range(3):
        mean, se = direct_mean(y, w, list(group == k))
        assert cells.value[k] == pytest.approx(mean)
        assert cells.se[k] == pytest.approx(se)
        assert cells.n[k] == (valid & (group == k)).sum()


def test_shares_and_their_logit_intervals_equal_a_direct_computation():
    rng = np.random.default_rng(9)
    n = 300
    answer = rng.choice(["1", "2", "3", None], size=n, p=[0.5, 0.3, 0.15, 0.05])
    w = rng.uniform(0.5, 2.5, size=n)
    group = rng.integers(0, 2, size=n)
    position = estimates.choice_index(list(answer), ["1", "2", "3"])
    valid = position >= 0
    indicator = np.zeros((n, 3))
    indicator[np.flatnonzero(valid), position[valid]] = 1
    cells = estimates.share_cells(indicator, valid, w, group, 2)
    for k, option in enumerate(["1", "2", "3"]):
        for g in range(2):
            y = [
                (1.0 if answer[i] == option else 0.0) if answer[i] is not None else math.nan
                for i in range(n)
            ]
            p, se = direct_mean(y, w, list(group == g))
            logit = math.log(p / (1 - p))
            half = Z * se / (p * (1 - p))
            assert cells[k].value[g] == pytest.approx(p)
            assert cells[k].se[g] == pytest.approx(se)
            assert cells[k].low[g] == pytest.approx(1 / (1 + math.exp(-(logit - half))))
            assert cells[k].high[g] == pytest.approx(1 / (1 + math.exp(-(logit + half))))
            assert 0 < cells[k].low[g] < p < cells[k].high[g] < 1


def test_the_single_choice_shortcut_equals_the_indicator_computation():
    rng = np.random.default_rng(2)
    n = 500
    position = rng.integers(-1, 4, size=n)  # −1: no answer
    w = rng.uniform(0.4, 3.0, size=n)
    group = rng.integers(0, 5, size=n)
    valid = position >= 0
    indicator = np.zeros((n, 4))
    indicator[np.flatnonzero(valid), position[valid]] = 1
    slow = estimates.share_cells(indicator, valid, w, group, 5)
    fast = estimates.single_share_cells(position, w, group, 5, 4)
    for a, b in zip(slow, fast, strict=True):
        for field in ("n", "effective_n", "value", "se", "low", "high"):
            assert np.allclose(getattr(a, field), getattr(b, field))


def test_answers_read_in_chunks_keep_their_types():
    """Chunks of answers with different column types (a chunk of whole numbers, one with a
    "don't know") are joined; numbers and codes are still read as such."""
    import pandas as pd

    first = pd.DataFrame.from_records([{"S": 3, "C": "1"}, {"S": 4, "C": "2"}])
    second = pd.DataFrame.from_records([{"S": "88", "C": "2"}, {"C": "9"}])
    table = estimates.Answers(frame=pd.concat([first, second], ignore_index=True, sort=False))
    y = estimates.numbers(table.column("S"), 0, 10)
    assert y[:2].tolist() == [3.0, 4.0] and np.isnan(y[2:]).all()
    assert estimates.choice_index(table.column("C"), ["1", "2"]).tolist() == [0, 1, 1, -1]
    assert estimates.choice_index(table.column("absent"), ["1"]).tolist() == [-1] * 4


def test_a_share_of_zero_has_an_interval_of_zero_width():
    low, high = estimates.logit_interval(np.array([0.0, 1.0]), np.array([0.0, 0.0]))
    assert list(low) == [0.0, 1.0]
    assert list(high) == [0.0, 1.0]


def test_missing_codes_text_and_out_of_range_values_are_not_numbers():
    y = estimates.numbers([3, "88", "99", None, "7", True, 11, 2.5], 0, 10)
    assert y[0] == 3 and y[7] == 2.5
    assert np.isnan(y[1:7]).all()


# --- Rows for a run ---------------------------------------------------------------------------


@pytest.fixture
def weighted_survey(network):
    version = make_version(
        network.root,
        [
            ("D_SEX", "single", {"options": ["female", "male"], "role": "sex"}),
            ("S1", "scale", {"scale_min": 0, "scale_max": 10, "options": ["88", "99"]}),
            ("C1", "single", {"options": ["1", "2", "88"]}),
            ("M1", "multiple", {"options": ["a", "b", "c"]}),
            ("N1", "number", {"number_min": 0, "number_max": 120}),
            ("X1", "text", {}),
            ("G1", "matrix", {"scale_min": 1, "scale_max": 5, "rows": ["r1", "r2"]}),
        ],
    )
    survey = make_survey(
        version, network.root, status=Survey.Status.WEIGHTED, min_cell=20, caution_cell=40
    )
    rng = np.random.default_rng(1)
    for i in range(60):
        sex = "female" if i < 45 else "male"  # 15 men: their cells are suppressed
        make_response(
            survey,
            {
                "D_SEX": sex,
                "S1": "88" if i % 10 == 0 else int(rng.integers(0, 11)),
                "C1": ["1", "2", "88"][i % 3],
                "M1": [["a"], ["a", "b"], ["c"]][i % 3],
                "N1": int(rng.integers(18, 80)),
                "X1": "free text",
                "G1": {"r1": int(rng.integers(1, 6)), "r2": "99"},
            },
            sex=sex,
            weight=float(rng.uniform(0.5, 2.0)),
        )
    make_response(survey, {"S1": 10}, sex="male", weight=1.0, excluded=True)
    run = WeightingRun.objects.create(survey=survey, trim_cap=4, n=60)
    return survey, run


def test_compute_writes_every_question_by_every_dimension(weighted_survey):
    survey, run = weighted_survey
    rows = estimates.compute(survey, run)
    found = {(r.question, r.statistic, r.dimension, r.category): r for r in rows}
    assert ("X1", "mean", "all", "") not in found  # open text is never estimated
    assert not any(r.question == "X1" for r in rows)
    # Demographic questions: for everyone only.
    assert {(r.dimension) for r in rows if r.question == "D_SEX"} == {"all"}
    # The scale's "don't know" is missing, not zero.
    s1 = found[("S1", "mean", "all", "")]
    answers = survey.responses.filter(excluded=False).order_by("pk")
    values = [(r.answers["S1"], r.weight) for r in answers if r.answers["S1"] != "88"]
    expected = sum(v * w for v, w in values) / sum(w for _v, w in values)
    assert s1.value == pytest.approx(expected)
    assert s1.n == 54
    # Shares: 88 is not an option of the shares; the two others sum to 1.
    c1 = [found[("C1", f"share:{o}", "all", "")].value for o in ("1", "2")]
    assert ("C1", "share:88", "all", "") not in found
    assert sum(c1) == pytest.approx(1.0)
    assert found[("C1", "share:1", "all", "")].n == 40
    # Multiple choice: shares of respondents, which may sum above 1.
    m1 = sum(found[("M1", f"share:{o}", "all", "")].value for o in "abc")
    assert m1 > 1
    # Matrix rows are questions of their own; an all-missing row has no cell.
    assert ("G1.r1", "mean", "all", "") in found
    assert not any(r.question == "G1.r2" for r in rows)
    # Suppression: 14 men answered S1, fewer than min_cell (20): nothing of it is published.
    men = found[("S1", "mean", "sex", "male")]
    assert men.n == 14
    assert men.suppressed and men.value is None and men.se is None and men.low is None
    # 45 women: published; fewer than 50 effective respondents, so with caution.
    women = found[("N1", "mean", "sex", "female")]
    assert women.n == 45 and not women.suppressed and women.value is not None
    assert women.caution and women.effective_n < 45
    assert women.low < women.value < women.high
    assert not any(r.question == Estimate.TRUST_INDEX for r in rows)


def test_the_trust_index_rows_of_a_trust_survey(network):
    from .factories import trust_version

    survey = make_survey(trust_version(network.root), network.root, is_trust_index=True, min_cell=5)
    scores = []
    for i in range(30):
        items = {f"T{k}": (i + k) % 11 for k in range(1, 6)}
        if i % 7 == 0:
            items["T1"], items["T2"] = "88", "99"  # two missing: no score
        make_response(survey, items, weight=1.0 + (i % 3))
        scores.append(None if i % 7 == 0 else 10 * sum(items.values()) / 5)
    run = WeightingRun.objects.create(survey=survey, trim_cap=4, n=30)
    rows = estimates.compute(survey, run)
    index = next(r for r in rows if r.question == Estimate.TRUST_INDEX and r.dimension == "all")
    weights = [1.0 + (i % 3) for i in range(30)]
    pairs = [(s, w) for s, w in zip(scores, weights, strict=True) if s is not None]
    assert index.statistic == "mean"
    assert index.n == len(pairs)
    assert index.value == pytest.approx(sum(s * w for s, w in pairs) / sum(w for _s, w in pairs))
    trusting = next(r for r in rows if r.question == Estimate.TRUSTING and r.dimension == "all")
    assert trusting.statistic == estimates.TRUSTING_STATISTIC
    share = sum(w for s, w in pairs if s >= 60) / sum(w for _s, w in pairs)
    assert trusting.value == pytest.approx(share)
