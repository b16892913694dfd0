from modeltranslation.translator import TranslationOptions, register

from .models import EthnicGroup, Organisation, OrganisationKind


@register(EthnicGroup)
class EthnicGroupTranslation(TranslationOptions):
    fields = ("name",)


@register(OrganisationKind)
class OrganisationKindTranslation(TranslationOptions):
    fields = ("name", "name_plural", "description")


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "description", "address", "opening_hours_note")
