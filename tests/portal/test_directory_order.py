"""The public directory lists bodies in Kazakh/Russian alphabetical order."""

from __future__ import annotations

import pytest

from tests.factories import OrganisationFactory, kind, region

from .helpers import result_names

pytestmark = pytest.mark.django_db

# Byte order would put Ә, Қ, Ұ after Я and "№ 44" before "№ 5"; quotes are not letters.
KAZAKH = ["Абай үйі", "«Әлем» бірлестігі", "Бота", "Кеңес", "Қарағанды", "Ұлан", "№ 5", "№ 44"]
RUSSIAN = ["Елена", "Ёлочка", "Жемчужина", "Йошкар", "Қазақ тілі"]


def test_the_directory_shows_bodies_in_kazakh_alphabetical_order(client, network):
    for name in reversed(KAZAKH):
        OrganisationFactory(
            parent=network.pavlodar_house,
            kind=kind("ethnocultural_association"),
            region=region("KZ-55"),
            name_kk=name,
            name_ru=name,
        )

    shown = result_names(client.get("/kk/bodies/", {"region": "KZ-55"}))

    assert [name for name in shown if name in KAZAKH] == KAZAKH


def test_the_russian_directory_keeps_the_same_alphabet(client, network):
    for name in reversed(RUSSIAN):
        OrganisationFactory(
            parent=network.pavlodar_house,
            kind=kind("ethnocultural_association"),
            region=region("KZ-55"),
            name_kk=name,
            name_ru=name,
        )

    shown = result_names(client.get("/ru/bodies/", {"region": "KZ-55"}))

    assert [name for name in shown if name in RUSSIAN] == RUSSIAN
