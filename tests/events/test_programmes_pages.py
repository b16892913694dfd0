"""The public programme pages: their figures are the indicators' figures, a page costs the
same queries for 3 and 30 bodies and events, bad input is explained (slice ``programmes``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time

from birlik.core import kpi
from birlik.events import programme_services as services
from birlik.events.models import Event, Programme
from birlik.events.programme_queries import MEASURES
from birlik.reports.models import Plan, Target

from ..factories import OrganisationFactory, kind, region
from .factories import EventFactory

AT = datetime.datetime(2025, 6, 10, 10, 0, tzinfo=datetime.UTC)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with freeze_time("2025-11-20 09:00:00"):
        yield


@pytest.fixture
def myn_bala(db):
    return Programme.objects.get(code="myn_bala")


def held(organiser, programme, *, kind=Event.Kind.MEETING, total=10, when=AT):
    return EventFactory(
        organiser=organiser,
        region=organiser.region,
        kind=kind,
        programme=programme,
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        status=Event.Status.HELD,
        participants_total=total,
    )


def activity(network, programme, count):
    """``count`` bodies of Pavlodar taking part, each with a festival and a concert."""
    for _ in range(count):
        body = OrganisationFactory(
            parent=network.pavlodar,
            kind=kind("ethnocultural_association"),
            region=region("KZ-55"),
        )
        services.programme_join(
            actor=network.users["admin"],
            programme=programme,
            organisation=body,
            joined_on=datetime.date(2025, 1, 10),
        )
        held(body, programme, kind=Event.Kind.FESTIVAL, total=20)
        held(body, programme, kind=Event.Kind.CONCERT, total=30)


def totals(key, code, period, region_=None):
    return sum(
        row["value"] for row in kpi.compute(key, period, region_) if row["programme"] == code
    )


def test_the_programme_page_shows_the_figures_of_the_indicators(client, network, myn_bala):
    activity(network, myn_bala, 3)
    held(network.almaty_house, myn_bala, total=7)
    response = client.get(reverse("programmes:detail", args=["myn_bala"]))
    assert response.status_code == 200
    shown = response.context["totals"]
    period = kpi.Period.year(2025)
    for measure, key in MEASURES.items():
        assert shown[measure] == totals(key, "myn_bala", period), measure
    assert shown == {
        "bodies": 3,
        "events": 7,
        "participants": 157,
        "festivals": 3,
        "performances": 3,
    }
    regions = dict(response.context["regions"])
    pavlodar = region("KZ-55").name
    assert regions[pavlodar]["festivals"] == totals(
        "events.festivals", "myn_bala", period, region("KZ-55")
    )
    text = response.content.decode()
    assert "Festivals" in text and "Performances" in text
    listing = client.get(reverse("programmes:list"))
    assert listing.status_code == 200
    assert {programme.code: values for programme, values in listing.context["programmes"]}[
        "myn_bala"
    ] == shown


def test_the_programme_page_shows_partners_bodies_and_upcoming_events(client, network, myn_bala):
    activity(network, myn_bala, 1)
    upcoming = EventFactory(
        organiser=network.pavlodar_house,
        programme=myn_bala,
        starts_at=datetime.datetime(2025, 12, 5, 10, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2025, 12, 5, 12, 0, tzinfo=datetime.UTC),
        title_en="Thousand children concert",
    )
    green = client.get(reverse("programmes:detail", args=["green_certificate"]))
    assert "Ministry of Internal Affairs" in green.content.decode()
    text = client.get(reverse("programmes:detail", args=["myn_bala"])).content.decode()
    assert upcoming.title_en in text
    assert reverse("portal:event", args=[upcoming.pk]) in text
    assert f"{reverse('portal:events')}?programme=myn_bala" in text


def test_a_programme_page_costs_the_same_queries_for_3_and_30_bodies(
    client, network, myn_bala, django_assert_max_num_queries
):
    activity(network, myn_bala, 3)
    url = reverse("programmes:detail", args=["myn_bala"])
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
        assert client.get(reverse("programmes:list")).status_code == 200
    activity(network, myn_bala, 27)
    kpi.invalidate()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
        assert client.get(reverse("programmes:list")).status_code == 200
    assert response.context["totals"]["bodies"] == 30


def test_the_programme_page_compares_the_approved_plans_targets_with_the_actual(
    client, network, myn_bala
):
    activity(network, myn_bala, 2)
    plan = Plan.objects.create(year=2025, title="Plan", status=Plan.Status.APPROVED)
    Target.objects.create(
        plan=plan, indicator="events.festivals", programme=myn_bala, value=Decimal(4)
    )
    Target.objects.create(
        plan=plan,
        indicator="events.programme_bodies",
        programme=myn_bala,
        region=region("KZ-55"),
        value=Decimal(5),
    )
    draft = Plan.objects.create(year=2024, title="Draft")
    Target.objects.create(plan=draft, indicator="events.festivals", programme=myn_bala, value=1)
    response = client.get(reverse("programmes:detail", args=["myn_bala"]))
    targets = {(item.measure, item.region): item for item in response.context["targets"]}
    assert targets[("festivals", None)].actual == 2
    assert targets[("festivals", None)].share == 50.0
    assert targets[("bodies", region("KZ-55"))].actual == 2
    assert (
        client.get(reverse("programmes:detail", args=["myn_bala"]) + "?year=2024").context[
            "targets"
        ]
        == []
    )


def test_unknown_hidden_or_retired_programmes_are_not_found(client, myn_bala):
    assert client.get(reverse("programmes:detail", args=["no-such"])).status_code == 404
    myn_bala.is_public = False
    myn_bala.save()
    assert client.get(reverse("programmes:detail", args=["myn_bala"])).status_code == 404
    assert "myn_bala" not in client.get(reverse("programmes:list")).content.decode()


def test_a_year_not_understood_is_explained_and_this_year_shown(client, myn_bala):
    for value in ("abc", "1800", "2999"):
        response = client.get(reverse("programmes:list"), {"year": value})
        assert response.status_code == 200
        assert response.context["year"] == 2025
        assert "were not understood" in response.content.decode()
    response = client.get(reverse("programmes:detail", args=["myn_bala"]), {"year": "2024"})
    assert response.context["year"] == 2024


def test_the_staff_programme_pages_cost_the_same_queries_for_3_and_30_bodies(
    client, network, myn_bala, django_assert_max_num_queries
):
    client.force_login(network.users["coordinator_pavlodar"])
    activity(network, myn_bala, 3)
    pages = (
        reverse("events:programme_list"),
        reverse("events:programme_detail", args=["myn_bala"]),
    )
    with django_assert_max_num_queries(40) as few:
        for url in pages:
            assert client.get(url).status_code == 200
    activity(network, myn_bala, 27)
    kpi.invalidate()
    with django_assert_max_num_queries(len(few.captured_queries)):
        for url in pages:
            assert client.get(url).status_code == 200
