"""A training certificate as a PDF in Kazakh, Russian or English: the holder's name as issued,
the course, its hours and dates, the provider, the number, the date of issue, and a QR code of
the public check (which shows whether the certificate is valid or revoked, and nothing more
about the holder than their name). A revoked certificate prints "revoked" across its top.

The QR code is drawn as filled squares (``core.pdf``); the DejaVu font carries the Kazakh
letters.
"""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from birlik.core.pdf import FONT_FAMILY, document, draw_qr, qr_runs, qr_size
from birlik.core.templatetags.birlik_format import long_date
from birlik.core.workdays import LEGAL_TZ

from .models import Certificate

QR_MODULE_MM = 1.2
INK = (27, 27, 27)
MUTED = (74, 85, 96)
ACCENT = (0, 94, 130)
REVOKED = (176, 0, 32)


def certificate_pdf(certificate: Certificate, *, link: str, language: str = "kk") -> bytes:
    """The certificate with the address of its public check ``link``, in ``language``."""
    with translation.override(language):
        return _write(certificate, link=link, language=language)


def _write(certificate: Certificate, *, link: str, language: str) -> bytes:
    from fpdf.enums import XPos, YPos

    cohort = certificate.enrolment.cohort
    course = certificate.course
    title = pgettext("training document", "Certificate")
    pdf = document(
        title=f"{title} {certificate.number}",
        subject=str(course.title),
        language=language,
        author=str(course.provider.name),
    )
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def line(
        text: str,
        size: float,
        *,
        bold: bool = False,
        colour: tuple[int, int, int] = INK,
        height: float = 7,
    ) -> None:
        pdf.set_font(FONT_FAMILY, "B" if bold else "", size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(width, height, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    if certificate.revoked_at is not None:
        revoked_on = timezone.localtime(certificate.revoked_at, LEGAL_TZ).date()
        line(
            _("Revoked on %(date)s: this certificate is no longer valid.")
            % {"date": long_date(revoked_on)},
            12,
            bold=True,
            colour=REVOKED,
        )
        pdf.ln(2)
    line(_("Assembly of People of Kazakhstan"), 11, colour=MUTED, height=6)
    line(str(course.provider.name), 13, bold=True, colour=ACCENT)
    pdf.ln(14)
    line(title.upper(), 30, bold=True, height=14)
    line(certificate.number, 12, colour=MUTED)
    pdf.ln(12)
    line(_("This certifies that"), 12)
    pdf.ln(2)
    line(certificate.holder_name, 22, bold=True, height=11)
    pdf.ln(4)
    line(_("has completed the course"), 12)
    pdf.ln(2)
    line(f"«{course.title}»", 16, bold=True, height=9)
    pdf.ln(4)
    line(
        _("%(hours)s academic hours, from %(start)s to %(end)s")
        % {
            "hours": certificate.hours,
            "start": long_date(cohort.starts_on),
            "end": long_date(cohort.ends_on),
        },
        12,
    )
    line(_("Format: %(format)s") % {"format": course.get_format_display()}, 11, colour=MUTED)
    pdf.ln(16)

    runs = list(qr_runs(link))
    qr_side = qr_size(runs, QR_MODULE_MM)
    top = pdf.get_y()
    facts = [
        (pgettext("certificate", "Issued on"), long_date(certificate.issued_on)),
        (_("Issued by"), str(course.provider.name)),
        (pgettext("registration number", "Number"), certificate.number),
        (_("Verification code"), certificate.printed_code),
    ]
    label_width = 42.0
    for label, value in facts:
        pdf.set_x(pdf.l_margin)
        pdf.set_font(FONT_FAMILY, "B", 10)
        pdf.set_text_color(*INK)
        pdf.cell(label_width, 6, label)
        pdf.set_font(FONT_FAMILY, size=10)
        pdf.multi_cell(
            width - qr_side - label_width - 6,
            6,
            value,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    qr_x = pdf.w - pdf.r_margin - qr_side
    pdf.set_fill_color(*INK)
    draw_qr(pdf, runs, x=qr_x, y=top, module_mm=QR_MODULE_MM)
    pdf.set_xy(qr_x, top + qr_side + 1)
    pdf.set_font(FONT_FAMILY, size=7)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(qr_side, 3.5, _("Scan to check the certificate"), align="C")
    pdf.set_y(max(pdf.get_y(), top + qr_side + 8) + 6)
    pdf.set_font(FONT_FAMILY, size=8)
    pdf.multi_cell(
        0,
        4,
        _(
            "Anyone can check this certificate at the address below or by typing its "
            "verification code on the Assembly's site: the check says whether it is valid "
            "or revoked."
        ),
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.multi_cell(0, 4, link, link=link, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
