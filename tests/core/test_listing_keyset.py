"""Keyset pages (``core.listing.keyset_page``): every row once across the pages, forward and
back; a bounded count; old ``?page=N`` links; forged or garbled cursors show the first page."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs

import pytest
from django.core import signing
from django.test import RequestFactory

from birlik.appeals.models import Appeal
from birlik.core import listing
from birlik.core.listing import CURSOR_PARAM, keyset_page

pytestmark = pytest.mark.django_db

ORDER = ("effective_due", "id")
DAY = datetime.date(2026, 3, 2)


def appeals(organisation, count: int, *, start: int = 0, days: int = 7) -> list[Appeal]:
    """``count`` appeals whose due dates repeat every ``days`` days: many share a date, so the
    order needs its second key."""
    rows = []
    for index in range(start, start + count):
        due = DAY + datetime.timedelta(days=index % days)
        rows.append(
            Appeal(
                number=f"K-{index:05d}",
                organisation=organisation,
                kind=Appeal.Kind.REQUEST,
                text="text",
                counted_from=DAY,
                due_date=due,
                effective_due=due,
            )
        )
    return Appeal.objects.bulk_create(rows)


def get(params: dict[str, str] | None = None):
    return RequestFactory().get("/list/", params or {})


def page(params: dict[str, str] | None = None, *, order=ORDER, size=10, **extra):
    return keyset_page(get(params), Appeal.objects.all(), order=order, size=size, **extra)


def cursor_of(query: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(query).items()}


def expected(order=ORDER) -> list[str]:
    return list(Appeal.objects.order_by(*order).values_list("number", flat=True))


def numbers(shown) -> list[str]:
    return [row.number for row in shown.object_list]


def test_the_pages_show_every_row_once_in_order_forward_and_back(network):
    appeals(network.pavlodar_house, 45)
    seen: list[list[str]] = []
    shown = page()
    while True:
        seen.append(numbers(shown))
        if not shown.has_next:
            break
        shown = page(cursor_of(shown.next_query))
    assert [number for rows in seen for number in rows] == expected()
    assert [len(rows) for rows in seen] == [10, 10, 10, 10, 5]
    assert shown.number == 5
    backwards: list[list[str]] = [numbers(shown)]
    while shown.has_previous:
        shown = page(cursor_of(shown.previous_query))
        backwards.append(numbers(shown))
    assert backwards[::-1] == seen
    assert shown.number == 1


def test_a_descending_order_pages_newest_first(network):
    appeals(network.pavlodar_house, 25)
    first = page(order=("-id",))
    second = page(cursor_of(first.next_query), order=("-id",))
    third = page(cursor_of(second.next_query), order=("-id",))
    assert numbers(first) + numbers(second) + numbers(third) == expected(("-id",))
    assert not third.has_next


def test_the_count_stops_at_the_limit(network):
    appeals(network.pavlodar_house, 12)
    assert page(count_limit=100).count == listing.BoundedCount(value=12, more=False)
    assert page(count_limit=11).count == listing.BoundedCount(value=11, more=True)
    assert page(count_limit=12).count == listing.BoundedCount(value=12, more=False)


def test_a_page_costs_two_queries_for_4_rows_or_40(network, django_assert_num_queries):
    appeals(network.pavlodar_house, 4)
    with django_assert_num_queries(2):  # the rows, the bounded count
        shown = page()
    assert shown.count == listing.BoundedCount(value=4, more=False)
    assert not shown.has_other_pages
    appeals(network.pavlodar_house, 36, start=4)
    following = cursor_of(page().next_query)
    with django_assert_num_queries(2):
        shown = page(following)
    assert shown.count == listing.BoundedCount(value=40, more=False)


@pytest.mark.parametrize(
    "raw",
    [
        "garbage",
        "",
        "a" * 500,
        signing.dumps({"k": ["2026-03-02", 5], "d": "n"}),  # signed without the list's salt
        signing.dumps(
            {"k": ["not a date", 5], "d": "n"},
            salt="birlik.listing:appeals.Appeal:effective_due,id",
        ),
        signing.dumps(
            {"k": ["2026-03-02"], "d": "n"}, salt="birlik.listing:appeals.Appeal:effective_due,id"
        ),
        signing.dumps(["2026-03-02", 5], salt="birlik.listing:appeals.Appeal:effective_due,id"),
    ],
    # Signed values carry a timestamp: ids fixed so every xdist worker collects the same tests.
    ids=[
        "garbage",
        "empty",
        "too-long",
        "other-salt",
        "not-a-date",
        "short-key",
        "not-a-dict",
    ],
)
def test_a_forged_or_garbled_cursor_shows_the_first_page(network, raw):
    appeals(network.pavlodar_house, 15)
    shown = page({CURSOR_PARAM: raw})
    assert numbers(shown) == expected()[:10]
    assert shown.number == 1
    assert not shown.has_previous


def test_a_cursor_made_for_another_order_shows_the_first_page(network):
    appeals(network.pavlodar_house, 25)
    newest_first = page(order=("-id",))
    shown = page(cursor_of(newest_first.next_query))
    assert numbers(shown) == expected()[:10]


def test_an_old_page_number_shows_the_same_rows_as_before(network):
    appeals(network.pavlodar_house, 45)
    shown = page({"page": "3"})
    assert numbers(shown) == expected()[20:30]
    assert shown.number == 3
    following = page(cursor_of(shown.next_query))
    assert numbers(following) == expected()[30:40]
    assert following.number == 4
    before = page(cursor_of(shown.previous_query))
    assert numbers(before) == expected()[10:20]
    assert before.number == 2
    # Back to the first page: a plain link, without a cursor.
    assert CURSOR_PARAM not in cursor_of(before.previous_query)


@pytest.mark.parametrize("number", ["9", "99999", str(listing.MAX_PAGE_NUMBER + 1)])
def test_a_page_number_too_far_shows_the_last_page(network, number):
    appeals(network.pavlodar_house, 45)
    shown = page({"page": number})
    assert numbers(shown) == expected()[40:]
    assert shown.number == 5
    assert shown.has_previous and not shown.has_next


@pytest.mark.parametrize("number", ["x", "-3", "0", "1.5"])
def test_a_page_number_not_understood_shows_the_first_page(network, number):
    appeals(network.pavlodar_house, 15)
    shown = page({"page": number})
    assert numbers(shown) == expected()[:10]


def test_links_keep_the_filters(network):
    appeals(network.pavlodar_house, 25)
    shown = page(query="queue=all&kind=request")
    assert cursor_of(shown.next_query)["queue"] == "all"
    assert cursor_of(shown.next_query)["kind"] == "request"
    assert shown.first_query == "queue=all&kind=request"


def test_rows_added_before_the_cursor_do_not_shift_the_next_page(network):
    appeals(network.pavlodar_house, 30, days=30)
    first = page()
    appeals(network.pavlodar_house, 3, start=100, days=1)  # due on the first day: page 1's rows
    second = page(cursor_of(first.next_query))
    assert numbers(second) == [f"K-{index:05d}" for index in range(10, 20)]


def test_an_ordering_that_does_not_end_with_the_key_is_refused(network):
    with pytest.raises(ValueError, match="primary key"):
        page(order=("effective_due",))
