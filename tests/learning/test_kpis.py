"""The figures of training: trainees once per person by the sending body's region and kind,
certificates issued (revoked ones too), hours, cohorts finished."""

from __future__ import annotations

import datetime

from birlik.core.kpi import Period, compute
from birlik.learning.models import Cohort

from ..factories import region
from .factories import certificate_for, make_course, make_term

YEAR = Period.year(2025)


def test_a_trainee_counts_once_by_the_region_and_kind_of_the_body_that_sent_them(learning):
    person = learning.house_term.person
    certificate_for(person, learning.course, datetime.date(2025, 3, 1))
    certificate_for(person, make_course(learning.academy), datetime.date(2025, 9, 1))
    almaty = learning.almaty_term.person
    certificate_for(almaty, learning.course, datetime.date(2025, 4, 1), revoked=True)
    certificate_for(almaty, learning.course, datetime.date(2024, 12, 31))  # another year

    trainees = compute("learning.trainees", YEAR)

    assert trainees == [
        {"region": "KZ-55", "kind": "house_of_friendship", "value": 1},
        {"region": "KZ-75", "kind": "house_of_friendship", "value": 1},
    ]
    certificates = {r["region"]: r["value"] for r in compute("learning.certificates", YEAR)}
    assert certificates == {"KZ-55": 2, "KZ-75": 1}  # the revoked one was issued
    hours = {r["region"]: r["value"] for r in compute("learning.training_hours", YEAR)}
    assert hours == {"KZ-55": 48, "KZ-75": 24}
    by_course = compute("learning.trainees_by_course", YEAR)
    assert sum(r["value"] for r in by_course) == 3
    pavlodar = compute("learning.trainees", YEAR, region("KZ-55"))
    assert [r["value"] for r in pavlodar] == [1]


def test_finished_cohorts_count_by_the_kind_of_provider(learning):
    certificate_for(
        make_term(learning.network.pavlodar_house).person,
        learning.course,
        datetime.date(2025, 6, 1),
    )
    Cohort.objects.create(
        course=learning.course,
        starts_on=datetime.date(2025, 5, 1),
        ends_on=datetime.date(2025, 5, 3),
        online=True,
        capacity=5,
        status=Cohort.Status.CANCELLED,
    )
    assert compute("learning.cohorts", YEAR) == [{"kind": "apk_academy", "value": 1}]
