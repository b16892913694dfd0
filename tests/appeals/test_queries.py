"""The shared reads of appeals (overdue, due soon, to redirect, answered on time) and legal
dates that never depend on the server's TIME_ZONE."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.test import override_settings
from freezegun import freeze_time

from birlik.appeals import queries
from birlik.appeals.models import Appeal
from birlik.appeals.services import (
    AppealError,
    appeal_assign,
    appeal_extend,
    appeal_take_on,
    appeals_escalate_overdue,
)
from birlik.core.workdays import legal_today

from .helpers import register

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
D = datetime.date


def at(year, month, day, hour=11, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def registered(network, moment, **overrides):
    with freeze_time(moment):
        return register(network.pavlodar_house, **overrides)


def numbers(qs) -> set[str]:
    return set(qs.values_list("number", flat=True))


def test_overdue_and_due_soon_use_the_term_with_its_extension(network):
    # Received Monday 2 February 2026: due Monday 23 February.
    plain = registered(network, at(2026, 2, 2))
    extended = registered(network, at(2026, 2, 2))
    Appeal.objects.filter(pk=extended.pk).update(
        extended_until=D(2026, 3, 20), effective_due=D(2026, 3, 20), status="extended"
    )
    answered = registered(network, at(2026, 2, 2))
    Appeal.objects.filter(pk=answered.pk).update(status="answered")

    assert numbers(queries.appeals_overdue(on=D(2026, 2, 23))) == set()
    assert numbers(queries.appeals_overdue(on=D(2026, 2, 24))) == {plain.number}
    assert numbers(queries.appeals_overdue(on=D(2026, 3, 23))) == {plain.number, extended.number}
    # Thursday 19 February + 3 working days = Tuesday 24 February: 23 February is in.
    assert numbers(queries.appeals_due_soon(on=D(2026, 2, 19), days=3)) == {plain.number}
    assert numbers(queries.appeals_due_soon(on=D(2026, 2, 16), days=3)) == set()


def test_an_empty_query_set_given_stays_empty(network, django_assert_num_queries):
    registered(network, at(2026, 2, 2))
    with django_assert_num_queries(0):
        qs = queries.appeals_overdue(on=D(2026, 3, 1), qs=Appeal.objects.none())
    assert list(qs) == []


def test_the_redirect_queue_holds_appeals_nobody_has_started_on_within_or_past_the_term(
    network,
):
    house = network.users["staff_pavlodar_house"]
    waiting = registered(network, at(2026, 3, 20, 19))  # redirect by Monday 30 March
    assigned = registered(network, at(2026, 3, 20, 19))
    appeal_take_on(actor=house, appeal=assigned)
    appeal_assign(actor=house, appeal=assigned, executor=house)
    anonymous = registered(network, at(2026, 3, 20, 19), applicant_name="", consent=False)
    tomorrow = registered(network, at(2026, 3, 31, 10))

    on_30 = queries.appeals_to_redirect(on=D(2026, 3, 30))
    assert numbers(on_30) == {waiting.number}
    assert numbers(queries.appeals_redirection_overdue(on=D(2026, 3, 30))) == set()
    on_31 = queries.appeals_to_redirect(on=D(2026, 3, 31))
    assert numbers(on_31) == {waiting.number, tomorrow.number}
    assert numbers(queries.appeals_redirection_overdue(on=D(2026, 3, 31))) == {waiting.number}
    assert anonymous.number not in numbers(on_31)


def test_answered_on_time_is_judged_by_the_day_in_almaty(network):
    # Due Monday 23 February 2026; answered at 23:30 that day in Almaty (18:30 UTC): on time.
    on_time = registered(network, at(2026, 2, 2))
    late = registered(network, at(2026, 2, 2))
    Appeal.objects.filter(pk=on_time.pk).update(
        status="answered", answered_at=at(2026, 2, 23, 23, 30)
    )
    Appeal.objects.filter(pk=late.pk).update(status="answered", answered_at=at(2026, 2, 24, 0, 30))
    with override_settings(TIME_ZONE="UTC"):
        assert numbers(queries.appeals_answered_on_time()) == {on_time.number}
        assert numbers(queries.appeals_answered_late()) == {late.number}


# --- Legal dates whatever the server's TIME_ZONE ---------------------------------------------

# 23:30 UTC on Thursday 19 March 2026 is 04:30 on Friday 20 March in Almaty.
LATE_UTC = datetime.datetime(2026, 3, 19, 23, 30, tzinfo=datetime.UTC)


@override_settings(TIME_ZONE="UTC")
def test_today_is_the_day_in_almaty_on_a_utc_server():
    with freeze_time(LATE_UTC):
        assert legal_today() == D(2026, 3, 20)


@override_settings(TIME_ZONE="UTC")
def test_an_appeal_received_at_23_30_utc_counts_from_the_next_day_in_almaty(network):
    appeal = registered(network, LATE_UTC)
    appeal.refresh_from_db()
    assert appeal.counted_from == D(2026, 3, 20)
    assert appeal.due_date == D(2026, 4, 15)
    assert appeal.redirect_by == D(2026, 3, 30)


@override_settings(TIME_ZONE="UTC")
def test_on_a_utc_server_the_term_ends_at_midnight_in_almaty(network):
    # Received Monday 2 February 2026: due Monday 23 February. At 23:30 UTC on 23 February it
    # is already 24 February in Almaty: overdue, escalated, and no longer extendable.
    appeal = registered(network, at(2026, 2, 2))
    house = network.users["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    with freeze_time(datetime.datetime(2026, 2, 23, 23, 30, tzinfo=datetime.UTC)):
        assert numbers(queries.appeals_overdue(on=legal_today())) == {appeal.number}
        with pytest.raises(AppealError):
            appeal_extend(actor=house, appeal=appeal, until=D(2026, 3, 20), reason="Кеш.")
        assert appeals_escalate_overdue() == 1
    with freeze_time(datetime.datetime(2026, 2, 23, 18, 30, tzinfo=datetime.UTC)):
        # 23:30 in Almaty on the last day: still in time.
        assert numbers(queries.appeals_overdue(on=legal_today())) == set()
