"""Factories for events (kept apart from the registry's)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from birlik.events.models import Event

from ..factories import OrganisationFactory, region


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organiser = factory.SubFactory(OrganisationFactory)
    title_kk = factory.Sequence(lambda n: f"Іс-шара {n}")
    title_ru = factory.Sequence(lambda n: f"Мероприятие {n}")
    title_en = factory.Sequence(lambda n: f"Event {n}")
    kind = Event.Kind.MEETING
    region = factory.LazyFunction(lambda: region("KZ-55"))
    address_kk = "Павлодар, Достық көшесі, 1"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    languages = ",kk,ru,"
    status = Event.Status.OPEN
