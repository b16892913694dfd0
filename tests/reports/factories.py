"""Factories and a small known data set for the reports tests."""

from __future__ import annotations

import datetime

import factory

from birlik.events.models import Event, EventReport
from birlik.reports.models import Plan, Target

from ..events.factories import EventFactory

AT = datetime.datetime(2025, 3, 10, 6, 0, tzinfo=datetime.UTC)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    year = 2025
    title = factory.Sequence(lambda n: f"Plan {n}")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    indicator = "events.events"
    value = 10


def held_event(organiser, total: int, *, when: datetime.datetime = AT, district=None) -> Event:
    """An event held and reported with ``total`` participants."""
    event = EventFactory(
        organiser=organiser,
        region=organiser.region,
        district=district,
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        status=Event.Status.REPORTED,
        participants_total=total,
        reported_count=total,
    )
    EventReport.objects.create(event=event, held=True, reported_count=total)
    return event
