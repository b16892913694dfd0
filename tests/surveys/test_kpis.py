"""The public indicators of surveys: waves run (by the conducting body's region), respondents
(by their region and the way they answered), and the trust index of published waves read from
the stored estimates of their latest run, suppressed cells left out."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from freezegun import freeze_time

from birlik.core import kpi
from birlik.surveys.models import Mode, Survey

from ..factories import region
from .factories import make_response, make_survey, trust_version
from .results_helpers import INDEX, cell, make_run, trust_wave

pytestmark = pytest.mark.django_db

YEAR = kpi.Period.year(2025)
NOW = "2026-02-10 10:00:00+05:00"


@pytest.fixture(autouse=True)
def _in_february_2026():
    with freeze_time(NOW):
        yield


def wave(organisation, ends_on, status=Survey.Status.CLOSED):
    return make_survey(trust_version(organisation), organisation, ends_on=ends_on, status=status)


def test_surveys_run_are_counted_by_the_region_of_the_body_that_conducted_them(network):
    wave(network.pavlodar, datetime.date(2025, 5, 31))
    wave(network.pavlodar_house, datetime.date(2025, 12, 31))
    wave(network.almaty, datetime.date(2025, 1, 1), status=Survey.Status.PUBLISHED)
    wave(network.root, datetime.date(2025, 10, 1), status=Survey.Status.WEIGHTED)
    wave(network.pavlodar, datetime.date(2025, 6, 1), status=Survey.Status.PLANNED)  # never ran
    wave(network.pavlodar, datetime.date(2024, 12, 31))  # another year
    wave(network.pavlodar, None)
    rows = kpi.compute("surveys.run", YEAR)
    assert sorted((r["region"], r["value"]) for r in rows) == [
        ("KZ-55", 2),
        ("KZ-75", 1),
        ("none", 1),
    ]
    assert [
        (r["region"], r["value"]) for r in kpi.compute("surveys.run", YEAR, region("KZ-55"))
    ] == [("KZ-55", 2)]
    item = kpi.REGISTRY.indicators["surveys.run"]
    assert item.public and kpi.total_of(item, rows) == 4


def test_a_wave_still_in_the_field_counts_once_its_last_day_is_past(network):
    wave(network.pavlodar, datetime.date(2026, 2, 9), status=Survey.Status.FIELDWORK)
    wave(network.pavlodar, datetime.date(2026, 3, 1), status=Survey.Status.FIELDWORK)
    rows = kpi.compute("surveys.run", kpi.Period.year(2026))
    assert [(r["region"], r["value"]) for r in rows] == [("KZ-55", 1)]


def test_respondents_are_counted_by_their_region_and_mode(network):
    survey = wave(network.root, datetime.date(2025, 10, 1))
    day = datetime.date(2025, 9, 15)
    for _ in range(3):
        make_response(survey, {}, region=region("KZ-55"), mode=Mode.WEB, submitted_on=day)
    make_response(survey, {}, region=region("KZ-55"), mode=Mode.PAPER, submitted_on=day)
    make_response(survey, {}, region=region("KZ-75"), mode=Mode.INTERVIEWER, submitted_on=day)
    make_response(survey, {}, mode=Mode.WEB, submitted_on=day)  # no region given
    make_response(survey, {}, region=region("KZ-55"), excluded=True, submitted_on=day)
    make_response(survey, {}, region=region("KZ-55"), submitted_on=datetime.date(2024, 9, 1))
    rows = kpi.compute("surveys.respondents", YEAR)
    assert sorted((r["survey_region"], r["survey_mode"], r["value"]) for r in rows) == [
        ("KZ-55", "paper", 1),
        ("KZ-55", "web", 3),
        ("KZ-75", "interviewer", 1),
        ("none", "web", 1),
    ]
    pavlodar = kpi.compute("surveys.respondents", YEAR, region("KZ-55"))
    assert sum(r["value"] for r in pavlodar) == 4
    item = kpi.REGISTRY.indicators["surveys.respondents"]
    assert item.public and kpi.total_of(item, rows) == 6


def test_the_trust_index_comes_from_the_latest_run_of_published_waves(network):
    published = trust_wave(network.root, year=2025)
    trust_wave(network.root, year=2025, wave=2, published=False)
    make_run(
        published,
        [
            cell(INDEX, "all", "", 64.04),
            cell(INDEX, "region", "KZ-55", 70.0),
            cell(INDEX, "region", "KZ-75", None, n=20, suppressed=True),
        ],
        created_at=timezone.now(),
    )
    rows = kpi.compute("surveys.trust_index", YEAR)
    assert [(r["survey_wave"], r["survey_region"], r["value"]) for r in rows] == [
        (published.slug, "all", 64.0),
        (published.slug, "KZ-55", 70.0),
    ]
    pavlodar = kpi.compute("surveys.trust_index", YEAR, region("KZ-55"))
    assert [(r["survey_region"], r["value"]) for r in pavlodar] == [("KZ-55", 70.0)]
    assert kpi.compute("surveys.trust_index", YEAR, region("KZ-75")) == []
    assert kpi.compute("surveys.trust_index", kpi.Period.year(2024)) == []
    item = kpi.REGISTRY.indicators["surveys.trust_index"]
    assert item.public and not item.is_additive and kpi.total_of(item, rows) is None


def test_the_breakdowns_are_named_in_the_readers_language(network):
    survey = trust_wave(network.root, year=2025)
    with translation.override("en"):
        rows = kpi.label_rows(
            kpi.compute("surveys.trust_index", YEAR), ("survey_wave", "survey_region")
        )
        assert rows[0]["survey_wave_name"] == "Trust survey 2025/1"
        assert rows[0]["survey_region_name"] == "all respondents"
        assert rows[1]["survey_region_name"] == "Pavlodar Region"
        assert kpi.REGISTRY.labels["survey_mode"]()["paper"] == "paper questionnaire"
        assert kpi.REGISTRY.labels["survey_region"]()["none"] == "region not given"
    with translation.override("kk"):
        rows = kpi.label_rows(kpi.compute("surveys.trust_index", YEAR), ("survey_wave",))
        assert rows[0]["survey_wave_name"] == str(survey.title_kk)
        assert kpi.REGISTRY.labels["survey_region"]()["KZ-55"] == "Павлодар облысы"


def test_the_indicators_cost_a_fixed_number_of_queries(network, django_assert_max_num_queries):
    for year in (2023, 2024, 2025):
        trust_wave(network.root, year=year)
    for key in ("surveys.run", "surveys.respondents", "surveys.trust_index"):
        with django_assert_max_num_queries(2):
            kpi.compute(key, YEAR)
