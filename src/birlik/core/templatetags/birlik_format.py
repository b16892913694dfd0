"""Numbers and dates written the way each language writes them (glossary rules 7 and 8)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.core import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, get_currency_symbol
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
    try:
        return str(format_decimal(value, locale=_locale()))
    except (TypeError, ValueError, InvalidOperation):
        return str(value)  # not a number: shown as it is rather than failing the page


TENGE = "₸"


@register.filter
def money(value: Any) -> str:
    """An amount in tenge: «1 250 000 ₸» in kk and ru (no-break spaces), "₸1,250,000" in en;
    tiyn (two decimals) only when the amount is not whole."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (TypeError, ValueError, InvalidOperation):
        return str(value)
    if not amount.is_finite():
        return str(value)
    locale = _locale()
    pattern = Locale.parse(locale).currency_formats["standard"].pattern
    if amount == amount.to_integral_value():
        pattern = pattern.replace(".00", "")
    text = format_currency(amount, "KZT", format=pattern, locale=locale, currency_digits=False)
    # CLDR writes "KZT" where tenge is not the local currency (en_GB): the sign is one for all.
    return str(text).replace(get_currency_symbol("KZT", locale), TENGE)


class Counted(int):
    """A whole number that prints itself as ``number`` does, in the language active when it is
    printed. ``{% blocktranslate count counter=n|counted %}`` needs a number for the plural
    rule, and its ``{{ counter }}`` then shows «1 250» rather than "1250"."""

    def __str__(self) -> str:
        return number(int(self))


@register.filter
def counted(value: Any) -> Any:
    """A count for ``blocktranslate count``: grouped like ``number`` when printed."""
    if isinstance(value, bool) or not isinstance(value, int):
        return value
    return Counted(value)


# CLDR's kk "long" is «2025 ж. 12 желтоқсан»; documents write the year out (glossary rule 7).
LONG_DATE_PATTERNS = {"kk_KZ": "y 'жылғы' d MMMM"}


@register.filter
def long_date(value: datetime.date | None) -> str:
    """«2025 жылғы 12 желтоқсан», «12 декабря 2025 г.», "12 December 2025"."""
    if value is None:
        return ""
    locale = _locale()
    return str(format_date(value, LONG_DATE_PATTERNS.get(locale, "long"), locale=locale))
