"""SMS and Telegram through their gateways: log files by default, the real HTTP providers behind a
setting — tested against a local fake server, never a real provider."""

from __future__ import annotations

import datetime
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone
from freezegun import freeze_time

from birlik.notify import channels
from birlik.notify.models import Notice
from birlik.notify.services import backoff, notice_deliver, notice_queue

TOKEN = "123456:secret-bot-token"


@dataclass
class FakeProvider:
    """Answers each request with the next scripted (status, body); records what it received."""

    url: str = ""
    answers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    delay: float = 0.0

    def answer(self, status: int, body: dict[str, Any] | None = None) -> None:
        self.answers.append((status, body or {}))


@pytest.fixture
def provider(monkeypatch) -> Iterator[FakeProvider]:
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    fake = FakeProvider()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            length = int(self.headers.get("Content-Length", "0"))
            fake.received.append(
                {
                    "path": self.path,
                    "headers": dict(self.headers),
                    "json": json.loads(self.rfile.read(length) or b"{}"),
                }
            )
            if fake.delay:
                time.sleep(fake.delay)
            status, body = fake.answers.pop(0) if fake.answers else (200, {"ok": True})
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a client that gave up (time-out test) is not an error of the test

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def http_sms(settings, provider):
    settings.SMS_GATEWAY = "http"
    settings.SMS_HTTP_URL = provider.url + "/sms"
    settings.SMS_HTTP_TOKEN = "sms-token"
    return provider


@pytest.fixture
def telegram_bot(settings, provider):
    settings.TELEGRAM_GATEWAY = "bot"
    settings.TELEGRAM_BOT_TOKEN = TOKEN
    settings.TELEGRAM_API_URL = provider.url + "/"
    return provider


def sms(key="sms-1", recipient="+77010000001", body="Your appeal 55-0001 is registered."):
    return notice_queue(channel="sms", recipient=recipient, body=body, key=key)


def deliver(notice: Notice) -> Notice:
    notice_deliver(notice_id=notice.pk)
    notice.refresh_from_db()
    return notice


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- Embedded default: log files ----------------------------------------------------------------


def test_file_gateway_writes_a_key_once_so_a_retry_after_a_crash_never_writes_twice(tmp_path):
    gateway = channels.FileSmsGateway()
    gateway.send(to="+77010000001", text="Hello", key="k1")
    gateway.send(to="+77010000001", text="Hello", key="k1")
    gateway.send(to="+77010000001", text="Hello", key="k2")
    lines = (tmp_path / "sms.log").read_text().splitlines()
    assert [line.split("\t")[1] for line in lines] == ["k1", "k2"]


def test_file_gateway_keeps_a_message_with_line_breaks_on_one_line(tmp_path):
    channels.FileTelegramGateway().send(to="42", text="Line one\nLine two\tend", key="t1")
    lines = (tmp_path / "telegram.log").read_text().splitlines()
    assert len(lines) == 1
    assert lines[0].endswith("\tt1\t42\tLine one\\nLine two\\tend")


def test_sms_already_written_before_a_crash_is_marked_sent_without_a_second_line(db, tmp_path):
    notice = sms()
    channels.FileSmsGateway().send(to=notice.recipient, text=notice.body, key="sms-1")
    assert deliver(notice).status == "sent"
    assert len((tmp_path / "sms.log").read_text().splitlines()) == 1


def test_telegram_notice_goes_to_the_telegram_log_by_default(db, tmp_path):
    notice = notice_queue(channel="telegram", recipient="987654", body="Сәлем", key="tg-1")
    assert deliver(notice).status == "sent"
    assert "\ttg-1\t987654\tСәлем" in (tmp_path / "telegram.log").read_text(encoding="utf-8")


# --- HTTP SMS provider -----------------------------------------------------------------------


def test_http_sms_posts_json_with_the_bearer_token_and_the_idempotency_key(db, http_sms):
    notice = deliver(sms())
    assert notice.status == "sent" and notice.attempts == 1 and notice.last_error == ""
    [request] = http_sms.received
    assert request["path"] == "/sms"
    assert request["headers"]["Authorization"] == "Bearer sms-token"
    assert request["json"] == {
        "to": "+77010000001",
        "text": "Your appeal 55-0001 is registered.",
        "idempotency_key": "sms-1",
    }


@pytest.mark.parametrize("status", [500, 503, 429])
def test_http_sms_server_error_is_retried_with_back_off_then_sent(db, http_sms, status):
    http_sms.answer(status, {"error": "busy"})
    notice = sms()
    with freeze_time(timezone.now()) as clock:
        notice = deliver(notice)
        assert notice.status == "pending" and notice.attempts == 1
        assert notice.last_error.startswith(f"HTTP {status}")
        assert notice.next_attempt_at == timezone.now() + backoff(1)
        deliver(notice)  # not due yet: the provider is not called
        assert len(http_sms.received) == 1
        clock.tick(backoff(1) + datetime.timedelta(seconds=1))
        notice = deliver(notice)
    assert notice.status == "sent" and notice.attempts == 2
    keys = [request["json"]["idempotency_key"] for request in http_sms.received]
    assert keys == ["sms-1", "sms-1"]


@pytest.mark.parametrize("status", [400, 401, 404, 422])
def test_http_sms_refused_by_the_provider_fails_at_once_without_retries(db, http_sms, status):
    http_sms.answer(status, {"error": "invalid number"})
    notice = deliver(sms())
    assert notice.status == "failed" and notice.attempts == 1
    assert notice.last_error.startswith(f"HTTP {status}")
    assert "invalid number" in notice.last_error
    with freeze_time(timezone.now() + datetime.timedelta(days=1)):
        assert deliver(notice).attempts == 1
    assert len(http_sms.received) == 1


def test_http_sms_connection_refused_is_retried(db, settings):
    settings.SMS_GATEWAY = "birlik.notify.channels.HttpSmsGateway"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{free_port()}/sms"
    notice = deliver(sms())
    assert notice.status == "pending" and notice.attempts == 1
    assert "refused" in notice.last_error.lower()
    assert notice.next_attempt_at > timezone.now()


def test_http_sms_time_out_is_retried(db, http_sms, monkeypatch):
    monkeypatch.setattr(channels, "HTTP_TIMEOUT", 0.2)
    http_sms.delay = 0.6
    notice = deliver(sms())
    assert notice.status == "pending" and notice.attempts == 1
    assert "timed out" in notice.last_error.lower()


def test_http_sms_without_an_address_is_retried_until_configured(db, settings):
    settings.SMS_GATEWAY = "http"
    settings.SMS_HTTP_URL = ""
    notice = deliver(sms())
    assert notice.status == "pending" and notice.last_error == "SMS_HTTP_URL is not set"


# --- Telegram Bot API ---------------------------------------------------------------------------


def test_telegram_bot_calls_send_message_with_the_chat_id(db, telegram_bot):
    notice = notice_queue(channel="telegram", recipient="987654", body="Сәлем!", key="tg-1")
    assert deliver(notice).status == "sent"
    [request] = telegram_bot.received
    assert request["path"] == f"/bot{TOKEN}/sendMessage"
    assert request["json"]["chat_id"] == "987654"
    assert request["json"]["text"] == "Сәлем!"


def test_telegram_bot_blocked_by_the_user_fails_and_the_error_hides_the_token(db, telegram_bot):
    telegram_bot.answer(403, {"ok": False, "description": "Forbidden: bot was blocked"})
    notice = notice_queue(channel="telegram", recipient="987654", body="Hi", key="tg-2")
    notice = deliver(notice)
    assert notice.status == "failed"
    assert "bot was blocked" in notice.last_error
    assert TOKEN not in notice.last_error


def test_telegram_bot_flood_limit_is_retried(db, telegram_bot):
    telegram_bot.answer(429, {"ok": False, "parameters": {"retry_after": 3}})
    notice = notice_queue(channel="telegram", recipient="987654", body="Hi", key="tg-3")
    notice = deliver(notice)
    assert notice.status == "pending" and notice.last_error.startswith("HTTP 429")
