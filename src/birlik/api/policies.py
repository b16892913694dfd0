"""Who may make and revoke integration tokens, and which tokens each manager sees.

A token acts for a body through a grant, so making one is giving a role: national admins and
regional coordinators do it within their own subtree (``access.policies.can_grant``).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from birlik.access.policies import MANAGER_ROLES, is_manager_on, scope_rule, tree_q

rules.add_perm("api.manage_tokens", is_manager_on)  # obj: the body the integration acts for


@scope_rule("api.ApiToken")
def token_scope(user: Any) -> Q:
    """Tokens of integrations acting for bodies of the user's manager subtrees."""
    return tree_q(user, MANAGER_ROLES, "organisation__path")
