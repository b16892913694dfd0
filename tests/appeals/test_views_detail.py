"""An appeal's staff page: the register for everyone in scope, the content for handlers only
(each view audited), taking an appeal on, and the handlers' actions through the services."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from birlik.access.models import AuditEntry, Role
from birlik.appeals.models import Appeal, AppealStep, StateBody
from birlik.appeals.services import appeal_extend
from birlik.notify.models import Notice
from birlik.notify.services import notice_deliver

from ..factories import GrantFactory, UserFactory
from .helpers import APPLICANT, TEXT, register


def url(name: str, appeal: Appeal) -> str:
    return reverse(f"appeals:{name}", kwargs={"pk": appeal.pk})


def reads_of(appeal: Appeal, user) -> int:
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, actor=user, object_id=str(appeal.pk)
    ).count()


def test_staff_not_named_see_the_register_but_not_the_applicant_and_may_take_it_on(network, login):
    appeal = register(network.pavlodar_house)
    staff = network.users["staff_pavlodar_house"]
    client = login(staff)

    response = client.get(url("detail", appeal))
    page = response.content.decode()
    assert response.status_code == 200
    assert appeal.number in page
    assert APPLICANT not in page
    assert TEXT[:20] not in page
    assert "Take on this appeal" in page
    assert reads_of(appeal, staff) == 0

    response = client.post(url("take_on", appeal), follow=True)
    page = response.content.decode()
    assert APPLICANT in page
    assert TEXT[:20] in page
    assert "Take on this appeal" not in page
    assert reads_of(appeal, staff) == 1


def test_a_coordinator_of_another_region_gets_not_found(network, login):
    appeal = register(network.pavlodar_house)
    client = login(network.users["coordinator_almaty"])
    assert client.get(url("detail", appeal)).status_code == 404
    assert client.post(url("take_on", appeal)).status_code == 404


def test_the_analyst_does_not_see_appeals_and_the_auditor_sees_only_the_register(network, login):
    appeal = register(network.pavlodar_house)
    assert login(network.users["analyst"]).get(url("detail", appeal)).status_code == 404
    auditor = login(network.users["auditor"])
    page = auditor.get(url("detail", appeal))
    assert page.status_code == 200
    assert appeal.number in page.content.decode()
    assert appeal.applicant_name not in page.content.decode()
    assert auditor.post(url("take_on", appeal)).status_code == 403


def test_staff_not_named_cannot_act_on_the_appeal(network, login):
    appeal = register(network.pavlodar_house)
    client = login(network.users["staff_pavlodar_house"])
    response = client.post(url("note", appeal), {"text": "Қоңырау шалдым"})
    assert response.status_code == 403
    assert not appeal.steps.filter(action=AppealStep.Action.NOTE).exists()


def test_a_handler_assigns_drafts_and_a_colleague_approves_the_answer(network, login, client):
    staff = network.users["staff_pavlodar_house"]
    colleague = UserFactory(username="colleague", full_name="Гүлнар Әлиева")
    GrantFactory(user=colleague, role=Role.BODY_STAFF, organisation=network.pavlodar_house)
    appeal = register(network.pavlodar_house, actor=staff)
    login(staff)

    detail = client.get(url("detail", appeal)).content.decode()
    assert "Assign the executor" in detail
    assert f'<option value="{colleague.pk}">Гүлнар Әлиева</option>' in detail
    almaty = network.users["coordinator_almaty"]
    assert f'<option value="{almaty.pk}">{almaty.full_name}</option>' not in detail

    response = client.post(url("assign", appeal), {"executor": colleague.pk})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.executor == colleague
    assert appeal.status == Appeal.Status.IN_PROGRESS

    client.post(url("note", appeal), {"text": "Ауыл әкімдігімен сөйлестім."})
    client.post(url("draft", appeal), {"text": "Жол жөндеу жұмыстары мамыр айында басталады."})
    appeal.refresh_from_db()
    assert appeal.answer_text.startswith("Жол жөндеу")

    # The drafter cannot approve their own answer: the service's message is shown.
    response = client.post(url("approve", appeal), follow=True)
    assert "Another member of staff must approve" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.IN_PROGRESS

    login(colleague)
    page = client.get(url("detail", appeal)).content.decode()
    assert "Ауыл әкімдігімен сөйлестім." in page  # notes are shown to handlers
    response = client.post(url("approve", appeal))
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ANSWERED
    assert Notice.objects.filter(body__contains=appeal.number).exists()


def test_an_executor_outside_the_body_is_refused_with_a_message(network, login):
    staff = network.users["staff_pavlodar_house"]
    appeal = register(network.pavlodar_house, actor=staff)
    response = login(staff).post(
        url("assign", appeal), {"executor": network.users["coordinator_almaty"].pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.executor is None


@freeze_time("2026-02-10 11:00:00+05:00")
def test_an_extension_beyond_the_legal_maximum_is_refused_on_the_field(network, login):
    # Received Monday 2 February 2026: due 23 February, extendable to Thursday 2 April.
    staff = network.users["staff_pavlodar_house"]
    with freeze_time("2026-02-02 11:00:00+05:00"):
        appeal = register(network.pavlodar_house, actor=staff)
    client = login(staff)
    page = client.get(url("detail", appeal)).content.decode()
    assert "2 April 2026 at the latest" in page  # the form says the cap before anyone tries
    response = client.post(
        url("extend", appeal), {"until": "2026-04-03", "reason": "Сараптама қажет"}
    )
    assert response.status_code == 400
    assert "The term can be extended to 2 April 2026 at the latest." in response.content.decode()
    response = client.post(
        url("extend", appeal), {"until": "2026-03-24", "reason": "Сараптама қажет"}
    )
    assert response.status_code == 400
    assert "24 March 2026 is not a working day" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.extended_until is None

    response = client.post(
        url("extend", appeal), {"until": "2026-03-20", "reason": "Сараптама қажет"}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.extended_until == datetime.date(2026, 3, 20)
    page = client.get(url("detail", appeal)).content.decode()
    assert "Сараптама қажет" in page
    assert "Applicant told of the extension" in page
    assert "queued on 10.02.2026 11:00" in page


def test_a_late_redirection_is_warned_about_and_shown_on_the_appeal(network, login):
    staff = network.users["staff_pavlodar_house"]
    with freeze_time("2026-03-20 19:00:00+05:00"):
        appeal = register(network.pavlodar_house, actor=staff)  # redirect by 30 March
    akimat = StateBody.objects.filter(region=network.pavlodar.region, kind="akimat").first()
    client = login(staff)
    with freeze_time("2026-03-31 10:00:00+05:00"):
        response = client.post(
            url("redirect", appeal),
            {"state_body": akimat.pk, "reason": "Әкімдіктің құзыреті"},
            follow=True,
        )
    page = response.content.decode()
    assert "The redirection is late: the law gives three working days, until 30 March 2026." in (
        page
    )
    assert "redirected late" in page
    appeal.refresh_from_db()
    assert appeal.redirected_late is True


def test_the_pages_of_an_appeal_with_nothing_filled_in_open(network, login):
    """A demo-like row: no handler, no executor, no state body, anonymous, no contact, written
    without the services (no redirect-by date)."""
    appeal = Appeal.objects.create(
        number="2026-900001",
        organisation=network.pavlodar_house,
        kind=Appeal.Kind.REPORT,
        text="Қауіп туралы хабарлама, аты-жөні жоқ.",
        anonymous=True,
        security_threat=True,
        counted_from=datetime.date(2026, 2, 2),
        due_date=datetime.date(2026, 2, 23),
        extended_until=datetime.date(2026, 3, 20),
        status=Appeal.Status.EXTENDED,
    )
    coordinator = network.users["coordinator_pavlodar"]
    client = login(coordinator)
    response = client.get(url("detail", appeal))
    assert response.status_code == 200
    assert "not assigned" in response.content.decode()
    client.post(url("take_on", appeal))
    response = client.get(url("detail", appeal))
    assert response.status_code == 200
    assert "Anonymous" in response.content.decode()
    for queue in ("open", "overdue", "to_redirect", "mine", "all"):
        assert client.get(reverse("appeals:inbox"), {"queue": queue}).status_code == 200
    status = client.get(reverse("portal:appeal_status", kwargs={"token": appeal.token}))
    assert status.status_code == 200


def test_a_handler_redirects_to_a_state_body_of_the_region(network, login):
    staff = network.users["staff_pavlodar_house"]
    appeal = register(network.pavlodar_house, actor=staff)
    client = login(staff)
    page = client.get(url("detail", appeal)).content.decode()
    akimat = StateBody.objects.filter(region=network.pavlodar.region, kind="akimat").first()
    elsewhere = StateBody.objects.filter(region=network.almaty.region).first()
    assert akimat.name in page
    assert elsewhere.name not in page
    response = client.post(
        url("redirect", appeal), {"state_body": akimat.pk, "reason": "Әкімдіктің құзыреті"}
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.REDIRECTED
    assert appeal.redirected_to == akimat


def test_closing_without_an_answer_needs_a_reason(network, login):
    staff = network.users["staff_pavlodar_house"]
    appeal = register(network.pavlodar_house, actor=staff)
    client = login(staff)
    response = client.post(url("close", appeal), {"reason": ""})
    assert response.status_code == 400
    assert "Give the reason for closing" in response.content.decode()
    response = client.post(url("close", appeal), {"reason": "Өтініш иесі бас тартты"})
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.CLOSED


def test_staff_register_a_paper_appeal_for_their_body(network, login):
    staff = network.users["staff_pavlodar_house"]
    client = login(staff)
    register_url = reverse("appeals:register", kwargs={"body": network.pavlodar_house.pk})
    response = client.post(
        register_url,
        {
            "channel": "paper",
            "received_on": timezone.localdate().isoformat(),
            "kind": "complaint",
            "language": "ru",
            "text": "Прошу разобраться с отоплением в доме культуры.",
            "applicant_name": "Иван Петров",
            "applicant_address": "Павлодар, ул. Ленина, 1",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.channel == Appeal.Channel.PAPER
    assert appeal.language == "ru"
    assert appeal.handlers.filter(user=staff).exists()


def test_a_paper_appeal_without_consent_shows_the_message_and_stores_nothing(network, login):
    client = login(network.users["staff_pavlodar_house"])
    register_url = reverse("appeals:register", kwargs={"body": network.pavlodar_house.pk})
    response = client.post(
        register_url,
        {
            "channel": "paper",
            "kind": "complaint",
            "language": "ru",
            "text": "Прошу разобраться с отоплением в доме культуры.",
            "applicant_name": "Иван Петров",
            "applicant_phone": "+77015550000",
        },
    )
    assert response.status_code == 400
    assert "needs your consent" in response.content.decode()
    assert not Appeal.objects.exists()


def test_paper_appeals_for_a_body_out_of_scope_are_not_found(network, login):
    client = login(network.users["staff_pavlodar_house"])
    register_url = reverse("appeals:register", kwargs={"body": network.almaty_house.pk})
    assert client.get(register_url).status_code == 404


def test_the_handler_sees_whether_the_applicant_was_told_of_the_extension_in_time(network, login):
    # Extended on Tuesday 10 February 2026: the applicant must be told by Friday 13 February.
    staff = network.users["staff_pavlodar_house"]
    with freeze_time("2026-02-02 11:00:00+05:00"):
        told = register(network.pavlodar_house, actor=staff)
        unreached = register(network.pavlodar_house, actor=staff)
    with freeze_time("2026-02-10 11:00:00+05:00"):
        for appeal in (told, unreached):
            appeal_extend(
                actor=staff, appeal=appeal, until=datetime.date(2026, 3, 20), reason="Сараптама."
            )
        sms = Notice.objects.get(idempotency_key__startswith=f"appeal:{told.pk}:extended:")
        notice_deliver(notice_id=sms.pk)
    Notice.objects.filter(idempotency_key__startswith=f"appeal:{unreached.pk}:extended:").update(
        status=Notice.Status.FAILED
    )
    with freeze_time("2026-02-16 10:00:00+05:00"):
        client = login(staff)
        told_page = client.get(url("detail", told)).content.decode()
        unreached_page = client.get(url("detail", unreached)).content.decode()
    assert "SMS: sent on 10.02.2026 11:00" in told_page
    assert "not reached by 13.02.2026" not in told_page
    assert "SMS: <strong>not delivered</strong>" in unreached_page
    assert "not reached by 13.02.2026, the legal term" in unreached_page
