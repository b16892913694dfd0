from modeltranslation.translator import TranslationOptions, register

from .models import Initiative


@register(Initiative)
class InitiativeTranslation(TranslationOptions):
    fields = ("title", "question", "act_title")
