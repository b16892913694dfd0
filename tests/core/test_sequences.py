"""Gapless yearly numbers (``birlik.core.sequences``): one counter per scope and year, taken
under a row lock inside the caller's transaction, seeded from the per-app counters it replaced.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from birlik.appeals import services as appeals
from birlik.charity import services as charity
from birlik.core import sequences
from birlik.core.models import Sequence
from birlik.mediation import services as mediation


def take(scope: str, year: int) -> int:
    with transaction.atomic():
        return sequences.next_number(scope, year)


@pytest.mark.django_db
def test_numbers_start_at_one_and_count_per_scope_and_year():
    assert [take("test.a", 2026) for _ in range(3)] == [1, 2, 3]
    assert take("test.a", 2027) == 1
    assert take("test.b", 2026) == 1
    assert take(sequences.scope("test.a", 17), 2026) == 1
    assert take("test.a", 2026) == 4
    assert sequences.last_numbers("test.a") == {2026: 4, 2027: 1}


@pytest.mark.django_db
def test_a_rolled_back_registration_gives_its_number_back():
    assert take("test.a", 2026) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert sequences.next_number("test.a", 2026) == 2
        raise RuntimeError("the registration failed after taking its number")
    assert take("test.a", 2026) == 2
    # The very first number of a year, rolled back with its new counter row, too.
    with pytest.raises(RuntimeError), transaction.atomic():
        assert sequences.next_number("test.a", 2030) == 1
        raise RuntimeError
    assert take("test.a", 2030) == 1


@pytest.mark.django_db(transaction=True)
def test_a_number_is_taken_only_inside_the_callers_transaction():
    with pytest.raises(transaction.TransactionManagementError):
        sequences.next_number("test.a", 2026)
    assert not Sequence.objects.exists()


@pytest.mark.django_db
def test_set_last_continues_after_a_bulk_numbering():
    sequences.set_last("test.a", 2026, 41)
    assert take("test.a", 2026) == 42
    sequences.set_last("test.a", 2026, 50)
    assert take("test.a", 2026) == 51


@pytest.mark.django_db
def test_each_app_formats_its_own_numbers(network):
    centre = network.pavlodar_elders
    with transaction.atomic():
        assert appeals._next_number(2026) == "2026-000001"
        assert appeals._next_number(2026) == "2026-000002"
        assert mediation._next_number(centre, 2026) == f"M{centre.pk}-2026-00001"
        assert charity._next_number(2026) == 1
        assert charity._next_receipt(centre, 2026) == 1
        assert charity._next_receipt(network.almaty_house, 2026) == 1
    assert set(Sequence.objects.values_list("scope", flat=True)) == {
        "appeals.number",
        f"mediation.case:{centre.pk}",
        "charity.request",
        f"charity.receipt:{centre.pk}",
        f"charity.receipt:{network.almaty_house.pk}",
    }


# --- The data migration --------------------------------------------------------------------

BEFORE = [
    ("core", "0003_sequence"),
    ("appeals", "0004_legal_terms_redirect_by_and_extension_notice"),
    ("mediation", "0001_initial"),
    ("charity", "0001_initial"),
]


# Going back and forth through the migrations of every app that depends on these takes minutes;
# the data they move is the same on both databases, so the SQLite stage runs them (each stage
# still builds its test database through every migration).
only_on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="migration round trip: run in the SQLite stage"
)


def migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    if targets is None:
        targets = executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# One round trip for both directions (each one takes a minute on SQLite): numbers taken under
# the new table go back into the old counters, counters written under the old release then come
# forward, and numbering continues from them without a gap or a repeat.
@only_on_sqlite
@pytest.mark.django_db(transaction=True)
def test_the_counters_go_back_into_the_old_tables_and_numbering_continues_from_them(network):
    centre, other = network.pavlodar_elders, network.almaty_house
    with transaction.atomic():
        for _ in range(3):
            appeals._next_number(2026)
        mediation._next_number(centre, 2026)
    try:
        old = migrate(BEFORE)
        Appeals = old.get_model("appeals", "NumberSequence")
        Cases = old.get_model("mediation", "CaseNumberSequence")
        assert dict(Appeals.objects.values_list("year", "last")) == {2026: 3}
        assert list(Cases.objects.values_list("centre_id", "year", "last")) == [
            (centre.pk, 2026, 1)
        ]
        assert not old.get_model("core", "Sequence").objects.exists()
        # The old release goes on numbering in its own tables.
        Appeals.objects.filter(year=2026).update(last=41)
        Appeals.objects.create(year=2025, last=812)
        Cases.objects.filter(centre_id=centre.pk, year=2026).update(last=7)
        old.get_model("charity", "RequestSequence").objects.create(year=2026, last=19)
        Receipts = old.get_model("charity", "ReceiptSequence")
        Receipts.objects.create(centre_id=centre.pk, year=2026, last=3)
        Receipts.objects.create(centre_id=other.pk, year=2026, last=250)
        # Counters the new table already has are never moved back.
        old.get_model("core", "Sequence").objects.create(
            scope="charity.request", year=2026, last=25
        )
        new = migrate()
        tables = connection.introspection.table_names()
        assert "appeals_numbersequence" not in tables
        assert "mediation_casenumbersequence" not in tables
        assert "charity_requestsequence" not in tables
        assert "charity_receiptsequence" not in tables
        assert new.get_model("core", "Sequence").objects.count() == 6
    finally:
        migrate()  # leave the test database at the latest state whatever happened

    with transaction.atomic():
        assert appeals._next_number(2026) == "2026-000042"
        assert appeals._next_number(2025) == "2025-000813"
        assert appeals._next_number(2027) == "2027-000001"
        assert mediation._next_number(centre, 2026) == f"M{centre.pk}-2026-00008"
        assert mediation._next_number(other, 2026) == f"M{other.pk}-2026-00001"
        assert charity._next_number(2026) == 26
        assert charity._next_receipt(centre, 2026) == 4
        assert charity._next_receipt(other, 2026) == 251


# --- Concurrency (PostgreSQL: real row locks between connections) --------------------------

THREADS = 10


def run_together(calls: list[Callable[[], int]]) -> list[int | BaseException]:
    barrier = threading.Barrier(len(calls))
    results: list[int | BaseException] = [0] * len(calls)

    def work(index: int, call: Callable[[], int]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_consecutive_numbers_without_a_repeat():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections are tested on PostgreSQL")
    # The first numbers of a new year: every thread races to create the counter row too.
    first = run_together([lambda: take("test.race", 2026)] * THREADS)
    assert sorted(first) == list(range(1, THREADS + 1)), first
    # With the row there, each thread holds the lock while it "stores" its record; one of
    # them fails after taking its number, and that number goes to someone else.

    def register(fail: bool) -> int:
        with transaction.atomic():
            number = sequences.next_number("test.race", 2026)
            if fail:
                raise DatabaseError("the record could not be stored")
            return number

    results = run_together([lambda i=i: register(i == 3) for i in range(THREADS)])
    errors = [r for r in results if isinstance(r, BaseException)]
    numbers = sorted(r for r in results if isinstance(r, int))
    assert len(errors) == 1 and isinstance(errors[0], DatabaseError)
    assert numbers == list(range(THREADS + 1, 2 * THREADS)), results
    assert sequences.last_numbers("test.race") == {2026: 2 * THREADS - 1}
