"""The region a point is in: the shipped boundaries of the 20 regions, read and prepared once per
process, so a look-up is done in memory (no query until the Region itself is wanted).

Used by the portal's "near me": a visitor's position (rounded to about 1 km) chooses the region
to search in. Nothing here stores or logs a position.
"""

from __future__ import annotations

import json
from functools import cache

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from .map import GEOJSON
from .models import Region


@cache
def _regions() -> tuple[tuple[str, BaseGeometry], ...]:
    """(ISO code, prepared boundary) of every region, the smallest first: a city of republican
    significance wins over the region around it should the boundaries ever overlap."""
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    regions = [(f["properties"]["iso"], shape(f["geometry"])) for f in features]
    for _iso, geometry in regions:
        shapely.prepare(geometry)
    return tuple(sorted(regions, key=lambda item: item[1].area))


def iso_at(latitude: float, longitude: float) -> str | None:
    """The ISO 3166-2 code of the region at this point (a point on a border: one of the regions
    it touches), or None outside Kazakhstan. In memory: no query."""
    for iso, geometry in _regions():
        # "Intersects" rather than "contains": a point on a boundary belongs to a region.
        if shapely.intersects_xy(geometry, longitude, latitude):
            return iso
    return None


def region_at(latitude: float, longitude: float) -> Region | None:
    """The region at this point, or None outside Kazakhstan (or a region not in the database)."""
    iso = iso_at(latitude, longitude)
    if iso is None:
        return None
    return Region.objects.filter(iso=iso).first()
