from modeltranslation.translator import TranslationOptions, register

from .models import Project, Story


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title",)


@register(Story)
class StoryTranslation(TranslationOptions):
    fields = ("text",)
