"""Public reads: territory, bodies, events and figures — public fields only, paginated, cheap."""

from __future__ import annotations

import datetime

from django.utils import timezone
from freezegun import freeze_time

from birlik.events.models import Event

from ..events.factories import EventFactory
from ..factories import OrganisationFactory, kind, region


def test_regions_list_the_twenty_regions_with_their_iso_codes(db, api):
    response = api.get("/regions")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 20
    assert {"iso": "KZ-55", "kato": "55"}.items() <= next(
        row for row in rows if row["iso"] == "KZ-55"
    ).items()


def test_districts_of_a_region_and_an_unknown_region_is_a_404_problem(db, api):
    response = api.get("/regions/KZ-55/districts")
    assert response.status_code == 200
    assert response.json() and all(row["region"] == "KZ-55" for row in response.json())
    missing = api.get("/regions/KZ-00/districts")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"


def test_kinds_are_named_in_the_language_asked_for(db, api):
    english = {row["code"]: row["name"] for row in api.get("/kinds").json()}
    api.language = "ru"
    russian = {row["code"]: row["name"] for row in api.get("/kinds").json()}
    assert english["house_of_friendship"] != russian["house_of_friendship"]
    assert "дружбы" in russian["house_of_friendship"].lower()


def test_bodies_are_filtered_by_region_kind_parent_and_words(network, api):
    by_region = api.get("/bodies", {"region": "KZ-75"}).json()
    assert {row["id"] for row in by_region["items"]} == {network.almaty.pk, network.almaty_house.pk}
    houses = api.get("/bodies", {"kind": "house_of_friendship"}).json()
    assert houses["count"] == 2
    under = api.get("/bodies", {"parent": network.pavlodar.pk}).json()
    assert {row["id"] for row in under["items"]} == {
        network.pavlodar_house.pk,
        network.pavlodar_elders.pk,
    }
    found = api.get("/bodies", {"q": "Elders"}).json()
    assert [row["id"] for row in found["items"]] == [network.pavlodar_elders.pk]


def test_an_unknown_filter_value_is_a_422_problem_naming_the_field(network, api):
    response = api.get("/bodies", {"region": "KZ-99"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["field"] == "region"
    assert problem["errors"][0]["location"] == "query"


def test_bodies_are_paginated_with_a_stable_order_and_total_count(network, api):
    first = api.get("/bodies", {"limit": 2}).json()
    second = api.get("/bodies", {"limit": 2, "offset": 2}).json()
    third = api.get("/bodies", {"limit": 2, "offset": 4}).json()
    assert first["count"] == second["count"] == 6
    ids = [row["id"] for page in (first, second, third) for row in page["items"]]
    assert len(ids) == len(set(ids)) == 6
    assert api.get("/bodies", {"limit": 101}).status_code == 422


def test_a_body_shows_public_facts_and_member_counts_but_never_a_name(network, api):
    response = api.get(f"/bodies/{network.pavlodar_elders.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["parent"] == {"id": network.pavlodar.pk, "name": "Assembly of Pavlodar Region"}
    assert body["names"]["kk"] == "Ақсақалдар кеңесі"
    assert sum(row["value"] for row in body["members_by_role"]) == 1
    text = response.content.decode()
    assert network.pavlodar_person.last_name not in text
    assert network.pavlodar_person.first_name not in text
    assert api.get("/bodies/999999").status_code == 404


def test_the_bodies_list_costs_the_same_queries_for_5_and_50_rows(
    network, api, django_assert_max_num_queries
):
    for _n in range(5):
        OrganisationFactory(parent=network.pavlodar, region=region("KZ-55"))
    # 4 reads of the records and the rate-limit counter every API call adds (core.ratelimit).
    with django_assert_max_num_queries(5) as small:
        assert len(api.get("/bodies", {"limit": 100, "region": "KZ-55"}).json()["items"]) == 8
    for _n in range(45):
        OrganisationFactory(parent=network.pavlodar, region=region("KZ-55"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get("/bodies", {"limit": 100, "region": "KZ-55"}).json()["items"]) == 53


def _events(network, n: int, **extra) -> list[Event]:
    return [EventFactory(organiser=network.pavlodar_house, **extra) for _ in range(n)]


def test_events_list_public_fields_and_filters(network, api):
    soon = timezone.now() + datetime.timedelta(days=3)
    pavlodar = EventFactory(organiser=network.pavlodar_house, starts_at=soon, kind="concert")
    almaty = EventFactory(
        organiser=network.almaty_house, region=region("KZ-75"), starts_at=soon, kind="meeting"
    )
    everything = api.get("/events").json()
    assert everything["count"] == 2
    row = next(item for item in everything["items"] if item["id"] == pavlodar.pk)
    assert row["organiser"] == {
        "id": network.pavlodar_house.pk,
        "name": "House of Friendship of Pavlodar Region",
    }
    assert row["region"] == "KZ-55"
    assert row["participants"] is None
    assert row["url"].endswith(f"/en/events/{pavlodar.pk}/")
    assert [i["id"] for i in api.get("/events", {"region": "KZ-75"}).json()["items"]] == [almaty.pk]
    assert [i["id"] for i in api.get("/events", {"kind": "concert"}).json()["items"]] == [
        pavlodar.pk
    ]
    by_body = api.get("/events", {"body": network.almaty_house.pk}).json()
    assert [i["id"] for i in by_body["items"]] == [almaty.pk]
    assert api.get("/events", {"kind": "party"}).status_code == 422


def test_events_filtered_by_dates_and_by_last_change(network, api):
    with freeze_time("2026-03-01 10:00"):
        old = EventFactory(
            organiser=network.pavlodar_house,
            starts_at=timezone.now(),
            updated_at=timezone.now(),
        )
    with freeze_time("2026-11-20 10:00"):
        new = EventFactory(
            organiser=network.pavlodar_house,
            starts_at=timezone.now() + datetime.timedelta(days=10),
            updated_at=timezone.now(),
        )
    march = api.get("/events", {"date_from": "2026-03-01", "date_to": "2026-03-31"}).json()
    assert [i["id"] for i in march["items"]] == [old.pk]
    changed = api.get("/events", {"updated_since": "2026-11-01T00:00:00+05:00"}).json()
    assert [i["id"] for i in changed["items"]] == [new.pk]
    backwards = api.get("/events", {"date_from": "2026-03-31", "date_to": "2026-03-01"})
    assert backwards.status_code == 422


def test_an_event_page_has_no_registrant_data(network, api):
    from birlik.events.services import registration_create

    event = EventFactory(organiser=network.pavlodar_house)
    registration_create(
        event=event, full_name="Айгүл Сейітова", phone="+7 701 111 22 33", consent=True
    )
    response = api.get(f"/events/{event.pk}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Сейітова" not in text and "111 22 33" not in text and "7011112233" not in text
    assert response.json()["places_left"] is None
    assert api.get("/events/0").status_code == 404


def test_the_events_list_costs_the_same_queries_for_5_and_50_rows(
    network, api, django_assert_max_num_queries
):
    _events(network, 5)
    # 3 reads of the records and the rate-limit counter every API call adds (core.ratelimit).
    with django_assert_max_num_queries(4) as small:
        assert len(api.get("/events", {"limit": 100}).json()["items"]) == 5
    _events(network, 45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(api.get("/events", {"limit": 100}).json()["items"]) == 50


def test_indicators_are_named_in_the_callers_language(db, api):
    english = {row["key"]: row["name"] for row in api.get("/indicators").json()}
    assert english["registry.bodies"] == "Bodies of the Assembly by kind"
    api.language = "ru"
    russian = {row["key"]: row["name"] for row in api.get("/indicators").json()}
    assert russian["registry.bodies"] != english["registry.bodies"]


def test_figures_for_a_year_and_a_region_match_the_registry(network, api):
    from birlik.core import kpi

    response = api.get("/indicators/registry.bodies_by_region", {"year": 2026, "region": "KZ-55"})
    assert response.status_code == 200
    figures = response.json()
    assert figures["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    expected = kpi.compute("registry.bodies_by_region", kpi.Period.year(2026), region("KZ-55"))
    assert figures["indicators"][0]["total"] == sum(row["value"] for row in expected) == 3
    assert figures["indicators"][0]["rows"][0]["dimensions"]["region"] == "KZ-55"
    assert figures["indicators"][0]["rows"][0]["labels"]["region"] == "Pavlodar Region"
    everything = api.get("/figures", {"date_from": "2026-01-01", "date_to": "2026-06-30"}).json()
    assert {item["key"] for item in everything["indicators"]} >= {
        "registry.bodies",
        "events.events",
    }


def test_figures_reject_a_year_with_dates_and_a_half_period(db, api):
    assert api.get("/figures", {"year": 2025, "date_from": "2025-01-01"}).status_code == 422
    assert api.get("/figures", {"date_from": "2025-01-01"}).status_code == 422
    assert api.get("/figures", {"year": 1800}).status_code == 422
    assert api.get("/indicators/nothing.here").status_code == 404


def test_the_docs_page_loads_its_assets_locally(db, api):
    response = api.get("/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "https://" not in page
    assert kind("house_of_friendship")  # catalogues are loaded


def test_figures_can_be_limited_to_named_indicators(network, api):
    response = api.get("/figures", {"year": 2026, "indicators": "registry.bodies,events.events"})
    assert response.status_code == 200
    assert [item["key"] for item in response.json()["indicators"]] == [
        "registry.bodies",
        "events.events",
    ]
    unknown = api.get("/figures", {"indicators": "registry.bodies,nothing.here"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "indicators"


def test_updated_since_with_any_utc_offset_is_read_in_utc(network, api):
    """PostgreSQL keeps offsets only within ±16 hours: the API turns every moment into UTC."""
    EventFactory(organiser=network.pavlodar_house)
    response = api.get("/events", {"updated_since": "0051-08-16T11:00:43-23:33"})
    assert response.status_code == 200
    assert response.json()["count"] == 1
    later = api.get("/events", {"updated_since": "9999-12-31T23:00:00-23:00"})
    assert later.status_code == 422
    assert later.headers["Content-Type"].startswith("application/problem+json")
