"""Reads of events shared by the portal, the workspace and the reports."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Event

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
