"""The search index of ideas (the public list) (``core.search``): pg_trgm GIN on PostgreSQL, built
concurrently; an FTS5 trigram table kept by triggers on SQLite.

Kept out of the model state (``SeparateDatabaseAndState``, no state operation): a ``GinIndex`` in
``Meta.indexes`` would make SQLite emit ``CREATE INDEX … USING gin`` whenever it rebuilds the table.
"""

from django.db import migrations

from birlik.core.search import AddSearchIndex


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("ideas", "0002_idea_search_text"), ("registry", "0005_search_trigram")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[AddSearchIndex("idea", "ideas_idea_search_trgm")],
            state_operations=[],
        )
    ]
