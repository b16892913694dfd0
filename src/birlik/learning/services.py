"""Every write of training: courses with their modules and teachers, cohorts and their
status, sessions and attendance, nominations of registry people, assessment and completion,
certificates (numbered without gaps per year, revoked with a reason) and the training rules.

A person is nominated through a term they hold in a body the nominating staff member works for
(that body is stored as the sending body); a number of a certificate is taken from
``core.sequences`` in the transaction that stores it, so a failed issue leaves no gap.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.access.models import AuditEntry, User
from birlik.access.services import audit_read, audit_record
from birlik.core import kpi, sequences
from birlik.core.errors import DomainError
from birlik.registry.models import Membership, Organisation, OrganisationKind, Person
from birlik.registry.queries import active_on

from . import queries
from .models import (
    MAX_CAPACITY,
    MAX_MODULE_HOURS,
    MAX_VALIDITY_MONTHS,
    PROVIDER_KINDS,
    Attendance,
    Certificate,
    Cohort,
    Course,
    Enrolment,
    Module,
    Session,
    Teacher,
    TrainingRule,
)

LANGS = ("kk", "ru", "en")
CERTIFICATE_SCOPE = "learning.certificate"
CERTIFICATE_PREFIX = "ACAD"
LONG_TEXT_LIMIT = 5000
REASON_LIMIT = 500


class LearningError(DomainError):
    pass


def certificate_number(year: int, serial: int) -> str:
    """``ACAD-2025-00017``: the number printed on a certificate."""
    return f"{CERTIFICATE_PREFIX}-{year}-{serial:05d}"


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


def _line(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def _texts(values: Mapping[str, Any], field: str, *, limit: int) -> dict[str, str]:
    return {f"{field}_{lang}": _line(values.get(lang), limit) for lang in LANGS}


def _reason(reason: str) -> str:
    text = _line(reason, REASON_LIMIT)
    if not text:
        raise LearningError(_("Give the reason: it is recorded."), field="reason")
    return text


def _provider_path(course: Course) -> str:
    return str(course.provider.path)


def _lock_cohort(cohort: Cohort) -> Cohort:
    return (
        Cohort.objects.select_for_update(of=("self",))
        .select_related("course", "course__provider")
        .get(pk=cohort.pk)
    )


def _lock_enrolment(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("person", "organisation", "cohort", "cohort__course__provider")
        .get(pk=enrolment.pk)
    )


# --- Courses ---------------------------------------------------------------------------------


@transaction.atomic
def course_save(
    *,
    actor: User,
    provider: Organisation,
    titles: Mapping[str, str],
    descriptions: Mapping[str, str],
    course_format: str,
    prerequisites: Iterable[Course] = (),
    teacher_names: Sequence[str] = (),
    teacher_people: Iterable[Person] = (),
    is_active: bool = True,
    course: Course | None = None,
) -> Course:
    """A course of a provider the actor runs (the Academy or a university department): title
    in at least one language; prerequisites are other courses in use; teachers are names, or
    people holding a term in the provider."""
    policies.require(actor, "learning.manage", provider)
    if provider.kind.code not in PROVIDER_KINDS:
        raise LearningError(
            _("Courses are run by the APK Academy and the APK departments at universities."),
            field="provider",
        )
    if provider.status != Organisation.Status.ACTIVE:
        raise LearningError(_("This body is closed."), field="provider")
    texts = _texts(titles, "title", limit=200)
    if not any(texts.values()):
        raise LearningError(_("Give the title of the course."), field="title_kk")
    if course_format not in Course.Format.values:
        raise LearningError(_("Choose the format of the course."), field="format")
    if course is None:
        course = Course(provider=provider)
        action = AuditEntry.Action.CREATE
    else:
        course = Course.objects.select_for_update(of=("self",)).get(pk=course.pk)
        policies.require(actor, "learning.manage", course)
        course.provider = provider
        action = AuditEntry.Action.UPDATE
    required = list(dict.fromkeys(prerequisites))
    if course.pk is not None and any(item.pk == course.pk for item in required):
        raise LearningError(_("A course cannot be its own prerequisite."), field="prerequisites")
    if any(not item.is_active for item in required):
        raise LearningError(
            _("Choose prerequisites among the courses in use."), field="prerequisites"
        )
    if course.pk is not None and required and _leads_back(course, required):
        raise LearningError(
            _("These prerequisites would make a circle: a course would require itself."),
            field="prerequisites",
        )
    people = list(dict.fromkeys(teacher_people))
    members = set(
        Membership.objects.filter(
            active_on(timezone.localdate()), organisation=provider
        ).values_list("person_id", flat=True)
    )
    if any(person.pk not in members for person in people):
        raise LearningError(
            _("Teachers from the registry are people holding a term in the provider."),
            field="teacher_people",
        )
    for name, value in texts.items():
        setattr(course, name, value)
    for lang in LANGS:
        text = str(descriptions.get(lang) or "").strip()[:LONG_TEXT_LIMIT]
        setattr(course, f"description_{lang}", text)
    course.format = course_format
    course.is_active = bool(is_active)
    course.save()
    course.prerequisites.set(required)
    course.teachers.all().delete()
    rows = [Teacher(course=course, name=person.full_name, person=person) for person in people]
    shown = {row.name for row in rows}
    rows += [
        Teacher(course=course, name=name)
        for name in dict.fromkeys(_line(name, 200) for name in teacher_names)
        if name and name not in shown
    ]
    for position, row in enumerate(rows, start=1):
        row.position = position * 10
    Teacher.objects.bulk_create(rows)
    _audit(
        actor,
        action,
        course,
        str(provider.path),
        {
            "title": [None, course.title],
            "prerequisites": [None, sorted(item.pk for item in required)],
            "teachers": [None, [row.name for row in rows]],
        },
    )
    return course


def _leads_back(course: Course, required: list[Course]) -> bool:
    """Whether ``course`` is among the prerequisites (at any depth) of ``required``."""
    seen: set[int] = set()
    frontier = {item.pk for item in required}
    while frontier:
        if course.pk in frontier:
            return True
        seen |= frontier
        frontier = (
            set(
                Course.prerequisites.through.objects.filter(
                    from_course_id__in=frontier
                ).values_list("to_course_id", flat=True)
            )
            - seen
        )
    return False


@transaction.atomic
def module_save(
    *,
    actor: User,
    course: Course,
    titles: Mapping[str, str],
    hours: int,
    module: Module | None = None,
) -> Module:
    """A module of a course with its hours (1–500); a new one goes last."""
    course = (
        Course.objects.select_for_update(of=("self",)).select_related("provider").get(pk=course.pk)
    )
    policies.require(actor, "learning.manage", course)
    texts = _texts(titles, "title", limit=200)
    if not any(texts.values()):
        raise LearningError(_("Give the title of the module."), field="title_kk")
    if not isinstance(hours, int) or not 1 <= hours <= MAX_MODULE_HOURS:
        raise LearningError(
            _("The hours are a whole number from 1 to %(max)s.") % {"max": MAX_MODULE_HOURS},
            field="hours",
        )
    if module is None:
        last = course.modules.order_by("-position").values_list("position", flat=True).first()
        module = Module(course=course, position=(last or 0) + 10)
        action = AuditEntry.Action.CREATE
    else:
        module = Module.objects.select_for_update(of=("self",)).get(pk=module.pk, course=course)
        action = AuditEntry.Action.UPDATE
    before = module.hours if module.pk else None
    for name, value in texts.items():
        setattr(module, name, value)
    module.hours = hours
    module.save()
    _audit(
        actor,
        action,
        module,
        _provider_path(course),
        {"title": [None, module.title], "hours": [before, hours]},
    )
    return module


@transaction.atomic
def module_delete(*, actor: User, module: Module) -> None:
    """A module goes from the course (its sessions stay, without a module); issued
    certificates keep the hours they state."""
    course = (
        Course.objects.select_for_update(of=("self",))
        .select_related("provider")
        .get(pk=module.course_id)
    )
    policies.require(actor, "learning.manage", course)
    _audit(actor, AuditEntry.Action.DELETE, module, _provider_path(course))
    module.delete()


# --- Cohorts ---------------------------------------------------------------------------------


@transaction.atomic
def cohort_save(
    *,
    actor: User,
    course: Course,
    starts_on: datetime.date,
    ends_on: datetime.date,
    capacity: int,
    place: str = "",
    online: bool = False,
    cohort: Cohort | None = None,
) -> Cohort:
    """A run of a course in use: it ends on or after it starts; it has a place or is online;
    its places (1–300) are never fewer than the people already holding one."""
    course = Course.objects.select_related("provider").get(pk=course.pk)
    policies.require(actor, "learning.manage", course)
    if not isinstance(starts_on, datetime.date):
        raise LearningError(_("Give the date."), field="starts_on")
    if not isinstance(ends_on, datetime.date):
        raise LearningError(_("Give the date."), field="ends_on")
    if ends_on < starts_on:
        raise LearningError(_("The cohort cannot end before it starts."), field="ends_on")
    if not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise LearningError(
            _("Give the number of places, from 1 to %(max)s.") % {"max": MAX_CAPACITY},
            field="capacity",
        )
    place = _line(place, 300)
    if not place and not online:
        raise LearningError(_("Give the place, or mark the cohort as online."), field="place")
    if cohort is None:
        if not course.is_active:
            raise LearningError(_("This course is no longer in use."))
        cohort = Cohort(course=course)
        action = AuditEntry.Action.CREATE
    else:
        cohort = _lock_cohort(cohort)
        if cohort.course_id != course.pk:
            raise LearningError(_("This cohort belongs to another course."))
        if cohort.status in {Cohort.Status.FINISHED, Cohort.Status.CANCELLED}:
            raise LearningError(_("A finished or cancelled cohort can no longer change."))
        taken = queries.places_taken(cohort)
        if capacity < taken:
            raise LearningError(
                _("%(taken)s people already hold a place: give at least %(taken)s places.")
                % {"taken": taken},
                field="capacity",
            )
        action = AuditEntry.Action.UPDATE
    cohort.starts_on, cohort.ends_on, cohort.capacity = starts_on, ends_on, capacity
    cohort.place, cohort.online = place, bool(online)
    cohort.save()
    _audit(
        actor,
        action,
        cohort,
        _provider_path(course),
        {
            "dates": [None, f"{starts_on.isoformat()}..{ends_on.isoformat()}"],
            "capacity": [None, capacity],
        },
    )
    return cohort


# Which status may follow which.
NEXT_STATUS: dict[str, tuple[str, ...]] = {
    Cohort.Status.PLANNED: (Cohort.Status.ENROLLING, Cohort.Status.CANCELLED),
    Cohort.Status.ENROLLING: (
        Cohort.Status.RUNNING,
        Cohort.Status.PLANNED,
        Cohort.Status.CANCELLED,
    ),
    Cohort.Status.RUNNING: (Cohort.Status.FINISHED, Cohort.Status.CANCELLED),
}


@transaction.atomic
def cohort_set_status(*, actor: User, cohort: Cohort, status: str, reason: str = "") -> Cohort:
    """Planned → enrolment open → running → finished, or cancelled (with a reason) before it
    is finished. Finishing marks those not completed; cancelling withdraws those enrolled."""
    cohort = _lock_cohort(cohort)
    policies.require(actor, "learning.manage", cohort)
    if status not in NEXT_STATUS.get(cohort.status, ()):
        raise LearningError(
            _("A cohort that is “%(now)s” cannot become “%(next)s”.")
            % {
                "now": cohort.get_status_display(),
                "next": Cohort.Status(status).label if status in Cohort.Status.values else status,
            }
        )
    course = cohort.course
    changes: dict[str, Any] = {"status": [cohort.status, status]}
    if status == Cohort.Status.ENROLLING and (
        not course.is_active or course.provider.status != Organisation.Status.ACTIVE
    ):
        raise LearningError(_("This course is no longer in use."))
    if status == Cohort.Status.RUNNING and not queries.places_taken(cohort):
        raise LearningError(_("Nobody is enrolled yet: the cohort cannot start."))
    if status == Cohort.Status.FINISHED:
        changes["not_completed"] = [
            None,
            Enrolment.objects.filter(cohort=cohort, status=Enrolment.Status.ENROLLED).update(
                status=Enrolment.Status.NOT_COMPLETED
            ),
        ]
    if status == Cohort.Status.CANCELLED:
        cohort.cancel_reason = _reason(reason)
        changes["withdrawn"] = [
            None,
            Enrolment.objects.filter(cohort=cohort, status=Enrolment.Status.ENROLLED).update(
                status=Enrolment.Status.WITHDRAWN,
                withdrawn_at=timezone.now(),
                withdrawal_reason=cohort.cancel_reason,
            ),
        ]
    cohort.status = status
    cohort.save(update_fields=["status", "cancel_reason"])
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        cohort,
        _provider_path(course),
        changes,
        note=("cancelled: " + cohort.cancel_reason)[:300] if cohort.cancel_reason else "",
    )
    _changed()
    return cohort


# --- Sessions and attendance -----------------------------------------------------------------

SESSION_STATUSES = (Cohort.Status.PLANNED, Cohort.Status.ENROLLING, Cohort.Status.RUNNING)
RESULT_STATUSES = (Cohort.Status.RUNNING, Cohort.Status.FINISHED)


@transaction.atomic
def session_add(
    *,
    actor: User,
    cohort: Cohort,
    date: datetime.date,
    topics: Mapping[str, str],
    module: Module | None = None,
) -> Session:
    """A session on a day within the cohort's dates, optionally teaching one of the course's
    modules; added until the cohort is finished."""
    cohort = _lock_cohort(cohort)
    policies.require(actor, "learning.manage", cohort)
    if cohort.status not in SESSION_STATUSES:
        raise LearningError(_("Sessions are added until the cohort is finished."))
    if not isinstance(date, datetime.date) or not cohort.starts_on <= date <= cohort.ends_on:
        raise LearningError(
            _("The session is on a day from %(start)s to %(end)s.")
            % {
                "start": cohort.starts_on.strftime("%d.%m.%Y"),
                "end": cohort.ends_on.strftime("%d.%m.%Y"),
            },
            field="date",
        )
    if module is not None and module.course_id != cohort.course_id:
        raise LearningError(_("Choose a module of this course."), field="module")
    texts = _texts(topics, "topic", limit=300)
    if not any(texts.values()):
        raise LearningError(_("Give the topic of the session."), field="topic_kk")
    session = Session(cohort=cohort, date=date, module=module)
    for name, value in texts.items():
        setattr(session, name, value)
    session.save()
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        session,
        _provider_path(cohort.course),
        {"date": [None, date.isoformat()]},
    )
    return session


@transaction.atomic
def attendance_record(*, actor: User, session: Session, marks: Mapping[int, str]) -> int:
    """Marks (enrolment id → present/absent/excused) of the cohort's trainees for a session
    held (its day has come) while the cohort runs or after it finished; a mark given again
    replaces the earlier one. Returns the number of marks kept."""
    cohort = _lock_cohort(session.cohort)
    policies.require(actor, "learning.manage", cohort)
    if cohort.status not in RESULT_STATUSES:
        raise LearningError(_("Attendance is kept once the cohort is running."))
    if session.date > timezone.localdate():
        raise LearningError(_("Attendance is recorded on or after the day of the session."))
    trainees = set(queries.trainees(cohort).values_list("pk", flat=True))
    rows: list[Attendance] = []
    for enrolment_id, mark in marks.items():
        if enrolment_id not in trainees:
            raise LearningError(_("This person is not a trainee of the cohort."))
        if mark not in Attendance.Mark.values:
            raise LearningError(_("Mark each trainee present, absent or excused."))
        rows.append(Attendance(session=session, enrolment_id=enrolment_id, mark=mark))
    Attendance.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["session", "enrolment"], update_fields=["mark"]
    )
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        session,
        _provider_path(cohort.course),
        {"marks": [None, len(rows)]},
        note="attendance",
    )
    return len(rows)


# --- Nomination ------------------------------------------------------------------------------

NOT_NOMINABLE = _(
    "Choose a person from the list: only people holding a term in a body you work for may be "
    "nominated."
)


@transaction.atomic
def enrolment_create(*, actor: User, cohort: Cohort, membership: Membership) -> Enrolment:
    """Staff nominate a person through a current term in an active body their grant covers
    (any other term is refused as unknown): once per cohort, while enrolment is open, within
    the places, holding a valid certificate of each of the course's prerequisites."""
    cohort = _lock_cohort(cohort)
    today = timezone.localdate()
    term = (
        Membership.objects.select_related("person", "organisation").filter(pk=membership.pk).first()
    )
    if (
        term is None
        or not term.is_active_on(today)
        or term.organisation.status != Organisation.Status.ACTIVE
        or not policies.can(actor, "learning.nominate", term.organisation)
    ):
        raise LearningError(NOT_NOMINABLE, field="membership")
    course, person = cohort.course, term.person
    if cohort.status != Cohort.Status.ENROLLING or not course.is_active:
        raise LearningError(_("Enrolment to this cohort is closed."))
    if Enrolment.objects.filter(cohort=cohort, person=person).exists():
        raise LearningError(
            _("%(name)s is already on the list of this cohort.") % {"name": person.full_name}
        )
    if queries.places_taken(cohort) >= cohort.capacity:
        raise LearningError(
            _("The cohort is full: all %(places)s places are taken.") % {"places": cohort.capacity}
        )
    missing = queries.missing_prerequisites(course, person)
    if missing:
        raise LearningError(
            _(
                "%(name)s first needs a valid certificate of: %(courses)s. Nominate them to "
                "that course first."
            )
            % {"name": person.full_name, "courses": "; ".join(str(item) for item in missing)}
        )
    enrolment = Enrolment(
        cohort=cohort,
        person=person,
        organisation=term.organisation,
        role=term.role,
        nominated_by=actor,
    )
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as error:  # a second tab sent the same nomination
        raise LearningError(
            _("%(name)s is already on the list of this cohort.") % {"name": person.full_name}
        ) from error
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        enrolment,
        str(term.organisation.path),
        {"cohort": [None, cohort.pk], "person": [None, person.pk], "role": [None, term.role]},
        note="nomination",
    )
    _changed()
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, actor: User, enrolment: Enrolment, reason: str) -> Enrolment:
    """The provider's staff or the sending body's staff withdraw an enrolled trainee (with a
    reason) until the cohort is finished; the place becomes free."""
    enrolment = _lock_enrolment(enrolment)
    policies.require(actor, "learning.withdraw", enrolment)
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise LearningError(_("Only an enrolled trainee can be withdrawn."))
    if enrolment.cohort.status in {Cohort.Status.FINISHED, Cohort.Status.CANCELLED}:
        raise LearningError(_("The cohort is over: its list no longer changes."))
    enrolment.withdrawal_reason = _reason(reason)
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment.withdrawn_at = timezone.now()
    enrolment.save(update_fields=["status", "withdrawn_at", "withdrawal_reason"])
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        enrolment,
        _provider_path(enrolment.cohort.course),
        {"status": ["enrolled", "withdrawn"]},
        note=("withdrawn: " + enrolment.withdrawal_reason)[:300],
    )
    _changed()
    return enrolment


def enrolment_read(*, actor: User, enrolment: Enrolment) -> None:
    """A staff member opens a trainee's record (attendance, results): the read is audited."""
    policies.require(actor, "learning.view_enrolment", enrolment)
    audit_read(
        actor=actor, obj=enrolment, organisation_path=_provider_path(enrolment.cohort.course)
    )


# --- Assessment, completion, certificates ----------------------------------------------------


@transaction.atomic
def results_record(
    *,
    actor: User,
    cohort: Cohort,
    results: Mapping[int, tuple[int | None, bool | None]],
) -> int:
    """Assessments (enrolment id → score 0–100 or none, passed yes/no/not yet) of trainees not
    yet completed, while the cohort runs or after it finished. Returns the number changed."""
    cohort = _lock_cohort(cohort)
    policies.require(actor, "learning.manage", cohort)
    if cohort.status not in RESULT_STATUSES:
        raise LearningError(_("Results are recorded once the cohort is running."))
    rows = {
        row.pk: row
        for row in Enrolment.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(cohort=cohort, pk__in=list(results))
    }
    now = timezone.now()
    changed: list[Enrolment] = []
    for enrolment_id, (score, passed) in results.items():
        row = rows.get(enrolment_id)
        if row is None or row.status == Enrolment.Status.WITHDRAWN:
            raise LearningError(_("This person is not a trainee of the cohort."))
        if score is not None and (not isinstance(score, int) or not 0 <= score <= 100):
            raise LearningError(_("A score is a whole number from 0 to 100."))
        if (row.score, row.passed) == (score, passed):
            continue
        if row.status == Enrolment.Status.COMPLETED:
            raise LearningError(
                _("%(name)s has completed the course: the result can no longer change.")
                % {"name": row.person.full_name}
            )
        row.score, row.passed, row.assessed_at = score, passed, now
        changed.append(row)
    Enrolment.objects.bulk_update(changed, ["score", "passed", "assessed_at"])
    if changed:
        _audit(
            actor,
            AuditEntry.Action.UPDATE,
            cohort,
            _provider_path(cohort.course),
            {"results": [None, sorted(row.pk for row in changed)]},
            note="assessment",
        )
    return len(changed)


def _issue(*, actor: User, enrolment: Enrolment, hours: int, day: datetime.date) -> Certificate:
    """The certificate of a completed enrolment, numbered in the caller's transaction."""
    serial = sequences.next_number(CERTIFICATE_SCOPE, day.year)
    return Certificate.objects.create(
        enrolment=enrolment,
        person_id=enrolment.person_id,
        course_id=enrolment.cohort.course_id,
        number=certificate_number(day.year, serial),
        year=day.year,
        holder_name=enrolment.person.full_name,
        hours=hours,
        issued_on=day,
        issued_by=actor,
    )


@transaction.atomic
def enrolments_complete(
    *, actor: User, cohort: Cohort, enrolments: Sequence[int]
) -> list[Certificate]:
    """Trainees who passed the assessment complete the course, while the cohort runs or after
    it finished; each gets one certificate, numbered in the order given. Returns them."""
    cohort = _lock_cohort(cohort)
    policies.require(actor, "learning.manage", cohort)
    if cohort.status not in RESULT_STATUSES:
        raise LearningError(_("Trainees complete the course once the cohort is running."))
    hours = queries.course_hours(cohort.course)
    if hours < 1:
        raise LearningError(
            _("Give the course its modules and their hours before certificates are issued.")
        )
    chosen = list(dict.fromkeys(enrolments))
    if not chosen:
        raise LearningError(_("Choose the trainees who completed the course."))
    rows = {
        row.pk: row
        for row in Enrolment.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(cohort=cohort, pk__in=chosen)
    }
    for pk in chosen:
        row = rows.get(pk)
        if row is None or row.status not in {
            Enrolment.Status.ENROLLED,
            Enrolment.Status.NOT_COMPLETED,
        }:
            raise LearningError(_("Choose trainees of this cohort who have not completed it."))
        if row.passed is not True:
            raise LearningError(
                _("%(name)s has not passed the assessment: record the result first.")
                % {"name": row.person.full_name}
            )
    today = timezone.localdate()
    certificates = []
    for pk in chosen:
        row = rows[pk]
        row.status, row.completed_on = Enrolment.Status.COMPLETED, today
        row.save(update_fields=["status", "completed_on"])
        row.cohort = cohort
        certificates.append(_issue(actor=actor, enrolment=row, hours=hours, day=today))
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        cohort,
        _provider_path(cohort.course),
        {"completed": [None, chosen], "certificates": [None, [c.number for c in certificates]]},
        note="completion",
    )
    _changed()
    return certificates


def certificate_read(*, actor: User, certificate: Certificate) -> None:
    """A staff member downloads a certificate (a document with a person's name): audited."""
    policies.require(actor, "learning.view_enrolment", certificate)
    audit_read(
        actor=actor,
        obj=certificate,
        organisation_path=_provider_path(certificate.course),
        note="certificate PDF",
    )


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """The provider's staff or a national administrator revoke a certificate with a reason;
    it keeps its number, and the public check says it is revoked and since when."""
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("course__provider", "enrolment__organisation")
        .get(pk=certificate.pk)
    )
    policies.require(actor, "learning.revoke", certificate)
    if certificate.revoked_at is not None:
        raise LearningError(_("This certificate is already revoked."))
    certificate.revocation_reason = _reason(reason)
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        certificate,
        _provider_path(certificate.course),
        {"revoked": [False, True]},
        note=("revoked: " + certificate.revocation_reason)[:300],
    )
    _changed()
    return certificate


# --- Training rules --------------------------------------------------------------------------


@transaction.atomic
def rule_save(
    *,
    actor: User,
    names: Mapping[str, str],
    kind: OrganisationKind,
    role: str,
    courses: Iterable[Course],
    validity_months: int,
    is_active: bool = True,
    rule: TrainingRule | None = None,
) -> TrainingRule:
    """A national administrator says who must be trained: a kind of body (and a role in it,
    or every role), the courses that satisfy it and for how many months (1–120)."""
    policies.require(actor, "learning.manage_rules")
    texts = _texts(names, "name", limit=200)
    if not any(texts.values()):
        raise LearningError(_("Give the name of the rule."), field="name_kk")
    if role and role not in Membership.Role.values:
        raise LearningError(_("Choose a role from the list."), field="role")
    chosen = list(dict.fromkeys(courses))
    if not chosen:
        raise LearningError(
            _("Choose at least one course that satisfies the rule."), field="courses"
        )
    if not isinstance(validity_months, int) or not 1 <= validity_months <= MAX_VALIDITY_MONTHS:
        raise LearningError(
            _("The validity is a whole number of months from 1 to %(max)s.")
            % {"max": MAX_VALIDITY_MONTHS},
            field="validity_months",
        )
    if rule is None:
        rule = TrainingRule()
        action = AuditEntry.Action.CREATE
    else:
        rule = TrainingRule.objects.select_for_update(of=("self",)).get(pk=rule.pk)
        action = AuditEntry.Action.UPDATE
    for name, value in texts.items():
        setattr(rule, name, value)
    rule.kind, rule.role = kind, role or ""
    rule.validity_months, rule.is_active = validity_months, bool(is_active)
    rule.save()
    rule.courses.set(chosen)
    _audit(
        actor,
        action,
        rule,
        "",
        {
            "kind": [None, kind.code],
            "role": [None, rule.role],
            "courses": [None, sorted(item.pk for item in chosen)],
            "validity_months": [None, validity_months],
            "is_active": [None, rule.is_active],
        },
    )
    _changed()
    return rule
