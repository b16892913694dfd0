"""The annual report as documents: PDF (fpdf2), XLSX (openpyxl) and DOCX (python-docx).

Every number comes from ``queries.year_figures`` — the function the dashboard shows — computed
for the year and the year before (the country or the region), from the approved plan's progress
(``reports.queries.plan_progress``) and, for the XLSX, for each region. The PDF reads like the
Assembly's report: a cover, the contents, the year at a glance, a section per direction with its
charts, the regions side by side and the tables in an annex (``annual_text`` says what it
says); the DOCX has the same text without the charts; the XLSX has every number. The writers
never compute a figure of their own.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from birlik.core import kpi, spreadsheets
from birlik.core.pdf import FONT_FAMILY, add_fonts
from birlik.core.templatetags.birlik_format import long_date, number
from birlik.geo.models import Region

from . import annual_text, queries
from .queries import FigureLine, figure_lines, plain_number

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
    previous: Section | None = None  # the same scope, the year before
    plan: Any = None  # the year's approved plan (``reports.models.Plan``), if any
    plan_progress: list[dict[str, Any]] = field(default_factory=list)
    comparison: annual_text.Comparison | None = None  # regions (or districts) side by side
    programmes: annual_text.Comparison | None = None  # (programmes) the programmes' figures
    # (figures) The Assembly's figures of the year, as its annual interview states them
    # (``reports.interview.interview_figures``).
    interview: list[dict[str, Any]] = field(default_factory=list)

    @property
    def interview_reference(self) -> bool:
        """The interview's own values are shown beside the figures of its year only."""
        from birlik.reports.interview import INTERVIEW_YEAR

        return self.year == INTERVIEW_YEAR

    @property
    def as_of(self) -> datetime.date:
        return queries.as_of(self.year)

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def title(self) -> str:
        return _("Annual report %(year)s") % {"year": self.year}

    @property
    def subtitle(self) -> str:
        if self.main.region is None:
            return _("Figures of the Assembly of People of Kazakhstan, national and by region")
        return _("Figures of %(region)s") % {"region": self.main.region.name}

    @cached_property
    def totals(self) -> dict[str, float | None]:
        return annual_text.totals(self.main.dashboard)

    @cached_property
    def previous_totals(self) -> dict[str, float | None]:
        return annual_text.totals(self.previous.dashboard) if self.previous is not None else {}

    @cached_property
    def targets(self) -> dict[str, tuple[float | None, float | None]]:
        return annual_text.plan_targets(self.plan_progress)

    def headline(self) -> list[annual_text.Measure]:
        """The year at a glance: each figure with the year before and the plan."""
        return [
            annual_text.measure(spec, self)
            for spec in annual_text.HEADLINE
            if spec.key in self.totals
        ]

    @property
    def plan_note(self) -> str:
        if self.plan is None:
            return _(
                "No plan for %(year)s has been approved: the figures are compared with "
                "%(previous_year)s only."
            ) % {
                "year": self.year,
                "previous_year": self.previous_year,
            }
        approved = self.plan.approved_at
        return _("Plan: “%(title)s” (approved on %(date)s).") % {
            "title": self.plan.title,
            "date": long_date(timezone.localdate(approved)) if approved else "–",
        }

    def lines(self, section: Section) -> list[FigureLine]:
        total = _("Total")
        return [
            line for figure in section.figures for line in figure_lines(figure, total_label=total)
        ]

    def brief_lines(self, section: Section) -> list[FigureLine]:
        """What a printed report shows: every total, and the breakdowns a reader can take in
        (one dimension, a few rows) of the report's own scope; totals only of another region.
        The XLSX has every row."""
        total = _("Total")
        lines = []
        for figure in section.figures:
            dimensions = list(figure["dimensions"])
            detailed = (
                (section.region is None or section is self.main)
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
    *,
    year: int,
    language: str,
    region: Region | None,
    progress: Progress,
    share: int = 60,
    with_regions: bool = True,
) -> ReportContent:
    """The figures of the report, with progress from 0 to ``share`` per cent: the year and the
    year before in the scope, the approved plan's progress, the comparison of regions (or of
    the region's districts) and, ``with_regions`` (the XLSX has a sheet each), every figure of
    each region."""
    from birlik.reports.interview import interview_figures
    from birlik.reports.queries import plan_progress

    main = Section(region=region, dashboard=queries.year_figures(year, region))
    progress(max(1, share // 10))
    previous = Section(region=region, dashboard=queries.year_figures(year - 1, region))
    plan = queries.approved_plan(year)
    content = ReportContent(
        year=year,
        language=language,
        main=main,
        previous=previous,
        plan=plan,
        plan_progress=plan_progress(plan=plan, region=region) if plan is not None else [],
    )
    content.comparison = (
        annual_text.region_comparison(content)
        if region is None
        else annual_text.district_comparison(content)
    )
    content.programmes = annual_text.programme_comparison(content)
    content.interview = interview_figures(kpi.Period.year(year), region)
    start = share // 5
    progress(start)
    if region is None and with_regions:
        regions = list(Region.objects.order_by("kato"))
        for index, item in enumerate(regions, start=1):
            content.regions.append(Section(region=item, dashboard=queries.year_figures(year, item)))
            progress(start + (share - start) * index // len(regions))
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


def _annex_note(content: ReportContent) -> str:
    if content.main.region is None:
        return _(
            "Every figure of the year with its short breakdowns. Long lists (districts, months, "
            "centres) and every figure of each region are in the XLSX version of this report."
        )
    return _(
        "Every figure of the year with its short breakdowns. Long lists (districts, months, "
        "centres) are in the XLSX version of this report."
    )


def _platform() -> str:
    return _("Birlik, the digital platform of the Assembly")


# --- PDF -------------------------------------------------------------------------------------

INK = (27, 27, 27)
MUTED = (89, 89, 89)
ACCENT = (43, 108, 176)  # the charts' bar colour
RULE = (217, 217, 217)
HEADER = (226, 232, 240)
BAND = (244, 247, 251)


def write_pdf(content: ReportContent, target: Path) -> None:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos
    from fpdf.fonts import FontFace

    # Every table: a shaded header row and light bands that guide the eye along the rows.
    look: dict[str, Any] = {
        "headings_style": FontFace(emphasis="BOLD", color=INK, fill_color=HEADER),
        "cell_fill_color": BAND,
        "cell_fill_mode": "ROWS",
        "borders_layout": "NONE",
        "first_row_as_headings": True,
    }

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_lang(content.language)
    pdf.set_title(f"{content.title} · {content.main.title}")
    pdf.set_author(_("Assembly of People of Kazakhstan"))
    pdf.set_creator("Birlik")
    add_fonts(pdf)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.set_margins(15, 15, 15)
    footer_text = f"{content.title} · {content.main.title}"
    directions = annual_text.directions(content)

    def footer() -> None:
        if pdf.page_no() == 1:
            return  # the cover
        pdf.set_y(-12)
        pdf.set_font(FONT_FAMILY, size=8)
        pdf.set_text_color(*MUTED)
        pdf.cell(
            0, 5, f"{footer_text} · {pdf.page_no()}", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_text_color(*INK)

    pdf.footer = footer  # type: ignore[method-assign]

    def text(value: str, *, size: float = 10, bold: bool = False, height: float = 5.2) -> None:
        pdf.set_font(FONT_FAMILY, "B" if bold else "", size=size)
        pdf.multi_cell(0, height, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(value: str, level: int = 0) -> None:
        pdf.start_section(value, level=level)
        pdf.set_font(FONT_FAMILY, "B", size=17 if level == 0 else 12.5)
        pdf.set_text_color(*ACCENT)
        pdf.multi_cell(0, 9 if level == 0 else 7, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*INK)
        if level == 0:
            pdf.set_draw_color(*ACCENT)
            pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
        pdf.ln(3)

    # The cover.
    pdf.add_page()
    pdf.set_fill_color(*ACCENT)
    pdf.rect(0, 0, pdf.w, 62, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_y(24)
    pdf.set_font(FONT_FAMILY, "B", size=15)
    pdf.multi_cell(
        0, 8, _("Assembly of People of Kazakhstan"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_text_color(*INK)
    pdf.set_y(92)
    pdf.set_font(FONT_FAMILY, "B", size=30)
    pdf.multi_cell(0, 14, content.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    pdf.set_font(FONT_FAMILY, "B", size=18)
    pdf.multi_cell(0, 10, content.main.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, size=12)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(0, 7, content.subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(228)
    pdf.set_draw_color(*RULE)
    pdf.line(40, pdf.get_y(), pdf.w - 40, pdf.get_y())
    pdf.ln(5)
    pdf.set_font(FONT_FAMILY, size=10)
    for note in (
        _("Figures as of %(date)s, computed by Birlik from its records.")
        % {"date": long_date(content.as_of)},
        _("Generated on %(date)s") % {"date": long_date(timezone.localdate(content.generated_at))},
        _platform(),
    ):
        pdf.multi_cell(0, 6, note, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(*RULE)

    # The contents, written once every page is known.
    def contents(pdf: Any, outline: list[Any]) -> None:
        pdf.set_font(FONT_FAMILY, "B", size=17)
        pdf.set_text_color(*ACCENT)
        pdf.cell(0, 9, _("Contents"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(*INK)
        pdf.ln(4)
        for item in outline:
            if item.level > 1:
                continue
            indent = 8.0 * item.level
            pdf.set_font(FONT_FAMILY, "B" if item.level == 0 else "", size=11 - item.level)
            link = pdf.add_link(page=item.page_number)
            page = str(item.page_number)
            width = pdf.epw - indent - 14
            name = str(item.name)
            while name and pdf.get_string_width(name) > width - 6:
                name = name[:-2] + "…"
            dots = max(
                0, int((width - pdf.get_string_width(name + " ")) / pdf.get_string_width("."))
            )
            pdf.set_x(pdf.l_margin + indent)
            pdf.cell(width, 7, f"{name} {'.' * dots}", link=link)
            pdf.cell(14, 7, page, align="R", link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.add_page()
    # Reserves this page for the contents and starts the next one.
    pdf.insert_toc_placeholder(contents, pages=1)

    def measures_table(measures: list[annual_text.Measure], *, size: float = 8) -> None:
        with_plan = any(item.target is not None for item in measures)
        widths = (46, 24, 24, 38, 48) if with_plan else (80, 32, 32, 36)
        pdf.set_font(FONT_FAMILY, size=size)
        with pdf.table(
            col_widths=widths,
            width=sum(widths),
            align="LEFT",
            text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")[: len(widths)],
            line_height=size * 0.55,
            padding=(0.8, 1),
            **look,
        ) as table:
            header = table.row()
            header.cell(pgettext("annual report column", "Figure"))
            header.cell(str(content.year))
            header.cell(str(content.previous_year))
            header.cell(pgettext("annual report column", "Change"))
            if with_plan:
                header.cell(pgettext("annual report column", "Plan for the year"))
            for item in measures:
                row = table.row()
                row.cell(item.label)
                row.cell(item.value_text)
                row.cell(item.previous_text)
                row.cell(item.change_text)
                if with_plan:
                    row.cell(item.plan_text or "–")
        pdf.ln(3)

    # The year at a glance (on the page the contents started).
    heading(_("The year at a glance"))
    text(
        _("The main figures of %(year)s against %(previous_year)s.")
        % {"year": content.year, "previous_year": content.previous_year}
        + " "
        + content.plan_note,
        size=9.5,
    )
    if content.main.imported_note:
        text(content.main.imported_note, size=8.5, height=4.5)
    pdf.ln(2)
    measures_table(content.headline())
    for direction in directions:
        pdf.set_text_color(*ACCENT)
        text(direction.title, size=10, bold=True)
        pdf.set_text_color(*INK)
        text(direction.summary_text, size=9.5, height=4.9)
        pdf.ln(1.5)

    # A section per direction: its text, its figures, its charts. A short section shares its
    # page with the next one.
    for index, direction in enumerate(directions):
        if index == 0 or pdf.get_y() > pdf.h * 0.4:
            pdf.add_page()
        else:
            pdf.ln(8)
        heading(direction.title)
        text(direction.text)
        pdf.ln(2)
        measures_table(direction.measures)
        for title, svg, is_map in direction.charts:
            _chart(pdf, title, svg, is_map=is_map)

    # The Assembly's figures of the year (figures).
    if content.interview:
        _pdf_interview(pdf, content, heading=heading, text=text, look=look)

    # The regions (or the region's districts) side by side.
    comparison = content.comparison
    if comparison is not None:
        wide = len(comparison.columns) > 5
        # Seven figures of twenty regions side by side read best across a landscape page.
        pdf.add_page(orientation="L" if wide else "P")
        heading(comparison.title)
        text(comparison.intro, size=9.5)
        pdf.ln(2)
        size = 8.5 if wide else 9
        first = 55 if wide else 70
        rest = (pdf.epw - first) / len(comparison.columns)
        pdf.set_font(FONT_FAMILY, size=size)
        with pdf.table(
            col_widths=(first, *[rest] * len(comparison.columns)),
            text_align=("LEFT", *["RIGHT"] * len(comparison.columns)),
            line_height=size * 0.55,
            repeat_headings=1,
            padding=(0.8, 1),
            **{
                **look,
                # Column names in Kazakh are long words: a smaller size keeps them whole.
                "headings_style": FontFace(
                    emphasis="BOLD", color=INK, fill_color=HEADER, size_pt=size - 1
                ),
            },
        ) as table:
            header = table.row()
            header.cell(comparison.place)
            for column in comparison.columns:
                header.cell(column.label)
            for name, values in comparison.rows:
                row = table.row()
                row.cell(name)
                for value_text in comparison.texts(values):
                    row.cell(value_text)
            pdf.set_font(FONT_FAMILY, "B", size=size)
            row = table.row()
            name, values = comparison.total
            row.cell(name)
            for value_text in comparison.texts(values):
                row.cell(value_text)
            pdf.set_font(FONT_FAMILY, size=size)

    # The programmes side by side (programmes).
    if content.programmes is not None:
        _pdf_programmes(pdf, content.programmes, heading=heading, text=text, look=look)

    # The annex: the tables.
    pdf.add_page(orientation="P")
    heading(_("Annex: tables"))
    text(_annex_note(content), size=9)
    if content.main.imported_note:
        text(content.main.imported_note, size=9)
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, size=9)
    with pdf.table(
        col_widths=(140, 40),
        text_align=("LEFT", "RIGHT"),
        line_height=5,
        repeat_headings=1,
        padding=(0.6, 1),
        **look,
    ) as table:
        header = table.row()
        header.cell(_("Indicator and breakdown"))
        header.cell(_("Value"))
        for line in content.brief_lines(content.main):
            row = table.row()
            if line.is_total:
                pdf.set_font(FONT_FAMILY, "B", size=9)
                row.cell(_heading_line(line))
                row.cell(_value_text(line.value))
                pdf.set_font(FONT_FAMILY, size=9)
            else:
                row.cell("    " + line.breakdown)
                row.cell(_value_text(line.value))

    pdf.output(str(target))


def _pdf_programmes(
    pdf: Any,
    table_data: annual_text.Comparison,
    *,
    heading: Callable[..., None],
    text: Callable[..., None],
    look: dict[str, Any],
) -> None:
    """(programmes) The table by programme on a page of its own."""
    from fpdf.fonts import FontFace

    pdf.add_page(orientation="P")
    heading(table_data.title)
    text(table_data.intro, size=9.5)
    pdf.ln(2)
    size = 8.5
    first = 62
    rest = (pdf.epw - first) / len(table_data.columns)
    pdf.set_font(FONT_FAMILY, size=size)
    with pdf.table(
        col_widths=(first, *[rest] * len(table_data.columns)),
        text_align=("LEFT", *["RIGHT"] * len(table_data.columns)),
        line_height=size * 0.55,
        repeat_headings=1,
        padding=(0.8, 1),
        **{
            **look,
            "headings_style": FontFace(
                emphasis="BOLD", color=INK, fill_color=HEADER, size_pt=size - 1
            ),
        },
    ) as table:
        header = table.row()
        header.cell(table_data.place)
        for column in table_data.columns:
            header.cell(column.label)
        for name, values in table_data.rows:
            row = table.row()
            row.cell(name)
            for value_text in table_data.texts(values):
                row.cell(value_text)
        pdf.set_font(FONT_FAMILY, "B", size=size)
        row = table.row()
        name, values = table_data.total
        row.cell(name)
        for value_text in table_data.texts(values):
            row.cell(value_text)
        pdf.set_font(FONT_FAMILY, size=size)


# --- The Assembly's figures of the year (figures) ---------------------------------------------


def _interview_title() -> str:
    return _("The Assembly's figures of the year")


def _interview_intro(content: ReportContent) -> str:
    parts = [
        _(
            "The figures the Assembly gives of its year, each counted for %(year)s from the "
            "records of its bodies."
        )
        % {"year": content.year}
    ]
    if content.interview_reference:
        parts.append(
            _("Beside them, the values stated in the Assembly's annual interview of %(year)s.")
            % {"year": content.year}
        )
    if _interview_notes(content):
        parts.append(
            _("Below the table: what the records do not yet give for a figure to be whole.")
        )
    return " ".join(parts)


def _interview_header(content: ReportContent) -> list[str]:
    header = [
        pgettext("annual report column", "Figure"),
        _("Counted for %(year)s") % {"year": content.year},
    ]
    if content.interview_reference:
        header.append(_("Stated in the interview of %(year)s") % {"year": content.year})
    return header


def _interview_rows(content: ReportContent) -> list[list[str]]:
    rows = []
    for figure in content.interview:
        label = f"{figure['label']} ({figure['unit']})" if figure["unit"] else figure["label"]
        row = [label, figure["value_text"]]
        if content.interview_reference:
            row.append(figure["interview_text"])
        rows.append(row)
    return rows


def _interview_notes(content: ReportContent) -> list[str]:
    """A line per figure with a note or a missing part: «Figure: what is missing»."""
    return [
        f"{figure['label']}: "
        + " ".join(part for part in (figure["note"], figure["missing"]) if part)
        for figure in content.interview
        if figure["note"] or figure["missing"]
    ]


def _pdf_interview(
    pdf: Any,
    content: ReportContent,
    *,
    heading: Callable[..., None],
    text: Callable[..., None],
    look: dict[str, Any],
) -> None:
    """(figures) The Assembly's figures of the year on a page of their own."""
    pdf.add_page(orientation="P")
    heading(_interview_title())
    text(_interview_intro(content), size=9.5)
    pdf.ln(2)
    size = 9
    widths = (110, 35, 35) if content.interview_reference else (130, 50)
    pdf.set_font(FONT_FAMILY, size=size)
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        align="LEFT",
        text_align=("LEFT", "RIGHT", "RIGHT")[: len(widths)],
        line_height=size * 0.55,
        repeat_headings=1,
        padding=(0.8, 1),
        **look,
    ) as table:
        header = table.row()
        for label in _interview_header(content):
            header.cell(label)
        for values in _interview_rows(content):
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(3)
    for note in _interview_notes(content):
        text(note, size=8.5, height=4.5)


def _svg_size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    if not match:
        return 640.0, 320.0
    return float(match.group(1)), float(match.group(2))


def _chart(pdf: Any, title: str, svg: str, *, is_map: bool) -> None:
    """A chart under its caption, kept on one page: shrunk a little to fit what is left of the
    page, or moved to the next one."""
    width_px, height_px = _svg_size(svg)
    width = 180.0 if is_map else 165.0
    height = width * height_px / width_px if width_px else 80.0
    caption = 8.0
    room = pdf.h - pdf.b_margin - pdf.get_y() - caption - 2
    if height > room:
        if room >= 0.7 * height and room > 45:
            width, height = width * room / height, room
        else:
            pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", size=10)
    pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    _svg_image(pdf, svg, width, height, title)
    pdf.ln(5)


def _svg_image(pdf: Any, svg: str, width: float, height: float, title: str) -> None:
    """The chart as vector graphics; if fpdf2 cannot draw this SVG, its title is written."""
    try:
        pdf.image(
            io.BytesIO(svg.encode("utf-8")),
            x=(pdf.w - width) / 2,
            w=width,
            h=height,
            alt_text=title,
        )
    except (ValueError, KeyError, NotImplementedError, SyntaxError) as error:
        logging.getLogger(__name__).warning("chart not drawn in the PDF: %s", error)
        pdf.set_font(FONT_FAMILY, size=10)
        pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")


# --- XLSX ------------------------------------------------------------------------------------

XLSX_COLUMNS = 7  # indicator, unit, breakdown, value, key, codes, what is missing


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
        _("What the records do not yet give"),
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
                    line.missing,
                ]
            )
            if line.is_total:
                for cell in sheet[sheet.max_row][:4]:
                    cell.font = bold
        sheet.freeze_panes = "A5"
        for column, width in zip("ABCDEFG", (48, 14, 44, 14, 34, 24, 60), strict=True):
            sheet.column_dimensions[column].width = width
        for row in sheet.iter_rows(min_row=5, min_col=4, max_col=4):
            for cell in row:
                cell.number_format = "#,##0.##"
                cell.alignment = Alignment(horizontal="right")
    if content.interview:
        _xlsx_interview(book, content, used)
    workbook.properties.title = f"{content.title} · {content.main.title}"
    workbook.properties.creator = "Birlik"
    workbook.properties.language = content.language
    workbook.save(str(target))


def _xlsx_interview(book: spreadsheets.Book, content: ReportContent, used: set[str]) -> None:
    """(figures) A sheet of the Assembly's figures of the year, laid out as the other sheets
    (columns D, E and F: value, indicator key, the codes of the rows it adds up), with the
    interview's value of its year, what the records do not yet give and the figure's code."""
    from openpyxl.styles import Alignment, Font

    sheet = book.sheet(_sheet_title(pgettext("sheet", "Figures of the year"), used))
    sheet.append([f"{_interview_title()} · {content.main.title} · {content.year}"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Figures as of %(date)s.") % {"date": long_date(content.as_of)}])
    sheet.append([])
    sheet.append(
        [
            pgettext("annual report column", "Figure"),
            _("Unit"),
            _("Stated in the interview of %(year)s") % {"year": content.year}
            if content.interview_reference
            else "",
            _("Counted for %(year)s") % {"year": content.year},
            _("Indicator code"),
            _("Breakdown codes"),
            _("What the records do not yet give"),
            _("Note"),
            _("Figure code"),
        ]
    )
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for figure in content.interview:
        sheet.append(
            [
                figure["label"],
                figure["unit"],
                figure["interview_text"] if content.interview_reference else "",
                plain_number(figure["value"]),
                figure["key"],
                "|".join(figure["rows"].values()),
                figure["missing"],
                figure["note"],
                figure["code"],
            ]
        )
    sheet.freeze_panes = "A5"
    for column, width in zip("ABCDEFGHI", (52, 14, 20, 16, 34, 24, 60, 40, 26), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=5, min_col=4, max_col=4):
        for cell in row:
            cell.number_format = "#,##0.##"
            cell.alignment = Alignment(horizontal="right")


# --- DOCX ------------------------------------------------------------------------------------


def write_docx(content: ReportContent, target: Path) -> None:
    """The same text and figures as the PDF, without the charts; the annex has every row."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = Document()
    document.core_properties.title = f"{content.title} · {content.main.title}"
    document.core_properties.language = content.language
    document.core_properties.author = "Birlik"
    directions = annual_text.directions(content, with_charts=False)

    def centred(text: str) -> None:
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER

    def grid(header: list[str], rows: list[tuple[list[str], bool]]) -> None:
        """A table: the first column left, the numbers right; bold rows are totals."""
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Light List Accent 1"
        for cell, label in zip(table.rows[0].cells, header, strict=True):
            cell.text = label
        for values, bold in rows:
            cells = table.add_row().cells
            for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
                paragraph = cell.paragraphs[0]
                if index:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                paragraph.add_run(value).bold = bold

    def measures_table(measures: list[annual_text.Measure]) -> None:
        with_plan = any(item.target is not None for item in measures)
        header = [
            pgettext("annual report column", "Figure"),
            str(content.year),
            str(content.previous_year),
            pgettext("annual report column", "Change"),
        ]
        if with_plan:
            header.append(pgettext("annual report column", "Plan for the year"))
        rows = []
        for item in measures:
            values = [item.label, item.value_text, item.previous_text, item.change_text]
            if with_plan:
                values.append(item.plan_text or "–")
            rows.append((values, False))
        grid(header, rows)

    # The cover.
    centred(_("Assembly of People of Kazakhstan"))
    document.add_heading(content.title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_heading(content.main.title, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    centred(content.subtitle)
    centred(
        _("Figures as of %(date)s, computed by Birlik from its records.")
        % {"date": long_date(content.as_of)}
    )
    centred(
        _("Generated on %(date)s") % {"date": long_date(timezone.localdate(content.generated_at))}
    )
    centred(_platform())

    # The year at a glance.
    document.add_page_break()
    document.add_heading(_("The year at a glance"), level=1)
    document.add_paragraph(
        _("The main figures of %(year)s against %(previous_year)s.")
        % {"year": content.year, "previous_year": content.previous_year}
        + " "
        + content.plan_note
    )
    if content.main.imported_note:
        document.add_paragraph(content.main.imported_note)
    measures_table(content.headline())
    for direction in directions:
        paragraph = document.add_paragraph()
        paragraph.add_run(direction.title + ". ").bold = True
        paragraph.add_run(direction.summary_text)

    # A section per direction.
    for direction in directions:
        document.add_page_break()
        document.add_heading(direction.title, level=1)
        document.add_paragraph(direction.text)
        measures_table(direction.measures)

    # The Assembly's figures of the year (figures).
    if content.interview:
        document.add_page_break()
        document.add_heading(_interview_title(), level=1)
        document.add_paragraph(_interview_intro(content))
        grid(_interview_header(content), [(row, False) for row in _interview_rows(content)])
        for note in _interview_notes(content):
            document.add_paragraph(note)

    # The regions (or districts) side by side.
    comparison = content.comparison
    if comparison is not None:
        document.add_page_break()
        document.add_heading(comparison.title, level=1)
        document.add_paragraph(comparison.intro)
        name, values = comparison.total
        grid(
            [comparison.place, *[column.label for column in comparison.columns]],
            [([place, *comparison.texts(row)], False) for place, row in comparison.rows]
            + [([name, *comparison.texts(values)], True)],
        )

    # The programmes side by side (programmes).
    programmes = content.programmes
    if programmes is not None:
        document.add_page_break()
        document.add_heading(programmes.title, level=1)
        document.add_paragraph(programmes.intro)
        name, values = programmes.total
        grid(
            [programmes.place, *[column.label for column in programmes.columns]],
            [([place, *programmes.texts(row)], False) for place, row in programmes.rows]
            + [([name, *programmes.texts(values)], True)],
        )

    # The annex: every row of every figure of the scope.
    document.add_page_break()
    document.add_heading(_("Annex: tables"), level=1)
    if content.main.imported_note:
        document.add_paragraph(content.main.imported_note)
    grid(
        [_("Indicator and breakdown"), _("Value")],
        [
            (
                [
                    _heading_line(line) if line.is_total else "    " + line.breakdown,
                    _value_text(line.value),
                ],
                line.is_total,
            )
            for line in content.lines(content.main)
        ],
    )
    document.save(str(target))


WRITERS: dict[str, Callable[[ReportContent, Path], None]] = {
    "pdf": write_pdf,
    "xlsx": write_xlsx,
    "docx": write_docx,
}
