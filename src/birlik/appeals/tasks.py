"""Background jobs of appeals."""

from __future__ import annotations

from django_tasks import task

from .services import appeals_escalate_overdue


@task()
def escalate_overdue() -> int:
    """Daily: overdue appeals go up to the parent body (run by `birlik escalate_overdue` too)."""
    return appeals_escalate_overdue()
