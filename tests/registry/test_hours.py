"""Opening hours: what staff may type for a day, and what a visitor is told at a moment."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from birlik.core.workdays import LEGAL_TZ
from birlik.registry import hours
from birlik.registry.hours import Interval

T = datetime.time


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00-18:00", [(T(9), T(18))]),
        ("9-18", [(T(9), T(18))]),
        ("9.00–18.00", [(T(9), T(18))]),
        ("09:00 — 18:00", [(T(9), T(18))]),
        (" 09:30 - 17:45 ", [(T(9, 30), T(17, 45))]),
        ("09:00-13:00, 14:00-18:00", [(T(9), T(13)), (T(14), T(18))]),
        ("14:00-18:00; 9-13", [(T(9), T(13)), (T(14), T(18))]),
        ("9-13,13-18", [(T(9), T(13)), (T(13), T(18))]),
        ("09:00-18:00,", [(T(9), T(18))]),
        ("", []),
        ("   ", []),
        ("–", []),
    ],
)
def test_a_day_is_read_from_the_ways_staff_write_it(text, expected):
    intervals = hours.parse_day(2, text)

    assert [(i.opens, i.closes) for i in intervals] == expected
    assert all(i.weekday == 2 for i in intervals)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("from nine", "Wednesday: “from nine” is not understood."),
        ("09:00", "Wednesday: “09:00” is not understood."),
        ("9-18-20", "Wednesday: “9-18-20” is not understood."),
        ("25:00-26:00", "Wednesday: “25:00-26:00” is not a time of day."),
        ("09:75-18:00", "Wednesday: “09:75-18:00” is not a time of day."),
        ("9.5-18", "Wednesday: “9.5-18” is not a time of day."),
        ("18:00-09:00", "Wednesday: in 18:00–09:00 the closing time must be later"),
        ("10:00-10:00", "Wednesday: in 10:00–10:00 the closing time must be later"),
        ("09:00-14:00, 13:00-18:00", "Wednesday: the times 09:00–14:00 and 13:00–18:00 overlap."),
    ],
)
def test_anything_else_is_refused_with_a_message_naming_the_day(text, message):
    with pytest.raises(hours.HoursError) as error:
        hours.parse_day(2, text)

    assert str(error.value.message).startswith(message)
    assert error.value.field == "day_2"


def test_the_day_is_named_in_the_language_of_the_page():
    with translation.override("ru"), pytest.raises(hours.HoursError) as error:
        hours.parse_day(0, "утром")
    assert str(error.value.message).startswith("Понедельник: «утром» не удалось прочитать.")


def test_a_week_is_checked_day_by_day_and_kept_monday_first():
    week = hours.check_week(
        [Interval(5, T(10), T(14)), Interval(0, T(14), T(18)), Interval(0, T(9), T(13))]
    )
    assert [(i.weekday, i.opens) for i in week] == [(0, T(9)), (0, T(14)), (5, T(10))]
    with pytest.raises(hours.HoursError):
        hours.check_week([Interval(7, T(9), T(13))])
    with pytest.raises(hours.HoursError) as error:
        hours.check_week([Interval(4, T(9), T(13)), Interval(4, T(12), T(18))])
    assert str(error.value.message).startswith("Friday:")


def test_the_audit_log_gets_the_week_in_a_language_neutral_form():
    week = [Interval(5, T(10), T(14)), Interval(0, T(14), T(18)), Interval(0, T(9), T(13))]
    assert hours.audit_text(week) == "Mo 09:00-13:00,14:00-18:00; Sa 10:00-14:00"
    assert hours.audit_text([]) == ""
    assert hours.day_text(week, 0) == "09:00–13:00, 14:00–18:00"
    assert hours.day_text(week, 1) == ""


# An office week with a lunch break, and a short Saturday.
WEEK = [
    *(Interval(day, T(9), T(13)) for day in range(5)),
    *(Interval(day, T(14), T(18)) for day in range(5)),
    Interval(5, T(10), T(14)),
]


def at(text: str) -> datetime.datetime:
    """A moment given in Almaty time, handed over in UTC as ``timezone.now()`` gives it."""
    local = datetime.datetime.fromisoformat(text).replace(tzinfo=LEGAL_TZ)
    return local.astimezone(datetime.UTC)


@pytest.mark.parametrize(
    ("moment", "headline", "detail"),
    [
        # Wednesday 10 December 2025.
        ("2025-12-10 11:00", "Open now", "Closes at 13:00"),
        ("2025-12-10 09:00", "Open now", "Closes at 13:00"),
        ("2025-12-10 13:00", "Closed now", "Opens today at 14:00"),
        ("2025-12-10 08:59", "Closed now", "Opens today at 09:00"),
        ("2025-12-10 18:00", "Closed now", "Opens tomorrow at 09:00"),
        # Friday evening: Saturday's short day.
        ("2025-12-12 19:30", "Closed now", "Opens tomorrow at 10:00"),
        # Saturday after closing and Sunday: Monday.
        ("2025-12-13 15:00", "Closed now", "Opens on Monday at 09:00"),
        ("2025-12-14 12:00", "Closed now", "Opens tomorrow at 09:00"),
        # Tuesday 16 December is Independence Day.
        ("2025-12-16 11:00", "Closed today: public holiday", "Opens tomorrow at 09:00"),
        # Nauryz 2026: Saturday 21 to Wednesday 25 March (observed days off included).
        ("2026-03-20 18:30", "Closed now", "Opens on Thursday at 09:00"),
        ("2026-03-21 09:00", "Closed today: public holiday", "Opens on Thursday at 09:00"),
    ],
)
def test_a_visitor_is_told_whether_the_body_is_open_in_almaty_time(moment, headline, detail):
    state = hours.hours_state(WEEK, moment=at(moment))

    assert state is not None
    assert (state.headline, state.detail) == (headline, detail)
    assert state.open_now == (headline == "Open now")


def test_a_body_open_on_holidays_keeps_its_usual_hours_then():
    state = hours.hours_state(WEEK, moment=at("2025-12-16 11:00"), open_on_public_holidays=True)
    assert state is not None
    assert (state.headline, state.detail) == ("Open now", "Closes at 13:00")


def test_a_lunch_break_of_no_length_does_not_close_the_body():
    week = [Interval(2, T(9), T(13)), Interval(2, T(13), T(18))]
    state = hours.hours_state(week, moment=at("2025-12-10 12:00"))
    assert state is not None
    assert state.detail == "Closes at 18:00"


def test_the_next_opening_past_a_week_away_is_given_as_a_date():
    # Only Wednesdays, and the next one falls after a holiday Wednesday (7 January 2026).
    week = [Interval(2, T(10), T(12))]
    state = hours.hours_state(week, moment=at("2025-12-31 13:00"))
    assert state is not None
    assert state.detail == "Opens on 14 January 2026 at 10:00"


def test_today_is_marked_in_the_week_and_no_hours_give_no_state():
    state = hours.hours_state(WEEK, moment=at("2025-12-14 12:00"))
    assert state is not None
    assert [day.is_today for day in state.days] == [False] * 6 + [True]
    assert [day.name for day in state.days][:2] == ["Monday", "Tuesday"]
    assert state.days[0].text == "09:00–13:00, 14:00–18:00"
    assert state.days[6].text == ""
    assert hours.hours_state([], moment=at("2025-12-14 12:00")) is None
