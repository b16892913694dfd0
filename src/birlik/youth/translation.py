from modeltranslation.translator import TranslationOptions, register

from .models import Cohort, Criterion, Question, Session, YouthProject


@register(YouthProject)
class YouthProjectTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("label", "options")


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name",)


@register(Cohort)
class CohortTranslation(TranslationOptions):
    fields = ("name",)


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("topic",)
