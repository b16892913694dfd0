"""The yearly volunteer record as a PDF in the volunteer's language: the number, the year, each
call with its date, body and hours, the total, and a QR code of the public check (which shows
only the number, the year, the total and whether the record is still valid).

The QR code is drawn as filled squares (no image); the text uses the DejaVu font kept with the
annual report (it has the Kazakh letters), found by its package name at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from birlik.core.pdf import FONT_FAMILY, document, draw_qr, qr_runs, qr_size
from birlik.core.templatetags.birlik_format import long_date, number
from birlik.core.workdays import LEGAL_TZ

from .models import SignUp, YearRecord

QR_MODULE_MM = 1.0
INK = (27, 27, 27)
MUTED = (74, 85, 96)


def _hours(minutes: int) -> str:
    return number(round(minutes / 60, 2))


def record_pdf(
    record: YearRecord, *, lines: Sequence[SignUp], link: str, language: str = "kk"
) -> bytes:
    """The record ``record`` with its calls ``lines`` and the check ``link``."""
    with translation.override(language):
        return _write(record, lines=lines, link=link, language=language)


def _write(record: YearRecord, *, lines: Sequence[SignUp], link: str, language: str) -> bytes:
    from fpdf.enums import XPos, YPos

    title = _("Volunteer record for %(year)s") % {"year": record.year}
    pdf = document(
        title=title,
        subject=record.number,
        language=language,
        author=_("Assembly of People of Kazakhstan"),
    )
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font(FONT_FAMILY, size=10)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 6, _("Assembly of People of Kazakhstan"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT_FAMILY, "B", 18)
    pdf.multi_cell(0, 9, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)

    runs = list(qr_runs(link))
    qr_side = qr_size(runs, QR_MODULE_MM)
    qr_x, qr_y = pdf.w - pdf.r_margin - qr_side, pdf.get_y()
    issued = timezone.localtime(record.issued_at, LEGAL_TZ).date()
    facts = [
        (pgettext("registration number", "Number"), record.number),
        (_("Volunteer"), record.profile.full_name),
        (_("Year"), str(record.year)),
        (_("Issued on"), long_date(issued)),
        (_("Hours in total"), _hours(record.minutes)),
    ]
    label_width = 40.0
    for label, value in facts:
        pdf.set_font(FONT_FAMILY, "B", 10)
        pdf.cell(label_width, 6, label)
        pdf.set_font(FONT_FAMILY, size=10)
        pdf.multi_cell(
            width - qr_side - label_width - 4,
            6,
            value,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.set_fill_color(*INK)
    draw_qr(pdf, runs, x=qr_x, y=qr_y, module_mm=QR_MODULE_MM)
    pdf.set_xy(qr_x, qr_y + qr_side + 1)
    pdf.set_font(FONT_FAMILY, size=7)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(qr_side, 3.5, _("Scan to check the record"), align="C")
    pdf.set_text_color(*INK)
    pdf.set_y(max(pdf.get_y(), qr_y + qr_side + 8) + 4)

    columns = (26.0, width - 26.0 - 60.0 - 20.0, 60.0, 20.0)
    headers = (_("Date"), _("Call"), _("Body"), _("Hours"))
    pdf.set_font(FONT_FAMILY, "B", 9)
    for column, header in zip(columns, headers, strict=True):
        pdf.cell(column, 7, header, border="B")
    pdf.ln(7)
    pdf.set_font(FONT_FAMILY, size=9)
    for signup in lines:
        call = signup.call
        day = timezone.localtime(call.starts_at, LEGAL_TZ).strftime("%d.%m.%Y")
        title = getattr(call, f"title_{language}", "") or call.title
        cells = (day, str(title), str(call.organisation.name), _hours(signup.minutes))
        heights = [
            len(cast(list[str], pdf.multi_cell(column, 5, text, dry_run=True, output="LINES")))
            for column, text in zip(columns, cells, strict=True)
        ]
        row_height = 5 * max(1, *heights)
        if pdf.get_y() + row_height > pdf.h - 20:
            pdf.add_page()
        top = pdf.get_y()
        x = pdf.l_margin
        for column, text in zip(columns, cells, strict=True):
            pdf.set_xy(x, top)
            pdf.multi_cell(column, 5, text, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
            x += column
        pdf.set_xy(pdf.l_margin, top + row_height + 1)
    pdf.set_font(FONT_FAMILY, "B", 10)
    pdf.cell(sum(columns[:3]), 7, _("Total"), border="T")
    pdf.cell(columns[3], 7, _hours(record.minutes), border="T", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, size=8)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(
        0,
        4,
        _(
            "Hours are those recorded by the staff of each call (check-in to check-out within "
            "the call's time, or entered with a reason). The check at the link below shows the "
            "number, the year, the total and whether this record is still valid."
        ),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.multi_cell(0, 4, link, link=link, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
