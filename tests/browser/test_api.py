"""Browser: a coordinator makes an integration token, copies it once, and the API docs load."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect

from birlik.api.services import api_token_use
from tests.conftest import Network


def test_a_coordinator_makes_a_token_and_the_pages_are_accessible(
    page: Page,
    axe_check: Callable[..., Any],
    browser_network: Network,
    sign_in: Callable[..., Page],
):
    sign_in("coordinator_pavlodar", language="en")
    page.goto("/en/workspace/integrations/")
    expect(page.locator("h1")).to_have_text("Integration tokens")
    axe_check(page)
    page.get_by_role("link", name="Make a token").click()
    axe_check(page)
    page.get_by_label("Name of the integration").fill("Pavlodar registration desk")
    page.get_by_label("Body number").fill(str(browser_network.pavlodar_house.pk))
    page.get_by_label("record attendance and check people in").check()
    page.get_by_role("button", name="Make the token").click()
    expect(page.locator("h1")).to_have_text("The token is made")
    secret = page.get_by_label("Token").input_value()
    assert api_token_use(secret=secret).name == "Pavlodar registration desk"
    axe_check(page)
    page.get_by_role("link", name="Back to the integration tokens").click()
    expect(page.locator("main tbody tr")).to_have_count(1)
    assert secret not in page.content()


def test_the_interactive_docs_load_from_local_static_files(
    page: Page, live_server: Any, browser_network: Network
):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .title")).to_contain_text("Birlik API")
    expect(page.get_by_text("/api/v1/bodies").first).to_be_visible()
    assert requested
    assert all(url.startswith((live_server.url, "data:")) for url in requested), requested
