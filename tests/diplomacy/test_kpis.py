"""The indicators of people's diplomacy on a small world: requests by country and kind of
requester, visits by direction and country (cancelled ones left out), ambassadors in the Corps
at the period's end, their activities by kind; with a region, and labelled in each language."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from birlik.core import kpi
from birlik.diplomacy import services

from ..factories import PersonFactory, region
from .factories import TODAY, make_ambassador, make_request, make_visit

pytestmark = pytest.mark.django_db
YEAR = kpi.Period.year(2025)


def test_the_indicators_count_the_small_world(diplomacy):
    network = diplomacy.network
    staff, admin = diplomacy.staff, network.users["admin"]
    make_request(staff, diplomacy.centre, country="DE", requester_kind="embassy")
    make_request(staff, diplomacy.centre, country="DE", requester_kind="embassy")
    declined = make_request(staff, diplomacy.centre, country="CN", requester_kind="research_centre")
    services.request_decline(actor=staff, request=declined, reason="Outside our work.")
    make_request(admin, network.pavlodar, country="PL")
    make_request(staff, diplomacy.centre, country="US", received_on=datetime.date(2024, 11, 2))

    make_visit(staff, diplomacy.centre, country="PL", regions=[region("KZ-55")])
    make_visit(staff, diplomacy.centre, direction="outgoing", country="TR")
    cancelled = make_visit(staff, diplomacy.centre, country="KR")
    services.visit_cancel(actor=staff, visit=cancelled, reason="Postponed.")
    make_visit(
        staff,
        diplomacy.centre,
        country="DE",
        starts_on=datetime.date(2024, 5, 1),
        ends_on=datetime.date(2024, 5, 3),
    )

    people = [PersonFactory(registered_by=diplomacy.corps) for _ in range(4)]
    active = make_ambassador(staff, diplomacy.corps, people[0], since=datetime.date(2024, 1, 1))
    make_ambassador(staff, diplomacy.corps, people[1], since=datetime.date(2025, 2, 1))
    make_ambassador(
        staff,
        diplomacy.corps,
        people[2],
        since=datetime.date(2023, 1, 1),
        until=datetime.date(2025, 3, 1),
    )
    make_ambassador(staff, diplomacy.corps, people[3], since=TODAY)
    for day, kind in (
        (datetime.date(2025, 1, 5), "lecture"),
        (datetime.date(2025, 2, 5), "lecture"),
        (datetime.date(2025, 3, 5), "media"),
        (datetime.date(2024, 12, 5), "media"),
    ):
        services.activity_add(
            actor=staff, ambassador=active, date=day, kind=kind, country="DE", description="x"
        )

    assert kpi.compute("diplomacy.requests", YEAR) == [
        {"country": "CN", "diplomacy_requester": "research_centre", "value": 1},
        {"country": "DE", "diplomacy_requester": "embassy", "value": 2},
        {"country": "PL", "diplomacy_requester": "foreign_parliament", "value": 1},
    ]
    assert kpi.compute("diplomacy.requests", YEAR, region("KZ-55")) == [
        {"country": "PL", "diplomacy_requester": "foreign_parliament", "value": 1}
    ]
    assert kpi.compute("diplomacy.visits", YEAR) == [
        {"diplomacy_direction": "incoming", "country": "PL", "value": 1},
        {"diplomacy_direction": "outgoing", "country": "TR", "value": 1},
    ]
    assert kpi.compute("diplomacy.visits", YEAR, region("KZ-55")) == [
        {"diplomacy_direction": "incoming", "country": "PL", "value": 1}
    ]
    # On 15 June 2025 (the period not yet over): three of the four are in the Corps.
    assert kpi.compute("diplomacy.ambassadors", YEAR) == [{"value": 3}]
    assert kpi.compute("diplomacy.ambassadors", kpi.Period.year(2024)) == [{"value": 2}]
    assert kpi.compute("diplomacy.ambassador_activities", YEAR) == [
        {"diplomacy_activity": "lecture", "value": 2},
        {"diplomacy_activity": "media", "value": 1},
    ]


def test_the_dimensions_are_labelled_in_each_language(diplomacy):
    make_request(diplomacy.staff, diplomacy.centre, country="TR", requester_kind="embassy")
    item = kpi.indicators()
    keys = {indicator.key: indicator for indicator in item}
    assert keys["diplomacy.requests"].dimensions == ("country", "diplomacy_requester")
    assert keys["diplomacy.visits"].dimensions == ("diplomacy_direction", "country")
    assert keys["diplomacy.ambassadors"].dimensions == ()
    assert keys["diplomacy.ambassador_activities"].dimensions == ("diplomacy_activity",)
    names = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            rows = kpi.label_rows(
                kpi.compute("diplomacy.requests", YEAR), ("country", "diplomacy_requester")
            )
            names[language] = rows[0]["country_name"]
            assert rows[0]["diplomacy_requester_name"]
            assert kpi.REGISTRY.labels["diplomacy_direction"]()["incoming"]
            assert kpi.REGISTRY.labels["diplomacy_activity"]()["hosting"]
    assert names == {"kk": "Түркия", "ru": "Турция", "en": "Türkiye"}
    assert "XK" not in kpi.REGISTRY.labels["country"]() and "KZ" in kpi.REGISTRY.labels["country"]()
