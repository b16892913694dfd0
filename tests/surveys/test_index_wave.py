"""The trust index end to end: the ≥ 4-of-5 rule, and a seeded wave of 5,000 generated
respondents with a known index per region, sampled with known biases, weighed and estimated."""

from __future__ import annotations

import datetime
from decimal import Decimal

import numpy as np
import pytest

from birlik.demo import survey_sample
from birlik.surveys import estimates, queries, services, trust_index
from birlik.surveys.models import Estimate, MarginTarget, Survey

from .factories import make_survey, trust_version

pytestmark = pytest.mark.django_db


def test_score_needs_four_of_five_answered_items():
    assert trust_index.score({"T1": 10, "T2": 10, "T3": 10, "T4": 0}) == pytest.approx(75.0)
    assert trust_index.score({"T1": 10, "T2": 10, "T3": 10, "T4": 0, "T5": "88"}) == 75.0
    assert trust_index.score({"T1": 10, "T2": 10, "T3": "99", "T4": 0, "T5": "88"}) is None
    assert trust_index.score({"T1": 5, "T2": 5, "T3": 5}) is None


def test_vectorised_scores_agree_with_the_one_definition():
    rows = [
        {"T1": 7, "T2": 8, "T3": 6, "T4": 9, "T5": 10},
        {"T1": 7, "T2": "88", "T3": 6, "T4": 9, "T5": 10},
        {"T1": 7, "T2": "88", "T3": "99", "T4": 9, "T5": 10},
        {"T1": 0, "T2": 0, "T3": 0, "T4": 0},
        {"T1": 11, "T2": 5, "T3": 5, "T4": 5, "T5": 5},  # out of range: missing
        {},
    ]
    vector = estimates.index_scores(rows)
    for row, value in zip(rows, vector, strict=True):
        expected = trust_index.score(row)
        if expected is None:
            assert np.isnan(value)
        else:
            assert value == pytest.approx(expected)


def test_reliability_of_perfectly_parallel_items():
    rng = np.random.default_rng(3)
    common = rng.normal(size=400)
    items = np.column_stack([common + rng.normal(scale=0.5, size=400) for _ in range(5)])
    alpha = trust_index.cronbach_alpha(items)
    loadings = trust_index.first_factor_loadings(items)
    # Five items with reliability 1/(1+0.25) each: α = 5r/(1+4r) with r = 0.8 → 0.952.
    assert alpha == pytest.approx(0.952, abs=0.01)
    assert loadings is not None
    assert all(value == pytest.approx(0.894, abs=0.04) for value in loadings)
    assert trust_index.cronbach_alpha(items[:1]) is None


def region_margins(margin_set) -> None:
    for iso, share in survey_sample.population_shares()["region"].items():
        MarginTarget.objects.create(
            margin_set=margin_set,
            dimension="region",
            category=iso,
            share=Decimal(f"{share:.6f}"),
            source="illustrative (test)",
            as_of=datetime.date(2025, 12, 1),
        )
    targets = list(margin_set.targets.filter(dimension="region"))
    gap = Decimal(1) - sum(t.share for t in targets)
    targets[0].share += gap
    targets[0].save()


def weighed_wave(network, n: int, seed: int) -> Survey:
    version = trust_version(network.root)
    margin_set = services.margin_set_default(network.root, user=None, title="Wave margins")
    region_margins(margin_set)
    survey = make_survey(version, network.root, is_trust_index=True, margin_set=margin_set)
    assert survey_sample.generate(survey, n, seed=seed) == n
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status"])
    services.survey_weigh(survey, user=network.users["analyst"])
    return survey


def test_a_seeded_wave_recovers_the_known_index(network):
    survey = weighed_wave(network, 5000, seed=1)
    run = queries.latest_run(survey)
    assert run.n == 5000
    assert run.worst_margin_error <= 0.01
    assert run.method["alpha"] > 0.7
    national = Estimate.objects.get(
        run=run, question=Estimate.TRUST_INDEX, statistic="mean", dimension="all"
    )
    truth = survey_sample.national_truth()
    assert national.low <= truth <= national.high
    # The biases move the unweighted mean away from the truth; weighting brings it back.
    scores = estimates.index_scores(list(survey.responses.values_list("answers", flat=True)))
    assert abs(np.nanmean(scores) - truth) > abs(national.value - truth)

    regional = Estimate.objects.filter(
        run=run, question=Estimate.TRUST_INDEX, statistic="mean", dimension="region"
    )
    assert regional.count() == 20
    covered = sum(
        e.low <= survey_sample.TRUE_INDEX[e.category] <= e.high
        for e in regional
        if not e.suppressed
    )
    assert covered >= 17
    trusting = Estimate.objects.get(
        run=run, question=Estimate.TRUSTING, statistic=estimates.TRUSTING_STATISTIC, dimension="all"
    )
    assert 0 < trusting.low < trusting.value < trusting.high < 1


def test_trust_series_and_trend(network):
    first = weighed_wave(network, 2000, seed=1)
    second = weighed_wave(network, 2000, seed=2)
    second.wave = 2
    second.save(update_fields=["wave"])
    services.survey_publish(first, user=network.users["analyst"])
    assert [entry["survey"] for entry in queries.trust_series()] == [first]
    services.survey_publish(second, user=network.users["analyst"])
    series = queries.trust_series()
    assert [entry["survey"] for entry in series] == [first, second]
    assert set(series[0]["regions"]) <= set(survey_sample.TRUE_INDEX)
    diff, se, significant = queries.trend_change(series[0]["national"], series[1]["national"])
    a, b = series[0]["national"], series[1]["national"]
    assert diff == pytest.approx(b["value"] - a["value"])
    assert se == pytest.approx((a["se"] ** 2 + b["se"] ** 2) ** 0.5)
    assert significant == (abs(diff) > 1.96 * se)
    assert queries.trend_change({"value": 60, "se": 1}, {"value": 64, "se": 1}) == (
        4,
        pytest.approx(2**0.5),
        True,
    )
    assert queries.trend_change({"value": 60, "se": 1}, {"value": 62, "se": 1})[2] is False
    assert queries.trend_change(None, {"value": 62, "se": 1}) == (None, None, False)
