"""Reads about accounts shared by the domain apps: who are the staff of a body to tell."""

from __future__ import annotations

from typing import Any

from .models import Grant, User
from .policies import STAFF_ROLES


def body_staff(organisation: Any, *, nearest: bool = False) -> list[User]:
    """Active staff holding a staff role on the body itself, with an e-mail, in a stable
    order; with ``nearest``, when the body has none, those of the nearest body above it that
    has some (a new district council is told through its region's assembly)."""
    steplen = organisation.steplen
    paths = (
        [organisation.path[: depth * steplen] for depth in range(organisation.depth, 0, -1)]
        if nearest
        else [organisation.path]
    )
    grants = (
        Grant.objects.filter(
            revoked_at__isnull=True,
            role__in=STAFF_ROLES,
            organisation__path__in=paths,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "organisation")
        .order_by("user_id")
    )
    found: dict[str, dict[int, User]] = {}
    for grant in grants:
        found.setdefault(grant.organisation.path, {})[grant.user_id] = grant.user
    for path in paths:
        if found.get(path):
            return list(found[path].values())
    return []
