"""The demo's youth projects: added once, consistent with the rules, quick at a small scale."""

from __future__ import annotations

import time

from django.db.models import Q
from django.utils import timezone

from birlik.demo.youth import demo_youth_seed
from birlik.registry.models import Membership
from birlik.youth import queries
from birlik.youth.models import Application, Cohort, YouthProject

from ..factories import OrganisationFactory, kind, region


def test_the_demo_adds_projects_cohorts_graduates_and_activists_once(network):
    movement = OrganisationFactory(parent=network.root, kind=kind("youth_movement"))
    for iso in ("KZ-55", "KZ-75"):
        branch = OrganisationFactory(parent=movement, kind=kind("youth_branch"), region=region(iso))
        OrganisationFactory(parent=branch, kind=kind("student_assembly"), region=region(iso))
    started = time.monotonic()
    added = demo_youth_seed(scale=0.02, seed=7)
    assert time.monotonic() - started < 5
    assert added["projects"] >= 3  # two national projects and «Жаңа толқын» in the branches
    assert set(YouthProject.objects.values_list("programme__code", flat=True)) == {
        "zhana_tolqyn",
        "leaders_school",
        "jastar_generation",
    }
    # The next intake of the two national projects takes applications today.
    assert Cohort.objects.filter(status=Cohort.Status.OPEN).count() == 2
    assert queries.open_cohorts(on=timezone.localdate()).count() == 2
    for cohort in Cohort.objects.exclude(status=Cohort.Status.OPEN):
        selected = Application.objects.filter(
            cohort=cohort, status__in=("selected", "graduated")
        ).count()
        assert selected == cohort.places
        ranked = [row.application.pk for row in queries.ranking(cohort)][: cohort.places]
        assert set(ranked) == set(
            Application.objects.filter(
                cohort=cohort, status__in=("selected", "graduated")
            ).values_list("pk", flat=True)
        )
    graduates = Application.objects.filter(status="graduated")
    assert graduates.exists()
    assert all(
        Membership.objects.filter(person=a.person, role="activist").exists() for a in graduates
    )
    activists = (
        Membership.objects.filter(Q(end_date__isnull=True), role="activist")
        .values("person")
        .distinct()
        .count()
    )
    assert activists >= 200
    assert demo_youth_seed(scale=0.02, seed=7) == {}
