"""The questionnaire builder in the workspace: who opens the questionnaires and their versions
(403 without a research role, 404 outside the scope), making questionnaires (blank or from the
trust index template), adding, changing, moving and removing questions with their options and
skip conditions, launching and new versions; constant query counts on the lists."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from birlik.surveys import services
from birlik.surveys.models import Question, Questionnaire, QuestionnaireVersion
from birlik.surveys.services import OptionSpec, QuestionData

from .factories import make_version

pytestmark = pytest.mark.django_db


def url(name: str, *args: int, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse(name, args=args or None)


def page(client, address: str) -> tuple[int, str]:
    response = client.get(address)
    return response.status_code, response.content.decode()


def texts(text: str) -> dict[str, str]:
    return {"kk": f"{text} (kk)", "ru": f"{text} (ru)", "en": text}


def single(code: str, **extra) -> QuestionData:
    values = {
        "code": code,
        "kind": "single",
        "text": texts(f"Question {code}"),
        "options": (OptionSpec("1", texts("Yes")), OptionSpec("2", texts("No"))),
    }
    values.update(extra)
    return QuestionData(**values)


def questionnaire_of(network, body, code: str, *, questions=("Q1",)) -> QuestionnaireVersion:
    """A draft version (number 1) of a new questionnaire of ``body``."""
    admin = network.users["admin"]
    version = services.questionnaire_create(
        user=admin, organisation=body, code=code, title=texts(f"Title {code}"), consent="I agree"
    ).versions.get()
    for question in questions:
        services.question_save(user=admin, version=version, data=single(question))
    return version


@pytest.fixture
def two(network):
    return (
        questionnaire_of(network, network.pavlodar, "pavlodar-relations"),
        questionnaire_of(network, network.almaty, "almaty-relations"),
    )


# --- Who opens what ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status", "sees"),
    [
        ("admin", 200, {"pavlodar-relations", "almaty-relations"}),
        ("analyst", 200, {"pavlodar-relations", "almaty-relations"}),
        ("coordinator_pavlodar", 200, {"pavlodar-relations"}),
        ("coordinator_almaty", 200, {"almaty-relations"}),
        ("staff_pavlodar_house", 403, set()),
        ("auditor", 403, set()),
        ("nobody", 403, set()),
    ],
)
def test_the_questionnaires_list_shows_each_role_those_of_its_scope(
    network, two, login, name, status, sees
):
    code, html = page(login(network.users[name]), url("surveys:questionnaires"))

    assert code == status
    assert {c for c in ("pavlodar-relations", "almaty-relations") if c in html} == sees


def test_anonymous_visitors_are_sent_to_sign_in(client, two):
    for address in (
        url("surveys:questionnaires"),
        url("surveys:version", two[0].pk),
        url("surveys:questionnaire_new"),
    ):
        response = client.get(address)
        assert response.status_code == 302
        assert "/account/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("admin", 200),
        ("analyst", 200),
        ("coordinator_pavlodar", 200),
        ("coordinator_almaty", 404),
        ("staff_pavlodar_house", 403),
        ("auditor", 403),
        ("nobody", 403),
    ],
)
def test_a_questionnaire_and_its_versions_open_only_within_the_research_scope(
    network, two, login, name, status
):
    version = two[0]
    question = version.questions.get()
    client = login(network.users[name])

    for address in (
        url("surveys:questionnaire", version.questionnaire_id),
        url("surveys:version", version.pk),
        url("surveys:version_consent", version.pk),
        url("surveys:question_new", version.pk),
        url("surveys:question_edit", question.pk),
    ):
        assert client.get(address).status_code == status, address
    for address in (
        url("surveys:question_move", question.pk),
        url("surveys:version_launch", version.pk),
        url("surveys:question_delete", question.pk),  # refused once launched: back to the page
    ):
        assert client.post(address, {"direction": "down"}).status_code in (
            {302} if status == 200 else {status}
        ), address
    assert Question.objects.filter(pk=question.pk).exists()
    launched = QuestionnaireVersion.objects.get(pk=version.pk).status == "launched"
    assert launched == (status == 200)


def test_unknown_records_answer_404(network, login):
    client = login(network.users["admin"])
    for name in ("surveys:questionnaire", "surveys:version", "surveys:question_edit"):
        assert client.get(url(name, 999999)).status_code == 404


def test_post_only_actions_refuse_get(network, two, login):
    client = login(network.users["admin"])
    question = two[0].questions.get()
    for address in (
        url("surveys:question_delete", question.pk),
        url("surveys:question_move", question.pk),
        url("surveys:version_launch", two[0].pk),
        url("surveys:version_new", two[0].pk),
    ):
        assert client.get(address).status_code == 405


# --- Making questionnaires ------------------------------------------------------------------------


def test_a_researcher_makes_a_questionnaire_of_a_body_in_their_scope(network, login):
    client = login(network.users["coordinator_pavlodar"])
    code, form = page(client, url("surveys:questionnaire_new"))
    assert code == 200
    assert network.pavlodar_house.name_en in form
    assert network.almaty.name_en not in form

    response = client.post(
        url("surveys:questionnaire_new"),
        {
            "organisation": network.pavlodar_house.pk,
            "code": "house-2026",
            "title_kk": "Үй",
            "title_ru": "Дом",
            "title_en": "House",
        },
    )

    created = Questionnaire.objects.get(code="house-2026")
    version = created.versions.get()
    assert response.status_code == 302
    assert response["Location"] == url("surveys:version", version.pk)
    assert created.organisation == network.pavlodar_house
    assert version.status == "draft"
    _, html = page(client, response["Location"])
    assert "The questionnaire was made." in html
    assert "The consent text is missing in Kazakh, Russian, English." in html


def test_a_body_outside_the_scope_or_a_taken_code_is_refused_with_a_message(network, two, login):
    client = login(network.users["coordinator_almaty"])
    outside = client.post(
        url("surveys:questionnaire_new"),
        {"organisation": network.pavlodar.pk, "code": "mine", "title_en": "Mine"},
    )
    taken = client.post(
        url("surveys:questionnaire_new"),
        {"organisation": network.almaty.pk, "code": "pavlodar-relations", "title_en": "Mine"},
    )
    untitled = client.post(
        url("surveys:questionnaire_new"), {"organisation": network.almaty.pk, "code": "x"}
    )

    assert outside.status_code == 400
    assert "Select a valid choice" in outside.content.decode()
    assert taken.status_code == 400
    assert "Another questionnaire has this code already." in taken.content.decode()
    assert untitled.status_code == 400
    assert "Give the questionnaire a title." in untitled.content.decode()
    assert not Questionnaire.objects.filter(code__in=["mine", "x"]).exists()


def test_the_trust_index_template_makes_a_draft_ready_to_launch(network, login):
    client = login(network.users["analyst"])
    _, listing = page(client, url("surveys:questionnaires"))
    assert url("surveys:questionnaire_template") in listing

    response = client.post(
        url("surveys:questionnaire_template"),
        {
            "organisation": network.root.pk,
            "code": "trust-2026",
            "title_kk": "Сенім",
            "title_ru": "Доверие",
            "title_en": "Trust",
        },
    )

    version = Questionnaire.objects.get(code="trust-2026").versions.get()
    assert response.status_code == 302
    _, html = page(client, url("surveys:version", version.pk))
    assert "11 questions" in html
    assert "Before launching" not in html
    assert url("surveys:version_launch", version.pk) in html
    assert "can be trusted completely" in html


# --- Questions ------------------------------------------------------------------------------------


QUESTION_POST = {
    "code": "Q2",
    "kind": "single",
    "text_kk": "Көршілеріңіз кімдер?",
    "text_ru": "Кто ваши соседи?",
    "text_en": "Who are your neighbours?",
    "options": "1 = Қазақтар | Казахи | Kazakhs\n\n2 = Орыстар | Русские | Russians\n",
    "required": "on",
    "condition_question": "Q1",
    "condition_operator": "eq",
    "condition_value": "1",
}


def test_a_question_is_added_with_its_options_and_condition_and_shown_in_words(network, two, login):
    version = two[0]
    client = login(network.users["coordinator_pavlodar"])
    _, form = page(client, url("surveys:question_new", version.pk))
    assert 'value="Q1"' in form  # an earlier question to be shown depending on

    response = client.post(url("surveys:question_new", version.pk), QUESTION_POST)

    question = version.questions.get(code="Q2")
    assert response.status_code == 302
    assert question.required and question.order == 2
    assert question.show_if == {"q": "Q1", "op": "eq", "v": "1"}
    assert list(question.options.values_list("code", "label_kk", "label_ru", "label_en")) == [
        ("1", "Қазақтар", "Казахи", "Kazakhs"),
        ("2", "Орыстар", "Русские", "Russians"),
    ]
    _, html = page(client, url("surveys:version", version.pk))
    assert "Q2. Who are your neighbours?" in html
    assert "only when the answer to Q1 is Yes (1)" in html


def test_the_version_page_speaks_kazakh_by_default(network, two, login):
    client = login(network.users["coordinator_pavlodar"])
    _, html = page(client, url("surveys:version", two[0].pk, lang="kk"))
    with translation.override("kk"):
        expected = translation.gettext("Add a question")
    assert "Q1. Question Q1 (kk)" in html
    assert expected in html


def test_bad_lines_and_conditions_show_the_form_again_with_the_reason(network, two, login):
    version = two[0]
    client = login(network.users["coordinator_pavlodar"])

    bad_line = client.post(
        url("surveys:question_new", version.pk), {**QUESTION_POST, "options": "1 Yes\n2 = No"}
    )
    forward = client.post(
        url("surveys:question_new", version.pk),
        {**QUESTION_POST, "condition_json": '{"q": "Q7", "op": "answered"}'},
    )
    not_json = client.post(
        url("surveys:question_new", version.pk), {**QUESTION_POST, "condition_json": "{q: Q1"}
    )
    no_value = client.post(
        url("surveys:question_new", version.pk), {**QUESTION_POST, "condition_value": ""}
    )
    number = client.post(
        url("surveys:question_new", version.pk),
        {**QUESTION_POST, "condition_operator": "gte", "condition_value": "many"},
    )
    unknown_earlier = client.post(
        url("surveys:question_new", version.pk), {**QUESTION_POST, "condition_question": "Q9"}
    )

    assert bad_line.status_code == 400
    assert "Line 1 is not understood" in bad_line.content.decode()
    assert forward.status_code == 400
    assert (
        "The condition reads question Q7, which does not come before it."
        in forward.content.decode()
    )
    assert not_json.status_code == 400
    assert "The condition is not valid JSON." in not_json.content.decode()
    assert no_value.status_code == 400
    assert "Give the value to compare with." in no_value.content.decode()
    assert number.status_code == 400
    assert "Give a number to compare with." in number.content.decode()
    assert unknown_earlier.status_code == 400
    assert "Select a valid choice" in unknown_earlier.content.decode()
    assert list(version.questions.values_list("code", flat=True)) == ["Q1"]


def test_a_question_is_changed_from_its_form_filled_with_what_it_holds(network, two, login):
    version = two[0]
    admin = network.users["admin"]
    services.question_save(
        user=admin,
        version=version,
        data=single("Q2", show_if={"any": [{"q": "Q1", "op": "in", "v": ["1", "2"]}]}),
    )
    services.question_save(
        user=admin,
        version=version,
        data=QuestionData(
            code="M1",
            kind="matrix",
            text=texts("Rate"),
            scale_min=1,
            scale_max=5,
            rows=(OptionSpec("a", texts("Row a")),),
            options=(OptionSpec("99", texts("Refusal")),),
        ),
    )
    question = version.questions.get(code="Q2")
    client = login(network.users["coordinator_pavlodar"])

    _, form = page(client, url("surveys:question_edit", question.pk))
    _, matrix = page(client, url("surveys:question_edit", version.questions.get(code="M1").pk))

    assert "1 = Yes (kk) | Yes (ru) | Yes" in form
    assert "&quot;any&quot;" in form  # not a single comparison: the JSON field holds it
    assert 'value="M1"' not in form  # only earlier questions may be read
    assert "a = Row a (kk) | Row a (ru) | Row a" in matrix
    assert "99 = Refusal (kk)" in matrix

    response = client.post(
        url("surveys:question_edit", question.pk),
        {
            **QUESTION_POST,
            "code": "Q2",
            "kind": "multiple",
            "condition_question": "",
            "text_en": "Changed",
        },
    )

    question.refresh_from_db()
    assert response.status_code == 302
    assert (question.kind, question.text_en, question.show_if) == ("multiple", "Changed", None)


def test_questions_move_and_are_removed_by_post(network, login):
    version = questionnaire_of(network, network.pavlodar, "order", questions=("A", "B", "C"))
    client = login(network.users["coordinator_pavlodar"])
    by_code = {q.code: q for q in version.questions.all()}

    client.post(url("surveys:question_move", by_code["C"].pk), {"direction": "up"})
    client.post(url("surveys:question_move", by_code["A"].pk), {"direction": "down"})
    refused = client.post(url("surveys:question_move", by_code["A"].pk), {"direction": "left"})
    client.post(url("surveys:question_delete", by_code["B"].pk))

    assert refused.status_code == 302
    assert list(version.questions.order_by("order").values_list("code", flat=True)) == ["C", "A"]
    _, html = page(client, refused["Location"])
    assert "Say whether to move the question up or down." in html


def test_a_refused_move_says_why(network, two, login):
    version = two[0]
    services.question_save(
        user=network.users["admin"],
        version=version,
        data=single("Q2", show_if={"q": "Q1", "op": "answered"}),
    )
    client = login(network.users["coordinator_pavlodar"])

    response = client.post(
        url("surveys:question_move", version.questions.get(code="Q2").pk),
        {"direction": "up"},
        follow=True,
    )

    assert "Question Q2 is shown depending on question Q1" in response.content.decode()


# --- Launching and new versions -------------------------------------------------------------------


def test_launching_says_what_is_missing_then_launches_and_locks_the_version(network, login):
    version = questionnaire_of(network, network.pavlodar, "launch")
    version.consent_en = ""
    version.save()
    client = login(network.users["coordinator_pavlodar"])

    _, before = page(client, url("surveys:version", version.pk))
    assert "The consent text is missing in English." in before
    assert url("surveys:version_launch", version.pk) not in before  # nothing to press yet
    refused = client.post(url("surveys:version_launch", version.pk), follow=True)
    assert "cannot be launched until every text is written" in refused.content.decode()

    client.post(
        url("surveys:version_consent", version.pk),
        {"consent_kk": "Келісемін", "consent_ru": "Согласен", "consent_en": "I agree"},
    )
    launched = client.post(url("surveys:version_launch", version.pk), follow=True)

    version.refresh_from_db()
    assert version.status == "launched"
    html = launched.content.decode()
    assert "The version was launched" in html
    assert url("surveys:question_new", version.pk) not in html
    assert url("surveys:version_new", version.pk) in html
    # a launched version's forms send the user back with the reason, and nothing changes
    question = version.questions.get()
    edit = client.post(url("surveys:question_edit", question.pk), QUESTION_POST, follow=True)
    assert "A launched version cannot be changed: make a new version." in edit.content.decode()
    assert client.post(url("surveys:question_delete", question.pk)).status_code == 302
    assert version.questions.get().text_en == "Question Q1"


def test_a_new_version_is_made_from_a_launched_one(network, login):
    version = questionnaire_of(network, network.pavlodar, "newer")
    services.version_launch(user=network.users["admin"], version=version)
    client = login(network.users["coordinator_pavlodar"])

    response = client.post(url("surveys:version_new", version.pk))
    again = client.post(url("surveys:version_new", version.pk), follow=True)

    copy = version.questionnaire.versions.get(number=2)
    assert response["Location"] == url("surveys:version", copy.pk)
    assert copy.status == "draft" and copy.questions.get().code == "Q1"
    assert "Version 2 of this questionnaire is a draft already" in again.content.decode()
    _, listing = page(client, url("surveys:questionnaire", version.questionnaire_id))
    assert "Version 2" in listing and "Version 1" in listing
    assert url("surveys:version_new", version.pk) not in listing  # a draft exists


# --- Query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["admin", "coordinator_pavlodar"])
def test_the_questionnaires_list_costs_the_same_queries_for_two_or_twelve(
    network, login, django_assert_num_queries, django_assert_max_num_queries, name
):
    client = login(network.users[name])
    for _ in range(2):
        make_version(network.pavlodar, [("Q1", "single", {"options": ["1", "2"]})])
    with django_assert_max_num_queries(12) as few:
        client.get(url("surveys:questionnaires"))
    for _ in range(10):
        make_version(network.pavlodar, [("Q1", "single", {"options": ["1", "2"]})])

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("surveys:questionnaires"))

    assert response.content.decode().count('href="/en/workspace/surveys/questionnaires/') >= 12


def test_the_version_page_costs_the_same_queries_for_two_or_twelve_questions(
    network, login, django_assert_num_queries, django_assert_max_num_queries
):
    version = questionnaire_of(network, network.pavlodar, "big", questions=("Q1", "Q2"))
    client = login(network.users["coordinator_pavlodar"])
    with django_assert_max_num_queries(20) as few:
        client.get(url("surveys:version", version.pk))
    for number in range(3, 13):
        services.question_save(
            user=network.users["admin"],
            version=version,
            data=single(f"Q{number}", show_if={"q": "Q1", "op": "eq", "v": "2"}),
        )

    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url("surveys:version", version.pk))

    assert "12 questions" in response.content.decode()


def test_the_version_page_shows_each_kind_with_its_range_and_missing_codes(network, two, login):
    version = two[0]
    admin = network.users["admin"]
    services.question_save(
        user=admin,
        version=version,
        data=QuestionData(
            code="N1",
            kind="number",
            text=texts("How many children"),
            number_min=Decimal(0),
            number_max=Decimal(20),
            options=(OptionSpec("99", texts("Refusal")),),
        ),
    )
    services.question_save(
        user=admin,
        version=version,
        data=QuestionData(
            code="S1",
            kind="scale",
            text=texts("How close"),
            scale_min=1,
            scale_max=7,
            label_min=texts("far"),
            label_max=texts("close"),
            show_if={
                "all": [
                    {"q": "N1", "op": "gte", "v": 1},
                    {"not": {"q": "Q1", "op": "eq", "v": "2"}},
                ]
            },
        ),
    )

    _, html = page(login(network.users["analyst"]), url("surveys:version", version.pk))

    assert "<dd>0 – 20</dd>" in html
    assert "Codes of missing answers" in html
    assert "from 1 to 7 (far … close)" in html
    assert (
        "only when all of: the answer to N1 is 1 or more; not (the answer to Q1 is No (2))" in html
    )
