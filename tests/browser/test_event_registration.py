"""A citizen on a phone registers for an event in Kazakh, without an account, and gets a ticket."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import Browser, Page, expect

from birlik.events.models import Registration
from tests.browser.conftest import open_tab
from tests.conftest import Network
from tests.portal.events_data import in_days, make_event


@pytest.fixture
def phone(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A phone-sized touch screen (390×844) in Kazakh; JavaScript errors fail the test."""
    tab = open_tab(browser, live_server, "phone", "kk")
    yield tab
    tab.context.close()
    errors = tab.errors  # type: ignore[attr-defined]
    assert not errors, "JavaScript errors on the page:\n" + "\n".join(errors)


def kk(message: str) -> str:
    with translation.override("kk"):
        return gettext(message)


def kk_sign_up() -> str:
    """The event page's button: "Register" in the sense of signing up."""
    with translation.override("kk"):
        return pgettext("sign up", "Register")


def test_a_citizen_registers_on_a_phone_and_sees_the_ticket_with_its_qr_code(
    phone: Page, axe_check: Callable[..., Any], browser_network: Network
):
    event = make_event(
        browser_network,
        title="Достық фестивалі",
        starts_at=in_days(6, hour=11),
        capacity=50,
        audiences=("youth",),
        accessibility=["step_free"],
    )
    with translation.override("kk"):
        calendar = reverse("portal:events")

    phone.goto(calendar)
    assert phone.locator("html").get_attribute("lang") == "kk"
    expect(phone.locator("h1")).to_have_count(1)
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(phone)

    phone.get_by_role("link", name="Достық фестивалі").click()
    expect(phone.locator("h1")).to_have_text("Достық фестивалі")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check(phone)

    phone.get_by_role("textbox", name=kk("Full name")).fill("Айгүл Серікқызы Нұрланова")
    phone.get_by_role("textbox", name=kk("Mobile phone")).fill("+7 701 234 56 78")
    phone.locator("#id_consent").check()
    phone.get_by_role("button", name=kk_sign_up()).click()
    phone.wait_for_load_state()

    registration = Registration.objects.get(event=event)
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.language == "kk"
    assert phone.url.endswith(f"/kk/tickets/{registration.ticket_code}/")
    expect(phone.locator("h2#ticket-status")).to_have_text(kk("Your place is confirmed"))
    qr = phone.locator("figure.ticket-qr svg[role=img]")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and 120 <= box["width"] <= 390
    expect(phone.locator(".ticket-code")).to_have_text(registration.ticket_code)
    axe_check(phone)


def test_a_registration_error_is_announced_and_linked_to_its_field(
    phone: Page, axe_check: Callable[..., Any], browser_network: Network
):
    event = make_event(browser_network, starts_at=in_days(3))
    with translation.override("kk"):
        phone.goto(reverse("portal:event", kwargs={"pk": event.pk}))

    phone.get_by_role("textbox", name=kk("Full name")).fill("Айгүл")
    phone.get_by_role("button", name=kk_sign_up()).click()
    phone.wait_for_load_state()

    summary = phone.locator("#form-errors[role=alert]")
    expect(summary).to_be_visible()
    phone_field = phone.locator("#id_phone")
    expect(phone_field).to_have_attribute("aria-invalid", "true")
    assert "id_phone_error" in (phone_field.get_attribute("aria-describedby") or "")
    expect(phone.locator("#id_consent")).to_have_attribute("aria-invalid", "true")
    assert not Registration.objects.filter(event=event).exists()
    axe_check(phone)


def test_a_citizen_cancels_the_registration_from_the_ticket_page(
    phone: Page, browser_network: Network
):
    """The ticket page keeps its private address from other sites, yet its cancel form posts
    (a "no-referrer" page made Chromium post it with "Origin: null", refused as CSRF)."""
    event = make_event(browser_network, starts_at=in_days(4))
    with translation.override("kk"):
        phone.goto(reverse("portal:event", kwargs={"pk": event.pk}))
    phone.get_by_role("textbox", name=kk("Full name")).fill("Айгүл Нұрланова")
    phone.get_by_role("textbox", name=kk("Mobile phone")).fill("+7 701 234 56 79")
    phone.locator("#id_consent").check()
    phone.get_by_role("button", name=kk_sign_up()).click()
    phone.wait_for_load_state()

    phone.get_by_role("button", name=kk("Cancel my registration")).click()
    phone.wait_for_load_state()
    phone.get_by_role("button", name=kk("Yes, cancel my registration")).click()
    phone.wait_for_load_state()

    registration = Registration.objects.get(event=event)
    assert registration.status == Registration.Status.CANCELLED
    expect(phone.locator(".messages")).to_contain_text(
        kk("Your registration is cancelled. Thank you for telling us.")
    )
