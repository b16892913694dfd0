"""The calendar's month view and the portal's search page on a 390×844 phone and a 1366×768
desktop, in Kazakh and Russian: no page wider than the screen, axe finds nothing serious.

On the desktop the month is a grid of weeks; on the phone the grid gives way to an agenda of the
days with events. ``BIRLIK_SCREENSHOTS=<dir>`` saves ``calendar-month-kk.png`` (desktop) and
``search-phone-kk.png`` among the others.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Browser, expect

from tests.browser.conftest import open_tab, visit
from tests.conftest import Network
from tests.portal.events_data import make_event

# Long titles, as the regions write them: they must wrap inside a day, never widen the page.
TITLES = [
    (
        "Этносаралық келісім күні: «Бірлік – әралуандықта» республикалық фестивалі",
        "Республиканский фестиваль «Бірлік – әралуандықта» ко Дню межэтнического согласия",
    ),
    ("Ақсақалдар кеңесінің кездесуі", "Встреча совета аксакалов"),
    ("Ана тілі мерекесі", "Праздник родного языка"),
    ("Достық үйіндегі қазақ тілі курстары", "Курсы казахского языка в Доме дружбы"),
    ("Жастар форумы", "Молодежный форум"),
]


def name(page: str, screen: str, language: str) -> str:
    """``calendar-month-kk`` for the desktop, ``calendar-month-phone-kk`` for the phone."""
    return f"{page}-{language}" if screen == "desktop" else f"{page}-phone-{language}"


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_month_and_the_search_fit_the_screen(
    browser: Browser,
    live_server: Any,
    browser_network: Network,
    axe_check: Callable[..., Any],
    screen: str,
    language: str,
):
    # Five events tomorrow, in the month of tomorrow (the grid asked for): three shown, +2.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    day = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    for index, (kk_title, ru_title) in enumerate(TITLES):
        make_event(
            browser_network,
            title=kk_title,
            title_ru=ru_title,
            starts_at=day + datetime.timedelta(hours=9 + index),
        )
    with translation.override(language):
        month = f"{reverse('portal:events')}?view=month&month={tomorrow:%Y-%m}"
        search = f"{reverse('portal:search')}?q={'достық' if language == 'kk' else 'дружбы'}"
    tab = open_tab(browser, live_server, screen, language)
    try:
        visit(tab, month, name("calendar-month", screen, language))
        expect(tab.locator(".view-switch a[aria-current=page]")).to_have_count(1)
        grid, agenda = tab.locator(".month-grid"), tab.locator(".month-agenda")
        if screen == "phone":
            expect(grid).to_be_hidden()
            expect(agenda).to_be_visible()
            expect(agenda.locator(".agenda-day")).to_have_count(1)
            expect(agenda.locator(".day-more")).to_be_visible()
        else:
            expect(grid).to_be_visible()
            expect(agenda).to_be_hidden()
            busy = grid.locator("td.has-events")
            expect(busy).to_have_count(1)
            expect(busy.locator(".day-events li")).to_have_count(3)
            # The day stays within its column: the grid is as wide as the page, no wider.
            box = grid.bounding_box()
            assert box is not None and box["width"] <= 1366
        axe_check(tab)

        visit(tab, search, name("search", screen, language))
        expect(tab.locator(".search-section .event-item")).to_have_count(1)
        axe_check(tab)
        expect(tab.locator("h1")).to_have_count(1)
    finally:
        tab.context.close()
    assert not tab.errors, tab.errors  # type: ignore[attr-defined]
