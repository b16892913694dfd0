"""Background jobs of reports."""

from __future__ import annotations

from django_tasks import task


@task()
def event_figures_rebuild() -> int:
    """Build the events rollup of the dashboards again from the events (nightly, and after a
    bulk load): it heals whatever a write outside ``events.services`` left behind."""
    from birlik.events.services import event_figures_rebuild as rebuild

    return rebuild()
