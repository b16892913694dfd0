"""A worker of a "Zhomart zhan" centre takes a request from intake to delivery: registers it,
verifies it with a document, attaches it to a project, records a donation (receipt) and hands
the help out with the recipient's signature; axe checks every page on the way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect

from birlik.charity.models import Distribution, Donation, HelpRequest, Project
from tests.charity.factories import build
from tests.conftest import Network


def test_a_centre_worker_takes_a_request_from_intake_to_delivery(
    page: Page,
    sign_in: Callable[..., Page],
    axe_check: Callable[..., Any],
    browser_network: Network,
    tmp_path: Path,
):
    charity = build(browser_network)
    sign_in("worker", language="en")

    page.goto("/en/workspace/charity/")
    expect(page.locator("h1")).to_have_text("Requests for help")
    axe_check(page)

    page.get_by_role("link", name="Register a request").click()
    expect(page.locator("h1")).to_have_text("Register a request for help")
    axe_check(page)
    page.select_option("#id_centre", str(charity.centre.pk))
    page.select_option("#id_category", "emergency")
    page.select_option("#id_region", str(charity.centre.region_id))
    page.fill("#id_need", "Үй өртеніп кетті: төсек-орын мен киім керек")
    page.fill("#id_amount", "120000")
    page.select_option("#id_beneficiary_kind", "family")
    page.fill("#id_beneficiary_name", "Серікбаевтар отбасы")
    page.fill("#id_phone", "+77015553322")
    page.check("#id_consent")
    page.get_by_role("button", name="Register the request").click()
    expect(page.locator("h1")).to_contain_text("Request ZhZ-")
    expect(page.locator("#beneficiary")).to_contain_text("Серікбаевтар отбасы")
    axe_check(page)
    request = HelpRequest.objects.get(beneficiary__name="Серікбаевтар отбасы")

    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.locator("#request-status")).to_have_text("Being verified")
    document = tmp_path / "act.pdf"
    document.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF")
    page.locator("#document-action > summary").click()  # folded: the next step is a visit
    page.set_input_files("#document_file", str(document))
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.get_by_role("link", name="Verification document 1")).to_be_visible()
    page.fill("#verify_public_need", "Өрттен кейін төсек-орын мен киім")
    page.get_by_role("button", name="Verify", exact=True).click()
    expect(page.locator("#request-status")).to_have_text("Verified, open for help")
    axe_check(page)

    page.select_option("#attach_project", str(charity.project.pk))
    page.get_by_role("button", name="Attach to the project").click()
    expect(page.locator("#request-status")).to_have_text("Being helped")
    axe_check(page)

    page.get_by_role("link", name=str(charity.project.title_en), exact=False).first.click()
    expect(page.locator("h2#ledger-heading")).to_be_visible()
    axe_check(page)
    page.check("#donation_kind_0")
    page.fill("#donation_amount", "150000")
    page.select_option("#donation_donor_kind", "company")
    page.fill("#donation_donor_name", "ТОО «Ертіс Құрылыс»")
    page.fill("#donation_donor_email", "ertis@example.kz")
    page.get_by_role("button", name="Record the donation and issue the receipt").click()
    expect(page.locator("h1")).to_contain_text("Receipt")
    expect(page.locator("article.receipt")).to_contain_text("ТОО «Ертіс Құрылыс»")
    axe_check(page)
    assert Donation.objects.get().receipt_seq == 1

    page.goto(f"/en/workspace/charity/requests/{request.pk}/")
    page.check("#distribute_kind_0")
    page.fill("#distribute_amount", "120000")
    page.check("#distribute_signed")
    page.get_by_role("button", name="Record the distribution").click()
    expect(page.locator("#distributions-heading")).to_be_visible()
    expect(page.get_by_text("signature recorded on")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Mark as delivered").click()
    expect(page.locator("#request-status")).to_have_text("Help delivered")
    axe_check(page)

    request.refresh_from_db()
    assert request.status == HelpRequest.Status.DELIVERED
    assert Distribution.objects.get(request=request).amount == 120_000
    project = Project.objects.get(pk=charity.project.pk)
    assert (project.money_in, project.money_out) == (150_000, 120_000)


def test_the_public_charity_pages_are_accessible(
    page: Page, axe_check: Callable[..., Any], browser_network: Network
):
    build(browser_network)
    for url in ("/kk/charity/", "/kk/charity/ask/", "/kk/charity/stories/"):
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        axe_check(page)
