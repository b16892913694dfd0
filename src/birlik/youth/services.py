"""Every write of youth projects: projects and their forms, cohorts, applications, the jury's
scores, selection, sessions and attendance, graduation into the registry.

Selection ranks by the weighted mean of the submitted jurors' scores (``queries.ranking``);
the manager takes the first ``places`` (ties go to the earlier application) or another choice
with a recorded reason. Graduation finds the person in the registry (or registers them through
the registry's own service) and adds their ACTIVIST term in the running body.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

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
from birlik.access.models import AuditEntry, User
from birlik.access.services import audit_read, audit_record
from birlik.core import kpi
from birlik.core.errors import DomainError
from birlik.events.models import Programme
from birlik.geo.models import Region
from birlik.notify.services import notice_queue
from birlik.registry import services as registry
from birlik.registry.models import Membership, Organisation, Person

from . import queries
from .models import (
    RUNNING_KINDS,
    Application,
    Attendance,
    Cohort,
    Criterion,
    JurorSubmission,
    Question,
    Score,
    Session,
    YouthProject,
)

LANGS = ("kk", "ru", "en")
SHORT_TEXT_LIMIT = 300
LONG_TEXT_LIMIT = 5000


class YouthError(DomainError):
    pass


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


def _path(cohort: Cohort) -> str:
    return str(cohort.project.organisation.path)


def _changed() -> None:
    transaction.on_commit(kpi.invalidate)


def _texts(data: Mapping[str, Any], field: str, *, limit: int) -> dict[str, str]:
    return {
        f"{field}_{lang}": " ".join(str(data.get(f"{field}_{lang}") or "").split())[:limit]
        for lang in LANGS
    }


def _lock_cohort(cohort: Cohort) -> Cohort:
    return (
        Cohort.objects.select_for_update(of=("self",))
        .select_related("project", "project__organisation")
        .get(pk=cohort.pk)
    )


# --- Projects and their forms --------------------------------------------------------------


@transaction.atomic
def project_save(
    *,
    actor: User,
    organisation: Organisation,
    programme: Programme,
    data: Mapping[str, Any],
    project: YouthProject | None = None,
) -> YouthProject:
    """A body that runs youth projects describes one of its programmes (title in kk/ru/en)."""
    policies.require(actor, "youth.manage", organisation)
    if organisation.kind.code not in RUNNING_KINDS:
        raise YouthError(
            _(
                "Youth projects are run by the youth movement, its branches, student assemblies "
                "and houses of friendship. Choose one of them."
            ),
            field="organisation",
        )
    if organisation.status != Organisation.Status.ACTIVE:
        raise YouthError(_("This body is closed."), field="organisation")
    if not programme.is_active:
        raise YouthError(_("This programme is no longer in use."), field="programme")
    titles = _texts(data, "title", limit=200)
    if not any(titles.values()):
        raise YouthError(_("Give the title of the project."), field="title_kk")
    min_age, max_age = int(data.get("min_age") or 14), int(data.get("max_age") or 35)
    if not 6 <= min_age <= max_age <= 99:
        raise YouthError(
            _("Give an age range from 6 to 99, the youngest age first."), field="min_age"
        )
    if project is None:
        project = YouthProject(organisation=organisation, programme=programme)
        action = AuditEntry.Action.CREATE
    else:
        project = YouthProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
        policies.require(actor, "youth.manage", project)
        project.organisation, project.programme = organisation, programme
        action = AuditEntry.Action.UPDATE
    for name, value in titles.items():
        setattr(project, name, value)
    for lang in LANGS:
        setattr(
            project,
            f"description_{lang}",
            str(data.get(f"description_{lang}") or "").strip()[:LONG_TEXT_LIMIT],
        )
    project.min_age, project.max_age = min_age, max_age
    project.is_active = bool(data.get("is_active", True))
    project.save()
    _audit(actor, action, project, str(organisation.path), {"title": [None, project.title]})
    return project


def _no_applications_yet(project: YouthProject, what: str) -> None:
    if Application.objects.filter(cohort__project=project).exists():
        raise YouthError(
            _(
                "People have already applied to this project: its %(what)s can no longer be "
                "changed. Create a new project for a different form."
            )
            % {"what": what}
        )


@transaction.atomic
def question_add(
    *,
    actor: User,
    project: YouthProject,
    kind: str,
    labels: Mapping[str, str],
    options: Mapping[str, str] | None = None,
    required: bool = True,
) -> Question:
    """A question of the form, with its label in kk/ru/en; a choice needs two options."""
    project = YouthProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
    policies.require(actor, "youth.manage", project)
    _no_applications_yet(project, str(_("application form")))
    if kind not in Question.Kind.values:
        raise YouthError(_("Choose the kind of answer."), field="kind")
    texts = {f"label_{lang}": " ".join(str(labels.get(lang) or "").split())[:300] for lang in LANGS}
    if not any(texts.values()):
        raise YouthError(_("Write the question."), field="label_kk")
    option_texts = {
        f"options_{lang}": "\n".join(
            line.strip()
            for line in str((options or {}).get(lang) or "").splitlines()
            if line.strip()
        )
        for lang in LANGS
    }
    if kind == Question.Kind.CHOICE:
        counts = [len(text.splitlines()) for text in option_texts.values() if text]
        if not counts or max(counts) < 2:
            raise YouthError(_("Give at least two options, one a line."), field="options_kk")
        if len(set(counts)) > 1:
            raise YouthError(
                _("Give the same number of options in every language."), field="options_kk"
            )
    else:
        option_texts = dict.fromkeys(option_texts, "")
    last = project.questions.order_by("-position").values_list("position", flat=True).first()
    question = Question(project=project, kind=kind, required=required, position=(last or 0) + 10)
    for name, value in {**texts, **option_texts}.items():
        setattr(question, name, value)
    question.save()
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        question,
        str(project.organisation.path),
        {"label": [None, question.label]},
    )
    return question


@transaction.atomic
def question_delete(*, actor: User, question: Question) -> None:
    """A question goes only while nobody has answered the form."""
    project = YouthProject.objects.select_for_update(of=("self",)).get(pk=question.project_id)
    policies.require(actor, "youth.manage", project)
    _no_applications_yet(project, str(_("application form")))
    _audit(actor, AuditEntry.Action.DELETE, question, str(project.organisation.path))
    question.delete()


@transaction.atomic
def criterion_add(
    *, actor: User, project: YouthProject, names: Mapping[str, str], weight: int, max_score: int
) -> Criterion:
    """A selection criterion with its weight (1–100) and highest score (1–100)."""
    project = YouthProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
    policies.require(actor, "youth.manage", project)
    if Score.objects.filter(criterion__project=project).exists():
        raise YouthError(_("The jury has started scoring: the criteria can no longer be changed."))
    texts = {f"name_{lang}": " ".join(str(names.get(lang) or "").split())[:200] for lang in LANGS}
    if not any(texts.values()):
        raise YouthError(_("Give the name of the criterion."), field="name_kk")
    if not 1 <= int(weight) <= 100:
        raise YouthError(_("The weight is a whole number from 1 to 100."), field="weight")
    if not 1 <= int(max_score) <= 100:
        raise YouthError(_("The highest score is a whole number from 1 to 100."), field="max_score")
    last = project.criteria.order_by("-position").values_list("position", flat=True).first()
    criterion = Criterion(
        project=project, weight=int(weight), max_score=int(max_score), position=(last or 0) + 10
    )
    for name, value in texts.items():
        setattr(criterion, name, value)
    criterion.save()
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        criterion,
        str(project.organisation.path),
        {"name": [None, criterion.name], "weight": [None, weight], "max_score": [None, max_score]},
    )
    return criterion


@transaction.atomic
def criterion_delete(*, actor: User, criterion: Criterion) -> None:
    """A criterion goes only while nobody has been scored on the project's criteria."""
    project = YouthProject.objects.select_for_update(of=("self",)).get(pk=criterion.project_id)
    policies.require(actor, "youth.manage", project)
    if Score.objects.filter(criterion__project=project).exists():
        raise YouthError(_("The jury has started scoring: the criteria can no longer be changed."))
    _audit(actor, AuditEntry.Action.DELETE, criterion, str(project.organisation.path))
    criterion.delete()


# --- Cohorts ---------------------------------------------------------------------------------

COHORT_DATES = (
    "applications_open_on",
    "applications_close_on",
    "starts_on",
    "ends_on",
)


@transaction.atomic
def cohort_save(
    *,
    actor: User,
    project: YouthProject,
    data: Mapping[str, Any],
    jury: Iterable[User] = (),
    mentors: Iterable[Person] = (),
    cohort: Cohort | None = None,
) -> Cohort:
    """An intake: its window closes before it starts; jurors are staff accounts."""
    policies.require(actor, "youth.manage", project)
    names = _texts(data, "name", limit=200)
    if not any(names.values()):
        raise YouthError(_("Give the name of the cohort."), field="name_kk")
    dates: dict[str, datetime.date] = {}
    for field in COHORT_DATES:
        value = data.get(field)
        if not isinstance(value, datetime.date):
            raise YouthError(_("Give the date."), field=field)
        dates[field] = value
    if dates["applications_close_on"] < dates["applications_open_on"]:
        raise YouthError(
            _("Applications cannot close before they open."), field="applications_close_on"
        )
    if dates["starts_on"] < dates["applications_close_on"]:
        raise YouthError(_("The cohort starts after the applications close."), field="starts_on")
    if dates["ends_on"] < dates["starts_on"]:
        raise YouthError(_("The cohort cannot end before it starts."), field="ends_on")
    places, waiting = int(data.get("places") or 0), int(data.get("waiting_places") or 0)
    if not 1 <= places <= 10_000:
        raise YouthError(_("Give the number of places (at least 1)."), field="places")
    if not 0 <= waiting <= 10_000:
        raise YouthError(
            _("Give the places on the waiting list (0 or more)."), field="waiting_places"
        )
    threshold = int(data.get("graduation_threshold") or 75)
    if not 1 <= threshold <= 100:
        raise YouthError(
            _("The attendance needed is a percentage from 1 to 100."),
            field="graduation_threshold",
        )
    jurors = list(jury)
    for juror in jurors:
        if not policies.has_role(juror, policies.STAFF_ROLES | policies.MANAGER_ROLES):
            raise YouthError(
                _("%(name)s has no staff role: only staff accounts sit on a jury.")
                % {"name": str(juror)},
                field="jury",
            )
    if cohort is None:
        cohort = Cohort(project=project)
        action = AuditEntry.Action.CREATE
    else:
        cohort = _lock_cohort(cohort)
        policies.require(actor, "youth.manage", cohort)
        if cohort.status in {Cohort.Status.RUNNING, Cohort.Status.GRADUATED} and (
            places != cohort.places
        ):
            raise YouthError(_("The selection is made: the places can no longer change."))
        action = AuditEntry.Action.UPDATE
    for name, value in names.items():
        setattr(cohort, name, value)
    for name, value in dates.items():
        setattr(cohort, name, value)
    cohort.places, cohort.waiting_places = places, waiting
    cohort.graduation_threshold = threshold
    cohort.save()
    cohort.jury.set(jurors)
    cohort.mentors.set(list(mentors))
    _audit(
        actor,
        action,
        cohort,
        str(project.organisation.path),
        {
            "name": [None, cohort.name],
            "jury": [None, sorted(j.pk for j in jurors)],
            "places": [None, places],
        },
    )
    return cohort


# Which status may follow which, by the manager's hand (selection and graduation have their
# own services).
NEXT_STATUS: dict[str, tuple[str, ...]] = {
    Cohort.Status.PLANNED: (Cohort.Status.OPEN,),
    Cohort.Status.OPEN: (Cohort.Status.SELECTION, Cohort.Status.PLANNED),
    Cohort.Status.SELECTION: (Cohort.Status.OPEN,),
}


@transaction.atomic
def cohort_set_status(*, actor: User, cohort: Cohort, status: str) -> Cohort:
    """Open the applications, close them for selection, or reopen them before the selection."""
    cohort = _lock_cohort(cohort)
    policies.require(actor, "youth.manage", cohort)
    if status not in NEXT_STATUS.get(cohort.status, ()):
        raise YouthError(
            _("A cohort that is “%(now)s” cannot become “%(next)s”.")
            % {
                "now": cohort.get_status_display(),
                "next": Cohort.Status(status).label if status in Cohort.Status.values else status,
            }
        )
    if status == Cohort.Status.OPEN and not cohort.project.questions.exists():
        raise YouthError(_("Add the questions of the application form before opening it."))
    if status == Cohort.Status.SELECTION and not cohort.project.criteria.exists():
        raise YouthError(_("Add the selection criteria before the selection starts."))
    if status == Cohort.Status.OPEN and JurorSubmission.objects.filter(cohort=cohort).exists():
        raise YouthError(_("Jurors have submitted their scores: the applications stay closed."))
    before = cohort.status
    cohort.status = status
    cohort.save(update_fields=["status"])
    _audit(actor, AuditEntry.Action.UPDATE, cohort, _path(cohort), {"status": [before, status]})
    return cohort


# --- Applications ----------------------------------------------------------------------------


def clean_answers(project: YouthProject, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The answers to the project's questions, checked: keyed by question id; a choice is the
    option's number, yes/no a boolean. Raises ``YouthError`` on the first wrong answer."""
    answers: dict[str, Any] = {}
    for question in project.questions.all():
        key = str(question.pk)
        value = raw.get(key)
        field = f"q_{question.pk}"
        if question.kind in {Question.Kind.SHORT_TEXT, Question.Kind.LONG_TEXT}:
            text = str(value or "").strip()
            limit = (
                SHORT_TEXT_LIMIT if question.kind == Question.Kind.SHORT_TEXT else (LONG_TEXT_LIMIT)
            )
            if len(text) > limit:
                raise YouthError(_("At most %(limit)s characters.") % {"limit": limit}, field=field)
            if text:
                answers[key] = text
        elif question.kind == Question.Kind.CHOICE:
            if value in (None, ""):
                pass
            else:
                try:
                    index = int(value)
                except (TypeError, ValueError) as error:
                    raise YouthError(_("Choose an option from the list."), field=field) from error
                if not 0 <= index < len(question.option_list()):
                    raise YouthError(_("Choose an option from the list."), field=field)
                answers[key] = index
        elif value not in (None, ""):
            if value in (True, "yes", "true", "1", 1):
                answers[key] = True
            elif value in (False, "no", "false", "0", 0):
                answers[key] = False
            else:
                raise YouthError(_("Answer yes or no."), field=field)
        if question.required and key not in answers:
            raise YouthError(_("Answer this question."), field=field)
    return answers


def account_verified(user: User) -> bool:
    """The contract's ``User.is_verified``: a phone or an e-mail confirmed by a one-time code."""
    return user.phone_verified_at is not None or user.email_verified_at is not None


def _contact(phone: str, email: str) -> tuple[str, str]:
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if phone and len(digits) not in (10, 11):
        raise YouthError(
            _("Give the phone number with its code, for example +7 701 234 56 78."), field="phone"
        )
    if digits:
        phone = "+7" + digits[-10:]
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise YouthError(_("Give a valid e-mail address."), field="email") from error
    if not phone and not email:
        raise YouthError(
            _("Give a phone number or an e-mail address, so that we can tell you the result."),
            field="phone",
        )
    return phone, email


@transaction.atomic
def application_submit(
    *,
    applicant: User,
    cohort: Cohort,
    last_name: str,
    first_name: str,
    patronymic: str = "",
    birth_date: datetime.date,
    region: Region,
    phone: str = "",
    email: str = "",
    answers: Mapping[str, Any],
    consent: bool,
    language: str = "kk",
) -> Application:
    """A verified account applies once per cohort while its window is open, within the
    project's age range, answering the form, with consent to the processing of its data."""
    if not getattr(applicant, "is_authenticated", False):
        raise YouthError(_("Sign in to apply."))
    if not account_verified(applicant):
        raise YouthError(_("Confirm your phone or e-mail before you apply."))
    cohort = _lock_cohort(cohort)
    today = timezone.localdate()
    if not cohort.window_open_on(today):
        raise YouthError(_("Applications to this cohort are closed."))
    if Application.objects.filter(cohort=cohort, applicant=applicant).exists():
        raise YouthError(_("You have already applied to this cohort."))
    last_name = " ".join((last_name or "").split())[:100]
    first_name = " ".join((first_name or "").split())[:100]
    patronymic = " ".join((patronymic or "").split())[:100]
    if not last_name:
        raise YouthError(_("Give your last name."), field="last_name")
    if not first_name:
        raise YouthError(_("Give your first name."), field="first_name")
    if birth_date is None or birth_date >= today:
        raise YouthError(_("Give your date of birth."), field="birth_date")
    project = cohort.project
    application = Application(
        cohort=cohort, applicant=applicant, birth_date=birth_date, last_name=last_name
    )
    age = application.age_on(cohort.starts_on)
    if not project.min_age <= age <= project.max_age:
        raise YouthError(
            _("This project is for people aged %(min)s to %(max)s when the cohort starts.")
            % {"min": project.min_age, "max": project.max_age},
            field="birth_date",
        )
    if region is None:
        raise YouthError(_("Choose your region."), field="region")
    phone, email = _contact(phone, email)
    if not consent:
        raise YouthError(
            _("The application needs your consent to the processing of your personal data."),
            field="consent",
        )
    application.first_name, application.patronymic = first_name, patronymic
    application.region, application.phone, application.email = region, phone, email
    application.answers = clean_answers(project, answers)
    application.consent_given_on = today
    application.language = language if language in LANGS else "kk"
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:  # a second tab sent the same form
        raise YouthError(_("You have already applied to this cohort.")) from error
    _audit(applicant, AuditEntry.Action.CREATE, application, _path(cohort))
    _notify(application, "received")
    _changed()
    return application


@transaction.atomic
def application_withdraw(*, applicant: User, application: Application) -> Application:
    """The applicant withdraws their own application before the selection is made."""
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if application.applicant_id != applicant.pk:
        raise YouthError(_("This is not your application."))
    cohort = Cohort.objects.select_related("project__organisation").get(pk=application.cohort_id)
    if application.status != Application.Status.SUBMITTED or cohort.status not in {
        Cohort.Status.OPEN,
        Cohort.Status.SELECTION,
    }:
        raise YouthError(_("The selection is made: write to the project's team instead."))
    application.status = Application.Status.WITHDRAWN
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    _audit(
        applicant,
        AuditEntry.Action.UPDATE,
        application,
        _path(cohort),
        {"status": ["submitted", "withdrawn"]},
    )
    _changed()
    return application


def application_read(*, actor: User, application: Application) -> None:
    """A staff member opens an application's personal data: the read is audited."""
    policies.require(actor, "youth.view", application)
    audit_read(actor=actor, obj=application, organisation_path=_path(application.cohort))


# --- The jury --------------------------------------------------------------------------------


def _scoring_open(cohort: Cohort, juror: User) -> None:
    policies.require(juror, "youth.score", cohort)
    if cohort.status != Cohort.Status.SELECTION:
        raise YouthError(_("Scores are given while the cohort is in selection."))
    if JurorSubmission.objects.filter(cohort=cohort, juror=juror).exists():
        raise YouthError(_("You have submitted your scores: they can no longer change."))


@transaction.atomic
def scores_save(
    *, juror: User, cohort: Cohort, scores: Mapping[tuple[int, int], int | None]
) -> int:
    """A juror's scores (application id, criterion id) → 0..max; empty ones are cleared.
    Returns how many scores are kept."""
    cohort = _lock_cohort(cohort)
    _scoring_open(cohort, juror)
    criteria = {c.pk: c for c in cohort.project.criteria.all()}
    applications = set(queries.to_score(cohort).values_list("pk", flat=True))
    kept: list[Score] = []
    cleared: list[tuple[int, int]] = []
    for (application_id, criterion_id), value in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None or application_id not in applications:
            raise YouthError(_("This application or criterion is not in the cohort."))
        if value is None:
            cleared.append((application_id, criterion_id))
            continue
        if not 0 <= int(value) <= criterion.max_score:
            raise YouthError(
                _("A score on “%(criterion)s” is from 0 to %(max)s.")
                % {"criterion": criterion.name, "max": criterion.max_score}
            )
        kept.append(
            Score(
                application_id=application_id,
                juror=juror,
                criterion_id=criterion_id,
                score=int(value),
            )
        )
    for application_id, criterion_id in cleared:
        Score.objects.filter(
            application_id=application_id, juror=juror, criterion_id=criterion_id
        ).delete()
    Score.objects.bulk_create(
        kept,
        update_conflicts=True,
        unique_fields=["application", "juror", "criterion"],
        update_fields=["score"],
    )
    _audit(
        juror,
        AuditEntry.Action.UPDATE,
        cohort,
        _path(cohort),
        {"scores": [None, len(kept)]},
        note="jury scores",
    )
    return Score.objects.filter(application__cohort=cohort, juror=juror).count()


@transaction.atomic
def scores_submit(*, juror: User, cohort: Cohort) -> JurorSubmission:
    """A juror hands in their scores once every application is scored on every criterion;
    from then on they are final, count in the ranking, and the juror sees the others'."""
    cohort = _lock_cohort(cohort)
    _scoring_open(cohort, juror)
    needed = queries.to_score(cohort).count() * cohort.project.criteria.count()
    given = Score.objects.filter(
        application__in=queries.to_score(cohort), juror=juror, criterion__project=cohort.project
    ).count()
    if needed == 0:
        raise YouthError(_("There is nothing to score yet."))
    if given < needed:
        raise YouthError(
            _("Score every application on every criterion first: %(left)s scores are missing.")
            % {"left": needed - given}
        )
    submission = JurorSubmission.objects.create(cohort=cohort, juror=juror)
    _audit(juror, AuditEntry.Action.UPDATE, cohort, _path(cohort), note="jury scores submitted")
    return submission


# --- Selection -------------------------------------------------------------------------------


@transaction.atomic
def cohort_select(
    *,
    actor: User,
    cohort: Cohort,
    selected: Sequence[int] | None = None,
    reason: str = "",
) -> Cohort:
    """The first ``places`` of the ranking are selected (ties: the earlier application), the
    next ``waiting_places`` wait, the others are not selected; a manager's other choice needs
    a reason, which is recorded. Every applicant is told; the cohort starts running."""
    cohort = _lock_cohort(cohort)
    policies.require(actor, "youth.manage", cohort)
    if cohort.status != Cohort.Status.SELECTION:
        raise YouthError(_("The selection is made while the cohort is in selection."))
    if not JurorSubmission.objects.filter(cohort=cohort).exists():
        raise YouthError(_("No juror has submitted scores yet."))
    ranked = [row.application for row in queries.ranking(cohort)]
    proposed = [a.pk for a in ranked[: cohort.places]]
    chosen = list(dict.fromkeys(proposed if selected is None else selected))
    known = {a.pk for a in ranked}
    if any(pk not in known for pk in chosen):
        raise YouthError(_("Choose among the applications of this cohort."), field="selected")
    if len(chosen) > cohort.places:
        raise YouthError(
            _("There are %(places)s places: select at most %(places)s applicants.")
            % {"places": cohort.places},
            field="selected",
        )
    reason = " ".join((reason or "").split())[:500]
    adjusted = set(chosen) != set(proposed)
    if adjusted and not reason:
        raise YouthError(
            _("You changed the ranking's choice: give the reason, it is recorded."),
            field="reason",
        )
    now = timezone.now()
    chosen_set = set(chosen)
    waiting = [a for a in ranked if a.pk not in chosen_set][: cohort.waiting_places]
    waiting_set = {a.pk for a in waiting}
    outcome: dict[str, list[int]] = {"selected": [], "waiting": [], "not_selected": []}
    for application in ranked:
        if application.pk in chosen_set:
            status = Application.Status.SELECTED
        elif application.pk in waiting_set:
            status = Application.Status.WAITING
        else:
            status = Application.Status.NOT_SELECTED
        application.status = status
        application.decided_at = now
        application.decision_note = (
            reason
            if adjusted and ((application.pk in chosen_set) != (application.pk in proposed))
            else ""
        )
        outcome[str(status)].append(application.pk)
    Application.objects.bulk_update(ranked, ["status", "decided_at", "decision_note"])
    cohort.status = Cohort.Status.RUNNING
    cohort.selected_at = now
    cohort.selection_note = reason if adjusted else ""
    cohort.save(update_fields=["status", "selected_at", "selection_note"])
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        cohort,
        _path(cohort),
        {
            "selected": [None, sorted(outcome["selected"])],
            "waiting": [None, sorted(outcome["waiting"])],
            "proposed": [None, sorted(proposed)],
        },
        note=("selection adjusted: " + reason)[:300] if adjusted else "selection",
    )
    for application in ranked:
        application.cohort = cohort
        _notify(application, str(application.status))
    _changed()
    return cohort


# --- Sessions and attendance -----------------------------------------------------------------


def _running(cohort: Cohort) -> None:
    if cohort.status != Cohort.Status.RUNNING:
        raise YouthError(_("Sessions and attendance are kept while the cohort is running."))


@transaction.atomic
def session_add(
    *, actor: User, cohort: Cohort, date: datetime.date, topics: Mapping[str, str]
) -> Session:
    """A session of the running cohort, on a day within its dates."""
    cohort = _lock_cohort(cohort)
    policies.require(actor, "youth.manage", cohort)
    _running(cohort)
    if not isinstance(date, datetime.date) or not cohort.starts_on <= date <= cohort.ends_on:
        raise YouthError(
            _("The session is on a day from %(start)s to %(end)s.")
            % {
                "start": cohort.starts_on.strftime("%d.%m.%Y"),
                "end": cohort.ends_on.strftime("%d.%m.%Y"),
            },
            field="date",
        )
    texts = {f"topic_{lang}": " ".join(str(topics.get(lang) or "").split())[:300] for lang in LANGS}
    if not any(texts.values()):
        raise YouthError(_("Give the topic of the session."), field="topic_kk")
    session = Session(cohort=cohort, date=date)
    for name, value in texts.items():
        setattr(session, name, value)
    session.save()
    _audit(actor, AuditEntry.Action.CREATE, session, _path(cohort), {"date": [None, str(date)]})
    return session


@transaction.atomic
def attendance_record(*, actor: User, session: Session, marks: Mapping[int, str]) -> int:
    """Marks (participant's application id → present/absent/excused) for one session; a
    mark given again replaces the earlier one. Returns the number of marks kept."""
    cohort = _lock_cohort(session.cohort)
    policies.require(actor, "youth.manage", cohort)
    _running(cohort)
    participants = set(queries.participants(cohort).values_list("pk", flat=True))
    rows: list[Attendance] = []
    for application_id, mark in marks.items():
        if application_id not in participants:
            raise YouthError(_("This person is not a participant of the cohort."))
        if mark not in Attendance.Mark.values:
            raise YouthError(_("Mark each participant present, absent or excused."))
        rows.append(Attendance(session=session, application_id=application_id, mark=mark))
    Attendance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["session", "application"],
        update_fields=["mark"],
    )
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        session,
        _path(cohort),
        {"marks": [None, len(rows)]},
        note="attendance",
    )
    return len(rows)


# --- Graduation ------------------------------------------------------------------------------


def _person_for(*, actor: User, application: Application, body: Organisation) -> Person:
    """The registry's person for a graduate, never a second one: the person already linked to
    this account, else the one the registry's import would match (same last and first name
    and date of birth), else one registered through ``registry.services.person_create``."""
    if application.person_id is not None:
        return Person.objects.get(pk=application.person_id)
    earlier = (
        Application.objects.filter(applicant_id=application.applicant_id, person__isnull=False)
        .values_list("person_id", flat=True)
        .first()
    )
    if earlier is not None:
        return Person.objects.get(pk=earlier)
    candidates = [
        person
        for person in Person.objects.filter(birth_date=application.birth_date).order_by("pk")
        if registry.names_agree(
            person, last_name=application.last_name, first_name=application.first_name
        )
    ]
    if candidates:
        return candidates[0]
    return registry.person_create(
        actor=actor,
        registered_by=body,
        data={
            "last_name": application.last_name,
            "first_name": application.first_name,
            "patronymic": application.patronymic,
            "birth_date": application.birth_date,
            "phone": application.phone,
            "email": application.email,
        },
        consent_given_on=application.consent_given_on,
    )


def _activist_term(*, actor: User, person: Person, body: Organisation, day: datetime.date) -> None:
    """An ACTIVIST term in the body from ``day``: kept when one is current and open, extended
    by a term from the day after when the current one has an end."""
    terms = list(
        Membership.objects.filter(
            person=person, organisation=body, role=Membership.Role.ACTIVIST
        ).exclude(end_date__lt=day)
    )
    if any(term.end_date is None for term in terms):
        return
    start = max(
        [day, *(term.end_date + datetime.timedelta(days=1) for term in terms if term.end_date)]
    )
    registry.membership_add(
        actor=actor,
        person=person,
        organisation=body,
        role=Membership.Role.ACTIVIST,
        start_date=start,
    )


@transaction.atomic
def cohort_graduate(*, actor: User, cohort: Cohort, graduates: Sequence[int]) -> int:
    """The manager confirms the graduates: participants whose attendance reaches the cohort's
    threshold. Each becomes an activist of the running body in the registry. Returns their
    number; the cohort is then graduated."""
    cohort = _lock_cohort(cohort)
    policies.require(actor, "youth.manage", cohort)
    _running(cohort)
    body = Organisation.objects.get(pk=cohort.project.organisation_id)
    if body.status != Organisation.Status.ACTIVE:
        raise YouthError(_("The running body is closed: it cannot receive activists."))
    rows = {row.pk: row for row in queries.attendance_rates(cohort)}
    chosen = list(dict.fromkeys(graduates))
    for pk in chosen:
        row = rows.get(pk)
        if row is None:
            raise YouthError(_("This person is not a participant of the cohort."))
        if not queries.may_graduate(cohort, row):
            raise YouthError(
                _("%(name)s attended %(rate)s%% of the sessions; %(needed)s%% are needed.")
                % {
                    "name": row.full_name,
                    "rate": getattr(row, "rate", 0),
                    "needed": cohort.graduation_threshold,
                }
            )
    today = timezone.localdate()
    day = min(today, cohort.ends_on) if today >= cohort.starts_on else today
    for pk in chosen:
        application = Application.objects.select_for_update(of=("self",)).get(pk=pk)
        person = _person_for(actor=actor, application=application, body=body)
        _activist_term(actor=actor, person=person, body=body, day=day)
        application.person = person
        application.status = Application.Status.GRADUATED
        application.graduated_on = day
        application.save(update_fields=["person", "status", "graduated_on"])
        application.cohort = cohort
        _notify(application, "graduated")
    cohort.status = Cohort.Status.GRADUATED
    cohort.graduated_at = timezone.now()
    cohort.save(update_fields=["status", "graduated_at"])
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        cohort,
        _path(cohort),
        {"graduates": [None, sorted(chosen)]},
        note="graduation",
    )
    _changed()
    return len(chosen)


# --- Notices ---------------------------------------------------------------------------------

_MESSAGES = {
    "received": _(
        "Your application to “%(cohort)s” is received. We will tell you the result of the "
        "selection. Your applications: %(url)s"
    ),
    "selected": _(
        "You are selected for “%(cohort)s”. The cohort starts on %(start)s. Your applications: "
        "%(url)s"
    ),
    "waiting": _(
        "Your application to “%(cohort)s” is on the waiting list: we will write if a place "
        "becomes free. Your applications: %(url)s"
    ),
    "not_selected": _(
        "Thank you for applying to “%(cohort)s”. This time you were not selected; you may apply "
        "to the next cohort. Your applications: %(url)s"
    ),
    "graduated": _(
        "Congratulations: you have graduated from “%(cohort)s” and are now an activist of %(body)s."
    ),
}


def _my_applications_url() -> str:
    """The absolute address of "my applications" (in the active language), for SMS and e-mail."""
    try:
        path = reverse("youth_portal:mine")
    except NoReverseMatch:  # the portal is not mounted (a management command's settings)
        return ""
    return str(settings.SITE_URL).rstrip("/") + path


def _notify(application: Application, what: str) -> None:
    """Queue the notice in the applicant's language, by SMS and e-mail where given."""
    cohort = application.cohort
    with translation.override(application.language):
        text = gettext(str(_MESSAGES[what])) % {
            "cohort": cohort.name,
            "start": cohort.starts_on.strftime("%d.%m.%Y"),
            "url": _my_applications_url(),
            "body": cohort.project.organisation.name,
        }
        subject = str(cohort.project.title)
    for channel, recipient in (("sms", application.phone), ("email", application.email)):
        notice_queue(
            channel=channel,
            recipient=recipient,
            subject=subject,
            body=text,
            language=application.language,
            key=f"youth:{application.pk}:{what}:{channel}",
            organisation_path=_path(cohort),
        )
