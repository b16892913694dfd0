"""A trigram index on people's last names (``core.search.words_q``, the staff's people search):
PostgreSQL only, built concurrently; kept out of the model state (see ``AddNameTrigramIndex``).
"""

from django.db import migrations

from birlik.core.search import AddNameTrigramIndex


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("registry", "0006_search_organisation")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddNameTrigramIndex("person", "last_name", "registry_person_last_trgm")
            ],
            state_operations=[],
        )
    ]
