"""Opening hours of a body: its usual week as intervals, read from what staff type, and whether
it is open at a moment in Asia/Almaty (public holidays from ``core.workdays``).

One home for the rules: the workspace form parses with ``parse_day``, the service checks with
``check_week``, the portal reads ``hours_state``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy

from birlik.core import workdays
from birlik.core.errors import DomainError
from birlik.core.templatetags.birlik_format import long_date

# Monday first, as Python's ``date.weekday()`` and the Kazakh week (glossary rule 7).
WEEKDAYS = (
    pgettext_lazy("weekday", "Monday"),
    pgettext_lazy("weekday", "Tuesday"),
    pgettext_lazy("weekday", "Wednesday"),
    pgettext_lazy("weekday", "Thursday"),
    pgettext_lazy("weekday", "Friday"),
    pgettext_lazy("weekday", "Saturday"),
    pgettext_lazy("weekday", "Sunday"),
)
# schema.org's short day codes, language-neutral, for the audit log.
SHORT_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
# How far ahead the next opening is looked for (long holiday runs included).
LOOK_AHEAD_DAYS = 21

_TIME = r"(\d{1,2})(?:\s*[:.]\s*(\d{1,2}))?"
# "09:00-18:00", "9-18", "9.00–18.00", "09:00 — 18:00": a hyphen, minus, en or em dash.
_RANGE = re.compile(rf"^{_TIME}\s*[-‐‑‒–—−]\s*{_TIME}$")
_CLOSED = frozenset({"", "-", "–", "—"})


class HoursError(DomainError):
    pass


@dataclass(frozen=True, order=True)
class Interval:
    """One stretch of a day during which the body is open (``opens`` < ``closes``)."""

    weekday: int
    opens: datetime.time
    closes: datetime.time

    @property
    def text(self) -> str:
        return f"{self.opens:%H:%M}–{self.closes:%H:%M}"


@dataclass(frozen=True)
class OpeningWeek:
    """What the service writes for a body: its intervals, a note per language and whether it
    opens on public holidays as on other days."""

    intervals: tuple[Interval, ...]
    note: dict[str, str] = field(default_factory=dict)
    open_on_public_holidays: bool = False


@dataclass(frozen=True)
class DayRow:
    weekday: int
    name: str
    intervals: tuple[Interval, ...]
    is_today: bool

    @property
    def text(self) -> str:
        return ", ".join(interval.text for interval in self.intervals)


@dataclass(frozen=True)
class HoursState:
    """The week as the public page shows it and what it says about now."""

    days: tuple[DayRow, ...]
    open_now: bool
    holiday_today: bool
    headline: str
    detail: str


def day_name(weekday: int) -> str:
    """The weekday's name in the active language, capitalised (a label or a sentence start)."""
    return capfirst(str(WEEKDAYS[weekday]))


def _time(weekday: int, hours: str, minutes: str | None, raw: str) -> datetime.time:
    hour, minute = int(hours), int(minutes or 0)
    if hour > 23 or minute > 59 or (minutes is not None and len(minutes) != 2):
        raise HoursError(
            gettext(
                "%(day)s: “%(text)s” is not a time of day. Write hours from 00 to 23 and "
                "minutes from 00 to 59, for example 09:30."
            )
            % {"day": day_name(weekday), "text": raw},
            field=f"day_{weekday}",
        )
    return datetime.time(hour, minute)


def parse_day(weekday: int, text: str) -> tuple[Interval, ...]:
    """The intervals written for one day: "09:00-18:00", "09:00-13:00, 14:00-18:00", "9-18",
    "9.00–18.00"; empty (or a dash) is a closed day. Errors name the day."""
    day = day_name(weekday)
    cleaned = " ".join(text.split())
    if cleaned in _CLOSED:
        return ()
    intervals = []
    # A stray separator ("09:00-18:00,") is no reason to refuse the day.
    for part in filter(None, (piece.strip() for piece in re.split(r"[,;]", cleaned))):
        match = _RANGE.match(part)
        if match is None:
            raise HoursError(
                gettext(
                    "%(day)s: “%(text)s” is not understood. Write the hours as 09:00-18:00, "
                    "or 09:00-13:00, 14:00-18:00 with a break; leave the day empty when the "
                    "body is closed."
                )
                % {"day": day, "text": part},
                field=f"day_{weekday}",
            )
        opens = _time(weekday, match[1], match[2], part)
        closes = _time(weekday, match[3], match[4], part)
        intervals.append(Interval(weekday, opens, closes))
    return check_day(weekday, intervals)


def check_day(weekday: int, intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """A day's intervals in order, each closing after it opens, none overlapping another."""
    day = day_name(weekday)
    ordered = tuple(sorted(intervals))
    for interval in ordered:
        if interval.weekday != weekday:
            raise HoursError(
                gettext("%(day)s: the hours belong to another day.") % {"day": day},
                field=f"day_{weekday}",
            )
        if interval.opens >= interval.closes:
            raise HoursError(
                gettext(
                    "%(day)s: in %(range)s the closing time must be later than the opening time."
                )
                % {"day": day, "range": interval.text},
                field=f"day_{weekday}",
            )
    for first, second in zip(ordered, ordered[1:], strict=False):
        if second.opens < first.closes:
            raise HoursError(
                gettext("%(day)s: the times %(first)s and %(second)s overlap.")
                % {"day": day, "first": first.text, "second": second.text},
                field=f"day_{weekday}",
            )
    return ordered


def check_week(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """The whole week, checked day by day, in order (Monday first)."""
    by_day: dict[int, list[Interval]] = {}
    for interval in intervals:
        if not 0 <= interval.weekday <= 6:
            raise HoursError(gettext("A day of the week is numbered from 0 (Monday) to 6."))
        by_day.setdefault(interval.weekday, []).append(interval)
    return tuple(
        interval for weekday in sorted(by_day) for interval in check_day(weekday, by_day[weekday])
    )


def day_text(intervals: Iterable[Interval], weekday: int) -> str:
    """One day as the week editor shows it: "09:00–13:00, 14:00–18:00", or "" when closed."""
    return ", ".join(i.text for i in sorted(intervals) if i.weekday == weekday)


def audit_text(intervals: Iterable[Interval]) -> str:
    """The week in a language-neutral form for the audit log: "Mo 09:00-18:00; Sa 10:00-14:00"."""
    days: dict[int, list[str]] = {}
    for interval in sorted(intervals):
        days.setdefault(interval.weekday, []).append(
            f"{interval.opens:%H:%M}-{interval.closes:%H:%M}"
        )
    return "; ".join(f"{SHORT_DAYS[day]} {','.join(times)}" for day, times in days.items())


def is_public_holiday(day: datetime.date) -> bool:
    """A public holiday or a day off moved onto a weekday (``core.workdays``' calendar)."""
    return day in workdays.calendar_for(day)


def _closed_on(day: datetime.date, open_on_public_holidays: bool) -> bool:
    return not open_on_public_holidays and is_public_holiday(day)


def _merged(intervals: Sequence[Interval]) -> list[tuple[datetime.time, datetime.time]]:
    """A day's intervals with touching ones joined (13:00–14:00 and 14:00–18:00 is one)."""
    merged: list[tuple[datetime.time, datetime.time]] = []
    for interval in sorted(intervals):
        if merged and interval.opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], interval.closes))
        else:
            merged.append((interval.opens, interval.closes))
    return merged


def _opening_text(today: datetime.date, day: datetime.date, opens: datetime.time) -> str:
    time = f"{opens:%H:%M}"
    ahead = (day - today).days
    if ahead == 0:
        return gettext("Opens today at %(time)s") % {"time": time}
    if ahead == 1:
        return gettext("Opens tomorrow at %(time)s") % {"time": time}
    if ahead < 7:
        return gettext("Opens on %(day)s at %(time)s") % {
            "day": str(WEEKDAYS[day.weekday()]),
            "time": time,
        }
    return gettext("Opens on %(date)s at %(time)s") % {"date": long_date(day), "time": time}


def hours_state(
    intervals: Iterable[Interval],
    *,
    moment: datetime.datetime,
    open_on_public_holidays: bool = False,
) -> HoursState | None:
    """The week with today marked and "open now" / "closed now, opens …" at ``moment``, read in
    Asia/Almaty; None when no hours are recorded."""
    week = sorted(intervals)
    if not week:
        return None
    local = moment.astimezone(workdays.LEGAL_TZ) if moment.tzinfo else moment
    today, now = local.date(), local.time()
    by_day: dict[int, list[Interval]] = {day: [] for day in range(7)}
    for interval in week:
        by_day[interval.weekday].append(interval)
    days = tuple(
        DayRow(
            weekday=day,
            name=day_name(day),
            intervals=tuple(by_day[day]),
            is_today=day == today.weekday(),
        )
        for day in range(7)
    )
    holiday = _closed_on(today, open_on_public_holidays)
    if not holiday:
        for opens, closes in _merged(by_day[today.weekday()]):
            if opens <= now < closes:
                return HoursState(
                    days=days,
                    open_now=True,
                    holiday_today=False,
                    headline=gettext("Open now"),
                    detail=gettext("Closes at %(time)s") % {"time": f"{closes:%H:%M}"},
                )
    headline = gettext("Closed today: public holiday") if holiday else gettext("Closed now")
    detail = ""
    for ahead in range(LOOK_AHEAD_DAYS + 1):
        day = today + datetime.timedelta(days=ahead)
        if _closed_on(day, open_on_public_holidays):
            continue
        starts = [opens for opens, _closes in _merged(by_day[day.weekday()])]
        later = [opens for opens in starts if ahead > 0 or opens > now]
        if later:
            detail = _opening_text(today, day, later[0])
            break
    return HoursState(
        days=days, open_now=False, holiday_today=holiday, headline=headline, detail=detail
    )
