"""The staff's event lists cost the same number of queries for a few rows and for many."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from birlik.events import services
from tests.queries import DataQueriesContext as CaptureQueriesContext

pytestmark = pytest.mark.django_db


def count_queries(client, path: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def grow(plan, sign_up, network, event, n: int, start: int) -> None:
    """n more events (some reported late, with co-organisers) and n more registrations."""
    admin = network.users["admin"]
    for i in range(n):
        other = plan(
            starts_in=-datetime.timedelta(days=10 + i),
            registration_required=False,
            audiences=("youth",),
        )
        other.co_organisers.add(network.pavlodar_elders)
        services.event_report_submit(actor=admin, event=other, held=True, reported_count=i)
        registration = sign_up(event, start + i)
        if i % 2:
            services.registration_check_in(actor=admin, event=event, code=registration.ticket_code)


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("list", {}),
        ("list", {"late": "on", "region": "KZ-55", "status": "reported"}),
        ("list", {"body": "pavlodar"}),
        ("detail", {}),
        ("detail", {"q": "Сейітова"}),
        ("check_in", {}),
    ],
)
def test_event_pages_cost_the_same_queries_for_few_and_many_rows(
    as_user, plan, sign_up, network, page, params, django_assert_max_num_queries
):
    event = plan(publish=True, starts_in=datetime.timedelta(hours=1))  # check-in is open
    client = as_user("coordinator_pavlodar")
    if params.get("body") == "pavlodar":
        params = {"body": network.pavlodar.pk}
    path = reverse("events:list") if page == "list" else reverse(f"events:{page}", args=[event.pk])

    grow(plan, sign_up, network, event, 2, start=0)
    few = count_queries(client, path, params)
    grow(plan, sign_up, network, event, 12, start=2)
    many = count_queries(client, path, params)
    assert many == few, (few, many)
    with django_assert_max_num_queries(few):
        response = client.get(path, params)
    rows = response.context[
        "page" if page == "list" else "registrations" if page == "detail" else "waiting"
    ]
    assert len(rows.object_list) > 2
