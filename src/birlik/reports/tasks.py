"""Background jobs of reports."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def event_figures_rebuild() -> int:
    """The nightly check of every rollup of the figures (events, participants, appeals)
    against a recount from the records, and their rebuild when one differs or is not built
    yet: it heals whatever a write outside the services (a bulk load, an edit in the database)
    left behind. Returns the rows that differed."""
    from birlik.reports.management.commands import rollups

    lines: list[str] = []
    differing = rollups.check(lines.append)
    unbuilt = any(not built for _app, built, _parts in rollups.parts())
    if differing or unbuilt:
        logger.warning("rollups rebuilt: %s", "; ".join(lines))
        rollups.rebuild(lines.append)
    return differing
