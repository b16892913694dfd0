"""The yearly counters moved to ``core.Sequence`` (seeded by core 0004): drop the old table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mediation", "0001_initial"),
        ("core", "0004_sequence_from_app_counters"),
    ]

    operations = [
        migrations.DeleteModel(name="CaseNumberSequence"),
    ]
