"""Who may see and do what in youth projects.

Projects, cohorts and applications belong to the running body: its staff (and those above it)
manage them; staff and auditors of that subtree read the applications. A juror is a staff
account named on a cohort: they read that cohort's applications and score them, wherever their
own grant is. Applicants' personal data is never public.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from birlik.access.policies import (
    PERSONAL_DATA_ROLES,
    STAFF_ROLES,
    covers,
    has_any_grant,
    has_role,
    prefix_q,
    roots,
    scope_rule,
    tree_q,
)


def body_path(record: Any) -> str:
    """The path of the running body of a project, cohort, application or session."""
    if hasattr(record, "path"):
        return str(record.path)
    if hasattr(record, "project"):
        return str(record.project.organisation.path)
    if hasattr(record, "organisation"):
        return str(record.organisation.path)
    if hasattr(record, "cohort"):
        return str(record.cohort.project.organisation.path)
    return ""


def _cohort_of(record: Any) -> Any:
    if hasattr(record, "jury"):
        return record
    return getattr(record, "cohort", None)


def is_juror(user: Any, record: Any) -> bool:
    """Named on the cohort's jury (and still holding a grant somewhere)."""
    cohort = _cohort_of(record)
    if cohort is None or not getattr(user, "is_authenticated", False):
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_youth_juror", {})
    if cohort.pk not in cache:
        cache[cohort.pk] = bool(has_any_grant(user)) and (cohort.jury.filter(pk=user.pk).exists())
    return cache[cohort.pk]


def forget_juror(user: Any) -> None:
    user.__dict__.pop("_youth_juror", None)


@rules.predicate
def manages(user: Any, record: Any = None) -> bool:
    """Staff of the running body (or of a body above it)."""
    if record is None:
        return has_role(user, STAFF_ROLES)
    return covers(user, STAFF_ROLES, body_path(record))


@rules.predicate
def reads(user: Any, record: Any = None) -> bool:
    """Staff and auditors of the running body's subtree."""
    if record is None:
        return has_role(user, PERSONAL_DATA_ROLES)
    return covers(user, PERSONAL_DATA_ROLES, body_path(record))


@rules.predicate
def judges(user: Any, record: Any = None) -> bool:
    return record is not None and is_juror(user, record)


rules.add_perm("youth.view", reads | judges)  # obj: project, cohort or application
rules.add_perm("youth.manage", manages)  # obj: the body, project, cohort or session
rules.add_perm("youth.score", judges)  # obj: cohort or application


def _juried(user: Any, field: str) -> Q:
    if not getattr(user, "is_authenticated", False) or not has_any_grant(user):
        return Q(pk__in=[])
    from .models import Cohort

    return Q(
        **{f"{field}__in": Cohort.jury.through.objects.filter(user_id=user.pk).values("cohort_id")}
    )


@scope_rule("youth.YouthProject")
def project_scope(user: Any) -> Q:
    from .models import Cohort

    juried = Cohort.objects.filter(_juried(user, "pk")).values("project_id")
    return tree_q(user, PERSONAL_DATA_ROLES, "organisation__path") | Q(pk__in=juried)


@scope_rule("youth.Cohort")
def cohort_scope(user: Any) -> Q:
    return tree_q(user, PERSONAL_DATA_ROLES, "project__organisation__path") | _juried(user, "pk")


@scope_rule("youth.Application")
def application_scope(user: Any) -> Q:
    return prefix_q(
        "cohort__project__organisation__path", roots(user, PERSONAL_DATA_ROLES)
    ) | _juried(user, "cohort_id")


@scope_rule("youth.Session")
def session_scope(user: Any) -> Q:
    return tree_q(user, PERSONAL_DATA_ROLES, "cohort__project__organisation__path")
