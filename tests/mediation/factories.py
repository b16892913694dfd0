"""Factories of mediation: mediators and a small set of centres with a confidential case."""

from __future__ import annotations

import datetime

import factory

from birlik.mediation.models import Mediator

from ..factories import PersonFactory


class MediatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mediator

    person = factory.SubFactory(PersonFactory)
    centre = factory.LazyAttribute(lambda o: o.person.registered_by)
    professional = True
    languages = factory.LazyFunction(lambda: ["kk", "ru"])
    specialisations = factory.LazyFunction(lambda: ["family", "labour"])
    registered_on = datetime.date(2024, 1, 10)
