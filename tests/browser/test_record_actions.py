"""A request for help on a phone and at a desk, in Kazakh and Russian: the next step is one
primary button, every other action is folded until tapped, the verification term is a badge,
nothing is wider than the screen, and axe finds no serious or critical violation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from birlik.charity import services
from tests.charity.factories import build
from tests.conftest import Network


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1366, 768)])
def test_the_request_page_offers_one_next_step(
    page: Page,
    sign_in: Callable[..., Page],
    axe_check: Callable[..., Any],
    browser_network: Network,
    width: int,
    height: int,
):
    charity = build(browser_network)
    services.request_record_visit(
        actor=charity.worker,
        help_request=charity.request,
        visit_on=timezone.localdate(),
        note="Отбасы жалдамалы пәтерде тұрады",
    )
    page.set_viewport_size({"width": width, "height": height})
    sign_in("worker", language="kk")
    for language in ("kk", "ru"):
        with translation.override(language):
            page.goto(reverse("charity:request", args=[charity.request.pk]))
        assert page.locator("html").get_attribute("lang") == language
        next_step = page.locator(".record-actions .next-step")
        expect(next_step.get_by_role("button")).to_have_count(1)
        expect(next_step.locator("button.primary")).to_be_visible()
        expect(page.locator("#verify_public_need")).to_be_visible()
        # The other actions are folded: their fields appear only when their summary is tapped.
        expect(page.locator("details.action")).to_have_count(4)
        expect(page.locator("#reject_reason")).to_be_hidden()
        page.locator("#reject-action > summary").click()
        expect(page.locator("#reject_reason")).to_be_visible()
        expect(page.locator(".badge.due")).to_be_visible()
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, f"the page is wider than {width} px in {language}"
        axe_check(page)
    # The primary button does the next step.
    page.locator("#verify_public_need").fill("Балаларға қысқы киім")
    page.locator(".next-step button.primary").click()
    page.wait_for_load_state()
    charity.request.refresh_from_db()
    assert charity.request.status == "verified"
    expect(page.locator(".message-success")).to_be_visible()
