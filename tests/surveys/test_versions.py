"""Questionnaire versions at the service level: a launched version never changes, a new version
copies it, answers keep the version they were given to, a version is launched only with every
text in Kazakh, Russian and English, and conditions read only earlier questions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from birlik.core.errors import DomainError
from birlik.registry.models import EthnicGroup
from birlik.surveys import services, trust_index
from birlik.surveys.models import Option, Question, QuestionnaireVersion, Response
from birlik.surveys.services import OptionSpec, QuestionData

from .factories import make_response, make_survey, make_version

pytestmark = pytest.mark.django_db

LAUNCHED_REFUSAL = "This version is launched and cannot be changed"


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The services' messages are matched in English (the catalogue's kk/ru are checked by
    tests/test_translations.py)."""
    translation.activate("en")
    yield


def texts(text: str) -> dict[str, str]:
    return {"kk": f"{text} (kk)", "ru": f"{text} (ru)", "en": text}


def choice(code: str, kind: str = "single", **extra) -> QuestionData:
    values = {
        "code": code,
        "kind": kind,
        "text": texts(f"Question {code}"),
        "options": (OptionSpec("1", texts("yes")), OptionSpec("2", texts("no"))),
    }
    values.update(extra)
    return QuestionData(**values)


@pytest.fixture
def researcher(network):
    return network.users["coordinator_pavlodar"]


@pytest.fixture
def draft(network, researcher):
    questionnaire = services.questionnaire_create(
        user=researcher,
        organisation=network.pavlodar,
        code="relations",
        title=texts("Relations"),
        consent=texts("I agree"),
    )
    return questionnaire.versions.get()


def codes(version: QuestionnaireVersion) -> list[str]:
    return list(version.questions.order_by("order").values_list("code", flat=True))


# --- Launched versions never change -------------------------------------------------------------


def test_every_edit_of_a_launched_version_is_refused(network, researcher, draft):
    question = services.question_save(user=researcher, version=draft, data=choice("Q1"))
    services.question_save(user=researcher, version=draft, data=choice("Q2"))
    services.version_launch(user=researcher, version=draft)
    draft.refresh_from_db()
    question.refresh_from_db()

    attempts = [
        lambda: services.question_save(user=researcher, version=draft, data=choice("Q3")),
        lambda: services.question_save(
            user=researcher, version=draft, data=choice("Q1", required=True), question=question
        ),
        lambda: services.question_delete(user=researcher, question=question),
        lambda: services.question_move(user=researcher, question=question, up=False),
        lambda: services.version_consent_save(
            user=researcher, version=draft, consent=texts("Changed")
        ),
        lambda: services.version_launch(user=researcher, version=draft),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError, match=LAUNCHED_REFUSAL):
            attempt()

    assert codes(draft) == ["Q1", "Q2"]
    assert not Question.objects.get(pk=question.pk).required
    assert draft.consent_en == "I agree"


def test_launching_stores_a_fingerprint_of_the_content_and_the_time(network, researcher, draft):
    services.question_save(user=researcher, version=draft, data=choice("Q1"))

    launched = services.version_launch(user=researcher, version=draft)

    assert launched.status == QuestionnaireVersion.Status.LAUNCHED
    assert launched.launched_at is not None
    assert len(launched.content_hash) == 64


def test_a_new_version_copies_questions_options_and_conditions_into_a_draft(
    network, researcher, draft
):
    services.question_save(user=researcher, version=draft, data=choice("Q1"))
    services.question_save(
        user=researcher,
        version=draft,
        data=choice("Q2", show_if={"q": "Q1", "op": "eq", "v": "1"}, required=True),
    )
    services.version_launch(user=researcher, version=draft)

    copy = services.version_new_from(user=researcher, version=draft)

    assert copy.number == 2
    assert copy.status == QuestionnaireVersion.Status.DRAFT
    assert copy.consent_kk == "I agree (kk)"
    assert codes(copy) == ["Q1", "Q2"]
    second = copy.questions.get(code="Q2")
    assert second.show_if == {"q": "Q1", "op": "eq", "v": "1"}
    assert second.required
    assert second.text_ru == "Question Q2 (ru)"
    assert list(second.options.values_list("code", "label_en")) == [("1", "yes"), ("2", "no")]
    # the copy is changed freely, the launched one stays
    services.question_save(user=researcher, version=copy, data=choice("Q3"))
    assert codes(copy) == ["Q1", "Q2", "Q3"]
    assert codes(draft) == ["Q1", "Q2"]
    assert Option.objects.filter(question__version=draft).count() == 4


def test_a_new_version_is_refused_from_a_draft_or_while_another_draft_exists(
    network, researcher, draft
):
    services.question_save(user=researcher, version=draft, data=choice("Q1"))
    with pytest.raises(DomainError, match="still a draft"):
        services.version_new_from(user=researcher, version=draft)
    services.version_launch(user=researcher, version=draft)
    services.version_new_from(user=researcher, version=draft)

    with pytest.raises(DomainError, match="Version 2 of this questionnaire is a draft already"):
        services.version_new_from(user=researcher, version=draft)


def test_answers_keep_the_version_they_were_given_to(network, researcher, draft):
    services.question_save(user=researcher, version=draft, data=choice("Q1"))
    services.version_launch(user=researcher, version=draft)
    draft.refresh_from_db()
    survey = make_survey(draft)
    response = make_response(survey, {"Q1": "1"})

    copy = services.version_new_from(user=researcher, version=draft)
    services.question_save(user=researcher, version=copy, data=choice("Q9"))
    services.question_delete(user=researcher, question=copy.questions.get(code="Q1"))

    response = Response.objects.get(pk=response.pk)
    assert response.version_id == draft.pk
    assert codes(response.version) == ["Q1"]
    assert response.answers == {"Q1": "1"}


# --- Three languages before launching ------------------------------------------------------------


def test_a_version_is_launched_only_with_every_text_in_three_languages(network, researcher):
    questionnaire = services.questionnaire_create(
        user=researcher, organisation=network.pavlodar, code="partial", title="Partial"
    )
    version = questionnaire.versions.get()
    services.question_save(
        user=researcher,
        version=version,
        data=QuestionData(
            code="T1",
            kind="scale",
            text={"kk": "Сенім", "ru": "Доверие"},
            scale_min=0,
            scale_max=10,
            label_min={"kk": "жоқ", "ru": "нет", "en": "none"},
            label_max={"kk": "толық"},
            options=(OptionSpec("88", {"kk": "Білмеймін", "en": "Don't know"}),),
        ),
    )
    services.question_save(
        user=researcher,
        version=version,
        data=QuestionData(
            code="M1",
            kind="matrix",
            text=texts("Matrix"),
            scale_min=1,
            scale_max=5,
            rows=(OptionSpec("a", texts("row a")), OptionSpec("b", {"kk": "b", "ru": "b"})),
        ),
    )

    with translation.override("en"), pytest.raises(services.VersionIncomplete) as refused:
        services.version_launch(user=researcher, version=version)

    assert refused.value.missing == [
        "The consent text is missing in Kazakh, Russian, English.",
        "Question T1: its text is missing in English.",
        "Question T1: the label of the highest point is missing in Russian, English.",
        "Question T1, option 88: its label is missing in Russian.",
        "Question M1, row b: its label is missing in English.",
    ]
    version.refresh_from_db()
    assert version.status == QuestionnaireVersion.Status.DRAFT


def test_the_missing_texts_are_told_in_the_readers_language(network, researcher, draft):
    services.question_save(
        user=researcher, version=draft, data=choice("Q1", text={"kk": "Сұрақ", "ru": "Вопрос"})
    )
    with translation.override("kk"):
        expected = str(
            translation.gettext("Question %(code)s: its text is missing in %(languages)s.")
            % {"code": "Q1", "languages": translation.gettext("English")}
        )
        assert services.version_missing_texts(draft) == [expected]


def test_a_version_without_questions_is_not_launched(network, researcher, draft):
    with pytest.raises(DomainError, match="Add at least one question"):
        services.version_launch(user=researcher, version=draft)


# --- Conditions read only earlier questions ----------------------------------------------------


def test_a_condition_on_a_later_or_unknown_question_is_refused_with_its_code(
    network, researcher, draft
):
    services.question_save(user=researcher, version=draft, data=choice("Q1"))

    with translation.override("en"), pytest.raises(DomainError) as forward:
        services.question_save(
            user=researcher,
            version=draft,
            data=choice("Q2", show_if={"q": "Q3", "op": "eq", "v": "1"}),
        )
    assert forward.value.field == "show_if"
    assert str(forward.value.message) == (
        "The condition reads question Q3, which does not come before it."
    )
    q2 = services.question_save(user=researcher, version=draft, data=choice("Q2"))
    with pytest.raises(DomainError, match="question Q2, which does not come before it"):
        services.question_save(
            user=researcher,
            version=draft,
            data=choice("Q2", show_if={"q": "Q2", "op": "answered"}),
            question=q2,
        )
    with pytest.raises(DomainError, match="comparison is not understood"):
        services.question_save(
            user=researcher,
            version=draft,
            data=choice("Q2", show_if={"q": "Q1", "op": "like", "v": "1"}),
            question=q2,
        )


def test_a_question_read_by_a_later_condition_is_neither_removed_nor_moved_below_it(
    network, researcher, draft
):
    first = services.question_save(user=researcher, version=draft, data=choice("Q1"))
    second = services.question_save(
        user=researcher, version=draft, data=choice("Q2", show_if={"q": "Q1", "op": "answered"})
    )
    third = services.question_save(user=researcher, version=draft, data=choice("Q3"))

    with pytest.raises(DomainError, match="condition of question Q2 reads this question"):
        services.question_delete(user=researcher, question=first)
    with pytest.raises(DomainError, match="cannot come before it"):
        services.question_move(user=researcher, question=second, up=True)
    with pytest.raises(DomainError, match="cannot come before it"):
        services.question_move(user=researcher, question=first, up=False)
    with pytest.raises(DomainError, match="change that condition first"):
        services.question_save(user=researcher, version=draft, data=choice("Q1B"), question=first)

    services.question_move(user=researcher, question=third, up=True)
    assert codes(draft) == ["Q1", "Q3", "Q2"]
    services.question_move(user=researcher, question=third, up=True)
    services.question_move(user=researcher, question=third, up=True)  # first already: no change
    assert codes(draft) == ["Q3", "Q1", "Q2"]
    services.question_delete(user=researcher, question=second)
    services.question_delete(user=researcher, question=first)
    assert codes(draft) == ["Q3"]
    assert list(draft.questions.values_list("order", flat=True)) == [1]


# --- What a question may be ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (choice("1Q"), "code", "starting with a letter"),
        (choice("Q__1"), "code", "single underscores"),
        (choice("TRUST_INDEX"), "code", "starting with a letter"),
        (choice("Q1", options=(OptionSpec("1", texts("yes")),)), "options", "at least two"),
        (
            choice("Q1", options=(OptionSpec("1", {}), OptionSpec("1", {}))),
            "options",
            "given twice",
        ),
        (
            choice("Q1", options=(OptionSpec("a;b", {}), OptionSpec("c", {}))),
            "options",
            "not usable",
        ),
        (choice("Q1", kind="scale", options=()), "scale_min", "both ends"),
        (choice("Q1", kind="scale", options=(), scale_min=5, scale_max=1), "scale_max", "above"),
        (
            choice("Q1", kind="scale", scale_min=0, scale_max=10, options=(OptionSpec("8", {}),)),
            "options",
            "also a possible answer",
        ),
        (
            choice("Q1", kind="number", options=(), number_min=Decimal(5), number_max=Decimal(1)),
            "number_max",
            "smallest number",
        ),
        (choice("Q1", kind="text"), "options", "no options"),
        (
            choice("Q1", kind="matrix", options=(), scale_min=1, scale_max=5),
            "rows",
            "rows of the matrix",
        ),
        (choice("Q1", rows=(OptionSpec("r", {}),)), "rows", "Only a matrix"),
        (choice("Q1", role="sex"), "options", "not known for this demographic column: 1, 2"),
        (choice("Q1", kind="multiple", role="region"), "role", "single choice"),
        (choice("Q1", text={}), "text_kk", "Write the question"),
    ],
)
def test_a_question_that_cannot_be_answered_as_written_is_refused(
    network, researcher, draft, data, field, message
):
    with translation.override("en"), pytest.raises(DomainError, match=message) as refused:
        services.question_save(user=researcher, version=draft, data=data)
    assert refused.value.field == field
    assert not draft.questions.exists()


def test_two_questions_never_share_a_code_or_a_demographic_column(network, researcher, draft):
    services.question_save(
        user=researcher,
        version=draft,
        data=choice("D_SEX", role="sex", options=(OptionSpec("female"), OptionSpec("male"))),
    )
    with pytest.raises(DomainError, match="has the code D_SEX"):
        services.question_save(user=researcher, version=draft, data=choice("D_SEX"))
    with pytest.raises(DomainError, match="Question D_SEX fills this demographic column"):
        services.question_save(
            user=researcher,
            version=draft,
            data=choice("D_SEX2", role="sex", options=(OptionSpec("female"), OptionSpec("male"))),
        )


def test_a_question_keeps_only_the_settings_of_its_kind(network, researcher, draft):
    question = services.question_save(
        user=researcher,
        version=draft,
        data=choice("Q1", scale_min=0, scale_max=10, number_min=Decimal(1), label_min=texts("x")),
    )
    assert (question.scale_min, question.scale_max, question.number_min) == (None, None, None)
    assert question.label_min_en == ""


# --- Permissions ---------------------------------------------------------------------------------


def test_only_researchers_covering_the_body_build_its_questionnaires(network, draft):
    for name in ("coordinator_almaty", "staff_pavlodar_house", "auditor"):
        with pytest.raises(PermissionDenied):
            services.question_save(user=network.users[name], version=draft, data=choice("Q1"))
    with pytest.raises(PermissionDenied):
        services.questionnaire_create(
            user=network.users["coordinator_almaty"],
            organisation=network.pavlodar,
            code="other",
            title="Other",
        )
    services.question_save(user=network.users["analyst"], version=draft, data=choice("Q1"))


def test_questionnaire_codes_are_unique_and_written_in_latin_letters(network, researcher, draft):
    with pytest.raises(DomainError, match="Another questionnaire has this code") as taken:
        services.questionnaire_create(
            user=researcher, organisation=network.pavlodar, code="Relations", title="Again"
        )
    assert taken.value.field == "code"
    with pytest.raises(DomainError, match="Latin letters"):
        services.questionnaire_create(
            user=researcher, organisation=network.pavlodar, code="сауалнама", title="Kk"
        )


# --- The trust index template --------------------------------------------------------------------


def test_the_template_builds_the_standard_trust_questionnaire_ready_to_launch(network):
    admin = network.users["admin"]
    version = services.questionnaire_from_template(
        network.root, user=admin, code="trust", title=texts("Trust")
    )

    assert version.status == QuestionnaireVersion.Status.DRAFT
    assert codes(version) == [
        "D_REGION",
        "D_SETTLEMENT",
        "D_SEX",
        "D_AGE",
        "D_ETHNIC",
        "D_LANG",
        *trust_index.ITEM_CODES,
    ]
    region = version.questions.get(code="D_REGION")
    assert region.role == "region" and region.required
    pavlodar = region.options.get(code="KZ-55")
    assert pavlodar.label_ru == network.pavlodar.region.name_ru
    ethnic = list(version.questions.get(code="D_ETHNIC").options.values_list("code", flat=True))
    assert ethnic[:2] == ["kazakh", "russian"]
    assert ethnic[-1] == "other"
    assert "korean" not in ethnic  # under 1 % of the 2021 census: answers "other"
    assert "uzbek" in ethnic
    assert EthnicGroup.objects.filter(code__in=ethnic).count() == len(ethnic)
    t5 = version.questions.get(code="T5")
    assert (t5.kind, t5.scale_min, t5.scale_max, t5.required) == ("scale", 0, 10, True)
    assert t5.text_kk == trust_index.ITEMS[4].text["kk"]
    assert t5.label_max_en == "completely at ease"
    assert list(t5.options.values_list("code", flat=True)) == ["88", "99"]
    assert services.version_missing_texts(version) == []

    launched = services.version_launch(user=admin, version=version)
    assert launched.status == QuestionnaireVersion.Status.LAUNCHED
    assert services.trust_items_problem(launched) == ""


def test_the_template_may_be_launched_at_once(network):
    version = services.questionnaire_from_template(
        network.pavlodar,
        user=network.users["coordinator_pavlodar"],
        code="trust-pavlodar",
        title="Trust",
        launch=True,
    )
    assert version.status == QuestionnaireVersion.Status.LAUNCHED


def test_a_version_without_the_five_items_cannot_measure_the_trust_index(network):
    version = make_version(network.root, [("T1", "scale", {"scale_min": 1, "scale_max": 5})])
    with translation.override("en"):
        assert services.trust_items_problem(version) == (
            "The trust index needs the questions T1, T2, T3, T4, T5 as scales from 0 to 10."
        )
