"""Sessions, attendance and graduation into the registry's activists."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from birlik.registry.models import Membership, Person
from birlik.youth import queries, services
from birlik.youth.models import Application, Cohort

from ..factories import MembershipFactory, PersonFactory
from .factories import make_application


@pytest.fixture
def running(youth):
    today = timezone.localdate()
    Cohort.objects.filter(pk=youth.cohort.pk).update(
        status=Cohort.Status.RUNNING,
        applications_open_on=today - datetime.timedelta(days=60),
        applications_close_on=today - datetime.timedelta(days=40),
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=30),
    )
    youth.cohort.refresh_from_db()
    people = [
        make_application(
            youth.cohort,
            last_name=name,
            first_name="Айбек",
            birth_date=datetime.date(2003, 3, day),
            status=Application.Status.SELECTED,
        )
        for day, name in ((1, "Бекұлы"), (2, "Серікұлы"), (3, "Әлиев"))
    ]
    sessions = [
        services.session_add(
            actor=youth.manager,
            cohort=youth.cohort,
            date=today - datetime.timedelta(days=20 - i),
            topics={"kk": f"Сабақ {i}"},
        )
        for i in range(4)
    ]
    return youth, people, sessions


def _mark(youth, sessions, application, marks):
    for session, mark in zip(sessions, marks, strict=True):
        services.attendance_record(
            actor=youth.manager, session=session, marks={application.pk: mark}
        )


def test_attendance_rates_leave_excused_absences_out(running):
    youth, (first, second, third), sessions = running
    _mark(youth, sessions, first, ["present", "present", "present", "absent"])  # 75 %
    _mark(youth, sessions, second, ["present", "present", "excused", "absent"])  # 2 of 3
    _mark(youth, sessions, third, ["present", "absent", "absent", "absent"])  # 25 %
    rates = {row.pk: row.rate for row in queries.attendance_rates(youth.cohort)}
    assert rates == {first.pk: 75, second.pk: 66, third.pk: 25}


def test_a_mark_given_again_replaces_the_earlier_one(running):
    youth, (first, _second, _third), sessions = running
    _mark(youth, sessions[:1], first, ["absent"])
    _mark(youth, sessions[:1], first, ["present"])
    assert first.attendance.get().mark == "present"


def test_a_session_outside_the_cohorts_dates_is_refused(running):
    youth, _people, _sessions = running
    with pytest.raises(services.YouthError):
        services.session_add(
            actor=youth.manager,
            cohort=youth.cohort,
            date=youth.cohort.ends_on + datetime.timedelta(days=1),
            topics={"kk": "Кеш"},
        )


def test_graduation_needs_the_threshold(running):
    youth, (first, second, _third), sessions = running
    _mark(youth, sessions, second, ["present", "absent", "absent", "present"])  # 50 %
    with translation.override("en"), pytest.raises(services.YouthError) as error:
        services.cohort_graduate(actor=youth.manager, cohort=youth.cohort, graduates=[second.pk])
    assert "50%" in str(error.value.message)
    assert not Membership.objects.filter(role="activist").exists()


def test_graduation_makes_activists_without_a_second_person(running):
    youth, (first, second, _third), sessions = running
    # «Серікұлы Айбек», born 02.03.2003, is already in the registry (through another body).
    known = PersonFactory(
        last_name="Серікұлы",
        first_name="Айбек",
        patronymic="",
        birth_date=datetime.date(2003, 3, 2),
        registered_by=youth.network.pavlodar_house,
    )
    for application in (first, second):
        _mark(youth, sessions, application, ["present"] * 4)
    people_before = Person.objects.count()
    count = services.cohort_graduate(
        actor=youth.manager, cohort=youth.cohort, graduates=[first.pk, second.pk]
    )
    assert count == 2
    assert Person.objects.count() == people_before + 1  # only «Бекұлы» is new
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.person == known
    assert first.person.registered_by == youth.branch
    assert first.person.consents.filter(purpose="membership").exists()
    terms = Membership.objects.filter(organisation=youth.branch, role="activist")
    assert set(terms.values_list("person_id", flat=True)) == {known.pk, first.person_id}
    assert first.status == Application.Status.GRADUATED
    youth.cohort.refresh_from_db()
    assert youth.cohort.status == Cohort.Status.GRADUATED


def test_a_current_activist_term_is_kept_or_extended(running):
    youth, (first, second, _third), sessions = running
    today = timezone.localdate()
    open_term = MembershipFactory(
        person=PersonFactory(last_name="Бекұлы", first_name="Айбек", birth_date=first.birth_date),
        organisation=youth.branch,
        role="activist",
        start_date=datetime.date(2024, 1, 1),
    )
    ending = MembershipFactory(
        person=PersonFactory(
            last_name="Серікұлы", first_name="Айбек", birth_date=second.birth_date
        ),
        organisation=youth.branch,
        role="activist",
        start_date=datetime.date(2024, 1, 1),
        end_date=today + datetime.timedelta(days=10),
    )
    for application in (first, second):
        _mark(youth, sessions, application, ["present"] * 4)
    services.cohort_graduate(
        actor=youth.manager, cohort=youth.cohort, graduates=[first.pk, second.pk]
    )
    assert Membership.objects.filter(person=open_term.person, role="activist").count() == 1
    extension = Membership.objects.filter(person=ending.person, role="activist").latest(
        "start_date"
    )
    assert extension.start_date == today + datetime.timedelta(days=11)
    assert extension.end_date is None


def test_the_same_account_graduating_again_is_the_same_person(running):
    youth, (first, _second, _third), sessions = running
    _mark(youth, sessions, first, ["present"] * 4)
    services.cohort_graduate(actor=youth.manager, cohort=youth.cohort, graduates=[first.pk])
    first.refresh_from_db()
    later = Cohort.objects.create(
        project=youth.project,
        name_en="Autumn",
        applications_open_on=youth.cohort.applications_open_on,
        applications_close_on=youth.cohort.applications_close_on,
        starts_on=youth.cohort.starts_on,
        ends_on=youth.cohort.ends_on,
        places=5,
        status=Cohort.Status.RUNNING,
    )
    again = make_application(
        later,
        applicant=first.applicant,
        last_name="Бекұлова",  # a changed spelling: the account decides
        first_name="Айбек",
        birth_date=first.birth_date,
        status=Application.Status.SELECTED,
    )
    session = services.session_add(
        actor=youth.manager, cohort=later, date=later.starts_on, topics={"kk": "Сабақ"}
    )
    services.attendance_record(actor=youth.manager, session=session, marks={again.pk: "present"})
    people = Person.objects.count()
    services.cohort_graduate(actor=youth.manager, cohort=later, graduates=[again.pk])
    again.refresh_from_db()
    assert again.person_id == first.person_id
    assert Person.objects.count() == people
