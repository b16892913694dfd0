from modeltranslation.translator import TranslationOptions, register

from .models import Option, Question, Questionnaire, QuestionnaireVersion, Study, Survey


@register(Questionnaire)
class QuestionnaireTranslation(TranslationOptions):
    fields = ("title",)


@register(QuestionnaireVersion)
class VersionTranslation(TranslationOptions):
    fields = ("consent",)


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("text", "help", "label_min", "label_max")


@register(Option)
class OptionTranslation(TranslationOptions):
    fields = ("label",)


@register(Survey)
class SurveyTranslation(TranslationOptions):
    fields = ("title",)


@register(Study)
class StudyTranslation(TranslationOptions):
    fields = ("title", "findings")
