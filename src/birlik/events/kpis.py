"""Indicators of events: events held and participants, by kind of body, region, programme and
audience, for a period. Counted in the database from the events' maintained rollups."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birlik.core.kpi import Period, Row, dimension_labels, indicator
from birlik.geo.models import Region

from .models import Audience, Event, Programme, Registration

HELD = Q(status=Event.Status.HELD) | Q(status=Event.Status.REPORTED, report__held=True)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def held_events(period: Period, region: Region | None = None) -> QuerySet[Event]:
    """Events that took place in the period (by their start date in Asia/Almaty)."""
    # A range on the column itself (not ``starts_at__date``, a function of every row) lets the
    # database use the (status, starts_at) and (region, starts_at) indexes.
    qs = Event.objects.filter(HELD).filter(
        starts_at__gte=_local_midnight(period.start),
        starts_at__lt=_local_midnight(period.end + datetime.timedelta(days=1)),
    )
    return qs.filter(region=region) if region is not None else qs


def _rows(qs: QuerySet[Event], field: str, dim: str, measure: str) -> list[Row]:
    value = Count("id", distinct=True) if measure == "events" else Sum("participants_total")
    rows = qs.values(field).annotate(value=value).order_by(field)
    return [{dim: r[field] or "none", "value": r["value"] or 0} for r in rows]


def _declare(measure: str, dim: str, field: str, order: int) -> None:
    names = {
        ("events", "kind"): _("Events held by kind of body"),
        ("events", "region"): _("Events held by region"),
        ("events", "programme"): _("Events held by programme"),
        ("events", "audience"): _("Events held by audience"),
        ("events", "event_kind"): _("Events held by kind of event"),
        ("participants", "kind"): _("Participants by kind of body"),
        ("participants", "region"): _("Participants by region"),
        ("participants", "programme"): _("Participants by programme"),
        ("participants", "audience"): _("Participants by audience"),
        ("participants", "event_kind"): _("Participants by kind of event"),
    }
    unit = _("events") if measure == "events" else _("participants")
    suffix = "" if dim == "kind" else f"_by_{dim}"

    @indicator(
        f"events.{measure}{suffix}",
        name=names[(measure, dim)],
        unit=unit,
        dimensions=(dim,),
        order=order,
        description=_(
            "Participants: people checked in online plus those the organiser reported; an event "
            "with several audiences counts for each of them."
        )
        if measure == "participants"
        else _("Events held (or reported as held) that started in the period."),
    )
    def compute(period: Period, region: Region | None) -> list[Row]:
        return _rows(held_events(period, region), field, dim, measure)


for _order, (_dim, _field) in enumerate(
    [
        ("kind", "organiser__kind__code"),
        ("region", "region__iso"),
        ("programme", "programme__code"),
        ("audience", "audiences__code"),
        ("event_kind", "kind"),
    ]
):
    _declare("events", _dim, _field, 100 + _order)
    _declare("participants", _dim, _field, 200 + _order)


@indicator(
    "events.participants_unique",
    name=_("Unique participants identified"),
    unit=_("people"),
    dimensions=(),
    order=300,
    description=_(
        "Different people checked in at events of the period, known by their phone or e-mail; "
        "people only counted on paper without contact are not included."
    ),
)
def participants_unique(period: Period, region: Region | None) -> list[Row]:
    qs = Registration.objects.filter(
        checked_in_at__isnull=False,
        event__in=held_events(period, region).values("pk"),
    ).exclude(status=Registration.Status.CANCELLED)
    return [{"value": qs.values("participant_key").distinct().count()}]


@dimension_labels("programme")
def programme_labels() -> dict[str, str]:
    labels = {p.code: p.name for p in Programme.objects.all()}
    labels["none"] = str(_("outside programmes"))
    return labels


@dimension_labels("audience")
def audience_labels() -> dict[str, str]:
    labels = {a.code: a.name for a in Audience.objects.all()}
    labels["none"] = str(_("audience not given"))
    return labels


@dimension_labels("event_kind")
def event_kind_labels() -> dict[str, str]:
    return {code: str(label) for code, label in Event.Kind.choices}
