from modeltranslation.translator import TranslationOptions, register

from .models import Plan


@register(Plan)
class PlanTranslation(TranslationOptions):
    fields = ("title",)
