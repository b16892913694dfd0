"""The KPI registry: complete declarations, cubes that agree with the plain indicators, and
indicators of other apps picked up without code in reports."""

import datetime

import pytest
from django.utils import translation

from birlik.core import kpi
from birlik.reports import queries

KNOWN_DIMENSIONS = {
    "kind", "region", "district", "month", "programme", "audience", "event_kind", "appeal_kind"
}  # fmt: skip


def test_every_indicator_has_a_name_unit_and_description_in_each_language():
    for item in kpi.indicators():
        for language in ("kk", "ru", "en"):
            with translation.override(language):
                assert str(item.name), item.key
                assert str(item.unit), item.key
        if item.key.split(".")[0] in {"registry", "events", "appeals"}:
            assert str(item.description), f"{item.key} says how it is counted"


def test_dimensions_of_the_core_apps_are_known_and_labelled():
    kpi.autodiscover()
    for item in kpi.indicators():
        if item.key.split(".")[0] in {"registry", "events", "appeals"}:
            assert set(item.dimensions) <= KNOWN_DIMENSIONS, item.key
    assert {"kind", "region", "district", "programme"} <= set(kpi.REGISTRY.labels)


@pytest.mark.django_db
def test_cubes_add_up_to_the_plain_indicators(activity):
    period = kpi.Period.year(2025)
    pairs = [
        ("events.events", "events.events_cube"),
        ("events.participants", "events.participants_cube"),
        ("events.events_by_district", "events.events_cube"),
    ]
    for plain, cube in pairs:
        assert sum(r["value"] for r in kpi.compute(plain, period)) == sum(
            r["value"] for r in kpi.compute(cube, period)
        )
    months = {r["month"] for r in kpi.compute("events.events_cube", period)}
    assert months == {"2025-03", "2025-07"}


@pytest.mark.django_db
def test_an_indicator_registered_by_another_app_joins_the_dashboard(network):
    @kpi.indicator("charity.test_projects", name="Projects", unit="projects", dimensions=("kind",))
    def projects(period, region):
        return [{"kind": "house_of_friendship", "value": 476}]

    try:
        figures = queries.dashboard_figures(period=kpi.Period.year(2025), every=True)
        headline = {figure["key"]: figure["total"] for figure in figures["headline"]}
        assert headline["charity.test_projects"] == 476
        assert "charity.test_projects" in {figure["key"] for figure in figures["indicators"]}
    finally:
        del kpi.REGISTRY.indicators["charity.test_projects"]


@pytest.mark.django_db
def test_the_public_sees_confidential_work_by_region_only(network):
    @kpi.indicator(
        "mediation.test_cases", name="Cases", unit="cases", dimensions=("region", "mediator")
    )
    def cases(period, region):
        return [
            {"region": "KZ-55", "mediator": "m1", "value": 2},
            {"region": "KZ-55", "mediator": "m2", "value": 3},
        ]

    try:
        period = kpi.Period(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
        public = queries.dashboard_figures(period=period, public=True, every=True)
        figure = next(f for f in public["indicators"] if f["key"] == "mediation.test_cases")
        assert figure["dimensions"] == ["region"]
        assert [(row["region"], row["value"]) for row in figure["rows"]] == [("KZ-55", 5)]
        staff = queries.dashboard_figures(period=period, every=True)
        figure = next(f for f in staff["indicators"] if f["key"] == "mediation.test_cases")
        assert len(figure["rows"]) == 2
    finally:
        del kpi.REGISTRY.indicators["mediation.test_cases"]
