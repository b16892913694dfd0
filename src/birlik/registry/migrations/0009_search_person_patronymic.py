"""A trigram index on people's patronymics (``core.search.words_q``, the staff's people search):
PostgreSQL only, built concurrently; kept out of the model state (see ``AddNameTrigramIndex``).
"""

from django.db import migrations

from birlik.core.search import AddNameTrigramIndex


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("registry", "0008_search_person_first_name")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                AddNameTrigramIndex("person", "patronymic", "registry_person_patronymic_trgm")
            ],
            state_operations=[],
        )
    ]
