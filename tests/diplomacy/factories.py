"""Builders of people's diplomacy: the Centre and its Corps, requests, visits and ambassadors made
through the services (so numbers, steps and audit rows are real)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from birlik.access.models import User
from birlik.diplomacy import services
from birlik.diplomacy.models import Ambassador, InternationalRequest, Visit
from birlik.events.models import Event
from birlik.registry.models import Organisation, Person

from ..factories import OrganisationFactory, kind, region

# Dates of the tests: "today" is 15 June 2025 in Almaty.
TODAY = datetime.date(2025, 6, 15)
NOW = "2025-06-15 06:00:00"  # UTC: 11:00 in Almaty


def make_centre(root: Organisation, *, corps: bool = True) -> Organisation:
    centre = OrganisationFactory(
        parent=root,
        kind=kind("peoples_diplomacy_centre"),
        name_kk="Халықтық дипломатия орталығы",
        name_ru="Центр народной дипломатии",
        name_en="People's Diplomacy Centre",
    )
    if corps:
        OrganisationFactory(
            parent=centre,
            kind=kind("friendship_ambassadors"),
            name_kk="Достық елшілері корпусы",
            name_ru="Корпус послов дружбы АНК",
            name_en="Corps of Friendship Ambassadors",
        )
    return centre


def corps_of(centre: Organisation) -> Organisation:
    return Organisation.objects.get(
        path__startswith=centre.path, kind__code="friendship_ambassadors"
    )


def request_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "received_on": TODAY - datetime.timedelta(days=10),
        "channel": InternationalRequest.Channel.EMAIL,
        "requester_kind": "foreign_parliament",
        "requester_name": "Sejm of the Republic of Poland",
        "requester_contact": "Jan Kowalski, j.kowalski@sejm.example",
        "country": "PL",
        "topic": "interethnic_practice",
        "text": "We would like to learn how the Assembly works with ethnocultural associations.",
        "language": "ru",
    }
    data.update(overrides)
    return data


def make_request(actor: User, body: Organisation, **overrides: Any) -> InternationalRequest:
    return services.request_register(actor=actor, organisation=body, data=request_data(**overrides))


def visit_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "direction": Visit.Direction.INCOMING,
        "country": "PL",
        "delegation": "Delegation of the Sejm's committee on national minorities",
        "head": "Anna Nowak, chair of the committee",
        "size": 6,
        "starts_on": TODAY + datetime.timedelta(days=20),
        "ends_on": TODAY + datetime.timedelta(days=23),
        "regions": [],
        "places": "Astana, Pavlodar",
        "request": None,
        "outcome_text": "",
    }
    data.update(overrides)
    return data


def make_visit(actor: User, body: Organisation, **overrides: Any) -> Visit:
    return services.visit_save(actor=actor, organisation=body, data=visit_data(**overrides))


def make_ambassador(
    actor: User,
    body: Organisation,
    person: Person,
    *,
    countries: tuple[str, ...] = ("DE",),
    since: datetime.date = datetime.date(2023, 3, 1),
    until: datetime.date | None = None,
) -> Ambassador:
    return services.ambassador_save(
        actor=actor,
        organisation=body,
        person=person,
        country_codes=countries,
        since=since,
        until=until,
    )


def make_event(actor: User, organiser: Organisation, title: str = "Достық кеші") -> Event:
    from birlik.events import services as events
    from birlik.events.models import Audience

    starts = timezone.now() + datetime.timedelta(days=21)
    return events.event_create(
        actor=actor,
        organiser=organiser,
        data={
            "title_kk": title,
            "title_en": title,
            "kind": Event.Kind.MEETING,
            "address_kk": "Достық көшесі, 1",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2),
            "languages": ["kk", "ru"],
            "region": organiser.region or region("KZ-55"),
        },
        audiences=Audience.objects.none(),
    )
