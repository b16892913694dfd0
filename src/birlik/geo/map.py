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
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

GEOJSON = Path(__file__).resolve().parent / "data" / "kz-regions.geojson"
WIDTH = 1000
MARGIN = 5
# ColorBrewer "Blues", 5 classes (sequential, colour-blind safe); class 0 is "no active body".
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")

Ring = Sequence[Sequence[float]]


# The administrative centre of each region (longitude, latitude), where its pin stands: the
# register has no coordinates of bodies, and a region's House of Friendship is in its centre.
CENTRES: dict[str, tuple[float, float]] = {
    "KZ-10": (80.25, 50.41),  # Semey
    "KZ-11": (69.39, 53.28),  # Kokshetau
    "KZ-15": (57.17, 50.28),  # Aktobe
    "KZ-19": (77.07, 43.87),  # Konaev
    "KZ-23": (51.92, 47.11),  # Atyrau
    "KZ-27": (51.37, 51.23),  # Oral
    "KZ-31": (71.37, 42.90),  # Taraz
    "KZ-33": (78.37, 45.02),  # Taldykorgan
    "KZ-35": (73.10, 49.81),  # Karaganda
    "KZ-39": (63.63, 53.21),  # Kostanay
    "KZ-43": (65.51, 44.85),  # Kyzylorda
    "KZ-47": (51.17, 43.65),  # Aktau
    "KZ-55": (76.97, 52.29),  # Pavlodar
    "KZ-59": (69.15, 54.87),  # Petropavl
    "KZ-61": (68.25, 43.30),  # Turkistan
    "KZ-62": (67.71, 47.78),  # Zhezkazgan
    "KZ-63": (82.61, 49.95),  # Oskemen
    "KZ-71": (71.45, 51.17),  # Astana
    "KZ-75": (76.89, 43.24),  # Almaty
    "KZ-79": (69.59, 42.32),  # Shymkent
}
# Words a region's name carries that the map can do without («Павлодар облысы» -> «Павлодар»).
GENERIC_WORDS = frozenset({"облысы", "қаласы", "область", "город", "region"})
# The usual abbreviations of the three longest names, as maps and the press write them.
ABBREVIATIONS: dict[str, dict[str, str]] = {
    "KZ-27": {"kk": "БҚО", "ru": "ЗКО"},
    "KZ-59": {"kk": "СҚО", "ru": "СКО"},
    "KZ-63": {"kk": "ШҚО", "ru": "ВКО"},
}
# The cities of republican significance: too small to hold their name, which is written beside
# their pin instead (and only where the map is large enough).
CITIES = frozenset({"KZ-71", "KZ-75", "KZ-79"})
# Names moved off their computed place where two neighbours' names would touch (map units).
NUDGES: dict[str, Point] = {
    "KZ-11": (-20, 14),
    "KZ-19": (5, -22),
    "KZ-39": (-30, -4),
    "KZ-55": (35, 0),
    "KZ-61": (-20, -10),
}

Point = tuple[float, float]


@dataclass(frozen=True)
class MapShape:
    view_box: str
    paths: dict[str, str]  # ISO 3166-2 code -> SVG path data
    # ISO code -> where the region's name is written: inside the region, on its widest line.
    labels: dict[str, Point] = field(default_factory=dict)
    # ISO code -> the point of the region's administrative centre.
    centres: dict[str, Point] = field(default_factory=dict)


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
    labels = {
        f["properties"]["iso"]: _label_point(
            [
                [(x / 10, y / 10) for x, y in (project(lon, lat) for lon, lat in ring)]
                for ring in _outer_rings(f["geometry"])
            ]
        )
        for f in features
    }
    centres = {
        iso: (x / 10, y / 10) for iso, (lon, lat) in CENTRES.items() for x, y in [project(lon, lat)]
    }
    return MapShape(view_box=f"0 0 {WIDTH} {height}", paths=paths, labels=labels, centres=centres)


def _outer_rings(geometry: dict) -> Iterable[Ring]:
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"][0]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield polygon[0]


def _area(ring: Sequence[Point]) -> float:
    return (
        abs(
            sum(
                x1 * y2 - x2 * y1
                for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True)
            )
        )
        / 2
    )


def _label_point(rings: list[list[Point]]) -> Point:
    """A point inside the largest ring with room for a line of text: the middle of the widest
    horizontal chord among a few lines around the ring's middle (a centroid can fall outside a
    curved region)."""
    ring = max(rings, key=_area)
    top = min(y for _x, y in ring)
    bottom = max(y for _x, y in ring)
    best: tuple[float, Point] = (-1.0, (ring[0][0], ring[0][1]))
    for step in range(3, 8):
        y = top + (bottom - top) * step / 10
        crossings = sorted(
            x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True)
            if (y1 <= y < y2) or (y2 <= y < y1)
        )
        for left, right in zip(crossings[::2], crossings[1::2], strict=False):
            # Chords near the middle win ties: a label is easier to find there.
            width = (right - left) * (1 - abs(step - 5) / 10)
            if width > best[0]:
                best = (width, ((left + right) / 2, y))
    return round(best[1][0], 1), round(best[1][1], 1)


def short_name(name: str, *, iso: str = "", language: str = "") -> str:
    """A region's name as written on the map, without «облысы», «область», "Region"..."""
    abbreviation = ABBREVIATIONS.get(iso, {}).get(language)
    if abbreviation:
        return abbreviation
    words = [word for word in name.split() if word.lower() not in GENERIC_WORDS]
    return " ".join(words) or name


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    city: bool


def label(iso: str, name: str, *, language: str = "", font_size: float = 26) -> Label | None:
    """Where and how a region's name is written: shortened, inside the region (nudged off its
    neighbours, kept within the map); a city's in full beside its pin, so that «Алматы қаласы»
    is not taken for the region around it."""
    drawn = shape()
    if iso in CITIES and iso in drawn.centres:
        x, y = drawn.centres[iso]
        return Label(round(x + 10, 1), y, name, city=True)
    if iso not in drawn.labels:
        return None
    text = short_name(name, iso=iso, language=language)
    x, y = drawn.labels[iso]
    dx, dy = NUDGES.get(iso, (0, 0))
    half = len(text) * font_size * 0.3  # about 0.6 em a letter in a bold sans-serif
    x = min(max(x + dx, half + MARGIN), WIDTH - MARGIN - half)
    return Label(round(x, 1), round(y + dy, 1), text, city=False)


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
