"""Every write to appeals and proposals, with the APPC's working-day terms.

Terms (defaults of APPC Article 76, settings per kind of body in ``DeadlineRules``), all legal
dates in Asia/Almaty: an answer within 15 working days counted from the next working day when
received on a day off; an extension "not more than up to two months" in all — to a working day
no later than two calendar months after the day the term is counted from — decided before the
term has run out and told to the applicant at once (the law allows 3 working days); a redirection
to a competent body within 3 working days, with a notice. Anonymous appeals are registered but
not considered, except reports of a threat to security, which go straight to a supervisor.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.access.models import AuditEntry, Role, User
from birlik.access.services import audit_read, audit_record
from birlik.core import cleaning, kpi, sequences, uploads
from birlik.core.errors import DomainError
from birlik.core.templatetags.birlik_format import long_date
from birlik.core.workdays import (
    add_months,
    add_working_days,
    is_working_day,
    legal_date,
    legal_today,
    next_working_day,
)
from birlik.notify.services import notice_queue
from birlik.registry import queries as registry_queries
from birlik.registry.models import Organisation

from . import queries, rollups
from .models import (
    LEGAL_MAX_EXTENSION_MONTHS,
    Appeal,
    AppealAttachment,
    AppealHandler,
    AppealRating,
    AppealStep,
    DeadlineRules,
    Proposal,
    StateBody,
)

LANGS = ("kk", "ru", "en")
MAX_ATTACHMENTS = 3


class AppealError(DomainError):
    pass


@dataclass(frozen=True)
class Terms:
    answer_days: int = 15
    max_extension_months: int = LEGAL_MAX_EXTENSION_MONTHS
    notice_days: int = 3
    redirect_days: int = 3


def terms_for(organisation: Organisation) -> Terms:
    rules = DeadlineRules.objects.filter(kind_id=organisation.kind_id).first()
    if rules is None:
        return Terms()
    return Terms(
        answer_days=rules.answer_days,
        # A body may allow less than the law, never more.
        max_extension_months=max(1, min(rules.max_extension_months, LEGAL_MAX_EXTENSION_MONTHS)),
        notice_days=rules.notice_days,
        redirect_days=rules.redirect_days,
    )


def extension_notice_due(*, appeal: Appeal) -> datetime.date | None:
    """The last day the applicant must be told of the extension: 3 working days (or the kind
    of body's setting) after it was decided. The service queues the notice at once; this is
    the term by which the outbox must have delivered it."""
    if appeal.extended_on is None:
        return None
    return add_working_days(appeal.extended_on, terms_for(appeal.organisation).notice_days)


def extension_notice_late(*, appeal: Appeal, on: datetime.date) -> bool:
    """True once the notice term has passed and no notice of the extension was delivered."""
    due = extension_notice_due(appeal=appeal)
    if due is None or on <= due:
        return False
    return not any(notice.sent_at for notice in queries.extension_notices(appeal))


def due_date_for(
    *, received_at: datetime.datetime, terms: Terms
) -> tuple[datetime.date, datetime.date]:
    """(the day the term is counted from, the answer's due date), in Asia/Almaty."""
    received = legal_date(received_at)
    start = add_working_days(received, 0)
    return start, add_working_days(received, terms.answer_days)


def redirect_by_for(*, counted_from: datetime.date, terms: Terms) -> datetime.date:
    """The last day to send an appeal on to the competent body: the 3rd working day (or the
    kind of body's setting) after the day its term is counted from."""
    return add_working_days(counted_from, terms.redirect_days)


def extension_latest(*, counted_from: datetime.date, terms: Terms) -> datetime.date:
    """The latest date a term may be extended to: two calendar months (the same day number,
    else the month's last day) after the day the term is counted from, or the next working
    day when that is not one. Every extension of the appeal shares this one cap."""
    return next_working_day(add_months(counted_from, terms.max_extension_months))


NUMBER_SCOPE = "appeals.number"


def _next_number(year: int) -> str:
    """A gapless yearly number (``birlik.core.sequences``), e.g. ``2026-000123``."""
    return f"{year}-{sequences.next_number(NUMBER_SCOPE, year):06d}"


def route(*, region: Any = None) -> Organisation:
    """An appeal "to the Assembly": the regional (or city) assembly of the applicant's region,
    else the national secretariat."""
    assembly = registry_queries.region_assembly(region) if region is not None else None
    if assembly is not None:
        return assembly
    root = registry_queries.root_body()
    if root is None:
        raise AppealError(_("The Assembly's registry is empty: no body can receive appeals."))
    return root


def _supervisors(organisation: Organisation) -> list[User]:
    """Coordinators and national admins holding a role on the body or above it."""
    ancestors = [
        organisation.path[: i * organisation.steplen] for i in range(1, organisation.depth + 1)
    ]
    return list(
        User.objects.filter(
            grants__organisation__path__in=ancestors,
            grants__role__in=[Role.REGIONAL_COORDINATOR, Role.NATIONAL_ADMIN],
            grants__revoked_at__isnull=True,
            is_active=True,
        ).distinct()
    )


def _step(appeal: Appeal, action: str, actor: User | None, text: str = "") -> None:
    AppealStep.objects.create(appeal=appeal, action=action, actor=actor, text=text)


def _audit(
    appeal: Appeal, actor: User | None, action: str, changes: dict[str, Any], note: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=appeal,
        organisation_path=appeal.organisation.path,
        changes=changes,
        note=note,
    )


def _name(appeal: Appeal, user: User, role: str) -> None:
    AppealHandler.objects.get_or_create(appeal=appeal, user=user, role=role)


@transaction.atomic
def appeal_register(
    *,
    organisation: Organisation | None,
    kind: str,
    text: str,
    language: str,
    applicant_name: str = "",
    applicant_address: str = "",
    applicant_phone: str = "",
    applicant_email: str = "",
    consent: bool = False,
    security_threat: bool = False,
    region: Any = None,
    channel: str = Appeal.Channel.PORTAL,
    subject: str = "",
    received_at: datetime.datetime | None = None,
    actor: User | None = None,
    applicant_user: User | None = None,
    attachments: Iterable[Any] = (),
) -> Appeal:
    """Registers an appeal and gives it a number and a term; an anonymous one is registered but
    not considered, unless it reports a threat to security.

    ``attachments`` (uploaded files, at most three) are judged by content and size before
    anything is written: one refused file refuses the whole appeal."""
    if actor is not None and organisation is not None:
        policies.require(actor, "appeals.register_appeal", organisation)
    if kind not in Appeal.Kind.values:
        raise AppealError(_("Choose the kind of appeal."), field="kind")
    text = (text or "").strip()
    if len(text) < 10:
        raise AppealError(_("Write the text of the appeal (at least 10 characters)."), field="text")
    if len(text) > 20000:
        raise AppealError(_("The text is too long: at most 20,000 characters."), field="text")
    applicant_name = " ".join((applicant_name or "").split())
    has_contact = bool(
        applicant_address.strip() or applicant_phone.strip() or applicant_email.strip()
    )
    anonymous = not applicant_name or not has_contact
    if not anonymous and not consent:
        raise AppealError(
            _("An appeal needs your consent to the processing of your personal data."),
            field="consent",
        )
    files = [file for file in attachments if file is not None]
    checked = check_attachments(files)
    if organisation is None:
        organisation = route(region=region)
    if organisation.status != Organisation.Status.ACTIVE:
        raise AppealError(
            _("This body is closed and cannot receive appeals."), field="organisation"
        )
    received_at = received_at or timezone.now()
    terms = terms_for(organisation)
    counted_from, due = due_date_for(received_at=received_at, terms=terms)
    redirect_by = redirect_by_for(counted_from=counted_from, terms=terms)
    status = Appeal.Status.REGISTERED
    if anonymous and not security_threat:
        status = Appeal.Status.NOT_CONSIDERED
    appeal = Appeal.objects.create(
        number=_next_number(legal_date(received_at).year),
        organisation=organisation,
        kind=kind,
        channel=channel,
        language=language if language in LANGS else "kk",
        subject=subject.strip()[:300],
        text=text,
        applicant_name=applicant_name[:200],
        applicant_address=applicant_address.strip()[:300],
        applicant_phone=applicant_phone.strip()[:40],
        applicant_email=applicant_email.strip(),
        applicant_user=applicant_user
        if applicant_user and applicant_user.is_authenticated
        else None,
        region=region,
        anonymous=anonymous,
        security_threat=security_threat,
        consent_given_at=timezone.now() if consent else None,
        received_at=received_at,
        counted_from=counted_from,
        due_date=due,
        effective_due=due,
        redirect_by=redirect_by,
        status=status,
    )
    if actor is not None:
        _name(appeal, actor, AppealHandler.Role.REGISTRAR)
    if security_threat:
        for supervisor in _supervisors(organisation):
            _name(appeal, supervisor, AppealHandler.Role.SUPERVISOR)
            _notify_staff(appeal, supervisor, "security")
    _step(appeal, AppealStep.Action.REGISTERED, actor)
    rollups.appeal_added(appeal)
    changes: dict[str, Any] = {"number": [None, appeal.number], "status": [None, status]}
    if checked:
        changes["attachments"] = [None, len(checked)]
    _audit(appeal, actor, AuditEntry.Action.CREATE, changes)
    _notify_applicant(appeal, "receipt")
    # Last: nothing after it can roll the appeal back.
    _store_attachments(appeal, checked, names=[_file_name(file) for file in files])
    transaction.on_commit(kpi.invalidate)
    return appeal


def check_attachments(files: Iterable[Any]) -> list[uploads.CheckedFile]:
    """At most three files, each a JPEG, PNG, WebP or PDF by its content, within the limit."""
    files = [file for file in files if file is not None]
    if len(files) > MAX_ATTACHMENTS:
        raise AppealError(
            ngettext(
                "Attach at most %(count)s file.", "Attach at most %(count)s files.", MAX_ATTACHMENTS
            )
            % {"count": MAX_ATTACHMENTS},
            field="attachments",
        )
    checked = []
    for file in files:
        try:
            checked.append(uploads.check_file(file, max_bytes=uploads.ATTACHMENT_LIMIT))
        except uploads.UploadError as error:
            name = str(getattr(file, "name", "") or "")[:100]
            raise AppealError(
                _("File “%(name)s”: %(problem)s") % {"name": name, "problem": error.message}
                if name
                else error.message,
                field="attachments",
            ) from error
    return checked


def _file_name(file: Any) -> str:
    """The name the applicant's file had, to show it back: its last part, printable letters
    only, at most 150 characters (it is never used on the file system)."""
    name = str(getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join("".join(char for char in name if char.isprintable()).split())
    return name[:150]


def _store_attachments(
    appeal: Appeal, checked: list[uploads.CheckedFile], *, names: list[str]
) -> None:
    """Writes the files under random names; if a write fails, the files already written are
    removed and the error rolls the appeal back."""
    stored: list[tuple[Any, str]] = []
    try:
        for item, original_name in zip(checked, names, strict=True):
            attachment = AppealAttachment(
                appeal=appeal,
                content_type=item.content_type,
                size=len(item.data),
                original_name=original_name,
            )
            # A random name: nothing the applicant chose reaches the file system.
            name = f"{secrets.token_urlsafe(12)}.{item.extension}"
            attachment.file.save(name, ContentFile(item.data), save=False)
            stored.append((attachment.file.storage, str(attachment.file.name)))
            attachment.save()
    except Exception:
        for storage, name in stored:
            storage.delete(name)
        raise


def _require_handler(actor: User, appeal: Appeal) -> None:
    policies.require(actor, "appeals.handle", appeal)


def _open(appeal: Appeal) -> None:
    if not appeal.is_open:
        raise AppealError(_("This appeal is no longer open."))


def _locked(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=appeal.pk)
    )


# --- The checks of each action: the services run them, and pages ask them to show buttons ---


def _check_take_on(actor: User, appeal: Appeal) -> None:
    policies.require(actor, "appeals.take_on", appeal)


def _check_handle(actor: User, appeal: Appeal) -> None:
    _require_handler(actor, appeal)


def _check_handle_open(actor: User, appeal: Appeal) -> None:
    _require_handler(actor, appeal)
    _open(appeal)


def answer_drafted_by_actor(*, actor: User, appeal: Appeal) -> bool:
    """True when ``actor`` drafted the current answer and is no manager above the body: then
    another member of staff must approve it."""
    drafter = appeal.steps.filter(action=AppealStep.Action.DRAFTED).order_by("-at", "-id").first()
    return (
        drafter is not None
        and drafter.actor_id == actor.pk
        and not policies.covers(actor, policies.MANAGER_ROLES, appeal.organisation.path)
    )


def _check_approve(actor: User, appeal: Appeal) -> None:
    policies.require(actor, "appeals.approve_answer", appeal)
    _open(appeal)
    if not appeal.answer_text:
        raise AppealError(_("Draft the answer first."))
    if answer_drafted_by_actor(actor=actor, appeal=appeal):
        raise AppealError(_("Another member of staff must approve the answer you drafted."))


def _check_extend(actor: User, appeal: Appeal) -> datetime.date:
    """A handler, an open appeal, a term not yet run out and not yet at its cap; returns the
    latest date the term may be extended to."""
    _require_handler(actor, appeal)
    _open(appeal)
    if legal_today() > appeal.effective_due:
        raise AppealError(
            _("The term ended on %(date)s: an expired term can no longer be extended.")
            % {"date": long_date(appeal.effective_due)},
            field="until",
        )
    latest = extension_latest(
        counted_from=appeal.counted_from, terms=terms_for(appeal.organisation)
    )
    if latest <= appeal.effective_due:
        raise AppealError(
            _("The term is already extended to %(date)s, the latest date the law allows.")
            % {"date": long_date(appeal.effective_due)},
            field="until",
        )
    return latest


def _check_close(actor: User, appeal: Appeal) -> None:
    _require_handler(actor, appeal)
    if appeal.status == Appeal.Status.CLOSED:
        raise AppealError(_("This appeal is already closed."))


ACTION_CHECKS: Mapping[str, Callable[[User, Appeal], object]] = {
    "take_on": _check_take_on,
    "assign": _check_handle_open,
    "draft": _check_handle_open,
    "approve": _check_approve,
    "extend": _check_extend,
    "redirect": _check_handle_open,
    "note": _check_handle,
    "close": _check_close,
}


@dataclass(frozen=True)
class Action:
    """An action a user may take on an appeal now; ``is_next`` marks the next step."""

    name: str
    is_next: bool = False


def _allows(check: Callable[[User, Appeal], object], user: User, appeal: Appeal) -> bool:
    try:
        check(user, appeal)
    except (PermissionDenied, AppealError):
        return False
    return True


def _next_step(appeal: Appeal, allowed: list[str]) -> str | None:
    """What the appeal waits for: someone to take it on, an executor, an answer, its approval,
    and once answered or sent on, closing the file."""
    if appeal.is_open:
        wanted = ["take_on"]
        if appeal.status == Appeal.Status.REGISTERED and appeal.executor_id is None:
            wanted.append("assign")
        if appeal.answer_text:
            wanted.append("approve")
        wanted.append("draft")
    else:
        wanted = ["take_on", "close"]
    return next((name for name in wanted if name in allowed), None)


def available_actions(*, user: User, appeal: Appeal) -> list[Action]:
    """The actions the services would accept from ``user`` on ``appeal`` now (the same checks
    they run), the next step marked. Taking on is offered only to staff not yet named on it."""
    allowed = [
        name
        for name, check in ACTION_CHECKS.items()
        if _allows(check, user, appeal)
        and (name != "take_on" or not policies.can(user, "appeals.view_content", appeal))
    ]
    following = _next_step(appeal, allowed)
    return [Action(name=name, is_next=name == following) for name in allowed]


@transaction.atomic
def appeal_take_on(*, actor: User, appeal: Appeal) -> Appeal:
    """Staff of the body name themselves on an appeal to handle it (and so to read it)."""
    appeal = _locked(appeal)
    _check_take_on(actor, appeal)
    if appeal.handlers.filter(user=actor).exists():
        return appeal  # already named (as executor, approver...): nothing to change
    _name(appeal, actor, AppealHandler.Role.REGISTRAR)
    _audit(appeal, actor, AuditEntry.Action.UPDATE, {"handler": [None, actor.username]})
    return appeal


@transaction.atomic
def appeal_assign(*, actor: User, appeal: Appeal, executor: User) -> Appeal:
    """A handler sets the executor, who must be staff of the body."""
    appeal = _locked(appeal)
    _check_handle_open(actor, appeal)
    if not policies.covers(executor, policies.STAFF_ROLES, appeal.organisation.path):
        raise AppealError(
            _("The executor must be a member of staff of this body."), field="executor"
        )
    before = appeal.executor.username if appeal.executor else None
    appeal.executor = executor
    first_considered = appeal.status == Appeal.Status.REGISTERED
    if first_considered:
        appeal.status = Appeal.Status.IN_PROGRESS
    appeal.updated_at = timezone.now()
    rollups.appeal_moved(appeal)
    appeal.save(update_fields=["executor", "status", "updated_at"])
    _name(appeal, executor, AppealHandler.Role.EXECUTOR)
    _step(appeal, AppealStep.Action.ASSIGNED, actor, queries.person_name(executor))
    _audit(appeal, actor, AuditEntry.Action.UPDATE, {"executor": [before, executor.username]})
    _notify_staff(appeal, executor, "assigned")
    if first_considered:
        _notify_applicant(appeal, "in_progress")
    return appeal


@transaction.atomic
def appeal_note(*, actor: User, appeal: Appeal, text: str) -> AppealStep:
    """An internal note: handlers only, never shown to the applicant."""
    appeal = _locked(appeal)
    _check_handle(actor, appeal)
    if not text.strip():
        raise AppealError(_("Write the note."), field="text")
    step = AppealStep.objects.create(
        appeal=appeal, action=AppealStep.Action.NOTE, actor=actor, text=text.strip()
    )
    _audit(appeal, actor, AuditEntry.Action.UPDATE, {"note": [None, "added"]})
    return step


@transaction.atomic
def appeal_draft_answer(*, actor: User, appeal: Appeal, text: str) -> Appeal:
    """The executor drafts the answer, in the language of the appeal."""
    appeal = _locked(appeal)
    _check_handle_open(actor, appeal)
    if len(text.strip()) < 10:
        raise AppealError(_("Write the answer (at least 10 characters)."), field="text")
    appeal.answer_text = text.strip()
    appeal.updated_at = timezone.now()
    appeal.save(update_fields=["answer_text", "updated_at"])
    _step(appeal, AppealStep.Action.DRAFTED, actor)
    _audit(appeal, actor, AuditEntry.Action.UPDATE, {"answer": [None, "drafted"]})
    return appeal


@transaction.atomic
def appeal_approve_answer(*, actor: User, appeal: Appeal) -> Appeal:
    """A second handler approves the drafted answer; it is sent to the applicant at once."""
    appeal = _locked(appeal)
    _check_approve(actor, appeal)
    now = timezone.now()
    appeal.status = Appeal.Status.ANSWERED
    appeal.answer_approved_by = actor
    appeal.answered_at = now
    appeal.updated_at = now
    rollups.appeal_moved(appeal)
    appeal.save(update_fields=["status", "answer_approved_by", "answered_at", "updated_at"])
    _name(appeal, actor, AppealHandler.Role.APPROVER)
    _step(appeal, AppealStep.Action.APPROVED, actor)
    _audit(appeal, actor, AuditEntry.Action.UPDATE, {"status": ["open", "answered"]})
    _notify_applicant(appeal, "answer")
    transaction.on_commit(kpi.invalidate)
    return appeal


@transaction.atomic
def appeal_extend(*, actor: User, appeal: Appeal, until: datetime.date, reason: str) -> Appeal:
    """An extension decided before the term has run out, to a working day no later than two
    months after the term started (repeated extensions share that cap); the applicant is told
    at once through the outbox, with the new date and the reason."""
    appeal = _locked(appeal)
    latest = _check_extend(actor, appeal)
    today = legal_today()
    if until <= appeal.effective_due:
        raise AppealError(_("The new date must be after the current due date."), field="until")
    if until > latest:
        raise AppealError(
            _("The term can be extended to %(date)s at the latest.") % {"date": long_date(latest)},
            field="until",
        )
    if not is_working_day(until):
        raise AppealError(
            _("%(date)s is not a working day: choose a working day, %(latest)s at the latest.")
            % {"date": long_date(until), "latest": long_date(latest)},
            field="until",
        )
    reason = reason.strip()
    if not reason:
        raise AppealError(_("Give the reason for the extension."), field="reason")
    before = appeal.effective_due
    appeal.extended_until = until
    appeal.effective_due = until
    appeal.extended_on = today
    appeal.extension_reason = reason
    appeal.status = Appeal.Status.EXTENDED
    appeal.updated_at = timezone.now()
    # Queued now, in this transaction; none when the applicant gave no phone nor e-mail.
    told = _notify_applicant(appeal, "extended")
    appeal.extension_notice_at = appeal.updated_at if told else None
    rollups.appeal_moved(appeal)
    appeal.save(
        update_fields=[
            "extended_until",
            "effective_due",
            "extended_on",
            "extension_reason",
            "extension_notice_at",
            "status",
            "updated_at",
        ]
    )
    _step(appeal, AppealStep.Action.EXTENDED, actor, reason)
    _audit(appeal, actor, AuditEntry.Action.UPDATE, {"due": [str(before), str(until)]}, reason)
    return appeal


@transaction.atomic
def appeal_redirect(*, actor: User, appeal: Appeal, state_body: StateBody, reason: str) -> Appeal:
    """Outside the body's competence: sent on to the competent state body, applicant told; a
    redirection after the redirect-by date is recorded as late on the appeal."""
    appeal = _locked(appeal)
    _check_handle_open(actor, appeal)
    if not state_body.is_active:
        raise AppealError(_("This state body is no longer in the catalogue."), field="state_body")
    if not reason.strip():
        raise AppealError(_("Say why the appeal is outside the body's competence."), field="reason")
    if appeal.redirect_by is None:  # a row written without the services
        appeal.redirect_by = redirect_by_for(
            counted_from=appeal.counted_from, terms=terms_for(appeal.organisation)
        )
    late = legal_today() > appeal.redirect_by
    appeal.status = Appeal.Status.REDIRECTED
    appeal.redirected_to = state_body
    appeal.redirected_late = late
    appeal.closed_at = timezone.now()
    appeal.updated_at = appeal.closed_at
    rollups.appeal_moved(appeal)
    appeal.save(
        update_fields=[
            "status",
            "redirected_to",
            "redirect_by",
            "redirected_late",
            "closed_at",
            "updated_at",
        ]
    )
    _step(appeal, AppealStep.Action.REDIRECTED, actor, reason.strip())
    _audit(
        appeal,
        actor,
        AuditEntry.Action.UPDATE,
        {"redirected_to": [None, state_body.code], "late": [None, late]},
        reason,
    )
    _notify_applicant(appeal, "redirected")
    transaction.on_commit(kpi.invalidate)
    return appeal


@transaction.atomic
def appeal_close(*, actor: User, appeal: Appeal, reason: str = "") -> Appeal:
    appeal = _locked(appeal)
    _check_close(actor, appeal)
    if appeal.is_open and not reason.strip():
        raise AppealError(
            _("Give the reason for closing an appeal without an answer."), field="reason"
        )
    before = appeal.status
    appeal.status = Appeal.Status.CLOSED
    appeal.closed_at = timezone.now()
    appeal.updated_at = appeal.closed_at
    rollups.appeal_moved(appeal)
    appeal.save(update_fields=["status", "closed_at", "updated_at"])
    _step(appeal, AppealStep.Action.CLOSED, actor, reason.strip())
    _audit(appeal, actor, AuditEntry.Action.CLOSE, {"status": [before, "closed"]}, reason)
    transaction.on_commit(kpi.invalidate)
    return appeal


def appeal_read(*, actor: User, appeal: Appeal) -> Appeal:
    """Reading the applicant's data and the text: handlers only, and every read is logged."""
    policies.require(actor, "appeals.view_content", appeal)
    audit_read(actor=actor, obj=appeal, organisation_path=appeal.organisation.path)
    return appeal


# --- The applicant's side: the rating of the answer, the link sent again --------------------


def _answer_sent(appeal: Appeal) -> bool:
    return appeal.answered_at is not None and appeal.status in {
        Appeal.Status.ANSWERED,
        Appeal.Status.CLOSED,
    }


def appeal_rating_allowed(*, appeal: Appeal) -> bool:
    """The applicant may rate an answer that was approved and sent, once."""
    return _answer_sent(appeal) and not AppealRating.objects.filter(appeal=appeal).exists()


RATING_COMMENT_MAX = 2000


@transaction.atomic
def appeal_rate(*, appeal: Appeal, score: int, comment: str = "") -> AppealRating:
    """The holder of the private link rates the answer from 1 to 5, with an optional comment,
    once; the handlers see the rating on the appeal."""
    appeal = _locked(appeal)
    if not _answer_sent(appeal):
        raise AppealError(_("The answer can be rated once it has been sent to you."))
    if AppealRating.objects.filter(appeal=appeal).exists():
        raise AppealError(_("You have already rated this answer: a rating is given once."))
    if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5:
        raise AppealError(_("Choose a rating from 1 to 5."), field="score")
    comment = (comment or "").strip()
    if len(comment) > RATING_COMMENT_MAX:
        raise AppealError(
            _("The comment is too long: at most %(count)s characters.")
            % {"count": RATING_COMMENT_MAX},
            field="comment",
        )
    try:
        with transaction.atomic():
            rating = AppealRating.objects.create(appeal=appeal, score=score, comment=comment)
    except IntegrityError:  # rated at the same moment from another tab
        raise AppealError(
            _("You have already rated this answer: a rating is given once.")
        ) from None
    _audit(appeal, None, AuditEntry.Action.UPDATE, {"rating": [None, score]})
    return rating


# The audit note of the rows written when the status link is asked for again.
NOTE = "status link asked for on the portal"
STATUS_LINK_MESSAGE = _("The private link to follow your appeal %(number)s: %(url)s")


def normalise_number(value: str) -> str:
    """A registration number as typed ("№ 2026-000123 ") in the form it is stored."""
    return "".join(str(value or "").replace("№", " ").split()).upper()[:30]


def _phone_key(value: str) -> str:
    """A phone number in one form (+7 and ten digits; other numbers as their digits)."""
    try:
        return cleaning.normalise_phone(value)
    except ValueError:
        digits = "".join(char for char in str(value) if char.isdigit())
        return digits


def _matching_channel(appeal: Appeal, contact: str) -> str | None:
    """The channel ("email", "sms") when ``contact`` is the e-mail or phone the applicant gave."""
    contact = contact.strip()
    if not contact:
        return None
    if "@" in contact:
        email = appeal.applicant_email.strip().lower()
        return "email" if email and email == contact.lower() else None
    given, typed = _phone_key(appeal.applicant_phone), _phone_key(contact)
    return "sms" if given and len(typed) >= 10 and given == typed else None


@transaction.atomic
def appeal_send_status_link(*, number: str, contact: str) -> bool:
    """Sends the private status link again, through the outbox, to the phone or e-mail given
    with the appeal of that number, and only when ``contact`` is that phone or e-mail; True if
    it was sent. The caller shows the same answer either way: a number's existence is never
    told. Every attempt on an existing number is audited (without the contact typed)."""
    appeal = (
        Appeal.objects.select_related("organisation")
        .filter(number=normalise_number(number))
        .first()
    )
    if appeal is None:
        return False
    channel = _matching_channel(appeal, contact)
    if channel is None:
        _audit(appeal, None, AuditEntry.Action.READ, {"status_link": [None, "no match"]}, NOTE)
        return False
    recipient = appeal.applicant_email if channel == "email" else appeal.applicant_phone
    with translation.override(appeal.language):
        text = gettext(str(STATUS_LINK_MESSAGE)) % {
            "number": appeal.number,
            "url": status_url(appeal),
        }
    # One notice per contact and hour: asking again within the hour sends nothing new.
    hour = timezone.now().strftime("%Y%m%d%H")
    notice_queue(
        channel=channel,
        recipient=recipient,
        subject=appeal.number,
        body=text,
        language=appeal.language,
        key=f"appeal:{appeal.pk}:status-link:{channel}:{hour}",
        organisation_path=appeal.organisation.path,
    )
    _audit(appeal, None, AuditEntry.Action.READ, {"status_link": [None, channel]}, NOTE)
    return True


def appeals_escalate_overdue(*, today: datetime.date | None = None) -> int:
    """Overdue open appeals are escalated once to the parent body, whose supervisors are named
    on them and told; the applicant's term does not change."""
    today = today or legal_today()
    count = 0
    overdue = queries.appeals_overdue(
        on=today, qs=Appeal.objects.filter(escalated_to__isnull=True)
    ).order_by("pk")
    for pk in list(overdue.values_list("pk", flat=True)):
        with transaction.atomic():
            locked = (
                Appeal.objects.select_for_update(of=("self",))
                .select_related("organisation")
                .get(pk=pk)
            )
            # Answered or escalated by someone else since the list was read: nothing to do.
            if not queries.appeals_overdue(
                on=today, qs=Appeal.objects.filter(pk=pk, escalated_to__isnull=True)
            ).exists():
                continue
            parent = Organisation.objects.get_parent(locked.organisation) or locked.organisation
            locked.escalated_to = parent
            locked.save(update_fields=["escalated_to"])
            for supervisor in _supervisors(parent):
                _name(locked, supervisor, AppealHandler.Role.SUPERVISOR)
                _notify_staff(locked, supervisor, "overdue")
            _step(locked, AppealStep.Action.ESCALATED, None, parent.name)
            _audit(locked, None, AuditEntry.Action.UPDATE, {"escalated_to": [None, parent.pk]})
        count += 1
    return count


# --- Proposals to state bodies -----------------------------------------------------------


@transaction.atomic
def proposal_draft(
    *, actor: User, organisation: Organisation, state_body: StateBody, title: str, text: str
) -> Proposal:
    """A body drafts a proposal with its grounds."""
    policies.require(actor, "appeals.draft_proposal", organisation)
    if not title.strip():
        raise AppealError(_("Give the title of the proposal."), field="title")
    if len(text.strip()) < 20:
        raise AppealError(
            _("Write the proposal and its grounds (at least 20 characters)."), field="text"
        )
    proposal = Proposal.objects.create(
        organisation=organisation,
        state_body=state_body,
        title=title.strip()[:300],
        text=text.strip(),
        drafted_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=proposal,
        organisation_path=organisation.path,
        changes={"status": [None, "draft"]},
    )
    return proposal


def _proposal_locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=proposal.pk)
    )


def _proposal_audit(proposal: Proposal, actor: User, changes: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=proposal,
        organisation_path=proposal.organisation.path,
        changes=changes,
    )


@transaction.atomic
def proposal_approve(*, actor: User, proposal: Proposal) -> Proposal:
    """The chair approves: someone other than the drafter (or a manager above the body)."""
    proposal = _proposal_locked(proposal)
    policies.require(actor, "appeals.approve_proposal", proposal)
    if proposal.status != Proposal.Status.DRAFT:
        raise AppealError(_("Only a draft can be approved."))
    if proposal.drafted_by_id == actor.pk and not policies.covers(
        actor, policies.MANAGER_ROLES, proposal.organisation.path
    ):
        raise AppealError(_("The chair, not the drafter, approves a proposal."))
    proposal.status = Proposal.Status.APPROVED
    proposal.approved_by = actor
    proposal.save(update_fields=["status", "approved_by"])
    _proposal_audit(proposal, actor, {"status": ["draft", "approved"]})
    return proposal


@transaction.atomic
def proposal_send(*, actor: User, proposal: Proposal, number: str = "") -> Proposal:
    """An approved proposal is sent; the state body's answer is due in 15 working days."""
    proposal = _proposal_locked(proposal)
    policies.require(actor, "appeals.change_proposal", proposal)
    if proposal.status != Proposal.Status.APPROVED:
        raise AppealError(_("A proposal is sent once the chair has approved it."))
    now = timezone.now()
    proposal.status = Proposal.Status.SENT
    proposal.sent_at = now
    proposal.number = number.strip()[:30]
    proposal.answer_due = add_working_days(legal_date(now), Terms().answer_days)
    proposal.save(update_fields=["status", "sent_at", "number", "answer_due"])
    _proposal_audit(proposal, actor, {"status": ["approved", "sent"]})
    transaction.on_commit(kpi.invalidate)
    return proposal


@transaction.atomic
def proposal_record_answer(
    *,
    actor: User,
    proposal: Proposal,
    answered_on: datetime.date,
    outcome: str,
    answer_text: str,
    actions_taken: str = "",
) -> Proposal:
    """The state body's answer: taken into account, partly, or rejected, and what was done."""
    proposal = _proposal_locked(proposal)
    policies.require(actor, "appeals.change_proposal", proposal)
    if proposal.status not in {Proposal.Status.SENT, Proposal.Status.ANSWERED}:
        raise AppealError(_("Record the answer once the proposal has been sent."))
    if outcome not in Proposal.Outcome.values:
        raise AppealError(_("Choose the outcome."), field="outcome")
    if proposal.sent_at and answered_on < legal_date(proposal.sent_at):
        raise AppealError(
            _("The answer cannot come before the proposal was sent."), field="answered_on"
        )
    if answered_on > legal_today():
        raise AppealError(_("The answer's date cannot be in the future."), field="answered_on")
    proposal.status = Proposal.Status.ANSWERED
    proposal.answered_at = answered_on
    proposal.outcome = outcome
    proposal.answer_text = answer_text.strip()
    proposal.actions_taken = actions_taken.strip()
    proposal.save(
        update_fields=["status", "answered_at", "outcome", "answer_text", "actions_taken"]
    )
    _proposal_audit(proposal, actor, {"status": ["sent", "answered"], "outcome": [None, outcome]})
    transaction.on_commit(kpi.invalidate)
    return proposal


# --- Notices -------------------------------------------------------------------------------

APPLICANT_MESSAGES: Mapping[str, Any] = {
    "receipt": _(
        "Your appeal is registered. Registration number: %(number)s. Answer due: %(due)s. "
        "Follow it here: %(url)s"
    ),
    "extended": _(
        "The term for your appeal %(number)s is extended. New date: %(due)s. Reason: "
        "%(reason)s. Follow it: %(url)s"
    ),
    "redirected": _(
        "Your appeal %(number)s has been sent on to the competent body: %(body)s. %(url)s"
    ),
    "answer": _("There is an answer to your appeal %(number)s: %(url)s"),
    "in_progress": _("Your appeal %(number)s is being considered. Answer due: %(due)s. %(url)s"),
}
STAFF_MESSAGES: Mapping[str, Any] = {
    "assigned": _("Appeal %(number)s is assigned to you. Answer due: %(due)s."),
    "overdue": _("Appeal %(number)s is overdue (due %(due)s) and escalated to %(body)s."),
    "security": _("Appeal %(number)s reports a threat to security: read it at once."),
}


def status_url(appeal: Appeal) -> str:
    with translation.override(appeal.language):
        path = reverse("portal:appeal_status", kwargs={"token": appeal.token})
    return settings.SITE_URL.rstrip("/") + path


def _notify_applicant(appeal: Appeal, what: str) -> bool:
    """Queues the notice by SMS and e-mail (whichever the applicant gave); True if one was."""
    if appeal.anonymous:
        return False
    with translation.override(appeal.language):
        text = gettext(str(APPLICANT_MESSAGES[what])) % {
            "number": appeal.number,
            "due": appeal.effective_due.strftime("%d.%m.%Y"),
            "url": status_url(appeal),
            "body": appeal.redirected_to.name if appeal.redirected_to else "",
            "reason": appeal.extension_reason,
        }
    queued = False
    for channel, recipient in (("sms", appeal.applicant_phone), ("email", appeal.applicant_email)):
        queued |= (
            notice_queue(
                channel=channel,
                recipient=recipient,
                subject=appeal.number,
                body=text,
                language=appeal.language,
                key=f"appeal:{appeal.pk}:{what}:{appeal.effective_due}:{channel}",
                organisation_path=appeal.organisation.path,
            )
            is not None
        )
    return queued


def _notify_staff(appeal: Appeal, user: User, what: str) -> None:
    if not user.email:
        return
    with translation.override(user.language):
        text = gettext(str(STAFF_MESSAGES[what])) % {
            "number": appeal.number,
            "due": appeal.effective_due.strftime("%d.%m.%Y"),
            "body": appeal.escalated_to.name if appeal.escalated_to else "",
        }
    notice_queue(
        channel="email",
        recipient=user.email,
        subject=appeal.number,
        body=text,
        language=user.language,
        key=f"appeal:{appeal.pk}:{what}:user{user.pk}",
        organisation_path=appeal.organisation.path,
    )
