"""Spreadsheets out of the workspace: the rows of bodies and members exports (CSV and XLSX).

Imports (upload, columns, check, commit) are ``birlik.imports``; an exported file imports back
unchanged, since its header names are the import's own field keys.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from birlik.core import spreadsheets
from birlik.registry.models import Membership, Organisation

BODY_COLUMNS = [
    "id",
    "kind",
    "name_kk",
    "name_ru",
    "name_en",
    "parent_id",
    "region",
    "district",
    "address",
    "phone",
    "email",
    "website",
    "founded_on",
    "status",
]
MEMBER_EXPORT_COLUMNS = [
    "last_name",
    "first_name",
    "patronymic",
    "role",
    "position",
    "start_date",
    "end_date",
    "body_id",
    "phone",
    "email",
]
EXPORT_XLSX_MAX_ROWS = 100_000


# --- Writing spreadsheets -------------------------------------------------------------------


def body_row(body: Organisation) -> list[Any]:
    return [
        body.pk,
        body.kind.code,
        body.name_kk or "",
        body.name_ru or "",
        body.name_en or "",
        getattr(body, "parent_pk", None) or "",
        body.region.iso if body.region else "",
        body.district.kato if body.district else "",
        body.address_kk or "",
        body.phone,
        body.email,
        body.website,
        body.founded_on.isoformat() if body.founded_on else "",
        body.status,
    ]


def member_row(membership: Membership) -> list[Any]:
    person = membership.person
    return [
        person.last_name,
        person.first_name,
        person.patronymic,
        membership.role,
        membership.position,
        membership.start_date.isoformat(),
        membership.end_date.isoformat() if membership.end_date else "",
        membership.organisation_id,
        person.phone,
        person.email,
    ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(header: list[str], rows: Iterable[list[Any]]) -> Iterator[str]:
    """CSV for Excel: UTF-8 with a BOM so Cyrillic opens correctly, cells guarded."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(spreadsheets.safe_row(row))


def xlsx_bytes(header: list[str], rows: Iterable[list[Any]], *, title: str) -> bytes:
    return spreadsheets.xlsx_bytes(header, rows, title=title)
