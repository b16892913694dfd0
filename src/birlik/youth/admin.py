"""Youth projects in the admin: the catalogue side only (projects, questions, criteria).
Applications carry personal data and are kept out of the admin."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from .models import Criterion, Question, YouthProject


class QuestionInline(TranslationTabularInline):
    model = Question
    extra = 0


class CriterionInline(TranslationTabularInline):
    model = Criterion
    extra = 0


@admin.register(YouthProject)
class YouthProjectAdmin(TranslationAdmin):
    list_display = ("title", "programme", "organisation", "is_active")
    list_filter = ("is_active", "programme")
    raw_id_fields = ("organisation",)
    inlines = (QuestionInline, CriterionInline)
