"""Nothing lost, nothing twice: appeals sent while the web server and the worker are killed,
and notices sent again after a crash between sending and recording.

The full run (1,000 submissions, SIGKILL every 1–3 s) is ``bench/appeals_kill.py``; the short
run here (60 submissions, 3 rounds of kills) takes about 20 s and is part of the suite on the
embedded stage (it starts its own server and worker on SQLite, whatever the suite's database).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from freezegun import freeze_time

from birlik.notify import channels
from birlik.notify.models import Notice
from birlik.notify.services import claim_lease, notice_deliver

BENCH = Path(__file__).resolve().parents[2] / "bench"


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, the transaction is not committed."""


def killed_after_sending(monkeypatch, name):
    """The channel delivers, then the process dies before the notice is marked sent."""
    real = getattr(channels, name)

    def send_then_die(**kwargs):
        real(**kwargs)
        raise Killed

    monkeypatch.setattr(channels, name, send_then_die)


def queue(channel, recipient):
    with transaction.atomic():
        return Notice.objects.create(
            channel=channel,
            recipient=recipient,
            subject="2026-000001",
            body="Your appeal 2026-000001 is registered.",
            idempotency_key=f"appeal:1:receipt:2026-05-04:{channel}",
        )


@pytest.mark.django_db(transaction=True)
def test_an_sms_sent_again_after_a_crash_reaches_the_applicant_once(monkeypatch, settings):
    notice = queue("sms", "+77010000001")
    killed_after_sending(monkeypatch, "send_sms")
    with pytest.raises(Killed):
        notice_deliver(notice_id=notice.pk)
    monkeypatch.undo()
    # The crash left it claimed ("being sent"): nobody sends it again before the lease ends.
    assert Notice.objects.get(pk=notice.pk).status == "sending"
    assert notice_deliver(notice_id=notice.pk).status == "sending"
    with freeze_time(timezone.now() + claim_lease() * 3 / 2):
        assert notice_deliver(notice_id=notice.pk).status == "sent"
    log = (Path(settings.DATA_DIR) / "sms.log").read_text(encoding="utf-8")
    assert log.count(notice.idempotency_key) == 1


@pytest.mark.django_db(transaction=True)
def test_an_email_sent_again_after_a_crash_lands_once_in_the_mailbox(
    monkeypatch, settings, tmp_path
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "outbox")
    notice = queue("email", "aigerim@example.kz")
    killed_after_sending(monkeypatch, "send_email")
    with pytest.raises(Killed):
        notice_deliver(notice_id=notice.pk)
    monkeypatch.undo()
    with freeze_time(timezone.now() + claim_lease() * 3 / 2):  # the crash's claim ends
        assert notice_deliver(notice_id=notice.pk).status == "sent"
    files = list((tmp_path / "outbox").iterdir())
    assert len(files) == 1
    message = files[0].read_text()
    assert "aigerim@example.kz" in message and "X-Birlik-Notice: appeal:1:receipt" in message


@pytest.mark.django_db
def test_an_email_carries_a_message_id_made_from_its_key(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    channels.send_email(to="a@example.kz", subject="S", body="B", key="appeal:1:receipt")
    channels.send_email(to="a@example.kz", subject="S", body="B", key="appeal:1:receipt")
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]


@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="the kill run uses its own SQLite data directory; the embedded stage runs it",
)
def test_appeals_sent_while_web_and_worker_are_killed_are_all_kept_and_receipted_once(db, tmp_path):
    # ``db`` only places it among the database tests, which run first (it starts first
    # of all: the longest test); its processes use a database of their own.
    sys.path.insert(0, str(BENCH))
    try:
        import appeals_kill
    finally:
        sys.path.remove(str(BENCH))
    report = appeals_kill.run(
        count=60,
        threads=4,
        every=(0.4, 0.8),
        kills=3,
        scale=0.02,
        data_dir=tmp_path / "data",
        progress=False,
    )
    assert report.problems == []
    assert sum(report.kills.values()) >= 3
    assert report.tally["success (302 to the receipt)"] >= 30
    assert report.tally["receipts delivered exactly once"] == report.tally["receipt notices queued"]
