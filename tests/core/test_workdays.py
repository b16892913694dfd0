"""Working-day deadlines across Kazakhstan's holidays, observed days off and day transfers."""

import datetime

import pytest
from django.test import override_settings
from freezegun import freeze_time

from birlik.core.workdays import (
    add_months,
    add_working_days,
    is_working_day,
    legal_date,
    legal_today,
    local_date,
    next_working_day,
    working_days_between,
    working_days_left,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 1, 5), True),  # Sunday made a working day by the 2025 transfer
        (D(2025, 1, 3), False),  # Friday off, transferred from 5 January
        (D(2025, 3, 21), False),  # Nauryz
        (D(2025, 3, 24), False),  # Nauryz falls on Saturday: Monday is the observed day off
        (D(2025, 12, 16), False),  # Independence Day
        (D(2025, 10, 27), False),  # Republic Day (25 October, Saturday) observed on Monday
        (D(2026, 1, 2), False),  # New Year
        (D(2026, 8, 31), True),  # Constitution Day is no longer a holiday from 2026
        (D(2025, 9, 1), False),  # 30 August 2025 (Saturday) observed on Monday
        (D(2025, 11, 1), False),  # an ordinary Saturday
        (D(2025, 11, 3), True),
    ],
)
def test_working_days_come_from_the_holiday_calendar(day, working):
    assert is_working_day(day) is working


def test_fifteen_working_days_across_nauryz():
    # Received Wednesday 19 March 2025; 21–25 March are off: Nauryz (21–23, two of its days on
    # the weekend) and the two observed days off, Monday 24 and Tuesday 25.
    assert add_working_days(D(2025, 3, 19), 15) == D(2025, 4, 14)


def test_received_on_a_holiday_counts_from_the_next_working_day():
    # 16 December 2025 (Independence Day) → counting starts Wednesday 17 December.
    assert next_working_day(D(2025, 12, 16)) == D(2025, 12, 17)
    assert add_working_days(D(2025, 12, 16), 1) == D(2025, 12, 18)


def test_deadline_runs_over_new_year():
    # Received Friday 26 December 2025; 1–2 January 2026 (New Year) and Wednesday 7 January
    # (Orthodox Christmas) are off.
    assert add_working_days(D(2025, 12, 26), 15) == D(2026, 1, 21)


def test_a_transferred_working_sunday_counts():
    # Tuesday 31 December 2024 + 1 working day: 1–2 January are New Year, 3 January is off by
    # transfer, 4 January a Saturday, and Sunday 5 January the transferred working day.
    assert add_working_days(D(2024, 12, 31), 1) == D(2025, 1, 5)


def test_three_working_days_for_a_redirection_over_a_weekend():
    assert add_working_days(D(2025, 11, 7), 3) == D(2025, 11, 12)


def test_working_days_between():
    assert working_days_between(D(2025, 3, 19), D(2025, 4, 14)) == 15
    assert working_days_between(D(2025, 4, 14), D(2025, 3, 19)) == 0


def test_local_date_is_in_almaty():
    late_utc = datetime.datetime(2025, 3, 20, 20, 30, tzinfo=datetime.UTC)  # 01:30 on 21 March
    assert local_date(late_utc) == D(2025, 3, 21)


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(D(2025, 1, 1), -1)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 2, 2), 2, D(2026, 4, 2)),
        (D(2025, 12, 31), 2, D(2026, 2, 28)),  # no 31 February: the month's last day
        (D(2027, 12, 31), 2, D(2028, 2, 29)),  # a leap year
        (D(2027, 12, 29), 2, D(2028, 2, 29)),
        (D(2026, 11, 30), 2, D(2027, 1, 30)),  # over the new year
        (D(2026, 8, 31), 1, D(2026, 9, 30)),
    ],
)
def test_calendar_months_keep_the_day_number_or_the_months_last_day(day, months, expected):
    assert add_months(day, months) == expected


def test_working_days_left_count_down_to_zero_then_below():
    # Redirect by Monday 30 March 2026 (after Nauryz, 21–25 March off).
    assert working_days_left(D(2026, 3, 20), D(2026, 3, 30)) == 3
    assert working_days_left(D(2026, 3, 30), D(2026, 3, 30)) == 0
    assert working_days_left(D(2026, 3, 31), D(2026, 3, 30)) == -1
    assert working_days_left(D(2026, 4, 4), D(2026, 3, 30)) == -4  # Saturday after 31, 1, 2, 3


@override_settings(TIME_ZONE="UTC")
def test_legal_dates_are_almaty_dates_on_a_utc_server():
    late_utc = datetime.datetime(2026, 3, 19, 23, 30, tzinfo=datetime.UTC)  # 04:30 on 20 March
    assert legal_date(late_utc) == D(2026, 3, 20)
    with freeze_time(late_utc):
        assert legal_today() == D(2026, 3, 20)
