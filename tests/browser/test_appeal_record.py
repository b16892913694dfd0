"""An appeal's staff page in a real browser, in Kazakh and Russian, on a 390×844 phone and a
1366×768 desk: the next step's button is visible without opening anything, the other actions
are folded, the answer editor spans the column, nothing is wider than the screen, and axe finds
nothing serious. ``BIRLIK_SCREENSHOTS=<dir>`` saves a full-page screenshot of each screen."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from birlik.access.models import Role
from birlik.appeals import services
from tests.appeals.helpers import register
from tests.conftest import Network
from tests.factories import GrantFactory, UserFactory

SCREENS = [(390, 844), (1366, 768)]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_next_step_is_in_view_and_the_rest_folded(
    page: Page,
    axe_check: Callable[..., Any],
    browser_network: Network,
    sign_in: Callable[..., Page],
    language: str,
):
    house = browser_network.pavlodar_house
    registrar = browser_network.users["staff_pavlodar_house"]
    executor = UserFactory(username="g.alieva", full_name="Гүлнар Әлиева")
    GrantFactory(user=executor, role=Role.BODY_STAFF, organisation=house)
    appeal = register(house, actor=registrar)
    services.appeal_assign(actor=registrar, appeal=appeal, executor=executor)
    services.appeal_draft_answer(
        actor=executor, appeal=appeal, text="Жол жөндеу жұмыстары мамыр айында басталады."
    )
    with translation.override(language):
        address = reverse("appeals:detail", kwargs={"pk": appeal.pk})
        approve = translation.gettext("Approve and send")

    sign_in("staff_pavlodar_house", language=language)
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        response = page.goto(address)
        assert response is not None and response.status == 200
        # The registrar did not draft the answer: approving it is the next step, open.
        button = page.locator(".next-step button.primary")
        expect(button).to_have_text(approve)
        expect(button).to_be_visible()
        folded = page.locator("details.action")
        assert folded.count() >= 4
        expect(page.locator("details.action[open]")).to_have_count(0)
        expect(page.locator("details.action button").first).to_be_hidden()
        # The answer editor, once unfolded, takes the column's width.
        page.locator("#draft-heading").click()
        editor = page.locator("#draft_text").bounding_box()
        column = page.locator("main .record-actions").bounding_box()
        assert editor is not None and column is not None
        assert editor["width"] >= column["width"] - 40
        assert editor["height"] >= 250
        wider = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wider <= 0, f"{width}px: the page is {wider}px wider than the screen"
        folder = os.environ.get("BIRLIK_SCREENSHOTS")
        if folder:
            page.screenshot(
                path=str(Path(folder) / f"appeal-record-{language}-{width}.png"), full_page=True
            )
        axe_check(page)
