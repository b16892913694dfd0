"""The public calendar: upcoming events by default, filters checked one by one, fixed queries."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from birlik.events.models import Event
from birlik.events.services import event_cancel
from tests.factories import district_of, region

from .events_data import in_days, make_event, make_past_event, register
from .helpers import main, text

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    """The event titles listed in the calendar, in order."""
    block = re.search(
        r'<ul class="results events"[^>]*>(.*?)</ul>\s*(?:<nav|$|\n)', main(response), re.S
    )
    if block is None:
        return []
    return re.findall(r'class="event-title"><a href="[^"]*">([^<]*)</a>', block[1])


def test_the_calendar_lists_upcoming_events_in_order_of_start(client, network):
    make_event(network, title_en="Later", starts_at=in_days(9))
    make_event(network, title_en="Sooner", starts_at=in_days(2))
    make_event(network, title_en="Today", starts_at=in_days(0, hour=23))
    make_past_event(network, title_en="Last week", days_ago=7)

    response = client.get("/en/events/")

    assert response.status_code == 200
    assert titles(response) == ["Today", "Sooner", "Later"]
    assert "3 upcoming events" in text(response)


def test_each_item_shows_date_time_organiser_place_programme_and_status(client, network):
    event = make_event(
        network,
        title_en="Myn Bala final",
        starts_at=in_days(3, hour=14),
        programme="myn_bala",
        capacity=1,
    )
    register(event, name="Айгүл", phone="+7 701 000 00 01")
    cancelled = make_event(network, title_en="Called off", starts_at=in_days(4))
    event_cancel(actor=network.users["admin"], event=cancelled)
    make_event(network, title_en="Open day", starts_at=in_days(5), capacity=30)

    shown = text(client.get("/en/events/"))

    day = in_days(3).strftime("%d.%m.%Y")
    assert f"{day}, 14:00" in shown
    assert "House of Friendship of Pavlodar Region" in shown
    assert "12 Dostyk Street, Pavlodar" in shown
    assert "Myn Bala" in shown
    assert "Full: waiting list" in shown
    assert "Cancelled" in shown
    assert "Registration open" in shown


def test_an_event_still_running_is_listed_with_the_upcoming_ones(client, network):
    course = make_past_event(network, title_en="Language course", days_ago=20)
    Event.objects.filter(pk=course.pk).update(ends_at=in_days(10))
    make_past_event(network, title_en="Over", days_ago=20)

    response = client.get("/en/events/")

    assert titles(response) == ["Language course"]


def test_past_events_are_found_with_the_date_filter(client, network):
    past = make_past_event(network, title_en="Last week", days_ago=7)
    make_event(network, title_en="Next week", starts_at=in_days(7))
    day = past.starts_at.astimezone().date()

    response = client.get(
        "/en/events/", {"date_from": day.strftime("%d.%m.%Y"), "date_to": day.isoformat()}
    )

    assert titles(response) == ["Last week"]
    assert "1 event found" in text(response)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "KZ-75"}, ["Almaty concert"]),
        ({"kind": "concert"}, ["Almaty concert"]),
        ({"programme": "myn_bala"}, ["Pavlodar festival"]),
        ({"audience": "youth"}, ["Pavlodar festival"]),
        ({"language": "en"}, ["Almaty concert"]),
        ({"language": "kk"}, ["Pavlodar festival"]),
    ],
)
def test_the_calendar_filters_events(client, network, params, expected):
    make_event(
        network,
        title_en="Pavlodar festival",
        programme="myn_bala",
        audiences=("youth", "children"),
        starts_at=in_days(3),
    )
    make_event(
        network,
        organiser=network.almaty_house,
        title_en="Almaty concert",
        kind=Event.Kind.CONCERT,
        languages=["ru", "en"],
        region=region("KZ-75"),
        starts_at=in_days(4),
    )

    response = client.get("/en/events/", params)

    assert response.status_code == 200
    assert titles(response) == expected


def test_the_district_filter_keeps_events_of_that_district(client, network):
    district = district_of("KZ-55")
    make_event(network, title_en="In the district", district=district)
    make_event(network, title_en="In the region")

    response = client.get("/en/events/", {"region": "KZ-55", "district": district.kato})

    assert titles(response) == ["In the district"]


def test_the_organiser_filter_includes_co_organised_events(client, network):
    make_event(
        network, title_en="Own event", organiser=network.pavlodar_elders, starts_at=in_days(2)
    )
    make_event(
        network,
        title_en="Shared event",
        co_organisers=(network.pavlodar_elders,),
        starts_at=in_days(3),
    )
    make_event(network, title_en="Someone else's", starts_at=in_days(4))

    response = client.get("/en/events/", {"organiser": network.pavlodar_elders.pk})

    assert titles(response) == ["Own event", "Shared event"]
    assert "Showing the events of “Council of Elders”." in text(response)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "XX"}, "Unknown region: choose one from the list."),
        ({"kind": "party"}, "Unknown kind of event: choose one from the list."),
        ({"programme": "nothing"}, "Unknown programme: choose one from the list."),
        ({"audience": "aliens"}, "Unknown audience: choose one from the list."),
        ({"language": "de"}, "Unknown language: choose one from the list."),
        ({"date_from": "31.02.2025"}, "Give the date as dd.mm.yyyy, for example 12.12.2025."),
        ({"organiser": "abc"}, "Unknown body: the calendar is shown without this filter."),
        ({"page": "abc"}, None),
    ],
)
def test_bad_filter_values_are_reported_and_left_out(client, network, params, message):
    make_event(network, title_en="Still listed")

    response = client.get("/en/events/", params)

    assert response.status_code == 200
    assert titles(response) == ["Still listed"]
    if message:
        assert message in text(response)


def test_an_end_date_before_the_start_date_is_reported(client, network):
    response = client.get("/en/events/", {"date_from": "2025-12-12", "date_to": "2025-12-01"})

    assert "The end of the period cannot be before its start." in text(response)


def test_a_district_outside_the_chosen_region_is_reported(client, network):
    response = client.get("/en/events/", {"region": "KZ-75", "district": district_of("KZ-55").kato})

    assert "This district is not in the chosen region" in text(response)


def test_pages_keep_the_understood_filters_and_the_feed_link_too(client, network, settings):
    settings.BIRLIK_PAGE_SIZE = 2
    for day in range(1, 6):
        make_event(network, title_en=f"Event {day}", starts_at=in_days(day))

    first = client.get("/en/events/", {"region": "KZ-55", "kind": "nonsense"})
    second = client.get("/en/events/", {"region": "KZ-55", "page": 2})

    page = main(first)
    assert 'href="?region=KZ-55&amp;page=2"' in page
    assert "/en/events/calendar.ics?region=KZ-55" in page
    assert "kind=nonsense" not in page
    assert titles(second) == ["Event 3", "Event 4"]


def make_many(network, count: int) -> None:
    for number in range(count):
        make_event(
            network,
            title_en=f"Event {number}",
            starts_at=in_days(1 + number % 20),
            programme="myn_bala",
            district=district_of("KZ-55"),
            co_organisers=(network.pavlodar_elders,),
            audiences=("youth", "elderly"),
        )


@pytest.mark.parametrize("params", [{}, {"region": "KZ-55", "audience": "youth", "language": "kk"}])
def test_the_calendar_costs_the_same_number_of_queries_for_3_or_30_events(
    client, network, django_assert_max_num_queries, django_assert_num_queries, params
):
    make_many(network, 3)
    from django.db import connection

    from tests.queries import DataQueriesContext as CaptureQueriesContext

    client.get("/en/events/", params)  # the filters' options are cached after a first request
    with CaptureQueriesContext(connection) as few:
        assert client.get("/en/events/", params).status_code == 200
    make_many(network, 27)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/en/events/", params)
    assert response.status_code == 200
    assert len(titles(response)) == 25
    assert len(few.captured_queries) <= 12


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_calendar_renders_in_each_language(client, network, language):
    make_event(network)

    with translation.override(language):
        response = client.get(f"/{language}/events/")

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert main(response).count("<h1>") == 1
    assert {"kk": "Достық фестивалі", "ru": "Фестиваль дружбы", "en": "Friendship festival"}[
        language
    ] in text(response)
