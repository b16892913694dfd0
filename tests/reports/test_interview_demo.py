"""The demo at a small scale gives every figure of the interview; its «Мың бала» decade is the
events of its first full year and the yearly totals imported for the nine years before."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from birlik.access.models import AuditEntry, Role
from birlik.cli import main
from birlik.core import kpi
from birlik.demo.history import demo_history_seed, shares
from birlik.demo.services import demo_seed
from birlik.events.kpis import decade, programme_years
from birlik.events.models import HistoricalFigure, Programme
from birlik.reports.interview import figure_codes

SCALE = 0.05
SEED = 2025
LAST_YEAR = timezone.localdate().year - 1


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ),
        transaction.atomic(),
    ):
        assert demo_seed(scale=SCALE, seed=SEED) is True
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo_module, db) -> None:
    return None


def test_the_decade_of_myn_bala_comes_to_its_share_of_130_000_with_no_year_missing(seeded):
    period = kpi.Period.year(LAST_YEAR)
    rows = kpi.compute("events.myn_bala_decade", period)
    assert sum(row["value"] for row in rows) == round(130_000 * SCALE)
    assert len(rows) > 5 and all(row["region"] != "none" for row in rows)
    assert kpi.missing("events.myn_bala_decade", period) == ""
    years: dict[int, int] = {}
    for (year, _region), value in programme_years(decade(period), None, "myn_bala").items():
        years[year] = years.get(year, 0) + value
    assert list(years) == list(range(LAST_YEAR - 9, LAST_YEAR + 1))
    # The imported years grow, as the movement did.
    imported = [years[year] for year in range(LAST_YEAR - 9, LAST_YEAR)]
    assert imported == sorted(imported)
    assert Programme.objects.get(code="myn_bala").first_year == LAST_YEAR - 9


def test_the_totals_are_the_rows_a_spreadsheet_import_makes(seeded):
    figures = HistoricalFigure.objects.select_related("imported_by", "organisation")
    assert {figure.year for figure in figures} == set(range(LAST_YEAR - 9, LAST_YEAR))
    assert {figure.programme.code for figure in figures.select_related("programme")} == {"myn_bala"}
    first = figures.first()
    assert first.source == f"«Мың бала» — жылдық қорытындылар {LAST_YEAR - 9}–{LAST_YEAR - 1}.xlsx"
    assert first.imported_by.grants.filter(role=Role.NATIONAL_ADMIN).exists()
    assert all(figure.organisation.region_id for figure in figures)
    assert all(figure.participants >= 18 * figure.events_count for figure in figures)
    # Spread over the bodies running the programme, each from the year it joined.
    first_year = figures.filter(year=LAST_YEAR - 9).count()
    assert 1 < first_year < figures.filter(year=LAST_YEAR - 1).count()
    audited = AuditEntry.objects.filter(
        object_type="events.HistoricalFigure", action=AuditEntry.Action.CREATE
    )
    assert audited.count() == figures.count()


def test_the_history_is_added_once(seeded):
    count = HistoricalFigure.objects.count()
    assert demo_history_seed(scale=SCALE, seed=SEED) == {}
    assert HistoricalFigure.objects.count() == count


def test_figures_of_the_demo_give_every_figure_of_the_interview(seeded, capsys):
    assert main(["figures", "--json", "--year", str(LAST_YEAR), "--lang", "en"]) == 0
    payload = json.loads(capsys.readouterr().out)
    figures = {figure["code"]: figure for figure in payload["interview"]}
    assert list(figures) == figure_codes()
    assert all(figure["value"] is not None for figure in figures.values())
    # The demo's concerts are performances; its festivals and media trainings are counted.
    for code in ("performances", "festivals", "media_trainings", "elders_events", "mediators"):
        assert figures[code]["value"] > 0, code


@pytest.mark.parametrize(
    ("total", "weights", "parts"),
    [
        (10, [1, 1, 1], [4, 3, 3]),
        (7, [1, 2], [2, 5]),
        (0, [1, 2], [0, 0]),
        (5, [], []),
    ],
)
def test_shares_split_a_total_in_whole_numbers(total, weights, parts):
    assert shares(total, weights) == parts
    assert sum(shares(total, weights)) == (total if weights else 0)
