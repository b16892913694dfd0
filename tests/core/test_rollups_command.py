"""``birlik rollups``: --rebuild builds every rollup from the records with a progress line per
table, --check exits 1 when a rollup differs from its recount; the nightly job heals it."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from birlik.appeals.models import Appeal, AppealMonthFigure
from birlik.core import kpi
from birlik.events.models import EventFigure, ParticipantYear, Registration
from birlik.reports import tasks

from ..events.factories import EventFactory

AT = datetime.datetime(2025, 6, 10, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def recorded(network):
    event = EventFactory(
        organiser=network.pavlodar_house,
        region=network.pavlodar_house.region,
        starts_at=AT,
        ends_at=AT + datetime.timedelta(hours=2),
        status="held",
        participants_total=2,
    )
    for n in range(2):
        Registration.objects.create(
            event=event,
            full_name=f"Person {n}",
            participant_key=f"key-{n}",
            status="confirmed",
            source="online",
            consent_given_at=AT,
            checked_in_at=AT,
        )
    Appeal.objects.create(
        number="T-1",
        organisation=network.pavlodar_house,
        kind="request",
        text="Мәтін",
        received_at=AT,
        counted_from=AT.date(),
        due_date=AT.date() + datetime.timedelta(days=20),
    )
    return network


def test_rebuild_prints_a_line_per_rollup_and_the_check_then_passes(recorded, capsys):
    call_command("rollups", "--rebuild")
    out = capsys.readouterr().out
    for label in ("EventFigure: 1 rows", "ParticipantYear (country): 2 rows", "AppealMonthFigure"):
        assert label in out
    call_command("rollups", "--check")
    assert "every rollup is in step with the records" in capsys.readouterr().out
    assert kpi.compute("events.participants_unique", kpi.Period.year(2025)) == [{"value": 2}]


def test_check_exits_1_and_names_the_rollup_that_differs(recorded, capsys):
    call_command("rollups", "--rebuild")
    ParticipantYear.objects.filter(participant_key="key-1").delete()
    with pytest.raises(CommandError) as error:
        call_command("rollups", "--check")
    assert "rows of the rollups differ from the records" in str(error.value)
    out = capsys.readouterr().out
    assert "ParticipantYear (regions): 1 rows differ" in out
    assert "ParticipantYear (country): 1 rows differ" in out
    assert "EventFigure: ok" in out


def test_the_nightly_job_rebuilds_rollups_that_differ_or_were_never_built(recorded):
    assert not EventFigure.objects.exists()
    tasks.event_figures_rebuild.call()
    assert EventFigure.objects.exists()
    assert AppealMonthFigure.objects.get().appeals == 1
    AppealMonthFigure.objects.update(appeals=5)
    assert tasks.event_figures_rebuild.call() == 2
    assert AppealMonthFigure.objects.get().appeals == 1
    assert tasks.event_figures_rebuild.call() == 0
