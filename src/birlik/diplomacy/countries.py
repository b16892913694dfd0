"""Countries of ISO 3166-1 alpha-2, named in kk/ru/en from Babel's CLDR data.

CLDR's territory list also holds regions ("001", "150"), groupings (EU, UN, EZ), reserved and
user-assigned codes (XK, QO, XA, XB, ZZ) and the exceptionally reserved ones (AC, CP, DG, EA,
IC, TA, CQ): none of these is a country code of ISO 3166-1, so none is accepted. An
international organisation is recorded under the country of its seat.
"""

from __future__ import annotations

import functools

from babel import Locale
from django.utils.translation import get_language

from birlik.core.collation import sort_key

__all__ = ["CODES", "choices", "is_country", "labels", "name"]

# CLDR codes of two letters that are not countries of ISO 3166-1.
NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}
)
LANGUAGES = ("kk", "ru", "en")


def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


CODES: frozenset[str] = frozenset(
    code
    for code in _territories("en")
    if len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()
    if code not in NOT_COUNTRIES
)


def _language(language: str | None) -> str:
    code = (language or get_language() or "kk").split("-")[0]
    return code if code in LANGUAGES else "kk"


@functools.cache
def _labels(language: str) -> dict[str, str]:
    names = _territories(language)
    english = _territories("en")
    return {code: names.get(code) or english[code] for code in CODES}


def labels(language: str | None = None) -> dict[str, str]:
    """Every country code with its name in ``language`` (the active one by default)."""
    return dict(_labels(_language(language)))


def name(code: str | None, language: str | None = None) -> str:
    """The country's name in the active language ("" for no code, the code if unknown)."""
    if not code:
        return ""
    return _labels(_language(language)).get(code.upper(), code)


def is_country(code: str | None) -> bool:
    return bool(code) and str(code).upper() in CODES


@functools.cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _labels(language)
    return tuple(sorted(names.items(), key=lambda item: (sort_key(item[1]), item[0])))


def choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of every country, in alphabetical order of the names in ``language``."""
    return list(_choices(_language(language)))
