"""Mediation indicators on a small data set, computed in the database."""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

from birlik.core.kpi import Period, compute
from birlik.geo.models import Region
from birlik.mediation import services

P = services.PartyData


@pytest.fixture
def closed_cases(med):
    """Five cases received in 2026 at Almaty and one at Pavlodar, closed with known outcomes."""
    plan = [
        ("family", "agreement", 10),
        ("family", "partly", 20),
        ("labour", "no_agreement", 30),
        ("labour", "agreement", 4),
        ("neighbourhood", None, None),  # still open
    ]
    with freeze_time("2026-06-30 12:00:00+05:00"):
        for kind, outcome, days in plan:
            case = services.case_open(
                actor=med.head,
                centre=med.almaty_centre,
                kind=kind,
                source="walk_in",
                parties=[P(name="Ахметов Бауыржан"), P(name="Жанұзақова Айгүл")],
                consent=True,
                received_on=datetime.date(2026, 3, 1),
            )
            if outcome:
                services.case_close(
                    actor=med.head,
                    case=case,
                    outcome=outcome,
                    closed_on=datetime.date(2026, 3, 1) + datetime.timedelta(days=days),
                )
        services.case_open(
            actor=med.other_head,
            centre=med.pavlodar_centre,
            kind="interethnic",
            source="police",
            parties=[P(name="Ахметов Бауыржан"), P(name="Жанұзақова Айгүл")],
            consent=True,
            received_on=datetime.date(2026, 4, 1),
        )
    return med


def _rows(key, period, region=None):
    return {
        tuple(v for k, v in sorted(r.items()) if k != "value"): r["value"]
        for r in compute(key, period, region)
    }


@freeze_time("2026-11-25 12:00:00+05:00")
def test_cases_received_by_region_and_kind(closed_cases):
    rows = _rows(
        "mediation.received", Period(datetime.date(2026, 3, 1), datetime.date(2026, 4, 30))
    )
    assert rows == {
        ("family", "KZ-75"): 2,
        ("labour", "KZ-75"): 2,
        ("neighbourhood", "KZ-75"): 1,
        ("interethnic", "KZ-55"): 1,
    }


@freeze_time("2026-11-25 12:00:00+05:00")
def test_closed_by_outcome_share_settled_and_duration(closed_cases):
    period = Period.year(2026)
    closed = _rows("mediation.closed", period)
    assert closed == {
        ("agreement", "KZ-75"): 2,
        ("partly", "KZ-75"): 1,
        ("no_agreement", "KZ-75"): 1,
    }
    assert compute("mediation.settled_share", period) == [{"value": 75.0}]
    assert _rows("mediation.duration_by_kind", period) == {("family",): 15.0, ("labour",): 17.0}
    overall = compute("mediation.duration", period)
    assert len(overall) == 1 and 15.0 < overall[0]["value"] < 17.0
    per_centre = _rows("mediation.per_centre", period)
    assert per_centre == {
        (str(closed_cases.almaty_centre.pk),): 6,  # the fixture's own case counts too
        (str(closed_cases.pavlodar_centre.pk),): 1,
    }


@freeze_time("2026-11-25 12:00:00+05:00")
@freeze_time("2026-11-25 12:00:00+05:00")
def test_averages_by_kind_have_no_summed_total(closed_cases):
    from birlik.core.kpi import compute_all

    figures = {item["key"]: item for item in compute_all(Period.year(2026))}
    assert figures["mediation.duration_by_kind"]["total"] is None
    assert (
        figures["mediation.duration"]["total"] == figures["mediation.duration"]["rows"][0]["value"]
    )
    assert figures["mediation.settled_share"]["total"] == 75.0


@freeze_time("2026-11-25 12:00:00+05:00")
def test_a_region_filter_keeps_only_its_centres(closed_cases):
    pavlodar = Region.objects.get(iso="KZ-55")
    assert _rows("mediation.received", Period.year(2026), pavlodar) == {("interethnic", "KZ-55"): 1}
    assert compute("mediation.settled_share", Period.year(2026), pavlodar) == []


@freeze_time("2026-11-25 12:00:00+05:00")
def test_the_figures_are_labelled_and_cost_the_same_for_more_cases(
    closed_cases, django_assert_max_num_queries
):
    from birlik.core.kpi import indicators, label_rows

    mine = [i for i in indicators() if i.key.startswith("mediation.")]
    assert len(mine) == 7

    def figures():
        return {i.key: label_rows(i.compute(Period.year(2026), None), i.dimensions) for i in mine}

    with django_assert_max_num_queries(11) as first:  # one per indicator, and the labels
        result = figures()
    names = {row["mediation_outcome_name"] for row in result["mediation.closed"]}
    assert "agreement reached" in names
    assert {row["dispute_kind_name"] for row in result["mediation.duration_by_kind"]} == {
        "family dispute",
        "labour dispute",
    }
    with freeze_time("2026-06-30 12:00:00+05:00"):
        for _ in range(5):
            services.case_open(
                actor=closed_cases.head,
                centre=closed_cases.almaty_centre,
                kind="other",
                source="walk_in",
                parties=[P(name="Ахметов Бауыржан"), P(name="Жанұзақова Айгүл")],
                consent=True,
            )
    with django_assert_max_num_queries(len(first.captured_queries)):
        figures()
