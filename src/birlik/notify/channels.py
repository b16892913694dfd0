"""Delivery channels. E-mail goes through Django's mail backend; SMS and Telegram through a
gateway class named in the settings.

The embedded default writes e-mails to ``<data dir>/outbox/``, SMS to ``<data dir>/sms.log`` and
Telegram messages to ``<data dir>/telegram.log`` so a demo shows what would be sent without any
account at a provider. The real providers (``HttpSmsGateway``, ``TelegramBotGateway``) speak
HTTP through the standard library only.

A gateway raises ``DeliveryError`` when a later attempt may succeed (network down, 5xx, 429) and
``PermanentDeliveryError`` when it never will (the provider refused the message: 4xx); the
outbox retries the first with back-off and marks the notice failed at once on the second.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import http.client
import json
import os
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string

HTTP_TIMEOUT = 10.0


class DeliveryError(Exception):
    """A channel could not deliver; the notice is retried later."""


class PermanentDeliveryError(DeliveryError):
    """The provider refused the message for good; the notice fails without more attempts."""


class Gateway(Protocol):
    def send(self, *, to: str, text: str, key: str = "") -> None: ...


# Kept for code that names the SMS protocol.
SmsGateway = Gateway


# --- Embedded default: one line per message in a log file -------------------------------------


def _one_line(value: str) -> str:
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
    )


class FileGateway:
    """Appends each message to a log file in the data directory, once per idempotency key.

    Line format: ``time<TAB>key<TAB>recipient<TAB>text`` (tabs and newlines in the text escaped).
    The file is locked while it is searched and written, so two workers retrying the same notice
    after a crash never write it twice.
    """

    filename = "messages.log"

    def send(self, *, to: str, text: str, key: str = "") -> None:
        path = Path(settings.DATA_DIR) / self.filename
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a+", encoding="utf-8") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                if key and self._written(handle, _one_line(key)):
                    return
                handle.seek(0, 2)
                handle.write(
                    f"{timezone.now().isoformat()}\t{_one_line(key)}\t{_one_line(to)}\t"
                    f"{_one_line(text)}\n"
                )
                handle.flush()
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

    @staticmethod
    def _written(handle: Any, key: str) -> bool:
        handle.seek(0)
        for line in handle:
            parts = line.split("\t", 3)
            if len(parts) == 4 and parts[1] == key:
                return True
        return False


class FileSmsGateway(FileGateway):
    """SMS written to ``<data dir>/sms.log`` (embedded default)."""

    filename = "sms.log"


class FileTelegramGateway(FileGateway):
    """Telegram messages written to ``<data dir>/telegram.log`` (embedded default)."""

    filename = "telegram.log"


# --- Real providers over HTTP -----------------------------------------------------------------


def _refuse_redirects() -> urllib.request.OpenerDirector:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None  # a provider that redirects is misconfigured: report its answer

    return urllib.request.build_opener(NoRedirect)


def post_json(url: str, payload: dict[str, Any], *, headers: dict[str, str] | None = None) -> bytes:
    """POST ``payload`` as JSON; 2xx returns the body, anything else raises a delivery error.

    4xx other than 429 are permanent (the provider will never take this message); 429, 5xx,
    time-outs and network failures are worth another attempt. Error texts never carry the URL,
    which may hold a secret token.
    """
    request = urllib.request.Request(  # noqa: S310 - the URL comes from the settings
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )
    try:
        with _refuse_redirects().open(request, timeout=HTTP_TIMEOUT) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        detail = _error_detail(error)
        message = f"HTTP {error.code}{': ' + detail if detail else ''}"
        if error.code == 429 or error.code >= 500:
            raise DeliveryError(message) from None
        raise PermanentDeliveryError(message) from None
    except (OSError, http.client.HTTPException) as error:  # URLError, refused, time-out …
        reason = getattr(error, "reason", None) or error
        raise DeliveryError(f"{type(error).__name__}: {reason}") from None


def _error_detail(error: urllib.error.HTTPError) -> str:
    try:
        body = error.read(300).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException):
        body = ""
    finally:
        error.close()
    return " ".join(body.split())[:200]


class HttpSmsGateway:
    """An SMS provider taking ``{"to", "text", "idempotency_key"}`` as JSON with a bearer token
    (settings ``SMS_HTTP_URL``, ``SMS_HTTP_TOKEN``)."""

    def __init__(self, url: str | None = None, token: str | None = None) -> None:
        self.url = url if url is not None else settings.SMS_HTTP_URL
        self.token = token if token is not None else settings.SMS_HTTP_TOKEN

    def send(self, *, to: str, text: str, key: str = "") -> None:
        if not self.url:
            raise DeliveryError("SMS_HTTP_URL is not set")
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if key:
            headers["Idempotency-Key"] = key
        post_json(self.url, {"to": to, "text": text, "idempotency_key": key}, headers=headers)


class TelegramBotGateway:
    """The Telegram Bot API ``sendMessage``; the recipient is the chat id (settings
    ``TELEGRAM_BOT_TOKEN``, ``TELEGRAM_API_URL``)."""

    def __init__(self, token: str | None = None, api_url: str | None = None) -> None:
        self.token = token if token is not None else settings.TELEGRAM_BOT_TOKEN
        self.api_url = (api_url if api_url is not None else settings.TELEGRAM_API_URL).rstrip("/")

    def send(self, *, to: str, text: str, key: str = "") -> None:
        if not self.token:
            raise DeliveryError("TELEGRAM_BOT_TOKEN is not set")
        answer = post_json(
            f"{self.api_url}/bot{self.token}/sendMessage",
            {"chat_id": to, "text": text, "disable_web_page_preview": True},
        )
        try:
            ok = json.loads(answer or b"{}").get("ok", True)
        except (ValueError, AttributeError):
            ok = True  # a 2xx answer is taken as sent even when its body is not JSON
        if ok is False:
            raise DeliveryError("Telegram answered ok=false")


# --- Channels used by the outbox ----------------------------------------------------------------

ALIASES = {
    "file": "birlik.notify.channels.FileSmsGateway",
    "http": "birlik.notify.channels.HttpSmsGateway",
}
TELEGRAM_ALIASES = {
    "file": "birlik.notify.channels.FileTelegramGateway",
    "bot": "birlik.notify.channels.TelegramBotGateway",
    "http": "birlik.notify.channels.TelegramBotGateway",
}


def _gateway(name: str, aliases: dict[str, str]) -> Gateway:
    gateway: Gateway = import_string(aliases.get(name, name))()
    return gateway


def _through(gateway: Gateway, *, to: str, text: str, key: str) -> None:
    try:
        gateway.send(to=to, text=text, key=key)
    except DeliveryError:
        raise
    except OSError as error:  # a file gateway that cannot write
        raise DeliveryError(str(error)) from error


FILE_EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def send_email(*, to: str, subject: str, body: str, key: str = "") -> None:
    """With a key, the message carries a Message-ID made from it (mail clients drop a repeat
    after a crash between sending and recording) and the embedded mailbox writes one file per
    key, once: a notice sent again after a kill never lands twice."""
    headers: dict[str, str] = {}
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    if key:
        headers = {"Message-ID": f"<{digest}@birlik.notice>", "X-Birlik-Notice": _one_line(key)}
    message = EmailMessage(subject=subject, body=body, to=[to], headers=headers)
    try:
        if key and settings.EMAIL_BACKEND == FILE_EMAIL_BACKEND:
            _write_once(
                Path(settings.EMAIL_FILE_PATH), f"{digest}.eml", message.message().as_bytes()
            )
        else:
            message.send(fail_silently=False)
    except OSError as error:  # SMTP refusals and network failures are OSError subclasses
        raise DeliveryError(str(error)) from error


def _write_once(folder: Path, name: str, content: bytes) -> None:
    """The file appears whole or not at all, and only the first time (link, not rename)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if target.exists():
        return
    temporary = folder / f".{name}.{os.getpid()}.tmp"
    try:
        temporary.write_bytes(content)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def send_sms(*, to: str, text: str, key: str = "") -> None:
    _through(_gateway(settings.SMS_GATEWAY, ALIASES), to=to, text=text, key=key)


def send_telegram(*, to: str, text: str, key: str = "") -> None:
    _through(_gateway(settings.TELEGRAM_GATEWAY, TELEGRAM_ALIASES), to=to, text=text, key=key)
