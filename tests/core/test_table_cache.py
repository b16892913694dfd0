"""The embedded default's cache table: ``set`` is one upsert, values round-trip and expire, and
the table is still culled to its size."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from birlik.core import kpi
from birlik.core.cache import SharedTableCache

pytestmark = pytest.mark.skipif(
    not isinstance(caches["default"], SharedTableCache),
    reason="the embedded default's cache (no REDIS_URL)",
)


@pytest.fixture
def no_cull_now(monkeypatch):
    """Counted sets never land on the cull turn, whatever ran before."""
    monkeypatch.setattr(SharedTableCache, "CULL_EVERY", 10**9)
    monkeypatch.setattr(SharedTableCache, "_sets", iter(range(1, 10**9)))


def test_a_set_is_one_statement_and_overwrites(db, no_cull_now):
    with CaptureQueriesContext(connection) as statements:
        cache.set("probe", {"bodies": 3}, None)
    assert len(statements) == 1 and "ON CONFLICT" in statements[0]["sql"]
    assert cache.get("probe") == {"bodies": 3}
    cache.set("probe", [1, "ә"], 60)
    assert cache.get("probe") == [1, "ә"]
    with CaptureQueriesContext(connection) as statements:
        kpi.invalidate()  # a public submission's on-commit write: no count of the table
    assert len(statements) == 1 and "COUNT" not in statements[0]["sql"]


def test_a_value_expires_and_add_and_get_or_set_still_work(db, no_cull_now):
    with freeze_time("2026-12-07 10:00:00+00:00") as clock:
        cache.set("short", "ok", 30)
        assert cache.get("short") == "ok"
        clock.tick(datetime.timedelta(seconds=31))
        assert cache.get("short") is None
        assert cache.add("short", "again", 30) is True
        assert cache.add("short", "not now", 30) is False
        assert cache.get_or_set("other", lambda: 7, 30) == 7
        assert cache.get("short") == "again"


def test_the_table_is_still_culled_to_its_size(db, monkeypatch):
    backend = caches["default"]
    monkeypatch.setattr(backend, "_max_entries", 20)
    monkeypatch.setattr(backend, "_cull_frequency", 2)
    monkeypatch.setattr(SharedTableCache, "CULL_EVERY", 5)
    for index in range(60):
        cache.set(f"k{index}", index, None)
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(backend._table)
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - a quoted name
        rows = cursor.fetchone()[0]
    assert rows <= 20 + SharedTableCache.CULL_EVERY
