"""One home for search: a user's query matched on a model's search key, on an index on both
engines (PostgreSQL: a pg_trgm GIN index; SQLite: an FTS5 trigram table kept by triggers).

``search(queryset, query)`` is the only way a view or a query asks "rows matching what the user
typed" on a model with a ``search_text`` column (``core.text.search_key``): each word of the query,
folded (Kazakh letters typed as Russian ones, Latin spellings), must occur in the key. The answer
is the same on both engines and the same as the ``LIKE '%key%'`` scan it replaces; only the way
there differs. ``words_q``/``contains_q`` are the home of the plain "contains, whatever the case"
match on name fields that have no search key yet (people, applications, titles).
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import connections, models
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from .text import query_keys

M = TypeVar("M", bound=models.Model)

SEARCH_FIELD = "search_text"
# The FTS5 trigram tokenizer indexes runs of three characters: a shorter key cannot use it and
# is matched by the scan (one or two letters rarely narrow a list anyway).
TRIGRAM = 3
# A query longer than this many words is cut: each word is one more condition on the index.
MAX_WORDS = 8


# --- SQLite: FTS5 --------------------------------------------------------------------------------
def fts_table(db_table: str) -> str:
    """The FTS5 table that indexes ``db_table``'s search key on SQLite."""
    return f"{db_table}_search_fts"


@functools.cache
def sqlite_fts_problem() -> str | None:
    """Why this process's SQLite cannot serve the FTS5 trigram search, or None if it can.

    Asked of the library the ``sqlite3`` module is linked with, the one Django's connections use.
    """
    if sqlite3.sqlite_version_info < (3, 34, 0):
        return (
            f"SQLite {sqlite3.sqlite_version} has no FTS5 trigram tokenizer (3.34 or later is "
            "needed)"
        )
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x, tokenize='trigram')")
    except sqlite3.OperationalError as error:
        return f"SQLite {sqlite3.sqlite_version} cannot create an FTS5 trigram table ({error})"
    finally:
        probe.close()
    return None


def _sqlite_search_sql(db_table: str) -> list[str]:
    """The FTS5 table over ``db_table.search_text`` (external content: the text is not stored
    twice) and the triggers that keep it in step with every insert, update and delete, so rows
    written by ``bulk_create``, ``update()`` or raw SQL are indexed too."""
    # Only names from the models go into this SQL; nothing a user typed.
    fts = fts_table(db_table)
    column = SEARCH_FIELD
    command = f'"{fts}"("{fts}", rowid, {column})'  # FTS5's special column: 'delete' a row
    remove = f"INSERT INTO {command} VALUES ('delete', old.id, old.{column});"  # noqa: S608
    add = f'INSERT INTO "{fts}"(rowid, {column}) VALUES (new.id, new.{column});'  # noqa: S608
    on = f'ON "{db_table}" FOR EACH ROW'
    return [
        f'CREATE VIRTUAL TABLE IF NOT EXISTS "{fts}" USING fts5({column}, '
        f"content='{db_table}', content_rowid='id', tokenize='trigram')",
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_insert" AFTER INSERT {on} BEGIN {add} END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_delete" AFTER DELETE {on} BEGIN {remove} END',
        f'CREATE TRIGGER IF NOT EXISTS "{fts}_update" AFTER UPDATE OF {column} {on} '
        f"BEGIN {remove} {add} END",
    ]


def _sqlite_triggers(connection: Any, db_table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [db_table]
        )
        return {name for (name,) in cursor.fetchall()}


def sqlite_search_ensure(connection: Any, db_table: str) -> bool:
    """Create what is missing of ``db_table``'s FTS5 table and triggers, and rebuild the index
    if anything was missing; True if it was rebuilt. Idempotent."""
    fts = fts_table(db_table)
    wanted = {f"{fts}_insert", f"{fts}_delete", f"{fts}_update"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [fts])
        exists = cursor.fetchone() is not None
    if exists and wanted <= _sqlite_triggers(connection, db_table):
        return False
    with connection.cursor() as cursor:
        for statement in _sqlite_search_sql(db_table):
            cursor.execute(statement)
        cursor.execute(f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')')  # noqa: S608
    return True


def sqlite_search_drop(connection: Any, db_table: str) -> None:
    fts = fts_table(db_table)
    with connection.cursor() as cursor:
        for suffix in ("insert", "delete", "update"):
            cursor.execute(f'DROP TRIGGER IF EXISTS "{fts}_{suffix}"')
        cursor.execute(f'DROP TABLE IF EXISTS "{fts}"')


@receiver(post_migrate, dispatch_uid="birlik.core.search.repair")
def sqlite_search_repair(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Put back triggers that a later migration dropped: SQLite rebuilds a table for most
    ``AlterField``s (copy to a new table, drop the old one), and the old table's triggers go
    with it, which would leave the index silently stale."""
    if getattr(sender, "label", None) != "core":  # sent once per app: run once per migrate
        return
    connection = connections[using]
    if connection.vendor != "sqlite" or sqlite_fts_problem() is not None:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE %s ESCAPE '\\'",
            ["%\\_search\\_fts"],
        )
        tables = [name.removesuffix("_search_fts") for (name,) in cursor.fetchall()]
    for db_table in tables:
        sqlite_search_ensure(connection, db_table)


def _fts_phrase(key: str) -> str:
    # A double-quoted FTS5 string is one phrase whatever it holds (operators, *, NEAR, :, ^);
    # a quote inside is doubled. Keys are words (``query_keys``), so this is belt and braces.
    return '"' + key.replace('"', '""') + '"'


# --- The query -----------------------------------------------------------------------------------
def search(queryset: QuerySet[M], query: str, *, field: str = SEARCH_FIELD) -> QuerySet[M]:
    """Rows whose search key holds every word of ``query`` (folded, Latin spelling too)."""
    keys = list(dict.fromkeys(query_keys(query)))[:MAX_WORDS]
    if not keys:
        return queryset
    connection = connections[queryset.db]
    indexed: list[str] = []
    if connection.vendor == "sqlite" and field == SEARCH_FIELD and sqlite_fts_problem() is None:
        indexed = [key for key in keys if len(key) >= TRIGRAM]
    if indexed:
        fts = fts_table(queryset.model._meta.db_table)
        # Every key a phrase, all of them required (FTS5's implicit AND): one index look-up.
        queryset = queryset.filter(
            pk__in=RawSQL(  # noqa: S611 - the table name from the model, the query bound
                f'SELECT rowid FROM "{fts}" WHERE "{fts}" MATCH %s',  # noqa: S608
                [" ".join(_fts_phrase(key) for key in indexed)],
            )
        )
    for key in keys:
        # PostgreSQL: LIKE '%key%' on the trigram GIN index; SQLite: the short keys, scanned.
        if key not in indexed:
            queryset = queryset.filter(**{f"{field}__contains": key})
    return queryset


def _case_variants(text: str) -> Iterable[str]:
    # PostgreSQL's ILIKE/UPPER fold every letter; SQLite's LIKE folds ASCII only, so the usual
    # spellings of a Cyrillic word are asked for as well («КОНФЛИКТ», «Конфликт», «конфликт»).
    return dict.fromkeys((text, text.lower(), text.upper(), text.capitalize(), text.title()))


def contains_q(fields: Iterable[str], text: str, *, using: str = "default") -> Q:
    """Rows where one of ``fields`` contains ``text``, whatever its case, on both engines."""
    fields = list(fields)
    variants = [text] if connections[using].vendor == "postgresql" else _case_variants(text)
    matches = Q(pk__in=[])
    for variant in variants:
        for field in fields:
            matches |= Q(**{f"{field}__icontains": variant})
    return matches


def words_q(
    fields: Iterable[str], query: str, *, max_words: int = MAX_WORDS, using: str = "default"
) -> Q:
    """Rows where each word of ``query`` is contained in one of ``fields``, whatever its case."""
    fields = list(fields)
    matches = Q()
    for word in query.split()[:max_words]:
        matches &= contains_q(fields, word, using=using)
    return matches


# --- Migrations ----------------------------------------------------------------------------------
class AddSearchIndex(AddIndexConcurrently):
    """The index ``search`` uses on ``model_name.search_text``: a pg_trgm GIN index built
    concurrently on PostgreSQL (``LIKE '%key%'`` then reads the index), an FTS5 trigram table
    with its triggers on SQLite. Alone in a migration with ``atomic = False``, inside
    ``SeparateDatabaseAndState`` with no state operation: Django's ``GinIndex`` cannot be in
    ``Meta.indexes`` because SQLite would be asked for ``CREATE INDEX … USING gin`` each time it
    rebuilds the table.
    """

    def __init__(self, model_name: str, name: str) -> None:
        index = GinIndex(fields=[SEARCH_FIELD], opclasses=["gin_trgm_ops"], name=name)
        super().__init__(model_name, index)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        connection = schema_editor.connection
        if connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        elif connection.vendor == "sqlite" and sqlite_fts_problem() is None:
            model = to_state.apps.get_model(app_label, self.model_name)
            sqlite_search_ensure(connection, model._meta.db_table)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        connection = schema_editor.connection
        if connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        elif connection.vendor == "sqlite":
            model = from_state.apps.get_model(app_label, self.model_name)
            sqlite_search_drop(connection, model._meta.db_table)

    def describe(self) -> str:
        return f"Search index {self.index.name} on {self.model_name}.{SEARCH_FIELD}"


class AddNameTrigramIndex(AddIndexConcurrently):
    """A pg_trgm GIN index on ``UPPER(field::text)``, the expression Django's ``icontains``
    compares on PostgreSQL, so ``contains_q``/``words_q`` on a name read an index; built
    concurrently. Nothing on SQLite (its ``LIKE`` is a scan either way). Alone in a migration
    with ``atomic = False``, inside ``SeparateDatabaseAndState`` with no state operation (see
    ``AddSearchIndex``). Written as SQL: Django 5.2 puts ``OpClass`` inside the expression's
    parentheses when the expression is a function, which PostgreSQL refuses.
    """

    def __init__(self, model_name: str, field: str, name: str) -> None:
        self.field = field
        super().__init__(model_name, GinIndex(fields=[field], name=name))

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (type(self).__qualname__, [self.model_name, self.field, self.index.name], {})

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        self._ensure_not_in_transaction(schema_editor)
        model = to_state.apps.get_model(app_label, self.model_name)
        column = model._meta.get_field(self.field).column
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {quote(self.index.name)} ON "
            f"{quote(model._meta.db_table)} USING gin ((UPPER({quote(column)}::text)) gin_trgm_ops)"
        )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        self._ensure_not_in_transaction(schema_editor)
        schema_editor.execute(
            f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(self.index.name)}"
        )
