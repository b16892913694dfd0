"""factory-boy factories for the registry and access models."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from birlik.access.models import Grant, Role, User
from birlik.geo.models import District, Region
from birlik.registry.models import (
    Membership,
    OpeningHours,
    Organisation,
    OrganisationKind,
    Person,
)


def kind(code: str) -> OrganisationKind:
    return OrganisationKind.objects.get(code=code)


def region(iso: str) -> Region:
    return Region.objects.get(iso=iso)


def district_of(iso: str) -> District:
    return District.objects.filter(region__iso=iso, kind="district").order_by("kato").first()


class OrganisationFactory(factory.django.DjangoModelFactory):
    """Bodies are created through treebeard so the materialised path is right."""

    class Meta:
        model = Organisation

    kind = factory.LazyFunction(lambda: kind("house_of_friendship"))
    name_kk = factory.Sequence(lambda n: f"Ұйым {n}")
    name_ru = factory.Sequence(lambda n: f"Организация {n}")
    name_en = factory.Sequence(lambda n: f"Body {n}")
    founded_on = datetime.date(2015, 3, 1)

    @classmethod
    def _create(
        cls, model_class: Any, *args: Any, parent: Organisation | None = None, **kwargs: Any
    ):
        groups = kwargs.pop("ethnic_groups", None)
        obj = model_class(**kwargs)
        obj.refresh_search_text()
        obj = (
            model_class.objects.add_root(instance=obj)
            if parent is None
            else model_class.objects.add_child(parent, instance=obj)
        )
        if groups:
            obj.ethnic_groups.set(groups)
        return obj


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    last_name = factory.Sequence(lambda n: f"Сейітов{n}")
    first_name = "Ерлан"
    patronymic = "Нұрланұлы"
    registered_by = factory.SubFactory(OrganisationFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER
    start_date = datetime.date(2024, 1, 15)


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    """One interval of a body's week: Monday 09:00–13:00 unless told otherwise."""

    class Meta:
        model = OpeningHours

    organisation = factory.SubFactory(OrganisationFactory)
    weekday = 0
    opens = datetime.time(9)
    closes = datetime.time(13)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_after(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class GrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Grant

    user = factory.SubFactory(UserFactory)
    role = Role.BODY_STAFF
    organisation = factory.SubFactory(OrganisationFactory)
    created_at = factory.LazyFunction(timezone.now)


def png_bytes() -> bytes:
    """A real 1×1 PNG image (uploads are checked by their bytes)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
