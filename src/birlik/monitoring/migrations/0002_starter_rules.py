"""The starter keyword lists (the classifier's cold start) and alert rules of a new install.

Read from ``monitoring/data/keywords.json`` and ``alert_rules.json`` as they were when the
migration ran; later changes are made in the workspace. Nothing is added where rules exist."""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _load(name):
    path = DATA / name
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))


def seed(apps, schema_editor):
    KeywordRule = apps.get_model("monitoring", "KeywordRule")
    AlertRule = apps.get_model("monitoring", "AlertRule")
    if not KeywordRule.objects.exists():
        KeywordRule.objects.bulk_create(
            KeywordRule(
                topic=row["topic"],
                language=row.get("language", ""),
                weight=row.get("weight", 0.6),
                terms="\n".join(row["terms"]),
            )
            for row in _load("keywords.json")
        )
    if not AlertRule.objects.exists():
        fields = {f.name for f in AlertRule._meta.get_fields()} - {"name"}
        rules = _load("alert_rules.json")
        AlertRule.objects.bulk_create(
            AlertRule(
                name=row["name"].get(settings.LANGUAGE_CODE) or row["name"]["en"],
                **{key: value for key, value in row.items() if key in fields},
            )
            for row in (rules["rules"] if rules else [])
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
