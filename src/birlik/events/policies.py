"""Who may do what with events, and which events and registrations each user sees.

An event belongs to its organiser: staff of the organiser (or of a body above it) manage it;
staff of a co-organiser may report attendance and check people in. Registrations hold personal
data: only staff and auditors of the organiser's subtree see them.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from birlik.access.policies import (
    ALL_ROLES,
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


def _organiser_path(event: Any) -> str:
    return str(event.organiser.path)


@rules.predicate
def manages_event(user: Any, event: Any = None) -> bool:
    if event is None:
        return has_role(user, STAFF_ROLES)
    return covers(user, STAFF_ROLES, _organiser_path(event))


@rules.predicate
def runs_event(user: Any, event: Any = None) -> bool:
    """Organiser's or co-organiser's staff: the people at the door."""
    if event is None:
        return has_role(user, STAFF_ROLES)
    if covers(user, STAFF_ROLES, _organiser_path(event)):
        return True
    return any(covers(user, STAFF_ROLES, str(body.path)) for body in event.co_organisers.all())


@rules.predicate
def sees_registrations(user: Any, event: Any = None) -> bool:
    if event is None:
        return has_role(user, PERSONAL_DATA_ROLES)
    return covers(user, PERSONAL_DATA_ROLES, _organiser_path(event))


rules.add_perm("events.add_event", is_staff_on)  # obj: the organising body
rules.add_perm("events.change_event", manages_event)
rules.add_perm("events.cancel_event", manages_event)
rules.add_perm("events.report_event", runs_event)
rules.add_perm("events.check_in", runs_event)
rules.add_perm("events.view_registrations", sees_registrations)
rules.add_perm("events.register_people", runs_event)


@scope_rule("events.Event")
def event_scope(user: Any) -> Q:
    """Events organised by a body of the user's subtrees, or co-organised by one (every event
    has its organiser: a scope of the whole tree is every event)."""
    if whole_tree_of(user, ALL_ROLES):
        return Q(pk__isnull=False)  # not Q(): it may be or-ed with another condition
    paths = roots(user, ALL_ROLES)
    return prefix_q("organiser__path", paths) | Q(pk__in=_co_organised(paths))


def _co_organised(paths: list[str]) -> Any:
    from .models import Event

    return Event.co_organisers.through.objects.filter(prefix_q("organisation__path", paths)).values(
        "event_id"
    )


@scope_rule("events.Registration")
def registration_scope(user: Any) -> Q:
    return tree_q(user, PERSONAL_DATA_ROLES, "event__organiser__path")


@scope_rule("events.EventReport")
def report_scope(user: Any) -> Q:
    return tree_q(user, ALL_ROLES, "event__organiser__path")
