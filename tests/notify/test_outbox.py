"""The outbox: written with the change, delivered once, retried with back-off, failures kept."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time

from birlik.notify import channels
from birlik.notify.models import Notice
from birlik.notify.services import MAX_ATTEMPTS, backoff, notice_deliver, notice_queue
from birlik.notify.tasks import notices_deliver


@pytest.fixture(autouse=True)
def _memory_mail(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DATA_DIR = tmp_path


def queue(key="k1", channel="email", recipient="a@example.kz"):
    return notice_queue(channel=channel, recipient=recipient, subject="S", body="B", key=key)


def test_same_key_queues_one_notice(db):
    first = queue()
    second = queue()
    assert first.pk == second.pk
    assert Notice.objects.count() == 1


def test_notice_rolls_back_with_the_change_that_caused_it(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the change failed")
    assert not Notice.objects.exists()


def test_delivery_sends_once(db):
    notice = queue()
    notice_deliver(notice_id=notice.pk)
    notice_deliver(notice_id=notice.pk)
    assert len(mail.outbox) == 1
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.attempts == 1


def test_sms_goes_to_the_gateway(db, tmp_path):
    notice = queue(channel="sms", recipient="+77010000001")
    notice_deliver(notice_id=notice.pk)
    assert "+77010000001\tB" in (tmp_path / "sms.log").read_text()


def test_failure_is_retried_with_back_off_then_marked_failed(db, monkeypatch):
    def refuse(**kwargs):
        raise channels.DeliveryError("gateway down")

    monkeypatch.setattr(channels, "send_email", refuse)
    notice = queue()
    start = timezone.now()
    with freeze_time(start) as clock:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            notice_deliver(notice_id=notice.pk)
            notice.refresh_from_db()
            assert notice.attempts == attempt
            assert notice.last_error == "gateway down"
            if attempt < MAX_ATTEMPTS:
                assert notice.status == "pending"
                assert notice.next_attempt_at == timezone.now() + backoff(attempt)
                notice_deliver(notice_id=notice.pk)  # not due yet: nothing happens
                notice.refresh_from_db()
                assert notice.attempts == attempt
                clock.tick(backoff(attempt) + datetime.timedelta(seconds=1))
    assert notice.status == "failed"


def test_back_off_grows_and_is_capped():
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff(30) == datetime.timedelta(hours=4)


def test_delivery_job_sends_due_notices_through_the_queue(
    db, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        queue("a")
        queue("b", channel="sms", recipient="+77010000002")
    assert Notice.objects.filter(status="sent").count() == 2
    assert notices_deliver.call() == 0


def test_one_delivery_job_per_transaction_and_none_lost_with_a_rolled_back_savepoint(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    from birlik.notify import services

    kicks: list[int] = []
    monkeypatch.setattr(services, "_kick", lambda: kicks.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        queue("a")
        queue("b", channel="sms", recipient="+77010000002")
        queue("c", recipient="b@example.kz")
    assert kicks == [1]  # three notices, one job: it delivers every due notice
    kicks.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            queue("d")  # its kick waits inside the savepoint …
            raise RuntimeError("this part failed")
        queue("e")  # … so this notice, outside it, registers its own
    assert kicks == [1]
    assert sorted(
        Notice.objects.filter(status="pending").values_list("idempotency_key", flat=True)
    ) == ["a", "b", "c", "e"]
