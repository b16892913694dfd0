"""Workspace lists and exports in Kazakh/Russian alphabetical order (Ә after А, Қ after К...)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import MembershipFactory, OrganisationFactory, PersonFactory, kind, region

pytestmark = pytest.mark.django_db

# Byte order would put every Kazakh letter (Ә, Қ, Ұ...) after Я, and "№ 44" before "№ 5".
BODY_NAMES = ["Абай ауылы", "Әлем", "Бота", "Кеңес", "Қарағанды", "Урал", "Ұлан", "№ 5", "№ 44"]
LAST_NAMES = ["Абаев", "Әбілов", "Бекова", "Кенжеев", "Қасымов", "Уәлиев", "Ұлықбек", "Үсенова"]


def url(name: str, *args) -> str:
    with translation.override("kk"):
        return reverse(f"workspace:{name}", args=args)


def row_names(response) -> list[str]:
    """The names in the first column of the list's table, in order."""
    page = response.content.decode()
    return re.findall(r'<th scope="row"><a [^>]*>([^<]*)</a>', page)


def in_order(shown: list[str], expected: list[str]) -> list[str]:
    return [name for name in shown if name in expected]


@pytest.fixture
def bodies(network):
    for name in reversed(BODY_NAMES):
        OrganisationFactory(
            parent=network.pavlodar_house,
            kind=kind("ethnocultural_association"),
            region=region("KZ-55"),
            name_kk=name,
            name_ru=name,
        )


@pytest.fixture
def members(network):
    for last_name in reversed(LAST_NAMES):
        person = PersonFactory(registered_by=network.pavlodar_house, last_name=last_name)
        MembershipFactory(person=person, organisation=network.pavlodar_house)


def test_bodies_list_is_in_kazakh_alphabetical_order(client, network, bodies):
    client.force_login(network.users["admin"])
    response = client.get(url("bodies"))
    assert response.status_code == 200
    assert in_order(row_names(response), BODY_NAMES) == BODY_NAMES


def test_people_list_is_in_kazakh_alphabetical_order(client, network, members):
    client.force_login(network.users["admin"])
    response = client.get(url("people"))
    shown = [name.split()[0] for name in row_names(response)]
    assert in_order(shown, LAST_NAMES) == LAST_NAMES


def test_bodies_export_is_in_kazakh_alphabetical_order(client, network, bodies):
    client.force_login(network.users["admin"])
    response = client.get(url("bodies_export", "csv"))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    names = [row["name_kk"] for row in csv.DictReader(io.StringIO(content))]
    assert in_order(names, BODY_NAMES) == BODY_NAMES


def test_members_export_is_in_kazakh_alphabetical_order(client, network, members):
    client.force_login(network.users["admin"])
    response = client.get(url("members_export", network.pavlodar_house.pk, "csv"))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    names = [row["last_name"] for row in csv.DictReader(io.StringIO(content))]
    assert names == LAST_NAMES
