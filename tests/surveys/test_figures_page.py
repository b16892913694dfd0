"""The public method page of the index of interethnic trust: generated from the stored runs of
published waves (change the run, the page changes), suppressed regions without a number on the
map and in the tables, the change between waves marked significant only when its interval
excludes 0, and a plain page while nothing is published."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone, translation

from birlik.surveys import trust_index
from birlik.surveys.models import Survey

from .results_helpers import HIDDEN_VALUE, INDEX, cell, index_cells, make_run, trust_wave

pytestmark = pytest.mark.django_db

PAGE = "/en/figures/trust-index/"


def wave_url(survey: Survey, language: str = "en") -> str:
    return f"/{language}/figures/trust-index/{survey.slug}/"


def text_of(response) -> str:
    """The page's text without tags, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text)


def test_with_nothing_published_the_page_says_so_in_kazakh(client, network):
    trust_wave(network.root, published=False)
    response = client.get("/kk/figures/trust-index/")
    assert response.status_code == 200
    with translation.override("kk"):
        expected = translation.gettext("No wave of the survey has been published yet.")
    assert expected in response.content.decode()
    assert "66,4" not in response.content.decode()


def test_the_items_and_the_formula_come_from_the_one_definition(client, network):
    trust_wave(network.root)
    for language in ("kk", "ru", "en"):
        page = client.get(f"/{language}/figures/trust-index/").content.decode()
        for item in trust_index.ITEMS:
            assert item.text[language] in page
            assert item.label_min[language] in page
            assert item.label_max[language] in page
    page = text_of(client.get(PAGE))
    assert f"at least {trust_index.MIN_ANSWERED} of the {len(trust_index.ITEMS)} questions" in page
    assert f"an index of {trust_index.TRUSTING_FROM} or more" in page


def test_the_numbers_of_the_page_are_those_of_the_latest_run(client, network):
    survey = trust_wave(network.root, national=66.4)
    page = text_of(client.get(PAGE))
    assert "66.4" in page
    assert "64.8–68" in page  # 66.4 ± 1.96 × 0.8, rounded to one decimal
    assert "71.2" in page  # Pavlodar
    assert "61.4 %" in page  # trusting, over everyone
    assert "1,500" in page  # respondents weighted
    assert "1.239" in page  # design effect
    assert "1,211" in page  # effective number: 1,500 / 1.239
    assert "Bureau of National Statistics" in page and "2021 census, all ages" in page
    assert "0.82" in page  # Cronbach's alpha
    make_run(
        survey,
        [cell(INDEX, "all", "", 58.1, n=1400), cell(INDEX, "region", "KZ-55", 59.9, n=690)],
        n=1400,
        created_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    page = text_of(client.get(PAGE))
    assert "58.1" in page and "59.9" in page
    assert "66.4" not in page and "71.2" not in page


def test_a_suppressed_region_has_no_number_and_is_hatched_on_the_map(client, network):
    trust_wave(network.root)
    response = client.get(PAGE)
    html = response.content.decode()
    assert str(HIDDEN_VALUE) not in html and "13.6" not in html
    almaty = re.search(r"<title>Almaty: [^<]*</title>", html)  # the city, KZ-75
    assert almaty is not None and "too few respondents" in almaty.group(0)
    assert re.search(r'<path d="[^"]+" fill="url\(#chart-map-[0-9a-f]+-hatch\)"', html)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">Almaty</th>(.*?)</tr>", html, flags=re.S)
    assert rows and all("too few respondents" in row for row in rows)


def test_caution_cells_carry_a_mark_explained_under_the_table(client, network):
    trust_wave(network.root)
    html = client.get(PAGE).content.decode()
    row = re.search(r"<th scope=\"row\">Russians?[^<]*</th>(.*?)</tr>", html, flags=re.S)
    assert row is not None, "the Russian group's row"
    assert 'href="#caution-note"' in row.group(1)
    assert 'id="caution-note"' in html


def test_a_change_between_waves_is_significant_only_when_its_interval_excludes_zero(
    client, network
):
    trust_wave(network.root, year=2024, national=60.0, se=1.0)
    trust_wave(network.root, year=2025, national=62.0, se=1.0)  # 2 ± 2.77: not significant
    page = text_of(client.get(PAGE))
    assert "not significant (the interval includes 0)" in page
    assert "a significant change" not in page
    trust_wave(network.root, year=2026, national=66.0, se=1.0)  # 4 ± 2.77 from 2025
    page = text_of(client.get(PAGE))
    assert page.count("a significant change") == 1
    assert "4 points (interval at 95 %: 1.2 to 6.8)" in page


def test_only_country_wide_waves_make_the_national_series(client, network):
    trust_wave(network.root, year=2025, national=66.4)
    regional = trust_wave(network.pavlodar, year=2025, wave=2, national=77.7, regions=["KZ-55"])
    page = text_of(client.get(PAGE))
    assert "some regions only" in page
    chart = re.search(r"<svg[^>]*>.*?</svg>", client.get(PAGE).content.decode(), flags=re.S)
    assert chart is not None and "77.7" not in chart.group(0)
    wave = text_of(client.get(wave_url(regional)))
    assert "77.7" in wave and "some regions only" in wave


def test_a_low_alpha_is_said(client, network):
    survey = trust_wave(network.root)
    make_run(survey, index_cells(), alpha=0.61, created_at=timezone.now() + datetime.timedelta(1))
    page = text_of(client.get(PAGE))
    assert "0.61" in page
    assert "below 0.7: the questions hang together less than an index needs" in page


def test_a_wave_page_is_public_only_once_published(client, network):
    published = trust_wave(network.root)
    hidden = trust_wave(network.root, year=2026, published=False)
    assert client.get(wave_url(published)).status_code == 200
    assert client.get(wave_url(hidden)).status_code == 404
    assert client.get("/en/figures/trust-index/no-such-wave/").status_code == 404
    page = text_of(client.get(PAGE))
    assert str(hidden.title) not in page


def test_the_wave_page_has_every_breakdown(client, network):
    survey = trust_wave(network.root)
    page = text_of(client.get(wave_url(survey)))
    for heading in ("By region", "By ethnic group", "By sex"):
        assert heading in page
    assert "68.3" in page and "67" in page and "65.8" in page


def test_the_pages_cost_a_fixed_number_of_queries(client, network, django_assert_max_num_queries):
    for year in (2023, 2024, 2025, 2026):
        trust_wave(network.root, year=year)
    with django_assert_max_num_queries(12):
        assert client.get(PAGE).status_code == 200
    survey = Survey.objects.filter(year=2026).get()
    with django_assert_max_num_queries(12):
        assert client.get(wave_url(survey)).status_code == 200


def test_the_public_figures_page_links_to_the_index_once_a_wave_is_published(client, network):
    trust_wave(network.root, published=False)
    assert "/en/figures/trust-index/" not in client.get("/en/figures/").content.decode()
    trust_wave(network.root, year=2026)
    from django.core.cache import cache

    cache.clear()
    assert "/en/figures/trust-index/" in client.get("/en/figures/").content.decode()
