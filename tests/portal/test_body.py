"""A body's public page: what, where, contacts, parent and children, member counts only."""

from __future__ import annotations

import datetime

import pytest

from birlik.registry.models import EthnicGroup, Membership
from tests.factories import (
    MembershipFactory,
    OpeningHoursFactory,
    OrganisationFactory,
    PersonFactory,
    kind,
    region,
)

from .helpers import main, result_names, text

pytestmark = pytest.mark.django_db


def test_body_page_shows_kind_place_and_contacts(client, network):
    house = network.pavlodar_house
    house.address_en = "12 Satpayev Street, Pavlodar"
    house.phone = "+7 718 232 45 67"
    house.email = "dostyk@example.kz"
    house.website = "https://dostyk.example.kz/"
    house.description_en = "Language courses and festivals of the peoples of the region."
    house.save()

    response = client.get(f"/en/bodies/{house.pk}/")

    assert response.status_code == 200
    page = text(response)
    assert "House of Friendship of Pavlodar Region" in page
    assert "Language courses and festivals" in page
    assert "Pavlodar Region" in page
    assert "12 Satpayev Street, Pavlodar" in page
    html = main(response)
    assert 'href="tel:+77182324567"' in html
    assert 'href="mailto:dostyk@example.kz"' in html
    assert 'href="https://dostyk.example.kz/"' in html
    assert html.count("<h1>") == 1


def test_body_page_links_to_its_parent_and_lists_its_active_children(client, network):
    OrganisationFactory(
        parent=network.pavlodar,
        kind=kind("mothers_council"),
        region=region("KZ-55"),
        name_en="Closed mothers' council",
        status="closed",
        closed_on=datetime.date(2024, 1, 1),
    )

    response = client.get(f"/en/bodies/{network.pavlodar.pk}/")

    html = main(response)
    assert f'<a href="/en/bodies/{network.root.pk}/">Secretariat of the Assembly</a>' in html
    assert result_names(response) == ["Council of Elders", "House of Friendship of Pavlodar Region"]
    assert "Closed mothers' council" not in text(response)
    assert "2 active bodies under this one" in text(response)


def test_body_page_caps_a_long_list_of_children_with_a_link_to_the_directory(client, network):
    for number in range(23):
        OrganisationFactory(
            parent=network.pavlodar_house,
            kind=kind("ethnocultural_association"),
            region=region("KZ-55"),
            name_en=f"Association {number:02d}",
        )

    response = client.get(f"/en/bodies/{network.pavlodar_house.pk}/")

    assert len(result_names(response)) == 20
    assert "23 active bodies under this one" in text(response)
    link = f'<a href="/en/bodies/?parent={network.pavlodar_house.pk}">See all 23 bodies'
    assert link in main(response)
    listed = client.get(f"/en/bodies/?parent={network.pavlodar_house.pk}")
    assert "23 bodies found" in text(listed)


def test_body_page_shows_member_counts_by_role_and_no_names(client, network):
    elders = network.pavlodar_elders
    chair = PersonFactory(registered_by=elders, last_name="Тоқтаров", first_name="Серік")
    MembershipFactory(person=chair, organisation=elders, role=Membership.Role.CHAIR)
    for _ in range(2):
        MembershipFactory(organisation=elders, person__registered_by=elders)
    MembershipFactory(
        organisation=elders,
        person__registered_by=elders,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )

    response = client.get(f"/en/bodies/{elders.pk}/")

    html = main(response)
    assert '<th scope="row">Chair</th><td class="num">1</td>' in html
    assert '<th scope="row">Member</th><td class="num">3</td>' in html
    page = text(response)
    for person in (chair, network.pavlodar_person):
        assert person.last_name not in page
        assert person.first_name not in page


def test_body_page_lists_the_ethnic_groups_of_an_association(client, network):
    association = OrganisationFactory(
        parent=network.pavlodar_house,
        kind=kind("ethnocultural_association"),
        region=region("KZ-55"),
        ethnic_groups=[EthnicGroup.objects.get(code="ukrainian")],
    )

    response = client.get(f"/en/bodies/{association.pk}/")

    assert "Ukrainians" in text(response)
    assert 'href="/en/bodies/?ethnic_group=ukrainian"' in main(response)


def test_body_page_marks_a_closed_body_with_its_closing_date(client, network):
    closed = OrganisationFactory(
        parent=network.pavlodar,
        kind=kind("mothers_council"),
        region=region("KZ-55"),
        status="closed",
        closed_on=datetime.date(2024, 5, 1),
    )

    response = client.get(f"/en/bodies/{closed.pk}/")

    assert response.status_code == 200
    assert 'class="badge badge-closed">Closed on 1 May 2024</span>' in main(response)


def test_body_page_of_an_unknown_body_is_not_found(client, network):
    assert client.get("/en/bodies/999999/").status_code == 404


@pytest.mark.parametrize(
    ("language", "name", "region_name"),
    [
        ("kk", "Павлодар облысының Достық үйі", "Павлодар облысы"),
        ("ru", "Дом дружбы Павлодарской области", "Павлодарская область"),
        ("en", "House of Friendship of Pavlodar Region", "Pavlodar Region"),
    ],
)
def test_body_page_renders_in_each_language(client, network, language, name, region_name):
    response = client.get(f"/{language}/bodies/{network.pavlodar_house.pk}/")

    assert response.status_code == 200
    assert f"<h1>{name}</h1>" in main(response)
    assert region_name in text(response)


def test_language_switch_keeps_the_body_page_and_its_query_string(client, network):
    pk = network.pavlodar_house.pk

    response = client.get(f"/kk/bodies/{pk}/?from=map")

    body = response.content.decode()
    assert f'href="/ru/bodies/{pk}/?from=map" lang="ru"' in body
    assert f'href="/en/bodies/{pk}/?from=map" lang="en"' in body


def test_language_switch_keeps_the_directory_search(client, network):
    response = client.get("/kk/bodies/", {"q": "dostyk", "region": "KZ-55"})

    assert 'href="/ru/bodies/?q=dostyk&amp;region=KZ-55" lang="ru"' in response.content.decode()


def test_body_page_costs_a_fixed_number_of_queries(client, network, django_assert_num_queries):
    for _ in range(30):
        OrganisationFactory(
            parent=network.pavlodar_house,
            kind=kind("ethnocultural_association"),
            region=region("KZ-55"),
        )
    for weekday in range(6):
        OpeningHoursFactory(organisation=network.pavlodar_house, weekday=weekday)
        OpeningHoursFactory(
            organisation=network.pavlodar_house,
            weekday=weekday,
            opens=datetime.time(14),
            closes=datetime.time(18),
        )
    # The body, its week of opening hours, its parent, the first children and their count, the
    # member counts, its next events.
    with django_assert_num_queries(7):
        response = client.get(f"/en/bodies/{network.pavlodar_house.pk}/")
    assert len(result_names(response)) == 20
