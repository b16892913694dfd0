"""People's diplomacy in Chromium with axe: a partner fills in the public request form on a phone
in kk, ru and en, gets the number and the private link, and reads the status page; the yearly
figures page is accessible too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from birlik.diplomacy.models import InternationalRequest
from tests.conftest import Network
from tests.diplomacy.factories import make_centre

LANGUAGES = ["kk", "ru", "en"]


@pytest.fixture
def centre(browser_network: Network, settings) -> Any:
    settings.RATE_DIPLOMACY_REQUESTS = "5/h"
    return make_centre(browser_network.root)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_partner_sends_a_request_and_opens_the_private_link(
    page: Page, axe_check: Callable[..., Any], centre: Any, language: str
):
    page.set_viewport_size({"width": 390, "height": 844})
    with translation.override(language):
        path = reverse("diplomacy_portal:request")
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("h1")).to_have_count(1)
    axe_check(page)
    page.locator("#request_requester_name").fill("Embassy of the Republic of Korea")
    page.locator('input[name="requester_kind"][value="embassy"]').check()
    page.locator("#request_country").select_option("KR")
    page.locator("#request_email").fill("consul@korea-embassy.example")
    page.locator("#request_topic").select_option("languages")
    page.locator("#request_text").fill("We ask for materials on teaching the state language.")
    page.locator("#request_consent").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/diplomacy/request/received/")
    axe_check(page)
    item = InternationalRequest.objects.get()
    assert item.language == language and item.country == "KR"
    expect(page.locator("main")).to_contain_text(item.number)
    with translation.override(language):
        status = reverse("diplomacy_portal:status", kwargs={"token": item.token})
    # The link is absolute (SITE_URL, as in the e-mail): here it is opened on the live server.
    assert (page.locator("main a.url").get_attribute("href") or "").endswith(status)
    page.goto(status)
    expect(page.locator("h1")).to_contain_text(item.number)
    axe_check(page)


def test_a_form_with_errors_stays_accessible(page: Page, axe_check: Callable[..., Any], centre):
    with translation.override("en"):
        path = reverse("diplomacy_portal:request")
    page.goto(path)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("[role=alert]").first).to_be_visible()
    axe_check(page)
    assert not InternationalRequest.objects.exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_figures_page_is_accessible(
    page: Page, axe_check: Callable[..., Any], centre: Any, language: str
):
    with translation.override(language):
        path = reverse("diplomacy_portal:index")
    response = page.goto(path)
    assert response is not None and response.status == 200
    expect(page.locator("h1")).to_have_count(1)
    axe_check(page)
