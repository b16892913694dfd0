"""The messy-file generator itself: each file opens (or fails to open) the way the real thing
does, and the values it promises to the import tests are true."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import replace
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from birlik.events.models import Event, Programme
from birlik.geo.models import District, Region
from birlik.registry.iin import validate_iin
from birlik.registry.models import EthnicGroup, OrganisationKind

from . import messy
from .messy import MESSY_MEMBERS, NBSP

RU_HEADER = [
    "№",
    "ФИО",
    "ИИН",
    "Дата рождения",
    "Должность",
    "Организация",
    "Телефон",
    "Дата вступления",
]


def _rows(data: bytes, *, data_only: bool = True, sheet: int = 0) -> list[list[Any]]:
    workbook = load_workbook(io.BytesIO(data), data_only=data_only)
    return [list(row) for row in workbook.worksheets[sheet].iter_rows(values_only=True)]


def _column(data: bytes, header: str, **kwargs: Any) -> list[Any]:
    """The data cells of a ``members_titled`` column, found by its header on row 4."""
    rows = _rows(data, **kwargs)
    index = rows[messy.HEADER_ROW - 1].index(header)
    first = messy.FIRST_DATA_ROW - 1
    return [row[index] for row in rows[first : first + len(MESSY_MEMBERS)]]


def _day(value: Any) -> datetime.date:
    """A date cell of ``members_large`` (a date, a datetime or dd.mm.yyyy text) as a date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.datetime.strptime(value, "%d.%m.%Y").date()


def _digits(value: Any) -> str:
    return re.sub(r"\D", "", str(value))


# --- members_titled ---------------------------------------------------------------------------


def test_members_list_has_merged_title_as_of_line_and_header_on_row_four():
    data = messy.members_titled()
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    rows = _rows(data)

    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:H1", "A2:H2"}
    assert rows[0][0] == "Список членов Ассамблеи народа Казахстана Павлодарской области"
    assert rows[1][0] == "по состоянию на 01.12.2026"
    assert all(value is None for value in rows[2])
    assert rows[3] == RU_HEADER
    assert workbook.sheetnames == ["Лист1", "Лист2"]


def test_members_list_ends_with_total_empty_row_and_signatures():
    rows = _rows(messy.members_titled())
    after = rows[messy.FIRST_DATA_ROW - 1 + len(MESSY_MEMBERS) :]

    assert after[0][:3] == ["Итого:", len(MESSY_MEMBERS), "человек"]
    assert all(value is None for value in after[1])
    assert after[2][1] == "Исполнитель: ____________ Ахметова А."
    assert after[3][1] == "Руководитель ____"
    assert len(after) == 4


@pytest.mark.parametrize(
    ("language", "total", "expected"),
    [
        (
            "kk",
            "Барлығы:",
            [
                "Р/с",
                "ЖСН",
                "Аты-жөні",
                "Туған күні",
                "Ұйым",
                "Лауазымы",
                "Мүшелікке кірген күні",
                "Телефон",
            ],
        ),
        (
            "en",
            "Total:",
            [
                "No.",
                "Full name",
                "Date of birth",
                "IIN",
                "Phone",
                "Organisation",
                "Position",
                "Member since",
            ],
        ),
    ],
)
def test_members_list_headers_follow_the_language_in_their_own_column_order(
    language, total, expected
):
    data = messy.members_titled(language=language)
    rows = _rows(data)

    assert rows[3] == expected
    assert rows[3] != RU_HEADER
    assert rows[messy.FIRST_DATA_ROW - 1 + len(MESSY_MEMBERS)][0] == total
    # The same people, whatever the order of the columns.
    names = _column(data, expected[1] if language == "en" else "Аты-жөні")
    assert names == [member.full_name for member in MESSY_MEMBERS]


def test_kazakh_name_header_can_be_the_abbreviation():
    rows = _rows(messy.members_titled(language="kk", name_header="Т.А.Ә."))

    assert "Т.А.Ә." in rows[3]
    assert "Аты-жөні" not in rows[3]


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="language"):
        messy.members_titled(language="de")


def test_formulas_are_stored_with_the_values_excel_saved():
    data = messy.members_titled()
    raw = _rows(data, data_only=False)
    total_row = messy.FIRST_DATA_ROW - 1 + len(MESSY_MEMBERS)

    assert raw[total_row][1] == f"=COUNTA(B5:B{4 + len(MESSY_MEMBERS)})"
    assert raw[messy.FIRST_DATA_ROW][0] == "=A5+1"  # the row number of the second row
    assert _column(data, "Дата вступления", data_only=False)[2] == "=DATE(2021,9,1)"
    # A reader that takes the saved values sees numbers and dates, not empty cells.
    assert _rows(data)[total_row][1] == len(MESSY_MEMBERS)
    assert [row[0] for row in _rows(data)[4 : 4 + len(MESSY_MEMBERS)]] == list(
        range(1, 1 + len(MESSY_MEMBERS))
    )
    assert _column(data, "Дата вступления")[2] == datetime.datetime(2021, 9, 1)


def test_members_list_holds_dates_in_every_form():
    data = messy.members_titled()
    cells = _column(data, "Дата рождения") + _column(data, "Дата вступления")
    texts = [cell for cell in cells if isinstance(cell, str)]

    assert any(isinstance(cell, datetime.datetime) for cell in cells)  # date and datetime cells
    assert any(re.fullmatch(r"\d\d\.\d\d\.\d{4}", text) for text in texts)
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\d", text) for text in texts)
    assert any(text.endswith(" г.") for text in texts)
    assert messy.excel_serial(datetime.date(1982, 7, 23)) in cells
    assert messy.excel_serial(datetime.date(1982, 7, 23)) == 30155  # as Excel counts


def test_members_list_holds_iins_as_numbers_texts_and_scientific_notation():
    cells = _column(messy.members_titled(), "ИИН")
    numbers = [cell for cell in cells if isinstance(cell, int)]
    texts = [cell for cell in cells if isinstance(cell, str)]

    assert any(len(str(number)) == 12 for number in numbers)
    assert any(len(str(number)) == 11 for number in numbers)  # born 2000-2009: lost its zero
    assert any(len(str(number)) == 9 for number in numbers)  # born in 2000: lost "000"
    assert any(NBSP in text for text in texts)
    assert any(" " in text for text in texts)
    assert "9.30512E+11" in texts


def test_promised_iins_are_valid_and_are_what_the_cells_hold():
    cells = _column(messy.members_titled(), "ИИН")

    for member, cell in zip(MESSY_MEMBERS, cells, strict=True):
        if member.iin_expected is None:
            assert "E+" in str(cell)
            continue
        facts = validate_iin(member.iin_expected)
        assert facts.birth_date == member.birth_expected
        assert _digits(cell).zfill(12) == member.iin_expected


def test_members_list_holds_phones_in_every_kazakh_format():
    cells = _column(messy.members_titled(), "Телефон")

    for wanted in ("8 (701) 234-56-78", "+7 701 234 56 78", "8 7182 32-00-00", "7012345679"):
        assert wanted in cells
    assert 87471234567 in cells
    assert any(NBSP in str(cell) for cell in cells)
    for member, cell in zip(MESSY_MEMBERS, cells, strict=True):
        digits = _digits(cell)
        digits = "7" + digits[-10:]
        assert digits == member.phone_expected


def test_members_list_holds_names_as_staff_type_them():
    names = _column(messy.members_titled(), "ФИО")

    assert "Сейтқали Нұрлан Асқарұлы" in names
    assert "Сейтқали Нұрлан Асқар ұлы" in names
    assert any("қызы" in name.split() for name in names)  # written apart
    assert any("  " in name for name in names)
    assert any(NBSP in name for name in names)
    sergeev = next(name for name in names if name.endswith("Алексей Иванович"))
    assert sergeev[0] == "C"  # a Latin C inside a Cyrillic word
    assert "Ахметов Н?рлан Болат?лы" in names


def test_duplicates_repeat_the_iin_of_the_row_they_point_at():
    duplicates = [member for member in MESSY_MEMBERS if member.duplicate_of is not None]

    assert len(duplicates) == 4
    assert duplicates[0] == replace(MESSY_MEMBERS[0], duplicate_of=0, note=duplicates[0].note)
    for member in duplicates:
        assert member.duplicate_of is not None
        original = MESSY_MEMBERS[member.duplicate_of]
        assert original.duplicate_of is None
        assert member.iin_expected == original.iin_expected
    assert any(re.search("[A-Za-z]", str(m.full_name)) for m in duplicates)  # look-alikes


# --- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter", "newline"),
    [("cp1251", ";", "\r\n"), ("utf-8-sig", ",", "\n"), ("utf-8", ";", "\r\n")],
)
def test_members_csv_decodes_with_its_encoding_and_delimiter(encoding, delimiter, newline):
    data = messy.members_csv(encoding=encoding, delimiter=delimiter, newline=newline)
    text = data.decode(encoding)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))

    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    assert text.count(newline) == 1 + len(MESSY_MEMBERS)
    assert rows[0] == RU_HEADER
    assert len(rows) == 1 + len(MESSY_MEMBERS)
    assert rows[1][3] == "12.03.1985"  # dates as Excel shows them
    assert rows[6][2] == str(int(MESSY_MEMBERS[5].iin_expected or "0"))  # leading zero lost


def test_members_csv_in_cp1251_loses_kazakh_letters_to_question_marks():
    cp1251 = messy.members_csv(encoding="cp1251").decode("cp1251")
    utf8 = messy.members_csv(encoding="utf-8").decode("utf-8")

    assert "Сейт?али Н?рлан Ас?ар?лы" in cp1251
    assert "Сейтқали Нұрлан Асқарұлы" in utf8
    with pytest.raises(UnicodeDecodeError):
        messy.members_csv(encoding="cp1251").decode("utf-8")


def test_members_csv_can_carry_the_whole_sheet_with_its_title():
    text = messy.members_csv(titled=True).decode("cp1251")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))

    assert rows[0][0].startswith("Список членов")
    assert rows[3] == RU_HEADER
    assert rows[-2][1].startswith("Исполнитель")


# --- Bodies, events, past figures --------------------------------------------------------------


def test_bodies_by_names_open_with_header_on_row_three():
    rows = _rows(messy.bodies_by_names())

    assert rows[2][:4] == ["№ п/п", "Наименование", "Вид", "Область"]
    assert len(rows) == 3 + len(messy.BODIES_BY_NAMES)
    regions = {row[3] for row in rows[3:]}
    assert {"ЮКО", "Семипалатинская обл.", "Нур-Султан", "павлодар облысы"} <= regions
    assert {"Совет старейшин", "Дом дружбы"} <= {row[2] for row in rows[3:]}
    assert {"уйгуры", "Корейцы", "немецкий"} <= {row[5] for row in rows[3:]}


def test_bodies_by_names_promise_codes_that_exist(db):
    for body in messy.BODIES_BY_NAMES:
        assert OrganisationKind.objects.filter(code=body.kind_expected).exists(), body.name
        region = Region.objects.get(iso=body.region_expected)
        if body.district_expected:
            district = District.objects.get(kato=body.district_expected)
            assert district.region == region, body.name
        for code in body.ethnic_expected:
            assert EthnicGroup.objects.filter(code=code).exists(), code


def test_events_report_opens_and_sums_participants_with_a_formula(db):
    data = messy.events_report()
    rows, raw = _rows(data), _rows(data, data_only=False)
    events = messy.EVENTS_REPORT

    assert rows[0][0].startswith("Отчет о мероприятиях")
    assert rows[2][1] == "Наименование мероприятия"
    assert raw[-1][6] == f"=SUM(G4:G{3 + len(events)})"
    assert rows[-1][1] == "Итого"
    assert rows[-1][6] == sum(event.participants_expected or 0 for event in events) == 1765
    assert {"«Мың бала»", "Мың бала"} <= {row[5] for row in rows[3:-1]}
    assert {"концерт", "круглый стол"} <= {row[4] for row in rows[3:-1]}
    kinds = {value for value, _label in Event.Kind.choices}
    for event in events:
        assert event.kind_expected in kinds
        if event.programme_expected:
            assert Programme.objects.filter(code=event.programme_expected).exists()


def test_history_figures_cover_2015_to_2022_with_totals():
    rows = _rows(messy.history_figures())
    data_rows = rows[2:-1]

    assert rows[1] == [
        "Год",
        "Организация",
        "Программа",
        "Количество мероприятий",
        "Охват участников",
    ]
    assert {int(str(row[0])[:4]) for row in data_rows} == set(range(2015, 2023))
    assert any(isinstance(row[0], str) for row in data_rows)  # "2016 г."
    expected = messy.history_rows()
    assert rows[-1][3] == sum(row.events_expected for row in expected)
    assert rows[-1][4] == sum(row.participants_expected for row in expected)


# --- Files that are not what their name says --------------------------------------------------


def test_word_renamed_is_a_word_document_not_a_workbook():
    data = messy.word_renamed()
    archive = zipfile.ZipFile(io.BytesIO(data))

    assert archive.testzip() is None
    assert {"[Content_Types].xml", "word/document.xml"} <= set(archive.namelist())
    assert "Сейтқали" in archive.read("word/document.xml").decode("utf-8")
    assert messy.WORD_RENAMED_NAME.endswith(".xlsx")
    with pytest.raises(OSError, match="no valid workbook part"):
        load_workbook(io.BytesIO(data))


def test_photo_renamed_is_a_jpeg():
    from PIL import Image

    data = messy.photo_renamed()

    assert data[:3] == b"\xff\xd8\xff"
    assert Image.open(io.BytesIO(data)).format == "JPEG"
    with pytest.raises(zipfile.BadZipFile):
        load_workbook(io.BytesIO(data))


def test_old_xls_is_an_ole_compound_file():
    data = messy.old_xls()

    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    assert len(data) % 512 == 0
    assert not zipfile.is_zipfile(io.BytesIO(data))


# --- members_large ----------------------------------------------------------------------------


def test_large_members_file_has_the_rows_asked_for_with_unique_valid_iins():
    data = messy.members_large(300, bad=5, seed=3)
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    members = list(messy.large_member_rows(300, bad=5, seed=3))

    assert rows[3] == RU_HEADER
    assert len(rows) == 4 + 300 + 1
    assert rows[-1][:3] == ["Итого:", 300, "человек"]
    good = [m for m in members if not m.note]
    assert len(good) == 295
    assert len({m.iin_expected for m in good}) == 295
    for member, row in zip(members, rows[4:-1], strict=True):
        assert row[1] == (member.full_name or None)  # an empty name is an empty cell
        assert _digits(row[2]).zfill(12) == _digits(member.iin).zfill(12)
        if not member.note:
            assert validate_iin(member.iin_expected or "").birth_date == member.birth_expected


def test_large_members_file_has_one_row_of_each_error():
    members = list(messy.large_member_rows(400, bad=5, seed=1))
    bad = {member.note: member for member in members if member.note}

    assert set(bad) == set(messy.LARGE_BAD_KINDS)
    with pytest.raises(ValidationError) as error:
        validate_iin(str(bad["bad_checksum"].iin))
    assert error.value.code == "iin_checksum"
    late = bad["birth_after_start"]
    assert late.birth_expected is not None
    assert late.birth_expected > _day(late.start_date)
    assert bad["empty_name"].full_name == ""
    assert re.search("[A-Za-z]", str(bad["phone_letters"].phone))
    duplicate = bad["duplicate"]
    assert duplicate.duplicate_of is not None
    original = members[duplicate.duplicate_of]
    assert (original.full_name, original.iin, original.phone) == (
        duplicate.full_name,
        duplicate.iin,
        duplicate.phone,
    )


def test_large_members_file_is_the_same_for_the_same_seed():
    first = list(messy.large_member_rows(200, bad=5, seed=7))

    assert first == list(messy.large_member_rows(200, bad=5, seed=7))
    assert first != list(messy.large_member_rows(200, bad=5, seed=8))


def test_large_members_file_mixes_kazakh_and_russian_names_and_lost_zeros():
    members = list(messy.large_member_rows(2000, bad=0, seed=1))

    assert any(re.search("[әғқңөұүһі]", m.full_name) for m in members)
    assert any(m.full_name.split()[-1].endswith(("ович", "овна", "евич", "евна")) for m in members)
    assert any(isinstance(m.iin, int) and len(str(m.iin)) == 11 for m in members)


def test_large_members_file_refuses_more_bad_rows_than_rows():
    with pytest.raises(ValueError, match="bad"):
        list(messy.large_member_rows(5, bad=5))
