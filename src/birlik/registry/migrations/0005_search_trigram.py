"""pg_trgm, for the trigram indexes of the search (``core.search``); nothing on SQLite."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_opening_hours")]

    operations = [TrigramExtension()]
