"""The rules of initiatives: numbering, the level from the state body, who may raise and sign
them, the stage machine with its dates and audit rows, the act of an adopted initiative, and the
proposals and appeals they came from (only those the actor may read)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from freezegun import freeze_time

from birlik.access.models import AuditEntry, Role
from birlik.deputies import queries, services
from birlik.deputies.models import Initiative, InitiativeLink, InitiativeStage, Level, Stage
from birlik.deputies.services import InitiativeError

from ..factories import GrantFactory, MembershipFactory, OrganisationFactory, UserFactory, kind
from .factories import (
    QUESTION,
    make_appeal,
    make_initiative,
    make_proposal,
    state_body,
    through,
)

D = datetime.date
TODAY = "2026-03-02 10:00"


def en(refused) -> str:
    """The refusal's message in English (messages are translated when they are shown)."""
    with translation.override("en"):
        return str(refused.value.message)


def _create(deputies, **kwargs):
    data = {
        "actor": deputies.group_staff,
        "organisation": deputies.group,
        "state_body": state_body("parliament-mazhilis"),
        "titles": {"kk": "Сұрақ"},
        "questions": {"kk": QUESTION},
    }
    data.update(kwargs)
    return services.initiative_create(**data)


# --- Drafting ------------------------------------------------------------------------------------


@freeze_time(TODAY)
def test_initiatives_are_numbered_without_gaps_in_the_year_they_were_drafted(deputies):
    first = _create(deputies, drafted_on=D(2025, 11, 3))
    with pytest.raises(InitiativeError):  # refused: no number is used up
        _create(deputies, state_body=state_body("ministry-culture_information"))
    second = _create(deputies, drafted_on=D(2025, 12, 1))
    this_year = _create(deputies)
    assert [first.number, second.number, this_year.number] == [
        "DG-2025-001",
        "DG-2025-002",
        "DG-2026-001",
    ]
    assert this_year.drafted_on == D(2026, 3, 2) and this_year.year == 2026


@freeze_time(TODAY)
def test_the_level_follows_the_state_body(deputies):
    parliament = _create(deputies, state_body=state_body("parliament-senate"))
    maslikhat = _create(deputies, state_body=state_body("maslikhat-kz-55"))
    assert parliament.level == Level.PARLIAMENT
    assert maslikhat.level == Level.MASLIKHAT


@freeze_time(TODAY)
@pytest.mark.parametrize("state_kind", ["ministry", "akimat", "other"])
def test_a_ministry_or_an_akimat_is_refused_with_a_message(deputies, state_kind):
    from birlik.appeals.models import StateBody

    body = StateBody.objects.filter(kind=state_kind).order_by(
        "pk"
    ).first() or StateBody.objects.create(code="other-body", name="Басқа орган", kind=state_kind)
    with translation.override("en"), pytest.raises(InitiativeError) as refused:
        _create(deputies, state_body=body)
    assert "chamber of Parliament or to a maslikhat" in en(refused)
    assert refused.value.field == "state_body"
    assert not Initiative.objects.exists()


@freeze_time(TODAY)
def test_a_regional_assembly_raises_questions_in_its_own_regions_maslikhat(deputies):
    network = deputies.network
    ours = _create(
        deputies,
        actor=deputies.coordinator,
        organisation=network.pavlodar,
        state_body=state_body("maslikhat-kz-55"),
    )
    assert ours.level == Level.MASLIKHAT
    with translation.override("en"), pytest.raises(InitiativeError) as refused:
        _create(
            deputies,
            actor=deputies.coordinator,
            organisation=network.pavlodar,
            state_body=state_body("maslikhat-kz-75"),
        )
    assert "maslikhat of their region" in en(refused)


@freeze_time(TODAY)
def test_only_the_deputy_group_and_the_assemblies_raise_initiatives(deputies):
    with translation.override("en"), pytest.raises(InitiativeError) as refused:
        _create(
            deputies,
            actor=deputies.coordinator,
            organisation=deputies.network.pavlodar_house,
        )
    assert "deputy group and by the assemblies" in en(refused)


@freeze_time(TODAY)
def test_staff_of_another_body_may_not_raise_an_initiative_for_the_group(deputies):
    with pytest.raises(PermissionDenied):
        _create(deputies, actor=deputies.coordinator)
    with pytest.raises(PermissionDenied):
        _create(deputies, actor=deputies.network.users["auditor"])


@freeze_time(TODAY)
def test_authors_are_current_members_of_the_raising_body_in_the_actors_scope(deputies):
    item = _create(deputies, authors=deputies.deputies[:2])
    assert set(item.authors.all()) == set(deputies.deputies[:2])
    outsider = deputies.network.almaty_person
    with translation.override("en"), pytest.raises(InitiativeError) as refused:
        _create(deputies, authors=[outsider])
    assert refused.value.field == "authors"
    # A deputy whose term ended is no longer offered.
    former = deputies.deputies[2]
    former.memberships.update(end_date=D(2025, 12, 31))
    with pytest.raises(InitiativeError):
        _create(deputies, authors=[former])
    # Another region's coordinator may not name the Pavlodar assembly's members (nor raise).
    with pytest.raises(PermissionDenied):
        _create(
            deputies,
            actor=deputies.network.users["coordinator_almaty"],
            organisation=deputies.network.pavlodar,
            authors=deputies.pavlodar_members,
        )


@freeze_time(TODAY)
def test_the_question_and_its_title_are_required_in_one_language(deputies):
    with pytest.raises(InitiativeError) as no_title:
        _create(deputies, titles={"kk": "  ", "ru": ""})
    assert no_title.value.field == "title_kk"
    with pytest.raises(InitiativeError) as short:
        _create(deputies, questions={"ru": "Коротко"})
    assert short.value.field == "question_kk"
    item = _create(deputies, titles={"ru": "Вопрос"}, questions={"ru": QUESTION})
    with translation.override("kk"):
        assert Initiative.objects.get(pk=item.pk).title == "Вопрос"  # falls back to Russian


@freeze_time(TODAY)
def test_a_drafted_date_in_the_future_is_refused(deputies):
    with pytest.raises(InitiativeError) as refused:
        _create(deputies, drafted_on=D(2026, 3, 3))
    assert refused.value.field == "drafted_on"


@freeze_time(TODAY)
def test_an_initiative_is_changed_only_while_it_is_drafted(deputies):
    item = _create(deputies, drafted_on=D(2026, 1, 5), authors=deputies.deputies[:1])
    item = services.initiative_update(
        actor=deputies.group_staff,
        initiative=item,
        state_body=state_body("parliament-senate"),
        titles={"kk": "Жаңа сұрақ"},
        questions={"kk": QUESTION},
        authors=deputies.deputies[1:3],
        drafted_on=D(2026, 1, 20),
    )
    item.refresh_from_db()
    assert item.state_body.code == "parliament-senate" and item.title_kk == "Жаңа сұрақ"
    assert set(item.authors.all()) == set(deputies.deputies[1:3])
    assert item.stages.get().on == D(2026, 1, 20) == item.drafted_on
    update = AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE, object_id=str(item.pk))
    assert "authors" in update.get().changes and "state_body" in update.get().changes
    with pytest.raises(InitiativeError):  # the number's year stays
        services.initiative_update(
            actor=deputies.group_staff,
            initiative=item,
            state_body=item.state_body,
            titles={"kk": "Сұрақ"},
            questions={"kk": QUESTION},
            drafted_on=D(2025, 12, 30),
        )
    services.initiative_move(
        actor=deputies.group_staff, initiative=item, stage=Stage.SUBMITTED, on=D(2026, 2, 1)
    )
    with translation.override("en"), pytest.raises(InitiativeError) as refused:
        services.initiative_update(
            actor=deputies.group_staff,
            initiative=item,
            state_body=item.state_body,
            titles={"kk": "Басқа"},
            questions={"kk": QUESTION},
        )
    assert "only while it is drafted" in en(refused)


# --- Stages --------------------------------------------------------------------------------------


@freeze_time(TODAY)
def test_the_stages_are_dated_rows_with_their_actor_and_each_move_is_audited(deputies):
    item = make_initiative(
        actor=deputies.group_staff,
        organisation=deputies.group,
        drafted_on=D(2025, 9, 1),
        stages=through(D(2025, 9, 10), D(2025, 10, 1), D(2026, 2, 5), end=Stage.ADOPTED),
    )
    item.refresh_from_db()
    assert item.stage == Stage.ADOPTED and item.stage_on == D(2026, 2, 5)
    assert item.submitted_on == D(2025, 9, 10)
    rows = list(item.stages.values_list("stage", "on", "actor"))
    staff = deputies.group_staff.pk
    assert rows == [
        ("drafted", D(2025, 9, 1), staff),
        ("submitted", D(2025, 9, 10), staff),
        ("consideration", D(2025, 10, 1), staff),
        ("adopted", D(2026, 2, 5), staff),
    ]
    audited = AuditEntry.objects.filter(object_type="deputies.Initiative", object_id=str(item.pk))
    assert audited.filter(action=AuditEntry.Action.CREATE).count() == 1
    moves = [
        e.changes["stage"] for e in audited.filter(action=AuditEntry.Action.UPDATE).order_by("pk")
    ]
    assert moves == [
        ["drafted", "submitted"],
        ["submitted", "consideration"],
        ["consideration", "adopted"],
    ]
    assert all(e.organisation_path == deputies.group.path for e in audited)


ILLEGAL = [
    ((), Stage.CONSIDERATION),
    ((), Stage.ADOPTED),
    ((), Stage.REJECTED),
    ((Stage.SUBMITTED,), Stage.ADOPTED),
    ((Stage.SUBMITTED,), Stage.SUBMITTED),
    ((Stage.SUBMITTED, Stage.CONSIDERATION), Stage.SUBMITTED),
    ((Stage.SUBMITTED, Stage.CONSIDERATION, Stage.ADOPTED), Stage.WITHDRAWN),
    ((Stage.SUBMITTED, Stage.CONSIDERATION, Stage.REJECTED), Stage.ADOPTED),
    ((Stage.WITHDRAWN,), Stage.SUBMITTED),
    ((), Stage.DRAFTED),
    ((), "published"),
]


@freeze_time(TODAY)
@pytest.mark.parametrize(("path", "to"), ILLEGAL)
def test_an_illegal_move_is_refused_and_changes_nothing(deputies, path, to):
    item = make_initiative(
        actor=deputies.group_staff,
        organisation=deputies.group,
        drafted_on=D(2026, 1, 5),
        stages=[(stage, D(2026, 1, 10 + n)) for n, stage in enumerate(path)],
    )
    rows = InitiativeStage.objects.count()
    audits = AuditEntry.objects.count()
    with translation.override("en"), pytest.raises(InitiativeError) as refused:
        services.initiative_move(
            actor=deputies.group_staff, initiative=item, stage=to, on=D(2026, 2, 1), note="x"
        )
    assert "cannot move to" in en(refused)
    assert InitiativeStage.objects.count() == rows and AuditEntry.objects.count() == audits
    assert Initiative.objects.get(pk=item.pk).stage == item.stage


@freeze_time(TODAY)
@pytest.mark.parametrize(
    "path",
    [(), (Stage.SUBMITTED,), (Stage.SUBMITTED, Stage.CONSIDERATION)],
    ids=["drafted", "submitted", "under consideration"],
)
def test_an_initiative_is_withdrawn_before_a_decision_with_a_reason(deputies, path):
    item = make_initiative(
        actor=deputies.group_staff,
        organisation=deputies.group,
        drafted_on=D(2026, 1, 5),
        stages=[(stage, D(2026, 1, 10)) for stage in path],
    )
    with translation.override("en"), pytest.raises(InitiativeError) as no_reason:
        services.initiative_move(
            actor=deputies.group_staff, initiative=item, stage=Stage.WITHDRAWN, on=D(2026, 2, 1)
        )
    assert no_reason.value.field == "note"
    services.initiative_move(
        actor=deputies.group_staff,
        initiative=item,
        stage=Stage.WITHDRAWN,
        on=D(2026, 2, 1),
        note="Мәселе шешілді",
    )
    assert Initiative.objects.get(pk=item.pk).stage == Stage.WITHDRAWN
    assert item.stages.get(stage=Stage.WITHDRAWN).note == "Мәселе шешілді"


@freeze_time(TODAY)
def test_a_stage_cannot_be_dated_in_the_future_or_before_the_previous_stage(deputies):
    item = make_initiative(
        actor=deputies.group_staff,
        organisation=deputies.group,
        drafted_on=D(2026, 1, 5),
        stages=[(Stage.SUBMITTED, D(2026, 1, 20))],
    )
    with translation.override("en"), pytest.raises(InitiativeError) as future:
        services.initiative_move(
            actor=deputies.group_staff,
            initiative=item,
            stage=Stage.CONSIDERATION,
            on=D(2026, 3, 3),
        )
    assert "future" in en(future) and future.value.field == "on"
    with translation.override("en"), pytest.raises(InitiativeError) as earlier:
        services.initiative_move(
            actor=deputies.group_staff,
            initiative=item,
            stage=Stage.CONSIDERATION,
            on=D(2026, 1, 19),
        )
    assert "before the previous stage" in en(earlier)
    # The same day as the previous stage is allowed.
    services.initiative_move(
        actor=deputies.group_staff, initiative=item, stage=Stage.CONSIDERATION, on=D(2026, 1, 20)
    )
    with pytest.raises(InitiativeError):  # submitted before it was drafted
        make_initiative(
            actor=deputies.group_staff,
            organisation=deputies.group,
            drafted_on=D(2026, 2, 1),
            stages=[(Stage.SUBMITTED, D(2026, 1, 31))],
        )


@freeze_time(TODAY)
def test_staff_outside_the_raising_body_may_not_move_an_initiative(deputies):
    item = make_initiative(actor=deputies.group_staff, organisation=deputies.group)
    for user in (deputies.coordinator, deputies.network.users["auditor"]):
        with pytest.raises(PermissionDenied):
            services.initiative_move(
                actor=user, initiative=item, stage=Stage.SUBMITTED, on=D(2026, 3, 2)
            )
    # The national administrator, above the group, may.
    services.initiative_move(
        actor=deputies.admin, initiative=item, stage=Stage.SUBMITTED, on=D(2026, 3, 2)
    )


# --- The result ----------------------------------------------------------------------------------


def _adopted(deputies, to="parliament-mazhilis", organisation=None, actor=None):
    return make_initiative(
        actor=actor or deputies.group_staff,
        organisation=organisation or deputies.group,
        to=to,
        drafted_on=D(2025, 9, 1),
        stages=through(D(2025, 9, 10), D(2025, 10, 1), D(2026, 2, 5), end=Stage.ADOPTED),
    )


def _record(deputies, item, **kwargs):
    data = {
        "actor": deputies.group_staff,
        "initiative": item,
        "act_kind": "law",
        "act_titles": {"kk": "Заң"},
        "act_number": "215-VIII",
        "act_date": D(2026, 2, 20),
        "act_url": "https://adilet.zan.kz/kaz/docs/Z2600000215",
    }
    data.update(kwargs)
    return services.initiative_record_result(**data)


@freeze_time(TODAY)
def test_the_act_of_an_adopted_initiative_is_recorded_and_audited(deputies):
    item = _record(deputies, _adopted(deputies))
    item.refresh_from_db()
    assert (item.act_kind, item.act_number, item.act_date) == ("law", "215-VIII", D(2026, 2, 20))
    assert item.act_url.startswith("https://adilet.zan.kz/")
    entry = (
        AuditEntry.objects.filter(object_type="deputies.Initiative", object_id=str(item.pk))
        .order_by("pk")
        .last()
    )
    assert entry.changes["act_kind"] == [None, "law"]


@freeze_time(TODAY)
def test_the_act_is_recorded_only_once_the_initiative_is_adopted(deputies):
    item = make_initiative(
        actor=deputies.group_staff,
        organisation=deputies.group,
        drafted_on=D(2025, 9, 1),
        stages=through(D(2025, 9, 10), D(2025, 10, 1)),
    )
    with translation.override("en"), pytest.raises(InitiativeError) as refused:
        _record(deputies, item)
    assert "once the initiative is adopted" in en(refused)


@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("to", "kwargs", "field"),
    [
        ("parliament-mazhilis", {"act_kind": "maslikhat_decision"}, "act_kind"),
        ("maslikhat-kz-55", {"act_kind": "law"}, "act_kind"),
        ("parliament-mazhilis", {"act_kind": "decree"}, "act_kind"),
        ("parliament-mazhilis", {"act_titles": {"kk": " "}}, "act_title_kk"),
        ("parliament-mazhilis", {"act_date": D(2025, 9, 9)}, "act_date"),
        ("parliament-mazhilis", {"act_date": D(2026, 3, 3)}, "act_date"),
        ("parliament-mazhilis", {"act_url": "javascript:alert(1)"}, "act_url"),
        ("parliament-mazhilis", {"act_url": "adilet"}, "act_url"),
    ],
)
def test_an_act_that_does_not_fit_is_refused(deputies, to, kwargs, field):
    item = _adopted(deputies, to=to)
    with pytest.raises(InitiativeError) as refused:
        _record(deputies, item, **kwargs)
    assert refused.value.field == field
    assert Initiative.objects.get(pk=item.pk).act_kind == ""


@freeze_time(TODAY)
def test_a_maslikhat_initiative_leads_to_a_maslikhat_decision(deputies):
    item = _adopted(
        deputies,
        to="maslikhat-kz-55",
        organisation=deputies.network.pavlodar,
        actor=deputies.coordinator,
    )
    _record(deputies, item, actor=deputies.coordinator, act_kind="maslikhat_decision", act_url="")
    assert Initiative.objects.get(pk=item.pk).act_kind == "maslikhat_decision"


# --- Where it came from --------------------------------------------------------------------------


@pytest.fixture
def sources(deputies):
    network = deputies.network
    house_staff = network.users["staff_pavlodar_house"]
    almaty_staff = UserFactory(username="almaty_house_staff")
    GrantFactory(user=almaty_staff, role=Role.BODY_STAFF, organisation=network.almaty_house)
    return {
        "pavlodar_proposal": make_proposal(
            network.pavlodar_house, drafter=house_staff, approver=deputies.coordinator
        ),
        "pavlodar_draft": make_proposal(
            network.pavlodar_house, drafter=house_staff, approver=None, sent=False
        ),
        "almaty_proposal": make_proposal(
            network.almaty_house,
            drafter=almaty_staff,
            approver=network.users["coordinator_almaty"],
        ),
        "pavlodar_appeal": make_appeal(network.pavlodar_house),
        "almaty_appeal": make_appeal(network.almaty_house),
    }


def _pavlodar_initiative(deputies):
    return make_initiative(
        actor=deputies.coordinator, organisation=deputies.network.pavlodar, to="maslikhat-kz-55"
    )


def test_proposals_and_appeals_the_actor_may_read_are_linked_and_audited(deputies, sources):
    item = _pavlodar_initiative(deputies)
    services.initiative_link(
        actor=deputies.coordinator, initiative=item, proposal=sources["pavlodar_proposal"]
    )
    services.initiative_link(
        actor=deputies.coordinator, initiative=item, appeal=sources["pavlodar_appeal"]
    )
    assert item.links.count() == 2
    changes = [
        e.changes
        for e in AuditEntry.objects.filter(
            object_type="deputies.Initiative", object_id=str(item.pk), action="update"
        ).order_by("pk")
    ]
    assert changes == [
        {"proposal": [None, sources["pavlodar_proposal"].pk]},
        {"appeal": [None, sources["pavlodar_appeal"].number]},
    ]
    with translation.override("en"), pytest.raises(InitiativeError) as twice:
        services.initiative_link(
            actor=deputies.coordinator, initiative=item, appeal=sources["pavlodar_appeal"]
        )
    assert "already linked" in en(twice)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("almaty_proposal", "No proposal you may read has this number."),
        ("pavlodar_draft", "No proposal you may read has this number."),
        ("almaty_appeal", "No appeal you may read has this number."),
    ],
)
def test_a_source_out_of_the_actors_scope_is_refused_like_an_unknown_one(
    deputies, sources, source, message
):
    item = _pavlodar_initiative(deputies)
    kind_of = "appeal" if source.endswith("appeal") else "proposal"
    with translation.override("en"), pytest.raises(InitiativeError) as refused:
        services.initiative_link(
            actor=deputies.coordinator, initiative=item, **{kind_of: sources[source]}
        )
    assert en(refused) == message
    assert not InitiativeLink.objects.exists()


def test_an_analyst_may_not_link_even_what_they_read(deputies, sources):
    item = _pavlodar_initiative(deputies)
    with pytest.raises(PermissionDenied):
        services.initiative_link(
            actor=deputies.network.users["analyst"],
            initiative=item,
            proposal=sources["pavlodar_proposal"],
        )


def test_a_source_linked_by_mistake_is_taken_off(deputies, sources):
    item = _pavlodar_initiative(deputies)
    link = services.initiative_link(
        actor=deputies.coordinator, initiative=item, appeal=sources["pavlodar_appeal"]
    )
    other = _pavlodar_initiative(deputies)
    with pytest.raises(InitiativeError):
        services.initiative_unlink(actor=deputies.coordinator, initiative=other, link=link)
    services.initiative_unlink(actor=deputies.coordinator, initiative=item, link=link)
    assert not InitiativeLink.objects.exists()
    last = (
        AuditEntry.objects.filter(object_type="deputies.Initiative", object_id=str(item.pk))
        .order_by("pk")
        .last()
    )
    assert last.changes == {"appeal": [sources["pavlodar_appeal"].number, None]}


@freeze_time(TODAY)
def test_initiatives_for_a_proposal_are_those_in_scope_and_those_the_public_sees(deputies, sources):
    proposal = sources["pavlodar_proposal"]
    draft_of_pavlodar = _pavlodar_initiative(deputies)
    national_draft = make_initiative(actor=deputies.admin, organisation=deputies.group)
    national_submitted = make_initiative(
        actor=deputies.admin,
        organisation=deputies.group,
        stages=[(Stage.SUBMITTED, D(2026, 3, 2))],
    )
    for item in (draft_of_pavlodar, national_draft, national_submitted):
        services.initiative_link(actor=deputies.admin, initiative=item, proposal=proposal)
    unrelated = _pavlodar_initiative(deputies)
    shown = queries.initiatives_for_proposal(proposal, deputies.coordinator)
    assert {(i.pk, i.in_scope) for i in shown} == {
        (draft_of_pavlodar.pk, True),
        (national_submitted.pk, False),
    }
    assert unrelated.pk not in {i.pk for i in shown}
    analyst = deputies.network.users["analyst"]  # reads proposals, not the initiatives' pages
    assert {(i.pk, i.in_scope) for i in queries.initiatives_for_proposal(proposal, analyst)} == {
        (national_submitted.pk, False)
    }
    nobody = deputies.network.users["nobody"]
    assert [i.pk for i in queries.initiatives_for_proposal(proposal, nobody)] == [
        national_submitted.pk
    ]
    assert {i.pk for i in queries.initiatives_for_proposal(proposal, deputies.admin)} == {
        draft_of_pavlodar.pk,
        national_draft.pk,
        national_submitted.pk,
    }


def test_a_deputy_group_under_a_regional_assembly_addresses_its_region(deputies):
    network = deputies.network
    regional_group = OrganisationFactory(
        parent=network.pavlodar, kind=kind("deputy_group"), region=network.pavlodar.region
    )
    member = deputies.pavlodar_members[0]
    MembershipFactory(person=member, organisation=regional_group)
    item = services.initiative_create(
        actor=deputies.coordinator,
        organisation=regional_group,
        state_body=state_body("maslikhat-kz-55"),
        titles={"ru": "Вопрос"},
        questions={"ru": QUESTION},
        authors=[member],
    )
    assert item.level == Level.MASLIKHAT and list(item.authors.all()) == [member]
    assert {b.code for b in queries.addressable_state_bodies(regional_group)} == {
        "parliament-mazhilis",
        "parliament-senate",
        "maslikhat-kz-55",
    }
    assert queries.addressable_state_bodies(deputies.group).filter(kind="maslikhat").count() == 20
