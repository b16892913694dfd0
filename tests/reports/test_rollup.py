"""The events rollup the dashboards read equals the events themselves, and events services
keep it so."""

import datetime

import pytest
from django.core.cache import cache

from birlik.core import kpi
from birlik.events import services
from birlik.events.models import Event, EventMonthFigure

from ..events.factories import EventFactory


def cube(key, period, region=None):
    cache.clear()
    return kpi.compute(key, period, region)


@pytest.mark.django_db
def test_the_rollup_gives_the_same_cubes_as_the_events(activity):
    periods = [
        kpi.Period.year(2025),
        kpi.Period(datetime.date(2025, 3, 5), datetime.date(2025, 7, 20)),  # cuts two months
        kpi.Period(datetime.date(2025, 7, 1), datetime.date(2025, 7, 31)),
    ]
    counted = {
        (key, period): cube(key, period)
        for key in ("events.events_cube", "events.participants_cube")
        for period in periods
    }
    assert services.event_figures_rebuild() == 3  # Pavlodar elders, house (July), Almaty
    for (key, period), rows in counted.items():
        assert cube(key, period) == rows, (key, period)
    pavlodar = activity.pavlodar.region
    assert sum(r["value"] for r in cube("events.participants_cube", periods[0], pavlodar)) == 165


@pytest.mark.django_db(transaction=True)
def test_events_services_keep_the_rollup_of_their_month_and_region(activity):
    services.event_figures_rebuild()
    march = datetime.date(2025, 3, 1)

    def almaty_march():
        row = EventMonthFigure.objects.get(month=march, region__iso="KZ-75")
        return row.events, row.participants

    assert almaty_march() == (1, 7)
    event = EventFactory(
        organiser=activity.almaty_house,
        region=activity.almaty_house.region,
        starts_at=datetime.datetime(2025, 3, 20, 6, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2025, 3, 20, 8, tzinfo=datetime.UTC),
        status=Event.Status.HELD,
    )
    services.event_report_submit(
        actor=activity.users["admin"], event=event, held=True, reported_count=30
    )
    assert almaty_march() == (2, 37)
    second = EventFactory(
        organiser=activity.almaty_house,
        region=activity.almaty_house.region,
        starts_at=datetime.datetime(2025, 3, 25, 6, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2025, 3, 25, 8, tzinfo=datetime.UTC),
        status=Event.Status.HELD,
    )
    services.event_cancel(actor=activity.users["admin"], event=second)
    assert almaty_march() == (2, 37)
    period = kpi.Period.year(2025)
    assert sum(r["value"] for r in cube("events.participants_cube", period)) == sum(
        r["value"] for r in kpi.compute("events.participants", period)
    )
