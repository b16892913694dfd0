"""Background jobs of the workspace."""

from __future__ import annotations

from django_tasks import task

from . import importing


@task()
def import_files_sweep() -> int:
    """Daily: delete the dry-run files of imports older than a day (each upload sweeps too)."""
    return importing.sweep_expired()
