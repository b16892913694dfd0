"""What the check says of one row, and what every kind of import shares while checking."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from birlik.core import cleaning
from birlik.registry.models import Organisation

CREATE = "create"
CHANGE = "change"
UNCHANGED = "unchanged"
REJECT = "reject"


@dataclass
class RowPlan:
    line: int
    status: str
    label: str
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    item: Any = None


@dataclass
class Context:
    """The user, the body imported into, the values chosen for all rows, and the state a check
    keeps across the rows of one file (duplicates), plus indexes built once per file."""

    user: Any
    under: Organisation
    defaults: dict[str, str] = field(default_factory=dict)
    source: str = ""
    seen: dict[Any, Any] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)

    def once(self, name: str, build: Any) -> Any:
        if name not in self.cache:
            self.cache[name] = build()
        return self.cache[name]

    def value(self, row: dict[str, str], key: str) -> str:
        return row.get(key, "").strip() or self.defaults.get(key, "")


def repeated(line: int, label: str, earlier: int) -> RowPlan:
    """A row the file already holds (same person and term, same event, same figure…)."""
    return RowPlan(
        line=line,
        status=REJECT,
        label=label,
        errors=[_("This row repeats row %(line)s of the file.") % {"line": earlier}],
    )


def date_value(
    row: dict[str, str],
    key: str,
    label: Any,
    errors: list[str],
    ctx: Context | None = None,
    *,
    year_ok: bool = False,
) -> datetime.date | None:
    """The date of a cell; a year alone is the first of January when ``year_ok``, else an
    error (an Excel serial number of a date in 1905 is far less likely than a year)."""
    value = ctx.value(row, key) if ctx is not None else row.get(key, "").strip()
    if not value:
        return None
    if len(value) == 4 and value.isdigit() and 1900 <= int(value) <= 2100:
        if year_ok:
            return datetime.date(int(value), 1, 1)
        errors.append(
            _("%(column)s: “%(value)s” is a year; give the whole date, e.g. 01.03.2024.")
            % {"column": label, "value": value}
        )
        return None
    try:
        return cleaning.parse_date(value)
    except ValueError:
        errors.append(
            _("%(column)s: “%(value)s” is not a date; write it as 01.03.2024.")
            % {"column": label, "value": value[:40]}
        )
        return None


_COUNT = re.compile(r"^(\d[\d\s]*)\s*(?:чел(?:овек)?\.?|адам|кісі|people|persons?)?\.?$", re.I)


def int_value(row: dict[str, str], key: str, label: Any, errors: list[str]) -> int | None:
    """A count as staff write it: "1 200", "120 чел.", "35 адам"."""
    value = row.get(key, "").strip()
    if not value:
        return None
    if found := _COUNT.match(value):
        value = found.group(1)
    value = re.sub(r"\s", "", value)
    if not value.isdigit() or len(value) > 12:
        errors.append(
            _("%(column)s: “%(value)s” is not a whole number.")
            % {"column": label, "value": value[:40]}
        )
        return None
    return int(value)


def length(row: dict[str, str], key: str, label: Any, limit: int, errors: list[str]) -> None:
    if len(row.get(key, "")) > limit:
        errors.append(
            _("%(column)s: at most %(limit)s characters.") % {"column": label, "limit": limit}
        )


def contacts(row: dict[str, str], errors: list[str], *, website: bool = False) -> None:
    phone = row.get("phone", "")
    if phone and not (phone.startswith("+7") and len(phone) == 12 and phone[1:].isdigit()):
        errors.append(
            _(
                "Phone: “%(value)s” is not a Kazakhstan phone number; write one number, e.g. "
                "+7 701 234 56 78."
            )
            % {"value": phone[:40]}
        )
    if row.get("email"):
        try:
            if len(row["email"]) > 254:  # the longest address the registry stores
                raise ValidationError("too long")
            validate_email(row["email"])
        except ValidationError:
            errors.append(
                _("E-mail: “%(value)s” is not an e-mail address.") % {"value": row["email"][:60]}
            )
    if website and row.get("website"):
        try:
            URLValidator()(row["website"])
        except ValidationError:
            errors.append(
                _("Website: “%(value)s” is not a web address (start it with https://).")
                % {"value": row["website"][:60]}
            )


def name_checks(value: str, label: Any, errors: list[str], notes: list[str]) -> None:
    """Letters lost to a wrong encoding are refused; mixed Latin and Cyrillic is kept as
    written, with a note."""
    if not value:
        return
    if cleaning.lost_letters(value):
        errors.append(
            _(
                "%(column)s: “%(value)s” has “?” instead of letters (Kazakh letters lost when "
                "the file was saved); correct the name."
            )
            % {"column": label, "value": value[:60]}
        )
    elif cleaning.mixed_script(value):
        notes.append(
            _("%(column)s: “%(value)s” mixes Latin and Cyrillic letters; kept as written.")
            % {"column": label, "value": value[:60]}
        )
