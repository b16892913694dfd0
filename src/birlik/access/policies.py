"""The one policy layer: who may do what, and which rows each user may see.

Every view and API call asks ``can``/``require`` (backed by ``rules`` predicates registered as
Django permissions) and builds its lists with ``scoped``. A grant gives a role on a body and the
whole subtree below it; subtree membership is a prefix test on the materialised path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

import rules
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Role

STAFF_ROLES = frozenset(
    {Role.NATIONAL_ADMIN, Role.REGIONAL_COORDINATOR, Role.BODY_STAFF, Role.CENTRE_HEAD}
)
MANAGER_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.REGIONAL_COORDINATOR})
PERSONAL_DATA_ROLES = STAFF_ROLES | {Role.AUDITOR}
AUDIT_ROLES = MANAGER_ROLES | {Role.AUDITOR}
ALL_ROLES = frozenset(Role)

# Roles each role may hand out, within its own subtree.
GRANTABLE: dict[str, frozenset[str]] = {
    Role.NATIONAL_ADMIN: ALL_ROLES,
    Role.REGIONAL_COORDINATOR: frozenset(
        {Role.BODY_STAFF, Role.CENTRE_HEAD, Role.ANALYST, Role.AUDITOR}
    ),
}

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class ActiveGrant:
    role: str
    path: str
    organisation_id: int


def grants_of(user: Any) -> tuple[ActiveGrant, ...]:
    """The user's active grants, read once per request and kept on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    cached: tuple[ActiveGrant, ...] | None = getattr(user, "_birlik_grants", None)
    if cached is None:
        from .models import Grant

        rows = Grant.objects.filter(user=user, revoked_at__isnull=True).values_list(
            "role", "organisation__path", "organisation_id"
        )
        cached = tuple(ActiveGrant(role, path, org_id) for role, path, org_id in rows)
        user._birlik_grants = cached
    return cached


def forget_grants(user: Any) -> None:
    if hasattr(user, "_birlik_grants"):
        del user._birlik_grants


def roots(user: Any, roles: Iterable[str]) -> list[str]:
    """Paths of the subtrees on which the user holds one of ``roles`` (nested ones dropped)."""
    wanted = set(roles)
    paths = sorted({g.path for g in grants_of(user) if g.role in wanted})
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(parent) for parent in kept):
            kept.append(path)
    return kept


def covers(user: Any, roles: Iterable[str], path: str) -> bool:
    return any(path.startswith(root) for root in roots(user, roles))


def has_role(user: Any, roles: Iterable[str]) -> bool:
    wanted = set(roles)
    return any(g.role in wanted for g in grants_of(user))


def _path_of(obj: Any) -> str | None:
    """The materialised path of the body a record belongs to."""
    if obj is None:
        return None
    path = getattr(obj, "path", None)
    if isinstance(path, str):
        return path
    organisation = getattr(obj, "organisation", None)
    if organisation is not None:
        return str(organisation.path)
    return None


def _on_subtree(roles: frozenset[str]) -> Callable[[Any, Any], bool]:
    def predicate(user: Any, obj: Any = None) -> bool:
        if obj is None:
            return has_role(user, roles)
        path = _path_of(obj)
        return path is not None and covers(user, roles, path)

    predicate.__name__ = "on_subtree_" + "_".join(sorted(roles))
    return predicate


is_staff_on = rules.predicate(_on_subtree(STAFF_ROLES))
is_manager_on = rules.predicate(_on_subtree(MANAGER_ROLES))
is_auditor_on = rules.predicate(_on_subtree(AUDIT_ROLES))
sees_personal_data_on = rules.predicate(_on_subtree(PERSONAL_DATA_ROLES))
has_any_grant = rules.predicate(lambda user: bool(grants_of(user)), name="has_any_grant")


@rules.predicate
def is_national_admin(user: Any) -> bool:
    return has_role(user, {Role.NATIONAL_ADMIN})


@rules.predicate
def sees_person(user: Any, person: Any = None) -> bool:
    """Personal data: staff and auditors of a body the person belongs to or was registered by."""
    if person is None:
        return has_role(user, PERSONAL_DATA_ROLES)
    return bool(scoped(type(person)._default_manager.filter(pk=person.pk), user).exists())


@rules.predicate
def manages_person(user: Any, person: Any = None) -> bool:
    if person is None:
        return has_role(user, STAFF_ROLES)
    from birlik.registry.models import Person

    qs = _person_scope(Person._default_manager.filter(pk=person.pk), roots(user, STAFF_ROLES))
    return bool(qs.exists())


@rules.predicate
def closes_body(user: Any, organisation: Any = None) -> bool:
    """Managers close bodies below their grant; a national admin may close any but the root."""
    if organisation is None:
        return has_role(user, MANAGER_ROLES)
    if organisation.depth == 1:
        return False
    path = str(organisation.path)
    return any(path.startswith(root) and path != root for root in roots(user, MANAGER_ROLES))


rules.add_perm("workspace.enter", has_any_grant)
rules.add_perm("registry.view_organisation", rules.always_allow)
rules.add_perm("registry.view_figures", rules.always_allow)
rules.add_perm("registry.add_organisation", is_staff_on)  # obj: the parent body
rules.add_perm("registry.change_organisation", is_staff_on)
rules.add_perm("registry.close_organisation", closes_body)
rules.add_perm("registry.manage_kinds", is_national_admin)
rules.add_perm("registry.view_person", sees_person)
rules.add_perm("registry.change_person", manages_person)
rules.add_perm("registry.view_members", sees_personal_data_on)  # obj: the body
rules.add_perm("registry.add_person", is_staff_on)  # obj: the body registering the person
rules.add_perm("registry.manage_membership", is_staff_on)  # obj: the body
rules.add_perm("registry.import", is_staff_on)  # obj: the body the import is made under
rules.add_perm("registry.export_people", is_staff_on)
rules.add_perm("access.view_audit", is_auditor_on)  # obj: the body (or record) audited
rules.add_perm("access.manage_grants", is_manager_on)  # obj: the body


def can(user: Any, permission: str, obj: Any = None) -> bool:
    return (
        bool(user.has_perm(permission, obj)) if obj is not None else bool(user.has_perm(permission))
    )


def require(user: Any, permission: str, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` unless the user may; views turn it into a 403 page."""
    if not can(user, permission, obj):
        raise PermissionDenied(permission)


def can_grant(user: Any, role: str, organisation: Any) -> bool:
    path = str(organisation.path)
    for grant in grants_of(user):
        if path.startswith(grant.path) and role in GRANTABLE.get(grant.role, frozenset()):
            return True
    return False


# --- Scoped querysets ----------------------------------------------------------------------


def _prefix_q(field: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def _person_scope(qs: QuerySet[Any], paths: list[str]) -> QuerySet[Any]:
    if not paths:
        return qs.none()
    from birlik.registry.models import Membership

    members = Membership.objects.filter(_prefix_q("organisation__path", paths)).values("person_id")
    return qs.filter(_prefix_q("registered_by__path", paths) | Q(pk__in=members))


# Scope rules that other apps declare in their own ``policies.py`` (see ``scope_rule``).
SCOPE_RULES: dict[str, Callable[[Any], QuerySet[Any] | Q]] = {}


def scope_rule(label: str) -> Callable[[Callable[[Any], Q]], Callable[[Any], Q]]:
    """Declare which rows of a model (``app.Model``) a user sees: a function user → Q."""

    def register(func: Callable[[Any], Q]) -> Callable[[Any], Q]:
        SCOPE_RULES[label] = func
        return func

    return register


def prefix_q(field: str, paths: list[str]) -> Q:
    """Rows whose body path (``field``) lies in one of the subtrees ``paths``."""
    return _prefix_q(field, paths)


def scoped(qs: QuerySet[M], user: Any) -> QuerySet[M]:
    """The rows of ``qs`` this user may see in the workspace; nothing when no rule names it."""
    label = qs.model._meta.label
    if label in SCOPE_RULES:
        rule = SCOPE_RULES[label](user)
        return qs.filter(rule) if isinstance(rule, Q) else qs.filter(pk__in=rule)
    if label == "registry.Organisation":
        return (
            qs.filter(_prefix_q("path", roots(user, ALL_ROLES))) if grants_of(user) else qs.none()
        )
    if label == "registry.Person":
        return _person_scope(qs, roots(user, PERSONAL_DATA_ROLES))
    if label in {"registry.Membership", "registry.Consent"}:
        field = "organisation__path" if label == "registry.Membership" else None
        paths = roots(user, PERSONAL_DATA_ROLES)
        if not paths:
            return qs.none()
        if field:
            return qs.filter(_prefix_q(field, paths))
        from birlik.registry.models import Person

        return qs.filter(person__in=_person_scope(Person.objects.all(), paths))
    if label == "access.AuditEntry":
        from birlik.registry.models import Organisation

        paths = roots(user, AUDIT_ROLES)
        q = _prefix_q("organisation_path", paths)
        if any(len(path) == Organisation.steplen for path in paths):
            # Holders of a role on the whole network also see rows filed under no body.
            q |= Q(organisation_path="")
        return qs.filter(q)
    if label == "access.Grant":
        return qs.filter(_prefix_q("organisation__path", roots(user, MANAGER_ROLES)))
    if label == "access.User":
        paths = roots(user, MANAGER_ROLES)
        return qs.filter(
            Q(pk=user.pk) | Q(grants__in=_grant_ids(paths), grants__revoked_at__isnull=True)
        ).distinct()
    return qs.none()


def _grant_ids(paths: list[str]) -> QuerySet[Any]:
    from .models import Grant

    return Grant.objects.filter(_prefix_q("organisation__path", paths)).values("pk")


def get_scoped_or_404(qs: QuerySet[M], user: Any, **lookup: Any) -> M:
    """A record the user may see, or 404: out-of-scope rows are not admitted to exist."""
    try:
        return scoped(qs, user).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error
