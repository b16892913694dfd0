"""Forms of volunteers: the profile, the call, its status, hours, and the public filters."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.access import policies
from birlik.access.models import User
from birlik.charity.models import HelpRequest
from birlik.charity.models import Project as CharityProject
from birlik.core.forms import DateInput, DateTimeLocalInput
from birlik.events.models import Event
from birlik.geo.models import District, Region
from birlik.registry.models import Organisation

from .models import LANGUAGES, Availability, Call, Skill

CHOICES_SHOWN = 300  # records offered in a select; more recent ones first


def _skills() -> Any:
    return Skill.objects.filter(is_active=True)


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        help_text=_("So that the staff of a call can reach you, e.g. +7 701 234 56 78."),
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all()
    )
    districts: forms.ModelMultipleChoiceField[District] = forms.ModelMultipleChoiceField(
        label=_("Districts where you can help"),
        queryset=District.objects.select_related("region").order_by("region__kato", "name"),
        required=False,
        help_text=_("Districts of the region you chose; none means anywhere in the region."),
    )
    skills: forms.ModelMultipleChoiceField[Skill] = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    availability = forms.MultipleChoiceField(
        label=_("When you can help"),
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    about = forms.CharField(
        label=_("About me"), max_length=500, required=False, widget=forms.Textarea({"rows": 3})
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the Assembly keeps these data to offer me volunteering; they are shown "
            "only to the staff of the calls I sign up for."
        )
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["skills"].queryset = _skills()  # type: ignore[attr-defined]


class CallForm(forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Body calling for volunteers"), queryset=Organisation.objects.none()
    )
    purpose = forms.ChoiceField(label=_("Volunteers are needed for"), choices=Call.Purpose.choices)
    event: forms.ModelChoiceField[Event] = forms.ModelChoiceField(
        label=_("Event"), queryset=Event.objects.none(), required=False
    )
    project: forms.ModelChoiceField[CharityProject] = forms.ModelChoiceField(
        label=_("Charity project"), queryset=CharityProject.objects.none(), required=False
    )
    help_request: forms.ModelChoiceField[HelpRequest] = forms.ModelChoiceField(
        label=_("Request for help"),
        queryset=HelpRequest.objects.none(),
        required=False,
        help_text=_("Only what the centre published of the request is shown to volunteers."),
    )
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)
    description_kk = forms.CharField(
        label=_("What volunteers will do, in Kazakh"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 4}),
    )
    description_ru = forms.CharField(
        label=_("What volunteers will do, in Russian"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 4}),
    )
    description_en = forms.CharField(
        label=_("What volunteers will do, in English"),
        required=False,
        max_length=5000,
        widget=forms.Textarea({"rows": 4}),
    )
    skills: forms.ModelMultipleChoiceField[Skill] = forms.ModelMultipleChoiceField(
        label=_("Skills wanted"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeLocalInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeLocalInput())
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all()
    )
    district: forms.ModelChoiceField[District] = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.select_related("region").order_by("region__kato", "name"),
        required=False,
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = Organisation.objects.filter(
            policies.prefix_q("path", policies.roots(user, policies.STAFF_ROLES))
        )
        fields: dict[str, Any] = self.fields
        fields["organisation"].queryset = bodies.order_by("path")
        fields["skills"].queryset = _skills()
        now = timezone.now()
        events = (
            policies.scoped(Event.objects.all(), user)
            .filter(ends_at__gt=now)
            .exclude(status=Event.Status.CANCELLED)
        )
        projects = policies.scoped(CharityProject.objects.all(), user).filter(
            status=CharityProject.Status.OPEN
        )
        needs = (
            policies.scoped(HelpRequest.objects.all(), user)
            .filter(status__in=HelpRequest.OPEN_FOR_HELP)
            .exclude(public_need="")
        )
        fields["event"].queryset = events
        fields["project"].queryset = projects
        fields["help_request"].queryset = needs
        # The selects offer the nearest records; any record in scope is still accepted.
        empty = [("", "---------")]
        fields["event"].choices = empty + [
            (e.pk, f"{e.title} ({timezone.localtime(e.starts_at):%d.%m.%Y})")
            for e in events.order_by("starts_at").only("pk", "title", "starts_at")[:CHOICES_SHOWN]
        ]
        fields["project"].choices = empty + [
            (p.pk, str(p.title))
            for p in projects.order_by("-starts_on").only("pk", "title")[:CHOICES_SHOWN]
        ]
        fields["help_request"].choices = empty + [
            (h.pk, f"{h.number}: {h.public_need}")
            for h in needs.order_by("-verified_at").only("pk", "number", "public_need")[
                :CHOICES_SHOWN
            ]
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        purpose = data.get("purpose")
        for name, wanted in (
            ("event", Call.Purpose.EVENT),
            ("project", Call.Purpose.PROJECT),
            ("help_request", Call.Purpose.NEED),
        ):
            if purpose != wanted:
                data[name] = None
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Call.Status.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class HoursForm(forms.Form):
    hours = forms.DecimalField(
        label=_("Hours given"),
        min_value=Decimal(0),
        max_value=Decimal(744),
        decimal_places=2,
        help_text=_("For example 2.5 for two and a half hours."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Why the hours are entered by hand, e.g. the volunteer was not checked out."),
    )

    @property
    def minutes(self) -> int:
        return int((self.cleaned_data["hours"] * 60).to_integral_value())


class CallFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Call.Status.choices], required=False
    )


class PortalFilterForm(forms.Form):
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False, empty_label=_("All")
    )
    district: forms.ModelChoiceField[District] = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.select_related("region").order_by("region__kato", "name"),
        required=False,
        empty_label=_("All"),
    )
    skill: forms.ModelChoiceField[Skill] = forms.ModelChoiceField(
        label=pgettext_lazy("volunteer", "Skill"),
        queryset=Skill.objects.filter(is_active=True),
        required=False,
        empty_label=_("All"),
        to_field_name="code",
    )
    date = forms.DateField(label=_("On the day"), required=False, widget=DateInput())

    def clean_date(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("date")
        if day is not None and not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("Give a date between 2000 and 2100."))
        return day
