from django.db import migrations


def load(apps, schema_editor):
    from birlik.registry.loader import load_ethnic_groups, load_kinds

    load_kinds(apps.get_model("registry", "OrganisationKind"))
    load_ethnic_groups(apps.get_model("registry", "EthnicGroup"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
