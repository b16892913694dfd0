"""Forms of the expert council's pages: plans, studies and their teams and reports,
recommendations and their answer and decision, the list's filters.

The forms read and clean what was typed and offer only what the user's scope allows; the
rules (second-person approval, the stages of a study, who answers) are the services'.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.appeals.models import StateBody
from birlik.core.forms import DateInput
from birlik.geo.models import Region
from birlik.registry.models import Organisation, Person

from . import services
from .models import Recommendation, Study, StudyMember, Survey

YEAR_HELP = _("A council or expert group has one research plan a year.")


class BodyChoiceField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class StateBodyChoiceField(forms.ModelChoiceField[StateBody]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class SurveyChoiceField(forms.ModelChoiceField[Survey]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.year})"


class ExpertChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


# --- Plans -------------------------------------------------------------------------------------


class PlanForm(forms.Form):
    organisation = BodyChoiceField(
        label=_("Council or expert group"), queryset=Organisation.objects.none()
    )
    year = forms.IntegerField(
        label=pgettext_lazy("research plan", "Year"),
        min_value=services.PLAN_YEARS[0],
        max_value=services.PLAN_YEARS[1],
        help_text=YEAR_HELP,
    )
    notes = forms.CharField(
        label=_("Notes on the plan"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, councils: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = councils  # type: ignore[attr-defined]


# --- Studies -----------------------------------------------------------------------------------


class StudyForm(forms.Form):
    """A study's description: its title in kk/ru/en (one at least), method, regions, survey."""

    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)
    method = forms.CharField(
        label=_("Method of the study"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the question is studied: a survey, interviews, focus groups, documents."),
    )
    regions: forms.ModelMultipleChoiceField[Region] = forms.ModelMultipleChoiceField(
        label=_("Regions studied"),
        queryset=Region.objects.order_by("kato"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    survey = SurveyChoiceField(
        label=_("Survey the study runs on"),
        queryset=Survey.objects.none(),
        required=False,
        empty_label=_("No survey"),
    )

    def __init__(self, *args: Any, surveys: QuerySet[Survey], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["survey"].queryset = surveys  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(f"title_{lang}") for lang in services.COUNCIL_LANGUAGES):
            self.add_error("title_kk", _("Give the title of the study."))
        return cleaned

    def titles(self) -> dict[str, str]:
        return {lang: self.cleaned_data[f"title_{lang}"] for lang in services.COUNCIL_LANGUAGES}


class StudyEditForm(StudyForm):
    """The description and, as the study goes on, its findings in kk/ru/en."""

    findings_kk = forms.CharField(
        label=_("Findings in Kazakh"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    findings_ru = forms.CharField(
        label=_("Findings in Russian"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    findings_en = forms.CharField(
        label=_("Findings in English"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def findings(self) -> dict[str, str]:
        return {lang: self.cleaned_data[f"findings_{lang}"] for lang in services.COUNCIL_LANGUAGES}


class StudyMoveForm(forms.Form):
    """Which stage the study moves to (one form per stage on the page)."""

    to = forms.ChoiceField(choices=Study.Status.choices, widget=forms.HiddenInput)


class TeamAddForm(forms.Form):
    person = ExpertChoiceField(label=_("Expert"), queryset=Person.objects.none())
    role = forms.ChoiceField(
        label=_("Role in the team"),
        choices=StudyMember.Role.choices,
        initial=StudyMember.Role.MEMBER,
    )

    def __init__(self, *args: Any, experts: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = experts  # type: ignore[attr-defined]


class ExpertSearchForm(forms.Form):
    expert = forms.CharField(label=_("Find an expert by name"), max_length=100, required=False)


class ReportForm(forms.Form):
    file = forms.FileField(label=_("Report file"))

    def __init__(self, *args: Any, size_mb: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF or a Word (DOCX) file, up to %(size)s MB.") % {
            "size": size_mb
        }


# --- Recommendations ---------------------------------------------------------------------------

ADDRESSEE_BODY = "body"
ADDRESSEE_STATE_BODY = "state_body"
ADDRESSEE_CHOICES = [
    (ADDRESSEE_BODY, _("An Assembly body")),
    (ADDRESSEE_STATE_BODY, _("A state body")),
]


class RecommendationForm(forms.Form):
    organisation = BodyChoiceField(
        label=_("Council or expert group"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Title of the recommendation"), max_length=300)
    text = forms.CharField(
        label=_("Recommendation and its grounds"), widget=forms.Textarea(attrs={"rows": 10})
    )
    addressee = forms.ChoiceField(
        label=_("Addressed to"),
        choices=ADDRESSEE_CHOICES,
        initial=ADDRESSEE_BODY,
        widget=forms.RadioSelect,
    )
    to_body = BodyChoiceField(
        label=_("Assembly body"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Bodies of the council's region; the national council addresses any body."),
    )
    to_state_body = StateBodyChoiceField(
        label=pgettext_lazy("recommendation addressee", "State body"),
        queryset=StateBody.objects.none(),
        required=False,
        help_text=_("Ministries and the state bodies of the council's region."),
    )

    def __init__(
        self,
        *args: Any,
        councils: QuerySet[Organisation],
        bodies: QuerySet[Organisation],
        state_bodies: QuerySet[StateBody],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = councils  # type: ignore[attr-defined]
        self.fields["to_body"].queryset = bodies  # type: ignore[attr-defined]
        self.fields["to_state_body"].queryset = state_bodies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("addressee") == ADDRESSEE_STATE_BODY:
            cleaned["to_body"] = None
            if not cleaned.get("to_state_body") and "to_state_body" not in self.errors:
                self.add_error("to_state_body", _("Choose the state body."))
        else:
            cleaned["to_state_body"] = None
            if not cleaned.get("to_body") and "to_body" not in self.errors:
                self.add_error("to_body", _("Choose the Assembly body."))
        return cleaned


class SendForm(forms.Form):
    response_due = forms.DateField(
        label=_("Answer due"),
        required=False,
        widget=DateInput(),
        help_text=_("If left empty: 15 working days after today."),
    )


class AnswerForm(forms.Form):
    answered_on = forms.DateField(
        label=pgettext_lazy("recommendation", "Answered on"), widget=DateInput()
    )
    response_text = forms.CharField(
        label=_("What the answer says"), widget=forms.Textarea(attrs={"rows": 6})
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision on the recommendation"),
        choices=Recommendation.Decision.choices,
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    actions_taken = forms.CharField(
        label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class RecommendationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", pgettext_lazy("filter", "Any status")), *Recommendation.Status.choices],
    )
    addressee = forms.ChoiceField(
        label=_("Addressed to"),
        required=False,
        choices=[("", _("Any addressee")), *ADDRESSEE_CHOICES],
    )
    queue = forms.ChoiceField(
        label=_("Waiting for"),
        required=False,
        choices=[
            ("", _("Anyone")),
            ("to_answer", _("An answer you record")),
            ("to_decide", _("A decision of your council")),
        ],
    )
    overdue = forms.BooleanField(label=_("Only those with the answer overdue"), required=False)

    def filters(self) -> dict[str, Any]:
        """The understood filters (a value that does not fit is left out, and shown as an
        error on the form)."""
        empty: dict[str, Any] = {"status": "", "addressee": "", "queue": "", "overdue": False}
        if self.is_bound:
            self.is_valid()  # keeps the valid fields in cleaned_data
        cleaned = getattr(self, "cleaned_data", {})
        return {key: cleaned.get(key, default) or default for key, default in empty.items()}
