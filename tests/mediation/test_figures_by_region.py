"""Mediation figures by region: each region named in the reader's language, the cases of
national centres (no region) under «Республикалық ұйымдар», never "none" or a dash; counts
grouped with no-break spaces; no query per region."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from birlik.access.models import Grant, Role
from birlik.mediation import services

from ..factories import GrantFactory, OrganisationFactory, UserFactory, kind, region

NATIONAL = {"kk": "Республикалық ұйымдар", "ru": "Республиканские организации"}


def _national_centre(network, **names):
    centre = OrganisationFactory(
        parent=network.root, kind=kind("mediation_centre"), region=None, **names
    )
    GrantFactory(user=UserFactory(), role=Role.CENTRE_HEAD, organisation=centre)
    return centre


def _open(centre, count: int = 1) -> None:
    head = Grant.objects.filter(organisation=centre, role=Role.CENTRE_HEAD).first().user
    for n in range(count):
        services.case_open(
            actor=head,
            centre=centre,
            kind="labour",
            source="walk_in",
            parties=[services.PartyData(name=f"Party {n}"), services.PartyData(name=f"Other {n}")],
            consent=True,
        )


@pytest.fixture
def national_centre(med, network):
    centre = _national_centre(
        network,
        name_en="National Mediation Centre",
        name_kk="Республикалық медиация орталығы",
        name_ru="Республиканский центр медиации",
    )
    _open(centre, 2)
    return centre


def _rows(html: str) -> list[str]:
    """The row headings of the "By region" table."""
    table = html.split('id="by-region-heading"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<th scope="row">([^<]*)</th>', table)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_figures_page_names_regions_in_the_language_and_the_national_bucket(
    client, med, national_centre, language
):
    client.force_login(med.head)
    response = client.get(f"/{language}/workspace/mediation/figures/")
    assert response.status_code == 200
    almaty = getattr(region("KZ-75"), f"name_{language}")
    assert _rows(response.text) == [almaty, NATIONAL[language]]
    assert "none" not in _rows(response.text) and "—" not in _rows(response.text)


def test_the_figures_page_in_english_says_national_bodies(client, med, national_centre):
    client.force_login(med.head)
    response = client.get("/en/workspace/mediation/figures/")
    assert _rows(response.text) == ["Almaty", "National bodies"]


def test_the_figures_page_costs_the_same_for_one_region_and_many(
    client, med, network, django_assert_max_num_queries
):
    client.force_login(med.head)
    url = reverse("mediation:figures")
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    _open(med.pavlodar_centre, 3)
    _open(_national_centre(network), 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(_rows(response.text)) == 3


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_public_page_lists_national_centres_under_the_national_bucket(
    client, med, national_centre, language
):
    response = client.get(f"/{language}/mediation/")
    assert response.status_code == 200
    assert f"<h3>{NATIONAL[language]}</h3>" in response.text
    assert f"<h3>{getattr(region('KZ-75'), f'name_{language}')}</h3>" in response.text


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_public_every_figure_page_shows_the_national_bucket_not_none(
    client, med, national_centre, language
):
    response = client.get(f"/{language}/figures/all/")
    assert response.status_code == 200
    received = response.text.split('id="mediationreceived-heading"', 1)[1].split("</section>")[0]
    rows = re.findall(r'<th scope="row">([^<]*)</th>', received)
    assert NATIONAL[language] in rows
    assert getattr(region("KZ-75"), f"name_{language}") in rows
    assert "none" not in rows


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_counts_of_cases_are_grouped(client, med, language, monkeypatch):
    from birlik.mediation import queries

    real = queries.anonymous_counts

    def many(**kwargs):
        counts = real(**kwargs)
        counts["total"] = 1_250_000
        counts["by_region"][0]["total"] = 12_500
        return counts

    monkeypatch.setattr(queries, "anonymous_counts", many)
    client.force_login(med.head)
    response = client.get(f"/{language}/workspace/mediation/figures/")
    assert "1\xa0250\xa0000" in response.text
    assert '<td class="num">12\xa0500</td>' in response.text
