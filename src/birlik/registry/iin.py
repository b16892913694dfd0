"""The IIN (individual identification number): validation and a keyed digest for matching.
The checksum itself lives in ``birlik.core.cleaning`` (imports read IINs before the registry)."""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from birlik.core.cleaning import iin_check_digit as check_digit
from birlik.core.cleaning import iin_checksum_ok

__all__ = [
    "IIN_ERRORS",
    "IinFacts",
    "check_digit",
    "iin_digest",
    "iin_error",
    "make_iin",
    "validate_iin",
]

# 7th digit: century of birth and sex.
_CENTURY = {"1": (1800, "m"), "2": (1800, "f"), "3": (1900, "m"), "4": (1900, "f"),
            "5": (2000, "m"), "6": (2000, "f")}  # fmt: skip


@dataclass(frozen=True)
class IinFacts:
    birth_date: datetime.date
    sex: str


# Each way an IIN can be wrong, by code: a dry-run file keeps the code, never the number.
IIN_ERRORS = {
    "iin_length": _("An IIN has exactly 12 digits."),
    "iin_century": _("The 7th digit of an IIN must be from 1 to 6 (century and sex)."),
    "iin_date": _("The first six digits of an IIN must be a real date of birth (YYMMDD)."),
    "iin_checksum": _("The IIN check digit does not match: please check the number."),
}


def iin_error(code: str) -> str:
    """The translated message of an IIN error code (``IIN_ERRORS``)."""
    return str(IIN_ERRORS.get(code, IIN_ERRORS["iin_length"]))


def validate_iin(value: str) -> IinFacts:
    """Return the birth date and sex an IIN encodes, or raise a translated ValidationError."""
    value = (value or "").strip()
    if len(value) != 12 or not value.isdigit():
        raise ValidationError(IIN_ERRORS["iin_length"], code="iin_length")
    century = _CENTURY.get(value[6])
    if century is None:
        raise ValidationError(IIN_ERRORS["iin_century"], code="iin_century")
    try:
        birth = datetime.date(century[0] + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        raise ValidationError(IIN_ERRORS["iin_date"], code="iin_date") from None
    if not iin_checksum_ok(value):
        raise ValidationError(IIN_ERRORS["iin_checksum"], code="iin_checksum")
    return IinFacts(birth_date=birth, sex=century[1])


def iin_digest(value: str) -> str:
    """A keyed digest: equal IINs match, yet the number cannot be read back from the database."""
    key = settings.PERSONAL_DATA_KEY.encode()
    return hmac.new(key, value.strip().encode(), hashlib.sha256).hexdigest()


def make_iin(birth: datetime.date, sex: str, serial: int) -> str | None:
    """Build a valid IIN (demo data and tests); None when this serial has no check digit."""
    base = 1800 if birth.year < 1900 else 1900 if birth.year < 2000 else 2000
    code = {1800: 1, 1900: 3, 2000: 5}[base] + (1 if sex == "f" else 0)
    first11 = f"{birth:%y%m%d}{code}{serial % 10000:04d}"
    control = check_digit(first11)
    return None if control is None else first11 + str(control)
