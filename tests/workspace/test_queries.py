"""Every list page costs the same number of queries for a few rows and for many."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from birlik.access.services import audit_record
from birlik.registry.models import Organisation
from tests.queries import DataQueriesContext as CaptureQueriesContext

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory, kind, region

pytestmark = pytest.mark.django_db


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return len(context.captured_queries)


def grow(network, n: int) -> None:
    """n more bodies under Pavlodar, each with a member, and n audit rows on the house."""
    house = network.pavlodar_house
    for i in range(n):
        body = OrganisationFactory(
            parent=network.pavlodar, kind=kind("elders_council"), region=region("KZ-55")
        )
        person = PersonFactory(registered_by=body)
        MembershipFactory(
            person=person,
            organisation=house,
            start_date=datetime.date(2020, 1, 1) + datetime.timedelta(days=i),
        )
        MembershipFactory(person=network.pavlodar_person, organisation=body, role="member")
        audit_record(
            actor=network.users["admin"],
            action="update",
            obj=house,
            organisation_path=house.path,
            changes={"phone": [str(i), str(i + 1)]},
        )
        audit_record(
            actor=network.users["admin"],
            action="update",
            obj=network.pavlodar_person,
            organisation_path=network.pavlodar_person.registered_by.path,
        )


@pytest.mark.parametrize(
    "page",
    ["bodies", "people", "house", "person", "home"],
)
def test_list_pages_cost_the_same_queries_for_few_and_many_rows(
    as_user, network, page, django_assert_max_num_queries
):
    client = as_user("coordinator_pavlodar")
    paths = {
        "bodies": reverse("workspace:bodies"),
        "people": reverse("workspace:people"),
        "house": reverse("workspace:body", args=[network.pavlodar_house.pk]),
        "person": reverse("workspace:person", args=[network.pavlodar_person.pk]),
        "home": reverse("workspace:home"),
    }
    path = paths[page]
    grow(network, 2)
    few = count_queries(client, path)
    grow(network, 40)
    many = count_queries(client, path)
    assert many == few
    with django_assert_max_num_queries(few):
        client.get(path)


def test_the_house_page_lists_members_and_a_trail_page_by_page(as_user, network):
    grow(network, 30)
    response = as_user("coordinator_pavlodar").get(
        reverse("workspace:body", args=[network.pavlodar_house.pk])
    )
    assert response.context["members"].paginator.count == 30
    assert len(response.context["members"].object_list) == 25
    assert response.context["trail"].paginator.count == 30
    assert Organisation.objects.filter(path__startswith=network.pavlodar.path).count() == 33
