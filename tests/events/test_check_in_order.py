"""The check-in list of an event is in Kazakh/Russian alphabetical order."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

# Byte order would put Ә, Қ, Ұ, Ү after Я.
NAMES = ["Абаев Ерлан", "Әбілова Гүл", "Кенжеев Арман", "Қасымов Нұр", "Ұлықбек Дана", "Яков Иван"]


def test_the_check_in_list_is_in_kazakh_alphabetical_order(as_user, plan, sign_up):
    event = plan(capacity=20, publish=True)
    for n, name in enumerate(reversed(NAMES), start=1):
        sign_up(event, n, full_name=name)
    with translation.override("kk"):
        address = reverse("events:check_in", args=[event.pk])

    page = as_user("staff_pavlodar_house").get(address).content.decode()

    assert re.findall(r'<th scope="row">([^<]*)</th>', page) == NAMES
