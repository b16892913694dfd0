from django.db import migrations


def load(apps, schema_editor):
    from birlik.events.loader import load_catalogues

    load_catalogues(apps.get_model("events", "Programme"), apps.get_model("events", "Audience"))


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
