"""Paper sign-in sheets typed into a spreadsheet (XLSX or CSV: full_name, phone, email).

The file goes through the same checks as the registry import (size, content sniffing, broken
files, row limit); every row is checked before anything is written, so a sheet with one bad
row changes nothing.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from birlik.core.spreadsheets import ImportFileError, read_rows

from .services import SheetRow, normalise_phone

COLUMNS = ["full_name", "phone", "email"]
REQUIRED = ["full_name"]
ERRORS_SHOWN = 20


class SheetError(Exception):
    """The sheet cannot be applied; ``messages`` say which lines to fix."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _row_errors(line: int, row: dict[str, str]) -> list[str]:
    errors: list[str] = []
    if not " ".join(row.get("full_name", "").split()):
        errors.append(_("Line %(line)s: the full name is missing.") % {"line": line})
    phone = row.get("phone", "")
    if phone and len(re.sub(r"\D", "", phone)) not in (10, 11):
        errors.append(
            _("Line %(line)s: “%(value)s” is not a phone number; write it as +7 701 234 56 78.")
            % {"line": line, "value": phone[:40]}
        )
    email = row.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                _("Line %(line)s: “%(value)s” is not an e-mail address.")
                % {"line": line, "value": email[:80]}
            )
    return errors


def read_sheet(data: bytes) -> list[SheetRow]:
    """The rows of a sign-in sheet, or ``SheetError`` naming every line to fix."""
    try:
        table = read_rows(data, columns=COLUMNS, required=REQUIRED)
    except ImportFileError as error:
        raise SheetError([error.message]) from error
    rows: list[SheetRow] = []
    errors: list[str] = []
    for line, row in table.rows:
        row_errors = _row_errors(line, row)
        if row_errors:
            errors.extend(row_errors)
            continue
        phone = row.get("phone", "")
        rows.append(
            SheetRow(
                line=line,
                full_name=" ".join(row["full_name"].split())[:200],
                phone=normalise_phone(phone) if phone else "",
                email=row.get("email", "").strip(),
            )
        )
    if errors:
        shown = errors[:ERRORS_SHOWN]
        if len(errors) > ERRORS_SHOWN:
            more = len(errors) - ERRORS_SHOWN
            shown.append(
                ngettext("… and %(count)s more problem.", "… and %(count)s more problems.", more)
                % {"count": more}
            )
        raise SheetError(shown)
    return rows
