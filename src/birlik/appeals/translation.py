from modeltranslation.translator import TranslationOptions, register

from .models import StateBody


@register(StateBody)
class StateBodyTranslation(TranslationOptions):
    fields = ("name",)
