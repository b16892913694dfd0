"""iCal feeds (RFC 5545): the calendar's events and a single event, readable by any calendar."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from birlik.events.services import event_cancel
from birlik.portal import ical

from .events_data import in_days, make_event, make_past_event

pytestmark = pytest.mark.django_db


def check_rfc5545(body: bytes) -> list[str]:
    """A small validator: CRLF only, lines ≤ 75 octets, balanced BEGIN/END; returns the
    unfolded content lines."""
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert b"\r" not in body.replace(b"\r\n", b"")
    physical = body[:-2].split(b"\r\n")
    for line in physical:
        assert len(line) <= 75, line
        line.decode("utf-8")  # never cut inside a character
    unfolded: list[str] = []
    for line in physical:
        if line.startswith(b" "):
            unfolded[-1] += line[1:].decode()
        else:
            unfolded.append(line.decode())
    stack: list[str] = []
    for line in unfolded:
        assert re.match(r"^[A-Z][A-Z0-9-]*[;:]", line), line
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack and stack.pop() == line[4:], line
    assert not stack
    assert unfolded[0] == "BEGIN:VCALENDAR" and unfolded[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in unfolded
    assert any(line.startswith("PRODID:") for line in unfolded)
    return unfolded


def vevents(lines: list[str]) -> list[dict[str, str]]:
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, _, value = line.partition(":")
            current[name.split(";")[0]] = value
    return events


def test_the_feed_is_valid_icalendar_with_one_vevent_per_upcoming_event(client, network):
    long_title = "Фестиваль, концерт; және көрме: " + "ұзын атау " * 12
    first = make_event(
        network, title=long_title, title_en=long_title, starts_at=in_days(2, hour=10)
    )
    make_event(network, title_en="Second", starts_at=in_days(4))
    make_past_event(network, title_en="Past")

    response = client.get("/en/events/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    lines = check_rfc5545(response.content)
    items = vevents(lines)
    assert len(items) == 2
    item = items[0]
    assert item["UID"] == f"event-{first.pk}@localhost"
    assert item["DTSTART"] == first.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert item["DTSTART"].endswith("T050000Z")  # 10:00 in Almaty is 05:00 UTC
    assert item["DTEND"].endswith("Z")
    assert re.match(r"^\d{8}T\d{6}Z$", item["DTSTAMP"])
    assert item["SUMMARY"].startswith("Фестиваль\\, концерт\\; және көрме: ")
    assert item["LOCATION"] == "12 Dostyk Street\\, Pavlodar"
    assert item["URL"] == f"http://localhost:8000/en/events/{first.pk}/"
    assert item["STATUS"] == "CONFIRMED"
    assert any(len(line.encode()) > 75 for line in lines)  # folding was really needed


def test_the_feed_takes_the_calendar_filters(client, network):
    make_event(network, title_en="Pavlodar", starts_at=in_days(2))
    from tests.factories import region

    make_event(
        network,
        organiser=network.almaty_house,
        title_en="Almaty",
        region=region("KZ-75"),
        starts_at=in_days(3),
    )

    items = vevents(check_rfc5545(client.get("/en/events/calendar.ics?region=KZ-75").content))

    assert [item["SUMMARY"] for item in items] == ["Almaty"]


def test_a_cancelled_event_is_marked_cancelled_in_the_feed(client, network):
    event = make_event(network, title_en="Called off")
    event_cancel(actor=network.users["admin"], event=event)

    response = client.get(reverse("portal:event_ical", kwargs={"pk": event.pk}))

    items = vevents(check_rfc5545(response.content))
    assert len(items) == 1
    assert items[0]["STATUS"] == "CANCELLED"
    assert response["Content-Disposition"] == f'attachment; filename="event-{event.pk}.ics"'


def test_an_unknown_event_has_no_feed(client, network):
    assert client.get("/en/events/424242/event.ics").status_code == 404


def test_text_values_escape_backslashes_commas_semicolons_and_newlines():
    assert ical.escape_text("a\\b, c; d\r\ne\nf") == "a\\\\b\\, c\\; d\\ne\\nf"


def test_folding_never_splits_a_character_and_keeps_lines_within_75_octets():
    line = "SUMMARY:" + "әқңөұүһі" * 30
    folded = ical.fold(line)

    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join([pieces[0], *(piece[1:] for piece in pieces[1:])]) == line


def test_the_calendar_and_event_pages_link_their_feeds(client, network):
    event = make_event(network)

    calendar = client.get("/en/events/?region=KZ-55").content.decode()
    page = client.get(f"/en/events/{event.pk}/").content.decode()

    assert 'href="/en/events/calendar.ics?region=KZ-55"' in calendar
    assert f'href="/en/events/{event.pk}/event.ics"' in page


def test_the_feed_stops_at_its_limit_and_costs_the_same_queries_for_more_events(
    client, network, monkeypatch, django_assert_max_num_queries
):
    from birlik.portal import events_views

    monkeypatch.setattr(events_views, "FEED_LIMIT", 3)
    for day in range(1, 6):
        make_event(network, title_en=f"Event {day}", starts_at=in_days(day))

    with django_assert_max_num_queries(8):
        response = client.get("/en/events/calendar.ics")

    items = vevents(check_rfc5545(response.content))
    assert [item["SUMMARY"] for item in items] == ["Event 1", "Event 2", "Event 3"]
