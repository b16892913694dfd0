"""What the phone-first portal adds: the home search box, the labelled map with its pins, the
calendar's suggestions when nothing matches, and a body's address on a map."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from birlik.geo import map as region_map
from tests.factories import kind

from .events_data import in_days, make_event
from .helpers import main, result_names, text

pytestmark = pytest.mark.django_db


def links(fragment: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'<a [^>]*?href="([^"]*)"', fragment)]


def test_the_home_search_box_searches_bodies_and_events_by_name_and_region(client, network):
    make_event(network, title="Достық фестивалі", starts_at=in_days(3))
    page = main(client.get("/kk/"))
    form = re.search(
        r'<form method="get" action="([^"]*)" class="home-search".*?</form>', page, re.S
    )

    assert form is not None
    assert form[1] == "/kk/search/"
    assert 'type="search" name="q"' in form[0]
    assert form[0].count("<option") == 21  # every region and "all regions"
    # What the box sends is understood by the search page: the name and the region together.
    found = client.get("/kk/search/", {"q": "Достық", "region": "KZ-55"})
    assert result_names(found) == ["Павлодар облысының Достық үйі"]
    assert "Достық фестивалі" in text(found)


def test_the_search_box_and_the_next_events_come_before_the_map_and_the_figures(client, network):
    make_event(network, title_en="Friendship festival", starts_at=in_days(3))

    page = main(client.get("/en/"))

    order = [
        page.index(marker)
        for marker in ('class="home-search"', "Friendship festival", 'id="map"', 'id="figures"')
    ]
    assert order == sorted(order)


def test_the_kind_by_kind_table_moved_to_the_figures_page(client, network):
    response = client.get("/en/")

    with translation.override("en"):
        figures_page = reverse("reports_portal:dashboard")

    assert "Active bodies by kind" not in text(response)
    assert figures_page in links(main(response))


def test_the_map_names_every_region_and_pins_the_houses_of_friendship(client, network):
    page = main(client.get("/ru/"))
    labels = re.findall(r"<text [^>]*>([^<]+)</text>", page)

    assert len(labels) == 20
    assert "Павлодарская" in labels  # «область» left out
    assert "ЗКО" in labels  # the usual abbreviation of the longest names
    assert "город Алматы" in labels  # a city in full, beside its pin
    # One pin per region with an active House of Friendship: Pavlodar Region and Almaty.
    pins = re.search(r'<g class="map-pins"[^>]*>(.*?)</g>', page, re.S)
    assert pins is not None
    assert pins[1].count("<circle ") == 2


def test_the_regions_table_links_each_regions_houses_of_friendship(client, network):
    page = main(client.get("/en/"))
    table = re.search(r'<table class="regions">(.*?)</table>', page, re.S)

    assert table is not None
    houses = [href for href in links(table[1]) if "kind=" in href]
    assert len(houses) == 2
    query = parse_qs(urlsplit(houses[0]).query)
    assert query["kind"] == ["house_of_friendship"]
    response = client.get(houses[0])
    assert all("House of Friendship" in name for name in result_names(response))


def test_map_labels_stay_inside_the_map_however_long_the_name():
    width = int(region_map.shape().view_box.split()[2])
    long_name = "Западно-Казахстанская область и ещё очень длинное название"

    placed = region_map.label("KZ-23", long_name, language="ru")

    assert placed is not None and not placed.city
    half = len(placed.text) * 26 * 0.3
    assert placed.x - half >= 0
    assert placed.x + half <= width or half * 2 > width


def test_an_empty_calendar_offers_to_clear_each_filter(client, network):
    make_event(network, starts_at=in_days(3))  # a festival

    response = client.get("/en/events/", {"kind": "training", "region": "KZ-55"})

    page = main(response)
    assert "No event matches these filters. Change the search:" in text(response)
    suggestions = re.search(r'<div class="empty-result">(.*?)</div>', page, re.S)
    assert suggestions is not None
    kept = {
        label: parse_qs(urlsplit(href).query)
        for href, label in re.findall(r'<a href="([^"]*)">([^<]*)</a>', suggestions[1])
    }
    assert kept == {
        html.escape("Clear the filter “Region”"): {"kind": ["training"]},
        html.escape("Clear the filter “Kind of event”"): {"region": ["KZ-55"]},
    }
    # Following the suggestion finds the festival.
    assert "Friendship festival" in text(client.get("/en/events/", {"region": "KZ-55"}))


def test_an_empty_period_offers_the_next_month(client, network):
    response = client.get("/en/events/", {"date_from": "2030-01-01", "date_to": "2030-01-31"})

    suggestions = re.search(r'<div class="empty-result">(.*?)</div>', main(response), re.S)
    assert suggestions is not None
    hrefs = links(suggestions[1])
    assert len(hrefs) == 1
    assert parse_qs(urlsplit(hrefs[0]).query) == {
        "date_from": ["2030-02-01"],
        "date_to": ["2030-03-03"],
    }
    assert "01.02.2030 – 03.03.2030" in text(response)


def test_an_empty_calendar_without_filters_says_no_event_is_announced(client, network):
    response = client.get("/en/events/")

    assert "No upcoming events are announced yet." in text(response)
    assert 'class="empty-result"' not in main(response)


def test_the_calendar_filters_fold_behind_one_button_open_when_a_value_is_wrong(client, network):
    folded = main(client.get("/en/events/"))
    wrong = main(client.get("/en/events/", {"kind": "no-such-kind"}))

    assert '<details class="filters-fold">' in folded
    assert '<details class="filters-fold" open>' in wrong


def test_a_body_page_links_its_address_to_a_map(client, network):
    house = network.pavlodar_house
    house.address_kk = "Достық көшесі, 12"
    house.save()

    page = main(client.get(f"/kk/bodies/{house.pk}/"))

    osm = [href for href in links(page) if href.startswith("https://www.openstreetmap.org/")]
    assert len(osm) == 1
    assert parse_qs(urlsplit(osm[0]).query)["query"] == ["Достық көшесі, 12, Павлодар облысы"]
    # Nothing is loaded from the map's site: a plain link only.
    assert "openstreetmap" not in re.sub(r'<a [^>]*?href="[^"]*"', "", page)


def test_a_body_page_without_an_address_has_no_map_link(client, network):
    elders = network.pavlodar_elders
    assert kind("elders_council") == elders.kind and not elders.address

    page = main(client.get(f"/kk/bodies/{elders.pk}/"))

    assert "openstreetmap" not in page
