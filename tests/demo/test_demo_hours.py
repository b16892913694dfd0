"""Demo opening hours: every house of friendship has a week, some other bodies too, once."""

from __future__ import annotations

import pytest
from django.db.models import Count

from birlik.demo.hours import demo_hours_seed
from birlik.demo.services import demo_seed
from birlik.registry import hours
from birlik.registry.models import OpeningHours, Organisation

SCALE = 0.05


@pytest.fixture
def seeded(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert demo_seed(scale=SCALE) is True


def test_every_active_house_of_friendship_has_a_valid_week(seeded):
    houses = Organisation.objects.filter(kind__code="house_of_friendship", status="active")
    assert houses.exists()
    assert not houses.filter(opening_hours__isnull=True).exists()
    for house in houses.prefetch_related("opening_hours"):
        week = [hours.Interval(r.weekday, r.opens, r.closes) for r in house.opening_hours.all()]
        assert hours.check_week(week)  # no overlap, each interval opens before it closes


def test_a_share_of_other_bodies_have_hours_and_some_a_note(seeded):
    with_hours = (
        Organisation.objects.annotate(intervals=Count("opening_hours"))
        .filter(intervals__gt=0)
        .exclude(kind__code="house_of_friendship")
    )
    others = Organisation.objects.exclude(kind__code="house_of_friendship").count()
    assert 0 < with_hours.count() < others
    assert not with_hours.filter(status="closed").exists()
    assert (
        Organisation.objects.exclude(opening_hours_note_ru__isnull=True)
        .exclude(opening_hours_note_ru="")
        .exists()
    )


def test_hours_are_added_once(seeded):
    count = OpeningHours.objects.count()
    assert demo_hours_seed(seed=2025) == {}
    assert demo_seed(scale=SCALE) is False
    assert OpeningHours.objects.count() == count
