"""Migration operations that keep a big table writable on PostgreSQL and still run on SQLite.

``AddIndexConcurrently``/``RemoveIndexConcurrently`` build or drop an index without blocking
writes, but only PostgreSQL has them; Birlik also migrates its embedded SQLite default, where a
plain index is built instead (the table is local and the build takes the process's own lock).
Use them alone in a migration with ``atomic = False`` (README, "Zero-downtime migrations";
``scripts/check_migrations.py`` refuses an atomic one).
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations


class _ConcurrentlyOrPlain:
    """CONCURRENTLY (the next class in the order, PostgreSQL) or ``plain``'s way elsewhere."""

    plain: Any

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(  # type: ignore[misc]
                app_label, schema_editor, from_state, to_state
            )
        else:
            self.plain.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(  # type: ignore[misc]
                app_label, schema_editor, from_state, to_state
            )
        else:
            self.plain.database_backwards(self, app_label, schema_editor, from_state, to_state)


class AddIndexConcurrentlyOrPlain(_ConcurrentlyOrPlain, AddIndexConcurrently):
    """``CREATE INDEX CONCURRENTLY`` on PostgreSQL, a plain ``CREATE INDEX`` elsewhere."""

    plain = migrations.AddIndex


class RemoveIndexConcurrentlyOrPlain(_ConcurrentlyOrPlain, RemoveIndexConcurrently):
    """``DROP INDEX CONCURRENTLY`` on PostgreSQL, a plain ``DROP INDEX`` elsewhere."""

    plain = migrations.RemoveIndex
