"""Who does what on the Platform of creative solutions.

- Anyone reads published ideas, their supports count, published comments and answers.
- A signed-in account with a verified phone or e-mail submits ideas, supports (once per idea),
  and comments; staff accounts are accounts like any other for that.
- Staff (any staff role) of the body an idea or a call belongs to, or of a body above it,
  moderate its ideas and comments, merge duplicates, give the official answer and follow an
  accepted idea to its result; analysts and auditors covering it read the workspace lists.
- Managers (national administrators, regional coordinators) open calls for their subtree.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from birlik.access.models import Role
from birlik.access.policies import (
    MANAGER_ROLES,
    STAFF_ROLES,
    covers,
    has_role,
    scope_rule,
    tree_q,
)

READERS = STAFF_ROLES | {Role.ANALYST, Role.AUDITOR}


def _path(obj: Any) -> str:
    """The path of the body an ideas record belongs to (a body's own path for a body)."""
    own = getattr(obj, "path", None)
    if isinstance(own, str):
        return own
    organisation = getattr(obj, "organisation", None)
    if organisation is not None:
        return str(organisation.path)
    idea = getattr(obj, "idea", None)
    if idea is not None:
        return _path(idea)
    return ""


def _on(roles: frozenset[str]) -> Any:
    def predicate(user: Any, obj: Any = None) -> bool:
        if obj is None:
            return has_role(user, roles)
        path = _path(obj)
        return bool(path) and covers(user, roles, path)

    return predicate


@rules.predicate
def verified_account(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(user, "contact_verified", False)
    )


moderates = rules.predicate(_on(STAFF_ROLES), name="ideas_moderates")
reads = rules.predicate(_on(READERS), name="ideas_reads")
manages_calls = rules.predicate(_on(MANAGER_ROLES), name="ideas_manages_calls")

rules.add_perm("ideas.submit", verified_account)
rules.add_perm("ideas.support", verified_account)
rules.add_perm("ideas.comment", verified_account)
rules.add_perm("ideas.view_workspace", reads)  # obj: an idea, a call or a body
rules.add_perm("ideas.moderate", moderates)  # obj: an idea or a comment
rules.add_perm("ideas.merge", moderates)  # obj: the idea kept
rules.add_perm("ideas.answer", moderates)  # obj: an idea
rules.add_perm("ideas.follow_up", moderates)  # obj: an idea (milestones, result)
rules.add_perm("ideas.manage_calls", manages_calls)  # obj: a call or its body


@scope_rule("ideas.Idea")
def idea_scope(user: Any) -> Q:
    return tree_q(user, READERS, "organisation__path")


@scope_rule("ideas.Call")
def call_scope(user: Any) -> Q:
    return tree_q(user, READERS, "organisation__path")


@scope_rule("ideas.Comment")
def comment_scope(user: Any) -> Q:
    return tree_q(user, READERS, "idea__organisation__path")
