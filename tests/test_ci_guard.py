"""The CI stages test what they say: the database and the job engine named by the environment.

`.ci/run` runs the suite twice: on the embedded default (SQLite, jobs in the database) and with
DATABASE_URL (PostgreSQL) and REDIS_URL (RQ over Redis, Redis cache). These tests fail when a
stage silently ran on something else, and prove the at-scale job path end to end.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from freezegun import freeze_time

from birlik.core.models import FigureSnapshot

REDIS_URL = os.environ.get("REDIS_URL", "")


def test_the_suite_runs_on_the_database_the_environment_names(db):
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    if url and expected == "sqlite" and not url.startswith("sqlite"):
        pytest.fail(f"DATABASE_URL names a database this suite does not know: {url!r}")
    assert connection.vendor == expected


def test_jobs_and_cache_use_redis_exactly_when_redis_url_is_set():
    backend = settings.TASKS["default"]["BACKEND"]
    cache_backend = settings.CACHES["default"]["BACKEND"]
    if REDIS_URL:
        from django.core.cache.backends.redis import RedisCache
        from django.utils.module_loading import import_string
        from django_tasks_rq.backend import RQBackend

        # Birlik's own kinds, which outlive a Redis outage (core.tasks, core.cache).
        assert backend == "birlik.core.tasks.FallbackRQBackend"
        assert issubclass(import_string(backend), RQBackend)
        assert cache_backend == "birlik.core.cache.FailSafeRedisCache"
        assert issubclass(import_string(cache_backend), RedisCache)
    else:
        assert backend == "django_tasks_db.DatabaseBackend"
        assert cache_backend == "birlik.core.cache.SharedTableCache"


@pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (the second stage of .ci/run)")
def test_the_redis_cache_keeps_and_forgets_values():
    cache.set("birlik-ci-guard", {"bodies": 3}, timeout=30)
    assert cache.get("birlik-ci-guard") == {"bodies": 3}
    cache.delete("birlik-ci-guard")
    assert cache.get("birlik-ci-guard") is None


@pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (the second stage of .ci/run)")
@freeze_time("2026-06-30")
def test_a_job_goes_through_redis_and_an_rq_worker(network):
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    from birlik.core.tasks import figures_snapshot

    result = figures_snapshot.enqueue(2026, "KZ-55")
    assert result.status == "READY"
    assert not FigureSnapshot.objects.exists()
    queue = django_rq.get_queue("default", job_class=Job)
    job = queue.fetch_job(result.id)
    assert job is not None, "the job did not reach Redis"
    # Run this job only, whatever else waits in the shared queue: put it first, take one.
    queue.remove(job)
    queue.enqueue_job(job, at_front=True)
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    assert worker.work(burst=True, max_jobs=1)
    snapshot = FigureSnapshot.objects.get()
    assert snapshot.region_iso == "KZ-55"
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == snapshot.pk
