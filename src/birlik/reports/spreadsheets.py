"""Targets of a plan as an XLSX sheet: exported to be filled in, imported back (all or nothing).

Columns: indicator (registry key), region (ISO code, empty for the whole country), kind (code of
the kind of body, empty for all kinds), target, and optionally programme (its code, empty for
all programmes). Other columns (the names written beside the codes on export) are ignored on
import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from birlik.core import kpi, spreadsheets, uploads
from birlik.core.spreadsheets import ImportFileError, xlsx_rows
from birlik.events.models import Programme
from birlik.geo.models import Region
from birlik.registry.models import OrganisationKind

from .models import Plan
from .services import MAX_VALUE, TargetInput

COLUMNS = ["indicator", "region", "kind", "target"]
OPTIONAL = ["programme"]  # (programmes) a sheet from before programme targets has none
MAX_BYTES = 2 * 1024 * 1024


@dataclass
class ParsedTargets:
    targets: list[TargetInput] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)


def export_targets(plan: Plan) -> bytes:
    from openpyxl.styles import Font

    names = {item.key: str(item.name) for item in kpi.indicators()}
    book = spreadsheets.Book(write_only=False)
    sheet = book.sheet(str(plan.year))
    sheet.append(
        [*COLUMNS, *OPTIONAL, _("Indicator"), _("Region"), _("Kind of body"), _("Programme")]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for target in plan.targets.select_related("region", "kind", "programme"):
        sheet.append(
            [
                target.indicator,
                target.region.iso if target.region else "",
                target.kind.code if target.kind else "",
                float(target.value),
                target.programme.code if target.programme else "",
                names.get(target.indicator, ""),
                target.region.name if target.region else _("whole country"),
                target.kind.name_plural if target.kind else _("all kinds"),
                target.programme.name if target.programme else _("all programmes"),
            ]
        )
    widths = (34, 8, 24, 14, 24, 50, 30, 30, 30)
    for letter, width in zip("ABCDEFGHI", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    return book.bytes()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_targets(data: bytes) -> ParsedTargets:
    """Read the sheet; every row with a problem is reported with its number, none stored."""
    result = ParsedTargets()
    if len(data) > MAX_BYTES:
        result.errors.append((0, uploads.too_large_message(MAX_BYTES)))
        return result
    try:
        lines = list(xlsx_rows(data))
    except ImportFileError as error:
        result.errors.append((0, error.message))
        return result
    if not lines:
        result.errors.append((0, _("The sheet is empty.")))
        return result
    header = [_text(value).lower() for value in lines[0]]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        result.errors.append(
            (1, _("Columns missing from the first row: %(names)s.") % {"names": ", ".join(missing)})
        )
        return result
    position = {name: header.index(name) for name in [*COLUMNS, *OPTIONAL] if name in header}
    known = {item.key: item for item in kpi.indicators()}
    regions = {region.iso.upper(): region for region in Region.objects.all()}
    kinds = {kind.code: kind for kind in OrganisationKind.objects.all()}
    programmes = {programme.code: programme for programme in Programme.objects.all()}
    seen: dict[tuple[str, str, str, str], int] = {}
    for number, line in enumerate(lines[1:], start=2):
        cells = {
            name: _text(line[index]) if index < len(line) else ""
            for name, index in position.items()
        }
        cells.setdefault("programme", "")
        if not any(cells.values()):
            continue
        problems = []
        item = known.get(cells["indicator"])
        if item is None:
            problems.append(
                _("unknown indicator “%(key)s”") % {"key": cells["indicator"]}
                if cells["indicator"]
                else _("the indicator is missing")
            )
        region = regions.get(cells["region"].upper()) if cells["region"] else None
        if cells["region"] and region is None:
            problems.append(_("unknown region “%(code)s”") % {"code": cells["region"]})
        kind = kinds.get(cells["kind"]) if cells["kind"] else None
        if cells["kind"] and kind is None:
            problems.append(_("unknown kind of body “%(code)s”") % {"code": cells["kind"]})
        if kind is not None and item is not None and "kind" not in item.dimensions:
            problems.append(_("this indicator is not counted by kind of body"))
        programme = programmes.get(cells["programme"]) if cells["programme"] else None
        if cells["programme"] and programme is None:
            problems.append(_("unknown programme “%(code)s”") % {"code": cells["programme"]})
        if programme is not None and item is not None and "programme" not in item.dimensions:
            problems.append(_("this indicator is not counted by programme"))
        try:
            value = Decimal(
                cells["target"].replace("\u00a0", "").replace(" ", "").replace(",", ".")
            )
            if not value.is_finite() or value < 0 or value > MAX_VALUE:
                raise InvalidOperation
            value = value.quantize(Decimal("0.1"))
        except InvalidOperation:
            problems.append(_("the target must be a number from 0 up to 999 999 999 999"))
            value = Decimal(0)
        key = (cells["indicator"], cells["region"].upper(), cells["kind"], cells["programme"])
        if key in seen:
            problems.append(
                _("the same indicator, region and kind as row %(row)s") % {"row": seen[key]}
            )
        seen.setdefault(key, number)
        if problems:
            result.errors.append((number, "; ".join(problems)))
        elif item is not None:
            result.targets.append(TargetInput(item.key, region, kind, value, programme))
    if not result.targets and not result.errors:
        result.errors.append((0, _("The sheet has no targets.")))
    return result
