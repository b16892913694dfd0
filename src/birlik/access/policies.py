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

# Roles that open confidential records (mediation cases, beneficiaries of charity). Each may be
# held only on the kinds of body where those records are kept, and is effective only once a
# second person has approved it.
CONFIDENTIAL_ROLE_KINDS: dict[str, frozenset[str]] = {
    Role.CENTRE_HEAD: frozenset({"mediation_centre", "mediation_council", "charity_centre"}),
}
CONFIDENTIAL_ROLES = frozenset(CONFIDENTIAL_ROLE_KINDS)
# Roles whose holders sign in with a second factor (when ``BIRLIK_REQUIRE_2FA`` is on).
SECOND_FACTOR_ROLES = (
    frozenset({Role.NATIONAL_ADMIN, Role.REGIONAL_COORDINATOR, Role.AUDITOR}) | CONFIDENTIAL_ROLES
)

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
    for name in ("_birlik_grants", "_birlik_whole_tree"):
        if hasattr(user, name):
            delattr(user, name)


def roots(user: Any, roles: Iterable[str]) -> list[str]:
    """Paths of the subtrees on which the user holds one of ``roles`` (nested ones dropped)."""
    wanted = set(roles)
    paths = sorted({g.path for g in grants_of(user) if g.role in wanted})
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(parent) for parent in kept):
            kept.append(path)
    return kept


def whole_tree(paths: list[str]) -> bool:
    """True when the subtrees ``paths`` (from ``roots``) hold every body: a national
    administrator's scope needs no filter on the body, which lets a list walk its index in
    order instead of testing each row against the ids of every body of the country."""
    from django.apps import apps

    organisation = apps.get_model("registry", "Organisation")
    tops = [path for path in paths if len(path) == organisation.steplen]
    return bool(tops) and not organisation.objects.filter(depth=1).exclude(path__in=tops).exists()


def whole_tree_of(user: Any, roles: Iterable[str]) -> bool:
    """``whole_tree`` of the user's subtrees for ``roles``, kept on the user object for the
    request like the grants: a scope that holds every body filters nothing (no join on the
    body, no test of each row against every body of the country). Only a user with a grant on
    a top-level body costs the one query, once."""
    paths = roots(user, roles)
    if not paths:
        return False
    memo: dict[tuple[str, ...], bool] | None = getattr(user, "_birlik_whole_tree", None)
    if memo is None:
        memo = {}
        user._birlik_whole_tree = memo
    key = tuple(paths)
    if key not in memo:
        memo[key] = whole_tree(paths)
    return memo[key]


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
    """A person's full data (birth date, contacts, IIN tail, consents, audit trail): staff and
    auditors whose scope covers the body that registered them. A body that only has them as a
    member sees their name and its own terms (``scoped`` admits the person, this says no)."""
    if person is None:
        return has_role(user, PERSONAL_DATA_ROLES)
    qs = type(person)._default_manager.filter(pk=person.pk)
    return bool(scoped_person_data(qs, user).exists())


@rules.predicate
def manages_person(user: Any, person: Any = None) -> bool:
    """Editing a person: staff whose scope covers the body that registered them."""
    if person is None:
        return has_role(user, STAFF_ROLES)
    from birlik.registry.models import Person

    qs = Person._default_manager.filter(pk=person.pk)
    return bool(qs.filter(_prefix_q("registered_by__path", roots(user, STAFF_ROLES))).exists())


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


@rules.predicate
def resets_second_factor(user: Any, account: Any = None) -> bool:
    """A national administrator resets another account's second factor, never their own."""
    if not has_role(user, {Role.NATIONAL_ADMIN}):
        return False
    return account is None or getattr(account, "pk", None) != getattr(user, "pk", None)


rules.add_perm("access.reset_second_factor", resets_second_factor)  # obj: the account


def is_rule(permission: str) -> bool:
    """Whether ``permission`` is one of Birlik's rules (and so answered by ``can``)."""
    return bool(rules.perm_exists(permission))


def can(user: Any, permission: str, obj: Any = None) -> bool:
    """The rule itself decides, for everyone: ``is_superuser`` opens nothing here.

    ``user.has_perm`` is not asked: Django answers it True for any active superuser before
    any rule is consulted, and a superuser would then read confidential records.
    """
    if user is None:
        return False
    return bool(rules.has_perm(permission, user, obj))


def require(user: Any, permission: str, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` unless the user may; views turn it into a 403 page."""
    if not can(user, permission, obj):
        raise PermissionDenied(permission)


def _hands_out(user: Any, role: str, organisation: Any) -> bool:
    path = str(organisation.path)
    return any(
        path.startswith(grant.path) and role in GRANTABLE.get(grant.role, frozenset())
        for grant in grants_of(user)
    )


def grant_problem(user: Any, role: str, organisation: Any, grantee: Any = None) -> str | None:
    """Why ``user`` may not give ``role`` on ``organisation`` (to ``grantee``), or None.

    A manager gives, within their subtree, only the roles their own role hands out; a
    confidential role only on the kinds of body that keep confidential records; and nobody
    gives, approves or widens a role of their own.
    """
    from django.utils.translation import gettext as _

    if role not in ALL_ROLES:
        return _("Unknown role.")
    if grantee is not None and getattr(grantee, "pk", None) == getattr(user, "pk", None):
        return _("Nobody may give a role to themselves. Ask another manager.")
    if not _hands_out(user, role, organisation):
        return _("You may not give this role on this body.")
    kinds = CONFIDENTIAL_ROLE_KINDS.get(role)
    if kinds is not None and organisation.kind.code not in kinds:
        return _(
            "This role opens confidential records: it may be given only on a mediation "
            "centre, a mediation council or a charity centre."
        )
    return None


def can_grant(user: Any, role: str, organisation: Any, grantee: Any = None) -> bool:
    """Whether ``user`` may give (or approve) ``role`` on ``organisation`` to ``grantee``."""
    return grant_problem(user, role, organisation, grantee) is None


def needs_approval(role: str) -> bool:
    """A confidential role takes effect only after a second person approves it."""
    return role in CONFIDENTIAL_ROLES


def can_decide(user: Any, grant_request: Any) -> bool:
    """Approve or refuse a pending role: someone who may give it, not who asked, not who gets it."""
    if grant_request.status != "pending":
        return False
    if getattr(user, "pk", None) in {grant_request.requested_by_id, grant_request.user_id}:
        return False
    return can_grant(user, grant_request.role, grant_request.organisation, grant_request.user)


def can_revoke(user: Any, grant: Any) -> bool:
    """A role is revoked by those who hand it out on that body, wherever it was given."""
    return grant.revoked_at is None and _hands_out(user, grant.role, grant.organisation)


# Apps whose records name users as readers of confidential data without a grant (a case's
# mediators, a help request's caseworkers) declare it here, so that those users too sign in
# with a second factor.
CONFIDENTIAL_HOLDERS: list[Callable[[Any], bool]] = []


def confidential_holder(func: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """Declare a test ``user → bool``: the user is named on confidential records."""
    CONFIDENTIAL_HOLDERS.append(func)
    return func


def needs_second_factor(user: Any) -> bool:
    """Holders of a managing, auditing or confidential role sign in with a second factor."""
    from django.conf import settings

    if not getattr(settings, "BIRLIK_REQUIRE_2FA", True):
        return False
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if bool(user.is_superuser) or has_role(user, SECOND_FACTOR_ROLES):
        return True
    return any(holds(user) for holds in CONFIDENTIAL_HOLDERS)


# --- Scoped querysets ----------------------------------------------------------------------


def _prefix_q(field: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def _person_scope(qs: QuerySet[Any], paths: list[str]) -> QuerySet[Any]:
    """People known in the subtrees ``paths``: registered there, or members of a body there.
    Knowing a person is not seeing their data: see ``scoped_person_data``."""
    if not paths:
        return qs.none()
    from birlik.registry.models import Membership

    members = Membership.objects.filter(_prefix_q("organisation__path", paths)).values("person_id")
    return qs.filter(_prefix_q("registered_by__path", paths) | Q(pk__in=members))


def person_data_q(user: Any, prefix: str = "") -> Q:
    """People whose full data the user may read: registered by a body in the user's scope
    (``prefix`` for lookups through a relation, e.g. ``"person__"``)."""
    return tree_q(user, PERSONAL_DATA_ROLES, f"{prefix}registered_by__path")


def scoped_person_data(qs: QuerySet[M], user: Any) -> QuerySet[M]:
    """The people of ``qs`` whose full data the user may read (see ``sees_person``)."""
    return qs.filter(person_data_q(user))


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


def tree_q(user: Any, roles: Iterable[str], field: str) -> Q:
    """``prefix_q(field, roots(user, roles))``: rows whose body lies in the user's subtrees for
    ``roles``. When those hold every body (``whole_tree_of``) the same rows are the ones that
    have a body at all, which the database reads without a join on the tree nor a test of
    each row's path."""
    if whole_tree_of(user, roles):
        # Never a bare Q(): or-ed with another condition it would vanish (Q() | q is q).
        relation = field.removesuffix("__path")
        return Q(pk__isnull=False) if relation == field else Q(**{f"{relation}__isnull": False})
    return _prefix_q(field, roots(user, roles))


def scoped(qs: QuerySet[M], user: Any) -> QuerySet[M]:
    """The rows of ``qs`` this user may see in the workspace; nothing when no rule names it."""
    label = qs.model._meta.label
    if label in SCOPE_RULES:
        rule = SCOPE_RULES[label](user)
        return qs.filter(rule) if isinstance(rule, Q) else qs.filter(pk__in=rule)
    if label == "registry.Organisation":
        return qs.filter(tree_q(user, ALL_ROLES, "path")) if grants_of(user) else qs.none()
    if label == "registry.Person":
        if whole_tree_of(user, PERSONAL_DATA_ROLES):
            return qs  # every person is registered by a body of the tree
        return _person_scope(qs, roots(user, PERSONAL_DATA_ROLES))
    if label in {"registry.Membership", "registry.Consent"}:
        field = "organisation__path" if label == "registry.Membership" else None
        paths = roots(user, PERSONAL_DATA_ROLES)
        if not paths:
            return qs.none()
        if field:
            return qs.filter(tree_q(user, PERSONAL_DATA_ROLES, field))
        # Consents are part of a person's full data: not for bodies that only have them as members.
        return qs.filter(person_data_q(user, "person__"))
    if label == "access.AuditEntry":
        from birlik.registry.models import Organisation

        paths = roots(user, AUDIT_ROLES)
        q = _prefix_q("organisation_path", paths)
        if any(len(path) == Organisation.steplen for path in paths):
            # Holders of a role on the whole network also see rows filed under no body.
            q |= Q(organisation_path="")
        return qs.filter(q)
    if label in {"access.Grant", "access.GrantRequest"}:
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
