"""The rate limiter while Redis does not answer: the limits hold, counted in the database."""

import socket

import pytest
from django.test import RequestFactory
from django.utils import translation

from birlik.core import ratelimit
from birlik.core.models import RateCounter


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
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"


def test_limit_still_holds_while_redis_is_down(db, redis_down, caplog):
    verdicts = [ratelimit.hit("appeals", "client-1", limit=2, window=3600) for _ in range(3)]
    assert verdicts == [False, False, True]
    assert RateCounter.objects.get(scope="appeals", ident="client-1").count == 3
    assert "rate limits are counted in the database" in caplog.text


def test_peek_reset_and_undo_work_while_redis_is_down(db, redis_down):
    for _ in range(2):
        ratelimit.hit("sign-in", "someone", limit=2, window=900)
    assert ratelimit.peek("sign-in", "someone", limit=2, window=900) is True
    ratelimit.undo("sign-in", "someone")
    assert ratelimit.peek("sign-in", "someone", limit=2, window=900) is False
    ratelimit.reset("sign-in", "someone")
    assert not RateCounter.objects.filter(scope="sign-in").exists()


def test_a_limited_form_refuses_with_its_page_while_redis_is_down(db, redis_down, settings):
    settings.RATE_APPEALS = "1/h"

    @ratelimit.rate_limited("appeals-outage", rate="RATE_APPEALS")
    def view(request):
        from django.http import HttpResponse

        return HttpResponse("stored")

    factory = RequestFactory()
    first = view(factory.post("/kk/appeals/new/", REMOTE_ADDR="10.0.0.7"))
    with translation.override("en"):
        second = view(factory.post("/kk/appeals/new/", REMOTE_ADDR="10.0.0.7"))
        text = second.content.decode()
    assert first.status_code == 200
    assert second.status_code == 429
    assert "Too many requests were sent from your connection" in text
