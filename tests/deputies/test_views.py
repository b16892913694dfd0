"""The staff pages and the public page of initiatives: who sees what (another body's staff are
told "not found", auditors read but do not act), the forms and stage actions as users see them,
bad input answered with a message, a linked appeal shown by number only to those who may read
it, the public page without drafts or names, and lists costing the same queries for 3 and 30."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from freezegun import freeze_time

from birlik.access.models import AuditEntry
from birlik.appeals import services as appeals
from birlik.deputies import services
from birlik.deputies.models import Initiative, InitiativeLink, Stage

from .factories import QUESTION, make_appeal, make_initiative, make_proposal, state_body, through

D = datetime.date
TODAY = "2026-03-02 10:00"
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with freeze_time(TODAY):
        yield


def _url(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def _drafted(deputies, **kwargs):
    return make_initiative(actor=deputies.group_staff, organisation=deputies.group, **kwargs)


def _text(response) -> str:
    return response.content.decode()


# --- Who sees what -------------------------------------------------------------------------------


def test_the_list_is_for_staff_and_auditors_of_the_raising_body(client, deputies):
    item = _drafted(deputies, title="Ұлттық сұрақ")
    url = _url("deputies:initiatives")
    for user, shown in (
        (deputies.group_staff, True),
        (deputies.admin, True),
        (deputies.network.users["auditor"], True),
        (deputies.coordinator, False),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert (item.number in _text(response)) is shown
    client.force_login(deputies.network.users["analyst"])
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_another_bodys_staff_are_told_not_found(client, deputies):
    item = _drafted(deputies)
    client.force_login(deputies.coordinator)
    for name in ("deputies:initiative", "deputies:initiative_edit"):
        assert client.get(_url(name, pk=item.pk)).status_code == 404
    response = client.post(
        _url("deputies:initiative_stage", pk=item.pk), {"stage": "submitted", "on": "2026-03-02"}
    )
    assert response.status_code == 404
    assert Initiative.objects.get(pk=item.pk).stage == Stage.DRAFTED


def test_an_auditor_reads_an_initiative_but_may_not_act_on_it(client, deputies):
    item = _drafted(deputies, authors=deputies.deputies[:1])
    client.force_login(deputies.network.users["auditor"])
    response = client.get(_url("deputies:initiative", pk=item.pk))
    assert response.status_code == 200
    assert deputies.deputies[0].last_name in _text(response)
    assert _url("deputies:initiative_stage", pk=item.pk) not in _text(response)
    assert client.get(_url("deputies:initiative_edit", pk=item.pk)).status_code == 403
    response = client.post(
        _url("deputies:initiative_stage", pk=item.pk), {"stage": "submitted", "on": "2026-03-02"}
    )
    assert response.status_code == 403


# --- Drafting ------------------------------------------------------------------------------------


def test_the_groups_staff_go_straight_to_the_groups_form(client, deputies):
    client.force_login(deputies.group_staff)
    response = client.get(_url("deputies:initiative_choose"))
    assert response.status_code == 302
    assert response["Location"] == _url("deputies:initiative_create", body=deputies.group.pk)


def test_a_coordinator_chooses_among_the_raising_bodies_of_their_scope(client, deputies):
    client.force_login(deputies.admin)
    response = client.get(_url("deputies:initiative_choose"))
    assert response.status_code == 200
    text = _text(response)
    assert deputies.group.name in text and deputies.network.pavlodar.name in text
    assert deputies.network.pavlodar_house.name not in text
    # A body that is not offered (a house of friendship) or not a number: told, not a 500.
    for value in (deputies.network.pavlodar_house.pk, "abc"):
        response = client.get(_url("deputies:initiative_choose"), {"body": value})
        assert response.status_code == 400
    client.force_login(deputies.network.users["staff_pavlodar_house"])
    response = client.get(_url("deputies:initiative_choose"))
    assert response.status_code == 200
    with translation.override("en"):
        assert "None of them is in your scope" in _text(response)


def test_an_initiative_is_drafted_with_its_authors_and_numbered(client, deputies):
    client.force_login(deputies.group_staff)
    url = _url("deputies:initiative_create", body=deputies.group.pk)
    form = client.get(url)
    assert form.status_code == 200
    text = _text(form)
    assert all(person.last_name in text for person in deputies.deputies)
    assert state_body("parliament-mazhilis").name_en in text
    assert state_body("ministry-culture_information").name_en not in text
    response = client.post(
        url,
        {
            "title_kk": "Тіл курстары",
            "question_kk": QUESTION,
            "state_body": state_body("parliament-mazhilis").pk,
            "authors": [deputies.deputies[0].pk, deputies.deputies[1].pk],
            "drafted_on": "2026-02-20",
        },
    )
    item = Initiative.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(
        "deputies:initiative", pk=item.pk
    )
    assert item.number == "DG-2026-001" and item.level == "parliament"
    assert item.authors.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"state_body": "ministry"}, "state_body"),
        ({"authors": "outsider"}, "authors"),
        ({"title_kk": ""}, "title_kk"),
        ({"drafted_on": "2026-13-40"}, "drafted_on"),
        ({"drafted_on": "2026-03-05"}, "drafted_on"),
    ],
)
def test_a_form_that_is_not_right_is_shown_again_with_the_message(client, deputies, change, field):
    client.force_login(deputies.group_staff)
    data = {
        "title_kk": "Тіл курстары",
        "question_kk": QUESTION,
        "state_body": state_body("parliament-mazhilis").pk,
    }
    data.update(change)
    if data.get("state_body") == "ministry":
        data["state_body"] = state_body("ministry-culture_information").pk
    if data.get("authors") == "outsider":
        data["authors"] = [deputies.network.almaty_person.pk]
    with translation.override("en"):
        response = client.post(_url("deputies:initiative_create", body=deputies.group.pk), data)
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in _text(response)
    assert not Initiative.objects.exists()


def test_the_form_of_a_body_that_raises_no_initiatives_is_not_found(client, deputies):
    client.force_login(deputies.admin)
    house = deputies.network.pavlodar_house
    assert client.get(_url("deputies:initiative_create", body=house.pk)).status_code == 404
    client.force_login(deputies.coordinator)
    group = deputies.group
    assert client.get(_url("deputies:initiative_create", body=group.pk)).status_code == 404
    client.force_login(deputies.network.users["auditor"])
    assert client.get(_url("deputies:initiative_create", body=group.pk)).status_code == 403


def test_an_initiative_is_changed_while_drafted_and_not_after(client, deputies):
    item = _drafted(deputies, drafted_on=D(2026, 2, 1))
    client.force_login(deputies.group_staff)
    url = _url("deputies:initiative_edit", pk=item.pk)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title_kk": "Жаңа тақырып",
            "question_kk": QUESTION,
            "state_body": state_body("parliament-senate").pk,
            "drafted_on": "2026-02-01",
        },
    )
    assert response.status_code == 302
    assert Initiative.objects.get(pk=item.pk).state_body.code == "parliament-senate"
    services.initiative_move(
        actor=deputies.group_staff, initiative=item, stage=Stage.SUBMITTED, on=D(2026, 2, 2)
    )
    with translation.override("en"):
        response = client.get(url, follow=True)
    assert response.redirect_chain[0] == (_url("deputies:initiative", pk=item.pk), 302)
    with translation.override("en"):
        assert "only while it is drafted" in _text(response)


# --- Stages and the act --------------------------------------------------------------------------


def test_the_next_stage_is_offered_and_recorded_with_its_date(client, deputies):
    item = _drafted(deputies, drafted_on=D(2026, 2, 1))
    client.force_login(deputies.group_staff)
    page = client.get(_url("deputies:initiative", pk=item.pk))
    with translation.override("en"):
        assert "Next step: Record the submission" in _text(page)
    response = client.post(
        _url("deputies:initiative_stage", pk=item.pk),
        {"stage": "submitted", "on": "2026-02-10", "note": ""},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.stage, item.submitted_on) == (Stage.SUBMITTED, D(2026, 2, 10))


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        ({"stage": "consideration", "on": "2026-03-03"}, "cannot be in the future"),
        ({"stage": "consideration", "on": "2026-02-09"}, "before the previous stage"),
        ({"stage": "consideration", "on": "yesterday"}, "Enter a valid date"),
        ({"stage": "withdrawn", "on": "2026-02-20", "note": ""}, "This field is required"),
    ],
)
def test_a_stage_that_is_not_right_is_refused_on_its_form(client, deputies, data, shown):
    item = _drafted(deputies, drafted_on=D(2026, 2, 1), stages=through(D(2026, 2, 10)))
    client.force_login(deputies.group_staff)
    with translation.override("en"):
        response = client.post(_url("deputies:initiative_stage", pk=item.pk), data)
    assert response.status_code == 400
    assert shown in _text(response)
    assert Initiative.objects.get(pk=item.pk).stage == Stage.SUBMITTED


@pytest.mark.parametrize("stage", ["adopted", "drafted", "nonsense", ""])
def test_a_stage_the_initiative_does_not_allow_now_is_refused_with_a_message(
    client, deputies, stage
):
    item = _drafted(deputies, drafted_on=D(2026, 2, 1))
    client.force_login(deputies.group_staff)
    with translation.override("en"):
        response = client.post(
            _url("deputies:initiative_stage", pk=item.pk),
            {"stage": stage, "on": "2026-02-10"},
            follow=True,
        )
    assert response.status_code == 200
    assert 'class="message' in _text(response)
    assert Initiative.objects.get(pk=item.pk).stage == Stage.DRAFTED


def test_the_act_is_asked_for_once_adopted_and_shown_after(client, deputies):
    item = _drafted(
        deputies,
        drafted_on=D(2025, 9, 1),
        stages=through(D(2025, 9, 10), D(2025, 10, 1), D(2026, 2, 5), end=Stage.ADOPTED),
    )
    client.force_login(deputies.group_staff)
    page = client.get(_url("deputies:initiative", pk=item.pk))
    with translation.override("en"):
        assert "Next step: Record the act it led to" in _text(page)
    assert 'value="maslikhat_decision"' not in _text(page)  # a Parliament initiative
    bad = client.post(
        _url("deputies:initiative_result", pk=item.pk),
        {"act_kind": "law", "act_title_kk": "Заң", "act_date": "2025-09-01"},
    )
    assert bad.status_code == 400
    response = client.post(
        _url("deputies:initiative_result", pk=item.pk),
        {
            "act_kind": "law",
            "act_title_kk": "Этносаралық келісім туралы заң",
            "act_number": "215-VIII",
            "act_date": "2026-02-20",
            "act_url": "https://adilet.zan.kz/kaz/docs/Z2600000215",
        },
    )
    assert response.status_code == 302
    page = client.get(_url("deputies:initiative", pk=item.pk))
    assert "215-VIII" in _text(page) and "https://adilet.zan.kz/kaz/docs/Z2600000215" in _text(page)


# --- Where it came from --------------------------------------------------------------------------


@pytest.fixture
def linked(deputies):
    """A national initiative linked to a Pavlodar appeal (its subject and applicant are
    confidential) and to a Pavlodar proposal."""
    network = deputies.network
    appeal = make_appeal(network.pavlodar_house, applicant="Құпиябек Ерлан", subject="Тіл курсы")
    proposal = make_proposal(
        network.pavlodar_house,
        drafter=network.users["staff_pavlodar_house"],
        approver=deputies.coordinator,
    )
    item = make_initiative(
        actor=deputies.admin, organisation=network.pavlodar, to="maslikhat-kz-55"
    )
    services.initiative_link(actor=deputies.admin, initiative=item, appeal=appeal)
    services.initiative_link(actor=deputies.admin, initiative=item, proposal=proposal)
    return item, appeal, proposal


def test_a_linked_appeal_shows_its_number_only_to_those_who_may_read_it(client, deputies, linked):
    item, appeal, proposal = linked
    client.force_login(deputies.coordinator)  # reads the register, not named on the appeal
    text = _text(client.get(_url("deputies:initiative", pk=item.pk)))
    assert appeal.number in text and proposal.title in text
    assert "Тіл курсы" not in text and "Құпиябек" not in text
    assert not AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, object_type="appeals.Appeal"
    ).exists()


def test_the_staff_named_on_the_appeal_read_its_subject_and_the_read_is_audited(
    client, deputies, linked
):
    item, appeal, _proposal = linked
    appeals.appeal_take_on(actor=deputies.coordinator, appeal=appeal)
    client.force_login(deputies.coordinator)
    text = _text(client.get(_url("deputies:initiative", pk=item.pk)))
    assert "Тіл курсы" in text and "Құпиябек" not in text
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.READ, object_type="appeals.Appeal", object_id=str(appeal.pk)
    ).exists()


def test_a_reader_outside_the_appeals_scope_sees_only_a_count(client, deputies, linked):
    item, appeal, proposal = linked
    national = make_initiative(actor=deputies.admin, organisation=deputies.group)
    services.initiative_link(actor=deputies.admin, initiative=national, appeal=appeal)
    services.initiative_link(actor=deputies.admin, initiative=national, proposal=proposal)
    client.force_login(deputies.group_staff)  # staff of the group: Pavlodar is not theirs
    with translation.override("en"):
        text = _text(client.get(_url("deputies:initiative", pk=national.pk)))
    assert appeal.number not in text and proposal.title not in text
    assert "1 appeal" in text and "1 proposal of a body outside your scope" in text


def test_staff_find_and_link_a_source_of_their_scope_only(client, deputies, linked):
    item, appeal, proposal = linked
    network = deputies.network
    client.force_login(deputies.coordinator)
    other = make_initiative(
        actor=deputies.coordinator, organisation=network.pavlodar, to="maslikhat-kz-55"
    )
    page = client.get(_url("deputies:initiative", pk=other.pk), {"find": appeal.number})
    assert f'name="appeal" value="{appeal.pk}"' in _text(page)
    response = client.post(_url("deputies:initiative_link", pk=other.pk), {"appeal": appeal.pk})
    assert response.status_code == 302
    assert other.links.filter(appeal=appeal).exists()
    # Almaty's appeal, and a number nobody has: the same refusal, nothing linked.
    almaty = make_appeal(network.almaty_house)
    for value in (almaty.pk, 999_999):
        with translation.override("en"):
            response = client.post(
                _url("deputies:initiative_link", pk=other.pk), {"appeal": value}, follow=True
            )
            assert "No appeal you may read has this number." in _text(response)
    assert other.links.count() == 1
    found = client.get(_url("deputies:initiative", pk=other.pk), {"find": almaty.number})
    assert f'value="{almaty.pk}"' not in _text(found)
    for bad in ({}, {"appeal": "x"}, {"appeal": appeal.pk, "proposal": proposal.pk}):
        assert client.post(_url("deputies:initiative_link", pk=other.pk), bad).status_code == 302
    assert other.links.count() == 1


def test_a_source_is_taken_off_its_own_initiative_only(client, deputies, linked):
    item, _appeal, _proposal = linked
    link = item.links.first()
    other = make_initiative(
        actor=deputies.coordinator, organisation=deputies.network.pavlodar, to="maslikhat-kz-55"
    )
    client.force_login(deputies.coordinator)
    url = _url("deputies:initiative_unlink", pk=other.pk, link=link.pk)
    assert client.post(url).status_code == 404
    assert (
        client.get(_url("deputies:initiative_unlink", pk=item.pk, link=link.pk)).status_code == 405
    )
    url = _url("deputies:initiative_unlink", pk=item.pk, link=link.pk)
    assert client.post(url).status_code == 302
    assert not InitiativeLink.objects.filter(pk=link.pk).exists()


# --- Lists ---------------------------------------------------------------------------------------


def test_the_list_filters_and_searches(client, deputies):
    senate = _drafted(deputies, to="parliament-senate", title="Сенатқа сұрақ")
    submitted = _drafted(deputies, title="Мәжіліске сұрақ", stages=through(D(2026, 3, 2)))
    old = _drafted(deputies, title="Өткен жылғы сұрақ", drafted_on=D(2025, 5, 5))
    maslikhat = make_initiative(
        actor=deputies.coordinator, organisation=deputies.network.pavlodar, to="maslikhat-kz-55"
    )
    client.force_login(deputies.admin)
    url = _url("deputies:initiatives")

    def numbers(**params) -> set[str]:
        response = client.get(url, params)
        assert response.status_code == 200
        return {
            item.number
            for item in (senate, submitted, old, maslikhat)
            if f">{item.number}</a>" in _text(response)
        }

    assert numbers(year=2025) == {old.number}
    assert numbers(stage="submitted") == {submitted.number}
    assert numbers(level="maslikhat") == {maslikhat.number}
    assert numbers(state_body=state_body("parliament-senate").pk) == {senate.number}
    assert numbers(q="Сенатқа") == {senate.number}
    assert numbers(q=old.number) == {old.number}


@pytest.mark.parametrize(
    "params", [{"year": "abc"}, {"stage": "nope"}, {"state_body": "x"}, {"year": "1900"}]
)
def test_filters_that_are_not_understood_are_told_and_left_out(client, deputies, params):
    _drafted(deputies)
    client.force_login(deputies.admin)
    with translation.override("en"):
        response = client.get(_url("deputies:initiatives"), {**params, "page": "abc"})
    assert response.status_code == 400
    assert "were not understood" in _text(response)
    assert "DG-2026-001" in _text(response)


def test_the_staff_list_costs_the_same_queries_for_3_and_30_rows(
    client, deputies, django_assert_max_num_queries
):
    for _ in range(3):
        _drafted(deputies, authors=deputies.deputies, stages=through(D(2026, 3, 2)))
    client.force_login(deputies.admin)
    url = _url("deputies:initiatives")
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for _ in range(27):
        _drafted(deputies, authors=deputies.deputies, stages=through(D(2026, 3, 2)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and "DG-2026-030" in _text(response)


def test_an_initiatives_page_costs_a_bounded_number_of_queries(
    client, deputies, django_assert_max_num_queries, linked
):
    item, _appeal, _proposal = linked
    client.force_login(deputies.admin)
    url = _url("deputies:initiative", pk=item.pk)
    client.get(url)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


# --- The public page -----------------------------------------------------------------------------


@pytest.fixture
def public(deputies):
    staff, group = deputies.group_staff, deputies.group
    draft = _drafted(deputies, title="Жария емес жоба", authors=deputies.deputies)
    withdrawn_draft = _drafted(
        deputies, title="Қайтарылған жоба", stages=[(Stage.WITHDRAWN, D(2026, 3, 2))]
    )
    submitted = make_initiative(
        actor=staff,
        organisation=group,
        title="Тіл туралы бастама",
        authors=deputies.deputies,
        drafted_on=D(2025, 4, 1),
        stages=through(D(2025, 4, 10), D(2025, 5, 1), D(2025, 9, 1), end=Stage.ADOPTED),
    )
    services.initiative_record_result(
        actor=staff,
        initiative=submitted,
        act_kind="law",
        act_titles={"kk": "Тіл туралы заң"},
        act_number="101-VIII",
        act_date=D(2025, 9, 10),
    )
    appeal = make_appeal(deputies.network.pavlodar_house, applicant="Құпиябек Ерлан")
    services.initiative_link(actor=deputies.admin, initiative=submitted, appeal=appeal)
    this_year = make_initiative(
        actor=staff, organisation=group, title="Биылғы бастама", stages=through(D(2026, 3, 2))
    )
    return {
        "draft": draft,
        "withdrawn_draft": withdrawn_draft,
        "submitted": submitted,
        "this_year": this_year,
        "appeal": appeal,
    }


def test_the_public_page_never_shows_drafts_nor_names(client, deputies, public):
    response = client.get(_url("deputies_portal:initiatives"))
    assert response.status_code == 200
    text = _text(response)
    assert "Тіл туралы бастама" in text and "Биылғы бастама" in text
    assert "Тіл туралы заң" in text and "101-VIII" in text
    assert deputies.group.name in text
    assert "Жария емес жоба" not in text and "Қайтарылған жоба" not in text
    for person in deputies.deputies:
        assert person.last_name not in text
    assert public["appeal"].number not in text and "Құпиябек" not in text


def test_the_public_page_of_an_initiative_shows_its_stages_and_counts_its_sources(
    client, deputies, public
):
    item = public["submitted"]
    with translation.override("en"):
        response = client.get(_url("deputies_portal:initiative", number=item.number))
    assert response.status_code == 200
    text = _text(response)
    assert "10.04.2025" in text and "01.09.2025" in text and "101-VIII" in text
    assert "1 citizen" in text
    assert public["appeal"].number not in text and "Құпиябек" not in text
    for person in deputies.deputies:
        assert person.last_name not in text
    assert deputies.group_staff.full_name not in text  # who recorded the stages
    for hidden in ("draft", "withdrawn_draft"):
        number = public[hidden].number
        assert client.get(_url("deputies_portal:initiative", number=number)).status_code == 404
    assert client.get(_url("deputies_portal:initiative", number="DG-1999-001")).status_code == 404


def test_the_public_page_filters_by_year_and_stage(client, public):
    url = _url("deputies_portal:initiatives")
    text = _text(client.get(url, {"year": 2025}))
    assert "Тіл туралы бастама" in text and "Биылғы бастама" not in text
    text = _text(client.get(url, {"stage": "submitted"}))
    assert "Тіл туралы бастама" not in text and "Биылғы бастама" in text
    for params in ({"year": "x"}, {"stage": "drafted"}, {"page": "abc", "level": "?"}):
        with translation.override("en"):
            response = client.get(url, params)
        assert response.status_code == 400
        assert "were not understood" in _text(response)
        assert "Жария емес жоба" not in _text(response)


def test_the_public_list_costs_the_same_queries_for_3_and_30_rows(
    client, deputies, django_assert_max_num_queries
):
    for _ in range(3):
        _drafted(deputies, stages=through(D(2026, 3, 2)))
    url = _url("deputies_portal:initiatives")
    client.get(url)
    with django_assert_max_num_queries(8) as few:
        assert client.get(url).status_code == 200
    for _ in range(27):
        _drafted(deputies, stages=through(D(2026, 3, 2)))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200 and "DG-2026-030" in _text(response)
