"""Opening hours in a real browser: the public block on a phone and a desk (axe, no sideways
scroll, today stands out). The week editor is a plain form (tests/workspace/test_opening_hours)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from tests.conftest import Network
from tests.factories import OpeningHoursFactory

from .conftest import SCREENS, open_tab, visit

T = datetime.time


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_hours_block_reads_well_on_a_phone_and_a_desk(
    browser: Browser,
    live_server: Any,
    axe_check: Callable[..., Any],
    browser_network: Network,
    screen: str,
):
    house = browser_network.pavlodar_house
    for weekday in range(7):
        OpeningHoursFactory(organisation=house, weekday=weekday, opens=T(9), closes=T(13))
        OpeningHoursFactory(organisation=house, weekday=weekday, opens=T(14), closes=T(18, 30))
    tab = open_tab(browser, live_server, screen, "kk")
    try:
        visit(tab, f"/kk/bodies/{house.pk}/", f"body-hours-{screen}-kk")
        block = tab.locator("section.opening-hours")
        expect(block.locator("h2")).to_have_text("Жұмыс уақыты")
        expect(block.locator(".hours-day")).to_have_count(7)
        today = block.locator(".hours-day.is-today dt")
        expect(today).to_have_count(1)
        other = block.locator(".hours-day:not(.is-today) dt").first
        weight = today.evaluate("node => getComputedStyle(node).fontWeight")
        assert int(weight) > int(other.evaluate("node => getComputedStyle(node).fontWeight"))
        axe_check(tab, context="section.opening-hours")
        assert not tab.errors  # type: ignore[attr-defined]
    finally:
        tab.context.close()
