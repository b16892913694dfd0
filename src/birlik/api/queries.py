"""Reads of the API app: tokens a manager sees, the register of appeals an integration sees,
and events as the API lists them (the portal's calendar query, every date by default)."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.db.models import Q, QuerySet

from birlik.access import policies
from birlik.appeals.models import Appeal
from birlik.core import kpi
from birlik.events import queries as event_queries
from birlik.events.models import Event, Programme
from birlik.geo.models import District, Region
from birlik.registry.models import Organisation

from .models import ApiToken

# Without dates the API lists every event, not only the coming ones as the calendar does.
EARLIEST = datetime.date(2000, 1, 1)


def tokens_of(*, user: Any, status: str = "active") -> QuerySet[ApiToken]:
    """Integration tokens of the bodies the user manages, newest first."""
    tokens = policies.scoped(
        ApiToken.objects.select_related(
            "organisation", "organisation__kind", "organisation__region", "created_by", "user"
        ),
        user,
    )
    if status == "active":
        tokens = tokens.filter(revoked_at__isnull=True)
    elif status == "revoked":
        tokens = tokens.filter(revoked_at__isnull=False)
    return tokens.order_by("-created_at", "-pk")


def api_events(
    *,
    region: Region | None = None,
    organiser: Organisation | None = None,
    kind: str = "",
    programme: Programme | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    updated_since: datetime.datetime | None = None,
) -> QuerySet[Event]:
    """Public events by start (then id), filtered as the calendar filters them.

    Without dates, no date condition at all: the count is then read from the (status, start)
    index instead of visiting every row for its end date."""
    if date_from or date_to:
        events = event_queries.calendar_events(
            region=region,
            organiser=organiser,
            kind=kind,
            programme=programme,
            date_from=date_from or EARLIEST,
            date_to=date_to,
        )
    else:
        events = event_queries.public_events()
        if region is not None:
            events = events.filter(region=region)
        if programme is not None:
            events = events.filter(programme=programme)
        if kind:
            events = events.filter(kind=kind)
        if organiser is not None:
            events = events.filter(
                Q(organiser=organiser)
                | Q(
                    pk__in=Event.co_organisers.through.objects.filter(
                        organisation=organiser
                    ).values("event_id")
                )
            )
        events = events.order_by("starts_at", "pk")
    if updated_since is not None:
        events = events.filter(updated_at__gte=updated_since)
    return events


def appeal_register(
    *, user: Any, status: str = "", body: Organisation | None = None
) -> QuerySet[Appeal]:
    """The register (no applicant, no text) of the appeals the user may see, newest first."""
    appeals = policies.scoped(Appeal.objects.select_related("organisation"), user).only(
        "id",
        "number",
        "kind",
        "channel",
        "status",
        "received_at",
        "due_date",
        "effective_due",
        "extended_until",
        "answered_at",
        "closed_at",
        "organisation__id",
        "organisation__name",
        "organisation__name_kk",
        "organisation__name_ru",
        "organisation__name_en",
        "organisation__path",
    )
    if status:
        appeals = appeals.filter(status=status)
    if body is not None:
        appeals = appeals.filter(organisation__path__startswith=body.path)
    return appeals.order_by("-received_at", "-pk")


def cached_count(queryset: QuerySet[Any]) -> int:
    """The number of rows of a public list, kept until the next change of any figure.

    Every write that changes bodies or events calls ``kpi.invalidate`` on commit, so a count
    is never older than the data; the pages themselves are always read fresh."""
    key = hashlib.sha256(str(queryset.query).encode()).hexdigest()[:32]
    count: int = kpi.cached(f"api:count:{key}", queryset.count)
    return count


def region_by_iso(code: str) -> Region | None:
    return Region.objects.filter(iso=code.strip().upper()).first()


def district_by_kato(code: str) -> District | None:
    return District.objects.filter(kato=code.strip()).first()
