"""The blank XLSX templates of the imports (header, an example row, drop-down lists, a sheet of
the lists and a how-to), and the file of an upload's rejected rows, ready to fix and upload again.

Everything is written in the active language; the importer reads names in kk, ru and en, so a
template filled in Russian imports as well as one filled in Kazakh.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from birlik.core.spreadsheets import Book, FieldSpec, Sheet, safe_cell
from birlik.events.models import Event, Programme
from birlik.geo.models import District, Region
from birlik.registry.models import EthnicGroup, Membership, Organisation, OrganisationKind

from . import fields as catalogue

__all__ = ["LAST_ROW", "REQUIRED", "rejected_xlsx", "template_xlsx"]

# The drop-down lists and the text/date formats cover the rows an import takes in one file.
LAST_ROW = 5001
DATE_FORMAT = "dd.mm.yyyy"
TEXT_FORMAT = "@"
# Excel's limits on a validation's messages: a longer one makes it "repair" the file.
_ERROR_TITLE_MAX = 32
_ERROR_MAX = 255
_PAPER_ROWS = 30  # ruled rows of the printed sign-in sheet

# The columns the importer cannot do without, as said on the how-to sheet.
REQUIRED: dict[str, tuple[str, ...]] = {
    catalogue.BODIES: ("name",),
    catalogue.MEMBERS: ("full_name",),
    catalogue.EVENTS: ("title", "date"),
    catalogue.HISTORY: ("year", "events"),
    catalogue.SIGNIN: ("full_name",),
}

# The fields that get a drop-down list, in the order of the lists sheet.
_LISTED = ("region", "district", "kind", "ethnic_groups", "role", "programme", "status")

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="808080")
_RULED = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

PHONE = "+7 701 234 56 78"
MEMBER_NAME = "Сейтқали Нұрлан Асқарұлы"


@dataclass
class _Column:
    """A column of the template: its header, the field it fills (None: not imported) and the
    number format its cells get."""

    header: str
    key: str | None
    number_format: str | None = None


@dataclass
class _List:
    """A drop-down list: the field it fills, its values, and for districts their regions."""

    key: str
    header: str
    values: list[str]
    regions: list[str] = field(default_factory=list)
    by_code: dict[str, str] = field(default_factory=dict)  # for the example row

    def named(self, code: str) -> str:
        """The value of this code (the first value if it is gone from the catalogue)."""
        return self.by_code.get(code) or self.values[0]


def _in_language(**names: str) -> str:
    """Example content (a data value, not an interface text) in the active language."""
    language = (translation.get_language() or "kk")[:2]
    return names.get(language, names["kk"])


BODY_NAMES = {
    "kk": "Екібастұз қаласының украин этномәдени бірлестігі",
    "ru": "Украинское этнокультурное объединение города Экибастуза",
    "en": "Ukrainian Ethnocultural Association of Ekibastuz",
}


def _body_name() -> str:
    return _in_language(**BODY_NAMES)


def _sheet_title(kind: str) -> str:
    if kind == catalogue.SIGNIN:
        return _("Sign-in sheet")
    return str(catalogue.KIND_LABELS[kind])


def _columns(kind: str) -> list[_Column]:
    formats = {"date": DATE_FORMAT, "iin": TEXT_FORMAT, "phone": TEXT_FORMAT}
    if kind == catalogue.SIGNIN:
        specs: Sequence[FieldSpec] = [
            catalogue.field(kind, key) for key in ("full_name", "phone", "email")
        ]
    else:
        specs = catalogue.FIELDS[kind]
    columns = [_Column(str(spec.label), spec.key, formats.get(spec.kind)) for spec in specs]
    if kind == catalogue.SIGNIN:
        columns = [_Column(_("No."), None), *columns, _Column(_("Signature"), None)]
    return columns


def _lists(kind: str, keys: set[str]) -> list[_List]:
    """The drop-down lists of this import, in the active language (one query per catalogue)."""

    def label(key: str) -> str:
        return str(catalogue.field(kind, key).label)

    lists: list[_List] = []
    for key in _LISTED:
        if key not in keys:
            continue
        regions: list[str] = []
        by_code: dict[str, str] = {}
        if key == "region":
            by_code = {region.iso: region.name for region in Region.objects.order_by("kato")}
        elif key == "district":
            for district in District.objects.select_related("region").order_by("kato"):
                by_code[district.kato] = district.name
                regions.append(district.region.name)
        elif key == "kind" and kind == catalogue.BODIES:
            by_code = {k.code: k.name for k in OrganisationKind.objects.filter(is_active=True)}
        elif key == "kind":
            by_code = {choice.value: str(choice.label) for choice in Event.Kind}
        elif key == "ethnic_groups":
            by_code = {group.code: group.name for group in EthnicGroup.objects.all()}
        elif key == "role":
            by_code = {choice.value: str(choice.label) for choice in Membership.Role}
        elif key == "programme":
            by_code = {p.code: p.name for p in Programme.objects.filter(is_active=True)}
        elif key == "status":
            by_code = {choice.value: str(choice.label) for choice in Organisation.Status}
        if by_code:
            lists.append(_List(key, label(key), list(by_code.values()), regions, by_code))
    return lists


def _example(kind: str, lists: dict[str, _List]) -> dict[str, Any]:
    """One realistic row (Pavlodar region, Ekibastuz), its list values taken from the lists so
    that they are the ones the drop-downs offer."""

    def named(key: str, code: str) -> str:
        return lists[key].named(code) if key in lists else ""

    programme = named(
        "programme", "myn_bala" if kind == catalogue.HISTORY else "creative_festivals"
    )
    examples: dict[str, dict[str, Any]] = {
        catalogue.BODIES: {
            "kind": named("kind", "ethnocultural_association"),
            "name": _body_name(),
            "name_kk": BODY_NAMES["kk"],
            "name_ru": BODY_NAMES["ru"],
            "name_en": BODY_NAMES["en"],
            "parent": _in_language(
                kk="Павлодар облысының ассамблеясы",
                ru="Ассамблея Павлодарской области",
                en="Assembly of Pavlodar Region",
            ),
            "region": named("region", "KZ-55"),
            "district": named("district", "552200000"),
            "address": _in_language(
                kk="Екібастұз қ., Мәшһүр Жүсіп көшесі, 25",
                ru="г. Экибастуз, ул. Машхур Жусупа, 25",
                en="25 Mashkhur Zhusup Street, Ekibastuz",
            ),
            "phone": PHONE,
            "email": "ukr.ekibastuz@example.kz",
            "founded_on": datetime.date(2003, 4, 15),
            "status": named("status", Organisation.Status.ACTIVE),
            "ethnic_groups": named("ethnic_groups", "ukrainian"),
        },
        catalogue.MEMBERS: {
            "full_name": MEMBER_NAME,
            "birth_date": datetime.date(1978, 2, 14),
            "role": named("role", Membership.Role.MEMBER),
            "position": _in_language(kk="мұғалім", ru="учитель", en="teacher"),
            "start_date": datetime.date(2023, 9, 1),
            "body": _body_name(),
            "phone": PHONE,
            "email": "n.seitkali@example.kz",
            "consent_date": datetime.date(2023, 9, 1),
        },
        catalogue.EVENTS: {
            "title": _in_language(
                kk="Наурыз мерекесіне арналған этномәдени бірлестіктер фестивалі",
                ru="Фестиваль этнокультурных объединений к празднику Наурыз",
                en="Festival of ethnocultural associations for Nauryz",
            ),
            "date": datetime.date(2024, 3, 21),
            "body": _body_name(),
            "kind": named("kind", Event.Kind.FESTIVAL),
            "programme": programme,
            "participants": 350,
            "place": _in_language(
                kk="Екібастұз қ., Мәдениет сарайы",
                ru="г. Экибастуз, Дворец культуры",
                en="Palace of Culture, Ekibastuz",
            ),
        },
        catalogue.HISTORY: {
            "year": 2019,
            "body": _body_name(),
            "programme": programme,
            "events": 12,
            "participants": 430,
        },
        catalogue.SIGNIN: {"full_name": MEMBER_NAME, "phone": PHONE},
    }
    return examples[kind]


def _width(texts: Iterable[Any], *, least: int = 10, most: int = 50) -> float:
    longest = max((len(str(text)) for text in texts if text not in (None, "")), default=0)
    return float(min(max(longest + 2, least), most))


def _howto(kind: str, columns: list[_Column], lists_title: str | None) -> list[str]:
    """The lines of the how-to sheet: what is required, how to write dates, IINs and names."""

    def quoted(key: str) -> str:
        return _("“%(text)s”") % {"text": catalogue.field(kind, key).label}

    one_per_row = {
        catalogue.BODIES: _("Write one body per row."),
        catalogue.MEMBERS: _(
            "Write one person per row: a person who sits in two bodies takes two rows."
        ),
        catalogue.EVENTS: _("Write one event per row."),
        catalogue.HISTORY: _(
            "Write one row per body and year (and programme, if you count them apart)."
        ),
        catalogue.SIGNIN: _("Write one person per row, as they signed the paper sheet."),
    }
    lines = [
        one_per_row[kind],
        _("Required columns: %(columns)s. Leave a cell empty when you do not know the value.")
        % {"columns": ", ".join(quoted(key) for key in REQUIRED[kind])},
    ]
    keys = {column.key for column in columns}
    if kind == catalogue.BODIES:
        lines.append(
            _("Instead of %(name)s, the name may be written in %(kk)s, %(ru)s or %(en)s.")
            % {
                "name": quoted("name"),
                "kk": quoted("name_kk"),
                "ru": quoted("name_ru"),
                "en": quoted("name_en"),
            }
        )
    if {"full_name", "last_name"} <= keys:
        lines.append(
            _(
                "Instead of %(full)s, the name may be written in three columns: %(last)s, "
                "%(first)s and %(patronymic)s."
            )
            % {
                "full": quoted("full_name"),
                "last": quoted("last_name"),
                "first": quoted("first_name"),
                "patronymic": quoted("patronymic"),
            }
        )
    if any(column.number_format == DATE_FORMAT for column in columns):
        lines.append(
            _(
                "Dates: dd.mm.yyyy, for example 21.03.2024; the date columns are already set "
                "to dates."
            )
        )
    if "year" in keys:
        lines.append(_("Year: four digits, for example 2019."))
    if "iin" in keys:
        lines.append(
            _(
                "IIN: 12 digits. The column is set to text so that Excel keeps the leading zeros; "
                "do not turn it into numbers."
            )
        )
    if lists_title:
        lines.append(
            _(
                "Choose regions, districts, kinds and other values from the drop-down lists "
                "(all of them are on the sheet “%(sheet)s”). Names in Kazakh, Russian or English "
                "are accepted too; no codes are needed."
            )
            % {"sheet": lists_title}
        )
    if kind == catalogue.SIGNIN:
        lines.append(_("Write each name in full: last name, first name and patronymic."))
        lines.append(
            _(
                "The columns “%(number)s” and “%(signature)s” are for the paper sheet; they are "
                "not imported."
            )
            % {"number": _("No."), "signature": _("Signature")}
        )
    lines.append(
        _(
            "The file may keep a title and notes above the column names: Birlik finds the row "
            "of column names itself. Do not rename the columns; their order does not matter."
        )
    )
    lines.append(_("Row 2 is an example: write over it or delete it before you upload the file."))
    return lines


def _validation(sheet: Sheet, column: int, listed: _List, reference: str, lists_title: str) -> None:
    """A drop-down on rows 2..LAST_ROW of the column. A value that is not in the list is only
    warned about: the importer also reads the names in the other languages."""
    if listed.key == "ethnic_groups":
        error = _(
            "This ethnic group is not in the list (sheet “%(sheet)s”). To give several, write "
            "their names separated by commas."
        )
    else:
        error = _(
            "This value is not in the list (sheet “%(sheet)s”). Keep it only if it is the same "
            "name in another language."
        )
    validation = DataValidation(
        type="list",
        formula1=reference,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle=_("Not in the list")[:_ERROR_TITLE_MAX],
        error=(error % {"sheet": lists_title})[:_ERROR_MAX],
    )
    letter = get_column_letter(column)
    validation.add(f"{letter}2:{letter}{LAST_ROW}")
    sheet.raw.add_data_validation(validation)


def _lists_sheet(book: Book, lists: list[_List]) -> tuple[str, dict[str, str]]:
    """The sheet of the drop-down lists, one column per list (districts with their regions
    next to them); returns its title and each list's range, as a formula reference."""
    sheet = book.sheet(_("Codes"))
    title = str(sheet.raw.title)
    headers: list[str] = []
    columns: list[list[str]] = []
    references: dict[str, str] = {}
    for listed in lists:
        letter = get_column_letter(len(columns) + 1)
        references[listed.key] = (
            f"{quote_sheetname(title)}!${letter}$2:${letter}${len(listed.values) + 1}"
        )
        headers.append(listed.header)
        columns.append(listed.values)
        if listed.regions:
            headers.append(_("Region of the district"))
            columns.append(listed.regions)
    sheet.append(headers)
    for index in range(max(len(values) for values in columns)):
        sheet.append([values[index] if index < len(values) else None for values in columns])
    for number, (header, values) in enumerate(zip(headers, columns, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = _width([header, *values])
        sheet.cell(row=1, column=number).font = _BOLD
    sheet.freeze_panes = "A2"
    return title, references


def template_xlsx(kind: str) -> bytes:
    """The blank template of an import kind, in the active language: header, an example row,
    drop-down lists, the sheet of the lists and a how-to sheet."""
    if kind not in catalogue.FIELDS:
        raise ValueError(f"Unknown import kind: {kind!r}")
    columns = _columns(kind)
    keys = {column.key for column in columns if column.key}
    lists = _lists(kind, keys)
    by_key = {listed.key: listed for listed in lists}
    example = _example(kind, by_key)
    row = [example.get(column.key) if column.key else None for column in columns]
    if kind == catalogue.SIGNIN:
        row[0] = 1  # the № of the paper sheet

    book = Book(write_only=False)
    sheet = book.sheet(_sheet_title(kind))
    sheet.append([column.header for column in columns])
    sheet.append(row)
    for number, column in enumerate(columns, start=1):
        letter = get_column_letter(number)
        header = sheet.cell(row=1, column=number)
        header.font = _BOLD
        header.fill = _HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="top")
        value = sheet.cell(row=2, column=number).value
        sheet.column_dimensions[letter].width = _width([column.header, value], least=12, most=45)
        if column.number_format:
            sheet.column_dimensions[letter].number_format = column.number_format
            sheet.cell(row=2, column=number).number_format = column.number_format
    sheet.freeze_panes = "A2"
    if kind == catalogue.SIGNIN:
        _rule_for_paper(sheet, len(columns))

    lists_title = None
    if lists:
        lists_title, references = _lists_sheet(book, lists)
        for number, column in enumerate(columns, start=1):
            if column.key in references:
                _validation(sheet, number, by_key[column.key], references[column.key], lists_title)

    howto = book.sheet(_("How to fill in"))
    howto.column_dimensions["A"].width = 110
    for line in _howto(kind, columns, lists_title):
        howto.append([line])
    for row in howto.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return book.bytes()


def _rule_for_paper(sheet: Sheet, width: int) -> None:
    """Borders, roomy rows and page setup, so that the sheet prints as a sign-in form."""
    for row in range(1, _PAPER_ROWS + 2):
        if row > 1:
            sheet.row_dimensions[row].height = 24
        for column in range(1, width + 1):
            sheet.cell(row=row, column=column).border = _RULED
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions[get_column_letter(width)].width = 25
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def rejected_xlsx(
    *, header: list[str], rows: Iterable[tuple[list[Any], list[str]]], reason_label: str
) -> bytes:
    """The rejected rows of an upload, ready to fix and upload again: the file's own columns,
    then one with the reasons. Cells past the file's header are left out (no column reads them)."""
    book = Book()
    sheet = book.sheet(_("Rejected rows"))
    raw = sheet.raw
    width = len(header)
    for number, text in enumerate([*header, reason_label], start=1):
        least = 40 if number > width else 10
        raw.column_dimensions[get_column_letter(number)].width = _width([text], least=least)
    raw.freeze_panes = "A2"
    titles = []
    for text in [*header, reason_label]:
        cell = WriteOnlyCell(raw, value=safe_cell(text))
        cell.font = _BOLD
        titles.append(cell)
    sheet.append(titles)
    red = Font(color="C00000")
    for cells, reasons in rows:
        values = [_rejected_cell(raw, value) for value in list(cells)[:width]]
        values += [None] * (width - len(values))
        reason = WriteOnlyCell(raw, value=safe_cell("; ".join(reasons)))
        reason.font = red
        sheet.append([*values, reason])
    return book.bytes()


def _rejected_cell(raw: Any, value: Any) -> Any:
    """A cell as read from the file, written back: dates as date cells, text guarded."""
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(raw, value=value)
        timed = isinstance(value, datetime.datetime) and value.time() != datetime.time(0)
        cell.number_format = DATE_FORMAT + (" hh:mm" if timed else "")
        return cell
    if value is None or isinstance(value, (str, int, float)):
        return safe_cell(value)
    return safe_cell(str(value))
