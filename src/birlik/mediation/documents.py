"""The written agreement of a mediation, generated as DOCX in the parties' language.

The labels of the document are fixed legal wording per language (kk, ru, en), kept here rather
than in the UI catalogue: the document's language is the parties', not the reader's.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

if TYPE_CHECKING:
    from .models import MediationCase

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

LABELS: dict[str, dict[str, str]] = {
    "kk": {
        "title": "Медиация нәтижесі бойынша келісім",
        "number": "Іс нөмірі",
        "date": "Күні",
        "centre": "Медиация орталығы",
        "kind": "Дау түрі",
        "parties": "Медиация тараптары",
        "mediators": "Медиатор(лар)",
        "terms": "Тараптар келісті",
        "execution": "Келісімді орындау мерзімі",
        "law": (
            "Осы келісім «Медиация туралы» Қазақстан Республикасының Заңына сәйкес жасалды. "
            "Тараптар оны өз еркімен орындауға міндеттенеді. Медиация құпия жүргізілді."
        ),
        "signatures": "Қолдар",
        "mediator_signature": "Медиатор",
        "family": "отбасылық дау",
        "labour": "еңбек дауы",
        "neighbourhood": "көршілер арасындағы дау",
        "interethnic": "ұлтаралық дау",
        "other": "өзге дау",
    },
    "ru": {
        "title": "Соглашение об урегулировании спора (медиативное соглашение)",
        "number": "Номер дела",
        "date": "Дата",
        "centre": "Центр медиации",
        "kind": "Вид спора",
        "parties": "Стороны медиации",
        "mediators": "Медиатор(ы)",
        "terms": "Стороны договорились",
        "execution": "Срок исполнения соглашения",
        "law": (
            "Соглашение заключено в соответствии с Законом Республики Казахстан «О медиации». "
            "Стороны обязуются исполнить его добровольно. Медиация проведена конфиденциально."
        ),
        "signatures": "Подписи",
        "mediator_signature": "Медиатор",
        "family": "семейный спор",
        "labour": "трудовой спор",
        "neighbourhood": "спор между соседями",
        "interethnic": "межэтнический спор",
        "other": "иной спор",
    },
    "en": {
        "title": "Mediation Settlement Agreement",
        "number": "Case number",
        "date": "Date",
        "centre": "Mediation centre",
        "kind": "Kind of dispute",
        "parties": "Parties to the mediation",
        "mediators": "Mediator(s)",
        "terms": "The parties agreed",
        "execution": "To be executed by",
        "law": (
            "This agreement is made under the Law of the Republic of Kazakhstan on Mediation. "
            "The parties undertake to execute it voluntarily. The mediation was confidential."
        ),
        "signatures": "Signatures",
        "mediator_signature": "Mediator",
        "family": "family dispute",
        "labour": "labour dispute",
        "neighbourhood": "neighbourhood dispute",
        "interethnic": "interethnic dispute",
        "other": "other dispute",
    },
}


def agreement_docx(
    *,
    case: MediationCase,
    parties: list[str],
    mediators: list[str],
    terms: str,
    centre_name: str,
) -> bytes:
    """The agreement as DOCX bytes, every label in the case's language."""
    labels = LABELS.get(case.language, LABELS["kk"])
    document = DocxDocument()
    document.core_properties.language = case.language
    document.core_properties.title = labels["title"]
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"  # type: ignore[attr-defined]
    style.font.size = Pt(12)  # type: ignore[attr-defined]
    heading = document.add_heading(labels["title"], level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    day = (case.closed_on or case.received_on).strftime("%d.%m.%Y")
    table = document.add_table(rows=0, cols=2)
    for label, value in (
        (labels["number"], case.number),
        (labels["date"], day),
        (labels["centre"], centre_name),
        (labels["kind"], labels.get(case.kind, case.kind)),
    ):
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
    document.add_heading(labels["parties"], level=2)
    for name in parties:
        document.add_paragraph(name, style="List Number")
    document.add_heading(labels["mediators"], level=2)
    for name in mediators:
        document.add_paragraph(name, style="List Bullet")
    document.add_heading(labels["terms"], level=2)
    for line in terms.splitlines():
        if line.strip():
            document.add_paragraph(line.strip())
    if case.execution_due:
        document.add_paragraph(f"{labels['execution']}: {case.execution_due:%d.%m.%Y}")
    document.add_paragraph(labels["law"])
    document.add_heading(labels["signatures"], level=2)
    for name in parties:
        document.add_paragraph(f"{name} ____________________")
    for name in mediators:
        document.add_paragraph(f"{labels['mediator_signature']}: {name} ____________________")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
