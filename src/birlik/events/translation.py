from modeltranslation.translator import TranslationOptions, register

from .models import Audience, Event, Programme


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Audience)
class AudienceTranslation(TranslationOptions):
    fields = ("name",)


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description", "address")
