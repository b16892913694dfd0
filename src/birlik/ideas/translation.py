from modeltranslation.translator import TranslationOptions, register

from .models import Call, Category


@register(Category)
class CategoryTranslation(TranslationOptions):
    fields = ("name",)


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title", "description")
