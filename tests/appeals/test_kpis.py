"""Appeals and proposals figures, checked against a small set of records counted by hand."""

from __future__ import annotations

import datetime
import json
import zoneinfo

import pytest
from freezegun import freeze_time

from birlik.appeals.models import Appeal, Proposal, StateBody
from birlik.appeals.services import appeal_redirect, appeal_take_on
from birlik.cli import main
from birlik.core import kpi

from ..factories import region
from .helpers import register

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
YEAR = kpi.Period.year(2025)
TODAY = "2026-01-10 12:00:00+05:00"  # the day "overdue" is judged on
D = datetime.date


def at(year, month, day, hour=11, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


@pytest.fixture
def records(network):
    """Eight appeals received in 2025 (and one on the last evening of 2024), five proposals sent
    (one in 2024) and a draft."""
    serial = iter(range(1, 100))

    def appeal(organisation, kind, received_at, due, **fields):
        n = next(serial)
        return Appeal.objects.create(
            number=f"T-{n}",
            organisation=organisation,
            kind=kind,
            text="Мәтін",
            received_at=received_at,
            counted_from=received_at.date(),
            due_date=due,
            **fields,
        )

    house, elders = network.pavlodar_house, network.pavlodar_elders
    # A1: answered the day before its term → on time.
    appeal(
        house,
        "complaint",
        at(2025, 3, 3),
        D(2025, 3, 24),
        status="answered",
        answered_at=at(2025, 3, 21, 16),
    )
    # A2: due 27 May, answered at 01:30 on 28 May in Almaty (still 27 May in UTC) → late.
    appeal(
        house,
        "request",
        at(2025, 5, 5),
        D(2025, 5, 27),
        status="answered",
        answered_at=at(2025, 5, 28, 1, 30),
    )
    # A3: extended to 31 July and answered on 15 July → on time.
    appeal(
        elders,
        "proposal",
        at(2025, 6, 2),
        D(2025, 6, 23),
        extended_until=D(2025, 7, 31),
        status="answered",
        answered_at=at(2025, 7, 15),
    )
    # A4: still being considered, due 22 October 2025 → overdue on 10 January 2026.
    appeal(network.almaty_house, "request", at(2025, 10, 1), D(2025, 10, 22), status="in_progress")
    # A5: extended, due 15 January 2026 → open but not overdue on 10 January.
    appeal(
        network.almaty_house,
        "statement",
        at(2025, 12, 1),
        D(2025, 12, 22),
        extended_until=D(2026, 1, 15),
        status="extended",
    )
    # A6: anonymous, to the secretariat → not considered.
    appeal(
        network.root,
        "statement",
        at(2025, 4, 1),
        D(2025, 4, 22),
        anonymous=True,
        status="not_considered",
    )
    # A7: redirected by the regional assembly.
    appeal(
        network.pavlodar,
        "complaint",
        at(2025, 8, 1),
        D(2025, 8, 22),
        status="redirected",
        redirected_to=StateBody.objects.get(code="akimat-kz-55"),
    )
    # A8: 23:30 on 31 December 2024 in Almaty (18:30 UTC) → a 2024 appeal, not counted.
    appeal(
        house,
        "request",
        at(2024, 12, 31, 23, 30),
        D(2025, 1, 24),
        status="answered",
        answered_at=at(2025, 1, 10),
    )
    # A9: 23:30 on 31 December 2025 in Almaty → a 2025 appeal, answered on time in January.
    appeal(
        house,
        "request",
        at(2025, 12, 31, 23, 30),
        D(2026, 1, 26),
        status="answered",
        answered_at=at(2026, 1, 5),
    )

    akimat = StateBody.objects.get(code="akimat-kz-55")
    almaty_akimat = StateBody.objects.get(code="akimat-kz-75")

    def proposal(organisation, state_body, sent_at, **fields):
        return Proposal.objects.create(
            organisation=organisation,
            state_body=state_body,
            title="Ұсыныс",
            text="Ұсыныс мәтіні",
            sent_at=sent_at,
            **fields,
        )

    proposal(
        elders,
        akimat,
        at(2025, 2, 3),
        status="answered",
        outcome="accepted",
        answered_at=D(2025, 2, 20),
    )
    proposal(
        elders,
        akimat,
        at(2025, 4, 1),
        status="answered",
        outcome="partly",
        answered_at=D(2025, 4, 18),
    )
    proposal(
        house,
        akimat,
        at(2025, 6, 2),
        status="answered",
        outcome="rejected",
        answered_at=D(2025, 6, 20),
    )
    proposal(network.almaty_house, almaty_akimat, at(2025, 9, 1), status="sent")
    proposal(network.almaty_house, almaty_akimat, None, status="draft")
    proposal(elders, akimat, at(2024, 12, 31, 23, 30), status="answered", outcome="accepted",
             answered_at=D(2025, 1, 15))  # fmt: skip
    return network


def rows(key, period=YEAR, region_=None):
    with freeze_time(TODAY):
        return {
            tuple(v for k, v in row.items() if k != "value"): row["value"]
            for row in kpi.compute(key, period, region_)
        }


def test_appeals_received_by_kind_region_and_kind_of_body(records):
    assert rows("appeals.received") == {
        ("complaint",): 2,  # A1, A7
        ("proposal",): 1,  # A3
        ("request",): 3,  # A2, A4, A9
        ("statement",): 2,  # A5, A6
    }
    assert rows("appeals.received_by_region") == {("KZ-55",): 5, ("KZ-75",): 2, ("none",): 1}
    assert rows("appeals.received_by_body") == {
        ("elders_council",): 1,
        ("house_of_friendship",): 5,
        ("regional_assembly",): 1,
        ("secretariat",): 1,
    }


def test_what_became_of_the_appeals(records):
    assert rows("appeals.answered_on_time") == {("elders_council",): 1, ("house_of_friendship",): 2}
    assert rows("appeals.answered_late") == {("house_of_friendship",): 1}
    assert rows("appeals.overdue") == {("house_of_friendship",): 1}
    assert rows("appeals.not_considered") == {("secretariat",): 1}
    assert rows("appeals.redirected") == {("regional_assembly",): 1}
    assert rows("appeals.redirected_late") == {}
    assert rows("appeals.answered_on_time_share") == {(): 75.0}  # 3 of 4 answered


def test_late_redirections_are_counted_by_the_period_received(records, network):
    house = network.users["staff_pavlodar_house"]
    akimat = StateBody.objects.get(code="akimat-kz-55")
    with freeze_time("2025-11-03 10:00:00+05:00"):  # Monday: redirect by Thursday 6 November
        in_time = register(network.pavlodar_house)
        late = register(network.pavlodar_elders)
    appeal_take_on(actor=house, appeal=in_time)
    appeal_take_on(actor=network.users["coordinator_pavlodar"], appeal=late)
    with freeze_time("2025-11-06 17:00:00+05:00"):
        appeal_redirect(actor=house, appeal=in_time, state_body=akimat, reason="Әкімдік.")
    with freeze_time("2025-11-07 09:00:00+05:00"):
        appeal_redirect(
            actor=network.users["coordinator_pavlodar"],
            appeal=late,
            state_body=akimat,
            reason="Әкімдік.",
        )
    assert rows("appeals.redirected_late") == {("elders_council",): 1}
    assert rows("appeals.redirected") == {
        ("regional_assembly",): 1,
        ("house_of_friendship",): 1,
        ("elders_council",): 1,
    }
    assert rows("appeals.redirected_late", period=kpi.Period.year(2026)) == {}


def test_an_open_appeal_becomes_overdue_the_day_after_its_extended_term(records):
    with freeze_time("2026-01-16 09:00:00+05:00"):
        overdue = kpi.compute("appeals.overdue", YEAR)
    assert overdue == [{"kind": "house_of_friendship", "value": 2}]  # A4 and A5


def test_proposals_sent_answered_and_taken_into_account(records):
    assert rows("appeals.proposals_sent") == {("elders_council",): 2, ("house_of_friendship",): 2}
    assert rows("appeals.proposals_answered") == {
        ("elders_council",): 2,
        ("house_of_friendship",): 1,
    }
    assert rows("appeals.proposals_taken") == {("elders_council",): 2}
    assert rows("appeals.proposals_sent_by_region") == {
        ("KZ-55", "elders_council"): 2,
        ("KZ-55", "house_of_friendship"): 1,
        ("KZ-75", "house_of_friendship"): 1,
    }
    assert rows("appeals.proposals_taken_by_region") == {("KZ-55", "elders_council"): 2}


def test_one_regions_figures_count_only_its_bodies(records):
    pavlodar = region("KZ-55")
    assert sum(rows("appeals.received", region_=pavlodar).values()) == 5
    assert rows("appeals.overdue", region_=pavlodar) == {}
    assert sum(rows("appeals.proposals_sent", region_=pavlodar).values()) == 3
    assert sum(rows("appeals.proposals_taken", region_=pavlodar).values()) == 2
    assert sum(rows("appeals.received", period=kpi.Period.year(2024)).values()) == 1  # A8


def test_no_answers_means_no_share_rather_than_a_division_by_zero(network):
    assert rows("appeals.answered_on_time_share") == {}


def test_figures_command_shows_appeals_and_proposals(records, capsys):
    with freeze_time(TODAY):
        assert main(["figures", "--json", "--year", "2025", "--lang", "en"]) == 0
    payload = json.loads(capsys.readouterr().out)
    totals = {item["key"]: item["total"] for item in payload["indicators"]}
    assert totals["appeals.received"] == 8
    assert totals["appeals.answered_on_time"] == 3
    assert totals["appeals.answered_late"] == 1
    assert totals["appeals.overdue"] == 1
    assert totals["appeals.not_considered"] == 1
    assert totals["appeals.redirected"] == 1
    assert totals["appeals.proposals_sent"] == 4
    assert totals["appeals.proposals_answered"] == 3
    assert totals["appeals.proposals_taken"] == 2
    received = next(i for i in payload["indicators"] if i["key"] == "appeals.received")
    assert {row["appeal_kind_name"] for row in received["rows"]} == {
        "complaint",
        "proposal",
        "request",
        "statement",
    }
