"""Forms of the initiatives' pages. They shape input and offer only what the user may pick (the
raising bodies of their staff scope, the body's current members, the state bodies that take
initiatives); the rules live in ``deputies.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.access.models import User
from birlik.appeals.models import StateBody
from birlik.core.forms import DateInput
from birlik.core.workdays import legal_today
from birlik.registry.models import Organisation, Person

from . import queries
from .models import ACT_KINDS_BY_LEVEL, ActKind, Initiative, Level, Stage
from .services import MOVES

LANG_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
LANGS = tuple(LANG_NAMES)
YEARS = (2000, 2100)


def _in_language(label: Any, lang: str) -> str:
    return f"{label} ({LANG_NAMES[lang]})"


def _trilingual(
    form: forms.Form, name: str, label: Any, *, textarea: bool = False, limit: int = 300
) -> None:
    for lang in LANGS:
        widget = forms.Textarea(attrs={"rows": 6}) if textarea else forms.TextInput()
        form.fields[f"{name}_{lang}"] = forms.CharField(
            label=_in_language(label, lang),
            required=False,
            max_length=None if textarea else limit,
            widget=widget,
        )


class BodyField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class StateBodyField(forms.ModelChoiceField[StateBody]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class AuthorsField(forms.ModelMultipleChoiceField[Person]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class ChooseBodyForm(forms.Form):
    """Which body raises the new initiative."""

    body = BodyField(label=_("Raising body"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = queries.raising_bodies(user)  # type: ignore[attr-defined]


class InitiativeForm(forms.Form):
    """An initiative's question, the state body it goes to, its authors and the date drafted."""

    state_body = StateBodyField(
        label=pgettext_lazy("initiative", "Addressed to"),
        queryset=StateBody.objects.none(),
        help_text=_("A chamber of Parliament or a maslikhat: the level follows from it."),
    )
    drafted_on = forms.DateField(
        label=pgettext_lazy("initiative", "Drafted on"),
        widget=DateInput(),
        help_text=_("Today if empty; the number is given in this year."),
        required=False,
    )
    authors = AuthorsField(
        label=pgettext_lazy("initiative", "Authors"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Current members of the raising body."),
    )

    def __init__(
        self,
        *args: Any,
        body: Organisation,
        user: User,
        initiative: Initiative | None = None,
        **kwargs: Any,
    ) -> None:
        keep: tuple[int, ...] = ()
        if initiative is not None:
            keep = tuple(initiative.authors.values_list("pk", flat=True))
            if "initial" not in kwargs:
                kwargs["initial"] = {
                    "state_body": initiative.state_body_id,
                    "drafted_on": initiative.drafted_on,
                    "authors": list(keep),
                    **{
                        f"{name}_{lang}": getattr(initiative, f"{name}_{lang}") or ""
                        for name in ("title", "question")
                        for lang in LANGS
                    },
                }
        super().__init__(*args, **kwargs)
        _trilingual(self, "title", pgettext_lazy("initiative", "Question raised"))
        _trilingual(
            self,
            "question",
            pgettext_lazy("initiative", "The question and its grounds"),
            textarea=True,
        )
        self.fields["state_body"].queryset = queries.addressable_state_bodies(body)  # type: ignore[attr-defined]
        self.fields["authors"].queryset = queries.author_candidates(body, user, keep=keep)  # type: ignore[attr-defined]
        # Fields in reading order: the question first, then where it goes and who raises it.
        order = [f"title_{lang}" for lang in LANGS] + [f"question_{lang}" for lang in LANGS]
        self.order_fields([*order, "state_body", "authors", "drafted_on"])

    def texts(self, name: str) -> dict[str, str]:
        return {lang: self.cleaned_data.get(f"{name}_{lang}") or "" for lang in LANGS}


class StageForm(forms.Form):
    """The next stage, the day it was reached and a note."""

    stage = forms.ChoiceField(
        choices=[(str(stage), Stage(stage).label) for stage in MOVES], widget=forms.HiddenInput
    )
    on = forms.DateField(label=pgettext_lazy("initiative", "Reached on"), widget=DateInput())
    note = forms.CharField(
        label=pgettext_lazy("initiative", "Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = legal_today()
        stage = self.initial.get("stage")
        if stage == Stage.WITHDRAWN:
            self.fields["note"].label = _("Why it is withdrawn")
            self.fields["note"].required = True
        elif stage == Stage.REJECTED:
            self.fields["note"].label = _("Reasons given for the rejection")


class ResultForm(forms.Form):
    """The act an adopted initiative led to."""

    act_kind = forms.ChoiceField(label=pgettext_lazy("initiative", "Kind of act"), choices=())
    act_number = forms.CharField(
        label=pgettext_lazy("initiative", "Number of the act"), max_length=60, required=False
    )
    act_date = forms.DateField(
        label=pgettext_lazy("initiative", "Date of the act"), widget=DateInput()
    )
    act_url = forms.CharField(
        label=pgettext_lazy("initiative", "Link to the act"),
        max_length=500,
        required=False,
        help_text=_("The act's page, for example on adilet.zan.kz."),
        widget=forms.URLInput(),
    )

    def __init__(self, *args: Any, initiative: Initiative, **kwargs: Any) -> None:
        if "initial" not in kwargs and initiative.act_kind:
            kwargs["initial"] = {
                "act_kind": initiative.act_kind,
                "act_number": initiative.act_number,
                "act_date": initiative.act_date,
                "act_url": initiative.act_url,
                **{
                    f"act_title_{lang}": getattr(initiative, f"act_title_{lang}") or ""
                    for lang in LANGS
                },
            }
        super().__init__(*args, **kwargs)
        kinds = ACT_KINDS_BY_LEVEL.get(initiative.level, tuple(ActKind.values))
        self.fields["act_kind"].choices = [(str(kind), ActKind(kind).label) for kind in kinds]  # type: ignore[attr-defined]
        _trilingual(self, "act_title", pgettext_lazy("initiative", "Title of the act"), limit=500)
        self.order_fields(
            [
                "act_kind",
                *(f"act_title_{lang}" for lang in LANGS),
                "act_number",
                "act_date",
                "act_url",
            ]
        )

    def titles(self) -> dict[str, str]:
        return {lang: self.cleaned_data.get(f"act_title_{lang}") or "" for lang in LANGS}


class LinkForm(forms.Form):
    """A proposal or an appeal (by its number in the workspace) that the initiative came from."""

    proposal = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    appeal = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("proposal")) == bool(cleaned.get("appeal")):
            raise forms.ValidationError(_("Choose one proposal or one appeal."))
        return cleaned


class FindForm(forms.Form):
    find = forms.CharField(
        label=_("Title or outgoing number of a proposal, or registration number of an appeal"),
        max_length=100,
        required=False,
    )


def _year_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=YEARS[0], max_value=YEARS[1], required=False)


class FilterForm(forms.Form):
    """The staff list's filters; a value that is not understood is reported and left out."""

    q = forms.CharField(label=_("Number or words of the question"), max_length=100, required=False)
    year = _year_field(_("Year"))
    stage = forms.ChoiceField(
        label=pgettext_lazy("initiative", "Stage"),
        choices=[("", _("Any stage")), *Stage.choices],
        required=False,
    )
    level = forms.ChoiceField(
        label=pgettext_lazy("initiative", "Level"),
        choices=[("", _("Any level")), *Level.choices],
        required=False,
    )
    state_body = StateBodyField(
        label=pgettext_lazy("initiative", "Addressed to"),
        queryset=StateBody.objects.filter(
            Q(kind=StateBody.Kind.PARLIAMENT) | Q(kind=StateBody.Kind.MASLIKHAT)
        ).order_by("kind", "code"),
        required=False,
        empty_label=_("Any state body"),
    )

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in self.fields}


class PortalFilterForm(forms.Form):
    year = _year_field(_("Year submitted"))
    stage = forms.ChoiceField(
        label=pgettext_lazy("initiative", "Stage"),
        choices=[("", _("Any stage")), *[c for c in Stage.choices if c[0] != Stage.DRAFTED]],
        required=False,
    )
    level = forms.ChoiceField(
        label=pgettext_lazy("initiative", "Level"),
        choices=[("", _("Any level")), *Level.choices],
        required=False,
    )

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in self.fields}
