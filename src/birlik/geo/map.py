"""The choropleth of the 20 regions: SVG paths from the shipped boundaries, computed once.

The boundaries are projected with an equirectangular projection whose x axis is scaled by the
cosine of the mean latitude (so Kazakhstan keeps its shape), then fitted into a fixed viewBox.
Paths use relative coordinates in tenths of a unit: lossless at that precision, and about half
the size of absolute ones.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GEOJSON = Path(__file__).resolve().parent / "data" / "kz-regions.geojson"
WIDTH = 1000
MARGIN = 5
# ColorBrewer "Blues", 5 classes (sequential, colour-blind safe); class 0 is "no active body".
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")

Ring = Sequence[Sequence[float]]


@dataclass(frozen=True)
class MapShape:
    view_box: str
    paths: dict[str, str]  # ISO 3166-2 code -> SVG path data


@dataclass(frozen=True)
class MapClass:
    index: int
    colour: str
    low: int
    high: int


def _rings(geometry: dict) -> Iterable[Ring]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def _format(tenths: int) -> str:
    sign = "-" if tenths < 0 else ""
    whole, frac = divmod(abs(tenths), 10)
    if not frac:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{frac}"


def _join(numbers: Iterable[str]) -> str:
    """Numbers separated as SVG allows: no space is needed before a minus sign."""
    out = ""
    for number in numbers:
        out += number if not out or number.startswith("-") else " " + number
    return out


def _path(rings: Iterable[list[tuple[int, int]]]) -> str:
    parts: list[str] = []
    current: tuple[int, int] | None = None
    for ring in rings:
        # Drop repeated points (and the closing point, which "z" stands for).
        points = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
        if len(points) > 1 and points[-1] == points[0]:
            points.pop()
        if len(points) < 3:
            continue
        x, y = points[0]
        if current is None:
            parts.append("M" + _join([_format(x), _format(y)]))
        else:
            parts.append("m" + _join([_format(x - current[0]), _format(y - current[1])]))
        deltas = [
            _format(value)
            for (px, py), (qx, qy) in zip(points, points[1:], strict=False)
            for value in (qx - px, qy - py)
        ]
        parts.append("l" + _join(deltas) + "z")
        # After "z" the current point is the first point of the ring just closed.
        current = (x, y)
    return "".join(parts)


@cache
def shape() -> MapShape:
    """The projected paths of the 20 regions, read once per process."""
    features = json.loads(GEOJSON.read_text(encoding="utf-8"))["features"]
    points = [(lon, lat) for f in features for ring in _rings(f["geometry"]) for lon, lat in ring]
    min_lon = min(p[0] for p in points)
    max_lon = max(p[0] for p in points)
    min_lat = min(p[1] for p in points)
    max_lat = max(p[1] for p in points)
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = (WIDTH - 2 * MARGIN) / ((max_lon - min_lon) * kx)
    height = round((max_lat - min_lat) * scale + 2 * MARGIN)

    def project(lon: float, lat: float) -> tuple[int, int]:
        x = MARGIN + (lon - min_lon) * kx * scale
        y = MARGIN + (max_lat - lat) * scale
        return round(x * 10), round(y * 10)

    paths = {
        f["properties"]["iso"]: _path(
            [project(lon, lat) for lon, lat in ring] for ring in _rings(f["geometry"])
        )
        for f in features
    }
    return MapShape(view_box=f"0 0 {WIDTH} {height}", paths=paths)


def classes(values: Iterable[int]) -> list[MapClass]:
    """Up to five sequential classes: zero, then up to four equal ranges up to the largest value.

    With few distinct values there are fewer ranges; the top one always gets the darkest colour.
    """
    top = max(values, default=0)
    steps = len(PALETTE) - 1
    ranges: list[tuple[int, int]] = []
    low = 1
    for step in range(1, steps + 1):
        high = math.ceil(top * step / steps)
        if high >= low:
            ranges.append((low, high))
            low = high + 1
    first_colour = len(PALETTE) - len(ranges)
    return [MapClass(0, PALETTE[0], 0, 0)] + [
        MapClass(index, PALETTE[first_colour + index - 1], low, high)
        for index, (low, high) in enumerate(ranges, start=1)
    ]


def class_of(value: int, bins: Sequence[MapClass]) -> MapClass:
    for item in bins:
        if item.low <= value <= item.high:
            return item
    return bins[-1]
