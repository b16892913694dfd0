"""The audit log page: scoped by region, filtered, readable changes."""

from __future__ import annotations

import pytest

from birlik.access.models import AuditEntry
from birlik.access.services import audit_record

from .conftest import url


def record(network, body, label: str, **kwargs):
    return audit_record(
        actor=kwargs.pop("actor", network.users["admin"]),
        action=kwargs.pop("action", AuditEntry.Action.UPDATE),
        obj=body,
        organisation_path=body.path,
        note=label,
        **kwargs,
    )


def test_pavlodar_coordinator_sees_pavlodar_rows_and_not_almaty_rows(login, network):
    record(network, network.pavlodar_house, "pavlodar-change")
    record(network, network.almaty_house, "almaty-change")
    client = login(network.users["coordinator_pavlodar"])
    response = client.get(url("access:audit"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "pavlodar-change" in text
    assert "almaty-change" not in text


def test_national_auditor_sees_every_region(login, network):
    record(network, network.pavlodar_house, "pavlodar-change")
    record(network, network.almaty_house, "almaty-change")
    text = login(network.users["auditor"]).get(url("access:audit")).content.decode()
    assert "pavlodar-change" in text
    assert "almaty-change" in text


def test_changes_are_shown_as_a_table_of_before_and_after(login, network):
    record(
        network,
        network.pavlodar_house,
        "phone-change",
        changes={"phone": ["+7 7182 000000", "+7 7182 111111"], "website": [None, "x.kz"]},
    )
    text = login(network.users["admin"]).get(url("access:audit")).content.decode()
    assert '<th scope="row">phone</th><td>+7 7182 000000</td><td>+7 7182 111111</td>' in text
    assert '<th scope="row">website</th><td>—</td><td>x.kz</td>' in text


def test_audit_log_filters_by_action_actor_and_type(login, network):
    record(network, network.pavlodar_house, "closed-row", action=AuditEntry.Action.CLOSE)
    record(
        network,
        network.pavlodar_house,
        "by-coordinator",
        actor=network.users["coordinator_pavlodar"],
    )
    client = login(network.users["admin"])
    text = client.get(url("access:audit", query="action=close")).content.decode()
    assert "closed-row" in text
    assert "by-coordinator" not in text
    text = client.get(url("access:audit", query="actor=coordinator_pavlodar")).content.decode()
    assert "by-coordinator" in text
    assert "closed-row" not in text
    text = client.get(url("access:audit", query="object_type=access.Grant")).content.decode()
    assert "closed-row" not in text


def test_audit_log_filters_by_date_range(login, network):
    old = record(network, network.pavlodar_house, "old-row")
    AuditEntry.objects.filter(pk=old.pk).update(at="2020-05-01T10:00:00+05:00")
    record(network, network.pavlodar_house, "new-row")
    client = login(network.users["admin"])
    text = client.get(
        url("access:audit", query="since=2020-04-30&until=2020-05-01")
    ).content.decode()
    assert "old-row" in text
    assert "new-row" not in text


def test_audit_log_explains_bad_filters_instead_of_failing(login, network):
    client = login(network.users["admin"])
    response = client.get(
        url("access:audit", query="since=yesterday&action=explode&until=2020-01-01&page=x")
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Enter a date as YYYY-MM-DD." in text
    assert "Some search values were not understood and were left out" in text


def test_end_date_before_start_date_is_explained(login, network):
    client = login(network.users["admin"])
    text = client.get(
        url("access:audit", query="since=2024-02-01&until=2024-01-01")
    ).content.decode()
    assert "The end date is before the start date." in text


@pytest.mark.parametrize("name", ["analyst", "staff_pavlodar_house", "nobody"])
def test_audit_log_is_forbidden_to_roles_without_audit_rights(login, network, name):
    assert login(network.users[name]).get(url("access:audit")).status_code == 403


@pytest.mark.parametrize("rows", [3, 60])
def test_audit_log_costs_the_same_queries_for_few_or_many_rows(
    login, network, django_assert_max_num_queries, rows
):
    for index in range(rows):
        record(
            network,
            network.pavlodar_house,
            f"row-{index}",
            actor=network.users["coordinator_pavlodar"],
            changes={"phone": ["1", str(index)]},
        )
    client = login(network.users["coordinator_pavlodar"])
    with django_assert_max_num_queries(5):
        response = client.get(url("access:audit"))
    assert response.status_code == 200
