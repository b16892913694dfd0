"""Jobs of early warning on the queue; the worker's minute tick (``cli``) queues the due ones.

Each part keeps its own section (add code only under your own header)."""

from __future__ import annotations

import datetime
import time as _time

from django.utils import timezone
from django_tasks import task

# --- Sources and collection (collect) ---------------------------------------------------------


@task()
def source_fetch_job(source_id: int) -> int:
    """Read one claimed source; the number of new items (0 when it is gone or no longer
    read over the internet)."""
    from birlik.core.errors import DomainError

    from . import services
    from .models import Source

    try:
        return services.source_fetch(source_id=source_id).items_new
    except (Source.DoesNotExist, DomainError):
        return 0


@task()
def sources_fetch_due() -> int:
    """Every minute: claim the sources due (at most ``MONITORING_FETCHES_PER_TICK``) and
    queue a fetch for each; a source is claimed by one worker only."""
    from . import services

    claimed = services.sources_claim_due(now=timezone.now())
    for source_id in claimed:
        source_fetch_job.enqueue(source_id)
    return len(claimed)


@task()
def source_fetches_sweep() -> int:
    """Daily: the fetch log past 30 days and items past their source's retention (items an
    alert or a label refers to are kept)."""
    from . import services

    return services.collected_sweep(now=timezone.now())


# --- Processing (pipeline) --------------------------------------------------------------------

# A processing job stops taking new batches after this long: the next minute's job goes on.
PROCESS_BUDGET_S = 25.0


@task()
def items_process_job() -> int:
    """Process waiting items batch after batch for up to ``PROCESS_BUDGET_S`` seconds."""
    from . import processing

    deadline = _time.monotonic() + PROCESS_BUDGET_S
    done = 0
    while _time.monotonic() < deadline:
        result = processing.items_process(limit=processing.batch_size())
        done += result.processed
        if not result.processed:
            break
    return done


@task()
def stories_close_job() -> int:
    """Close the stories quiet for three days: later items open new ones."""
    from . import stories

    return stories.stories_close_quiet(now=timezone.now())


def minute_jobs(*, now: datetime.datetime | None = None) -> list[str]:
    """What the worker's tick queues each minute (``cli``): due sources, waiting items, and
    every tenth minute the escalation of unacknowledged alerts."""
    now = now or timezone.now()
    queued = ["sources_fetch_due", "items_process_job", "alerts_evaluate_job"]
    sources_fetch_due.enqueue()
    items_process_job.enqueue()
    # Each batch evaluates the rules on its own items; this catches up a batch whose own
    # evaluation failed, and the growth of stories fed by no new item.
    alerts_evaluate_job.enqueue()
    if now.minute % 10 == 0:
        alerts_escalate_job.enqueue()
        queued.append("alerts_escalate_job")
    return queued


def daily_jobs() -> list[str]:
    """Early warning's share of the worker's daily jobs (``cli.enqueue_daily_jobs``)."""
    jobs = [
        source_fetches_sweep,
        stories_close_job,
        appeal_signals_job,
        tension_rebuild_job,
        club_publications_sync_job,
    ]
    for job in jobs:
        job.enqueue()
    return [job.name for job in jobs]


# --- Labels and risk models (learn) -----------------------------------------------------------


@task()
def risk_model_train_job(user_id: int) -> int | None:
    """Train a new risk model version for the analyst who asked on the models page; the new
    version's id, or None when there were too few labels (the page says so)."""
    from .services import risk_model_train_run

    risk_model = risk_model_train_run(user_id=user_id)
    return risk_model.pk if risk_model is not None else None


# --- Alerts (alerts) --------------------------------------------------------------------------


@task()
def alerts_evaluate_job(item_ids: list[int] | None = None) -> int:
    """Run the alert rules over the items processed since the last run (or ``item_ids``) and
    the growing stories; returns how many alerts were raised."""
    from .services import alerts_evaluate

    return len(alerts_evaluate(now=timezone.now(), item_ids=item_ids))


@task()
def alerts_escalate_job() -> int:
    """Every ten minutes: alerts unacknowledged past their term go to the national level."""
    from .services import alerts_escalate

    return alerts_escalate(now=timezone.now())


# --- Tension index and appeal signals (media) -------------------------------------------------

# the journalists' club


@task()
def club_publications_sync_job() -> int:
    """Daily: what the club's member and partner media published, as collected from their
    sources, joins the club's register (the last three days, so a missed day is caught up)."""
    from .services import CLUB_SYNC_WINDOW, club_publications_sync

    return club_publications_sync(since=timezone.now() - CLUB_SYNC_WINDOW)


# tension and appeal signals


@task()
def appeal_signals_job() -> int:
    """Daily: the appeals of the last two weeks (and any not yet read) scored by the classifier;
    queued before the index is rebuilt, which counts them."""
    from .services import appeal_signals_update

    return appeal_signals_update()


@task()
def tension_rebuild_job() -> int:
    """Daily: the tension index of every region for the last 12 weeks and the week so far."""
    from .services import tension_rebuild

    return tension_rebuild(today=timezone.localdate())
