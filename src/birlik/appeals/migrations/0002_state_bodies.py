from django.db import migrations


def load(apps, schema_editor):
    from birlik.appeals.loader import load_state_bodies

    load_state_bodies(
        apps.get_model("appeals", "StateBody"),
        apps.get_model("geo", "Region"),
        apps.get_model("geo", "District"),
    )


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial"), ("geo", "0002_territory")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
