"""core.search: one search on the folded key, on an index on both engines (run the module with
DATABASE_URL unset for SQLite, and with it set to a PostgreSQL database)."""

from __future__ import annotations

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.urls import reverse

from birlik.core import checks as birlik_checks
from birlik.core import search as core_search
from birlik.core.search import search
from birlik.registry.models import Organisation
from tests.factories import OrganisationFactory, kind

pytestmark = pytest.mark.django_db

ON_SQLITE = connection.vendor == "sqlite"
ON_POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def bodies() -> dict[str, Organisation]:
    return {
        "dostyk": OrganisationFactory(
            name_kk="Достық үйі", name_ru="Дом дружбы", name_en="House of Friendship"
        ),
        "kazakh": OrganisationFactory(
            name_kk="Қазақ тілі қоғамы", name_ru="Общество казахского языка", name_en="Kazakh"
        ),
        "underscore": OrganisationFactory(name_kk="A_B клубы", name_ru="Клуб A_B", name_en="A_B"),
        "plain": OrganisationFactory(name_kk="AXB клубы", name_ru="Клуб AXB", name_en="AXB club"),
    }


def found(query: str) -> set[str]:
    return set(search(Organisation.objects.all(), query).values_list("name_en", flat=True))


@pytest.mark.parametrize(
    "query", ["Достық", "достык", "ДОСТЫҚ", "Dostyk", "dostyq", "DOSTIK", "достық үйі", "uyi"]
)
def test_a_body_is_found_by_its_kazakh_russian_or_latin_spelling(bodies, query):
    assert found(query) == {"House of Friendship"}


def test_every_word_of_the_query_must_match(bodies):
    assert found("дом дружбы") == {"House of Friendship"}
    assert found("дом казахского") == set()
    assert found("qazaq tili") == {"Kazakh"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("д", {"House of Friendship"}),
        ("аз", {"Kazakh"}),
        ("үй", {"House of Friendship"}),
        ("ui", {"House of Friendship"}),
        ("үй дружбы", {"House of Friendship"}),  # a short word and a long one together
    ],
)
def test_one_or_two_letter_words_are_matched_too(bodies, query, expected):
    assert found(query) == expected


def test_an_underscore_is_a_letter_not_a_wildcard(bodies):
    assert found("a_b") == {"A_B"}
    assert found("axb") == {"AXB club"}


@pytest.mark.parametrize(
    "query",
    [
        "%",
        "_",
        "\\",
        "%%dost%",
        "do\\stik",
        "'",
        '"',
        'dostyk"',
        '"dostyk',
        "dos*",
        "*",
        "NEAR(dostyk uyi)",
        "dostyk AND uyi",
        "dostyk OR kazakh",
        "NOT dostyk",
        "name_en:dostyk",
        "^dostyk",
        "dostyk + uyi",
        "{search_text}: dostyk",
        "'); DROP TABLE registry_organisation; --",
    ],
)
def test_wildcards_quotes_and_fts_operators_never_break_the_directory(bodies, client, query):
    with_operators = client.get(reverse("portal:directory"), {"q": query})

    assert with_operators.status_code == 200
    assert Organisation.objects.count() == 4


def test_a_percent_sign_or_a_backslash_matches_nothing_more(bodies):
    assert found("dost%") == {"House of Friendship"}
    assert found("a_%") == {"A_B"}
    assert found("a\\_") == {"A_B"}


def test_fts_operator_words_are_searched_as_words(bodies):
    OrganisationFactory(name_kk="Near and far", name_ru="Near and far", name_en="Near and far")

    assert found("NEAR AND") == {"Near and far"}
    assert found("dostyk OR kazakh") == set()


def test_a_row_written_by_bulk_create_is_found(bodies):
    body = Organisation(
        path="ZZZZ",
        depth=1,
        kind=kind("house_of_friendship"),
        name="Бірлік",
        name_kk="Бірлік орталығы",
        name_ru="Центр Бирлик",
        name_en="Birlik centre",
    )
    body.refresh_search_text()
    Organisation.objects.bulk_create([body])

    assert found("birlik") == {"Birlik centre"}
    assert found("бирлик") == {"Birlik centre"}


def test_a_renamed_body_is_found_by_its_new_name_only(bodies):
    body = bodies["plain"]
    Organisation.objects.filter(pk=body.pk).update(search_text="zhuldyz | julduz")

    assert found("julduz") == {"AXB club"}
    assert found("axb") == set()


def test_a_deleted_body_is_no_longer_found(bodies):
    Organisation.objects.filter(pk=bodies["kazakh"].pk).delete()
    body = OrganisationFactory(name_kk="Қазақ", name_ru="Казах", name_en="Kazakh again")

    assert found("kazak") == {"Kazakh again"}
    assert body.pk is not None


def test_the_directory_search_shows_the_matching_bodies(
    bodies, client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        page = client.get(reverse("portal:directory"), {"q": "dostyk"})

    assert page.status_code == 200
    assert "Достық үйі" in page.content.decode()
    assert "Қазақ тілі қоғамы" not in page.content.decode()


@pytest.mark.skipif(not ON_SQLITE, reason="the FTS5 table exists on SQLite only")
def test_on_sqlite_the_search_reads_the_fts5_index(bodies):
    plan = search(Organisation.objects.all(), "dostyk").explain()

    assert "registry_organisation_search_fts VIRTUAL TABLE INDEX" in plan


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite rebuilds tables and drops their triggers")
def test_triggers_lost_in_a_table_rebuild_come_back_after_migrate(bodies):
    with connection.cursor() as cursor:
        cursor.execute('DROP TRIGGER "registry_organisation_search_fts_insert"')

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    OrganisationFactory(name_kk="Жаңа үй", name_ru="Новый дом", name_en="New house")

    assert found("jana") == {"New house"}


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the trigram index exists on PostgreSQL only")
def test_on_postgresql_the_search_reads_the_trigram_index(bodies):
    with connection.cursor() as cursor:
        # On a few rows a scan is cheaper: leave the planner only the bitmap index scans.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = search(Organisation.objects.order_by(), "dostyk").explain()

    assert "registry_org_search_trgm" in plan


@pytest.mark.skipif(not ON_SQLITE, reason="the check speaks of SQLite only")
def test_the_startup_check_names_an_old_sqlite(monkeypatch):
    monkeypatch.setattr(core_search.sqlite3, "sqlite_version_info", (3, 31, 1))
    monkeypatch.setattr(core_search.sqlite3, "sqlite_version", "3.31.1")
    core_search.sqlite_fts_problem.cache_clear()
    try:
        messages = birlik_checks.sqlite_search_check()
    finally:
        core_search.sqlite_fts_problem.cache_clear()

    assert [message.id for message in messages] == ["birlik.W020"]
    assert "SQLite 3.31.1" in messages[0].msg
    assert "3.34" in messages[0].hint


def test_the_startup_check_is_quiet_on_a_capable_sqlite_or_on_postgresql():
    assert birlik_checks.sqlite_search_check() == []
