"""Who may ask for the annual report, and which reports each user sees and downloads.

National administrators and analysts holding their role on a top-level body ask for the national
report and any region's; a regional coordinator (or an analyst or administrator whose grant is on
a body of one region) gets that region's report only. The figures are aggregates, not personal
data, so the rule is about territory: a run is seen by those who could have asked for it.
Open data is public and needs no rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import Q

from birlik.access.models import Role
from birlik.access.policies import grants_of, scope_rule

REPORT_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.ANALYST, Role.REGIONAL_COORDINATOR})


@dataclass(frozen=True)
class ReportScope:
    national: bool
    regions: frozenset[str]  # ISO codes

    def covers(self, region_iso: str | None) -> bool:
        if self.national:
            return True
        return region_iso is not None and region_iso in self.regions

    @property
    def any(self) -> bool:
        return self.national or bool(self.regions)


def report_scope(user: Any) -> ReportScope:
    """The territory whose reports the user may ask for, read once per request."""
    cached: ReportScope | None = getattr(user, "_birlik_report_scope", None)
    if cached is not None:
        return cached
    from birlik.registry.models import Organisation

    grants = [g for g in grants_of(user) if g.role in REPORT_ROLES]
    national = any(len(g.path) == Organisation.steplen for g in grants)
    regions: frozenset[str] = frozenset()
    if grants and not national:
        regions = frozenset(
            iso
            for iso in Organisation.objects.filter(
                pk__in=[g.organisation_id for g in grants], region__isnull=False
            ).values_list("region__iso", flat=True)
            if iso
        )
    scope = ReportScope(national=national, regions=regions)
    if user is not None and getattr(user, "is_authenticated", False):
        user._birlik_report_scope = scope
    return scope


@rules.predicate
def may_request_report(user: Any, region: Any = None) -> bool:
    """Without a region: may ask for some report. With ``"national"`` or a Region: for that."""
    scope = report_scope(user)
    if region is None:
        return scope.any
    if region == "national":
        return scope.national
    return scope.covers(getattr(region, "iso", None))


@rules.predicate
def sees_report_run(user: Any, run: Any = None) -> bool:
    scope = report_scope(user)
    if run is None:
        return scope.any
    return scope.covers(run.region.iso if run.region_id else None)


rules.add_perm("report_documents.request_report", may_request_report)
rules.add_perm("report_documents.view_report", sees_report_run)


@scope_rule("report_documents.ReportRun")
def report_run_scope(user: Any) -> Q:
    scope = report_scope(user)
    if scope.national:
        return Q()
    if not scope.regions:
        return Q(pk__in=[])
    return Q(region__iso__in=sorted(scope.regions))
