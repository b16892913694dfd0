"""Figures computed from the records: the KPI registry, `birlik figures`, the snapshot job."""

import datetime
import json

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from birlik.cli import main
from birlik.core import kpi
from birlik.core.models import FigureSnapshot
from birlik.registry.models import Membership

from ..factories import MembershipFactory, OrganisationFactory, PersonFactory, kind, region


def rows(key, year=2026, region_obj=None):
    return {
        tuple(v for k, v in row.items() if k != "value"): row["value"]
        for row in kpi.compute(key, kpi.Period.year(year), region_obj)
    }


@freeze_time("2026-06-30")
def test_bodies_are_counted_by_kind_at_the_end_of_the_period(network):
    OrganisationFactory(
        parent=network.pavlodar,
        kind=kind("elders_council"),
        region=region("KZ-55"),
        founded_on=datetime.date(2026, 3, 1),
    )
    counts = rows("registry.bodies")
    assert counts[("elders_council",)] == 2
    assert counts[("house_of_friendship",)] == 2
    assert rows("registry.bodies", 2025)[("elders_council",)] == 1  # not yet founded in 2025


@freeze_time("2026-06-30")
def test_closed_bodies_leave_the_count(network):
    network.pavlodar_house.status = "closed"
    network.pavlodar_house.closed_on = datetime.date(2026, 2, 1)
    network.pavlodar_house.save()
    assert rows("registry.bodies")[("house_of_friendship",)] == 1
    assert rows("registry.bodies", 2025)[("house_of_friendship",)] == 2


@freeze_time("2026-06-30")
def test_members_count_people_once_per_kind_and_only_active_terms(network):
    person = network.pavlodar_person
    MembershipFactory(
        person=person,
        organisation=network.pavlodar_elders,
        role="chair",
        start_date=datetime.date(2025, 1, 1),
    )
    MembershipFactory(
        organisation=network.pavlodar_elders,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2025, 12, 31),
    )
    counts = rows("registry.members")
    assert counts[("elders_council",)] == 1
    assert rows("registry.members", 2025)[("elders_council",)] == 2


@freeze_time("2026-06-30")
def test_region_filter_and_breakdown(network):
    by_region = rows("registry.bodies_by_region")
    assert by_region[("KZ-55", "house_of_friendship")] == 1
    assert by_region[("KZ-75", "house_of_friendship")] == 1
    only = rows("registry.bodies", region_obj=region("KZ-75"))
    assert only == {("city_assembly",): 1, ("house_of_friendship",): 1}


@freeze_time("2026-06-30")
def test_figures_command_prints_json_with_labels(network, capsys):
    assert main(["figures", "--json", "--year", "2026", "--lang", "ru"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["year"] == 2026
    bodies = next(i for i in payload["indicators"] if i["key"] == "registry.bodies")
    houses = next(r for r in bodies["rows"] if r["kind"] == "house_of_friendship")
    assert houses == {"kind": "house_of_friendship", "kind_name": "Дома дружбы", "value": 2}
    assert bodies["total"] == 6


@freeze_time("2026-06-30")
def test_figures_command_for_one_region_as_text(network, capsys):
    assert main(["figures", "--region", "kz-55", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "KZ-55" in out
    assert "Houses of Friendship" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["figures", "--region", "KZ-99"], "Unknown region"),
        (["figures", "--year", "1850"], "--year must be between"),
    ],
)
def test_figures_command_refuses_bad_arguments_clearly(db, capsys, argv, message):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_figures_command_refuses_a_non_numeric_year(db, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["figures", "--year", "soon"])
    assert exit_info.value.code == 2
    assert "invalid int value" in capsys.readouterr().err


# Transactional: the worker closes a connection left inside a transaction (PostgreSQL).
@pytest.mark.django_db(transaction=True)
@freeze_time("2026-06-30")
def test_snapshot_job_runs_through_the_database_queue(
    network, settings, django_capture_on_commit_callbacks
):
    from birlik.core.tasks import figures_snapshot

    # The embedded default's queue, also when REDIS_URL picks RQ (second stage of .ci/run).
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    with django_capture_on_commit_callbacks(execute=True):
        result = figures_snapshot.enqueue(2026, "KZ-55")
    assert result.status == "READY"
    assert not FigureSnapshot.objects.exists()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    snapshot = FigureSnapshot.objects.get()
    assert snapshot.region_iso == "KZ-55"
    bodies = next(i for i in snapshot.data["kk"] if i["key"] == "registry.bodies")
    assert bodies["total"] == 3
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == snapshot.pk


def test_figures_are_cached_until_a_registry_write(network, django_assert_num_queries):
    from birlik.registry import services

    kpi.invalidate()
    build = lambda: kpi.compute("registry.bodies", kpi.Period.year(2026))  # noqa: E731
    first = kpi.cached("bodies", build)
    with django_assert_num_queries(0):
        assert kpi.cached("bodies", build) == first
    services.membership_add(
        actor=network.users["admin"],
        person=PersonFactory(registered_by=network.pavlodar),
        organisation=network.pavlodar_elders,
        role=Membership.Role.MEMBER,
        start_date=datetime.date(2026, 1, 1),
    )
    kpi.invalidate()  # what the on-commit hook does
    with django_assert_num_queries(1):
        kpi.cached("bodies", build)


MONITORING_DAILY = (
    "source_fetches_sweep",
    "stories_close_job",
    "appeal_signals_job",
    "tension_rebuild_job",
    "club_publications_sync_job",
)


def test_daily_jobs_are_queued_once_a_day(db, settings):
    from django.core.cache import cache

    from birlik.cli import enqueue_daily_jobs

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()
    with freeze_time("2026-03-02 09:00"):
        assert enqueue_daily_jobs() == [
            "escalate_overdue",
            "staff_digest",
            "event_figures_rebuild",
            "opendata_generate",
            "imports_sweep",
            "rate_counters_purge",
            *MONITORING_DAILY,
            "answers_remind_job",
        ]
        assert enqueue_daily_jobs() == []
    with freeze_time("2026-03-03 09:00"):
        assert enqueue_daily_jobs() == [
            "escalate_overdue",
            "staff_digest",
            "event_figures_rebuild",
            "opendata_generate",
            "imports_sweep",
            "rate_counters_purge",
            *MONITORING_DAILY,
            "answers_remind_job",
        ]


# --- The Assembly's figures of the year in `birlik figures` (figures) ----------------------------


@freeze_time("2026-06-30")
def test_figures_command_gives_every_figure_of_the_interview_and_what_each_lacks(network, capsys):
    from birlik.reports.interview import figure_codes

    assert main(["figures", "--json", "--year", "2025", "--lang", "en"]) == 0
    payload = json.loads(capsys.readouterr().out)
    figures = payload["interview"]
    assert [figure["code"] for figure in figures] == figure_codes()
    assert set(figures[0]) == {
        "code",
        "label",
        "key",
        "rows",
        "unit",
        "interview_value",
        "interview_stated",
        "interview_text",
        "value",
        "value_text",
        "missing",
        "note",
    }
    houses = next(figure for figure in figures if figure["code"] == "houses_of_friendship")
    assert (houses["value"], houses["interview_value"], houses["missing"]) == (2, 36, "")
    elders = next(figure for figure in figures if figure["code"] == "elders_events")
    assert (elders["key"], elders["rows"]) == ("events.events", {"kind": "elders_council"})
    decade = next(figure for figure in figures if figure["code"] == "myn_bala_decade")
    assert decade["missing"].startswith("No record at all for 2016, 2017")
    indicators = {item["key"]: item for item in payload["indicators"]}
    assert all("missing" in item for item in indicators.values())
    assert indicators["events.myn_bala_decade"]["missing"] == decade["missing"]
    assert indicators["registry.bodies"]["missing"] == ""


@freeze_time("2026-06-30")
def test_figures_command_prints_the_figures_of_the_year_first(network, capsys):
    assert main(["figures", "--year", "2025", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    table = out.index("The Assembly's figures of the year · Stated in the interview of 2025")
    assert table < out.index("Bodies of the Assembly by kind")
    houses = next(line for line in out.splitlines() if line.strip().startswith("Houses of"))
    assert houses.split()[-2:] == ["2", "(36)"]
    assert "! No record at all for 2016" in out
    assert main(["figures", "--year", "2026", "--lang", "en"]) == 0
    assert "Stated in the interview" not in capsys.readouterr().out
