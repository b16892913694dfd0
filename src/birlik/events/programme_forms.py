"""Forms of the programme pages (slice ``programmes``): joining and leaving, partners, the year
of the public figures."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.forms import DateInput

from .models import FOUNDING_YEAR, PartnerOrganisation


class JoinForm(forms.Form):
    """The day the ticked bodies join from (the bodies themselves are read by the view, each
    checked against the user's scope)."""

    joined_on = forms.DateField(label=_("Taking part since"), widget=DateInput())
    note = forms.CharField(
        label=pgettext_lazy("programme membership", "Note"),
        required=False,
        max_length=300,
        help_text=_("For example the number of the agreement or of the order."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["joined_on"].initial = timezone.localdate()


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("Last day of taking part"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["left_on"].initial = timezone.localdate()


class _StateBodyField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PartnerForm(forms.Form):
    """A partner: a state body of the catalogue, an organisation already recorded, or a new
    organisation named here (one of the three)."""

    state_body = _StateBodyField(
        label=_("State body (from the catalogue)"),
        queryset=None,
        required=False,
        empty_label=_("— not a state body —"),
        error_messages={"invalid_choice": _("Choose a state body from the list.")},
    )
    organisation: forms.ModelChoiceField[PartnerOrganisation] = forms.ModelChoiceField(
        label=_("Organisation already recorded"),
        queryset=PartnerOrganisation.objects.order_by("name"),
        required=False,
        empty_label=_("— none —"),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    name_kk = forms.CharField(
        label=_("New organisation: name in Kazakh"), required=False, max_length=300
    )
    name_ru = forms.CharField(
        label=_("New organisation: name in Russian"), required=False, max_length=300
    )
    name_en = forms.CharField(
        label=_("New organisation: name in English"), required=False, max_length=300
    )
    kind = forms.ChoiceField(
        label=_("New organisation: kind"),
        required=False,
        choices=[("", "—"), *PartnerOrganisation.Kind.choices],
    )
    website = forms.URLField(
        label=_("New organisation: website"), required=False, max_length=200, assume_scheme="https"
    )
    role_kk = forms.CharField(
        label=_("Role in the programme, in Kazakh"), required=False, max_length=300
    )
    role_ru = forms.CharField(
        label=_("Role in the programme, in Russian"), required=False, max_length=300
    )
    role_en = forms.CharField(
        label=_("Role in the programme, in English"), required=False, max_length=300
    )
    starts_on = forms.DateField(label=_("Partner since"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Partner until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The catalogue of state bodies is kept by ``appeals``, asked for by name.
        state_body = apps.get_model("appeals", "StateBody")
        field = cast(forms.ModelChoiceField, self.fields["state_body"])  # type: ignore[type-arg]
        field.queryset = state_body.objects.filter(is_active=True).order_by("kind", "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new = any(data.get(f"name_{lang}") for lang in ("kk", "ru", "en"))
        chosen = [bool(data.get("state_body")), bool(data.get("organisation")), new]
        if sum(chosen) != 1:
            raise forms.ValidationError(
                _(
                    "Choose a state body, or an organisation already recorded, or name a new "
                    "organisation: one of the three."
                )
            )
        if new and not data.get("kind"):
            self.add_error("kind", _("Choose the kind of the new organisation."))
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The partnership ends before it starts."))
        return data


class YearForm(forms.Form):
    """The year of the figures on the public pages (this year when none is asked)."""

    year = forms.IntegerField(label=_("Year"), required=False)

    def clean_year(self) -> int | None:
        year: int | None = self.cleaned_data.get("year")
        last = timezone.localdate().year
        if year is not None and not FOUNDING_YEAR <= year <= last:
            raise forms.ValidationError(
                _("Give a year between %(first)s and %(last)s."),
                params={"first": FOUNDING_YEAR, "last": last},
            )
        return year

    def chosen_year(self) -> int:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("year") or timezone.localdate().year
