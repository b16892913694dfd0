"""The appeal receipt as a one-page PDF in the applicant's language: the number, the dates, the
legal term as the services computed it, the subject, the files and a QR code of the status link.

The QR code is drawn as filled squares (no image, no network), so it prints sharp at any size;
the text uses the DejaVu font shipped with the annual report, which has the Kazakh letters.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from birlik.appeals.models import Appeal, AppealAttachment
from birlik.appeals.services import terms_for
from birlik.core.pdf import FONT_FAMILY, document, draw_qr, qr_runs, qr_size
from birlik.core.templatetags.birlik_format import long_date
from birlik.core.workdays import LEGAL_TZ

QR_MODULE_MM = 1.2  # one module of the code: ~45 mm for a status link, easy for a phone camera
INK = (27, 27, 27)
MUTED = (74, 85, 96)


def attachment_label(attachment: AppealAttachment, number: int) -> str:
    """The name the file had, else "File 2 (PDF)"."""
    if attachment.original_name:
        return attachment.original_name
    return _("File %(number)s (%(kind)s)") % {"number": number, "kind": attachment.kind_label}


def receipt_pdf(appeal: Appeal, *, link: str, attachments: Sequence[AppealAttachment]) -> bytes:
    """The receipt of ``appeal`` with its private status ``link``, in the appeal's language."""
    with translation.override(appeal.language):
        return _write(appeal, link=link, attachments=attachments)


def _write(appeal: Appeal, *, link: str, attachments: Sequence[AppealAttachment]) -> bytes:
    from fpdf.enums import XPos, YPos

    title = _("Receipt of the appeal %(number)s") % {"number": appeal.number}
    pdf = document(
        title=title,
        subject=appeal.number,
        language=appeal.language,
        author=_("Assembly of People of Kazakhstan"),
    )
    pdf.set_text_color(*INK)
    width = pdf.w - pdf.l_margin - pdf.r_margin

    pdf.set_font(FONT_FAMILY, size=10)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 6, _("Assembly of People of Kazakhstan"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT_FAMILY, "B", 18)
    pdf.multi_cell(0, 9, title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    # The facts on the left, the QR code of the status link on the right.
    runs = list(qr_runs(link))
    qr_side = qr_size(runs, QR_MODULE_MM)
    qr_x, qr_y = pdf.w - pdf.r_margin - qr_side, pdf.get_y()
    facts_width = width - qr_side - 6
    label_width = 46.0
    received = timezone.localtime(appeal.received_at, LEGAL_TZ)
    facts: list[tuple[str, str]] = [
        (_("Registration number"), appeal.number),
        (
            _("Date of registration"),
            f"{long_date(received.date())}, {received.strftime('%H:%M')}",
        ),
        (_("Body"), str(appeal.organisation.name)),
        (_("Kind of appeal"), str(appeal.get_kind_display()).capitalize()),
    ]
    if appeal.subject:
        facts.append((_("Subject"), appeal.subject))
    if appeal.status != Appeal.Status.NOT_CONSIDERED:
        days = terms_for(appeal.organisation).answer_days
        term = ngettext(
            "%(date)s (%(count)s working day)", "%(date)s (%(count)s working days)", days
        ) % {"date": long_date(appeal.due_date), "count": days}
        facts.append((_("Answer due"), term))
        if appeal.extended_until:
            facts.append((_("Term extended until"), long_date(appeal.extended_until)))
    for label, value in facts:
        top = pdf.get_y()
        pdf.set_font(FONT_FAMILY, "B", 10)
        pdf.multi_cell(label_width, 5.5, label, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
        label_bottom = pdf.get_y() + 5.5
        pdf.set_xy(pdf.l_margin + label_width, top)
        pdf.set_font(FONT_FAMILY, size=10)
        pdf.multi_cell(
            facts_width - label_width, 5.5, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        pdf.set_y(max(pdf.get_y(), label_bottom) + 1.5)

    pdf.set_fill_color(*INK)
    draw_qr(pdf, runs, x=qr_x, y=qr_y, module_mm=QR_MODULE_MM)
    pdf.set_xy(qr_x, qr_y + qr_side + 1)
    pdf.set_font(FONT_FAMILY, size=8)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(qr_side, 4, _("Scan to follow the appeal"), align="C")
    pdf.set_text_color(*INK)
    pdf.set_y(max(pdf.get_y(), qr_y + qr_side + 10) + 4)

    if appeal.status == Appeal.Status.NOT_CONSIDERED:
        pdf.set_font(FONT_FAMILY, size=10)
        pdf.multi_cell(
            0,
            5.5,
            _(
                "Your appeal gives no name or no address or contact: as the law requires, it "
                "is registered but not considered."
            ),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(3)

    pdf.set_font(FONT_FAMILY, "B", 12)
    pdf.cell(0, 7, _("Your private link"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT_FAMILY, size=10)
    pdf.multi_cell(
        0,
        5.5,
        _(
            "Keep this link: it is the only way to follow your appeal without an account. "
            "Anyone with the link can see its status and the answer."
        ),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(0, 63, 99)
    pdf.multi_cell(0, 5.5, link, link=link, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)

    if attachments:
        pdf.ln(3)
        pdf.set_font(FONT_FAMILY, "B", 12)
        pdf.cell(0, 7, _("Attached files"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT_FAMILY, size=10)
        for number, attachment in enumerate(attachments, start=1):
            pdf.multi_cell(
                0,
                5.5,
                f"{number}. {attachment_label(attachment, number)}",
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
    return bytes(pdf.output())
