"""Who sees which figures and who manages plans.

Figures are aggregates, so every holder of a grant may open the staff dashboard, but only for
the regions of their grants: a grant on a national body (the secretariat, or any body without a
region) shows the whole country; a grant on a regional body shows that region. Another region
answers 404. Plans are national: the national administrator writes and approves them.
"""

from __future__ import annotations

from typing import Any

import rules
from django.http import Http404

from birlik.access.policies import ALL_ROLES, grants_of, has_any_grant, is_national_admin, roots
from birlik.geo.models import Region
from birlik.registry.models import Organisation

rules.add_perm("reports.view_dashboard", has_any_grant)
rules.add_perm("reports.view_plans", has_any_grant)
rules.add_perm("reports.manage_plans", is_national_admin)


def visible_regions(user: Any) -> list[Region] | None:
    """The regions whose figures the user may see; ``None`` means all of them (national)."""
    cached: list[Region] | None | str = getattr(user, "_birlik_report_regions", "unset")
    if cached != "unset":
        return cached  # type: ignore[return-value]
    result: list[Region] | None
    if not grants_of(user):
        result = []
    else:
        bodies = Organisation.objects.filter(path__in=roots(user, ALL_ROLES)).values_list(
            "depth", "region_id"
        )
        if any(depth == 1 or region_id is None for depth, region_id in bodies):
            result = None
        else:
            ids = {region_id for _depth, region_id in bodies}
            result = list(Region.objects.filter(pk__in=ids).order_by("kato"))
    user._birlik_report_regions = result
    return result


def sees_nation(user: Any) -> bool:
    return visible_regions(user) is None


def region_or_404(user: Any, region: Region | None) -> Region | None:
    """The region a user asked for, checked against their grants; a coordinator who asks for
    nothing gets their own region (the only one they may see)."""
    allowed = visible_regions(user)
    if allowed is None:
        return region
    if region is None:
        if len(allowed) == 1:
            return allowed[0]
        if not allowed:
            raise Http404
        return allowed[0]
    if region.pk not in {item.pk for item in allowed}:
        raise Http404
    return region
