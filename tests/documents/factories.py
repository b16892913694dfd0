"""A small year of activity for the report and open data tests: events held in two regions in
2025 and 2026, appeals, and personal data that must never reach a public file."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from birlik.appeals.models import Appeal
from birlik.events.models import Event, Registration
from birlik.registry.iin import iin_digest, make_iin
from birlik.registry.models import Person

from ..events.factories import EventFactory
from ..factories import PersonFactory, region

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")

# Personal data written into the records: none of it may appear in open data.
SECRET_PERSON = ("Зейнулла", "Құрмашев", "+77019998877", "zeinulla.secret@example.kz")
SECRET_PARTICIPANT = ("Гүлнар Оспанқызы", "+77017776655", "gulnar.secret@example.kz")
SECRET_APPLICANT = ("Серік Ахметжанов", "+77015554433", "serik.secret@example.kz")
SECRET_APPEAL_TEXT = "Көршіммен жер дауы бар, құпия мәтін 4711"
SECRET_IIN = make_iin(datetime.date(1987, 4, 12), "M", 3001) or "870412300123"


def at(year: int, month: int, day: int, hour: int = 11) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=ALMATY)


@dataclass
class Activity:
    events: list[Event]
    appeals: list[Appeal]
    person: Person


def build_activity(network) -> Activity:
    """Five events held in 2025 (three in Pavlodar, two in Almaty), one in 2026, a planned one,
    three appeals in 2025, a person with an IIN and a checked-in registration."""
    pavlodar, almaty = region("KZ-55"), region("KZ-75")
    events = []
    for index, (organiser, where, month, people, kind) in enumerate(
        [
            (network.pavlodar_house, pavlodar, 3, 40, Event.Kind.FESTIVAL),
            (network.pavlodar_house, pavlodar, 5, 25, Event.Kind.MEETING),
            (network.pavlodar_elders, pavlodar, 9, 12, Event.Kind.MEETING),
            (network.almaty_house, almaty, 4, 100, Event.Kind.CONCERT),
            (network.almaty, almaty, 11, 7, Event.Kind.TRAINING),
        ]
    ):
        starts = at(2025, month, 10 + index)
        events.append(
            EventFactory(
                organiser=organiser,
                region=where,
                kind=kind,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=3),
                status=Event.Status.HELD,
                participants_total=people,
                reported_count=people,
                capacity=200,
            )
        )
    starts = at(2026, 2, 3)
    events.append(
        EventFactory(
            organiser=network.almaty_house,
            region=almaty,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=2),
            status=Event.Status.HELD,
            participants_total=30,
        )
    )
    events.append(EventFactory(organiser=network.pavlodar_house, region=pavlodar))
    name, phone, email = SECRET_PARTICIPANT
    Registration.objects.create(
        event=events[0],
        full_name=name,
        phone=phone,
        email=email,
        participant_key="k-secret",
        status=Registration.Status.CONFIRMED,
        consent_given_at=at(2025, 3, 1),
        checked_in_at=at(2025, 3, 10, 12),
    )
    appeals = []
    applicant, applicant_phone, applicant_email = SECRET_APPLICANT
    for index, (organisation, month) in enumerate(
        [(network.pavlodar_elders, 2), (network.pavlodar_house, 6), (network.almaty_house, 8)]
    ):
        received = at(2025, month, 3)
        appeals.append(
            Appeal.objects.create(
                number=f"DOC-{index}",
                organisation=organisation,
                kind=Appeal.Kind.REQUEST,
                text=SECRET_APPEAL_TEXT,
                applicant_name=applicant,
                applicant_phone=applicant_phone,
                applicant_email=applicant_email,
                received_at=received,
                counted_from=received.date(),
                due_date=received.date() + datetime.timedelta(days=21),
            )
        )
    first, last, person_phone, person_email = SECRET_PERSON
    person = PersonFactory(
        registered_by=network.pavlodar_house,
        first_name=first,
        last_name=last,
        phone=person_phone,
        email=person_email,
        iin_digest=iin_digest(SECRET_IIN),
        iin_last4=SECRET_IIN[-4:],
    )
    return Activity(events=events, appeals=appeals, person=person)
