"""Reads of events shared by the portal, the workspace and the reports."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from birlik.geo.models import District, Region
from birlik.registry.models import Organisation

from .models import Audience, Event, EventAttachment, Programme, Registration

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


def calendar_events(
    *,
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

    With dates, an event is listed when it overlaps the period.
    """
    events = public_events()
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
    return events.order_by("starts_at", "pk")


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
