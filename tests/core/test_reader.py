"""Reading the spreadsheets staff really have: what the file is, its raw rows, where its header
is, which columns mean what, which lines are not data, and the rows as text by field."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Mapping
from typing import Any

import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl import Workbook

from birlik.core import spreadsheets
from birlik.core.spreadsheets import (
    FieldSpec,
    Formula,
    ImportFileError,
    detect_mapping,
    extract,
    file_kind,
    find_header,
    header_key,
    match_header,
    non_data_reason,
    read_grid,
)
from birlik.imports import fields as catalogue
from birlik.registry.iin import make_iin

D = datetime.date
DT = datetime.datetime


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


MEMBERS = (
    FieldSpec("full_name", "Full name", ("full_name", "ФИО", "Т.А.Ә.", "Аты-жөні"), kind="name"),
    FieldSpec("iin", "IIN", ("iin", "ИИН", "ЖСН"), kind="iin"),
    FieldSpec("birth_date", "Date of birth", ("Дата рождения", "Туған күні"), kind="date"),
    FieldSpec("phone", "Phone", ("Телефон", "Тел."), kind="phone"),
    FieldSpec("position", "Position", ("Должность", "Лауазымы")),
    FieldSpec(
        "start_date", "Start of term", ("Дата вступления", "Мүшелікке кірген күні"), kind="date"
    ),
    FieldSpec("name", "Name", ("Атауы",)),
    FieldSpec("name_kk", "Name in Kazakh", ("Атауы (қазақша)",)),
)
EVENTS = (
    FieldSpec("title", "Title", ("Наименование мероприятия", "Іс-шара"), required=True),
    FieldSpec("date", "Date", ("Дата проведения", "Күні"), kind="date", required=True),
    FieldSpec("participants", "Participants", ("Охват", "Қатысушылар саны"), kind="number"),
    FieldSpec("year", "Year", ("Год", "Жыл"), kind="year"),
    FieldSpec("email", "E-mail", ("E-mail",), kind="email"),
)
HISTORY = (
    FieldSpec("year", "Year", ("Год", "Жыл"), kind="year", required=True),
    FieldSpec("events", "Events held", ("Количество мероприятий",), kind="number"),
)


def _iin_born(day: D) -> str:
    return next(code for serial in range(1, 50) if (code := make_iin(day, "f", serial)))


IIN_2003 = _iin_born(D(2003, 5, 4))  # starts with 0: Excel keeps 11 digits


# --- Building files -------------------------------------------------------------------------


def xlsx_bytes(build) -> bytes:
    workbook = Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def one_sheet(rows: list[list]) -> bytes:
    def build(workbook):
        for row in rows:
            workbook.active.append(row)

    return xlsx_bytes(build)


def zip_bytes(members: Mapping[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def ole_bytes(*streams: str) -> bytes:
    names = b"".join(name.encode("utf-16-le") + b"\x00\x00" for name in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + names + b"\x00" * 64


CONTENT_TYPES = '<?xml version="1.0"?><Types></Types>'


# --- What the file is -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (one_sheet([["ФИО"], ["Серіков"]]), "xlsx"),
        ("ФИО;ИИН\nСеріков;900101300017\n".encode(), "csv"),
        ("ФИО;ИИН\r\nСериков;900101300017\r\n".encode("cp1251"), "csv"),
        ("\ufeffФИО,ИИН\n".encode(), "csv"),
        ("ФИО\tИИН\n".encode("utf-16"), "csv"),  # Excel's "Unicode text"
        (b"BMI;Name\n24;Ann\n", "csv"),  # starts like a BMP, but is text
    ],
)
def test_file_kind_knows_xlsx_and_csv(data, kind):
    assert file_kind(data) == kind


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (
            zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": "<w/>"}),
            "This file is a Word document, not an XLSX or CSV spreadsheet.",
        ),
        (ole_bytes("Root Entry", "WordDocument", "1Table"), "This file is a Word document"),
        (ole_bytes("Root Entry", "Workbook"), "Old Excel files (.xls) are not supported."),
        (ole_bytes("Root Entry", "Book"), "Old Excel files (.xls) are not supported."),
        (ole_bytes(), "Old Excel files (.xls) and Word files (.doc) are not supported."),
        (ole_bytes("EncryptedInfo", "EncryptedPackage"), "protected by a password"),
        (ole_bytes("PowerPoint Document"), "This file is a PowerPoint presentation"),
        (
            zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "ppt/presentation.xml": "<p/>"}),
            "This file is a PowerPoint presentation",
        ),
        (
            zip_bytes(
                {
                    "mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                    "content.xml": "<x/>",
                }
            ),
            "This file is an OpenDocument spreadsheet (.ods)",
        ),
        (
            zip_bytes({"mimetype": "application/vnd.oasis.opendocument.text"}),
            "This file is an OpenDocument text",
        ),
        (
            zip_bytes({"[Content_Types].xml": CONTENT_TYPES, "xl/workbook.bin": b"\x00"}),
            "Excel binary workbook (.xlsb)",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "This file is a PDF document"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "This file is a picture (JPEG)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This file is a picture (PNG)"),
        (b"GIF89a\x01\x00\x01\x00", "This file is a picture (GIF)"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "This file is a picture (WEBP)"),
        (b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00", "This file is a picture (BMP)"),
        (b"II*\x00\x08\x00\x00\x00", "This file is a picture (TIFF)"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "This file is a picture (HEIC)"),
        (zip_bytes({"photo.jpg": b"\xff\xd8\xff"}), "This file is an archive (ZIP)"),
        (b"Rar!\x1a\x07\x01\x00", "This file is an archive (RAR)"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "This file is an archive (7z)"),
        (b"{\\rtf1\\ansi\\deff0 {\\fonttbl}", "This file is an RTF text document"),
        (b"<html xmlns:o='urn:schemas-microsoft-com:office:office'><body>", "web page (HTML)"),
        (b"\xef\xbb\xbf  <!DOCTYPE html><html><table>", "web page (HTML)"),
        (
            b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook '
            b'xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "Excel 2003 XML spreadsheet",
        ),
        (b"PK\x03\x04not really a zip", "The file is not an XLSX or CSV spreadsheet. It may be"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "The file is not an XLSX or CSV spreadsheet."),
        (b"ok;text\n\x01\x02\x03", "The file is not an XLSX or CSV spreadsheet."),
    ],
)
def test_file_kind_names_what_the_file_really_is_and_what_to_do(data, message):
    with pytest.raises(ImportFileError) as caught:
        file_kind(data)
    assert message in caught.value.message


# --- Raw rows -------------------------------------------------------------------------------


def test_read_grid_gives_raw_cells_of_the_first_visible_sheet_with_data():
    def build(workbook):
        hidden = workbook.active
        hidden.title = "lists"
        hidden.append(["hidden", "values"])
        hidden.sheet_state = "hidden"
        workbook.create_sheet("empty")
        data = workbook.create_sheet("data")
        data["A2"] = "  Серіков  "
        data["B2"] = 900101300017
        data["C2"] = DT(1990, 1, 1)
        data["D2"] = 12.5
        data["E2"] = "=SUM(B2:D2)"
        data["A4"] = "end"

    rows = list(read_grid(xlsx_bytes(build)))
    assert rows == [
        [],
        ["  Серіков  ", 900101300017, DT(1990, 1, 1), 12.5, "=SUM(B2:D2)"],
        [],
        ["end"],
    ]
    assert isinstance(rows[1][4], Formula)
    assert not isinstance(rows[1][0], Formula)


def test_read_grid_reads_past_a_wrong_size_written_in_the_file():
    data = one_sheet([["ФИО", "ИИН", "Телефон"], ["Серіков", 900101300017, 87012345678]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert '<dimension ref="A1:C2"/>' in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.replace('ref="A1:C2"', 'ref="A1"').encode()
    rows = list(read_grid(zip_bytes(parts)))
    assert rows == [["ФИО", "ИИН", "Телефон"], ["Серіков", 900101300017, 87012345678]]


def test_read_grid_stops_after_the_first_rows_asked_for():
    data = one_sheet([[f"row {n}"] for n in range(1, 501)])
    assert list(read_grid(data, first=30)) == [[f"row {n}"] for n in range(1, 31)]


@pytest.mark.parametrize(
    ("data", "rows"),
    [
        # Windows-1251, ";" and CRLF, a title line before the header, a comma inside a name.
        (
            "Список членов ЭКО\r\nФИО;ИИН;Телефон\r\nИванов, Иван;900101300017;8 701 234 56 78\r\n"
            "Петров Пётр;;\r\n".encode("cp1251"),
            [
                ["Список членов ЭКО"],
                ["ФИО", "ИИН", "Телефон"],
                ["Иванов, Иван", "900101300017", "8 701 234 56 78"],
                ["Петров Пётр", "", ""],
            ],
        ),
        # UTF-8 with a BOM, "," and quotes.
        (
            '\ufeffФИО,Лауазымы\n"Серіков Нұрлан","Төраға, ЭКО"\n'.encode(),
            [["ФИО", "Лауазымы"], ["Серіков Нұрлан", "Төраға, ЭКО"]],
        ),
        # Tab-separated UTF-16 ("Unicode text" from Excel).
        (
            "ФИО\tЖСН\r\nСеріков\t900101300017\r\n".encode("utf-16"),
            [["ФИО", "ЖСН"], ["Серіков", "900101300017"]],
        ),
        # A title line with a comma does not make "," the delimiter.
        (
            "Павлодар, 2024\nГод;Количество мероприятий\n2023;12\n2024;15\n".encode(),
            [["Павлодар, 2024"], ["Год", "Количество мероприятий"], ["2023", "12"], ["2024", "15"]],
        ),
    ],
)
def test_read_grid_reads_csv_in_every_encoding_and_delimiter_staff_save(data, rows):
    assert list(read_grid(data)) == rows


def test_read_grid_refuses_more_rows_than_allowed():
    data = ("ФИО\n" + "".join(f"Person {n}\n" for n in range(400))).encode()
    assert len(list(read_grid(data, max_rows=400))) == 401
    with pytest.raises(ImportFileError, match="more than 250 rows"):
        list(read_grid(data, max_rows=250))


def test_a_zip_that_inflates_too_much_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_INFLATED_BYTES", 1000)
    data = one_sheet([["x" * 2000]])
    with pytest.raises(ImportFileError, match="larger than"):
        list(read_grid(data))


@override_settings(IMPORT_MAX_BYTES=1024 * 1024)
def test_an_oversize_file_is_refused_before_it_is_read():
    with pytest.raises(ImportFileError, match="larger than 1 MB"):
        list(read_grid(b"a;b\n" + b"x" * (2 * 1024 * 1024)))


def test_a_broken_sheet_part_gets_a_message_not_a_stack_trace():
    data = one_sheet([["ФИО"], ["Серіков"]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:300]
    with pytest.raises(ImportFileError, match="could not be read as an XLSX"):
        list(read_grid(zip_bytes(parts)))


# --- Headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Т.А.Ә.", "ТАӘ"),
        ("т. а. ә", "ТАӘ"),
        ("Аты-жөні", "Аты жөні"),
        ("«ФИО»", "Ф.И.О."),
        ("Телефон:", "телефон"),
        ("ИИН/ЖСН", "ИИН ЖСН"),
        ("Kол-во участников", "Кол-во участников"),  # a Latin K
        ("full_name", "Full name"),
        ("Дата\nрождения", "Дата  рождения"),
    ],
)
def test_header_key_ignores_case_punctuation_spacing_and_lookalikes(one, other):
    assert header_key(one) == header_key(other)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Т.А.Ә.", "full_name"),
        ("т. а. ә", "full_name"),
        ("ФИО", "full_name"),
        ("аты жөні", "full_name"),
        ("ЖСН", "iin"),
        ("Дата рождения (дд.мм.гггг)", "birth_date"),
        ("Туған күні [кк.аа.жжжж]", "birth_date"),
        ("Атауы (қазақша)", "name_kk"),  # the bracket decides when it is a synonym itself
        ("Атауы", "name"),
        ("Атауы (толық)", "name"),  # a hint that is no synonym: the name without it
        ("Примечание", None),
        ("", None),
        (None, None),
        (2024, None),
    ],
)
def test_match_header_finds_the_field_a_header_means(text, key):
    assert match_header(text, MEMBERS) == key


def test_the_real_catalogues_know_the_headers_of_regional_files():
    members = catalogue.MEMBER_FIELDS
    assert match_header("Т.А.Ә.", members) == "full_name"
    assert match_header("ИИН", members) == "iin"
    assert match_header("Туған күні", members) == "birth_date"
    assert match_header("Тегі", members) == "last_name"
    assert match_header("Охват", catalogue.EVENT_FIELDS) == "participants"


def test_find_header_skips_titles_and_finds_the_row_naming_most_fields():
    rows: list[list[Any]] = [
        ["Список членов ЭКО Павлодарской области"],
        [None, "по состоянию на 01.01.2025"],
        [],
        ["№", "ФИО", "Телефон", "Должность"],
        [1, "Серіков Нұрлан", "87012345678", "Төраға"],
    ]
    assert find_header(rows, MEMBERS) == 3
    assert find_header(rows, MEMBERS, scan=3) is None


def test_find_header_takes_the_earliest_of_equal_rows_and_needs_two_names():
    assert find_header([["ФИО", "ИИН"], ["ФИО", "ИИН"]], MEMBERS) == 0
    assert find_header([["ФИО", "Примечание"], ["нет"]], MEMBERS) is None


def test_one_column_is_enough_when_it_is_the_only_required_field():
    assert find_header([["Отчёт"], ["Год", "Примечание"], ["2024"]], HISTORY) == 1
    assert find_header([["Количество мероприятий"], ["12"]], HISTORY) is None


def test_detect_mapping_gives_a_field_to_the_first_column_naming_it():
    header = ["№", "Т.А.Ә.", "ЖСН", "ФИО", None, "Телефон", "Ескерту"]
    assert detect_mapping(header, MEMBERS) == {1: "full_name", 2: "iin", 5: "phone"}


# --- Lines that are not data ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "note"),
    [
        (["Итого", None, 25], "Totals row “Итого”"),
        ([None, "ИТОГО по району:", 3, 120], "Totals row “ИТОГО по району:”"),
        (["Всего", 12], "Totals row"),
        (["Барлығы:", "", 45], "Totals row"),
        (["Барлық", 45], "Totals row"),
        (["Жиыны", 45], "Totals row"),
        (["Жиынтығы", 45], "Totals row"),
        (["Total", 45], "Totals row"),
        (["Subtotal", 45], "Totals row"),
        (["Grand total", 45], "Totals row"),
        ([5, "Итoго", 45], "Totals row"),  # a Latin o
        ([None, Formula("=SUM(C2:C9)"), Formula("=СУММ(D2:D9)")], "Totals row"),
        (["Директор", None, "__________", "А. Ахметов"], "Signature or approval line “Директор”"),
        (["Руководитель ЭКО", "А. Ахметов"], "Signature or approval line"),
        (["Исполнитель: Серікова А.", "тел. 8 7182 32-00-00"], "Signature or approval line"),
        (["Орындаған: Серікова А."], "Signature or approval line"),
        (["Басшы", "А. Ахметов"], "Signature or approval line"),
        (["Председатель", "А. Ахметов"], "Signature or approval line"),
        (["Төраға", "", "А. Ахметов"], "Signature or approval line"),
        (["Ахметов А.", "(подпись)"], "Signature or approval line"),
        (["Ахметов А.", "(қолы)"], "Signature or approval line"),
        (["М.П."], "Signature or approval line"),
        (["МО"], "Signature or approval line"),
        (["М.О."], "Signature or approval line"),
        (["", "________________"], "Signature or approval line"),
        (["Примечание: данные уточняются"], "A note or title line"),
        (["Ескерту:", "деректер нақтылануда"], "A note or title line"),
        (["Павлодарский район"], "A note or title line “Павлодарский район”"),
        ([1, 2, 3, 4, 5, 6], "Column numbers"),
        (["1", "2", "3"], "Column numbers"),
    ],
)
def test_non_data_reason_names_totals_signatures_notes_and_column_numbers(cells, note):
    assert note in (non_data_reason(cells) or "")


@pytest.mark.parametrize(
    "cells",
    [
        [1, "Серіков Нұрлан", "900101300017", "Директор школы", "87012345678"],
        ["Иванов Иван", "Председатель совета"],  # a role, but not in the first cell
        ["Всемирный день культуры", "01.03.2024", 40],
        [3, "Орындаушылар байқауы", "01.03.2024"],
        [1, 2, 4],
        [1, "2", "Асқар"],
        [None, ""],
    ],
)
def test_non_data_reason_leaves_data_alone(cells):
    assert non_data_reason(cells) is None


def test_a_single_text_is_data_when_the_table_has_one_column():
    assert non_data_reason(["Серіков Нұрлан"], fields_seen=False) is None
    assert non_data_reason(["Серіков Нұрлан"]) is not None


# --- Extracting the table -----------------------------------------------------------------------


def regional_members_file() -> bytes:
    """A members list as regions send it: a merged title, an "as of" line, the header on row 4,
    column numbers, sections, a page break, totals and signatures."""

    def build(workbook):
        sheet = workbook.active
        sheet.append(["Павлодар облысы ЭКО мүшелерінің тізімі"])
        sheet.merge_cells("A1:H1")
        sheet.append(["01.01.2025 жағдай бойынша"])
        sheet.merge_cells("A2:H2")
        sheet.append([])
        header = [
            "№",
            "Т.А.Ә.",
            "ЖСН",
            "Туған күні",
            "Телефон",
            "Лауазымы",
            "Мүшелікке кірген күні",
            "Ескерту",
        ]
        sheet.append(header)
        sheet.append([1, 2, 3, 4, 5, 6, 7, 8])
        sheet.append(["Павлодар қаласы"])
        sheet.merge_cells("A6:H6")
        sheet.append(
            [
                1,
                "Серіков  Нұрлан Асқарұлы",
                900101300017,
                DT(1990, 1, 1),
                87012345678,
                "Төраға",
                45352,
            ]
        )
        sheet.append(
            [
                2,
                "Бекова Әсем",
                int(IIN_2003),
                "12.05.2003",
                "8 (701) 234-56-78",
                "Мүше",
                D(2024, 3, 1),
            ]
        )
        sheet.append([])
        sheet.append(
            [
                3,
                "Иванов Иван Иванович",
                "9001 0130 0017",
                32874,
                "+7 7182 32-00-00",
                "=F7",
                "1.3.2024",
            ]
        )
        sheet.append(header)  # the page break printed the header again
        sheet.append(
            [
                4,
                "Ким Борис",
                None,
                "не помню",
                "8 701 234 56 78, 8 702 234 56 78",
                None,
                "2024-03-01 00:00:00",
            ]
        )
        sheet.append([5])  # a numbered row left empty
        sheet.append(["Барлығы", None, None, None, None, None, None, 4])
        sheet.append(["Төраға", None, "__________", None, "А. Ахметов"])
        sheet.append(["М.О."])

    return xlsx_bytes(build)


def test_extract_reads_a_regional_members_file_as_staff_see_it():
    result = extract(regional_members_file(), MEMBERS)
    assert result.header_line == 4
    assert result.header[:3] == ["№", "Т.А.Ә.", "ЖСН"]
    assert result.mapping == {
        1: "full_name",
        2: "iin",
        3: "birth_date",
        4: "phone",
        5: "position",
        6: "start_date",
    }
    assert result.unknown == ["№", "Ескерту"]
    assert result.rows == [
        (
            7,
            {
                "full_name": "Серіков Нұрлан Асқарұлы",
                "iin": "900101300017",
                "birth_date": "1990-01-01",
                "phone": "+77012345678",
                "position": "Төраға",
                "start_date": "2024-03-01",
            },
        ),
        (
            8,
            {
                "full_name": "Бекова Әсем",
                "iin": IIN_2003,
                "birth_date": "2003-05-12",
                "phone": "+77012345678",
                "position": "Мүше",
                "start_date": "2024-03-01",
            },
        ),
        (
            10,
            {
                "full_name": "Иванов Иван Иванович",
                "iin": "900101300017",
                "birth_date": "1990-01-01",
                "phone": "+77182320000",
                "position": "=F7",
                "start_date": "2024-03-01",
            },
        ),
        (
            12,
            {
                "full_name": "Ким Борис",
                "iin": "",
                "birth_date": "не помню",  # kept for the row check to report
                "phone": "8 701 234 56 78, 8 702 234 56 78",
                "position": "",
                "start_date": "2024-03-01",
            },
        ),
    ]
    skipped = dict(result.skipped)
    assert sorted(skipped) == [5, 6, 11, 14, 15, 16]
    assert skipped[5].startswith("Column numbers")
    assert skipped[6] == "A note or title line “Павлодар қаласы”, not a row of the table: skipped."
    assert skipped[11] == "The column names repeated (a page break): skipped."
    assert skipped[14] == "Totals row “Барлығы”: skipped."
    assert skipped[15].startswith("Signature or approval line “Төраға”")
    assert skipped[16].startswith("Signature or approval line")
    assert result.flags == {
        10: ["Column «Лауазымы»: a formula (=F7) was read as text, not computed."]
    }


def test_extract_reads_events_with_formulas_totals_and_numbers():
    def build(workbook):
        sheet = workbook.active
        sheet.append(["Отчёт о мероприятиях за 2024 год"])
        sheet.append(["Наименование мероприятия", "Дата проведения", "Охват", "Год"])
        sheet.append(["Наурыз мейрамы", DT(2024, 3, 21, 10, 0), 120.0, 2024])
        sheet.append(["Тіл мерекесі", "05.09.2024 г.", "1 200", "2024 г."])
        sheet.append(["Достық күні", 45413, "=10+5", "2024.0"])
        sheet["C6"] = "=SUM(C3:C5)"
        sheet["A6"] = "Итого"

    result = extract(xlsx_bytes(build), EVENTS)
    assert result.header_line == 2
    assert result.rows == [
        (
            3,
            {
                "title": "Наурыз мейрамы",
                "date": "2024-03-21",
                "participants": "120",
                "year": "2024",
            },
        ),
        (
            4,
            {"title": "Тіл мерекесі", "date": "2024-09-05", "participants": "1200", "year": "2024"},
        ),
        (
            5,
            {
                "title": "Достық күні",
                "date": "2024-05-01",
                "participants": "=10+5",
                "year": "2024.0",
            },
        ),
    ]
    assert result.flags == {
        5: ["Column «Охват»: a formula (=10+5) was read as text, not computed."]
    }
    assert result.skipped == [(6, "Totals row “Итого”: skipped.")]


def test_extract_reads_a_cp1251_csv_with_a_title_line():
    data = (
        "Мероприятия Дома дружбы\r\n"
        "Наименование мероприятия;Дата проведения;Охват;E-mail\r\n"
        "Круглый стол;01.03.2024;1\xa0200;info@example.kz\r\n"
        ";;;\r\n"
        "Всего;;1200;\r\n"
    ).encode("cp1251")
    result = extract(data, EVENTS)
    assert result.header_line == 2
    assert result.rows == [
        (
            3,
            {
                "title": "Круглый стол",
                "date": "2024-03-01",
                "participants": "1200",
                "email": "info@example.kz",
            },
        )
    ]
    assert result.skipped == [(5, "Totals row “Всего”: skipped.")]


def test_extract_reads_a_utf8_csv_with_a_bom_and_commas():
    data = "\ufeffКүні,Іс-шара\n2024-03-01,Наурыз\n".encode()
    assert extract(data, EVENTS).rows == [(2, {"date": "2024-03-01", "title": "Наурыз"})]


def test_extract_takes_the_header_line_and_columns_the_user_chose():
    data = "Название;Когда;Сколько\nКруглый стол;01.03.2024;40\n".encode()
    with pytest.raises(ImportFileError, match="No row among the first 15"):
        extract(data, EVENTS)
    result = extract(
        data, EVENTS, header_line=1, mapping={0: "title", 1: "date", 2: "participants"}
    )
    assert result.rows == [
        (2, {"title": "Круглый стол", "date": "2024-03-01", "participants": "40"})
    ]
    assert result.unknown == []


def test_extract_says_which_required_columns_are_missing():
    data = "Наименование мероприятия;Охват\nКруглый стол;40\n".encode()
    with pytest.raises(ImportFileError) as caught:
        extract(data, EVENTS)
    assert caught.value.message.startswith("These columns were not found: «Date».")
    with pytest.raises(ImportFileError, match="«Title», «Date»"):
        extract(data, EVENTS, header_line=1, mapping={1: "participants"})


def test_extract_refuses_a_header_line_past_the_end_of_the_file():
    with pytest.raises(ImportFileError, match="no row 9"):
        extract("Іс-шара;Күні\n".encode(), EVENTS, header_line=9)


def test_extract_keeps_a_person_with_only_a_name_but_skips_a_title():
    data = (
        "№;ФИО;Телефон\n1;Серіков Нұрлан;87012345678\n2;Бекова Әсем;\n;;\nАқсу ауданы;;\n".encode()
    )
    result = extract(data, MEMBERS)
    assert [line for line, _row in result.rows] == [2, 3]
    assert result.skipped == [
        (5, "A note or title line “Ақсу ауданы”, not a row of the table: skipped.")
    ]
    only_names = "ФИО;Телефон\nСеріков Нұрлан;\n".encode()
    assert extract(only_names, MEMBERS).rows == [(2, {"full_name": "Серіков Нұрлан", "phone": ""})]


def test_extract_reads_rows_given_instead_of_a_file():
    rows: list[list[Any]] = [
        ["Год", "Количество мероприятий"],
        [2023.0, 12.0],
        [None, None],
        ["2024 жыл", "15"],
    ]
    result = extract(iter(rows), HISTORY)
    assert result.rows == [
        (2, {"year": "2023", "events": "12"}),
        (4, {"year": "2024", "events": "15"}),
    ]


def test_extract_refuses_more_data_rows_than_allowed():
    data = ("Год;Количество мероприятий\n" + "2024;1\n" * 11).encode()
    assert len(extract(data, HISTORY, max_rows=11).rows) == 11
    with pytest.raises(ImportFileError, match="more than 10 rows"):
        extract(data, HISTORY, max_rows=10)


def test_a_sixty_thousand_row_file_is_read_row_by_row():
    header = "ФИО;ЖСН;Туған күні;Телефон;Лауазымы;Мүшелікке кірген күні;A;B;C;D\n"
    line = "Серіков Нұрлан;900101300017;01.01.1990;87012345678;Мүше;01.03.2024;a;b;c;d\n"
    data = (header + line * 60_000).encode()
    result = extract(data, MEMBERS)
    assert len(result.rows) == 60_000
    assert result.rows[-1] == (
        60_001,
        {
            "full_name": "Серіков Нұрлан",
            "iin": "900101300017",
            "birth_date": "1990-01-01",
            "phone": "+77012345678",
            "position": "Мүше",
            "start_date": "2024-03-01",
        },
    )
    with pytest.raises(ImportFileError, match="more than 60000 rows"):
        extract(data + line.encode(), MEMBERS)


# --- The first reader, kept for its callers ---------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"phone,email\n87010000001,\n", "These columns are missing: full_name."),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "The file is not an XLSX or CSV spreadsheet."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Old Excel files (.xls)"),
        (b"PK\x03\x04not really a zip", "The file is not an XLSX or CSV spreadsheet."),
        (b"full_name\n", "The file has no rows below the column names."),
        (b"full_name,full_name\nx,y\n", "Two columns of the file have the same name."),
    ],
)
def test_read_rows_still_refuses_broken_files_with_its_messages(data, message):
    with pytest.raises(ImportFileError) as caught:
        spreadsheets.read_rows(data, columns=["full_name", "phone"], required=["full_name"])
    assert caught.value.message.startswith(message)


def test_read_rows_still_reads_template_files():
    data = one_sheet(
        [["Full name", "Phone", "Other"], ["Дана", 77011112233, "x"], [None], ["Ерлан", None]]
    )
    table = spreadsheets.read_rows(data, columns=["full_name", "phone"], required=["full_name"])
    assert table.header == ["full_name", "phone", "other"]
    assert table.ignored == ["other"]
    assert table.rows == [
        (2, {"full_name": "Дана", "phone": "77011112233"}),
        (4, {"full_name": "Ерлан", "phone": ""}),
    ]
    csv_table = spreadsheets.read_rows(
        "full_name;phone\r\nСергей;+7 702 123 45 67\r\n".encode("cp1251"),
        columns=["full_name", "phone"],
        required=["full_name"],
    )
    assert csv_table.rows == [(2, {"full_name": "Сергей", "phone": "+7 702 123 45 67"})]


def test_xlsx_rows_still_gives_the_rows_of_a_sheet():
    assert list(spreadsheets.xlsx_rows(one_sheet([["indicator", "target"], ["a.b", 5]]))) == [
        ["indicator", "target"],
        ["a.b", 5],
    ]
    with pytest.raises(ImportFileError, match="not an XLSX or CSV"):
        list(spreadsheets.xlsx_rows(b"indicator;target\n"))
