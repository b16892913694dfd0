"""Background jobs of events."""

from __future__ import annotations

from django_tasks import task

from .services import registration_send_reminder


@task()
def registration_remind(registration_id: int) -> bool:
    """Runs the day before the event (enqueued with ``run_after`` when the place is confirmed)."""
    return registration_send_reminder(registration_id=registration_id)
