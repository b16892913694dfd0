"""Events on a body's page and the events figures on the home page."""

from __future__ import annotations

import pytest

from birlik.core import kpi
from birlik.events.services import event_cancel

from .events_data import in_days, make_event, make_past_event, register, report
from .helpers import figure, main, text

pytestmark = pytest.mark.django_db


def test_a_body_page_lists_its_next_five_events_and_links_to_its_calendar(client, network):
    body = network.pavlodar_elders
    for day in range(1, 8):
        make_event(network, organiser=body, title_en=f"Meeting {day}", starts_at=in_days(day))
    make_event(network, title_en="Shared", co_organisers=(body,), starts_at=in_days(0, hour=23))
    make_event(network, title_en="Not theirs", starts_at=in_days(1))
    make_past_event(network, organiser=body, title_en="Long ago")

    response = client.get(f"/en/bodies/{body.pk}/")

    shown = text(response)
    assert "Shared" in shown
    assert [f"Meeting {day}" in shown for day in range(1, 8)] == [True] * 4 + [False] * 3
    assert "Not theirs" not in shown and "Long ago" not in shown
    assert f'href="/en/events/?organiser={body.pk}"' in main(response)


def test_a_body_without_events_says_so(client, network):
    response = client.get(f"/en/bodies/{network.almaty.pk}/")

    assert "No upcoming events of this body are announced." in text(response)


def test_home_shows_the_events_held_this_year_and_their_participants(client, network):
    held = report(network, make_past_event(network, days_ago=0), count=30)
    registration = register(
        make_event(network, title_en="Next", starts_at=in_days(2)),
        name="Айгүл",
        phone="+7 701 000 00 01",
    )
    other = report(network, make_past_event(network, days_ago=0, title_en="Second"), count=12)
    assert held.participants_total == 30 and other.participants_total == 12
    assert registration.status == "confirmed"
    kpi.invalidate()

    response = client.get("/en/")

    assert figure(response, "Events held this year") == 2
    assert figure(response, "Participants of the events") == 42
    assert "Next" in text(response)


def test_a_report_shows_on_the_home_page_at_once_although_figures_are_cached(
    client, network, django_capture_on_commit_callbacks
):
    event = make_past_event(network, days_ago=0)
    before = client.get("/en/")

    with django_capture_on_commit_callbacks(execute=True):
        report(network, event, count=5)
    after = client.get("/en/")

    assert figure(before, "Participants of the events") == 0
    assert figure(after, "Events held this year") == 1
    assert figure(after, "Participants of the events") == 5


def test_home_lists_upcoming_events_but_not_cancelled_ones(client, network):
    make_event(network, title_en="Coming soon", starts_at=in_days(1))
    cancelled = make_event(network, title_en="Called off", starts_at=in_days(2))
    event_cancel(actor=network.users["admin"], event=cancelled)

    response = client.get("/en/")

    assert "Coming soon" in text(response)
    assert "Called off" not in text(response)
    assert 'href="/en/events/"' in main(response)
