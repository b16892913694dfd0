"""The one safe XLSX writer: text a spreadsheet would run as a formula comes out as text,
through every export that writes XLSX."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from birlik.charity import queries as charity_queries
from birlik.charity.models import HelpRequest, Kind
from birlik.core import spreadsheets
from birlik.workspace import importing
from tests.charity.factories import bring_to_helping
from tests.charity.factories import build as build_charity

FORMULA = '=HYPERLINK("x")'
GUARDED = "'" + FORMULA


def cells(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_guarded(data: bytes) -> None:
    found = [cell for cell in cells(data) if isinstance(cell.value, str) and FORMULA in cell.value]
    assert found, "the value should be in the file"
    for cell in found:
        assert cell.data_type != "f"
        assert cell.value == GUARDED
    assert not any(cell.data_type == "f" for cell in cells(data))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3*cmd", "'-2+3*cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("+7 7182 32-00-00", "+7 7182 32-00-00"),  # a phone number imports back unchanged
        ("-5", "-5"),
        ("Достық", "Достық"),
        (12, 12),
        (None, None),
    ],
)
def test_cells_that_would_run_are_kept_as_text(value, written):
    assert spreadsheets.safe_cell(value) == written


def test_lazy_text_is_guarded_too():
    from django.utils.functional import lazy

    assert spreadsheets.safe_cell(lazy(lambda: "=1", str)()) == "'=1"


@pytest.mark.parametrize("write_only", [True, False])
def test_a_book_guards_every_sheet(write_only):
    book = spreadsheets.Book(write_only=write_only)
    first = book.sheet("Бірінші: [кестe]/1" + "x" * 40)
    first.append(["name", FORMULA])
    book.sheet("second").append([FORMULA, 3])
    data = book.bytes()
    assert_guarded(data)
    names = load_workbook(io.BytesIO(data)).sheetnames
    assert len(names) == 2 and all(len(name) <= 31 and "/" not in name for name in names)


def test_the_workspace_exports_guard_their_cells():
    assert_guarded(importing.xlsx_bytes(["name"], [[FORMULA]], title="bodies"))
    text = "".join(importing.csv_stream(["name"], [[FORMULA], ["+7 701 000 00 00"]]))
    assert '"\'=HYPERLINK(""x"")"' in text and "+7 701 000 00 00" in text


@pytest.mark.django_db
def test_a_public_charity_request_named_as_a_formula_is_text_in_the_staff_export(
    client, network, login
):
    charity = build_charity(network)
    answer = client.post(
        "/en/charity/ask/",
        {
            "category": "emergency",
            "urgency": "urgent",
            "need": "Үйіміз өртеніп кетті, киім мен төсек керек",
            "region": network.pavlodar.region_id,
            "amount": "150000",
            "name": FORMULA,
            "phone": "+77017770000",
            "consent": "on",
        },
    )
    assert answer.status_code == 200, answer.content.decode()[:3000]
    assert HelpRequest.objects.filter(beneficiary__name=FORMULA).exists()
    export = login(charity.head).get("/en/workspace/charity/beneficiaries.xlsx")
    assert export.status_code == 200
    assert_guarded(export.content)


@pytest.mark.django_db
def test_the_charity_ledger_guards_its_cells(network):
    from birlik.charity import services

    charity = build_charity(network)
    bring_to_helping(charity)
    services.donation_record(
        actor=charity.worker,
        project=charity.project,
        kind=Kind.IN_KIND,
        item=FORMULA,
        quantity=2,
        value=10_000,
        donor_name="Асель",
    )
    assert_guarded(charity_queries.ledger_workbook(charity.project))
