"""The yearly counters moved to ``core.Sequence`` (seeded by core 0004): drop the old table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0004_legal_terms_redirect_by_and_extension_notice"),
        ("core", "0004_sequence_from_app_counters"),
    ]

    operations = [
        migrations.DeleteModel(name="NumberSequence"),
    ]
