"""Writes for staff integrations (Bearer token): events, attendance, the status of appeals.

Each endpoint checks the token's allowed action, finds the record within the token's scope (out
of scope answers 404, as the workspace does) and calls the same service as the workspace, which
checks the permission again and writes the audit row.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query
from ninja.responses import Status

from birlik.access import policies
from birlik.access.models import User
from birlik.appeals import services as appeal_services
from birlik.appeals.models import Appeal
from birlik.events import queries as event_queries
from birlik.events import services as event_services
from birlik.events.models import Audience, Event, Programme
from birlik.registry.models import Organisation

from . import queries, schemas
from .auth import TokenAuth, require_scope
from .problems import ApiProblem, field_error
from .public import event_detail_row
from .public import router as public_router
from .responses import errors

# One router with the public reads: a path (``/events``) has one view for all its methods.
AUTH = TokenAuth()
TAGS = ["integrations"]


class _Writes:
    """``router.get/post/patch`` of the shared router, with the token and the tag."""

    def get(self, path: str, **kwargs: Any) -> Any:
        return public_router.get(path, auth=AUTH, tags=TAGS, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return public_router.post(path, auth=AUTH, tags=TAGS, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Any:
        return public_router.patch(path, auth=AUTH, tags=TAGS, **kwargs)


router = _Writes()

WRITE_ERRORS = (400, 401, 403, 404, 422, 429)


def _actor(request: HttpRequest) -> User:
    user = request.auth.user  # type: ignore[attr-defined]
    assert isinstance(user, User)  # noqa: S101 - TokenAuth sets it
    return user


def _invalid(field: str, detail: Any) -> ApiProblem:
    return ApiProblem(422, errors=[field_error(field, detail, location="body")])


def _aware(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _event_in_scope(request: HttpRequest, pk: int) -> Event:
    if not 0 < pk < 2**62:
        raise ApiProblem(404, _("There is no event with this number in the area of your token."))
    return policies.get_scoped_or_404(
        Event.objects.select_related("organiser", "region"), _actor(request), pk=pk
    )


def _body(pk: int, field: str) -> Organisation:
    found = Organisation.objects.filter(pk=pk).first() if 0 < pk < 2**62 else None
    if found is None:
        raise _invalid(field, _("There is no body with this number."))
    return found


def _event_data(payload: dict[str, Any]) -> tuple[dict[str, Any], Any, Any]:
    """Service data from the request: codes and ids become records; unknown ones are errors."""
    data = dict(payload)
    audiences = co_organisers = None
    if "region" in data:
        code = data["region"]
        data["region"] = queries.region_by_iso(code) if code else None
        if code and data["region"] is None:
            raise _invalid("region", _("No region has this code; see /api/v1/regions."))
        if data["region"] is None:
            del data["region"]
    if "district" in data:
        code = data["district"]
        data["district"] = queries.district_by_kato(code) if code else None
        if code and data["district"] is None:
            raise _invalid("district", _("No district has this KATO code."))
    if "venue" in data:
        data["venue"] = _body(data["venue"], "venue") if data["venue"] else None
    if "programme" in data:
        code = data["programme"]
        data["programme"] = Programme.objects.filter(code=code).first() if code else None
        if code and data["programme"] is None:
            raise _invalid("programme", _("No programme has this code; see /api/v1/programmes."))
    for field in ("starts_at", "ends_at"):
        if data.get(field) is not None:
            data[field] = _aware(data[field])
    for field in ("kind", "format"):
        if data.get(field) is not None:
            data[field] = str(getattr(data[field], "value", data[field]))
    if data.get("accessibility") is not None:
        data["accessibility"] = [str(getattr(a, "value", a)) for a in data["accessibility"]]
    if "audiences" in data:
        codes = data.pop("audiences") or []
        audiences = list(Audience.objects.filter(code__in=codes))
        if len(audiences) != len(set(codes)):
            raise _invalid("audiences", _("Choose values from the list."))
    if "co_organisers" in data:
        ids = data.pop("co_organisers") or []
        co_organisers = [_body(pk, "co_organisers") for pk in dict.fromkeys(ids)]
    for field, value in list(data.items()):
        if value is None and field not in event_services.NULLABLE_EVENT_FIELDS:
            # ``null`` for a field that needs a value: the field is left as it is.
            del data[field]
    return data, audiences, co_organisers


def _detail(event: Event) -> dict[str, Any]:
    item = event_queries.event_detail(event.pk)
    assert item is not None  # noqa: S101 - just written
    return event_detail_row(item)


# --- Events -------------------------------------------------------------------------------------


@router.post("/events", response={201: schemas.EventDetail, **errors(*WRITE_ERRORS)})
def event_create(request: HttpRequest, payload: schemas.EventIn) -> Status:
    """Plan an event of a body in the token's area (scope events:write); publish it at once
    with ``publish: true``."""
    require_scope(request, "events:write")
    actor = _actor(request)
    organiser = policies.get_scoped_or_404(Organisation.objects.all(), actor, pk=payload.organiser)
    values = payload.model_dump(exclude={"organiser", "publish"})
    data, audiences, co_organisers = _event_data(values)
    with transaction.atomic():
        event = event_services.event_create(
            actor=actor,
            organiser=organiser,
            data=data,
            audiences=audiences or [],
            co_organisers=co_organisers or [],
        )
        if payload.publish:
            event = event_services.event_publish(actor=actor, event=event)
    return Status(201, _detail(event))


@router.patch("/events/{pk}", response={200: schemas.EventDetail, **errors(*WRITE_ERRORS)})
def event_update(request: HttpRequest, pk: int, payload: schemas.EventPatch) -> dict[str, Any]:
    """Change the fields given (scope events:write); a reported or cancelled event is final."""
    require_scope(request, "events:write")
    event = _event_in_scope(request, pk)
    data, audiences, co_organisers = _event_data(payload.model_dump(exclude_unset=True))
    event = event_services.event_update(
        actor=_actor(request),
        event=event,
        data=data,
        audiences=audiences,
        co_organisers=co_organisers,
    )
    return _detail(event)


@router.post("/events/{pk}/publish", response={200: schemas.EventDetail, **errors(*WRITE_ERRORS)})
def event_publish(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Open a planned event for registration (scope events:write)."""
    require_scope(request, "events:write")
    event = _event_in_scope(request, pk)
    return _detail(event_services.event_publish(actor=_actor(request), event=event))


@router.post("/events/{pk}/cancel", response={200: schemas.EventDetail, **errors(*WRITE_ERRORS)})
def event_cancel(request: HttpRequest, pk: int, payload: schemas.CancelIn) -> dict[str, Any]:
    """Cancel an event; registered people are told (scope events:write)."""
    require_scope(request, "events:write")
    event = _event_in_scope(request, pk)
    event = event_services.event_cancel(actor=_actor(request), event=event, reason=payload.reason)
    return _detail(event)


# --- Attendance --------------------------------------------------------------------------------


@router.post("/events/{pk}/check-in", response={200: schemas.CheckInOut, **errors(*WRITE_ERRORS)})
def check_in(request: HttpRequest, pk: int, payload: schemas.CheckInIn) -> dict[str, Any]:
    """At the door: check a ticket of this event in, once (scope attendance:write)."""
    require_scope(request, "attendance:write")
    event = _event_in_scope(request, pk)
    registration = event_services.registration_check_in(
        actor=_actor(request), event=event, code=payload.code
    )
    attended = Event.objects.filter(pk=event.pk).values_list("attended_count", flat=True).first()
    assert registration.checked_in_at is not None  # noqa: S101 - just checked in
    return {
        "registration": registration.pk,
        "status": registration.status,
        "checked_in_at": registration.checked_in_at,
        "attended": attended or 0,
    }


@router.post("/events/{pk}/attendance", response={200: schemas.SheetOut, **errors(*WRITE_ERRORS)})
def attendance(request: HttpRequest, pk: int, payload: schemas.SheetIn) -> dict[str, Any]:
    """A sign-in sheet: people registered are checked in, others added, nobody counted twice
    (scope attendance:write)."""
    require_scope(request, "attendance:write")
    event = _event_in_scope(request, pk)
    rows = [
        event_services.SheetRow(line=n, full_name=r.full_name, phone=r.phone, email=r.email)
        for n, r in enumerate(payload.rows, start=1)
    ]
    summary = event_services.attendance_sheet_apply(actor=_actor(request), event=event, rows=rows)
    total = Event.objects.filter(pk=event.pk).values_list("participants_total", flat=True).first()
    return {
        "checked_in": summary.checked_in,
        "already_counted": summary.already_counted,
        "added": summary.added,
        "participants": total or 0,
    }


@router.post("/events/{pk}/report", response={200: schemas.ReportOut, **errors(*WRITE_ERRORS)})
def report(request: HttpRequest, pk: int, payload: schemas.ReportIn) -> dict[str, Any]:
    """After the event: held or not, people counted beyond check-in, outcomes (scope
    attendance:write)."""
    require_scope(request, "attendance:write")
    event = _event_in_scope(request, pk)
    submitted = event_services.event_report_submit(
        actor=_actor(request),
        event=event,
        held=payload.held,
        reported_count=payload.reported_count,
        outcomes=payload.outcomes,
        press_links=payload.press_links,
    )
    total = Event.objects.filter(pk=event.pk).values_list("participants_total", flat=True).first()
    return {
        "event": event.pk,
        "held": submitted.held,
        "reported_count": submitted.reported_count,
        "participants": total or 0,
        "is_late": submitted.is_late,
    }


# --- Appeals: the register and changes of status ------------------------------------------------


def _appeal_row(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.pk,
        "number": appeal.number,
        "kind": appeal.kind,
        "channel": appeal.channel,
        "status": appeal.status,
        "body": {"id": appeal.organisation_id, "name": appeal.organisation.name},
        "received_at": appeal.received_at,
        "due_date": appeal.due_date,
        "effective_due": appeal.effective_due,
        "extended_until": appeal.extended_until,
        "answered_at": appeal.answered_at,
        "closed_at": appeal.closed_at,
    }


def _appeal_in_scope(request: HttpRequest, pk: int) -> Appeal:
    if not 0 < pk < 2**62:
        raise ApiProblem(404, _("There is no appeal with this number in the area of your token."))
    return policies.get_scoped_or_404(
        Appeal.objects.select_related("organisation"), _actor(request), pk=pk
    )


@router.get("/appeals", response={200: schemas.AppealPage, **errors(401, 403, 422, 429)})
def appeals(request: HttpRequest, filters: Query[schemas.AppealQuery]) -> dict[str, Any]:
    """The register of appeals in the token's area: number, kind, status and dates — never the
    applicant or the text (scope appeals:write)."""
    require_scope(request, "appeals:write")
    actor = _actor(request)
    body = None
    if filters.body:
        body = policies.scoped(Organisation.objects.all(), actor).filter(pk=filters.body).first()
        if body is None:
            raise ApiProblem(
                422,
                errors=[field_error("body", _("There is no body with this number in your area."))],
            )
    found = queries.appeal_register(user=actor, status=filters.status or "", body=body)
    count = found.count()
    rows = list(found[filters.offset : filters.offset + filters.limit]) if count else []
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_appeal_row(appeal) for appeal in rows],
    }


@router.get("/appeals/{pk}", response={200: schemas.AppealOut, **errors(401, 403, 404, 422, 429)})
def appeal(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One appeal of the register (scope appeals:write)."""
    require_scope(request, "appeals:write")
    return _appeal_row(_appeal_in_scope(request, pk))


@router.post("/appeals/{pk}/take-on", response={200: schemas.AppealOut, **errors(*WRITE_ERRORS)})
def appeal_take_on(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Name the integration on the appeal as its handler (scope appeals:write)."""
    require_scope(request, "appeals:write")
    appeal = appeal_services.appeal_take_on(
        actor=_actor(request), appeal=_appeal_in_scope(request, pk)
    )
    return _appeal_row(appeal)


@router.post("/appeals/{pk}/answer", response={200: schemas.AppealOut, **errors(*WRITE_ERRORS)})
def appeal_answer(request: HttpRequest, pk: int, payload: schemas.AnswerIn) -> dict[str, Any]:
    """Draft the answer (handlers only); another member of staff approves it (scope
    appeals:write)."""
    require_scope(request, "appeals:write")
    appeal = appeal_services.appeal_draft_answer(
        actor=_actor(request), appeal=_appeal_in_scope(request, pk), text=payload.text
    )
    return _appeal_row(appeal)


@router.post("/appeals/{pk}/approve", response={200: schemas.AppealOut, **errors(*WRITE_ERRORS)})
def appeal_approve(request: HttpRequest, pk: int) -> dict[str, Any]:
    """Approve and send an answer someone else drafted (scope appeals:write)."""
    require_scope(request, "appeals:write")
    appeal = appeal_services.appeal_approve_answer(
        actor=_actor(request), appeal=_appeal_in_scope(request, pk)
    )
    return _appeal_row(appeal)


@router.post("/appeals/{pk}/extend", response={200: schemas.AppealOut, **errors(*WRITE_ERRORS)})
def appeal_extend(request: HttpRequest, pk: int, payload: schemas.ExtendIn) -> dict[str, Any]:
    """Extend the term up to the legal maximum, with the reason (scope appeals:write)."""
    require_scope(request, "appeals:write")
    appeal = appeal_services.appeal_extend(
        actor=_actor(request),
        appeal=_appeal_in_scope(request, pk),
        until=payload.until,
        reason=payload.reason,
    )
    return _appeal_row(appeal)


@router.post("/appeals/{pk}/close", response={200: schemas.AppealOut, **errors(*WRITE_ERRORS)})
def appeal_close(request: HttpRequest, pk: int, payload: schemas.CloseIn) -> dict[str, Any]:
    """Close the appeal; without an answer a reason is needed (scope appeals:write)."""
    require_scope(request, "appeals:write")
    appeal = appeal_services.appeal_close(
        actor=_actor(request), appeal=_appeal_in_scope(request, pk), reason=payload.reason
    )
    return _appeal_row(appeal)
