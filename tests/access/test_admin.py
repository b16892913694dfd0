"""The Django admin is for national administrators only, and its changes are audited."""

from __future__ import annotations

import pytest

from birlik.access.models import AuditEntry
from birlik.registry.models import EthnicGroup, Organisation

from ..factories import PersonFactory, kind, region
from .conftest import url


def staff(user):
    user.is_staff = True
    user.save()
    return user


def test_national_admin_with_staff_flag_enters_the_admin(login, network):
    client = login(staff(network.users["admin"]))
    assert client.get(url("admin:index")).status_code == 200


@pytest.mark.parametrize("name", ["coordinator_pavlodar", "staff_pavlodar_house", "auditor"])
def test_admin_is_refused_to_others_even_with_the_staff_flag(login, network, name):
    client = login(staff(network.users[name]))
    response = client.get(url("admin:index"), follow=True)
    assert response.status_code == 403
    assert client.get(url("admin:registry_organisation_changelist")).status_code != 200


def test_admin_is_refused_to_a_national_admin_without_the_staff_flag(login, network):
    client = login(network.users["admin"])
    assert client.get(url("admin:index"), follow=True).status_code == 403


def test_anonymous_visitor_of_the_admin_is_sent_to_the_one_sign_in_page(client, network):
    response = client.get(url("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(url("access:login"))


def test_changes_made_in_the_admin_are_audited(login, network):
    client = login(staff(network.users["admin"]))
    response = client.post(
        url("admin:registry_ethnicgroup_add"),
        {
            "code": "test-group",
            "name_kk": "Сынақ",
            "name_ru": "Тест",
            "name_en": "Test group",
            "position": 5,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group = EthnicGroup.objects.get(code="test-group")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, object_id=str(group.pk))
    assert entry.actor == network.users["admin"]
    assert entry.changes["code"] == [None, "test-group"]


def test_person_page_in_the_admin_never_shows_the_iin_digest_and_logs_the_read(login, network):
    person = PersonFactory(
        registered_by=network.pavlodar_house, iin_digest="f" * 64, iin_last4="1234"
    )
    client = login(staff(network.users["admin"]))
    response = client.get(url("admin:registry_person_change", person.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert "f" * 64 not in text
    assert "••••••••1234" in text
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, object_id=str(person.pk)
    ).exists()


def test_body_list_in_the_admin_opens(login, network):
    client = login(staff(network.users["admin"]))
    response = client.get(url("admin:registry_organisation_changelist"))
    assert response.status_code == 200
    change = client.get(url("admin:registry_organisation_change", network.pavlodar.pk))
    assert change.status_code == 200
    assert client.get(url("admin:registry_organisation_add")).status_code == 200


def test_a_body_added_in_the_admin_is_placed_in_the_tree_and_audited(login, network):
    client = login(staff(network.users["admin"]))
    response = client.post(
        url("admin:registry_organisation_add"),
        {
            "kind": kind("house_of_friendship").pk,
            "name_kk": "Екібастұз Достық үйі",
            "name_ru": "Дом дружбы Экибастуза",
            "name_en": "",
            "region": region("KZ-55").pk,
            "status": "active",
            "treebeard_position": "first-child",
            "treebeard_ref_node": network.pavlodar.pk,
        },
    )
    assert response.status_code == 302
    body = Organisation.objects.get(name_kk="Екібастұз Достық үйі")
    assert body.path.startswith(network.pavlodar.path)
    assert "экибастуз" in body.search_text
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, object_id=str(body.pk))
    assert entry.organisation_path == body.path
