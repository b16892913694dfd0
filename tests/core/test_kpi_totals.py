"""Totals of indicators: summed only where the rows add up."""

from __future__ import annotations

from birlik.core.kpi import Indicator, indicators, total_of


def _indicator(*, unit: str = "events", dimensions=("region",), additive=None) -> Indicator:
    return Indicator(
        key="test.figure",
        name="figure",
        unit=unit,
        dimensions=dimensions,
        compute=lambda period, region: [],
        additive=additive,
    )


ROWS = [{"region": "KZ-55", "value": 40.0}, {"region": "KZ-75", "value": 60.0}]


def test_counts_by_region_add_up():
    assert total_of(_indicator(), ROWS) == 100.0


def test_shares_and_averages_by_a_dimension_have_no_total():
    assert total_of(_indicator(unit="%"), ROWS) is None
    assert total_of(_indicator(unit="days", additive=False), ROWS) is None


def test_an_indicator_without_dimensions_is_its_one_value():
    assert total_of(_indicator(unit="%", dimensions=()), [{"value": 91.5}]) == 91.5
    assert total_of(_indicator(unit="%", dimensions=()), []) is None
    assert total_of(_indicator(dimensions=()), []) == 0


def test_events_by_audience_are_not_summed(db):
    by_audience = {item.key: item for item in indicators()}["events.events_by_audience"]
    assert not by_audience.is_additive
    assert {item.key: item for item in indicators()}["events.events_by_region"].is_additive
