"""The one rate limiter: exact counts in a shared store, windows, peek/reset, the 429 page."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from birlik.core import ratelimit
from birlik.core.models import RateCounter


@pytest.fixture(autouse=True)
def _database_store(settings):
    """These tests read the embedded default's table of counters; the Redis store has tests of
    its own (with a real redis-server), so the CI stage that sets REDIS_URL does not move
    them."""
    settings.REDIS_URL = ""


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1_800_000_000}
    monkeypatch.setattr(ratelimit, "_now", lambda: now["t"])
    return now


def test_rates_are_read_from_settings_in_one_shape():
    assert ratelimit.parse_rate("10/h") == ratelimit.Rate(10, 3600)
    assert ratelimit.parse_rate("120/min") == ratelimit.Rate(120, 60)
    assert ratelimit.parse_rate("5/15min") == ratelimit.Rate(5, 900)
    assert ratelimit.parse_rate("2/day") == ratelimit.Rate(2, 86400)
    assert ratelimit.parse_rate("3/s") == ratelimit.Rate(3, 1)
    for wrong in ("", "ten/h", "10/fortnight", "0/h", "10"):
        with pytest.raises(ValueError):
            ratelimit.parse_rate(wrong)


@pytest.mark.django_db
def test_hit_counts_exactly_and_refuses_beyond_the_limit(clock):
    verdicts = [ratelimit.hit("t", "a", limit=3, window=60) for _ in range(5)]
    assert verdicts == [False, False, False, True, True]
    assert ratelimit.hit("t", "b", limit=3, window=60) is False  # another client
    assert ratelimit.hit("u", "a", limit=3, window=60) is False  # another scope
    assert RateCounter.objects.get(scope="t", ident="a").count == 5


@pytest.mark.django_db
def test_peek_says_the_limit_is_used_up_without_counting(clock):
    for _ in range(2):
        assert ratelimit.peek("t", "a", limit=3, window=60) is False
        ratelimit.hit("t", "a", limit=3, window=60)
    assert ratelimit.peek("t", "a", limit=3, window=60) is False
    ratelimit.hit("t", "a", limit=3, window=60)
    assert ratelimit.peek("t", "a", limit=3, window=60) is True
    assert ratelimit.peek("t", "a", limit=3, window=60) is True
    assert RateCounter.objects.get(scope="t", ident="a").count == 3


@pytest.mark.django_db
def test_a_new_window_opens_when_the_last_one_closed(clock):
    for _ in range(4):
        ratelimit.hit("t", "a", limit=3, window=60)
    verdict = ratelimit.check("t", "a", limit=3, window=60, count=False)
    assert verdict.over and verdict.retry_after == 60
    clock["t"] += 59
    assert ratelimit.check("t", "a", limit=3, window=60).retry_after == 1
    assert ratelimit.peek("t", "a", limit=3, window=60) is True
    clock["t"] += 1
    assert ratelimit.peek("t", "a", limit=3, window=60) is False
    assert ratelimit.hit("t", "a", limit=3, window=60) is False
    assert RateCounter.objects.get(scope="t", ident="a").count == 1


@pytest.mark.django_db
def test_reset_forgets_and_the_daily_purge_drops_closed_windows(clock):
    ratelimit.hit("t", "a", limit=1, window=60)
    ratelimit.hit("t", "a", limit=1, window=60)
    ratelimit.reset("t", "a")
    assert ratelimit.hit("t", "a", limit=1, window=60) is False
    ratelimit.hit("t", "b", limit=1, window=600)
    clock["t"] += 61
    assert ratelimit.purge_expired() == 1
    assert list(RateCounter.objects.values_list("ident", flat=True)) == ["b"]


def test_the_client_is_a_keyed_hash_of_its_address_and_ipv6_counts_by_network():
    def ident(address):
        return ratelimit.client_ident(RequestFactory().get("/", REMOTE_ADDR=address))

    assert ident("203.0.113.9") == ident("203.0.113.9") != ident("203.0.113.10")
    assert "203.0.113.9" not in ident("203.0.113.9")
    assert ident("2001:db8:1:2::1") == ident("2001:db8:1:2:ffff::9")
    assert ident("2001:db8:1:2::1") != ident("2001:db8:1:3::1")
    assert ident("::ffff:203.0.113.9") == ident("203.0.113.9")


@pytest.mark.django_db
def test_the_decorator_answers_a_translated_429_with_retry_after(settings, clock):
    settings.RATE_TEST = "2/h"
    calls = []

    @ratelimit.rate_limited("test-form", rate="RATE_TEST")
    def view(request):
        calls.append(request.method)
        return HttpResponse("ok")

    factory = RequestFactory()
    for _ in range(2):
        assert view(factory.post("/", REMOTE_ADDR="192.0.2.1")).status_code == 200
    assert view(factory.get("/", REMOTE_ADDR="192.0.2.1")).status_code == 200  # GET not counted
    with translation.override("en"):
        refused = view(factory.post("/", REMOTE_ADDR="192.0.2.1"))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert refused["Cache-Control"] == "no-store"
    assert "Too many requests" in refused.content.decode()
    assert "60 minutes" in refused.content.decode()
    assert view(factory.post("/", REMOTE_ADDR="192.0.2.2")).status_code == 200
    assert calls == ["POST", "POST", "GET", "POST"]


@pytest.mark.django_db
def test_the_refusal_page_speaks_the_visitors_language(settings):
    settings.RATE_TEST = "1/h"
    from django.utils import translation

    @ratelimit.rate_limited("test-form", rate="RATE_TEST")
    def view(request):
        return HttpResponse("ok")

    factory = RequestFactory()
    view(factory.post("/", REMOTE_ADDR="192.0.2.1"))
    with translation.override("ru"):
        page = view(factory.post("/", REMOTE_ADDR="192.0.2.1")).content.decode()
    assert 'lang="ru"' in page


@pytest.mark.django_db
def test_the_wait_message_counts_minutes():
    with translation.override("en"):
        assert ratelimit.wait_message(61).endswith("2 minutes.")
        assert ratelimit.wait_message(30).endswith("1 minute.")
    with translation.override("ru"):
        assert "2 минуты" in ratelimit.wait_message(61)


# --- Redis ---------------------------------------------------------------------------------


@pytest.fixture
def redis_url():
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603
        [binary, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    import redis

    try:
        for _ in range(50):
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(10)
        ratelimit._stores.pop(url, None)


@pytest.mark.django_db
def test_redis_store_counts_the_same_way(settings, redis_url):
    settings.REDIS_URL = redis_url
    verdicts = [ratelimit.hit("t", "a", limit=3, window=60) for _ in range(5)]
    assert verdicts == [False, False, False, True, True]
    assert ratelimit.peek("t", "a", limit=3, window=60) is True
    verdict = ratelimit.check("t", "a", limit=3, window=60, count=False)
    assert verdict.count == 5 and 0 < verdict.retry_after <= 60
    assert ratelimit.peek("t", "b", limit=3, window=60) is False
    ratelimit.reset("t", "a")
    assert ratelimit.peek("t", "a", limit=1, window=60) is False
    assert ratelimit.hit("t", "a", limit=1, window=1) is False
    assert ratelimit.hit("t", "a", limit=1, window=1) is True
    time.sleep(2.1)
    assert ratelimit.hit("t", "a", limit=1, window=1) is False  # the key expired with its window
    assert not RateCounter.objects.exists()  # nothing went to the database
