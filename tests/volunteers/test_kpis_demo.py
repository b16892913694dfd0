"""Indicators of volunteering and the demo data."""

from __future__ import annotations

import datetime
import time

import pytest
from freezegun import freeze_time

from birlik.core.kpi import Period, compute
from birlik.volunteers import services

from .factories import call_of, volunteer

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 5, 9, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=5)))


def test_indicators_count_volunteers_actions_and_hours_by_region_and_kind(network):
    staff = network.users["staff_pavlodar_house"]
    first, second = volunteer("Бірінші"), volunteer("Екінші")
    with freeze_time(START - datetime.timedelta(days=3)):
        held = call_of(staff, network.pavlodar_house, starts_in=datetime.timedelta(days=3))
        empty = call_of(staff, network.pavlodar_house, starts_in=datetime.timedelta(days=3))
        a = services.signup_create(user=first.user, call=held)
        b = services.signup_create(user=second.user, call=held)
        services.signup_create(user=first.user, call=empty)
    with freeze_time(START + datetime.timedelta(days=1)):
        services.signup_hours_set(actor=staff, signup=a, minutes=90, reason="Қағаз")
        services.signup_hours_set(actor=staff, signup=b, minutes=60, reason="Қағаз")
    period = Period.year(2026)
    assert compute("volunteers.volunteers", period) == [{"region": "KZ-55", "value": 2}]
    assert compute("volunteers.volunteers_total", period) == [{"value": 2}]
    assert compute("volunteers.actions", period) == [
        {"region": "KZ-55", "kind": "house_of_friendship", "value": 1}
    ]
    assert compute("volunteers.hours", period) == [
        {"region": "KZ-55", "kind": "house_of_friendship", "value": 2.5}
    ]
    assert compute("volunteers.hours", Period.year(2025)) == []
    assert compute("volunteers.hours", period, network.almaty.region) == []


def test_the_demo_adds_volunteers_once_and_fast(db):
    from birlik.demo.services import demo_seed
    from birlik.volunteers.models import Call, Profile, SignUp

    demo_seed(scale=0.01, seed=7)
    assert Profile.objects.count() >= 20
    assert Call.objects.exists()
    assert SignUp.objects.filter(minutes__gt=0).exists()
    from birlik.demo.volunteers import demo_volunteers_seed

    assert demo_volunteers_seed(scale=0.01, seed=7) == {}
    Profile.objects.all().delete() if False else None
    # Timing of the step alone, on a fresh set of calls: well under 2 s at scale 0.01.
    SignUp.objects.all().delete()
    Call.objects.all().delete()
    Profile.skills.through.objects.all().delete()
    Profile.districts.through.objects.all().delete()
    Profile.objects.all().delete()
    began = time.perf_counter()
    added = demo_volunteers_seed(scale=0.01, seed=8)
    assert added["volunteers"] >= 20
    assert time.perf_counter() - began < 2
