"""Forms of the integration-token pages in the workspace."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ApiToken

LONGEST_VALIDITY_DAYS = 3 * 366


class TokenFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("active", pgettext_lazy("token", "Active")),
            ("revoked", pgettext_lazy("token", "Revoked")),
            ("all", pgettext_lazy("token", "All")),
        ],
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the integration"),
        max_length=100,
        help_text=_("Who uses the token, e.g. “CRM of the Pavlodar House of Friendship”."),
    )
    body = forms.IntegerField(
        label=_("Body number"),
        min_value=1,
        max_value=2**62,
        help_text=_(
            "The integration acts as staff of this body and the bodies below it "
            "(the number is shown on the body's page)."
        ),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Allowed actions"),
        choices=ApiToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one allowed action.")},
    )
    expires_on = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for one year. At most three years."),
    )

    def clean_expires_on(self) -> datetime.date:
        day: datetime.date | None = self.cleaned_data.get("expires_on")
        today = timezone.localdate()
        if day is None:
            return today + datetime.timedelta(days=365)
        if day <= today:
            raise forms.ValidationError(_("The expiry date must be in the future."))
        if day > today + datetime.timedelta(days=LONGEST_VALIDITY_DAYS):
            raise forms.ValidationError(_("A token can be valid for three years at most."))
        return day

    def expires_at(self) -> datetime.datetime:
        day: datetime.date = self.cleaned_data["expires_on"]
        end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
        return timezone.make_aware(end)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}_helptext")
