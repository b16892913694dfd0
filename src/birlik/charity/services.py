"""Every write of charity: requests and their verification, projects, donations with receipts,
distributions with proof, pledges and stories.

The ledger rule: in each project, money in = money out + remaining, and for each in-kind item
the same for quantity and value. A distribution takes from what remains by one conditional
UPDATE (``... WHERE money_in >= money_out + amount``) inside the transaction that records it,
so two workers can never hand out the same tenge twice; CHECK constraints back it up.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.access.models import AuditEntry, User
from birlik.access.services import audit_read, audit_record
from birlik.core import kpi, sequences, uploads
from birlik.core.errors import DomainError
from birlik.core.record_actions import RecordActions, evaluate
from birlik.core.templatetags.birlik_format import money, number
from birlik.core.workdays import local_date
from birlik.geo.models import District, Region
from birlik.notify.services import notice_queue
from birlik.registry.iin import iin_digest, validate_iin
from birlik.registry.models import Organisation

from . import policies as charity_policies
from .models import (
    Beneficiary,
    Category,
    Distribution,
    Document,
    Donation,
    HelpRequest,
    Kind,
    Pledge,
    Project,
    RequestItem,
    RequestWorker,
    Stock,
    Story,
)

CENTRE_KIND = "charity_centre"
MAX_AMOUNT = 10_000_000_000  # ten billion tenge: anything above is a typing error
MAX_QUANTITY = 1_000_000
LANGS = ("kk", "ru", "en")


class CharityError(DomainError):
    pass


@dataclass(frozen=True)
class ItemLine:
    name: str
    quantity: int
    value: int = 0


def _audit(
    actor: User | None, action: str, obj: Model, path: str, changes: dict[str, Any] | None = None
) -> None:
    audit_record(actor=actor, action=action, obj=obj, organisation_path=path, changes=changes)


def _clean_text(value: str | None, *, limit: int) -> str:
    return " ".join((value or "").split())[:limit]


def _positive(value: Any, *, field: str, message: Any, allow_zero: bool = False) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as error:
        raise CharityError(message, field=field) from error
    if number < 0 or (number == 0 and not allow_zero) or number > MAX_AMOUNT:
        raise CharityError(message, field=field)
    return number


REQUEST_SCOPE = "charity.request"
RECEIPT_SCOPE = "charity.receipt"


def _next_number(year: int) -> int:
    """The next request number of the year (``birlik.core.sequences``: gapless, locked)."""
    return sequences.next_number(REQUEST_SCOPE, year)


def _next_receipt(centre: Organisation, year: int) -> int:
    """The next receipt number of a centre in the year."""
    return sequences.next_number(sequences.scope(RECEIPT_SCOPE, centre.pk), year)


def centre_for(region: Region | None) -> Organisation:
    """The active charity centre of a region (the first by its place in the tree)."""
    centres = Organisation.objects.filter(
        kind__code=CENTRE_KIND, status=Organisation.Status.ACTIVE
    ).order_by("depth", "path")
    centre = centres.filter(region=region).first() if region is not None else None
    if centre is None:
        raise CharityError(
            _("There is no charity centre in this region yet. Choose a neighbouring region."),
            field="region",
        )
    return centre


def _check_centre(centre: Organisation) -> None:
    if centre.kind.code != CENTRE_KIND:
        raise CharityError(_("Choose a charity centre “Zhomart zhan”."), field="centre")
    if centre.status != Organisation.Status.ACTIVE:
        raise CharityError(_("This centre is closed."), field="centre")


def _items(lines: Iterable[ItemLine]) -> list[ItemLine]:
    kept = []
    for line in lines:
        name = _clean_text(line.name, limit=200)
        if not name:
            continue
        if not 0 < int(line.quantity) <= MAX_QUANTITY:
            raise CharityError(_("Give each item a quantity of at least 1."), field="items")
        if not 0 <= int(line.value) <= MAX_AMOUNT:
            raise CharityError(_("The value of an item cannot be negative."), field="items")
        kept.append(ItemLine(name, int(line.quantity), int(line.value)))
    return kept


# --- Requests ----------------------------------------------------------------------------------

RECEIVED_MESSAGE = _(
    "Your request for help %(number)s is received. The charity centre “Zhomart zhan” will call "
    "you within a few working days."
)


@transaction.atomic
def request_register(
    *,
    source: str,
    category: str,
    need: str,
    region: Region | None,
    district: District | None = None,
    centre: Organisation | None = None,
    urgency: str = HelpRequest.Urgency.NORMAL,
    amount: int | None = None,
    items: Sequence[ItemLine] = (),
    beneficiary_kind: str = Beneficiary.Kind.PERSON,
    beneficiary_name: str,
    beneficiary_phone: str = "",
    beneficiary_address: str = "",
    beneficiary_iin: str = "",
    household: int = 1,
    body: Organisation | None = None,
    consent: bool = False,
    actor: User | None = None,
    received_at: datetime.datetime | None = None,
) -> HelpRequest:
    """A request from a citizen (portal or at the centre) or a body; the one who takes it at the
    centre is named on it as caseworker. Personal data needs the consent to its processing."""
    if source not in HelpRequest.Source.values:
        raise CharityError(_("Choose who the request comes from."), field="source")
    if category not in Category.values:
        raise CharityError(_("Choose the category of help."), field="category")
    if urgency not in HelpRequest.Urgency.values:
        raise CharityError(_("Choose the urgency."), field="urgency")
    need = (need or "").strip()
    if len(need) < 10:
        raise CharityError(_("Describe what is needed (at least 10 characters)."), field="need")
    if len(need) > 5000:
        raise CharityError(
            _("The description is too long: at most 5,000 characters."), field="need"
        )
    if region is None:
        raise CharityError(_("Choose the region."), field="region")
    if district is not None and district.region_id != region.pk:
        raise CharityError(_("The district is not in the chosen region."), field="district")
    if amount is not None:
        amount = _positive(
            amount, field="amount", message=_("The amount must be a positive number of tenge.")
        )
    lines = _items(items)
    if amount is None and not lines:
        raise CharityError(_("Give the amount needed or at least one item."), field="amount")
    name = _clean_text(beneficiary_name, limit=200)
    if source == HelpRequest.Source.BODY:
        if body is None:
            raise CharityError(_("Choose the body asking for help."), field="body")
        name = name or str(body.name)
        beneficiary_kind = Beneficiary.Kind.BODY
    if not name:
        raise CharityError(_("Give the name of the person or family."), field="beneficiary_name")
    if beneficiary_kind not in Beneficiary.Kind.values:
        raise CharityError(_("Choose who is to be helped."), field="beneficiary_kind")
    phone = _clean_text(beneficiary_phone, limit=40)
    if source == HelpRequest.Source.PORTAL and not phone:
        raise CharityError(_("Give a phone number so the centre can call you."), field="phone")
    if not consent:
        raise CharityError(
            _("A request needs consent to the processing of personal data."), field="consent"
        )
    digest = last4 = ""
    if beneficiary_iin.strip():
        try:
            validate_iin(beneficiary_iin.strip())
        except ValidationError as error:
            raise CharityError(
                _("The IIN is not valid: please check the number."), field="iin"
            ) from error
        digest, last4 = iin_digest(beneficiary_iin), beneficiary_iin.strip()[-4:]
    if centre is None:
        centre = centre_for(region)
    _check_centre(centre)
    if actor is not None:
        policies.require(actor, "charity.intake", centre)
    received_at = received_at or timezone.now()
    year = local_date(received_at).year
    help_request = HelpRequest.objects.create(
        number=f"ZhZ-{year}-{_next_number(year):06d}",
        centre=centre,
        source=source,
        category=category,
        urgency=urgency,
        region=region,
        district=district,
        need=need,
        amount=amount,
        received_at=received_at,
    )
    RequestItem.objects.bulk_create(
        RequestItem(request=help_request, name=line.name, quantity=line.quantity, value=line.value)
        for line in lines
    )
    Beneficiary.objects.create(
        request=help_request,
        kind=beneficiary_kind,
        name=name,
        phone=phone,
        address=_clean_text(beneficiary_address, limit=300),
        household=max(1, min(int(household or 1), 50)),
        iin_digest=digest,
        iin_last4=last4,
        organisation=body,
        consent_given_at=timezone.now(),
    )
    if actor is not None:
        RequestWorker.objects.create(request=help_request, user=actor)
    if phone and source == HelpRequest.Source.PORTAL:
        language = translation.get_language() or "kk"
        notice_queue(
            channel="sms",
            recipient=phone,
            subject=help_request.number,
            body=gettext(str(RECEIVED_MESSAGE)) % {"number": help_request.number},
            language=language[:2] if language[:2] in LANGS else "kk",
            key=f"charity:request:{help_request.pk}:received",
            organisation_path=centre.path,
        )
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        help_request,
        centre.path,
        {"number": [None, help_request.number], "source": [None, source]},
    )
    transaction.on_commit(kpi.invalidate)
    return help_request


def _locked(help_request: HelpRequest) -> HelpRequest:
    return (
        HelpRequest.objects.select_for_update(of=("self",))
        .select_related("centre", "centre__kind", "project")
        .get(pk=help_request.pk)
    )


def _require_handler(actor: User, help_request: HelpRequest) -> None:
    if not policies.can(actor, "charity.handle", help_request):
        raise CharityError(_("Only the caseworkers of this request and the centre's head may."))


def _require_status(help_request: HelpRequest, allowed: Iterable[str]) -> None:
    if help_request.status not in allowed:
        raise CharityError(
            _("This cannot be done while the request is “%(status)s”.")
            % {"status": help_request.get_status_display()}
        )


def _move(
    actor: User, help_request: HelpRequest, status: str, allowed: Iterable[str], **fields: Any
) -> HelpRequest:
    _require_status(help_request, allowed)
    before = help_request.status
    help_request.status = status
    for name, value in fields.items():
        setattr(help_request, name, value)
    help_request.save(update_fields=["status", *fields])
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        help_request,
        help_request.centre.path,
        {"status": [before, status]},
    )
    transaction.on_commit(kpi.invalidate)
    return help_request


# --- What may be done on a request: one check per action, asked by the service and by the page --

BEING_VERIFIED = (HelpRequest.Status.RECEIVED, HelpRequest.Status.VERIFYING)


def _handed_out(help_request: HelpRequest) -> bool:
    return bool(help_request.distributions.filter(cancelled_at__isnull=True).exists())


def _check_assign(actor: User, help_request: HelpRequest) -> None:
    policies.require(actor, "charity.assign", help_request)


def _check_start(actor: User, help_request: HelpRequest) -> None:
    _require_handler(actor, help_request)
    _require_status(help_request, [HelpRequest.Status.RECEIVED])


def _check_being_verified(actor: User, help_request: HelpRequest) -> None:
    """Documents and the home visit are the evidence of the verification: recorded before it."""
    _require_handler(actor, help_request)
    _require_status(help_request, BEING_VERIFIED)


def _check_verify(actor: User, help_request: HelpRequest) -> None:
    _check_being_verified(actor, help_request)
    if (
        help_request.visit_on is None
        and not help_request.documents.filter(purpose=Document.Purpose.VERIFICATION).exists()
    ):
        raise CharityError(_("Attach a document or record a home visit before verifying."))


def _check_reject(actor: User, help_request: HelpRequest) -> None:
    _require_handler(actor, help_request)
    _require_status(help_request, [*BEING_VERIFIED, HelpRequest.Status.VERIFIED])


def _check_withdraw(actor: User, help_request: HelpRequest) -> None:
    _require_handler(actor, help_request)
    _require_status(help_request, [*BEING_VERIFIED, *HelpRequest.OPEN_FOR_HELP])
    if _handed_out(help_request):
        raise CharityError(_("Help has already been handed out: close the request instead."))


def _check_attach(actor: User, help_request: HelpRequest) -> None:
    """A verified request joins a project; once help is handed out it stays with that one."""
    _require_handler(actor, help_request)
    _require_status(help_request, HelpRequest.OPEN_FOR_HELP)
    if _handed_out(help_request):
        raise CharityError(_("Help was handed out from the request's project already."))


def _check_distribute(actor: User, help_request: HelpRequest) -> None:
    _require_handler(actor, help_request)
    if help_request.status != HelpRequest.Status.HELPING or help_request.project_id is None:
        raise CharityError(_("Attach the verified request to a project first."))


def _check_deliver(actor: User, help_request: HelpRequest) -> None:
    _require_handler(actor, help_request)
    _require_status(help_request, [HelpRequest.Status.HELPING])
    if not _handed_out(help_request):
        raise CharityError(_("Record what was handed out, with its proof, first."))


def _check_close(actor: User, help_request: HelpRequest) -> None:
    _require_handler(actor, help_request)
    _require_status(help_request, [HelpRequest.Status.DELIVERED])


def _check_story(actor: User, help_request: HelpRequest) -> None:
    _require_handler(actor, help_request)
    if help_request.status not in (HelpRequest.Status.DELIVERED, HelpRequest.Status.CLOSED):
        raise CharityError(_("A story can be told once the help is delivered."))


# In the order the page lists them when folded.
REQUEST_ACTIONS = (
    "start",
    "visit",
    "document",
    "verify",
    "attach",
    "distribute",
    "deliver",
    "close",
    "story",
    "assign",
    "reject",
    "withdraw",
)


def available_actions(user: User, help_request: HelpRequest) -> RecordActions:
    """The actions ``user`` may take on the request now, by the checks the services run, and
    the next step: start the verification, gather its evidence (a home visit), verify, attach
    to a project, hand out the help, mark it delivered, close."""
    checks = {
        "start": lambda: _check_start(user, help_request),
        "visit": lambda: _check_being_verified(user, help_request),
        "document": lambda: _check_being_verified(user, help_request),
        "verify": lambda: _check_verify(user, help_request),
        "attach": lambda: _check_attach(user, help_request),
        "distribute": lambda: _check_distribute(user, help_request),
        "deliver": lambda: _check_deliver(user, help_request),
        "close": lambda: _check_close(user, help_request),
        "story": lambda: _check_story(user, help_request),
        "assign": lambda: _check_assign(user, help_request),
        "reject": lambda: _check_reject(user, help_request),
        "withdraw": lambda: _check_withdraw(user, help_request),
    }

    def choose(allowed: tuple[str, ...]) -> str | None:
        if "verify" in allowed:
            return "verify"
        for step in ("start", "visit", "attach", "deliver", "distribute", "close"):
            if step in allowed and (step != "attach" or help_request.project_id is None):
                return step
        return None

    return evaluate(checks, choose)


def request_read(*, actor: User, help_request: HelpRequest, note: str = "") -> HelpRequest:
    """The beneficiary's data: caseworkers and the centre's heads only; every read is logged."""
    policies.require(actor, "charity.view_personal", help_request)
    audit_read(actor=actor, obj=help_request, organisation_path=help_request.centre.path, note=note)
    return help_request


@transaction.atomic
def request_assign(*, actor: User, help_request: HelpRequest, worker: User) -> RequestWorker:
    """The centre's head names a caseworker, who must be staff of the centre."""
    help_request = _locked(help_request)
    _check_assign(actor, help_request)
    if not policies.covers(worker, {"body_staff", "centre_head"}, help_request.centre.path):
        raise CharityError(
            _("The caseworker must be a member of staff of the centre."), field="worker"
        )
    named, created = RequestWorker.objects.get_or_create(request=help_request, user=worker)
    if not created:
        raise CharityError(_("This worker is already named on the request."), field="worker")
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        help_request,
        help_request.centre.path,
        {"caseworker": [None, worker.username]},
    )
    charity_policies.forget_named(worker)
    return named


@transaction.atomic
def request_start_verification(*, actor: User, help_request: HelpRequest) -> HelpRequest:
    help_request = _locked(help_request)
    _check_start(actor, help_request)
    return _move(actor, help_request, HelpRequest.Status.VERIFYING, [HelpRequest.Status.RECEIVED])


def _store(
    help_request: HelpRequest, checked: uploads.CheckedFile, purpose: str, actor: User
) -> Document:
    document = Document(
        request=help_request,
        purpose=purpose,
        content_type=checked.content_type,
        size=len(checked.data),
        uploaded_by=actor,
    )
    # A random name: nothing the uploader chose reaches the file system.
    name = f"{secrets.token_urlsafe(12)}.{checked.extension}"
    document.file.save(name, ContentFile(checked.data), save=False)
    try:
        document.save()
    except Exception:
        document.file.storage.delete(str(document.file.name))
        raise
    return document


def _check_file(file: Any) -> uploads.CheckedFile:
    try:
        return uploads.check_file(file, max_bytes=uploads.ATTACHMENT_LIMIT)
    except uploads.UploadError as error:
        raise CharityError(error.message, field="file") from error


@transaction.atomic
def document_add(
    *,
    actor: User,
    help_request: HelpRequest,
    file: Any,
    purpose: str = Document.Purpose.VERIFICATION,
) -> Document:
    """A document for the verification, judged by its content and size, kept out of MEDIA."""
    help_request = _locked(help_request)
    _check_being_verified(actor, help_request)
    if purpose not in Document.Purpose.values:
        raise CharityError(_("Choose what the document is."), field="purpose")
    checked = _check_file(file)
    document = _store(help_request, checked, purpose, actor)
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        help_request,
        help_request.centre.path,
        {"document": [None, purpose]},
    )
    return document


@transaction.atomic
def request_record_visit(
    *, actor: User, help_request: HelpRequest, visit_on: datetime.date, note: str
) -> HelpRequest:
    """A home visit: its date (not in the future) and what was found."""
    help_request = _locked(help_request)
    _check_being_verified(actor, help_request)
    if visit_on is None or visit_on > timezone.localdate():
        raise CharityError(_("The visit date cannot be in the future."), field="visit_on")
    if visit_on < local_date(help_request.received_at):
        raise CharityError(
            _("The visit cannot be before the request was received."), field="visit_on"
        )
    if len(note.strip()) < 5:
        raise CharityError(_("Write what the visit found."), field="note")
    help_request.visit_on = visit_on
    help_request.visit_note = note.strip()[:5000]
    if help_request.status == HelpRequest.Status.RECEIVED:
        help_request.status = HelpRequest.Status.VERIFYING
    help_request.save(update_fields=["visit_on", "visit_note", "status"])
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        help_request,
        help_request.centre.path,
        {"visit_on": [None, str(visit_on)]},
    )
    return help_request


@transaction.atomic
def request_verify(*, actor: User, help_request: HelpRequest, public_need: str) -> HelpRequest:
    """Verified on a document or a home visit; the public line is what donors will read."""
    help_request = _locked(help_request)
    _check_verify(actor, help_request)
    public_need = _clean_text(public_need, limit=300)
    if len(public_need) < 5:
        raise CharityError(
            _("Write what is needed for donors, without names (at least 5 characters)."),
            field="public_need",
        )
    return _move(
        actor,
        help_request,
        HelpRequest.Status.VERIFIED,
        [HelpRequest.Status.RECEIVED, HelpRequest.Status.VERIFYING],
        public_need=public_need,
        verified_at=timezone.now(),
    )


@transaction.atomic
def request_reject(*, actor: User, help_request: HelpRequest, reason: str) -> HelpRequest:
    help_request = _locked(help_request)
    _check_reject(actor, help_request)
    reason = _clean_text(reason, limit=300)
    if len(reason) < 5:
        raise CharityError(_("Give the reason."), field="reason")
    return _move(
        actor,
        help_request,
        HelpRequest.Status.REJECTED,
        [HelpRequest.Status.RECEIVED, HelpRequest.Status.VERIFYING, HelpRequest.Status.VERIFIED],
        reason=reason,
        closed_at=timezone.now(),
    )


@transaction.atomic
def request_withdraw(*, actor: User, help_request: HelpRequest, reason: str) -> HelpRequest:
    """The requester no longer needs help; nothing may have been handed out yet."""
    help_request = _locked(help_request)
    _check_withdraw(actor, help_request)
    return _move(
        actor,
        help_request,
        HelpRequest.Status.WITHDRAWN,
        [
            HelpRequest.Status.RECEIVED,
            HelpRequest.Status.VERIFYING,
            HelpRequest.Status.VERIFIED,
            HelpRequest.Status.HELPING,
        ],
        reason=_clean_text(reason, limit=300),
        closed_at=timezone.now(),
    )


@transaction.atomic
def request_attach(*, actor: User, help_request: HelpRequest, project: Project) -> HelpRequest:
    """A verified request joins a project of its centre, whose ledger pays for the help."""
    help_request = _locked(help_request)
    _check_attach(actor, help_request)
    if project.centre_id != help_request.centre_id:
        raise CharityError(_("Choose a project of the same centre."), field="project")
    if project.status != Project.Status.OPEN:
        raise CharityError(_("This project is closed."), field="project")
    return _move(
        actor,
        help_request,
        HelpRequest.Status.HELPING,
        [HelpRequest.Status.VERIFIED, HelpRequest.Status.HELPING],
        project=project,
    )


@transaction.atomic
def request_deliver(*, actor: User, help_request: HelpRequest) -> HelpRequest:
    """Help delivered: at least one distribution with its proof is recorded."""
    help_request = _locked(help_request)
    _check_deliver(actor, help_request)
    return _move(
        actor,
        help_request,
        HelpRequest.Status.DELIVERED,
        [HelpRequest.Status.HELPING],
        delivered_at=timezone.now(),
    )


@transaction.atomic
def request_close(*, actor: User, help_request: HelpRequest) -> HelpRequest:
    help_request = _locked(help_request)
    _check_close(actor, help_request)
    return _move(
        actor,
        help_request,
        HelpRequest.Status.CLOSED,
        [HelpRequest.Status.DELIVERED],
        closed_at=timezone.now(),
    )


# --- Projects ----------------------------------------------------------------------------------


@transaction.atomic
def project_create(
    *,
    actor: User | None,
    centre: Organisation,
    title_kk: str,
    title_ru: str = "",
    title_en: str = "",
    category: str,
    budget: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    sources: Iterable[str] = (),
    partners: Iterable[Organisation] = (),
) -> Project:
    """A programme of help of one centre, in up to three languages (Kazakh first)."""
    _check_centre(centre)
    if actor is not None:
        policies.require(actor, "charity.manage_project", centre)
    titles = {
        lang: _clean_text(t, limit=300)
        for lang, t in zip(LANGS, (title_kk, title_ru, title_en), strict=True)
    }
    if not any(titles.values()):
        raise CharityError(_("Give the project a title."), field="title_kk")
    if category not in Category.values:
        raise CharityError(_("Choose the category of help."), field="category")
    budget = _positive(
        budget,
        field="budget",
        message=_("The budget must be zero or a positive number of tenge."),
        allow_zero=True,
    )
    if starts_on is None or ends_on is None or ends_on < starts_on:
        raise CharityError(_("The project must end on or after its first day."), field="ends_on")
    codes = [code for code in sources if code]
    if any(code not in Project.Source.values for code in codes):
        raise CharityError(_("Choose the sources from the list."), field="sources")
    fallback = next(t for t in titles.values() if t)
    project = Project.objects.create(
        centre=centre,
        title=titles["kk"] or fallback,
        title_kk=titles["kk"] or fallback,
        title_ru=titles["ru"] or None,
        title_en=titles["en"] or None,
        category=category,
        budget=budget,
        starts_on=starts_on,
        ends_on=ends_on,
        sources="," + ",".join(sorted(set(codes))) + "," if codes else "",
    )
    partner_list = list(partners)
    if partner_list:
        project.partners.set(partner_list)
    _audit(actor, AuditEntry.Action.CREATE, project, centre.path, {"budget": [None, budget]})
    transaction.on_commit(kpi.invalidate)
    return project


# --- The ledger: donations and distributions -------------------------------------------------


def _stock(project: Project, name: str) -> Stock:
    key = name.casefold()
    stock = Stock.objects.select_for_update(of=("self",)).filter(project=project, key=key).first()
    if stock is None:
        try:
            with transaction.atomic():
                stock = Stock.objects.create(project=project, name=name, key=key)
        except IntegrityError:
            stock = Stock.objects.select_for_update(of=("self",)).get(project=project, key=key)
    return stock


def _gift(
    kind: str, amount: Any, item: str, quantity: Any, value: Any
) -> tuple[int, str, int, int]:
    if kind == Kind.MONEY:
        return (
            _positive(
                amount, field="amount", message=_("The amount must be a positive number of tenge.")
            ),
            "",
            0,
            0,
        )
    if kind != Kind.IN_KIND:
        raise CharityError(_("Choose money or in kind."), field="kind")
    item = _clean_text(item, limit=200)
    if not item:
        raise CharityError(_("Name the item."), field="item")
    quantity = _positive(
        quantity, field="quantity", message=_("The quantity must be a positive whole number.")
    )
    if quantity > MAX_QUANTITY:
        raise CharityError(_("The quantity must be a positive whole number."), field="quantity")
    value = _positive(
        value, field="value", message=_("The value cannot be negative."), allow_zero=True
    )
    return 0, item, quantity, value


@transaction.atomic
def donation_record(
    *,
    actor: User | None,
    project: Project,
    kind: str,
    donor_name: str,
    donor_kind: str = Donation.DonorKind.PERSON,
    amount: Any = 0,
    item: str = "",
    quantity: Any = 0,
    value: Any = 0,
    donor_bin: str = "",
    donor_iin: str = "",
    donor_phone: str = "",
    donor_email: str = "",
    received_on: datetime.date | None = None,
    help_request: HelpRequest | None = None,
    language: str = "kk",
) -> Donation:
    """Money or an item given to a project: the ledger grows, the receipt takes the centre's
    next number for the year, and the donor gets it through the outbox."""
    if actor is not None:
        policies.require(actor, "charity.record_donation", project)
    project = (
        Project.objects.select_for_update(of=("self",)).select_related("centre").get(pk=project.pk)
    )
    if project.status != Project.Status.OPEN:
        raise CharityError(_("This project is closed."), field="project")
    amount_, item_, quantity_, value_ = _gift(kind, amount, item, quantity, value)
    donor_name = _clean_text(donor_name, limit=200)
    if not donor_name:
        raise CharityError(_("Give the donor's name or the company's name."), field="donor_name")
    if donor_kind not in Donation.DonorKind.values:
        raise CharityError(_("Choose a person or a company."), field="donor_kind")
    donor_bin = donor_bin.strip()
    if donor_bin and (len(donor_bin) != 12 or not donor_bin.isdigit()):
        raise CharityError(_("A BIN has 12 digits."), field="donor_bin")
    digest = ""
    if donor_iin.strip():
        try:
            validate_iin(donor_iin.strip())
        except ValidationError as error:
            raise CharityError(
                _("The IIN is not valid: please check the number."), field="donor_iin"
            ) from error
        digest = iin_digest(donor_iin)
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise CharityError(_("The date cannot be in the future."), field="received_on")
    if help_request is not None and help_request.project_id not in (None, project.pk):
        raise CharityError(_("The request belongs to another project."), field="project")
    year = received_on.year
    seq = _next_receipt(project.centre, year)
    donation = Donation.objects.create(
        centre=project.centre,
        project=project,
        request=help_request,
        kind=kind,
        amount=amount_,
        item=item_,
        quantity=quantity_,
        value=value_,
        donor_kind=donor_kind,
        donor_name=donor_name,
        donor_bin=donor_bin,
        donor_iin_digest=digest,
        donor_phone=_clean_text(donor_phone, limit=40),
        donor_email=donor_email.strip()[:254],
        received_on=received_on,
        receipt_year=year,
        receipt_seq=seq,
        receipt_number=f"{project.centre_id}-{year}-{seq:05d}",
        recorded_by=actor,
    )
    if kind == Kind.MONEY:
        Project.objects.filter(pk=project.pk).update(money_in=F("money_in") + amount_)
    else:
        stock = _stock(project, item_)
        Stock.objects.filter(pk=stock.pk).update(
            quantity_in=F("quantity_in") + quantity_, value_in=F("value_in") + value_
        )
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        donation,
        project.centre.path,
        {"kind": [None, kind], "value": [None, donation.total_value]},
    )
    _notify_donor(donation, language)
    transaction.on_commit(kpi.invalidate)
    return donation


DONOR_MESSAGE = _(
    "Thank you for your gift to “%(project)s”. Receipt %(number)s of %(date)s, %(what)s. "
    "The charity centre “Zhomart zhan”."
)


def _notify_donor(donation: Donation, language: str) -> None:
    language = language if language in LANGS else "kk"
    with translation.override(language):
        if donation.kind == Kind.MONEY:
            what = money(donation.amount)
        else:
            what = f"{donation.item} × {number(donation.quantity)}"
        text = gettext(str(DONOR_MESSAGE)) % {
            "project": donation.project.title,
            "number": donation.receipt_number,
            "date": donation.received_on.strftime("%d.%m.%Y"),
            "what": what,
        }
    for channel, recipient in (("sms", donation.donor_phone), ("email", donation.donor_email)):
        notice_queue(
            channel=channel,
            recipient=recipient,
            subject=donation.receipt_number,
            body=text,
            language=language,
            key=f"charity:donation:{donation.pk}:{channel}",
            organisation_path=donation.centre.path,
        )


@transaction.atomic
def donation_cancel(*, actor: User, donation: Donation, reason: str) -> Donation:
    """A gift recorded in error is cancelled (its receipt number stays used), only while the
    project still holds it: what was handed out cannot be taken back by a cancellation."""
    donation = (
        Donation.objects.select_for_update(of=("self",))
        .select_related("project", "centre")
        .get(pk=donation.pk)
    )
    policies.require(actor, "charity.record_donation", donation.project)
    if donation.cancelled_at is not None:
        raise CharityError(_("This donation is already cancelled."))
    reason = _clean_text(reason, limit=300)
    if len(reason) < 5:
        raise CharityError(_("Give the reason."), field="reason")
    if donation.kind == Kind.MONEY:
        taken = Project.objects.filter(
            pk=donation.project_id, money_in__gte=F("money_out") + donation.amount
        ).update(money_in=F("money_in") - donation.amount)
    else:
        taken = Stock.objects.filter(
            project=donation.project_id,
            key=donation.item.casefold(),
            quantity_in__gte=F("quantity_out") + donation.quantity,
            value_in__gte=F("value_out") + donation.value,
        ).update(
            quantity_in=F("quantity_in") - donation.quantity,
            value_in=F("value_in") - donation.value,
        )
    if not taken:
        raise CharityError(
            _("Part of this gift has already been handed out: it cannot be cancelled.")
        )
    donation.cancelled_at = timezone.now()
    donation.cancel_reason = reason
    donation.save(update_fields=["cancelled_at", "cancel_reason"])
    _audit(
        actor,
        AuditEntry.Action.CLOSE,
        donation,
        donation.centre.path,
        {"cancelled": [None, reason]},
    )
    transaction.on_commit(kpi.invalidate)
    return donation


@transaction.atomic
def distribution_record(
    *,
    actor: User,
    help_request: HelpRequest,
    kind: str,
    amount: Any = 0,
    item: str = "",
    quantity: Any = 0,
    delivered_on: datetime.date | None = None,
    proof_file: Any = None,
    signed: bool = False,
    signed_on: datetime.date | None = None,
) -> Distribution:
    """Help handed to the beneficiary out of the project's ledger, never more than remains,
    with a proof: a signed acknowledgement (uploaded) or the signature recorded by the worker."""
    help_request = _locked(help_request)
    _check_distribute(actor, help_request)
    project = help_request.project
    if project is None:  # refused by the check already; this narrows the type
        raise CharityError(_("Attach the verified request to a project first."))
    amount_, item_, quantity_, _value = _gift(kind, amount, item, quantity, 0)
    delivered_on = delivered_on or timezone.localdate()
    if delivered_on > timezone.localdate():
        raise CharityError(_("The date cannot be in the future."), field="delivered_on")
    checked = _check_file(proof_file) if proof_file is not None else None
    if checked is None:
        if not signed:
            raise CharityError(
                _("Attach the signed acknowledgement or record the recipient's signature."),
                field="proof",
            )
        signed_on = signed_on or delivered_on
        if signed_on > timezone.localdate():
            raise CharityError(_("The date cannot be in the future."), field="signed_on")
    value_out = 0
    if kind == Kind.MONEY:
        taken = Project.objects.filter(
            pk=project.pk, money_in__gte=F("money_out") + amount_
        ).update(money_out=F("money_out") + amount_)
        if not taken:
            left = Project.objects.values_list("money_in", "money_out").get(pk=project.pk)
            raise CharityError(
                _("Only %(left)s KZT remain in the project: the distribution was not recorded.")
                % {"left": number(left[0] - left[1])},
                field="amount",
            )
    else:
        stock = (
            Stock.objects.select_for_update(of=("self",))
            .filter(project=project, key=item_.casefold())
            .first()
        )
        if stock is None or stock.quantity_left < quantity_:
            raise CharityError(
                _("Only %(left)s of “%(item)s” remain in the project: nothing was recorded.")
                % {"left": number(stock.quantity_left if stock else 0), "item": item_},
                field="quantity",
            )
        # The value goes out in proportion; the last unit takes what is left, so value balances.
        value_out = (
            stock.value_left
            if quantity_ == stock.quantity_left
            else stock.value_left * quantity_ // stock.quantity_left
        )
        taken = Stock.objects.filter(
            pk=stock.pk,
            quantity_in__gte=F("quantity_out") + quantity_,
            value_in__gte=F("value_out") + value_out,
        ).update(quantity_out=F("quantity_out") + quantity_, value_out=F("value_out") + value_out)
        if not taken:  # another worker took it between the read and the update
            raise CharityError(
                _("Only %(left)s of “%(item)s” remain in the project: nothing was recorded.")
                % {"left": 0, "item": item_},
                field="quantity",
            )
        item_ = stock.name
    proof = (
        _store(help_request, checked, Document.Purpose.PROOF, actor)
        if checked is not None
        else None
    )
    distribution = Distribution.objects.create(
        project=project,
        request=help_request,
        kind=kind,
        amount=amount_,
        item=item_,
        quantity=quantity_,
        value=value_out,
        delivered_on=delivered_on,
        proof=proof,
        signature_recorded_by=actor if proof is None else None,
        signed_on=signed_on if proof is None else None,
        recorded_by=actor,
    )
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        distribution,
        help_request.centre.path,
        {"kind": [None, kind], "value": [None, distribution.total_value]},
    )
    transaction.on_commit(kpi.invalidate)
    return distribution


@transaction.atomic
def distribution_cancel(*, actor: User, distribution: Distribution) -> Distribution:
    """A distribution recorded in error goes back to what remains in the project."""
    distribution = (
        Distribution.objects.select_for_update(of=("self",))
        .select_related("request", "request__centre")
        .get(pk=distribution.pk)
    )
    _require_handler(actor, distribution.request)
    if distribution.cancelled_at is not None:
        raise CharityError(_("This distribution is already cancelled."))
    if distribution.kind == Kind.MONEY:
        Project.objects.filter(pk=distribution.project_id).update(
            money_out=F("money_out") - distribution.amount
        )
    else:
        Stock.objects.filter(
            project=distribution.project_id, key=distribution.item.casefold()
        ).update(
            quantity_out=F("quantity_out") - distribution.quantity,
            value_out=F("value_out") - distribution.value,
        )
    distribution.cancelled_at = timezone.now()
    distribution.save(update_fields=["cancelled_at"])
    _audit(
        actor,
        AuditEntry.Action.CLOSE,
        distribution,
        distribution.request.centre.path,
        {"cancelled": [None, True]},
    )
    transaction.on_commit(kpi.invalidate)
    return distribution


# --- Pledges -------------------------------------------------------------------------------------


@transaction.atomic
def pledge_make(
    *,
    help_request: HelpRequest,
    kind: str,
    donor_name: str,
    donor_phone: str = "",
    donor_email: str = "",
    amount: Any = 0,
    item: str = "",
    quantity: Any = 0,
    language: str = "kk",
) -> Pledge:
    """A donor's promise on the portal, for a request open for help."""
    help_request = HelpRequest.objects.select_for_update(of=("self",)).get(pk=help_request.pk)
    if not help_request.is_open_for_help:
        raise CharityError(_("This request is no longer open for help."))
    amount_, item_, quantity_, _value = _gift(kind, amount, item, quantity, 0)
    donor_name = _clean_text(donor_name, limit=200)
    if not donor_name:
        raise CharityError(_("Give your name or the company's name."), field="donor_name")
    if not donor_phone.strip() and not donor_email.strip():
        raise CharityError(_("Give a phone number or an e-mail address."), field="donor_phone")
    pledge = Pledge.objects.create(
        request=help_request,
        kind=kind,
        amount=amount_,
        item=item_,
        quantity=quantity_,
        donor_name=donor_name,
        donor_phone=_clean_text(donor_phone, limit=40),
        donor_email=donor_email.strip()[:254],
        language=language if language in LANGS else "kk",
    )
    _audit(None, AuditEntry.Action.CREATE, pledge, help_request.centre.path, {"kind": [None, kind]})
    return pledge


@transaction.atomic
def pledge_confirm(
    *, actor: User, pledge: Pledge, value: Any = 0, received_on: datetime.date | None = None
) -> Donation:
    """The centre received what was promised: it becomes a donation to the request's project."""
    pledge = (
        Pledge.objects.select_for_update(of=("self",)).select_related("request").get(pk=pledge.pk)
    )
    policies.require(actor, "charity.decide_pledge", pledge)
    if pledge.status != Pledge.Status.PENDING:
        raise CharityError(_("This pledge has already been decided."))
    help_request = pledge.request
    if help_request.project is None:
        raise CharityError(_("Attach the request to a project before confirming a pledge."))
    donation = donation_record(
        actor=actor,
        project=help_request.project,
        kind=pledge.kind,
        amount=pledge.amount,
        item=pledge.item,
        quantity=pledge.quantity,
        value=value,
        donor_name=pledge.donor_name,
        donor_phone=pledge.donor_phone,
        donor_email=pledge.donor_email,
        received_on=received_on,
        help_request=help_request,
        language=pledge.language,
    )
    pledge.status = Pledge.Status.CONFIRMED
    pledge.donation = donation
    pledge.decided_at = timezone.now()
    pledge.save(update_fields=["status", "donation", "decided_at"])
    return donation


@transaction.atomic
def pledge_decline(*, actor: User, pledge: Pledge) -> Pledge:
    pledge = (
        Pledge.objects.select_for_update(of=("self",))
        .select_related("request", "request__centre")
        .get(pk=pledge.pk)
    )
    policies.require(actor, "charity.decide_pledge", pledge)
    if pledge.status != Pledge.Status.PENDING:
        raise CharityError(_("This pledge has already been decided."))
    pledge.status = Pledge.Status.DECLINED
    pledge.decided_at = timezone.now()
    pledge.save(update_fields=["status", "decided_at"])
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        pledge,
        pledge.request.centre.path,
        {"status": ["pending", "declined"]},
    )
    return pledge


# --- Stories -------------------------------------------------------------------------------------


@transaction.atomic
def story_publish(
    *,
    actor: User,
    help_request: HelpRequest,
    text_kk: str,
    text_ru: str = "",
    text_en: str = "",
    consent_given_on: datetime.date,
) -> Story:
    """An anonymous story, published with the beneficiary's consent recorded by the worker."""
    help_request = _locked(help_request)
    _check_story(actor, help_request)
    if consent_given_on is None or consent_given_on > timezone.localdate():
        raise CharityError(
            _("Give the date of the beneficiary's consent."), field="consent_given_on"
        )
    texts = {
        lang: (t or "").strip()[:3000]
        for lang, t in zip(LANGS, (text_kk, text_ru, text_en), strict=True)
    }
    if not any(len(t) >= 20 for t in texts.values()):
        raise CharityError(_("Write the story (at least 20 characters)."), field="text_kk")
    name = help_request.beneficiary.name.casefold()
    for text in texts.values():
        if any(part and len(part) > 2 and part in text.casefold() for part in name.split()):
            raise CharityError(
                _("The story must not name the beneficiary. Remove the name."), field="text_kk"
            )
    fallback = next(t for t in texts.values() if t)
    story, _created = Story.objects.update_or_create(
        request=help_request,
        defaults={
            "text": texts["kk"] or fallback,
            "text_kk": texts["kk"] or fallback,
            "text_ru": texts["ru"] or None,
            "text_en": texts["en"] or None,
            "consent_given_on": consent_given_on,
            "consent_recorded_by": actor,
            "published_at": timezone.now(),
            "withdrawn_at": None,
        },
    )
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        help_request,
        help_request.centre.path,
        {"story": [None, "published"]},
    )
    return story


def status_url(help_request: HelpRequest) -> str:
    return reverse("charity:request", args=[help_request.pk])
