"""The demo ideas: calls, ideas with supports, answers on time and late, follow-up, added once."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import authenticate

from birlik.core import sequences
from birlik.demo.ideas import demo_ideas_seed
from birlik.demo.services import DEMO_PASSWORD
from birlik.ideas import queries
from birlik.ideas.models import Call, Comment, Idea, IdeaTerm, Support

from ..events.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_the_demo_adds_a_year_of_ideas_once_and_fast(network):
    EventFactory(organiser=network.pavlodar_house)
    started = time.perf_counter()
    added = demo_ideas_seed(scale=0.05, seed=2025)
    assert time.perf_counter() - started < 10  # generous: a loaded CI machine
    assert demo_ideas_seed(scale=0.05, seed=2025) == {}
    assert added["ideas"] == Idea.objects.count() == 150
    assert Call.objects.filter(organisation=network.root).count() == 2
    assert Call.objects.exclude(organisation=network.root).count() == 2
    assert 2500 <= Support.objects.count() <= 3500
    # One support per person and idea; kept counts match the rows.
    for idea in Idea.objects.filter(support_count__gt=0)[:20]:
        assert idea.supports.count() == idea.support_count
    assert Idea.objects.filter(answered_on__isnull=False).exists()
    assert queries.ideas_answered_late(Idea.objects.all()).exists()
    assert queries.ideas_answered_on_time(Idea.objects.all()).exists()
    assert Idea.objects.filter(progress="done").exclude(result="").exists()
    assert Comment.objects.filter(status="published").exists()
    assert IdeaTerm.objects.exists()
    # Numbers continue where the demo stopped.
    serials: dict[int, int] = {}
    for number in Idea.objects.values_list("number", flat=True):
        _prefix, year, serial = number.split("-")
        serials[int(year)] = max(serials.get(int(year), 0), int(serial))
    assert sequences.last_numbers("ideas.number") == serials
    assert authenticate(username="participant", password=DEMO_PASSWORD) is not None
    assert authenticate(username="demo-participant-1", password=DEMO_PASSWORD) is None
    authors = Idea.objects.select_related("author")[:10]
    assert all(idea.author.phone_verified_at is not None for idea in authors)


def test_the_demo_is_deterministic_from_its_seed(network):
    demo_ideas_seed(scale=0.01, seed=7)
    first = list(Idea.objects.order_by("number").values_list("title", "support_count"))
    Idea.objects.all().delete()
    Call.objects.all().delete()
    from birlik.access.models import User
    from birlik.ideas.models import Category

    Category.objects.all().delete()
    User.objects.filter(username__startswith="demo-participant-").delete()
    User.objects.filter(username="participant").delete()
    demo_ideas_seed(scale=0.01, seed=7)
    assert list(Idea.objects.order_by("number").values_list("title", "support_count")) == first
