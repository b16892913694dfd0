"""Spreadsheets as regional staff really keep them, built in code for the import tests and the
import benchmark: titles and signatures around the table, dates and IINs in every form, phones
in every Kazakh format, formulas, old region names, renamed Word files and photos.

Every builder returns the file's ``bytes``. The row types (``Member``, ``Body``, ``EventRow``,
``HistoryRow``) hold the cell values exactly as written (any type: text, int, date, datetime,
``Formula``) and what an importer should make of them (``*_expected``), so that a test can
say "this messy cell must become that value" without restating it.

    data = members_titled(MESSY_MEMBERS)            # XLSX, header on row 4, Russian
    data = members_csv(encoding="cp1251")           # Excel's "CSV (разделители — точка с запятой)"
    data = members_large(60_000, bad=5)             # the benchmark's file
"""

from __future__ import annotations

import csv
import datetime
import io
import random
import re
import struct
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from birlik.demo import names
from birlik.registry.iin import check_digit, make_iin

NBSP = "\u00a0"
EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug)
HEADER_ROW = 4  # the header line of ``members_titled`` (1-based, as staff see it)
FIRST_DATA_ROW = 5
AS_OF = "01.12.2026"

# Suggested names for the files that are not what their name says.
WORD_RENAMED_NAME = "Список членов АНК.xlsx"
PHOTO_RENAMED_NAME = "members.xlsx"
OLD_XLS_NAME = "Список членов 2019.xls"

PAVLODAR_ASSEMBLY = "Ассамблея Павлодарской области"  # the names of the tests' ``network``
PAVLODAR_HOUSE = "Дом дружбы Павлодарской области"
PAVLODAR_ELDERS = "Совет аксакалов"


@dataclass(frozen=True)
class Formula:
    """A formula cell and the value Excel saved next to it (openpyxl cannot compute it)."""

    text: str  # "=COUNTA(B5:B17)"
    cached: Any


def excel_serial(day: datetime.date) -> int:
    """The number Excel keeps for a date (what a date cell becomes once its format is lost)."""
    return (day - EXCEL_EPOCH).days


def valid_iin(birth: datetime.date, sex: str, serial: int = 1) -> str:
    """A valid IIN for a birth date and sex: the first serial from ``serial`` that has a check
    digit (``registry.iin.make_iin``)."""
    for candidate in range(serial, serial + 10_000):
        iin = make_iin(birth, sex, candidate)
        if iin is not None:
            return iin
    raise AssertionError("no serial gives a check digit")  # pragma: no cover - never happens


def bad_checksum(iin: str) -> str:
    """The same IIN with a wrong check digit."""
    control = check_digit(iin[:11])
    return iin[:11] + str(((control or 0) + 1) % 10)


# --- Members ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One line of a members list: the cells as staff typed them and the values they mean."""

    full_name: Any
    iin: Any
    birth_date: Any
    position: Any = "Член ассамблеи"
    body: Any = PAVLODAR_HOUSE
    phone: Any = None
    start_date: Any = datetime.date(2020, 1, 15)
    iin_expected: str | None = None  # the 12 digits an importer should read; None: unreadable
    birth_expected: datetime.date | None = None
    phone_expected: str | None = None  # 11 digits, country code first: "77012345678"
    duplicate_of: int | None = None  # index, in the same list, of the row this one repeats
    note: str = ""  # what is messy (or wrong) about the row


_B1985 = datetime.date(1985, 3, 12)
_B1990 = datetime.date(1990, 5, 14)
_B1978 = datetime.date(1978, 1, 1)
_B1982 = datetime.date(1982, 7, 23)
_B1969 = datetime.date(1969, 11, 30)
_B2005 = datetime.date(2005, 7, 12)
_B2003 = datetime.date(2003, 3, 12)
_B1993 = datetime.date(1993, 5, 12)
_IIN_1985 = valid_iin(_B1985, "m")
_IIN_1990 = valid_iin(_B1990, "f", 312)
_IIN_1978 = valid_iin(_B1978, "m", 456)
_IIN_1982 = valid_iin(_B1982, "m", 77)
_IIN_1969 = valid_iin(_B1969, "m", 2001)
_IIN_2005 = valid_iin(_B2005, "f", 15)
_IIN_2003 = valid_iin(_B2003, "m", 903)
_IIN_1993 = valid_iin(_B1993, "f", 120)
_B2000 = datetime.date(2000, 3, 8)
_IIN_2000 = valid_iin(_B2000, "f", 41)


def _spaced(iin: str, *, space: str = " ") -> str:
    return f"{iin[:6]}{space}{iin[6:9]}{space}{iin[9:]}"


# Every mess of items 2-5 and 12 of issue 13, one per row; rows 8-11 repeat earlier rows.
MESSY_MEMBERS: tuple[Member, ...] = (
    Member(
        "Сейтқали Нұрлан Асқарұлы",
        int(_IIN_1985),
        _B1985,
        position="Председатель",
        phone="8 (701) 234-56-78",
        start_date=datetime.datetime(2019, 3, 1),
        iin_expected=_IIN_1985,
        birth_expected=_B1985,
        phone_expected="77012345678",
        note="IIN as a number, birth date cell, start as a datetime cell, -ұлы written together",
    ),
    Member(
        "Жұмабаева Айгүл Серік қызы",
        _spaced(_IIN_1990),
        "14.05.1990",
        phone="+7 705 118 42 90",
        start_date="12.03.2015 г.",
        iin_expected=_IIN_1990,
        birth_expected=_B1990,
        phone_expected="77051184290",
        note="IIN with spaces, dd.mm.yyyy text, '12.03.2015 г.', қызы written apart",
    ),
    Member(
        "Иванов  Сергей Петрович",
        _spaced(_IIN_1978, space=NBSP),
        "1978-01-01",
        body=PAVLODAR_ASSEMBLY,
        phone=87471234567,
        start_date=Formula("=DATE(2021,9,1)", datetime.date(2021, 9, 1)),
        iin_expected=_IIN_1978,
        birth_expected=_B1978,
        phone_expected="77471234567",
        note="double space, IIN with NBSP, ISO text date, phone as a number, start is a formula",
    ),
    Member(
        "Cергеев Алексей Иванович",
        int(_IIN_1982),
        excel_serial(_B1982),
        position="Заместитель председателя",
        phone="8 7182 32-00-00",
        start_date="2016-02-20",
        iin_expected=_IIN_1982,
        birth_expected=_B1982,
        phone_expected="77182320000",
        note="Latin C inside Cyrillic, birth date as an Excel serial, Pavlodar landline",
    ),
    Member(
        "Ахметов Н?рлан Болат?лы",
        _IIN_1969,
        datetime.datetime(1969, 11, 30),
        body=PAVLODAR_ELDERS,
        phone="7012345679",
        start_date=excel_serial(datetime.date(2010, 6, 1)),
        iin_expected=_IIN_1969,
        birth_expected=_B1969,
        phone_expected="77012345679",
        note="Kazakh letters lost to '?', 10-digit phone, start as an Excel serial",
    ),
    Member(
        "Ким Алина Викторовна",
        int(_IIN_2005),
        datetime.datetime(2005, 7, 12),
        position="Член молодежного крыла",
        phone=f"+7{NBSP}777{NBSP}310{NBSP}12{NBSP}34",
        start_date=datetime.date(2024, 9, 15),
        iin_expected=_IIN_2005,
        birth_expected=_B2005,
        phone_expected="77773101234",
        note="born 2005: the IIN number lost its leading zero (11 digits), phone with NBSP",
    ),
    Member(
        "Юнусов Тимур Ахмедович",
        int(_IIN_2003),
        "12.03.2003 г.",
        phone="8(702)555 44 33",
        start_date="01.09.2022",
        iin_expected=_IIN_2003,
        birth_expected=_B2003,
        phone_expected="77025554433",
        note="born 2003: 11-digit IIN number, 'г.' after the date",
    ),
    Member(
        f"Ермекова{NBSP}Гүлнар Асқар қызы",
        "9.30512E+11",
        _B1993,
        phone="8 708 400 12 12",
        start_date=datetime.date(2018, 4, 2),
        iin_expected=None,
        birth_expected=_B1993,
        phone_expected="77084001212",
        note="IIN lost to scientific notation (cannot be read back), NBSP in the name",
    ),
    Member(
        "Сейтқали Нұрлан Асқарұлы",
        int(_IIN_1985),
        _B1985,
        position="Председатель",
        phone="8 (701) 234-56-78",
        start_date=datetime.datetime(2019, 3, 1),
        iin_expected=_IIN_1985,
        birth_expected=_B1985,
        phone_expected="77012345678",
        duplicate_of=0,
        note="exact duplicate of row 0",
    ),
    Member(
        "ИВАНОВ сергей  петрович ",
        int(_IIN_1978),
        "01.01.1978",
        body=PAVLODAR_ASSEMBLY,
        phone="87471234567",
        start_date=datetime.date(2021, 9, 1),
        iin_expected=_IIN_1978,
        birth_expected=_B1978,
        phone_expected="77471234567",
        duplicate_of=2,
        note="row 2 again: other case and spaces, IIN as a number",
    ),
    Member(
        "Kим Алина Bикторовна",
        _spaced(_IIN_2005),
        "12.07.2005",
        position="Член молодежного крыла",
        phone="+77773101234",
        start_date=datetime.date(2024, 9, 15),
        iin_expected=_IIN_2005,
        birth_expected=_B2005,
        phone_expected="77773101234",
        duplicate_of=5,
        note="row 5 again: Latin K and B inside Cyrillic, IIN text with spaces and its zero",
    ),
    Member(
        "Сейтқали Нұрлан Асқар ұлы",
        f"{_IIN_1985[:4]} {_IIN_1985[4:8]} {_IIN_1985[8:]}",
        "12.03.1985",
        position="Председатель",
        phone="+7 701 234 56 78",
        start_date="01.03.2019",
        iin_expected=_IIN_1985,
        birth_expected=_B1985,
        phone_expected="77012345678",
        duplicate_of=0,
        note="row 0 again: ұлы written apart, IIN in groups of four",
    ),
    Member(
        "Әлімжанова Аружан Ерланқызы",
        int(_IIN_2000),
        "08.03.2000",
        position="Волонтер",
        phone="8 747 555 01 02",
        start_date=datetime.date(2023, 5, 10),
        iin_expected=_IIN_2000,
        birth_expected=_B2000,
        phone_expected="77475550102",
        note="born in 2000: the IIN as a number lost all three leading zeros (9 digits)",
    ),
)

_MEMBER_KEYS = ("number", "full_name", "iin", "birth_date", "position", "body", "phone", "start")
# The header of each column, and the order staff put them in, per language.
MEMBER_HEADERS: dict[str, tuple[tuple[str, str], ...]] = {
    "ru": (
        ("number", "№"),
        ("full_name", "ФИО"),
        ("iin", "ИИН"),
        ("birth_date", "Дата рождения"),
        ("position", "Должность"),
        ("body", "Организация"),
        ("phone", "Телефон"),
        ("start", "Дата вступления"),
    ),
    "kk": (
        ("number", "Р/с"),
        ("iin", "ЖСН"),
        ("full_name", "Аты-жөні"),
        ("birth_date", "Туған күні"),
        ("body", "Ұйым"),
        ("position", "Лауазымы"),
        ("start", "Мүшелікке кірген күні"),
        ("phone", "Телефон"),
    ),
    "en": (
        ("number", "No."),
        ("full_name", "Full name"),
        ("birth_date", "Date of birth"),
        ("iin", "IIN"),
        ("phone", "Phone"),
        ("body", "Organisation"),
        ("position", "Position"),
        ("start", "Member since"),
    ),
}
_MEMBER_TEXTS: dict[str, dict[str, str]] = {
    "ru": {
        "sheet": "Лист1",
        "title": "Список членов Ассамблеи народа Казахстана Павлодарской области",
        "as_of": f"по состоянию на {AS_OF}",
        "total": "Итого:",
        "people": "человек",
        "clerk": "Исполнитель: ____________ Ахметова А.",
        "head": "Руководитель ____",
    },
    "kk": {
        "sheet": "Парақ1",
        "title": "Павлодар облысы Қазақстан халқы Ассамблеясы мүшелерінің тізімі",
        "as_of": f"{AS_OF} жылғы жағдай бойынша",
        "total": "Барлығы:",
        "people": "адам",
        "clerk": "Орындаушы: ____________ Ахметова А.",
        "head": "Басшы ____",
    },
    "en": {
        "sheet": "Sheet1",
        "title": "Members of the Assembly of People of Kazakhstan, Pavlodar Region",
        "as_of": f"as of {AS_OF}",
        "total": "Total:",
        "people": "people",
        "clerk": "Prepared by: ____________ Akhmetova A.",
        "head": "Head ____",
    },
}


def _member_cells(member: Member, number: Any) -> dict[str, Any]:
    return {
        "number": number,
        "full_name": member.full_name,
        "iin": member.iin,
        "birth_date": member.birth_date,
        "position": member.position,
        "body": member.body,
        "phone": member.phone,
        "start": member.start_date,
    }


def _column(index: int) -> str:
    """The letter of a 0-based column (A..Z is all a members list needs)."""
    return chr(ord("A") + index)


@dataclass
class _Sheet:
    """A sheet to write: its rows of cell values, merged ranges and styling."""

    title: str
    rows: list[list[Any]]
    merges: list[str] = field(default_factory=list)
    bold: set[int] = field(default_factory=set)  # 1-based rows in bold (titles, header)


def _members_sheet(
    rows: Sequence[Member], language: str, name_header: str | None, formulas: bool
) -> _Sheet:
    try:
        columns = MEMBER_HEADERS[language]
        texts = _MEMBER_TEXTS[language]
    except KeyError:
        raise ValueError(f"language must be one of {sorted(MEMBER_HEADERS)}") from None
    width = len(columns)
    last = _column(width - 1)
    keys = [key for key, _header in columns]
    header = [name_header if key == "full_name" and name_header else h for key, h in columns]
    name_col = _column(keys.index("full_name"))
    number_col = _column(keys.index("number"))
    first, end = FIRST_DATA_ROW, FIRST_DATA_ROW + len(rows) - 1

    grid: list[list[Any]] = [[texts["title"]], [texts["as_of"]], [], header]
    for index, member in enumerate(rows):
        line = FIRST_DATA_ROW + index
        # Staff number rows with "=A5+1": a formula in a data row.
        number: Any = index + 1
        if formulas and index > 0:
            number = Formula(f"={number_col}{line - 1}+1", index + 1)
        cells = _member_cells(member, number)
        grid.append([cells[key] for key in keys])
    count: Any = len(rows)
    if formulas:
        count = Formula(f"=COUNTA({name_col}{first}:{name_col}{max(first, end)})", len(rows))
    total: list[Any] = [None] * width
    total[0], total[1], total[2] = texts["total"], count, texts["people"]
    grid += [total, [], [None, texts["clerk"]], [None, texts["head"]]]
    return _Sheet(
        title=texts["sheet"],
        rows=grid,
        merges=[f"A1:{last}1", f"A2:{last}2"],
        bold={1, HEADER_ROW, end + 1},
    )


def members_titled(
    rows: Sequence[Member] = MESSY_MEMBERS,
    *,
    language: str = "ru",
    name_header: str | None = None,
    formulas: bool = True,
    second_sheet: bool = True,
) -> bytes:
    """A members list as a regional office keeps it (XLSX): a merged title, a merged "as of"
    line, an empty row, the header on row 4 (``language``: ru, kk or en, each with its own
    column order), the rows, an "Итого: N человек" line (N a COUNTA formula), an empty row
    and two signature lines. ``name_header`` replaces the full-name header (kk: "Т.А.Ә.")."""
    sheets = [_members_sheet(rows, language, name_header, formulas)]
    if second_sheet:
        sheets.append(_Sheet(title="Лист2" if language == "ru" else "Sheet2", rows=[]))
    return _xlsx(sheets)


def members_csv(
    rows: Sequence[Member] = MESSY_MEMBERS,
    *,
    encoding: str = "cp1251",
    delimiter: str = ";",
    newline: str = "\r\n",
    language: str = "ru",
    titled: bool = False,
) -> bytes:
    """A members list saved by Excel as CSV: the header and the rows (``titled``: the title,
    total and signature lines too, as Excel saves the whole sheet). Cells are written as
    Excel shows them (dd.mm.yyyy dates, numbers without a format). In cp1251 the Kazakh
    letters that code page lacks become "?", as Excel writes them."""
    sheet = _members_sheet(rows, language, None, formulas=False)
    lines = sheet.rows if titled else sheet.rows[HEADER_ROW - 1 : HEADER_ROW + len(rows)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    for line in lines:
        writer.writerow([_as_text(value) for value in line])
    return buffer.getvalue().encode(encoding, errors="replace")


def _as_text(value: Any) -> str:
    """A cell as Excel shows it in a CSV file."""
    if isinstance(value, Formula):
        return _as_text(value.cached)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{value:%d.%m.%Y} {value.hour}:{value:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- Bodies -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    """One line of a list of bodies, with regions, kinds and ethnic groups written by name."""

    name: str
    kind: str
    region: str
    district: str = ""
    ethnic_groups: str = ""
    phone: Any = None
    founded_on: Any = None
    parent: str = ""
    kind_expected: str = ""  # OrganisationKind.code
    region_expected: str = ""  # Region.iso
    district_expected: str | None = None  # District.kato
    ethnic_expected: tuple[str, ...] = ()  # EthnicGroup.code
    note: str = ""


BODIES_BY_NAMES: tuple[Body, ...] = (
    Body(
        "Корейский этнокультурный центр Павлодарской области",
        "Этнокультурное объединение",
        "Павлодарская обл.",
        "г. Павлодар",
        "Корейцы",
        "8 (7182) 53-12-40",
        datetime.date(1995, 4, 12),
        PAVLODAR_ASSEMBLY,
        "ethnocultural_association",
        "KZ-55",
        "551000000",
        ("korean",),
        note="'обл.' abbreviation, 'г.' before the city",
    ),
    Body(
        "Уйгурский этнокультурный центр г. Экибастуз",
        "этнокультурное объединение",
        "павлодар облысы",
        "г. Экибастуз",
        "уйгуры",
        "8 7187 75-10-10",
        "15.09.2001",
        PAVLODAR_ASSEMBLY,
        "ethnocultural_association",
        "KZ-55",
        "552200000",
        ("uyghur",),
        note="Kazakh region name in lower case, ethnic group in lower case",
    ),
    Body(
        "Немецкий культурный центр «Видергебурт»",
        "Этнокультурное объединение",
        "Павлодар облысы",
        "Екібастұз қаласы",
        "немецкий",
        None,
        2003,
        PAVLODAR_ASSEMBLY,
        "ethnocultural_association",
        "KZ-55",
        "552200000",
        ("german",),
        note="district in Kazakh with 'қаласы', ethnic group as an adjective, founding year only",
    ),
    Body(
        "Дом дружбы г. Экибастуз",
        "Дом дружбы",
        "Павлодарская область",
        "Экибастуз",
        "",
        "+7 7187 34 56 78",
        datetime.datetime(2012, 10, 1),
        PAVLODAR_ASSEMBLY,
        "house_of_friendship",
        "KZ-55",
        "552200000",
        note="kind by its Russian label",
    ),
    Body(
        "Славянский культурный центр г. Аксу",
        "Этнокультурное объединение",
        "Павлодарская обл.",
        "г.Аксу",
        "русские, украинцы; белорусы",
        None,
        None,
        PAVLODAR_ASSEMBLY,
        "ethnocultural_association",
        "KZ-55",
        "551600000",
        ("russian", "ukrainian", "belarusian"),
        note="three ethnic groups with mixed separators, no space after 'г.'",
    ),
    Body(
        "Совет старейшин Сайрамского района",
        "Совет старейшин",
        "ЮКО",
        "Сайрамский район",
        kind_expected="elders_council",
        region_expected="KZ-61",
        district_expected="615200000",
        note="old abbreviation ЮКО (now Turkistan Region), kind by another label",
    ),
    Body(
        "Узбекский этнокультурный центр Сайрамского района",
        "Этнокультурное объединение",
        "Южно-Казахстанская область",
        "Сайрамский р-н",
        "узбеки",
        kind_expected="ethnocultural_association",
        region_expected="KZ-61",
        district_expected="615200000",
        ethnic_expected=("uzbek",),
        note="old region name, 'р-н' abbreviation",
    ),
    Body(
        "Татарский культурный центр «Якташлар»",
        "Этнокультурное объединение",
        "Семипалатинская обл.",
        "г. Семей",
        "татары",
        kind_expected="ethnocultural_association",
        region_expected="KZ-10",
        district_expected="101000000",
        ethnic_expected=("tatar",),
        note="Semipalatinsk Region (gone since 1997; Semey is in Abai Region now)",
    ),
    Body(
        "Совет старейшин Аягозского района",
        "Совет старейшин",
        "Восточно-Казахстанская область",
        "Аягозский район",
        kind_expected="elders_council",
        region_expected="KZ-10",
        district_expected="103600000",
        note="Ayagoz District moved from East Kazakhstan to Abai Region in 2022",
    ),
    Body(
        "Дом дружбы города Астаны",
        "Дом дружбы",
        "Нур-Султан",
        kind_expected="house_of_friendship",
        region_expected="KZ-71",
        note="Astana by its 2019-2022 name",
    ),
)

BODY_HEADERS: tuple[tuple[str, str], ...] = (
    ("number", "№ п/п"),
    ("name", "Наименование"),
    ("kind", "Вид"),
    ("region", "Область"),
    ("district", "Район / город"),
    ("ethnic_groups", "Этнос"),
    ("phone", "Телефон"),
    ("founded_on", "Дата создания"),
    ("parent", "Вышестоящая организация"),
)


def bodies_by_names(rows: Sequence[Body] = BODIES_BY_NAMES) -> bytes:
    """A list of bodies (XLSX) with regions, districts, kinds and ethnic groups by their names
    as staff write them (abbreviations, Kazakh or Russian, old names): a merged title, an empty
    row, the header on row 3."""
    width = len(BODY_HEADERS)
    grid: list[list[Any]] = [
        ["Реестр организаций Ассамблеи народа Казахстана (по областям)"],
        [],
        [header for _key, header in BODY_HEADERS],
    ]
    for index, body in enumerate(rows, start=1):
        cells = {"number": index, **{key: getattr(body, key) for key, _h in BODY_HEADERS[1:]}}
        grid.append([cells[key] or None for key, _header in BODY_HEADERS])
    return _xlsx(
        [_Sheet("Реестр", grid, merges=[f"A1:{_column(width - 1)}1"], bold={1, 3})],
    )


# --- Events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    """One line of a regional activity report."""

    title: str
    date: Any
    organiser: str
    kind: str
    programme: str
    participants: Any
    place: str
    date_expected: datetime.date | None = None
    kind_expected: str = ""  # Event.Kind value
    programme_expected: str = ""  # Programme code, "" for none
    participants_expected: int | None = None
    note: str = ""


EVENTS_REPORT: tuple[EventRow, ...] = (
    EventRow(
        "Концерт «Достық шуағы»",
        datetime.date(2025, 10, 5),
        PAVLODAR_HOUSE,
        "концерт",
        "",
        250,
        "Дом дружбы, г. Павлодар",
        datetime.date(2025, 10, 5),
        "concert",
        "",
        250,
    ),
    EventRow(
        "Круглый стол «Единство в многообразии»",
        "14.10.2025",
        PAVLODAR_ASSEMBLY,
        "круглый стол",
        "",
        40,
        "г. Павлодар, ул. Сатпаева, 50",
        datetime.date(2025, 10, 14),
        "round_table",
        "",
        40,
        note="date as text",
    ),
    EventRow(
        "Конкурс чтецов на казахском языке",
        datetime.datetime(2025, 11, 2, 10, 0),
        PAVLODAR_ASSEMBLY,
        "Конкурс",
        "«Мың бала»",
        "120 чел.",
        "СОШ № 24, г. Павлодар",
        datetime.date(2025, 11, 2),
        "competition",
        "myn_bala",
        120,
        note="date with a time, 'чел.' after the count, programme in guillemets",
    ),
    EventRow(
        "Мәнерлеп оқу байқауы",
        "2025-11-20",
        PAVLODAR_HOUSE,
        "конкурс",
        "Мың бала",
        Formula("=85+35", 120),
        "Екібастұз қаласы, № 3 мектеп",
        datetime.date(2025, 11, 20),
        "competition",
        "myn_bala",
        120,
        note="ISO text date, programme without quotes, participants a formula",
    ),
    EventRow(
        "Круглый стол «Бір ел – бір мүдде»",
        excel_serial(datetime.date(2025, 12, 3)),
        PAVLODAR_ELDERS,
        "Круглый стол",
        "",
        "35",
        "Баянауыл ауданы",
        datetime.date(2025, 12, 3),
        "round_table",
        "",
        35,
        note="date as an Excel serial, count as text",
    ),
    EventRow(
        "Праздничный концерт ко Дню Независимости",
        "16.12.2025 г.",
        PAVLODAR_HOUSE,
        "Концерт",
        "",
        f"1{NBSP}200",
        "Дворец культуры им. Естая",
        datetime.date(2025, 12, 16),
        "concert",
        "",
        1200,
        note="'г.' after the date, thousands separated by NBSP",
    ),
)

EVENT_HEADERS: tuple[tuple[str, str], ...] = (
    ("number", "№"),
    ("title", "Наименование мероприятия"),
    ("date", "Дата проведения"),
    ("organiser", "Организатор"),
    ("kind", "Вид мероприятия"),
    ("programme", "Программа"),
    ("participants", "Кол-во участников"),
    ("place", "Место проведения"),
)


def events_report(rows: Sequence[EventRow] = EVENTS_REPORT, *, year: int = 2025) -> bytes:
    """A regional activity report (XLSX): a merged title, an empty row, the header on row 3,
    the events, then "Итого" with the participants summed by a formula."""
    width = len(EVENT_HEADERS)
    keys = [key for key, _header in EVENT_HEADERS]
    title = (
        "Отчет о мероприятиях, проведенных Ассамблеей народа Казахстана "
        f"Павлодарской области за {year} год"
    )
    grid: list[list[Any]] = [[title], [], [header for _key, header in EVENT_HEADERS]]
    for index, event in enumerate(rows, start=1):
        cells = {"number": index, **{key: getattr(event, key) for key in keys[1:]}}
        grid.append([cells[key] if cells[key] != "" else None for key in keys])
    column = _column(keys.index("participants"))
    total = sum(event.participants_expected or 0 for event in rows)
    totals: list[Any] = [None] * width
    totals[1] = "Итого"
    totals[keys.index("participants")] = Formula(
        f"=SUM({column}4:{column}{3 + max(1, len(rows))})", total
    )
    grid.append(totals)
    return _xlsx([_Sheet("Отчет", grid, merges=[f"A1:{_column(width - 1)}1"], bold={1, 3})])


# --- Past figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    """Events held and participants by year, body and programme, from before Birlik."""

    year: Any
    body: str
    programme: str
    events: Any
    participants: Any
    year_expected: int = 0
    events_expected: int = 0
    participants_expected: int = 0


def history_rows(
    *,
    years: Iterable[int] = range(2015, 2023),
    bodies: Sequence[str] = (PAVLODAR_ASSEMBLY, PAVLODAR_HOUSE),
    seed: int = 1,
) -> list[HistoryRow]:
    """Figures for each year and body, some cells written the messy way ("2016 г.", "1 250"
    with NBSP, 12.0)."""
    rng = random.Random(seed)
    programmes = ("", "«Мың бала»", "Рухани жаңғыру", "")
    rows = []
    for year in years:
        for index, body in enumerate(bodies):
            events = rng.randint(8, 60)
            participants = events * rng.randint(25, 90)
            year_cell: Any = year
            events_cell: Any = events
            people_cell: Any = participants
            match (year + index) % 5:
                case 1:
                    year_cell = f"{year} г."
                case 2:
                    people_cell = f"{participants:,}".replace(",", NBSP)
                case 3:
                    events_cell = float(events)
                case 4:
                    year_cell = f"{year} год"
            rows.append(
                HistoryRow(
                    year_cell,
                    body,
                    programmes[(year + index) % len(programmes)],
                    events_cell,
                    people_cell,
                    year,
                    events,
                    participants,
                )
            )
    return rows


def history_figures(rows: Sequence[HistoryRow] | None = None) -> bytes:
    """Past figures (XLSX), years 2015-2022 by default: a title, the header on row 2 (no
    empty row), the rows and a "Всего" line with formulas."""
    rows = history_rows() if rows is None else rows
    header = ["Год", "Организация", "Программа", "Количество мероприятий", "Охват участников"]
    grid: list[list[Any]] = [
        ["Сведения о проведенных мероприятиях за 2015–2022 годы"],
        header,
    ]
    for row in rows:
        grid.append([row.year, row.body, row.programme or None, row.events, row.participants])
    end = 2 + max(1, len(rows))
    grid.append(
        [
            "Всего",
            None,
            None,
            Formula(f"=SUM(D3:D{end})", sum(r.events_expected for r in rows)),
            Formula(f"=SUM(E3:E{end})", sum(r.participants_expected for r in rows)),
        ]
    )
    return _xlsx([_Sheet("2015-2022", grid, merges=["A1:E1"], bold={1, 2})])


# --- Files that are not spreadsheets ----------------------------------------------------------


def word_renamed() -> bytes:
    """A minimal valid Word document (a members table typed in Word), to be uploaded as .xlsx:
    a ZIP like an XLSX, but without a workbook inside."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/>'
        "</Relationships>"
    )

    def paragraph(text: str) -> str:
        return f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>"

    def table_row(*cells: str) -> str:
        return "<w:tr>" + "".join(f"<w:tc>{paragraph(c)}</w:tc>" for c in cells) + "</w:tr>"

    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body>"
        + paragraph("Список членов Ассамблеи народа Казахстана Павлодарской области")
        + "<w:tbl>"
        + table_row("№", "ФИО", "ИИН")
        + table_row("1", "Сейтқали Нұрлан Асқарұлы", _IIN_1985)
        + table_row("2", "Иванов Сергей Петрович", _IIN_1978)
        + "</w:tbl>"
        + "<w:sectPr/></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def photo_renamed() -> bytes:
    """A small JPEG photo (a list photographed with a phone), to be uploaded as .xlsx."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is installed with the project
        # SOI, a JFIF APP0 segment, then EOI: enough for anything that reads the magic.
        app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        return b"\xff\xd8\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0 + b"\xff\xd9"
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (236, 232, 220)).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def old_xls() -> bytes:
    """The start of an Excel 97-2003 file: an OLE compound document header (512 bytes) and
    two empty sectors; nothing the project's readers can open."""
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE magic
        + bytes(16)  # CLSID
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)  # versions, byte order, shifts
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 0x1000, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    )
    header += struct.pack("<I", 0) + b"\xff" * (512 - len(header) - 4)
    return header + bytes(1024)


# --- The benchmark's file ---------------------------------------------------------------------

LARGE_BAD_KINDS = ("bad_checksum", "birth_after_start", "empty_name", "phone_letters", "duplicate")
_MOBILE = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778")
_POSITIONS = ("Член ассамблеи", "Член совета", "Волонтер", "Член ассамблеи", "Заместитель")


def _large_name(rng: random.Random) -> tuple[str, str]:
    """A realistic full name and the sex it implies: Kazakh, Russian or another group."""
    female = rng.random() < 0.5
    sex = "f" if female else "m"
    roll = rng.random()
    if roll < 0.6:
        surname = rng.choice(names.KAZAKH_SURNAMES)[female]
        first = rng.choice(names.KAZAKH_FEMALE_FIRST if female else names.KAZAKH_MALE_FIRST)
        root = rng.choice(names.KAZAKH_PATRONYMIC_ROOTS)
        if rng.random() < 0.6:
            patronymic = names.kazakh_patronymic(root, female)
        else:  # the Soviet form, still on many older people's papers
            patronymic = names.russian_patronymic(root, female)
        return f"{surname} {first} {patronymic}", sex
    if roll < 0.85:
        surname = rng.choice(names.RUSSIAN_SURNAMES)[female]
        first = rng.choice(names.RUSSIAN_FEMALE_FIRST if female else names.RUSSIAN_MALE_FIRST)
        father = rng.choice(names.RUSSIAN_MALE_FIRST)
        return f"{surname} {first} {names.russian_patronymic(father, female)}", sex
    group = names.OTHER_NAMES[rng.choice(sorted(names.OTHER_NAMES))]
    surname = rng.choice(group["surname_female" if female else "surname_male"])
    first = rng.choice(group["female" if female else "male"])
    return f"{surname} {first}", sex


def _large_phone(rng: random.Random) -> tuple[Any, str]:
    digits = f"7{rng.choice(_MOBILE)}{rng.randrange(10_000_000):07d}"
    code, a, b, c = digits[1:4], digits[4:7], digits[7:9], digits[9:]
    form = rng.randrange(6)
    cell: Any = (
        f"8 ({code}) {a}-{b}-{c}",
        f"+7 {code} {a} {b} {c}",
        int("8" + digits[1:]),
        digits[1:],
        f"8{code}{a}{b}{c}",
        f"+7{NBSP}{code}{NBSP}{a}{b}{c}",
    )[form]
    return cell, digits


def _large_date(rng: random.Random, day: datetime.date) -> Any:
    roll = rng.random()
    if roll < 0.7:
        return day
    if roll < 0.9:
        return f"{day:%d.%m.%Y}"
    return datetime.datetime(day.year, day.month, day.day)


def large_member_rows(n: int = 60_000, *, bad: int = 5, seed: int = 1) -> Iterator[Member]:
    """The ``n`` rows of ``members_large``: unique valid IINs, realistic kk/ru names, phones
    and dates, and ``bad`` rows with one error each (``LARGE_BAD_KINDS`` in turn, named in
    ``note``), spread through the file."""
    if not 0 <= bad < n:
        raise ValueError("bad must be at least 0 and less than n")
    rng = random.Random(seed)
    bad_at = dict(
        zip(
            sorted(rng.sample(range(1, n), bad)),
            (LARGE_BAD_KINDS[i % len(LARGE_BAD_KINDS)] for i in range(bad)),
            strict=True,
        )
    )
    seen: set[str] = set()
    recent: list[tuple[int, Member]] = []  # a few good rows to repeat as duplicates
    for index in range(n):
        problem = bad_at.get(index, "")
        if problem == "duplicate" and recent:
            first, original = rng.choice(recent)
            yield replace(original, duplicate_of=first, note="duplicate")
            continue
        full_name, sex = _large_name(rng)
        while True:
            birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(20_800))
            iin = make_iin(birth, sex, rng.randrange(10_000))
            if iin is not None and iin not in seen:
                seen.add(iin)
                break
        earliest = max(1995, birth.year + 16)
        start = datetime.date(
            rng.randint(earliest, max(earliest, 2025)), rng.randint(1, 12), rng.randint(1, 28)
        )
        phone, phone_digits = _large_phone(rng)
        iin_cell: Any = int(iin) if rng.random() < 0.6 else iin
        iin_expected: str | None = iin
        if problem == "bad_checksum":
            iin_cell, iin_expected = bad_checksum(iin), None
        elif problem == "birth_after_start":
            start = datetime.date(birth.year - 2, 9, 1)
        elif problem == "empty_name":
            full_name = ""
        elif problem == "phone_letters":
            phone = f"8{phone_digits[1:4]}ABC{phone_digits[7:]}"
        member = Member(
            full_name,
            iin_cell,
            _large_date(rng, birth),
            position=rng.choice(_POSITIONS),
            body=PAVLODAR_ASSEMBLY,
            phone=phone,
            start_date=_large_date(rng, start),
            iin_expected=iin_expected,
            birth_expected=birth,
            phone_expected=None if problem == "phone_letters" else phone_digits,
            note=problem,
        )
        if not problem and len(recent) < 50:
            recent.append((index, member))
        yield member


def members_large(
    n: int = 60_000, bad: int = 5, seed: int = 1, *, body: str = PAVLODAR_ASSEMBLY
) -> bytes:
    """A big members list (XLSX, written in openpyxl's write-only mode): the title and "as of"
    lines, an empty row, the Russian header on row 4, ``n`` rows of which ``bad`` are wrong
    (see ``large_member_rows``), then the "Итого" line. ``body`` fills the organisation
    column."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Лист1")
    texts = _MEMBER_TEXTS["ru"]
    keys = [key for key, _header in MEMBER_HEADERS["ru"]]
    sheet.append([texts["title"]])
    sheet.append([texts["as_of"]])
    sheet.append([])
    sheet.append([header for _key, header in MEMBER_HEADERS["ru"]])
    for index, member in enumerate(large_member_rows(n, bad=bad, seed=seed), start=1):
        cells = _member_cells(replace(member, body=body), index)
        sheet.append([cells[key] for key in keys])
    sheet.append([texts["total"], n, texts["people"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Writing XLSX -----------------------------------------------------------------------------

_DATE_FORMAT = "DD.MM.YYYY"
_DATETIME_FORMAT = "DD.MM.YYYY H:MM"


def _xlsx(sheets: Sequence[_Sheet]) -> bytes:
    """Write the sheets; formulas get the value Excel would have saved with them."""
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    cached: dict[str, dict[str, Any]] = {}
    for number, spec in enumerate(sheets, start=1):
        sheet = workbook.create_sheet(spec.title)
        values = cached.setdefault(f"xl/worksheets/sheet{number}.xml", {})
        for row_number, row in enumerate(spec.rows, start=1):
            for column_number, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row=row_number, column=column_number)
                shown = value.cached if isinstance(value, Formula) else value
                if isinstance(value, Formula):
                    cell.value = value.text
                    values[cell.coordinate] = value.cached
                else:
                    cell.value = value
                if isinstance(shown, datetime.datetime):
                    cell.number_format = _DATETIME_FORMAT
                elif isinstance(shown, datetime.date):
                    cell.number_format = _DATE_FORMAT
                elif isinstance(shown, int) and shown >= 10**10:
                    cell.number_format = "0"  # an IIN typed as a number: no 8.50312E+11
                if row_number in spec.bold:
                    cell.font = Font(bold=True)
                    cell.alignment = Alignment(wrap_text=True)
        for merged in spec.merges:
            sheet.merge_cells(merged)
        for column_number in range(1, 1 + max((len(r) for r in spec.rows), default=0)):
            sheet.column_dimensions[_column(column_number - 1)].width = 22
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _with_cached_values(buffer.getvalue(), cached)


_FORMULA_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]+\d+)"(?P<attrs>[^>]*)><f>(?P<f>.*?)</f><v\s*/?>(?:</v>)?</c>'
)


def _with_cached_values(data: bytes, cached: dict[str, dict[str, Any]]) -> bytes:
    """Put each formula's saved value into the sheet XML, as Excel does (openpyxl leaves
    ``<v></v>`` empty, so a reader with ``data_only=True`` would see nothing)."""

    def cached_xml(value: Any) -> tuple[str, str]:
        if isinstance(value, bool):
            return ' t="b"', str(int(value))
        if isinstance(value, datetime.datetime):
            midnight = datetime.datetime.combine(value.date(), datetime.time())
            return "", repr(excel_serial(value.date()) + (value - midnight).seconds / 86400)
        if isinstance(value, datetime.date):
            return "", str(excel_serial(value))
        if isinstance(value, int | float):
            return "", str(value)
        return ' t="str"', escape(str(value))

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            values = cached.get(info.filename)
            if values:

                def fill(match: re.Match[str], values: dict[str, Any] = values) -> str:
                    if match["ref"] not in values:
                        return match[0]
                    kind, text = cached_xml(values[match["ref"]])
                    cell = f'<c r="{match["ref"]}"{match["attrs"]}{kind}>'
                    return f"{cell}<f>{match['f']}</f><v>{text}</v></c>"

                content = _FORMULA_CELL.sub(fill, content.decode("utf-8")).encode("utf-8")
            target.writestr(info, content)
    return buffer.getvalue()
