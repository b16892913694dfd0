"""The authorisation matrix of confidential charity records: every role × every record ×
(list, detail, attachment, export) — nobody but the named caseworker and the centre's head
sees the beneficiary, the documents, the proofs or the donor, and their reads are audited."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from birlik.access.models import AuditEntry
from birlik.charity import services
from birlik.charity.models import Document, Kind

from .factories import BENEFICIARY, bring_to_helping

PHONE = "+77015550101"
DONOR = "Донор Құпиясы"
DONOR_EMAIL = "secret.donor@example.kz"
PLEDGER = "Жасырын Демеуші"
VERIFICATION_BYTES = b"%PDF-1.4\nVERIFICATION-SECRET\n%%EOF"
PROOF_BYTES = b"%PDF-1.4\nPROOF-SECRET\n%%EOF"
SECRETS = (BENEFICIARY, PHONE, DONOR, DONOR_EMAIL, PLEDGER, "VERIFICATION-SECRET", "PROOF-SECRET")

OUTSIDERS = (
    "national_admin",
    "regional_coordinator",
    "body_staff_not_named",
    "analyst",
    "auditor",
    "head_of_another_centre",
    "staff_of_another_body",
    "no_role",
    "anonymous",
)
INSIDERS = ("named_caseworker", "centre_head")
RECORDS = ("beneficiary", "verification_document", "proof_of_delivery", "donor")
OPERATIONS = ("list", "detail", "attachment", "export")


@pytest.fixture
def world(charity, network):
    """One request taken to delivery, with a verification document, a proof, a donor, a pledge."""
    request = charity.request
    verification = services.document_add(
        actor=charity.worker,
        help_request=request,
        file=SimpleUploadedFile("v.pdf", VERIFICATION_BYTES, "application/pdf"),
    )
    bring_to_helping(charity)
    donation = services.donation_record(
        actor=charity.worker,
        project=charity.project,
        kind=Kind.MONEY,
        amount=50_000,
        donor_name=DONOR,
        donor_email=DONOR_EMAIL,
        help_request=request,
    )
    services.pledge_make(
        help_request=request,
        kind=Kind.MONEY,
        amount=10_000,
        donor_name=PLEDGER,
        donor_phone="+77019998877",
    )
    distribution = services.distribution_record(
        actor=charity.worker,
        help_request=request,
        kind=Kind.MONEY,
        amount=40_000,
        proof_file=SimpleUploadedFile("p.pdf", PROOF_BYTES, "application/pdf"),
    )
    users = {
        "national_admin": network.users["admin"],
        "regional_coordinator": network.users["coordinator_pavlodar"],
        "body_staff_not_named": charity.colleague,
        "analyst": network.users["analyst"],
        "auditor": network.users["auditor"],
        "head_of_another_centre": charity.other_head,
        "staff_of_another_body": network.users["staff_pavlodar_house"],
        "no_role": network.users["nobody"],
        "anonymous": None,
        "named_caseworker": charity.worker,
        "centre_head": charity.head,
    }
    base = "/en/workspace/charity"
    pk = request.pk
    urls = {
        ("beneficiary", "list"): [f"{base}/", "/en/charity/"],
        ("beneficiary", "detail"): [
            f"{base}/requests/{pk}/",
            f"/en/charity/requests/{request.public_id}/",
        ],
        ("beneficiary", "attachment"): [f"{base}/requests/{pk}/documents/{verification.pk}/"],
        ("beneficiary", "export"): [f"{base}/beneficiaries.xlsx"],
        ("verification_document", "list"): [f"{base}/requests/{pk}/"],
        ("verification_document", "detail"): [f"{base}/requests/{pk}/"],
        ("verification_document", "attachment"): [
            f"{base}/requests/{pk}/documents/{verification.pk}/"
        ],
        ("verification_document", "export"): [f"{base}/beneficiaries.xlsx"],
        ("proof_of_delivery", "list"): [
            f"{base}/requests/{pk}/",
            f"{base}/projects/{charity.project.pk}/",
        ],
        ("proof_of_delivery", "detail"): [f"{base}/requests/{pk}/"],
        ("proof_of_delivery", "attachment"): [
            f"{base}/requests/{pk}/documents/{distribution.proof_id}/"
        ],
        ("proof_of_delivery", "export"): [f"{base}/projects/{charity.project.pk}/ledger.xlsx"],
        ("donor", "list"): [f"{base}/projects/{charity.project.pk}/", f"{base}/pledges/"],
        ("donor", "detail"): [f"{base}/donations/{donation.pk}/receipt/"],
        ("donor", "attachment"): [f"{base}/donations/{donation.pk}/receipt/"],
        ("donor", "export"): [f"{base}/projects/{charity.project.pk}/ledger.xlsx"],
    }
    return {"users": users, "urls": urls, "request": request, "donation": donation}


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    return content.decode("utf-8", errors="replace")


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_outsiders_see_no_confidential_record_anywhere(world):
    cells = 0
    leaks = []
    for role in OUTSIDERS:
        client = _client(world["users"][role])
        for record in RECORDS:
            for operation in OPERATIONS:
                cells += 1
                for url in world["urls"][(record, operation)]:
                    response = client.get(url)
                    assert response.status_code in (200, 302, 403, 404), (role, url)
                    if operation == "attachment" and response.status_code == 200:
                        leaks.append((role, record, operation, url, "file served"))
                    if record == "donor" and operation == "detail" and response.status_code == 200:
                        leaks.append((role, record, operation, url, "receipt served"))
                    body = _text(response) if response.status_code == 200 else ""
                    for secret in SECRETS:
                        if secret in body:
                            leaks.append((role, record, operation, url, secret))
    assert cells == len(OUTSIDERS) * len(RECORDS) * len(OPERATIONS) == 144
    assert leaks == []
    print(f"charity authorisation matrix: {cells} outsider cells, 0 leaks")  # noqa: T201


def test_no_read_of_personal_data_is_logged_for_outsiders(world):
    for role in OUTSIDERS:
        user = world["users"][role]
        client = _client(user)
        for urls in world["urls"].values():
            for url in urls:
                client.get(url)
        if user is not None:
            assert not AuditEntry.objects.filter(
                actor=user, action=AuditEntry.Action.READ
            ).exists(), role


@pytest.mark.parametrize("role", INSIDERS)
def test_named_caseworker_and_head_see_everything_with_an_audit_row_per_read(world, role):
    user = world["users"][role]
    client = _client(user)
    pk = world["request"].pk
    reads = lambda: AuditEntry.objects.filter(actor=user, action=AuditEntry.Action.READ).count()  # noqa: E731
    before = reads()
    page = client.get(f"/en/workspace/charity/requests/{pk}/")
    assert BENEFICIARY in page.content.decode() and PHONE in page.content.decode()
    assert reads() == before + 1
    for document in Document.objects.filter(request_id=pk):
        response = client.get(f"/en/workspace/charity/requests/{pk}/documents/{document.pk}/")
        assert response.status_code == 200
        assert b"SECRET" in b"".join(response.streaming_content)
    assert reads() == before + 3
    export = client.get("/en/workspace/charity/beneficiaries.xlsx")
    assert BENEFICIARY in _text(export)
    assert reads() == before + 4
    receipt = client.get(f"/en/workspace/charity/donations/{world['donation'].pk}/receipt/")
    assert DONOR in receipt.content.decode()
    assert reads() == before + 5
    pledges = client.get("/en/workspace/charity/pledges/")
    assert PLEDGER in pledges.content.decode()


def test_a_caseworker_named_later_sees_the_request_from_then_on(world, charity):
    client = _client(charity.colleague)
    url = f"/en/workspace/charity/requests/{world['request'].pk}/"
    assert BENEFICIARY not in client.get(url).content.decode()
    services.request_assign(
        actor=charity.head, help_request=world["request"], worker=charity.colleague
    )
    assert BENEFICIARY in client.get(url).content.decode()
