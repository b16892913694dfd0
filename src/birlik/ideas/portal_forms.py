"""Forms of the public ideas pages: the list's search and filters, and the submit form. They
shape input; the rules (phases, categories of a call, images) live in ``services``."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core import uploads
from birlik.geo.models import Region

from . import queries
from .models import LANGUAGES, Call, Category

SORTS = [
    ("new", pgettext_lazy("ideas sort", "Newest first")),
    ("supported", pgettext_lazy("ideas sort", "Most supported first")),
]
ANSWER_WAITING = "waiting"
ANSWER_GIVEN = "answered"
ANSWER_ACCEPTED = "accepted"
ANSWER_IMPLEMENTED = "implemented"
ANSWERS = [
    ("", pgettext_lazy("ideas answer filter", "Any")),
    (ANSWER_WAITING, pgettext_lazy("ideas answer filter", "Waiting for the official answer")),
    (ANSWER_GIVEN, pgettext_lazy("ideas answer filter", "Answered")),
    (ANSWER_ACCEPTED, pgettext_lazy("ideas answer filter", "Accepted")),
    (ANSWER_IMPLEMENTED, pgettext_lazy("ideas answer filter", "Implemented")),
]


class CallChoiceField(forms.ModelChoiceField[Call]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class IdeaFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    call = CallChoiceField(
        label=_("Call for ideas"),
        queryset=Call.objects.filter(status=Call.Status.OPEN),
        required=False,
        empty_label=pgettext_lazy("ideas call filter", "All calls and the open platform"),
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
    )
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=pgettext_lazy("ideas", "Category"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        empty_label=pgettext_lazy("ideas category filter", "All categories"),
    )
    answer = forms.ChoiceField(label=_("Official answer"), choices=ANSWERS, required=False)
    sort = forms.ChoiceField(label=_("Order"), choices=SORTS, required=False)


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Up to ``MAX_IMAGES`` files; their content is checked by the service."""

    widget = MultipleImageInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(ImagesField, self).clean(item, initial) for item in files if item]


class IdeaForm(forms.Form):
    call = CallChoiceField(
        label=_("Call for ideas"),
        queryset=Call.objects.none(),
        required=False,
        empty_label=_("No call: the open platform"),
        help_text=_("Calls that are collecting ideas now."),
    )
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=pgettext_lazy("ideas", "Category"),
        queryset=Category.objects.filter(is_active=True),
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Not tied to a region"),
        help_text=_("The assembly of the region answers ideas of the open platform."),
    )
    language = forms.ChoiceField(label=_("Language of the idea"), choices=LANGUAGES)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        min_length=5,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("In a few words: what you propose."),
    )
    problem = forms.CharField(
        label=_("The problem"),
        max_length=5000,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is wrong today, and for whom."),
    )
    solution = forms.CharField(
        label=_("The proposed solution"),
        max_length=5000,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What should be done, by whom, and what it would change."),
    )
    images = ImagesField(
        label=_("Images"),
        required=False,
        widget=MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        call_field = cast(CallChoiceField, self.fields["call"])
        call_field.queryset = queries.calls_collecting(on=timezone.localdate()).order_by(
            "collect_until", "pk"
        )
        language = (translation.get_language() or "kk")[:2]
        self.fields["language"].initial = language if language in dict(LANGUAGES) else "kk"
        self.fields["images"].help_text = _(
            "Up to %(count)s photos (JPEG, PNG or WebP), each at most %(size)s MB."
        ) % {
            "count": 3,
            "size": uploads.limit_megabytes(uploads.ATTACHMENT_LIMIT),
        }


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Number of the idea to keep"),
        max_length=20,
        help_text=_("For example ИД-2026-00042. Its supports stay; this idea's are added."),
    )
