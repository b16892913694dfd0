"""Reads of events shared by the portal, the workspace and the reports."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber, TruncDate
from django.utils import timezone, translation
from django.utils.translation import gettext

from birlik.core.cleaning import match_key
from birlik.core.kpi import Period, Row
from birlik.core.search import search
from birlik.core.templatetags.birlik_format import number
from birlik.geo.models import District, Region
from birlik.registry.models import Organisation

from .models import (
    FOUNDING_YEAR,
    Audience,
    Event,
    EventAttachment,
    HistoricalFigure,
    Programme,
    Registration,
)

PUBLIC_STATUSES = (
    Event.Status.PLANNED,
    Event.Status.OPEN,
    Event.Status.HELD,
    Event.Status.REPORTED,
    Event.Status.CANCELLED,
)


def public_events() -> QuerySet[Event]:
    """Events the portal shows, with what every list row needs in one query."""
    return Event.objects.filter(status__in=PUBLIC_STATUSES).select_related(
        "organiser", "organiser__kind", "region", "district", "programme", "venue"
    )


# --- The public calendar, event pages and tickets ---------------------------------------------

# Statuses whose photos and outcomes the portal may publish.
SHOWN_AFTER = (Event.Status.HELD, Event.Status.REPORTED)
# Events still running are listed with the upcoming ones; looking this far back for their start
# keeps the search on the ``starts_at`` index (a longer course shows from its start date).
LONGEST_EVENT = datetime.timedelta(days=92)


def _day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of ``day`` in the site's time zone (Asia/Almaty), as an aware datetime."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def events_matching(query: str, events: QuerySet[Event] | None = None) -> QuerySet[Event]:
    """Public events whose kk, ru or en title holds every word of ``query``: in any case,
    Kazakh letters typed as Russian ones, Latin spelling too (the directory's search keys,
    ``core.text``, matched against ``Event.search_text``)."""
    events = public_events() if events is None else events
    return search(events, query)


def calendar_events(
    *,
    query: str = "",
    region: Region | None = None,
    district: District | None = None,
    programme: Programme | None = None,
    kind: str = "",
    audience: Audience | None = None,
    language: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    organiser: Organisation | None = None,
) -> QuerySet[Event]:
    """Public events by start, filtered; without dates, those from today on (running ones too).

    With dates, an event is listed when it overlaps the period; ``query`` searches the titles
    (``events_matching``).
    """
    events = events_matching(query) if query else public_events()
    if date_from is None and date_to is None:
        date_from = timezone.localdate()
    if date_from is not None:
        start = _day_start(date_from)
        events = events.filter(starts_at__gte=start - LONGEST_EVENT, ends_at__gte=start)
    if date_to is not None:
        events = events.filter(starts_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    if region is not None:
        events = events.filter(region=region)
    if district is not None:
        events = events.filter(district=district)
    if programme is not None:
        events = events.filter(programme=programme)
    if kind:
        events = events.filter(kind=kind)
    if audience is not None:
        # A subquery, not a join: an event is listed once whatever its other audiences.
        events = events.filter(
            pk__in=Event.audiences.through.objects.filter(audience=audience).values("event_id")
        )
    if language:
        events = events.filter(languages__contains=f",{language},")
    if organiser is not None:
        events = events.filter(Q(organiser=organiser) | Q(pk__in=_co_organised_by(organiser)))
    return events.order_by(*CALENDAR_ORDER)


# The calendar's order, on the ``starts_at`` index; the key last, for keyset pages.
CALENDAR_ORDER = ("starts_at", "id")


@dataclass(frozen=True)
class CalendarDay:
    """A day of the month view: the first events starting that day and how many start in all."""

    day: datetime.date
    events: list[Event]
    total: int


def calendar_month(
    *, first: datetime.date, shown_per_day: int, **filters: Any
) -> dict[datetime.date, CalendarDay]:
    """The month starting on ``first``, day by day: the calendar's events (same filters and
    visibility as ``calendar_events``) on the day they start, at most ``shown_per_day`` of
    them per day in order of start, with the day's total. Two queries whatever the number of
    events: the totals per day, and the first events of each day (a window ranks them)."""
    last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    events = calendar_events(**filters, date_from=first, date_to=last - datetime.timedelta(days=1))
    # Listed by their start: an event that began the month before is not in this month's days.
    events = events.filter(starts_at__gte=_day_start(first))
    day = TruncDate("starts_at", tzinfo=timezone.get_current_timezone())
    totals = {
        row["day"]: row["total"]
        for row in events.annotate(day=day).values("day").annotate(total=Count("pk")).order_by()
    }
    if not totals:
        return {}
    first_ones = events.annotate(
        day=day,
        rank=Window(
            RowNumber(), partition_by=[day], order_by=[F("starts_at").asc(), F("pk").asc()]
        ),
    ).filter(rank__lte=shown_per_day)
    shown: dict[datetime.date, list[Event]] = {}
    for event in first_ones.order_by("starts_at", "pk"):
        shown.setdefault(event.day, []).append(event)  # type: ignore[attr-defined]
    return {
        date: CalendarDay(day=date, events=shown.get(date, []), total=total)
        for date, total in sorted(totals.items())
    }


def _co_organised_by(body: Organisation) -> QuerySet[Any]:
    return Event.co_organisers.through.objects.filter(organisation=body).values("event_id")


def upcoming_events(*, organiser: Organisation | None = None, limit: int = 5) -> list[Event]:
    """The next events not yet over (a body's own and co-organised ones, or everyone's)."""
    now = timezone.now()
    events = (
        public_events()
        .filter(starts_at__gte=now - LONGEST_EVENT, ends_at__gte=now)
        .exclude(status=Event.Status.CANCELLED)
    )
    if organiser is not None:
        events = events.filter(Q(organiser=organiser) | Q(pk__in=_co_organised_by(organiser)))
    return list(events.order_by("starts_at", "pk")[:limit])


def event_detail(pk: int) -> Event | None:
    """One public event with its co-organisers, audiences and (once held) its report."""
    return (
        public_events()
        .select_related("report")
        .prefetch_related(
            Prefetch("co_organisers", queryset=Organisation.objects.select_related("kind")),
            "audiences",
            Prefetch(
                "attachments",
                queryset=EventAttachment.objects.filter(kind=EventAttachment.Kind.PHOTO),
                to_attr="photos",
            ),
        )
        .filter(pk=pk)
        .first()
    )


def ticket(code: str) -> Registration | None:
    """The registration holding this ticket code, with its event (codes are unguessable)."""
    code = (code or "").strip()
    if not code or len(code) > 32:
        return None
    return (
        Registration.objects.select_related(
            "event",
            "event__organiser",
            "event__region",
            "event__district",
            "event__venue",
            "event__programme",
        )
        .filter(ticket_code=code)
        .first()
    )


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person on the waiting list; None when not waiting."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = (
        Registration.objects.filter(
            event_id=registration.event_id, status=Registration.Status.WAITLISTED
        )
        .filter(
            Q(created_at__lt=registration.created_at)
            | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
    )
    return ahead + 1


def public_photo(pk: int) -> EventAttachment | None:
    """A photo of an event that has taken place; documents and other events' files never."""
    return (
        EventAttachment.objects.filter(
            pk=pk, kind=EventAttachment.Kind.PHOTO, event__status__in=SHOWN_AFTER
        )
        .select_related("event")
        .first()
    )


def year_figures(year: int) -> dict[str, int]:
    """Events held in the year and their participants, from the declared indicators."""
    from birlik.core import kpi

    period = kpi.Period.year(year)
    return {
        "held": sum(row["value"] for row in kpi.compute("events.events", period)),
        "participants": sum(row["value"] for row in kpi.compute("events.participants", period)),
    }


# --- Historical figures: yearly totals imported from the records kept before Birlik ----------


def covered_years(period: Period) -> list[int]:
    """The calendar years the period covers whole that may hold imported totals (those before
    this year: an imported total is always of a year already over)."""
    start, end = period.start, period.end
    first = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    last = end.year if (end.month, end.day) == (12, 31) else end.year - 1
    last = min(last, timezone.localdate().year - 1)
    return list(range(max(first, FOUNDING_YEAR), last + 1))


def historical_rows(period: Period, region: Region | None = None) -> list[Row]:
    """The imported yearly totals a period counts, summed by year, region, district and kind
    of the body and by programme: one grouped query (none when the period covers no whole year
    before this one), cached until the figures change.

    Each row: ``{"year", "region", "district", "kind", "programme", "events", "participants"}``,
    codes as in the indicators ("none" where the body has no region or district, or the total no
    programme)."""
    from birlik.core.kpi import cached

    years = covered_years(period)
    if not years:
        return []

    def build() -> list[Row]:
        qs = HistoricalFigure.objects.filter(year__in=years)
        if region is not None:
            qs = qs.filter(organisation__region=region)
        grouped = (
            qs.values(
                "year",
                "organisation__region__iso",
                "organisation__district__kato",
                "organisation__kind__code",
                "programme__code",
            )
            .annotate(events=Sum("events_count"), participants=Sum("participants"))
            .order_by()
        )
        return [
            {
                "year": row["year"],
                "region": row["organisation__region__iso"] or "none",
                "district": row["organisation__district__kato"] or "none",
                "kind": row["organisation__kind__code"] or "none",
                "programme": row["programme__code"] or "none",
                "events": row["events"] or 0,
                "participants": row["participants"] or 0,
            }
            for row in grouped
        ]

    iso = region.iso if region is not None else "all"
    value: list[Row] = cached(f"events:historical:{years[0]}:{years[-1]}:{iso}", build, timeout=60)
    return value


@dataclass(frozen=True)
class ImportedTotals:
    """What a period's figures include of the imported yearly totals."""

    events: int
    participants: int

    @property
    def note(self) -> str:
        """The sentence the dashboards and the annual report print under the figures."""
        return gettext(
            "Including totals imported from earlier records for whole years: %(events)s events "
            "held, %(participants)s participants. They are not shown month by month and are not "
            "counted in the unique participants."
        ) % {"events": number(self.events), "participants": number(self.participants)}


def imported_totals(
    *, period: Period, region: Region | None = None, kind: str | None = None
) -> ImportedTotals | None:
    """The imported yearly totals the figures of a period include (of one kind of body if
    asked), or None when they include none."""
    rows = [row for row in historical_rows(period, region) if not kind or row["kind"] == kind]
    events = sum(row["events"] for row in rows)
    participants = sum(row["participants"] for row in rows)
    if not events and not participants:
        return None
    return ImportedTotals(events=events, participants=participants)


# --- Names staff write in their files: kinds of event and programmes -------------------------

# Words staff use for a kind of event in activity reports (ru/kk), folded; the nearest kind.
_KIND_WORDS: dict[str, tuple[str, ...]] = {
    Event.Kind.MEETING: (
        "встреча", "кездесу", "собрание", "жиналыс", "заседание", "отырыс", "съезд", "сессия",
        "слет", "слёт",
    ),
    Event.Kind.FESTIVAL: (
        "фестиваль", "праздник", "мереке", "мерекелік", "ярмарка", "жәрмеңке", "фестивалі",
    ),
    Event.Kind.TRAINING: (
        "семинар", "тренинг", "мастер класс", "вебинар", "практикум", "оқыту", "обучение",
        "шеберлік сыныбы",
    ),
    Event.Kind.COURSE: ("курс", "курсы", "курстар"),
    Event.Kind.CONCERT: ("концерт", "спектакль", "қойылым", "театр", "кино", "показ фильма"),
    Event.Kind.SPORTS: (
        "спорт", "спортивное", "соревнование", "турнир", "спартакиада", "жарыс", "эстафета",
        "марафон",
    ),
    Event.Kind.PREVENTION_TALK: (
        "беседа", "лекция", "профилактика", "профилактическая", "әңгіме", "дәріс", "әңгімелесу",
    ),
    Event.Kind.CONSULTATION: (
        "консультация", "кеңес беру", "прием граждан", "приём граждан", "азаматтарды қабылдау",
    ),
    Event.Kind.VOLUNTEERING: (
        "акция", "акциясы", "волонтер", "волонтерская", "еріктілер", "субботник", "сенбілік",
        "благотворительная", "қайырымдылық",
    ),
    Event.Kind.EXHIBITION: ("выставка", "көрме", "экспозиция", "музей"),
    Event.Kind.ROUND_TABLE: (
        "круглый стол", "дөңгелек үстел", "конференция", "форум", "дискуссия", "дебаты",
        "пікірталас", "диалог", "панельная",
    ),
    Event.Kind.COMPETITION: (
        "конкурс", "олимпиада", "викторина", "байқау", "сайыс", "чемпионат", "квиз",
    ),
}  # fmt: skip
_VOWELS = frozenset("аеиоуыэюяaeiou")


def _stem(word: str) -> str:
    """A word without its last vowel, so that "встреча" also finds "встречи" and "встреч"."""
    return word[:-1] if len(word) > 4 and word[-1] in _VOWELS else word


@functools.cache
def _kind_keys() -> dict[str, str]:
    """Folded code, kk/ru/en label and staff word → kind code (the labels in the active
    catalogues)."""
    keys: dict[str, str] = {}
    for code, words in _KIND_WORDS.items():
        for word in words:
            keys.setdefault(match_key(word), code)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in Event.Kind.choices:
                keys[match_key(str(label))] = code
    for code in Event.Kind.values:
        keys[match_key(code)] = code
        keys[match_key(code.replace("_", " "))] = code
    return keys


def event_kind_by_label(text: str) -> str | None:
    """The kind of event a cell names: its code or label in kk/ru/en (any case), or the
    nearest kind for the words staff write ("концерт", "круглый стол", "кездесу"…, also inside
    a longer text: the word met first wins); None when nothing fits."""
    key = match_key(text)
    if not key:
        return None
    keys = _kind_keys()
    if key in keys:
        return keys[key]
    words = key.split()
    best: tuple[int, int, str] | None = None
    for phrase, code in keys.items():
        stems = [_stem(part) for part in phrase.split()]
        for start in range(len(words) - len(stems) + 1):
            if all(words[start + offset].startswith(stem) for offset, stem in enumerate(stems)):
                found = (start, -len(phrase), code)
                if best is None or found < best:
                    best = found
                break
    return best[2] if best is not None else None


# Words around a programme's name in staff's files: «Программа «Мың бала»», "проект ...".
_PROGRAMME_WORDS = frozenset(
    match_key(word)
    for word in (
        "программа", "бағдарлама", "бағдарламасы", "проект", "жоба", "жобасы", "programme",
        "program", "project",
    )
)  # fmt: skip
_QUOTES = re.compile(r"[«»\"“”„‟'’‘`]")


def _programme_key(text: str) -> str:
    words = match_key(_QUOTES.sub(" ", text)).split()
    while words and words[0] in _PROGRAMME_WORDS:
        words.pop(0)
    while words and words[-1] in _PROGRAMME_WORDS:
        words.pop()
    return " ".join(words)


def programme_by_label(
    text: str, *, programmes: Iterable[Programme] | None = None
) -> Programme | None:
    """The programme a cell names: its code or its name in kk/ru/en, folded (case, Kazakh
    letters typed as Russian), quotes and the word "programme"/"project" around it ignored:
    «Мың бала», "Мын бала" and "программа Мың бала" are one. ``programmes`` (all of them
    when not given, one query) lets a caller reading many rows ask once."""
    key = _programme_key(text)
    if not key:
        return None
    candidates = list(programmes) if programmes is not None else list(Programme.objects.all())
    for programme in candidates:
        names = [programme.code, programme.code.replace("_", " ").replace("-", " ")]
        names += [getattr(programme, f"name_{lang}", "") or "" for lang in ("kk", "ru", "en")]
        if key in {_programme_key(name) for name in names if name}:
            return programme
    return None


# Events not yet reported: planned, open or held (a reported or cancelled one needs nothing).
UNREPORTED_STATUSES = (Event.Status.PLANNED, Event.Status.OPEN, Event.Status.HELD)


def report_deadline_cutoff(*, now: datetime.datetime) -> datetime.datetime:
    """Events that ended before this moment are late with their report."""
    return now - datetime.timedelta(days=settings.EVENT_REPORT_DAYS)


def report_late_q(*, now: datetime.datetime) -> Q:
    """The rule of a late report as a filter: ended ``EVENT_REPORT_DAYS`` days ago, not reported
    (nor cancelled)."""
    return Q(status__in=UNREPORTED_STATUSES, ends_at__lt=report_deadline_cutoff(now=now))


def report_overdue(event: Event, *, now: datetime.datetime) -> bool:
    """The same rule for one event in hand."""
    return event.status in UNREPORTED_STATUSES and event.ends_at < report_deadline_cutoff(now=now)


def events_report_late(
    *, now: datetime.datetime, qs: QuerySet[Event] | None = None
) -> QuerySet[Event]:
    """Events still without a report ``EVENT_REPORT_DAYS`` days after they ended."""
    events = qs if qs is not None else Event.objects.all()
    return events.filter(report_late_q(now=now))
