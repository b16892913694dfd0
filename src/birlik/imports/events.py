"""Events held (from the regions' activity reports) and past yearly figures (before Birlik).

The rules live in the events services (``past_event_problems``, ``historical_row_problems``):
the check here only finds the organiser, the kind and the programme by their names and asks
those functions, so a dry run that says "ready" is what the commit will accept.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from birlik.access import policies
from birlik.core import cleaning
from birlik.events import queries as event_queries
from birlik.events import services as event_services
from birlik.events.models import Event, Programme
from birlik.registry.lookup import BodyIndex
from birlik.registry.models import Organisation

from . import fields as catalogue
from .rows import (
    CREATE,
    REJECT,
    UNCHANGED,
    Context,
    RowPlan,
    date_value,
    int_value,
    length,
    repeated,
)


def _label(kind: str, key: str) -> Any:
    return catalogue.field(kind, key).label


def _organiser(
    ctx: Context, row: dict[str, str], errors: list[str], notes: list[str]
) -> Organisation | None:
    index: BodyIndex = ctx.once("body_index", lambda: BodyIndex(user=ctx.user, under=ctx.under))
    if row.get("body_id"):
        found = index.find(row["body_id"])
    elif ctx.value(row, "body"):
        found = index.find(ctx.value(row, "body"))
    else:
        return ctx.under
    if found.error:
        errors.append(found.error)
    if found.warning:
        notes.append(found.warning)
    return found.value


def _programme(
    ctx: Context, row: dict[str, str], errors: list[str]
) -> tuple[bool, Programme | None]:
    text = ctx.value(row, "programme")
    if not text:
        return True, None
    programme = event_queries.programme_by_label(text)
    if programme is None:
        errors.append(
            _("Unknown programme “%(value)s”: write its name as in Birlik's list.")
            % {"value": text[:80]}
        )
        return False, None
    return True, programme


def _may(ctx: Context, permission: str, body: Organisation) -> bool:
    allowed: dict[tuple[str, int], bool] = ctx.cache.setdefault("may", {})
    key = (permission, body.pk)
    if key not in allowed:
        allowed[key] = policies.can(ctx.user, permission, body)
    return allowed[key]


def plan_events(ctx: Context, rows: list[tuple[int, dict[str, str]]]) -> list[RowPlan]:
    plans: list[RowPlan] = []
    today = timezone.localdate()
    default_kind = (
        event_queries.event_kind_by_label(ctx.defaults.get("kind", "")) or Event.Kind.MEETING
    )
    for line, row in rows:
        errors: list[str] = []
        notes: list[str] = []
        title = cleaning.clean_text(row.get("title", ""))
        label = title or "—"
        if not title:
            errors.append(_("Give the title of the event."))
        length(row, "title", _label(catalogue.EVENTS, "title"), 300, errors)
        length(row, "place", _label(catalogue.EVENTS, "place"), 300, errors)
        day = date_value(row, "date", _label(catalogue.EVENTS, "date"), errors)
        if day is None and not row.get("date"):
            errors.append(_("Give the date of the event."))
        if day is not None and day > today:
            errors.append(_("The event is in the future: only events held are imported."))
        organiser = _organiser(ctx, row, errors, notes)
        kind_text = row.get("kind", "")
        kind = event_queries.event_kind_by_label(kind_text) if kind_text else default_kind
        if kind is None:
            kind = default_kind
            notes.append(
                _("Kind “%(value)s” is not in Birlik's list: recorded as “%(kind)s”.")
                % {"value": kind_text[:60], "kind": Event.Kind(kind).label}
            )
        _ok, programme = _programme(ctx, row, errors)
        participants = int_value(
            row, "participants", _label(catalogue.EVENTS, "participants"), errors
        )
        if organiser is not None and not _may(ctx, "registry.import", organiser):
            errors.append(_("You may not record events of this body."))
        if errors or organiser is None or day is None:
            plans.append(RowPlan(line=line, status=REJECT, label=label, errors=errors))
            continue
        label = f"{title} — {day.strftime('%d.%m.%Y')} — {organiser.name}"
        key = ("event", organiser.pk, day, cleaning.match_key(title))
        if key in ctx.seen:
            plans.append(repeated(line, label, ctx.seen[key]))
            continue
        ctx.seen[key] = line
        item = event_services.PastEventRow(
            line=line,
            organiser=organiser,
            title=title,
            date=day,
            kind=str(kind),
            programme=programme,
            participants=participants or 0,
            place=cleaning.clean_text(row.get("place", "")),
        )
        problems = event_services.past_event_problems(item)
        if problems:
            plans.append(RowPlan(line=line, status=REJECT, label=label, errors=list(problems)))
            continue
        if event_services.past_event_recorded(item):
            plans.append(
                RowPlan(line=line, status=UNCHANGED, label=label, notes=[_("Already recorded.")])
            )
            continue
        plans.append(RowPlan(line=line, status=CREATE, label=label, notes=notes, item=item))
    return plans


def apply_events(ctx: Context, items: list[Any]) -> Any:
    return event_services.past_events_import(actor=ctx.user, rows=items, source=ctx.source)


def missing_events(mapped: set[str], defaults: dict[str, str]) -> list[Any]:
    return [_label(catalogue.EVENTS, key) for key in ("title", "date") if key not in mapped]


def _year(row: dict[str, str], ctx: Context, errors: list[str]) -> int | None:
    text = ctx.value(row, "year")
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) != 4:
        errors.append(
            _("%(column)s: “%(value)s” is not a year.")
            % {"column": _label(catalogue.HISTORY, "year"), "value": text[:20]}
        )
        return None
    return int(digits)


def plan_history(ctx: Context, rows: list[tuple[int, dict[str, str]]]) -> list[RowPlan]:
    plans: list[RowPlan] = []
    for line, row in rows:
        errors: list[str] = []
        notes: list[str] = []
        year = _year(row, ctx, errors)
        organiser = _organiser(ctx, row, errors, notes)
        _ok, programme = _programme(ctx, row, errors)
        count = int_value(row, "events", _label(catalogue.HISTORY, "events"), errors)
        if count is None and not row.get("events"):
            errors.append(_("Give the number of events."))
        participants = int_value(
            row, "participants", _label(catalogue.HISTORY, "participants"), errors
        )
        label = (
            " — ".join(
                str(part)
                for part in (year, organiser.name if organiser else "", programme or "")
                if part
            )
            or "—"
        )
        if organiser is not None and not _may(ctx, "registry.import", organiser):
            errors.append(_("You may not record figures of this body."))
        if errors or organiser is None or year is None or count is None:
            plans.append(RowPlan(line=line, status=REJECT, label=label, errors=errors))
            continue
        key = ("history", year, organiser.pk, programme.pk if programme else None)
        if key in ctx.seen:
            plans.append(repeated(line, label, ctx.seen[key]))
            continue
        ctx.seen[key] = line
        item = event_services.HistoricalRow(
            line=line,
            organisation=organiser,
            year=year,
            programme=programme,
            events=count,
            participants=participants or 0,
        )
        problems = event_services.historical_row_problems(item)
        if problems:
            plans.append(RowPlan(line=line, status=REJECT, label=label, errors=list(problems)))
            continue
        current = event_services.historical_figure_current(item)
        if current is not None and current == (count, participants or 0):
            plans.append(
                RowPlan(line=line, status=UNCHANGED, label=label, notes=[_("Already recorded.")])
            )
            continue
        status = CREATE if current is None else "change"
        if current is not None:
            notes.append(
                _("Replaces %(events)s events and %(participants)s participants recorded before.")
                % {"events": current[0], "participants": current[1]}
            )
        plans.append(RowPlan(line=line, status=status, label=label, notes=notes, item=item))
    return plans


def apply_history(ctx: Context, items: list[Any]) -> Any:
    return event_services.historical_figures_import(actor=ctx.user, rows=items, source=ctx.source)


def missing_history(mapped: set[str], defaults: dict[str, str]) -> list[Any]:
    absent = []
    if "year" not in mapped and not defaults.get("year"):
        absent.append(_label(catalogue.HISTORY, "year"))
    if "events" not in mapped:
        absent.append(_label(catalogue.HISTORY, "events"))
    return absent


__all__ = [
    "apply_events",
    "apply_history",
    "missing_events",
    "missing_history",
    "plan_events",
    "plan_history",
]
