"""The outbox through outages: a queue that cannot take the job, a worker killed mid-send, a
database restarting between a send and its record."""

import datetime

import pytest
from django.core import mail
from django.db import OperationalError
from django.db.models import QuerySet
from django.utils import timezone
from freezegun import freeze_time
from redis.exceptions import ConnectionError as RedisConnectionError

from birlik.notify import channels
from birlik.notify.models import Notice
from birlik.notify.services import claim_lease, notice_deliver, notice_queue, outbox_sweep
from birlik.notify.tasks import notices_deliver


@pytest.fixture(autouse=True)
def _memory_mail(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DATA_DIR = tmp_path


def queue(key="k1"):
    return notice_queue(channel="email", recipient="a@example.kz", subject="S", body="B", key=key)


def test_a_request_that_queued_a_notice_succeeds_when_the_queue_is_down(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    def redis_down(*args, **kwargs):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(type(notices_deliver), "enqueue", redis_down)
    with django_capture_on_commit_callbacks(execute=True):
        notice = queue()
    assert Notice.objects.get(pk=notice.pk).status == Notice.Status.PENDING
    assert mail.outbox == []


def test_the_sweep_sends_notices_no_job_took(db):
    with freeze_time(timezone.now() - datetime.timedelta(minutes=1)):
        queue("waiting-for-a-minute")
    queue("just-queued")
    assert outbox_sweep(older_than=datetime.timedelta(seconds=20)) == 2
    assert sorted(m.extra_headers["X-Birlik-Notice"] for m in mail.outbox) == [
        "just-queued",
        "waiting-for-a-minute",
    ]


def test_the_sweep_leaves_fresh_notices_to_their_job(db):
    queue("just-queued")
    assert outbox_sweep(older_than=datetime.timedelta(seconds=20)) == 0
    assert mail.outbox == []


class WorkerKilled(BaseException):
    """What SIGKILL does to a worker: nothing after this line runs, nothing is caught."""


def test_a_notice_whose_worker_died_mid_send_is_not_sent_again_while_its_claim_lasts(
    transactional_db, monkeypatch
):
    notice = queue()
    real_send = channels.send_email

    def killed(**kwargs):
        raise WorkerKilled

    monkeypatch.setattr(channels, "send_email", killed)
    with pytest.raises(WorkerKilled):
        notice_deliver(notice_id=notice.pk)
    monkeypatch.setattr(channels, "send_email", real_send)

    # The claim was committed before the send: another worker leaves the notice alone …
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENDING
    assert notice_deliver(notice_id=notice.pk).status == Notice.Status.SENDING
    assert mail.outbox == []
    # … until the claim runs out; then it is sent, once.
    with freeze_time(timezone.now() + claim_lease() + datetime.timedelta(seconds=1)):
        notices_deliver.call()
        notices_deliver.call()
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    assert notice.attempts == 2
    assert len(mail.outbox) == 1


def test_a_send_is_recorded_once_the_database_answers_again(transactional_db, monkeypatch):
    notice = queue()
    real_update = QuerySet.update
    failures = {"left": 2}

    def restarting(self, **kwargs):
        if self.model is Notice and kwargs.get("status") == Notice.Status.SENT and failures["left"]:
            failures["left"] -= 1
            raise OperationalError("terminating connection due to administrator command")
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", restarting)
    monkeypatch.setattr("birlik.notify.services.time.sleep", lambda seconds: None)
    assert notice_deliver(notice_id=notice.pk).status == Notice.Status.SENT
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    assert failures["left"] == 0
    # Sent once, and nothing left for another worker to send again.
    assert notice_deliver(notice_id=notice.pk).status == Notice.Status.SENT
    assert len(mail.outbox) == 1


def test_a_claim_shorter_than_a_channel_time_out_is_warned_about(settings):
    from birlik.core.checks import notify_claim_check

    assert notify_claim_check() == []
    settings.NOTIFY_CLAIM_SECONDS = 15
    assert [message.id for message in notify_claim_check()] == ["birlik.W021"]
    settings.NOTIFY_CLAIM_SECONDS = 30
    assert notify_claim_check() == []
