"""The answer form of a questionnaire version, server-rendered (no script needed): one field per
question named by its code (a matrix: one per row, ``<code>__<row>``), in the language of the
page. The form only reads what was typed; ``services.response_check`` is the one judge of the
answers (required when visible, ranges, options), so the fields are never required here.

The public link adds the consent box; paper entry adds the paper's number and its language.
The filters of the responses list and the exclusion form live here too.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Mode, Option, Question, QuestionnaireVersion
from .services import DURATION_CAP_SECONDS, MATRIX_ROW_SEPARATOR, TEXT_MAX_LENGTH

CONSENT = "sv_consent"
STARTED = "sv_started"
PAPER_NUMBER = "sv_paper_number"
PAPER_LANGUAGE = "sv_language"
TRAP = "sv_website"
OWN_FIELDS = (CONSENT, STARTED, PAPER_NUMBER, PAPER_LANGUAGE, TRAP)
STARTED_SALT = "birlik.surveys.started"
# Single choices with more options than this are a drop-down list, not radio buttons.
RADIO_LIMIT = 8


def _text(obj: Any, name: str, language: str) -> str:
    """A translated field in ``language``, falling back to the order modeltranslation uses."""
    for code in (language, *settings.MODELTRANSLATION_FALLBACK_LANGUAGES.get(language, ())):
        value = getattr(obj, f"{name}_{code}", "") or ""
        if value:
            return str(value)
    return str(getattr(obj, name, "") or "")


def started_token(survey_pk: int) -> str:
    """A signed stamp of when the form was first shown (the only clock of a web answer)."""
    return signing.dumps({"s": survey_pk, "t": int(time.time())}, salt=STARTED_SALT)


def duration_from(token: str, survey_pk: int) -> int | None:
    """Seconds since the stamp was made, capped at a day; None when it is missing or forged."""
    try:
        data = signing.loads(str(token or ""), salt=STARTED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != survey_pk:
        return None
    started = data.get("t")
    if not isinstance(started, int):
        return None
    return max(0, min(int(time.time()) - started, DURATION_CAP_SECONDS))


class _AnyChoice(forms.ChoiceField):
    """Offers its choices but lets any value through: ``response_check`` judges it, with the
    same message for every way answers come in."""

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class _AnyChoices(forms.MultipleChoiceField):
    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class AnswerForm(forms.Form):
    """A questionnaire as a form. ``blocks()`` gives what the template renders per question;
    ``raw()`` the typed answers for ``response_check``; ``show_check_errors`` puts the
    check's messages back on their questions."""

    def __init__(
        self,
        version: QuestionnaireVersion,
        language: str,
        data: Mapping[str, Any] | None = None,
        *,
        consent: bool = True,
        paper: bool = False,
        survey_pk: int | None = None,
    ) -> None:
        super().__init__(data, auto_id="id_%s")
        self.version = version
        self.language = language
        self.questions: list[Question] = list(
            version.questions.prefetch_related("options").order_by("order", "id")
        )
        self.question_errors: dict[str, str] = {}
        self.consent_text = _text(version, "consent", language)
        with translation.override(language):
            for question in self.questions:
                self._add_question(question)
            if paper:
                self.fields[PAPER_NUMBER] = forms.CharField(
                    label=_("Number of the paper questionnaire"),
                    max_length=60,
                    help_text=_(
                        "As written on the paper. The same number cannot be entered twice."
                    ),
                )
                self.fields[PAPER_LANGUAGE] = forms.ChoiceField(
                    label=_("Language of the paper questionnaire"),
                    choices=settings.LANGUAGES,
                    initial=language,
                )
            if consent:
                self.fields[CONSENT] = forms.BooleanField(
                    label=_("I have read this and agree to answer"),
                    required=True,
                    error_messages={"required": _("Tick the box to agree before answering.")},
                )
                self.fields[STARTED] = forms.CharField(
                    required=False,
                    widget=forms.HiddenInput,
                    initial=started_token(survey_pk) if survey_pk is not None else "",
                )
                # A trap for robots, out of the tab order (its box is hidden from people).
                self.fields[TRAP] = forms.CharField(
                    label=_("Leave this field empty"),
                    required=False,
                    max_length=200,
                    widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
                )

    # --- Building ------------------------------------------------------------------------------

    def _options(self, question: Question, kind: str) -> list[Option]:
        return [o for o in question.options.all() if o.kind == kind]

    def _scale_choices(self, question: Question) -> list[tuple[str, str]]:
        low, high = question.scale_min, question.scale_max
        choices: list[tuple[str, str]] = []
        if low is not None and high is not None and low <= high:
            label_min = _text(question, "label_min", self.language)
            label_max = _text(question, "label_max", self.language)
            for point in range(low, high + 1):
                label = str(point)
                if point == low and label_min:
                    label = f"{point} — {label_min}"
                elif point == high and label_max:
                    label = f"{point} — {label_max}"
                choices.append((str(point), label))
        for option in self._options(question, Option.Kind.CHOICE):
            choices.append((option.code, _text(option, "label", self.language)))
        return choices

    def _add_question(self, question: Question) -> None:
        label = _text(question, "text", self.language)
        hint = _text(question, "help", self.language)
        kind = question.kind
        field: forms.Field
        if kind == Question.Kind.MATRIX:
            choices = self._scale_choices(question)
            for row in self._options(question, Option.Kind.ROW):
                name = f"{question.code}{MATRIX_ROW_SEPARATOR}{row.code}"
                self.fields[name] = _AnyChoice(
                    label=_text(row, "label", self.language),
                    choices=choices,
                    required=False,
                    widget=forms.RadioSelect,
                )
            return
        if kind == Question.Kind.SINGLE:
            options = [
                (o.code, _text(o, "label", self.language))
                for o in self._options(question, Option.Kind.CHOICE)
            ]
            if len(options) > RADIO_LIMIT:
                field = _AnyChoice(
                    choices=[("", pgettext_lazy("answer", "— choose —")), *options],
                    required=False,
                )
            else:
                field = _AnyChoice(choices=options, required=False, widget=forms.RadioSelect)
        elif kind == Question.Kind.MULTIPLE:
            field = _AnyChoices(
                choices=[
                    (o.code, _text(o, "label", self.language))
                    for o in self._options(question, Option.Kind.CHOICE)
                ],
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        elif kind == Question.Kind.SCALE:
            field = _AnyChoice(
                choices=self._scale_choices(question), required=False, widget=forms.RadioSelect
            )
        elif kind == Question.Kind.NUMBER:
            field = forms.CharField(
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        else:
            field = forms.CharField(
                required=False,
                widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX_LENGTH}),
                strip=True,
            )
        field.label = label
        field.help_text = hint
        self.fields[question.code] = field

    # --- Reading -------------------------------------------------------------------------------

    def field_names(self, question: Question) -> list[str]:
        if question.kind == Question.Kind.MATRIX:
            return [
                f"{question.code}{MATRIX_ROW_SEPARATOR}{row.code}"
                for row in self._options(question, Option.Kind.ROW)
            ]
        return [question.code]

    def raw(self) -> dict[str, Any]:
        """What was typed, by field name (matrix rows as ``<code>__<row>``)."""
        data = getattr(self, "cleaned_data", {})
        return {
            name: value
            for name, value in data.items()
            if name not in OWN_FIELDS and value not in (None, "", [])
        }

    def show_check_errors(self, errors: Mapping[str, str]) -> None:
        """The check's messages: on their questions, or on the whole form ("")."""
        for code, message in errors.items():
            if code in self.fields or any(q.code == code for q in self.questions):
                self.question_errors[code] = message
            else:
                self.add_error(None, message)

    def has_problems(self) -> bool:
        return bool(self.errors or self.question_errors)

    def blocks(self) -> list[dict[str, Any]]:
        """Per question: its code, anchor, text, hint, kind, whether it is required, the
        condition that shows it (JSON for the page's script), the bound fields, its error."""
        found = []
        for question in self.questions:
            names = self.field_names(question)
            errors = (
                [self.question_errors[question.code]]
                if question.code in self.question_errors
                else []
            )
            for name in names:
                errors.extend(str(e) for e in self.errors.get(name, []))
            found.append(
                {
                    "question": question,
                    "code": question.code,
                    "anchor": f"q-{question.code}",
                    "first_id": f"id_{names[0]}" if names else "",
                    "text": _text(question, "text", self.language),
                    "help": _text(question, "help", self.language),
                    "kind": question.kind,
                    "required": question.required,
                    "show_if": json.dumps(question.show_if) if question.show_if else "",
                    "fields": [self[name] for name in names],
                    "errors": errors,
                }
            )
        return found

    def summary(self) -> list[dict[str, str]]:
        """The problems for the list at the top of the page, each linking to its question."""
        items = [{"anchor": "", "label": "", "message": str(e)} for e in self.non_field_errors()]
        for block in self.blocks():
            for message in block["errors"]:
                items.append(
                    {"anchor": block["anchor"], "label": block["text"], "message": message}
                )
        for name in (PAPER_NUMBER, PAPER_LANGUAGE, CONSENT):
            if name in self.fields:
                for error in self.errors.get(name, []):
                    items.append(
                        {
                            "anchor": f"id_{name}",
                            "label": str(self.fields[name].label),
                            "message": str(error),
                        }
                    )
        return items


def answer_form(
    version: QuestionnaireVersion,
    language: str,
    data: Mapping[str, Any] | None = None,
    *,
    consent: bool = True,
    paper: bool = False,
    survey_pk: int | None = None,
) -> AnswerForm:
    """The answer form of ``version`` in ``language`` (bound when ``data`` is given)."""
    return AnswerForm(version, language, data, consent=consent, paper=paper, survey_pk=survey_pk)


# --- The responses list ------------------------------------------------------------------------

FLAG_LABELS = {
    "speeding": _("answered too fast"),
    "straightlining": _("same answer on every row"),
    "duplicate": pgettext_lazy("quality flag", "possible repeat"),
}


def flag_labels(flags: Any) -> list[str]:
    """The quality flags a response carries, as words (never colour alone)."""
    if not isinstance(flags, dict):
        return []
    return [str(label) for name, label in FLAG_LABELS.items() if flags.get(name)]


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


class ResponseFilterForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Way of collecting"),
        required=False,
        choices=[("", pgettext_lazy("filter", "Any way")), *Mode.choices],
    )
    flag = forms.ChoiceField(
        label=pgettext_lazy("filter", "Quality flag"),
        required=False,
        choices=[
            ("", pgettext_lazy("filter", "Any, or none")),
            *FLAG_LABELS.items(),
        ],
    )
    excluded = forms.ChoiceField(
        label=_("Excluded from the analysis"),
        required=False,
        choices=[
            ("", pgettext_lazy("filter", "Included and excluded")),
            ("no", pgettext_lazy("filter", "only included")),
            ("yes", pgettext_lazy("filter", "only excluded")),
        ],
    )

    def filters(self) -> dict[str, Any]:
        """The understood filters (a value that does not fit is left out and shown)."""
        if self.is_bound:
            self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        excluded = {"yes": True, "no": False}.get(cleaned.get("excluded", ""))
        return {
            "mode": cleaned.get("mode", ""),
            "flag": cleaned.get("flag", ""),
            "excluded": excluded,
        }


class ExcludeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is left out of the analysis"),
        max_length=300,
        help_text=_("For example: answered in under a minute, the same answers as another."),
    )
