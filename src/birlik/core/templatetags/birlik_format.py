"""Numbers and dates written the way each language writes them (glossary rules 7 and 8)."""

from __future__ import annotations

import datetime
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from django import template
from django.utils.translation import get_language

register = template.Library()

# CLDR locales per UI language; en_GB gives "12 December 2025", as the glossary asks.
LOCALES = {"kk": "kk_KZ", "ru": "ru_KZ", "en": "en_GB"}


def _locale() -> str:
    return LOCALES.get((get_language() or "kk").split("-")[0], "kk_KZ")


@register.filter
def number(value: Any) -> str:
    """1234567 → «1 234 567» in kk and ru (no-break spaces), "1,234,567" in en."""
    if value is None or value == "":
        return ""
    return str(format_decimal(value, locale=_locale()))


# CLDR's kk "long" is «2025 ж. 12 желтоқсан»; documents write the year out (glossary rule 7).
LONG_DATE_PATTERNS = {"kk_KZ": "y 'жылғы' d MMMM"}


@register.filter
def long_date(value: datetime.date | None) -> str:
    """«2025 жылғы 12 желтоқсан», «12 декабря 2025 г.», "12 December 2025"."""
    if value is None:
        return ""
    locale = _locale()
    return str(format_date(value, LONG_DATE_PATTERNS.get(locale, "long"), locale=locale))
