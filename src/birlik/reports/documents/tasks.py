"""Background jobs of the report documents: the annual report and the daily open data."""

from __future__ import annotations

from django_tasks import task


@task()
def report_generate(run_id: int) -> str:
    """Generate the files of an annual report run (its progress is kept on the run)."""
    from .services import report_run_generate

    run = report_run_generate(run_id=run_id)
    return run.status if run is not None else "skipped"


@task()
def opendata_generate() -> int:
    """Publish a new open data release (queued once a day by the worker)."""
    from .services import opendata_generate as generate

    return generate().pk
