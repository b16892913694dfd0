"""The search box's "Use my location" on a 390×844 phone in Kazakh: the browser tells a position
in Pavlodar, the button opens the search near it (the words typed kept), the page says so and
lists Pavlodar's House of Friendship; refused, the button says so and the search stays as it is.
No JavaScript errors, axe finds nothing serious."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import open_tab, visit
from tests.conftest import Network

PAVLODAR = {"latitude": 52.287, "longitude": 76.967}


def kk(message: str, **values: str) -> str:
    with translation.override("kk"):
        return gettext(message) % values if values else gettext(message)


@pytest.fixture
def located(browser: Browser, live_server: Any) -> Iterator[Page]:
    tab = open_tab(
        browser,
        live_server,
        "phone",
        "kk",
        geolocation=PAVLODAR,
        permissions=["geolocation"],
    )
    yield tab
    tab.context.close()


@pytest.mark.parametrize(("start", "words"), [("/kk/search/", "достық"), ("/kk/", "")])
def test_use_my_location_searches_near_the_visitor(
    located: Page,
    browser_network: Network,
    axe_check: Callable[..., Any],
    start: str,
    words: str,
):
    visit(located, start, "near-me-start-phone-kk")
    button = located.get_by_role("button", name=kk("Use my location"))
    expect(button).to_be_visible()
    expect(located.locator("#near-me-status")).to_be_hidden()  # empty until a click
    if words:
        located.get_by_role("searchbox").fill(words)

    with located.expect_navigation():
        button.click()

    url = urlsplit(located.url)
    assert url.path == "/kk/search/"
    expected = {"near": ["52.29,76.97"], **({"q": [words]} if words else {})}
    assert parse_qs(url.query) == expected
    main = located.locator("main")
    expect(main).to_contain_text(kk("Near you: %(region)s", region="Павлодар облысы"))
    expect(located.locator("select[name=region]")).to_have_value("KZ-55")
    expect(main.locator("ul.results").first).to_contain_text("Павлодар облысының Достық үйі")
    expect(main.locator("ul.results").first).not_to_contain_text("Алматы")
    visit(located, located.url, "near-me-results-phone-kk")  # and no wider than the screen
    axe_check(located)
    assert not located.errors  # type: ignore[attr-defined]


def test_a_refused_location_is_said_and_the_page_stays(
    browser: Browser, live_server: Any, browser_network: Network
):
    tab = open_tab(browser, live_server, "phone", "kk", geolocation=PAVLODAR, permissions=[])
    try:
        visit(tab, "/kk/search/?q=достық", "near-me-refused-phone-kk")
        button = tab.get_by_role("button", name=kk("Use my location"))
        button.click()

        status = tab.locator("#near-me-status")
        expect(status).to_have_text(
            kk("Your location was not shared. Choose a region in the list instead.")
        )
        expect(button).not_to_have_attribute("aria-busy", "true")
        assert "near=" not in tab.url
        assert not tab.errors  # type: ignore[attr-defined]
    finally:
        tab.context.close()


def test_without_geolocation_the_button_stays_hidden(
    browser: Browser, live_server: Any, browser_network: Network
):
    tab = open_tab(browser, live_server, "phone", "kk")
    try:
        tab.add_init_script("delete Object.getPrototypeOf(navigator).geolocation;")
        visit(tab, "/kk/", "near-me-none-phone-kk")
        expect(tab.locator("[data-near-me]")).to_be_hidden()
        expect(tab.locator("input[name=q]")).to_be_visible()
        assert not tab.errors  # type: ignore[attr-defined]
    finally:
        tab.context.close()
