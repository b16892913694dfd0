"""The search's "near me": the position the "Use my location" button sends chooses the region to
search in (shown chosen, named on the page), is checked strictly, costs no query of its own and
is kept nowhere."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from birlik.access.models import AuditEntry
from tests.queries import DataQueriesContext

from .events_data import in_days, make_event
from .helpers import main, result_names, text

pytestmark = pytest.mark.django_db

PAVLODAR = "52.29,76.97"
ALMATY = "43.24,76.89"
TASHKENT = "41.31,69.28"


def translated(language: str, message: str, **values: str) -> str:
    with translation.override(language):
        return gettext(message) % values


def near_you(language: str, region: str) -> str:
    return translated(language, "Near you: %(region)s", region=region)


def not_understood(language: str) -> str:
    return translated(
        language, "Your location was not understood. Search by words or choose a region."
    )


def outside(language: str) -> str:
    return translated(
        language,
        "Your location is outside Kazakhstan: search the whole country or choose a region.",
    )


def selected_region(response) -> str | None:
    select = re.search(r'<select [^>]*name="region".*?</select>', main(response), re.S)
    assert select is not None
    chosen = re.findall(r'<option value="([^"]*)" selected', select[0])
    return chosen[0] if chosen else None


@pytest.mark.parametrize(
    ("language", "region", "bodies"),
    [
        (
            "kk",
            "Павлодар облысы",
            [
                "Ақсақалдар кеңесі",
                "Павлодар облысының ассамблеясы",
                "Павлодар облысының Достық үйі",
            ],
        ),
        (
            "en",
            "Pavlodar Region",
            [
                "Assembly of Pavlodar Region",
                "Council of Elders",
                "House of Friendship of Pavlodar Region",
            ],
        ),
        ("ru", "Павлодарская область", None),
    ],
)
def test_a_position_in_pavlodar_searches_the_pavlodar_region_and_says_so(
    client, network, language, region, bodies
):
    response = client.get(f"/{language}/search/", {"near": PAVLODAR})

    assert response.status_code == 200
    assert near_you(language, region) in text(response)
    assert selected_region(response) == "KZ-55"
    assert result_names(response) == (
        bodies or result_names(client.get(f"/{language}/search/", {"region": "KZ-55"}))
    )
    assert len(result_names(response)) == 3


def test_the_words_typed_are_searched_in_the_region_found(client, network):
    make_event(network, starts_at=in_days(2))

    response = client.get("/en/search/", {"q": "friendship", "near": ALMATY})

    assert result_names(response) == ["House of Friendship of Almaty City"]
    assert near_you("en", "Almaty") in text(response)
    assert selected_region(response) == "KZ-75"


def test_the_position_chooses_the_region_over_one_in_the_address(client, network):
    response = client.get("/en/search/", {"near": PAVLODAR, "region": "KZ-75"})

    assert selected_region(response) == "KZ-55"
    assert "House of Friendship of Pavlodar Region" in result_names(response)
    assert "House of Friendship of Almaty City" not in result_names(response)


def test_links_to_all_results_carry_the_region_not_the_position(client, network):
    response = client.get("/en/search/", {"q": "friendship", "near": PAVLODAR})

    page = main(response)
    assert "region=KZ-55" in page
    assert "52.29" not in page
    assert "76.97" not in page


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_position_outside_kazakhstan_searches_the_whole_country(client, network, language):
    response = client.get(f"/{language}/search/", {"q": "friendship", "near": TASHKENT})

    shown = text(response)
    assert response.status_code == 200
    assert outside(language) in shown
    assert selected_region(response) is None
    assert len(result_names(response)) == 2  # both houses of friendship


def test_a_position_outside_kazakhstan_without_words_shows_the_form_only(client, network):
    response = client.get("/en/search/", {"near": "55.76,37.62"})

    assert outside("en") in text(response)
    assert 'class="results' not in main(response)


@pytest.mark.parametrize(
    "value",
    [
        "abc",
        "91,10",
        "10,181",
        "-90.5,10",
        "1,2,3",
        "",
        " ",
        "nan,nan",
        "NaN,76.97",
        "inf,76.97",
        "52.29,-inf",
        "1e1,76",
        "52.29",
        "52.29;76.97",
        "52,29,76,97",
        "0x34,76",
        "52.2912345678,76.97",
        "٥٢,٧٦",  # Arabic-Indic digits
        "52.29,76.97" + "0" * 500,
        "\x00",
    ],
)
@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_position_not_understood_is_said_and_the_rest_of_the_search_kept(
    client, network, value, language
):
    response = client.get(f"/{language}/search/", {"q": "friendship", "near": value})

    assert response.status_code == 200
    shown = text(response)
    assert not_understood(language) in shown
    assert near_you(language, "") not in shown
    assert selected_region(response) is None
    assert len(result_names(response)) == 2  # the words searched in the whole country


def test_a_position_not_understood_keeps_the_region_chosen(client, network):
    response = client.get("/en/search/", {"near": "abc", "region": "KZ-55"})

    assert not_understood("en") in text(response)
    assert selected_region(response) == "KZ-55"
    assert "House of Friendship of Pavlodar Region" in result_names(response)
    assert "House of Friendship of Almaty City" not in result_names(response)


@pytest.mark.parametrize("value", ["52.29, 76.97", "52.287,76.967", "52,77", "-0.0,0"])
def test_positions_in_other_common_forms_are_understood(client, network, value):
    response = client.get("/en/search/", {"near": value})

    assert not_understood("en") not in text(response)


def test_a_search_without_a_position_says_nothing_of_it(client, network):
    shown = text(client.get("/en/search/", {"q": "friendship"}))

    assert not_understood("en") not in shown
    assert outside("en") not in shown
    assert "Near you" not in shown


def test_the_position_is_not_written_to_the_audit_log(client, network):
    before = AuditEntry.objects.count()

    client.get("/en/search/", {"near": PAVLODAR})

    assert AuditEntry.objects.count() == before


def test_the_page_keeps_its_referrer_policy(client, network):
    response = client.get("/en/search/", {"near": PAVLODAR})

    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/kk/", "/kk/search/"])
def test_the_button_is_hidden_until_the_script_finds_geolocation(client, network, path):
    response = client.get(path)

    page = response.content.decode()
    assert 'src="/static/portal/near-me.js"' in page
    button = re.search(r"<button [^>]*data-near-me[^>]*>", page)
    assert button is not None
    assert " hidden " in button[0]
    assert 'type="button"' in button[0]
    for attribute in ("data-waiting", "data-note", "data-refused", "data-unavailable"):
        assert re.search(attribute + r'="[^"]+"', button[0])
    assert 'data-url="/kk/search/"' in button[0]
    assert 'data-status="near-me-status"' in button[0]
    assert re.search(r'<p class="near-me-status" id="near-me-status" role="status"></p>', page)
    with translation.override("kk"):
        assert gettext("Use my location") in text(response)


def test_a_position_costs_no_more_queries_than_choosing_the_region(client, network):
    by_region = {"q": "friendship", "region": "KZ-55"}
    by_position = {"q": "friendship", "near": PAVLODAR}
    client.get("/kk/search/", by_region)  # the region options are cached after a first request
    with DataQueriesContext(connection) as chosen:
        client.get("/kk/search/", by_region)
    with DataQueriesContext(connection) as located:
        response = client.get("/kk/search/", by_position)

    assert near_you("kk", "Павлодар облысы") in text(response)
    assert len(located.captured_queries) == len(chosen.captured_queries)
