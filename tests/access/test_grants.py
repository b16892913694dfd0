"""Grants management: who may give which role on which body, and revoking."""

from __future__ import annotations

import pytest
from django.test import Client

from birlik.access.models import AuditEntry, Grant, Role, User

from ..factories import GrantFactory, UserFactory
from .conftest import url

NEW_ACCOUNT = {
    "form": "new",
    "new-new_username": "aigerim.s",
    "new-full_name": "Айгерім Сәрсенова",
    "new-email": "aigerim@example.kz",
    "new-language": "kk",
    "new-password1": "Steppe-wind-2026",
    "new-password2": "Steppe-wind-2026",
}


def grant_new_url(body) -> str:
    return url("access:grant_new", query=f"body={body.pk}")


def test_coordinator_gives_body_staff_to_a_new_account_in_their_region(login, network):
    client = login(network.users["coordinator_pavlodar"])
    response = client.post(
        grant_new_url(network.pavlodar_house), {**NEW_ACCOUNT, "new-role": Role.BODY_STAFF}
    )
    assert response.status_code == 302
    user = User.objects.get(username="aigerim.s")
    assert user.check_password("Steppe-wind-2026")
    grant = Grant.objects.get(user=user)
    assert (grant.role, grant.organisation) == (Role.BODY_STAFF, network.pavlodar_house)
    assert grant.granted_by == network.users["coordinator_pavlodar"]
    assert AuditEntry.objects.filter(action=AuditEntry.Action.GRANT, object_id=str(grant.pk))
    created = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, object_id=str(user.pk))
    assert created.organisation_path == network.pavlodar_house.path
    page = client.get(response["Location"])
    assert "aigerim.s" in page.content.decode()


def test_coordinator_gives_a_role_to_an_existing_account_of_their_region(login, network):
    client = login(network.users["coordinator_pavlodar"])
    staff = network.users["staff_pavlodar_house"]
    response = client.post(
        grant_new_url(network.pavlodar_elders),
        {"form": "existing", "existing-username": staff.username, "existing-role": Role.ANALYST},
    )
    assert response.status_code == 302
    assert Grant.objects.filter(
        user=staff, role=Role.ANALYST, organisation=network.pavlodar_elders
    ).exists()


def test_coordinator_cannot_pick_an_account_from_another_region(login, network):
    client = login(network.users["coordinator_pavlodar"])
    response = client.post(
        grant_new_url(network.pavlodar_house),
        {
            "form": "existing",
            "existing-username": "coordinator_almaty",
            "existing-role": Role.BODY_STAFF,
        },
    )
    assert response.status_code == 200
    assert "There is no account with this login in your area." in response.content.decode()
    assert not Grant.objects.filter(
        user=network.users["coordinator_almaty"], organisation=network.pavlodar_house
    ).exists()


def test_coordinator_gets_404_for_a_body_of_another_region(login, network):
    client = login(network.users["coordinator_pavlodar"])
    assert client.get(grant_new_url(network.almaty_house)).status_code == 404
    response = client.post(
        grant_new_url(network.almaty_house), {**NEW_ACCOUNT, "new-role": Role.BODY_STAFF}
    )
    assert response.status_code == 404
    assert not User.objects.filter(username="aigerim.s").exists()


def test_coordinator_may_not_give_the_national_admin_role(login, network):
    client = login(network.users["coordinator_pavlodar"])
    response = client.post(
        grant_new_url(network.pavlodar_house), {**NEW_ACCOUNT, "new-role": Role.NATIONAL_ADMIN}
    )
    assert response.status_code == 200
    assert "You may not give this role on this body." in response.content.decode()
    # Neither the account nor the role is half-written.
    assert not User.objects.filter(username="aigerim.s").exists()
    assert not Grant.objects.filter(role=Role.NATIONAL_ADMIN, organisation=network.pavlodar_house)


def test_the_role_list_offers_only_the_roles_the_manager_may_give(login, network):
    client = login(network.users["coordinator_pavlodar"])
    text = client.get(grant_new_url(network.pavlodar_house)).content.decode()
    assert 'value="body_staff"' in text
    assert 'value="national_admin"' not in text
    assert 'value="regional_coordinator"' not in text


def test_national_admin_may_give_every_role_that_is_not_confidential_anywhere(login, network):
    client = login(network.users["admin"])
    target = network.users["coordinator_almaty"]
    open_roles = [role for role in Role if role != Role.CENTRE_HEAD]
    for role in open_roles:
        response = client.post(
            grant_new_url(network.almaty_house),
            {"form": "existing", "existing-username": target.username, "existing-role": role},
        )
        assert response.status_code == 302, role
    assert Grant.objects.filter(user=target, organisation=network.almaty_house).count() == len(
        open_roles
    )


def test_a_weak_initial_password_is_refused_and_nothing_is_created(login, network):
    client = login(network.users["coordinator_pavlodar"])
    data = {**NEW_ACCOUNT, "new-role": Role.BODY_STAFF}
    data["new-password1"] = data["new-password2"] = "12345678"
    response = client.post(grant_new_url(network.pavlodar_house), data)
    assert response.status_code == 200
    assert "This password is too short." in response.content.decode()
    assert not User.objects.filter(username="aigerim.s").exists()


def test_body_search_lists_only_bodies_in_the_managers_area(login, network):
    client = login(network.users["coordinator_pavlodar"])
    text = client.get(url("access:grant_new", query="q=Достық")).content.decode()
    assert f"?body={network.pavlodar_house.pk}" in text
    assert f"?body={network.almaty_house.pk}" not in text


def test_a_body_number_that_is_not_a_number_gets_a_message(login, network):
    client = login(network.users["coordinator_pavlodar"])
    response = client.get(url("access:grant_new", query="body=abc"))
    assert response.status_code == 200
    assert "Enter the number of the body, in digits." in response.content.decode()


def test_revoking_a_role_keeps_the_grant_and_writes_an_audit_row(login, network):
    client = login(network.users["coordinator_pavlodar"])
    grant = Grant.objects.get(user=network.users["staff_pavlodar_house"])
    confirm = client.get(url("access:grant_revoke", grant.pk))
    assert "Revoke the role" in confirm.content.decode()
    response = client.post(url("access:grant_revoke", grant.pk))
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REVOKE, object_id=str(grant.pk))
    assert entry.actor == network.users["coordinator_pavlodar"]
    assert entry.organisation_path == network.pavlodar_house.path


def test_coordinator_cannot_revoke_a_role_in_another_region(login, network):
    client = login(network.users["coordinator_pavlodar"])
    grant = Grant.objects.get(user=network.users["coordinator_almaty"])
    assert client.post(url("access:grant_revoke", grant.pk)).status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_coordinator_cannot_revoke_their_own_coordinator_role(login, network):
    client = login(network.users["coordinator_pavlodar"])
    grant = Grant.objects.get(user=network.users["coordinator_pavlodar"])
    response = client.post(url("access:grant_revoke", grant.pk), follow=True)
    assert "You may not revoke this role." in response.content.decode()
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_grant_list_of_a_coordinator_shows_only_their_region(login, network):
    client = login(network.users["coordinator_pavlodar"])
    text = client.get(url("access:grants")).content.decode()
    assert "staff_pavlodar_house" in text
    assert "coordinator_almaty" not in text


def test_grant_list_filters_by_role_and_body(login, network):
    client = login(network.users["admin"])
    text = client.get(
        url("access:grants", query=f"role=body_staff&body={network.pavlodar.pk}")
    ).content.decode()
    assert "staff_pavlodar_house" in text
    assert "coordinator_pavlodar</span>" not in text
    assert "1 role found" in text


def test_grant_list_explains_filters_it_did_not_understand(login, network):
    client = login(network.users["admin"])
    response = client.get(url("access:grants", query="body=abc&role=king&page=zzz"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Some search values were not understood and were left out" in text
    assert "Enter the number of the body, in digits." in text


@pytest.mark.parametrize("name", ["analyst", "auditor", "staff_pavlodar_house", "nobody"])
def test_grants_pages_are_forbidden_to_roles_that_do_not_manage(login, network, name):
    client = login(network.users[name])
    assert client.get(url("access:grants")).status_code == 403
    assert client.get(grant_new_url(network.pavlodar_house)).status_code == 403


def test_grants_page_asks_an_anonymous_visitor_to_sign_in(client, network):
    response = client.get(url("access:grants"))
    assert response.status_code == 302
    assert url("access:login") in response["Location"]


def test_grant_without_csrf_token_is_refused(network):
    client = Client(enforce_csrf_checks=True)
    client.force_login(network.users["coordinator_pavlodar"])
    response = client.post(
        grant_new_url(network.pavlodar_house), {**NEW_ACCOUNT, "new-role": Role.BODY_STAFF}
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="aigerim.s").exists()


def _many_grants(network, count: int) -> None:
    for _index in range(count):
        GrantFactory(
            user=UserFactory(),
            role=Role.BODY_STAFF,
            organisation=network.pavlodar_elders,
            granted_by=network.users["admin"],
        )


@pytest.mark.parametrize("extra", [2, 40])
def test_grant_list_costs_the_same_queries_for_few_or_many_rows(
    login, network, django_assert_max_num_queries, extra
):
    _many_grants(network, extra)
    client = login(network.users["coordinator_pavlodar"])
    # 6 reads of the page (+1 roles waiting for approval) and the session's idle-time write.
    with django_assert_max_num_queries(9):
        response = client.get(url("access:grants"))
    assert response.status_code == 200


def test_a_new_account_without_a_full_name_is_refused(login, network):
    client = login(network.users["coordinator_pavlodar"])
    response = client.post(
        grant_new_url(network.pavlodar_house),
        {**NEW_ACCOUNT, "new-full_name": "  ", "new-role": Role.BODY_STAFF},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="aigerim.s").exists()


def test_the_service_refuses_a_blank_full_name(network):
    from birlik.access import services

    with pytest.raises(services.AccessError) as refused:
        services.user_create(
            actor=network.users["admin"],
            username="nobody.named",
            full_name=" \t ",
            email="",
            password="Steppe-wind-2026",
        )
    assert refused.value.field == "full_name"
    assert not User.objects.filter(username="nobody.named").exists()
