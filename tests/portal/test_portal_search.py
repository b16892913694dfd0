"""The portal's search page and the calendar's text search: bodies and upcoming events found by
words of their kk/ru/en names in any case and spelling, in a region; the first five of each with
links to all; suggestions when nothing matches; fixed queries."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from birlik.events import services
from birlik.events.queries import events_matching
from tests.factories import OrganisationFactory, kind, region
from tests.queries import DataQueriesContext

from .events_data import in_days, make_event, make_past_event
from .helpers import main, result_names, text

pytestmark = pytest.mark.django_db


def event_titles(response) -> list[str]:
    block = re.search(r'<ul class="results events[^"]*"[^>]*>(.*?)</ul>', main(response), re.S)
    if block is None:
        return []
    found = re.findall(r'class="event-title"><a href="[^"]*">([^<]*)</a>', block[1])
    return [html.unescape(title) for title in found]


def link(response, label: str) -> str:
    found = re.search(r'<a class="more" href="([^"]*)">' + re.escape(label), main(response))
    assert found is not None, f"no link {label!r}"
    return html.unescape(found[1])


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# The event's titles: kk «Достық фестивалі», ru «Фестиваль дружбы», en "Friendship festival".
@pytest.mark.parametrize(
    "words",
    [
        "ДОСТЫҚ",  # Kazakh letters, upper case
        "достык",  # Kazakh letters typed as Russian ones
        "Фестивалі",  # another case of the first letter
        "ФЕСТИВАЛЬ ДРУЖБЫ",  # Russian, upper case, two words
        "дРуЖбЫ",
        "Dostyk",  # Latin spelling of the Kazakh title
        "FRIENDSHIP",
    ],
)
@pytest.mark.parametrize("path", ["/kk/search/", "/kk/events/"])
def test_events_are_found_by_words_of_their_kk_ru_or_en_title_in_any_case(
    client, network, path, words
):
    make_event(network, starts_at=in_days(2))
    make_event(
        network,
        title="Ана тілі мерекесі",
        title_ru="Праздник родного языка",
        title_en="Mother tongue day",
        starts_at=in_days(3),
    )

    response = client.get(path, {"q": words})

    assert response.status_code == 200
    assert event_titles(response) == ["Достық фестивалі"]


@pytest.mark.parametrize("words", ["фестиваль театр", "мерекесі", "Достық-фестивалі-2"])
def test_every_word_must_match_a_title(client, network, words):
    make_event(network, starts_at=in_days(2))

    assert event_titles(client.get("/en/events/", {"q": words})) == []


def test_a_new_title_is_found_and_the_old_one_no_more(client, network):
    event = make_event(network, starts_at=in_days(2))

    services.event_update(
        actor=network.users["admin"], event=event, data={"title_ru": "Вечер поэзии"}
    )

    assert event_titles(client.get("/ru/events/", {"q": "ПОЭЗИИ"})) == ["Вечер поэзии"]
    assert event_titles(client.get("/ru/events/", {"q": "дружбы"})) == []
    assert list(events_matching("поэзии")) == [event]


def test_an_empty_search_shows_the_form_only(client, network):
    make_event(network, starts_at=in_days(2))

    response = client.get("/kk/search/", {"q": "  "})

    page = main(response)
    assert response.status_code == 200
    assert 'role="search"' in page
    assert 'class="results' not in page
    assert "empty-result" not in page
    assert "Достық фестивалі" not in page


def test_the_search_finds_bodies_and_upcoming_events_of_the_region(client, network):
    make_event(network, starts_at=in_days(2))
    make_event(
        network,
        organiser=network.almaty_house,
        region=region("KZ-75"),
        title="Алматыдағы достық кеші",
        starts_at=in_days(3),
    )
    make_past_event(network, title="Өткен достық кездесуі", days_ago=5)

    response = client.get("/kk/search/", {"q": "достық", "region": "KZ-55"})

    assert result_names(response) == ["Павлодар облысының Достық үйі"]
    assert event_titles(response) == ["Достық фестивалі"]


def test_the_first_five_are_shown_with_links_to_all_results(client, network):
    for number in range(7):
        make_event(network, title=f"Достық кеші {number}", starts_at=in_days(1 + number))
    for number in range(6):
        OrganisationFactory(
            parent=network.pavlodar,
            kind=kind("ethnocultural_association"),
            region=region("KZ-55"),
            name_kk=f"Достық бірлестігі {number}",
        )

    response = client.get("/en/search/", {"q": "Достық", "region": "KZ-55"})

    assert len(result_names(response)) == 5
    assert len(event_titles(response)) == 5
    bodies = link(response, "All results in the directory: 7")
    events = link(response, "All results in the calendar: 7")
    assert urlsplit(bodies).path == "/en/bodies/"
    assert urlsplit(events).path == "/en/events/"
    assert query(bodies) == query(events) == {"q": ["Достық"], "region": ["KZ-55"]}
    assert "7 bodies found" in text(client.get(bodies))
    assert "7 upcoming events" in text(client.get(events))


def test_nothing_found_suggests_what_to_change(client, network):
    response = client.get("/en/search/", {"q": "жоқ сөз", "region": "KZ-55"})

    shown = text(response)
    assert "Nothing was found for “жоқ сөз” in Pavlodar Region. Change the search:" in shown
    empty = re.search(r'<div class="empty-result".*?</div>', main(response), re.S)
    assert empty is not None
    suggestions = {
        html.unescape(label): html.unescape(url)
        for url, label in re.findall(r'<a href="([^"]*)">([^<]*)</a>', empty[0])
    }
    assert query(suggestions["Search the whole country"]) == {"q": ["жоқ сөз"]}
    assert query(suggestions["Search only for “сөз”"]) == {"q": ["сөз"], "region": ["KZ-55"]}
    assert suggestions["Browse the directory of bodies"] == "/en/bodies/"
    assert suggestions["Open the calendar of events"] == "/en/events/"


def test_a_region_alone_lists_its_bodies_and_events(client, network):
    make_event(network, starts_at=in_days(2))

    response = client.get("/en/search/", {"region": "KZ-75"})

    assert result_names(response) == [
        "Assembly of Almaty City",
        "House of Friendship of Almaty City",
    ]
    assert event_titles(response) == []
    assert "No upcoming event matches this search." in text(response)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "достық", "region": "XX"}, "Unknown region: choose one from the list."),
        ({"q": "д" * 201}, "The search text is too long: use at most 200 letters."),
    ],
)
def test_bad_values_are_reported_and_left_out(client, network, params, message):
    response = client.get("/en/search/", params)

    assert response.status_code == 200
    assert message in text(response)


def make_matches(network, count: int, *, start: int = 0) -> None:
    for number in range(start, start + count):
        make_event(
            network,
            title=f"Достық кеші {number}",
            starts_at=in_days(1 + number % 20),
            co_organisers=(network.pavlodar_elders,),
        )
        OrganisationFactory(
            parent=network.pavlodar,
            kind=kind("ethnocultural_association"),
            region=region("KZ-55"),
            name_kk=f"Достық бірлестігі {number}",
        )


@pytest.mark.parametrize(
    "params",
    [
        {"q": "достық"},
        {"q": "Достық кеші", "region": "KZ-55"},
        {"q": "Достық кеші", "near": "52.29,76.97"},  # "Use my location": found in memory
    ],
)
def test_the_search_costs_the_same_number_of_queries_for_few_or_many_results(
    client, network, django_assert_max_num_queries, params
):
    make_matches(network, 2)
    client.get("/kk/search/", params)  # the region options are cached after a first request
    with DataQueriesContext(connection) as few:
        assert client.get("/kk/search/", params).status_code == 200
    make_matches(network, 20, start=2)

    # Two more at most: the totals, counted only when more than five are found.
    with django_assert_max_num_queries(len(few.captured_queries) + 2):
        response = client.get("/kk/search/", params)

    assert len(event_titles(response)) == 5
    with translation.override("kk"):
        expected = gettext("All results in the calendar: %(total)s") % {"total": 22}
    assert expected in text(response)
    assert len(few.captured_queries) <= 6
