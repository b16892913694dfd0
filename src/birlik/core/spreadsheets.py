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

import codecs
import csv
import datetime
import functools
import io
import itertools
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from birlik.core import cleaning, uploads

__all__ = [
    "MAX_ROWS",
    "Book",
    "Extracted",
    "FieldSpec",
    "Formula",
    "ImportFileError",
    "Sheet",
    "Table",
    "detect_mapping",
    "extract",
    "file_kind",
    "find_header",
    "header_key",
    "match_header",
    "non_data_reason",
    "read_grid",
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
#
#     file_kind(data)                   -> "xlsx" | "csv", or ImportFileError naming the file
#     read_grid(data, first=30)         -> raw rows of the first sheet with data (a preview)
#     extract(data, fields)             -> Extracted: header found, columns mapped, rows as text
#
# Real files have a title and an "as of" line above the header, the header anywhere in the
# first rows, totals and signatures below the data, formulas, dates and IINs as numbers: the
# reader finds the table, skips what is not data (saying why) and never evaluates a formula.

MAX_ROWS = 60_000
HEADER_SCAN = 15
# A zip that inflates far beyond the upload limit is refused before openpyxl reads it.
MAX_INFLATED_BYTES = 200 * 1024 * 1024
# Title, header, totals and signature lines around MAX_ROWS data rows.
_ROW_SLACK = 100
# Sheets formatted down to row 1,048,576: after this many empty rows nothing more is read.
_EMPTY_RUN_END = 10_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportFileError(Exception):
    """The file cannot be imported at all; ``message`` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Formula(str):
    """The text of a formula cell ("=SUM(B2:B9)"), read as written and never computed."""

    __slots__ = ()


@dataclass(frozen=True)
class FieldSpec:
    """A field an import reads: its key in Birlik, its name shown to users, the header texts
    (kk/ru/en, with synonyms) that mean it in staff's files, and how its cells are read."""

    key: str
    label: Any  # lazily translated name shown in the mapping step and in messages
    synonyms: tuple[str, ...] = ()
    kind: str = "text"  # text | name | date | iin | phone | number | email | year
    required: bool = False


# --- What the file really is ----------------------------------------------------------------

_NOT_A_TABLE = {
    "word": gettext_lazy(
        "This file is a Word document, not an XLSX or CSV spreadsheet. Copy the table into "
        "Excel and save it as XLSX (or CSV)."
    ),
    "powerpoint": gettext_lazy(
        "This file is a PowerPoint presentation, not an XLSX or CSV spreadsheet. Copy the "
        "table into Excel and save it as XLSX (or CSV)."
    ),
    "ods": gettext_lazy(
        "This file is an OpenDocument spreadsheet (.ods), not XLSX or CSV. Open it in "
        "LibreOffice Calc or Excel and save it as XLSX (Excel 2007–365)."
    ),
    "opendocument": gettext_lazy(
        "This file is an OpenDocument text or presentation (.odt, .odp), not an XLSX or CSV "
        "spreadsheet. Copy the table into Excel and save it as XLSX (or CSV)."
    ),
    "pdf": gettext_lazy(
        "This file is a PDF document, not an XLSX or CSV spreadsheet. Ask for the table as an "
        "Excel file, or copy it from the PDF into Excel and save it as XLSX."
    ),
    "image": gettext_lazy(
        "This file is a picture (%(format)s), not an XLSX or CSV spreadsheet: a photo or scan "
        "of a table cannot be read. Type the table into Excel (or into the template) and save "
        "it as XLSX."
    ),
    "archive": gettext_lazy(
        "This file is an archive (%(format)s), not an XLSX or CSV spreadsheet. Unpack it and "
        "upload the spreadsheet inside."
    ),
    "rtf": gettext_lazy(
        "This file is an RTF text document, not an XLSX or CSV spreadsheet. Copy the table "
        "into Excel and save it as XLSX (or CSV)."
    ),
    "html": gettext_lazy(
        "This file is a web page (HTML), not an XLSX or CSV spreadsheet, even if its name ends "
        "in .xls. Open it in Excel and save it as XLSX (File → Save as → Excel Workbook)."
    ),
    "xml": gettext_lazy(
        "This file is an Excel 2003 XML spreadsheet, not XLSX or CSV. Open it in Excel and "
        "save it as XLSX (File → Save as → Excel Workbook)."
    ),
    "xlsb": gettext_lazy(
        "This file is an Excel binary workbook (.xlsb), not XLSX or CSV. Open it in Excel and "
        "save it as XLSX (File → Save as → Excel Workbook)."
    ),
    "xls": gettext_lazy("Old Excel files (.xls) are not supported. Save the file as XLSX or CSV."),
    "old_office": gettext_lazy(
        "Old Excel files (.xls) and Word files (.doc) are not supported. Open the file in "
        "Excel or Word and save the table as XLSX (or CSV)."
    ),
    "encrypted": gettext_lazy(
        "The file is protected by a password, so it cannot be read. Open it in Excel, remove "
        "the password (File → Info → Protect Workbook) and save it again."
    ),
    "damaged": gettext_lazy(
        "The file is not an XLSX or CSV spreadsheet. It may be damaged: open it in Excel and "
        "save it again as XLSX."
    ),
    "binary": gettext_lazy(
        "The file is not an XLSX or CSV spreadsheet. Open the table in Excel and save it as "
        "XLSX (or CSV)."
    ),
}
_IMAGES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
_ARCHIVES = (
    (b"Rar!\x1a\x07", "RAR"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "GZIP"),
)
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}


def _refuse(kind: str, **values: str) -> ImportFileError:
    message = str(_NOT_A_TABLE[kind])
    return ImportFileError(message % values if values else message)


def file_kind(data: bytes) -> str:
    """The kind of a spreadsheet file, "xlsx" or "csv"; any other file is refused with a
    message naming what it really is (a Word document, a photo, a PDF…) and what to do."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    head = bytes(data[:4096])
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if head.startswith(_OLE):
        raise _refuse(_ole_kind(data))
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"  # Excel's "Unicode text": UTF-16, tab-separated
    _refuse_binary(head)
    _decode_head(head)
    return "csv"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            mimetype = _small_member(archive, infos.get("mimetype"))
            types = _small_member(archive, infos.get("[Content_Types].xml"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise _refuse("damaged") from error
    if b"opendocument.spreadsheet" in mimetype:
        raise _refuse("ods")
    if b"opendocument" in mimetype:
        raise _refuse("opendocument")
    if "xl/workbook.xml" in infos or b"spreadsheetml.sheet.main" in types:
        return "xlsx"
    if "xl/workbook.bin" in infos:
        raise _refuse("xlsb")
    if "word/document.xml" in infos or b"wordprocessingml" in types:
        raise _refuse("word")
    if "ppt/presentation.xml" in infos or b"presentationml" in types:
        raise _refuse("powerpoint")
    if "[Content_Types].xml" in infos:
        raise _refuse("binary")
    raise _refuse("archive", format="ZIP")


def _small_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None) -> bytes:
    if info is None or info.file_size > 1024 * 1024:
        return b""
    return archive.read(info)


def _ole_kind(data: bytes) -> str:
    """Old Office files are OLE containers; their stream names (UTF-16) say what they hold."""

    def has(name: str) -> bool:
        return name.encode("utf-16-le") in data

    if has("EncryptedPackage"):
        return "encrypted"  # a password-protected XLSX or DOCX
    if has("WordDocument"):
        return "word"
    if has("PowerPoint Document"):
        return "powerpoint"
    if has("Workbook") or has("Book"):
        return "xls"
    return "old_office"


def _refuse_binary(head: bytes) -> None:
    for magic, name in _IMAGES:
        if head.startswith(magic):
            raise _refuse("image", format=name)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        raise _refuse("image", format="WEBP")
    if head[:2] == b"BM" and len(head) >= 14 and head[6:10] == b"\x00\x00\x00\x00":
        raise _refuse("image", format="BMP")
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        raise _refuse("image", format="HEIC")
    if head.startswith(b"%PDF-"):
        raise _refuse("pdf")
    for magic, name in _ARCHIVES:
        if head.startswith(magic):
            raise _refuse("archive", format=name)
    if head.startswith(b"{\\rtf"):
        raise _refuse("rtf")
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1024].lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in start or b"excel.sheet" in start:
        raise _refuse("xml")
    if start.startswith((b"<!doctype html", b"<html", b"mime-version:")) or (
        start.startswith(b"<?xml") and b"<html" in start
    ):
        raise _refuse("html")
    if b"\x00" in head:
        raise _refuse("binary")


def _decode_head(head: bytes) -> None:
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError:
        text = head.decode("cp1251", errors="replace")
    if _CONTROL.search(text):
        raise _refuse("binary")


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFileError(_encoding_message()) from error
    else:
        if b"\x00" in data:
            raise _refuse("binary")
        for encoding in ("utf-8-sig", "cp1251"):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            break
        else:
            raise ImportFileError(_encoding_message())
    if _CONTROL.search(text):
        raise _refuse("binary")
    return text


def _encoding_message() -> str:
    return _("The CSV file must be saved in UTF-8 or Windows-1251 (Cyrillic) encoding.")


def _too_many_rows(count: int = MAX_ROWS) -> str:
    return _("The file has more than %(count)s rows. Split it into smaller files.") % {
        "count": count
    }


# --- Raw rows --------------------------------------------------------------------------------


def read_grid(
    data: bytes, *, max_rows: int = MAX_ROWS, first: int | None = None
) -> Iterator[list[Any]]:
    """The raw cells of the first visible sheet with data, one list per line of the file
    (empty lines included, so that positions are the file's own line numbers).

    XLSX: numbers, dates, text as stored; a formula comes back as ``Formula``, never
    computed. CSV (UTF-8 or Windows-1251, ``;``/``,``/tab): text. ``first`` stops after that
    many lines; a file with more than ``max_rows`` rows of data is refused."""
    return _grid(data, max_rows=max_rows, first=first, computed=False)


def _grid(data: bytes, *, max_rows: int, first: int | None, computed: bool) -> Iterator[list[Any]]:
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > uploads.limit_bytes(uploads.IMPORT_LIMIT):
        raise ImportFileError(uploads.too_large_message(uploads.IMPORT_LIMIT, split=True))
    xlsx = file_kind(data) == "xlsx"
    lines = _xlsx_lines(data, computed=computed) if xlsx else _csv_lines(data)
    limit = max_rows + _ROW_SLACK
    filled = 0
    try:
        for count, values in enumerate(lines, start=1):
            if first is not None and count > first:
                return
            if any(_filled(value) for value in values):
                filled += 1
                if filled > limit:
                    raise ImportFileError(_too_many_rows(max_rows))
            yield values
    finally:
        lines.close()  # the workbook is closed now, not when the reader is collected


def _filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _open_workbook(data: bytes, *, computed: bool) -> Any:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise _refuse("damaged") from error
    if "[Content_Types].xml" not in names:
        raise _refuse("damaged")
    if inflated > MAX_INFLATED_BYTES:
        raise ImportFileError(uploads.too_large_message(uploads.IMPORT_LIMIT, split=True))
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops
            return load_workbook(io.BytesIO(data), read_only=True, data_only=computed)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many types for broken files
        raise ImportFileError(
            _("The file could not be read as an XLSX spreadsheet. Save it again from Excel.")
        ) from error


def _xlsx_lines(data: bytes, *, computed: bool) -> Generator[list[Any], None, None]:
    workbook = _open_workbook(data, computed=computed)
    try:
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            # The size written in the file is often wrong (rows or columns cut off).
            sheet.reset_dimensions()
            found = yield from _sheet_lines(sheet)
            if found:
                return
    except ImportFileError:
        raise
    except Exception as error:  # noqa: BLE001 - a broken sheet part fails while it is read
        raise ImportFileError(
            _("The file could not be read as an XLSX spreadsheet. Save it again from Excel.")
        ) from error
    finally:
        workbook.close()


def _sheet_lines(sheet: Any) -> Generator[list[Any], None, bool]:
    """The lines of one sheet, trailing empty cells dropped; False when it holds no data (and
    nothing was yielded)."""
    pending = 0  # empty lines not yet given: before the first data, or a run inside
    found = False
    for cells in sheet.iter_rows():
        values = [_cell_value(cell) for cell in cells]
        while values and not _filled(values[-1]):
            values.pop()
        if not values:
            pending += 1
            if found and pending > _EMPTY_RUN_END:
                return True
            continue
        for _blank in range(pending):
            yield []
        pending = 0
        found = True
        yield values
    return found


def _cell_value(cell: Any) -> Any:
    value = cell.value
    if value is None:
        return None
    if cell.data_type == "f":
        text = getattr(value, "text", None)  # array formulas
        return Formula(text if isinstance(text, str) else value)
    return value


def _csv_lines(data: bytes) -> Generator[list[Any], None, None]:
    text = _decode(data)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file is broken near line %(line)s.") % {"line": reader.line_num}
        ) from error


def _sniff_delimiter(text: str) -> str:
    """The delimiter whose count per line is the most consistent over the first lines; a title
    line without delimiters, or a comma inside names, does not decide it."""
    lines = [line for line in itertools.islice(io.StringIO(text, newline=""), 60) if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in (";", ",", "\t"):
        try:
            counts = [len(row) - 1 for row in csv.reader(lines[:20], delimiter=delimiter)]
        except csv.Error:
            continue
        positive = [count for count in counts if count > 0]
        if not positive:
            continue
        width, times = Counter(positive).most_common(1)[0]
        if (times, width) > best_score:
            best, best_score = delimiter, (times, width)
    return best


# --- Headers ---------------------------------------------------------------------------------

_HINT = re.compile(r"\s*[(\[][^()\[\]]*[)\]]\s*$")


def _plain(value: Any) -> str:
    """A cell as text: dates in ISO form, whole numbers without ".0", cleaned."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat(timespec="minutes")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return cleaning.clean_text(value)


def header_key(text: Any) -> str:
    """The key a header is matched by: case, Kazakh letters, look-alike Latin letters,
    punctuation and spacing ignored («Т.А.Ә.», «ТАӘ», «т. а. ә» and «Аты-жөні», «Аты жөні»)."""
    return "".join(cleaning.match_key(_plain(text)).replace("_", " ").split())


def _header_keys(text: Any) -> tuple[str, ...]:
    """The header's key, then its key without a trailing hint in brackets
    ("Дата рождения (дд.мм.гггг)" also matches "Дата рождения")."""
    plain = _plain(text)
    full = header_key(plain)
    bare = _HINT.sub("", plain)
    if bare and bare != plain:
        short = header_key(bare)
        if short and short != full:
            return (full, short) if full else (short,)
    return (full,) if full else ()


@functools.lru_cache(maxsize=64)
def _synonym_index(specs: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for key, synonyms in specs:
        for synonym in (key, *synonyms):
            index.setdefault(header_key(synonym), key)
    index.pop("", None)
    return index


def _index(fields: Sequence[FieldSpec]) -> dict[str, str]:
    return _synonym_index(tuple((f.key, tuple(str(s) for s in f.synonyms)) for f in fields))


def _match(text: Any, index: dict[str, str]) -> str | None:
    if text is None or isinstance(text, bool):
        return None
    for key in _header_keys(text):
        if key in index:
            return index[key]
    return None


def match_header(text: Any, fields: Sequence[FieldSpec]) -> str | None:
    """The key of the field a header text means, or None."""
    return _match(text, _index(fields))


def find_header(
    rows: Sequence[list[Any]], fields: Sequence[FieldSpec], *, scan: int = HEADER_SCAN
) -> int | None:
    """The position (0-based) of the header among the first ``scan`` rows: the row naming the
    most fields, at least two (one when it is the catalogue's only required field)."""
    index = _index(fields)
    required = [spec.key for spec in fields if spec.required]
    best, best_count = None, 0
    for position, row in enumerate(rows[:scan]):
        matched = {key for cell in row if (key := _match(cell, index))}
        count = len(matched)
        enough = count >= 2 or (count == 1 and len(required) == 1 and required[0] in matched)
        if enough and count > best_count:
            best, best_count = position, count
    return best


def detect_mapping(header: list[Any], fields: Sequence[FieldSpec]) -> dict[int, str]:
    """Column position -> field key for the header's columns that name a field; a field named
    by two columns goes to the first."""
    index = _index(fields)
    mapping: dict[int, str] = {}
    for position, cell in enumerate(header):
        key = _match(cell, index)
        if key is not None and key not in mapping.values():
            mapping[position] = key
    return mapping


# --- Lines that are not data -----------------------------------------------------------------

_TOTAL_WORDS = frozenset(
    cleaning.match_key(word)
    for word in ("итого", "всего", "барлығы", "барлық", "жиыны", "жиынтығы", "total", "subtotal")
)
_SIGNATURE_WORDS = frozenset(cleaning.match_key(word) for word in ("подпись", "қолы"))
_SEAL_CELLS = frozenset({"м п", "мп", "м о", "мо"})  # «М.П.», «М.О.»: the place of the seal
_ROLE_WORDS = frozenset(
    cleaning.match_key(word)
    for word in (
        "исполнитель", "исполнил", "орындаған", "орындаушы", "директор", "руководитель",
        "басшы", "басшысы", "председатель", "төраға", "төрағасы", "начальник", "бастығы",
        "заведующий", "меңгеруші", "утверждаю", "бекітемін", "согласовано", "келісілді",
    )
)  # fmt: skip
_NOTE_WORDS = frozenset(
    cleaning.match_key(word)
    for word in ("примечание", "примечания", "ескерту", "ескертпе", "note", "notes")
)
_UNDERSCORES = re.compile(r"_{3,}")
_TOTAL_FORMULA = re.compile(r"^=\s*(?:SUM|СУММ|SUBTOTAL|ПРОМЕЖУТОЧНЫЕ\.ИТОГИ)\s*\(", re.I)

_NOTES = {
    "total": gettext_lazy("Totals row “%(text)s”: skipped."),
    "signature": gettext_lazy("Signature or approval line “%(text)s”: skipped."),
    "note": gettext_lazy("A note or title line “%(text)s”, not a row of the table: skipped."),
    "numbers": gettext_lazy("Column numbers (1, 2, 3…) under the column names: skipped."),
    "header": gettext_lazy("The column names repeated (a page break): skipped."),
}


def _note(code: str, text: str = "") -> str:
    short = text if len(text) <= 60 else text[:59] + "…"
    message = str(_NOTES[code])
    return message % {"text": short} if "%(text)s" in message else message


def _first_word(key: str) -> str:
    return key.split(" ", 1)[0] if key else ""


def _non_data(cells: Sequence[Any], fields_seen: bool) -> tuple[str, str, int] | None:
    """(code, note, position of the cell that decided) for a line that is not data. Called for
    every line of a large file: the costly checks run only on the few cells that can decide."""
    filled = [(i, value) for i, value in enumerate(cells) if _filled(value)]
    if not filled:
        return None
    texts = [(i, v) for i, v in filled if isinstance(v, str) and not isinstance(v, Formula)]
    if texts:
        position, raw = texts[0]
        text = _plain(raw)
        first_word = _first_word(cleaning.match_key(text[:40]))
        if first_word in _TOTAL_WORDS or (first_word == "grand" and "total" in text.lower()):
            return "total", _note("total", text), position
        if first_word in _NOTE_WORDS and len(filled) <= 2:
            return "note", _note("note", text), position
        if first_word in _ROLE_WORDS and len(filled) <= 3:
            return "signature", _note("signature", text), position
        # Signature lines are short: a role, a line to sign on, "(подпись)", a name, "М.П.".
        if len(filled) <= 4:
            for place, value in texts:
                key = cleaning.match_key(value)
                if (
                    _UNDERSCORES.search(value)
                    or key in _SEAL_CELLS
                    or _SIGNATURE_WORDS.intersection(key.split())
                ):
                    return "signature", _note("signature", text), place
    if isinstance(filled[0][1], Formula) and all(
        isinstance(v, Formula) and _TOTAL_FORMULA.match(v) for _i, v in filled
    ):
        return "total", _note("total", str(filled[0][1])), filled[0][0]
    if len(filled) >= 3 and filled[0][1] in (1, "1") and _column_numbers([v for _i, v in filled]):
        return "numbers", _note("numbers"), filled[0][0]
    if fields_seen and len(filled) == 1 and texts:
        return "note", _note("note", _plain(texts[0][1])), texts[0][0]
    return None


def _column_numbers(values: list[Any]) -> bool:
    for expected, value in enumerate(values, start=1):
        if isinstance(value, bool):
            return False
        if isinstance(value, (int, float)):
            if value != expected:
                return False
        elif not (isinstance(value, str) and value.strip() == str(expected)):
            return False
    return True


def non_data_reason(cells: list[Any], *, fields_seen: bool = True) -> str | None:
    """A translated note when a line is not a row of data (totals, signatures and approvals,
    notes and section titles, column numbers), None for data. ``fields_seen``: the table has
    several columns, so a line with a single text is a note or a title."""
    found = _non_data(cells, fields_seen)
    return None if found is None else found[1]


# --- Rows as text, by the kind of their field ------------------------------------------------

_YEAR = re.compile(r"^(\d{4})\s*(?:г|гг|год|года|ж|жыл|жылы|жылғы|y|yr)?\.?$", re.IGNORECASE)
_NUMBER_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f']")
_WHOLE = re.compile(r"^-?\d+$")
_WHOLE_WITH_ZEROS = re.compile(r"^(-?\d+)[.,]0+$")


def _as_text(value: Any, kind: str) -> str:
    if kind == "date":
        return _date_text(value)
    if kind == "year":
        return _year_text(value)
    if kind == "iin":
        return cleaning.clean_iin(value)
    if kind == "phone":
        try:
            return cleaning.normalise_phone(value)
        except ValueError:
            return _plain(value)
    if kind == "number":
        return _number_text(value)
    return _plain(value)


def _date_text(value: Any) -> str:
    if isinstance(value, (datetime.date, int, float)) and not isinstance(value, bool):
        try:
            return cleaning.parse_date(value).isoformat()
        except ValueError:
            return _plain(value)
    text = _plain(value)
    try:
        return cleaning.parse_date(text).isoformat()
    except ValueError:
        return text


def _year_text(value: Any) -> str:
    if isinstance(value, datetime.date):
        return str(value.year)
    text = _plain(value)
    found = _YEAR.match(text)
    return found.group(1) if found else text


def _number_text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _plain(value)
    text = _plain(value)
    compact = _NUMBER_SPACES.sub("", text)
    if _WHOLE.match(compact):
        return compact
    if found := _WHOLE_WITH_ZEROS.match(compact):
        return found.group(1)
    return text


@dataclass
class Extracted:
    """A table read from a file: where its header is, which columns mean which fields, and
    its rows as text by field, with the lines skipped and notes about cells."""

    header_line: int  # 1-based, as the spreadsheet shows it
    header: list[str]  # every header cell, cleaned
    mapping: dict[int, str]  # column position -> field key
    rows: list[tuple[int, dict[str, str]]]  # (line, field key -> value)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    flags: dict[int, list[str]] = field(default_factory=dict)  # line -> notes about its cells
    unknown: list[str] = field(default_factory=list)  # header texts of columns not mapped


def extract(
    source: bytes | Iterable[list[Any]],
    fields: Sequence[FieldSpec],
    *,
    header_line: int | None = None,
    mapping: dict[int, str] | None = None,
    max_rows: int = MAX_ROWS,
) -> Extracted:
    """The table of a file (or of raw rows): the header row (``header_line``, 1-based, or
    found), the columns (``mapping`` or detected), then every line below it read by its
    fields' kinds; lines that are not data are skipped with a note. Rows are read one by one,
    so a large file is never held twice."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        lines: Iterator[list[Any]] = read_grid(bytes(source), max_rows=max_rows)
    else:
        lines = iter(source)
    head: list[list[Any]] = []
    wanted = HEADER_SCAN if header_line is None else header_line
    if header_line is not None and header_line < 1:
        raise ImportFileError(_("The row with the column names must be 1 or more."))
    for values in lines:
        head.append(list(values))
        if len(head) >= wanted:
            break
    if header_line is None:
        found = find_header(head, fields, scan=HEADER_SCAN)
        if found is None:
            raise ImportFileError(
                _(
                    "No row among the first %(count)s holds column names Birlik knows. Choose "
                    "the row with the column names and the columns yourself, or use the "
                    "template."
                )
                % {"count": HEADER_SCAN}
            )
        position = found
    elif len(head) < header_line:
        raise ImportFileError(
            _("The file has no row %(line)s: its last row is %(count)s.")
            % {"line": header_line, "count": len(head)}
        )
    else:
        position = header_line - 1
    header_cells = head[position]
    below = head[position + 1 :]
    del head
    specs = {spec.key: spec for spec in fields}
    if mapping is None:
        mapping = detect_mapping(header_cells, fields)
    else:
        chosen: dict[int, str] = {}
        for column, key in sorted(mapping.items()):
            if key in specs and key not in chosen.values() and int(column) >= 0:
                chosen[int(column)] = key
        mapping = chosen
    missing = [spec for spec in fields if spec.required and spec.key not in mapping.values()]
    if missing:
        raise ImportFileError(
            _(
                "These columns were not found: %(columns)s. Choose them in the column step, or "
                "add them to the row with the column names."
            )
            % {"columns": ", ".join(f"«{spec.label}»" for spec in missing)}
        )
    header = [_plain(value) for value in header_cells]
    result = Extracted(
        header_line=position + 1,
        header=header,
        mapping=mapping,
        rows=[],
        unknown=[text for i, text in enumerate(header) if text and i not in mapping],
    )
    _read_rows(result, itertools.chain(below, lines), specs, max_rows=max_rows)
    return result


def _read_rows(
    result: Extracted,
    lines: Iterator[list[Any]],
    specs: dict[str, FieldSpec],
    *,
    max_rows: int,
) -> None:
    mapping = result.mapping
    columns = sorted(mapping.items())
    several = len(columns) >= 2
    names = {
        i: (result.header[i] if i < len(result.header) and result.header[i] else "")
        or str(specs[key].label)
        for i, key in columns
    }
    header_texts = {
        i: result.header[i].casefold()
        for i, _key in columns
        if i < len(result.header) and result.header[i]
    }
    line = result.header_line
    for values in lines:
        line += 1
        if not any(_filled(value) for value in values):
            continue
        if header_texts and _repeats_header(values, header_texts):
            result.skipped.append((line, _note("header")))
            continue
        reason = _non_data(values, several)
        if reason is not None and not _only_a_name(reason, mapping, specs):
            result.skipped.append((line, reason[1]))
            continue
        row: dict[str, str] = {}
        notes: list[str] = []
        for i, key in columns:
            value = values[i] if i < len(values) else None
            if isinstance(value, Formula):
                text = cleaning.clean_text(value)
                notes.append(
                    _(
                        "Column «%(column)s»: a formula (%(formula)s) was read as text, "
                        "not computed."
                    )
                    % {"column": names[i], "formula": text[:60]}
                )
                row[key] = text
            else:
                row[key] = _as_text(value, specs[key].kind) if _filled(value) else ""
        if not any(row.values()):
            continue  # only columns Birlik does not read are filled (a numbered empty row)
        result.rows.append((line, row))
        if notes:
            result.flags[line] = notes
        if len(result.rows) > max_rows:
            raise ImportFileError(_too_many_rows(max_rows))


def _repeats_header(values: list[Any], header_texts: dict[int, str]) -> bool:
    """The column names again (a page break printed them): at least half of the named mapped
    columns, and two when there are two or more, hold their header text."""
    same = 0
    for i, text in header_texts.items():
        value = values[i] if i < len(values) else None
        if isinstance(value, str) and value[:1].casefold() == text[:1]:
            same += _plain(value).casefold() == text
    return same >= max(min(2, len(header_texts)), (len(header_texts) + 1) // 2)


def _only_a_name(
    reason: tuple[str, str, int], mapping: dict[int, str], specs: dict[str, FieldSpec]
) -> bool:
    """A person with only a name filled in is a row of data, not a title line."""
    code, _note_text, position = reason
    return code == "note" and position in mapping and specs[mapping[position]].kind == "name"


# --- The first reader (templates with the column names in the first row) ---------------------


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
    """The raw rows of the first sheet with data of an XLSX file (computed values, not
    formulas), bounded."""
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise ImportFileError(_("The file is not an XLSX or CSV spreadsheet."))
    for count, values in enumerate(_xlsx_lines(data, computed=True), start=1):
        if count > MAX_ROWS + 1:
            raise ImportFileError(_too_many_rows())
        yield values


def read_rows(data: bytes, *, columns: list[str], required: list[str]) -> Table:
    """The header and non-empty rows of the first sheet, checked for the expected columns."""
    iterator = _grid(data, max_rows=MAX_ROWS, first=None, computed=True)
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
