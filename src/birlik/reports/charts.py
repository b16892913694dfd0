"""Charts drawn on the server as plain SVG: no script, no CDN, readable by fpdf2.

Every function returns one ``<svg>`` element as a string that is already safe to embed in HTML
(``{{ chart }}`` or ``{{ chart|safe }}``) and that fpdf2 can draw
(``pdf.image(io.BytesIO(svg.encode()), w=...)``). The markup uses only ``svg``, ``title``,
``desc``, ``g``, ``rect``, ``line``, ``path`` and ``text`` with explicit fill colours, explicit
``width``/``height`` and a ``viewBox``. Each chart is an image for assistive technology
(``role="img"`` labelled by its ``<title>`` and ``<desc>``); pages still put the data table right
behind it. Numbers are written the way the active language writes them.

Stable API (other apps call these; keep the signatures):

- ``bar_chart(rows, *, title, unit="", width=640, description="") -> str``
  horizontal bars, one per ``(label, value)`` row (regions, kinds of body…);
- ``column_chart(series, *, title, unit="", width=640, height=260, description="") -> str``
  vertical columns in order (months, quarters, years);
- ``region_map(values, *, title, labels, unit="", width=640, description="") -> str``
  choropleth of the 20 regions keyed by ISO 3166-2 code ("KZ-55"); ``labels`` names them;
- ``FONT_FAMILY``: the font family the text asks for (register it in fpdf2, see below);
- ``progress_bar(actual, target, *, title, width=240) -> str``
  one bar of actual against target with the percentage written beside it.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from functools import cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from birlik.core.templatetags.birlik_format import number
from birlik.geo import map as geo_map

TEXT = "#1b1b1b"
MUTED = "#595959"
AXIS = "#767676"
GRID = "#d9d9d9"
BAR = "#2b6cb0"
BACKGROUND = "#ffffff"
TRACK = "#e2e8f0"
# fpdf2 draws <text> with a font registered under this family name (regular style only):
# ``pdf.add_font(FONT_FAMILY, fname=".../DejaVuSans.ttf")`` before ``pdf.image(svg)``.
FONT_FAMILY = "DejaVu Sans"
FONT = f'font-family="{FONT_FAMILY}, Arial, sans-serif"'
PALETTE = geo_map.PALETTE


def _safe(markup: str) -> SafeString:
    """Every text that goes into a chart is escaped where it is written (``_text``, titles)."""
    return mark_safe(markup)  # noqa: S308 - built from escaped parts only


def _figure(value: float) -> str:
    """A value as the active language writes it: whole numbers plain, others to one decimal."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if float(value).is_integer():
        return number(int(value))
    return number(round(float(value), 1))


def _with_unit(value: float, unit: str) -> str:
    text = _figure(value)
    if not unit:
        return text
    if unit == "%":
        return f"{text}\u00a0%"
    return f"{text}\u00a0{unit}"


def _id(kind: str, *parts: object) -> str:
    digest = hashlib.blake2s(repr((kind, parts)).encode("utf-8"), digest_size=5).hexdigest()
    return f"chart-{kind}-{digest}"


def _open(
    ident: str, width: int, height: int, title: str, description: str, view_box: str = ""
) -> str:
    view_box = view_box or f"0 0 {width} {height}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="{view_box}" role="img" aria-labelledby="{ident}-t {ident}-d" '
        f'class="chart">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{BACKGROUND}"/>'
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


def _nice_max(value: float) -> float:
    """The top of the axis: 1, 2, 2.5 or 5 times a power of ten, at or above the value."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)  # pragma: no cover


def _summary(rows: Sequence[tuple[str, float]], unit: str) -> str:
    if not rows:
        return _("No data for this selection.")
    top_label, top_value = max(rows, key=lambda row: row[1])
    low_label, low_value = min(rows, key=lambda row: row[1])
    return ngettext(
        "%(count)s item. Highest: %(top_label)s, %(top_value)s. Lowest: %(low_label)s, "
        "%(low_value)s. The table below gives every value.",
        "%(count)s items. Highest: %(top_label)s, %(top_value)s. Lowest: %(low_label)s, "
        "%(low_value)s. The table below gives every value.",
        len(rows),
    ) % {
        "count": number(len(rows)),
        "top_label": top_label,
        "top_value": _with_unit(top_value, unit),
        "low_label": low_label,
        "low_value": _with_unit(low_value, unit),
    }


def _empty(ident: str, width: int, title: str) -> SafeString:
    height = 60
    message = _("No data for this selection.")
    return _safe(
        _open(ident, width, height, title, message)
        + _text(width / 2, 35, message, anchor="middle", fill=MUTED)
        + "</svg>"
    )


def bar_chart(
    rows: Sequence[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    width: int = 640,
    description: str = "",
) -> str:
    """Horizontal bars, one per ``(label, value)``, in the order given; values written at the
    end of each bar. Negative values draw no bar but keep their written value."""
    title, unit = str(title), str(unit)
    rows = [(str(label), float(value or 0)) for label, value in rows]
    ident = _id("bar", title, unit, rows)
    if not rows:
        return _empty(ident, width, title)
    row_height, gap, top = 22, 6, 8
    height = top + len(rows) * (row_height + gap) + 8
    longest = max(len(label) for label, _value in rows)
    label_width = min(max(60, longest * 7 + 10), int(width * 0.42))
    value_space = max(len(_with_unit(value, unit)) for _label, value in rows) * 7 + 12
    plot = max(40, width - label_width - value_space - 8)
    top_value = max(max(value for _label, value in rows), 0) or 1.0
    parts = [_open(ident, width, height, title, description or _summary(rows, unit))]
    parts.append(
        f'<line x1="{label_width}" y1="{top - 2}" x2="{label_width}" '
        f'y2="{height - 6}" stroke="{AXIS}" stroke-width="1"/>'
    )
    for index, (label, value) in enumerate(rows):
        y = top + index * (row_height + gap)
        length = max(value, 0) / top_value * plot
        middle = y + row_height / 2 + 4
        parts.append("<g>")
        parts.append(_text(label_width - 6, middle, label, anchor="end"))
        if length > 0:
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length:.1f}" '
                f'height="{row_height}" fill="{BAR}"/>'
            )
        parts.append(_text(label_width + length + 4, middle, _with_unit(value, unit)))
        parts.append("</g>")
    parts.append("</svg>")
    return _safe("".join(parts))


def column_chart(
    series: Sequence[tuple[str, float]],
    *,
    title: str,
    unit: str = "",
    width: int = 640,
    height: int = 260,
    description: str = "",
) -> str:
    """Vertical columns in the order given (months, quarters…), with a labelled value axis and
    each value written above its column."""
    title, unit = str(title), str(unit)
    series = [(str(label), float(value or 0)) for label, value in series]
    ident = _id("col", title, unit, series, width, height)
    if not series:
        return _empty(ident, width, title)
    top_value = _nice_max(max(max(value for _label, value in series), 0))
    axis_labels = [_figure(top_value * step / 4) for step in range(5)]
    left = max(len(text) for text in axis_labels) * 7 + 12
    right, top, bottom = 8, 22, 30
    plot_w = width - left - right
    slot = plot_w / len(series)
    column = max(2.0, slot * 0.7)
    font = 11 if slot >= 40 else 9
    # Labels wider than their column ("янв. 2025") go on two lines, split at the last space.
    two_lines = any(len(label) * font * 0.6 > slot - 2 for label, _value in series) and all(
        " " in label for label, _value in series
    )
    if two_lines:
        bottom += 12
    plot_h = height - top - bottom
    parts = [_open(ident, width, height, title, description or _summary(series, unit))]
    for step in range(5):
        y = top + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID if step else AXIS}" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y + 4, axis_labels[step], size=10, anchor="end", fill=MUTED))
    for index, (label, value) in enumerate(series):
        x = left + index * slot + (slot - column) / 2
        length = max(value, 0) / top_value * plot_h
        y = top + plot_h - length
        centre = x + column / 2
        parts.append("<g>")
        if length > 0:
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{column:.1f}" '
                f'height="{length:.1f}" fill="{BAR}"/>'
            )
        parts.append(_text(centre, y - 4, _figure(value), size=font, anchor="middle"))
        if two_lines:
            first, second = label.rsplit(" ", 1)
            parts.append(_text(centre, top + plot_h + 16, first, size=font, anchor="middle"))
            parts.append(_text(centre, top + plot_h + 28, second, size=font, anchor="middle"))
        else:
            parts.append(_text(centre, top + plot_h + 16, label, size=font, anchor="middle"))
        parts.append("</g>")
    if unit:
        parts.append(_text(left, 12, unit, size=10, fill=MUTED))
    parts.append("</svg>")
    return _safe("".join(parts))


_COMMAND = re.compile(r"([MmLlZz])([^MmLlZz]*)")
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)")


@cache
def _label_points() -> dict[str, tuple[float, float]]:
    """Where each region's value is written: the centroid of its largest ring."""
    points: dict[str, tuple[float, float]] = {}
    for iso, data in geo_map.shape().paths.items():
        rings: list[list[tuple[float, float]]] = []
        current = (0.0, 0.0)
        start = (0.0, 0.0)
        ring: list[tuple[float, float]] = []
        for command, args in _COMMAND.findall(data):
            values = [float(v) for v in _NUMBER.findall(args)]
            pairs = list(zip(values[::2], values[1::2], strict=False))
            if command in "Mm":
                if ring:
                    rings.append(ring)
                x, y = pairs[0]
                current = (x, y) if command == "M" else (current[0] + x, current[1] + y)
                start = current
                ring = [current]
                pairs = pairs[1:]
                command = "L" if command == "M" else "l"
            if command in "Ll":
                for x, y in pairs:
                    current = (x, y) if command == "L" else (current[0] + x, current[1] + y)
                    ring.append(current)
            if command in "Zz":
                current = start
        if ring:
            rings.append(ring)

        def area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
            area = cx = cy = 0.0
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=False):
                cross = x1 * y2 - x2 * y1
                area += cross
                cx += (x1 + x2) * cross
                cy += (y1 + y2) * cross
            if not area:
                xs = [p[0] for p in ring]
                ys = [p[1] for p in ring]
                return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
            return abs(area / 2), cx / (3 * area), cy / (3 * area)

        if rings:
            _area, x, y = max((area_centroid(r) for r in rings), key=lambda item: item[0])
            points[iso] = (x, y)
    return points


def region_map(
    values: Mapping[str, float],
    *,
    title: str,
    labels: Mapping[str, str],
    unit: str = "",
    width: int = 640,
    description: str = "",
) -> str:
    """Choropleth of the 20 regions: ``values`` by ISO code (missing regions count as 0),
    ``labels`` their names. Each region is shaded in up to five classes (legend drawn below the
    map) and has its value written on it; its ``<title>`` gives name and value."""
    title, unit = str(title), str(unit)
    shape = geo_map.shape()
    _x, _y, view_w, view_h = (float(v) for v in shape.view_box.split())
    scale = width / view_w
    map_height = view_h * scale
    legend_height = 44
    height = round(map_height + legend_height)
    numbers = {iso: float(values.get(iso) or 0) for iso in shape.paths}
    ident = _id("map", title, unit, sorted(numbers.items()), width)
    rows = [(str(labels.get(iso, iso)), value) for iso, value in numbers.items()]
    bins = geo_map.classes(math.ceil(max(value, 0)) for value in numbers.values())
    parts = [_open(ident, width, height, title, description or _summary(rows, unit))]
    parts.append(f'<g transform="scale({scale:.5f})">')
    points = _label_points()
    for iso, data in shape.paths.items():
        value = numbers[iso]
        colour = geo_map.class_of(math.ceil(max(value, 0)), bins).colour
        name = str(labels.get(iso, iso))
        parts.append(
            f'<path d="{data}" fill="{colour}" stroke="#ffffff" stroke-width="2">'
            f"<title>{escape(name)}: {escape(_with_unit(value, unit))}</title></path>"
        )
    for iso in shape.paths:
        if iso not in points:
            continue
        x, y = points[iso]
        value = numbers[iso]
        dark = geo_map.class_of(math.ceil(max(value, 0)), bins).index >= 3
        parts.append(
            _text(
                x,
                y + 6,
                _figure(value),
                size=18,
                anchor="middle",
                fill="#ffffff" if dark else TEXT,
            )
        )
    parts.append("</g>")
    # Legend: a swatch and the range of each class.
    y = map_height + 12
    x = 4.0
    legend = str(_("Legend:"))
    parts.append(_text(x, y + 12, legend, size=11, fill=MUTED))
    x += len(legend) * 6.6 + 10  # "Легенда:" and "Условные обозначения:" differ in length
    for item in bins:
        text = (
            _figure(item.low)
            if item.low == item.high
            else (f"{_figure(item.low)}–{_figure(item.high)}")
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="16" height="16" fill="{item.colour}" '
            f'stroke="{AXIS}" stroke-width="1"/>'
        )
        parts.append(_text(x + 20, y + 12, text, size=11))
        x += 28 + len(text) * 7
    parts.append("</svg>")
    return _safe("".join(parts))


def progress_bar(actual: float, target: float, *, title: str, width: int = 240) -> str:
    """Actual against target as one bar (full at 100 %; beyond it the bar stays full and the
    percentage says how far). With no target the bar is empty and says so."""
    title = str(title)
    actual, target = float(actual or 0), float(target or 0)
    ident = _id("progress", title, actual, target, width)
    height = 20
    bar_width = width - 60
    if target > 0:
        share = actual / target
        label = _with_unit(round(share * 100), "%")
        length = max(0.0, min(share, 1.0)) * bar_width
        description = _("%(actual)s of %(target)s (%(share)s)") % {
            "actual": _figure(actual),
            "target": _figure(target),
            "share": label,
        }
    else:
        label, length = "–", 0.0
        description = _("No target set.")
    parts = [_open(ident, width, height, title, description)]
    parts.append(f'<rect x="0" y="4" width="{bar_width}" height="12" fill="{TRACK}"/>')
    if length > 0:
        parts.append(f'<rect x="0" y="4" width="{length:.1f}" height="12" fill="{BAR}"/>')
    parts.append(_text(bar_width + 6, 15, label, size=11))
    parts.append("</svg>")
    return _safe("".join(parts))


__all__ = ["FONT_FAMILY", "bar_chart", "column_chart", "progress_bar", "region_map"]
