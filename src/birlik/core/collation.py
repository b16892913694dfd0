"""Kazakh and Russian alphabetical order, in Python and in SQL.

One order serves both languages: the Kazakh Cyrillic alphabet, of which Russian's is a subset
(А Ә Б В Г Ғ Д Е Ё Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я).
It follows ICU's ``kk`` collation (CLDR), which PostgreSQL uses through the ``kk_icu``
collation made by ``core`` migration 0005, with these settings:

- numbers compare as numbers (``kn``): "№ 5" before "№ 44", "Мектеп №9" before "Мектеп №10";
- spaces, punctuation and quotes are ignored at the first level (``ka-shifted``), so
  «Бірлік» sorts under Б; they only part names that are otherwise equal;
- case is ignored at the first level; of two names differing only in case, lower case first;
- digits and symbols come before letters, Cyrillic before Latin, other scripts after Latin;
- compatibility characters sort as what they stand for (ICU does the same): "№" is "No".

``sort_key`` is the Python side (lists sorted in memory, choices) and backs SQLite's ``kk_key``
function and ``kk_icu`` collation, given to every new connection, so that ``ordered`` and
``collated`` give the same order on both databases. Latin comes after Cyrillic because ICU's
``kk`` order puts it there, and the two databases must agree.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.db.models import CharField, Expression, F, Func, Model, OrderBy, QuerySet

COLLATION = "kk_icu"
# The ICU locale of the PostgreSQL collation (see the module docstring for each part).
ICU_LOCALE = "kk-KZ-u-kn-true-ka-shifted"

CYRILLIC = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
LATIN = "abcdefghijklmnopqrstuvwxyz"

# Groups of the first level, in order.
_SYMBOL, _DIGIT, _CYRILLIC, _LATIN, _OTHER = range(5)
_CYRILLIC_RANK = {letter: rank for rank, letter in enumerate(CYRILLIC)}
_LATIN_RANK = {letter: rank for rank, letter in enumerate(LATIN)}
# Latin letters ICU sorts as other letters (ß as "ss"); their variants differ at level 2.
_LATIN_EXPANSIONS = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ı": "i",
    "þ": "th",
}
# The key is one string compared by code point (fast, in C): each level in turn, then the
# text itself. Every character of a level is above _END (the end of a level) and _MARKS_END
# (the end of one letter's diacritics), so that a shorter level sorts first, as with tuples.
_END, _MARKS_END = "\x01", "\x02"
_BASE = 0x100
_HIGH = 0xFFFF  # quaternary weight of every non-ignorable character: after spaces and punctuation

T = TypeVar("T")
M = TypeVar("M", bound=Model)


def _letter(char: str) -> tuple[int, int, int] | None:
    """The group, rank and case (0 lower, 1 upper) of a letter of our alphabets."""
    lower = char.lower()
    if len(lower) != 1:
        return None
    case = 0 if char == lower else 1
    if lower in _CYRILLIC_RANK:
        return _CYRILLIC, _CYRILLIC_RANK[lower], case
    if lower in _LATIN_RANK:
        return _LATIN, _LATIN_RANK[lower], case
    return None


def _weight(group: int, value: int) -> str:
    """A first-level weight as three characters (values up to 2**22)."""
    return chr(_BASE + group) + chr(_BASE + (value >> 11)) + chr(_BASE + (value & 0x7FF))


def _number(digits: str) -> str:
    """A number's weight: longer numbers after shorter ones, leading zeros ignored."""
    digits = digits.lstrip("0") or "0"
    return (
        chr(_BASE + _DIGIT)
        + chr(_BASE + len(digits))
        + "".join(chr(_BASE + int(digit)) for digit in digits)
    )


@functools.lru_cache(maxsize=50_000)
def sort_key(text: str | None) -> str:
    """A key that sorts strings in Kazakh/Russian alphabetical order (see the module)."""
    text = unicodedata.normalize("NFC", text or "")
    primary: list[str] = []
    secondary: list[str] = []
    tertiary: list[str] = []
    quaternary: list[str] = []
    digits = ""

    def end_number() -> None:
        nonlocal digits
        if digits:
            primary.append(_number(digits))
            secondary.append(_MARKS_END)
            tertiary.append("0")
            digits = ""

    def add(group: int, value: int, case: int) -> None:
        end_number()
        primary.append(_weight(group, value))
        secondary.append(_MARKS_END)
        tertiary.append(str(case))

    def mark(code: int) -> None:  # a diacritic, second level, on the letter before it
        if secondary:
            secondary[-1] = secondary[-1][:-1] + chr(min(code, _HIGH - 1)) + _MARKS_END

    for char in text:
        # Й and Ё are letters of their own: look them (and every letter of the tables) up
        # before decomposing; other characters sort as their compatibility decomposition.
        parts = char if _letter(char) else unicodedata.normalize("NFKD", char)
        for part in parts:
            category = unicodedata.category(part)
            if category == "Mn":
                mark(ord(part))
                continue
            if category == "Nd":
                if not digits:  # a number counts once, whatever its leading zeros
                    quaternary.append(chr(_HIGH))
                digits += str(unicodedata.decimal(part))
                continue
            if category[0] in "ZP":  # ignored at the first three levels
                end_number()
                quaternary.append(chr(min(ord(part), _HIGH - 1)))
                continue
            if category[0] == "C":  # control and format characters are ignored
                continue
            quaternary.append(chr(_HIGH))
            case = int(part != part.lower())
            letter = _letter(part)
            if letter is not None:
                add(*letter)
            elif part.lower() in _LATIN_EXPANSIONS:
                for expanded in _LATIN_EXPANSIONS[part.lower()]:
                    add(_LATIN, _LATIN_RANK[expanded], case)
                mark(ord(part))
            elif category[0] == "S":  # currency signs after the other symbols, as in ICU
                add(_SYMBOL, ord(part) + (0x110000 if category == "Sc" else 0), 0)
            elif "CYRILLIC" in unicodedata.name(part, ""):
                # Cyrillic letters of other languages (Ђ, Ћ...) after Я.
                add(_CYRILLIC, len(CYRILLIC) + ord(part.lower()), case)
            else:
                add(_OTHER, ord(part.lower()), case)
    end_number()
    levels = ("".join(primary), "".join(secondary), "".join(tertiary), "".join(quaternary))
    # Last, the text: PostgreSQL breaks ICU's ties by comparing the bytes (code point order).
    return _END.join((*levels, text))


def compare(left: str | None, right: str | None) -> int:
    """-1, 0 or 1 as ``left`` sorts before, with or after ``right`` (SQLite's collation)."""
    left_key, right_key = sort_key(left), sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def sorted_by_name(items: Iterable[T], key: Callable[[T], str | None] = str) -> list[T]:
    """The items in Kazakh/Russian alphabetical order of ``key(item)``."""
    return sorted(items, key=lambda item: sort_key(key(item)))


class Collated(Func):
    """An expression sorting in Kazakh/Russian alphabetical order: ``COLLATE "kk_icu"`` on
    PostgreSQL; on SQLite the sort key of each row (``kk_key``: one Python call per row, where
    a collation would call Python on every comparison)."""

    function = "kk_key"
    output_field = CharField()

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Any]:
        return self.as_sql(
            compiler, connection, template=f'%(expressions)s COLLATE "{COLLATION}"', **extra_context
        )


def collated(field: str | Expression | F) -> Collated:
    """``field`` in Kazakh/Russian alphabetical order, for ``order_by``."""
    return Collated(field)


def ordered(qs: QuerySet[M], *fields: str, then: Iterable[str] = ("pk",)) -> QuerySet[M]:
    """``qs`` ordered by ``fields`` in alphabetical order (``-field`` for descending), then
    by ``then`` (kept as they are: ids, dates) so that paging is stable."""
    return qs.order_by(*order_by(*fields), *then)


def order_by(*fields: str) -> list[OrderBy]:
    """The ``order_by`` terms of ``fields`` in alphabetical order (``-field`` descending)."""
    return [
        collated(field[1:]).desc() if field.startswith("-") else collated(field).asc()
        for field in fields
    ]


def register_sqlite(sender: Any, connection: Any, **_kwargs: Any) -> None:
    """Give a new SQLite connection the ``kk_key`` function and the ``kk_icu`` collation
    (``connection_created``), so the same queries run on both databases."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("kk_key", 1, sort_key, deterministic=True)
        connection.connection.create_collation(COLLATION, compare)
