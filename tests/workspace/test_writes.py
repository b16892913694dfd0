"""Create, edit and close bodies; register people; add and end terms — through the pages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from birlik.access.models import AuditEntry
from birlik.registry.iin import make_iin
from birlik.registry.models import Membership, Organisation, Person

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"workspace:{name}", args=args)


def trail_of(body: Organisation) -> list[str]:
    return list(
        AuditEntry.objects.filter(
            object_type="registry.Organisation", object_id=str(body.pk)
        ).values_list("action", flat=True)
    )


def test_coordinator_creates_edits_and_closes_a_body_and_the_trail_shows_each_step(
    as_user, network
):
    client = as_user("coordinator_pavlodar")
    response = client.post(
        url("body_create", network.pavlodar.pk),
        {
            "kind": network.pavlodar_elders.kind.pk,
            "name_kk": "Жаңа ақсақалдар кеңесі",
            "region": network.pavlodar.region_id,
            "founded_on": "2024-02-01",
        },
    )
    assert response.status_code == 302
    body = Organisation.objects.get(name_kk="Жаңа ақсақалдар кеңесі")
    assert body.path[:-4] == network.pavlodar.path

    response = client.post(
        url("body_edit", body.pk),
        {"name_kk": "Жаңа ақсақалдар кеңесі", "name_ru": "Новый совет", "region": body.region_id},
    )
    assert response.status_code == 302
    response = client.post(
        url("body_close", body.pk), {"closed_on": "2025-01-10", "reason": "Merged"}
    )
    assert response.status_code == 302
    body.refresh_from_db()
    assert body.status == Organisation.Status.CLOSED
    assert sorted(trail_of(body)) == ["close", "create", "update"]

    page = client.get(url("body", body.pk), HTTP_ACCEPT_LANGUAGE="en")
    trail = page.context["trail"].object_list
    assert [entry.action for entry in trail] == ["close", "update", "create"]
    assert "Merged" in page.content.decode()


def test_create_offers_only_kinds_allowed_under_the_parent(as_user, network):
    response = as_user("coordinator_pavlodar").get(url("body_create", network.pavlodar_elders.pk))
    codes = {kind.code for kind in response.context["form"].fields["kind"].queryset}
    assert codes == {"elders_council"}


def test_a_kind_not_allowed_under_the_parent_is_refused_on_the_field(as_user, network):
    response = as_user("coordinator_pavlodar").post(
        url("body_create", network.pavlodar_elders.pk),
        {"kind": network.pavlodar_house.kind.pk, "name_kk": "Үй"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert not Organisation.objects.filter(name_kk="Үй").exists()


def test_a_service_rule_is_shown_on_the_field_it_names(as_user, network):
    response = as_user("coordinator_pavlodar").post(
        url("body_close", network.pavlodar_house.pk),
        {"closed_on": "2000-01-01", "reason": "Test"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["closed_on"]
    network.pavlodar_house.refresh_from_db()
    assert network.pavlodar_house.status == Organisation.Status.ACTIVE


def test_body_staff_can_edit_their_house_but_not_close_it(as_user, network):
    client = as_user("staff_pavlodar_house")
    house = network.pavlodar_house
    response = client.post(
        url("body_edit", house.pk),
        {
            "name_kk": house.name_kk,
            "name_ru": house.name_ru,
            "name_en": house.name_en,
            "region": house.region_id,
            "phone": "+7 7182 000000",
        },
    )
    assert response.status_code == 302
    house.refresh_from_db()
    assert house.phone == "+7 7182 000000"
    assert client.get(url("body_close", house.pk)).status_code == 403
    response = client.post(url("body_close", house.pk), {"closed_on": "2025-01-01", "reason": "x"})
    assert response.status_code == 403
    house.refresh_from_db()
    assert house.status == Organisation.Status.ACTIVE
    assert not client.get(url("body", house.pk)).context["can_close"]


def test_body_staff_cannot_edit_the_regional_assembly_above_them(as_user, network):
    client = as_user("staff_pavlodar_house")
    assert client.get(url("body_edit", network.pavlodar.pk)).status_code == 404


def test_analyst_cannot_edit_a_body_in_scope(as_user, network):
    assert as_user("analyst").get(url("body_edit", network.pavlodar.pk)).status_code == 403


def test_registering_a_person_needs_the_consent_date_and_a_valid_iin(as_user, network):
    client = as_user("staff_pavlodar_house")
    response = client.post(
        url("person_create", network.pavlodar_house.pk),
        {"last_name": "Ахметова", "first_name": "Айгүл", "iin": "123456789012"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "consent_given_on" in errors
    response = client.post(
        url("person_create", network.pavlodar_house.pk),
        {
            "last_name": "Ахметова",
            "first_name": "Айгүл",
            "iin": "123456789012",
            "consent_given_on": "2025-03-01",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["iin"]
    assert not Person.objects.filter(last_name="Ахметова").exists()


def test_registering_a_person_then_recording_a_term(as_user, network):
    client = as_user("staff_pavlodar_house")
    iin = make_iin(datetime.date(1990, 1, 1), "f", 2)
    response = client.post(
        url("person_create", network.pavlodar_house.pk),
        {
            "last_name": "Ахметова",
            "first_name": "Айгүл",
            "iin": iin,
            "consent_given_on": "2025-03-01",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(last_name="Ахметова")
    assert person.iin_last4 == iin[-4:]
    response = client.post(
        url("membership_add", network.pavlodar_house.pk),
        {"person": person.pk, "role": "staff", "position": "Методист", "start_date": "2025-03-02"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(person=person)
    assert membership.organisation == network.pavlodar_house
    assert AuditEntry.objects.filter(
        object_type="registry.Membership", object_id=str(membership.pk), action="create"
    ).exists()
    page = client.get(url("person", person.pk)).content.decode()
    assert iin not in page

    response = client.post(url("membership_end", membership.pk), {"end_date": "2025-12-31"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == datetime.date(2025, 12, 31)


def test_a_person_out_of_scope_cannot_be_added_to_a_body(as_user, network):
    response = as_user("coordinator_pavlodar").post(
        url("membership_add", network.pavlodar_house.pk),
        {"person": network.almaty_person.pk, "role": "member", "start_date": "2025-03-02"},
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(
        person=network.almaty_person, organisation=network.pavlodar_house
    ).exists()


def test_member_search_on_the_add_page_finds_people_in_scope_only(as_user, network):
    client = as_user("coordinator_pavlodar")
    response = client.get(url("membership_add", network.pavlodar_house.pk), {"q": "Жұмабаев"})
    assert [p.pk for p in response.context["candidates"]] == [network.pavlodar_person.pk]
    response = client.get(url("membership_add", network.pavlodar_house.pk), {"q": "Ким"})
    assert response.context["candidates"] == []


def test_editing_a_person_keeps_the_iin_when_left_empty(as_user, network):
    person = network.pavlodar_person
    response = as_user("coordinator_pavlodar").post(
        url("person_edit", person.pk),
        {"last_name": person.last_name, "first_name": "Бауыржан", "iin": ""},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.first_name == "Бауыржан"
