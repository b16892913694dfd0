"""Every write to events: planning, registration with a waiting list, check-in, reports.

Places are taken with one conditional UPDATE (``confirmed_count < capacity``), so concurrent
registrations for the last places can never overbook, on SQLite or PostgreSQL; the database
also refuses ``confirmed_count > capacity`` with a check constraint.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, DateField, F, Min, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce, ExtractMonth, ExtractYear, TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.access.models import AuditEntry, User
from birlik.access.services import audit_record, diff, snapshot
from birlik.core import cleaning, kpi, uploads
from birlik.core.cleaning import clean_text, match_key
from birlik.core.errors import DomainError
from birlik.core.text import fold
from birlik.notify.services import notice_queue
from birlik.registry.models import Organisation
from birlik.registry.services import ImportSummary

from .models import (
    COUNTRY,
    FOUNDING_YEAR,
    Audience,
    Event,
    EventAttachment,
    EventAudienceFigure,
    EventFigure,
    EventFiguresBuilt,
    EventMonthFigure,
    EventReport,
    HistoricalFigure,
    ParticipantMonth,
    ParticipantYear,
    ParticipantYearCount,
    Programme,
    Registration,
)

LANGS = ("kk", "ru", "en")
EVENT_FIELDS = [
    *(f"title_{lang}" for lang in LANGS),
    *(f"description_{lang}" for lang in LANGS),
    *(f"address_{lang}" for lang in LANGS),
    "programme",
    "kind",
    "format",
    "region",
    "district",
    "venue",
    "online_url",
    "starts_at",
    "ends_at",
    "languages",
    "accessibility",
    "capacity",
    "registration_required",
    "status",
]
EDITABLE_EVENT_FIELDS = frozenset(EVENT_FIELDS) - {"status"}
NULLABLE_EVENT_FIELDS = frozenset({"programme", "district", "venue", "capacity"})


class EventError(DomainError):
    pass


class RegistrationError(EventError):
    pass


def _changed(*events: Event, also: Iterable[tuple[datetime.date, int]] = ()) -> None:
    """Figures change on commit: the cache is dropped and the rollups of the events' months and
    regions (and of ``also``, where an event was before a change) are recounted, with the
    people checked in at these events."""
    transaction.on_commit(kpi.invalidate)
    partitions = {_partition(event) for event in events} | set(also)
    event_ids = {event.pk for event in events}
    if partitions:
        transaction.on_commit(
            lambda: event_figures_refresh(partitions=partitions, event_ids=event_ids)
        )


def _partition(event: Event) -> tuple[datetime.date, int]:
    return timezone.localtime(event.starts_at).date().replace(day=1), event.region_id


def _month_span(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The moments a month (Almaty time) starts and ends."""
    zone = timezone.get_current_timezone()
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return (
        datetime.datetime.combine(month, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(following, datetime.time.min, tzinfo=zone),
    )


def held_q(prefix: str = "") -> Q:
    """Events held, or reported as held: the events the figures count (``prefix``: the path
    from a model that points at the event, ``"event__"``)."""
    return Q(**{f"{prefix}status": Event.Status.HELD}) | Q(
        **{f"{prefix}status": Event.Status.REPORTED, f"{prefix}report__held": True}
    )


@transaction.atomic
def event_figures_refresh(
    *, partitions: Iterable[tuple[datetime.date, int]], event_ids: Iterable[int] = ()
) -> None:
    """Recount the rollups of these (month, region) from the events (``EventMonthFigure``,
    ``EventFigure``, ``EventAudienceFigure``), and the people checked in at these events
    (``ParticipantMonth``, ``ParticipantYear``) in those months."""
    built = EventFiguresBuilt.objects.select_for_update(of=("self",)).first()
    if built is None:
        return  # no rollup yet: the figures count the events themselves
    partitions = sorted(set(partitions))
    for month, region_id in partitions:
        start, end = _month_span(month)
        held = Event.objects.filter(
            held_q(), region_id=region_id, starts_at__gte=start, starts_at__lt=end
        )
        sums = {"events": Count("id"), "participants": Sum("participants_total")}
        where = {"month": month, "region_id": region_id}
        for model in (EventMonthFigure, EventFigure, EventAudienceFigure):
            model.objects.filter(**where).delete()  # type: ignore[attr-defined]
        EventMonthFigure.objects.bulk_create(
            EventMonthFigure(**where, kind_id=row["k"], events=row["events"],
                             participants=row["participants"] or 0)
            for row in kpi.grouped(held, {"k": "organiser__kind_id"}).annotate(**sums).order_by()
        )  # fmt: skip
        EventFigure.objects.bulk_create(
            EventFigure(**where, **_figure_key(row, FIGURE_KEYS), events=row["events"],
                        participants=row["participants"] or 0)
            for row in kpi.grouped(held, {a: p for a, (_f, p) in FIGURE_KEYS.items()})
            .annotate(**sums).order_by()
        )  # fmt: skip
        EventAudienceFigure.objects.bulk_create(
            EventAudienceFigure(**where, **_figure_key(row, AUDIENCE_KEYS), events=row["events"],
                                participants=row["participants"] or 0)
            for row in kpi.grouped(held, {a: p for a, (_f, p) in AUDIENCE_KEYS.items()})
            .annotate(**sums).order_by()
        )  # fmt: skip
    keys = set(
        Registration.objects.filter(event_id__in=list(event_ids)).values_list(
            "participant_key", flat=True
        )
    )
    participants_refresh(keys=keys, months={month for month, _region in partitions})


# The rollups' dimensions: alias in the grouped query → (field of the rollup, path on the event).
FIGURE_KEYS = {
    "d": ("district_id", "district_id"),
    "k": ("kind_id", "organiser__kind_id"),
    "p": ("programme_id", "programme_id"),
    "ek": ("event_kind", "kind"),
}
AUDIENCE_KEYS = {
    "a": ("audience_id", "audiences"),
    "p": ("programme_id", "programme_id"),
    "ek": ("event_kind", "kind"),
}


def _figure_key(row: Mapping[str, Any], keys: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    return {field: row[alias] for alias, (field, _path) in keys.items()}


def participants_refresh(*, keys: Iterable[str], months: Iterable[datetime.date]) -> None:
    """Recount the per-person rollups of these people in these months from their check-ins at
    held events (cancelled registrations and undone check-ins no longer count)."""
    months = sorted(set(months))
    if not months:
        return
    spans = [_month_span(month) for month in months]
    within = Q()
    for start, end in spans:
        within |= Q(event__starts_at__gte=start, event__starts_at__lt=end)
    years = sorted({month.year for month in months})
    keys = sorted(set(keys))
    for offset in range(0, len(keys), 500):
        chunk = keys[offset : offset + 500]
        seen: set[tuple[int, datetime.date, str]] = set()
        checked_in = (
            Registration.objects.filter(
                within, held_q("event__"), participant_key__in=chunk, checked_in_at__isnull=False
            )
            .exclude(status=Registration.Status.CANCELLED)
            .values_list("participant_key", "event__region_id", "event__starts_at")
        )
        for key, region_id, starts_at in checked_in:
            month = timezone.localtime(starts_at).date().replace(day=1)
            seen.add((region_id, month, key))
            seen.add((COUNTRY, month, key))
        ParticipantMonth.objects.filter(participant_key__in=chunk, month__in=months).delete()
        ParticipantMonth.objects.bulk_create(
            ParticipantMonth(scope=scope, month=month, participant_key=key)
            for scope, month, key in seen
        )
        first: dict[tuple[int, int, str], int] = {}
        for scope, month, key in ParticipantMonth.objects.filter(
            participant_key__in=chunk,
            month__gte=datetime.date(years[0], 1, 1),
            month__lte=datetime.date(years[-1], 12, 1),
        ).values_list("scope", "month", "participant_key"):
            if month.year in years:
                at = (scope, month.year, key)
                first[at] = min(first.get(at, 12), month.month)
        before = ParticipantYear.objects.filter(participant_key__in=chunk, year__in=years)
        counted = Counter(before.values_list("scope", "year", "first_month"))
        before.delete()
        ParticipantYear.objects.bulk_create(
            ParticipantYear(scope=scope, year=year, participant_key=key, first_month=month)
            for (scope, year, key), month in first.items()
        )
        counted.subtract((scope, year, month) for (scope, year, _key), month in first.items())
        _participant_counts_move({at: -change for at, change in counted.items() if change})


def _participant_counts_move(changes: Mapping[tuple[int, int, int], int]) -> None:
    """Add ``changes`` (scope, year, first month → people) to ``ParticipantYearCount``; rows
    that fall to no one go. Callers hold the rollups' lock (``EventFiguresBuilt``)."""
    for (scope, year, month), change in changes.items():
        at = {"scope": scope, "year": year, "first_month": month}
        updated = ParticipantYearCount.objects.filter(**at).update(people=F("people") + change)
        if not updated and change > 0:
            # (A fall with no row to take it from means the table differs from its recount:
            # the nightly check rebuilds it; a write never fails for a figure.)
            ParticipantYearCount.objects.create(**at, people=change)
    if any(change < 0 for change in changes.values()):
        ParticipantYearCount.objects.filter(people=0).delete()


def month_of(field: str) -> Cast:
    """The first day of the month (Almaty time) of a moment, computed in the database."""
    return Cast(TruncMonth(field, tzinfo=timezone.get_current_timezone()), DateField())


def event_rollup_parts() -> list[kpi.RollupPart]:
    """The events' rollups as recounts from the events and registrations (``birlik rollups``
    rebuilds them from these and checks them against these)."""
    zone = timezone.get_current_timezone()
    held = Event.objects.filter(held_q()).order_by()
    sums = {"n_events": Count("id"), "n_participants": Coalesce(Sum("participants_total"), 0)}
    measures = {"events": "n_events", "participants": "n_participants"}
    figure_keys = {alias: path for alias, (_field, path) in FIGURE_KEYS.items()}
    audience_keys = {alias: path for alias, (_field, path) in AUDIENCE_KEYS.items()}
    base = {"m": month_of("starts_at"), "r": "region_id"}

    def stored(model: Any, columns: dict[str, str], **where: Any) -> Any:
        rows = model.objects.filter(**where).order_by()
        return kpi.grouped(rows, {alias: field for field, alias in columns.items()})

    parts = []
    for label, model, keys, names in (
        ("EventMonthFigure", EventMonthFigure, {"k": "organiser__kind_id"}, {"kind": "k"}),
        ("EventFigure", EventFigure, figure_keys, {f: a for a, (f, _p) in FIGURE_KEYS.items()}),
        (
            "EventAudienceFigure",
            EventAudienceFigure,
            audience_keys,
            {f: a for a, (f, _p) in AUDIENCE_KEYS.items()},
        ),
    ):
        columns = {"month": "m", "region_id": "r", **names, **measures}
        parts.append(
            kpi.RollupPart(
                label,
                model,
                columns,
                kpi.grouped(held, base | keys).annotate(**sums),
                stored(model, columns),
            )
        )
    checked_in = (
        Registration.objects.filter(held_q("event__"), checked_in_at__isnull=False)
        .exclude(status=Registration.Status.CANCELLED)
        .order_by()
    )
    person = {"m": month_of("event__starts_at"), "pk_": "participant_key"}
    month_columns = {"scope": "s", "month": "m", "participant_key": "pk_"}
    year_columns = {"scope": "s", "year": "y", "participant_key": "pk_", "first_month": "fm"}
    in_year = {"y": ExtractYear("event__starts_at", tzinfo=zone), "pk_": "participant_key"}
    first_month = {"fm": Min(ExtractMonth("event__starts_at", tzinfo=zone))}
    regions = ParticipantMonth.objects.exclude(scope=COUNTRY).order_by()
    parts += [
        kpi.RollupPart(
            "ParticipantMonth (regions)",
            ParticipantMonth,
            month_columns,
            kpi.grouped(checked_in, {"s": "event__region_id"} | person).distinct(),
            stored(ParticipantMonth, month_columns, scope__gt=COUNTRY),
        ),
        kpi.RollupPart(
            "ParticipantMonth (country)",
            ParticipantMonth,
            month_columns,
            kpi.grouped(checked_in, {"s": Value(COUNTRY)} | person).distinct(),
            stored(ParticipantMonth, month_columns, scope=COUNTRY),
            build=kpi.grouped(
                regions, {"s": Value(COUNTRY), "m": "month", "pk_": "participant_key"}
            ).distinct(),
        ),
    ]
    for label, scope, where in (
        ("regions", F("event__region_id"), {"scope__gt": COUNTRY}),
        ("country", Value(COUNTRY), {"scope": COUNTRY}),
    ):
        parts.append(
            kpi.RollupPart(
                f"ParticipantYear ({label})",
                ParticipantYear,
                year_columns,
                kpi.grouped(checked_in, {"s": scope} | in_year).annotate(**first_month),
                stored(ParticipantYear, year_columns, **where),
                build=kpi.grouped(
                    ParticipantMonth.objects.filter(**where).order_by(),
                    {"s": "scope", "y": ExtractYear("month"), "pk_": "participant_key"},
                ).annotate(fm=Min(ExtractMonth("month"))),
            )
        )
    parts.append(
        kpi.RollupPart(
            "ParticipantYearCount",
            ParticipantYearCount,
            {"scope": "s", "year": "y", "first_month": "fm", "people": "n"},
            kpi.grouped(
                ParticipantYear.objects.order_by(),
                {"s": "scope", "y": "year", "fm": "first_month"},
            ).annotate(n=Count("id")),
            kpi.grouped(
                ParticipantYearCount.objects.order_by(),
                {"s": "scope", "y": "year", "fm": "first_month", "n": "people"},
            ),
        )
    )
    return parts


def event_figures_rebuild(*, progress: Callable[[str], None] | None = None) -> int:
    """Build every events rollup again from the events and registrations, in the database
    (``INSERT … SELECT``); returns the rows of ``EventMonthFigure``."""
    say = progress or (lambda _line: None)
    rows = 0
    with transaction.atomic():
        # Taken first: a refresh waits for the rebuild, then recounts on top of it.
        EventFiguresBuilt.objects.all().delete()
        for model in (
            EventMonthFigure,
            EventFigure,
            EventAudienceFigure,
            ParticipantMonth,
            ParticipantYear,
            ParticipantYearCount,
        ):
            model.objects.all().delete()  # type: ignore[attr-defined]
        for part in event_rollup_parts():
            written = part.rebuild()
            rows = rows or written
            say(f"{part.label}: {written} rows")
        EventFiguresBuilt.objects.create()
        kpi.invalidate()  # now for this transaction's readers, and again for everyone's
        transaction.on_commit(kpi.invalidate)
    return rows


# --- Participants ----------------------------------------------------------------------------


def normalise_phone(phone: str) -> str:
    """Kazakhstan numbers in one form: +7 and ten digits (8 7xx… and 7xx… are the same), by
    ``core.cleaning.normalise_phone``; "" for no number, and a number it refuses kept as its
    digits (so that it still names the same person each time)."""
    if not clean_text(phone):
        return ""
    try:
        return cleaning.normalise_phone(phone)
    except ValueError:
        digits = re.sub(r"\D", "", phone)
        if len(digits) == 11 and digits[0] in "78":
            digits = digits[1:]
        return "+7" + digits if len(digits) == 10 else ("+" + digits if digits else "")


def participant_key(*, phone: str = "", email: str = "", full_name: str = "") -> str:
    """A keyed digest naming one person: the phone, else the e-mail, else the folded name."""
    if normalise_phone(phone):
        basis = "phone:" + normalise_phone(phone)
    elif email.strip():
        basis = "email:" + email.strip().lower()
    else:
        basis = "name:" + fold(full_name)
    key = settings.PERSONAL_DATA_KEY.encode()
    return hmac.new(key, basis.encode(), hashlib.sha256).hexdigest()


# --- Planning ----------------------------------------------------------------------------------


def _event_value(field: str, value: Any) -> Any:
    if value is None and field not in NULLABLE_EVENT_FIELDS:
        return ""
    return value


def _codes(values: Iterable[str], allowed: Iterable[str], field: str) -> str:
    codes = [code for code in dict.fromkeys(values) if code]
    unknown = set(codes) - set(allowed)
    if unknown:
        raise EventError(_("Choose values from the list."), field=field)
    return "," + ",".join(codes) + "," if codes else ""


def _check_event(event: Event) -> None:
    if event.ends_at < event.starts_at:
        raise EventError(_("The event cannot end before it starts."), field="ends_at")
    if event.district is not None and event.district.region_id != event.region_id:
        raise EventError(_("The district is not in the chosen region."), field="district")
    if event.format != Event.Format.ONLINE and not (
        event.venue_id or any(getattr(event, f"address_{lang}") for lang in LANGS)
    ):
        raise EventError(_("Give the address or choose the venue."), field="address_kk")
    if event.format != Event.Format.IN_PERSON and not event.online_url:
        raise EventError(_("Give the link to the online event."), field="online_url")
    if event.capacity is not None and event.capacity < event.confirmed_count:
        raise EventError(
            _("%(count)s places are already taken: the number of places cannot be lower.")
            % {"count": event.confirmed_count},
            field="capacity",
        )
    if not event.language_codes:
        raise EventError(_("Choose at least one language of the event."), field="languages")
    if not any(getattr(event, f"title_{lang}") for lang in LANGS):
        raise EventError(_("Give the title of the event."), field="title_kk")
    try:
        event.full_clean(exclude=["organiser", "co_organisers", "audiences", "title", "address"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise EventError(messages[0], field=field) from error


def _prepare(data: Mapping[str, Any]) -> dict[str, Any]:
    prepared = dict(data)
    if "languages" in prepared and not isinstance(prepared["languages"], str):
        prepared["languages"] = _codes(
            prepared["languages"], [code for code, _name in Event.LANGUAGES], "languages"
        )
    if "accessibility" in prepared and not isinstance(prepared["accessibility"], str):
        prepared["accessibility"] = _codes(
            prepared["accessibility"], Event.Accessibility.values, "accessibility"
        )
    return prepared


@transaction.atomic
def event_create(
    *,
    actor: User,
    organiser: Organisation,
    data: Mapping[str, Any],
    audiences: Iterable[Audience] = (),
    co_organisers: Iterable[Organisation] = (),
) -> Event:
    """A body's staff plan an event; it opens for registration when they publish it."""
    policies.require(actor, "events.add_event", organiser)
    if organiser.status != Organisation.Status.ACTIVE:
        raise EventError(_("A closed body cannot plan events."))
    unknown = set(data) - EDITABLE_EVENT_FIELDS
    if unknown:
        raise EventError(
            _("These fields cannot be set here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    event = Event(organiser=organiser, created_by=actor)
    for field, value in _prepare(data).items():
        setattr(event, field, _event_value(field, value))
    if event.region_id is None:
        if organiser.region_id is None:
            raise EventError(_("Choose the region of the event."), field="region")
        event.region_id = organiser.region_id
    _check_event(event)
    event.save()
    event.audiences.set(list(audiences))
    event.co_organisers.set([body for body in co_organisers if body.pk != organiser.pk])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=event,
        organisation_path=organiser.path,
        changes=diff({}, snapshot(event, EVENT_FIELDS)),
    )
    _changed(event)
    return event


@transaction.atomic
def event_update(
    *,
    actor: User,
    event: Event,
    data: Mapping[str, Any],
    audiences: Iterable[Audience] | None = None,
    co_organisers: Iterable[Organisation] | None = None,
) -> Event:
    """Changes an event that has not been reported; places never drop below those taken."""
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    policies.require(actor, "events.change_event", event)
    if event.status in {Event.Status.CANCELLED, Event.Status.REPORTED}:
        raise EventError(_("A cancelled or reported event cannot be changed."))
    unknown = set(data) - EDITABLE_EVENT_FIELDS
    if unknown:
        raise EventError(
            _("These fields cannot be set here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    previous = _partition(event)
    before = snapshot(event, EVENT_FIELDS)
    old_capacity = event.capacity
    for field, value in _prepare(data).items():
        setattr(event, field, _event_value(field, value))
    _check_event(event)
    event.updated_at = timezone.now()
    event.save()
    if audiences is not None:
        event.audiences.set(list(audiences))
    if co_organisers is not None:
        event.co_organisers.set([body for body in co_organisers if body.pk != event.organiser_id])
    changes = diff(before, snapshot(event, EVENT_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=event,
            organisation_path=event.organiser.path,
            changes=changes,
        )
    if event.capacity is None or (old_capacity is not None and event.capacity > old_capacity):
        _promote_waitlist(event)
    _changed(event, also=[previous])
    return event


def _set_status(*, actor: User, event: Event, status: str, note: str = "") -> Event:
    before = snapshot(event, ["status"])
    event.status = status
    event.updated_at = timezone.now()
    event.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=event,
        organisation_path=event.organiser.path,
        changes=diff(before, snapshot(event, ["status"])),
        note=note,
    )
    _changed(event)
    return event


@transaction.atomic
def event_publish(*, actor: User, event: Event) -> Event:
    """A planned event with online registration opens for registration."""
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    policies.require(actor, "events.change_event", event)
    if event.status != Event.Status.PLANNED:
        raise EventError(_("Only a planned event can be opened for registration."))
    if not event.registration_required:
        raise EventError(_("This event takes no registration online."))
    if event.ends_at <= timezone.now():
        raise EventError(_("This event is already over."))
    return _set_status(actor=actor, event=event, status=Event.Status.OPEN)


@transaction.atomic
def event_cancel(*, actor: User, event: Event, reason: str = "") -> Event:
    """A cancelled event tells every registered person, in the language they registered in."""
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    policies.require(actor, "events.cancel_event", event)
    if event.status in {Event.Status.CANCELLED, Event.Status.REPORTED}:
        raise EventError(_("This event is already cancelled or reported."))
    for registration in event.registrations.exclude(status=Registration.Status.CANCELLED):
        _notify(registration, "cancelled")
    return _set_status(actor=actor, event=event, status=Event.Status.CANCELLED, note=reason)


# --- Registration ------------------------------------------------------------------------------


def _take_place(event: Event) -> bool:
    """Take one place if one is free; the condition is checked by the database itself."""
    if event.capacity is None:
        Event.objects.filter(pk=event.pk).update(confirmed_count=F("confirmed_count") + 1)
        return True
    taken = Event.objects.filter(pk=event.pk, confirmed_count__lt=F("capacity")).update(
        confirmed_count=F("confirmed_count") + 1
    )
    return taken == 1


@transaction.atomic
def registration_create(
    *,
    event: Event,
    full_name: str,
    phone: str = "",
    email: str = "",
    consent: bool,
    language: str = "kk",
    user: User | None = None,
    actor: User | None = None,
) -> Registration:
    """A citizen (or staff for them) takes a place; when the event is full, a waiting-list place."""
    if actor is not None:
        policies.require(actor, "events.register_people", event)
    event = Event.objects.get(pk=event.pk)
    allowed = {Event.Status.OPEN} | ({Event.Status.PLANNED} if actor is not None else set())
    if event.status not in allowed or not event.registration_required:
        raise RegistrationError(_("Registration for this event is closed."))
    if event.ends_at <= timezone.now():
        raise RegistrationError(_("This event is already over."))
    full_name = " ".join((full_name or "").split())
    if not full_name:
        raise RegistrationError(_("Give your name."), field="full_name")
    if not normalise_phone(phone) and not email.strip():
        raise RegistrationError(
            _("Give a phone number or an e-mail address, so that we can send your ticket."),
            field="phone",
        )
    if phone and len(re.sub(r"\D", "", phone)) not in (10, 11):
        raise RegistrationError(
            _("Give the phone number with its code, for example +7 701 234 56 78."), field="phone"
        )
    if not consent:
        raise RegistrationError(
            _("Registration needs your consent to the processing of your personal data."),
            field="consent",
        )
    key = participant_key(phone=phone, email=email, full_name=full_name)
    if event.registrations.filter(participant_key=key).exclude(status="cancelled").exists():
        raise RegistrationError(
            _("You are already registered for this event. Your ticket was sent to you."),
            field="phone",
        )
    confirmed = _take_place(event)
    if not confirmed:
        Event.objects.filter(pk=event.pk).update(waitlist_count=F("waitlist_count") + 1)
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event,
                full_name=full_name[:200],
                phone=normalise_phone(phone),
                email=email.strip(),
                participant_key=key,
                user=user if user is not None and user.is_authenticated else None,
                language=language if language in LANGS else "kk",
                status=(
                    Registration.Status.CONFIRMED if confirmed else Registration.Status.WAITLISTED
                ),
                source=Registration.Source.STAFF if actor else Registration.Source.ONLINE,
                consent_given_at=timezone.now(),
            )
    except IntegrityError:
        # The same person registered at the same moment in another request: undo our place.
        raise RegistrationError(
            _("You are already registered for this event. Your ticket was sent to you."),
            field="phone",
        ) from None
    _notify(registration, "confirmed" if confirmed else "waitlisted")
    if confirmed:
        _schedule_reminder(registration)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: User | None = None) -> Registration:
    """A freed place goes to the first person on the waiting list, who is told at once."""
    if actor is not None:
        policies.require(actor, "events.register_people", registration.event)
    event = Event.objects.select_for_update(of=("self",)).get(pk=registration.event_id)
    registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise RegistrationError(_("This registration is already cancelled."))
    if registration.checked_in_at is not None:
        raise RegistrationError(_("This person has already come to the event."))
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if was_confirmed:
        Event.objects.filter(pk=event.pk).update(confirmed_count=F("confirmed_count") - 1)
        # A place freed at a cancelled or finished event helps nobody: no promotion notices.
        if event.status in {Event.Status.OPEN, Event.Status.PLANNED} and (
            event.ends_at > timezone.now()
        ):
            _promote_waitlist(event)
    else:
        Event.objects.filter(pk=event.pk).update(waitlist_count=F("waitlist_count") - 1)
    return registration


def _promote_waitlist(event: Event) -> int:
    """Fill free places from the waiting list, oldest first."""
    promoted = 0
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "created_at", "id"
    )
    for registration in waiting:
        if not _take_place(event):
            break
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status"])
        Event.objects.filter(pk=event.pk).update(waitlist_count=F("waitlist_count") - 1)
        _notify(registration, "promoted")
        _schedule_reminder(registration)
        promoted += 1
    return promoted


def check_in_opens_at(event: Event) -> datetime.datetime:
    """Check-in at the door opens EVENT_CHECK_IN_OPENS_MINUTES before the event starts."""
    return event.starts_at - datetime.timedelta(minutes=settings.EVENT_CHECK_IN_OPENS_MINUTES)


def check_in_not_yet_open(
    event: Event, *, now: datetime.datetime | None = None
) -> RegistrationError | None:
    """The refusal of a check-in before the window opens, saying when it opens; None once open.

    After the event has ended check-in stays open: staff may still mark from the list those
    who came, and the paper sign-in sheet counts the rest."""
    opens_at = check_in_opens_at(event)
    if (now or timezone.now()) >= opens_at:
        return None
    local = timezone.localtime(opens_at)
    return RegistrationError(
        _("Check-in opens at %(time)s on %(date)s.")
        % {"time": local.strftime("%H:%M"), "date": local.strftime("%d.%m.%Y")},
        field="code",
    )


@transaction.atomic
def registration_check_in(*, actor: User, event: Event, code: str) -> Registration:
    """At the door, from the opening of check-in: a confirmed ticket of this event is checked
    in once."""
    policies.require(actor, "events.check_in", event)
    if event.status == Event.Status.CANCELLED:
        raise RegistrationError(_("A cancelled event has no attendance."), field="code")
    not_yet = check_in_not_yet_open(event)
    if not_yet is not None:
        raise not_yet
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .filter(event=event, ticket_code=(code or "").strip())
        .first()
    )
    if registration is None:
        raise RegistrationError(_("No ticket of this event has this code."), field="code")
    if registration.status != Registration.Status.CONFIRMED:
        raise RegistrationError(
            _("This ticket is not confirmed: %(status)s.")
            % {"status": registration.get_status_display()},
            field="code",
        )
    if registration.checked_in_at is not None:
        raise RegistrationError(
            _("This ticket was already checked in at %(time)s.")
            % {"time": timezone.localtime(registration.checked_in_at).strftime("%H:%M")},
            field="code",
        )
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at"])
    _recount(event)
    return registration


def _recount(event: Event) -> None:
    """The rollup the figures read: attended registrations plus people reported on paper."""
    attended = event.registrations.filter(checked_in_at__isnull=False).exclude(
        status=Registration.Status.CANCELLED
    )
    report = EventReport.objects.filter(event=event).first()
    held = report is None or report.held
    reported = report.reported_count if report is not None and report.held else 0
    count = attended.count()
    Event.objects.filter(pk=event.pk).update(
        attended_count=count,
        reported_count=reported,
        participants_total=(count + reported) if held else 0,
    )
    _changed(event)


@dataclass(frozen=True)
class SheetRow:
    line: int
    full_name: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class SheetSummary:
    checked_in: int
    already_counted: int
    added: int


@transaction.atomic
def attendance_sheet_apply(*, actor: User, event: Event, rows: Sequence[SheetRow]) -> SheetSummary:
    """A paper sign-in sheet: people already registered are checked in, not counted again."""
    policies.require(actor, "events.report_event", event)
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.starts_at > timezone.now():
        raise EventError(_("Attendance can be recorded once the event has started."))
    if event.status == Event.Status.CANCELLED:
        raise EventError(_("A cancelled event has no attendance."))
    existing = {
        reg.participant_key: reg
        for reg in event.registrations.exclude(status=Registration.Status.CANCELLED)
    }
    checked_in = already = added = 0
    seen: set[str] = set()
    for row in rows:
        key = participant_key(phone=row.phone, email=row.email, full_name=row.full_name)
        if key in seen:
            already += 1
            continue
        seen.add(key)
        registration = existing.get(key)
        if registration is not None:
            if registration.checked_in_at is None:
                registration.checked_in_at = event.starts_at
                if registration.status == Registration.Status.WAITLISTED:
                    # Came without a place: counted, but no place is taken after the fact.
                    registration.status = Registration.Status.CONFIRMED
                    Event.objects.filter(pk=event.pk).update(waitlist_count=F("waitlist_count") - 1)
                registration.save(update_fields=["checked_in_at", "status"])
                checked_in += 1
            else:
                already += 1
            continue
        Registration.objects.create(
            event=event,
            full_name=row.full_name[:200],
            phone=normalise_phone(row.phone),
            email=row.email.strip(),
            participant_key=key,
            status=Registration.Status.CONFIRMED,
            source=Registration.Source.PAPER,
            consent_given_at=timezone.now(),
            checked_in_at=event.starts_at,
        )
        added += 1
    _recount(event)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        obj=event,
        organisation_path=event.organiser.path,
        changes={"checked_in": [0, checked_in], "added": [0, added]},
        note="attendance sheet",
    )
    return SheetSummary(checked_in=checked_in, already_counted=already, added=added)


@transaction.atomic
def attendance_sheet_record(
    *, actor: User, event: Event, rows: Sequence[SheetRow], scan: Any = None
) -> SheetSummary:
    """A paper sign-in sheet with, if given, the scan of the signed sheet (a photo or a PDF)
    kept as evidence among the event's documents: both are recorded or neither."""
    if scan is not None:
        # Refused before anything is written: only a photo or a PDF within the limit.
        uploads.check_file(scan, kinds=uploads.PDF_JPEG_PNG, max_bytes=uploads.ATTACHMENT_LIMIT)
    summary = attendance_sheet_apply(actor=actor, event=event, rows=rows)
    if scan is not None:
        attachment_add(
            actor=actor,
            event=event,
            uploaded_file=scan,
            kind=EventAttachment.Kind.DOCUMENT,
            caption=gettext("Signed sign-in sheet, %(date)s")
            % {"date": timezone.localdate(event.starts_at).strftime("%d.%m.%Y")},
        )
    return summary


@transaction.atomic
def event_report_submit(
    *,
    actor: User,
    event: Event,
    held: bool,
    reported_count: int = 0,
    breakdown: Mapping[str, int] | None = None,
    outcomes: str = "",
    press_links: str = "",
) -> EventReport:
    """After the event: held or not, people counted beyond online check-in, outcomes, press."""
    policies.require(actor, "events.report_event", event)
    event = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        raise EventError(_("A cancelled event is not reported."))
    if held and event.starts_at > timezone.now():
        raise EventError(_("An event is reported once it has taken place."))
    if reported_count < 0:
        raise EventError(
            _("The number of participants cannot be negative."), field="reported_count"
        )
    clean_breakdown: dict[str, int] = {}
    for code, value in (breakdown or {}).items():
        if not isinstance(value, int) or value < 0:
            raise EventError(
                _("Each number of the breakdown must be 0 or more."), field="breakdown"
            )
        if value:
            clean_breakdown[str(code)] = value
    attended = event.registrations.filter(checked_in_at__isnull=False).count()
    if sum(clean_breakdown.values()) > reported_count + attended:
        raise EventError(
            _("The breakdown adds up to more people than took part."), field="breakdown"
        )
    now = timezone.now()
    late = now > event.ends_at + datetime.timedelta(days=settings.EVENT_REPORT_DAYS)
    report, created = EventReport.objects.update_or_create(
        event=event,
        defaults={
            "held": held,
            "reported_count": reported_count if held else 0,
            "breakdown": clean_breakdown,
            "outcomes": outcomes,
            "press_links": press_links,
            "submitted_by": actor,
            "submitted_at": now,
            "is_late": late,
        },
    )
    event.status = Event.Status.REPORTED
    event.updated_at = now
    event.save(update_fields=["status", "updated_at"])
    _recount(event)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=report,
        organisation_path=event.organiser.path,
        changes={
            "held": [None, held],
            "reported_count": [None, report.reported_count],
            "late": [None, late],
        },
    )
    return report


# --- Attachments ------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(
    *, actor: User, event: Event, uploaded_file: Any, kind: str, caption: str = ""
) -> EventAttachment:
    """Photos and documents of an event: JPEG, PNG, WebP or PDF by content, within the limit."""
    policies.require(actor, "events.report_event", event)
    if event.status == Event.Status.CANCELLED:
        raise EventError(_("A cancelled event takes no photos or documents."))
    if kind not in EventAttachment.Kind.values:
        raise EventError(_("Choose values from the list."), field="kind")
    checked = uploads.check_file(uploaded_file, max_bytes=uploads.ATTACHMENT_LIMIT)
    if kind == EventAttachment.Kind.PHOTO and not checked.is_image:
        raise uploads.UploadError(
            _("A photo must be a JPEG, PNG or WebP image. Attach a PDF as a document."),
            field="file",
        )
    attachment = EventAttachment(
        event=event,
        kind=kind,
        content_type=checked.content_type,
        size=len(checked.data),
        caption=" ".join((caption or "").split())[:300],
        uploaded_by=actor,
    )
    # A random name: nothing the uploader chose reaches the file system.
    name = f"{secrets.token_urlsafe(12)}.{checked.extension}"
    attachment.file.save(name, ContentFile(checked.data), save=False)
    stored = str(attachment.file.name)
    try:
        attachment.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=attachment,
            organisation_path=event.organiser.path,
            changes={
                "event": [None, event.pk],
                "kind": [None, kind],
                "content_type": [None, checked.content_type],
                "size": [None, attachment.size],
            },
        )
    except Exception:
        attachment.file.storage.delete(stored)
        raise
    return attachment


# --- Imports: past events and yearly totals from earlier records ----------------------------

# Bounds that catch a mistyped number (an extra zero, a date typed into the count column).
MAX_EVENT_PARTICIPANTS = 1_000_000
MAX_YEAR_EVENTS = 1_000_000
MAX_YEAR_PARTICIPANTS = 100_000_000
TITLE_MAX = 300
PLACE_MAX = 300
_KAZAKH_LETTERS = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_CYRILLIC_LETTERS = re.compile("[\u0400-\u04ff]")


@dataclass(frozen=True)
class EventImportSummary(ImportSummary):
    """What an import did: rows created, changed, and left as they were (already recorded)."""

    unchanged: int = 0


class EventImportRowError(EventError):
    """A row broke a rule when applied: the whole call is rolled back."""

    def __init__(self, *, line: int, message: Any, field: str | None = None) -> None:
        super().__init__(
            _("Row %(line)s: %(message)s") % {"line": line, "message": message}, field=field
        )
        self.line = line


@dataclass(frozen=True)
class HistoricalRow:
    """One line of a past figures spreadsheet: a body's events and participants of a year."""

    line: int
    organisation: Organisation
    year: int
    programme: Programme | None
    events: int
    participants: int


@dataclass(frozen=True)
class PastEventRow:
    """One event of a regional activity report, already held."""

    line: int
    organiser: Organisation
    title: str
    date: datetime.date
    kind: str
    programme: Programme | None
    participants: int
    place: str = ""


def historical_row_problems(row: HistoricalRow) -> list[str]:
    """What is wrong with a yearly total (translated), empty when it can be imported: the year
    lies from the Assembly's founding (1995) to last year, and the numbers are plausible."""
    problems: list[str] = []
    last = timezone.localdate().year - 1
    if not FOUNDING_YEAR <= row.year <= last:
        problems.append(
            gettext(
                "The year must be from %(first)s to %(last)s: the figures of this year are "
                "counted from the events recorded in Birlik."
            )
            % {"first": FOUNDING_YEAR, "last": last}
        )
    if row.events < 0:
        problems.append(gettext("The number of events cannot be negative."))
    elif row.events > MAX_YEAR_EVENTS:
        problems.append(_too_large(row.events))
    if row.participants < 0:
        problems.append(gettext("The number of participants cannot be negative."))
    elif row.participants > MAX_YEAR_PARTICIPANTS:
        problems.append(_too_large(row.participants))
    if row.events == 0 and row.participants > 0:
        problems.append(
            gettext("Participants are given but no events: give the number of events held.")
        )
    return problems


def _too_large(value: int) -> str:
    return gettext("%(value)s is too large here: check the number.") % {"value": value}


def _day(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def past_event_problems(row: PastEventRow) -> list[str]:
    """What is wrong with a past event (translated), empty when it can be imported: a title, a
    date from 1995 to today, a known kind, a plausible number of participants, an organiser
    with a region that was open on that date."""
    problems: list[str] = []
    title = clean_text(row.title)
    if not title:
        problems.append(gettext("Give the title of the event."))
    elif len(title) > TITLE_MAX:
        problems.append(
            gettext("The title is too long: shorten it to %(count)s characters.")
            % {"count": TITLE_MAX}
        )
    if row.date > timezone.localdate():
        problems.append(
            gettext("The date %(date)s is in the future: only events already held are imported.")
            % {"date": _day(row.date)}
        )
    elif row.date.year < FOUNDING_YEAR:
        problems.append(
            gettext("The date %(date)s is before %(year)s, when the Assembly was founded.")
            % {"date": _day(row.date), "year": FOUNDING_YEAR}
        )
    if row.kind not in Event.Kind.values:
        problems.append(gettext("Choose the kind of event from the list."))
    if row.participants < 0:
        problems.append(gettext("The number of participants cannot be negative."))
    elif row.participants > MAX_EVENT_PARTICIPANTS:
        problems.append(_too_large(row.participants))
    if len(clean_text(row.place)) > PLACE_MAX:
        problems.append(
            gettext("The place is too long: shorten it to %(count)s characters.")
            % {"count": PLACE_MAX}
        )
    if row.organiser.region_id is None:
        problems.append(
            gettext(
                "The organiser has no region: record the events of a national body one by one "
                "in the workspace, with their region."
            )
        )
    closed_on = row.organiser.closed_on
    if closed_on is not None and row.date > closed_on:
        problems.append(
            gettext("The organiser was closed on %(date)s, before this event.")
            % {"date": _day(closed_on)}
        )
    return problems


def _require_each(actor: User, permission: str, bodies: Iterable[Organisation]) -> None:
    checked: set[int] = set()
    for body in bodies:
        if body.pk not in checked:
            policies.require(actor, permission, body)
            checked.add(body.pk)


@transaction.atomic
def historical_figures_import(
    *, actor: User, rows: Sequence[HistoricalRow], source: str = ""
) -> EventImportSummary:
    """Yearly totals of earlier records, one per year, body and programme: a new one is added,
    one already imported is replaced (left alone when equal); all rows or none."""
    _require_each(actor, "registry.import", (row.organisation for row in rows))
    source = clean_text(source)[:255]
    existing = {
        (figure.year, figure.organisation_id, figure.programme_id): figure
        for figure in HistoricalFigure.objects.select_for_update(of=("self",)).filter(
            year__in={row.year for row in rows},
            organisation__in={row.organisation.pk for row in rows},
        )
    }
    seen: dict[tuple[int, int, int | None], int] = {}
    created = changed = unchanged = 0
    now = timezone.now()
    for row in rows:
        problems = historical_row_problems(row)
        if problems:
            raise EventImportRowError(line=row.line, message=" ".join(problems))
        key = (row.year, row.organisation.pk, row.programme.pk if row.programme else None)
        if key in seen:
            raise EventImportRowError(
                line=row.line,
                message=_(
                    "The same body, year and programme are already on row %(line)s: give each "
                    "year's total once."
                )
                % {"line": seen[key]},
            )
        seen[key] = row.line
        figure = existing.get(key)
        if figure is not None and (figure.events_count, figure.participants) == (
            row.events,
            row.participants,
        ):
            unchanged += 1
            continue
        before: list[int | None] = [None, None]
        if figure is None:
            figure = HistoricalFigure(
                year=row.year, organisation=row.organisation, programme=row.programme
            )
            created += 1
        else:
            before = [figure.events_count, figure.participants]
            changed += 1
        figure.events_count = row.events
        figure.participants = row.participants
        figure.source = source
        figure.imported_by = actor
        figure.imported_at = now
        figure.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE if before[0] is None else AuditEntry.Action.UPDATE,
            obj=figure,
            organisation_path=row.organisation.path,
            changes={
                "events": [before[0], row.events],
                "participants": [before[1], row.participants],
            },
            note=source,
        )
    if created or changed:
        transaction.on_commit(kpi.invalidate)
    return EventImportSummary(created=created, changed=changed, unchanged=unchanged)


def _title_field(title: str) -> str:
    """The language a title is written in, as far as its letters tell: Kazakh letters → kk,
    other Cyrillic → ru, Latin → en (the other languages fall back to it)."""
    if _KAZAKH_LETTERS.search(title):
        return "title_kk"
    if _CYRILLIC_LETTERS.search(title):
        return "title_ru"
    return "title_en" if re.search("[A-Za-z]", title) else "title_kk"


def _past_times(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """10:00–12:00 local time that day; an event of today ends no later than now."""
    zone = timezone.get_current_timezone()
    starts = datetime.datetime.combine(day, datetime.time(10), tzinfo=zone)
    ends = starts + datetime.timedelta(hours=2)
    now = timezone.now()
    if ends > now:
        ends = max(now, datetime.datetime.combine(day, datetime.time.min, tzinfo=zone))
        starts = min(starts, ends)
    return starts, ends


def _recorded_titles(rows: Sequence[PastEventRow]) -> set[tuple[int, datetime.date, str]]:
    """(organiser, day, folded title) of the events already recorded on the rows' days."""
    if not rows:
        return set()
    zone = timezone.get_current_timezone()
    first = min(row.date for row in rows)
    last = max(row.date for row in rows) + datetime.timedelta(days=1)
    recorded = Event.objects.filter(
        organiser__in={row.organiser.pk for row in rows},
        starts_at__gte=datetime.datetime.combine(first, datetime.time.min, tzinfo=zone),
        starts_at__lt=datetime.datetime.combine(last, datetime.time.min, tzinfo=zone),
    ).values_list("organiser_id", "starts_at", *(f"title_{lang}" for lang in LANGS))
    keys: set[tuple[int, datetime.date, str]] = set()
    for organiser_id, starts_at, *titles in recorded:
        day = timezone.localtime(starts_at, zone).date()
        keys.update((organiser_id, day, match_key(title)) for title in titles if title)
    return keys


def past_event_recorded(row: PastEventRow) -> bool:
    """An event of the same organiser, day and title (folded) is already recorded."""
    key = (row.organiser.pk, row.date, match_key(clean_text(row.title)))
    return key in _recorded_titles([row])


def historical_figure_current(row: HistoricalRow) -> tuple[int, int] | None:
    """(events, participants) already imported for the row's year, body and programme."""
    found = (
        HistoricalFigure.objects.filter(
            year=row.year, organisation=row.organisation, programme=row.programme
        )
        .values_list("events_count", "participants")
        .first()
    )
    return (found[0], found[1]) if found is not None else None


@transaction.atomic
def past_events_import(
    *, actor: User, rows: Sequence[PastEventRow], source: str = ""
) -> EventImportSummary:
    """Events already held, from activity reports: each recorded as held and reported with its
    number of participants; one already recorded (same organiser, day and title) is left as it
    is, so a file imported twice changes nothing. All rows or none."""
    _require_each(actor, "events.add_event", (row.organiser for row in rows))
    recorded = _recorded_titles(rows)
    now = timezone.now()
    note = clean_text(source)[:300]
    created_events: list[Event] = []
    unchanged = 0
    for row in rows:
        problems = past_event_problems(row)
        if problems:
            raise EventImportRowError(line=row.line, message=" ".join(problems))
        title = clean_text(row.title)
        key = (row.organiser.pk, row.date, match_key(title))
        if key in recorded:
            unchanged += 1
            continue
        recorded.add(key)
        starts, ends = _past_times(row.date)
        event = Event(
            organiser=row.organiser,
            programme=row.programme,
            kind=row.kind,
            format=Event.Format.IN_PERSON,
            region_id=row.organiser.region_id,
            district_id=row.organiser.district_id,
            address_kk=clean_text(row.place) or row.organiser.address,
            starts_at=starts,
            ends_at=ends,
            registration_required=False,
            status=Event.Status.REPORTED,
            reported_count=row.participants,
            participants_total=row.participants,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        setattr(event, _title_field(title), title)
        event.save()
        EventReport.objects.create(
            event=event,
            held=True,
            reported_count=row.participants,
            submitted_by=actor,
            submitted_at=now,
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            obj=event,
            organisation_path=row.organiser.path,
            changes={
                "date": [None, row.date.isoformat()],
                "kind": [None, row.kind],
                "participants": [None, row.participants],
            },
            note=note,
        )
        created_events.append(event)
    if created_events:
        _changed(*created_events)
    return EventImportSummary(created=len(created_events), changed=0, unchanged=unchanged)


# --- Notices -----------------------------------------------------------------------------------

_MESSAGES = {
    "confirmed": _("Your registration is confirmed: %(title)s, %(when)s. Ticket: %(url)s"),
    "waitlisted": _(
        "The event is full; you are on the waiting list: %(title)s, %(when)s. We will tell you "
        "when a place frees. %(url)s"
    ),
    "promoted": _("A place has freed for you: %(title)s, %(when)s. Ticket: %(url)s"),
    "cancelled": _("The event has been cancelled: %(title)s, %(when)s. We apologise."),
    "reminder": _("Reminder: %(title)s, %(when)s. Ticket: %(url)s"),
}


def ticket_url(registration: Registration) -> str:
    from django.urls import reverse

    with translation.override(registration.language):
        path = reverse("portal:ticket", kwargs={"code": registration.ticket_code})
    return settings.SITE_URL.rstrip("/") + path


def _notify(registration: Registration, what: str) -> None:
    """Queue the notice in the registrant's language, by SMS and e-mail where given."""
    event = registration.event
    with translation.override(registration.language):
        when = timezone.localtime(event.starts_at).strftime("%d.%m.%Y, %H:%M")
        text = gettext(str(_MESSAGES[what])) % {
            "title": event.title,
            "when": when,
            "url": ticket_url(registration),
        }
        subject = str(event.title)
    for channel, recipient in (("sms", registration.phone), ("email", registration.email)):
        notice_queue(
            channel=channel,
            recipient=recipient,
            subject=subject,
            body=text,
            language=registration.language,
            key=f"registration:{registration.pk}:{what}:{channel}",
            organisation_path=event.organiser.path,
        )


def _schedule_reminder(registration: Registration) -> None:
    remind_at = registration.event.starts_at - datetime.timedelta(days=1)
    if remind_at <= timezone.now():
        return
    from .tasks import registration_remind

    pk = registration.pk
    transaction.on_commit(lambda: registration_remind.using(run_after=remind_at).enqueue(pk))


def registration_send_reminder(*, registration_id: int) -> bool:
    """The day before: only confirmed places of events still on get a reminder, once."""
    registration = (
        Registration.objects.select_related("event", "event__organiser")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.status != Registration.Status.CONFIRMED:
        return False
    if registration.event.status not in {Event.Status.OPEN, Event.Status.PLANNED}:
        return False
    with transaction.atomic():
        _notify(registration, "reminder")
    return True
