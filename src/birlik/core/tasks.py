"""Background jobs of the platform core."""

from __future__ import annotations

from typing import Any, TypeVar

from django.apps import apps
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks_rq.backend import RQBackend
from redis.exceptions import RedisError
from typing_extensions import ParamSpec

from birlik.core import kpi
from birlik.core.cache import redis_down
from birlik.core.models import FigureSnapshot

T = TypeVar("T")
P = ParamSpec("P")


# --- Jobs enqueued while Redis does not answer ----------------------------------------------
# (Defined before the first @task: the tasks of this module instantiate the backend named in
# the settings, this class, while the module is still being imported.)

# The database queue's rows of jobs waiting for Redis (never run by a database worker: in RQ
# mode none runs, and the name is no backend's alias).
FALLBACK_BACKEND_NAME = "rq-fallback"


class FallbackRQBackend(RQBackend):
    """RQ, except that a job enqueued while Redis does not answer is written to the database
    queue's table instead of failing the request (typically after its commit, from
    ``on_commit``); the worker moves it to Redis when Redis answers (``fallback_jobs_move``).
    Every job of the platform is idempotent, so a job moved twice after a crash is harmless."""

    def enqueue(
        self,
        task: Task[P, T],
        args: P.args,  # type: ignore[valid-type]  # the base class's signature
        kwargs: P.kwargs,  # type: ignore[valid-type]
    ) -> TaskResult[T]:
        try:
            return super().enqueue(task, args, kwargs)
        except RedisError as error:
            redis_down("jobs are queued in the database until it answers again", error)
        from django_tasks.utils import normalize_json
        from django_tasks_db.models import DBTaskResult, get_date_max

        row = DBTaskResult.objects.create(
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after or get_date_max(),
            backend_name=FALLBACK_BACKEND_NAME,
        )
        return TaskResult(
            task=task,
            id=str(row.pk),
            status=TaskResultStatus.READY,
            enqueued_at=row.enqueued_at,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )


# --- Jobs of the core ----------------------------------------------------------------------


@task()
def figures_snapshot(year: int, region_iso: str = "") -> int:
    """Recompute every indicator for a year (and region) and keep the result with its time."""
    # The region by name: core is the base layer and imports no app above it.
    region_model = apps.get_model("geo", "Region")
    region = region_model.objects.get(iso=region_iso) if region_iso else None
    data = {}
    for lang in ("kk", "ru", "en"):
        with translation.override(lang):
            data[lang] = kpi.compute_all(kpi.Period.year(year), region)
    snapshot = FigureSnapshot.objects.create(year=year, region_iso=region_iso, data=data)
    kpi.invalidate()
    return snapshot.pk


@task()
def rate_counters_purge() -> int:
    """Drop the rate limiter's counters whose window has closed (run daily)."""
    from birlik.core import ratelimit

    return ratelimit.purge_expired()


def fallback_jobs_move(*, batch: int = 100) -> int:
    """Move the jobs kept in the database while Redis did not answer to Redis (the worker calls
    this every few seconds); the number moved. Redis failing again leaves the rest in place."""
    from django_tasks import task_backends
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = task_backends["default"]
    if not isinstance(backend, RQBackend):
        return 0
    waiting = DBTaskResult.objects.filter(
        backend_name=FALLBACK_BACKEND_NAME, status=TaskResultStatus.READY
    ).order_by("enqueued_at")
    moved = 0
    while True:
        with transaction.atomic():
            rows = list(waiting.select_for_update(skip_locked=True, of=("self",))[:batch])
            if not rows:
                return moved
            for row in rows:
                run_after = None if row.run_after >= get_date_max() else row.run_after
                # By its path: the row's backend name is no backend (``row.task`` would ask it).
                job: Any = import_string(row.task_path).using(run_after=run_after)
                arguments = row.args_kwargs or {}
                # RQBackend's own enqueue: a Redis error here must not queue it back in here.
                RQBackend.enqueue(
                    backend, job, list(arguments.get("args", [])), arguments.get("kwargs", {})
                )
                row.delete()
                moved += 1
