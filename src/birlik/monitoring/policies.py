"""Who sees what of early warning.

Items, stories and dashboards: analysts and national administrators see every region;
a regional coordinator sees what names a place in their regions. Alerts: the same readers,
and the staff of the bodies an alert was routed to (the region's assembly and house of
friendship). Labels, risk models, keyword and alert rules: analysts and national
administrators holding their role on the whole network. The journalists' club's register:
the club's staff and national administrators. Risk signals never reach the public.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from birlik.access.models import Role
from birlik.access.policies import STAFF_ROLES, grants_of, has_role, prefix_q, roots, scope_rule

READERS = frozenset({Role.NATIONAL_ADMIN, Role.ANALYST, Role.REGIONAL_COORDINATOR})
TRAINERS = frozenset({Role.NATIONAL_ADMIN, Role.ANALYST})
RESPONDERS = frozenset({Role.NATIONAL_ADMIN, Role.REGIONAL_COORDINATOR}) | STAFF_ROLES
CLUB_KIND = "journalists_club"
# A grant on the root body (one step of the path) holds on the whole network.
ROOT_PATH_LENGTH = 4


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def regions_of(user: Any, roles: frozenset[str] = READERS) -> frozenset[int] | None:
    """The regions whose media the user reads: None for the whole country, else region ids
    (empty when the user holds none of ``roles``). Cached on the user per role set."""
    if not _signed_in(user):
        return frozenset()
    cache: dict[frozenset[str], frozenset[int] | None] = user.__dict__.setdefault(
        "_birlik_monitoring_regions", {}
    )
    if roles in cache:
        return cache[roles]
    paths = roots(user, roles)
    result: frozenset[int] | None
    if any(len(path) <= ROOT_PATH_LENGTH for path in paths):
        result = None
    elif not paths:
        result = frozenset()
    else:
        from birlik.registry.models import Organisation

        ids = [g.organisation_id for g in grants_of(user) if g.role in roles]
        result = frozenset(
            r
            for r in Organisation.objects.filter(pk__in=ids).values_list("region_id", flat=True)
            if r is not None
        )
    cache[roles] = result
    return result


def national(user: Any, roles: frozenset[str]) -> bool:
    return any(len(path) <= ROOT_PATH_LENGTH for path in roots(user, roles))


def covers_region(user: Any, region_id: int | None, roles: frozenset[str] = READERS) -> bool:
    regions = regions_of(user, roles)
    if regions is None:
        return has_role(user, roles)
    return region_id is not None and region_id in regions


@rules.predicate
def reads_media(user: Any, obj: Any = None) -> bool:
    if not has_role(user, READERS):
        return False
    if obj is None:
        return True
    regions = regions_of(user)
    if regions is None:
        return True
    region_ids = getattr(obj, "region_ids", None)
    if region_ids is None:
        return False
    return bool(set(region_ids) & regions)


@rules.predicate
def trains_models(user: Any) -> bool:
    return national(user, TRAINERS)


@rules.predicate
def labels_items(user: Any) -> bool:
    return has_role(user, TRAINERS)


@rules.predicate
def manages_sources(user: Any) -> bool:
    return national(user, TRAINERS)


def _routed_bodies_covered(user: Any, alert: Any) -> bool:
    paths = roots(user, STAFF_ROLES)
    if not paths:
        return False
    return any(str(org.path).startswith(root) for org in alert.routed_to.all() for root in paths)


@rules.predicate
def sees_alerts(user: Any, alert: Any = None) -> bool:
    if alert is None:
        return has_role(user, READERS | STAFF_ROLES)
    return covers_region(user, alert.region_id) or _routed_bodies_covered(user, alert)


@rules.predicate
def handles_alert(user: Any, alert: Any = None) -> bool:
    """The region's coordinator, a national administrator, or staff of a body it was routed
    to; analysts read alerts but do not answer them."""
    if alert is None:
        return has_role(user, RESPONDERS)
    if covers_region(user, alert.region_id, frozenset({Role.REGIONAL_COORDINATOR})):
        return True
    if national(user, frozenset({Role.NATIONAL_ADMIN})):
        return True
    return _routed_bodies_covered(user, alert)


def _club_paths(user: Any) -> list[str]:
    if not hasattr(user, "_birlik_club_paths"):
        from birlik.registry.models import Organisation

        ids = [g.organisation_id for g in grants_of(user) if g.role in STAFF_ROLES]
        user._birlik_club_paths = list(
            Organisation.objects.filter(pk__in=ids, kind__code=CLUB_KIND).values_list(
                "path", flat=True
            )
        )
    return list(user._birlik_club_paths)


@rules.predicate
def keeps_club_register(user: Any) -> bool:
    if not _signed_in(user):
        return False
    return national(user, frozenset({Role.NATIONAL_ADMIN})) or bool(_club_paths(user))


@rules.predicate
def reads_club_register(user: Any) -> bool:
    return bool(keeps_club_register(user)) or national(user, frozenset({Role.ANALYST}))


rules.add_perm("monitoring.view_items", reads_media)  # obj: an item or story (region_ids)
rules.add_perm("monitoring.label", labels_items)
rules.add_perm("monitoring.manage_models", trains_models)
rules.add_perm("monitoring.manage_sources", manages_sources)
rules.add_perm("monitoring.view_sources", reads_media)
rules.add_perm("monitoring.enter_item", reads_media)
rules.add_perm("monitoring.manage_rules", trains_models)
rules.add_perm("monitoring.view_alerts", sees_alerts)
rules.add_perm("monitoring.handle_alert", handles_alert)
rules.add_perm("monitoring.view_club", reads_club_register)
rules.add_perm("monitoring.register_club", keeps_club_register)


def _region_q(field: str, user: Any) -> Q:
    regions = regions_of(user)
    if regions is None:
        return Q() if has_role(user, READERS) else Q(pk__in=[])
    return Q(**{f"{field}__in": sorted(regions)})


@scope_rule("monitoring.Item")
def item_scope(user: Any) -> Q:
    from .models import ItemPlace

    regions = regions_of(user)
    if regions is None:
        return Q() if has_role(user, READERS) else Q(pk__in=[])
    return Q(pk__in=ItemPlace.objects.filter(region_id__in=sorted(regions)).values("item_id"))


@scope_rule("monitoring.Story")
def story_scope(user: Any) -> Q:
    from .models import Story

    regions = regions_of(user)
    if regions is None:
        return Q() if has_role(user, READERS) else Q(pk__in=[])
    through = Story.regions.through.objects.filter(region_id__in=sorted(regions))
    return Q(pk__in=through.values("story_id"))


@scope_rule("monitoring.Alert")
def alert_scope(user: Any) -> Q:
    from .models import Alert

    if regions_of(user) is None and has_role(user, READERS):
        return Q()
    q = _region_q("region_id", user)
    paths = roots(user, STAFF_ROLES)
    if paths:
        routed = Alert.routed_to.through.objects.filter(prefix_q("organisation__path", paths))
        q |= Q(pk__in=routed.values("alert_id"))
    return q


@scope_rule("monitoring.ClubPublication")
def club_scope(user: Any) -> Q:
    if national(user, frozenset({Role.NATIONAL_ADMIN, Role.ANALYST})):
        return Q()
    paths = _club_paths(user) if _signed_in(user) else []
    if not paths:
        return Q(pk__in=[])
    return prefix_q("organisation__path", paths) | Q(organisation__isnull=True, created_by=user)
