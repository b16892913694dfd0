"""Builders of the dashboards' tests: stories, story hours, appeal signals, mediation cases and
the users of the roles the pages are checked for."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.utils import timezone

from birlik.access.models import Role, User
from birlik.mediation.models import DisputeKind, MediationCase
from birlik.monitoring.models import AppealSignal, Item, Story, StoryHour
from birlik.registry.models import Organisation

from ..factories import GrantFactory, OrganisationFactory, PersonFactory, UserFactory, kind, region
from ..mediation.factories import MediatorFactory
from .conftest import make_item, make_source

_numbers = itertools.count(1)


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    """Noon (or ``hour``) of a day in Almaty."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_story(*, regions: tuple[str, ...] = ("KZ-55",), **fields: Any) -> Story:
    values: dict[str, Any] = {"title": f"Story {next(_numbers)}"}
    values.update(fields)
    story = Story.objects.create(**values)
    story.regions.set([region(iso) for iso in regions])
    return story


def story_item(
    story: Story, *, when: datetime.datetime, risk: float, source: Any = None, **fields: Any
) -> Item:
    """An item of ``story`` placed in the story's regions, published at ``when``."""
    isos = tuple(story.regions.values_list("iso", flat=True))
    return make_item(
        source or make_source(),
        regions=isos,
        story=story,
        published_at=when,
        risk=risk,
        topics={"conflict": risk},
        **fields,
    )


def hours(story: Story, counts: dict[datetime.datetime, int]) -> None:
    StoryHour.objects.bulk_create(
        StoryHour(story=story, hour=hour, items=n) for hour, n in counts.items()
    )


def signal(iso: str | None, received_on: datetime.date, risk: float) -> AppealSignal:
    return AppealSignal.objects.create(
        appeal_id=next(_numbers) + 10_000,
        region=region(iso) if iso else None,
        received_on=received_on,
        risk=risk,
        topics={"conflict": risk},
    )


def mediation_centre(iso: str, parent: Organisation) -> Organisation:
    return OrganisationFactory(parent=parent, kind=kind("mediation_centre"), region=region(iso))


def case(centre: Organisation, received_on: datetime.date, kind_: str) -> MediationCase:
    return MediationCase.objects.create(
        number=f"M-{next(_numbers)}",
        centre=centre,
        kind=kind_,
        source=MediationCase.Source.WALK_IN,
        received_on=received_on,
    )


INTERETHNIC = DisputeKind.INTERETHNIC


@pytest.fixture(name="roles")
def roles_fixture(network) -> dict[str, User]:
    """Every role of the URL security matrix: the network's users, plus staff of a council of
    elders, a mediator without a grant and the head of a mediation centre."""
    users = dict(network.users)
    elders = UserFactory(username="staff_pavlodar_elders")
    GrantFactory(user=elders, role=Role.BODY_STAFF, organisation=network.pavlodar_elders)
    centre = mediation_centre("KZ-55", network.pavlodar_house)
    head = UserFactory(username="head_pavlodar_centre")
    GrantFactory(user=head, role=Role.CENTRE_HEAD, organisation=centre)
    mediator = UserFactory(username="mediator_pavlodar")
    MediatorFactory(person=PersonFactory(registered_by=centre), centre=centre, user=mediator)
    users.update({"staff_pavlodar_elders": elders, "centre_head": head, "mediator": mediator})
    return users
