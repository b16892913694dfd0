"""The home page: live figures from the registry and the choropleth map of the 20 regions."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from birlik.core import kpi
from birlik.core.templatetags.birlik_format import number
from birlik.registry.models import Membership
from tests.factories import MembershipFactory, OrganisationFactory, district_of, kind, region

from .helpers import figure, main, text

pytestmark = pytest.mark.django_db


def add_elders_council(network, members: int):
    council = OrganisationFactory(
        parent=network.pavlodar,
        kind=kind("elders_council"),
        region=region("KZ-55"),
        district=district_of("KZ-55"),
        name_kk="Екібастұз ақсақалдар кеңесі",
    )
    for _ in range(members):
        MembershipFactory(organisation=council, person__registered_by=council)
    return council


def test_home_shows_figures_counted_from_the_registry(client, network):
    response = client.get("/en/")

    assert response.status_code == 200
    assert figure(response, "Active bodies of the Assembly") == 6
    assert figure(response, "Members of councils of elders") == 1
    assert figure(response, "Members of mothers' councils") == 0
    assert "Houses of Friendship" in text(response)


def test_home_figures_change_when_a_body_with_members_is_added(client, network):
    before = client.get("/en/")
    add_elders_council(network, members=3)
    kpi.invalidate()

    after = client.get("/en/")

    assert figure(after, "Active bodies of the Assembly") == (
        figure(before, "Active bodies of the Assembly") + 1
    )
    assert figure(after, "Members of councils of elders") == 4


def test_home_figures_are_served_from_the_cache_until_the_registry_changes(client, network):
    client.get("/en/")
    add_elders_council(network, members=2)

    stale = client.get("/en/")
    kpi.invalidate()
    fresh = client.get("/en/")

    assert figure(stale, "Members of councils of elders") == 1
    assert figure(fresh, "Members of councils of elders") == 3


def test_home_counts_mediators_mothers_and_youth_activists(client, network):
    centre = OrganisationFactory(
        parent=network.pavlodar, kind=kind("mediation_centre"), region=region("KZ-55")
    )
    mothers = OrganisationFactory(
        parent=network.pavlodar, kind=kind("mothers_council"), region=region("KZ-55")
    )
    youth = OrganisationFactory(
        parent=network.almaty, kind=kind("youth_branch"), region=region("KZ-75")
    )
    for _ in range(2):
        MembershipFactory(
            organisation=centre, person__registered_by=centre, role=Membership.Role.MEDIATOR
        )
    MembershipFactory(organisation=centre, person__registered_by=centre, role=Membership.Role.HEAD)
    MembershipFactory(organisation=mothers, person__registered_by=mothers)
    for _ in range(4):
        MembershipFactory(
            organisation=youth, person__registered_by=youth, role=Membership.Role.ACTIVIST
        )

    response = client.get("/en/")

    assert figure(response, "Mediators") == 2
    assert figure(response, "Members of mothers' councils") == 1
    assert figure(response, "Activists of the youth movement 'Assembly Zhastary'") == 4


def test_home_map_links_each_of_the_20_regions_to_the_directory(client, network):
    response = client.get("/kk/")
    svg = re.search(r'<section id="map".*?<svg(.*?)</svg>', response.content.decode(), re.S)

    assert svg is not None
    links = re.findall(r'<a href="/kk/bodies/\?region=(KZ-\d\d)"', svg[1])
    assert len(links) == 20
    assert len(set(links)) == 20
    assert svg[1].count('<path d="M') == 20
    assert "<title>Павлодар облысы" in svg[1]
    assert "<title>Pavlodar Region: 3 active bodies</title>" in client.get("/en/").content.decode()


def test_home_map_colours_regions_by_their_number_of_bodies(client, network):
    body = client.get("/en/").content.decode()

    def fill(iso: str) -> str:
        match = re.search(rf'region={iso}".*?fill="(#[0-9a-f]{{6}})"', body, re.S)
        assert match
        return match[1]

    assert fill("KZ-55") != fill("KZ-75") != fill("KZ-10")
    assert fill("KZ-10") == fill("KZ-79")


def test_home_map_has_a_text_legend_and_a_table_of_the_same_numbers(client, network):
    response = client.get("/en/")
    html = main(response)

    legend = re.search(r'<ul class="legend"[^>]*>(.*?)</ul>', html, re.S)
    assert legend is not None
    assert re.findall(r"</svg>([^<]+)</li>", legend[1]) == [
        "0",
        "1",
        "2",
        "3",
        "House of Friendship",
    ]
    table = re.search(r'<table class="regions">(.*?)</table>', html, re.S)
    assert table is not None
    assert "<caption>Active bodies by region</caption>" in table[1]
    assert table[1].count('<th scope="row">') == 20
    assert re.search(r"Pavlodar Region</a></th><td class=\"num\">3</td>", table[1])
    assert re.search(r">Almaty</a></th><td class=\"num\">2</td>", table[1])


@pytest.mark.parametrize(
    ("language", "region_name", "heading"),
    [
        ("kk", "Павлодар облысы", '<html lang="kk">'),
        ("ru", "Павлодарская область", '<html lang="ru">'),
        ("en", "Pavlodar Region", '<html lang="en">'),
    ],
)
def test_home_renders_in_each_language_with_region_names_in_it(
    client, network, language, region_name, heading
):
    response = client.get(f"/{language}/")

    assert response.status_code == 200
    assert heading in response.content.decode()
    assert region_name in text(response)
    assert main(response).count("<h1>") == 1


@pytest.mark.parametrize(
    ("language", "shown"),
    [("kk", "12\u00a0345"), ("ru", "12\u00a0345"), ("en", "12,345")],
)
def test_numbers_are_grouped_with_a_no_break_space_in_kazakh_and_russian(language, shown):
    with translation.override(language):
        assert number(12345) == shown
        assert number(0) == "0"


def test_home_reads_the_database_a_fixed_number_of_times_then_serves_from_the_cache(
    client, network, django_assert_num_queries
):
    for _ in range(20):
        add_elders_council(network, members=1)
    kpi.invalidate()

    # Bodies by kind, kind names, members by kind, mediators, bodies by region, regions;
    # whether the figures' rollups are built, events held, participants, upcoming events;
    # Houses of Friendship by region (the map's pins).
    with django_assert_num_queries(11):
        assert client.get("/en/").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/en/").status_code == 200
