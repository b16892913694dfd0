"""Who may see and do what in people's diplomacy.

Requests, visits and ambassadors belong to the body that keeps them: staff of that body (or of a
body above it) register and change them; staff and auditors of the subtree read them. A
requester's contact is personal data: staff only (each read audited). Analysts see the figures,
never the register. Out of scope is "not found".
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from birlik.access.policies import (
    PERSONAL_DATA_ROLES,
    STAFF_ROLES,
    covers,
    has_role,
    roots,
    scope_rule,
    tree_q,
)


def body_path(record: Any) -> str:
    """The path of the keeping body of a request, visit, ambassador or activity (or a body)."""
    if hasattr(record, "path"):
        return str(record.path)
    if hasattr(record, "ambassador"):
        return str(record.ambassador.organisation.path)
    return str(record.organisation.path)


@rules.predicate
def keeps(user: Any, record: Any = None) -> bool:
    """Staff of the keeping body (or of a body above it)."""
    if record is None:
        return has_role(user, STAFF_ROLES)
    return covers(user, STAFF_ROLES, body_path(record))


@rules.predicate
def reads(user: Any, record: Any = None) -> bool:
    """Staff and auditors of the keeping body's subtree."""
    if record is None:
        return has_role(user, PERSONAL_DATA_ROLES)
    return covers(user, PERSONAL_DATA_ROLES, body_path(record))


rules.add_perm("diplomacy.view", reads)  # obj: a request, visit, ambassador or None (the lists)
rules.add_perm("diplomacy.manage", keeps)  # obj: the keeping body or one of its records
rules.add_perm("diplomacy.view_contact", keeps)  # obj: the request


def staff_paths(user: Any) -> list[str]:
    """The subtrees on which the user may keep records (and pick people, bodies, events)."""
    return roots(user, STAFF_ROLES)


@scope_rule("diplomacy.InternationalRequest")
def request_scope(user: Any) -> Q:
    return tree_q(user, PERSONAL_DATA_ROLES, "organisation__path")


@scope_rule("diplomacy.Visit")
def visit_scope(user: Any) -> Q:
    return tree_q(user, PERSONAL_DATA_ROLES, "organisation__path")


@scope_rule("diplomacy.Ambassador")
def ambassador_scope(user: Any) -> Q:
    return tree_q(user, PERSONAL_DATA_ROLES, "organisation__path")


@scope_rule("diplomacy.AmbassadorActivity")
def activity_scope(user: Any) -> Q:
    return tree_q(user, PERSONAL_DATA_ROLES, "ambassador__organisation__path")
