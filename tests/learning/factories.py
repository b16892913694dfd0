"""Builders of training records for tests: a provider's course with modules, a cohort, a term
in a body (to nominate through), an enrolment and a certificate written directly (fast, for
the training needs), and a completed enrolment through the services (numbered)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from birlik.learning.models import Certificate, Cohort, Course, Enrolment, Module, TrainingRule
from birlik.registry.models import Membership, Organisation, Person

from ..factories import MembershipFactory, PersonFactory, kind


def make_course(
    provider: Organisation, *, hours: tuple[int, ...] = (8, 16), **extra: Any
) -> Course:
    course = Course.objects.create(
        provider=provider,
        title_kk=extra.pop("title_kk", "Достық үйінің жұмысы"),
        title_ru=extra.pop("title_ru", "Работа дома дружбы"),
        title_en=extra.pop("title_en", "Working in a house of friendship"),
        **extra,
    )
    for position, value in enumerate(hours, start=1):
        Module.objects.create(
            course=course, title_en=f"Module {position}", hours=value, position=position * 10
        )
    return course


def make_cohort(course: Course, **extra: Any) -> Cohort:
    today = timezone.localdate()
    values: dict[str, Any] = {
        "starts_on": today + datetime.timedelta(days=10),
        "ends_on": today + datetime.timedelta(days=14),
        "place": "Астана, Достық үйі",
        "capacity": 3,
        "status": Cohort.Status.ENROLLING,
    }
    values.update(extra)
    return Cohort.objects.create(course=course, **values)


def make_term(
    body: Organisation,
    *,
    role: str = Membership.Role.STAFF,
    person: Person | None = None,
    **extra: Any,
) -> Membership:
    return MembershipFactory(
        person=person or PersonFactory(registered_by=body, **extra),
        organisation=body,
        role=role,
        start_date=datetime.date(2020, 1, 10),
    )


def enrol(cohort: Cohort, term: Membership, **extra: Any) -> Enrolment:
    return Enrolment.objects.create(
        cohort=cohort,
        person=term.person,
        organisation=term.organisation,
        role=term.role,
        **extra,
    )


_serials: dict[int, int] = {}


def certificate_for(
    person: Person,
    course: Course,
    issued_on: datetime.date,
    *,
    body: Organisation | None = None,
    revoked: bool = False,
) -> Certificate:
    """A completed enrolment and its certificate, written directly (the needs' tests)."""
    cohort = make_cohort(
        course,
        starts_on=issued_on - datetime.timedelta(days=5),
        ends_on=issued_on,
        status=Cohort.Status.FINISHED,
    )
    organisation = body or person.registered_by
    enrolment = Enrolment.objects.create(
        cohort=cohort,
        person=person,
        organisation=organisation,
        role=Membership.Role.STAFF,
        status=Enrolment.Status.COMPLETED,
        passed=True,
        completed_on=issued_on,
    )
    serial = _serials[issued_on.year] = _serials.get(issued_on.year, 90000) + 1
    return Certificate.objects.create(
        enrolment=enrolment,
        person=person,
        course=course,
        number=f"TEST-{issued_on.year}-{serial}",
        year=issued_on.year,
        holder_name=person.full_name,
        hours=24,
        issued_on=issued_on,
        revoked_at=timezone.now() if revoked else None,
        revocation_reason="Қате берілген" if revoked else "",
    )


def make_rule(
    kind_code: str, courses: list[Course], *, months: int = 12, role: str = "", **extra: Any
) -> TrainingRule:
    rule = TrainingRule.objects.create(
        name_en=extra.pop("name_en", f"{kind_code} every {months} months"),
        kind=kind(kind_code),
        role=role,
        validity_months=months,
        **extra,
    )
    rule.courses.set(courses)
    return rule
