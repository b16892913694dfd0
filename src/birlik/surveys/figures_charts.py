"""The trust index's two charts, drawn on the server as plain SVG (no script): the national value
of each wave with its 95 % interval, and the regions of one wave on the map.

They follow ``reports.charts`` (same colours, fonts, ``role="img"`` with a title and a
description, a data table right behind each chart on the page) but draw what those charts cannot:
an interval around each value, and regions whose estimate is suppressed hatched and named "too
few respondents" rather than shaded as a value. ``reports`` sits above the domain apps, so the
few shared primitives are taken from ``geo.map`` and ``core`` instead.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from birlik.core.templatetags.birlik_format import number
from birlik.geo import map as geo_map

TEXT = "#1b1b1b"
MUTED = "#595959"
AXIS = "#767676"
GRID = "#d9d9d9"
MARK = "#2b6cb0"
BACKGROUND = "#ffffff"
NO_DATA = "#f2f2f2"
HATCH = "#595959"
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'
PALETTE = geo_map.PALETTE[1:]  # four shades for values; the lightest is not a value here
SCALE_TOP = 100.0  # the index is on 0–100


@dataclass(frozen=True)
class Point:
    """One wave on the trend chart."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None


def figure(value: float | None) -> str:
    """A value to one decimal, as the active language writes numbers; a dash when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return number(round(float(value), 1))


def _safe(markup: str) -> SafeString:
    return mark_safe(markup)  # noqa: S308 - built from escaped parts only


def _id(kind: str, *parts: object) -> str:
    digest = hashlib.blake2s(repr((kind, parts)).encode("utf-8"), digest_size=5).hexdigest()
    return f"chart-{kind}-{digest}"


def _open(ident: str, width: float, height: float, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" class="chart">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>'
        f'<rect x="0" y="0" width="{width:g}" height="{height:g}" fill="{BACKGROUND}"/>'
    )


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: float = 12,
    anchor: str = "start",
    fill: str = TEXT,
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size:g}" fill="{fill}" '
        f'text-anchor="{anchor}">{escape(content)}</text>'
    )


def trend_chart(
    points: Sequence[Point], *, title: str, description: str, width: int = 640, height: int = 280
) -> SafeString:
    """Each wave's value as a dot on the 0–100 scale with its interval as a vertical line."""
    title, description = str(title), str(description)
    ident = _id("trend", title, list(points), width, height)
    left, right, top, bottom = 44, 12, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = [_open(ident, width, height, title, description)]

    def y_of(value: float) -> float:
        return top + plot_h - max(0.0, min(value, SCALE_TOP)) / SCALE_TOP * plot_h

    for step in range(0, 101, 20):
        y = y_of(step)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID if step else AXIS}" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 4, number(step), size=10, anchor="end", fill=MUTED))
    slot = plot_w / max(len(points), 1)
    for index, point in enumerate(points):
        centre = left + slot * (index + 0.5)
        parts.append("<g>")
        if point.value is not None:
            if point.low is not None and point.high is not None:
                low, high = y_of(point.low), y_of(point.high)
                parts.append(
                    f'<line x1="{centre:.1f}" y1="{low:.1f}" x2="{centre:.1f}" y2="{high:.1f}" '
                    f'stroke="{MARK}" stroke-width="2"/>'
                )
                for y in (low, high):
                    parts.append(
                        f'<line x1="{centre - 6:.1f}" y1="{y:.1f}" x2="{centre + 6:.1f}" '
                        f'y2="{y:.1f}" stroke="{MARK}" stroke-width="2"/>'
                    )
            y = y_of(point.value)
            parts.append(f'<circle cx="{centre:.1f}" cy="{y:.1f}" r="5" fill="{MARK}"/>')
            parts.append(_text(centre + 10, y + 4, figure(point.value), size=11))
        parts.append(_text(centre, height - 12, point.label, size=11, anchor="middle"))
        parts.append("</g>")
    parts.append("</svg>")
    return _safe("".join(parts))


@dataclass(frozen=True)
class Band:
    colour: str
    low: float
    high: float


def bands(values: Collection[float]) -> list[Band]:
    """Up to four equal ranges between the lowest and the highest value (whole points)."""
    if not values:
        return []
    low, high = math.floor(min(values)), math.ceil(max(values))
    if high == low:
        return [Band(PALETTE[-1], low, high)]
    step = (high - low) / len(PALETTE)
    return [
        Band(colour, round(low + step * index, 1), round(low + step * (index + 1), 1))
        for index, colour in enumerate(PALETTE)
    ]


def band_of(value: float, found: Sequence[Band]) -> Band:
    for band in found:
        if value <= band.high:
            return band
    return found[-1]


def index_map(
    values: Mapping[str, float],
    *,
    suppressed: Collection[str],
    title: str,
    labels: Mapping[str, str],
    description: str,
    width: int = 640,
) -> SafeString:
    """The regions shaded by their value; suppressed ones hatched ("too few respondents"),
    those without an estimate left blank ("no data"). Values are written on the regions."""
    title, description = str(title), str(description)
    shape = geo_map.shape()
    _x, _y, view_w, view_h = (float(v) for v in shape.view_box.split())
    scale = width / view_w
    map_height = view_h * scale
    legend_height = 64
    height = round(map_height + legend_height)
    shown = {iso: float(value) for iso, value in values.items() if iso in shape.paths}
    hidden = {iso for iso in suppressed if iso in shape.paths and iso not in shown}
    found = bands(list(shown.values()))
    ident = _id("map", title, sorted(shown.items()), sorted(hidden), width)
    hatch = f"{ident}-hatch"
    too_few = pgettext("estimate", "too few respondents")
    no_data = pgettext("trust index map", "no data")
    parts = [
        _open(ident, width, height, title, description),
        f'<defs><pattern id="{hatch}" patternUnits="userSpaceOnUse" width="8" height="8" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{BACKGROUND}"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{HATCH}" stroke-width="3"/></pattern></defs>',
        f'<g transform="scale({scale:.5f})">',
    ]
    for iso, data in shape.paths.items():
        name = str(labels.get(iso, iso))
        if iso in shown:
            fill = band_of(shown[iso], found).colour
            said = figure(shown[iso])
        elif iso in hidden:
            fill, said = f"url(#{hatch})", too_few
        else:
            fill, said = NO_DATA, no_data
        parts.append(
            f'<path d="{data}" fill="{fill}" stroke="#ffffff" stroke-width="2">'
            f"<title>{escape(name)}: {escape(said)}</title></path>"
        )
    for iso, (x, y) in shape.labels.items():
        if iso not in shown:
            continue
        dark = band_of(shown[iso], found).colour in PALETTE[2:]
        colour = BACKGROUND if dark else TEXT
        parts.append(_text(x, y + 6, figure(shown[iso]), size=18, anchor="middle", fill=colour))
    parts.append("</g>")
    # Legend: a swatch per range, then the hatch and the blank.
    y = map_height + 10
    x = 4.0
    legend = pgettext("trust index map", "Legend:")
    parts.append(_text(x, y + 12, legend, size=11, fill=MUTED))
    x += len(legend) * 6.6 + 10
    for band in found:
        text = (
            figure(band.low) if band.low == band.high else f"{figure(band.low)}–{figure(band.high)}"
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="16" height="16" fill="{band.colour}" '
            f'stroke="{AXIS}" stroke-width="1"/>'
        )
        parts.append(_text(x + 20, y + 12, text, size=11))
        x += 30 + len(text) * 7
    y += 26
    x = 4.0
    for fill, text in ((f"url(#{hatch})", too_few), (NO_DATA, no_data)):
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="16" height="16" fill="{fill}" '
            f'stroke="{AXIS}" stroke-width="1"/>'
        )
        parts.append(_text(x + 20, y + 12, str(text), size=11))
        x += 36 + len(str(text)) * 7
    parts.append("</svg>")
    return _safe("".join(parts))
