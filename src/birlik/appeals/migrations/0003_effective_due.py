"""The effective due date (the extension, else the due date) as an indexed column for the inbox."""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Appeal = apps.get_model("appeals", "Appeal")
    Appeal.objects.update(effective_due=Coalesce(F("extended_until"), F("due_date")))


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_state_bodies")]
    operations = [
        migrations.AddField(
            model_name="appeal",
            name="effective_due",
            field=models.DateField(editable=False, null=True, verbose_name="effective due date"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="appeal",
            name="effective_due",
            field=models.DateField(editable=False, verbose_name="effective due date"),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                fields=["status", "effective_due"], name="appeals_app_status_efc87c_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                fields=["organisation", "status", "effective_due"],
                name="appeals_app_organis_d5b24d_idx",
            ),
        ),
    ]
