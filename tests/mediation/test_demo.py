"""The demo's mediation: mediators for the demo's mediator memberships, cases of both years with
a realistic mix, numbering per centre, the two demo logins and their view of the cases."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from birlik.access import policies
from birlik.access.models import User
from birlik.demo.mediation import LOGINS, demo_mediation_seed
from birlik.demo.services import DEMO_LOGINS, demo_seed
from birlik.mediation.models import Document, MediationCase, Mediator
from birlik.registry.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path
    with freeze_time("2026-11-25 12:00:00+05:00"):
        assert demo_seed(scale=0.1) is True


def _every_demo_mediator_is_in_the_register_and_about_forty_percent_are_professional(seeded):
    members = (
        Membership.objects.filter(role="mediator", organisation__kind__code="mediation_centre")
        .values("person_id")
        .distinct()
        .count()
    )
    assert Mediator.objects.count() == members
    share = Mediator.objects.filter(professional=True).count() / members
    assert 0.2 < share < 0.6


def _cases_cover_last_year_and_this_year_with_a_mix_of_kinds_and_outcomes(seeded):
    years = set(MediationCase.objects.values_list("received_on__year", flat=True))
    assert years == {2025, 2026}
    assert set(MediationCase.objects.values_list("kind", flat=True)) == {
        "family",
        "labour",
        "neighbourhood",
        "interethnic",
        "other",
    }
    outcomes = set(MediationCase.objects.values_list("outcome", flat=True))
    assert {"agreement", "partly", "no_agreement", "refused"} <= outcomes
    refused = MediationCase.objects.filter(parties__is_state_body=True)
    assert refused.exists()
    assert not refused.exclude(status="refused").exists()
    assert Document.objects.filter(kind="agreement").exists()
    assert not MediationCase.objects.filter(received_on__gt=datetime.date(2026, 11, 25)).exists()


def _numbers_are_unique_and_gapless_per_centre_and_year(seeded):
    for centre_id, year in MediationCase.objects.values_list(
        "centre_id", "received_on__year"
    ).distinct():
        numbers = sorted(
            int(n.rsplit("-", 1)[1])
            for n in MediationCase.objects.filter(
                centre_id=centre_id, received_on__year=year
            ).values_list("number", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1))


def _the_demo_logins_see_their_cases_and_nobody_else_does(seeded, client):
    assert set(LOGINS) <= set(DEMO_LOGINS)
    mediator = User.objects.get(username="mediator_almaty")
    head = User.objects.get(username="head_mediation_almaty")
    mine = policies.scoped(MediationCase.objects.all(), mediator)
    assert mine.exists()
    assert not mine.exclude(assignments__mediator__user=mediator).exists()
    centre_cases = policies.scoped(MediationCase.objects.all(), head)
    assert centre_cases.count() > mine.count()
    assert set(centre_cases.values_list("centre__region__iso", flat=True)) == {"KZ-75"}
    admin = User.objects.get(username="admin")
    assert not policies.scoped(MediationCase.objects.all(), admin).exists()
    client.force_login(mediator)
    response = client.get(reverse("mediation:case", args=[mine.first().pk]))
    assert response.status_code == 200


def test_the_demo_mediation_is_realistic_private_and_seeded_once(seeded, client):
    # One seed for every check: seeding the national demo is the slow part.
    _every_demo_mediator_is_in_the_register_and_about_forty_percent_are_professional(seeded)
    _cases_cover_last_year_and_this_year_with_a_mix_of_kinds_and_outcomes(seeded)
    _numbers_are_unique_and_gapless_per_centre_and_year(seeded)
    _the_demo_logins_see_their_cases_and_nobody_else_does(seeded, client)
    assert demo_mediation_seed(scale=0.1, seed=2025) == {}
