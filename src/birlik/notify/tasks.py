"""Background delivery of the outbox."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from .models import Notice
from .services import notices_deliver_due


@task()
def notices_deliver() -> int:
    """Deliver every due notice; when some wait for a retry, come back at the earliest one."""
    sent = notices_deliver_due()
    upcoming = (
        Notice.objects.filter(status=Notice.Status.PENDING, next_attempt_at__gt=timezone.now())
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if upcoming is not None:
        notices_deliver.using(run_after=upcoming).enqueue()
    return sent


@task()
def staff_digest() -> int:
    """Queue today's digest e-mail for each member of staff with something to do (run daily,
    e.g. each morning; a second run the same day queues nothing)."""
    from .digest import staff_digest_queue

    return staff_digest_queue()
