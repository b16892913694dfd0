"""Progress against targets, rolled up district → region → nation, on a known data set."""

import pytest

from birlik.core import kpi
from birlik.reports import queries

from ..factories import kind, region
from .factories import PlanFactory, TargetFactory


@pytest.fixture
def plan(activity):
    plan = PlanFactory(year=2025)
    TargetFactory(plan=plan, indicator="events.events", region=region("KZ-55"), value=4)
    TargetFactory(plan=plan, indicator="events.events", region=region("KZ-75"), value=1)
    TargetFactory(plan=plan, indicator="events.participants", value=200)
    TargetFactory(
        plan=plan,
        indicator="events.participants",
        region=region("KZ-55"),
        kind=kind("elders_council"),
        value=50,
    )
    return plan


@pytest.mark.django_db
def test_national_progress_sums_the_regional_targets_and_gives_the_gap(plan):
    progress = {(e["key"], e["kind"]): e for e in queries.plan_progress(plan=plan)}
    events = progress[("events.events", None)]
    # Targets 4 + 1 = 5 nationally; actual 3 in Pavlodar and 1 in Almaty.
    assert (events["target"], events["actual"], events["gap"]) == (5, 4, -1)
    assert events["gap_pct"] == -20.0
    assert events["share"] == 80.0
    regions = {row["iso"]: row for row in events["regions"]}
    assert (regions["KZ-55"]["actual"], regions["KZ-55"]["gap"]) == (3, -1)
    assert (regions["KZ-75"]["actual"], regions["KZ-75"]["share"]) == (1, 100.0)
    participants = progress[("events.participants", None)]
    assert (participants["target"], participants["actual"]) == (200, 172)
    assert participants["gap_pct"] == -14.0


@pytest.mark.django_db
def test_a_target_for_one_kind_of_body_counts_that_kind_only(plan):
    progress = {(e["key"], e["kind"]): e for e in queries.plan_progress(plan=plan)}
    elders = progress[("events.participants", "elders_council")]
    assert elders["actual"] == 65
    assert [(row["iso"], row["actual"], row["target"]) for row in elders["regions"]] == [
        ("KZ-55", 65, 50)
    ]


@pytest.mark.django_db
def test_a_region_drills_down_to_its_districts_which_add_up_to_it(plan, activity):
    pavlodar = region("KZ-55")
    progress = {(e["key"], e["kind"]): e for e in queries.plan_progress(plan=plan, region=pavlodar)}
    events = progress[("events.events", None)]
    assert (events["target"], events["actual"]) == (4, 3)
    districts = {code: value for code, _name, value in events["districts"]}
    assert sum(districts.values()) == events["actual"]
    assert districts["none"] == 1  # the House of Friendship works for the whole region
    assert max(districts.values()) == 2
    assert events["actual"] == sum(
        row["value"] for row in kpi.compute("events.events", kpi.Period.year(2025), pavlodar)
    )


@pytest.mark.django_db
def test_a_region_without_a_target_shows_its_actual_without_a_gap(plan):
    progress = {
        (e["key"], e["kind"]): e for e in queries.plan_progress(plan=plan, region=region("KZ-75"))
    }
    participants = progress[("events.participants", None)]
    assert participants["target"] is None
    assert participants["actual"] == 7
    assert participants["gap"] is None
