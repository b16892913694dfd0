from django.db import migrations


def load(apps, schema_editor):
    from birlik.events.loader import load_catalogues, load_programme_details

    programme = apps.get_model("events", "Programme")
    load_catalogues(programme, apps.get_model("events", "Audience"))
    load_programme_details(
        programme,
        apps.get_model("registry", "Organisation"),
        apps.get_model("appeals", "StateBody"),
    )


class Migration(migrations.Migration):
    """The programmes of issue 17 (state-language and youth programmes) and what the catalogue
    says of every programme: its kind, goal, body in charge and partners."""

    dependencies = [
        ("events", "0007_partnerorganisation_programmemembership_and_more"),
        ("appeals", "0006_appeal_rating_and_attachment_name"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
