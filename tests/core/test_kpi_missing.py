"""An indicator says what the records lack for its figure to be whole (``missing``), and which
indicators say so is listed here: a new one must be added to the list, a fixed one removed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from freezegun import freeze_time

from birlik.core import kpi
from birlik.events.models import Event, HistoricalFigure, Programme
from birlik.mediation.models import Mediator

from ..events.factories import EventFactory
from ..mediation.factories import MediatorFactory

YEAR = kpi.Period.year(2025)
TODAY = "2026-06-30 12:00:00+05:00"

# The indicators whose figure of 2025 lacks something on an empty database: «Мың бала» has no
# record of any of its ten years.
MISSING_ON_AN_EMPTY_DATABASE = {"events.myn_bala_decade"}
# ... and on the world below: its ten years are all recorded; 2025 has a yearly total imported,
# which gives no kind of event; a mediator excluded since may have been active then.
MISSING_ON_THE_WORLD = {"events.festivals", "events.performances", "mediation.mediators"}


def with_missing(period: kpi.Period = YEAR) -> dict[str, str]:
    return {item.key: text for item in kpi.indicators() if (text := kpi.missing(item.key, period))}


@pytest.fixture
def world(network):
    """«Мың бала» recorded for each of the ten years to 2025 (imported totals for 2016–2025,
    an event held in 2025), and a mediator registered in 2024, excluded since."""
    myn_bala = Programme.objects.get(code="myn_bala")
    for year in range(2016, 2026):
        HistoricalFigure.objects.create(
            year=year,
            organisation=network.pavlodar_house,
            programme=myn_bala,
            events_count=100 + year % 10,
            participants=2_000,
        )
    EventFactory(
        organiser=network.pavlodar_house,
        programme=myn_bala,
        status=Event.Status.HELD,
        starts_at=datetime.datetime(2025, 4, 2, 6, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2025, 4, 2, 8, tzinfo=datetime.UTC),
    )
    MediatorFactory(person=network.pavlodar_person, status=Mediator.Status.EXCLUDED)
    return network


@freeze_time(TODAY)
def test_the_indicators_that_lack_something_on_an_empty_database(db):
    assert set(with_missing()) == MISSING_ON_AN_EMPTY_DATABASE


@freeze_time(TODAY)
def test_the_indicators_that_lack_something_on_a_seeded_world(world):
    assert set(with_missing()) == MISSING_ON_THE_WORLD


@freeze_time(TODAY)
def test_the_decade_names_the_years_without_any_record(network):
    myn_bala = Programme.objects.get(code="myn_bala")
    for year in (2017, 2018, 2020, 2021, 2022, 2023, 2024):
        HistoricalFigure.objects.create(
            year=year, organisation=network.pavlodar_house, programme=myn_bala, events_count=5
        )
    EventFactory(
        organiser=network.almaty_house,
        region=network.almaty_house.region,
        programme=myn_bala,
        status=Event.Status.HELD,
        starts_at=datetime.datetime(2025, 9, 1, 6, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2025, 9, 1, 8, tzinfo=datetime.UTC),
    )
    with translation.override("en"):
        text = kpi.missing("events.myn_bala_decade", YEAR)
        assert text.startswith("No record at all for 2016, 2019:")
        # In Almaty only 2025 is recorded; in Pavlodar 2025 is not.
        almaty = kpi.missing("events.myn_bala_decade", YEAR, network.almaty_house.region)
        assert "2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024:" in almaty
        pavlodar = kpi.missing("events.myn_bala_decade", YEAR, network.pavlodar_house.region)
        assert "2016, 2019, 2025:" in pavlodar


@freeze_time(TODAY)
def test_years_the_programme_did_not_run_are_not_missing(network):
    myn_bala = Programme.objects.get(code="myn_bala")
    Programme.objects.filter(pk=myn_bala.pk).update(first_year=2023)
    for year in (2023, 2024, 2025):
        HistoricalFigure.objects.create(
            year=year, organisation=network.pavlodar_house, programme=myn_bala, events_count=5
        )
    assert kpi.missing("events.myn_bala_decade", YEAR) == ""


@freeze_time(TODAY)
def test_mediators_of_this_year_lack_nothing_even_when_some_were_excluded(world):
    assert kpi.missing("mediation.mediators", kpi.Period.year(2026)) == ""
    with translation.override("en"):
        assert "does not keep the day a mediator was suspended" in kpi.missing(
            "mediation.mediators", YEAR
        )


def _rows(period, region):
    return [{"value": 1}]


def test_a_fixed_text_or_a_function_says_what_is_missing_and_compute_all_shows_it(db, monkeypatch):
    fixed = kpi.Indicator(
        key="test.fixed",
        name="Fixed",
        unit="things",
        dimensions=(),
        compute=_rows,
        missing="The records of the north are not kept yet.",
    )
    told = kpi.Indicator(
        key="test.told",
        name="Told",
        unit="things",
        dimensions=(),
        compute=_rows,
        missing=lambda period, region: f"Nothing before {period.start.year}.",
    )
    monkeypatch.setattr(kpi.REGISTRY, "indicators", {"test.fixed": fixed, "test.told": told})
    monkeypatch.setattr(kpi.REGISTRY, "discovered", True)
    assert fixed.missing_is_static and not told.missing_is_static
    figures = {figure["key"]: figure for figure in kpi.compute_all(YEAR)}
    assert figures["test.fixed"]["missing"] == "The records of the north are not kept yet."
    assert figures["test.told"]["missing"] == "Nothing before 2025."

    @kpi.missing_part("test.fixed")
    def later(period, region):
        return ""

    assert kpi.missing("test.fixed", YEAR) == ""
    assert kpi.REGISTRY.indicators["test.fixed"].compute is _rows


def test_an_indicator_declared_with_a_missing_part_keeps_it(monkeypatch):
    monkeypatch.setattr(kpi.REGISTRY, "indicators", {})

    @kpi.indicator("test.declared", name="Declared", unit="things", missing="Not kept yet.")
    def declared(period, region):
        return []

    assert kpi.REGISTRY.indicators["test.declared"].missing_for(YEAR) == "Not kept yet."
