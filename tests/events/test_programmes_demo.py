"""The demo's programmes: memberships by plausible kinds of body, partners, the plan's targets
per region, added once and the same for the same seed (slice ``programmes``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from freezegun import freeze_time

from birlik.demo.programmes import demo_programmes_seed
from birlik.events.models import Event, Programme, ProgrammeMembership, ProgrammePartner
from birlik.reports.models import Plan, Target

from ..factories import OrganisationFactory, kind, region
from .factories import EventFactory

AT = datetime.datetime(2025, 6, 10, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def demo_network(network):
    with freeze_time("2025-11-20 09:00:00"):
        for code in ("mothers_council", "ethnocultural_association", "youth_branch") * 4:
            OrganisationFactory(parent=network.pavlodar, kind=kind(code), region=region("KZ-55"))
        EventFactory(
            organiser=network.almaty_house,
            region=region("KZ-75"),
            programme=Programme.objects.get(code="myn_bala"),
            starts_at=AT,
            ends_at=AT + datetime.timedelta(hours=2),
            status=Event.Status.HELD,
        )
        Plan.objects.create(year=2025, title="Plan", status=Plan.Status.APPROVED)
        yield network


def seed():
    with freeze_time("2025-11-20 09:00:00"):
        return demo_programmes_seed(scale=0.01, seed=2025)


def test_the_demo_joins_bodies_to_programmes_once(demo_network):
    added = seed()
    assert added["programme memberships"] == ProgrammeMembership.objects.count() > 0
    assert seed() == {}
    # Organisers of a programme's events take part in it from before their first event.
    organiser = ProgrammeMembership.objects.get(
        programme__code="myn_bala", organisation=demo_network.almaty_house
    )
    assert organiser.joined_on <= AT.date()
    # Each programme is joined by the kinds of body that run it.
    for code, kinds in (
        ("green_certificate", {"mothers_council"}),
        ("zhana_tolqyn", {"youth_branch"}),
    ):
        joined = set(
            ProgrammeMembership.objects.filter(programme__code=code).values_list(
                "organisation__kind__code", flat=True
            )
        )
        assert joined <= kinds


def test_the_demo_adds_partners_and_targets_per_region(demo_network):
    seed()
    partners = ProgrammePartner.objects.filter(programme__code="green_certificate")
    assert partners.filter(state_body__code="ministry-internal_affairs").exists()
    assert ProgrammePartner.objects.filter(organisation__isnull=False).exists()
    targets = Target.objects.filter(programme__isnull=False)
    assert targets.exists()
    assert all(target.value > Decimal(0) for target in targets)
    assert targets.filter(region__isnull=False).exists()


def test_the_demo_is_the_same_for_the_same_seed(demo_network):
    seed()
    first = sorted(
        ProgrammeMembership.objects.values_list("programme__code", "organisation_id", "joined_on")
    )
    ProgrammeMembership.objects.all().delete()
    ProgrammePartner.objects.filter(organisation__isnull=False).delete()
    Target.objects.filter(programme__isnull=False).delete()
    seed()
    again = sorted(
        ProgrammeMembership.objects.values_list("programme__code", "organisation_id", "joined_on")
    )
    assert first == again
