from modeltranslation.translator import TranslationOptions, register

from .models import Call, Skill


@register(Skill)
class SkillTranslation(TranslationOptions):
    fields = ("name",)


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title", "description")
