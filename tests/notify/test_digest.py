"""The daily digest for staff: what needs them today, once a day, in their language."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from birlik.access.models import Grant
from birlik.appeals.models import Appeal, AppealHandler
from birlik.events.models import Event
from birlik.notify import digest
from birlik.notify.models import Notice
from birlik.notify.services import notice_deliver
from birlik.notify.tasks import staff_digest

from ..events.factories import EventFactory

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
# Tuesday 10 February 2026, 07:00 in Almaty: no holiday in the next three working days.
NOW = datetime.datetime(2026, 2, 10, 7, 0, tzinfo=ALMATY)
TODAY = NOW.date()


def at(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, 2, day, hour, 0, tzinfo=ALMATY)


def feb(day: int) -> datetime.date:
    return datetime.date(2026, 2, day)


@pytest.fixture(autouse=True)
def _frozen(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DATA_DIR = tmp_path
    settings.EVENT_REPORT_DAYS = 5
    settings.SITE_URL = "https://birlik.example.kz"
    with freeze_time(NOW):
        yield


def appeal(network, number, *, due, status=Appeal.Status.IN_PROGRESS, organisation=None, **extra):
    return Appeal.objects.create(
        number=number,
        organisation=organisation or network.pavlodar_house,
        kind=Appeal.Kind.STATEMENT,
        text="Private text of the applicant",
        applicant_name="Private Applicant",
        counted_from=feb(1),
        due_date=due,
        status=status,
        **extra,
    )


@pytest.fixture
def staff(network):
    users = network.users
    for name in ("staff_pavlodar_house", "coordinator_pavlodar", "coordinator_almaty", "analyst"):
        users[name].email = f"{name}@example.kz"
        users[name].language = "en"
        users[name].save()
    return users


@pytest.fixture
def work(network, staff):
    """Appeals and events around the staff member of the Pavlodar House of Friendship."""
    me = staff["staff_pavlodar_house"]
    other = staff["coordinator_pavlodar"]
    due_soon = appeal(network, "55-SOON", due=feb(13), executor=me)
    overdue = appeal(network, "55-LATE", due=feb(5))
    AppealHandler.objects.create(appeal=overdue, user=me, role=AppealHandler.Role.REGISTRAR)
    appeal(network, "55-LATER", due=feb(16), executor=me)  # 4 working days away
    appeal(network, "55-DONE", due=feb(11), executor=me, status=Appeal.Status.ANSWERED)
    appeal(network, "55-NOTMINE", due=feb(11), executor=other)
    appeal(network, "55-EXTENDED", due=feb(5), extended_until=feb(25), executor=me)
    house, almaty = network.pavlodar_house, network.almaty_house
    events = {
        "tomorrow": EventFactory(
            organiser=house,
            title_en="Nauryz rehearsal",
            title_kk="Наурыз дайындығы",
            starts_at=at(11, 10),
            ends_at=at(11, 12),
        ),
        "cancelled": EventFactory(
            organiser=house,
            title_en="Cancelled meeting",
            starts_at=at(11, 15),
            ends_at=at(11, 16),
            status=Event.Status.CANCELLED,
        ),
        "in two days": EventFactory(
            organiser=house, title_en="Choir evening", starts_at=at(12, 18), ends_at=at(12, 20)
        ),
        "late report": EventFactory(
            organiser=house,
            title_en="Language club",
            starts_at=at(1, 10),
            ends_at=at(1, 12),
            status=Event.Status.HELD,
        ),
        "report not late yet": EventFactory(
            organiser=house,
            title_en="Chess tournament",
            starts_at=at(8, 10),
            ends_at=at(8, 12),
            status=Event.Status.HELD,
        ),
        "reported": EventFactory(
            organiser=house,
            title_en="Book fair",
            starts_at=at(1, 10),
            ends_at=at(1, 12),
            status=Event.Status.REPORTED,
        ),
        "almaty late report": EventFactory(
            organiser=almaty,
            title_en="Almaty concert",
            starts_at=at(1, 10),
            ends_at=at(1, 12),
            status=Event.Status.HELD,
        ),
    }
    return {"due_soon": due_soon, "overdue": overdue, "events": events}


def digest_of(user) -> Notice:
    return Notice.objects.get(idempotency_key=f"digest:{user.pk}:{TODAY.isoformat()}")


def test_staff_member_gets_one_digest_with_due_overdue_tomorrow_and_late_reports(staff, work):
    digest.staff_digest_queue()
    notice = digest_of(staff["staff_pavlodar_house"])
    assert notice.channel == "email"
    assert notice.recipient == "staff_pavlodar_house@example.kz"
    assert notice.subject == "Birlik: your summary for 10.02.2026"
    body = notice.body
    assert "1 appeal you handle is overdue:" in body
    assert "55-LATE, " in body and "the answer was due on 05.02.2026" in body
    assert "1 appeal you handle is due within 3 working days:" in body
    assert "answer due on 13.02.2026" in body
    assert "1 event you manage starts tomorrow:" in body
    assert "10:00 Nauryz rehearsal" in body
    assert "1 event report is overdue:" in body
    assert "Language club" in body and "ended on 01.02.2026" in body
    assert "https://birlik.example.kz/en/workspace/" in body
    for absent in (
        "55-LATER", "55-DONE", "55-NOTMINE", "55-EXTENDED", "Cancelled meeting",
        "Choir evening", "Chess tournament", "Book fair", "Almaty concert",
    ):  # fmt: skip
        assert absent not in body
    assert "Private" not in body  # the applicant's data stays in the workspace


def test_regional_coordinator_sees_events_and_late_reports_of_the_whole_region(staff, work):
    digest.staff_digest_queue()
    body = digest_of(staff["coordinator_pavlodar"]).body
    assert "Nauryz rehearsal" in body and "Language club" in body
    assert "Almaty concert" not in body
    assert "55-SOON" not in body and "55-LATE" not in body  # not named on them
    almaty = digest_of(staff["coordinator_almaty"]).body
    assert "Almaty concert" in almaty and "Language club" not in almaty


def test_digest_is_queued_once_a_day_however_often_the_job_runs(staff, work):
    assert staff_digest.call() == 3
    assert staff_digest.call() == 0
    assert digest.staff_digest_queue() == 0
    assert Notice.objects.filter(idempotency_key__startswith="digest:").count() == 3
    with freeze_time(NOW + datetime.timedelta(days=1)):
        assert digest.staff_digest_queue() == 3
    assert Notice.objects.filter(idempotency_key__startswith="digest:").count() == 6


def test_nobody_without_something_to_do_a_staff_grant_an_email_or_an_active_account_is_written(
    network, staff, work
):
    nothing = network.users["admin"]  # no e-mail address
    analyst = staff["analyst"]  # an e-mail but no staff grant
    inactive = staff["coordinator_almaty"]
    inactive.is_active = False
    inactive.save()
    revoked = staff["coordinator_pavlodar"]
    Grant.objects.filter(user=revoked).update(revoked_at=timezone.now())
    digest.staff_digest_queue()
    recipients = set(Notice.objects.values_list("recipient", flat=True))
    assert recipients == {"staff_pavlodar_house@example.kz"}
    assert nothing.email == "" and analyst.email not in recipients


def test_staff_with_nothing_to_report_get_no_email(staff):
    assert digest.staff_digest_queue() == 0
    assert not Notice.objects.exists()


def test_digest_is_written_in_the_language_of_the_user(staff, work):
    me = staff["staff_pavlodar_house"]
    me.language = "kk"
    me.save()
    digest.staff_digest_queue()
    notice = digest_of(me)
    assert notice.language == "kk"
    assert "Наурыз дайындығы" in notice.body and "Nauryz rehearsal" not in notice.body
    assert "/kk/workspace/" in notice.body


def test_long_sections_are_cut_with_a_count_of_the_rest(network, staff):
    for number in range(digest.SECTION_LIMIT + 3):
        EventFactory(
            organiser=network.pavlodar_house, title_en=f"Workshop {number}",
            starts_at=at(11, 9), ends_at=at(11, 10),
        )  # fmt: skip
    digest.staff_digest_queue()
    body = digest_of(staff["staff_pavlodar_house"]).body
    assert "23 events you manage start tomorrow:" in body
    assert body.count("Workshop") == digest.SECTION_LIMIT
    assert "… and 3 more in the workspace." in body


def test_without_the_appeals_app_the_digest_lists_events_only(staff, work, monkeypatch):
    monkeypatch.setattr(
        digest.apps, "is_installed", lambda name: name != "birlik.appeals", raising=True
    )
    digest.staff_digest_queue()
    body = digest_of(staff["staff_pavlodar_house"]).body
    assert "appeal" not in body and "Nauryz rehearsal" in body


def test_digest_is_delivered_as_an_email(staff, work):
    digest.staff_digest_queue()
    notice = digest_of(staff["staff_pavlodar_house"])
    notice_deliver(notice_id=notice.pk)
    [message] = [m for m in mail.outbox if m.to == ["staff_pavlodar_house@example.kz"]]
    assert message.subject == "Birlik: your summary for 10.02.2026"
    assert "55-SOON" in message.body
