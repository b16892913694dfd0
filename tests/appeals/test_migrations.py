"""The migration to the legal terms fills existing appeals: their redirect-by date, whether a
redirection was late, the day and reason of their extension, and the cap in months."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
BEFORE = [("appeals", "0003_effective_due")]
AFTER = [("appeals", "0004_legal_terms_redirect_by_and_extension_notice")]
D = datetime.date


def at(year, month, day, hour=11):
    return datetime.datetime(year, month, day, hour, tzinfo=ALMATY)


# Going back and forth through the migrations of every app that depends on these takes minutes;
# the data they move is the same on both databases, so the SQLite stage runs them (each stage
# still builds its test database through every migration).
only_on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="migration round trip: run in the SQLite stage"
)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _latest_migrations_afterwards(transactional_db):
    """Migrate forward again: later migrations of other apps depend on appeals' (core 0004 and
    the old counter tables it replaced), and the test database must be whole for the flush."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@only_on_sqlite
@pytest.mark.django_db(transaction=True)
def test_existing_appeals_get_their_redirect_by_date_and_extension(network):
    old = migrate(BEFORE)
    Appeal = old.get_model("appeals", "Appeal")
    AppealStep = old.get_model("appeals", "AppealStep")
    DeadlineRules = old.get_model("appeals", "DeadlineRules")
    StateBody = old.get_model("appeals", "StateBody")
    DeadlineRules.objects.create(kind_id=network.pavlodar_elders.kind_id, max_extension_days=30)

    def appeal(number, **fields):
        values = {
            "number": number,
            "organisation_id": network.pavlodar_house.pk,
            "kind": "request",
            "text": "Мәтін",
            "received_at": at(2026, 3, 20, 19),
            "counted_from": D(2026, 3, 20),  # redirect by 30 March (Nauryz 21–25 off)
            "due_date": D(2026, 4, 15),
            "effective_due": D(2026, 4, 15),
            "token": number,
        }
        values.update(fields)
        return Appeal.objects.create(**values)

    akimat = StateBody.objects.get(code="akimat-kz-55")
    waiting = appeal("M-1")
    late = appeal("M-2", status="redirected", redirected_to=akimat, closed_at=at(2026, 3, 31))
    in_time = appeal("M-3", status="redirected", redirected_to=akimat, closed_at=at(2026, 3, 30))
    extended = appeal(
        "M-4", status="extended", extended_until=D(2026, 5, 8), effective_due=D(2026, 5, 8)
    )
    AppealStep.objects.create(
        appeal=extended, action="extended", text="Сараптама қажет.", at=at(2026, 4, 10, 15)
    )

    new = migrate(AFTER)
    Appeal = new.get_model("appeals", "Appeal")
    rows = {a.number: a for a in Appeal.objects.all()}
    assert rows[waiting.number].redirect_by == D(2026, 3, 30)
    assert rows[waiting.number].redirected_late is False
    assert rows[late.number].redirected_late is True
    assert rows[in_time.number].redirected_late is False
    assert rows[extended.number].extended_on == D(2026, 4, 10)
    assert rows[extended.number].extension_reason == "Сараптама қажет."
    rules = new.get_model("appeals", "DeadlineRules").objects.get()
    assert rules.max_extension_months == 1
