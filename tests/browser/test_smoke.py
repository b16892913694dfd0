"""The portal opens in a real browser, declares its language and passes axe-core."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect


def test_kazakh_home_page_opens_in_chromium_and_passes_axe(page, axe_check):
    response = page.goto("/kk/")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "kk"
    expect(page.locator("h1")).to_have_count(1)
    axe_check(page)


def test_login_page_opens_and_passes_axe(page, axe_check):
    with translation.override("kk"):
        url = reverse("access:login")
    response = page.goto(url)
    assert response is not None and response.status == 200
    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()
    axe_check(page)


def test_coordinator_signs_in_with_the_password_and_reaches_the_workspace(browser_network, sign_in):
    page = sign_in("coordinator_pavlodar")
    with translation.override("kk"):
        workspace = reverse("workspace:home")
    assert page.url.endswith(workspace), page.url
    assert page.locator("html").get_attribute("lang") == "kk"
