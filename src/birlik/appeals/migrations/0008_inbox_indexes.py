"""The inbox's queue indexes, built without blocking writes (PostgreSQL) on the big appeals table:
open appeals by effective due date, appeals to redirect by their redirect-by date, and appeals by
status and number — each ending with the body so that the scope check reads the index only."""

from django.db import migrations, models

from birlik.core.migration_ops import AddIndexConcurrentlyOrPlain


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("appeals", "0007_parliament_chambers")]

    operations = [
        AddIndexConcurrentlyOrPlain(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("status__in", ("registered", "in_progress", "extended"))),
                fields=["effective_due", "id", "organisation"],
                name="appeal_open_due_idx",
            ),
        ),
        AddIndexConcurrentlyOrPlain(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(
                    ("redirect_by__isnull", False),
                    ("redirected_to__isnull", True),
                    ("status__in", ["registered"]),
                ),
                fields=["redirect_by", "id", "organisation"],
                name="appeal_to_redirect_idx",
            ),
        ),
        AddIndexConcurrentlyOrPlain(
            model_name="appeal",
            index=models.Index(
                fields=["status", "id", "organisation"], name="appeal_status_id_idx"
            ),
        ),
    ]
