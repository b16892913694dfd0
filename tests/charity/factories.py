"""Charity fixtures' builders: centres, their staff, requests taken through the services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from birlik.access.models import Role, User
from birlik.charity import services
from birlik.charity.models import Category, HelpRequest, Kind, Project
from birlik.registry.models import Organisation

from ..factories import GrantFactory, OrganisationFactory, UserFactory, district_of, kind, region

BENEFICIARY = "Айгүл Сапарова"


@dataclass
class Charity:
    centre: Organisation  # Pavlodar centre
    other_centre: Organisation  # Almaty centre
    worker: User  # body_staff of the centre, named on the request
    colleague: User  # body_staff of the centre, not named
    head: User  # centre_head of the centre
    other_head: User  # centre_head of the Almaty centre
    project: Project
    request: HelpRequest


def centre(parent: Organisation, iso: str) -> Organisation:
    return OrganisationFactory(
        parent=parent,
        kind=kind("charity_centre"),
        region=region(iso),
        name_kk=f"«Жомарт жан» {iso}",
        name_ru=f"«Жомарт жан» {iso}",
        name_en=f"Zhomart Zhan {iso}",
    )


def staff(organisation: Organisation, role: str, name: str) -> User:
    user = UserFactory(username=name, email=f"{name}@example.kz")
    GrantFactory(user=user, role=role, organisation=organisation)
    return user


def make_project(centre: Organisation, **kwargs) -> Project:
    values = {
        "title_kk": "Мектепке жол",
        "title_ru": "Дорога в школу",
        "title_en": "Road to school",
        "category": Category.CHILDREN,
        "budget": 1_000_000,
        "starts_on": datetime.date(2026, 8, 1),
        "ends_on": datetime.date(2026, 12, 31),
        "sources": ["own", "sponsors"],
    }
    values.update(kwargs)
    return services.project_create(actor=None, centre=centre, **values)


def make_request(centre: Organisation, worker: User | None, **kwargs) -> HelpRequest:
    values = {
        "source": HelpRequest.Source.CENTRE,
        "category": Category.CHILDREN,
        "need": "Мектепке дайындық: рюкзак, кітаптар, киім",
        "region": centre.region,
        "district": district_of(centre.region.iso),
        "amount": 60_000,
        "beneficiary_name": BENEFICIARY,
        "beneficiary_phone": "+77015550101",
        "beneficiary_address": "Павлодар, Торайғыров к-сі, 12",
        "consent": True,
        "actor": worker,
    }
    values.update(kwargs)
    return services.request_register(centre=centre, **values)


def build(network) -> Charity:
    pavlodar_centre = centre(network.pavlodar, "KZ-55")
    almaty_centre = centre(network.almaty, "KZ-75")
    worker = staff(pavlodar_centre, Role.BODY_STAFF, "worker")
    colleague = staff(pavlodar_centre, Role.BODY_STAFF, "colleague")
    head = staff(pavlodar_centre, Role.CENTRE_HEAD, "head")
    other_head = staff(almaty_centre, Role.CENTRE_HEAD, "other_head")
    project = make_project(pavlodar_centre)
    request = make_request(pavlodar_centre, worker)
    return Charity(
        centre=pavlodar_centre,
        other_centre=almaty_centre,
        worker=worker,
        colleague=colleague,
        head=head,
        other_head=other_head,
        project=project,
        request=request,
    )


def pdf_upload(name: str = "doc.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", "application/pdf")


def bring_to_helping(charity: Charity, request: HelpRequest | None = None) -> HelpRequest:
    """Verify a request on a home visit and attach it to the project."""
    request = request or charity.request
    services.request_record_visit(
        actor=charity.worker,
        help_request=request,
        visit_on=timezone.localdate(),
        note="Семья живёт в съёмной квартире",
    )
    services.request_verify(
        actor=charity.worker, help_request=request, public_need="Школьный набор для ребёнка"
    )
    return services.request_attach(
        actor=charity.worker, help_request=request, project=charity.project
    )


def give(charity: Charity, amount: int = 100_000, **kwargs):
    return services.donation_record(
        actor=charity.worker,
        project=charity.project,
        kind=Kind.MONEY,
        amount=amount,
        donor_name="ТОО «Ертіс»",
        donor_kind="company",
        donor_email="donor@example.kz",
        **kwargs,
    )
