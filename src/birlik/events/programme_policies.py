"""Who may do what with programmes (slice ``programmes``).

Programmes and their figures are open to every holder of a grant. A body joins or leaves a
programme by its own staff or by a manager whose subtree covers it (a regional coordinator, a
national administrator); partners of programmes are kept by the national administrators.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from birlik.access.policies import (
    ALL_ROLES,
    has_any_grant,
    is_national_admin,
    is_staff_on,
    prefix_q,
    roots,
    scope_rule,
)

rules.add_perm("events.view_programmes", has_any_grant)
rules.add_perm("events.join_programme", is_staff_on)  # obj: the body that joins or leaves
rules.add_perm("events.manage_programme_partners", is_national_admin)


@scope_rule("events.ProgrammeMembership")
def programme_membership_scope(user: Any) -> Q:
    """The memberships of the bodies of the user's subtrees."""
    return prefix_q("organisation__path", roots(user, ALL_ROLES))
