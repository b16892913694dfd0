"""The annual report as documents: PDF (fpdf2), XLSX (openpyxl) and DOCX (python-docx).

Every number comes from ``queries.year_figures`` — the function the dashboard shows — computed
once per scope (the country or the region, then each region) and written by the three writers
in the active language. The writers never compute a figure of their own.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from birlik.core import spreadsheets
from birlik.core.templatetags.birlik_format import long_date, number
from birlik.geo.models import Region

from . import queries
from .queries import FigureLine, figure_lines

FONTS = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVu Sans"  # the family name the charts' SVG asks for, so fpdf2 finds it
Progress = Callable[[int], None]
# The PDF prints breakdowns of at most this many rows, and none by these dimensions (long lists
# such as districts, centres and months are in the XLSX and in the charts).
PDF_MAX_ROWS = 25
PDF_TOTALS_ONLY = frozenset({"district", "month", "mediation_centre"})

# fontTools logs every subset operation at INFO level.
logging.getLogger("fontTools").setLevel(logging.WARNING)
# fpdf2 warns of every <title>/<desc> of the charts' SVG (kept there for screen readers).
logging.getLogger("fpdf.svg").setLevel(logging.ERROR)


@dataclass
class Section:
    """The figures of one scope: the country (``region is None``) or one region."""

    region: Region | None
    dashboard: dict[str, Any]

    @property
    def figures(self) -> list[dict[str, Any]]:
        figures: list[dict[str, Any]] = self.dashboard["indicators"]
        return figures

    @property
    def title(self) -> str:
        return self.region.name if self.region is not None else _("Kazakhstan")

    @property
    def imported_note(self) -> str:
        """The note that the figures include yearly totals imported from earlier records, or
        "" when they include none."""
        imported = self.dashboard.get("imported")
        return imported.note if imported is not None else ""


@dataclass
class ReportContent:
    year: int
    language: str
    main: Section
    regions: list[Section] = field(default_factory=list)
    generated_at: datetime.datetime = field(default_factory=timezone.now)

    @property
    def as_of(self) -> datetime.date:
        return queries.as_of(self.year)

    @property
    def title(self) -> str:
        return _("Annual report %(year)s") % {"year": self.year}

    @property
    def subtitle(self) -> str:
        if self.main.region is None:
            return _("Figures of the Assembly of People of Kazakhstan, national and by region")
        return _("Figures of %(region)s") % {"region": self.main.region.name}

    def lines(self, section: Section) -> list[FigureLine]:
        total = _("Total")
        return [
            line for figure in section.figures for line in figure_lines(figure, total_label=total)
        ]

    def brief_lines(self, section: Section) -> list[FigureLine]:
        """What a printed report shows: every total, and the breakdowns a reader can take in
        (one dimension, a few rows) nationally, totals only on a region's pages. The XLSX has
        every row."""
        total = _("Total")
        lines = []
        for figure in section.figures:
            dimensions = list(figure["dimensions"])
            detailed = (
                section.region is None
                and len(dimensions) == 1
                and dimensions[0] not in PDF_TOTALS_ONLY
                and len(figure["rows"]) <= PDF_MAX_ROWS
            )
            lines += [
                line
                for line in figure_lines(figure, total_label=total)
                if line.is_total or detailed
            ]
        return lines


def collect(
    *, year: int, language: str, region: Region | None, progress: Progress, share: int = 60
) -> ReportContent:
    """The figures of the report, with progress from 0 to ``share`` per cent."""
    main = Section(region=region, dashboard=queries.year_figures(year, region))
    content = ReportContent(year=year, language=language, main=main)
    progress(max(1, share // 10))
    if region is None:
        regions = list(Region.objects.order_by("kato"))
        for index, item in enumerate(regions, start=1):
            content.regions.append(Section(region=item, dashboard=queries.year_figures(year, item)))
            progress(share // 10 + (share - share // 10) * index // len(regions))
    progress(share)
    return content


def _value_text(value: float | int | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return str(number(round(value, 1)))
    return str(number(int(value)))


def _heading_line(line: FigureLine) -> str:
    return f"{line.name} ({line.unit})" if line.unit else line.name


# --- PDF -------------------------------------------------------------------------------------


def write_pdf(content: ReportContent, target: Path) -> None:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_lang(content.language)
    pdf.set_title(f"{content.title} · {content.main.title}")
    pdf.set_author(_("Assembly of People of Kazakhstan"))
    pdf.set_creator("Birlik")
    pdf.add_font(FONT_FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT_FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(15, 15, 15)
    footer_text = f"{content.title} · {content.main.title}"

    def footer() -> None:
        pdf.set_y(-12)
        pdf.set_font(FONT_FAMILY, size=8)
        pdf.set_text_color(89, 89, 89)
        pdf.cell(
            0, 5, f"{footer_text} · {pdf.page_no()}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_text_color(27, 27, 27)

    pdf.footer = footer  # type: ignore[method-assign]

    # Title page.
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.ln(40)
    pdf.multi_cell(
        0, 7, _("Assembly of People of Kazakhstan"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(8)
    pdf.set_font(FONT_FAMILY, "B", size=26)
    pdf.multi_cell(0, 12, content.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, "B", size=16)
    pdf.multi_cell(0, 9, content.main.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.multi_cell(0, 7, content.subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(20)
    pdf.set_font(FONT_FAMILY, size=10)
    pdf.multi_cell(
        0,
        6,
        _("Figures as of %(date)s, computed by Birlik from its records.")
        % {"date": long_date(content.as_of)},
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.multi_cell(
        0,
        6,
        _("Generated on %(date)s.") % {"date": long_date(timezone.localdate(content.generated_at))},
        align="C",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )

    def heading(text: str, level: int = 0) -> None:
        pdf.start_section(text, level=level)
        pdf.set_font(FONT_FAMILY, "B", size=16 if level == 0 else 13)
        pdf.multi_cell(0, 8 if level == 0 else 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)

    def imported_note(section: Section) -> None:
        if section.imported_note:
            pdf.set_font(FONT_FAMILY, size=9)
            pdf.multi_cell(0, 5, section.imported_note, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)

    def figures_table(lines: list[FigureLine]) -> None:
        pdf.set_font(FONT_FAMILY, size=9)
        with pdf.table(
            col_widths=(140, 40),
            text_align=("LEFT", "RIGHT"),
            line_height=5,
            first_row_as_headings=True,
            repeat_headings=1,
            borders_layout="HORIZONTAL_LINES",
            padding=(0.6, 1),
        ) as table:
            header = table.row()
            header.cell(_("Indicator and breakdown"))
            header.cell(_("Value"))
            for line in lines:
                row = table.row()
                if line.is_total:
                    pdf.set_font(FONT_FAMILY, "B", size=9)
                    row.cell(_heading_line(line))
                    row.cell(_value_text(line.value))
                    pdf.set_font(FONT_FAMILY, size=9)
                else:
                    row.cell("    " + line.breakdown)
                    row.cell(_value_text(line.value))
        pdf.ln(2)

    # The figures of the main scope.
    pdf.add_page()
    heading(
        _("National figures")
        if content.main.region is None
        else _("Figures of %(region)s") % {"region": content.main.title}
    )
    imported_note(content.main)
    figures_table(content.brief_lines(content.main))

    # Charts, then the map (national report).
    charts = chart_svgs(content)
    if charts:
        pdf.add_page()
        heading(_("Charts"))
        for title, svg, is_map in charts:
            width_px, height_px = _svg_size(svg)
            width_mm = 180.0
            height_mm = width_mm * height_px / width_px if width_px else 80.0
            if is_map or pdf.get_y() + height_mm + 10 > pdf.h - 15:
                pdf.add_page()
            if is_map:
                heading(title, level=1)
            _svg_image(pdf, svg, width_mm, height_mm, title)
            pdf.ln(4)

    # A page per region.
    if content.regions:
        pdf.add_page()
        heading(_("Figures by region"))
        for index, section in enumerate(content.regions):
            if index:
                pdf.add_page()
            heading(section.title, level=1)
            imported_note(section)
            figures_table(content.brief_lines(section))

    pdf.output(str(target))


def _svg_size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    if not match:
        return 640.0, 320.0
    return float(match.group(1)), float(match.group(2))


def _svg_image(pdf: Any, svg: str, width: float, height: float, title: str) -> None:
    """The chart as vector graphics; if fpdf2 cannot draw this SVG, its title is written."""
    try:
        pdf.image(io.BytesIO(svg.encode("utf-8")), x=15, w=width, h=height, alt_text=title)
    except (ValueError, KeyError, NotImplementedError, SyntaxError) as error:
        logging.getLogger(__name__).warning("chart not drawn in the PDF: %s", error)
        pdf.set_font(FONT_FAMILY, size=10)
        pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")


def chart_svgs(content: ReportContent) -> list[tuple[str, str, bool]]:
    """(title, svg, is_map): the dashboard's charts — for each of its cubes the map of the
    regions (national report), the months and the kinds of body."""
    from birlik.reports import charts
    from birlik.reports.queries import region_names

    result: list[tuple[str, str, bool]] = []
    labels = region_names()
    for cube in content.main.dashboard.get("cubes", {}).values():
        name, unit = cube["name"], cube["unit"]
        if content.main.region is None:
            title = _("%(name)s: map of the regions") % {"name": name}
            values = {iso: float(value or 0) for iso, _label, value in cube["by_region"]}
            result.append(
                (title, str(charts.region_map(values, title=title, labels=labels, unit=unit)), True)
            )
        title = _("%(name)s: by month") % {"name": name}
        months = [(label, float(value or 0)) for _code, label, value in cube["by_month"]]
        result.append((title, str(charts.column_chart(months, title=title, unit=unit)), False))
        if cube["by_kind"]:
            title = _("%(name)s: by kind of body") % {"name": name}
            kinds = [(label, float(value or 0)) for _code, label, value in cube["by_kind"]]
            result.append((title, str(charts.bar_chart(kinds, title=title, unit=unit)), False))
    return result


# --- XLSX ------------------------------------------------------------------------------------

XLSX_COLUMNS = 6  # indicator, unit, breakdown, value, key, codes


def _sheet_title(text: str, used: set[str]) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "Sheet"
    title, counter = cleaned, 2
    while title.lower() in used:
        suffix = f" ({counter})"
        title = cleaned[: 31 - len(suffix)] + suffix
        counter += 1
    used.add(title.lower())
    return title


def write_xlsx(content: ReportContent, target: Path) -> None:
    """A sheet for the main scope and one per region; one row per number, numbers as numbers.

    Columns E and F (indicator key, dimension codes) let a program read the sheet back.
    """
    from openpyxl.styles import Alignment, Font

    book = spreadsheets.Book(write_only=False)
    workbook = book.raw
    used: set[str] = set()
    bold = Font(bold=True)
    headers = [
        _("Indicator"),
        _("Unit"),
        _("Breakdown"),
        _("Value"),
        _("Indicator code"),
        _("Breakdown codes"),
    ]
    for section in [content.main, *content.regions]:
        name = section.title if section.region is None else f"{section.region.iso} {section.title}"
        sheet = book.sheet(_sheet_title(name, used))
        sheet.append([f"{content.title} · {section.title}"])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([_("Figures as of %(date)s.") % {"date": long_date(content.as_of)}])
        sheet.append([section.imported_note] if section.imported_note else [])
        sheet.append(headers)
        for cell in sheet[4]:
            cell.font = bold
        for line in content.lines(section):
            sheet.append(
                [
                    line.name,
                    line.unit,
                    line.breakdown,
                    line.value,
                    line.key,
                    "|".join(line.codes),
                ]
            )
            if line.is_total:
                for cell in sheet[sheet.max_row][:4]:
                    cell.font = bold
        sheet.freeze_panes = "A5"
        for column, width in zip("ABCDEF", (48, 14, 44, 14, 34, 24), strict=True):
            sheet.column_dimensions[column].width = width
        for row in sheet.iter_rows(min_row=5, min_col=4, max_col=4):
            for cell in row:
                cell.number_format = "#,##0.##"
                cell.alignment = Alignment(horizontal="right")
    workbook.properties.title = f"{content.title} · {content.main.title}"
    workbook.properties.creator = "Birlik"
    workbook.properties.language = content.language
    workbook.save(str(target))


# --- DOCX ------------------------------------------------------------------------------------


def write_docx(content: ReportContent, target: Path) -> None:
    """The same text and figures as the PDF, without the charts."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    document = Document()
    document.core_properties.title = f"{content.title} · {content.main.title}"
    document.core_properties.language = content.language
    document.core_properties.author = "Birlik"
    paragraph = document.add_paragraph(_("Assembly of People of Kazakhstan"))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading(content.title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading(content.main.title, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(content.subtitle).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(
        _("Figures as of %(date)s, computed by Birlik from its records.")
        % {"date": long_date(content.as_of)}
    )

    def table(lines: list[FigureLine]) -> None:
        grid = document.add_table(rows=1, cols=2)
        grid.style = "Light List Accent 1"
        head = grid.rows[0].cells
        head[0].text = _("Indicator and breakdown")
        head[1].text = _("Value")
        for line in lines:
            cells = grid.add_row().cells
            label = _heading_line(line) if line.is_total else "    " + line.breakdown
            run = cells[0].paragraphs[0].add_run(label)
            run.bold = line.is_total
            value = cells[1].paragraphs[0]
            value.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            value.add_run(_value_text(line.value)).bold = line.is_total

    document.add_page_break()
    document.add_heading(
        _("National figures")
        if content.main.region is None
        else _("Figures of %(region)s") % {"region": content.main.title},
        level=1,
    )
    if content.main.imported_note:
        document.add_paragraph(content.main.imported_note)
    table(content.lines(content.main))
    if content.regions:
        document.add_page_break()
        document.add_heading(_("Figures by region"), level=1)
        for index, section in enumerate(content.regions):
            if index:
                document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            document.add_heading(section.title, level=2)
            if section.imported_note:
                document.add_paragraph(section.imported_note)
            table(content.lines(section))
    document.save(str(target))


WRITERS: dict[str, Callable[[ReportContent, Path], None]] = {
    "pdf": write_pdf,
    "xlsx": write_xlsx,
    "docx": write_docx,
}
