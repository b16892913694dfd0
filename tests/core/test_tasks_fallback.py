"""Jobs enqueued while Redis does not answer are kept in the database, then moved to Redis."""

import os
import socket

import pytest
import redis
from django.conf import settings as django_settings
from django_tasks_db.models import DBTaskResult

from birlik.core.tasks import FALLBACK_BACKEND_NAME, FallbackRQBackend, fallback_jobs_move
from birlik.notify.tasks import notices_deliver

# The test Redis (CI sets REDIS_URL); db 13 is this module's own.
REDIS_BASE = os.environ.get("REDIS_URL", "") or "redis://127.0.0.1:6379/0"
REDIS_TEST_URL = REDIS_BASE.rsplit("/", 1)[0] + "/13"


@pytest.fixture(autouse=True)
def _warn_again(monkeypatch):
    """The outage warning is logged at most every 30 s per process: each test sees its own."""
    monkeypatch.setattr("birlik.core.cache._last_warning", -1e9)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rq_settings(settings, url):
    settings.RQ_QUEUES = {"default": {"URL": url, "DEFAULT_TIMEOUT": 3600}}
    settings.TASKS = {
        "default": {"BACKEND": "birlik.core.tasks.FallbackRQBackend", "QUEUES": ["default"]}
    }


def redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


def test_a_job_enqueued_while_redis_is_down_is_kept_in_the_database(db, settings, caplog):
    rq_settings(settings, f"redis://127.0.0.1:{closed_port()}/0")
    backend = FallbackRQBackend("default", {"QUEUES": ["default"]})
    result = backend.enqueue(notices_deliver, [], {})
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.backend_name == FALLBACK_BACKEND_NAME
    assert row.task_path == notices_deliver.module_path
    assert "jobs are queued in the database" in caplog.text


@pytest.mark.skipif(not redis_answers(REDIS_TEST_URL), reason="needs a Redis server")
def test_the_worker_moves_kept_jobs_to_redis_when_it_answers(db, settings):
    rq_settings(settings, f"redis://127.0.0.1:{closed_port()}/0")
    FallbackRQBackend("default", {"QUEUES": ["default"]}).enqueue(notices_deliver, [], {})
    assert DBTaskResult.objects.filter(backend_name=FALLBACK_BACKEND_NAME).count() == 1

    client = redis.Redis.from_url(REDIS_TEST_URL)
    client.flushdb()
    rq_settings(settings, REDIS_TEST_URL)
    try:
        assert fallback_jobs_move() == 1
        assert not DBTaskResult.objects.filter(backend_name=FALLBACK_BACKEND_NAME).exists()
        assert client.llen("rq:queue:default") == 1
    finally:
        client.flushdb()


@pytest.mark.skipif(
    not redis_answers(REDIS_TEST_URL) or "django_rq" not in django_settings.INSTALLED_APPS,
    reason="needs a Redis server and the RQ task backend (the PostgreSQL + Redis stage)",
)
def test_birlik_worker_runs_the_platforms_jobs_from_redis(transactional_db, settings, monkeypatch):
    """`birlik worker` over RQ runs a queued job to its end (here: a notice is sent)."""
    from django.core import mail
    from django.core.management import call_command

    from birlik import cli
    from birlik.notify.models import Notice
    from birlik.notify.services import notice_queue

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS_BACKEND = "rq"
    rq_settings(settings, REDIS_TEST_URL)
    client = redis.Redis.from_url(REDIS_TEST_URL)
    client.flushdb()
    started: list[tuple[str, ...]] = []
    monkeypatch.setattr(cli, "_setup", lambda: None)
    monkeypatch.setattr(cli, "_manage", lambda *args, **options: started.append(args))
    cli.cmd_worker(cli.build_parser().parse_args(["worker", "--batch"]))
    (rqworker,) = [args for args in started if args[0] == "rqworker"]
    try:
        notice = notice_queue(channel="email", recipient="a@example.kz", body="B", key="rq-1")
        notices_deliver.enqueue()
        # In this process (no work horse), so that the test database and mailbox are shared.
        call_command(*rqworker, "--burst", "--worker-class", "rq.worker.SimpleWorker")
        notice.refresh_from_db()
        assert notice.status == Notice.Status.SENT
        assert len(mail.outbox) == 1
    finally:
        client.flushdb()
