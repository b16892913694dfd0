"""The staff inbox: scoped register rows without personal data, queues, filters, queries."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from birlik.appeals.models import Appeal

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
