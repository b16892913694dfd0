"""The staff pages of a provider: a course with modules and teachers, a cohort through its
statuses, sessions with attendance, results and completion; scope (another subtree is "not
found", reading without the right to act is 403); constant queries on every list page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from birlik.access.models import Role
from birlik.learning.models import Attendance, Certificate, Cohort, Course, Enrolment, Session

from ..factories import GrantFactory, UserFactory
from .factories import certificate_for, enrol, make_cohort, make_course, make_rule, make_term


def _en(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def test_provider_staff_create_a_course_with_teachers_and_a_prerequisite(client, learning):
    teacher = make_term(learning.academy, last_name="Ұстазова", first_name="Гүлнар")
    client.force_login(learning.academy_staff)
    response = client.post(
        _en("learning:course_new"),
        {
            "provider": learning.academy.pk,
            "title_kk": "Этномедиация",
            "title_en": "Ethno-mediation",
            "format": Course.Format.MIXED,
            "prerequisites": [learning.course.pk],
            "teacher_names": "Серік Әлімов\n\nСерік Әлімов",
            "teacher_people": [teacher.person.pk],
            "is_active": "on",
        },
    )
    course = Course.objects.get(title_en="Ethno-mediation")
    assert response.status_code == 302
    assert list(course.prerequisites.all()) == [learning.course]
    assert [t.name for t in course.teachers.all()] == ["Ұстазова Гүлнар Нұрланұлы", "Серік Әлімов"]


def test_a_course_cannot_require_a_course_that_requires_it(client, learning):
    advanced = make_course(learning.academy, title_en="Advanced")
    advanced.prerequisites.set([learning.course])
    client.force_login(learning.academy_staff)
    response = client.post(
        _en("learning:course_edit", pk=learning.course.pk),
        {
            "provider": learning.academy.pk,
            "title_en": "Working in a house of friendship",
            "format": "in_person",
            "prerequisites": [advanced.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "would make a circle" in response.content.decode()
    assert not learning.course.prerequisites.exists()


def test_staff_of_a_house_may_not_create_courses(client, learning):
    client.force_login(learning.house_staff)
    response = client.post(
        _en("learning:course_new"),
        {"provider": learning.academy.pk, "title_en": "X", "format": "online"},
    )
    assert response.status_code == 200  # the Academy is not a choice for them
    assert "work for no provider" in response.content.decode()
    assert not Course.objects.filter(title_en="X").exists()


def test_modules_are_added_edited_and_removed(client, learning):
    client.force_login(learning.academy_staff)
    client.post(
        _en("learning:module_new", pk=learning.course.pk), {"title_en": "Law", "hours": "6"}
    )
    module = learning.course.modules.get(title_en="Law")
    assert module.hours == 6
    bad = client.post(_en("learning:module_edit", pk=module.pk), {"title_en": "Law", "hours": "0"})
    assert bad.status_code == 200
    client.post(_en("learning:module_delete", pk=module.pk))
    assert not learning.course.modules.filter(pk=module.pk).exists()


def test_a_cohort_goes_from_planned_to_finished(client, learning):
    client.force_login(learning.academy_staff)
    today = datetime.date.today()
    response = client.post(
        _en("learning:cohort_new", pk=learning.course.pk),
        {
            "starts_on": (today + datetime.timedelta(days=1)).isoformat(),
            "ends_on": (today + datetime.timedelta(days=3)).isoformat(),
            "capacity": "20",
            "online": "on",
        },
    )
    assert response.status_code == 302
    cohort = Cohort.objects.exclude(pk=learning.cohort.pk).get()
    assert cohort.status == Cohort.Status.PLANNED
    url = _en("learning:cohort_status", pk=cohort.pk)
    client.post(url, {"status": "enrolling"})
    enrol(cohort, learning.house_term)
    client.post(url, {"status": "running"})
    response = client.post(url, {"status": "finished"}, follow=True)
    assert "The status of the cohort is changed." in response.content.decode()
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.FINISHED
    assert Enrolment.objects.get(cohort=cohort).status == Enrolment.Status.NOT_COMPLETED
    refused = client.post(url, {"status": "enrolling"}, follow=True).content.decode()
    assert "cannot become" in refused


def test_a_cohort_without_a_place_and_not_online_is_refused(client, learning):
    client.force_login(learning.academy_staff)
    response = client.post(
        _en("learning:cohort_new", pk=learning.course.pk),
        {"starts_on": "2026-05-10", "ends_on": "2026-05-01", "capacity": "20"},
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()


def test_cancelling_needs_a_reason_and_withdraws_those_enrolled(client, learning):
    enrolment = enrol(learning.cohort, learning.house_term)
    client.force_login(learning.academy_staff)
    url = _en("learning:cohort_status", pk=learning.cohort.pk)
    client.post(url, {"status": "cancelled", "reason": ""})
    assert Cohort.objects.get(pk=learning.cohort.pk).status == Cohort.Status.ENROLLING
    client.post(url, {"status": "cancelled", "reason": "Оқытушы ауырды"})
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    assert enrolment.withdrawal_reason == "Оқытушы ауырды"


@freeze_time("2026-03-02 10:00:00")
def test_sessions_attendance_results_and_completion(client, learning):
    cohort = make_cohort(
        learning.course,
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 5),
        status=Cohort.Status.RUNNING,
    )
    first = enrol(cohort, learning.house_term)
    second = enrol(cohort, make_term(learning.network.pavlodar_house, last_name="Екінші"))
    client.force_login(learning.academy_staff)
    module = learning.course.modules.first()
    client.post(
        _en("learning:sessions", pk=cohort.pk),
        {"date": "2026-03-02", "topic_kk": "Кіріспе", "module": module.pk},
    )
    session = Session.objects.get(cohort=cohort)
    assert session.module == module
    future = client.post(
        _en("learning:sessions", pk=cohort.pk), {"date": "2026-04-01", "topic_kk": "Кеш"}
    )
    assert "The session is on a day from 01.03.2026 to 05.03.2026." in future.content.decode()
    client.post(
        _en("learning:attendance", pk=session.pk),
        {f"e_{first.pk}": "present", f"e_{second.pk}": "absent"},
    )
    assert dict(Attendance.objects.values_list("enrolment_id", "mark")) == {
        first.pk: "present",
        second.pk: "absent",
    }
    response = client.post(
        _en("learning:results", pk=cohort.pk),
        {
            f"score_{first.pk}": "87",
            f"passed_{first.pk}": "yes",
            f"score_{second.pk}": "",
            f"passed_{second.pk}": "no",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.score, first.passed) == (87, True)
    page = client.get(_en("learning:results", pk=cohort.pk)).content.decode()
    assert "Confirm the completion" in page
    response = client.post(_en("learning:complete", pk=cohort.pk), {"completed": [first.pk]})
    assert response.status_code == 302
    certificate = Certificate.objects.get(enrolment=first)
    assert certificate.number == "ACAD-2026-00001"
    # The one who did not pass is not a choice.
    client.post(_en("learning:complete", pk=cohort.pk), {"completed": [second.pk]})
    assert Certificate.objects.count() == 1
    bad = client.post(_en("learning:results", pk=cohort.pk), {f"score_{second.pk}": "120"})
    assert bad.status_code == 400


def test_a_score_of_someone_completed_cannot_change(client, learning):
    from birlik.learning import services

    Cohort.objects.filter(pk=learning.cohort.pk).update(status=Cohort.Status.RUNNING)
    learning.cohort.refresh_from_db()
    row = enrol(learning.cohort, learning.house_term, passed=True, score=70)
    services.enrolments_complete(
        actor=learning.academy_staff, cohort=learning.cohort, enrolments=[row.pk]
    )
    with pytest.raises(services.LearningError):
        services.results_record(
            actor=learning.academy_staff, cohort=learning.cohort, results={row.pk: (10, False)}
        )


# --- Scope -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["learning:course", "learning:cohort", "learning:sessions", "learning:results"]
)
def test_staff_of_another_provider_are_told_not_found(client, learning, name):
    other = UserFactory(username="department_staff")
    GrantFactory(user=other, role=Role.BODY_STAFF, organisation=learning.department)
    client.force_login(other)
    pk = learning.course.pk if name == "learning:course" else learning.cohort.pk
    assert client.get(_en(name, pk=pk)).status_code == 404


def test_an_auditor_reads_the_cohort_but_may_not_act(client, learning):
    client.force_login(learning.network.users["auditor"])
    assert client.get(_en("learning:cohort", pk=learning.cohort.pk)).status_code == 200
    assert client.get(_en("learning:cohort_edit", pk=learning.cohort.pk)).status_code == 403
    response = client.post(
        _en("learning:cohort_status", pk=learning.cohort.pk), {"status": "running"}
    )
    assert response.status_code == 403


def test_only_national_administrators_keep_the_training_rules(client, learning):
    client.force_login(learning.network.users["coordinator_pavlodar"])
    assert client.get(_en("learning:rules")).status_code == 200
    assert client.get(_en("learning:rule_new")).status_code == 403
    client.force_login(learning.network.users["admin"])
    response = client.post(
        _en("learning:rule_new"),
        {
            "name_en": "Houses of friendship every year",
            "kind": learning.network.pavlodar_house.kind.pk,
            "role": "",
            "courses": [learning.course.pk],
            "validity_months": "12",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule = learning.course.training_rules.get()
    assert (rule.validity_months, rule.role, rule.kind.code) == (12, "", "house_of_friendship")


# --- Query counts of the list pages ------------------------------------------------------------


def _grow(learning, count: int) -> None:
    """``count`` courses with a cohort each, ``count`` trainees on the fixture's cohort (with
    a certificate each, of another course), and ``count`` training rules."""
    Cohort.objects.filter(pk=learning.cohort.pk).update(capacity=300)
    for index in range(count):
        course = make_course(learning.academy, title_en=f"Course {index}", hours=(4,))
        make_cohort(course)
        term = make_term(learning.network.pavlodar_house, last_name=f"Оқушы{index}")
        enrol(learning.cohort, term)
        certificate_for(term.person, course, datetime.date(2025, 1, 10))
        make_rule("house_of_friendship", [course])


LISTS = [
    ("learning:home", {}),
    ("learning:courses", {}),
    ("learning:course", {"pk": "course"}),
    ("learning:cohort", {"pk": "cohort"}),
    ("learning:sessions", {"pk": "cohort"}),
    ("learning:results", {"pk": "cohort"}),
    ("learning:nominations", {}),
    ("learning:nominate", {"pk": "cohort"}),
    ("learning:rules", {}),
    ("learning:needs", {}),
    ("learning:overdue", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), LISTS)
def test_every_list_page_costs_the_same_queries_for_3_and_30_rows(
    client, learning, django_assert_max_num_queries, name, kwargs
):
    admin = learning.network.users["admin"]
    client.force_login(admin)
    kwargs = {
        key: (learning.course.pk if value == "course" else learning.cohort.pk)
        for key, value in kwargs.items()
    }
    url = _en(name, **kwargs)
    query = {"q": "Оқушы"} if name == "learning:nominate" else {}
    counts = []
    for count in (3, 30):
        _grow(learning, count - len(counts) * 3)
        Cohort.objects.filter(course__title_en__startswith="Course").update(status="enrolling")
        with django_assert_max_num_queries(25) as captured:
            assert client.get(url, query).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("name", ["learning_portal:courses", "learning_portal:course"])
def test_the_public_catalogue_costs_the_same_queries_for_3_and_30_courses(
    client, learning, django_assert_max_num_queries, name
):
    kwargs = {"pk": learning.course.pk} if name == "learning_portal:course" else {}
    counts = []
    for count in (3, 30):
        for index in range(count - len(counts) * 3):
            course = make_course(learning.academy, title_en=f"Course {count} {index}")
            make_cohort(course)
            start = datetime.date(2030, 1, 1 + index % 28)
            make_cohort(learning.course, starts_on=start, ends_on=start)
        with django_assert_max_num_queries(12) as captured:
            assert client.get(_en(name, **kwargs)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
