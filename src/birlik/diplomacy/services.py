"""Every write of people's diplomacy: the register of international requests and their steps,
visits and delegations with their programme, friendship ambassadors and their activities.

Each service checks the policy, validates what it is given (the services never trust their
callers: a person, body, event or request outside the actor's scope is refused), writes its
audit row in the same transaction and queues notices through the outbox. Dates are legal dates
in Asia/Almaty; a date of something that happened may not lie in the future.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.access.models import AuditEntry, Role, User
from birlik.access.services import audit_read, audit_record
from birlik.core import kpi, sequences
from birlik.core.errors import DomainError
from birlik.core.record_actions import RecordActions, evaluate
from birlik.core.templatetags.birlik_format import long_date
from birlik.core.workdays import legal_today
from birlik.events.models import Event
from birlik.geo.models import Region
from birlik.notify.services import notice_queue
from birlik.registry.models import Organisation, Person

from . import countries, queries
from .models import (
    CENTRE_KIND,
    KEEPER_KINDS,
    LANGUAGES,
    Ambassador,
    AmbassadorActivity,
    AmbassadorCountry,
    InternationalRequest,
    OutcomeKind,
    RequesterKind,
    RequestStep,
    Topic,
    Visit,
)

NUMBER_SCOPE = "diplomacy.request"
SHORT_LIMIT = 300
TEXT_LIMIT = 20_000
FIRST_YEAR = 2000
MAX_DELEGATION = 1000
MAX_VISIT_DAYS = 366
PLANNED_YEARS_AHEAD = 3
MAX_COUNTRIES = 20
MANAGE = "diplomacy.manage"

Status = InternationalRequest.Status


class DiplomacyError(DomainError):
    pass


class NotAccepted(DiplomacyError):
    """No active People's Diplomacy Centre: the portal cannot take requests now."""


# --- Helpers -----------------------------------------------------------------------------------


def _audit(
    actor: User | None,
    action: str,
    obj: Model,
    path: str,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    audit_record(
        actor=actor, action=action, obj=obj, organisation_path=path, changes=changes, note=note
    )


def _changed() -> None:
    transaction.on_commit(kpi.invalidate)


def _line(value: Any, *, limit: int = SHORT_LIMIT) -> str:
    return " ".join(str(value or "").split())[:limit]


def _text(value: Any, *, field: str, required: bool = True, limit: int = TEXT_LIMIT) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise DiplomacyError(_("Fill in this field."), field=field)
    if len(text) > limit:
        raise DiplomacyError(
            _("The text is too long: at most %(limit)s characters.") % {"limit": limit},
            field=field,
        )
    return text


def _choice(value: Any, choices: Iterable[str], *, field: str) -> str:
    if value not in set(choices):
        raise DiplomacyError(_("Choose one of the options."), field=field)
    return str(value)


def country_code(value: Any, *, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code, upper case; anything else is refused."""
    code = str(value or "").strip().upper()
    if not countries.is_country(code):
        raise DiplomacyError(
            _("Choose a country from the list (a code of ISO 3166-1, e.g. DE)."), field=field
        )
    return code


def _past_date(day: Any, *, field: str, not_before: datetime.date | None = None) -> datetime.date:
    """A date of something that happened: not in the future, not before ``not_before``."""
    if not isinstance(day, datetime.date):
        raise DiplomacyError(_("Give the date."), field=field)
    today = legal_today()
    if day > today:
        raise DiplomacyError(
            _("The date cannot be in the future: %(today)s at the latest.")
            % {"today": long_date(today)},
            field=field,
        )
    if day.year < FIRST_YEAR:
        raise DiplomacyError(_("Give a date from %(year)s on.") % {"year": FIRST_YEAR}, field=field)
    if not_before is not None and day < not_before:
        raise DiplomacyError(
            _("The date cannot be before %(date)s.") % {"date": long_date(not_before)},
            field=field,
        )
    return day


def _check_keeper(organisation: Organisation, *, field: str = "organisation") -> None:
    if organisation.kind.code not in KEEPER_KINDS:
        raise DiplomacyError(
            _(
                "A diplomacy register is kept by the People's Diplomacy Centre, the Corps of "
                "Friendship Ambassadors or an assembly. Choose one of them."
            ),
            field=field,
        )
    if organisation.status != Organisation.Status.ACTIVE:
        raise DiplomacyError(_("This body is closed."), field=field)


def _in_scope(queryset: Any, obj: Model | None, *, field: str) -> None:
    """Refuse a record the actor may not pick (the pickers offer only these)."""
    if obj is None or not queryset.filter(pk=obj.pk).exists():
        raise DiplomacyError(_("Choose from the records you may see."), field=field)


def _site_url(name: str, language: str, **kwargs: Any) -> str:
    """The absolute address of a page in ``language`` ("" when the page is not mounted)."""
    try:
        with translation.override(language):
            path = reverse(name, kwargs=kwargs)
    except NoReverseMatch:  # a management command's URLconf
        return ""
    return str(settings.SITE_URL).rstrip("/") + path


# --- Requests: the register ----------------------------------------------------------------


def _number(organisation: Organisation, year: int) -> str:
    """A gapless number per keeping body and year (``core.sequences``): ``PD-2025-0007`` in the
    Centre's register, ``PD<body>-2025-0007`` in another body's."""
    serial = sequences.next_number(sequences.scope(NUMBER_SCOPE, organisation.pk), year)
    prefix = "PD" if organisation.kind.code == CENTRE_KIND else f"PD{organisation.pk}"
    return f"{prefix}-{year}-{serial:04d}"


def _request_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    """The described request, checked: every field a service may set from a form."""
    language = str(data.get("language") or "kk")
    return {
        "received_on": _past_date(data.get("received_on"), field="received_on"),
        "channel": _choice(
            data.get("channel"), InternationalRequest.Channel.values, field="channel"
        ),
        "requester_kind": _choice(
            data.get("requester_kind"), RequesterKind.values, field="requester_kind"
        ),
        "requester_name": _line(data.get("requester_name")) or _missing("requester_name"),
        "requester_contact": _line(data.get("requester_contact")),
        "country": country_code(data.get("country")),
        "topic": _choice(data.get("topic"), Topic.values, field="topic"),
        "text": _text(data.get("text"), field="text"),
        "language": language if language in LANGUAGES else "kk",
    }


def _missing(field: str) -> NoReturn:
    raise DiplomacyError(_("Fill in this field."), field=field)


def _step(request: InternationalRequest, actor: User | None, note: str = "") -> None:
    RequestStep.objects.create(
        request=request, status=request.status, actor=actor, note=note[:TEXT_LIMIT]
    )


@transaction.atomic
def request_register(
    *, actor: User, organisation: Organisation, data: Mapping[str, Any]
) -> InternationalRequest:
    """Staff register a request received by letter, e-mail or at a meeting in their register."""
    policies.require(actor, MANAGE, organisation)
    _check_keeper(organisation)
    fields = _request_fields(data)
    request = InternationalRequest.objects.create(
        organisation=organisation,
        number=_number(organisation, fields["received_on"].year),
        registered_by=actor,
        **fields,
    )
    RequestStep.objects.create(request=request, status=RequestStep.REGISTERED, actor=actor)
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        request,
        organisation.path,
        {"number": [None, request.number], "status": [None, request.status]},
    )
    _changed()
    return request


@transaction.atomic
def request_submit(
    *,
    requester_name: str,
    requester_kind: str,
    country: str,
    email: str,
    topic: str,
    text: str,
    language: str,
    consent: bool,
) -> InternationalRequest:
    """A partner's request from the portal, registered with the People's Diplomacy Centre; its
    staff are told through the outbox and the partner gets the private status link by e-mail."""
    centre = queries.active_centre()
    if centre is None:
        raise NotAccepted(_("The People's Diplomacy Centre does not accept requests online now."))
    if not consent:
        raise DiplomacyError(
            _("We need your consent to keep your contact for answering the request."),
            field="consent",
        )
    email = str(email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise DiplomacyError(_("Give a valid e-mail address."), field="email") from error
    fields = _request_fields(
        {
            "received_on": legal_today(),
            "channel": InternationalRequest.Channel.PORTAL,
            "requester_kind": requester_kind,
            "requester_name": requester_name,
            "requester_contact": email,
            "country": country,
            "topic": topic,
            "text": text,
            "language": language,
        }
    )
    request = InternationalRequest.objects.create(
        organisation=centre,
        number=_number(centre, fields["received_on"].year),
        consent_given_at=timezone.now(),
        **fields,
    )
    RequestStep.objects.create(request=request, status=RequestStep.REGISTERED)
    _audit(
        None,
        AuditEntry.Action.CREATE,
        request,
        centre.path,
        {"number": [None, request.number], "status": [None, request.status]},
        note="portal",
    )
    _tell_centre_staff(request)
    _tell_partner(request, "receipt")
    _changed()
    return request


UPDATABLE = (
    "received_on",
    "channel",
    "requester_kind",
    "requester_name",
    "requester_contact",
    "country",
    "topic",
    "text",
    "language",
)


def _locked(request: InternationalRequest) -> InternationalRequest:
    return (
        InternationalRequest.objects.select_for_update(of=("self",))
        .select_related("organisation", "organisation__kind")
        .get(pk=request.pk)
    )


@transaction.atomic
def request_update(
    *, actor: User, request: InternationalRequest, data: Mapping[str, Any]
) -> InternationalRequest:
    """The description of a request still open; its number and year stay."""
    request = _locked(request)
    policies.require(actor, MANAGE, request)
    if not request.is_open:
        raise DiplomacyError(_("A closed or declined request is no longer changed."))
    fields = _request_fields(data)
    if fields["received_on"].year != request.received_on.year:
        raise DiplomacyError(
            _("The request is numbered in %(year)s: the date must stay in that year.")
            % {"year": request.received_on.year},
            field="received_on",
        )
    if request.answered_on and fields["received_on"] > request.answered_on:
        raise DiplomacyError(
            _("The request cannot be received after it was answered."), field="received_on"
        )
    before = {name: getattr(request, name) for name in UPDATABLE}
    for name, value in fields.items():
        setattr(request, name, value)
    changes = {
        name: [str(before[name]), str(fields[name])]
        for name in UPDATABLE
        if before[name] != fields[name] and name != "requester_contact"
    }
    if before["requester_contact"] != fields["requester_contact"]:
        changes["requester_contact"] = ["…", "…"]  # personal data stays out of the log
    if changes:
        request.updated_at = timezone.now()
        request.save()
        _audit(actor, AuditEntry.Action.UPDATE, request, request.organisation.path, changes)
        _changed()
    return request


def request_contact_read(*, actor: User, request: InternationalRequest) -> None:
    """A requester's contact shown to staff: the read is logged."""
    audit_read(
        actor=actor, obj=request, organisation_path=request.organisation.path, note="contact"
    )


# --- Requests: steps ------------------------------------------------------------------------


def _check_move(actor: User, request: InternationalRequest, target: str) -> None:
    """The actor keeps the request and ``target`` is a step its status allows."""
    policies.require(actor, MANAGE, request)
    if target not in InternationalRequest.TRANSITIONS[request.status]:
        raise DiplomacyError(
            _("A request with the status “%(status)s” cannot become “%(target)s”.")
            % {
                "status": request.get_status_display(),
                "target": Status(target).label,
            }
        )


def _move(
    actor: User, request: InternationalRequest, target: str, changes: dict[str, Any], note: str = ""
) -> InternationalRequest:
    before = request.status
    request.status = target
    request.updated_at = timezone.now()
    request.save()
    _step(request, actor, note)
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        request,
        request.organisation.path,
        {"status": [before, target], **changes},
    )
    _changed()
    return request


@transaction.atomic
def request_take_on(*, actor: User, request: InternationalRequest) -> InternationalRequest:
    """A received request is taken into work."""
    request = _locked(request)
    _check_move(actor, request, Status.IN_PROGRESS)
    return _move(actor, request, Status.IN_PROGRESS, {})


@transaction.atomic
def request_answer(
    *, actor: User, request: InternationalRequest, text: str, answered_on: datetime.date
) -> InternationalRequest:
    """The answer to a request in progress, dated no earlier than its receipt and not in the
    future; a partner who wrote through the portal is told by e-mail."""
    request = _locked(request)
    _check_move(actor, request, Status.ANSWERED)
    request.answer_text = _text(text, field="text")
    request.answered_on = _past_date(
        answered_on, field="answered_on", not_before=request.received_on
    )
    _move(actor, request, Status.ANSWERED, {"answered_on": [None, str(request.answered_on)]})
    _tell_partner(request, "answered")
    return request


@transaction.atomic
def request_close(
    *,
    actor: User,
    request: InternationalRequest,
    outcome_kind: str,
    outcome_text: str,
    closed_on: datetime.date,
) -> InternationalRequest:
    """An answered request, or one answered by a visit, is closed with its outcome."""
    request = _locked(request)
    _check_move(actor, request, Status.CLOSED)
    request.outcome_kind = _choice(outcome_kind, OutcomeKind.values, field="outcome_kind")
    request.outcome_text = _text(outcome_text, field="outcome_text", required=False)
    request.closed_on = _past_date(
        closed_on, field="closed_on", not_before=request.answered_on or request.received_on
    )
    return _move(
        actor,
        request,
        Status.CLOSED,
        {"outcome_kind": [None, request.outcome_kind], "closed_on": [None, str(request.closed_on)]},
    )


@transaction.atomic
def request_decline(
    *, actor: User, request: InternationalRequest, reason: str
) -> InternationalRequest:
    """A request is declined with a reason, which the partner reads on the status page."""
    request = _locked(request)
    _check_move(actor, request, Status.DECLINED)
    request.decline_reason = _text(reason, field="reason", limit=5000)
    request.closed_on = legal_today()
    _move(actor, request, Status.DECLINED, {}, note=request.decline_reason)
    _tell_partner(request, "declined")
    return request


ACTION_STEPS = {
    "take_on": Status.IN_PROGRESS,
    "answer": Status.ANSWERED,
    "close": Status.CLOSED,
    "decline": Status.DECLINED,
}


def request_actions(user: User, request: InternationalRequest) -> RecordActions:
    """The steps the user may take on the request now; the next one first."""
    checks = {
        name: (lambda target=target: _check_move(user, request, target))
        for name, target in ACTION_STEPS.items()
    }
    return evaluate(
        checks, lambda allowed: next((name for name in allowed if name != "decline"), None)
    )


# --- Requests: people and bodies involved ------------------------------------------------------


@transaction.atomic
def request_person_add(
    *, actor: User, request: InternationalRequest, person: Person
) -> InternationalRequest:
    """A person of the registry the actor may see is named on the request."""
    request = _locked(request)
    policies.require(actor, MANAGE, request)
    _in_scope(queries.pickable_people(actor), person, field="person")
    if request.people.filter(pk=person.pk).exists():
        raise DiplomacyError(_("This person is already named on the request."), field="person")
    request.people.add(person)
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        request,
        request.organisation.path,
        {"people": [None, person.pk]},
    )
    return request


@transaction.atomic
def request_person_remove(
    *, actor: User, request: InternationalRequest, person: Person
) -> InternationalRequest:
    request = _locked(request)
    policies.require(actor, MANAGE, request)
    if not request.people.filter(pk=person.pk).exists():
        raise DiplomacyError(_("This person is not named on the request."), field="person")
    request.people.remove(person)
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        request,
        request.organisation.path,
        {"people": [person.pk, None]},
    )
    return request


@transaction.atomic
def request_body_add(
    *, actor: User, request: InternationalRequest, body: Organisation
) -> InternationalRequest:
    """A body the actor may see is named as taking part in the answer."""
    request = _locked(request)
    policies.require(actor, MANAGE, request)
    _in_scope(queries.pickable_bodies(actor), body, field="body")
    if request.bodies.filter(pk=body.pk).exists():
        raise DiplomacyError(_("This body is already named on the request."), field="body")
    request.bodies.add(body)
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        request,
        request.organisation.path,
        {"bodies": [None, body.pk]},
    )
    return request


@transaction.atomic
def request_body_remove(
    *, actor: User, request: InternationalRequest, body: Organisation
) -> InternationalRequest:
    request = _locked(request)
    policies.require(actor, MANAGE, request)
    if not request.bodies.filter(pk=body.pk).exists():
        raise DiplomacyError(_("This body is not named on the request."), field="body")
    request.bodies.remove(body)
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        request,
        request.organisation.path,
        {"bodies": [body.pk, None]},
    )
    return request


# --- Notices -----------------------------------------------------------------------------------

PARTNER_MESSAGES: dict[str, Any] = {
    "receipt": (
        _("Your request is registered: %(number)s"),
        _(
            "Thank you for your request to the People's Diplomacy Centre of the Assembly of "
            "People of Kazakhstan. It is registered under the number %(number)s. Follow it and "
            "read the answer here: %(url)s"
        ),
    ),
    "answered": (
        _("The answer to your request %(number)s"),
        _("Your request %(number)s is answered. Read the answer here: %(url)s"),
    ),
    "declined": (
        _("Your request %(number)s"),
        _(
            "The People's Diplomacy Centre cannot take up your request %(number)s. The reason "
            "is given here: %(url)s"
        ),
    ),
}


def status_url(request: InternationalRequest) -> str:
    """The private status link, in the language of the request."""
    return _site_url("diplomacy_portal:status", request.language, token=request.token)


def _tell_partner(request: InternationalRequest, what: str) -> None:
    """An e-mail to a partner who wrote through the portal (and so left an e-mail address)."""
    if request.channel != InternationalRequest.Channel.PORTAL or not request.requester_contact:
        return
    subject, body = PARTNER_MESSAGES[what]
    values = {"number": request.number, "url": status_url(request)}
    with translation.override(request.language):
        notice_queue(
            channel="email",
            recipient=request.requester_contact,
            subject=gettext(str(subject)) % values,
            body=gettext(str(body)) % values,
            language=request.language,
            key=f"diplomacy:request:{request.pk}:{what}",
            organisation_path=request.organisation.path,
        )


def _centre_staff(centre: Organisation) -> list[User]:
    """Active accounts with a staff role on the centre itself."""
    return list(
        User.objects.filter(
            grants__organisation=centre,
            grants__role__in=[Role.BODY_STAFF, Role.CENTRE_HEAD],
            grants__revoked_at__isnull=True,
            is_active=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _tell_centre_staff(request: InternationalRequest) -> None:
    for user in _centre_staff(request.organisation):
        language = user.language if user.language in LANGUAGES else "kk"
        values = {
            "number": request.number,
            "requester": request.requester_name,
            "country": countries.name(request.country, language),
            "url": _site_url("diplomacy:request", language, pk=request.pk),
        }
        with translation.override(language):
            subject = gettext("New international request %(number)s") % values
            body = (
                gettext(
                    "A new request %(number)s from %(requester)s (%(country)s) came through the "
                    "portal. Open it in the workspace: %(url)s"
                )
                % values
            )
        notice_queue(
            channel="email",
            recipient=user.email,
            subject=subject,
            body=body,
            language=language,
            key=f"diplomacy:request:{request.pk}:received:user{user.pk}",
            organisation_path=request.organisation.path,
        )


# --- Visits and delegations --------------------------------------------------------------------


def _visit_fields(data: Mapping[str, Any]) -> dict[str, Any]:
    starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
    if not isinstance(starts_on, datetime.date):
        raise DiplomacyError(_("Give the date."), field="starts_on")
    if not isinstance(ends_on, datetime.date):
        raise DiplomacyError(_("Give the date."), field="ends_on")
    if ends_on < starts_on:
        raise DiplomacyError(_("The visit cannot end before it starts."), field="ends_on")
    if (ends_on - starts_on).days > MAX_VISIT_DAYS:
        raise DiplomacyError(_("A visit lasts a year at most."), field="ends_on")
    latest = legal_today().year + PLANNED_YEARS_AHEAD
    if starts_on.year < FIRST_YEAR or starts_on.year > latest:
        raise DiplomacyError(
            _("Give a date between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": latest},
            field="starts_on",
        )
    size = data.get("size")
    if not isinstance(size, int) or not 1 <= size <= MAX_DELEGATION:
        raise DiplomacyError(
            _("Give the number of people, from 1 to %(max)s.") % {"max": MAX_DELEGATION},
            field="size",
        )
    return {
        "direction": _choice(data.get("direction"), Visit.Direction.values, field="direction"),
        "country": country_code(data.get("country")),
        "delegation": _line(data.get("delegation")) or _missing("delegation"),
        "head": _line(data.get("head")),
        "size": size,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "places": _line(data.get("places")),
        "outcome_text": _text(data.get("outcome_text"), field="outcome_text", required=False),
    }


def _link_request(actor: User, visit: Visit, request: InternationalRequest | None) -> None:
    """The visit answers ``request``: one the actor keeps, being worked on or done with; a
    request in progress or answered is then marked "visit arranged"."""
    if request is None:
        return
    _in_scope(queries.pickable_requests(actor), request, field="request")
    locked = _locked(request)
    if locked.status in (Status.IN_PROGRESS, Status.ANSWERED):
        _move(
            actor,
            locked,
            Status.VISIT_ARRANGED,
            {"visit": [None, visit.pk]},
            note=visit.delegation,
        )


@transaction.atomic
def visit_save(
    *,
    actor: User,
    organisation: Organisation,
    data: Mapping[str, Any],
    visit: Visit | None = None,
) -> Visit:
    """A visit or delegation described (new or changed) in a register the actor keeps."""
    policies.require(actor, MANAGE, organisation)
    if visit is not None:
        visit = Visit.objects.select_for_update(of=("self",)).get(pk=visit.pk)
        policies.require(actor, MANAGE, visit)
    _check_keeper(organisation)
    fields = _visit_fields(data)
    regions = list(data.get("regions") or [])
    if any(not isinstance(region, Region) for region in regions):
        raise DiplomacyError(_("Choose the regions from the list."), field="regions")
    request = data.get("request")
    if request is not None and not isinstance(request, InternationalRequest):
        raise DiplomacyError(_("Choose from the records you may see."), field="request")
    changes: dict[str, Any]
    if visit is None:
        visit = Visit.objects.create(organisation=organisation, created_by=actor, **fields)
        action, changes = AuditEntry.Action.CREATE, {"delegation": [None, visit.delegation]}
        linked_before = None
    else:
        linked_before = visit.request_id
        changes = {
            name: [str(getattr(visit, name)), str(value)]
            for name, value in fields.items()
            if getattr(visit, name) != value
        }
        if visit.organisation_id != organisation.pk:
            changes["organisation"] = [visit.organisation_id, organisation.pk]
        for name, value in fields.items():
            setattr(visit, name, value)
        visit.organisation = organisation
        visit.updated_at = timezone.now()
        visit.save()
        action = AuditEntry.Action.UPDATE
    regions_before = sorted(visit.regions.values_list("pk", flat=True))
    regions_after = sorted(region.pk for region in regions)
    if regions_before != regions_after:
        visit.regions.set(regions)
        changes["regions"] = [regions_before or None, regions_after or None]
    new_request = request.pk if request is not None else None
    if new_request != linked_before:
        changes["request"] = [linked_before, new_request]
        visit.request = request
        visit.save(update_fields=["request"])
        _link_request(actor, visit, request)
    _audit(actor, action, visit, organisation.path, changes)
    _changed()
    return visit


def _locked_visit(visit: Visit) -> Visit:
    return (
        Visit.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=visit.pk)
    )


@transaction.atomic
def visit_event_add(*, actor: User, visit: Visit, event: Event) -> Visit:
    """An event of a body the actor works on joins the visit's programme."""
    visit = _locked_visit(visit)
    policies.require(actor, MANAGE, visit)
    _in_scope(queries.pickable_events(actor), event, field="event")
    if visit.events.filter(pk=event.pk).exists():
        raise DiplomacyError(_("This event is already in the programme."), field="event")
    visit.events.add(event)
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        visit,
        visit.organisation.path,
        {"events": [None, event.pk]},
    )
    return visit


@transaction.atomic
def visit_event_remove(*, actor: User, visit: Visit, event: Event) -> Visit:
    visit = _locked_visit(visit)
    policies.require(actor, MANAGE, visit)
    if not visit.events.filter(pk=event.pk).exists():
        raise DiplomacyError(_("This event is not in the programme."), field="event")
    visit.events.remove(event)
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        visit,
        visit.organisation.path,
        {"events": [event.pk, None]},
    )
    return visit


@transaction.atomic
def visit_mark_held(*, actor: User, visit: Visit, outcome_text: str) -> Visit:
    """A planned visit that has begun is recorded as held, with its outcome."""
    visit = _locked_visit(visit)
    policies.require(actor, MANAGE, visit)
    if visit.status != Visit.Status.PLANNED:
        raise DiplomacyError(_("Only a planned visit can be recorded as held."))
    if visit.starts_on > legal_today():
        raise DiplomacyError(
            _("The visit starts on %(date)s: it can be recorded as held from that day.")
            % {"date": long_date(visit.starts_on)}
        )
    visit.status = Visit.Status.HELD
    visit.outcome_text = _text(outcome_text, field="outcome_text", required=False)
    visit.updated_at = timezone.now()
    visit.save()
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        visit,
        visit.organisation.path,
        {"status": [Visit.Status.PLANNED, Visit.Status.HELD]},
    )
    _changed()
    return visit


@transaction.atomic
def visit_cancel(*, actor: User, visit: Visit, reason: str) -> Visit:
    """A planned visit is called off, with the reason."""
    visit = _locked_visit(visit)
    policies.require(actor, MANAGE, visit)
    if visit.status != Visit.Status.PLANNED:
        raise DiplomacyError(_("Only a planned visit can be cancelled."))
    visit.cancel_reason = _text(reason, field="reason", limit=5000)
    visit.status = Visit.Status.CANCELLED
    visit.updated_at = timezone.now()
    visit.save()
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        visit,
        visit.organisation.path,
        {"status": [Visit.Status.PLANNED, Visit.Status.CANCELLED]},
        note=visit.cancel_reason[:300],
    )
    _changed()
    return visit


# --- Friendship ambassadors --------------------------------------------------------------------


def _country_list(values: Iterable[Any]) -> list[str]:
    codes = sorted({country_code(value, field="countries") for value in values})
    if not codes:
        raise DiplomacyError(_("Choose at least one country."), field="countries")
    if len(codes) > MAX_COUNTRIES:
        raise DiplomacyError(
            _("Choose at most %(count)s countries.") % {"count": MAX_COUNTRIES}, field="countries"
        )
    return codes


@transaction.atomic
def ambassador_save(
    *,
    actor: User,
    organisation: Organisation,
    person: Person,
    country_codes: Iterable[Any],
    since: datetime.date,
    until: datetime.date | None = None,
    note: str = "",
    ambassador: Ambassador | None = None,
) -> Ambassador:
    """A person of the registry the actor may see becomes (or stays) a friendship ambassador,
    with the countries they work with and the term of their membership of the Corps."""
    policies.require(actor, MANAGE, organisation)
    _check_keeper(organisation)
    if ambassador is not None:
        ambassador = Ambassador.objects.select_for_update(of=("self",)).get(pk=ambassador.pk)
        policies.require(actor, MANAGE, ambassador)
        if ambassador.person_id != person.pk:
            raise DiplomacyError(_("The person of an ambassador does not change."), field="person")
    else:
        _in_scope(queries.pickable_people(actor), person, field="person")
    codes = _country_list(country_codes)
    since = _past_date(since, field="since")
    if until is not None:
        if not isinstance(until, datetime.date) or until < since:
            raise DiplomacyError(_("The term cannot end before it begins."), field="until")
        latest = legal_today().year + PLANNED_YEARS_AHEAD
        if until.year > latest:
            raise DiplomacyError(
                _("Give a date between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": latest},
                field="until",
            )
    values = {"since": since, "until": until, "note": _line(note)}
    try:
        with transaction.atomic():
            if ambassador is None:
                ambassador = Ambassador.objects.create(
                    organisation=organisation, person=person, **values
                )
                action = AuditEntry.Action.CREATE
                changes: dict[str, Any] = {"person": [None, person.pk]}
            else:
                changes = {
                    name: [str(getattr(ambassador, name)), str(value)]
                    for name, value in values.items()
                    if getattr(ambassador, name) != value
                }
                if ambassador.organisation_id != organisation.pk:
                    policies.require(actor, MANAGE, ambassador.organisation)
                    changes["organisation"] = [ambassador.organisation_id, organisation.pk]
                for name, value in values.items():
                    setattr(ambassador, name, value)
                ambassador.organisation = organisation
                ambassador.updated_at = timezone.now()
                ambassador.save()
                action = AuditEntry.Action.UPDATE
    except IntegrityError as error:
        raise DiplomacyError(
            _("This person is already a friendship ambassador of this body."), field="person"
        ) from error
    before = sorted(ambassador.countries.values_list("country", flat=True))
    if before != codes:
        ambassador.countries.all().delete()
        AmbassadorCountry.objects.bulk_create(
            [AmbassadorCountry(ambassador=ambassador, country=code) for code in codes]
        )
        changes["countries"] = [before or None, codes]
    if changes:
        _audit(actor, action, ambassador, organisation.path, changes)
        _changed()
    return ambassador


@transaction.atomic
def activity_add(
    *,
    actor: User,
    ambassador: Ambassador,
    date: datetime.date,
    kind: str,
    country: str,
    description: str,
    event: Event | None = None,
) -> AmbassadorActivity:
    """An ambassador's activity, on a day of their term (not in the future), with an event of a
    body the actor works on when it was one."""
    ambassador = Ambassador.objects.select_related("organisation").get(pk=ambassador.pk)
    policies.require(actor, MANAGE, ambassador)
    day = _past_date(date, field="date", not_before=ambassador.since)
    if ambassador.until is not None and day > ambassador.until:
        raise DiplomacyError(
            _("The ambassador's term ended on %(date)s.") % {"date": long_date(ambassador.until)},
            field="date",
        )
    if event is not None:
        _in_scope(queries.pickable_events(actor), event, field="event")
    activity = AmbassadorActivity.objects.create(
        ambassador=ambassador,
        date=day,
        kind=_choice(kind, AmbassadorActivity.Kind.values, field="kind"),
        country=country_code(country),
        description=_text(description, field="description", limit=5000),
        event=event,
        created_by=actor,
    )
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        activity,
        ambassador.organisation.path,
        {"date": [None, str(day)], "kind": [None, activity.kind]},
    )
    _changed()
    return activity


@transaction.atomic
def activity_remove(*, actor: User, activity: AmbassadorActivity) -> None:
    """An activity entered by mistake is taken off (the audit log keeps what it was)."""
    activity = AmbassadorActivity.objects.select_related("ambassador__organisation").get(
        pk=activity.pk
    )
    policies.require(actor, MANAGE, activity)
    _audit(
        actor,
        AuditEntry.Action.DELETE,
        activity,
        activity.ambassador.organisation.path,
        {"date": [str(activity.date), None], "kind": [activity.kind, None]},
    )
    activity.delete()
    _changed()
