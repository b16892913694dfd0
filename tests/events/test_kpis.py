"""Event indicators equal a hand-counted fixture."""

import datetime

import pytest
from django.utils import timezone
from freezegun import freeze_time

from birlik.core import kpi
from birlik.events.models import Audience, Event, EventReport, Programme, Registration
from birlik.events.services import participant_key

from ..factories import kind, region
from .factories import EventFactory

AT = datetime.datetime(2025, 6, 10, 10, 0, tzinfo=datetime.UTC)


def held(
    network,
    organiser,
    total,
    *,
    programme=None,
    audiences=(),
    when=AT,
    status="reported",
    held_flag=True,
):
    event = EventFactory(
        organiser=organiser,
        region=organiser.region,
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        status=status,
        programme=programme,
        participants_total=total,
        reported_count=total,
    )
    event.audiences.set(audiences)
    if status == "reported":
        EventReport.objects.create(event=event, held=held_flag, reported_count=total)
    return event


@pytest.fixture
def activity(network):
    myn_bala = Programme.objects.get(code="myn_bala")
    youth = Audience.objects.get(code="youth")
    elderly = Audience.objects.get(code="elderly")
    held(network, network.pavlodar_elders, 40, audiences=[elderly])
    held(network, network.pavlodar_elders, 25, programme=myn_bala, audiences=[youth, elderly])
    held(network, network.pavlodar_house, 100, programme=myn_bala, status="held")
    held(network, network.almaty_house, 7, audiences=[youth])
    # Not counted: not held, cancelled, planned, and an event of 2024.
    held(network, network.almaty_house, 500, held_flag=False)
    held(network, network.almaty_house, 300, status="cancelled")
    held(network, network.almaty_house, 200, status="planned")
    held(network, network.almaty_house, 900, when=AT.replace(year=2024))
    return network


def figures(key, region_iso=None):
    place = region(region_iso) if region_iso else None
    return {
        tuple(v for k, v in row.items() if k != "value"): row["value"]
        for row in kpi.compute(key, kpi.Period.year(2025), place)
    }


def test_events_held_by_kind_of_body(activity):
    assert figures("events.events") == {("elders_council",): 2, ("house_of_friendship",): 2}


def test_participants_by_region_and_programme(activity):
    assert figures("events.participants_by_region") == {("KZ-55",): 165, ("KZ-75",): 7}
    assert figures("events.participants_by_programme") == {("myn_bala",): 125, ("none",): 47}
    assert figures("events.participants", "KZ-75") == {("house_of_friendship",): 7}


def test_an_event_counts_for_each_of_its_audiences(activity):
    assert figures("events.events_by_audience") == {
        ("elderly",): 2,
        ("youth",): 2,
        ("none",): 1,
    }
    assert figures("events.participants_by_audience")[("elderly",)] == 65


def test_unique_participants_count_a_person_once_across_events(activity):
    first, second = Event.objects.filter(status="reported", report__held=True)[:2]
    key = participant_key(phone="+77010000001")
    for event in (first, second):
        Registration.objects.create(
            event=event,
            full_name="A",
            participant_key=key,
            status="confirmed",
            consent_given_at=timezone.now(),
            checked_in_at=event.starts_at,
        )
    Registration.objects.create(
        event=first,
        full_name="B",
        participant_key=participant_key(phone="+77010000002"),
        status="confirmed",
        consent_given_at=timezone.now(),
    )  # never came
    assert figures("events.participants_unique") == {(): 1}


@freeze_time("2026-02-01")
def test_figures_command_gains_the_events_indicators(activity, capsys):
    import json

    from birlik.cli import main

    assert main(["figures", "--json", "--year", "2025"]) == 0
    payload = json.loads(capsys.readouterr().out)
    totals = {item["key"]: item["total"] for item in payload["indicators"]}
    assert totals["events.events"] == 4
    assert totals["events.participants"] == 172
    assert kind("elders_council")
