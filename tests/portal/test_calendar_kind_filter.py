"""The calendar's "kind of event" filter offers kinds of event (not kinds of body) and filters
by them; the directory's "kind" filter still offers kinds of body."""

from __future__ import annotations

import re

import pytest

from birlik.events.models import Event
from tests.factories import region

from .events_data import in_days, make_event
from .helpers import main

pytestmark = pytest.mark.django_db


def options(response, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', main(response), re.S)
    assert select is not None, f"no <select name={name}> on the page"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1])


def test_the_calendar_offers_the_kinds_of_event(client, network):
    response = client.get("/en/events/")

    offered = [value for value, _label in options(response, "kind")]
    assert offered == ["", *Event.Kind.values]
    assert ("concert", str(Event.Kind.CONCERT.label)) in options(response, "kind")
    assert "house_of_friendship" not in offered


def test_choosing_a_kind_of_event_lists_only_events_of_that_kind(client, network):
    make_event(network, title_en="Pavlodar meeting", starts_at=in_days(2))
    make_event(
        network,
        organiser=network.almaty_house,
        title_en="Almaty concert",
        kind=Event.Kind.CONCERT,
        region=region("KZ-75"),
        starts_at=in_days(3),
    )

    response = client.get("/en/events/", {"kind": "concert"})

    page = main(response)
    assert response.status_code == 200
    assert "Almaty concert" in page
    assert "Pavlodar meeting" not in page
    assert "Unknown kind of event" not in page
    chosen = re.search(r'<option value="concert"[^>]*selected', page)
    assert chosen is not None, "the chosen kind stays selected"


def test_a_kind_of_body_is_not_a_kind_of_event(client, network):
    response = client.get("/en/events/", {"kind": "house_of_friendship"})

    assert response.status_code == 200
    assert "Unknown kind of event: choose one from the list." in main(response)


def test_the_directory_still_offers_the_kinds_of_body(client, network):
    response = client.get("/en/bodies/")

    offered = [value for value, _label in options(response, "kind")]
    assert "house_of_friendship" in offered
    assert "concert" not in offered
