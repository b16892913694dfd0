"""Every write of initiatives: drafting (numbered without gaps per year), changes while drafted,
the stages (drafted → submitted → under consideration → adopted or rejected; withdrawn from any
stage before a decision), the act an adopted initiative led to, and the proposals and appeals it
came from. Each write checks the policy, runs in one transaction and writes its audit row."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.access.models import AuditEntry, User
from birlik.access.services import audit_record
from birlik.appeals.models import Appeal, Proposal, StateBody
from birlik.core import kpi, sequences
from birlik.core.errors import DomainError
from birlik.core.record_actions import RecordActions, evaluate
from birlik.core.templatetags.birlik_format import long_date
from birlik.core.workdays import legal_today
from birlik.registry.models import Organisation, Person

from . import queries
from .models import (
    ACT_KINDS_BY_LEVEL,
    NEXT_STAGES,
    RAISING_KINDS,
    ActKind,
    Initiative,
    InitiativeLink,
    InitiativeStage,
    Level,
    Stage,
)

NUMBER_SCOPE = "deputies.initiative"
NUMBER_PREFIX = "DG"
LANGS = queries.LANGS
TITLE_LIMIT = 300
QUESTION_MIN = 20
QUESTION_LIMIT = 10_000
NOTE_LIMIT = 1000
ACT_TITLE_LIMIT = 500
ACT_NUMBER_LIMIT = 60
ACT_URL_LIMIT = 500
FIRST_YEAR = 2000
# The stage each stage is usually followed by: the page offers it as the next step.
USUAL_NEXT = {Stage.DRAFTED: Stage.SUBMITTED, Stage.SUBMITTED: Stage.CONSIDERATION}
MOVES = (Stage.SUBMITTED, Stage.CONSIDERATION, Stage.ADOPTED, Stage.REJECTED, Stage.WITHDRAWN)


class InitiativeError(DomainError):
    pass


def number_for(year: int, serial: int) -> str:
    """The initiative's number: ``DG-2025-012`` (three digits at least)."""
    return f"{NUMBER_PREFIX}-{year}-{serial:03d}"


def _audit(
    actor: User | None, action: str, initiative: Initiative, changes: dict[str, Any]
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=initiative,
        organisation_path=str(initiative.organisation.path),
        changes=changes,
    )


def _figures_changed() -> None:
    transaction.on_commit(kpi.invalidate)


def _locked(initiative: Initiative) -> Initiative:
    return (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("organisation", "state_body")
        .get(pk=initiative.pk)
    )


def _texts(values: Mapping[str, str], limit: int, *, one_line: bool) -> dict[str, str]:
    texts = {}
    for lang in LANGS:
        value = str(values.get(lang) or "")
        value = " ".join(value.split()) if one_line else value.strip()
        texts[lang] = value[:limit]
    return texts


def _titles(values: Mapping[str, str]) -> dict[str, str]:
    titles = _texts(values, TITLE_LIMIT, one_line=True)
    if not any(titles.values()):
        raise InitiativeError(
            _("Give the question raised in at least one language."), field="title_kk"
        )
    return titles


def _questions(values: Mapping[str, str]) -> dict[str, str]:
    questions = _texts(values, QUESTION_LIMIT, one_line=False)
    if not any(len(text) >= QUESTION_MIN for text in questions.values()):
        raise InitiativeError(
            _("Write the question and its grounds (at least 20 characters) in one language."),
            field="question_kk",
        )
    return questions


def level_for(state_body: StateBody) -> str:
    """An initiative goes to a chamber of Parliament or to a maslikhat, and is at that level."""
    level = queries.level_of(state_body)
    if level is None:
        raise InitiativeError(
            _(
                "An initiative goes to a chamber of Parliament or to a maslikhat: “%(body)s” "
                "takes none. Choose a chamber of Parliament or a maslikhat."
            )
            % {"body": state_body.name},
            field="state_body",
        )
    return level


def _check_state_body(organisation: Organisation, state_body: StateBody) -> str:
    level = level_for(state_body)
    if not state_body.is_active:
        raise InitiativeError(_("This state body is no longer in use."), field="state_body")
    if (
        level == Level.MASLIKHAT
        and organisation.region_id is not None
        and state_body.region_id != organisation.region_id
    ):
        raise InitiativeError(
            _("Members of a regional assembly raise questions in the maslikhat of their region."),
            field="state_body",
        )
    return level


def _check_authors(
    actor: User, organisation: Organisation, authors: Iterable[Person], keep: tuple[int, ...] = ()
) -> list[Person]:
    chosen = {person.pk: person for person in authors}
    allowed = set(
        queries.author_candidates(organisation, actor, keep=keep)
        .filter(pk__in=list(chosen))
        .values_list("pk", flat=True)
    )
    if set(chosen) - allowed:
        raise InitiativeError(
            _("Choose the authors among the current members of the raising body."),
            field="authors",
        )
    return list(chosen.values())


def _check_day(day: datetime.date, field: str) -> None:
    if day > legal_today():
        raise InitiativeError(_("The date cannot be in the future."), field=field)
    if day.year < FIRST_YEAR:
        raise InitiativeError(_("Give a date from the year 2000 on."), field=field)


def _set_texts(initiative: Initiative, name: str, texts: Mapping[str, str]) -> None:
    for lang, value in texts.items():
        setattr(initiative, f"{name}_{lang}", value)


# --- Drafting ------------------------------------------------------------------------------------


@transaction.atomic
def initiative_create(
    *,
    actor: User,
    organisation: Organisation,
    state_body: StateBody,
    titles: Mapping[str, str],
    questions: Mapping[str, str],
    authors: Iterable[Person] = (),
    drafted_on: datetime.date | None = None,
) -> Initiative:
    """The deputy group or an assembly drafts an initiative to a chamber of Parliament or a
    maslikhat; it gets the next number of its year (``DG-2025-012``)."""
    policies.require(actor, "deputies.manage", organisation)
    if organisation.kind.code not in RAISING_KINDS:
        raise InitiativeError(
            _("Initiatives are raised by the deputy group and by the assemblies."),
            field="organisation",
        )
    if organisation.status != Organisation.Status.ACTIVE:
        raise InitiativeError(_("This body is closed."), field="organisation")
    level = _check_state_body(organisation, state_body)
    titles, questions = _titles(titles), _questions(questions)
    people = _check_authors(actor, organisation, authors)
    drafted_on = drafted_on or legal_today()
    _check_day(drafted_on, "drafted_on")
    number = number_for(drafted_on.year, sequences.next_number(NUMBER_SCOPE, drafted_on.year))
    initiative = Initiative(
        number=number,
        year=drafted_on.year,
        organisation=organisation,
        state_body=state_body,
        level=level,
        stage=Stage.DRAFTED,
        stage_on=drafted_on,
        drafted_on=drafted_on,
        created_by=actor,
    )
    _set_texts(initiative, "title", titles)
    _set_texts(initiative, "question", questions)
    initiative.save()
    initiative.authors.set(people)
    InitiativeStage.objects.create(
        initiative=initiative, stage=Stage.DRAFTED, on=drafted_on, actor=actor
    )
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        initiative,
        {
            "number": [None, number],
            "stage": [None, Stage.DRAFTED.value],
            "state_body": [None, state_body.code],
            "authors": [None, sorted(person.pk for person in people)],
        },
    )
    return initiative


@transaction.atomic
def initiative_update(
    *,
    actor: User,
    initiative: Initiative,
    state_body: StateBody,
    titles: Mapping[str, str],
    questions: Mapping[str, str],
    authors: Iterable[Person] = (),
    drafted_on: datetime.date | None = None,
) -> Initiative:
    """A drafted initiative is changed (not once submitted: what was submitted stays as it was);
    the date drafted stays in the year of its number."""
    initiative = _locked(initiative)
    policies.require(actor, "deputies.manage", initiative)
    if initiative.stage != Stage.DRAFTED:
        raise InitiativeError(_("An initiative can be changed only while it is drafted."))
    level = _check_state_body(initiative.organisation, state_body)
    titles, questions = _titles(titles), _questions(questions)
    before_authors = sorted(initiative.authors.values_list("pk", flat=True))
    people = _check_authors(actor, initiative.organisation, authors, keep=tuple(before_authors))
    changes: dict[str, Any] = {}
    if drafted_on is not None and drafted_on != initiative.drafted_on:
        _check_day(drafted_on, "drafted_on")
        if drafted_on.year != initiative.year:
            raise InitiativeError(
                _("The date drafted stays in %(year)s, the year of the number.")
                % {"year": initiative.year},
                field="drafted_on",
            )
        changes["drafted_on"] = [initiative.drafted_on.isoformat(), drafted_on.isoformat()]
        initiative.drafted_on = initiative.stage_on = drafted_on
        initiative.stages.filter(stage=Stage.DRAFTED).update(on=drafted_on)
    if state_body.pk != initiative.state_body_id:
        changes["state_body"] = [initiative.state_body.code, state_body.code]
    initiative.state_body, initiative.level = state_body, level
    old_titles = {lang: getattr(initiative, f"title_{lang}") or "" for lang in LANGS}
    if titles != old_titles:
        changes["title"] = [old_titles, titles]
    _set_texts(initiative, "title", titles)
    _set_texts(initiative, "question", questions)
    after_authors = sorted(person.pk for person in people)
    if after_authors != before_authors:
        changes["authors"] = [before_authors, after_authors]
        initiative.authors.set(people)
    initiative.updated_at = timezone.now()
    initiative.save()
    _audit(actor, AuditEntry.Action.UPDATE, initiative, changes)
    return initiative


# --- Stages --------------------------------------------------------------------------------------


def _check_move(actor: User, initiative: Initiative, to: str) -> None:
    policies.require(actor, "deputies.manage", initiative)
    if to not in NEXT_STAGES.get(initiative.stage, ()):
        raise InitiativeError(
            _("The initiative is %(stage)s: it cannot move to “%(to)s” from there.")
            % {
                "stage": Stage(initiative.stage).label,
                "to": Stage(to).label if to in Stage.values else to,
            },
            field="stage",
        )


@transaction.atomic
def initiative_move(
    *, actor: User, initiative: Initiative, stage: str, on: datetime.date, note: str = ""
) -> Initiative:
    """The initiative reaches its next stage on a day: not in the future, not before the stage
    it leaves; a withdrawal says why. Each stage is a dated row of the history."""
    initiative = _locked(initiative)
    _check_move(actor, initiative, stage)
    _check_day(on, "on")
    if on < initiative.stage_on:
        raise InitiativeError(
            _("The date cannot be before the previous stage (%(date)s).")
            % {"date": long_date(initiative.stage_on)},
            field="on",
        )
    note = note.strip()[:NOTE_LIMIT]
    if stage == Stage.WITHDRAWN and not note:
        raise InitiativeError(_("Say why the initiative is withdrawn."), field="note")
    before = initiative.stage
    initiative.stage, initiative.stage_on = stage, on
    fields = ["stage", "stage_on", "updated_at"]
    if stage == Stage.SUBMITTED:
        initiative.submitted_on = on
        fields.append("submitted_on")
    initiative.updated_at = timezone.now()
    initiative.save(update_fields=fields)
    InitiativeStage.objects.create(
        initiative=initiative, stage=stage, on=on, actor=actor, note=note
    )
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        initiative,
        {"stage": [before, stage], "stage_on": [None, on.isoformat()]},
    )
    _figures_changed()
    return initiative


# --- The result ----------------------------------------------------------------------------------


def _check_result(actor: User, initiative: Initiative) -> None:
    policies.require(actor, "deputies.manage", initiative)
    if initiative.stage != Stage.ADOPTED:
        raise InitiativeError(_("The act is recorded once the initiative is adopted."))


@transaction.atomic
def initiative_record_result(
    *,
    actor: User,
    initiative: Initiative,
    act_kind: str,
    act_titles: Mapping[str, str],
    act_number: str,
    act_date: datetime.date,
    act_url: str = "",
) -> Initiative:
    """An adopted initiative's act: a law or an amendment (Parliament), a maslikhat decision, or
    another act; dated between the submission and today, with its link on the web."""
    initiative = _locked(initiative)
    _check_result(actor, initiative)
    if act_kind not in ActKind.values:
        raise InitiativeError(_("Choose the kind of act."), field="act_kind")
    if act_kind not in ACT_KINDS_BY_LEVEL[initiative.level]:
        raise InitiativeError(
            _(
                "A law or an amendment to a law comes from Parliament, a maslikhat decision from "
                "a maslikhat. Choose the kind of act this initiative led to."
            ),
            field="act_kind",
        )
    titles = _texts(act_titles, ACT_TITLE_LIMIT, one_line=True)
    if not any(titles.values()):
        raise InitiativeError(
            _("Give the title of the act in at least one language."), field="act_title_kk"
        )
    _check_day(act_date, "act_date")
    if initiative.submitted_on is not None and act_date < initiative.submitted_on:
        raise InitiativeError(
            _("The act cannot be dated before the initiative was submitted (%(date)s).")
            % {"date": long_date(initiative.submitted_on)},
            field="act_date",
        )
    act_url = act_url.strip()
    if act_url:
        try:
            URLValidator(schemes=["https", "http"])(act_url)
        except ValidationError as error:
            raise InitiativeError(
                _("Give the web address of the act, starting with https://."), field="act_url"
            ) from error
        if len(act_url) > ACT_URL_LIMIT:
            raise InitiativeError(_("The web address is too long."), field="act_url")
    before = initiative.act_kind or None
    initiative.act_kind = act_kind
    _set_texts(initiative, "act_title", titles)
    initiative.act_number = " ".join(act_number.split())[:ACT_NUMBER_LIMIT]
    initiative.act_date = act_date
    initiative.act_url = act_url
    initiative.updated_at = timezone.now()
    initiative.save()
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        initiative,
        {
            "act_kind": [before, act_kind],
            "act_number": [None, initiative.act_number],
            "act_date": [None, act_date.isoformat()],
        },
    )
    _figures_changed()
    return initiative


def initiative_actions(user: User, initiative: Initiative) -> RecordActions:
    """The stages ``user`` may move the initiative to now and whether they may record its act,
    by the services' own checks; the usual next stage (or the act, once adopted) comes first."""
    checks: dict[str, Any] = {
        str(to): (lambda to=to: _check_move(user, initiative, to)) for to in MOVES
    }
    checks["result"] = lambda: _check_result(user, initiative)

    def choose(allowed: tuple[str, ...]) -> str | None:
        if initiative.stage == Stage.ADOPTED and not initiative.act_kind:
            return "result"
        usual = USUAL_NEXT.get(Stage(initiative.stage))
        return str(usual) if usual else None

    return evaluate(checks, choose)


# --- Where it came from --------------------------------------------------------------------------


@transaction.atomic
def initiative_link(
    *,
    actor: User,
    initiative: Initiative,
    proposal: Proposal | None = None,
    appeal: Appeal | None = None,
) -> InitiativeLink:
    """The initiative came from a proposal or an appeal the actor may read (one that they may
    not read is refused as if it did not exist)."""
    initiative = _locked(initiative)
    policies.require(actor, "deputies.manage", initiative)
    if (proposal is None) == (appeal is None):
        raise InitiativeError(_("Choose one proposal or one appeal."))
    if proposal is not None:
        if not queries.linkable_proposals(actor).filter(pk=proposal.pk).exists():
            raise InitiativeError(_("No proposal you may read has this number."), field="proposal")
        if initiative.links.filter(proposal=proposal).exists():
            raise InitiativeError(_("This proposal is already linked."), field="proposal")
        link = InitiativeLink.objects.create(
            initiative=initiative, proposal=proposal, linked_by=actor
        )
        changes: dict[str, Any] = {"proposal": [None, proposal.pk]}
    else:
        assert appeal is not None  # noqa: S101 - one of the two, checked above
        if not queries.linkable_appeals(actor).filter(pk=appeal.pk).exists():
            raise InitiativeError(_("No appeal you may read has this number."), field="appeal")
        if initiative.links.filter(appeal=appeal).exists():
            raise InitiativeError(_("This appeal is already linked."), field="appeal")
        link = InitiativeLink.objects.create(initiative=initiative, appeal=appeal, linked_by=actor)
        changes = {"appeal": [None, appeal.number]}
    _audit(actor, AuditEntry.Action.UPDATE, initiative, changes)
    return link


@transaction.atomic
def initiative_unlink(*, actor: User, initiative: Initiative, link: InitiativeLink) -> None:
    """A proposal or appeal linked by mistake is taken off the initiative."""
    initiative = _locked(initiative)
    policies.require(actor, "deputies.manage", initiative)
    if link.initiative_id != initiative.pk:
        raise InitiativeError(_("This source is not linked to the initiative."))
    changes = (
        {"proposal": [link.proposal_id, None]}
        if link.proposal_id
        else {"appeal": [link.appeal.number if link.appeal else link.appeal_id, None]}
    )
    link.delete()
    _audit(actor, AuditEntry.Action.UPDATE, initiative, changes)
