from django.utils import translation

from birlik.registry import services
from birlik.registry.models import Organisation

from ..factories import kind, region


def test_create_in_russian_keeps_each_language(network):
    with translation.override("ru"):
        body = services.organisation_create(
            actor=network.users["admin"],
            parent=network.pavlodar,
            kind=kind("mothers_council"),
            data={
                "name_kk": "Аналар кеңесі",
                "name_ru": "Совет матерей",
                "name_en": "Mothers",
                "region": region("KZ-55"),
            },
        )
    body = Organisation.objects.get(pk=body.pk)
    assert (body.name_kk, body.name_ru, body.name_en) == (
        "Аналар кеңесі",
        "Совет матерей",
        "Mothers",
    )
    with translation.override("ru"):
        assert (
            Organisation.objects.filter(pk=body.pk).order_by("name").first().name == "Совет матерей"
        )
