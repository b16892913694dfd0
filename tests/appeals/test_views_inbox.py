"""The staff inbox: scoped register rows without personal data, queues, filters, queries."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from birlik.access.models import User
from birlik.appeals.models import Appeal
from birlik.appeals.policies import appeal_scope

from ..factories import OrganisationFactory, kind
from .helpers import APPLICANT, TEXT, register


def inbox() -> str:
    return reverse("appeals:inbox")


def set_due(appeal: Appeal, day: datetime.date, **extra: object) -> None:
    Appeal.objects.filter(pk=appeal.pk).update(due_date=day, **extra)
    fresh = Appeal.objects.get(pk=appeal.pk)
    fresh.save(update_fields=["due_date"])  # keeps effective_due in step


def numbers(response) -> set[str]:
    return {appeal.number for appeal in response.context["page"].object_list}


def test_the_inbox_lists_the_register_but_never_the_applicants_name_or_text(network, login):
    appeal = register(network.pavlodar_house)
    response = login(network.users["staff_pavlodar_house"]).get(inbox())
    assert response.status_code == 200
    page = response.content.decode()
    assert appeal.number in page
    assert "House of Friendship of Pavlodar Region" in page
    assert "Request" in page
    assert APPLICANT not in page
    assert TEXT[:20] not in page


def test_the_inbox_shows_only_appeals_in_the_users_scope(network, login):
    pavlodar = register(network.pavlodar_house)
    almaty = register(network.almaty_house)
    response = login(network.users["coordinator_almaty"]).get(inbox())
    assert numbers(response) == {almaty.number}
    assert pavlodar.number not in response.content.decode()


def test_the_national_administrator_is_not_filtered_by_body_but_a_second_tree_still_is(
    network, login
):
    pavlodar = register(network.pavlodar_house)
    almaty = register(network.almaty_house)
    admin = network.users["admin"]
    # The whole tree: the inbox walks its index unfiltered (a condition that is always true).
    assert appeal_scope(admin) == Q(pk__isnull=False)
    assert numbers(login(admin).get(inbox())) == {pavlodar.number, almaty.number}
    # Bodies under another root are outside the administrator's subtree: the filter is back.
    other_root = OrganisationFactory(kind=kind("secretariat"), name_en="Another network")
    stray = register(other_root)
    # (Each request loads its user again; the answer is kept on the user object for one request.)
    assert appeal_scope(User.objects.get(pk=admin.pk)) != Q(pk__isnull=False)
    assert numbers(login(admin).get(inbox())) == {pavlodar.number, almaty.number}
    assert stray.number not in numbers(login(admin).get(inbox()))
    assert appeal_scope(network.users["coordinator_almaty"]) != Q(pk__isnull=False)


def test_the_analyst_is_refused_the_inbox(network, login):
    register(network.pavlodar_house)
    response = login(network.users["analyst"]).get(inbox())
    assert response.status_code == 403


def test_a_visitor_who_is_not_signed_in_is_sent_to_the_sign_in_page(client, network):
    response = client.get(inbox())
    assert response.status_code == 302
    assert reverse("access:login") in response["Location"]


@freeze_time("2025-03-20 10:00:00+05:00")
def test_due_soon_counts_three_working_days_across_nauryz(network, login):
    # Thursday 20 March 2025; 21–25 March are Nauryz days off, so three working days ahead
    # are 26, 27 and 28 March: eight calendar days away.
    across_holiday = register(network.pavlodar_house)
    set_due(across_holiday, datetime.date(2025, 3, 28))
    too_far = register(network.pavlodar_house)
    set_due(too_far, datetime.date(2025, 3, 31))
    today = register(network.pavlodar_house)
    set_due(today, datetime.date(2025, 3, 20))
    late = register(network.pavlodar_house)
    set_due(late, datetime.date(2025, 3, 19))
    extended = register(network.pavlodar_house)
    set_due(
        extended,
        datetime.date(2025, 3, 19),
        extended_until=datetime.date(2025, 4, 30),
        status=Appeal.Status.EXTENDED,
    )
    answered = register(network.pavlodar_house)
    set_due(answered, datetime.date(2025, 3, 19), status=Appeal.Status.ANSWERED)
    client = login(network.users["coordinator_pavlodar"])

    due_soon = client.get(inbox(), {"queue": "due_soon"})
    assert numbers(due_soon) == {across_holiday.number, today.number}

    overdue = client.get(inbox(), {"queue": "overdue"})
    assert numbers(overdue) == {late.number}
    assert "overdue" in overdue.content.decode()

    everything_open = client.get(inbox())
    assert answered.number not in numbers(everything_open)
    assert extended.number in numbers(everything_open)


def test_the_redirect_queue_shows_the_redirect_by_date_and_the_working_days_left(network, login):
    staff = network.users["staff_pavlodar_house"]
    with freeze_time("2026-03-20 19:00:00+05:00"):  # redirect by Monday 30 March
        waiting = register(network.pavlodar_house)
        started = register(network.pavlodar_house, actor=staff)
        started.executor = staff
        started.status = Appeal.Status.IN_PROGRESS
        started.save(update_fields=["executor", "status"])
    with freeze_time("2026-03-26 09:00:00+05:00"):  # Thursday after Nauryz: 27, 30 March left
        early = register(network.pavlodar_house)  # redirect by Tuesday 31 March
        client = login(network.users["coordinator_pavlodar"])
        response = client.get(inbox(), {"queue": "to_redirect"})
    assert [a.number for a in response.context["page"].object_list] == [
        waiting.number,
        early.number,
    ]
    page = response.content.decode()
    assert "30.03.2026</time> — 2 working days left" in page
    assert "31.03.2026</time> — 3 working days left" in page
    client.logout()  # a new session a week later
    with freeze_time("2026-04-01 09:00:00+05:00"):
        client = login(network.users["coordinator_pavlodar"])
        page = client.get(inbox(), {"queue": "to_redirect"}).content.decode()
    assert "30.03.2026</time> — 2 working days late" in page
    assert "31.03.2026</time> — 1 working day late" in page
    assert started.number not in page


def test_mine_shows_the_appeals_where_i_am_named(network, login):
    staff = network.users["staff_pavlodar_house"]
    named = register(network.pavlodar_house, actor=staff)
    other = register(network.pavlodar_house)
    response = login(staff).get(inbox(), {"queue": "mine"})
    assert numbers(response) == {named.number}
    assert other.number not in numbers(response)


def test_the_not_considered_queue_holds_the_anonymous_appeals(network, login):
    anonymous = register(network.pavlodar_house, applicant_name="", applicant_phone="")
    register(network.pavlodar_house)
    response = login(network.users["coordinator_pavlodar"]).get(
        inbox(), {"queue": "not_considered"}
    )
    assert numbers(response) == {anonymous.number}


def test_filters_by_kind_status_and_body(network, login):
    complaint = register(network.pavlodar_house, kind=Appeal.Kind.COMPLAINT)
    request = register(network.pavlodar_elders)
    client = login(network.users["coordinator_pavlodar"])
    assert numbers(client.get(inbox(), {"kind": "complaint"})) == {complaint.number}
    assert numbers(client.get(inbox(), {"body": network.pavlodar_elders.pk})) == {request.number}
    assert numbers(client.get(inbox(), {"status": "answered", "queue": "all"})) == set()


def test_filter_values_not_understood_are_reported_not_crashed_on(network, login):
    register(network.pavlodar_house)
    client = login(network.users["coordinator_pavlodar"])
    response = client.get(inbox(), {"kind": "poem", "body": "abc", "page": "x", "queue": "?"})
    assert response.status_code == 200
    assert "Some search values were not understood" in response.content.decode()
    response = client.get(inbox(), {"body": network.almaty_house.pk})
    assert "No body in your scope has this number." in response.content.decode()


def test_the_inbox_costs_the_same_queries_for_many_rows(network, login, settings):
    client = login(network.users["coordinator_pavlodar"])
    staff = network.users["staff_pavlodar_house"]
    register(network.pavlodar_house, actor=staff)
    client.get(inbox())  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        client.get(inbox())
    for n in range(20):
        appeal = register(network.pavlodar_house if n % 2 else network.pavlodar_elders)
        if n % 3 == 0:
            Appeal.objects.filter(pk=appeal.pk).update(executor=staff)
    with CaptureQueriesContext(connection) as many:
        response = client.get(inbox())
    assert len(response.context["page"].object_list) == 21
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Keyset pages (issue 19) -------------------------------------------------------------------

DAY = datetime.date(2026, 3, 2)


def bulk(organisation, count: int, *, start: int = 0, **fields: object) -> list[Appeal]:
    """``count`` register rows written at once (the inbox reads only the register), due on
    four different days so that many share a due date."""
    rows = []
    for index in range(start, start + count):
        due = DAY + datetime.timedelta(days=index % 4)
        values: dict[str, object] = {
            "number": f"KS-{index:05d}",
            "organisation": organisation,
            "kind": Appeal.Kind.REQUEST,
            "text": TEXT,
            "applicant_name": APPLICANT,
            "counted_from": DAY,
            "due_date": due,
            "effective_due": due,
            "redirect_by": due,
            **fields,
        }
        rows.append(Appeal(**values))
    return Appeal.objects.bulk_create(rows)


def shown(response) -> list[str]:
    return [appeal.number for appeal in response.context["page"].object_list]


def follow(client, response, rel: str):
    """The page behind the pager's ``rel="next"``/``rel="prev"`` link, as a user clicks it."""
    page = response.content.decode()
    match = re.search(rf'<a href="\?([^"]*)" rel="{rel}">', page)
    assert match is not None, f"no {rel} link"
    return client.get(inbox() + "?" + html.unescape(match.group(1)))


@freeze_time("2026-03-01 10:00:00+05:00")
def test_every_page_of_a_queue_costs_the_same_queries_for_3_or_60_appeals(
    network, login, django_assert_max_num_queries
):
    client = login(network.users["coordinator_pavlodar"])
    bulk(network.pavlodar_house, 3)
    client.get(inbox())  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        assert len(shown(client.get(inbox()))) == 3
    bulk(network.pavlodar_elders, 57, start=3, executor=network.users["staff_pavlodar_house"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        first = client.get(inbox())
    with django_assert_max_num_queries(len(few.captured_queries)):
        second = follow(client, first, "next")
    with django_assert_max_num_queries(len(few.captured_queries) + 1):  # + the skipped keys
        third = client.get(inbox(), {"page": 3})
    assert len(shown(first)) == len(shown(second)) == 25
    assert shown(third) == [a.number for a in Appeal.objects.order_by("effective_due", "id")][50:]


@freeze_time("2026-03-01 10:00:00+05:00")
def test_the_pages_of_a_queue_show_each_appeal_once_in_order_and_lead_back(network, login):
    bulk(network.pavlodar_house, 60)
    client = login(network.users["coordinator_pavlodar"])
    pages = [client.get(inbox(), {"queue": "open"})]
    while 'rel="next"' in pages[-1].content.decode():
        pages.append(follow(client, pages[-1], "next"))
    everyone = [number for response in pages for number in shown(response)]
    assert everyone == [a.number for a in Appeal.objects.order_by("effective_due", "id")]
    assert [len(shown(response)) for response in pages] == [25, 25, 10]
    assert "Page 3" in pages[-1].content.decode()
    back = follow(client, pages[-1], "prev")
    assert shown(back) == shown(pages[1])
    assert "queue=open" in html.unescape(back.content.decode())


@freeze_time("2026-03-01 10:00:00+05:00")
def test_a_deep_page_by_number_answers_the_rows_it_always_did(network, login):
    bulk(network.pavlodar_house, 60)
    client = login(network.users["admin"])
    response = client.get(inbox(), {"queue": "all", "page": 2})
    assert response.status_code == 200
    assert shown(response) == [a.number for a in Appeal.objects.order_by("-id")][25:50]
    too_far = client.get(inbox(), {"queue": "all", "page": 50})
    assert too_far.status_code == 200
    assert shown(too_far) == [a.number for a in Appeal.objects.order_by("-id")][50:]


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "x" * 3000, "eyJrIjpbIjIwMjYtMDMtMDIiLDFdfQ:forged:signature", "%00"],
)
def test_a_forged_or_garbled_cursor_shows_the_first_page(network, login, cursor):
    bulk(network.pavlodar_house, 30)
    client = login(network.users["coordinator_pavlodar"])
    response = client.get(inbox(), {"queue": "all", "cursor": cursor})
    assert response.status_code == 200
    assert shown(response) == [a.number for a in Appeal.objects.order_by("-id")][:25]


@freeze_time("2026-03-01 10:00:00+05:00")
@pytest.mark.parametrize(
    "queue", ["open", "due_soon", "overdue", "to_redirect", "mine", "not_considered", "all"]
)
def test_each_queue_pages_by_cursor(network, login, queue):
    staff = network.users["staff_pavlodar_house"]
    status = Appeal.Status.NOT_CONSIDERED if queue == "not_considered" else "registered"
    bulk(network.pavlodar_house, 30, status=status, executor=staff if queue == "mine" else None)
    if queue == "overdue":
        Appeal.objects.update(effective_due=DAY - datetime.timedelta(days=10))
    if queue == "due_soon":
        Appeal.objects.update(effective_due=datetime.date(2026, 3, 2))
    client = login(staff)
    first = client.get(inbox(), {"queue": queue})
    second = follow(client, first, "next")
    assert len(shown(first)) == 25
    assert len(shown(second)) == 5
    assert set(shown(first)) | set(shown(second)) == set(
        Appeal.objects.values_list("number", flat=True)
    )


def test_the_count_says_more_than_a_thousand_rather_than_counting_every_appeal(network, login):
    bulk(network.pavlodar_house, 1001)
    client = login(network.users["coordinator_pavlodar"])
    with translation.override("en"):
        page = client.get(inbox(), {"queue": "all"}).content.decode()
        assert "More than 1,000 appeals" in page
        exact = client.get(inbox(), {"queue": "all", "kind": "complaint"}).content.decode()
        assert "0 appeals" in exact


def test_paper_registration_is_chosen_inline_for_one_body_and_on_its_own_page_for_many(
    network, login
):
    """A user working for one body picks it on the inbox; a coordinator with hundreds of bodies
    follows a link to the page that chooses (the inbox never renders hundreds of options)."""
    choose = reverse("appeals:register_choose")
    house = login(network.users["staff_pavlodar_house"]).get(inbox()).content.decode()
    assert 'id="register_body"' in house
    assert "House of Friendship of Pavlodar Region</option>" in house
    coordinator = login(network.users["coordinator_pavlodar"]).get(inbox()).content.decode()
    assert 'id="register_body"' not in coordinator
    assert f'<a href="{choose}">Register an appeal</a>' in coordinator
    analyst_like = login(network.users["coordinator_almaty"]).get(choose)
    assert analyst_like.status_code == 200
