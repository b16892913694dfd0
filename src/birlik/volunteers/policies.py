"""Who may do what with volunteers, and which calls, sign-ups and profiles each user sees.

A call belongs to its body: staff of the body (or of a body above it) publish it, change it,
check volunteers in and out and enter their hours. A volunteer's profile is personal data: its
owner, and the staff of the bodies whose calls the volunteer signed up for, read it; nobody
else (analysts and auditors included) — out of scope is "not found".
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from birlik.access.policies import (
    STAFF_ROLES,
    covers,
    has_role,
    prefix_q,
    roots,
    scope_rule,
    tree_q,
)


def _body_path(record: Any) -> str:
    organisation = getattr(record, "organisation", None)
    if organisation is None and hasattr(record, "call"):
        organisation = record.call.organisation
    return str((organisation or record).path)


@rules.predicate
def runs_call(user: Any, record: Any = None) -> bool:
    """Staff of the call's body (or above it); ``record``: a call, a sign-up or the body."""
    if record is None:
        return has_role(user, STAFF_ROLES)
    return covers(user, STAFF_ROLES, _body_path(record))


@rules.predicate
def sees_profile(user: Any, profile: Any = None) -> bool:
    if profile is None or not getattr(user, "is_authenticated", False):
        return False
    if profile.user_id == user.pk:
        return True
    from .models import Profile

    return bool(Profile.objects.filter(profile_scope_q(user), pk=profile.pk).exists())


@rules.predicate
def owns_profile(user: Any, profile: Any = None) -> bool:
    return (
        profile is not None
        and getattr(user, "is_authenticated", False)
        and profile.user_id == user.pk
    )


rules.add_perm("volunteers.view_calls", runs_call)  # obj: a call or None (the list)
rules.add_perm("volunteers.add_call", runs_call)  # obj: the body calling for volunteers
rules.add_perm("volunteers.change_call", runs_call)  # obj: the call
rules.add_perm("volunteers.record_hours", runs_call)  # obj: the call or the sign-up
rules.add_perm("volunteers.view_profile", sees_profile)  # obj: the profile
rules.add_perm("volunteers.change_profile", owns_profile)  # obj: the profile


def profile_scope_q(user: Any) -> Q:
    """Profiles of volunteers signed up (now or before, with hours) for a call of the user's
    subtrees."""
    paths = roots(user, STAFF_ROLES)
    if not paths:
        return Q(pk__in=[])
    from .models import SignUp

    signed = SignUp.objects.filter(prefix_q("call__organisation__path", paths)).filter(
        ~Q(status=SignUp.Status.CANCELLED) | Q(minutes__gt=0)
    )
    return Q(pk__in=signed.values("profile_id"))


@scope_rule("volunteers.Call")
def call_scope(user: Any) -> Q:
    return tree_q(user, STAFF_ROLES, "organisation__path")


@scope_rule("volunteers.SignUp")
def signup_scope(user: Any) -> Q:
    return tree_q(user, STAFF_ROLES, "call__organisation__path")


@scope_rule("volunteers.Profile")
def profile_scope(user: Any) -> Q:
    return profile_scope_q(user)
