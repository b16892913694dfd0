"""The appeal receipt on a 390×844 phone and a 1366×768 desktop, in Kazakh and Russian: the
private link wraps (no page wider than the screen), "Copy the link" copies it, the files are
listed by name, axe finds nothing serious and the printed page keeps only the receipt; "Find
my appeal" and the rating form on the status page pass axe on the phone.
``BIRLIK_SCREENSHOTS=<dir>`` saves a screenshot of each.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, expect

from birlik.appeals.models import Appeal
from birlik.appeals.services import (
    appeal_approve_answer,
    appeal_assign,
    appeal_draft_answer,
    appeal_register,
    appeal_take_on,
    status_url,
)
from tests.browser.conftest import SCREENS, open_tab, visit
from tests.conftest import Network
from tests.factories import png_bytes

LONG_NAME = "Ауылдағы_жолдың_көктемгі_суреті_2026_жылғы_сәуір_айының_басында_түсірілген.png"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def register(network: Network, language: str) -> Appeal:
    return appeal_register(
        organisation=network.pavlodar,
        kind="request",
        subject="Жол жөндеу" if language == "kk" else "Ремонт дороги",
        text="Біздің ауылда жол жөндеуді сұраймыз, көктемде өту мүмкін емес.",
        language=language,
        applicant_name="Асқар Сейітов",
        applicant_phone="+7 701 123 45 67",
        consent=True,
        attachments=[SimpleUploadedFile(LONG_NAME, png_bytes(), content_type="image/png")],
    )


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_receipt_fits_the_screen_and_copies_the_link(
    browser: Browser,
    live_server: Any,
    browser_network: Network,
    axe_check: Callable[..., Any],
    screen: str,
    language: str,
):
    appeal = register(browser_network, language)
    with translation.override(language):
        receipt = reverse("portal:appeal_receipt", kwargs={"token": appeal.token})
    tab = open_tab(browser, live_server, screen, language, clipboard=True)
    try:
        visit(tab, receipt, f"appeal-receipt-{screen}-{language}")
        expect(tab.locator(".attachment-names")).to_contain_text(LONG_NAME)
        link = tab.locator("#status-link")
        box = link.bounding_box()
        assert box is not None and box["x"] + box["width"] <= SCREENS[screen][0]
        copy = tab.locator("button[data-copy]")
        expect(copy).to_be_visible()  # shown by the script
        expect(tab.locator("button[data-print]")).to_be_visible()
        copy.click()
        expect(tab.locator("#copy-done")).not_to_be_empty()
        assert tab.evaluate("navigator.clipboard.readText()") == status_url(appeal)
        axe_check(tab)
        # Printed: the receipt and its link, without the menus, the footer and the buttons.
        tab.emulate_media(media="print")
        expect(tab.locator(".site-header")).to_be_hidden()
        expect(tab.locator(".site-footer")).to_be_hidden()
        expect(tab.locator(".receipt-actions")).to_be_hidden()
        expect(tab.locator("#status-link")).to_be_visible()
        expect(tab.locator("dl.facts")).to_be_visible()
        assert tab.errors == []  # type: ignore[attr-defined]
    finally:
        tab.context.close()


def test_find_my_appeal_and_the_rating_form_pass_axe_on_a_phone(
    browser: Browser,
    live_server: Any,
    browser_network: Network,
    axe_check: Callable[..., Any],
):
    appeal = register(browser_network, "kk")
    coordinator = browser_network.users["coordinator_pavlodar"]
    appeal_take_on(actor=coordinator, appeal=appeal)
    appeal_assign(actor=coordinator, appeal=appeal, executor=coordinator)
    appeal_draft_answer(actor=coordinator, appeal=appeal, text="Жол жөндеу мамырда басталады.")
    appeal_approve_answer(actor=coordinator, appeal=appeal)
    with translation.override("kk"):
        find = reverse("portal:appeal_find")
        status = reverse("portal:appeal_status", kwargs={"token": appeal.token})
    tab = open_tab(browser, live_server, "phone", "kk", clipboard=True)
    try:
        visit(tab, find, "appeal-find-phone-kk")
        axe_check(tab)
        tab.locator("#id_number").fill(appeal.number)
        tab.locator("#id_contact").fill("8 701 123 45 67")
        tab.locator("main form [type=submit]").click()
        expect(tab.locator("main .message-success")).to_be_visible()
        assert appeal.token not in tab.content()
        axe_check(tab)

        visit(tab, status, "appeal-status-phone-kk")
        expect(tab.locator(".attachment-names")).to_contain_text(LONG_NAME)
        axe_check(tab)
        tab.locator("input[name=score][value='5']").check()
        tab.locator("main form [type=submit]").click()
        expect(tab.locator("#rating-heading")).to_be_visible()
        assert appeal.rating.score == 5  # type: ignore[attr-defined]
        axe_check(tab)
        assert tab.errors == []  # type: ignore[attr-defined]
    finally:
        tab.context.close()
