"""Fixtures of the events tests: English pages, signing in by name, events made by services."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from birlik.events import services
from birlik.events.models import Audience, Event


@pytest.fixture(autouse=True)
def _english_pages(_kazakh_by_default):
    """These tests read the English texts (see tests/workspace/conftest.py)."""
    from django.utils import translation

    translation.activate("en")
    yield


@pytest.fixture
def as_user(client, network):
    """Sign in one of the network's users by name and return the client."""

    def do(name: str):
        client.force_login(network.users[name])
        return client

    return do


@pytest.fixture
def plan(network):
    """``plan(organiser=…, starts_in=…, **data)``: an event planned through the service."""

    def do(
        *,
        organiser: Any = None,
        starts_in: datetime.timedelta = datetime.timedelta(days=7),
        hours: int = 2,
        audiences: tuple[str, ...] = (),
        publish: bool = False,
        **data: Any,
    ) -> Event:
        starts = timezone.now() + starts_in
        values = {
            "title_kk": "Достық кеші",
            "title_en": "Friendship evening",
            "kind": Event.Kind.MEETING,
            "address_kk": "Павлодар, Достық көшесі, 1",
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=hours),
            "languages": ["kk", "ru"],
            **data,
        }
        admin = network.users["admin"]
        event = services.event_create(
            actor=admin,
            organiser=organiser or network.pavlodar_house,
            data=values,
            audiences=Audience.objects.filter(code__in=audiences),
        )
        if publish:
            event = services.event_publish(actor=admin, event=event)
        return event

    return do


@pytest.fixture
def sign_up():
    """``sign_up(event, n)``: a citizen registers online with a distinct phone."""

    def do(event: Event, n: int, **extra: Any):
        return services.registration_create(
            event=event,
            full_name=extra.pop("full_name", f"Айгүл Сейітова {n}"),
            phone=extra.pop("phone", f"+7 701 000 00 {n:02d}"),
            consent=True,
            **extra,
        )

    return do
