"""Background jobs of the platform core."""

from __future__ import annotations

from django.utils import translation
from django_tasks import task

from birlik.core import kpi
from birlik.core.models import FigureSnapshot
from birlik.geo.models import Region


@task()
def figures_snapshot(year: int, region_iso: str = "") -> int:
    """Recompute every indicator for a year (and region) and keep the result with its time."""
    region = Region.objects.get(iso=region_iso) if region_iso else None
    data = {}
    for lang in ("kk", "ru", "en"):
        with translation.override(lang):
            data[lang] = kpi.compute_all(kpi.Period.year(year), region)
    snapshot = FigureSnapshot.objects.create(year=year, region_iso=region_iso, data=data)
    kpi.invalidate()
    return snapshot.pk
