"""Forms of people's diplomacy: the staff's register, visits and ambassadors, the pickers of
people, bodies and events (each offering and accepting only what the user's scope allows), and
the partners' public request form.

The forms read and clean what was typed; the rules are the services'.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.forms import DateInput
from birlik.core.widgets import FastSelect
from birlik.core.workdays import legal_today
from birlik.events.models import Event
from birlik.geo.models import Region
from birlik.registry.models import Organisation, Person

from . import countries
from .models import (
    Ambassador,
    AmbassadorActivity,
    InternationalRequest,
    OutcomeKind,
    RequesterKind,
    Topic,
    Visit,
)

SHOWN = 50  # records a picker's select offers (the search narrows them)
REQUESTS_SHOWN = 200
YEARS = (2000, 2100)
LANGUAGE_CHOICES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]


def _any(label: Any = None) -> list[tuple[str, Any]]:
    return [("", label or pgettext_lazy("filter", "all"))]


def _country_field(label: Any = None, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label or _("Country"),
        required=required,
        choices=[],
        widget=FastSelect,
        help_text=_("An international organisation: the country of its seat."),
    )


def _set_countries(form: forms.Form, name: str, empty: Any) -> None:
    """The country list in the reader's language, in its alphabetical order."""
    field: Any = form.fields[name]
    field.choices = [("", empty), *countries.choices()]


class BodyChoiceField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PersonChoiceField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Any) -> str:
        born = (
            f" ({obj.birth_date:%Y})"
            if getattr(obj, "data_visible", False) and obj.birth_date
            else ""
        )
        return f"{obj.full_name}{born}"


class EventChoiceField(forms.ModelChoiceField[Event]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({timezone.localtime(obj.starts_at):%d.%m.%Y})"


class RequestChoiceField(forms.ModelChoiceField[InternationalRequest]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}: {obj.requester_name}"


def _offer(field: Any, shown: QuerySet[Any], *, empty: Any = "---------") -> None:
    """The select offers ``shown`` (a few); the field accepts its whole queryset (the scope)."""
    field.choices = [("", empty)] + [(obj.pk, field.label_from_instance(obj)) for obj in shown]


class YearField(forms.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", pgettext_lazy("filter", "Year"))
        kwargs.setdefault("required", False)
        super().__init__(min_value=YEARS[0], max_value=YEARS[1], **kwargs)


# --- Requests ----------------------------------------------------------------------------------


class RequestFilterForm(forms.Form):
    year = YearField()
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_any() + InternationalRequest.Status.choices
    )
    country = _country_field(required=False)
    kind = forms.ChoiceField(
        label=_("Kind of requester"), required=False, choices=_any() + RequesterKind.choices
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False, choices=_any() + Topic.choices)
    q = forms.CharField(
        label=_("Number, requester or words of the text"), required=False, max_length=100
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_countries(self, "country", pgettext_lazy("filter", "all"))
        self.fields["country"].help_text = ""


class RequestForm(forms.Form):
    organisation = BodyChoiceField(label=_("Register of"), queryset=Organisation.objects.none())
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())
    channel = forms.ChoiceField(
        label=pgettext_lazy("how received", "Received"),
        choices=InternationalRequest.Channel.choices,
    )
    requester_kind = forms.ChoiceField(label=_("Kind of requester"), choices=RequesterKind.choices)
    requester_name = forms.CharField(
        label=_("Requester"),
        max_length=300,
        help_text=_("The organisation, parliament, centre or embassy, as it names itself."),
    )
    requester_contact = forms.CharField(
        label=_("Contact of the requester"),
        max_length=300,
        required=False,
        help_text=_("The person to answer, an e-mail or a phone. Shown to staff only."),
    )
    country = _country_field()
    topic = forms.ChoiceField(label=_("Topic"), choices=Topic.choices)
    text = forms.CharField(
        label=_("Text of the request"), max_length=20_000, widget=forms.Textarea({"rows": 8})
    )
    language = forms.ChoiceField(
        label=_("Language of the answer"), choices=LANGUAGE_CHOICES, initial="ru"
    )

    def __init__(
        self, *args: Any, keepers: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_countries(self, "country", _("Choose the country"))
        if keepers is None:
            del self.fields["organisation"]
        else:
            field: Any = self.fields["organisation"]
            field.queryset = keepers


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"),
        max_length=20_000,
        widget=forms.Textarea({"rows": 6}),
        help_text=_("A partner who wrote through the portal reads it on the status page."),
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput(), initial=legal_today)


class CloseForm(forms.Form):
    outcome_kind = forms.ChoiceField(label=_("Kind of outcome"), choices=OutcomeKind.choices)
    outcome_text = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea({"rows": 4}),
        help_text=_("What came of the request: the information given, the visit, the agreement."),
    )
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput(), initial=legal_today)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=5000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("A partner who wrote through the portal reads it on the status page."),
    )


class SearchForm(forms.Form):
    """The words a picker narrows its choices by (a GET form on the record's page)."""

    def __init__(self, *args: Any, name: str, label: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[name] = forms.CharField(label=label, required=False, max_length=100)
        self.name = name

    @property
    def words(self) -> str:
        return str(self.cleaned_data.get(self.name) or "") if self.is_valid() else ""


class PersonPickForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())

    def __init__(
        self, *args: Any, people: QuerySet[Person], shown: QuerySet[Person], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["person"]
        field.queryset = people
        _offer(field, shown[:SHOWN])


class BodyPickForm(forms.Form):
    body = BodyChoiceField(label=_("Body"), queryset=Organisation.objects.none())

    def __init__(
        self,
        *args: Any,
        bodies: QuerySet[Organisation],
        shown: QuerySet[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["body"]
        field.queryset = bodies
        _offer(field, shown[:SHOWN])


class EventPickForm(forms.Form):
    event = EventChoiceField(label=_("Event"), queryset=Event.objects.none())

    def __init__(
        self, *args: Any, events: QuerySet[Event], shown: QuerySet[Event], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["event"]
        field.queryset = events
        _offer(field, shown.only("pk", "title", "starts_at")[:SHOWN])


# --- Visits ------------------------------------------------------------------------------------


class VisitFilterForm(forms.Form):
    year = YearField()
    direction = forms.ChoiceField(
        label=_("Direction"), required=False, choices=_any() + Visit.Direction.choices
    )
    country = _country_field(required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_any() + Visit.Status.choices
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_countries(self, "country", pgettext_lazy("filter", "all"))
        self.fields["country"].help_text = ""


class VisitForm(forms.Form):
    organisation = BodyChoiceField(label=_("Register of"), queryset=Organisation.objects.none())
    direction = forms.ChoiceField(
        label=_("Direction"), choices=Visit.Direction.choices, widget=forms.RadioSelect
    )
    country = _country_field(
        label=_("Country the delegation comes from or goes to"),
    )
    delegation = forms.CharField(
        label=_("Delegation"),
        max_length=300,
        help_text=_("Who travels, e.g. a delegation of the OSCE High Commissioner's office."),
    )
    head = forms.CharField(label=_("Head of the delegation"), max_length=300, required=False)
    size = forms.IntegerField(label=_("People in the delegation"), min_value=1, max_value=1000)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    regions: forms.ModelMultipleChoiceField[Region] = forms.ModelMultipleChoiceField(
        label=_("Regions of Kazakhstan visited"),
        queryset=Region.objects.order_by("kato"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    places = forms.CharField(
        label=_("Places visited"),
        max_length=300,
        required=False,
        help_text=_("Cities and places, in Kazakhstan or abroad."),
    )
    request = RequestChoiceField(
        label=_("Request it answers"),
        queryset=InternationalRequest.objects.none(),
        required=False,
        help_text=_("A request in progress or answered is then marked “visit arranged”."),
    )
    outcome_text = forms.CharField(
        label=_("Outcome"), required=False, max_length=20_000, widget=forms.Textarea({"rows": 4})
    )

    def __init__(
        self,
        *args: Any,
        keepers: QuerySet[Organisation],
        requests: QuerySet[InternationalRequest],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = keepers
        fields["request"].queryset = requests
        _offer(fields["request"], requests[:REQUESTS_SHOWN], empty=_("No request"))
        _set_countries(self, "country", _("Choose the country"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if isinstance(starts, datetime.date) and isinstance(ends, datetime.date) and ends < starts:
            self.add_error("ends_on", _("The visit cannot end before it starts."))
        return data


class VisitHeldForm(forms.Form):
    outcome_text = forms.CharField(
        label=_("Outcome"), required=False, max_length=20_000, widget=forms.Textarea({"rows": 4})
    )


class VisitCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=5000, widget=forms.Textarea({"rows": 3}))


# --- Ambassadors -------------------------------------------------------------------------------

ACTIVE_CHOICES = [
    ("", pgettext_lazy("filter", "all")),
    ("yes", pgettext_lazy("ambassador", "active")),
    ("no", pgettext_lazy("ambassador", "former")),
]


class AmbassadorFilterForm(forms.Form):
    country = _country_field(required=False)
    active = forms.ChoiceField(label=_("Term in the Corps"), required=False, choices=ACTIVE_CHOICES)
    q = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_countries(self, "country", pgettext_lazy("filter", "all"))
        self.fields["country"].help_text = ""


class AmbassadorForm(forms.Form):
    organisation = BodyChoiceField(label=_("Register of"), queryset=Organisation.objects.none())
    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())
    countries = forms.MultipleChoiceField(
        label=_("Countries"),
        choices=[],
        widget=forms.SelectMultiple({"size": 8}),
        help_text=_("The countries the ambassador works with (hold Ctrl to choose several)."),
    )
    since = forms.DateField(label=_("Ambassador since"), widget=DateInput())
    until = forms.DateField(
        label=_("Ambassador until"),
        widget=DateInput(),
        required=False,
        help_text=_("Leave empty while the ambassador is in the Corps."),
    )
    note = forms.CharField(label=_("Area of work"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        keepers: QuerySet[Organisation],
        people: QuerySet[Person] | None,
        shown: QuerySet[Person] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = keepers
        fields["countries"].choices = countries.choices()
        if people is None:  # an ambassador's person does not change
            del fields["person"]
        else:
            fields["person"].queryset = people
            _offer(fields["person"], (shown if shown is not None else people)[:SHOWN])


class ActivityForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=legal_today)
    kind = forms.ChoiceField(label=_("Kind of activity"), choices=AmbassadorActivity.Kind.choices)
    country = _country_field()
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea({"rows": 3})
    )
    event = EventChoiceField(
        label=_("Event"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_("When the activity was an event of the Assembly's bodies."),
    )

    def __init__(
        self, *args: Any, ambassador: Ambassador, events: QuerySet[Event], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        _set_countries(self, "country", _("Choose the country"))
        fields["country"].help_text = ""
        fields["event"].queryset = events
        _offer(
            fields["event"],
            events.only("pk", "title", "starts_at")[:REQUESTS_SHOWN],
            empty=_("No event"),
        )
        if not self.is_bound:
            first = ambassador.countries.values_list("country", flat=True).first()
            if first:
                self.initial.setdefault("country", first)


# --- The portal --------------------------------------------------------------------------------


class PartnerRequestForm(forms.Form):
    """A partner's request: the organisation, its kind and country, an e-mail to answer, the
    topic and the text. Nothing else about the writer is asked."""

    requester_name = forms.CharField(
        label=_("Your organisation"),
        max_length=300,
        help_text=_("Its full name, e.g. the embassy, parliament, research centre or agency."),
    )
    requester_kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=RequesterKind.choices, widget=forms.RadioSelect
    )
    country = _country_field(label=_("Country"))
    email = forms.EmailField(
        label=_("E-mail for the answer"),
        max_length=254,
        help_text=_("We send the number of the request and the link to follow it here."),
    )
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("Choose the topic")), *Topic.choices]
    )
    text = forms.CharField(
        label=_("Your request"),
        max_length=20_000,
        widget=forms.Textarea({"rows": 8}),
        help_text=_("What you would like to learn, discuss or arrange; dates if you plan a visit."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the People's Diplomacy Centre keeps this e-mail address to answer the "
            "request; it is seen by the Centre's staff only."
        ),
        required=False,
    )
    # A trap for robots: hidden from people, who leave it empty.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_countries(self, "country", _("Choose the country"))
        self.fields["requester_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean_consent(self) -> bool:
        if not self.cleaned_data.get("consent"):
            raise forms.ValidationError(
                _("We need your consent to keep your e-mail address for the answer.")
            )
        return True


class FiguresForm(forms.Form):
    year = YearField()
