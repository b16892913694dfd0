"""Background jobs of the ideas platform: the daily reminder of official answers due."""

from __future__ import annotations

from django_tasks import task


@task()
def answers_remind_job() -> int:
    """Daily: the staff of each body are reminded of answers due within two working days and
    of overdue ones (``services.answers_remind``); the number of notices queued."""
    from .services import answers_remind

    return answers_remind()


def daily_jobs() -> list[str]:
    """The ideas platform's share of the worker's daily jobs (``cli.enqueue_daily_jobs``)."""
    answers_remind_job.enqueue()
    return [answers_remind_job.name]
