"""Who may see and do what in training.

Courses, cohorts and their sessions belong to the provider (the Academy or a university
department): its staff (and those above it) run them; staff and auditors of that subtree read
them with the trainees' names. An enrolment also belongs to the body that sent the trainee:
that body's staff nominate its people, follow their training and may withdraw them. A
certificate is revoked only by the provider's own staff or a national administrator (not by a
regional coordinator above a department). Training rules are kept by national administrators;
the coverage they give is read by anyone with a grant (counts only), the overdue people's names
by staff and auditors of the bodies they belong to.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from birlik.access.models import Role
from birlik.access.policies import (
    PERSONAL_DATA_ROLES,
    STAFF_ROLES,
    covers,
    has_any_grant,
    has_role,
    is_national_admin,
    prefix_q,
    roots,
    scope_rule,
)

# Who revokes a certificate: the provider's own staff, or a national administrator.
REVOKING_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.BODY_STAFF, Role.CENTRE_HEAD})


def provider_path(record: Any) -> str:
    """The path of the provider of a course, cohort, session, enrolment or certificate (or of
    the body itself)."""
    if record is None:
        return ""
    if hasattr(record, "path"):
        return str(record.path)
    if hasattr(record, "provider"):
        return str(record.provider.path)
    if hasattr(record, "course"):  # a module, cohort or certificate
        return str(record.course.provider.path)
    if hasattr(record, "cohort"):  # a session or enrolment
        return str(record.cohort.course.provider.path)
    return ""


def sending_path(record: Any) -> str:
    """The path of the body that sent the trainee of an enrolment or certificate."""
    enrolment = getattr(record, "enrolment", record)
    organisation = getattr(enrolment, "organisation", None)
    return str(organisation.path) if organisation is not None else ""


@rules.predicate
def runs(user: Any, record: Any = None) -> bool:
    """Staff of the provider (or of a body above it)."""
    if record is None:
        return has_role(user, STAFF_ROLES)
    return covers(user, STAFF_ROLES, provider_path(record))


@rules.predicate
def reads(user: Any, record: Any = None) -> bool:
    """Staff and auditors of the provider's subtree."""
    if record is None:
        return has_role(user, PERSONAL_DATA_ROLES)
    return covers(user, PERSONAL_DATA_ROLES, provider_path(record))


@rules.predicate
def follows(user: Any, record: Any = None) -> bool:
    """Staff and auditors of the body that sent the trainee."""
    if record is None:
        return has_role(user, PERSONAL_DATA_ROLES)
    path = sending_path(record)
    return bool(path) and covers(user, PERSONAL_DATA_ROLES, path)


@rules.predicate
def sends(user: Any, record: Any = None) -> bool:
    """Staff of the body that sent the trainee (or, with a body, of that body)."""
    if record is None:
        return has_role(user, STAFF_ROLES)
    path = str(record.path) if hasattr(record, "path") else sending_path(record)
    return bool(path) and covers(user, STAFF_ROLES, path)


@rules.predicate
def revokes(user: Any, record: Any = None) -> bool:
    if record is None:
        return has_role(user, REVOKING_ROLES)
    return covers(user, REVOKING_ROLES, provider_path(record))


@rules.predicate
def reads_overdue(user: Any) -> bool:
    return has_role(user, PERSONAL_DATA_ROLES)


rules.add_perm("learning.view", reads)  # obj: course, cohort or session
rules.add_perm("learning.manage", runs)  # obj: the provider, a course, cohort or session
rules.add_perm("learning.nominate", sends)  # obj: the sending body
rules.add_perm("learning.view_enrolment", reads | follows)  # obj: enrolment or certificate
rules.add_perm("learning.withdraw", runs | sends)  # obj: enrolment
rules.add_perm("learning.revoke", revokes)  # obj: certificate
rules.add_perm("learning.view_needs", has_any_grant)
rules.add_perm("learning.view_overdue", reads_overdue)
rules.add_perm("learning.manage_rules", is_national_admin)


def _providers(user: Any, field: str) -> Q:
    return prefix_q(field, roots(user, PERSONAL_DATA_ROLES))


@scope_rule("learning.Course")
def course_scope(user: Any) -> Q:
    return _providers(user, "provider__path")


@scope_rule("learning.Cohort")
def cohort_scope(user: Any) -> Q:
    return _providers(user, "course__provider__path")


@scope_rule("learning.Session")
def session_scope(user: Any) -> Q:
    return _providers(user, "cohort__course__provider__path")


@scope_rule("learning.Module")
def module_scope(user: Any) -> Q:
    return _providers(user, "course__provider__path")


@scope_rule("learning.Enrolment")
def enrolment_scope(user: Any) -> Q:
    return _providers(user, "cohort__course__provider__path") | _providers(
        user, "organisation__path"
    )


@scope_rule("learning.Certificate")
def certificate_scope(user: Any) -> Q:
    return _providers(user, "course__provider__path") | _providers(
        user, "enrolment__organisation__path"
    )


@scope_rule("learning.TrainingRule")
def rule_scope(user: Any) -> Q:
    return Q() if has_any_grant(user) else Q(pk__in=[])
