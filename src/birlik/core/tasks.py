"""Background jobs of the platform core."""

from __future__ import annotations

from django.apps import apps
from django.utils import translation
from django_tasks import task

from birlik.core import kpi
from birlik.core.models import FigureSnapshot


@task()
def figures_snapshot(year: int, region_iso: str = "") -> int:
    """Recompute every indicator for a year (and region) and keep the result with its time."""
    # The region by name: core is the base layer and imports no app above it.
    region_model = apps.get_model("geo", "Region")
    region = region_model.objects.get(iso=region_iso) if region_iso else None
    data = {}
    for lang in ("kk", "ru", "en"):
        with translation.override(lang):
            data[lang] = kpi.compute_all(kpi.Period.year(year), region)
    snapshot = FigureSnapshot.objects.create(year=year, region_iso=region_iso, data=data)
    kpi.invalidate()
    return snapshot.pk


@task()
def rate_counters_purge() -> int:
    """Drop the rate limiter's counters whose window has closed (run daily)."""
    from birlik.core import ratelimit

    return ratelimit.purge_expired()
