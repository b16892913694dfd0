"""Appeals and proposals through their services: legal terms in working days (Asia/Almaty),
anonymity, consent, numbering, routing, confidentiality, the second approver, extensions,
redirections, escalation and proposals to state bodies."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from freezegun import freeze_time

from birlik.access.models import AuditEntry, Role
from birlik.appeals import services
from birlik.appeals.models import (
    Appeal,
    AppealHandler,
    AppealStep,
    Proposal,
    StateBody,
)
from birlik.appeals.services import (
    AppealError,
    appeal_approve_answer,
    appeal_assign,
    appeal_close,
    appeal_draft_answer,
    appeal_extend,
    appeal_read,
    appeal_redirect,
    appeal_register,
    appeal_take_on,
    appeals_escalate_overdue,
    proposal_approve,
    proposal_draft,
    proposal_record_answer,
    proposal_send,
)
from birlik.core import sequences
from birlik.notify.models import Notice

from ..factories import GrantFactory, UserFactory, region

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
TEXT = "Біздің ауылда жол жөндеуді сұраймыз, көктемде өту мүмкін емес."


@pytest.fixture(autouse=True)
def status_link(monkeypatch):
    """The portal's status page may not exist yet: then a stand-in link, built in the language
    active when the notice is written (so the test still sees the notice's language)."""
    try:
        reverse("portal:appeal_status", kwargs={"token": "x"})
    except NoReverseMatch:
        monkeypatch.setattr(
            services,
            "status_url",
            lambda appeal: f"https://birlik.test/{translation.get_language()}/a/{appeal.token}/",
        )


@pytest.fixture
def staff(network):
    """Two body staff of the Pavlodar House of Friendship, everyone with an e-mail address."""
    second = UserFactory(username="staff_pavlodar_house_2")
    GrantFactory(user=second, role=Role.BODY_STAFF, organisation=network.pavlodar_house)
    network.users["staff_pavlodar_house_2"] = second
    for name, user in network.users.items():
        user.email = f"{name}@birlik.test"
        user.save(update_fields=["email"])
    return network.users


def at(year, month, day, hour=11, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def register(organisation, received_at=None, **overrides):
    values = {
        "organisation": organisation,
        "kind": Appeal.Kind.REQUEST,
        "text": TEXT,
        "language": "kk",
        "applicant_name": "Асқар Сейітов",
        "applicant_phone": "+77011234567",
        "applicant_email": "askar@example.kz",
        "consent": True,
    }
    values.update(overrides)
    if received_at is None:
        return appeal_register(**values)
    with freeze_time(received_at):
        return appeal_register(**values)


# --- Terms in working days -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("received_at", "counted_from", "due"),
    [
        # Friday 20 March 2026, 19:00, a working day: counted from that day. Then Sat 21, Sun 22,
        # Mon 23 (Nauryz) and Tue 24, Wed 25 (Nauryz observed) are off; working days 26, 27,
        # 30, 31 March, 1, 2, 3, 6, 7, 8, 9, 10, 13, 14, 15 April → the 15th is 15 April.
        (at(2026, 3, 20, 19), datetime.date(2026, 3, 20), datetime.date(2026, 4, 15)),
        # Saturday 21 March 2026 (Nauryz on a weekend): counted from Thursday 26 March; then
        # 27, 30, 31 March, 1, 2, 3, 6, 7, 8, 9, 10, 13, 14, 15, 16 April → 16 April.
        (at(2026, 3, 21), datetime.date(2026, 3, 26), datetime.date(2026, 4, 16)),
        # Monday 23 March 2026 (Nauryz) — same as above.
        (at(2026, 3, 23), datetime.date(2026, 3, 26), datetime.date(2026, 4, 16)),
        # Wednesday 25 March 2026, the second observed day of Nauryz — same as above.
        (at(2026, 3, 25), datetime.date(2026, 3, 26), datetime.date(2026, 4, 16)),
        # Tuesday 16 December 2025, Independence Day: counted from Wed 17 December; then 18, 19,
        # 22, 23, 24, 25, 26, 29, 30, 31 December (10), 1–2 January New Year and 7 January
        # (Orthodox Christmas) off: 5, 6, 8, 9, 12 January → 12 January 2026.
        (at(2025, 12, 16), datetime.date(2025, 12, 17), datetime.date(2026, 1, 12)),
        # Wednesday 31 December 2025, 23:30 in Almaty (= 18:30 UTC): still 31 December, a working
        # day; then 5, 6, 8, 9, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26 January → 26 January.
        (
            datetime.datetime(2025, 12, 31, 18, 30, tzinfo=datetime.UTC),
            datetime.date(2025, 12, 31),
            datetime.date(2026, 1, 26),
        ),
        # 00:30 on 1 January 2026 in Almaty is still 31 December in UTC (19:30): Almaty counts,
        # so a holiday → counted from Monday 5 January; then 6, 8, 9, 12, 13, 14, 15, 16, 19,
        # 20, 21, 22, 23, 26, 27 January → 27 January.
        (
            datetime.datetime(2025, 12, 31, 19, 30, tzinfo=datetime.UTC),
            datetime.date(2026, 1, 5),
            datetime.date(2026, 1, 27),
        ),
        # Sunday 5 January 2025 was a working day (transferred from Friday 3 January): counted
        # from it; then 6, 8 (7 January is Christmas), 9, 10, 13, 14, 15, 16, 17, 20, 21, 22,
        # 23, 24, 27 January → 27 January. A plain weekday rule would give 28 January.
        (at(2025, 1, 5), datetime.date(2025, 1, 5), datetime.date(2025, 1, 27)),
        # Friday 3 January 2025 was the day off given for that Sunday: counted from Sunday 5.
        (at(2025, 1, 3), datetime.date(2025, 1, 5), datetime.date(2025, 1, 27)),
        # Monday 10 March 2025: Women's Day (Saturday 8 March) observed: counted from Tuesday
        # 11; then 12, 13, 14, 17, 18, 19, 20 (7), Nauryz 21–25 off, 26, 27, 28, 31 March,
        # 1, 2, 3, 4 April → 4 April.
        (at(2025, 3, 10), datetime.date(2025, 3, 11), datetime.date(2025, 4, 4)),
    ],
)
def test_the_answer_is_due_after_fifteen_working_days_counted_in_almaty(
    network, received_at, counted_from, due
):
    appeal = register(network.pavlodar_house, received_at)
    appeal.refresh_from_db()
    assert appeal.counted_from == counted_from
    assert appeal.due_date == due


def test_the_number_takes_the_year_of_the_day_in_almaty(network):
    december = register(
        network.pavlodar_house, datetime.datetime(2025, 12, 31, 18, 30, tzinfo=datetime.UTC)
    )
    january = register(
        network.pavlodar_house, datetime.datetime(2025, 12, 31, 19, 30, tzinfo=datetime.UTC)
    )
    assert december.number == "2025-000001"
    assert january.number == "2026-000001"


# --- Anonymous appeals, consent, numbers, routing --------------------------------------------


def test_an_anonymous_appeal_is_registered_but_not_considered_and_nobody_is_told(network):
    nameless = register(network.pavlodar_house, applicant_name="", consent=False)
    no_contact = register(
        network.pavlodar_house, applicant_phone="", applicant_email="", consent=False
    )
    for appeal in (nameless, no_contact):
        appeal.refresh_from_db()
        assert appeal.anonymous is True
        assert appeal.status == Appeal.Status.NOT_CONSIDERED
        assert appeal.number
    assert not Notice.objects.exists()
    assert not AppealHandler.objects.exists()


def test_an_anonymous_threat_to_security_goes_to_the_supervisors_at_once(staff, network):
    appeal = register(
        network.pavlodar_house,
        applicant_name="",
        applicant_phone="",
        applicant_email="",
        consent=False,
        security_threat=True,
        kind=Appeal.Kind.REPORT,
    )
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.REGISTERED
    supervisors = set(
        appeal.handlers.filter(role=AppealHandler.Role.SUPERVISOR).values_list(
            "user__username", flat=True
        )
    )
    assert supervisors == {"coordinator_pavlodar", "admin"}
    assert sorted(Notice.objects.values_list("recipient", flat=True)) == [
        "admin@birlik.test",
        "coordinator_pavlodar@birlik.test",
    ]
    # The staff of the house itself are not named: they cannot read it.
    assert not appeal.handlers.filter(user=staff["staff_pavlodar_house"]).exists()


def test_a_named_appeal_needs_consent_and_a_refusal_uses_no_number(network):
    with pytest.raises(AppealError) as error:
        register(network.pavlodar_house, consent=False)
    assert error.value.field == "consent"
    assert not Appeal.objects.exists()
    first = register(network.pavlodar_house, at(2026, 2, 2))
    assert first.number == "2026-000001"


def test_numbers_run_without_gaps_within_each_year(network):
    numbers = [
        register(network.pavlodar_house, moment).number
        for moment in (
            at(2025, 11, 3),
            at(2025, 12, 30),
            at(2026, 1, 5),
            at(2025, 12, 31, 23, 59),
            at(2026, 1, 6),
        )
    ]
    assert numbers == [
        "2025-000001",
        "2025-000002",
        "2026-000001",
        "2025-000003",
        "2026-000002",
    ]
    assert sequences.last_numbers(services.NUMBER_SCOPE) == {2025: 3, 2026: 2}


def test_an_appeal_to_the_assembly_goes_to_the_assembly_of_the_applicants_region(network):
    pavlodar = register(None, region=region("KZ-55"))
    almaty = register(None, region=region("KZ-75"))
    elsewhere = register(None, region=region("KZ-10"))
    nowhere = register(None)
    assert pavlodar.organisation == network.pavlodar
    assert almaty.organisation == network.almaty
    assert elsewhere.organisation == network.root
    assert nowhere.organisation == network.root


def test_a_closed_body_receives_no_appeal(network):
    network.pavlodar_house.status = "closed"
    network.pavlodar_house.closed_on = datetime.date(2026, 1, 1)
    network.pavlodar_house.save(update_fields=["status", "closed_on"])
    with pytest.raises(AppealError):
        register(network.pavlodar_house)
    assert not Appeal.objects.exists()


def test_staff_register_paper_appeals_only_for_their_own_bodies(staff, network):
    paper = register(
        network.pavlodar_house, actor=staff["staff_pavlodar_house"], channel=Appeal.Channel.PAPER
    )
    assert paper.handlers.get().user == staff["staff_pavlodar_house"]
    with pytest.raises(PermissionDenied):
        register(network.almaty_house, actor=staff["staff_pavlodar_house"])


# --- Confidentiality -------------------------------------------------------------------------


def test_only_the_staff_named_on_an_appeal_read_it_and_every_read_is_logged(staff, network):
    appeal = register(network.pavlodar_house)
    house = staff["staff_pavlodar_house"]
    for outsider in ("staff_pavlodar_house", "coordinator_pavlodar", "admin", "analyst", "auditor"):
        with pytest.raises(PermissionDenied):
            appeal_read(actor=staff[outsider], appeal=appeal)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.READ).exists()

    appeal_take_on(actor=house, appeal=appeal)
    appeal_read(actor=house, appeal=appeal)
    appeal_read(actor=house, appeal=appeal)
    reads = AuditEntry.objects.filter(action=AuditEntry.Action.READ)
    assert reads.count() == 2
    assert set(reads.values_list("actor__username", flat=True)) == {"staff_pavlodar_house"}


def test_staff_of_another_region_cannot_take_an_appeal_on(staff, network):
    appeal = register(network.pavlodar_house)
    with pytest.raises(PermissionDenied):
        appeal_take_on(actor=staff["coordinator_almaty"], appeal=appeal)
    with pytest.raises(PermissionDenied):
        appeal_take_on(actor=staff["analyst"], appeal=appeal)


# --- Handling ----------------------------------------------------------------------------------


def test_the_executor_must_be_staff_of_the_body(staff, network):
    appeal = register(network.pavlodar_house)
    house = staff["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    for stranger in ("coordinator_almaty", "analyst", "nobody"):
        with pytest.raises(AppealError) as error:
            appeal_assign(actor=house, appeal=appeal, executor=staff[stranger])
        assert error.value.field == "executor"
    appeal_assign(actor=house, appeal=appeal, executor=staff["staff_pavlodar_house_2"])
    appeal.refresh_from_db()
    assert appeal.executor == staff["staff_pavlodar_house_2"]
    assert appeal.status == Appeal.Status.IN_PROGRESS
    assert appeal.handlers.filter(
        user=staff["staff_pavlodar_house_2"], role=AppealHandler.Role.EXECUTOR
    ).exists()
    assert Notice.objects.filter(recipient="staff_pavlodar_house_2@birlik.test").count() == 1


def test_a_drafter_cannot_approve_their_own_answer_but_a_colleague_can(staff, network):
    appeal = register(network.pavlodar_house, language="ru")
    house, colleague = staff["staff_pavlodar_house"], staff["staff_pavlodar_house_2"]
    appeal_take_on(actor=house, appeal=appeal)
    appeal_draft_answer(
        actor=house, appeal=appeal, text="Ваше обращение рассмотрено, дорогу отремонтируют в мае."
    )
    with pytest.raises(AppealError):
        appeal_approve_answer(actor=house, appeal=appeal)
    with pytest.raises(PermissionDenied):  # not named on it yet
        appeal_approve_answer(actor=colleague, appeal=appeal)
    appeal_take_on(actor=colleague, appeal=appeal)
    appeal_approve_answer(actor=colleague, appeal=appeal)
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ANSWERED
    assert appeal.answer_approved_by == colleague
    answers = Notice.objects.filter(idempotency_key__contains=":answer:")
    assert sorted(answers.values_list("channel", flat=True)) == ["email", "sms"]
    assert set(answers.values_list("language", flat=True)) == {"ru"}


def test_a_manager_above_the_body_may_approve_the_answer_they_drafted(staff, network):
    appeal = register(network.pavlodar_house)
    coordinator = staff["coordinator_pavlodar"]
    appeal_take_on(actor=coordinator, appeal=appeal)
    appeal_draft_answer(actor=coordinator, appeal=appeal, text="Жауап: жол мамырда жөнделеді.")
    appeal_approve_answer(actor=coordinator, appeal=appeal)
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ANSWERED


def test_an_extension_stops_at_the_legal_maximum_and_the_applicant_is_told_in_their_language(
    staff, network
):
    # Received Monday 2 February 2026: due on the 15th working day after, 23 February. The term
    # may run "not more than up to two months" from 2 February: to Thursday 2 April 2026.
    appeal = register(network.pavlodar_house, at(2026, 2, 2), language="ru")
    assert appeal.due_date == datetime.date(2026, 2, 23)
    house = staff["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    receipt_keys = set(Notice.objects.values_list("idempotency_key", flat=True))
    latest = datetime.date(2026, 4, 2)
    with freeze_time(at(2026, 2, 10)):
        with pytest.raises(AppealError) as error:
            appeal_extend(
                actor=house, appeal=appeal, until=latest + datetime.timedelta(days=1), reason="x"
            )
        assert error.value.field == "until"
        assert "2 April 2026" in str(error.value.message)
        with pytest.raises(AppealError) as error:
            appeal_extend(actor=house, appeal=appeal, until=latest, reason="  ")
        assert error.value.field == "reason"
        appeal_extend(actor=house, appeal=appeal, until=latest, reason="Нужен ответ акимата.")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.EXTENDED
    assert appeal.effective_due == latest
    assert appeal.extended_on == datetime.date(2026, 2, 10)
    assert appeal.extension_reason == "Нужен ответ акимата."
    assert appeal.extension_notice_at == at(2026, 2, 10)
    told = Notice.objects.exclude(idempotency_key__in=receipt_keys)
    assert sorted(told.values_list("channel", "recipient", "language")) == [
        ("email", "askar@example.kz", "ru"),
        ("sms", "+77011234567", "ru"),
    ]
    for notice in told:
        assert "02.04.2026" in notice.body
        assert "Нужен ответ акимата." in notice.body
        assert appeal.number in notice.body
        assert "/ru/" in notice.body
    # The same notice written again (a retried job) is not duplicated.
    services._notify_applicant(appeal, "extended")
    assert Notice.objects.exclude(idempotency_key__in=receipt_keys).count() == 2


D = datetime.date


@pytest.mark.parametrize(
    ("received_at", "latest", "latest_text"),
    [
        # Counted from Friday 23 January 2026: two months → Monday 23 March, Nauryz; 24 and 25
        # March are its observed days off → Thursday 26 March.
        (at(2026, 1, 23), D(2026, 3, 26), "26 March 2026"),
        # Counted from Wednesday 31 December 2025: 31 February does not exist → Saturday 28
        # February, not a working day → Monday 2 March 2026.
        (at(2025, 12, 31), D(2026, 3, 2), "2 March 2026"),
        # Counted from Friday 31 December 2027: the month's end of a leap year, Tuesday 29
        # February 2028, a working day.
        (at(2027, 12, 31), D(2028, 2, 29), "29 February 2028"),
        # Received Saturday 31 October 2026, counted from Monday 2 November: two months →
        # Saturday 2 January 2027, New Year (Monday 4 January is its observed day off) → 5 January.
        (at(2026, 10, 31), D(2027, 1, 5), "5 January 2027"),
    ],
)
def test_the_latest_extension_is_two_months_from_the_start_moved_to_a_working_day(
    staff, network, received_at, latest, latest_text
):
    appeal = register(network.pavlodar_house, received_at)
    house = staff["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    with freeze_time(appeal.due_date):
        with pytest.raises(AppealError) as error:
            appeal_extend(
                actor=house, appeal=appeal, until=latest + datetime.timedelta(days=1), reason="x"
            )
        assert error.value.field == "until"
        assert latest_text in str(error.value.message)
        appeal_extend(actor=house, appeal=appeal, until=latest, reason="Сараптама қажет.")
    appeal.refresh_from_db()
    assert appeal.effective_due == latest


@pytest.mark.parametrize(
    ("until", "why"),
    [
        (D(2026, 3, 24), "Nauryz, observed day off"),
        (D(2026, 3, 7), "a Saturday"),
        (D(2026, 3, 9), "Women's Day observed on Monday"),
    ],
)
def test_an_extension_to_a_day_off_is_refused(staff, network, until, why):
    appeal = register(network.pavlodar_house, at(2026, 2, 2))
    house = staff["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    with freeze_time(at(2026, 2, 10)), pytest.raises(AppealError) as error:
        appeal_extend(actor=house, appeal=appeal, until=until, reason="Сараптама қажет.")
    assert error.value.field == "until", why
    assert "is not a working day" in str(error.value.message)
    assert "2 April 2026" in str(error.value.message)
    appeal.refresh_from_db()
    assert appeal.extended_until is None


def test_a_term_that_has_run_out_cannot_be_extended(staff, network):
    appeal = register(network.pavlodar_house, at(2026, 2, 2))  # due Monday 23 February
    house = staff["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    with freeze_time(at(2026, 2, 24, 9)), pytest.raises(AppealError) as error:
        appeal_extend(actor=house, appeal=appeal, until=D(2026, 3, 20), reason="Кешігіп қалдық.")
    assert error.value.field == "until"
    assert "23 February 2026" in str(error.value.message)
    # The last day of the term, late in the evening in Almaty, is still in time.
    with freeze_time(at(2026, 2, 23, 23, 50)):
        appeal_extend(actor=house, appeal=appeal, until=D(2026, 3, 20), reason="Сараптама.")
    appeal.refresh_from_db()
    assert appeal.effective_due == D(2026, 3, 20)


def test_repeated_extensions_share_the_two_month_cap(staff, network):
    appeal = register(network.pavlodar_house, at(2026, 2, 2))  # cap: Thursday 2 April 2026
    house = staff["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    with freeze_time(at(2026, 2, 10)):
        appeal_extend(actor=house, appeal=appeal, until=D(2026, 3, 13), reason="Бірінші.")
    with freeze_time(at(2026, 3, 13, 16)):
        with pytest.raises(AppealError) as error:
            appeal_extend(actor=house, appeal=appeal, until=D(2026, 4, 3), reason="Екінші.")
        assert "2 April 2026" in str(error.value.message)
        with pytest.raises(AppealError):  # not after the current date
            appeal_extend(actor=house, appeal=appeal, until=D(2026, 3, 12), reason="Екінші.")
        appeal_extend(actor=house, appeal=appeal, until=D(2026, 4, 2), reason="Екінші.")
    appeal.refresh_from_db()
    assert appeal.effective_due == D(2026, 4, 2)
    assert appeal.extended_on == D(2026, 3, 13)
    assert appeal.extension_reason == "Екінші."
    # Each extension told the applicant its own new date, once per channel.
    extended = Notice.objects.filter(idempotency_key__contains=":extended:")
    assert extended.count() == 4
    assert extended.filter(body__contains="02.04.2026").count() == 2


def test_the_refusal_gives_the_latest_date_in_the_users_language(staff, network):
    appeal = register(network.pavlodar_house, at(2026, 2, 2))
    house = staff["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    with freeze_time(at(2026, 2, 10)), translation.override("ru"):
        with pytest.raises(AppealError) as error:
            appeal_extend(actor=house, appeal=appeal, until=D(2026, 4, 6), reason="x")
        assert "2 апреля 2026" in str(error.value.message)


def test_a_kind_of_body_may_allow_less_than_two_months_but_never_more(staff, network):
    from birlik.appeals.models import DeadlineRules

    rules = DeadlineRules.objects.create(kind=network.pavlodar_house.kind, max_extension_months=1)
    appeal = register(network.pavlodar_house, at(2026, 2, 2))  # one month: Monday 2 March
    house = staff["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    with freeze_time(at(2026, 2, 10)):
        with pytest.raises(AppealError):
            appeal_extend(actor=house, appeal=appeal, until=D(2026, 3, 3), reason="x")
        DeadlineRules.objects.filter(pk=rules.pk).update(max_extension_months=6)
        with pytest.raises(AppealError) as error:
            appeal_extend(actor=house, appeal=appeal, until=D(2026, 4, 3), reason="x")
        assert "2 April 2026" in str(error.value.message)


def test_an_applicant_without_phone_or_e_mail_gets_no_notice_and_none_is_recorded(staff, network):
    appeal = register(
        network.pavlodar_house,
        at(2026, 2, 2),
        applicant_phone="",
        applicant_email="",
        applicant_address="Павлодар, Естай көшесі, 10",
    )
    house = staff["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    with freeze_time(at(2026, 2, 10)):
        appeal_extend(actor=house, appeal=appeal, until=D(2026, 3, 20), reason="Сараптама.")
    appeal.refresh_from_db()
    assert appeal.extended_until == D(2026, 3, 20)
    assert appeal.extension_notice_at is None
    assert not Notice.objects.filter(idempotency_key__contains=":extended:").exists()


# --- Redirection within three working days ---------------------------------------------------


def test_the_redirect_by_date_is_three_working_days_after_the_start_of_the_term(network):
    # Friday 20 March 2026: then Nauryz 21–25 off → 26, 27, 30 March.
    appeal = register(network.pavlodar_house, at(2026, 3, 20, 19))
    appeal.refresh_from_db()
    assert appeal.redirect_by == D(2026, 3, 30)


def test_a_late_redirection_is_recorded_on_the_appeal(staff, network):
    akimat = StateBody.objects.get(code="akimat-kz-55")
    house = staff["staff_pavlodar_house"]
    in_time = register(network.pavlodar_house, at(2026, 3, 20, 19))
    late = register(network.pavlodar_house, at(2026, 3, 20, 19))
    for appeal in (in_time, late):
        appeal_take_on(actor=house, appeal=appeal)
    with freeze_time(at(2026, 3, 30, 17)):
        appeal_redirect(actor=house, appeal=in_time, state_body=akimat, reason="Әкімдік.")
    with freeze_time(at(2026, 3, 31, 9)):
        appeal_redirect(actor=house, appeal=late, state_body=akimat, reason="Әкімдік.")
    in_time.refresh_from_db()
    late.refresh_from_db()
    assert in_time.redirected_late is False
    assert late.redirected_late is True
    entry = AuditEntry.objects.filter(object_id=str(late.pk), changes__has_key="late").get()
    assert entry.changes["late"] == [None, True]


def test_a_redirection_tells_the_applicant_the_competent_body_in_their_language(staff, network):
    appeal = register(network.pavlodar_house, language="ru")
    house = staff["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    akimat = StateBody.objects.get(code="akimat-kz-55")
    appeal_redirect(actor=house, appeal=appeal, state_body=akimat, reason="Вопрос ЖКХ.")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.REDIRECTED
    assert appeal.redirected_to == akimat
    told = Notice.objects.filter(idempotency_key__contains=":redirected:")
    assert sorted(told.values_list("channel", flat=True)) == ["email", "sms"]
    for notice in told:
        assert notice.language == "ru"
        assert akimat.name_ru in notice.body
    with pytest.raises(AppealError):  # no longer open
        appeal_extend(
            actor=house,
            appeal=appeal,
            until=appeal.due_date + datetime.timedelta(days=5),
            reason="x",
        )


def test_overdue_appeals_are_escalated_once_to_the_parent_bodys_supervisors(staff, network):
    # Received Monday 2 February 2026, due 23 February; on 24 February it is overdue.
    appeal = register(network.pavlodar_house, at(2026, 2, 2))
    on_time = register(network.pavlodar_house, at(2026, 2, 20))
    last_before = Notice.objects.order_by("-pk").values_list("pk", flat=True).first()
    today = datetime.date(2026, 2, 24)
    assert appeals_escalate_overdue(today=datetime.date(2026, 2, 23)) == 0
    assert appeals_escalate_overdue(today=today) == 1
    assert appeals_escalate_overdue(today=today) == 0
    appeal.refresh_from_db()
    on_time.refresh_from_db()
    assert appeal.escalated_to == network.pavlodar
    assert on_time.escalated_to is None
    assert appeal.steps.filter(action=AppealStep.Action.ESCALATED).count() == 1
    supervisors = appeal.handlers.filter(role=AppealHandler.Role.SUPERVISOR)
    assert set(supervisors.values_list("user__username", flat=True)) == {
        "coordinator_pavlodar",
        "admin",
    }
    alerts = Notice.objects.filter(pk__gt=last_before)
    assert sorted(alerts.values_list("recipient", flat=True)) == [
        "admin@birlik.test",
        "coordinator_pavlodar@birlik.test",
    ]
    assert {notice.recipient for notice in alerts} == {
        "coordinator_pavlodar@birlik.test",
        "admin@birlik.test",
    }
    assert appeal.due_date == datetime.date(2026, 2, 23)  # the applicant's term is unchanged


def test_closing_an_appeal_without_an_answer_needs_a_reason(staff, network):
    appeal = register(network.pavlodar_house)
    house = staff["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    with pytest.raises(AppealError) as error:
        appeal_close(actor=house, appeal=appeal, reason=" ")
    assert error.value.field == "reason"
    appeal_close(actor=house, appeal=appeal, reason="Заявитель отозвал обращение.")
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.CLOSED
    assert appeal.steps.filter(action=AppealStep.Action.CLOSED).get().text.startswith("Заявитель")
    with pytest.raises(AppealError):
        appeal_close(actor=house, appeal=appeal, reason="again")


# --- Proposals to state bodies ---------------------------------------------------------------


def test_a_proposal_is_approved_by_someone_else_sent_and_its_answer_recorded(staff, network):
    house, coordinator = staff["staff_pavlodar_house"], staff["coordinator_pavlodar"]
    akimat = StateBody.objects.get(code="akimat-kz-55")
    proposal = proposal_draft(
        actor=house,
        organisation=network.pavlodar_house,
        state_body=akimat,
        title="Мемлекеттік тіл курстарына сынып бөлу",
        text="Достық үйінде тіл курстарына қосымша екі сынып бөлуді ұсынамыз.",
    )
    with pytest.raises(AppealError):
        proposal_approve(actor=house, proposal=proposal)
    with pytest.raises(AppealError):  # not approved yet
        proposal_send(actor=house, proposal=proposal)
    with pytest.raises(PermissionDenied):
        proposal_approve(actor=staff["coordinator_almaty"], proposal=proposal)
    proposal_approve(actor=coordinator, proposal=proposal)
    # Sent Monday 2 March 2026: 3, 4, 5, 6 (9 March, Women's Day observed, is off), 10, 11, 12,
    # 13, 16, 17, 18, 19, 20 (13), Nauryz 21–25 off, 26, 27 → due 27 March 2026.
    with freeze_time(at(2026, 3, 2, 15)):
        proposal_send(actor=house, proposal=proposal, number="14/2026")
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SENT
    assert proposal.answer_due == datetime.date(2026, 3, 27)

    with freeze_time(at(2026, 4, 6, 10)):
        with pytest.raises(AppealError) as error:
            proposal_record_answer(
                actor=house,
                proposal=proposal,
                answered_on=datetime.date(2026, 3, 1),
                outcome="accepted",
                answer_text="Қабылданды.",
            )
        assert error.value.field == "answered_on"
        with pytest.raises(AppealError) as error:
            proposal_record_answer(
                actor=house,
                proposal=proposal,
                answered_on=datetime.date(2026, 4, 7),
                outcome="accepted",
                answer_text="Қабылданды.",
            )
        assert error.value.field == "answered_on"
        with pytest.raises(AppealError) as error:
            proposal_record_answer(
                actor=house,
                proposal=proposal,
                answered_on=datetime.date(2026, 3, 20),
                outcome="maybe",
                answer_text="?",
            )
        assert error.value.field == "outcome"
        proposal_record_answer(
            actor=house,
            proposal=proposal,
            answered_on=datetime.date(2026, 3, 2),
            outcome="partly",
            answer_text="Бір сынып бөлінді.",
            actions_taken="Сәуірден бастап бір сынып берілді.",
        )
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ANSWERED
    assert proposal.outcome == Proposal.Outcome.PARTLY
    assert proposal.answered_at == datetime.date(2026, 3, 2)


def test_only_staff_of_the_body_draft_proposals(staff, network):
    akimat = StateBody.objects.get(code="akimat-kz-55")
    for outsider in ("coordinator_almaty", "analyst", "nobody"):
        with pytest.raises(PermissionDenied):
            proposal_draft(
                actor=staff[outsider],
                organisation=network.pavlodar_house,
                state_body=akimat,
                title="Ұсыныс",
                text="Ұсыныстың мәтіні мен негіздемесі осында.",
            )
    assert not Proposal.objects.exists()


def test_the_applicant_is_told_once_in_their_language_when_the_appeal_is_first_considered(
    staff, network
):
    appeal = register(network.pavlodar_house, language="ru")
    house = staff["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    appeal_assign(actor=house, appeal=appeal, executor=staff["staff_pavlodar_house_2"])
    appeal_assign(actor=house, appeal=appeal, executor=house)  # a second assignment: no notice
    told = Notice.objects.filter(idempotency_key__contains=":in_progress:")
    assert sorted(told.values_list("channel", "recipient", "language")) == [
        ("email", "askar@example.kz", "ru"),
        ("sms", "+77011234567", "ru"),
    ]
    with translation.override("ru"):
        expected = translation.gettext(str(services.APPLICANT_MESSAGES["in_progress"])) % {
            "number": appeal.number,
            "due": appeal.due_date.strftime("%d.%m.%Y"),
            "url": services.status_url(appeal),
        }
    for notice in told:
        assert notice.body == expected
        assert appeal.due_date.strftime("%d.%m.%Y") in notice.body
        assert "/ru/" in notice.body


def test_the_effective_due_date_follows_registration_and_extension(staff, network):
    appeal = register(network.pavlodar_house, at(2026, 2, 2))
    stored = Appeal.objects.values_list("effective_due", flat=True).get(pk=appeal.pk)
    assert stored == datetime.date(2026, 2, 23)
    house = staff["staff_pavlodar_house"]
    appeal_take_on(actor=house, appeal=appeal)
    with freeze_time(at(2026, 2, 10)):
        appeal_extend(
            actor=house, appeal=appeal, until=datetime.date(2026, 3, 20), reason="Акимат."
        )
    stored = Appeal.objects.values_list("effective_due", flat=True).get(pk=appeal.pk)
    assert stored == datetime.date(2026, 3, 20)
