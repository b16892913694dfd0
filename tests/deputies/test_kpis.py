"""Initiatives by stage: the figures count the initiatives submitted in a period by level and by
the stage each had reached on the period's last day (not the stage it has today), and those
adopted in the period."""

from __future__ import annotations

import datetime

from django.utils import translation
from freezegun import freeze_time

from birlik.core.kpi import REGISTRY, Period, autodiscover, compute, label_rows
from birlik.deputies.models import Stage

from .factories import make_initiative, through

D = datetime.date


def _rows(key: str, period: Period, region=None) -> set[tuple]:
    return {tuple(sorted(row.items())) for row in compute(key, period, region)}


def _row(level: str, stage: str, value: int) -> tuple:
    return tuple(
        sorted({"initiative_level": level, "initiative_stage": stage, "value": value}.items())
    )


@freeze_time("2026-06-15 12:00")
def test_initiatives_by_stage_count_the_stage_at_the_periods_end_not_todays(deputies):
    staff, group = deputies.group_staff, deputies.group
    pavlodar, coordinator = deputies.network.pavlodar, deputies.coordinator
    # Considered in 2025, adopted in 2026: "under consideration" at the end of 2025.
    make_initiative(
        actor=staff,
        organisation=group,
        drafted_on=D(2025, 2, 1),
        stages=through(D(2025, 2, 10), D(2025, 5, 5), D(2026, 2, 1), end=Stage.ADOPTED),
    )
    # Rejected within 2025.
    make_initiative(
        actor=staff,
        organisation=group,
        to="parliament-senate",
        drafted_on=D(2025, 3, 1),
        stages=through(D(2025, 3, 15), D(2025, 4, 1), D(2025, 11, 20), end=Stage.REJECTED),
    )
    # Submitted and considered on the last day of the year: the later row of the day counts.
    make_initiative(
        actor=staff,
        organisation=group,
        drafted_on=D(2025, 12, 20),
        stages=through(D(2025, 12, 31), D(2025, 12, 31)),
    )
    # Adopted within 2025, in Pavlodar's maslikhat.
    make_initiative(
        actor=coordinator,
        organisation=pavlodar,
        to="maslikhat-kz-55",
        drafted_on=D(2025, 6, 1),
        stages=through(D(2025, 6, 2), D(2025, 6, 20), D(2025, 9, 30), end=Stage.ADOPTED),
    )
    # Withdrawn after its submission in 2025.
    make_initiative(
        actor=coordinator,
        organisation=pavlodar,
        to="maslikhat-kz-55",
        drafted_on=D(2025, 7, 1),
        stages=[(Stage.SUBMITTED, D(2025, 7, 2)), (Stage.WITHDRAWN, D(2025, 8, 1))],
    )
    # Not counted in 2025: never submitted, withdrawn as a draft, submitted in 2024 or in 2026.
    make_initiative(actor=staff, organisation=group, drafted_on=D(2025, 4, 1))
    make_initiative(
        actor=staff,
        organisation=group,
        drafted_on=D(2025, 4, 2),
        stages=[(Stage.WITHDRAWN, D(2025, 4, 3))],
    )
    make_initiative(
        actor=staff,
        organisation=group,
        drafted_on=D(2024, 12, 1),
        stages=through(D(2024, 12, 20)),
    )
    make_initiative(
        actor=staff,
        organisation=group,
        drafted_on=D(2025, 12, 30),
        stages=through(D(2026, 1, 12)),
    )

    assert _rows("deputies.initiatives", Period.year(2025)) == {
        _row("parliament", "consideration", 2),
        _row("parliament", "rejected", 1),
        _row("maslikhat", "adopted", 1),
        _row("maslikhat", "withdrawn", 1),
    }
    # The first half of 2025: the same initiatives as they stood on 30 June.
    first_half = Period(D(2025, 1, 1), D(2025, 6, 30))
    assert _rows("deputies.initiatives", first_half) == {
        _row("parliament", "consideration", 2),
        _row("maslikhat", "consideration", 1),
    }
    # A region is the raising body's: Pavlodar's assembly, not the national group.
    assert _rows("deputies.initiatives", Period.year(2025), deputies.network.pavlodar.region) == {
        _row("maslikhat", "adopted", 1),
        _row("maslikhat", "withdrawn", 1),
    }
    # Adopted in the period, by the date of the adoption.
    assert compute("deputies.initiatives_adopted", Period.year(2025)) == [
        {"initiative_level": "maslikhat", "value": 1}
    ]
    assert compute("deputies.initiatives_adopted", Period.year(2026)) == [
        {"initiative_level": "parliament", "value": 1}
    ]
    # 2026 to date: submitted in January, still submitted.
    assert _rows("deputies.initiatives", Period.year(2026)) == {_row("parliament", "submitted", 1)}


def test_the_indicators_are_declared_with_their_dimension_labels():
    autodiscover()
    initiatives = REGISTRY.indicators["deputies.initiatives"]
    assert initiatives.dimensions == ("initiative_level", "initiative_stage")
    assert REGISTRY.indicators["deputies.initiatives_adopted"].dimensions == ("initiative_level",)
    with translation.override("en"):
        rows = label_rows(
            [{"initiative_level": "maslikhat", "initiative_stage": "consideration", "value": 1}],
            initiatives.dimensions,
        )
        assert rows[0]["initiative_level_name"] == "maslikhat"
        assert rows[0]["initiative_stage_name"] == "under consideration"
    with translation.override("kk"):
        assert str(initiatives.name)
