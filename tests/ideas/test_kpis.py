"""Indicators of answers and implementation: late answers count late, shares by region/call."""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

from birlik.core import kpi
from birlik.core.kpi import Period
from birlik.ideas import services
from birlik.ideas.models import Idea

from .factories import make_call, make_idea

pytestmark = pytest.mark.django_db
YEAR = Period.year(2026)


def _rows(key):
    return {
        tuple(v for k, v in row.items() if k != "value"): row["value"]
        for row in kpi.compute(key, YEAR)
    }


def _due(body, due, **extra):
    return make_idea(
        body, threshold_reached_on=due - datetime.timedelta(days=14), answer_due=due, **extra
    )


def _answer(actor, idea, body, decision="accepted"):
    services.idea_answer(
        actor=actor, idea=idea, body=body, text="Ресми жауаптың мәтіні.", decision=decision
    )


def test_an_answer_given_late_is_counted_late(network):
    actor = network.users["coordinator_pavlodar"]
    on_time = _due(network.pavlodar, datetime.date(2026, 4, 10))
    late = _due(network.pavlodar, datetime.date(2026, 4, 10))
    with freeze_time("2026-04-09 09:00"):
        _answer(actor, on_time, network.pavlodar)
    with freeze_time("2026-04-15 09:00"):
        _answer(actor, late, network.pavlodar)
    with freeze_time("2026-12-31 12:00"):
        assert _rows("ideas.answered_on_time_share") == {("KZ-55",): 50.0}
        assert _rows("ideas.answered_late") == {("KZ-55",): 1}
        assert _rows("ideas.answered") == {("KZ-55",): 2}


def test_an_unanswered_idea_past_its_date_counts_as_not_on_time(network):
    actor = network.users["coordinator_almaty"]
    answered = _due(network.almaty, datetime.date(2026, 5, 4))
    _due(network.almaty, datetime.date(2026, 5, 4))  # never answered
    _due(network.almaty, datetime.date(2026, 12, 20))  # not yet due on the day we look
    with freeze_time("2026-05-01 09:00"):
        _answer(actor, answered, network.almaty)
    with freeze_time("2026-06-01 12:00"):
        assert _rows("ideas.answered_on_time_share") == {("KZ-75",): 50.0}
        assert _rows("ideas.answers_overdue") == {("KZ-75",): 1}


def test_threshold_reached_and_implemented_share_by_region_and_call(network):
    call = make_call(network.pavlodar)
    done = _due(network.pavlodar, datetime.date(2026, 3, 2), call=call)
    planned = _due(network.pavlodar, datetime.date(2026, 3, 2), call=call)
    open_platform = _due(network.pavlodar, datetime.date(2026, 3, 2))
    actor = network.users["coordinator_pavlodar"]
    with freeze_time("2026-03-01 09:00"):
        for idea in (done, planned, open_platform):
            _answer(actor, idea, network.pavlodar)
        services.idea_follow_up(
            actor=actor, idea=done, progress=Idea.Progress.DONE, result="Өткізілді."
        )
    with freeze_time("2026-12-31 12:00"):
        assert _rows("ideas.over_threshold") == {("KZ-55",): 3}
        assert _rows("ideas.over_threshold_by_call") == {(str(call.pk),): 2, ("open",): 1}
        assert _rows("ideas.implemented_share") == {("KZ-55",): 33.3}
        assert _rows("ideas.implemented_share_by_call") == {(str(call.pk),): 50.0, ("open",): 0.0}
