"""Working days of Kazakhstan for legal deadlines: public holidays, observed days off and the
government's day transfers come from the ``holidays`` package, never from code here.

Deadlines are dates in Asia/Almaty. Something received on a non-working day is counted from the
next working day (APPC, Article 76 practice); "N working days" then ends on the N-th working day.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=8)
def _calendar(first_year: int, last_year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=range(first_year, last_year + 1))


def calendar_for(day: datetime.date) -> holidays.HolidayBase:
    return _calendar(day.year - 1, day.year + 2)


def is_working_day(day: datetime.date) -> bool:
    """Weekends and holidays are off, transferred working Saturdays/Sundays are on."""
    return bool(calendar_for(day).is_working_day(day))


def next_working_day(day: datetime.date) -> datetime.date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (a non-working start counts from the
    next working day): received on Monday with 15 days → due on the 15th working day after."""
    if days < 0:
        raise ValueError("days must be 0 or more")
    day = next_working_day(start)
    counted = 0
    while counted < days:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end ≤ start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def local_date(moment: datetime.datetime) -> datetime.date:
    """The calendar date of a moment in the platform's time zone (Asia/Almaty)."""
    return timezone.localtime(moment).date()
