"""Forms of the public events pages: the calendar's filters and a citizen's registration."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.events.models import FOUNDING_YEAR, Audience, Event, Programme
from birlik.registry.models import Organisation

from .forms import TerritoryFilterForm

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
MONTH_FORMATS = ["%Y-%m", "%m.%Y"]
# The month view reaches this many years past the current one (events are planned ahead).
MONTHS_AHEAD_YEARS = 5
LIST, MONTH = "list", "month"
# Digits, spaces, brackets, dashes and a leading plus: what people type in a phone number.
PHONE_CHARACTERS = re.compile(r"^\+?[\d\s()\-]*$")


def last_month_year() -> int:
    return timezone.localdate().year + MONTHS_AHEAD_YEARS


def month_shown(month: datetime.date) -> bool:
    """Whether the month view goes that far: from the Assembly's founding to a few years on."""
    return FOUNDING_YEAR <= month.year <= last_month_year()


class CalendarForm(TerritoryFilterForm):
    """The calendar's filters; a value that does not validate is reported and left out.

    Two views share them: the list (a period given by dates) and the month (a grid of one
    month; the dates are not asked, the month is)."""

    field_order = ["q", "region", "district"]

    q = forms.CharField(
        label=_("Title of the event"),
        required=False,
        max_length=200,
        strip=True,
        help_text=_("In Kazakh, Russian or English; Latin spelling works too."),
        error_messages={"max_length": _("The search text is too long: use at most 200 letters.")},
    )
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.filter(is_active=True).order_by("position", "code"),
        to_field_name="code",
        required=False,
        empty_label=_("All programmes"),
        error_messages={"invalid_choice": _("Unknown programme: choose one from the list.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of event"),
        choices=[("", _("All kinds of event")), *Event.Kind.choices],
        required=False,
        error_messages={"invalid_choice": _("Unknown kind of event: choose one from the list.")},
    )
    audience: forms.ModelChoiceField[Audience] = forms.ModelChoiceField(
        label=_("For whom"),
        queryset=Audience.objects.order_by("position", "code"),
        to_field_name="code",
        required=False,
        empty_label=_("Everyone"),
        error_messages={"invalid_choice": _("Unknown audience: choose one from the list.")},
    )
    language = forms.ChoiceField(
        label=_("Language of the event"),
        choices=[("", _("Any language")), *Event.LANGUAGES],
        required=False,
        error_messages={"invalid_choice": _("Unknown language: choose one from the list.")},
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Give the date as dd.mm.yyyy, for example 12.12.2025.")},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Give the date as dd.mm.yyyy, for example 12.12.2025.")},
    )
    month = forms.DateField(
        label=pgettext_lazy("calendar", "Month"),
        required=False,
        input_formats=MONTH_FORMATS,
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        error_messages={
            "invalid": _(
                "Give the month as yyyy-mm, for example 2026-12. The current month is shown."
            )
        },
    )
    organiser: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organiser"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("Unknown body: the calendar is shown without this filter."),
        },
    )
    view = forms.ChoiceField(
        label=pgettext_lazy("calendar", "View"),
        choices=[(LIST, LIST), (MONTH, MONTH)],
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Unknown view: the list is shown.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.month_view = self.is_bound and str(self.data.get("view", "")).strip() == MONTH
        # Each view asks only for its own period: the dates in the list, the month in the grid.
        for name in ("date_from", "date_to") if self.month_view else ("month",):
            del self.fields[name]

    def clean_month(self) -> datetime.date | None:
        month: datetime.date | None = self.cleaned_data.get("month")
        if month is None:
            return None
        last_year = last_month_year()
        if not month_shown(month):
            raise forms.ValidationError(
                _("Choose a month from %(first)s to %(last)s. The current month is shown.")
                % {"first": str(FOUNDING_YEAR), "last": str(last_year)}
            )
        return month

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return data

    def first_of_month(self) -> datetime.date:
        """The month the grid shows: the one asked for, or the current one (also when the
        month given was not understood)."""
        self.is_valid()
        month: datetime.date | None = self.cleaned_data.get("month")
        return (month or timezone.localdate()).replace(day=1)

    def filters(self) -> dict[str, Any]:
        """The values that passed validation; invalid ones are left out (and reported)."""
        self.is_valid()
        data = self.cleaned_data
        district = data.get("district")
        region = data.get("region")
        if district is not None and region is None and "region" not in self.errors:
            region = district.region
        return {
            "query": data.get("q") or "",
            "region": region,
            "district": district,
            "programme": data.get("programme"),
            "kind": data.get("kind") or "",
            "audience": data.get("audience"),
            "language": data.get("language") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "organiser": data.get("organiser"),
        }

    def understood(self) -> dict[str, str]:
        """The query-string values that were understood: kept in pager and feed links."""
        return {
            key: value
            for key in self.fields
            if (value := str(self.data.get(key, "")).strip()) and key not in self.errors
        }


class RegistrationForm(forms.Form):
    """A citizen registering without an account: a name and a way to send the ticket."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        strip=True,
        error_messages={
            "required": _("Give your name."),
            "max_length": _("The name is too long: use at most 200 letters."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=40,
        strip=True,
        help_text=_("For example +7 701 234 56 78. We send the ticket by SMS."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"max_length": _("The phone number is too long.")},
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        help_text=_("Give a phone number, an e-mail address or both."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Give a valid e-mail address, for example name@example.kz.")},
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to the processing of my personal data (name, phone, e-mail) by the "
            "organiser of this event for my registration and reminders about it."
        ),
        required=True,
        error_messages={
            "required": _(
                "Registration needs your consent to the processing of your personal data."
            )
        },
    )

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data.get("phone", "")
        if phone and not PHONE_CHARACTERS.match(phone):
            raise forms.ValidationError(
                _("Give the phone number with its code, for example +7 701 234 56 78.")
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            "phone" not in self.errors
            and "email" not in self.errors
            and not data.get("phone")
            and not data.get("email")
        ):
            self.add_error(
                "phone",
                _("Give a phone number or an e-mail address, so that we can send your ticket."),
            )
        return data
