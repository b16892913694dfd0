"""The workspace pages: scope (another region's staff are told "not found"), the audited read
of an application, constant queries on the lists, and the figures."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from birlik.access.models import AuditEntry, Role
from birlik.core.kpi import Period, compute
from birlik.youth.models import Application, Cohort

from ..factories import (
    GrantFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    kind,
    region,
)
from .factories import make_application, make_cohort, make_project


def _almaty_staff(youth):
    user = UserFactory(username="almaty_youth")
    GrantFactory(user=user, role=Role.BODY_STAFF, organisation=youth.almaty_branch)
    return user


@pytest.mark.parametrize(
    "name", ["youth:project", "youth:cohort", "youth:ranking", "youth:sessions", "youth:graduation"]
)
def test_another_regions_staff_are_told_not_found(client, youth, name):
    client.force_login(_almaty_staff(youth))
    pk = youth.project.pk if name == "youth:project" else youth.cohort.pk
    assert client.get(reverse(name, kwargs={"pk": pk})).status_code == 404


def test_another_regions_staff_do_not_open_an_application(client, youth):
    application = make_application(youth.cohort)
    client.force_login(_almaty_staff(youth))
    response = client.get(reverse("youth:application", kwargs={"pk": application.pk}))
    assert response.status_code == 404


def test_opening_an_application_is_audited(client, youth):
    application = make_application(youth.cohort, phone="+77015550000")
    client.force_login(youth.manager)
    response = client.get(reverse("youth:application", kwargs={"pk": application.pk}))
    assert response.status_code == 200
    assert "+77015550000" in response.content.decode()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, object_id=str(application.pk)
    ).exists()


def test_a_juror_from_another_body_reads_the_cohort_they_judge(client, youth):
    outsider = _almaty_staff(youth)
    youth.cohort.jury.add(outsider)
    client.force_login(outsider)
    assert client.get(reverse("youth:jury", kwargs={"pk": youth.cohort.pk})).status_code == 200
    other = make_cohort(youth.project)
    assert client.get(reverse("youth:jury", kwargs={"pk": other.pk})).status_code == 404


def test_staff_who_are_not_jurors_may_not_score(client, youth):
    client.force_login(youth.manager)
    assert client.get(reverse("youth:jury", kwargs={"pk": youth.cohort.pk})).status_code == 403


def test_the_manager_creates_a_project_with_its_form_and_a_cohort(client, youth):
    client.force_login(youth.manager)
    from birlik.events.models import Programme

    programme = Programme.objects.get(code="zhana_tolqyn")
    response = client.post(
        reverse("youth:project_new"),
        {
            "organisation": youth.branch.pk,
            "programme": programme.pk,
            "title_kk": "Жаңа толқын — Павлодар",
            "min_age": 16,
            "max_age": 29,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    project = youth.branch.youth_projects.get(title_kk="Жаңа толқын — Павлодар")
    response = client.post(
        reverse("youth:question_new", kwargs={"pk": project.pk}),
        {"kind": "choice", "label_kk": "Тіл", "options_kk": "Қазақ\nОрыс", "required": "on"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("youth:criterion_new", kwargs={"pk": project.pk}),
        {"name_kk": "Уәж", "weight": 3, "max_score": 10},
    )
    assert response.status_code == 302
    today = timezone.localdate()
    response = client.post(
        reverse("youth:cohort_new", kwargs={"pk": project.pk}),
        {
            "name_kk": "2026 көктем",
            "applications_open_on": today.isoformat(),
            "applications_close_on": (today + datetime.timedelta(days=10)).isoformat(),
            "starts_on": (today + datetime.timedelta(days=20)).isoformat(),
            "ends_on": (today + datetime.timedelta(days=80)).isoformat(),
            "places": 20,
            "waiting_places": 5,
            "graduation_threshold": 75,
            "jury": [youth.jurors[0].pk],
        },
    )
    assert response.status_code == 302
    cohort = project.cohorts.get()
    assert list(cohort.jury.all()) == [youth.jurors[0]]
    response = client.post(
        reverse("youth:cohort_status", kwargs={"pk": cohort.pk}), {"status": "open"}
    )
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.OPEN


def test_a_wrong_cohort_form_is_shown_again_and_nothing_is_stored(client, youth):
    client.force_login(youth.manager)
    today = timezone.localdate()
    response = client.post(
        reverse("youth:cohort_new", kwargs={"pk": youth.project.pk}),
        {
            "name_kk": "Кері",
            "applications_open_on": today.isoformat(),
            "applications_close_on": (today - datetime.timedelta(days=1)).isoformat(),
            "starts_on": today.isoformat(),
            "ends_on": today.isoformat(),
            "places": 5,
            "waiting_places": 0,
            "graduation_threshold": 75,
        },
    )
    assert response.status_code == 200
    assert youth.project.cohorts.count() == 1


def test_the_cohort_page_costs_the_same_queries_for_3_and_30_applications(
    client, youth, django_assert_max_num_queries
):
    client.force_login(youth.manager)
    url = reverse("youth:cohort", kwargs={"pk": youth.cohort.pk})
    for _ in range(3):
        make_application(youth.cohort)
    client.get(url)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for _ in range(27):
        make_application(youth.cohort)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_the_ranking_and_sessions_cost_the_same_queries_for_3_and_30_rows(
    client, youth, django_assert_max_num_queries
):
    client.force_login(youth.manager)
    for _ in range(3):
        make_application(youth.cohort, status=Application.Status.SELECTED)
    Cohort.objects.filter(pk=youth.cohort.pk).update(status=Cohort.Status.RUNNING)
    urls = [
        reverse(n, kwargs={"pk": youth.cohort.pk})
        for n in ("youth:ranking", "youth:sessions", "youth:graduation")
    ]
    counts = []
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(20) as few:
            client.get(url)
        counts.append(len(few.captured_queries))
    for _ in range(27):
        make_application(youth.cohort, status=Application.Status.SELECTED)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url).status_code == 200


def test_the_public_lists_cost_the_same_queries(client, youth, django_assert_max_num_queries):
    url = reverse("youth_portal:projects")
    client.get(url)
    with django_assert_max_num_queries(6) as few:
        client.get(url)
    for _ in range(5):
        make_cohort(make_project(youth.branch))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_figures_count_activists_assemblies_and_applicants(youth):
    student = OrganisationFactory(
        parent=youth.branch, kind=kind("student_assembly"), region=region("KZ-55")
    )
    OrganisationFactory(
        parent=youth.almaty_branch, kind=kind("student_assembly"), region=region("KZ-75")
    )
    MembershipFactory(organisation=youth.branch, role="activist")
    MembershipFactory(organisation=student, role="activist")
    MembershipFactory(organisation=student, role="activist", end_date=datetime.date(2024, 6, 1))
    MembershipFactory(organisation=student, role="member")
    make_application(youth.cohort)
    make_application(youth.cohort, status=Application.Status.SELECTED, region=region("KZ-75"))
    period = Period.year(timezone.localdate().year)
    assert compute("youth.activists", period) == [{"region": "KZ-55", "value": 2}]
    assert {r["region"]: r["value"] for r in compute("youth.student_assemblies", period)} == {
        "KZ-55": 1,
        "KZ-75": 1,
    }
    applications = compute("youth.applications", period)
    assert {(r["programme"], r["region"], r["value"]) for r in applications} == {
        ("zhana_tolqyn", "KZ-55", 1),
        ("zhana_tolqyn", "KZ-75", 1),
    }
    with translation.override("en"):
        assert compute("youth.graduates", period) == []
