"""What every PDF Birlik prints shares: the DejaVu fonts (they carry the Kazakh and Russian
letters; kept in ``core/fonts`` with their licence) and a QR code drawn as filled squares, so
that no image is made and the code stays sharp at any zoom."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import segno

FONTS = Path(__file__).resolve().parent / "fonts"
# The family name the charts' SVG asks for, so fpdf2 finds the font for them too.
FONT_FAMILY = "DejaVu Sans"


def document(*, title: str, subject: str, language: str, author: str) -> Any:
    """An A4 portrait document with its metadata, the fonts, 18 mm margins and a first page."""
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_lang(language)
    pdf.set_title(title)
    pdf.set_subject(subject)
    pdf.set_author(author)
    pdf.set_creator("Birlik")
    add_fonts(pdf)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(18, 18, 18)
    pdf.add_page()
    return pdf


def add_fonts(pdf: Any, *, bold: bool = True) -> None:
    """Registers the regular (and bold) face under ``FONT_FAMILY``."""
    pdf.add_font(FONT_FAMILY, "", str(FONTS / "DejaVuSans.ttf"))
    if bold:
        pdf.add_font(FONT_FAMILY, "B", str(FONTS / "DejaVuSans-Bold.ttf"))


def qr_runs(link: str) -> Iterator[tuple[int, int, int]]:
    """The QR code of ``link`` as (row, first column, length) of each run of dark modules."""
    matrix = segno.make(link, error="m", micro=False).matrix
    for row, modules in enumerate(matrix):
        start = None
        for column, dark in enumerate([*modules, 0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                yield row, start, column - start
                start = None


def qr_size(runs: list[tuple[int, int, int]], module_mm: float) -> float:
    """The side of the drawn code, in mm."""
    return (max(row for row, _start, _length in runs) + 1) * module_mm


def draw_qr(
    pdf: Any, runs: list[tuple[int, int, int]], *, x: float, y: float, module_mm: float
) -> None:
    """Draws the code's dark runs as filled rectangles with the current fill colour."""
    for row, start, length in runs:
        pdf.rect(x + start * module_mm, y + row * module_mm, length * module_mm, module_mm, "F")
