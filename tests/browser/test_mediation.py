"""A mediator opens their case, records a session and the agreement; the public mediation page
in Kazakh. Every page visited passes axe-core (no serious or critical violations)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from birlik.mediation.models import Document, Session
from tests.mediation.conftest import PARTY_NAME, PDF, med  # noqa: F401 - the fixture


def test_a_mediator_records_a_session_and_the_agreement(
    page: Page,
    sign_in: Callable[..., Page],
    axe_check: Callable[..., Any],
    med,  # noqa: F811
):
    sign_in("mediator_a", language="en")
    with translation.override("en"):
        cases = reverse("mediation:cases")
    page.goto(cases)
    expect(page.locator("h1")).to_have_text("Mediation cases")
    axe_check(page)

    page.get_by_role("link", name=med.case.number).click()
    expect(page.locator("h1")).to_contain_text(med.case.number)
    expect(page.get_by_text(PARTY_NAME).first).to_be_visible()
    axe_check(page)

    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    page.locator("#session_held_at").fill(now)
    page.locator("#session_place").fill("Room 2, House of Friendship")
    page.get_by_role("button", name="Record the session").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The session is recorded.")).to_be_visible()
    assert Session.objects.filter(case=med.case, place="Room 2, House of Friendship").exists()
    axe_check(page)

    page.locator("#agreement-action > summary").click()  # folded: the next step is to close
    page.locator("#agreement_terms").fill("The parties share the costs of the repair equally.")
    page.get_by_role("button", name="Generate the agreement").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The agreement is generated")).to_be_visible()
    assert Document.objects.filter(case=med.case, kind="agreement").count() == 2
    axe_check(page)

    # The parties signed the printed agreement: its scan is uploaded to the case.
    page.locator("#upload-action > summary").click()
    page.locator("#upload_kind").select_option("signed")
    page.locator("#upload_file").set_input_files(
        files=[{"name": "signed.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text("The document is uploaded.")).to_be_visible()
    assert Document.objects.filter(case=med.case, kind="signed").count() == 2
    axe_check(page)


def test_the_public_mediation_page_in_kazakh_is_accessible(
    page: Page,
    axe_check: Callable[..., Any],
    med,  # noqa: F811
):
    with translation.override("kk"):
        url = reverse("mediation_portal:index")
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "kk"
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_text("Almaty, Abay 1")).to_be_visible()
    assert PARTY_NAME not in page.content()
    axe_check(page)
