"""Delivery channels. E-mail goes through Django's mail backend; SMS through a gateway class.

The embedded default writes e-mails to ``<data dir>/outbox/`` and SMS to ``<data dir>/sms.log``
so a demo shows what would be sent without any account at a provider.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string


class DeliveryError(Exception):
    """A channel could not deliver; the notice is retried later."""


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


class FileSmsGateway:
    """Appends each SMS to a log file in the data directory (embedded default)."""

    def send(self, *, to: str, text: str) -> None:
        path = Path(settings.DATA_DIR) / "sms.log"
        with path.open("a", encoding="utf-8") as handle:
            handle.write(f"{timezone.now().isoformat()}\t{to}\t{text}\n")


def send_email(*, to: str, subject: str, body: str) -> None:
    try:
        EmailMessage(subject=subject, body=body, to=[to]).send(fail_silently=False)
    except OSError as error:  # SMTP refusals and network failures are OSError subclasses
        raise DeliveryError(str(error)) from error


def send_sms(*, to: str, text: str) -> None:
    gateway: SmsGateway = import_string(settings.SMS_GATEWAY)()
    try:
        gateway.send(to=to, text=text)
    except OSError as error:
        raise DeliveryError(str(error)) from error
