"""Who may see and do what in charity.

The register of requests (number, category, status, amounts, district) is visible to staff
and auditors of the centre's subtree; projects and their ledgers also to analysts. The
beneficiary's personal data, the private need, documents and proofs of delivery only to the
caseworkers named on the request and to the heads (``centre_head``) of the centre — everyone
else gets a 404. A donor's contact: the worker who recorded the gift, the caseworkers of the
request it was given for, and the heads of the centre.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from birlik.access.models import Role
from birlik.access.policies import (
    PERSONAL_DATA_ROLES,
    STAFF_ROLES,
    confidential_holder,
    covers,
    has_role,
    scope_rule,
    tree_q,
)

HEAD = frozenset({Role.CENTRE_HEAD})
REGISTER_ROLES = PERSONAL_DATA_ROLES  # staff of every kind and auditors
PROJECT_ROLES = PERSONAL_DATA_ROLES | {Role.ANALYST}


def _centre_path(record: Any) -> str:
    centre = getattr(record, "centre", None)
    if centre is None:
        centre = record.request.centre if hasattr(record, "request") else record
    return str(centre.path)


def is_head_of(user: Any, record: Any) -> bool:
    return covers(user, HEAD, _centre_path(record))


def is_named_on(user: Any, help_request: Any) -> bool:
    if help_request is None or not getattr(user, "is_authenticated", False):
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_charity_named", {})
    if help_request.pk not in cache:
        cache[help_request.pk] = help_request.workers.filter(user=user).exists()
    return cache[help_request.pk]


def forget_named(user: Any) -> None:
    user.__dict__.pop("_charity_named", None)


@rules.predicate
def sees_register(user: Any, record: Any = None) -> bool:
    if record is None:
        return has_role(user, REGISTER_ROLES)
    return covers(user, REGISTER_ROLES, _centre_path(record))


@rules.predicate
def sees_projects(user: Any, record: Any = None) -> bool:
    if record is None:
        return has_role(user, PROJECT_ROLES)
    return covers(user, PROJECT_ROLES, _centre_path(record))


@confidential_holder
def is_caseworker(user: Any) -> bool:
    """Named on at least one help request: a reader of beneficiaries' data."""
    if not getattr(user, "is_authenticated", False):
        return False
    from .models import RequestWorker

    return bool(RequestWorker.objects.filter(user=user).exists())


@rules.predicate
def works_at(user: Any, record: Any = None) -> bool:
    """Staff of the centre (or above it)."""
    if record is None:
        return has_role(user, STAFF_ROLES)
    return covers(user, STAFF_ROLES, _centre_path(record))


@rules.predicate
def heads(user: Any, record: Any = None) -> bool:
    if record is None:
        return has_role(user, HEAD)
    return is_head_of(user, record)


@rules.predicate
def named_or_head(user: Any, help_request: Any = None) -> bool:
    """The beneficiary's data: caseworkers named on the request and heads of the centre."""
    if help_request is None:
        return False
    return is_head_of(user, help_request) or (
        is_named_on(user, help_request) and works_at(user, help_request)
    )


@rules.predicate
def sees_donor(user: Any, donation: Any = None) -> bool:
    if donation is None:
        return False
    if is_head_of(user, donation):
        return True
    if not works_at(user, donation):
        return False
    if donation.recorded_by_id is not None and donation.recorded_by_id == user.pk:
        return True
    return donation.request_id is not None and is_named_on(user, donation.request)


@rules.predicate
def decides_pledge(user: Any, pledge: Any = None) -> bool:
    if pledge is None:
        return False
    return bool(named_or_head(user, pledge.request))


rules.add_perm("charity.view_register", sees_register)  # obj: request, project or centre
rules.add_perm("charity.view_projects", sees_projects)  # obj: project or centre
rules.add_perm("charity.intake", works_at)  # obj: the centre
rules.add_perm("charity.manage_project", works_at)  # obj: project or centre
rules.add_perm("charity.record_donation", works_at)  # obj: project
rules.add_perm("charity.assign", heads)  # obj: request
rules.add_perm("charity.view_personal", named_or_head)  # obj: request
rules.add_perm("charity.handle", named_or_head)  # obj: request
rules.add_perm("charity.view_donor", sees_donor)  # obj: donation
rules.add_perm("charity.decide_pledge", decides_pledge)  # obj: pledge


def _centres_of(user: Any, roles: frozenset[str]) -> Q:
    return tree_q(user, roles, "centre__path")


@scope_rule("charity.HelpRequest")
def request_scope(user: Any) -> Q:
    return _centres_of(user, REGISTER_ROLES)


@scope_rule("charity.Project")
def project_scope(user: Any) -> Q:
    return _centres_of(user, PROJECT_ROLES)


@scope_rule("charity.Donation")
def donation_scope(user: Any) -> Q:
    return _centres_of(user, PROJECT_ROLES)


@scope_rule("charity.Distribution")
def distribution_scope(user: Any) -> Q:
    return tree_q(user, PROJECT_ROLES, "project__centre__path")


@scope_rule("charity.Pledge")
def pledge_scope(user: Any) -> Q:
    """Pledges carry a donor's contact: caseworkers of the request and heads of the centre."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    from .models import RequestWorker

    mine = RequestWorker.objects.filter(user=user).values("request_id")
    named = Q(request_id__in=mine) & tree_q(user, STAFF_ROLES, "request__centre__path")
    return named | tree_q(user, HEAD, "request__centre__path")


@scope_rule("charity.Beneficiary")
def beneficiary_scope(user: Any) -> Q:
    """Rows whose personal data this user may read (each read is still audited)."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    from .models import RequestWorker

    mine = RequestWorker.objects.filter(user=user).values("request_id")
    named = Q(request_id__in=mine) & tree_q(user, STAFF_ROLES, "request__centre__path")
    return named | tree_q(user, HEAD, "request__centre__path")
