"""Volunteers' builders: verified participants with profiles, calls through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from birlik.access.models import User
from birlik.registry.models import Organisation
from birlik.volunteers import services
from birlik.volunteers.models import Call, Profile, Skill

from ..factories import UserFactory, region


def participant(name: str = "Айгерім Сапарова", *, verified: bool = True, **extra) -> User:
    return UserFactory(
        full_name=name,
        email=f"volunteer{User.objects.count()}@example.kz",
        phone_verified_at=timezone.now() if verified else None,
        **extra,
    )


def volunteer(name: str = "Айгерім Сапарова", iso: str = "KZ-55") -> Profile:
    user = participant(name)
    return services.profile_save(
        user=user,
        full_name=name,
        region=region(iso),
        skills=Skill.objects.filter(code="guiding"),
        languages=["kk", "ru"],
        availability=["weekends"],
        consent=True,
    )


def call_of(
    actor: User,
    body: Organisation,
    *,
    places: int = 2,
    starts_in: datetime.timedelta = datetime.timedelta(days=3),
    hours: int = 4,
    **data,
) -> Call:
    starts = timezone.now() + starts_in
    values = {
        "title_kk": "Фестивальге волонтерлер",
        "title_ru": "Волонтеры на фестиваль",
        "title_en": "Volunteers for the festival",
        "places": places,
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=hours),
        "region": body.region,
        "purpose": Call.Purpose.OTHER,
    }
    values.update(data)
    return services.call_save(actor=actor, organisation=body, data=values)
