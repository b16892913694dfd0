"""Forms of the questionnaire builder and of survey waves. They read what a form can (lines of
options, a condition, numbers); the rules are the services'."""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.access import policies
from birlik.core.forms import DateInput
from birlik.geo.models import Region
from birlik.registry.models import Organisation

from . import queries
from .models import MarginSet, Mode, Question, QuestionnaireVersion, Survey
from .services import BUILD_LANGUAGES, OptionSpec, QuestionData, SurveyData

LANGUAGE_NAMES = {
    "kk": pgettext_lazy("in language", "in Kazakh"),
    "ru": pgettext_lazy("in language", "in Russian"),
    "en": pgettext_lazy("in language", "in English"),
}
OPERATORS = [
    ("eq", pgettext_lazy("skip condition", "is")),
    ("ne", pgettext_lazy("skip condition", "is not")),
    ("in", pgettext_lazy("skip condition", "is one of")),
    ("gte", pgettext_lazy("skip condition", "is at least")),
    ("lte", pgettext_lazy("skip condition", "is at most")),
    ("answered", pgettext_lazy("skip condition", "is answered")),
]
SEPARATOR = "|"
LINE = re.compile(r"^\s*(?P<code>[^=|]+?)\s*=\s*(?P<labels>.*)$")
EXAMPLE_LINE = "1 = Иә | Да | Yes"


def _texts(data: dict[str, Any], prefix: str) -> dict[str, str]:
    return {lang: (data.get(f"{prefix}_{lang}") or "").strip() for lang in BUILD_LANGUAGES}


def option_lines(specs: Any) -> str:
    """Options (or rows) as the lines the form edits: ``code = kk | ru | en``."""
    return "\n".join(
        f"{option.code} = "
        + " | ".join(getattr(option, f"label_{lang}") or "" for lang in BUILD_LANGUAGES)
        for option in specs
    )


def parse_option_lines(text: str) -> tuple[tuple[OptionSpec, ...], str]:
    """Options from lines ``code = label kk | label ru | label en``: (options, error)."""
    specs: list[OptionSpec] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = LINE.match(line)
        if match is None:
            return (), str(
                _(
                    "Line %(number)s is not understood: write the code, “=”, then the labels in "
                    "Kazakh, Russian and English separated by %(bar)s."
                )
                % {"number": number, "bar": f"“{SEPARATOR}”"}
            )
        labels = [part.strip() for part in match["labels"].split(SEPARATOR)]
        if len(labels) > len(BUILD_LANGUAGES):
            return (), str(_("Line %(number)s has more than three labels.") % {"number": number})
        labels += [""] * (len(BUILD_LANGUAGES) - len(labels))
        specs.append(
            OptionSpec(match["code"].strip(), dict(zip(BUILD_LANGUAGES, labels, strict=True)))
        )
    return tuple(specs), ""


def _multilingual(
    form: forms.Form, prefix: str, label: Any, *, textarea: bool = False, max_length: int = 300
) -> None:
    for lang in BUILD_LANGUAGES:
        widget = forms.Textarea(attrs={"rows": 2}) if textarea else None
        form.fields[f"{prefix}_{lang}"] = forms.CharField(
            label=f"{label} ({LANGUAGE_NAMES[lang]})",
            required=False,
            max_length=max_length,
            widget=widget,
        )


# --- Lists ---------------------------------------------------------------------------------------


class SurveyFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *Survey.Status.choices],
        required=False,
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    q = forms.CharField(label=_("Title or address"), max_length=200, required=False)

    def filters(self) -> dict[str, Any]:
        """The filters that were understood (a bad value is left out, with its message)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "status": cleaned.get("status") or "",
            "year": cleaned.get("year"),
            "search": cleaned.get("q") or "",
        }


class QuestionnaireFilterForm(forms.Form):
    q = forms.CharField(label=_("Code or title"), max_length=200, required=False)

    def search(self) -> str:
        return str(self.cleaned_data.get("q") or "") if self.is_valid() else ""


# --- Questionnaires ------------------------------------------------------------------------------


class QuestionnaireForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Body"), queryset=Organisation.objects.none())
    code = forms.CharField(
        label=_("Code of the questionnaire"),
        max_length=40,
        help_text=_("Latin letters, digits, hyphens and underscores, such as trust-2026."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["organisation"]
        field.queryset = queries.research_bodies(user)
        _multilingual(self, "title", _("Title"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(_texts(cleaned, "title").values()):
            self.add_error("title_kk", _("Give the questionnaire a title."))
        return cleaned

    def titles(self) -> dict[str, str]:
        return _texts(self.cleaned_data, "title")


class ConsentForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _multilingual(self, "consent", _("Consent text"), textarea=True, max_length=5000)
        for lang in BUILD_LANGUAGES:
            self.fields[f"consent_{lang}"].widget.attrs["rows"] = 5

    def texts(self) -> dict[str, str]:
        return _texts(self.cleaned_data, "consent")


def consent_initial(version: QuestionnaireVersion) -> dict[str, str]:
    return {f"consent_{lang}": getattr(version, f"consent_{lang}") for lang in BUILD_LANGUAGES}


# --- Questions -----------------------------------------------------------------------------------


class QuestionForm(forms.Form):
    """A question with its texts, options (one per line), scale or range, demographic role and
    skip condition (simple, or a JSON tree for the advanced)."""

    code = forms.CharField(
        label=_("Code of the question"),
        max_length=30,
        help_text=_("Stays the same in every version: the column name in answers and exports."),
    )
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    rows = forms.CharField(
        label=_("Rows of the matrix"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Only for a matrix; written like the options. Each row is answered on the scale."
        ),
    )
    scale_min = forms.IntegerField(label=_("Scale from"), required=False)
    scale_max = forms.IntegerField(label=_("Scale to"), required=False)
    number_min = forms.DecimalField(
        label=_("Smallest number"), required=False, max_digits=14, decimal_places=2
    )
    number_max = forms.DecimalField(
        label=_("Largest number"), required=False, max_digits=14, decimal_places=2
    )
    role = forms.ChoiceField(
        label=_("Demographic role"),
        choices=Question.Role.choices,
        required=False,
        help_text=_(
            "The answer fills this column of the response, used for weighting and breakdowns; "
            "the option codes must be the column's codes (regions by ISO code, ethnic groups by "
            "their code)."
        ),
    )
    condition_question = forms.ChoiceField(
        label=_("Shown only when question"), required=False, choices=()
    )
    condition_operator = forms.ChoiceField(
        label=pgettext_lazy("skip condition", "Comparison"), choices=OPERATORS, required=False
    )
    condition_value = forms.CharField(
        label=pgettext_lazy("skip condition", "Value"),
        required=False,
        max_length=300,
        help_text=_("An option code or a number; for “is one of”, codes separated by “;”."),
    )
    condition_json = forms.CharField(
        label=_("Condition as JSON (advanced)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Replaces the simple condition when filled. For example: "
            '{"all": [{"q": "Q1", "op": "eq", "v": "1"}, {"q": "Q2", "op": "gte", "v": 3}]}'
        ),
    )

    TEXT_FIELDS = ("text", "help", "label_min", "label_max")

    def __init__(self, *args: Any, earlier: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["options"].help_text = _(
            "One per line: the code, “=”, then the labels in Kazakh, Russian and English "
            "separated by %(bar)s, such as %(example)s. For a scale, a number or a matrix: only "
            "the codes of “don't know” and “refusal” (88, 99)."
        ) % {"bar": f"“{SEPARATOR}”", "example": f"“{EXAMPLE_LINE}”"}
        _multilingual(self, "text", _("Question"), textarea=True, max_length=2000)
        _multilingual(self, "help", _("Hint"), max_length=1000)
        _multilingual(self, "label_min", _("Label of the lowest point"), max_length=200)
        _multilingual(self, "label_max", _("Label of the highest point"), max_length=200)
        field: Any = self.fields["condition_question"]
        field.choices = [
            ("", _("always shown")),
            *((q.code, f"{q.code}. {q.text}"[:120]) for q in earlier),
        ]
        self.show_if: Any = None

    def _condition(self, cleaned: dict[str, Any]) -> Any:
        advanced = (cleaned.get("condition_json") or "").strip()
        if advanced:
            try:
                tree = json.loads(advanced)
            except ValueError:
                self.add_error("condition_json", _("The condition is not valid JSON."))
                return None
            if not isinstance(tree, dict):
                self.add_error("condition_json", _("The condition is not understood."))
                return None
            return tree or None
        code = cleaned.get("condition_question") or ""
        if not code:
            return None
        op = cleaned.get("condition_operator") or "eq"
        raw = (cleaned.get("condition_value") or "").strip()
        if op == "answered":
            return {"q": code, "op": op}
        if not raw:
            self.add_error("condition_value", _("Give the value to compare with."))
            return None
        if op == "in":
            values = [part.strip() for part in raw.replace(",", ";").split(";") if part.strip()]
            return {"q": code, "op": op, "v": values}
        if op in ("gte", "lte"):
            try:
                number = Decimal(raw.replace(",", "."))
            except InvalidOperation:
                number = Decimal("NaN")
            if not number.is_finite():
                self.add_error("condition_value", _("Give a number to compare with."))
                return None
            value: Any = int(number) if number == number.to_integral_value() else float(number)
            return {"q": code, "op": op, "v": value}
        return {"q": code, "op": op, "v": raw}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("options", "rows"):
            specs, error = parse_option_lines(cleaned.get(name) or "")
            if error:
                self.add_error(name, error)
            cleaned[f"{name}_specs"] = specs
        self.show_if = self._condition(cleaned)
        return cleaned

    def data_for_service(self) -> QuestionData:
        cleaned = self.cleaned_data
        return QuestionData(
            code=cleaned["code"],
            kind=cleaned["kind"],
            text=_texts(cleaned, "text"),
            help=_texts(cleaned, "help"),
            required=bool(cleaned.get("required")),
            scale_min=cleaned.get("scale_min"),
            scale_max=cleaned.get("scale_max"),
            label_min=_texts(cleaned, "label_min"),
            label_max=_texts(cleaned, "label_max"),
            number_min=cleaned.get("number_min"),
            number_max=cleaned.get("number_max"),
            role=cleaned.get("role") or "",
            show_if=self.show_if,
            options=cleaned.get("options_specs", ()),
            rows=cleaned.get("rows_specs", ()),
        )


def question_initial(question: Question) -> dict[str, Any]:
    """The form's values for an existing question (a condition other than one comparison goes
    to the JSON field)."""
    options = [o for o in question.options.all() if o.kind == o.Kind.CHOICE]
    rows = [o for o in question.options.all() if o.kind == o.Kind.ROW]
    initial: dict[str, Any] = {
        "code": question.code,
        "kind": question.kind,
        "required": question.required,
        "options": option_lines(options),
        "rows": option_lines(rows),
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "number_min": question.number_min,
        "number_max": question.number_max,
        "role": question.role,
    }
    for name in QuestionForm.TEXT_FIELDS:
        for lang in BUILD_LANGUAGES:
            initial[f"{name}_{lang}"] = getattr(question, f"{name}_{lang}") or ""
    condition = question.show_if
    if isinstance(condition, dict) and set(condition) <= {"q", "op", "v"} and "q" in condition:
        initial["condition_question"] = condition["q"]
        initial["condition_operator"] = condition.get("op", "eq")
        value = condition.get("v", "")
        initial["condition_value"] = (
            "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
        )
    elif condition:
        initial["condition_json"] = json.dumps(condition, ensure_ascii=False)
    return initial


# --- Survey waves --------------------------------------------------------------------------------


class VersionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.questionnaire.code} v{obj.number} — {obj.questionnaire.title}"


class SurveyForm(forms.Form):
    """A wave's settings; the questionnaire version and the body are chosen only when it is
    made."""

    slug = forms.CharField(
        label=_("Address of the public page"),
        max_length=60,
        help_text=_("Latin letters, digits and hyphens, such as trust-2026-1."),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    wave = forms.IntegerField(label=_("Wave"), min_value=1, max_value=99, initial=1)
    starts_on = forms.DateField(label=_("Fieldwork from"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Fieldwork to"), required=False, widget=DateInput())
    modes = forms.MultipleChoiceField(
        label=_("Ways of collecting"),
        choices=Mode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    regions: forms.ModelMultipleChoiceField[Region] = forms.ModelMultipleChoiceField(
        label=_("Regions covered"),
        queryset=Region.objects.order_by("kato"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the whole country."),
    )
    is_trust_index = forms.BooleanField(
        label=_("Measures the interethnic trust index"),
        required=False,
        help_text=_("The questionnaire must hold the five items T1–T5 on a 0–10 scale."),
    )
    margin_set = forms.ModelChoiceField(
        label=_("Population margins"),
        queryset=MarginSet.objects.none(),
        required=False,
        empty_label=_("Not chosen yet"),
    )
    trim_cap = forms.DecimalField(
        label=_("Largest weight (times the mean)"),
        min_value=Decimal("1.5"),
        max_value=Decimal(10),
        max_digits=5,
        decimal_places=2,
        initial=Decimal(4),
    )
    min_cell = forms.IntegerField(
        label=_("Fewest respondents to publish a cell"), min_value=10, initial=50
    )
    caution_cell = forms.IntegerField(
        label=_("Fewest respondents to publish without caution"), min_value=10, initial=100
    )
    interviewers = forms.CharField(
        label=_("Interviewers"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Usernames of their accounts, separated by commas or spaces. Only accounts holding "
            "a role in the network of the body that conducts the survey can be named."
        ),
    )

    def __init__(self, *args: Any, user: Any, survey: Survey | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if survey is None:
            self.fields["version"] = VersionChoiceField(
                label=_("Questionnaire version"),
                queryset=queries.launched_versions(user),
                help_text=_("Only launched versions can be used."),
            )
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Conducted by"), queryset=queries.research_bodies(user)
            )
            self.order_fields(["version", "organisation"])
        _multilingual(self, "title", _("Title"))
        self.order_fields(
            ["version", "organisation", "title_kk", "title_ru", "title_en", *self.base_fields]
        )
        margins: Any = self.fields["margin_set"]
        margins.queryset = policies.scoped(MarginSet.objects.all(), user).order_by("-created_at")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("min_cell"), cleaned.get("caution_cell")
        if low is not None and high is not None and high < low:
            self.add_error(
                "caution_cell",
                _("The number for publishing without caution cannot be below the smallest cell."),
            )
        return cleaned

    def data_for_service(self) -> SurveyData:
        cleaned = self.cleaned_data
        names = re.split(r"[\s,;]+", cleaned.get("interviewers") or "")
        return SurveyData(
            title=_texts(cleaned, "title"),
            slug=cleaned["slug"],
            year=cleaned["year"],
            wave=cleaned["wave"],
            starts_on=cleaned.get("starts_on"),
            ends_on=cleaned.get("ends_on"),
            modes=tuple(cleaned.get("modes") or ()),
            regions=tuple(cleaned.get("regions") or ()),
            is_trust_index=bool(cleaned.get("is_trust_index")),
            margin_set=cleaned.get("margin_set"),
            trim_cap=cleaned["trim_cap"],
            min_cell=cleaned["min_cell"],
            caution_cell=cleaned["caution_cell"],
            interviewers=tuple(name for name in names if name),
        )


def survey_initial(survey: Survey) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "slug": survey.slug,
        "year": survey.year,
        "wave": survey.wave,
        "starts_on": survey.starts_on,
        "ends_on": survey.ends_on,
        "modes": list(survey.modes),
        "regions": list(survey.regions.all()),
        "is_trust_index": survey.is_trust_index,
        "margin_set": survey.margin_set_id,
        "trim_cap": survey.trim_cap,
        "min_cell": survey.min_cell,
        "caution_cell": survey.caution_cell,
        "interviewers": " ".join(sorted(user.username for user in survey.interviewers.all())),
    }
    for lang in BUILD_LANGUAGES:
        initial[f"title_{lang}"] = getattr(survey, f"title_{lang}") or ""
    return initial


class InvitationsForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of invitations"),
        min_value=1,
        max_value=5000,
        initial=100,
        help_text=_(
            "Each invitation is a link answered once. The links are shown only once, right "
            "after they are made: save them or download them as a file."
        ),
    )
