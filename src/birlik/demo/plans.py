"""Demo plans: an approved national plan for the previous year and one for the current year,
with targets per region for the main indicators, set so that the actual figures land between
about 80 % and 120 % of them."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

# (username, description) of the demo logins this module creates; printed by `birlik demo`.
# The plans use the national administrator and coordinators created by the core demo.
LOGINS: list[tuple[str, str]] = []

# Main indicators with a target per region; charity ones join when that app registers them.
MAIN_INDICATORS = ("events.events", "events.participants", "appeals.answered_on_time")
CHARITY_CANDIDATES = (
    "charity.projects",
    "charity.projects_completed",
    "charity.projects_by_region",
)


def _titles(year: int) -> dict[str, str]:
    return {
        "title_kk": f"Ассамблеяның {year} жылғы жоспары",
        "title_ru": f"План Ассамблеи на {year} год",
        "title_en": f"Plan of the Assembly for {year}",
    }


def _indicators() -> list[str]:
    from birlik.core import kpi

    known = {item.key for item in kpi.indicators()}
    keys = [key for key in MAIN_INDICATORS if key in known]
    keys += [key for key in CHARITY_CANDIDATES if key in known][:1]
    return keys


def demo_plans_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo plans records once; returns {what: count}, or {} if they were there."""
    from birlik.access.models import Grant, Role
    from birlik.geo.models import Region
    from birlik.reports import queries
    from birlik.reports.models import Plan, Target
    from birlik.reports.services import plan_period

    today = timezone.localdate()
    years = (today.year - 1, today.year)
    if Plan.objects.filter(year__in=years).exists():
        return {}
    from birlik.appeals.rollups import appeal_figures_rebuild
    from birlik.events.services import event_figures_rebuild

    # The demo's events and appeals were written in bulk: build the dashboards' rollups once.
    rollup = event_figures_rebuild()
    appeal_figures_rebuild()
    admin_grant = (
        Grant.objects.filter(role=Role.NATIONAL_ADMIN, revoked_at__isnull=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    approver = admin_grant.user if admin_grant else None
    rng = random.Random(seed * 31 + 7)
    regions = list(Region.objects.all())
    targets: list[Target] = []
    plans = 0
    with transaction.atomic():
        for year in years:
            plan = Plan.objects.create(
                year=year,
                **_titles(year),
                status=Plan.Status.APPROVED,
                approved_by=approver,
                approved_at=timezone.make_aware(datetime.datetime(year, 1, 20, 11, 0)),
                created_by=approver,
            )
            plans += 1
            period = plan_period(plan)
            # The current year is not over: its targets are for the whole year.
            elapsed = min(1.0, ((today - period.start).days + 1) / 365) if year == today.year else 1
            for key in _indicators():
                actual = queries.actual_by_region(key, period=period)
                national = 0
                for region in regions:
                    value = (actual.get(region.iso) or 0) / max(elapsed, 0.05)
                    target = round(value / rng.uniform(0.8, 1.2)) if value else 0
                    if target <= 0:
                        continue
                    national += target
                    targets.append(
                        Target(plan=plan, indicator=key, region=region, value=Decimal(target))
                    )
                if national:
                    targets.append(Target(plan=plan, indicator=key, value=Decimal(national)))
        Target.objects.bulk_create(targets)
    return {"plans": plans, "plan targets": len(targets), "event figure rows": rollup}
