"""Places under concurrency: many people at once for the last places, cancellations at once.

Each thread works on its own database connection, as requests of different server processes
would. On PostgreSQL the threads use the test database directly. pytest-django's SQLite test
database lives in memory (a shared cache, whose table locks fail at once instead of waiting), so
there the test database is first copied to a file in WAL mode, as the embedded default runs,
and the threads open their connections on that file.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import F

from birlik.events import services
from birlik.events.models import Event, Registration

THREADS = 12
LAST_PLACES = 4
CAPACITY = 10

pytestmark = pytest.mark.django_db(transaction=True)


@contextlib.contextmanager
def own_connections() -> Iterator[Callable[[Callable[[], Any]], Any]]:
    """Yield ``in_thread(fn)``: run ``fn`` in a new thread with its own database connection."""
    settings_dict = connections.settings["default"]
    original = settings_dict["NAME"]
    folder = None
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        folder = tempfile.TemporaryDirectory(prefix="birlik-concurrency-")
        path = str(Path(folder.name) / "db.sqlite3")
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
            target.execute("PRAGMA journal_mode=WAL")
        settings_dict["NAME"] = path
    try:
        yield in_thread
    finally:
        settings_dict["NAME"] = original
        if folder is not None:
            folder.cleanup()


def in_thread(fn: Callable[[], Any]) -> Any:
    return run_together([fn])[0]


def run_together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Start every call at the same moment, each in its thread and connection; return results
    (or the exception a call raised), in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def work(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - handed back to the test, which asserts
            results[index] = error
        finally:
            connections.close_all()  # this thread's connections only

    threads = [
        threading.Thread(target=work, args=(index, call)) for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


def register(event_id: int, n: int) -> Callable[[], str]:
    def call() -> str:
        event = Event.objects.get(pk=event_id)
        registration = services.registration_create(
            event=event,
            full_name=f"Қатысушы {n}",
            phone=f"+7 702 555 {n // 100:02d} {n % 100:02d}",
            consent=True,
        )
        return registration.status

    return call


def state(event_id: int) -> Callable[[], dict[str, Any]]:
    def call() -> dict[str, Any]:
        event = Event.objects.get(pk=event_id)
        rows = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
        waiting = list(
            Registration.objects.filter(event=event, status="waitlisted")
            .order_by("created_at", "id")
            .values_list("full_name", flat=True)
        )
        return {
            "confirmed_count": event.confirmed_count,
            "waitlist_count": event.waitlist_count,
            "rows": rows,
            "waiting": waiting,
        }

    return call


@pytest.fixture
def nearly_full(plan, sign_up):
    """An open event with ten places of which only the last four are free."""
    event = plan(capacity=CAPACITY, publish=True)
    for n in range(CAPACITY - LAST_PLACES):
        sign_up(event, n)
    event.refresh_from_db()
    assert event.places_left == LAST_PLACES
    return event


def test_concurrent_registrations_for_the_last_places_confirm_exactly_those_places(nearly_full):
    with own_connections() as run:
        statuses = run_together([register(nearly_full.pk, 100 + n) for n in range(THREADS)])
        after = run(state(nearly_full.pk))
    errors = [result for result in statuses if isinstance(result, BaseException)]
    assert errors == []
    assert Counter(statuses) == {"confirmed": LAST_PLACES, "waitlisted": THREADS - LAST_PLACES}
    assert after["confirmed_count"] == CAPACITY
    assert after["waitlist_count"] == THREADS - LAST_PLACES
    assert after["rows"] == {"confirmed": CAPACITY, "waitlisted": THREADS - LAST_PLACES}


def test_concurrent_cancellations_promote_exactly_the_freed_number_in_order(plan, sign_up):
    event = plan(capacity=CAPACITY, publish=True)
    confirmed = [sign_up(event, n) for n in range(CAPACITY)]
    waiting = [sign_up(event, 50 + n) for n in range(6)]
    assert {r.status for r in waiting} == {"waitlisted"}
    leaving = confirmed[:4]

    def cancel(registration_id: int) -> Callable[[], str]:
        def call() -> str:
            registration = Registration.objects.get(pk=registration_id)
            return services.registration_cancel(registration=registration).status

        return call

    with own_connections() as run:
        results = run_together([cancel(r.pk) for r in leaving])
        after = run(state(event.pk))
        promoted = run(
            lambda: set(
                Registration.objects.filter(
                    pk__in=[r.pk for r in waiting], status="confirmed"
                ).values_list("pk", flat=True)
            )
        )
    assert results == ["cancelled"] * len(leaving)
    assert after["confirmed_count"] == CAPACITY
    assert after["waitlist_count"] == len(waiting) - len(leaving)
    assert after["rows"] == {
        "confirmed": CAPACITY,
        "waitlisted": len(waiting) - len(leaving),
        "cancelled": len(leaving),
    }
    # The first on the waiting list got the places, the last two still wait.
    assert promoted == {r.pk for r in waiting[: len(leaving)]}
    assert after["waiting"] == [r.full_name for r in waiting[len(leaving) :]]


def test_the_database_itself_refuses_more_confirmed_places_than_capacity(nearly_full):
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=nearly_full.pk).update(confirmed_count=F("capacity") + 1)
    nearly_full.refresh_from_db()
    assert nearly_full.confirmed_count == CAPACITY - LAST_PLACES
