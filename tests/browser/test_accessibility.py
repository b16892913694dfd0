"""axe-core on the public pages and the workspace lists in every language, and the skip link.

A page passes when axe finds no serious or critical violation (WCAG 2.1 AA rules included).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from tests.conftest import Network

LANGUAGES = ["kk", "ru", "en"]


def public_url(name: str, network: Network) -> str:
    if name == "home":
        return reverse("portal:home")
    if name == "directory":
        return reverse("portal:directory") + "?region=KZ-55"
    if name == "body":
        return reverse("portal:body", kwargs={"pk": network.pavlodar.pk})
    return reverse("access:login")


def open_in(page: Page, path: str, language: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, (path, response)
    assert page.locator("html").get_attribute("lang") == language
    expect(page.locator("h1")).to_have_count(1)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["home", "directory", "body", "login"])
def test_public_page_has_no_serious_accessibility_violations(
    page: Page, axe_check: Callable[..., Any], browser_network: Network, name: str, language: str
):
    with translation.override(language):
        path = public_url(name, browser_network)
    open_in(page, path, language)
    if name == "directory":
        expect(page.locator("ul.results li")).to_have_count(3)
    if name == "body":
        expect(page.locator("ul.results li")).to_have_count(2)
    axe_check(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", ["home", "bodies", "people"])
def test_workspace_list_has_no_serious_accessibility_violations(
    page: Page,
    axe_check: Callable[..., Any],
    browser_network: Network,
    sign_in: Callable[..., Page],
    name: str,
    language: str,
):
    sign_in("coordinator_pavlodar", language=language)
    with translation.override(language):
        path = reverse(f"workspace:{name}")
    open_in(page, path, language)
    if name == "bodies":
        expect(page.locator("main tbody tr")).to_have_count(3)
    if name == "people":
        expect(page.locator("main tbody tr")).to_have_count(1)
    axe_check(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_first_tab_focuses_the_skip_link_which_moves_focus_to_the_main_content(
    page: Page, language: str
):
    with translation.override(language):
        path = reverse("portal:directory")
    page.goto(path)
    skip_link = page.locator("a.skip-link")

    page.keyboard.press("Tab")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
    # The next Tab goes on from the main content, not back to the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
