"""Reading paper sign-in sheets: the registry import's file checks, then every row checked."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from birlik.events.sheets import SheetError, read_sheet


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_csv_sheet_gives_one_row_per_person_with_the_phone_normalised():
    data = (
        "full_name;phone;email\nАйгүл Сейітова;8 701 000 00 01;\n  Борис   Ким ;;kim@example.kz\n"
    )
    rows = read_sheet(data.encode("utf-8"))
    assert [(r.line, r.full_name, r.phone, r.email) for r in rows] == [
        (2, "Айгүл Сейітова", "+77010000001", ""),
        (3, "Борис Ким", "", "kim@example.kz"),
    ]


def test_an_xlsx_sheet_is_read_and_column_names_are_forgiving():
    data = xlsx([["Full name", "Phone"], ["Дана Серікова", 77011112233], [None, None]])
    rows = read_sheet(data)
    assert [(r.full_name, r.phone) for r in rows] == [("Дана Серікова", "+77011112233")]


def test_a_windows_1251_csv_is_read():
    rows = read_sheet("full_name,phone\nСергей Иванов,+7 702 123 45 67\n".encode("cp1251"))
    assert rows[0].full_name == "Сергей Иванов"


def test_every_bad_row_is_named_and_nothing_is_returned():
    data = "full_name,phone,email\n,87010000001,\nАсқар,12,\nДана,,not-an-email\nЕрлан,,\n"
    with pytest.raises(SheetError) as caught:
        read_sheet(data.encode())
    assert caught.value.messages == [
        "Line 2: the full name is missing.",
        "Line 3, phone “12”: A phone number has 11 digits with the code, e.g. 8 701 234 56 78 "
        "or +7 7182 32 00 00.",
        "Line 4: “not-an-email” is not an e-mail address.",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"phone,email\n87010000001,\n", "The column of names was not found."),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "The file is not an XLSX or CSV spreadsheet."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Old Excel files (.xls)"),
        (b"PK\x03\x04not really a zip", "The file is not an XLSX or CSV spreadsheet."),
        (b"full_name\n", "The sheet lists nobody: fill in one person per line."),
    ],
)
def test_a_broken_file_is_refused_with_the_import_message(data, message):
    with pytest.raises(SheetError) as caught:
        read_sheet(data)
    assert caught.value.messages[0].startswith(message)


def test_too_many_problems_are_summarised():
    data = "full_name,phone\n" + "".join(f"Person {n},1\n" for n in range(30))
    with pytest.raises(SheetError) as caught:
        read_sheet(data.encode())
    assert len(caught.value.messages) == 21
    assert caught.value.messages[-1] == "… and 10 more problems."
