"""Values as staff type them in spreadsheets, made comparable and storable: one home for the
cleaning every import uses (text, names, dates, IINs, phones).

    clean_text("Абай\xa0 облысы ")   -> "Абай облысы"
    match_key("Kазахстан")           -> the same key as «Қазақстан» (a Latin K inside Cyrillic)
    split_full_name("Серікова Айгүл Асқар қызы") -> ("Серікова", "Айгүл", "Асқар қызы")
    parse_date("12 наурыз 2001 ж.")  -> date(2001, 3, 12)
    clean_iin(30512500123.0)         -> "030512500123" (the 0 Excel dropped, when it checks out)
    normalise_phone("8 (701) 234-56-78") -> "+77012345678"
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from django.utils.translation import gettext as _

from birlik.core.text import fold

__all__ = [
    "clean_iin",
    "clean_text",
    "excel_date",
    "iin_check_digit",
    "iin_checksum_ok",
    "lost_letters",
    "match_key",
    "mixed_script",
    "normalise_phone",
    "parse_date",
    "split_full_name",
]

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACE = re.compile(r"[\s\u00a0\u2007\u202f]+")
# Latin letters that look like Cyrillic ones, typed inside Cyrillic words.
_LOOKALIKE = str.maketrans(
    {
        "A": "А", "a": "а", "B": "В", "C": "С", "c": "с", "E": "Е", "e": "е", "H": "Н",
        "K": "К", "k": "к", "M": "М", "O": "О", "o": "о", "P": "Р", "p": "р", "T": "Т",
        "X": "Х", "x": "х", "y": "у", "I": "І", "i": "і",
    }
)  # fmt: skip
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_text(value: Any) -> str:
    """The text of a cell: NFC, invisible characters dropped, any run of spaces (NBSP, tabs,
    line breaks) one space, trimmed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    text = _INVISIBLE.sub("", text)
    return _SPACE.sub(" ", text).strip()


def _cyrillic_word(word: str) -> str:
    return word.translate(_LOOKALIKE) if _CYRILLIC.search(word) else word


def match_key(value: Any) -> str:
    """A key to compare names typed in different ways: cleaned, Latin look-alikes inside
    Cyrillic words made Cyrillic, then folded (case, ё/е, Kazakh letters typed as Russian)."""
    text = _WORD.sub(lambda m: _cyrillic_word(m.group(0)), clean_text(value))
    return fold(text)


# --- Letters -----------------------------------------------------------------------------

_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u052f]")
_LETTERS = r"[^\W\d_]"
# "?" or the replacement character where a letter was: inside a word, at its end, or
# starting a word of letters ("Н?рлан", "Асқар?лы", "Серік?", "?азақ").
_LOST = re.compile(rf"\ufffd|{_LETTERS}\?|(?<!{_LETTERS})\?{_LETTERS}")


def mixed_script(value: Any) -> bool:
    """True when a word mixes Latin and Cyrillic letters («Нурлaн» with a Latin a)."""
    for word in _WORD.findall(clean_text(value)):
        if _LATIN_LETTER.search(word) and _CYRILLIC_LETTER.search(word):
            return True
    return False


def lost_letters(value: Any) -> bool:
    """True when letters were lost to a wrong encoding: "?" or U+FFFD inside or at the end of
    a word of letters ("Н?рлан", "Ж?нісов": the Kazakh letters a cp1251 file cannot hold)."""
    return bool(_LOST.search(clean_text(value)))


# --- Names -------------------------------------------------------------------------------

# The second word of a two-word Kazakh (or Azerbaijani) patronymic: «Асқар ұлы», «Асқар қызы».
_PATRONYMIC_TAIL = frozenset(
    match_key(word) for word in ("ұлы", "улы", "қызы", "кызы", "оглы", "оглу", "гызы")
)


def split_full_name(value: Any) -> tuple[str, str, str]:
    """(last name, first name, patronymic) of a full name written last name first; letters are
    kept as written, only spaces (and a comma after the last name) cleaned."""
    words = clean_text(str(value or "").replace(",", " ")).split(" ")
    words = [word for word in words if word]
    if not words:
        return "", "", ""
    if len(words) == 1:
        return words[0], "", ""
    if len(words) == 2:
        return words[0], words[1], ""
    if len(words) == 4 and match_key(words[3]) in _PATRONYMIC_TAIL:
        return words[0], words[1], f"{words[2]} {words[3]}"
    return words[0], words[1], " ".join(words[2:])


# --- Dates -------------------------------------------------------------------------------

EXCEL_SERIAL_MAX = 2_958_465  # 31 December 9999
_EXCEL_EPOCH = datetime.date(1899, 12, 30)
FIRST_YEAR, LAST_YEAR = 1900, 2100
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DAY_FIRST = re.compile(
    r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?$"
)
_YEAR_FIRST = re.compile(r"^(\d{4})[./](\d{1,2})[./](\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# "г.", "года", "ж.", "жыл", "жылы" after a date.
_YEAR_WORD = re.compile(r"\s*(?:г|гг|год|года|ж|жж|жыл|жылы|жылғы)\.?$", re.IGNORECASE)
_SERIAL = re.compile(r"^\d{1,7}(?:[.,]\d+)?$")
# Month names by the folded start of the word (Russian genitive and abbreviations, Kazakh,
# English); Russian «май/мая» are matched whole, as «ма» starts other months.
_MONTH_PREFIXES = (
    ("янв", 1), ("фев", 2), ("мар", 3), ("апр", 4), ("июн", 6), ("июл", 7), ("авг", 8),
    ("сен", 9), ("окт", 10), ("ноя", 11), ("дек", 12),
    ("кантар", 1), ("акпан", 2), ("наурыз", 3), ("сауир", 4), ("мамыр", 5), ("маусым", 6),
    ("шилде", 7), ("тамыз", 8), ("кыркуиек", 9), ("казан", 10), ("караша", 11),
    ("желтоксан", 12),
    ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("may", 5), ("jun", 6), ("jul", 7),
    ("aug", 8), ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12),
)  # fmt: skip
_MAY = frozenset({"маи", "мая", "мае"})
_DATE_NOISE = frozenset({"г", "гг", "год", "года", "ж", "жыл", "жылы", "жылгы", "of", "the"})


def _month(word: str) -> int | None:
    if word in _MAY:
        return 5
    for prefix, month in _MONTH_PREFIXES:
        if word.startswith(prefix):
            return month
    return None


def _checked(year: int, month: int, day: int) -> datetime.date:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} out of range")
    return datetime.date(year, month, day)


def _full_year(year: str) -> int:
    if len(year) == 4:
        return int(year)
    short = int(year)
    # Two-digit years: up to ten years ahead are this century (plans), the rest the last one.
    return 2000 + short if short <= datetime.date.today().year % 100 + 10 else 1900 + short


def excel_date(serial: float) -> datetime.date:
    """The date of an Excel serial number (1900 system, with Excel's 29 February 1900)."""
    whole = int(serial)
    if not 1 <= whole <= EXCEL_SERIAL_MAX or whole == 60:
        raise ValueError(f"{serial} is not an Excel date")
    # Excel counts a 29 February 1900 that never was: serials before it start a day later.
    base = _EXCEL_EPOCH + datetime.timedelta(days=1) if whole < 60 else _EXCEL_EPOCH
    day = base + datetime.timedelta(days=whole)
    return _checked(day.year, day.month, day.day)


def _serial_date(number: float) -> datetime.date:
    # A whole number that reads as a year (1985) is a year typed in a date column, not the
    # serial of a day in 1905: refused rather than silently turned into a wrong date.
    if float(number).is_integer() and 1800 <= number <= LAST_YEAR:
        raise ValueError(f"{number} looks like a year, not a date")
    return excel_date(number)


def parse_date(value: Any) -> datetime.date:
    """The date a cell means, or ValueError: date objects, ISO and day-first numeric forms,
    Excel serial numbers, and day, month name and year in Russian, Kazakh or English."""
    if isinstance(value, datetime.datetime):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, datetime.date):
        return _checked(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise ValueError("not a date")
    if isinstance(value, (int, float)):
        return _serial_date(value)
    text = _YEAR_WORD.sub("", clean_text(value)).strip()
    if not text:
        raise ValueError("empty")
    for pattern in (_ISO, _YEAR_FIRST, _COMPACT):
        if found := pattern.match(text):
            year, month, day = (int(part) for part in found.groups())
            return _checked(year, month, day)
    if found := _DAY_FIRST.match(text):
        day, month = int(found.group(1)), int(found.group(2))
        return _checked(_full_year(found.group(3)), month, day)
    if _SERIAL.match(text):
        return _serial_date(float(text.replace(",", ".")))
    return _named_month_date(text)


def _named_month_date(text: str) -> datetime.date:
    numbers: list[str] = []
    months: list[int] = []
    for word in fold(text).split():
        if word.isdigit():
            numbers.append(word)
        elif word.isalpha() and word not in _DATE_NOISE:
            month = _month(word)
            if month is None:
                raise ValueError(f"unknown word {word!r}")
            months.append(month)
        elif not word.isalpha():
            # "12-го", "2001ж": digits with letters around them.
            digits = re.sub(r"\D", "", word)
            if not digits:
                raise ValueError(f"unknown word {word!r}")
            numbers.append(digits)
    if len(months) != 1 or len(numbers) != 2:
        raise ValueError("not a date")
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2]
    if len(years) != 1 or len(days) != 1:
        raise ValueError("not a date")
    return _checked(int(years[0]), months[0], int(days[0]))


# --- IIN ---------------------------------------------------------------------------------

_IIN_WEIGHTS = (
    (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),
    (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2),
)
_IIN_SEPARATORS = re.compile(r"[\s\u00a0\u202f\-'’`]")
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+]?\d+$")
_FLOAT_TEXT = re.compile(r"^(\d+)[.,]0+$")


def iin_check_digit(first11: str) -> int | None:
    """The 12th digit of an IIN for its first 11 digits, or None when both weightings give
    10 (no valid IIN has these 11 digits)."""
    digits = [int(ch) for ch in first11]
    for weights in _IIN_WEIGHTS:
        control = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if control != 10:
            return control
    return None


def iin_checksum_ok(value: str) -> bool:
    """True for 12 digits whose last one is the check digit of the first 11."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return False
    return iin_check_digit(value[:11]) == int(value[11])


def clean_iin(value: Any) -> str:
    """The IIN of a cell as 12 digits where it can be read: numbers (930512300123.0), text with
    spaces or dashes, and the leading zeros Excel dropped (born 2000–2009) put back when the
    checksum agrees. Anything else comes back as cleaned text for the check to report."""
    if value is None or isinstance(value, bool):
        return clean_text(value)
    if isinstance(value, int):
        digits = str(value)
    elif isinstance(value, float):
        if not value.is_integer() or value < 0:
            return clean_text(value)
        digits = str(int(value))
    else:
        text = clean_text(value)
        if _SCIENTIFIC.match(text):
            return text  # "9.30512E+11": the digits are lost; the check says so
        digits = _IIN_SEPARATORS.sub("", text)
        if found := _FLOAT_TEXT.match(digits):
            digits = found.group(1)
        if not digits.isascii() or not digits.isdigit():
            return text
    # Born in 2000–2009: the IIN starts with one to three zeros (2000-01-05: "000105…").
    if len(digits) in (9, 10, 11) and iin_checksum_ok(digits.zfill(12)):
        return digits.zfill(12)
    return digits


# --- Phones ------------------------------------------------------------------------------

_PHONE_LABEL = re.compile(
    r"^(?:тел(?:ефон)?|моб(?:ильный)?|сот(?:овый)?|ұялы|tel|phone|mob(?:ile)?)\.?\s*:?\s*",
    re.IGNORECASE,
)
_EXTENSION = re.compile(r"доб|внутр|вн\.|ішкі|ext|\bx\s*\d|#\s*\d", re.IGNORECASE)
_PHONE_SPLIT = re.compile(r"[,;/\n]|\s(?:и|или|немесе|or|and)\s", re.IGNORECASE)
_NOT_DIGIT = re.compile(r"\D")
_PHONE_CHARS = re.compile(r"[\s\u00a0\u202f()\-.]")


def normalise_phone(value: Any) -> str:
    """One Kazakhstan (+7) phone number in any usual form as "+7XXXXXXXXXX", or ValueError
    with a translated message saying what to change."""
    if isinstance(value, bool) or value is None:
        raise ValueError(_("The phone number is empty."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value)
    if not text:
        raise ValueError(_("The phone number is empty."))
    if _EXTENSION.search(text):
        raise ValueError(
            _("An extension cannot be kept: write the phone number alone, e.g. +7 7182 32 00 00.")
        )
    parts = [part for part in _PHONE_SPLIT.split(text) if len(_NOT_DIGIT.sub("", part)) >= 5]
    if len(parts) > 1:
        raise ValueError(_("The cell holds more than one phone number: keep one."))
    text = _PHONE_LABEL.sub("", text)
    compact = _PHONE_CHARS.sub("", text)
    plus = compact.startswith("+")
    digits = compact[1:] if plus else compact
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(_("This is not a phone number; write it as +7 701 234 56 78."))
    if plus:
        if not digits.startswith("7"):
            raise ValueError(_("Only Kazakhstan numbers (+7) can be kept."))
        if len(digits) != 11:
            raise ValueError(_("A phone number has 10 digits after +7."))
        return "+" + digits
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    if len(digits) == 10 and digits[0] not in "08":
        return "+7" + digits
    if len(digits) > 11 and not digits.startswith(("7", "8")):
        raise ValueError(_("Only Kazakhstan numbers (+7) can be kept."))
    raise ValueError(
        _("A phone number has 11 digits with the code, e.g. 8 701 234 56 78 or +7 7182 32 00 00.")
    )
