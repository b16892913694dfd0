"""The workspace menu and the "my work" home in a real browser, in Kazakh and Russian, on a
390×844 phone and a 1366×768 desk: every section of a regional coordinator is at most two
clicks from the home (open the folded menu on a phone, then the section), the menu takes two
lines on a phone, the current section is marked, nothing is wider than the screen, and axe finds
nothing serious on the home and a body's page with its breadcrumbs.
``BIRLIK_SCREENSHOTS=<dir>`` saves a screenshot of each screen."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from birlik.appeals.models import Appeal
from birlik.core.workdays import legal_today
from tests.appeals.helpers import register
from tests.conftest import Network

SCREENS = [(390, 844), (1366, 768)]


def _wider(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_section_of_the_coordinator_is_two_clicks_from_the_home(
    page: Page,
    axe_check: Callable[..., Any],
    browser_network: Network,
    sign_in: Callable[..., Page],
    language: str,
):
    appeal = register(browser_network.pavlodar_house)
    Appeal.objects.filter(pk=appeal.pk).update(
        effective_due=legal_today() - datetime.timedelta(days=1)
    )
    coordinator = browser_network.users["coordinator_pavlodar"]
    coordinator.full_name = "Айгүл Серікқызы"
    coordinator.save()
    with translation.override(language):
        home = reverse("workspace:home")
        body = reverse("workspace:body", args=[browser_network.pavlodar_elders.pk])
    sign_in("coordinator_pavlodar", language=language)
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(home)
        menu = page.locator("nav.ws-menu")
        expect(menu.locator(".ws-menu-name")).to_have_text("Айгүл Серікқызы")
        links = menu.locator(".ws-menu-sections a")
        sections = links.evaluate_all("els => els.map(a => a.getAttribute('href'))")
        assert len(sections) >= 12
        phone = width < 640
        box = menu.bounding_box()
        assert box is not None
        if phone:
            # The folded menu: the user's line and the "Menu" button, nothing more.
            assert box["height"] <= 120, f"the menu is {box['height']}px tall on a phone"
            expect(links.first).to_be_hidden()
        else:
            expect(links.first).to_be_visible()
        # The overdue appeal is counted, with its badge saying it in words.
        expect(page.locator(".work-item .due-late").first).to_be_visible()
        assert _wider(page) <= 0, f"{width}px: the home is wider than the screen"
        axe_check(page)
        folder = os.environ.get("BIRLIK_SCREENSHOTS")
        if folder:
            page.screenshot(path=str(Path(folder) / f"workspace-home-{language}-{width}.png"))
        for href in sections:
            page.goto(home)
            clicks = 0
            if phone:
                page.locator(".ws-menu-fold > summary").click()
                clicks += 1
            page.locator(f'.ws-menu-sections a[href="{href}"]').click()
            clicks += 1
            page.wait_for_url(f"**{href}")
            assert clicks <= 2
            assert page.locator("h1").count() >= 1, href
            # Pages with the menu mark their section as the current one.
            if page.locator("nav.ws-menu").count():
                current = page.locator('nav.ws-menu a[aria-current="page"]')
                expect(current).to_have_attribute("href", href)
        page.goto(body)
        trail = page.locator("nav.breadcrumbs")
        elders = browser_network.pavlodar_elders
        expect(trail.locator('[aria-current="page"]')).to_have_text(
            elders.name_kk if language == "kk" else elders.name_ru
        )
        assert _wider(page) <= 0, f"{width}px: the body page is wider than the screen"
        axe_check(page)
