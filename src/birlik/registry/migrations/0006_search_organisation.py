"""The search index of the bodies (directory, workspace, grants, appeal form) (``core.search``): pg_trgm GIN on PostgreSQL, built
concurrently; an FTS5 trigram table kept by triggers on SQLite.

Kept out of the model state (``SeparateDatabaseAndState``, no state operation): a ``GinIndex`` in
``Meta.indexes`` would make SQLite emit ``CREATE INDEX … USING gin`` whenever it rebuilds the table.
"""

from django.db import migrations

from birlik.core.search import AddSearchIndex


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("registry", "0005_search_trigram")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[AddSearchIndex("organisation", "registry_org_search_trgm")],
            state_operations=[],
        )
    ]
