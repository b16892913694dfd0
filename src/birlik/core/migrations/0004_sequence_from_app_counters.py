"""Seed ``core.Sequence`` from the per-app counters it replaces, so numbering goes on without a
gap or a repeat: appeals' yearly ``NumberSequence``, mediation's ``CaseNumberSequence`` (per
centre), charity's ``RequestSequence`` and ``ReceiptSequence`` (per centre).

The scopes must match the ones the services use (``birlik.appeals.services.NUMBER_SCOPE`` etc.);
they are spelled out here because a migration must not import live code. The old tables are
dropped by each app's next migration, which depends on this one.
"""

from django.db import migrations

# (app label, model, scope prefix, per-centre?)
COUNTERS = [
    ("appeals", "NumberSequence", "appeals.number", False),
    ("mediation", "CaseNumberSequence", "mediation.case", True),
    ("charity", "RequestSequence", "charity.request", False),
    ("charity", "ReceiptSequence", "charity.receipt", True),
]


def _scope(prefix, centre_id):
    return prefix if centre_id is None else f"{prefix}:{centre_id}"


def seed(apps, schema_editor):
    Sequence = apps.get_model("core", "Sequence")
    for app_label, model_name, prefix, per_centre in COUNTERS:
        model = apps.get_model(app_label, model_name)
        fields = ("centre_id", "year", "last") if per_centre else ("year", "last")
        for row in model.objects.values(*fields):
            sequence, _created = Sequence.objects.get_or_create(
                scope=_scope(prefix, row.get("centre_id")), year=row["year"]
            )
            # Never move a counter back (the migration may meet rows already given out).
            if row["last"] > sequence.last:
                sequence.last = row["last"]
                sequence.save(update_fields=["last"])


def unseed(apps, schema_editor):
    """Copy the counters back into the per-app tables (which the reversed app migrations have
    recreated by now), then forget them here."""
    Sequence = apps.get_model("core", "Sequence")
    Organisation = apps.get_model("registry", "Organisation")
    for app_label, model_name, prefix, per_centre in COUNTERS:
        model = apps.get_model(app_label, model_name)
        if per_centre:
            rows = Sequence.objects.filter(scope__startswith=f"{prefix}:")
            for row in rows:
                centre_id = int(row.scope.split(":", 1)[1])
                if not Organisation.objects.filter(pk=centre_id).exists():
                    continue  # the centre is gone: the old table's row went with it
                model.objects.update_or_create(
                    centre_id=centre_id, year=row.year, defaults={"last": row.last}
                )
        else:
            rows = Sequence.objects.filter(scope=prefix)
            for row in rows:
                model.objects.update_or_create(year=row.year, defaults={"last": row.last})
        rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_sequence"),
        ("appeals", "0004_legal_terms_redirect_by_and_extension_notice"),
        ("mediation", "0001_initial"),
        ("charity", "0001_initial"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
