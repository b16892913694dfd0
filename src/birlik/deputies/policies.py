"""Who may see and do what with the initiatives of the deputy group and of Assembly members in
maslikhats.

An initiative belongs to the body that raised it (the deputy group or an assembly): staff of that
body, or of a body above it, draft it, move it through its stages, record its result and link
the proposals and appeals it came from; staff and auditors of that subtree read it (the authors
are people of the registry, so analysts are not among the readers: they get the figures). Out of
scope is "not found". The public page shows initiatives once submitted, without their authors.
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
    scope_rule,
    tree_q,
)


def body_path(record: Any) -> str:
    """The path of the raising body of an initiative (or of the body itself)."""
    path = getattr(record, "path", None)
    if isinstance(path, str):
        return path
    return str(record.organisation.path)


@rules.predicate
def keeps(user: Any, record: Any = None) -> bool:
    """Staff of the raising body (or of a body above it); ``record``: an initiative or a body."""
    if record is None:
        return has_role(user, STAFF_ROLES)
    return covers(user, STAFF_ROLES, body_path(record))


@rules.predicate
def reads(user: Any, record: Any = None) -> bool:
    """Staff and auditors of the raising body's subtree."""
    if record is None:
        return has_role(user, PERSONAL_DATA_ROLES)
    return covers(user, PERSONAL_DATA_ROLES, body_path(record))


rules.add_perm("deputies.view", reads)  # obj: an initiative, or None (the list)
rules.add_perm("deputies.manage", keeps)  # obj: an initiative or the raising body


def raising_bodies_q(user: Any) -> Q:
    """Bodies (``registry.Organisation``) in the user's staff subtrees."""
    return tree_q(user, STAFF_ROLES, "path")


@scope_rule("deputies.Initiative")
def initiative_scope(user: Any) -> Q:
    return tree_q(user, PERSONAL_DATA_ROLES, "organisation__path")
