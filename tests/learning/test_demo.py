"""The demo's training: added once, consistent with the rules (prerequisites held, places
respected, certificates numbered without gaps per year, the audience's bodies), quick."""

from __future__ import annotations

import time

from birlik.access.models import Grant, User
from birlik.demo.learning import ACADEMY_LOGIN, demo_learning_seed
from birlik.learning import queries
from birlik.learning.models import Certificate, Cohort, Course, Enrolment, TrainingRule
from birlik.registry.models import Membership

from ..factories import OrganisationFactory, kind, region
from .factories import make_term


def _network(network):
    academy = OrganisationFactory(parent=network.root, kind=kind("apk_academy"))
    make_term(academy, role=Membership.Role.HEAD)
    for iso, assembly in (("KZ-55", network.pavlodar), ("KZ-75", network.almaty)):
        OrganisationFactory(parent=academy, kind=kind("university_department"), region=region(iso))
        house = network.pavlodar_house if iso == "KZ-55" else network.almaty_house
        for index in range(6):
            make_term(house, last_name=f"Қызметкер{iso}{index}")
        centre = OrganisationFactory(
            parent=assembly, kind=kind("mediation_centre"), region=region(iso)
        )
        for index in range(8):
            make_term(centre, role=Membership.Role.MEDIATOR, last_name=f"Медиатор{iso}{index}")
        for number in range(6):
            association = OrganisationFactory(
                parent=house, kind=kind("ethnocultural_association"), region=region(iso)
            )
            make_term(association, role=Membership.Role.CHAIR, last_name=f"Төраға{iso}{number}")
            for index in range(4):
                make_term(
                    association, role=Membership.Role.MEMBER, last_name=f"Мүше{number}{index}"
                )
    return academy


def test_the_demo_adds_courses_cohorts_trainees_and_certificates_once(network):
    academy = _network(network)
    started = time.monotonic()
    added = demo_learning_seed(scale=0.05, seed=7)
    assert time.monotonic() - started < 5
    assert added["courses"] == 8 == Course.objects.count()
    assert added["enrolments"] == Enrolment.objects.count() > 100
    assert Course.objects.filter(provider=academy).count() >= 5
    assert {c.title_kk and c.title_ru and c.title_en for c in Course.objects.all()} != {""}
    assert TrainingRule.objects.count() == 3
    assert Grant.objects.filter(user__username=ACADEMY_LOGIN, organisation=academy).exists()
    assert User.objects.get(username=ACADEMY_LOGIN).has_usable_password()

    # Certificates: one per completed enrolment, numbered 1..n in each year, a few revoked.
    completed = Enrolment.objects.filter(status="completed")
    assert completed.count() == Certificate.objects.count()
    for year in Certificate.objects.values_list("year", flat=True).distinct():
        numbers = sorted(
            int(n.rsplit("-", 1)[1])
            for n in Certificate.objects.filter(year=year).values_list("number", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1))
    assert 0 < Certificate.objects.filter(revoked_at__isnull=False).count() <= 6

    # Rules of the demo hold: places, prerequisites, one enrolment per person and cohort.
    for cohort in queries.with_places_taken(Cohort.objects.all()):
        assert cohort.taken <= cohort.capacity
    leadership = Course.objects.get(prerequisites__isnull=False)
    for enrolment in Enrolment.objects.filter(cohort__course=leadership).select_related("cohort"):
        assert Certificate.objects.filter(
            person=enrolment.person,
            course__in=leadership.prerequisites.all(),
            issued_on__lt=enrolment.cohort.starts_on,
        ).exists()
    statuses = set(Cohort.objects.values_list("status", flat=True))
    assert {"finished", "enrolling", "planned"} <= statuses
    day = Certificate.objects.latest("issued_on").issued_on
    coverage = queries.coverage_total(on=day)
    assert coverage.required > coverage.overdue > 0

    # A second run adds nothing.
    before = (Course.objects.count(), Enrolment.objects.count(), Certificate.objects.count())
    assert demo_learning_seed(scale=0.05, seed=7) == {}
    assert (
        Course.objects.count(),
        Enrolment.objects.count(),
        Certificate.objects.count(),
    ) == before


def test_without_an_academy_the_demo_adds_nothing(network):
    assert demo_learning_seed(scale=0.05, seed=7) == {}
    assert not Course.objects.exists()
