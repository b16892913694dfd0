"""Kazakh/Russian alphabetical order: the Python key and the SQL order on SQLite and PostgreSQL.

Run on PostgreSQL too: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/birlik pytest ...``.
"""

from __future__ import annotations

import random

import pytest
from django.db import connection

from birlik.core import collation
from birlik.core.collation import sort_key, sorted_by_name
from birlik.registry.models import Person
from tests.factories import PersonFactory

KAZAKH_ALPHABET = list("АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ")

# Names a list of bodies and people holds, in the order a Kazakh reader expects.
NAMES = [
    "9 шағын аудан",
    "10 шағын аудан",
    "Абай",
    "ада",
    "Ада",
    "Ай бек",
    "Айбек",
    "Ай-Бек",
    "Аксу",
    "Ақсай",
    "Ақсу",
    "Әлем",
    "Бота",
    "Бірлік",
    "«Бірлік» бірлестігі",
    "Ғалым",
    "Ежов",
    "ель",
    "Ёлка",
    "Иванов Иван",
    "Йод",
    "Кеңес",
    "Қазақ",
    "Мектеп №9",
    "Мектеп №10",
    "Нұр",
    "Ңң",
    "Олжас",
    "Өмір",
    "Урал",
    "Ұлан",
    "Үміт",
    "Хан",
    "Һижра",
    "Ыбырай",
    "Іле",
    "Эль",
    "Яблоко",
    "alpha",
    "Café",
    "№ 5",
    "№ 5 мектеп",
    "№ 44",
    "Zeta",
]


def shuffled(items: list[str], seed: int = 14) -> list[str]:
    copy = list(items)
    random.Random(seed).shuffle(copy)
    return copy


def test_the_kazakh_alphabet_sorts_in_its_own_order():
    assert sorted_by_name(shuffled(KAZAKH_ALPHABET)) == KAZAKH_ALPHABET
    lower = [letter.lower() for letter in KAZAKH_ALPHABET]
    assert sorted_by_name(shuffled(lower)) == lower


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Аягөз", "Әлия"),  # Ә after А
        ("Әлия", "Бауыржан"),  # ... before Б
        ("Кәрім", "Қанат"),  # Қ after К
        ("Қанат", "Лаура"),
        ("Уәли", "Ұлан"),  # Ұ, Ү after У
        ("Ұлан", "Үміт"),
        ("Үміт", "Фариза"),
        ("Хамит", "Һижра"),  # Һ after Х
        ("Ыбырай", "Ілияс"),  # І after Ы, before Ь
        ("Ілияс", "Эльмира"),
        ("Нұрлан", "Ңң"),  # Ң after Н
        ("Олжас", "Өмір"),  # Ө after О
        ("Гүлнар", "Ғалым"),  # Ғ after Г
        ("Ежов", "Ёлка"),  # Ё a letter after Е
        ("Иван", "Йод"),  # Й a letter after И
        ("№ 5", "№ 44"),  # numbers as numbers
        ("Мектеп №9", "Мектеп №10"),
        ("9", "10"),
        ("10", "Абай"),  # digits before letters
        ("Яблоко", "alpha"),  # Latin after Cyrillic
    ],
)
def test_one_name_sorts_before_the_other(before, after):
    assert sort_key(before) < sort_key(after)
    assert collation.compare(before, after) == -1
    assert collation.compare(after, before) == 1


def test_case_is_ignored_but_lower_case_comes_first_among_equals():
    assert sorted_by_name(["Бота", "абай", "АДА"]) == ["абай", "АДА", "Бота"]
    assert sorted_by_name(["Ада", "ада"]) == ["ада", "Ада"]


def test_quotes_and_punctuation_are_ignored_at_the_first_level():
    names = ["«Бірлік» бірлестігі", "Бота", "Ақ жол", "(Ескі) ат", "Абай", "Жанар"]
    assert sorted_by_name(names) == [
        "Абай",
        "Ақ жол",
        "Бота",
        "«Бірлік» бірлестігі",
        "(Ескі) ат",
        "Жанар",
    ]


def test_an_empty_name_comes_first_and_none_is_empty():
    assert sorted_by_name(["Б", "", "А"]) == ["", "А", "Б"]
    assert sort_key(None) == sort_key("")
    assert collation.compare("Ада", "Ада") == 0


def test_the_key_sorts_the_sample_names_as_expected():
    assert sorted_by_name(shuffled(NAMES)) == NAMES


@pytest.mark.django_db
def test_the_database_orders_a_queryset_as_the_key_does():
    names = shuffled(NAMES)
    for name in names:
        PersonFactory(last_name=name, first_name="Айгүл")
    for extra in ("Жұмабаев", "Жумабаев", "Ким", "ким"):
        PersonFactory(last_name=extra, first_name="Ә")

    expected = sorted_by_name(Person.objects.values_list("last_name", flat=True))
    ordered = collation.ordered(Person.objects.all(), "last_name")
    assert list(ordered.values_list("last_name", flat=True)) == expected
    descending = collation.ordered(Person.objects.all(), "-last_name")
    assert list(descending.values_list("last_name", flat=True)) == expected[::-1]
    assert [name for name in expected if name in NAMES] == NAMES


@pytest.mark.django_db
def test_the_database_and_the_key_agree_on_random_names():
    letters = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюяАӘҒҚҢӨҰҮҺІЁЙ" + "azAZé0123456789 -.«»№"
    rng = random.Random(2025)
    names = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 8))) for _ in range(150)}
    for name in names:
        PersonFactory(last_name=name)

    ordered = collation.ordered(Person.objects.all(), "last_name")
    assert list(ordered.values_list("last_name", flat=True)) == sorted_by_name(names)


@pytest.mark.django_db
def test_the_collation_exists_under_its_name_on_this_database():
    # Raw SQL (and Django's Collate) can name the collation on either database.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT x FROM (SELECT %s AS x UNION ALL SELECT %s UNION ALL SELECT %s) AS t "
            'ORDER BY x COLLATE "kk_icu"',
            ["Бота", "Әлем", "Абай"],
        )
        assert [row[0] for row in cursor.fetchall()] == ["Абай", "Әлем", "Бота"]
