"""Every write to mediators and mediation cases; every read of a case is audited here too.

Rules: a dispute where a state body is a party is refused (the Law on Mediation excludes it);
one or two mediators per case, active, of the case's centre, without a conflict of interest;
numbers are gapless per centre and year; files are judged by content and kept off any URL.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.access.models import AuditEntry, User
from birlik.access.services import audit_read, audit_record
from birlik.appeals.models import Appeal, StateBody
from birlik.core import kpi, sequences, spreadsheets, uploads
from birlik.core.errors import DomainError
from birlik.core.record_actions import RecordActions, evaluate
from birlik.notify.services import notice_queue
from birlik.registry.models import Membership, Organisation, Person

from . import documents
from .models import (
    CENTRE_KINDS,
    Assignment,
    Attendance,
    ConflictDeclaration,
    DisputeKind,
    Document,
    Language,
    MediationCase,
    Mediator,
    Party,
    Session,
    Training,
)

MAX_MEDIATORS = 2
STATE_BODY_REASON = _(
    "A dispute in which a state body is a party cannot be mediated: the Law on Mediation "
    "excludes it. The parties may go to court or to the state body's superior."
)


class MediationError(DomainError):
    pass


@dataclass(frozen=True)
class PartyData:
    """A party as typed: a person (from the registry or by name and phone) or an organisation."""

    name: str = ""
    kind: str = Party.Kind.PERSON
    phone: str = ""
    email: str = ""
    bin: str = ""
    person: Person | None = None
    organisation: Organisation | None = None
    is_state_body: bool = False
    state_body: StateBody | None = None
    is_applicant: bool = False


def _path(case: MediationCase) -> str:
    return str(case.centre.path)


def _audit(
    case: MediationCase, actor: User | None, action: str, changes: dict[str, Any], note: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=case,
        organisation_path=_path(case),
        changes=changes,
        note=note,
    )


NUMBER_SCOPE = "mediation.case"


def _next_number(centre: Organisation, year: int) -> str:
    """A gapless number per centre and year (``birlik.core.sequences``), e.g. ``M17-2026-00042``."""
    serial = sequences.next_number(sequences.scope(NUMBER_SCOPE, centre.pk), year)
    return f"M{centre.pk}-{year}-{serial:05d}"


def _check_centre(centre: Organisation) -> None:
    if centre.kind.code not in CENTRE_KINDS:
        raise MediationError(_("Choose a mediation centre or council."), field="centre")
    if centre.status != Organisation.Status.ACTIVE:
        raise MediationError(_("This centre is closed and takes no cases."), field="centre")


# --- The register of mediators ----------------------------------------------------------------


def _clean_codes(values: Iterable[str], allowed: Iterable[str], field: str) -> list[str]:
    allowed = list(allowed)
    codes = [value for value in dict.fromkeys(values) if value]
    if any(code not in allowed for code in codes):
        raise MediationError(_("Choose from the list."), field=field)
    return codes


@transaction.atomic
def mediator_register(
    *,
    actor: User,
    person: Person,
    centre: Organisation,
    professional: bool,
    languages: Sequence[str],
    specialisations: Sequence[str],
    user: User | None = None,
) -> Mediator:
    """The head of a centre enters a person in the register of its mediators."""
    _check_centre(centre)
    policies.require(actor, "mediation.manage_mediators", centre)
    if Mediator.objects.filter(person=person).exists():
        raise MediationError(_("This person is already in the register."), field="person")
    mediator = Mediator.objects.create(
        person=person,
        centre=centre,
        user=user,
        professional=professional,
        languages=_clean_codes(languages, Language.values, "languages"),
        specialisations=_clean_codes(specialisations, DisputeKind.values, "specialisations"),
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=mediator,
        organisation_path=str(centre.path),
        changes={"professional": [None, professional]},
    )
    return mediator


@transaction.atomic
def mediator_set_status(*, actor: User, mediator: Mediator, status: str) -> Mediator:
    """Suspended or excluded mediators keep their history but get no new case."""
    policies.require(actor, "mediation.manage_mediators", mediator.centre)
    if status not in Mediator.Status.values:
        raise MediationError(_("Choose the status."), field="status")
    before = mediator.status
    mediator.status = status
    mediator.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=mediator,
        organisation_path=str(mediator.centre.path),
        changes={"status": [before, status]},
    )
    return mediator


@transaction.atomic
def training_add(
    *,
    actor: User,
    mediator: Mediator,
    completed_on: datetime.date,
    hours: int,
    provider: str,
    certificate_number: str = "",
) -> Training:
    policies.require(actor, "mediation.manage_mediators", mediator.centre)
    if hours <= 0 or hours > 2000:
        raise MediationError(_("Give the hours of the training (1 to 2,000)."), field="hours")
    if completed_on > timezone.localdate():
        raise MediationError(_("The date cannot be in the future."), field="completed_on")
    if not provider.strip():
        raise MediationError(_("Name who gave the training."), field="provider")
    training = Training.objects.create(
        mediator=mediator,
        completed_on=completed_on,
        hours=hours,
        provider=provider.strip()[:200],
        certificate_number=certificate_number.strip()[:60],
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=mediator,
        organisation_path=str(mediator.centre.path),
        changes={"training": [None, str(completed_on)]},
    )
    return training


# --- Cases: opening and parties ----------------------------------------------------------------


def _clean_party(data: PartyData) -> PartyData:
    name = " ".join((data.name or "").split())
    if data.person is not None and not name:
        name = data.person.full_name
    if data.organisation is not None and not name:
        name = str(data.organisation.name)
    if data.state_body is not None and not name:
        name = data.state_body.name
    if len(name) < 2:
        raise MediationError(_("Give the name of each party."), field="parties")
    if data.kind not in Party.Kind.values:
        raise MediationError(_("Choose whether the party is a person or an organisation."))
    bin_value = data.bin.strip()
    if bin_value and (len(bin_value) != 12 or not bin_value.isdigit()):
        raise MediationError(_("A BIN has 12 digits."), field="parties")
    return PartyData(
        name=name[:300],
        kind=Party.Kind.ORGANISATION
        if data.state_body is not None or data.is_state_body
        else data.kind,
        phone=data.phone.strip()[:40],
        email=data.email.strip(),
        bin=bin_value,
        person=data.person,
        organisation=data.organisation,
        is_state_body=data.is_state_body or data.state_body is not None,
        state_body=data.state_body,
        is_applicant=data.is_applicant,
    )


def _create_party(case: MediationCase, data: PartyData) -> Party:
    return Party.objects.create(
        case=case,
        kind=data.kind,
        person=data.person,
        organisation=data.organisation,
        name=data.name,
        phone=data.phone,
        email=data.email,
        bin=data.bin,
        is_state_body=data.is_state_body,
        state_body=data.state_body,
        is_applicant=data.is_applicant,
    )


def _refuse_for_state_body(case: MediationCase, actor: User | None) -> None:
    case.status = MediationCase.Status.REFUSED
    case.outcome = MediationCase.Outcome.REFUSED
    with translation.override(case.language):
        case.refusal_reason = gettext(str(STATE_BODY_REASON))[:500]
    case.closed_on = max(timezone.localdate(), case.received_on)
    case.duration_days = (case.closed_on - case.received_on).days
    case.save(update_fields=["status", "outcome", "refusal_reason", "closed_on", "duration_days"])
    _audit(case, actor, AuditEntry.Action.CLOSE, {"status": [None, "refused"]}, "state body")


@transaction.atomic
def case_open(
    *,
    actor: User,
    centre: Organisation,
    kind: str,
    source: str,
    parties: Sequence[PartyData],
    language: str = "kk",
    description: str = "",
    appeal: Appeal | None = None,
    referral_note: str = "",
    received_on: datetime.date | None = None,
    consent: bool = False,
) -> MediationCase:
    """Opens a case at a centre; with a state body among the parties it is refused at once,
    with the reason recorded. A mediator who opens a case is assigned to it."""
    _check_centre(centre)
    policies.require(actor, "mediation.open_case", centre)
    mediator = None
    if not policies.covers(actor, {"centre_head"}, str(centre.path)):
        mediator = Mediator.objects.filter(user=actor, centre=centre).first()
        if mediator is None:
            raise MediationError(_("You may open cases only at your own centre."), field="centre")
    if kind not in DisputeKind.values:
        raise MediationError(_("Choose the kind of dispute."), field="kind")
    if source not in MediationCase.Source.values:
        raise MediationError(_("Choose how the case arrived."), field="source")
    if source == MediationCase.Source.APPEAL and appeal is None:
        raise MediationError(_("Give the number of the appeal."), field="appeal")
    if language not in ("kk", "ru", "en"):
        raise MediationError(_("Choose the language of the parties."), field="language")
    if not consent:
        raise MediationError(
            _("The parties' consent to the processing of their personal data is required."),
            field="consent",
        )
    cleaned = [_clean_party(party) for party in parties if party is not None]
    if len(cleaned) < 2:
        raise MediationError(_("A dispute needs at least two parties."), field="parties")
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise MediationError(_("The date cannot be in the future."), field="received_on")
    case = MediationCase.objects.create(
        number=_next_number(centre, received_on.year),
        centre=centre,
        kind=kind,
        source=source,
        appeal=appeal if source == MediationCase.Source.APPEAL else None,
        referral_note=referral_note.strip()[:300],
        language=language,
        description=description.strip()[:5000],
        status=MediationCase.Status.OPEN if mediator else MediationCase.Status.REQUESTED,
        received_on=received_on,
        consent_given_at=timezone.now(),
        created_by=actor,
    )
    for party in cleaned:
        _create_party(case, party)
    _audit(case, actor, AuditEntry.Action.CREATE, {"number": [None, case.number]})
    if any(party.is_state_body for party in cleaned):
        _refuse_for_state_body(case, actor)
    elif mediator is not None:
        _assign(case, mediator, actor)
    transaction.on_commit(kpi.invalidate)
    return case


RECEIPT = _(
    "Your request for a mediator is received under number %(number)s. "
    "The centre will call you within three working days."
)


@transaction.atomic
def case_request(
    *,
    centre: Organisation,
    name: str,
    phone: str,
    kind: str,
    other_party: str,
    description: str,
    language: str,
    consent: bool,
    email: str = "",
) -> MediationCase:
    """A citizen asks for a mediator on the portal: a case "requested" at the centre, and a
    receipt number sent through the outbox."""
    _check_centre(centre)
    if not consent:
        raise MediationError(
            _("We need your consent to the processing of your personal data."), field="consent"
        )
    if kind not in DisputeKind.values:
        raise MediationError(_("Choose the kind of dispute."), field="kind")
    if len(" ".join(phone.split())) < 5:
        raise MediationError(_("Give a phone number we can call."), field="phone")
    language = language if language in ("kk", "ru", "en") else "kk"
    applicant = _clean_party(PartyData(name=name, phone=phone, email=email, is_applicant=True))
    other = _clean_party(PartyData(name=other_party))
    case = MediationCase.objects.create(
        number=_next_number(centre, timezone.localdate().year),
        centre=centre,
        kind=kind,
        source=MediationCase.Source.ONLINE,
        language=language,
        description=description.strip()[:2000],
        status=MediationCase.Status.REQUESTED,
        consent_given_at=timezone.now(),
    )
    _create_party(case, applicant)
    _create_party(case, other)
    _audit(case, None, AuditEntry.Action.CREATE, {"number": [None, case.number]}, "portal")
    with translation.override(language):
        body = gettext(str(RECEIPT)) % {"number": case.number}
    for channel, recipient in (("sms", applicant.phone), ("email", applicant.email)):
        notice_queue(
            channel=channel,
            recipient=recipient,
            body=body,
            subject=body[:80],
            key=f"mediation:{case.pk}:receipt:{channel}",
            language=language,
            organisation_path=str(centre.path),
        )
    transaction.on_commit(kpi.invalidate)
    return case


def _locked(case: MediationCase) -> MediationCase:
    return (
        MediationCase.objects.select_for_update(of=("self",))
        .select_related("centre")
        .get(pk=case.pk)
    )


def _require_active(case: MediationCase) -> None:
    if not case.is_active:
        raise MediationError(_("This case is closed."))


# --- What may be done on a case: one check per action, asked by the service and by the page ---


def _require_room(case: MediationCase) -> None:
    if case.assignments.count() >= MAX_MEDIATORS:
        raise MediationError(_("A case has at most two mediators."), field="mediator")


def _check_assign(actor: User, case: MediationCase) -> None:
    policies.require(actor, "mediation.assign", case)
    _require_active(case)
    _require_room(case)


def _check_in_progress(actor: User, case: MediationCase) -> None:
    """Parties, sessions and the outcome are recorded while the case is in progress."""
    policies.require(actor, "mediation.handle_case", case)
    _require_active(case)


def _check_agreement(actor: User, case: MediationCase) -> None:
    policies.require(actor, "mediation.handle_case", case)
    if case.status == MediationCase.Status.REFUSED or (
        case.status == MediationCase.Status.CLOSED and not case.is_settled
    ):
        raise MediationError(_("An agreement is made only when the parties agreed."))


def _check_upload(actor: User, case: MediationCase) -> None:
    policies.require(actor, "mediation.handle_case", case)


def _check_execution(actor: User, case: MediationCase) -> None:
    policies.require(actor, "mediation.handle_case", case)
    if not case.is_settled:
        raise MediationError(_("Only an agreement reached can be followed up."))


def _check_conflict(actor: User, case: MediationCase) -> Assignment:
    """Only a mediator assigned to a case in progress steps down from it."""
    assignment = (
        case.assignments.select_related("mediator").filter(mediator__user=actor).first()
        if actor.is_authenticated
        else None
    )
    if assignment is None:
        raise MediationError(_("You are not assigned to this case."))
    _require_active(case)
    return assignment


# In the order the page lists them when folded.
CASE_ACTIONS = (
    "assign",
    "session",
    "close",
    "agreement",
    "upload",
    "execution",
    "party",
    "conflict",
)


def available_actions(user: User, case: MediationCase) -> RecordActions:
    """The actions ``user`` may take on ``case`` now, by the checks the services run, and the
    next step: assign a mediator, hold a session, record the outcome, then for an agreement
    reached: generate it, upload the signed copy, follow up its execution."""
    checks = {
        "assign": lambda: _check_assign(user, case),
        "session": lambda: _check_in_progress(user, case),
        "close": lambda: _check_in_progress(user, case),
        "agreement": lambda: _check_agreement(user, case),
        "upload": lambda: _check_upload(user, case),
        "execution": lambda: _check_execution(user, case),
        "party": lambda: _check_in_progress(user, case),
        "conflict": lambda: _check_conflict(user, case),
    }

    def choose(allowed: tuple[str, ...]) -> str | None:
        if case.is_active:
            if not case.assignments.exists():
                return "assign"
            return "close" if case.sessions.exists() else "session"
        if not case.is_settled:
            return None
        kinds = set(case.documents.values_list("kind", flat=True))
        if Document.Kind.AGREEMENT not in kinds:
            return "agreement"
        if Document.Kind.SIGNED not in kinds:
            return "upload"
        return None if case.execution else "execution"

    return evaluate(checks, choose)


def follow_up_due(case: MediationCase) -> datetime.date | None:
    """The date an agreement reached is to be executed by, while its execution is unknown."""
    if case.is_settled and not case.execution:
        return case.execution_due
    return None


@transaction.atomic
def party_add(*, actor: User, case: MediationCase, party: PartyData) -> Party:
    """Adding a state body as a party refuses the case, as the law says."""
    case = _locked(case)
    _check_in_progress(actor, case)
    cleaned = _clean_party(party)
    created = _create_party(case, cleaned)
    _audit(case, actor, AuditEntry.Action.UPDATE, {"parties": [None, "added"]})
    if cleaned.is_state_body:
        _refuse_for_state_body(case, actor)
        transaction.on_commit(kpi.invalidate)
    return created


# --- Mediators on a case ----------------------------------------------------------------------


def conflicts_of(mediator: Mediator, case: MediationCase) -> list[str]:
    """Why a mediator may not take a case: they are a party, a member of an organisation that
    is a party, share a family name with a party, or declared a conflict."""
    reasons: list[str] = []
    parties = list(case.parties.all())
    person = mediator.person
    if any(party.person_id == person.pk for party in parties):
        reasons.append(gettext("the mediator is a party to the dispute"))
    organisations = [party.organisation_id for party in parties if party.organisation_id]
    if (
        organisations
        and Membership.objects.filter(
            person=person, organisation_id__in=organisations, end_date__isnull=True
        ).exists()
    ):
        reasons.append(gettext("the mediator is a member of an organisation that is a party"))
    family = person.last_name.strip().casefold()
    for party in parties:
        if party.kind != Party.Kind.PERSON:
            continue
        names = (
            [party.person.last_name]
            if party.person is not None
            else party.name.split()[:1]  # typed as "Family-name Given-name …"
        )
        if family and any(name.strip().casefold() == family for name in names):
            reasons.append(gettext("the mediator has the same family name as a party"))
            break
    if ConflictDeclaration.objects.filter(case=case, mediator=mediator).exists():
        reasons.append(gettext("the mediator declared a conflict of interest"))
    return reasons


def _assign(case: MediationCase, mediator: Mediator, actor: User) -> Assignment:
    if not mediator.is_active:
        raise MediationError(
            _("Only an active mediator can be assigned: this one is %(status)s.")
            % {"status": mediator.get_status_display()},
            field="mediator",
        )
    if mediator.centre_id != case.centre_id:
        raise MediationError(_("The mediator works at another centre."), field="mediator")
    if case.assignments.filter(mediator=mediator).exists():
        raise MediationError(_("This mediator is already assigned."), field="mediator")
    _require_room(case)
    reasons = conflicts_of(mediator, case)
    if reasons:
        raise MediationError(
            _("Conflict of interest: %(reasons)s. Choose another mediator.")
            % {"reasons": "; ".join(reasons)},
            field="mediator",
        )
    assignment = Assignment.objects.create(case=case, mediator=mediator, assigned_by=actor)
    if case.status == MediationCase.Status.REQUESTED:
        case.status = MediationCase.Status.OPEN
        case.save(update_fields=["status"])
    _audit(case, actor, AuditEntry.Action.UPDATE, {"mediator": [None, mediator.pk]})
    return assignment


@transaction.atomic
def case_assign(*, actor: User, case: MediationCase, mediator: Mediator) -> Assignment:
    """The centre head assigns one or two active mediators free of any conflict of interest."""
    case = _locked(case)
    _check_assign(actor, case)
    return _assign(case, mediator, actor)


@transaction.atomic
def case_declare_conflict(*, actor: User, case: MediationCase, note: str = "") -> None:
    """An assigned mediator steps down for a conflict of interest; the head assigns another."""
    case = _locked(case)
    assignment = _check_conflict(actor, case)
    mediator = assignment.mediator
    ConflictDeclaration.objects.get_or_create(
        case=case, mediator=mediator, defaults={"note": note.strip()[:300]}
    )
    assignment.delete()
    if case.is_active and not case.assignments.exists():
        case.status = MediationCase.Status.REQUESTED
        case.save(update_fields=["status"])
    _audit(case, actor, AuditEntry.Action.UPDATE, {"mediator": [mediator.pk, None]}, "conflict")


# --- Sessions, outcome, agreement, execution ---------------------------------------------------


@transaction.atomic
def session_record(
    *,
    actor: User,
    case: MediationCase,
    held_at: datetime.datetime,
    place: str,
    present: Iterable[int],
    note: str = "",
) -> Session:
    """A session with the attendance of each party (``present``: ids of the parties there)."""
    case = _locked(case)
    _check_in_progress(actor, case)
    if not place.strip():
        raise MediationError(_("Give the place of the session."), field="place")
    if timezone.localdate(held_at) < case.received_on:
        raise MediationError(
            _("The session cannot be before the case was received."), field="held_at"
        )
    parties = list(case.parties.all())
    present_ids = {int(pk) for pk in present}
    if present_ids - {party.pk for party in parties}:
        raise MediationError(_("Choose parties of this case."), field="present")
    session = Session.objects.create(
        case=case, held_at=held_at, place=place.strip()[:300], note=note.strip(), recorded_by=actor
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, party=party, present=party.pk in present_ids)
        for party in parties
    )
    if case.status == MediationCase.Status.REQUESTED:
        case.status = MediationCase.Status.OPEN
        case.save(update_fields=["status"])
    _audit(case, actor, AuditEntry.Action.UPDATE, {"session": [None, str(held_at)]})
    return session


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: MediationCase,
    outcome: str,
    closed_on: datetime.date | None = None,
    execution_due: datetime.date | None = None,
    reason: str = "",
) -> MediationCase:
    """Records the outcome; the duration counts calendar days from receipt to closing."""
    case = _locked(case)
    _check_in_progress(actor, case)
    if outcome not in MediationCase.Outcome.values:
        raise MediationError(_("Choose the outcome."), field="outcome")
    closed_on = closed_on or timezone.localdate()
    if closed_on < case.received_on or closed_on > timezone.localdate():
        raise MediationError(
            _("The closing date must lie between the day the case was received and today."),
            field="closed_on",
        )
    if outcome == MediationCase.Outcome.REFUSED and not reason.strip():
        raise MediationError(_("Give the reason for the refusal."), field="reason")
    if outcome in MediationCase.SETTLED:
        if execution_due is not None and execution_due < closed_on:
            raise MediationError(
                _("The execution date cannot be before the closing date."), field="execution_due"
            )
    else:
        execution_due = None
    case.status = (
        MediationCase.Status.REFUSED
        if outcome == MediationCase.Outcome.REFUSED
        else MediationCase.Status.CLOSED
    )
    case.outcome = outcome
    case.closed_on = closed_on
    case.duration_days = (closed_on - case.received_on).days
    case.execution_due = execution_due
    case.refusal_reason = reason.strip()[:500]
    case.save(
        update_fields=[
            "status",
            "outcome",
            "closed_on",
            "duration_days",
            "execution_due",
            "refusal_reason",
        ]
    )
    _audit(case, actor, AuditEntry.Action.CLOSE, {"outcome": [None, outcome]})
    transaction.on_commit(kpi.invalidate)
    return case


def _store(
    case: MediationCase,
    *,
    kind: str,
    data: bytes,
    content_type: str,
    extension: str,
    actor: User | None,
    language: str = "",
) -> Document:
    document = Document(
        case=case,
        kind=kind,
        content_type=content_type,
        size=len(data),
        language=language,
        uploaded_by=actor,
    )
    # A random name: nothing a user typed reaches the file system, and names cannot be guessed.
    name = f"{case.received_on.year}/{secrets.token_urlsafe(18)}.{extension}"
    document.file.save(name, ContentFile(data), save=False)
    stored = str(document.file.name)
    try:
        document.save()
    except Exception:
        document.file.storage.delete(stored)
        raise
    return document


@transaction.atomic
def agreement_generate(*, actor: User, case: MediationCase, terms: str) -> Document:
    """The agreement as DOCX in the parties' language, with their names and the mediators'."""
    case = _locked(case)
    _check_agreement(actor, case)
    if len(terms.strip()) < 10:
        raise MediationError(
            _("Write what the parties agreed (at least 10 characters)."), field="terms"
        )
    parties = [party.name for party in case.parties.all()]
    mediators = [
        assignment.mediator.person.full_name
        for assignment in case.assignments.select_related("mediator__person")
    ]
    name_field = f"name_{case.language}"
    centre_name = str(getattr(case.centre, name_field, "") or case.centre.name)
    data = documents.agreement_docx(
        case=case, parties=parties, mediators=mediators, terms=terms, centre_name=centre_name
    )
    document = _store(
        case,
        kind=Document.Kind.AGREEMENT,
        data=data,
        content_type=documents.DOCX,
        extension="docx",
        actor=actor,
        language=case.language,
    )
    _audit(case, actor, AuditEntry.Action.UPDATE, {"agreement": [None, document.pk]})
    return document


@transaction.atomic
def document_upload(
    *, actor: User, case: MediationCase, file: Any, kind: str = Document.Kind.SIGNED
) -> Document:
    """A signed agreement or another document: PDF, JPEG or PNG by content, within the limit."""
    case = _locked(case)
    _check_upload(actor, case)
    if kind not in (Document.Kind.SIGNED, Document.Kind.OTHER):
        raise MediationError(_("Choose the kind of document."), field="kind")
    try:
        checked = uploads.check_file(
            file, kinds=uploads.PDF_JPEG_PNG, max_bytes=uploads.ATTACHMENT_LIMIT
        )
    except uploads.UploadError as error:
        raise MediationError(error.message, field="file") from error
    document = _store(
        case,
        kind=kind,
        data=checked.data,
        content_type=checked.content_type,
        extension=checked.extension,
        actor=actor,
    )
    _audit(case, actor, AuditEntry.Action.UPDATE, {"document": [None, document.pk]})
    return document


@transaction.atomic
def execution_record(
    *,
    actor: User,
    case: MediationCase,
    execution: str,
    note: str = "",
    due: datetime.date | None = None,
) -> MediationCase:
    """Follow-up of a settled case: was the agreement executed by its date."""
    case = _locked(case)
    _check_execution(actor, case)
    if execution and execution not in MediationCase.Execution.values:
        raise MediationError(_("Choose how the agreement was executed."), field="execution")
    before = case.execution
    case.execution = execution
    case.execution_note = note.strip()[:500]
    if due is not None:
        if case.closed_on and due < case.closed_on:
            raise MediationError(
                _("The execution date cannot be before the closing date."), field="due"
            )
        case.execution_due = due
    case.save(update_fields=["execution", "execution_note", "execution_due"])
    _audit(case, actor, AuditEntry.Action.UPDATE, {"execution": [before, execution]})
    return case


# --- Audited reads ----------------------------------------------------------------------------


def case_read(*, actor: User, case: MediationCase, note: str = "") -> MediationCase:
    """Reading a case (parties, sessions, documents): its mediators and centre head only."""
    policies.require(actor, "mediation.view_case", case)
    audit_read(actor=actor, obj=case, organisation_path=_path(case), note=note)
    return case


def document_open(*, actor: User, case: MediationCase, document: Document) -> Any:
    """A case's file, opened for a reader allowed on the case; the read is audited."""
    policies.require(actor, "mediation.view_case", case)
    if document.case_id != case.pk:
        raise MediationError(_("No such document."))
    audit_read(actor=actor, obj=case, organisation_path=_path(case), note=f"document {document.pk}")
    return document.file.open("rb")


def cases_export(*, actor: User, cases: QuerySet[MediationCase]) -> bytes:
    """The cases a centre head sees, as XLSX; the export is written to the audit log."""
    policies.require(actor, "mediation.export")
    heads = policies.roots(actor, {"centre_head"})
    cases = policies.scoped(cases, actor).filter(policies.prefix_q("centre__path", heads))
    rows = cases.select_related("centre").prefetch_related(
        "parties", "assignments__mediator__person"
    )
    book = spreadsheets.Book()
    sheet = book.sheet("cases")
    sheet.append(
        [
            gettext("Case number"),
            gettext("Centre"),
            gettext("Kind of dispute"),
            gettext("Received on"),
            gettext("Status"),
            gettext("Outcome"),
            gettext("Closed on"),
            gettext("Parties"),
            gettext("Mediators"),
        ]
    )
    count = 0
    for case in rows.order_by("received_on", "pk"):
        count += 1
        sheet.append(
            [
                case.number,
                case.centre.name,
                case.get_kind_display(),
                case.received_on,
                case.get_status_display(),
                case.get_outcome_display(),
                case.closed_on,
                "; ".join(party.name for party in case.parties.all()),
                "; ".join(a.mediator.person.full_name for a in case.assignments.all()),
            ]
        )
    root = Organisation.objects.filter(depth=1).order_by("path").first()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=root if root is not None else actor,
        organisation_path=heads[0],
        changes={"mediation_cases": [None, count]},
        note="mediation cases export",
    )
    return book.bytes()
