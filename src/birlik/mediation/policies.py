"""Who sees a mediation case: its assigned mediators and the head of its centre, nobody else.

National admins, coordinators, analysts and auditors see no case: they get anonymous counts
(``kpis``). The register of mediators is seen by staff of the centre's subtree.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from birlik.access.models import Role
from birlik.access.policies import (
    STAFF_ROLES,
    confidential_holder,
    covers,
    has_role,
    prefix_q,
    roots,
    scope_rule,
    tree_q,
)

HEAD = frozenset({Role.CENTRE_HEAD})


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def mediator_of(user: Any) -> Any:
    """The user's Mediator record (cached on the user), or None."""
    if not _signed_in(user):
        return None
    if not hasattr(user, "_birlik_mediator"):
        from .models import Mediator

        user._birlik_mediator = Mediator.objects.filter(user=user).first()
    return user._birlik_mediator


def heads_a_mediation_centre(user: Any) -> bool:
    """Holds ``centre_head`` on a mediation centre or council (cached on the user)."""
    if not has_role(user, HEAD):
        return False
    if not hasattr(user, "_birlik_heads_mediation"):
        from birlik.access.policies import grants_of
        from birlik.registry.models import Organisation

        from .models import CENTRE_KINDS

        ids = [grant.organisation_id for grant in grants_of(user) if grant.role in HEAD]
        user._birlik_heads_mediation = Organisation.objects.filter(
            pk__in=ids, kind__code__in=CENTRE_KINDS
        ).exists()
    return bool(user._birlik_heads_mediation)


@rules.predicate
def heads_centre(user: Any, obj: Any = None) -> bool:
    """A centre head: of the case's (or the body's) centre, or of any mediation centre or
    council when no object (a charity centre's head is not one)."""
    if obj is None:
        return heads_a_mediation_centre(user)
    centre = getattr(obj, "centre", obj)
    return covers(user, HEAD, str(centre.path))


@rules.predicate
def assigned_to(user: Any, case: Any = None) -> bool:
    if case is None or not _signed_in(user):
        return False
    return bool(case.assignments.filter(mediator__user=user).exists())


@rules.predicate
def is_mediator(user: Any) -> bool:
    return mediator_of(user) is not None


# A mediator reads the cases they are named on: a confidential role, second factor included.
confidential_holder(is_mediator)


@rules.predicate
def sees_mediators(user: Any, centre: Any = None) -> bool:
    if centre is None:
        return has_role(user, STAFF_ROLES) or mediator_of(user) is not None
    return covers(user, STAFF_ROLES, str(centre.path))


rules.add_perm("mediation.view_cases", heads_centre | is_mediator)
rules.add_perm("mediation.view_case", assigned_to | heads_centre)
rules.add_perm("mediation.handle_case", assigned_to | heads_centre)
rules.add_perm("mediation.assign", heads_centre)  # obj: the case
rules.add_perm("mediation.open_case", heads_centre | is_mediator)  # obj: the centre
rules.add_perm("mediation.export", heads_centre)
rules.add_perm("mediation.view_mediators", sees_mediators)
rules.add_perm("mediation.manage_mediators", heads_centre)  # obj: the centre


@scope_rule("mediation.MediationCase")
def case_scope(user: Any) -> Q:
    """Cases where the user is an assigned mediator, and every case of the centres they head."""
    if not _signed_in(user):
        return Q(pk__in=[])
    from .models import Assignment

    mine = Assignment.objects.filter(mediator__user=user).values("case_id")
    paths = roots(user, HEAD)
    q = Q(pk__in=mine)
    if paths:
        q |= prefix_q("centre__path", paths)
    return q


@scope_rule("mediation.Mediator")
def mediator_scope(user: Any) -> Q:
    q = tree_q(user, STAFF_ROLES, "centre__path")
    if _signed_in(user):
        q |= Q(user=user)
    return q
