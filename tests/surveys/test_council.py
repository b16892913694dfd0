"""The expert council's rules: research plans, the stages of a study with second-person
approval, teams of experts in scope, report files, recommendations sent, answered and decided,
what waits for whom, and the council's indicators.

The world: the network of tests/conftest.py with the national Scientific-Expert Council under
the secretariat and a regional expert group under each of the Pavlodar and Almaty assemblies;
two members of staff of the Pavlodar group (one drafts, the other approves), one of the Almaty
group, staff of the Almaty House of Friendship; experts of each group in the register.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext
from freezegun import freeze_time

from birlik.access.models import Role, User
from birlik.appeals.models import StateBody
from birlik.core import kpi
from birlik.core.errors import DomainError
from birlik.notify.models import Notice
from birlik.registry.models import Membership, Organisation, Person
from birlik.surveys import queries, services
from birlik.surveys.models import Recommendation, ResearchPlan, Study, StudyMember
from birlik.workspace.mywork import my_work

from ..conftest import Network
from ..factories import (
    GrantFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    kind,
    png_bytes,
    region,
)

# A Wednesday without holidays around it: 15 working days later is Wednesday 22 April.
SENT_DAY = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=datetime.UTC)
DUE_DAY = datetime.date(2026, 4, 22)
GROUNDS = "Өңірде этносаралық сенімді нығайту үшін жастар алаңын ашу ұсынылады."


@dataclass
class Council:
    network: Network
    national: Organisation  # the Scientific-Expert Council, no region
    pavlodar: Organisation  # expert group under the Pavlodar assembly, KZ-55
    almaty: Organisation  # expert group under the Almaty assembly, KZ-75
    users: dict[str, User]
    experts: dict[str, Person]

    def plan(self, body: Organisation | None = None, year: int = 2026) -> ResearchPlan:
        return ResearchPlan.objects.get_or_create(organisation=body or self.pavlodar, year=year)[0]

    def study(
        self, *, by: str = "drafter", body: Organisation | None = None, **fields: Any
    ) -> Study:
        study = services.study_create(
            actor=self.users[by],
            plan=self.plan(body),
            titles={"kk": fields.pop("title", "Жастар арасындағы сенім"), "ru": "", "en": ""},
            method="Сауалнама және фокус-топтар",
        )
        if fields:
            Study.objects.filter(pk=study.pk).update(**fields)
            study.refresh_from_db()
        return study

    def recommendation(
        self,
        *,
        to_body: Organisation | None = None,
        state_body: StateBody | None = None,
        by: str = "drafter",
    ) -> Recommendation:
        return services.recommendation_draft(
            actor=self.users[by],
            organisation=self.pavlodar,
            title="Жастар алаңы",
            text=GROUNDS,
            to_body=to_body if state_body is None else None,
            to_state_body=state_body,
        )

    def sent(self, **kwargs: Any) -> Recommendation:
        with freeze_time(SENT_DAY):
            item = self.recommendation(**kwargs)
            return services.recommendation_send(actor=self.users["drafter"], recommendation=item)


def expert(body: Organisation, last_name: str, **fields: Any) -> Person:
    person = PersonFactory(registered_by=body, last_name=last_name)
    MembershipFactory(
        person=person,
        organisation=body,
        role=fields.pop("role", Membership.Role.EXPERT),
        start_date=datetime.date(2024, 1, 1),
        **fields,
    )
    return person


def build_council(network: Network) -> Council:
    national = OrganisationFactory(
        parent=network.root,
        kind=kind("scientific_expert_council"),
        name_kk="ҚХА Ғылыми-сарапшылық кеңесі",
        name_ru="Научно-экспертный совет АНК",
        name_en="Scientific-Expert Council",
    )
    pavlodar = OrganisationFactory(
        parent=network.pavlodar,
        kind=kind("scientific_expert_group"),
        region=region("KZ-55"),
        name_kk="Павлодар ғылыми-сарапшылық тобы",
        name_ru="Павлодарская научно-экспертная группа",
        name_en="Pavlodar expert group",
    )
    almaty = OrganisationFactory(
        parent=network.almaty,
        kind=kind("scientific_expert_group"),
        region=region("KZ-75"),
        name_kk="Алматы ғылыми-сарапшылық тобы",
        name_ru="Алматинская научно-экспертная группа",
        name_en="Almaty expert group",
    )
    users = dict(network.users)
    for name, body in (
        ("drafter", pavlodar),
        ("head", pavlodar),
        ("council_almaty", almaty),
        ("council_national", national),
        ("staff_almaty_house", network.almaty_house),
    ):
        users[name] = UserFactory(username=name)
        GrantFactory(user=users[name], role=Role.BODY_STAFF, organisation=body)
    for name, language in (("staff_pavlodar_house", "ru"), ("staff_almaty_house", "kk")):
        users[name].email = f"{name}@birlik.test"
        users[name].language = language
        users[name].save(update_fields=["email", "language"])
    experts = {
        "abenova": expert(pavlodar, "Әбенова"),
        "petrov": expert(pavlodar, "Петров"),
        "retired": expert(pavlodar, "Бұрынғы", end_date=datetime.date(2025, 1, 1)),
        "member": expert(pavlodar, "Мүше", role=Membership.Role.MEMBER),
        "almaty": expert(almaty, "Қасымов"),
        "national": expert(national, "Ұлттық"),
    }
    return Council(network, national, pavlodar, almaty, users, experts)


@pytest.fixture
def council(network) -> Council:
    return build_council(network)


def pdf_upload(name: str = "есеп.pdf", size: int = 0) -> SimpleUploadedFile:
    data = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n" + b"0" * size + b"\n%%EOF\n"
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def docx_bytes(*, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document/>")
        if macros:
            package.writestr("word/vbaProject.bin", b"\x00")
    return buffer.getvalue()


def akimat_of_pavlodar() -> StateBody:
    return StateBody.objects.filter(region=region("KZ-55"), kind="akimat").first()


def with_report_and_findings(study: Study) -> Study:
    Study.objects.filter(pk=study.pk).update(findings_ru="Уровень доверия растет.")
    study.refresh_from_db()
    return services.study_report_upload(
        actor=User.objects.get(username="drafter"), study=study, upload=pdf_upload()
    )


def refusal(call: Any) -> str:
    with pytest.raises(DomainError) as caught:
        call()
    return str(caught.value.message)


# --- Research plans ----------------------------------------------------------------------------


def test_a_council_has_one_plan_a_year_and_only_councils_have_plans(council):
    user = council.users["drafter"]
    services.research_plan_create(actor=user, organisation=council.pavlodar, year=2026)

    again = refusal(
        lambda: services.research_plan_create(actor=user, organisation=council.pavlodar, year=2026)
    )
    other_year = services.research_plan_create(actor=user, organisation=council.pavlodar, year=2027)
    assert again == gettext("This council already has a research plan for %(year)s.") % {
        "year": 2026
    }
    assert other_year.year == 2027
    with pytest.raises(PermissionDenied):  # the Almaty group is not the drafter's
        services.research_plan_create(actor=user, organisation=council.almaty, year=2026)
    admin = council.users["admin"]
    assert gettext(
        "A research plan belongs to a scientific-expert council or an expert group."
    ) == refusal(
        lambda: services.research_plan_create(
            actor=admin, organisation=council.network.pavlodar_house, year=2026
        )
    )


# --- The stages of a study ---------------------------------------------------------------------


def test_the_drafter_cannot_approve_their_study_a_second_person_does(council):
    study = council.study()

    message = refusal(
        lambda: services.study_move(actor=council.users["drafter"], study=study, to="approved")
    )
    approved = services.study_move(actor=council.users["head"], study=study, to="approved")

    assert message == gettext("A second person approves a study, not the one who drafted it.")
    assert approved.status == Study.Status.APPROVED
    assert approved.approved_by == council.users["head"]
    assert approved.approved_on is not None
    actions = services.study_actions(council.users["drafter"], approved)
    assert actions.next_step == "fieldwork"


def test_a_study_goes_draft_approved_fieldwork_analysis_done_in_that_order(council):
    study = council.study()
    drafter = council.users["drafter"]
    assert gettext("The study is not at the stage before this one.") == refusal(
        lambda: services.study_move(actor=drafter, study=study, to="fieldwork")
    )
    services.study_move(actor=council.users["head"], study=study, to="approved")
    services.study_move(actor=drafter, study=study, to="fieldwork")
    services.study_move(actor=drafter, study=study, to="analysis")

    no_findings = refusal(lambda: services.study_move(actor=drafter, study=study, to="done"))
    Study.objects.filter(pk=study.pk).update(findings_en="Trust is growing.")
    study.refresh_from_db()
    no_report = refusal(lambda: services.study_move(actor=drafter, study=study, to="done"))
    services.study_report_upload(actor=drafter, study=study, upload=pdf_upload())
    with freeze_time("2026-11-20"):
        done = services.study_move(actor=drafter, study=study, to="done")

    assert no_findings == gettext(
        "Write the findings in at least one language before completing the study."
    )
    assert no_report == gettext("Upload the report before completing the study.")
    assert done.status == Study.Status.DONE
    assert done.completed_on == datetime.date(2026, 11, 20)
    assert gettext("A completed study is not changed any more.") == refusal(
        lambda: services.study_update(
            actor=drafter,
            study=done,
            titles={"kk": "Жаңа"},
            method="",
            regions=[],
            survey=None,
            findings={},
        )
    )


def test_keepers_of_another_council_and_readers_do_not_move_a_study(council):
    study = council.study()
    with pytest.raises(PermissionDenied):
        services.study_move(actor=council.users["council_almaty"], study=study, to="approved")
    with pytest.raises(PermissionDenied):  # analysts read the council's work, never act on it
        services.study_move(actor=council.users["analyst"], study=study, to="approved")
    # The region's coordinator keeps the expert group under the assembly.
    assert (
        services.study_move(
            actor=council.users["coordinator_pavlodar"], study=study, to="approved"
        ).status
        == Study.Status.APPROVED
    )


def test_a_study_needs_a_title_in_one_language_and_a_survey_in_the_drafters_scope(council):
    plan = council.plan()
    assert refusal(
        lambda: services.study_create(
            actor=council.users["drafter"], plan=plan, titles={"kk": " ", "ru": "", "en": ""}
        )
    ) == gettext("Give the title of the study.")
    study = services.study_create(
        actor=council.users["drafter"], plan=plan, titles={"en": "Trust among the young"}
    )
    with translation.override("kk"):
        assert Study.objects.get(pk=study.pk).title == "Trust among the young"


# --- The team ----------------------------------------------------------------------------------


def test_the_team_is_chosen_among_current_experts_of_councils_in_scope(council):
    study = council.study()
    drafter = council.users["drafter"]
    chosen = queries.council_experts(user=drafter, on=datetime.date(2026, 5, 1))

    lead = services.study_member_add(
        actor=drafter, study=study, person=council.experts["abenova"], role="lead"
    )

    assert set(chosen) == {council.experts["abenova"], council.experts["petrov"]}
    assert lead.role == StudyMember.Role.LEAD
    for name in ("almaty", "national", "retired", "member"):
        assert gettext("Choose an expert of a council or an expert group you work for.") == refusal(
            lambda name=name: services.study_member_add(
                actor=drafter, study=study, person=council.experts[name], role="member"
            )
        )
    assert gettext(
        "The study already has a lead researcher: add this expert as a team member."
    ) == refusal(
        lambda: services.study_member_add(
            actor=drafter, study=study, person=council.experts["petrov"], role="lead"
        )
    )
    assert gettext("This expert is already on the team.") == refusal(
        lambda: services.study_member_add(
            actor=drafter, study=study, person=council.experts["abenova"], role="member"
        )
    )
    # The national administrator's experts are those of every council.
    national = queries.council_experts(user=council.users["admin"], on=datetime.date(2026, 5, 1))
    assert {council.experts["almaty"], council.experts["national"]} <= set(national)
    assert set(
        queries.council_experts(user=drafter, on=datetime.date(2026, 5, 1), search="пет")
    ) == {council.experts["petrov"]}


def test_removing_a_member_is_for_keepers_of_the_study(council):
    study = council.study()
    member = services.study_member_add(
        actor=council.users["drafter"], study=study, person=council.experts["petrov"], role="member"
    )
    with pytest.raises(PermissionDenied):
        services.study_member_remove(
            actor=council.users["council_almaty"], study=study, member=member
        )
    services.study_member_remove(actor=council.users["head"], study=study, member=member)
    assert not study.team.exists()


# --- The report --------------------------------------------------------------------------------


def test_a_report_is_a_pdf_or_a_docx_judged_by_its_content(council, settings):
    study = council.study()
    drafter = council.users["drafter"]

    services.study_report_upload(actor=drafter, study=study, upload=pdf_upload("Есеп 2026.pdf"))
    stored = Study.objects.get(pk=study.pk)
    assert stored.report_name == "Есеп 2026.pdf"
    assert stored.report.name.endswith(".pdf") and "Есеп" not in stored.report.name

    docx = SimpleUploadedFile("report.docx", docx_bytes(), content_type="application/msword")
    services.study_report_upload(actor=drafter, study=study, upload=docx)
    handle, content_type, name = services.study_report_open(
        actor=council.users["analyst"], study=Study.objects.get(pk=study.pk)
    )
    with handle:
        assert handle.read() == docx_bytes()
    assert content_type.endswith("wordprocessingml.document")
    assert name == "report.docx"

    wrong = gettext("Upload the report as a PDF or a Word (DOCX) file.")
    for upload in (
        SimpleUploadedFile("photo.pdf", png_bytes(), content_type="application/pdf"),
        SimpleUploadedFile("macro.docx", docx_bytes(macros=True)),
        SimpleUploadedFile("archive.docx", b"PK\x03\x04 not a zip"),
        SimpleUploadedFile("notes.txt", "Мәтін".encode()),
    ):
        assert (
            refusal(
                lambda upload=upload: services.study_report_upload(
                    actor=drafter, study=study, upload=upload
                )
            )
            == wrong
        )
    settings.EVENT_ATTACHMENT_MAX_BYTES = 1024 * 1024
    assert gettext("The file is larger than %(size)s MB. Choose a smaller file.") % {
        "size": 1
    } == refusal(
        lambda: services.study_report_upload(
            actor=drafter, study=study, upload=pdf_upload(size=1024 * 1024)
        )
    )
    with pytest.raises(PermissionDenied):
        services.study_report_open(actor=council.users["council_almaty"], study=study)


# --- Recommendations ---------------------------------------------------------------------------


def test_a_recommendation_goes_to_one_addressee_of_the_councils_region(council):
    house = council.network.pavlodar_house
    assert gettext(
        "Address the recommendation to one Assembly body or to one state body."
    ) == refusal(
        lambda: services.recommendation_draft(
            actor=council.users["drafter"],
            organisation=council.pavlodar,
            title="Ұсыныс",
            text=GROUNDS,
            to_body=house,
            to_state_body=akimat_of_pavlodar(),
        )
    )
    assert refusal(lambda: council.recommendation(to_body=council.network.almaty_house)) == (
        gettext("Choose a body from the list.")
    )
    almaty_akimat = StateBody.objects.filter(region=region("KZ-75"), kind="akimat").first()
    assert refusal(lambda: council.recommendation(state_body=almaty_akimat)) == (
        gettext("Choose a state body from the list.")
    )
    item = council.recommendation(to_body=house)
    assert item.status == Recommendation.Status.DRAFT
    # A national council may address any body above the local level.
    addressees = queries.recommendation_addressees(councils=[council.national])
    assert {house, council.network.almaty_house, council.network.root} <= set(addressees)
    assert council.network.pavlodar_elders not in addressees
    assert council.pavlodar not in addressees


def test_sending_sets_the_due_date_in_working_days_and_tells_the_bodys_staff(council):
    item = council.sent(to_body=council.network.pavlodar_house)

    assert item.status == Recommendation.Status.SENT
    assert item.sent_on == datetime.date(2026, 4, 1)
    assert item.response_due == DUE_DAY
    notice = Notice.objects.get(recipient="staff_pavlodar_house@birlik.test")
    assert notice.language == "ru"
    assert "Жастар алаңы" in notice.body and "22.04.2026" in notice.body
    assert f"/ru/workspace/surveys/council/recommendations/{item.pk}/" in notice.body
    # Staff of other bodies (and of the bodies above) are not told.
    assert Notice.objects.count() == 1


def test_a_state_bodys_recommendation_is_sent_without_a_notice_and_a_set_date_is_kept(council):
    with freeze_time(SENT_DAY):
        item = council.recommendation(state_body=akimat_of_pavlodar())
        assert gettext("The answer's due date must come after today.") == refusal(
            lambda: services.recommendation_send(
                actor=council.users["drafter"],
                recommendation=item,
                response_due=datetime.date(2026, 4, 1),
            )
        )
        sent = services.recommendation_send(
            actor=council.users["drafter"],
            recommendation=item,
            response_due=datetime.date(2026, 5, 15),
        )
    assert sent.response_due == datetime.date(2026, 5, 15)
    assert not Notice.objects.exists()
    assert gettext("Only a draft recommendation is sent.") == refusal(
        lambda: services.recommendation_send(actor=council.users["drafter"], recommendation=sent)
    )


def test_the_addressed_bodys_staff_answer_not_another_regions(council):
    item = council.sent(to_body=council.network.pavlodar_house)

    for name in ("staff_almaty_house", "coordinator_almaty", "council_almaty", "drafter"):
        with pytest.raises(PermissionDenied), freeze_time("2026-04-10"):
            services.recommendation_answer(
                actor=council.users[name],
                recommendation=item,
                answered_on=datetime.date(2026, 4, 9),
                response_text="Ұсыныс қабылданды.",
            )
    with freeze_time("2026-04-10"):
        early = refusal(
            lambda: services.recommendation_answer(
                actor=council.users["staff_pavlodar_house"],
                recommendation=item,
                answered_on=datetime.date(2026, 3, 31),
                response_text="Ұсыныс қабылданды.",
            )
        )
        answered = services.recommendation_answer(
            actor=council.users["staff_pavlodar_house"],
            recommendation=item,
            answered_on=datetime.date(2026, 4, 9),
            response_text="Ұсыныс қабылданды.",
        )
    assert early == gettext("The answer cannot come before the recommendation was sent.")
    assert answered.status == Recommendation.Status.ANSWERED
    assert answered.answered_on == datetime.date(2026, 4, 9)


def test_a_state_bodys_answer_is_recorded_and_every_decision_by_the_council(council):
    item = council.sent(state_body=akimat_of_pavlodar())
    with freeze_time("2026-04-20"):
        with pytest.raises(PermissionDenied):  # a house's staff have no say on a state body
            services.recommendation_answer(
                actor=council.users["staff_pavlodar_house"],
                recommendation=item,
                answered_on=datetime.date(2026, 4, 15),
                response_text="Әкімдік жауабы.",
            )
        services.recommendation_answer(
            actor=council.users["head"],
            recommendation=item,
            answered_on=datetime.date(2026, 4, 15),
            response_text="Әкімдік жауабы.",
        )
        with pytest.raises(PermissionDenied):
            services.recommendation_decide(
                actor=council.users["staff_pavlodar_house"],
                recommendation=item,
                decision="accepted",
                decided_on=datetime.date(2026, 4, 20),
            )
        assert gettext("The decision cannot come before the answer.") == refusal(
            lambda: services.recommendation_decide(
                actor=council.users["drafter"],
                recommendation=item,
                decision="partly",
                decided_on=datetime.date(2026, 4, 14),
            )
        )
        decided = services.recommendation_decide(
            actor=council.users["drafter"],
            recommendation=item,
            decision="partly",
            decided_on=datetime.date(2026, 4, 20),
            actions_taken="Алаң ашылды.",
        )
    assert decided.status == Recommendation.Status.DECIDED
    assert decided.get_decision_display() == pgettext("recommendation decision", "partly accepted")


def test_a_draft_cannot_be_answered_nor_decided(council):
    item = council.recommendation(state_body=akimat_of_pavlodar())
    actions = services.recommendation_actions(council.users["drafter"], item)
    assert actions.allowed == ("send",)
    assert actions.next_step == "send"
    assert actions.refusal("decide") == gettext(
        "The council decides once the answer has been recorded."
    )
    assert actions.refusal("answer") == gettext(
        "The answer is recorded once the recommendation has been sent."
    )


# --- What waits for whom -----------------------------------------------------------------------


def test_overdue_and_waiting_recommendations_reach_the_right_people(council):
    to_house = council.sent(to_body=council.network.pavlodar_house)
    to_akimat = council.sent(state_body=akimat_of_pavlodar())
    day = DUE_DAY + datetime.timedelta(days=3)

    overdue = set(queries.recommendations_overdue(on=day))
    waiting_house = set(
        queries.recommendations_awaiting_answer(user=council.users["staff_pavlodar_house"])
    )
    waiting_council = set(queries.recommendations_awaiting_answer(user=council.users["head"]))
    waiting_almaty = set(
        queries.recommendations_awaiting_answer(user=council.users["staff_almaty_house"])
    )

    assert overdue == {to_house, to_akimat}
    assert waiting_house == {to_house}
    assert waiting_council == {to_akimat}
    assert waiting_almaty == set()
    assert set(queries.recommendations_overdue(on=DUE_DAY)) == set()


def test_my_work_shows_an_overdue_recommendation_to_the_addressed_bodys_staff(council):
    council.sent(to_body=council.network.pavlodar_house)
    day = DUE_DAY + datetime.timedelta(days=2)

    work = {item.key: item for item in my_work(council.users["staff_pavlodar_house"], today=day)}
    almaty = {item.key for item in my_work(council.users["staff_almaty_house"], today=day)}
    keeper = {item.key: item for item in my_work(council.users["head"], today=day)}

    assert work["recommendations_to_answer"].count == 1
    assert work["recommendations_to_answer"].days_left == -2
    assert work["recommendations_to_answer"].tone == "late"
    assert work["recommendations_to_answer"].badge == ngettext(
        "the oldest %(days)s day overdue", "the oldest %(days)s days overdue", 2
    ) % {"days": 2}
    assert work["recommendations_to_answer"].url.endswith("?queue=to_answer")
    assert not {"recommendations_to_answer", "recommendations_to_decide"} & almaty
    # The council's staff do not answer for the house, but follow the council's decisions.
    assert keeper["recommendations_to_answer"].count == 0
    assert keeper["recommendations_to_decide"].count == 0


# --- Indicators --------------------------------------------------------------------------------


def _decided(council: Council, decision: str, day: str) -> Recommendation:
    item = council.sent(state_body=akimat_of_pavlodar())
    with freeze_time(day):
        services.recommendation_answer(
            actor=council.users["head"],
            recommendation=item,
            answered_on=datetime.date.fromisoformat(day),
            response_text="Жауап.",
        )
        return services.recommendation_decide(
            actor=council.users["head"],
            recommendation=item,
            decision=decision,
            decided_on=datetime.date.fromisoformat(day),
        )


def test_the_indicators_count_studies_recommendations_and_the_share_acted_on(council):
    for decision in ("accepted", "partly", "rejected"):
        _decided(council, decision, "2026-05-12")
    _decided(council, "accepted", "2027-01-20")  # another year
    council.sent(to_body=council.network.pavlodar_house)
    national = council.study(by="council_national", body=council.national)
    pavlodar = council.study()
    for study in (national, pavlodar):
        Study.objects.filter(pk=study.pk).update(
            status=Study.Status.DONE, completed_on=datetime.date(2026, 6, 1)
        )
    year = kpi.Period.year(2026)

    acted_on = kpi.compute("surveys.recommendations_acted_on", year)
    made = kpi.compute("surveys.recommendations", year)
    studies = kpi.compute("surveys.studies", year)
    in_almaty = kpi.compute("surveys.recommendations_acted_on", year, region("KZ-75"))

    assert acted_on == [{"value": 66.7, "decided": 3, "acted_on": 2}]
    assert made == [{"region": "KZ-55", "value": 5}]
    assert sorted(studies, key=lambda row: row["region"]) == [
        {"region": "KZ-55", "value": 1},
        {"region": "none", "value": 1},
    ]
    assert in_almaty == []
    indicators = {item.key: item for item in kpi.indicators()}
    assert not indicators["surveys.recommendations_acted_on"].is_additive
    assert all(
        indicators[key].public
        for key in (
            "surveys.studies",
            "surveys.recommendations",
            "surveys.recommendations_acted_on",
        )
    )


def test_national_readers_see_every_recommendation_whoever_it_is_addressed_to(council):
    """A national administrator's scope is everything: a recommendation to a state body as much
    as one to an Assembly body (an empty filter OR-ed with another would narrow it)."""
    from birlik.access.policies import scoped

    to_state = council.sent(state_body=akimat_of_pavlodar())
    to_house = council.sent(to_body=council.network.pavlodar_house)
    for name in ("admin", "analyst"):
        user = council.network.users[name]
        seen = set(scoped(Recommendation.objects.all(), user).values_list("pk", flat=True))
        assert {to_state.pk, to_house.pk} <= seen, name
    staff = council.network.users["staff_pavlodar_house"]
    seen = set(scoped(Recommendation.objects.all(), staff).values_list("pk", flat=True))
    assert seen == {to_house.pk}
