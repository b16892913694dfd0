"""Reads of training shared by the pages, the services and the indicators: one function per
rule (a course's hours, cohorts open for enrolment, places taken, a valid certificate, missing
prerequisites, whom a staff member may nominate) and the training needs (who must be trained,
who is overdue, a region's coverage), computed in the database whatever the number of people.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

from birlik.access import policies
from birlik.core import collation
from birlik.core.search import contains_q
from birlik.geo.labels import NO_REGION
from birlik.registry.models import Membership, Organisation, Person
from birlik.registry.queries import active_on

from .models import (
    Attendance,
    Certificate,
    Cohort,
    Course,
    Enrolment,
    Module,
    TrainingRule,
)

# Enrolments that hold a place on the cohort (a withdrawn one gives it back).
HOLDING_PLACE = (
    Enrolment.Status.ENROLLED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NOT_COMPLETED,
)
# Cohorts the public catalogue shows as coming or under way.
SHOWN_STATUSES = (Cohort.Status.PLANNED, Cohort.Status.ENROLLING, Cohort.Status.RUNNING)


# --- Courses ---------------------------------------------------------------------------------


def hours_of_courses() -> Coalesce:
    """The sum of a course's modules' hours, as an annotation (a subquery: no row doubling)."""
    modules = (
        Module.objects.filter(course=OuterRef("pk"))
        .order_by()
        .values("course")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Coalesce(Subquery(modules, output_field=IntegerField()), Value(0))


def course_hours(course: Course) -> int:
    return int(course.modules.aggregate(total=Coalesce(Sum("hours"), 0))["total"])


def public_courses(
    *,
    on: datetime.date,
    provider: Organisation | None = None,
    course_format: str = "",
    query: str = "",
) -> QuerySet[Course]:
    """Courses in use of active providers, with ``hours`` and ``next_start`` (the first
    coming cohort's start), in alphabetical order of the title."""
    coming = (
        Cohort.objects.filter(
            course=OuterRef("pk"),
            status__in=(Cohort.Status.PLANNED, Cohort.Status.ENROLLING),
            starts_on__gte=on,
        )
        .order_by("starts_on")
        .values("starts_on")[:1]
    )
    rows = Course.objects.filter(
        is_active=True, provider__status=Organisation.Status.ACTIVE
    ).select_related("provider", "provider__region")
    if provider is not None:
        rows = rows.filter(provider=provider)
    if course_format:
        rows = rows.filter(format=course_format)
    for word in query.split()[:5]:
        rows = rows.filter(any_case(("title_kk", "title_ru", "title_en"), word))
    return collation.ordered(
        rows.annotate(hours=hours_of_courses(), next_start=Subquery(coming)), "title"
    )


def providers() -> QuerySet[Organisation]:
    """The active bodies that may run courses."""
    from .models import PROVIDER_KINDS

    return Organisation.objects.filter(
        kind__code__in=PROVIDER_KINDS, status=Organisation.Status.ACTIVE
    ).order_by("path")


def shown_cohorts(course: Course, *, on: datetime.date) -> QuerySet[Cohort]:
    """A course's cohorts the public sees: planned, enrolling or running, not yet over."""
    return course.cohorts.filter(status__in=SHOWN_STATUSES, ends_on__gte=on).order_by(
        "starts_on", "pk"
    )


def open_cohorts(*, qs: QuerySet[Cohort] | None = None) -> QuerySet[Cohort]:
    """Cohorts taking nominations: enrolment open, the course in use, its provider active."""
    base = Cohort.objects.all() if qs is None else qs
    return base.filter(
        status=Cohort.Status.ENROLLING,
        course__is_active=True,
        course__provider__status=Organisation.Status.ACTIVE,
    )


# --- Enrolments ------------------------------------------------------------------------------


def holding_places(cohort: Cohort) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(cohort=cohort, status__in=HOLDING_PLACE)


def places_taken(cohort: Cohort) -> int:
    return holding_places(cohort).count()


def with_places_taken(qs: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """Cohorts annotated with ``taken`` (the enrolments that hold a place) and ``left``."""
    return qs.annotate(
        taken=Count("enrolments", filter=Q(enrolments__status__in=HOLDING_PLACE), distinct=True)
    ).annotate(left=Greatest(F("capacity") - F("taken"), Value(0)))


def roster(cohort: Cohort) -> QuerySet[Enrolment]:
    """A cohort's trainees with their sending body and certificate, by name."""
    return collation.ordered(
        Enrolment.objects.filter(cohort=cohort).select_related(
            "person", "organisation", "organisation__region", "certificate"
        ),
        "person__last_name",
        "person__first_name",
    )


def trainees(cohort: Cohort) -> QuerySet[Enrolment]:
    """The trainees whose attendance and results are kept: all but the withdrawn."""
    return roster(cohort).filter(status__in=HOLDING_PLACE)


def attendance_rates(cohort: Cohort) -> QuerySet[Enrolment]:
    """Trainees with ``present`` and ``rate``: the share of the sessions held up to now that
    they attended, excused absences left out of the count (a whole percent)."""
    sessions = cohort.sessions.count()
    rows = trainees(cohort).annotate(
        present=Count("attendance", filter=Q(attendance__mark=Attendance.Mark.PRESENT)),
        excused=Count("attendance", filter=Q(attendance__mark=Attendance.Mark.EXCUSED)),
    )
    counted = ExpressionWrapper(Value(sessions) - F("excused"), output_field=IntegerField())
    return rows.annotate(
        rate=ExpressionWrapper(
            F("present") * Value(100) / Greatest(counted, Value(1)), output_field=IntegerField()
        )
    )


def valid_certificates() -> QuerySet[Certificate]:
    return Certificate.objects.filter(revoked_at__isnull=True)


def missing_prerequisites(course: Course, person: Person) -> list[Course]:
    """The prerequisites of ``course`` of which ``person`` holds no valid certificate."""
    held = valid_certificates().filter(person=person).values("course_id")
    return list(course.prerequisites.exclude(pk__in=held).order_by("title", "pk"))


def any_case(fields: Iterable[str], word: str) -> Q:
    """Rows where one of ``fields`` contains ``word``, whatever its case."""
    return contains_q(fields, word)


def nominable(*, user: Any, on: datetime.date, query: str = "") -> QuerySet[Membership]:
    """The terms through which ``user`` may nominate a person: current on ``on``, in an
    active body the user's staff grant covers; searched by any part of the name. Each row
    says (``data_visible``) whether the user may read the person's full data (the birth date
    that tells namesakes apart), as ``policies.sees_person`` does."""
    rows = Membership.objects.filter(
        active_on(on),
        policies.prefix_q("organisation__path", policies.roots(user, policies.STAFF_ROLES)),
        organisation__status=Organisation.Status.ACTIVE,
    )
    for word in query.split()[:5]:
        rows = rows.filter(
            any_case(("person__last_name", "person__first_name", "person__patronymic"), word)
        )
    visible = Case(
        When(policies.person_data_q(user, "person__"), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return collation.ordered(
        rows.select_related("person", "organisation").annotate(data_visible=visible),
        "person__last_name",
        "person__first_name",
    )


def nominations(*, user: Any) -> QuerySet[Enrolment]:
    """Enrolments of the people sent by the bodies of the user's subtrees, newest first."""
    return (
        Enrolment.objects.filter(
            policies.prefix_q(
                "organisation__path", policies.roots(user, policies.PERSONAL_DATA_ROLES)
            )
        )
        .select_related(
            "person", "organisation", "cohort", "cohort__course", "cohort__course__provider"
        )
        .select_related("certificate")
        .order_by("-cohort__starts_on", "-pk")
    )


# --- Training needs --------------------------------------------------------------------------


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` months earlier (the month's last day when it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def months_after(day: datetime.date, months: int) -> datetime.date:
    return months_before(day, -months)


@dataclass(frozen=True)
class RuleTerms:
    pk: int
    kind_id: int
    role: str
    validity_months: int


def active_rules() -> list[RuleTerms]:
    """The rules in use (one query; their courses are read inside the needs' query)."""
    return [
        RuleTerms(*row)
        for row in TrainingRule.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("pk", "kind_id", "role", "validity_months")
    ]


def _applies(rule: RuleTerms) -> Q:
    q = Q(organisation__kind_id=rule.kind_id)
    return q & Q(role=rule.role) if rule.role else q


def _trained(rule: RuleTerms, on: datetime.date) -> Exists:
    """The person of the membership row holds a certificate of one of the rule's courses,
    not revoked, issued on or before ``on`` and less than ``validity_months`` before it."""
    courses = TrainingRule.courses.through.objects.filter(trainingrule_id=rule.pk).values(
        "course_id"
    )
    return Exists(
        Certificate.objects.filter(
            person_id=OuterRef("person_id"),
            course_id__in=courses,
            revoked_at__isnull=True,
            issued_on__lte=on,
            issued_on__gt=months_before(on, rule.validity_months),
        )
    )


@dataclass(frozen=True)
class Needs:
    """The terms that a rule applies to on a day (``rows``) and which of them are overdue."""

    rows: QuerySet[Membership]
    overdue: Q
    rules: list[RuleTerms]


def needs(
    *,
    on: datetime.date,
    paths: Sequence[str] | None = None,
    region: Any = None,
    kind: Any = None,
    rules: list[RuleTerms] | None = None,
) -> Needs:
    """The terms held on ``on`` in bodies active that day to which a rule in use applies
    (within the subtrees ``paths``, all when None; of one region or kind of body). A row is
    overdue when its person holds no current training of a rule that applies to it."""
    rules = active_rules() if rules is None else rules
    rows = Membership.objects.filter(
        active_on(on),
        Q(organisation__founded_on__isnull=True) | Q(organisation__founded_on__lte=on),
        Q(organisation__closed_on__isnull=True) | Q(organisation__closed_on__gt=on),
    )
    if paths is not None:
        rows = rows.filter(policies.prefix_q("organisation__path", list(paths)))
    if region is not None:
        rows = rows.filter(organisation__region=region)
    if kind is not None:
        rows = rows.filter(organisation__kind=kind)
    applies, overdue = Q(pk__in=[]), Q(pk__in=[])
    for rule in rules:
        applies |= _applies(rule)
        overdue |= _applies(rule) & Q(~_trained(rule, on))
    return Needs(rows=rows.filter(applies), overdue=overdue, rules=rules)


@dataclass(frozen=True)
class Coverage:
    region: str  # ISO code, ``NO_REGION`` for bodies without one
    required: int
    overdue: int

    @property
    def trained(self) -> int:
        return self.required - self.overdue

    @property
    def percent(self) -> float | None:
        return round(100 * self.trained / self.required, 1) if self.required else None


def coverage_by_region(
    *,
    on: datetime.date,
    paths: Sequence[str] | None = None,
    region: Any = None,
    rules: list[RuleTerms] | None = None,
) -> list[Coverage]:
    """People a rule requires and those overdue, per region of their body, on ``on``: a
    person counts once in a region, overdue when any rule that applies to them is unmet."""
    found = needs(on=on, paths=paths, region=region, rules=rules)
    if not found.rules:
        return []
    rows = (
        found.rows.order_by()
        .values("organisation__region__iso")
        .annotate(
            required=Count("person_id", distinct=True),
            overdue=Count("person_id", distinct=True, filter=found.overdue),
        )
        .order_by("organisation__region__iso")
    )
    return [
        Coverage(
            region=row["organisation__region__iso"] or NO_REGION,
            required=row["required"],
            overdue=row["overdue"],
        )
        for row in rows
    ]


def coverage_total(
    *, on: datetime.date, paths: Sequence[str] | None = None, rules: list[RuleTerms] | None = None
) -> Coverage:
    """The same over all the subtrees: a person in two regions counts once."""
    found = needs(on=on, paths=paths, rules=rules)
    if not found.rules:
        return Coverage(region="", required=0, overdue=0)
    totals = found.rows.aggregate(
        required=Count("person_id", distinct=True),
        overdue=Count("person_id", distinct=True, filter=found.overdue),
    )
    return Coverage(region="", required=totals["required"], overdue=totals["overdue"])


def overdue_terms(
    *,
    on: datetime.date,
    paths: Sequence[str] | None,
    region: Any = None,
    kind: Any = None,
    rules: list[RuleTerms] | None = None,
) -> QuerySet[Membership]:
    """The overdue terms with their person and body, by name: ``due_rule`` is the first rule
    unmet, ``last_trained`` the day of the person's latest valid certificate of a course of
    any rule in use (None: never trained)."""
    found = needs(on=on, paths=paths, region=region, kind=kind, rules=rules)
    if not found.rules:
        return Membership.objects.none()
    courses = TrainingRule.courses.through.objects.filter(trainingrule__is_active=True).values(
        "course_id"
    )
    latest = (
        valid_certificates()
        .filter(person_id=OuterRef("person_id"), course_id__in=courses, issued_on__lte=on)
        .order_by("-issued_on")
        .values("issued_on")[:1]
    )
    due_rule = Case(
        *(
            When(_applies(rule) & Q(~_trained(rule, on)), then=Value(rule.pk))
            for rule in found.rules
        ),
        default=Value(None),
        output_field=IntegerField(),
    )
    return collation.ordered(
        found.rows.filter(found.overdue)
        .select_related("person", "organisation", "organisation__region", "organisation__kind")
        .annotate(due_rule=due_rule, last_trained=Subquery(latest)),
        "person__last_name",
        "person__first_name",
    )
