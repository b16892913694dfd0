"""Ethnic groups found in running text in kk, ru and en, with Kazakh and Russian endings."""

from __future__ import annotations

import pytest

from birlik.registry.mentions import (
    GroupMention,
    GroupMentions,
    group_mentions,
    kk_plural,
    reset,
)
from birlik.registry.models import EthnicGroup


@pytest.fixture
def groups(db) -> GroupMentions:
    """The process-wide index: the groups come from migrations, the same in every test."""
    return group_mentions()


def codes(found: list[GroupMention]) -> list[str]:
    by_id = dict(EthnicGroup.objects.values_list("pk", "code"))
    return [by_id[mention.group_id] for mention in found]


@pytest.mark.parametrize(
    ("singular", "plural"),
    [
        ("қазақ", "қазақтар"),
        ("ұйғыр", "ұйғырлар"),
        ("неміс", "немістер"),
        ("орыс", "орыстар"),
        ("моңғол", "моңғолдар"),
        ("украин", "украиндар"),
        ("грузин", "грузиндер"),
        ("еврей", "еврейлер"),
        ("Ақтөбелік", "Ақтөбеліктер"),
    ],
)
def test_kazakh_plurals_follow_vowel_harmony_and_the_last_sound(singular, plural):
    assert kk_plural(singular) == plural


def test_the_index_reads_one_table_once_and_finding_reads_none(db, django_assert_num_queries):
    reset()
    with django_assert_num_queries(1):
        index = group_mentions()
    with django_assert_num_queries(0):
        assert group_mentions() is index
        assert index.find("қазақтар")
    reset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Қазақтар мен орыстар бірге тойлады.", ["kazakh", "russian"]),
        ("Встреча представителей уйгуров прошла в Алматы.", ["uyghur"]),
        ("Қазақтарға арналған бағдарлама.", ["kazakh"]),
        ("Ұйғырлардың мәдени орталығы ашылды.", ["uyghur"]),
        ("Біз орыстармен бірге жұмыс істейміз.", ["russian"]),
        ("Уйгур из Чунджи рассказал о празднике.", ["uyghur"]),
        ("Уйгуры отметили Наурыз.", ["uyghur"]),
        ("Уйгурам вручили награды.", ["uyghur"]),
        ("Встреча с казахами и корейцами.", ["kazakh", "korean"]),
        ("Дети корейцев учат язык.", ["korean"]),
        ("Среди татар и немцев.", ["tatar", "german"]),
        ("Uyghurs and Koreans met in Almaty.", ["uyghur", "korean"]),
        ("The Uyghur community opened a school.", ["uyghur"]),
    ],
)
def test_the_issue_examples_and_other_case_forms_name_their_group(groups, text, expected):
    assert codes(groups.find(text)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Изучение казахского языка стало популярнее.", ["kazakh"]),
        ("Уйгурская община провела праздник.", ["uyghur"]),
        ("Ұйғыр диаспорасы жиналды.", ["uyghur"]),
        ("Қазақ тілі – мемлекеттік тіл.", ["kazakh"]),
        ("Kazakh language courses opened.", ["kazakh"]),
        ("Уйгурский район Алматинской области.", []),
        ("Казахстанские власти ответили.", []),
        ("Kazakh authorities answered.", []),
        ("Ұйғыр ауданында жиын өтті.", []),
        ("Қазақ елі – біздің Отанымыз.", []),
    ],
)
def test_an_adjective_names_a_group_only_before_a_noun_for_its_people_or_language(
    groups, text, expected
):
    assert codes(groups.find(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Казаки и казачество Сибири.",  # Cossacks, not Kazakhs: х and к are kept apart
        "Қытайда жаңа зауыт ашылды.",  # China, the country
        "Әзербайжанға сапар.",  # Azerbaijan, the country
        "Другие национальности тоже участвовали.",  # the catch-all is never a mention
    ],
)
def test_words_close_to_a_group_name_are_not_mentions(groups, text):
    assert groups.find(text) == []


def test_each_group_is_counted_and_shown_as_first_written(groups):
    found = groups.find("Уйгуров стало больше; ұйғырлардың үлесі өсті; Uyghurs agree.")
    assert len(found) == 1
    assert (codes(found), found[0].count, found[0].surface) == (["uyghur"], 3, "Уйгуров")


def test_the_surface_of_an_adjective_includes_its_noun(groups):
    found = groups.find("Курсы казахского языка.")
    assert found[0].surface == "казахского языка"
