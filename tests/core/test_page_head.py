"""The head of every page as Lighthouse reads it (scripts/lighthouse.sh): the page in the other
languages by absolute addresses, an icon of our own (no 404 for /favicon.ico in the console),
a description and the page's language."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def head(response) -> str:
    return response.content.decode().split("</head>", 1)[0]


def test_the_other_languages_are_linked_by_absolute_addresses(client, network):
    pk = network.pavlodar_house.pk

    response = client.get(f"/kk/bodies/{pk}/?from=map")

    alternates = re.findall(
        r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)">', head(response)
    )
    assert alternates == [
        ("kk", f"http://testserver/kk/bodies/{pk}/?from=map"),
        ("ru", f"http://testserver/ru/bodies/{pk}/?from=map"),
        ("en", f"http://testserver/en/bodies/{pk}/?from=map"),
    ]
    # The language switch in the page keeps its short links.
    assert f'href="/ru/bodies/{pk}/?from=map" lang="ru"' in response.content.decode()


def test_every_page_names_its_icon_language_and_description(client, db):
    response = client.get("/ru/")

    page_head = head(response)
    assert response.content.decode().count('<html lang="ru">') == 1
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)" type="image/svg\+xml">', page_head)
    assert icon is not None
    assert finders.find(icon.group(1)) is not None
    assert re.search(r'<meta name="description" content="[^"]{40,}">', page_head)
