"""Who may handle appeals and proposals, and which rows each user sees.

The register (number, kind, dates, status) is visible to staff and auditors of the body's
subtree and to analysts as counts; the applicant's data and the text only to the handlers
named on the appeal (``AppealHandler``) — see ``sees_appeal_content``.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from birlik.access.policies import (
    MANAGER_ROLES,
    PERSONAL_DATA_ROLES,
    STAFF_ROLES,
    covers,
    has_role,
    is_staff_on,
    prefix_q,
    roots,
    scope_rule,
    tree_q,
    whole_tree_of,
)


def _path(record: Any) -> str:
    return str(record.organisation.path)


@rules.predicate
def works_appeals_of(user: Any, appeal: Any = None) -> bool:
    """Staff of the body the appeal is addressed to (or of a body above it)."""
    if appeal is None:
        return has_role(user, STAFF_ROLES)
    return covers(user, STAFF_ROLES, _path(appeal))


@rules.predicate
def is_named_on(user: Any, appeal: Any = None) -> bool:
    if appeal is None or not getattr(user, "is_authenticated", False):
        return False
    return appeal.handlers.filter(user=user).exists()


@rules.predicate
def supervises(user: Any, appeal: Any = None) -> bool:
    """Coordinators and national admins above the body: they may take an appeal on."""
    if appeal is None:
        return has_role(user, MANAGER_ROLES)
    return covers(user, MANAGER_ROLES, _path(appeal))


@rules.predicate
def staff_of_proposal(user: Any, proposal: Any = None) -> bool:
    if proposal is None:
        return has_role(user, STAFF_ROLES)
    return covers(user, STAFF_ROLES, _path(proposal))


rules.add_perm("appeals.register_appeal", is_staff_on)  # obj: the body (paper appeals)


@rules.predicate
def sees_register(user: Any, appeal: Any = None) -> bool:
    """The register (number, kind, dates, status): staff and auditors of the subtree."""
    if appeal is None:
        return has_role(user, PERSONAL_DATA_ROLES)
    return covers(user, PERSONAL_DATA_ROLES, _path(appeal))


rules.add_perm("appeals.view_register", sees_register)
rules.add_perm("appeals.view_content", is_named_on)
rules.add_perm("appeals.take_on", works_appeals_of)
rules.add_perm("appeals.handle", is_named_on & works_appeals_of)
rules.add_perm("appeals.approve_answer", is_named_on & supervises | is_named_on & works_appeals_of)
rules.add_perm("appeals.view_proposal", staff_of_proposal)
rules.add_perm("appeals.draft_proposal", is_staff_on)  # obj: the body
rules.add_perm("appeals.change_proposal", staff_of_proposal)
# The chair approves: staff of the body other than the drafter (checked by the service).
rules.add_perm("appeals.approve_proposal", staff_of_proposal)


@scope_rule("appeals.Appeal")
def appeal_scope(user: Any) -> Q:
    """The register: appeals to bodies of the user's staff/auditor subtrees.

    As ``organisation_id IN (bodies of the subtrees)`` rather than a join on the path, so the
    inbox can walk its (status, effective_due) index in order and stop at the page."""
    from birlik.registry.models import Organisation

    if whole_tree_of(user, PERSONAL_DATA_ROLES):
        return Q(pk__isnull=False)  # not Q(): it may be or-ed with another condition
    paths = roots(user, PERSONAL_DATA_ROLES)
    bodies = Organisation.objects.filter(prefix_q("path", paths))
    return Q(organisation__in=bodies.values("pk"))


@scope_rule("appeals.Proposal")
def proposal_scope(user: Any) -> Q:
    return tree_q(user, PERSONAL_DATA_ROLES | {"analyst"}, "organisation__path")
