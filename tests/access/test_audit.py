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
    # 5 reads of the page and the session's idle-time write (update within a savepoint).
    with django_assert_max_num_queries(8):
        response = client.get(url("access:audit"))
    assert response.status_code == 200


def test_the_audit_log_shows_rows_of_every_kind_of_audited_record(login, network):
    """Every model of Birlik (and the second-factor records), with every field and relation
    named in its changes, renders: reverse relations have no ``verbose_name`` of their own."""
    from django.apps import apps

    from birlik.access.forms import TYPE_LABELS

    labels = [m._meta.label for m in apps.get_models() if m.__module__.startswith("birlik.")]
    labels += list(TYPE_LABELS)
    for label in labels:
        model = apps.get_model(label)
        names = [field.name for field in model._meta.get_fields()]
        AuditEntry.objects.create(
            actor=network.users["admin"],
            action=AuditEntry.Action.UPDATE,
            object_type=label,
            object_id="1",
            object_repr=f"a {label}",
            changes={name: [None, "x"] for name in names} | {"not_a_field": "odd shape"},
        )
    client = login(network.users["admin"])
    page = 1
    while True:
        response = client.get(url("access:audit", query=f"page={page}"))
        assert response.status_code == 200
        if f"page={page + 1}" not in response.content.decode():
            break
        page += 1
    assert page > 1
    grants = client.get(url("access:audit", query="object_type=access.Grant"))
    assert grants.status_code == 200
    assert "roles awaiting approval" in grants.content.decode()  # reverse relation label
