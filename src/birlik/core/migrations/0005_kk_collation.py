"""The ``kk_icu`` collation: Kazakh/Russian alphabetical order on PostgreSQL (ICU).

SQLite gets a collation of the same name on every connection (``birlik.core.collation``); the
locale is spelled out here because a migration must not import live code.
"""

from django.db import migrations

LOCALE = "kk-KZ-u-kn-true-ka-shifted"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE COLLATION IF NOT EXISTS kk_icu (provider = icu, locale = '{LOCALE}')"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP COLLATION IF EXISTS kk_icu")


class Migration(migrations.Migration):
    dependencies = [("core", "0004_sequence_from_app_counters")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
