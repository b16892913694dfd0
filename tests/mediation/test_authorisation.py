"""The authorisation matrix of confidential mediation records: every role × every record ×
every way of reading it. Nobody but the case's mediator and its centre's head reads a party's
name, and each of their reads is written to the audit log."""

from __future__ import annotations

import io
import sys

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from birlik.access.models import AuditEntry

from .conftest import PARTY_NAME

DENIED = [
    "admin",  # national administrator
    "coordinator_almaty",  # regional coordinator over the centre's region
    "staff_almaty_centre",  # staff of the centre itself
    "analyst",
    "auditor",
    "head_pavlodar",  # head of another centre
    "mediator_b",  # a mediator of the same centre, not on the case
    "nobody",  # signed in, no grant
    "anonymous",
]
ALLOWED = ["mediator_a", "head_almaty"]
# (record, way of reading it)
READS = [
    ("case", "list"),
    ("case", "detail"),
    ("case", "export"),
    ("case", "figures"),
    ("agreement", "list"),
    ("agreement", "download"),
    ("signed_scan", "list"),
    ("signed_scan", "download"),
    ("case", "portal"),
    ("case", "api"),  # the REST API gives mediation as aggregates only
]
MATRIX = [(role, record, way) for role in DENIED + ALLOWED for record, way in READS]


def _url(med, record: str, way: str) -> str:
    case = med.case
    if way == "list":
        return reverse("mediation:cases")
    if way == "detail":
        return reverse("mediation:case", args=[case.pk])
    if way == "export":
        return reverse("mediation:export")
    if way == "figures":
        return reverse("mediation:figures")
    if way == "portal":
        return reverse("mediation_portal:index")
    if way == "api":
        return "/api/v1/indicators/mediation.received"
    document = med.agreement if record == "agreement" else med.signed
    return reverse("mediation:document", args=[case.pk, document.pk])


def _body(response) -> bytes:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(
        "application/vnd.openxmlformats-officedocument.s"
    ):
        sheet = load_workbook(io.BytesIO(content)).active
        return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row).encode()
    return content


def _reads(user, case) -> int:
    return AuditEntry.objects.filter(
        actor=user, action=AuditEntry.Action.READ, object_id=str(case.pk)
    ).count()


def test_the_matrix_size_is_reported(capsys, record_property):
    size = (
        f"mediation authorisation matrix: {len(MATRIX)} cases "
        f"({len(DENIED) + len(ALLOWED)} roles × {len(READS)} record reads)"
    )
    record_property("matrix_size", len(MATRIX))
    with capsys.disabled():
        sys.stdout.write(f"\n{size}\n")
    assert len(MATRIX) == 110


@pytest.mark.parametrize(("role", "record", "way"), MATRIX)
def test_only_the_mediator_and_the_centre_head_read_a_case(client, med, role, record, way):
    user = None if role == "anonymous" else med.users[role]
    if user is not None:
        client.force_login(user)
    url = _url(med, record, way)
    before = _reads(user, med.case) if user else 0
    exports_before = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count()
    response = client.get(url)
    body = _body(response)
    allowed = role in ALLOWED
    if way in {"detail", "download"}:
        if allowed:
            assert response.status_code == 200
            assert _reads(user, med.case) == before + 1
            if way == "detail":
                assert PARTY_NAME.encode() in body
        else:
            assert response.status_code in {302, 404}
            if role == "anonymous":
                assert response.status_code == 302
            assert PARTY_NAME.encode() not in body
            assert (_reads(user, med.case) if user else 0) == before
        return
    if way == "export":
        if role in {"head_almaty", "head_pavlodar"}:
            # Any centre head exports the cases of their own centre, and only those.
            assert response.status_code == 200
            assert (PARTY_NAME.encode() in body) == (role == "head_almaty")
            assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == (
                exports_before + 1
            )
        else:
            assert response.status_code in {302, 404}
            assert PARTY_NAME.encode() not in body
            assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == (
                exports_before
            )
        return
    # Lists, figures and the portal never show a party's name, whoever asks.
    assert response.status_code in {200, 302, 404}
    assert PARTY_NAME.encode() not in body
    assert med.case.parties.first().phone.encode() not in body
    if way == "list" and response.status_code == 200:
        shown = med.case.number.encode() in body
        assert shown == allowed
