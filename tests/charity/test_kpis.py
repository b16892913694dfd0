"""Charity indicators on a small set, computed in the database."""

from __future__ import annotations

import datetime

from django.utils import translation

from birlik.charity import services
from birlik.charity.models import Kind
from birlik.core import kpi
from birlik.core.kpi import Period

from ..factories import region
from .factories import bring_to_helping, give, make_project, make_request

YEAR = Period.year(2026)


def _value(key, period=YEAR, region_=None, **dims):
    rows = kpi.compute(key, period, region_)
    return sum(r["value"] for r in rows if all(r.get(k) == v for k, v in dims.items()))


def test_charity_indicators_count_what_was_raised_and_handed_out(charity):
    make_project(charity.other_centre, category="elderly", budget=300_000)
    bring_to_helping(charity)
    give(charity, 100_000)
    services.donation_record(
        actor=charity.worker, project=charity.project, kind=Kind.IN_KIND,
        item="Көмір", quantity=4, value=40_000, donor_name="Шахта",
    )  # fmt: skip
    services.distribution_record(
        actor=charity.worker, help_request=charity.request, kind=Kind.MONEY, amount=30_000,
        signed=True,
    )  # fmt: skip
    services.distribution_record(
        actor=charity.worker, help_request=charity.request, kind=Kind.IN_KIND, item="Көмір",
        quantity=1, signed=True,
    )  # fmt: skip
    cancelled = give(charity, 5_000)
    services.donation_cancel(actor=charity.worker, donation=cancelled, reason="жазу қатесі")
    make_request(charity.centre, charity.worker)

    assert _value("charity.projects", region="KZ-55") == 1
    assert _value("charity.projects", region="KZ-75") == 1
    assert _value("charity.projects_by_category", charity_category="elderly") == 1
    assert _value("charity.project_budgets") == 1_300_000
    assert _value("charity.money_raised") == 100_000
    assert _value("charity.in_kind_raised") == 40_000
    assert _value("charity.money_distributed") == 30_000
    assert _value("charity.in_kind_distributed") == 10_000
    assert kpi.compute("charity.beneficiaries", YEAR) == [
        {"region": "KZ-55", "charity_category": "children", "value": 1}
    ]
    assert _value("charity.requests_received") == 2
    assert _value("charity.requests_delivered") == 0
    assert _value("charity.money_raised", region_=region("KZ-75")) == 0
    assert _value("charity.money_raised", period=Period.year(2025)) == 0


def test_category_labels_are_given_in_the_active_language():
    with translation.override("en"):
        assert kpi.REGISTRY.labels["charity_category"]()["rural_school"] == "rural school"
    with translation.override("kk"):
        assert kpi.REGISTRY.labels["charity_category"]()["rural_school"] == "ауыл мектебі"


def test_a_past_project_is_counted_in_its_year(charity):
    make_project(
        charity.centre, starts_on=datetime.date(2025, 3, 1), ends_on=datetime.date(2025, 6, 1)
    )
    assert _value("charity.projects", period=Period.year(2025)) == 1
