"""Working days of Kazakhstan for legal deadlines: public holidays, observed days off and the
government's day transfers come from the ``holidays`` package, never from code here.

Deadlines are dates in Asia/Almaty, whatever the server's ``TIME_ZONE``: ``legal_today`` and
``legal_date`` are the only ways to turn a moment into a legal date. Something received on a
non-working day is counted from the next working day (APPC, Article 76 practice); "N working
days" then ends on the N-th working day.
"""

from __future__ import annotations

import calendar
import datetime
import zoneinfo
from functools import lru_cache

import holidays
from django.utils import timezone

LEGAL_TZ = zoneinfo.ZoneInfo("Asia/Almaty")


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


def working_days_left(on: datetime.date, until: datetime.date) -> int:
    """Working days from ``on`` to ``until``: 0 on the day itself, negative once it is past
    (one working day late on the first working day after ``until``)."""
    if until >= on:
        return working_days_between(on, until)
    return -working_days_between(until, on)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day number ``months`` calendar months later, clamped to the month's end
    (31 December + 2 months → 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def legal_date(moment: datetime.datetime) -> datetime.date:
    """The calendar date of a moment in Asia/Almaty (a naive moment is taken as Almaty time)."""
    if timezone.is_naive(moment):
        return moment.date()
    return moment.astimezone(LEGAL_TZ).date()


def legal_today() -> datetime.date:
    """Today in Asia/Almaty, where every legal term is counted."""
    return legal_date(timezone.now())


def legal_midnight(day: datetime.date) -> datetime.datetime:
    """The first moment of a legal date (Almaty midnight), for ranges on moment columns."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LEGAL_TZ)


# The older name, kept for its callers: the same Almaty date.
local_date = legal_date
