"""The calendar's month view: a grid of weeks from Monday, the events of each day (three, then a
link to the day's list), today marked, the months around it, every filter kept, fixed queries."""

from __future__ import annotations

import datetime
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from birlik.events import queries
from birlik.events.models import Event
from birlik.events.services import event_cancel
from tests.factories import district_of, region
from tests.queries import DataQueriesContext

from .events_data import make_event
from .helpers import main, text

pytestmark = pytest.mark.django_db

# A Tuesday: the grid of December 2026 opens with Monday 30 November.
TODAY = "2026-12-01 09:00:00+05:00"
NBSP = "\u00a0"


def at(day: int, hour: int = 15, month: int = 12, year: int = 2026) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


def grid(response) -> str:
    found = re.search(r'<table class="month-grid".*?</table>', main(response), re.S)
    assert found is not None, "no month grid on the page"
    return found[0]


def cells(response) -> list[str]:
    return re.findall(r"<td class=\"day[^\"]*\">.*?</td>", grid(response), re.S)


def days(response) -> dict[str, list[str]]:
    """Each day of the month shown (ISO date) → the titles listed in its cell, in order."""
    shown: dict[str, list[str]] = {}
    for cell in cells(response):
        day = re.search(r'id="day-(\d{4})(\d{2})(\d{2})"', cell)
        if day is None:
            continue
        titles = re.findall(r"</time> ([^<]*)</a>", cell)
        shown[f"{day[1]}-{day[2]}-{day[3]}"] = [html.unescape(title) for title in titles]
    return shown


def with_events(response) -> dict[str, list[str]]:
    return {day: titles for day, titles in days(response).items() if titles}


def href(fragment: str, pattern: str) -> str:
    found = re.search(pattern, fragment, re.S)
    assert found is not None, f"{pattern!r} not found"
    return html.unescape(found[1])


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@freeze_time(TODAY)
def test_the_grid_starts_on_monday_and_shows_each_day_its_events(client, network):
    make_event(network, title_en="Morning meeting", starts_at=at(3, hour=10))
    make_event(network, title_en="Evening concert", starts_at=at(3, hour=19))
    make_event(network, title_en="Mid-month festival", starts_at=at(15))
    make_event(network, title_en="New year", starts_at=at(2, month=1, year=2027))
    called_off = make_event(network, title_en="Called off", starts_at=at(20))
    event_cancel(actor=network.users["admin"], event=called_off)

    response = client.get("/en/events/", {"view": "month", "month": "2026-12"})

    assert response.status_code == 200
    page = grid(response)
    weekdays = re.findall(r'<th scope="col"><abbr title="([^"]*)">', page)
    assert weekdays[0] == "Monday" and weekdays[-1] == "Sunday"
    first_row = re.search(r"<tr>\s*(<td.*?)</tr>", page.split("<tbody>")[1], re.S)
    assert first_row is not None
    assert first_row[1].startswith('<td class="day other-month"><span aria-hidden="true">30<')
    assert len(days(response)) == 31
    assert with_events(response) == {
        "2026-12-03": ["Morning meeting", "Evening concert"],
        "2026-12-15": ["Mid-month festival"],
        "2026-12-20": ["Called off"],
    }
    assert "December 2026" in text(response)
    assert "4 events start this month." in text(response)
    # A cancelled event says so in words, not by its style alone.
    cancelled = [cell for cell in cells(response) if "Called off" in cell][0]
    assert "Cancelled" in cancelled


@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("language", "heading", "monday", "day"),
    [
        ("kk", "Желтоқсан 2026", "дүйсенбі", "3 желтоқсан, бейсенбі"),
        ("ru", "Декабрь 2026", "понедельник", "3 декабря, четверг"),
        ("en", "December 2026", "Monday", "Thursday 3 December"),
    ],
)
def test_the_month_and_days_are_named_in_the_language_of_the_page(
    client, network, language, heading, monday, day
):
    make_event(network, starts_at=at(3))

    response = client.get(f"/{language}/events/", {"view": "month", "month": "2026-12"})

    page = main(response)
    assert f'<h2 id="results-heading">{heading}</h2>' in page
    assert f'<abbr title="{monday}">' in page
    assert f'id="day-20261203">{day}</span>' in page
    # The phone agenda names the day in full, as its heading.
    assert f'id="agenda-20261203">{day}</h3>' in page


@freeze_time(TODAY)
def test_a_busy_day_shows_three_events_and_links_to_the_list_of_that_day(client, network):
    for hour in range(9, 14):
        make_event(network, title_en=f"Talk at {hour}", starts_at=at(8, hour=hour))
    make_event(network, title_en="Other region", starts_at=at(8), region=region("KZ-75"))

    response = client.get("/en/events/", {"view": "month", "month": "2026-12", "region": "KZ-55"})

    assert with_events(response)["2026-12-08"] == ["Talk at 9", "Talk at 10", "Talk at 11"]
    day = [cell for cell in cells(response) if 'id="day-20261208"' in cell][0]
    assert "+2 more" in day
    more = href(day, r'<a class="day-more" href="([^"]*)"')
    assert query(more) == {
        "region": ["KZ-55"],
        "date_from": ["2026-12-08"],
        "date_to": ["2026-12-08"],
    }
    listed = client.get(more)
    assert "5 events found" in text(listed)
    assert "Other region" not in text(listed)


def test_counts_on_the_month_are_grouped_with_a_no_break_space(client, network, monkeypatch):
    event = make_event(network, title_en="Crowded day")
    first = datetime.date(2030, 5, 1)
    day = datetime.date(2030, 5, 7)
    monkeypatch.setattr(
        queries,
        "calendar_month",
        lambda **kwargs: {day: queries.CalendarDay(day=day, events=[event], total=12_346)},
    )

    response = client.get("/ru/events/", {"view": "month", "month": first.strftime("%Y-%m")})

    page = html.unescape(main(response))
    assert f"12{NBSP}346" in page
    assert f"12{NBSP}345" in page  # "+12 345 more": the day's other events


def test_the_count_of_the_list_is_grouped_with_a_no_break_space(client, network, monkeypatch):
    from birlik.core import listing

    make_event(network, title_en="One of many")
    monkeypatch.setattr(
        listing, "bounded_count", lambda items, limit=None: listing.BoundedCount(12_345, False)
    )

    page = html.unescape(main(client.get("/kk/events/")))

    assert f"12{NBSP}345" in page


@freeze_time(TODAY)
def test_today_is_marked(client, network):
    response = client.get("/en/events/", {"view": "month"})

    today = [cell for cell in cells(response) if 'aria-current="date"' in cell]
    assert len(today) == 1
    assert 'id="day-20261201"' in today[0]
    assert "Today" in today[0]
    assert '<td class="day today' in today[0]


@freeze_time(TODAY)
def test_the_month_links_lead_to_the_months_around_it_and_keep_the_filters(client, network):
    response = client.get(
        "/en/events/",
        {"view": "month", "month": "2027-01", "region": "KZ-55", "q": "festival"},
    )

    page = main(response)
    previous = href(page, r'<a href="([^"]*)" rel="prev">Previous month: December 2026</a>')
    following = href(page, r'<a href="([^"]*)" rel="next">Next month: February 2027</a>')
    for url, month in ((previous, "2026-12"), (following, "2027-02")):
        assert query(url) == {
            "q": ["festival"],
            "region": ["KZ-55"],
            "view": ["month"],
            "month": [month],
        }
    assert "January 2027" in text(client.get(following.replace("2027-02", "2027-01")))


@freeze_time(TODAY)
def test_the_month_links_stop_where_the_view_stops(client, network):
    first = main(client.get("/en/events/", {"view": "month", "month": "1995-01"}))
    last = main(client.get("/en/events/", {"view": "month", "month": "2031-12"}))

    assert 'rel="prev"' not in first and "Next month: February 1995" in first
    assert 'rel="next"' not in last and "Previous month: November 2031" in last


@freeze_time(TODAY)
@pytest.mark.parametrize("month", ["2026-13", "December", "0001-01", "9999-12", "2026-12-01"])
def test_a_month_not_understood_gives_the_current_month_and_says_so(client, network, month):
    make_event(network, title_en="This month", starts_at=at(10))

    response = client.get("/en/events/", {"view": "month", "month": month})

    assert response.status_code == 200
    assert '<h2 id="results-heading">December 2026</h2>' in main(response)
    assert with_events(response) == {"2026-12-10": ["This month"]}
    assert "Some search values were not understood and were left out" in text(response)
    assert "The current month is shown." in text(response)


@freeze_time(TODAY)
def test_an_unknown_view_gives_the_list_and_says_so(client, network):
    make_event(network, title_en="Listed", starts_at=at(10))

    response = client.get("/en/events/", {"view": "year"})

    assert response.status_code == 200
    assert "month-grid" not in main(response)
    assert "Unknown view: the list is shown." in text(response)
    assert "Listed" in text(response)


@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"region": "KZ-75"}, ["Almaty concert"]),
        ({"kind": "concert"}, ["Almaty concert"]),
        ({"programme": "myn_bala"}, ["Pavlodar festival"]),
        ({"audience": "youth"}, ["Pavlodar festival"]),
        ({"language": "en"}, ["Almaty concert"]),
        ({"q": "КОНЦЕРТ"}, ["Almaty concert"]),
        ({"q": "pavlodar"}, ["Pavlodar festival"]),
        ({"organiser": "almaty_house"}, ["Almaty concert"]),
        ({"district": "pavlodar_district"}, ["Pavlodar festival"]),
    ],
)
def test_the_month_view_keeps_every_filter(client, network, params, expected):
    district = district_of("KZ-55")
    make_event(
        network,
        title_en="Pavlodar festival",
        title_ru="Павлодарский фестиваль",
        programme="myn_bala",
        audiences=("youth",),
        district=district,
        starts_at=at(5),
    )
    make_event(
        network,
        organiser=network.almaty_house,
        title_en="Almaty concert",
        title_ru="Концерт в Алматы",
        kind=Event.Kind.CONCERT,
        languages=["ru", "en"],
        region=region("KZ-75"),
        starts_at=at(6),
    )
    values = dict(params)
    if values.get("organiser") == "almaty_house":
        values["organiser"] = network.almaty_house.pk
    if values.get("district") == "pavlodar_district":
        values["district"] = district.kato

    response = client.get("/en/events/", {"view": "month", "month": "2026-12", **values})

    shown = [title for titles in with_events(response).values() for title in titles]
    assert shown == expected
    assert "Some search values were not understood" not in text(response)


@freeze_time(TODAY)
def test_the_month_shows_what_the_list_of_that_month_shows(client, network):
    make_event(network, title_en="Early", starts_at=at(2))
    make_event(network, title_en="Late", starts_at=at(30, hour=20))
    make_event(network, title_en="Next month", starts_at=at(1, hour=1, month=1, year=2027))
    cancelled = make_event(network, title_en="Called off", starts_at=at(12))
    event_cancel(actor=network.users["admin"], event=cancelled)
    held = make_event(network, title_en="Held", starts_at=at(1, hour=10))
    Event.objects.filter(pk=held.pk).update(status=Event.Status.HELD)

    month = client.get("/en/events/", {"view": "month", "month": "2026-12", "region": "KZ-55"})
    list_url = href(main(month), r'<a href="([^"]*)">List</a>')
    listed = client.get(list_url)

    assert query(list_url) == {
        "region": ["KZ-55"],
        "date_from": ["2026-12-01"],
        "date_to": ["2026-12-31"],
    }
    in_month = sorted(title for titles in with_events(month).values() for title in titles)
    in_list = sorted(re.findall(r'class="event-title"><a href="[^"]*">([^<]*)</a>', main(listed)))
    assert in_month == in_list == ["Called off", "Early", "Held", "Late"]


@freeze_time(TODAY)
def test_list_and_month_are_two_links_the_current_one_marked(client, network):
    listed = main(client.get("/en/events/", {"region": "KZ-55", "date_from": "2027-03-05"}))
    month = main(client.get("/en/events/", {"view": "month", "region": "KZ-55"}))

    assert re.search(r'<a href="[^"]*" aria-current="page">List</a>', listed)
    assert re.search(r'<a href="[^"]*" aria-current="page">Month</a>', month)
    # From the list, the month of its period, with the same filters.
    to_month = href(listed, r'<a href="([^"]*)">Month</a>')
    assert query(to_month) == {"region": ["KZ-55"], "view": ["month"], "month": ["2027-03"]}


@freeze_time(TODAY)
def test_an_empty_month_suggests_what_to_change(client, network):
    make_event(network, title_en="In January", starts_at=at(12, month=1, year=2027))

    response = client.get("/en/events/", {"view": "month", "month": "2026-12", "kind": "concert"})

    shown = text(response)
    assert "No event of this month matches these filters. Change the search:" in shown
    empty = re.search(r'<div class="empty-result">.*?</div>', main(response), re.S)
    assert empty is not None
    suggestions = {
        html.unescape(label): html.unescape(url)
        for url, label in re.findall(r'<a href="([^"]*)">([^<]*)</a>', empty[0])
    }
    assert query(suggestions["Clear the filter “Kind of event”"]) == {
        "view": ["month"],
        "month": ["2026-12"],
    }
    assert query(suggestions["Look at the next month: January 2027"]) == {
        "kind": ["concert"],
        "view": ["month"],
        "month": ["2027-01"],
    }


def make_month(network, count: int, *, start: int = 0) -> None:
    for number in range(start, start + count):
        make_event(
            network,
            title_en=f"Event {number}",
            starts_at=at(2 + number % 28, hour=8 + number % 10),
            programme="myn_bala",
            district=district_of("KZ-55"),
            co_organisers=(network.pavlodar_elders,),
            audiences=("youth",),
        )


@freeze_time(TODAY)
@pytest.mark.parametrize("params", [{}, {"region": "KZ-55", "audience": "youth", "q": "event"}])
def test_the_month_costs_the_same_number_of_queries_for_3_or_60_events(
    client, network, django_assert_num_queries, params
):
    values = {"view": "month", "month": "2026-12", **params}
    make_month(network, 3)
    client.get("/en/events/", values)  # the filters' options are cached after a first request
    with DataQueriesContext(connection) as few:
        assert client.get("/en/events/", values).status_code == 200
    make_month(network, 57, start=3)

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/en/events/", values)

    assert sum(len(titles) for titles in with_events(response).values()) == 60
    assert "60 events start this month." in text(response)
    assert len(few.captured_queries) <= 8
