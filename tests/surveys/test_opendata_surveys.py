"""The open data of surveys: aggregate tables of published waves only — the estimates of their
latest run and the trust index by region — never a suppressed cell, never a response."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from birlik.reports.documents import opendata

from .factories import make_response
from .results_helpers import HIDDEN_VALUE, INDEX, cell, make_run, trust_wave

pytestmark = pytest.mark.django_db


def rows(code: str) -> list[dict]:
    dataset = opendata.DATASETS_BY_CODE[code]
    context = opendata.Context(years=[2025])
    return [dict(zip(dataset.field_names, row, strict=True)) for row in dataset.rows(context)]


def test_survey_estimates_hold_published_cells_of_the_latest_run_only(network):
    published = trust_wave(network.root, year=2025)
    trust_wave(network.root, year=2026, published=False, national=50.5)
    make_response(published, {"T1": 7, "Q9": "secret answer"})
    found = rows("survey_estimates")
    assert found, "the published wave's cells"
    assert {row["survey"] for row in found} == {published.slug}
    assert all(row["value"] is not None for row in found)
    assert HIDDEN_VALUE not in {row["value"] for row in found}
    assert not any(row["category"] == "KZ-75" for row in found)  # suppressed there
    overall = next(r for r in found if r["question"] == INDEX and r["dimension"] == "all")
    assert overall["value"] == 66.4 and overall["n"] == 1500 and overall["year"] == 2025
    assert overall["low"] == pytest.approx(66.4 - 1.568) and overall["caution"] is False
    russian = next(r for r in found if r["category"] == "russian")
    assert russian["caution"] is True
    trusting = next(r for r in found if r["question"] == "TRUSTING" and r["dimension"] == "all")
    assert trusting["statistic"] == "share:TRUSTING" and trusting["value"] == 0.614
    make_run(
        published,
        [cell(INDEX, "all", "", 58.0, n=1400)],
        created_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert [(r["question"], r["value"]) for r in rows("survey_estimates")] == [(INDEX, 58.0)]


def test_the_trust_index_table_gives_each_published_wave_nationally_and_by_region(network):
    first = trust_wave(network.root, year=2024, national=61.0)
    second = trust_wave(network.root, year=2025, national=66.4)
    trust_wave(network.root, year=2026, published=False)
    found = rows("trust_index")
    assert [(r["survey"], r["year"], r["region"], r["value"]) for r in found] == [
        (first.slug, 2024, "KZ", 61.0),
        (first.slug, 2024, "KZ-55", 71.2),
        (second.slug, 2025, "KZ", 66.4),
        (second.slug, 2025, "KZ-55", 71.2),
    ]
    assert found[0]["n"] == 1500 and found[0]["low"] == pytest.approx(61.0 - 1.568)


def test_no_dataset_of_surveys_has_a_field_of_a_response(network):
    for code in ("survey_estimates", "trust_index"):
        names = set(opendata.DATASETS_BY_CODE[code].field_names)
        assert not names & {"answers", "client_uuid", "device_digest", "entered_by", "text"}
    assert opendata.DATASETS_BY_CODE["trust_index"].field_names == [
        "survey",
        "year",
        "wave",
        "region",
        "value",
        "low",
        "high",
        "n",
    ]
