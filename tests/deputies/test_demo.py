"""The demo's initiatives: a year of 2025 (Parliament and regional maslikhats) and some this
year, across every stage, a third adopted with an act, linked to proposals and appeals of their
region, the login of the group's staff; added once."""

from __future__ import annotations

import datetime
import time

from django.test import override_settings
from freezegun import freeze_time

from birlik.access.models import Grant, Role
from birlik.appeals.models import Appeal
from birlik.core.kpi import Period, compute
from birlik.demo import deputies as demo
from birlik.deputies.models import Initiative, InitiativeLink, Level, Stage

from .factories import make_appeal, make_proposal

D = datetime.date


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
def test_the_demo_adds_a_year_of_initiatives_across_every_stage_once(deputies):
    network = deputies.network
    with freeze_time("2025-03-01 09:00"):
        proposals = [
            make_proposal(
                body,
                drafter=network.users[drafter],
                approver=network.users[approver],
            )
            for body, drafter, approver in (
                (network.pavlodar_house, "staff_pavlodar_house", "coordinator_pavlodar"),
                (network.almaty, "coordinator_almaty", "admin"),
            )
        ]
        appeals = [make_appeal(network.pavlodar_house), make_appeal(network.almaty_house)]
        Appeal.objects.filter(pk__in=[a.pk for a in appeals]).update(status="answered")
    with freeze_time("2026-06-15 09:00"):
        started = time.monotonic()
        added = demo.demo_deputies_seed(scale=0.05, seed=7)
        elapsed = time.monotonic() - started
        assert demo.demo_deputies_seed(scale=0.05, seed=7) == {}
        year_2025 = compute("deputies.initiatives", Period.year(2025))
        adopted_2025 = compute("deputies.initiatives_adopted", Period.year(2025))
    assert elapsed < 30
    assert added["deputy_initiatives"] == Initiative.objects.count() == 52
    drafted_2025 = Initiative.objects.filter(year=2025)
    assert drafted_2025.count() == 40
    assert drafted_2025.filter(level=Level.PARLIAMENT, organisation=deputies.group).count() == 25
    maslikhat = drafted_2025.filter(level=Level.MASLIKHAT)
    assert maslikhat.count() == 15
    assert set(maslikhat.values_list("organisation__kind__code", flat=True)) <= {
        "regional_assembly",
        "city_assembly",
    }
    assert set(Initiative.objects.values_list("stage", flat=True)) == set(Stage.values)
    adopted = drafted_2025.filter(stage=Stage.ADOPTED)
    assert adopted.count() == 14 and not adopted.filter(act_kind="").exists()
    assert not Initiative.objects.exclude(stage=Stage.ADOPTED).exclude(act_kind="").exists()
    # Numbers follow the dates drafted, as the staff's would.
    numbered = list(drafted_2025.order_by("number").values_list("drafted_on", flat=True))
    assert numbered == sorted(numbered)
    # Every date is on or before today, each stage on or after the previous one.
    for item in Initiative.objects.prefetch_related("stages"):
        days = [row.on for row in item.stages.all()]
        assert days == sorted(days) and days[-1] <= D(2026, 6, 15)
        assert item.authors.exists()
    # Links to the sources of the region (the group's: the whole country), never another's.
    assert InitiativeLink.objects.exists()
    for link in InitiativeLink.objects.select_related(
        "initiative__organisation", "proposal__organisation", "appeal__organisation"
    ):
        body = link.initiative.organisation
        source = link.proposal or link.appeal
        if body.pk != deputies.group.pk:
            assert source.organisation.path.startswith(body.path)
    assert {p.pk for p in proposals} & set(
        InitiativeLink.objects.values_list("proposal", flat=True)
    )
    # The figures of 2025 have both levels and several stages.
    assert {row["initiative_level"] for row in year_2025} == {"parliament", "maslikhat"}
    assert len({row["initiative_stage"] for row in year_2025}) >= 4
    assert sum(row["value"] for row in year_2025) >= 30
    assert sum(row["value"] for row in adopted_2025) >= 1
    # The group's login: staff of the group.
    assert Grant.objects.filter(
        user__username=demo.LOGIN, role=Role.BODY_STAFF, organisation=deputies.group
    ).exists()
    assert (demo.LOGIN, demo.LOGINS[0][1]) in demo.LOGINS
