"""The appeals' rollup (``AppealMonthFigure``): every appeals indicator read from it equals the
count of the appeals, once rebuilt and after each service that moves an appeal (registration,
assignment, answer on time or late, extension, redirection, closing)."""

from __future__ import annotations

import datetime

from freezegun import freeze_time

from birlik.appeals import rollups
from birlik.appeals.models import Appeal, AppealMonthFigure, StateBody
from birlik.appeals.services import (
    appeal_approve_answer,
    appeal_assign,
    appeal_close,
    appeal_draft_answer,
    appeal_extend,
    appeal_redirect,
    appeal_take_on,
)
from birlik.core import kpi

from ..factories import region
from .test_kpis import ALMATY, TODAY, records  # noqa: F401 - the hand-counted appeals
from .test_services import register, staff  # noqa: F401 - appeals through the service

PERIODS = [
    kpi.Period.year(2025),
    kpi.Period(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)),
    kpi.Period(datetime.date(2025, 3, 15), datetime.date(2025, 8, 10)),  # cut months
    kpi.Period(datetime.date(2024, 1, 1), datetime.date(2026, 12, 31)),
]


def _figures(regions=(None,)):
    keys = [item.key for item in kpi.indicators() if item.key.startswith("appeals.")]
    return {
        (key, period, getattr(where, "iso", None)): sorted(
            map(repr, kpi.compute(key, period, where))
        )
        for key in keys
        for period in PERIODS
        for where in regions
    }


def _from_records(monkeypatch, regions=(None,)):
    with monkeypatch.context() as patch:
        patch.setattr(rollups, "rollup_built", lambda: False)
        return _figures(regions)


@freeze_time(TODAY)
def test_every_appeals_indicator_from_the_rollup_equals_the_count_of_the_appeals(
    records,  # noqa: F811
    monkeypatch,
):
    regions = (None, region("KZ-55"), region("KZ-75"))
    counted = _from_records(monkeypatch, regions)
    assert rollups.appeal_figures_rebuild() > 0
    assert _figures(regions) == counted
    assert sum(AppealMonthFigure.objects.values_list("appeals", flat=True)) == (
        Appeal.objects.count()
    )


def test_the_rollup_follows_every_service_that_moves_an_appeal(
    staff,  # noqa: F811
    network,
    monkeypatch,
):
    rollups.appeal_figures_rebuild()
    house, colleague = staff["staff_pavlodar_house"], staff["staff_pavlodar_house_2"]

    def in_step():
        assert [part.differences() for part in rollups.appeal_rollup_parts()] == [0]
        assert _figures() == _from_records(monkeypatch)

    with freeze_time("2025-03-03 10:00:00+05:00"):
        answered = register(network.pavlodar_house)
        late = register(network.pavlodar_house, kind=Appeal.Kind.COMPLAINT)
        extended = register(network.pavlodar_house, kind=Appeal.Kind.PROPOSAL)
        redirected = register(network.pavlodar)
        closed = register(network.almaty_house)
        anonymous = register(network.root, applicant_name="")
    assert anonymous.status == Appeal.Status.NOT_CONSIDERED
    in_step()
    with freeze_time("2025-03-05 10:00:00+05:00"):
        for appeal in (answered, late, extended):
            appeal_take_on(actor=house, appeal=appeal)
        appeal_assign(actor=house, appeal=answered, executor=colleague)
        appeal_draft_answer(actor=house, appeal=answered, text="Жауап: жол мамырда жөнделеді.")
        appeal_take_on(actor=colleague, appeal=answered)
        appeal_approve_answer(actor=colleague, appeal=answered)  # on time
        appeal_take_on(actor=staff["coordinator_pavlodar"], appeal=redirected)
        appeal_redirect(
            actor=staff["coordinator_pavlodar"],
            appeal=redirected,
            state_body=StateBody.objects.get(code="akimat-kz-55"),
            reason="Жол салу әкімдіктің құзыретінде.",
        )
    in_step()
    with freeze_time("2025-03-10 10:00:00+05:00"):
        appeal_extend(
            actor=house,
            appeal=extended,
            until=datetime.date(2025, 4, 30),
            reason="Сараптама қажет.",
        )
        appeal_take_on(actor=staff["admin"], appeal=closed)
        appeal_close(actor=staff["admin"], appeal=closed, reason="Өтініш иесі бас тартты.")
    with freeze_time("2025-04-20 10:00:00+05:00"):
        appeal_draft_answer(actor=house, appeal=late, text="Жауап: жол мамырда жөнделеді.")
        appeal_take_on(actor=colleague, appeal=late)
        appeal_approve_answer(actor=colleague, appeal=late)  # after its term: late
    in_step()
    on_time = kpi.compute("appeals.answered_on_time", kpi.Period.year(2025))
    answered_late = kpi.compute("appeals.answered_late", kpi.Period.year(2025))
    assert sum(row["value"] for row in on_time) == 1
    assert sum(row["value"] for row in answered_late) == 1


def test_the_check_finds_a_rollup_row_changed_outside_the_services(records):  # noqa: F811
    rollups.appeal_figures_rebuild()
    (part,) = rollups.appeal_rollup_parts()
    assert part.differences() == 0
    row = AppealMonthFigure.objects.order_by("pk").first()
    AppealMonthFigure.objects.filter(pk=row.pk).update(appeals=row.appeals + 1)
    assert part.differences() == 2  # the stored row is not in the recount, nor its recount in it
