"""Every write of the ideas platform: submitting, supporting and merging ideas (ideas-citizen),
calls, moderation, answers and follow-up (ideas-staff), the similarity index (ideas-similar).
Each slice keeps its own section."""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, F, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.access.models import AuditEntry, User
from birlik.access.policies import prefix_q
from birlik.access.queries import body_staff
from birlik.access.services import audit_record, diff, snapshot
from birlik.charity.models import Project
from birlik.core import kpi, sequences, uploads, workdays
from birlik.core.cleaning import clean_text
from birlik.core.errors import DomainError
from birlik.core.workdays import add_working_days, legal_today
from birlik.events.models import Event
from birlik.geo.models import Region
from birlik.notify.services import notice_queue
from birlik.registry import queries as registry_queries
from birlik.registry.models import Organisation

from . import queries
from .models import LANGUAGES, Call, Category, Comment, Idea, IdeaImage, Milestone, Support


class IdeaError(DomainError):
    """A rule of the ideas platform was broken; the message says what to do."""


# --- (ideas-citizen) ------------------------------------------------------------------------------
# Submitting, withdrawing, supporting and merging ideas. The support count on ``Idea`` is kept
# by these functions alone (one UPDATE … + 1 per support, recounted in the database on a
# merge), so that lists read it without a COUNT. The answer clock starts once, on the support
# that reaches the threshold, and never moves back when supports are withdrawn.

NUMBER_SCOPE = "ideas.number"
MAX_IMAGES = 3
TITLE_MAX = 200
TEXT_MAX = 5000
LANGUAGE_CODES = tuple(code for code, _name in LANGUAGES)

THRESHOLD_MESSAGE = _(
    "The idea %(number)s «%(title)s» has %(count)s supports: the threshold for an official "
    "answer is reached. Give the answer of %(body)s by %(due)s: %(url)s"
)
MERGED_MESSAGE = _(
    "Your idea %(number)s was merged with the similar idea %(into)s; its supports were added "
    "there. Follow it here: %(url)s"
)


def _clean_block(value: Any, *, limit: int) -> str:
    """A text of several paragraphs: NFC, line breaks kept (at most one empty line), trimmed."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [clean_text(line) for line in text.split("\n")]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept).strip()[:limit]


def author_display(user: User) -> str:
    """The name shown publicly: the first name and the initial of the last («Айгерім С.»)."""
    words = clean_text(user.full_name).split() or [
        word for word in (clean_text(user.first_name), clean_text(user.last_name)) if word
    ]
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:60]
    return f"{words[0][:60]} {words[-1][0].upper()}."


def idea_body(*, call: Call | None, region: Region | None) -> Organisation:
    """The body that moderates and answers an idea: the call's; on the open platform the
    regional (or city) assembly of its region, else the secretariat at the root."""
    if call is not None:
        return call.organisation
    assembly = registry_queries.region_assembly(region) if region is not None else None
    if assembly is not None:
        return assembly
    root = registry_queries.root_body()
    if root is None:
        raise IdeaError(_("The Assembly's registry is empty: no body can receive ideas."))
    return root


def _image_name(extension: str) -> str:
    return f"{uuid4().hex}.{extension}"


@transaction.atomic
def idea_submit(
    *,
    author: User,
    call: Call | None,
    category: Category,
    region: Region | None,
    language: str,
    title: str,
    problem: str,
    solution: str,
    images: Sequence[Any] = (),
) -> Idea:
    """A verified account submits an idea to a call collecting ideas or to the open platform;
    it waits for a moderator (PENDING) and gets its yearly number at once."""
    policies.require(author, "ideas.submit")
    today = workdays.legal_today()
    if call is not None:
        call = Call.objects.select_related("organisation").get(pk=call.pk)
        if call.status != Call.Status.OPEN or call.phase_on(today) != Call.Phase.COLLECTING:
            raise IdeaError(
                _(
                    "This call does not accept ideas now. Choose a call that collects ideas, "
                    "or the open platform."
                ),
                field="call",
            )
        allowed = list(call.categories.values_list("pk", flat=True))
        if allowed and category.pk not in allowed:
            raise IdeaError(_("Choose one of the categories of this call."), field="category")
    if not category.is_active:
        raise IdeaError(_("This category is no longer in use: choose another."), field="category")
    if language not in LANGUAGE_CODES:
        raise IdeaError(_("Choose Kazakh, Russian or English."), field="language")
    title = clean_text(title)
    if len(title) < 5:
        raise IdeaError(_("Give your idea a title of at least 5 characters."), field="title")
    if len(title) > TITLE_MAX:
        raise IdeaError(
            _("Keep the title to %(count)s characters.") % {"count": TITLE_MAX}, field="title"
        )
    problem = _clean_block(problem, limit=TEXT_MAX)
    solution = _clean_block(solution, limit=TEXT_MAX)
    if len(problem) < 20:
        raise IdeaError(
            _("Describe the problem in a few sentences (at least 20 characters)."),
            field="problem",
        )
    if len(solution) < 20:
        raise IdeaError(
            _("Describe the solution you propose (at least 20 characters)."), field="solution"
        )
    uploads_ = [upload for upload in images if upload]
    if len(uploads_) > MAX_IMAGES:
        raise IdeaError(
            _("Attach at most %(count)s images.") % {"count": MAX_IMAGES}, field="images"
        )
    checked = []
    for upload in uploads_:
        try:
            checked.append(
                uploads.check_file(
                    upload, kinds=uploads.IMAGE_TYPES, max_bytes=uploads.ATTACHMENT_LIMIT
                )
            )
        except uploads.UploadError as error:
            raise IdeaError(
                _("%(name)s: %(problem)s")
                % {"name": getattr(upload, "name", "") or _("image"), "problem": error.message},
                field="images",
            ) from error
    organisation = idea_body(call=call, region=region)
    now = timezone.now()
    year = today.year
    number = f"ИД-{year}-{sequences.next_number(NUMBER_SCOPE, year):05d}"
    idea = Idea.objects.create(
        number=number,
        call=call,
        organisation=organisation,
        region=region,
        category=category,
        language=language,
        title=title,
        problem=problem,
        solution=solution,
        author=author,
        author_display=author_display(author),
        status=Idea.Status.PENDING,
        created_at=now,
    )
    for position, item in enumerate(checked):
        picture = IdeaImage(idea=idea, position=position, alt=title[:200])
        picture.image.save(_image_name(item.extension), ContentFile(item.data), save=False)
        picture.save()
    audit_record(
        actor=author,
        action=AuditEntry.Action.CREATE,
        obj=idea,
        organisation_path=organisation.path,
        changes={"number": [None, number], "status": [None, idea.status]},
    )
    transaction.on_commit(kpi.invalidate)
    return idea


def _locked(idea: Idea) -> Idea:
    return (
        Idea.objects.select_for_update(of=("self",))
        .select_related("call", "organisation")
        .get(pk=idea.pk)
    )


@transaction.atomic
def idea_withdraw(*, author: User, idea: Idea) -> Idea:
    """The author withdraws an idea still waiting for moderation, or published and not yet at
    the threshold (once it is, the body owes its supporters an answer)."""
    idea = _locked(idea)
    if idea.author_id != author.pk:
        raise IdeaError(_("Only the author can withdraw an idea."))
    if idea.status not in (Idea.Status.PENDING, Idea.Status.PUBLISHED):
        raise IdeaError(_("This idea cannot be withdrawn any more."))
    if idea.threshold_reached_on is not None:
        raise IdeaError(
            _(
                "This idea reached the threshold of supports and is waiting for an official "
                "answer: it cannot be withdrawn now."
            )
        )
    before = idea.status
    idea.status = Idea.Status.WITHDRAWN
    idea.save(update_fields=["status"])
    _reindex(idea)
    audit_record(
        actor=author,
        action=AuditEntry.Action.UPDATE,
        obj=idea,
        organisation_path=idea.organisation.path,
        changes={"status": [before, idea.status]},
    )
    transaction.on_commit(kpi.invalidate)
    return idea


def _reindex(idea: Idea) -> None:
    """Keep the similarity index (ideas-similar) in step: only published ideas are in it."""
    from . import similarity  # the similarity slice's module: loaded when first needed

    similarity.index_idea(idea)


def _supportable(idea: Idea, on: datetime.date) -> None:
    """Refuse a support (or its withdrawal) the idea does not accept now."""
    reason = queries.support_closed_reason(idea, on=on)
    if reason:
        raise IdeaError(reason)


def answer_due_for(*, idea: Idea, reached_on: datetime.date) -> datetime.date:
    """The day the official answer is due: the call's working days (or the open platform's
    ``IDEAS_ANSWER_WORKING_DAYS``) counted on Kazakhstan's calendar from the day the threshold
    was reached."""
    return workdays.add_working_days(reached_on, queries.answer_working_days(idea))


def _public_url(idea: Idea, language: str) -> str:
    with translation.override(language):
        path = reverse("ideas_portal:idea", kwargs={"pk": idea.pk})
    return settings.SITE_URL.rstrip("/") + path


def _reach_threshold(idea: Idea) -> None:
    """Start the answer clock once, on the support that reaches the threshold, and tell the
    body's staff (``idea`` is locked and its ``support_count`` current)."""
    if idea.threshold_reached_on is not None:
        return
    if idea.support_count < queries.support_threshold(idea):
        return
    reached_on = workdays.legal_today()
    idea.threshold_reached_on = reached_on
    idea.answer_due = answer_due_for(idea=idea, reached_on=reached_on)
    idea.save(update_fields=["threshold_reached_on", "answer_due"])
    for user in body_staff(idea.organisation, nearest=True):
        language = user.language if user.language in LANGUAGE_CODES else "kk"
        with translation.override(language):
            text = gettext(str(THRESHOLD_MESSAGE)) % {
                "number": idea.number,
                "title": idea.title,
                "count": idea.support_count,
                "body": idea.organisation.name,
                "due": idea.answer_due.strftime("%d.%m.%Y"),
                "url": _workspace_url(idea, language),
            }
        notice_queue(
            channel="email",
            recipient=user.email,
            subject=idea.number,
            body=text,
            language=language,
            key=f"idea:{idea.pk}:threshold:user{user.pk}",
            organisation_path=idea.organisation.path,
        )


def _workspace_url(idea: Idea, language: str) -> str:
    """The idea's workspace page (the ideas-staff slice's), else its public page."""
    try:
        with translation.override(language):
            path = reverse("ideas:idea", kwargs={"pk": idea.pk})
    except NoReverseMatch:
        return _public_url(idea, language)
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def idea_support(*, user: User, idea: Idea) -> Support:
    """A verified account supports a published idea once, while its call gathers support;
    the support that reaches the threshold starts the answer clock."""
    policies.require(user, "ideas.support", idea)
    idea = _locked(idea)
    _supportable(idea, workdays.legal_today())
    if Support.objects.filter(idea=idea, user=user).exists():
        raise IdeaError(_("You already support this idea. One support per person is counted."))
    try:
        with transaction.atomic():
            support = Support.objects.create(idea=idea, user=user)
    except IntegrityError:
        raise IdeaError(
            _("You already support this idea. One support per person is counted.")
        ) from None
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    idea.refresh_from_db(fields=["support_count"])
    _reach_threshold(idea)
    transaction.on_commit(kpi.invalidate)
    return support


@transaction.atomic
def idea_unsupport(*, user: User, idea: Idea) -> None:
    """A supporter takes back their support while the idea still gathers support; an answer
    clock already started keeps running."""
    idea = _locked(idea)
    support = Support.objects.filter(idea=idea, user_id=user.pk).first()
    if support is None:
        raise IdeaError(_("You do not support this idea."))
    _supportable(idea, workdays.legal_today())
    support.delete()
    Idea.objects.filter(pk=idea.pk, support_count__gt=0).update(
        support_count=F("support_count") - 1
    )
    transaction.on_commit(kpi.invalidate)


def _recount(ideas: Iterable[int]) -> None:
    """Set the support count of ``ideas`` from their rows, in the database."""
    counted = (
        Support.objects.filter(idea=OuterRef("pk"))
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Idea.objects.filter(pk__in=list(ideas)).update(
        support_count=Coalesce(Subquery(counted), Value(0))
    )


@transaction.atomic
def idea_merge(*, actor: User, duplicate: Idea, into: Idea) -> Idea:
    """Staff covering both ideas merge a duplicate into the idea kept: its supports move
    there (a person who supported both is counted once), ideas merged into the duplicate
    follow, and the kept idea's answer clock starts if it now reaches the threshold."""
    if duplicate.pk == into.pk:
        raise IdeaError(
            _("Choose another idea to merge into: an idea cannot be merged into itself."),
            field="into",
        )
    first, second = sorted((duplicate.pk, into.pk))
    locked = {
        row.pk: row
        for row in Idea.objects.select_for_update(of=("self",))
        .select_related("call", "organisation", "author")
        .filter(pk__in=(first, second))
        .order_by("pk")
    }
    if len(locked) != 2:
        raise IdeaError(_("One of the two ideas no longer exists."))
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    policies.require(actor, "ideas.merge", duplicate)
    policies.require(actor, "ideas.merge", into)
    if duplicate.status not in (Idea.Status.PENDING, Idea.Status.PUBLISHED):
        raise IdeaError(_("Only a published idea or one waiting for moderation can be merged."))
    if into.status != Idea.Status.PUBLISHED:
        raise IdeaError(
            _("The idea kept must be published: publish it first, or choose another."),
            field="into",
        )
    if duplicate.answered_on is not None:
        raise IdeaError(_("This idea already has an official answer: it cannot be merged."))
    both = Support.objects.filter(idea=into).values("user_id")
    moved = (
        Support.objects.filter(idea=duplicate)
        .exclude(user_id__in=both)
        .update(
            idea=into,
            moved_from=Coalesce(F("moved_from"), Value(duplicate.pk), output_field=IntegerField()),
        )
    )
    # Ideas merged earlier into the duplicate now point at the idea kept (no chains to follow).
    Idea.objects.filter(merged_into=duplicate).update(merged_into=into)
    before = duplicate.status
    duplicate.status = Idea.Status.MERGED
    duplicate.merged_into = into
    duplicate.moderated_by = actor
    duplicate.save(update_fields=["status", "merged_into", "moderated_by"])
    _reindex(duplicate)
    _recount((duplicate.pk, into.pk))
    into.refresh_from_db(fields=["support_count"])
    _reach_threshold(into)
    for idea, changes in (
        (duplicate, {"status": [before, duplicate.status], "merged_into": [None, into.number]}),
        (into, {"supports_moved": [0, moved], "merged_from": [None, duplicate.number]}),
    ):
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=idea,
            organisation_path=idea.organisation.path,
            changes=changes,
            note="merge",
        )
    _tell_author_merged(duplicate, into)
    transaction.on_commit(kpi.invalidate)
    return into


def _tell_author_merged(duplicate: Idea, into: Idea) -> None:
    author = duplicate.author
    language = author.language if author.language in LANGUAGE_CODES else duplicate.language
    with translation.override(language):
        text = gettext(str(MERGED_MESSAGE)) % {
            "number": duplicate.number,
            "into": into.number,
            "url": _public_url(into, language),
        }
    channel, recipient = ("email", author.email) if author.email else ("sms", author.phone)
    notice_queue(
        channel=channel,
        recipient=recipient,
        subject=duplicate.number,
        body=text,
        language=language,
        key=f"idea:{duplicate.pk}:merged:{into.pk}",
        organisation_path=duplicate.organisation.path,
    )


# --- (ideas-staff) --------------------------------------------------------------------------------

CALL_TEXT_FIELDS = tuple(
    f"{name}_{lang}" for name in ("title", "description") for lang in ("kk", "ru", "en")
)
CALL_FIELDS = (
    *CALL_TEXT_FIELDS,
    "opens_on",
    "collect_until",
    "support_until",
    "review_until",
    "threshold",
    "answer_working_days",
)
# The phases of a call in the order their dates must follow, with the field each error names.
CALL_PHASE_DATES = ("opens_on", "collect_until", "support_until", "review_until")
COMMENT_MAX_CHARS = 2000
REASON_MAX_CHARS = 500
# Staff are reminded of answers due within this many working days (and of overdue ones).
ANSWER_REMIND_WORKING_DAYS = 2
FOLLOWED_DECISIONS = frozenset({Idea.Decision.ACCEPTED, Idea.Decision.PARTLY})
_INVISIBLE_CHARS = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200f\u2060\ufeff]")

_AUTHOR_MESSAGES = {
    "published": _(
        "Your idea %(number)s «%(title)s» is published on the Platform of creative solutions. "
        "Share it so that others can support it. %(url)s"
    ),
    "rejected": _(
        "Your idea %(number)s «%(title)s» was not published. Reason: %(reason)s. You may submit "
        "it again with the changes. %(url)s"
    ),
    "answered": _(
        "Your idea %(number)s «%(title)s» has an official answer from %(body)s: %(decision)s. "
        "%(url)s"
    ),
}
_STAFF_REMINDERS = {
    "due": _(
        "The official answer to idea %(number)s «%(title)s» is due on %(due)s. Answer it in "
        "the workspace: %(url)s"
    ),
    "overdue": _(
        "The official answer to idea %(number)s «%(title)s» was due on %(due)s and is overdue. "
        "Answer it in the workspace: %(url)s"
    ),
}


def _absolute(path: str) -> str:
    base = str(getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{base}{path}" if path else ""


def _idea_public_url(idea: Idea, language: str) -> str:
    """The address of the idea's public page in ``language`` (empty before that page exists)."""
    with translation.override(language):
        for name, kwargs in (
            ("ideas_portal:detail", {"pk": idea.pk}),
            ("ideas_portal:idea", {"pk": idea.pk}),
            ("ideas_portal:mine", {}),
        ):
            try:
                return _absolute(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return ""


def _clean_multiline(value: Any) -> str:
    """Plain text as typed: NFC, invisible characters dropped, each line trimmed, at most one
    empty line between paragraphs. Rendered escaped, so no markup survives."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = _INVISIBLE_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _tell_author(idea: Idea, what: str, **values: str) -> None:
    """A notice to the author in their language, by e-mail and SMS where the account has them."""
    author = idea.author
    language = author.language or settings.LANGUAGE_CODE
    with translation.override(language):
        body = gettext(str(_AUTHOR_MESSAGES[what])) % {
            "number": idea.number,
            "title": idea.title,
            "url": _idea_public_url(idea, language),
            **values,
        }
        subject = gettext("Platform of creative solutions: idea %(number)s") % {
            "number": idea.number
        }
    for channel, recipient in (("email", author.email), ("sms", author.phone)):
        notice_queue(
            channel=channel,
            recipient=recipient,
            subject=subject,
            body=body,
            language=language,
            key=f"idea:{idea.pk}:{what}:{channel}",
            organisation_path=idea.organisation.path,
        )


def _audit_idea(
    actor: User, idea: Idea, before: dict[str, Any], fields: list[str], note: str = ""
) -> None:
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=idea,
        organisation_path=idea.organisation.path,
        changes=diff(before, snapshot(idea, fields)),
        note=note,
    )


def _locked_idea(idea: Idea) -> Idea:
    return (
        Idea.objects.select_for_update(of=("self",))
        .select_related("organisation", "author", "call")
        .get(pk=idea.pk)
    )


# --- Calls


def _check_call(data: Mapping[str, Any]) -> None:
    if not any(clean_text(data.get(f"title_{lang}")) for lang in ("kk", "ru", "en")):
        raise IdeaError(_("Give the call a title, at least in Kazakh."), field="title_kk")
    for field in CALL_PHASE_DATES:
        if not isinstance(data.get(field), datetime.date):
            raise IdeaError(_("Give every date of the call's phases."), field=field)
    for earlier, later in itertools.pairwise(CALL_PHASE_DATES):
        if data[later] < data[earlier]:
            raise IdeaError(
                _(
                    "The phases follow each other: ideas are collected, then supported, then "
                    "reviewed. Put this date on or after the one before it."
                ),
                field=later,
            )
    threshold = data.get("threshold")
    if not isinstance(threshold, int) or not 1 <= threshold <= 1_000_000:
        raise IdeaError(
            _("The threshold is a number of supports from 1 to 1,000,000."), field="threshold"
        )
    days = data.get("answer_working_days")
    if not isinstance(days, int) or not 1 <= days <= 90:
        raise IdeaError(
            _("The answer is due within 1 to 90 working days."), field="answer_working_days"
        )


@transaction.atomic
def call_save(
    *,
    actor: User,
    organisation: Organisation,
    data: Mapping[str, Any],
    call: Call | None = None,
) -> Call:
    """A call's phases run in order (collecting, support, review, results); a cancelled call or
    one whose review is over is not edited; its body is one the actor manages."""
    policies.require(actor, "ideas.manage_calls", organisation)
    _check_call(data)
    if call is None:
        call = Call(organisation=organisation, created_by=actor)
        before: dict[str, Any] = {}
        action = AuditEntry.Action.CREATE
    else:
        call = (
            Call.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=call.pk)
        )
        policies.require(actor, "ideas.manage_calls", call)
        if call.status == Call.Status.CANCELLED:
            raise IdeaError(_("This call is cancelled; it cannot be changed."))
        before = snapshot(call, [*CALL_FIELDS, "organisation_id"])
        action = AuditEntry.Action.UPDATE
        call.organisation = organisation
    for field in CALL_FIELDS:
        value = data.get(field)
        if field in CALL_TEXT_FIELDS:
            value = (
                _clean_multiline(value) if field.startswith("description") else clean_text(value)
            )
        setattr(call, field, value)
    call.save()
    if "categories" in data:
        call.categories.set(list(data["categories"] or []))
    audit_record(
        actor=actor,
        action=action,
        obj=call,
        organisation_path=organisation.path,
        changes=diff(before, snapshot(call, [*CALL_FIELDS, "organisation_id"])),
    )
    return call


@transaction.atomic
def call_publish(*, actor: User, call: Call) -> Call:
    """A draft call opens to the public; a call whose review is already over is not opened."""
    call = (
        Call.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=call.pk)
    )
    policies.require(actor, "ideas.manage_calls", call)
    if call.status != Call.Status.DRAFT:
        raise IdeaError(_("Only a draft call can be published."))
    if call.review_until < legal_today():
        raise IdeaError(_("The dates of this call are over. Change its dates, then publish it."))
    call.status = Call.Status.OPEN
    call.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=call,
        organisation_path=call.organisation.path,
        changes={"status": [Call.Status.DRAFT, Call.Status.OPEN]},
    )
    return call


@transaction.atomic
def call_cancel(*, actor: User, call: Call, reason: str = "") -> Call:
    """A cancelled call takes no more ideas or supports; its ideas stay, with their answers."""
    call = (
        Call.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=call.pk)
    )
    policies.require(actor, "ideas.manage_calls", call)
    if call.status == Call.Status.CANCELLED:
        raise IdeaError(_("This call is already cancelled."))
    before = call.status
    call.status = Call.Status.CANCELLED
    call.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=call,
        organisation_path=call.organisation.path,
        changes={"status": [before, Call.Status.CANCELLED]},
        note=clean_text(reason)[:300],
    )
    return call


# --- Moderation


@transaction.atomic
def idea_publish(*, actor: User, idea: Idea) -> Idea:
    """A pending idea goes public, enters the similarity index and its author is told."""
    idea = _locked_idea(idea)
    policies.require(actor, "ideas.moderate", idea)
    if idea.status != Idea.Status.PENDING:
        raise IdeaError(_("Only an idea awaiting moderation can be published."))
    fields = ["status", "published_at", "moderated_by", "moderation_note"]
    before = snapshot(idea, fields)
    idea.status = Idea.Status.PUBLISHED
    idea.published_at = timezone.now()
    idea.moderated_by = actor
    idea.moderation_note = ""
    idea.save(update_fields=fields)
    from . import similarity  # the similarity slice's module: loaded when first needed

    similarity.index_idea(idea)
    _audit_idea(actor, idea, before, fields)
    _tell_author(idea, "published")
    transaction.on_commit(kpi.invalidate)
    return idea


@transaction.atomic
def idea_reject(*, actor: User, idea: Idea, reason: str) -> Idea:
    """A pending idea is not published; the reason is kept for the author and sent to them."""
    reason = clean_text(reason)
    if not reason:
        raise IdeaError(
            _("Say why the idea is not published: the author reads it."), field="reason"
        )
    if len(reason) > REASON_MAX_CHARS:
        raise IdeaError(
            _("Keep the reason under %(count)s characters.") % {"count": REASON_MAX_CHARS},
            field="reason",
        )
    idea = _locked_idea(idea)
    policies.require(actor, "ideas.moderate", idea)
    if idea.status != Idea.Status.PENDING:
        raise IdeaError(_("Only an idea awaiting moderation can be rejected."))
    fields = ["status", "moderated_by", "moderation_note"]
    before = snapshot(idea, fields)
    idea.status = Idea.Status.REJECTED
    idea.moderated_by = actor
    idea.moderation_note = reason
    idea.save(update_fields=fields)
    _audit_idea(actor, idea, before, fields)
    _tell_author(idea, "rejected", reason=reason)
    return idea


# --- Comments


@transaction.atomic
def comment_add(*, author: User, idea: Idea, text: str) -> Comment:
    """A verified account comments on a published idea; the comment waits for moderation."""
    policies.require(author, "ideas.comment")
    text = _clean_multiline(text)
    if len(text) < 2:
        raise IdeaError(_("Write your comment."), field="text")
    if len(text) > COMMENT_MAX_CHARS:
        raise IdeaError(
            _("Keep the comment under %(count)s characters.") % {"count": COMMENT_MAX_CHARS},
            field="text",
        )
    idea = Idea.objects.select_related("organisation").get(pk=idea.pk)
    if idea.status != Idea.Status.PUBLISHED:
        raise IdeaError(_("Only a published idea takes comments."))
    comment = Comment.objects.create(
        idea=idea,
        author=author,
        author_display=author_display(author) or gettext("Participant"),
        text=text,
    )
    audit_record(
        actor=author,
        action=AuditEntry.Action.CREATE,
        obj=comment,
        organisation_path=idea.organisation.path,
    )
    return comment


@transaction.atomic
def comment_moderate(*, actor: User, comment: Comment, publish: bool) -> Comment:
    """A comment is published or hidden; the idea's comment count follows published ones."""
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("idea", "idea__organisation")
        .get(pk=comment.pk)
    )
    policies.require(actor, "ideas.moderate", comment)
    target = Comment.Status.PUBLISHED if publish else Comment.Status.HIDDEN
    if comment.status == target:
        raise IdeaError(
            _("This comment is already published.")
            if publish
            else _("This comment is already hidden.")
        )
    before = comment.status
    change = (1 if publish else 0) - (1 if before == Comment.Status.PUBLISHED else 0)
    comment.status = target
    comment.moderated_by = actor
    comment.save(update_fields=["status", "moderated_by"])
    if change:
        Idea.objects.filter(pk=comment.idea_id).update(comment_count=F("comment_count") + change)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=comment,
        organisation_path=comment.idea.organisation.path,
        changes={"status": [before, target]},
    )
    return comment


# --- The official answer and the follow-up


def answering_bodies(*, actor: User, idea: Idea) -> QuerySet[Organisation]:
    """The bodies that may answer for ``idea``: its own body and the bodies the actor staffs
    that lie above it or directly under it."""
    body = idea.organisation
    ancestors = [body.path[: i * body.steplen] for i in range(1, body.depth)]
    near = (
        Q(pk=body.pk) | Q(path__in=ancestors) | Q(path__startswith=body.path, depth=body.depth + 1)
    )
    covered = prefix_q("path", policies.roots(actor, policies.STAFF_ROLES))
    return Organisation.objects.filter(near).filter(covered | Q(pk=body.pk)).order_by("path")


@transaction.atomic
def idea_answer(*, actor: User, idea: Idea, body: Organisation, text: str, decision: str) -> Idea:
    """The official answer, once, by the idea's body or a body in the actor's scope; given after
    the due date it is recorded (and counted) as late. The author is told."""
    text = _clean_multiline(text)
    if len(text) < 10:
        raise IdeaError(_("Write the answer: what will be done, by whom, and when."), field="text")
    if decision not in Idea.Decision.values:
        raise IdeaError(_("Choose the decision."), field="decision")
    idea = _locked_idea(idea)
    policies.require(actor, "ideas.answer", idea)
    if idea.status != Idea.Status.PUBLISHED:
        raise IdeaError(_("Only a published idea is answered."))
    if idea.answered_on is not None:
        raise IdeaError(_("This idea already has its official answer."))
    if not answering_bodies(actor=actor, idea=idea).filter(pk=body.pk).exists():
        raise IdeaError(_("Choose the idea's body or a body you work for."), field="body")
    fields = ["answered_on", "answer_body", "answer_text", "answered_by", "decision", "progress"]
    before = snapshot(idea, fields)
    idea.answered_on = legal_today()
    idea.answer_body = body
    idea.answer_text = text
    idea.answered_by = actor
    idea.decision = decision
    if decision in FOLLOWED_DECISIONS and not idea.progress:
        idea.progress = Idea.Progress.PLANNED
    idea.save(update_fields=fields)
    late = idea.answer_due is not None and idea.answered_on > idea.answer_due
    _audit_idea(actor, idea, before, fields, note="late" if late else "")
    language = idea.author.language or settings.LANGUAGE_CODE
    with translation.override(language):
        decision_label = str(Idea.Decision(decision).label)
        body_name = str(body.name)
    _tell_author(idea, "answered", body=body_name, decision=decision_label)
    transaction.on_commit(kpi.invalidate)
    return idea


def _followed_idea(actor: User, idea: Idea) -> Idea:
    idea = _locked_idea(idea)
    policies.require(actor, "ideas.follow_up", idea)
    if idea.decision not in FOLLOWED_DECISIONS:
        raise IdeaError(_("Only an accepted or partly accepted idea is followed to its result."))
    return idea


@transaction.atomic
def idea_follow_up(
    *,
    actor: User,
    idea: Idea,
    progress: str,
    event: Event | None = None,
    project: Project | None = None,
    result: str = "",
    implemented_on: datetime.date | None = None,
) -> Idea:
    """The implementation of an accepted idea: its progress, the event or project that carries
    it (one the actor sees), and once implemented its result and date (not in the future)."""
    if progress not in Idea.Progress.values:
        raise IdeaError(_("Choose how far the implementation is."), field="progress")
    result = _clean_multiline(result)
    idea = _followed_idea(actor, idea)
    if event is not None and not policies.scoped(Event.objects.filter(pk=event.pk), actor).exists():
        raise IdeaError(_("Choose an event of your bodies."), field="event")
    if (
        project is not None
        and not policies.scoped(Project.objects.filter(pk=project.pk), actor).exists()
    ):
        raise IdeaError(_("Choose a project of your bodies."), field="project")
    today = legal_today()
    if implemented_on is not None and implemented_on > today:
        raise IdeaError(
            _("The date of implementation cannot be in the future."), field="implemented_on"
        )
    if progress == Idea.Progress.DONE:
        if not result:
            raise IdeaError(_("Describe the result of the implemented idea."), field="result")
        implemented_on = implemented_on or today
    elif progress != Idea.Progress.STOPPED:
        implemented_on = None
    fields = ["progress", "event", "project", "result", "implemented_on"]
    before = snapshot(idea, fields)
    idea.progress = progress
    idea.event = event
    idea.project = project
    idea.result = result
    idea.implemented_on = implemented_on
    idea.save(update_fields=fields)
    _audit_idea(actor, idea, before, fields)
    transaction.on_commit(kpi.invalidate)
    return idea


@transaction.atomic
def milestone_save(
    *, actor: User, idea: Idea, data: Mapping[str, Any], milestone: Milestone | None = None
) -> Milestone:
    """A step of an accepted idea's implementation; a step is done on a day not in the future."""
    idea = _followed_idea(actor, idea)
    title = clean_text(data.get("title"))
    if not title:
        raise IdeaError(_("Name the step."), field="title")
    done_on = data.get("done_on")
    if done_on is not None and done_on > legal_today():
        raise IdeaError(_("A step cannot be done in the future."), field="done_on")
    if milestone is None:
        position = (idea.milestones.aggregate(last=Max("position"))["last"] or 0) + 1
        milestone = Milestone(idea=idea, position=position)
        before: dict[str, Any] = {}
        action = AuditEntry.Action.CREATE
    else:
        milestone = Milestone.objects.select_for_update(of=("self",)).get(
            pk=milestone.pk, idea=idea
        )
        before = snapshot(milestone, ["title", "due_on", "done_on", "note"])
        action = AuditEntry.Action.UPDATE
    milestone.title = title[:300]
    milestone.due_on = data.get("due_on")
    milestone.done_on = done_on
    milestone.note = _clean_multiline(data.get("note"))
    milestone.save()
    audit_record(
        actor=actor,
        action=action,
        obj=milestone,
        organisation_path=idea.organisation.path,
        changes=diff(before, snapshot(milestone, ["title", "due_on", "done_on", "note"])),
    )
    return milestone


@transaction.atomic
def milestone_done(*, actor: User, milestone: Milestone) -> Milestone:
    """A step is marked done today."""
    return milestone_save(
        actor=actor,
        idea=milestone.idea,
        milestone=milestone,
        data={
            "title": milestone.title,
            "due_on": milestone.due_on,
            "done_on": legal_today(),
            "note": milestone.note,
        },
    )


def answers_remind(*, on: datetime.date | None = None) -> int:
    """Daily: the staff of each answering body are reminded of answers due within two working
    days and of overdue ones, once a day per idea and person; the number of notices queued."""
    from .queries import ideas_answer_open

    on = on or legal_today()
    horizon = add_working_days(on, ANSWER_REMIND_WORKING_DAYS)
    ideas = ideas_answer_open().filter(answer_due__lte=horizon).select_related("organisation")
    queued = 0
    staff_of: dict[int, list[User]] = {}
    for idea in ideas.order_by("answer_due", "pk").iterator(chunk_size=500):
        what = "overdue" if idea.answer_due is not None and idea.answer_due < on else "due"
        if idea.organisation_id not in staff_of:
            staff_of[idea.organisation_id] = body_staff(idea.organisation)
        for user in staff_of[idea.organisation_id]:
            language = user.language or settings.LANGUAGE_CODE
            with translation.override(language):
                url = _absolute(reverse("ideas:idea", kwargs={"pk": idea.pk}))
                body = gettext(str(_STAFF_REMINDERS[what])) % {
                    "number": idea.number,
                    "title": idea.title,
                    "due": idea.answer_due.strftime("%d.%m.%Y") if idea.answer_due else "",
                    "url": url,
                }
            with transaction.atomic():
                notice = notice_queue(
                    channel="email",
                    recipient=user.email,
                    subject=idea.number,
                    body=body,
                    language=language,
                    key=f"idea:{idea.pk}:remind:{on.isoformat()}:user{user.pk}",
                    organisation_path=idea.organisation.path,
                )
            queued += notice is not None
    return queued


# --- (ideas-similar) ------------------------------------------------------------------------------
