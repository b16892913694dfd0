"""The directory of bodies: search in any language and spelling, filters, pages, query count."""

from __future__ import annotations

import datetime

import pytest

from birlik.registry.models import EthnicGroup
from tests.factories import OrganisationFactory, district_of, kind, region

from .helpers import main, result_names, text

pytestmark = pytest.mark.django_db

PAVLODAR_HOUSE = "House of Friendship of Pavlodar Region"
ALMATY_HOUSE = "House of Friendship of Almaty City"


def search(client, language="en", **params):
    return client.get(f"/{language}/bodies/", params)


def association(network, group_code: str, name: str):
    return OrganisationFactory(
        parent=network.pavlodar_house,
        kind=kind("ethnocultural_association"),
        region=region("KZ-55"),
        name_kk=name,
        name_ru=name,
        name_en=name,
        ethnic_groups=[EthnicGroup.objects.get(code=group_code)],
    )


def test_directory_lists_every_body_sorted_by_name_in_the_visitor_language(client, network):
    response = search(client)

    assert response.status_code == 200
    assert result_names(response) == [
        "Assembly of Almaty City",
        "Assembly of Pavlodar Region",
        "Council of Elders",
        ALMATY_HOUSE,
        PAVLODAR_HOUSE,
        "Secretariat of the Assembly",
    ]
    assert "6 bodies found" in text(response)


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("kk", "Павлодар Достық", ["Павлодар облысының Достық үйі"]),
        ("ru", "дом дружбы Павлодар", ["Дом дружбы Павлодарской области"]),
        ("en", "friendship pavlodar", [PAVLODAR_HOUSE]),
        ("en", "dostyk pavlodar", [PAVLODAR_HOUSE]),
        ("kk", "Достык уйи Алматы", ["Алматы қаласының Достық үйі"]),
        ("ru", "ДОСТЫҚ алматы", ["Дом дружбы города Алматы"]),
        ("en", "aksakaldar", ["Council of Elders"]),
    ],
)
def test_directory_finds_a_body_by_any_of_its_names_and_spellings(
    client, network, language, query, expected
):
    response = search(client, language, q=query)

    assert response.status_code == 200
    assert result_names(response) == expected


def test_directory_search_in_latin_finds_the_kazakh_name(client, network):
    response = search(client, "kk", q="dostyk")

    assert result_names(response) == [
        "Алматы қаласының Достық үйі",
        "Павлодар облысының Достық үйі",
    ]


def test_directory_search_with_no_match_says_so(client, network):
    response = search(client, q="nonexistent body")

    assert result_names(response) == []
    assert "No body matches this search." in text(response)


def test_directory_filters_by_region(client, network):
    response = search(client, region="KZ-75")

    assert result_names(response) == ["Assembly of Almaty City", ALMATY_HOUSE]


def test_directory_filters_by_kind(client, network):
    response = search(client, kind="house_of_friendship")

    assert result_names(response) == [ALMATY_HOUSE, PAVLODAR_HOUSE]


def test_directory_filters_by_district_and_offers_only_that_region_districts(client, network):
    district = district_of("KZ-55")

    response = search(client, region="KZ-55", district=district.kato)

    assert result_names(response) == ["Council of Elders"]
    html = main(response)
    assert f'value="{district.kato}" selected' in html
    assert 'value="751' not in html  # no district of Almaty city is offered


def test_directory_with_a_district_alone_takes_its_region(client, network):
    response = search(client, district=district_of("KZ-55").kato)

    assert result_names(response) == ["Council of Elders"]
    assert 'value="KZ-55" selected' in main(response)


def test_directory_filters_by_ethnic_group(client, network):
    association(network, "uzbek", "Uzbek ethnocultural centre")
    association(network, "russian", "Russian community")

    response = search(client, ethnic_group="uzbek")

    assert result_names(response) == ["Uzbek ethnocultural centre"]


def test_directory_filters_by_parent_body(client, network):
    response = search(client, parent=network.pavlodar.pk)

    assert result_names(response) == ["Council of Elders", PAVLODAR_HOUSE]
    assert "Showing the bodies directly under" in text(response)


def test_directory_combines_search_and_filters(client, network):
    response = search(client, q="dostyk", region="KZ-55", kind="house_of_friendship")

    assert result_names(response) == [PAVLODAR_HOUSE]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "XX"}, "Unknown region: choose one from the list."),
        ({"kind": "castle"}, "Unknown kind of body: choose one from the list."),
        ({"ethnic_group": "martians"}, "Unknown ethnic group: choose one from the list."),
        ({"district": "999999999"}, "Unknown district: choose one from the list."),
        ({"parent": "abc"}, "Unknown body: the list is shown without this filter."),
        ({"parent": "987654"}, "Unknown body: the list is shown without this filter."),
        ({"q": "x" * 201}, "The search text is too long: use at most 200 letters."),
    ],
)
def test_directory_ignores_a_bad_filter_value_and_says_so(client, network, params, message):
    response = search(client, **params)

    assert response.status_code == 200
    assert message in text(response)
    assert len(result_names(response)) == 6


def test_directory_keeps_the_good_filters_when_another_is_bad(client, network):
    response = search(client, region="KZ-75", kind="castle")

    assert response.status_code == 200
    assert "Unknown kind of body" in text(response)
    assert result_names(response) == ["Assembly of Almaty City", ALMATY_HOUSE]


def test_directory_rejects_a_district_of_another_region(client, network):
    response = search(client, region="KZ-75", district=district_of("KZ-55").kato)

    assert response.status_code == 200
    assert "This district is not in the chosen region" in text(response)
    assert result_names(response) == ["Assembly of Almaty City", ALMATY_HOUSE]


def many_bodies(network, count: int) -> None:
    for number in range(count):
        OrganisationFactory(
            parent=network.almaty_house,
            kind=kind("ethnocultural_association"),
            region=region("KZ-75"),
            name_kk=f"Бірлестік {number:04d}",
            name_ru=f"Объединение {number:04d}",
            name_en=f"Association {number:04d}",
        )


def test_directory_is_paginated_by_25(client, network):
    many_bodies(network, 30)

    first = search(client, kind="ethnocultural_association")
    second = search(client, kind="ethnocultural_association", page="2")

    assert len(result_names(first)) == 25
    assert result_names(second)[-1] == "Association 0029"
    assert "Page 2 of 2" in text(second)
    assert "kind=ethnocultural_association&amp;page=2" in main(first)


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5", ""])
def test_directory_answers_any_page_number_with_a_valid_page(client, network, page):
    many_bodies(network, 30)

    response = search(client, page=page)

    assert response.status_code == 200
    assert len(result_names(response)) in {25, 11}


# Anonymous visitor, filters region + kind + ethnic group + search: count, page, the selects
# of the form (regions, districts, kinds, ethnic groups) and the validation of three filters.
FILTERED_QUERIES = 6  # the same, plus one look-up per filter value (region, kind, group)
UNFILTERED_QUERIES = 3  # count, the page's ids, their rows


@pytest.mark.parametrize("size", [10, 120])
def test_directory_costs_the_same_number_of_queries_for_few_or_many_results(
    client, network, django_assert_num_queries, size
):
    many_bodies(network, size)
    for body in list(network.almaty_house.get_children())[::2]:
        body.ethnic_groups.add(EthnicGroup.objects.get(code="korean"))

    search(client)  # the select options are reference data, cached after the first request
    with django_assert_num_queries(UNFILTERED_QUERIES):
        response = search(client)
    assert len(result_names(response)) == min(size + 6, 25)

    params = {"q": "association", "region": "KZ-75", "kind": "ethnocultural_association"}
    search(client, ethnic_group="korean", **params)
    with django_assert_num_queries(FILTERED_QUERIES):
        response = search(client, ethnic_group="korean", **params)
    assert len(result_names(response)) == min(size // 2, 25)


def test_directory_marks_closed_bodies(client, network):
    OrganisationFactory(
        parent=network.pavlodar,
        kind=kind("mothers_council"),
        region=region("KZ-55"),
        name_en="Former mothers' council",
        status="closed",
        closed_on=datetime.date(2024, 5, 1),
    )

    response = search(client, kind="mothers_council")

    assert result_names(response) == ["Former mothers' council"]
    assert 'class="badge badge-closed">Closed</span>' in main(response)


@pytest.mark.parametrize(
    ("language", "name"),
    [("kk", "Ақсақалдар кеңесі"), ("ru", "Совет аксакалов"), ("en", "Council of Elders")],
)
def test_directory_renders_in_each_language(client, network, language, name):
    response = search(client, language, kind="elders_council")

    assert response.status_code == 200
    assert result_names(response) == [name]
    assert main(response).count("<h1>") == 1
