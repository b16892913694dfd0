"""A small mediation network on top of ``network``: two centres, heads, mediators, one case."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from birlik.access.models import Role, User
from birlik.mediation import services
from birlik.mediation.models import Document, MediationCase, Mediator
from birlik.registry.models import Organisation

from ..factories import GrantFactory, OrganisationFactory, PersonFactory, UserFactory, kind, region
from .factories import MediatorFactory

PARTY_NAME = "Қонысбаев Серік"
OTHER_PARTY = "Тұрсынова Әлия"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(data: bytes = PDF, name: str = "signed.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


@dataclass
class MediationNet:
    almaty_centre: Organisation
    pavlodar_centre: Organisation
    head: User
    other_head: User
    mediator: Mediator
    other_mediator: Mediator
    case: MediationCase
    agreement: Document
    signed: Document
    users: dict[str, User]


@pytest.fixture(autouse=True)
def _english_pages(_kazakh_by_default):
    from django.utils import translation

    translation.activate("en")
    yield


@pytest.fixture
def med(network, settings, tmp_path) -> MediationNet:
    settings.DATA_DIR = tmp_path
    almaty_centre = OrganisationFactory(
        parent=network.almaty_house,
        kind=kind("mediation_centre"),
        region=region("KZ-75"),
        name_en="Mediation Centre of Almaty",
        name_kk="Алматы медиация орталығы",
        name_ru="Центр медиации Алматы",
        address="Almaty, Abay 1",
        phone="+7 727 000 00 00",
    )
    pavlodar_centre = OrganisationFactory(
        parent=network.pavlodar_house,
        kind=kind("mediation_centre"),
        region=region("KZ-55"),
        name_en="Mediation Centre of Pavlodar",
    )
    users = dict(network.users)
    head = UserFactory(username="head_almaty")
    GrantFactory(user=head, role=Role.CENTRE_HEAD, organisation=almaty_centre)
    other_head = UserFactory(username="head_pavlodar")
    GrantFactory(user=other_head, role=Role.CENTRE_HEAD, organisation=pavlodar_centre)
    staff = UserFactory(username="staff_almaty_centre")
    GrantFactory(user=staff, role=Role.BODY_STAFF, organisation=almaty_centre)
    mediator_user = UserFactory(username="mediator_a")
    other_user = UserFactory(username="mediator_b")
    mediator = MediatorFactory(
        person=PersonFactory(registered_by=almaty_centre, last_name="Серікбаев"),
        user=mediator_user,
    )
    other_mediator = MediatorFactory(
        person=PersonFactory(registered_by=almaty_centre, last_name="Омаров"), user=other_user
    )
    case = services.case_open(
        actor=head,
        centre=almaty_centre,
        kind="family",
        source="walk_in",
        parties=[
            services.PartyData(name=PARTY_NAME, phone="+77010000001", is_applicant=True),
            services.PartyData(name=OTHER_PARTY),
        ],
        language="kk",
        description="A dispute about the upbringing of a child.",
        consent=True,
    )
    services.case_assign(actor=head, case=case, mediator=mediator)
    agreement = services.agreement_generate(
        actor=mediator_user,
        case=case,
        terms="The child lives with the mother; weekends with father.",
    )
    signed = services.document_upload(actor=mediator_user, case=case, file=upload())
    users.update(
        {
            "head_almaty": head,
            "head_pavlodar": other_head,
            "staff_almaty_centre": staff,
            "mediator_a": mediator_user,
            "mediator_b": other_user,
        }
    )
    return MediationNet(
        almaty_centre=almaty_centre,
        pavlodar_centre=pavlodar_centre,
        head=head,
        other_head=other_head,
        mediator=mediator,
        other_mediator=other_mediator,
        case=case,
        agreement=agreement,
        signed=signed,
        users=users,
    )


def docx_text(data: bytes) -> str:
    from docx import Document as Docx

    document = Docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
