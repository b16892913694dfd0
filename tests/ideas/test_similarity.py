"""Similar ideas across Kazakh, Russian and English (birlik.ideas.similarity)."""

from __future__ import annotations

import io

import pytest

from birlik.ideas import similarity
from birlik.ideas.models import Idea, IdeaTerm

from .factories import make_call, make_idea

pytestmark = pytest.mark.django_db

FOOTBALL_KK = (
    "Аудандар арасында жастар футбол турнирі",
    "Ауыл жастарының бос уақыты ұйымдастырылмаған, спорт алаңдары бос тұр.",
    "Жазда аудандардың жастар командалары арасында футбол турнирін өткізу.",
)
FOOTBALL_RU = (
    "Футбольный турнир между районами для молодёжи",
    "Молодёжь в районах не занята летом.",
    "Провести турнир по футболу между командами молодёжи районов области.",
)
FOOTBALL_EN = (
    "Football tournament for youth between districts",
    "Young people in the districts have nothing to do in summer.",
    "Hold a summer football tournament between the youth teams of the districts.",
)
UNRELATED = [
    (
        "Қазақ тілі курстары Достық үйінде",
        "Ересектерге мемлекеттік тілді үйренетін орын жоқ.",
        "Достық үйінде кешкі тіл курстарын ашу.",
    ),
    (
        "Библиотека под открытым небом в парке",
        "Летом в парке нечем заняться, книги дома пылятся.",
        "Поставить в парке полки для обмена книгами.",
    ),
    (
        "Festival of national cuisine of the ethnic groups",
        "Few know the dishes of their neighbours.",
        "A yearly food festival in the central square with the ethnocultural associations.",
    ),
    (
        "Қарттарға арналған компьютерлік сауаттылық сабақтары",
        "Зейнеткерлер мемлекеттік қызметтерді онлайн ала алмайды.",
        "Еріктілер қарттарға смартфон мен интернетті үйретеді.",
    ),
]


def published(organisation, text, *, language="kk", **extra):
    title, problem, solution = text
    idea = make_idea(
        organisation,
        title=title,
        problem=problem,
        solution=solution,
        language=language,
        **extra,
    )
    similarity.index_idea(idea)
    return idea


@pytest.fixture
def ideas(network):
    found = {
        "kk": published(network.pavlodar, FOOTBALL_KK, language="kk"),
        "ru": published(network.almaty, FOOTBALL_RU, language="ru"),
        "en": published(network.root, FOOTBALL_EN, language="en"),
    }
    for n, text in enumerate(UNRELATED):
        found[f"other{n}"] = published(network.pavlodar, text, language="ru")
    return found


def found_pks(**kwargs):
    return [idea.pk for idea, _score in similarity.similar_ideas(**kwargs)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (FOOTBALL_KK[0], {"ru", "en"}),
        (FOOTBALL_RU[0], {"kk", "en"}),
        (FOOTBALL_EN[0], {"kk", "ru"}),
    ],
)
def test_a_title_typed_in_one_language_finds_the_same_idea_in_the_other_two(ideas, typed, expected):
    for language in expected:
        excluded = next(key for key in ("kk", "ru", "en") if key not in expected)
        pks = found_pks(title=typed, text="", exclude_pk=ideas[excluded].pk)
        assert ideas[language].pk in pks
    assert {ideas[key].pk for key in expected} == set(
        found_pks(title=typed, text="", exclude_pk=ideas[excluded].pk)
    )


def test_the_whole_text_of_a_duplicate_finds_the_original_first(ideas):
    title, problem, solution = FOOTBALL_RU
    result = similarity.similar_ideas(
        title=title, text=f"{problem} {solution}", exclude_pk=ideas["ru"].pk
    )
    assert [idea.pk for idea, _score in result][:2] in (
        [ideas["kk"].pk, ideas["en"].pk],
        [ideas["en"].pk, ideas["kk"].pk],
    )
    assert all(0 < score <= 1 for _idea, score in result)


def test_unrelated_ideas_are_not_suggested(ideas):
    pks = found_pks(title=FOOTBALL_EN[0], text=f"{FOOTBALL_EN[1]} {FOOTBALL_EN[2]}")
    others = {ideas[f"other{n}"].pk for n in range(len(UNRELATED))}
    assert others.isdisjoint(pks)


def test_an_idea_sharing_one_common_word_is_not_suggested(ideas):
    # "youth" alone: the language club for youth shares only that with a football tournament.
    assert found_pks(title="Жастарға арналған тіл клубы", text="") == []


def test_a_language_course_is_found_across_languages(ideas):
    pks = found_pks(title="Курсы казахского языка в Доме дружбы", text="")
    assert pks[:1] == [ideas["other0"].pk]


def test_unpublished_merged_and_withdrawn_ideas_are_never_suggested(network, ideas):
    for status in (Idea.Status.PENDING, Idea.Status.REJECTED, Idea.Status.WITHDRAWN):
        hidden = make_idea(
            network.pavlodar,
            status=status,
            title=FOOTBALL_EN[0],
            problem=FOOTBALL_EN[1],
            solution=FOOTBALL_EN[2],
        )
        similarity.index_idea(hidden)
        assert not IdeaTerm.objects.filter(idea=hidden).exists()
        assert hidden.pk not in found_pks(title=FOOTBALL_EN[0], text=FOOTBALL_EN[2])
    # Indexed while published, then merged without a reindex: still never suggested.
    merged = ideas["kk"]
    Idea.objects.filter(pk=merged.pk).update(status=Idea.Status.MERGED, merged_into=ideas["ru"])
    assert IdeaTerm.objects.filter(idea=merged).exists()
    assert merged.pk not in found_pks(title=FOOTBALL_EN[0], text=FOOTBALL_EN[2])
    assert ideas["ru"].pk in found_pks(title=FOOTBALL_EN[0], text=FOOTBALL_EN[2])


def test_reindexing_an_idea_that_left_the_platform_removes_its_terms(ideas):
    idea = ideas["en"]
    assert IdeaTerm.objects.filter(idea=idea).exists()
    idea.status = Idea.Status.WITHDRAWN
    similarity.index_idea(idea)
    assert not IdeaTerm.objects.filter(idea=idea).exists()


def test_a_call_narrows_the_suggestions_to_its_ideas(network, ideas):
    call = make_call(network.pavlodar)
    in_call = published(network.pavlodar, FOOTBALL_RU, language="ru", call=call)
    assert found_pks(title=FOOTBALL_KK[0], text="", call=call) == [in_call.pk]


def test_short_empty_and_meaningless_input_suggests_nothing(ideas):
    assert found_pks(title="", text="") == []
    assert found_pks(title="Футбол", text="") == []  # one word: nothing to compare yet
    assert found_pks(title="и в на для", text="және үшін") == []  # stop words only
    assert found_pks(title="12345 !!! ???", text="") == []
    assert found_pks(title="Qwxzv Brrrmpf", text="Zzzyx") == []


def test_huge_input_is_cut_not_refused(ideas):
    text = ("Футбольный турнир между районами для молодёжи. " * 2000) + "x" * 100_000
    assert ideas["kk"].pk in found_pks(title=FOOTBALL_RU[0] * 50, text=text)


def test_bulk_indexing_writes_the_same_terms_as_one_by_one(network, ideas):
    one_by_one = sorted(IdeaTerm.objects.values_list("idea_id", "term", "weight"))
    pending = make_idea(network.pavlodar, status=Idea.Status.PENDING)
    IdeaTerm.objects.all().delete()
    written = similarity.index_ideas_bulk(Idea.objects.order_by("pk"), batch=3)
    assert written == len(one_by_one)
    assert sorted(IdeaTerm.objects.values_list("idea_id", "term", "weight")) == one_by_one
    assert not IdeaTerm.objects.filter(idea=pending).exists()


def test_terms_meet_across_scripts_for_loanwords_and_glossary_concepts():
    assert set(similarity.terms("футбол фестиваль волонтёр")) == set(
        similarity.terms("football festival volunteer")
    )
    assert "c:org.house_of_friendship" in similarity.terms("Достық үйі")
    assert "c:org.house_of_friendship" in similarity.terms("Дом дружбы")
    assert "c:org.house_of_friendship" in similarity.terms("House of Friendship")
    assert similarity.terms("турнирі") == similarity.terms("турнир")
    assert similarity.terms("робототехника") == similarity.terms("robotics")


def test_the_similar_look_up_reads_a_constant_number_of_queries(
    network, ideas, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        few = similarity.similar_ideas(title=FOOTBALL_RU[0], text=FOOTBALL_RU[2])
    for n in range(30):
        published(network.almaty, (f"{FOOTBALL_EN[0]} {n}", FOOTBALL_EN[1], FOOTBALL_EN[2]))
    with django_assert_max_num_queries(5):
        many = similarity.similar_ideas(title=FOOTBALL_RU[0], text=FOOTBALL_RU[2])
    assert len(few) >= 2 and len(many) == 5


def test_the_reindex_command_rebuilds_the_index_of_published_ideas_only(network, ideas):
    from django.core.management import call_command

    expected = sorted(IdeaTerm.objects.values_list("idea_id", "term", "weight"))
    withdrawn = ideas["other3"]
    Idea.objects.filter(pk=withdrawn.pk).update(status=Idea.Status.WITHDRAWN)
    IdeaTerm.objects.filter(idea=ideas["kk"]).delete()
    call_command("ideas_reindex", "--batch", "2", stdout=io.StringIO())
    rebuilt = sorted(IdeaTerm.objects.values_list("idea_id", "term", "weight"))
    assert rebuilt == [row for row in expected if row[0] != withdrawn.pk]
