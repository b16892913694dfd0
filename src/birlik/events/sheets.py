"""Paper sign-in sheets typed into a spreadsheet (XLSX or CSV), as staff really keep them.

The columns are found by their headers in Kazakh, Russian or English (``SIGNIN_FIELDS``: «Т.А.Ә.»,
«ФИО», «Тегі»/«Аты», «Телефон», «Эл. почта»…), below any title lines; "№" and signature columns
are left aside, and the totals and signature lines under the list are skipped. The file goes
through the same checks as every import (size, content sniffing, broken files, row limit) in
``core.spreadsheets.extract``; every row is checked before anything is written, so a sheet with
one bad row changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from birlik.core import cleaning
from birlik.core.spreadsheets import Extracted, FieldSpec, ImportFileError, extract, read_grid

from .services import SheetRow

ERRORS_SHOWN = 20
NAME_MAX = 200

NO_NAMES = gettext_lazy(
    "The column of names was not found. Head it “Full name” («Т.А.Ә.», «ФИО»), or head two "
    "columns “Last name” and “First name” («Тегі», «Аты»)."
)

# The fields of a sign-in sheet, with the headers staff write for them. The imports pipeline
# reads sign-in sheets with these same fields. Columns such as "№", «Подпись», «Қолы» match no
# field and are left aside.
SIGNIN_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "full_name",
        gettext_lazy("Full name"),
        (
            "full_name",
            "ФИО",
            "Ф.И.О.",
            "Фамилия имя отчество",
            "Фамилия, имя, отчество",
            "Фамилия, имя",
            "Аты-жөні",
            "Аты жөні",
            "Т.А.Ә.",
            "Тегі, аты, әкесінің аты",
            "Тегі аты әкесінің аты",
            "Қатысушының аты-жөні",
            "ФИО участника",
            "Участник",
            "Қатысушы",
            "Full name",
            "Name",
        ),
        kind="name",
    ),
    FieldSpec(
        "last_name",
        gettext_lazy("Last name"),
        ("last_name", "Фамилия", "Тегі", "Last name", "Surname"),
        kind="name",
    ),
    FieldSpec(
        "first_name",
        gettext_lazy("First name"),
        ("first_name", "Имя", "Аты", "First name"),
        kind="name",
    ),
    FieldSpec(
        "patronymic",
        gettext_lazy("Patronymic"),
        ("patronymic", "Отчество", "Әкесінің аты", "Patronymic", "Middle name"),
        kind="name",
    ),
    FieldSpec(
        "phone",
        gettext_lazy("Phone"),
        (
            "phone",
            "Телефон",
            "Тел",
            "Тел.",
            "Номер телефона",
            "Телефон нөмірі",
            "Контактный телефон",
            "Байланыс телефоны",
            "Мобильный телефон",
            "Ұялы телефон",
            "Моб. телефон",
            "Контактный тел.",
            "Контакты",
            "Байланыс",
            "Phone",
            "Mobile",
        ),
        kind="phone",
    ),
    FieldSpec(
        "email",
        gettext_lazy("E-mail"),
        (
            "email",
            "E-mail",
            "Эл. почта",
            "Электронная почта",
            "Электрондық пошта",
            "Почта",
            "Email",
        ),
        kind="email",
    ),
)

# Lines under the list that are not people (``extract`` skips most of them already): totals,
# signatures, the person who kept the sheet, the place of the seal.
_NOT_A_PERSON = frozenset(
    cleaning.match_key(word)
    for word in (
        "итого",
        "всего",
        "барлығы",
        "жиыны",
        "жалпы",
        "подпись",
        "қолы",
        "ответственный",
        "жауапты",
        "составил",
        "дайындаған",
        "мп",
        "total",
        "signature",
    )
)
_LETTER = re.compile(r"[^\W\d_]")


class SheetError(Exception):
    """The sheet cannot be applied; ``messages`` say which lines to fix."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _full_name(row: dict[str, str]) -> str:
    name = cleaning.clean_text(row.get("full_name", ""))
    if name:
        return name
    parts = (row.get(key, "") for key in ("last_name", "first_name", "patronymic"))
    return " ".join(cleaning.clean_text(part) for part in parts if cleaning.clean_text(part))


def _not_a_person(name: str, row: dict[str, str]) -> bool:
    """A totals or signature line, or a numbered blank line: no contact and no real name."""
    if cleaning.clean_text(row.get("phone", "")) or cleaning.clean_text(row.get("email", "")):
        return False
    if not _LETTER.search(name):
        return True
    key = cleaning.match_key(name)
    return key.split(" ", 1)[0] in _NOT_A_PERSON or key.replace(" ", "") == "мп"


def _person(line: int, row: dict[str, str], errors: list[tuple[int, str]]) -> SheetRow | None:
    name = _full_name(row)
    phone_text = cleaning.clean_text(row.get("phone", ""))
    email = cleaning.clean_text(row.get("email", ""))
    if not name:
        if phone_text or email:
            errors.append((line, _("Line %(line)s: the full name is missing.") % {"line": line}))
        return None
    if _not_a_person(name, row):
        return None
    problems = len(errors)
    phone = ""
    if phone_text:
        try:
            phone = cleaning.normalise_phone(phone_text)
        except ValueError as error:
            errors.append(
                (
                    line,
                    _("Line %(line)s, phone “%(value)s”: %(message)s")
                    % {"line": line, "value": phone_text[:40], "message": error},
                )
            )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(
                (
                    line,
                    _("Line %(line)s: “%(value)s” is not an e-mail address.")
                    % {"line": line, "value": email[:80]},
                )
            )
    if len(errors) > problems:
        return None
    return SheetRow(line=line, full_name=name[:NAME_MAX], phone=phone, email=email)


def _extract(grid: list[list[Any]]) -> Extracted:
    """The table of the sheet. A header is found where it names two fields; a sheet of names
    alone («ФИО» and nothing else) is found by asking for the names column."""
    names_only = tuple(replace(spec, required=spec.key == "full_name") for spec in SIGNIN_FIELDS)
    for fields in (SIGNIN_FIELDS, names_only):
        try:
            extracted = extract(grid, fields)
        except ImportFileError:
            continue
        mapped = set(extracted.mapping.values())
        if "full_name" in mapped or {"last_name", "first_name"} & mapped:
            return extracted
    raise SheetError([str(NO_NAMES)])


def _skipped_people(
    grid: list[list[Any]], extracted: Extracted, errors: list[tuple[int, str]]
) -> None:
    """A line set aside as a note (a phone alone, say) that holds a contact but no name is a
    person whose name is missing, not a note."""
    columns = {key: index for index, key in extracted.mapping.items()}

    def filled(cells: list[Any], key: str) -> bool:
        index = columns.get(key)
        return index is not None and index < len(cells) and bool(cleaning.clean_text(cells[index]))

    for line, _why in extracted.skipped:
        cells = grid[line - 1] if 0 < line <= len(grid) else []
        has_name = any(filled(cells, key) for key in ("full_name", "last_name", "first_name"))
        if not has_name and (filled(cells, "phone") or filled(cells, "email")):
            errors.append((line, _("Line %(line)s: the full name is missing.") % {"line": line}))


def read_sheet(data: bytes) -> list[SheetRow]:
    """The people of a sign-in sheet, or ``SheetError`` naming every line to fix."""
    try:
        grid = list(read_grid(data))
    except ImportFileError as error:
        raise SheetError([error.message]) from error
    extracted = _extract(grid)
    rows: list[SheetRow] = []
    errors: list[tuple[int, str]] = []
    _skipped_people(grid, extracted, errors)
    for line, row in extracted.rows:
        person = _person(line, row, errors)
        if person is not None:
            rows.append(person)
    errors.sort(key=lambda item: item[0])
    if errors:
        shown = [message for _line, message in errors[:ERRORS_SHOWN]]
        if len(errors) > ERRORS_SHOWN:
            more = len(errors) - ERRORS_SHOWN
            shown.append(
                ngettext("… and %(count)s more problem.", "… and %(count)s more problems.", more)
                % {"count": more}
            )
        raise SheetError(shown)
    if not rows:
        raise SheetError([_("The sheet lists nobody: fill in one person per line.")])
    return rows
