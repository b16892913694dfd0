"""Events for the portal tests, planned and published through the services as staff would."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from birlik.events import services
from birlik.events.models import Audience, Event, EventAttachment, Programme, Registration
from birlik.registry.models import Organisation
from tests.conftest import Network

# A 1×1 PNG: a real image, so the photo view has real bytes to serve.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def in_days(days: float, hour: int = 15) -> datetime.datetime:
    """A time ``days`` from today at ``hour`` o'clock in Asia/Almaty."""
    day = timezone.localdate() + datetime.timedelta(days=int(days))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def make_event(
    network: Network,
    *,
    organiser: Organisation | None = None,
    title: str = "Достық фестивалі",
    title_en: str = "Friendship festival",
    title_ru: str = "Фестиваль дружбы",
    starts_at: datetime.datetime | None = None,
    hours: int = 2,
    publish: bool = True,
    audiences: tuple[str, ...] = (),
    co_organisers: tuple[Organisation, ...] = (),
    programme: str | None = None,
    **data: Any,
) -> Event:
    """An event planned by the national admin; published (open) unless ``publish=False``."""
    actor = network.users["admin"]
    starts = starts_at or in_days(7)
    values: dict[str, Any] = {
        "title_kk": title,
        "title_ru": title_ru,
        "title_en": title_en,
        "description_kk": "Барлық тұрғындарды шақырамыз.",
        "description_en": "Everyone is welcome.",
        "address_kk": "Павлодар қ., Достық көшесі, 12",
        "address_en": "12 Dostyk Street, Pavlodar",
        "kind": Event.Kind.FESTIVAL,
        "format": Event.Format.IN_PERSON,
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=hours),
        "languages": ["kk", "ru"],
        "registration_required": True,
    }
    if programme:
        values["programme"] = Programme.objects.get(code=programme)
    values.update(data)
    event = services.event_create(
        actor=actor,
        organiser=organiser or network.pavlodar_house,
        data=values,
        audiences=Audience.objects.filter(code__in=audiences),
        co_organisers=co_organisers,
    )
    if publish and values["registration_required"] and event.ends_at > timezone.now():
        event = services.event_publish(actor=actor, event=event)
    return event


def make_past_event(network: Network, *, days_ago: int = 10, **kwargs: Any) -> Event:
    """An event that took place (planned and held in the past: written as data, not services,
    since services rightly refuse to plan an event in the past for registration)."""
    starts = in_days(-days_ago)
    if days_ago == 0:
        # Earlier today, whatever the hour the suite runs at (past midnight in Almaty, 15:00
        # is still to come): not before today's midnight, so "this year" stays this year.
        midnight = timezone.make_aware(
            datetime.datetime.combine(timezone.localdate(), datetime.time(0, 0))
        )
        starts = max(midnight, min(starts, timezone.now() - datetime.timedelta(minutes=1)))
    event = make_event(network, starts_at=in_days(3), publish=False, **kwargs)
    Event.objects.filter(pk=event.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2)
    )
    event.refresh_from_db()
    return event


def report(network: Network, event: Event, *, count: int = 40, outcomes: str = "") -> Event:
    services.event_report_submit(
        actor=network.users["admin"],
        event=event,
        held=True,
        reported_count=count,
        outcomes=outcomes,
    )
    event.refresh_from_db()
    return event


def attach(event: Event, *, kind: str, name: str, content: bytes, content_type: str):
    attachment = EventAttachment(
        event=event, kind=kind, content_type=content_type, size=len(content), caption=name
    )
    attachment.file.save(name, ContentFile(content), save=False)
    attachment.save()
    return attachment


def register(event: Event, *, name: str, phone: str = "", email: str = "") -> Registration:
    return services.registration_create(
        event=event, full_name=name, phone=phone, email=email, consent=True, language="kk"
    )
