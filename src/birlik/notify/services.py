"""Queue notices in the caller's transaction; deliver them with retries and back-off."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import channels
from .models import Notice

MAX_ATTEMPTS = 8


def notice_queue(
    *,
    channel: str,
    recipient: str,
    body: str,
    key: str,
    subject: str = "",
    language: str = "kk",
    organisation_path: str = "",
) -> Notice | None:
    """Write a notice in the current transaction (once per key); delivery starts on commit."""
    if not recipient:
        return None
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                channel=channel,
                recipient=recipient,
                subject=subject[:300],
                body=body,
                language=language,
                idempotency_key=key[:200],
                organisation_path=organisation_path,
            )
    except IntegrityError:
        return Notice.objects.filter(idempotency_key=key[:200]).first()
    transaction.on_commit(_kick)
    return notice


def _kick() -> None:
    from .tasks import notices_deliver

    notices_deliver.enqueue()


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4 … minutes, at most 4 hours between attempts."""
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 240))


def _send(notice: Notice) -> None:
    """Hand a notice to its channel; the idempotency key lets gateways drop a repeat."""
    if notice.channel == Notice.Channel.EMAIL:
        channels.send_email(
            to=notice.recipient,
            subject=notice.subject,
            body=notice.body,
            key=notice.idempotency_key,
        )
    elif notice.channel == Notice.Channel.TELEGRAM:
        channels.send_telegram(to=notice.recipient, text=notice.body, key=notice.idempotency_key)
    else:
        channels.send_sms(to=notice.recipient, text=notice.body, key=notice.idempotency_key)


def notice_deliver(*, notice_id: int) -> Notice:
    """Send one due notice; a failure is recorded and the notice retried after a back-off."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update(of=("self",)).get(pk=notice_id)
        if notice.status != Notice.Status.PENDING or notice.next_attempt_at > timezone.now():
            return notice
        notice.attempts += 1
        try:
            _send(notice)
        except channels.PermanentDeliveryError as error:
            notice.last_error = str(error)[:500]
            notice.status = Notice.Status.FAILED  # the provider refused it: no more attempts
        except channels.DeliveryError as error:
            notice.last_error = str(error)[:500]
            if notice.attempts >= MAX_ATTEMPTS:
                notice.status = Notice.Status.FAILED
            else:
                notice.next_attempt_at = timezone.now() + backoff(notice.attempts)
        else:
            notice.status = Notice.Status.SENT
            notice.sent_at = timezone.now()
            notice.last_error = ""
        notice.save()
        return notice


def notices_due(limit: int = 500) -> list[int]:
    return list(
        Notice.objects.filter(status=Notice.Status.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def notice_retry(*, notice: Notice) -> Notice:
    """Staff send a failed notice again."""
    notice.status = Notice.Status.PENDING
    notice.next_attempt_at = timezone.now()
    notice.save(update_fields=["status", "next_attempt_at"])
    transaction.on_commit(_kick)
    return notice
