"""The shared cache while Redis does not answer: an empty cache, never an error."""

import socket

import pytest
from django.core.cache import cache

from birlik.core import kpi


@pytest.fixture(autouse=True)
def _warn_again(monkeypatch):
    """The outage warning is logged at most every 30 s per process: each test sees its own."""
    monkeypatch.setattr("birlik.core.cache._last_warning", -1e9)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nothing listens


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "birlik.core.cache.FailSafeRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "KEY_PREFIX": "birlik",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }


def test_reads_miss_and_writes_are_dropped_while_redis_is_down(redis_down, caplog):
    cache.set("figure", 42)
    assert cache.get("figure") is None
    assert cache.get("figure", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("figure") is False
    assert "Redis does not answer" in caplog.text


def test_a_once_a_day_flag_is_not_taken_while_redis_is_down(redis_down):
    # "not added": the daily jobs are tried again at the next check, not run by everyone.
    assert cache.add("birlik:daily-jobs:2026-12-07", 1) is False


def test_figures_are_computed_and_invalidated_while_redis_is_down(redis_down):
    kpi.invalidate()
    assert kpi.cached("answer", lambda: 42) == 42
    assert kpi.version() > 0  # a fresh number each time, never an error
