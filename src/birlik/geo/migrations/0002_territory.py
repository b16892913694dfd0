from django.db import migrations


def load(apps, schema_editor):
    from birlik.geo.loader import load_territory

    load_territory(apps.get_model("geo", "Region"), apps.get_model("geo", "District"))


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
