"""The public portal measured on a 390×844 phone and a 1366×768 desktop, in Kazakh and Russian.

On the phone: the menu folds behind one button, the home page's search box and first event card
are in the first screen and the page is at most three screens tall, the calendar's first result
is in the first screen; on both screens no page is wider than the viewport and axe finds nothing
serious. ``BIRLIK_SCREENSHOTS=<dir>`` saves a full-page screenshot of each page visited.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from birlik.core import kpi
from tests.browser.conftest import SCREENS, open_tab, visit
from tests.conftest import Network
from tests.portal.events_data import in_days, make_event

TITLES = [
    ("Этносаралық келісім күні: «Бірлік» фестивалі", "Фестиваль «Бирлик» ко Дню согласия"),
    ("Жастар форумы: Қазақстан халқы ассамблеясы", "Молодежный форум Ассамблеи народа"),
    ("Ақсақалдар кеңесінің кездесуі", "Встреча совета аксакалов"),
    ("Ана тілі мерекесі", "Праздник родного языка"),
]


def bottom(tab: Page, selector: str) -> float:
    box = tab.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box["y"] + box["height"]


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_portal_fits_the_screen(
    browser: Browser,
    live_server: Any,
    browser_network: Network,
    axe_check: Callable[..., Any],
    screen: str,
    language: str,
):
    events = [
        make_event(
            browser_network,
            title=kk_title,
            title_ru=ru_title,
            starts_at=in_days(3 + index),
            capacity=40,
        )
        for index, (kk_title, ru_title) in enumerate(TITLES)
    ]
    kpi.invalidate()
    with translation.override(language):
        home = reverse("portal:home")
        urls = {
            "directory": reverse("portal:directory"),
            "calendar": reverse("portal:events"),
            "body": reverse("portal:body", kwargs={"pk": browser_network.pavlodar_house.pk}),
            "event": reverse("portal:event", kwargs={"pk": events[0].pk}),
        }
    phone = screen == "phone"
    tab = open_tab(browser, live_server, screen, language)
    try:
        visit(tab, home, f"home-{screen}-{language}")
        height = SCREENS[screen][1]
        menu_link = tab.locator(".main-nav a[href$='/events/']")
        if phone:
            # The search box and the first event card are in the first screen; three screens
            # at most in all; the menu is one button until it is opened.
            assert bottom(tab, "#home-q") <= height
            assert bottom(tab, ".upcoming .event-item") <= height
            assert tab.evaluate("document.documentElement.scrollHeight") <= 3 * height
            expect(menu_link).to_be_hidden()
            tab.locator(".main-nav summary").click()
            expect(menu_link).to_be_visible()
        else:
            expect(tab.locator(".main-nav summary")).to_be_hidden()
            expect(menu_link).to_be_visible()
        expect(tab.locator(".map-labels text")).to_have_count(20)
        axe_check(tab)

        visit(tab, urls["calendar"], f"calendar-{screen}-{language}")
        first_result = tab.locator(".results.events .event-item").first
        expect(first_result).to_be_visible()
        filters = tab.locator(".filters-fold .filters")
        if phone:
            assert bottom(tab, ".results.events .event-item") <= height
            expect(filters).to_be_hidden()
            tab.locator(".filters-fold summary").click()
            expect(filters).to_be_visible()
        else:
            expect(filters).to_be_visible()
        axe_check(tab)

        for name in ("directory", "body", "event"):
            visit(tab, urls[name], f"{name}-{screen}-{language}")
            axe_check(tab)
        expect(tab.locator("h1")).to_have_count(1)
    finally:
        tab.context.close()
    assert not tab.errors, tab.errors  # type: ignore[attr-defined]
