"""Forms of the results pages: which table to show, a new margin set, a margins file, the
language of an export. They shape input; the rules (shares that sum to one, categories that
exist) live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.access.policies import prefix_q, roots
from birlik.registry.models import Organisation

from .policies import RESEARCHERS
from .results_tables import DIMENSIONS, dimension_name

LANGUAGES = (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English"))


def dimension_choices() -> list[tuple[str, str]]:
    """The breakdowns an estimate may have, in the order tables show them."""
    return [(dimension, dimension_name(dimension)) for dimension in DIMENSIONS]


class TableForm(forms.Form):
    """``?question=T1&dimension=region``: one question's estimates by one breakdown."""

    question = forms.ChoiceField(label=pgettext_lazy("results table", "Question"))
    dimension = forms.ChoiceField(label=_("Broken down by"), choices=dimension_choices)

    def __init__(self, *args: Any, questions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["question"]
        field.choices = questions
        field.error_messages["invalid_choice"] = _(
            "There is no estimate for the question %(value)s in this run: choose one of the list."
        )
        dimension: Any = self.fields["dimension"]
        dimension.error_messages["invalid_choice"] = _(
            "%(value)s is not a breakdown of the estimates: choose one of the list."
        )

    def chosen(self, default_question: str) -> tuple[str, str]:
        """The question and breakdown asked for; what was not understood falls back to the
        default (the page says so)."""
        if not self.is_bound:
            return default_question, "all"
        self.is_valid()
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        return data.get("question") or default_question, data.get("dimension") or "all"


def research_bodies(user: Any) -> Any:
    """The bodies a researcher works for: their grants' subtrees."""
    paths = roots(user, RESEARCHERS)
    if not paths:
        return Organisation.objects.none()
    return Organisation.objects.filter(prefix_q("path", paths)).order_by("path")


class BodyChoice(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class MarginSetForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("margin set", "Title"),
        max_length=200,
        help_text=_("For example: “Adults of Kazakhstan, 2026 (Bureau of National Statistics)”."),
    )
    organisation = BodyChoice(
        label=_("Body that keeps the margins"),
        queryset=Organisation.objects.none(),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = research_bodies(user)
        field: Any = self.fields["organisation"]
        field.queryset = bodies
        first = bodies.first()
        if first is not None and not self.is_bound:
            self.initial.setdefault("organisation", first.pk)


class MarginUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Margins file (CSV or XLSX)"),
        help_text=_(
            "Columns: dimension, category, share (or a count), source, as of. The blank file "
            "lists the 20 regions with their codes."
        ),
    )


class ExportForm(forms.Form):
    """``?lang=kk|ru|en``: the language of the labels in a ``.sav`` file."""

    lang = forms.ChoiceField(label=_("Language of the labels"), choices=LANGUAGES)
