"""The expert council's pages for each role: who opens what (302 to sign in, 403, 404), the
stages, team, report and recommendation forms posted as the page offers them, bad input
answered with a message, constant query counts on the lists, the link from an alert."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from freezegun import freeze_time

from birlik.monitoring.models import Alert, AlertRule
from birlik.surveys import services
from birlik.surveys.models import Recommendation, Study, StudyMember
from tests.record_actions import assert_actions_do_what_the_page_shows, shown_actions

from ..factories import png_bytes, region
from .test_council import (
    DUE_DAY,
    GROUNDS,
    SENT_DAY,
    Council,
    akimat_of_pavlodar,
    build_council,
    docx_bytes,
    pdf_upload,
)

_numbers = itertools.count(1)


@pytest.fixture
def council(network) -> Council:
    return build_council(network)


@pytest.fixture
def records(council) -> dict[str, Any]:
    """A Pavlodar plan with a draft study, a recommendation sent to the Pavlodar House of
    Friendship and a draft one."""
    study = council.study()
    return {
        "plan": study.plan,
        "study": study,
        "sent": council.sent(to_body=council.network.pavlodar_house),
        "draft": council.recommendation(to_body=council.network.pavlodar_house),
    }


def url(name: str, pk: int | None = None) -> str:
    return reverse(f"surveys:{name}", kwargs={"pk": pk} if pk else None)


def post(client: Any, address: str, data: dict[str, Any] | None = None) -> Any:
    """A POST whose messages are its own (those of earlier requests are dropped)."""
    client.cookies.pop("messages", None)
    return client.post(address, data or {})


def messages_of(response: Any) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m.message)) for m in get_messages(response.wsgi_request)]


def make_alert(iso: str = "KZ-55", title: str = "Базардағы жанжал") -> Alert:
    n = next(_numbers)
    rule = AlertRule.objects.create(name=f"Rule {n}", kind="risk", topic="conflict")
    return Alert.objects.create(
        rule=rule,
        title=title,
        region=region(iso),
        ack_due_at=timezone.now() + datetime.timedelta(hours=2),
        key=f"council-test-{n}",
    )


# --- Who opens which page ----------------------------------------------------------------------

PAGES = {
    "council": None,
    "recommendations": None,
    "plan": "plan",
    "study": "study",
    "recommendation": "sent",
}
EVERYONE = (
    "admin",
    "analyst",
    "coordinator_pavlodar",
    "coordinator_almaty",
    "staff_pavlodar_house",
    "staff_almaty_house",
    "drafter",
    "council_almaty",
    "council_national",
    "auditor",
    "nobody",
)
EXPECTED = {
    # landing, list, Pavlodar plan, its study, a recommendation sent to the Pavlodar house
    "admin": (200, 200, 200, 200, 200),
    "analyst": (200, 200, 200, 200, 200),
    "coordinator_pavlodar": (200, 200, 200, 200, 200),
    "coordinator_almaty": (200, 200, 404, 404, 404),
    "staff_pavlodar_house": (403, 200, 404, 404, 200),
    "staff_almaty_house": (403, 200, 404, 404, 404),
    "drafter": (200, 200, 200, 200, 200),
    "council_almaty": (200, 200, 404, 404, 404),
    "council_national": (200, 200, 404, 404, 404),
    "auditor": (403, 403, 404, 404, 404),
    "nobody": (403, 403, 403, 403, 403),
}


@pytest.mark.parametrize("name", EVERYONE)
def test_each_role_opens_the_council_pages_of_its_scope(council, records, login, name):
    client = login(council.users[name])
    codes = tuple(
        client.get(url(page, records[key].pk if key else None)).status_code
        for page, key in PAGES.items()
    )
    assert codes == EXPECTED[name]


def test_anonymous_visitors_are_sent_to_sign_in(client, records):
    for page, key in PAGES.items():
        response = client.get(url(page, records[key].pk if key else None))
        assert response.status_code == 302
        assert "/account/" in response["Location"]
    response = client.post(url("study_status", records["study"].pk), {"to": "approved"})
    assert response.status_code == 302 and "/account/" in response["Location"]


def test_a_draft_recommendation_is_not_shown_to_the_addressed_body(council, records, login):
    client = login(council.users["staff_pavlodar_house"])
    assert client.get(url("recommendation", records["draft"].pk)).status_code == 404
    listed = client.get(url("recommendations")).content.decode()
    assert records["sent"].title in listed and f'/{records["draft"].pk}/"' not in listed


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("drafter", (200, 200, 200, 200)),
        ("coordinator_pavlodar", (200, 200, 200, 200)),
        ("analyst", (403, 403, 403, 403)),
        ("staff_pavlodar_house", (403, 404, 404, 403)),
        ("council_almaty", (200, 404, 404, 200)),
    ],
)
def test_only_keepers_of_the_council_open_its_forms(council, records, login, name, codes):
    client = login(council.users[name])
    pages = (
        url("plan_new"),
        url("study_new", records["plan"].pk),
        url("study_edit", records["study"].pk),
        url("recommendation_new"),
    )
    assert tuple(client.get(page).status_code for page in pages) == codes


def test_posts_only_and_a_missing_report_is_not_found(council, records, login):
    client = login(council.users["drafter"])
    study = records["study"]
    for name in ("study_status", "study_team", "study_report"):
        assert client.get(url(name, study.pk)).status_code == 405
    for name in ("recommendation_send", "recommendation_answer", "recommendation_decide"):
        assert client.get(url(name, records["sent"].pk)).status_code == 405
    assert client.get(url("study_report_file", study.pk)).status_code == 404


# --- The landing page and plans -----------------------------------------------------------------


def test_the_landing_page_shows_plans_studies_and_what_waits_in_kazakh(council, records, login):
    client = login(council.users["head"])
    with freeze_time(DUE_DAY + datetime.timedelta(days=1)):
        html = client.get(url("council")).content.decode()

    with translation.override("kk"):
        assert gettext("Expert council") in html
        assert gettext("Awaiting an answer: %(count)s") % {"count": 1} in html
        overdue = translation.ngettext("%(count)s day overdue", "%(count)s days overdue", 1) % {
            "count": 1
        }
    assert overdue in html
    assert records["sent"].title in html
    assert council.pavlodar.name in html
    assert 'action="' + url("plan_new") + '"' in html


def test_a_plan_is_opened_once_a_year_from_the_form(council, login):
    client = login(council.users["drafter"])
    data = {"organisation": council.pavlodar.pk, "year": 2027, "notes": ""}

    created = client.post(url("plan_new"), data)
    again = client.post(url("plan_new"), data)
    foreign = client.post(url("plan_new"), {**data, "organisation": council.almaty.pk})
    bad = client.post(url("plan_new"), {**data, "year": "next"})

    assert created.status_code == 302
    assert again.status_code == 400
    assert (
        gettext("This council already has a research plan for %(year)s.") % {"year": 2027}
        in again.content.decode()
    )
    assert foreign.status_code == 400  # not among the choices
    assert bad.status_code == 400 and "errorlist" in bad.content.decode()


def test_lists_cost_the_same_queries_for_few_and_many_rows(
    council, records, login, django_assert_num_queries, django_assert_max_num_queries
):
    client = login(council.users["head"])
    services.study_member_add(
        actor=council.users["drafter"],
        study=records["study"],
        person=council.experts["abenova"],
        role="lead",
    )
    pages = (url("council"), url("recommendations"), url("plan", records["plan"].pk))
    with django_assert_max_num_queries(40) as few:
        for page in pages:
            assert client.get(page).status_code == 200
    for n in range(12):
        study = council.study(title=f"Зерттеу {n}")
        services.study_member_add(
            actor=council.users["drafter"],
            study=study,
            person=council.experts["petrov"],
            role="lead",
        )
        council.sent(to_body=council.network.pavlodar_house)
        council.sent(state_body=akimat_of_pavlodar())
    council.plan(year=2027)
    with django_assert_num_queries(len(few.captured_queries)):
        for page in pages:
            client.get(page)


# --- Studies: stages, team, report ---------------------------------------------------------------


def test_the_drafter_is_refused_approval_and_a_second_person_approves(council, records, login):
    study = records["study"]
    drafter = login(council.users["drafter"])
    page = drafter.get(url("study", study.pk)).content.decode()
    refused = post(drafter, url("study_status", study.pk), {"to": "approved"})

    assert gettext("Approve the study") not in page
    assert refused.status_code == 302
    assert messages_of(refused) == [
        ("error", gettext("A second person approves a study, not the one who drafted it."))
    ]
    assert Study.objects.get(pk=study.pk).status == Study.Status.DRAFT

    head = login(council.users["head"])
    assert gettext("Approve the study") in head.get(url("study", study.pk)).content.decode()
    approved = post(head, url("study_status", study.pk), {"to": "approved"})
    assert messages_of(approved) == [("success", gettext("The study is approved."))]
    assert Study.objects.get(pk=study.pk).status == Study.Status.APPROVED


def test_a_stage_out_of_turn_or_unknown_is_refused_with_a_message(council, records, login):
    study = records["study"]
    client = login(council.users["head"])
    skipped = post(client, url("study_status", study.pk), {"to": "done"})
    unknown = post(client, url("study_status", study.pk), {"to": "finished"})
    assert messages_of(skipped) == [
        ("error", gettext("The study is not at the stage before this one."))
    ]
    assert messages_of(unknown) == [("error", gettext("Choose the stage the study moves to."))]
    assert (
        login(council.users["analyst"])
        .post(url("study_status", study.pk), {"to": "approved"})
        .status_code
        == 403
    )
    assert (
        login(council.users["council_almaty"])
        .post(url("study_status", study.pk), {"to": "approved"})
        .status_code
        == 404
    )
    assert Study.objects.get(pk=study.pk).status == Study.Status.DRAFT


def test_the_team_takes_experts_in_scope_only_a_person_outside_is_not_found(
    council, records, login
):
    study = records["study"]
    client = login(council.users["drafter"])
    page = client.get(url("study", study.pk) + "?expert=Пет").content.decode()
    team = url("study_team", study.pk)

    outside = client.post(team, {"action": "add", "person": council.experts["almaty"].pk})
    national = client.post(team, {"action": "add", "person": council.experts["national"].pk})
    garbled = client.post(team, {"action": "add", "person": "x", "role": "lead"})
    added = client.post(
        team, {"action": "add", "person": council.experts["abenova"].pk, "role": "lead"}
    )
    twice = client.post(
        team, {"action": "add", "person": council.experts["abenova"].pk, "role": "member"}
    )

    assert "Петров" in page and "Әбенова" not in page  # the search narrows the choice
    assert outside.status_code == 404 and national.status_code == 404
    assert garbled.status_code == 400
    assert added.status_code == 302
    assert twice.status_code == 400
    assert gettext("This expert is already on the team.") in twice.content.decode()
    member = StudyMember.objects.get(study=study)
    assert member.role == "lead" and member.person == council.experts["abenova"]

    other = council.study(title="Басқа зерттеу")
    stranger = services.study_member_add(
        actor=council.users["head"], study=other, person=council.experts["petrov"], role="member"
    )
    assert client.post(team, {"action": "remove", "member": stranger.pk}).status_code == 404
    removed = client.post(team, {"action": "remove", "member": member.pk})
    assert removed.status_code == 302 and not study.team.exists()
    assert messages_of(post(client, team, {"action": "dance"})) == [
        ("error", gettext("Choose what to do with the team."))
    ]


def test_a_report_of_a_wrong_type_is_refused_and_a_pdf_is_kept_privately(
    council, records, login, settings
):
    study = records["study"]
    client = login(council.users["drafter"])
    address = url("study_report", study.pk)

    photo = client.post(address, {"file": SimpleUploadedFile("photo.png", png_bytes())})
    empty = client.post(address, {})
    kept = client.post(address, {"file": pdf_upload("Қорытынды.pdf")})

    assert photo.status_code == 400
    assert gettext("Upload the report as a PDF or a Word (DOCX) file.") in photo.content.decode()
    assert empty.status_code == 400
    assert kept.status_code == 302
    download = login(council.users["analyst"]).get(url("study_report_file", study.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    for name in ("council_almaty", "staff_pavlodar_house"):
        assert login(council.users[name]).get(url("study_report_file", study.pk)).status_code == 404

    settings.EVENT_ATTACHMENT_MAX_BYTES = 1024 * 1024
    client = login(council.users["drafter"])
    large = client.post(address, {"file": pdf_upload(size=2 * 1024 * 1024)})
    assert large.status_code == 400
    assert (
        gettext("The file is larger than %(size)s MB. Choose a smaller file.") % {"size": 1}
        in large.content.decode()
    )
    docx = client.post(address, {"file": SimpleUploadedFile("report.docx", docx_bytes())})
    assert docx.status_code == 302
    assert Study.objects.get(pk=study.pk).report_name == "report.docx"


def test_a_study_is_edited_with_its_findings_and_completed_from_its_page(council, records, login):
    study = records["study"]
    services.study_move(actor=council.users["head"], study=study, to="approved")
    client = login(council.users["drafter"])
    edit = client.post(
        url("study_edit", study.pk),
        {
            "title_kk": "Жастар сенімі",
            "title_ru": "",
            "title_en": "Trust of the young",
            "method": "Сауалнама",
            "regions": [region("KZ-55").pk],
            "survey": "",
            "findings_kk": "Сенім артып келеді.",
            "findings_ru": "",
            "findings_en": "",
        },
    )
    empty_title = client.post(url("study_edit", study.pk), {"title_kk": "", "method": ""})
    assert edit.status_code == 302
    assert empty_title.status_code == 400
    assert gettext("Give the title of the study.") in empty_title.content.decode()
    for stage in ("fieldwork", "analysis"):
        client.post(url("study_status", study.pk), {"to": stage})
    client.post(url("study_report", study.pk), {"file": pdf_upload()})
    done = post(client, url("study_status", study.pk), {"to": "done"})

    assert messages_of(done) == [("success", gettext("The study is completed."))]
    page = client.get(url("study", study.pk)).content.decode()
    assert "Сенім артып келеді." in page
    assert url("study_edit", study.pk) not in page  # a completed study is not changed
    assert client.get(url("study_edit", study.pk)).status_code == 302


# --- Recommendations ---------------------------------------------------------------------------


def test_a_recommendation_is_drafted_from_a_study_and_sent(council, records, login):
    study = records["study"]
    client = login(council.users["drafter"])
    address = url("recommendation_new") + f"?study={study.pk}"
    form = client.get(address).content.decode()
    created = client.post(
        address,
        {
            "organisation": council.pavlodar.pk,
            "title": "Жастар алаңын ашу",
            "text": GROUNDS,
            "addressee": "body",
            "to_body": council.network.pavlodar_house.pk,
            "to_state_body": "",
        },
    )
    item = Recommendation.objects.get(title="Жастар алаңын ашу")

    assert study.title in form
    assert created.status_code == 302
    assert item.study == study and item.status == Recommendation.Status.DRAFT
    with freeze_time(SENT_DAY):
        sent = client.post(url("recommendation_send", item.pk), {"response_due": ""})
    item.refresh_from_db()
    assert sent.status_code == 302
    assert item.response_due == DUE_DAY
    assert login(council.users["council_almaty"]).get(address).status_code == 404


def test_the_addressee_must_be_chosen_and_in_the_councils_region(council, login):
    client = login(council.users["drafter"])
    base = {
        "organisation": council.pavlodar.pk,
        "title": "Ұсыныс",
        "text": GROUNDS,
        "to_state_body": "",
    }
    nothing = client.post(url("recommendation_new"), {**base, "addressee": "body", "to_body": ""})
    almaty = client.post(
        url("recommendation_new"),
        {**base, "addressee": "body", "to_body": council.network.almaty_house.pk},
    )
    short = client.post(
        url("recommendation_new"),
        {
            **base,
            "text": "Қысқа",
            "addressee": "state_body",
            "to_state_body": akimat_of_pavlodar().pk,
        },
    )
    assert nothing.status_code == 400
    assert gettext("Choose the Assembly body.") in nothing.content.decode()
    assert almaty.status_code == 400
    assert short.status_code == 400
    assert (
        gettext("Write the recommendation and its grounds (at least %(count)s characters).")
        % {"count": 20}
        in short.content.decode()
    )
    assert not Recommendation.objects.exists()


def test_a_recommendation_from_an_alert_needs_the_alert_to_be_visible(council, login):
    alert = make_alert()
    coordinator = login(council.users["coordinator_pavlodar"])
    address = url("recommendation_new") + f"?alert={alert.pk}"

    form = coordinator.get(address)
    created = coordinator.post(
        address,
        {
            "organisation": council.pavlodar.pk,
            "title": alert.title,
            "text": GROUNDS,
            "addressee": "state_body",
            "to_state_body": akimat_of_pavlodar().pk,
        },
    )
    item = Recommendation.objects.get()

    assert form.status_code == 200 and alert.title in form.content.decode()
    assert created.status_code == 302 and item.alert_id == alert.pk
    page = coordinator.get(url("recommendation", item.pk)).content.decode()
    assert reverse("monitoring:alert", kwargs={"pk": alert.pk}) in page
    assert login(council.users["council_almaty"]).get(address).status_code == 404
    assert coordinator.get(url("recommendation_new") + "?alert=abc").status_code == 404
    assert coordinator.get(url("recommendation_new") + "?alert=999999").status_code == 404


def test_the_alert_page_offers_a_recommendation_to_keepers_of_the_council(council, login):
    alert = make_alert()
    link = url("recommendation_new") + f"?alert={alert.pk}"
    alert_page = reverse("monitoring:alert", kwargs={"pk": alert.pk})
    admin = login(council.users["admin"]).get(alert_page).content.decode()
    analyst = login(council.users["analyst"]).get(alert_page).content.decode()
    assert link in admin
    assert link not in analyst


def test_the_addressed_bodys_staff_answer_from_the_page_not_another_regions(
    council, records, login
):
    item = records["sent"]
    house = login(council.users["staff_pavlodar_house"])
    page = house.get(url("recommendation", item.pk)).content.decode()
    answer = url("recommendation_answer", item.pk)
    data = {"answered_on": "2026-04-08", "response_text": "Ұсыныс қабылданды."}

    with freeze_time("2026-04-09"):
        assert login(council.users["staff_almaty_house"]).post(answer, data).status_code == 404
        assert login(council.users["drafter"]).post(answer, data).status_code == 403
        garbled = login(council.users["staff_pavlodar_house"]).post(
            answer, {**data, "answered_on": "yesterday"}
        )
        answered = post(login(council.users["staff_pavlodar_house"]), answer, data)
        decide = url("recommendation_decide", item.pk)
        decision = {"decision": "accepted", "decided_on": "2026-04-09", "actions_taken": ""}
        house_decides = login(council.users["staff_pavlodar_house"]).post(decide, decision)
        decided = login(council.users["head"]).post(decide, decision)

    assert f'action="{answer}"' in page
    assert url("recommendation_decide", item.pk) not in page
    assert garbled.status_code == 400 and "errorlist" in garbled.content.decode()
    assert answered.status_code == 302
    assert messages_of(answered) == [("success", gettext("The answer is recorded."))]
    assert house_decides.status_code == 403
    assert decided.status_code == 302
    item.refresh_from_db()
    assert item.status == Recommendation.Status.DECIDED and item.decision == "accepted"


def test_a_recommendations_page_does_what_it_shows(council, records, login):
    item = records["sent"]
    urls = {name: url(f"recommendation_{name}", item.pk) for name in ("send", "answer", "decide")}
    posts = {
        "send": (urls["send"], {"response_due": ""}),
        "answer": (urls["answer"], {"answered_on": "2026-04-02", "response_text": "Жауап."}),
        "decide": (urls["decide"], {"decision": "partly", "decided_on": "2026-04-03"}),
    }

    def facts() -> tuple[Any, ...]:
        row = Recommendation.objects.get(pk=item.pk)
        return (row.status, row.answered_on, row.decision)

    # Each user posts the steps their role allows (any other answers 403); the page offers
    # exactly those the recommendation allows now.
    allowed = {
        "head": ("send", "decide"),
        "staff_pavlodar_house": ("answer",),
        "coordinator_pavlodar": ("send", "answer", "decide"),
    }
    with freeze_time("2026-04-03"):
        for name, steps in allowed.items():
            client = login(council.users[name])
            html = client.get(url("recommendation", item.pk)).content.decode()
            step, shown = shown_actions(html, urls)
            mine = {step_name: posts[step_name] for step_name in steps}
            assert_actions_do_what_the_page_shows(client, mine, shown, facts)
            assert step == ("answer" if "answer" in steps else None)
        assert login(council.users["head"]).post(*posts["answer"]).status_code == 403
        assert (
            login(council.users["staff_pavlodar_house"]).post(*posts["decide"]).status_code == 403
        )


def test_the_list_filters_by_status_addressee_queue_and_overdue(council, records, login):
    to_akimat = council.sent(state_body=akimat_of_pavlodar())
    client = login(council.users["head"])
    with freeze_time(DUE_DAY + datetime.timedelta(days=1)):
        overdue = client.get(url("recommendations") + "?overdue=on").content.decode()
        state = client.get(url("recommendations") + "?addressee=state_body").content.decode()
        mine = client.get(url("recommendations") + "?queue=to_answer").content.decode()
        drafts = client.get(url("recommendations") + "?status=draft").content.decode()
        bad = client.get(url("recommendations") + "?status=lost&page=x")

    def shown(html: str) -> set[int]:
        return {
            pk
            for pk in (records["sent"].pk, records["draft"].pk, to_akimat.pk)
            if url("recommendation", pk) + '"' in html
        }

    assert shown(overdue) == {records["sent"].pk, to_akimat.pk}
    assert shown(state) == {to_akimat.pk}
    assert shown(mine) == {to_akimat.pk}
    assert shown(drafts) == {records["draft"].pk}
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
