"""Spreadsheets in and out, one home: the safe writer every export uses, and the reader of the
XLSX/CSV files every import uses (members, bodies, events, plan targets).

The writer: every XLSX (and CSV) export goes through it.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would run as a
formula in Excel or LibreOffice (``=HYPERLINK(…)`` typed into a public form becomes a live link
in the staff's export). Such text is written with a leading apostrophe, so it stays text in
every program; phone numbers such as ``+7 7182 32-00-00`` and negative numbers are left alone
so that an export imports back unchanged.

    book = spreadsheets.Book()                 # write-only by default (large exports)
    sheet = book.sheet(_("Cases"))             # title cut to Excel's 31 characters
    sheet.append([...])                        # every cell guarded
    sheet.raw                                  # the openpyxl sheet, for widths and fonts
    data = book.bytes()
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from birlik.core import uploads

__all__ = [
    "Book",
    "ImportFileError",
    "Sheet",
    "Table",
    "read_rows",
    "safe_cell",
    "safe_row",
    "xlsx_bytes",
    "xlsx_rows",
]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Text a spreadsheet would run as a formula; digits, spaces, brackets and dashes after a sign
# (a phone number, "-5") cannot call anything and are kept as they are.
FORMULA = re.compile(r"^[=@\t\r]|^[+-](?![\d\s()\-]*$)")
SHEET_TITLE = re.compile(r"[\\/*?:\[\]]")


def safe_cell(value: Any) -> Any:
    """The value as it may be written to a cell: text that would run as a formula is kept
    as text (with a leading apostrophe); other values, numbers and dates, unchanged."""
    if isinstance(value, str) and FORMULA.match(value):
        return "'" + value
    if value is not None and not isinstance(value, (str, int, float, bool)) and _is_lazy(value):
        return safe_cell(str(value))
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def _is_lazy(value: Any) -> bool:
    from django.utils.functional import Promise

    return isinstance(value, Promise)


class Sheet:
    """One sheet of a Book; ``append`` guards every cell. Anything else (``column_dimensions``,
    ``freeze_panes``, ``sheet[1]``, ``max_row``…) is the openpyxl sheet's own; a value written
    straight into a cell that way is the caller's to guard with ``safe_cell``."""

    def __init__(self, raw: Any) -> None:
        object.__setattr__(self, "raw", raw)

    def append(self, values: Iterable[Any]) -> None:
        self.raw.append(safe_row(values))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.raw, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.raw, name, value)

    def __getitem__(self, key: Any) -> Any:
        return self.raw[key]


class Book:
    """An openpyxl workbook whose sheets guard their cells."""

    def __init__(self, *, write_only: bool = True) -> None:
        from openpyxl import Workbook

        self.raw = Workbook(write_only=write_only)
        self.write_only = write_only
        self._first = True

    def sheet(self, title: Any) -> Sheet:
        name = SHEET_TITLE.sub(" ", str(title)).strip()[:31] or "Sheet"
        if not self.write_only and self._first:
            raw = self.raw.active
            raw.title = name
        else:
            raw = self.raw.create_sheet(title=name)
        self._first = False
        return Sheet(raw)

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.raw.save(buffer)
        return buffer.getvalue()


def xlsx_bytes(header: list[Any], rows: Iterable[Iterable[Any]], *, title: Any) -> bytes:
    """A one-sheet XLSX: a header row, then the rows, every cell guarded."""
    book = Book()
    sheet = book.sheet(title)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    return book.bytes()


# --- Reading XLSX and CSV files -------------------------------------------------------------

MAX_ROWS = 5000
# A zip that inflates far beyond the upload limit is refused before openpyxl reads it.
MAX_INFLATED_BYTES = 200 * 1024 * 1024
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class ImportFileError(Exception):
    """The file cannot be imported at all; ``message`` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    ignored: list[str] = field(default_factory=list)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _normalise_header(value: str) -> str:
    return re.sub(r"[\s\-]+", "_", value.strip().strip("*").strip().lower())


def xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    """The raw rows of the first sheet of an XLSX file (values, not formulas), bounded."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ImportFileError(_("The file is not an XLSX or CSV spreadsheet.")) from error
    with archive:
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names:
            raise ImportFileError(_("The file is not an XLSX or CSV spreadsheet."))
        if sum(info.file_size for info in archive.infolist()) > MAX_INFLATED_BYTES:
            raise ImportFileError(uploads.too_large_message(uploads.IMPORT_LIMIT, split=True))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for broken files
        raise ImportFileError(
            _("The file could not be read as an XLSX spreadsheet. Save it again from Excel.")
        ) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return
        for count, values in enumerate(sheet.iter_rows(values_only=True)):
            if count > MAX_ROWS + 1:
                raise ImportFileError(_too_many_rows())
            yield list(values)
    finally:
        workbook.close()


def _too_many_rows() -> str:
    return _("The file has more than %(count)s rows. Split it into smaller files.") % {
        "count": MAX_ROWS
    }


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise ImportFileError(_("The file is not an XLSX or CSV spreadsheet."))
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            raise ImportFileError(_("The file is not an XLSX or CSV spreadsheet."))
        return text
    raise ImportFileError(
        _("The CSV file must be saved in UTF-8 or Windows-1251 (Cyrillic) encoding.")
    )


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for count, values in enumerate(reader):
            if count > MAX_ROWS + 1:
                raise ImportFileError(_too_many_rows())
            yield values
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file is broken near line %(line)s.") % {"line": reader.line_num}
        ) from error


def read_rows(data: bytes, *, columns: list[str], required: list[str]) -> Table:
    """The header and non-empty rows of the first sheet, checked for the expected columns."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > uploads.limit_bytes(uploads.IMPORT_LIMIT):
        raise ImportFileError(uploads.too_large_message(uploads.IMPORT_LIMIT, split=True))
    if data[:4] == b"PK\x03\x04":
        raw: Iterable[list[Any]] = xlsx_rows(data)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _("Old Excel files (.xls) are not supported. Save the file as XLSX or CSV.")
        )
    else:
        raw = _csv_rows(data)
    iterator = iter(raw)
    header: list[str] = []
    line = 0
    for values in iterator:
        line += 1
        cells = [_cell(v) for v in values]
        if any(cells):
            header = [_normalise_header(c) for c in cells]
            break
    if not header:
        raise ImportFileError(_("The file is empty."))
    named = [h for h in header if h]
    if len(named) != len(set(named)):
        raise ImportFileError(_("Two columns of the file have the same name."))
    expected = columns
    missing = [c for c in required if c not in named]
    if missing:
        raise ImportFileError(
            _(
                "These columns are missing: %(columns)s. The first row must hold the column "
                "names of the template."
            )
            % {"columns": ", ".join(missing)}
        )
    ignored = [h for h in named if h not in expected]
    rows: list[tuple[int, dict[str, str]]] = []
    for values in iterator:
        line += 1
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        row = {
            name: cells[index] if index < len(cells) else ""
            for index, name in enumerate(header)
            if name in expected
        }
        rows.append((line, row))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(_too_many_rows())
    if not rows:
        raise ImportFileError(_("The file has no rows below the column names."))
    return Table(header=named, rows=rows, ignored=ignored)
