"""Shared fixtures of early warning: sources and items on the two-region network.

Each part of the app keeps its own fixtures in its own test files; only the basics live here."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.utils import timezone

from birlik.monitoring.models import Item, ItemPlace, Source

from ..factories import region

_numbers = itertools.count(1)


def make_source(**fields: Any) -> Source:
    n = next(_numbers)
    values: dict[str, Any] = {
        "name": f"Source {n}",
        "kind": Source.Kind.RSS,
        "url": f"http://127.0.0.1:9/feed-{n}.xml",
    }
    values.update(fields)
    return Source.objects.create(**values)


def make_item(
    source: Source | None = None, *, regions: tuple[str, ...] = (), **fields: Any
) -> Item:
    """An item (processed unless ``state`` is given) placed in the regions named by ISO code."""
    n = next(_numbers)
    values: dict[str, Any] = {
        "source": source or make_source(),
        "guid": f"item-{n}",
        "url": f"http://127.0.0.1:9/news/{n}",
        "title": f"Item {n}",
        "text": f"Text of item {n}.",
        "language": "ru",
        "state": Item.State.PROCESSED,
        "processed_at": timezone.now(),
    }
    values.update(fields)
    item = Item.objects.create(**values)
    for iso in regions:
        ItemPlace.objects.create(item=item, region=region(iso))
    return item


@pytest.fixture(autouse=True)
def _without_starter_rules(request):
    """A new install starts with keyword lists and alert rules (migration 0002); tests of
    early warning start without them and add what each needs (``keyword_rules_seed`` and
    ``alert_rules_seed`` give the starter ones back)."""
    uses_db = request.node.get_closest_marker("django_db") or any(
        name in request.fixturenames for name in ("db", "transactional_db", "network")
    )
    if uses_db:
        request.getfixturevalue("db")
        from birlik.monitoring.models import AlertRule, KeywordRule

        KeywordRule.objects.all().delete()
        AlertRule.objects.all().delete()


@pytest.fixture
def source(db) -> Source:
    return make_source()
