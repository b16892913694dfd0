"""Fixtures of the journalists' club's tests: a club under the secretariat with a staff member,
a second club under Almaty's assembly, publications, and spreadsheets as staff send them."""

from __future__ import annotations

import datetime
import io
import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from birlik.access.models import Role, User
from birlik.monitoring.models import ClubPublication
from birlik.registry.models import Organisation

from ..factories import GrantFactory, OrganisationFactory, UserFactory, kind, region

_numbers = itertools.count(1)


@dataclass
class Club:
    body: Organisation  # the national club, under the secretariat
    staff: User  # BODY_STAFF on it
    other: Organisation  # Almaty's club
    other_staff: User


@pytest.fixture(name="club")
def club_fixture(network) -> Club:
    body = OrganisationFactory(
        kind=kind("journalists_club"),
        parent=network.root,
        name_kk="ҚХА Журналистер клубы",
        name_ru="Клуб журналистов АНК",
        name_en="APK Journalists' Club",
    )
    other = OrganisationFactory(
        kind=kind("journalists_club"),
        parent=network.almaty,
        region=region("KZ-75"),
        name_en="Almaty Journalists' Club",
    )
    staff = UserFactory(username="club_staff")
    GrantFactory(user=staff, role=Role.BODY_STAFF, organisation=body)
    other_staff = UserFactory(username="almaty_club_staff")
    GrantFactory(user=other_staff, role=Role.BODY_STAFF, organisation=other)
    return Club(body=body, staff=staff, other=other, other_staff=other_staff)


def make_publication(organisation: Organisation, **fields: Any) -> ClubPublication:
    n = next(_numbers)
    values: dict[str, Any] = {
        "organisation": organisation,
        "outlet": f"Outlet {n}",
        "kind": ClubPublication.Kind.PUBLICATION,
        "published_on": datetime.date(2025, 3, 10),
        "title": f"Publication {n}",
        "url": f"https://news.example.kz/{n}",
    }
    values.update(fields)
    return ClubPublication.objects.create(**values)


def xlsx_file(rows: list[list[Any]], *, merge: str = "") -> bytes:
    """An XLSX as staff send it: the rows as given (a title and notes included), optionally
    one range of merged cells."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
