"""The policy matrix: every role × both regions × every action, and scoped lists."""

import pytest

from birlik.access import policies
from birlik.access.models import AuditEntry, Grant, Role
from birlik.registry.models import Membership, Organisation, Person

USERS = [
    "admin",
    "coordinator_pavlodar",
    "coordinator_almaty",
    "staff_pavlodar_house",
    "analyst",
    "auditor",
    "nobody",
]


def allowed(*names):
    return {name: name in names for name in USERS}


# (permission, object attribute on the network fixture) → who may.
MATRIX = [
    (
        "registry.change_organisation",
        "pavlodar_house",
        allowed("admin", "coordinator_pavlodar", "staff_pavlodar_house"),
    ),
    ("registry.change_organisation", "pavlodar_elders", allowed("admin", "coordinator_pavlodar")),
    ("registry.change_organisation", "almaty_house", allowed("admin", "coordinator_almaty")),
    ("registry.add_organisation", "pavlodar", allowed("admin", "coordinator_pavlodar")),
    (
        "registry.add_organisation",
        "pavlodar_house",
        allowed("admin", "coordinator_pavlodar", "staff_pavlodar_house"),
    ),
    ("registry.close_organisation", "pavlodar_house", allowed("admin", "coordinator_pavlodar")),
    ("registry.close_organisation", "pavlodar", allowed("admin")),
    ("registry.close_organisation", "almaty_house", allowed("admin", "coordinator_almaty")),
    ("registry.close_organisation", "root", allowed()),
    (
        "registry.view_person",
        "pavlodar_person",
        allowed("admin", "coordinator_pavlodar", "staff_pavlodar_house", "auditor"),
    ),
    ("registry.view_person", "almaty_person", allowed("admin", "coordinator_almaty", "auditor")),
    (
        "registry.change_person",
        "pavlodar_person",
        allowed("admin", "coordinator_pavlodar", "staff_pavlodar_house"),
    ),
    ("registry.change_person", "almaty_person", allowed("admin", "coordinator_almaty")),
    ("registry.manage_membership", "pavlodar_elders", allowed("admin", "coordinator_pavlodar")),
    (
        "registry.import",
        "pavlodar_house",
        allowed("admin", "coordinator_pavlodar", "staff_pavlodar_house"),
    ),
    ("access.manage_grants", "pavlodar_house", allowed("admin", "coordinator_pavlodar")),
    ("access.manage_grants", "almaty_house", allowed("admin", "coordinator_almaty")),
    ("access.view_audit", "pavlodar_house", allowed("admin", "coordinator_pavlodar", "auditor")),
    ("access.view_audit", "almaty_house", allowed("admin", "coordinator_almaty", "auditor")),
]


@pytest.mark.parametrize(("permission", "target", "expected"), MATRIX)
def test_policy_matrix(network, permission, target, expected):
    obj = getattr(network, target)
    got = {name: policies.can(network.users[name], permission, obj) for name in USERS}
    assert got == expected


@pytest.mark.parametrize(
    ("permission", "expected"),
    [
        ("registry.manage_kinds", allowed("admin")),
        ("workspace.enter", {name: name != "nobody" for name in USERS}),
        ("registry.view_figures", allowed(*USERS)),
    ],
)
def test_permissions_without_object(network, permission, expected):
    got = {name: policies.can(network.users[name], permission) for name in USERS}
    assert got == expected


def test_anonymous_visitor_may_only_read_the_public_registry(network):
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    assert policies.can(visitor, "registry.view_organisation", network.pavlodar_house)
    assert not policies.can(visitor, "registry.change_organisation", network.pavlodar_house)
    assert not policies.can(visitor, "registry.view_person", network.pavlodar_person)
    assert not policies.scoped(Organisation.objects.all(), visitor).exists()


@pytest.mark.parametrize(
    ("user", "bodies"),
    [
        (
            "admin",
            {"root", "pavlodar", "pavlodar_house", "pavlodar_elders", "almaty", "almaty_house"},
        ),
        (
            "analyst",
            {"root", "pavlodar", "pavlodar_house", "pavlodar_elders", "almaty", "almaty_house"},
        ),
        ("coordinator_pavlodar", {"pavlodar", "pavlodar_house", "pavlodar_elders"}),
        ("coordinator_almaty", {"almaty", "almaty_house"}),
        ("staff_pavlodar_house", {"pavlodar_house"}),
        ("nobody", set()),
    ],
)
def test_scoped_bodies_are_the_grant_subtrees(network, user, bodies):
    expected = {getattr(network, name).pk for name in bodies}
    seen = set(
        policies.scoped(Organisation.objects.all(), network.users[user]).values_list(
            "pk", flat=True
        )
    )
    assert seen == expected


@pytest.mark.parametrize(
    ("user", "people"),
    [
        ("admin", {"pavlodar_person", "almaty_person"}),
        ("auditor", {"pavlodar_person", "almaty_person"}),
        ("coordinator_pavlodar", {"pavlodar_person"}),
        ("coordinator_almaty", {"almaty_person"}),
        ("staff_pavlodar_house", {"pavlodar_person"}),
        ("analyst", set()),
        ("nobody", set()),
    ],
)
def test_scoped_people_follow_memberships_and_registration(network, user, people):
    expected = {getattr(network, name).pk for name in people}
    seen = set(
        policies.scoped(Person.objects.all(), network.users[user]).values_list("pk", flat=True)
    )
    assert seen == expected
    memberships = policies.scoped(Membership.objects.all(), network.users[user])
    assert {m.person_id for m in memberships} <= expected


def test_analyst_sees_no_personal_data_or_audit(network):
    analyst = network.users["analyst"]
    assert not policies.scoped(Membership.objects.all(), analyst).exists()
    AuditEntry.objects.create(
        action="read", object_type="registry.Person", organisation_path=network.pavlodar_house.path
    )
    assert not policies.scoped(AuditEntry.objects.all(), analyst).exists()
    assert policies.scoped(AuditEntry.objects.all(), network.users["auditor"]).count() == 1


def test_audit_entries_are_scoped_by_subtree(network):
    AuditEntry.objects.create(
        action="update",
        object_type="registry.Organisation",
        organisation_path=network.pavlodar_house.path,
    )
    AuditEntry.objects.create(
        action="update",
        object_type="registry.Organisation",
        organisation_path=network.almaty_house.path,
    )
    seen = policies.scoped(AuditEntry.objects.all(), network.users["coordinator_pavlodar"])
    assert [entry.organisation_path for entry in seen] == [network.pavlodar_house.path]


@pytest.mark.parametrize(
    ("granter", "role", "target", "expected"),
    [
        ("admin", Role.NATIONAL_ADMIN, "almaty_house", True),
        ("coordinator_pavlodar", Role.BODY_STAFF, "pavlodar_house", True),
        ("coordinator_pavlodar", Role.ANALYST, "pavlodar_elders", True),
        ("coordinator_pavlodar", Role.NATIONAL_ADMIN, "pavlodar_house", False),
        ("coordinator_pavlodar", Role.REGIONAL_COORDINATOR, "pavlodar_house", False),
        ("coordinator_pavlodar", Role.BODY_STAFF, "almaty_house", False),
        ("staff_pavlodar_house", Role.BODY_STAFF, "pavlodar_house", False),
        ("auditor", Role.AUDITOR, "pavlodar_house", False),
    ],
)
def test_who_may_grant_which_role_where(network, granter, role, target, expected):
    assert policies.can_grant(network.users[granter], role, getattr(network, target)) is expected


def test_revoked_grant_no_longer_counts(network):
    user = network.users["coordinator_pavlodar"]
    Grant.objects.filter(user=user).update(revoked_at="2026-01-01T00:00:00Z")
    policies.forget_grants(user)
    assert not policies.can(user, "registry.change_organisation", network.pavlodar_house)
    assert not policies.scoped(Organisation.objects.all(), user).exists()


def test_grants_are_read_once_per_request(network, django_assert_num_queries):
    user = network.users["coordinator_pavlodar"]
    policies.forget_grants(user)
    with django_assert_num_queries(1):
        for _ in range(5):
            policies.can(user, "registry.change_organisation", network.pavlodar_house)


def test_rows_filed_under_no_body_are_seen_only_network_wide(network):
    AuditEntry.objects.create(action="login", object_type="access.User", organisation_path="")
    assert policies.scoped(AuditEntry.objects.all(), network.users["admin"]).count() == 1
    assert policies.scoped(AuditEntry.objects.all(), network.users["auditor"]).count() == 1
    coordinator = network.users["coordinator_pavlodar"]
    assert not policies.scoped(AuditEntry.objects.all(), coordinator).exists()
