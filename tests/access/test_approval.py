"""Nobody grants themself a role; a confidential role needs a second person's approval."""

from __future__ import annotations

import pytest
from django.test import Client

from birlik.access import policies
from birlik.access.models import AuditEntry, Grant, GrantRequest, Role
from birlik.mediation.models import MediationCase
from birlik.notify.models import Notice

from ..factories import GrantFactory, OrganisationFactory, UserFactory, kind, region
from .conftest import url


@pytest.fixture
def centre(network):
    return OrganisationFactory(
        parent=network.pavlodar_house,
        kind=kind("mediation_centre"),
        region=region("KZ-55"),
        name_en="Mediation Centre of Pavlodar",
    )


@pytest.fixture
def head(centre):
    user = UserFactory(username="head_pavlodar", email="head@example.kz", language="ru")
    GrantFactory(user=user, role=Role.CENTRE_HEAD, organisation=centre)
    return user


def give(client, body, username: str, role: str):
    return client.post(
        url("access:grant_new", query=f"body={body.pk}"),
        {"form": "existing", "existing-username": username, "existing-role": role},
    )


def decide(client, item: GrantRequest, decision: str):
    return client.post(url("access:grant_decide", item.pk), {"decision": decision})


@pytest.mark.parametrize("name", ["admin", "coordinator_pavlodar"])
def test_a_manager_cannot_give_themself_the_head_of_a_centre(login, network, centre, name):
    user = network.users[name]
    client = login(user)
    response = give(client, centre, user.username, Role.CENTRE_HEAD)
    assert response.status_code == 200
    assert "Nobody may give a role to themselves. Ask another manager." in response.content.decode()
    assert not Grant.objects.filter(user=user, role=Role.CENTRE_HEAD).exists()
    assert not GrantRequest.objects.filter(user=user).exists()
    assert not policies.can_grant(user, Role.CENTRE_HEAD, centre, user)


@pytest.mark.parametrize("role", [Role.ANALYST, Role.AUDITOR, Role.BODY_STAFF])
def test_nobody_gives_themself_any_role(login, network, role):
    admin = network.users["admin"]
    client = login(admin)
    response = give(client, network.almaty_house, admin.username, role)
    assert response.status_code == 200
    assert not Grant.objects.filter(user=admin, organisation=network.almaty_house).exists()


def test_the_head_of_a_centre_is_given_only_on_a_mediation_or_charity_centre(login, network):
    client = login(network.users["admin"])
    staff = network.users["staff_pavlodar_house"]
    response = give(client, network.pavlodar_house, staff.username, Role.CENTRE_HEAD)
    assert response.status_code == 200
    assert "it may be given only on a mediation centre" in response.content.decode()
    assert not GrantRequest.objects.exists()
    # and the form does not even offer it there
    page = client.get(url("access:grant_new", query=f"body={network.pavlodar_house.pk}"))
    assert f'value="{Role.CENTRE_HEAD}"' not in page.content.decode()


def test_a_confidential_role_waits_for_approval_and_opens_nothing_meanwhile(login, network, centre):
    coordinator = network.users["coordinator_pavlodar"]
    staff = network.users["staff_pavlodar_house"]
    response = give(login(coordinator), centre, staff.username, Role.CENTRE_HEAD)
    assert response.status_code == 302
    waiting = GrantRequest.objects.get(user=staff)
    assert waiting.status == GrantRequest.Status.PENDING
    assert waiting.requested_by == coordinator
    assert not Grant.objects.filter(user=staff, role=Role.CENTRE_HEAD).exists()
    policies.forget_grants(staff)
    assert all(grant.role != Role.CENTRE_HEAD for grant in policies.grants_of(staff))
    assert not policies.can(staff, "mediation.view_cases")
    assert not policies.scoped(MediationCase.objects.all(), staff).exists()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.REQUEST)
    assert entry.actor == coordinator
    assert entry.organisation_path == centre.path


def test_the_one_who_asked_and_the_one_who_gets_it_cannot_approve(login, network, centre):
    coordinator = network.users["coordinator_pavlodar"]
    staff = network.users["staff_pavlodar_house"]
    give(login(coordinator), centre, staff.username, Role.CENTRE_HEAD)
    waiting = GrantRequest.objects.get(user=staff)

    page = login(coordinator).get(url("access:grants")).content.decode()
    assert "Roles waiting for approval" in page
    assert "Another person must decide." in page
    assert url("access:grant_decide", waiting.pk) not in page

    response = decide(login(coordinator), waiting, "approve")
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == GrantRequest.Status.PENDING
    assert not Grant.objects.filter(user=staff, role=Role.CENTRE_HEAD).exists()
    # the grantee holds no managing role: the page and the decision are refused outright
    assert decide(login(staff), waiting, "approve").status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == GrantRequest.Status.PENDING


def test_a_second_person_approves_and_the_head_of_the_centre_is_told(login, network, centre, head):
    coordinator = network.users["coordinator_pavlodar"]
    admin = network.users["admin"]
    staff = network.users["staff_pavlodar_house"]
    give(login(coordinator), centre, staff.username, Role.CENTRE_HEAD)
    waiting = GrantRequest.objects.get(user=staff)

    page = login(admin).get(url("access:grants")).content.decode()
    assert url("access:grant_decide", waiting.pk) in page
    assert "Approve" in page and "Refuse" in page

    response = decide(login(admin), waiting, "approve")
    assert response.status_code == 302
    grant = Grant.objects.get(user=staff, role=Role.CENTRE_HEAD, organisation=centre)
    assert (grant.granted_by, grant.approved_by) == (coordinator, admin)
    waiting.refresh_from_db()
    assert (waiting.status, waiting.decided_by, waiting.grant) == ("approved", admin, grant)
    policies.forget_grants(staff)
    assert policies.can(staff, "mediation.view_cases")
    approved = AuditEntry.objects.get(action=AuditEntry.Action.APPROVE)
    assert approved.actor == admin and approved.object_id == str(grant.pk)
    notice = Notice.objects.get(recipient="head@example.kz")
    assert notice.language == "ru"
    assert str(staff) in notice.body
    assert centre.name_ru in notice.body  # in the head's language
    # the decision is taken once
    assert decide(login(admin), waiting, "refuse").status_code == 302
    assert Grant.objects.filter(pk=grant.pk, revoked_at__isnull=True).exists()


def test_a_second_person_refuses_and_nothing_is_granted(login, network, centre):
    coordinator = network.users["coordinator_pavlodar"]
    staff = network.users["staff_pavlodar_house"]
    give(login(coordinator), centre, staff.username, Role.CENTRE_HEAD)
    waiting = GrantRequest.objects.get(user=staff)
    response = decide(login(network.users["admin"]), waiting, "refuse")
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == GrantRequest.Status.REFUSED
    assert not Grant.objects.filter(user=staff, role=Role.CENTRE_HEAD).exists()
    refused = AuditEntry.objects.get(action=AuditEntry.Action.REFUSE)
    assert refused.actor == network.users["admin"]
    # a refused request may be asked again
    assert give(login(coordinator), centre, staff.username, Role.CENTRE_HEAD).status_code == 302


def test_the_profile_shows_the_roles_waiting_for_approval(login, network, centre):
    staff = network.users["staff_pavlodar_house"]
    give(login(network.users["coordinator_pavlodar"]), centre, staff.username, Role.CENTRE_HEAD)
    page = login(staff).get(url("access:profile")).content.decode()
    assert "Roles waiting for approval" in page
    assert "Mediation Centre of Pavlodar" in page


def test_a_wrongly_placed_head_of_centre_grant_can_still_be_revoked(login, network):
    coordinator = network.users["coordinator_pavlodar"]
    wrong = GrantFactory(
        user=network.users["staff_pavlodar_house"],
        role=Role.CENTRE_HEAD,
        organisation=network.pavlodar_house,
    )
    client = login(coordinator)
    response = client.post(url("access:grant_revoke", wrong.pk))
    assert response.status_code == 302
    wrong.refresh_from_db()
    assert wrong.revoked_at is not None


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("admin", 302),
        ("coordinator_pavlodar", 302),  # asked for it: the decision is refused with a message
        ("coordinator_almaty", 404),
        ("staff_pavlodar_house", 403),
        ("analyst", 403),
        ("auditor", 403),
        ("nobody", 403),
    ],
)
def test_the_decision_answers_each_role(login, network, centre, name, status):
    give(
        login(network.users["coordinator_pavlodar"]),
        centre,
        network.users["staff_pavlodar_house"].username,
        Role.CENTRE_HEAD,
    )
    waiting = GrantRequest.objects.get()
    client = login(network.users[name])
    assert decide(client, waiting, "approve").status_code == status
    assert client.get(url("access:grant_decide", waiting.pk)).status_code in {403, 405}
    waiting.refresh_from_db()
    assert (waiting.status == GrantRequest.Status.APPROVED) == (name == "admin")


def test_the_decision_needs_a_signed_in_user_and_the_csrf_token(network, centre, login):
    give(
        login(network.users["coordinator_pavlodar"]),
        centre,
        network.users["staff_pavlodar_house"].username,
        Role.CENTRE_HEAD,
    )
    waiting = GrantRequest.objects.get()
    anonymous = Client()
    response = decide(anonymous, waiting, "approve")
    assert response.status_code == 302
    assert response["Location"].startswith(url("access:login"))
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(network.users["admin"])
    assert decide(strict, waiting, "approve").status_code == 403
    waiting.refresh_from_db()
    assert waiting.status == GrantRequest.Status.PENDING


def test_a_superuser_centre_head_request_is_no_shortcut(login, network, centre):
    """Being a superuser gives no right to grant oneself anything either."""
    admin = network.users["admin"]
    admin.is_superuser = True
    admin.is_staff = True
    admin.save()
    response = give(login(admin), centre, admin.username, Role.CENTRE_HEAD)
    assert response.status_code == 200
    assert not GrantRequest.objects.exists()
