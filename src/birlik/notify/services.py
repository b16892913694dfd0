"""Queue notices in the caller's transaction; deliver them with retries and back-off."""

from __future__ import annotations

import datetime
import logging
import time

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connections, transaction
from django.db.models import F
from django.utils import timezone

from . import channels
from .models import Notice

logger = logging.getLogger(__name__)

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
    _kick_on_commit()
    return notice


class _KickOnCommit:
    """The on-commit callback of one transaction's delivery job; knows whether it has run."""

    ran = False

    def __call__(self) -> None:
        self.ran = True
        _kick()


def _kick_on_commit() -> None:
    """One delivery job per transaction, however many notices it writes (a public appeal
    writes the receipt by e-mail and SMS, and the staff's notices): the job delivers every due
    notice. Skipped only when a kick that has not run yet waits at this savepoint or an outer
    one, so a rolled-back savepoint never takes with it the kick of a notice that stays."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        current = set(connection.savepoint_ids)
        for savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _KickOnCommit) and not callback.ran and savepoints <= current:
                return
    transaction.on_commit(_KickOnCommit())


def _kick() -> None:
    """Start delivery after the commit. The notice is already stored: a queue that cannot take
    the job must not turn the committed request into an error (the worker's sweep sends it)."""
    from .tasks import notices_deliver

    try:
        notices_deliver.enqueue()
    except Exception:
        logger.exception("notices written but their delivery job not queued; the sweep sends them")


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


def claim_lease() -> datetime.timedelta:
    """How long a notice being sent stays claimed (``NOTIFY_CLAIM_SECONDS``): more than any
    channel's time-out, so a slow send is never taken over; a worker that died mid-send leaves
    its claim to run out, and the notice is sent again (see notice_deliver)."""
    return datetime.timedelta(seconds=settings.NOTIFY_CLAIM_SECONDS)


# How long a worker that sent a notice keeps trying to record it while the database is down.
RECORD_PATIENCE_S = 300.0


def notice_deliver(*, notice_id: int) -> Notice:
    """Send one due notice, once: the claim is committed before the channel is called, so no
    other worker sends it meanwhile, and the outcome is recorded even across a database restart.

    Only a worker killed between the channel's acceptance and the record can leave a sent notice
    to be sent again when its claim runs out; the channel then gets the same idempotency key
    (e-mail: the same Message-ID) and drops or merges the repeat."""
    now = timezone.now()
    claimed = Notice.objects.filter(
        pk=notice_id,
        status__in=(Notice.Status.PENDING, Notice.Status.SENDING),
        next_attempt_at__lte=now,
    ).update(
        status=Notice.Status.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + claim_lease(),
    )
    notice = Notice.objects.get(pk=notice_id)
    if not claimed:
        return notice
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
            notice.status = Notice.Status.PENDING
            notice.next_attempt_at = timezone.now() + backoff(notice.attempts)
    else:
        notice.status = Notice.Status.SENT
        notice.sent_at = timezone.now()
        notice.last_error = ""
    _record(notice)
    return notice


def _record(notice: Notice) -> None:
    """Write the outcome of a send; while the database does not answer (a restart), try again
    with a new connection: this worker alone knows whether the channel took the notice."""
    fields = ["status", "next_attempt_at", "sent_at", "last_error"]
    patience = time.monotonic() + RECORD_PATIENCE_S
    wait = 0.25
    while True:
        try:
            Notice.objects.filter(pk=notice.pk, status=Notice.Status.SENDING).update(
                **{name: getattr(notice, name) for name in fields}
            )
            return
        except (OperationalError, InterfaceError):
            connection = connections[Notice.objects.db]
            if connection.in_atomic_block or time.monotonic() > patience:
                raise
            logger.warning("notice %s: the database does not answer; recording again", notice.pk)
            connection.close()
            time.sleep(wait)
            wait = min(wait * 2, 5.0)


def notices_due(limit: int = 500) -> list[int]:
    """Notices waiting to be sent, and those whose sender died mid-send (claim run out)."""
    return list(
        Notice.objects.filter(
            status__in=(Notice.Status.PENDING, Notice.Status.SENDING),
            next_attempt_at__lte=timezone.now(),
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def notices_deliver_due() -> int:
    """Deliver every due notice now; the number sent."""
    sent = 0
    for notice_id in notices_due():
        if notice_deliver(notice_id=notice_id).status == Notice.Status.SENT:
            sent += 1
    return sent


def outbox_sweep(*, older_than: datetime.timedelta = datetime.timedelta(seconds=20)) -> int:
    """The worker's safety net, every few seconds: deliver the notices due for a while that no
    job took (their job was lost with a killed worker, or could not be queued while Redis was
    down). The number sent."""
    if not Notice.objects.filter(
        status__in=(Notice.Status.PENDING, Notice.Status.SENDING),
        next_attempt_at__lte=timezone.now() - older_than,
    ).exists():
        return 0
    return notices_deliver_due()


def notice_retry(*, notice: Notice) -> Notice:
    """Staff send a failed notice again."""
    notice.status = Notice.Status.PENDING
    notice.next_attempt_at = timezone.now()
    notice.save(update_fields=["status", "next_attempt_at"])
    _kick_on_commit()
    return notice
