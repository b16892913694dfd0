from modeltranslation.translator import TranslationOptions, register

from .models import Audience, Event, PartnerOrganisation, Programme, ProgrammePartner


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name", "description", "goal")


@register(Audience)
class AudienceTranslation(TranslationOptions):
    fields = ("name",)


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description", "address")


# --- (programmes)


@register(PartnerOrganisation)
class PartnerOrganisationTranslation(TranslationOptions):
    fields = ("name",)


@register(ProgrammePartner)
class ProgrammePartnerTranslation(TranslationOptions):
    fields = ("role",)
