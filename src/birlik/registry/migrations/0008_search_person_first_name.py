"""A trigram index on people's first names (``core.search.words_q``, the staff's people search):
PostgreSQL only, built concurrently; kept out of the model state (see ``AddNameTrigramIndex``).
"""

from django.db import migrations

from birlik.core.search import AddNameTrigramIndex


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("registry", "0007_search_person_last_name")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddNameTrigramIndex("person", "first_name", "registry_person_first_trgm")
            ],
            state_operations=[],
        )
    ]
