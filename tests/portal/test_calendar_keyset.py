"""The public calendar's deep pages (issue 19): every event once across the pages whether by
``?page=N`` or by cursor, a bounded count, a garbled cursor shows the first page, and a deep
page costs the queries of the first."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from birlik.events.models import Event

from .events_data import in_days, make_event
from .helpers import text
from .test_events_calendar import titles

pytestmark = pytest.mark.django_db


def many(network, count: int) -> list[str]:
    """``count`` upcoming events, several starting at the same moment; their titles in order."""
    for number in range(count):
        make_event(network, title_en=f"Event {number:03d}", starts_at=in_days(1 + number % 3))
    return list(Event.objects.order_by("starts_at", "id").values_list("title_en", flat=True))


def follow(client, response):
    match = re.search(r'<a href="\?([^"]*)" rel="next">', response.content.decode())
    assert match is not None, "no next link"
    return client.get("/en/events/?" + html.unescape(match.group(1)))


def test_the_pages_by_number_then_by_cursor_show_every_event_once_in_order(
    client, network, settings
):
    settings.BIRLIK_PAGE_SIZE = 2
    expected = many(network, 9)
    seen = []
    response = client.get("/en/events/")
    seen += titles(response)
    while 'rel="next"' in response.content.decode():
        response = follow(client, response)
        seen += titles(response)
    assert seen == expected
    assert "Page 5" in text(response)


def test_the_first_pages_keep_their_numbered_addresses(client, network, settings):
    settings.BIRLIK_PAGE_SIZE = 2
    many(network, 5)
    first = client.get("/en/events/")
    assert 'href="?page=2" rel="next"' in first.content.decode()


def test_a_deep_page_by_number_costs_what_the_first_page_costs(client, network, settings):
    settings.BIRLIK_PAGE_SIZE = 2
    expected = many(network, 12)
    client.get("/en/events/")
    with CaptureQueriesContext(connection) as first:
        client.get("/en/events/")
    with CaptureQueriesContext(connection) as deep:
        response = client.get("/en/events/", {"page": 5})
    assert titles(response) == expected[8:10]
    # The rows, the bounded count and the keys skipped: one more query than the first page.
    assert len(deep.captured_queries) <= len(first.captured_queries) + 1
    # Rows are not skipped by reading them: only the keys are (the query without the titles).
    skipping = [query["sql"] for query in deep.captured_queries if "OFFSET" in query["sql"]]
    assert skipping
    assert all("title_en" not in sql for sql in skipping)


@pytest.mark.parametrize("cursor", ["garbage", "e30:x:y", "0" * 2000])
def test_a_garbled_cursor_shows_the_first_page(client, network, settings, cursor):
    settings.BIRLIK_PAGE_SIZE = 2
    expected = many(network, 5)
    response = client.get("/en/events/", {"cursor": cursor})
    assert response.status_code == 200
    assert titles(response) == expected[:2]


def test_a_page_too_far_shows_the_last_page(client, network, settings):
    settings.BIRLIK_PAGE_SIZE = 2
    expected = many(network, 5)
    response = client.get("/en/events/", {"page": 9999})
    assert response.status_code == 200
    assert titles(response) == expected[4:]


def test_the_count_stops_at_the_limit(client, network, monkeypatch, settings):
    settings.BIRLIK_PAGE_SIZE = 2
    monkeypatch.setattr("birlik.core.listing.COUNT_LIMIT", 3)
    many(network, 5)
    with translation.override("en"):
        page = text(client.get("/en/events/"))
        assert "More than 3 upcoming events" in page
        assert "5 upcoming events" not in page
