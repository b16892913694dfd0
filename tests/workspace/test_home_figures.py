"""The workspace home's "Active bodies by kind" table counts every active body of each kind in
the user's subtree (it once showed 1 per kind: the count was grouped by the default ordering)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from birlik.registry.models import Organisation
from tests.factories import OrganisationFactory, kind, region

pytestmark = pytest.mark.django_db


def by_kind_rows(page: str) -> dict[str, str]:
    table = re.search(r"<caption>Active bodies by kind</caption>(.*?)</table>", page, re.S)
    assert table is not None, "the home page has no 'Active bodies by kind' table"
    rows = re.findall(
        r'\?kind=([a-z_]+)&amp;status=active">[^<]*</a></th><td class="num">([^<]*)<', table[1]
    )
    return dict(rows)


def test_the_home_counts_the_active_bodies_of_each_kind(as_user, network):
    for _n in range(3):
        OrganisationFactory(
            parent=network.pavlodar, kind=kind("house_of_friendship"), region=region("KZ-55")
        )
    OrganisationFactory(
        parent=network.pavlodar,
        kind=kind("house_of_friendship"),
        region=region("KZ-55"),
        status=Organisation.Status.CLOSED,
        closed_on=datetime.date(2025, 6, 1),
    )
    OrganisationFactory(  # another region: not in the coordinator's subtree
        parent=network.almaty, kind=kind("house_of_friendship"), region=region("KZ-75")
    )

    response = as_user("coordinator_pavlodar").get(reverse("workspace:home"))

    assert response.status_code == 200
    assert by_kind_rows(response.content.decode()) == {
        "regional_assembly": "1",
        "house_of_friendship": "4",  # the network's house and the three new ones
        "elders_council": "1",
    }
