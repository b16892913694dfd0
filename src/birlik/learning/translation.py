from modeltranslation.translator import TranslationOptions, register

from .models import Course, Module, Session, TrainingRule


@register(Course)
class CourseTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Module)
class ModuleTranslation(TranslationOptions):
    fields = ("title",)


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("topic",)


@register(TrainingRule)
class TrainingRuleTranslation(TranslationOptions):
    fields = ("name",)
