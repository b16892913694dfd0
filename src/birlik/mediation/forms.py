"""Forms of mediation (workspace and portal). They shape input; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.appeals.models import Appeal, StateBody
from birlik.core import collation
from birlik.core.forms import DateInput, DateTimeLocalInput
from birlik.registry.models import Membership, Organisation, Person

from .models import CENTRE_KINDS, DisputeKind, Document, Language, MediationCase, Mediator

STATUS_FILTERS = [("", _("Any status")), *MediationCase.Status.choices]
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]


def centres_of(user: Any) -> QuerySet[Organisation]:
    """Centres where the user may open a case: those they head, or their own as a mediator."""
    from .policies import mediator_of

    qs = Organisation.objects.filter(kind__code__in=CENTRE_KINDS, status=Organisation.Status.ACTIVE)
    heads = policies.roots(user, {"centre_head"})
    mediator = mediator_of(user)
    condition = policies.prefix_q("path", heads)
    if mediator is not None:
        from django.db.models import Q

        condition |= Q(pk=mediator.centre_id)
    return qs.filter(condition).order_by("path")


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTERS, required=False)
    kind = forms.ChoiceField(
        label=_("Kind of dispute"),
        choices=[("", _("Any kind")), *DisputeKind.choices],
        required=False,
    )
    follow_up = forms.BooleanField(
        label=_("Only agreements past their execution date without a follow-up"), required=False
    )

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "status": cleaned.get("status") or "",
            "kind": cleaned.get("kind") or "",
            "follow_up": "1" if cleaned.get("follow_up") else "",
        }


class CaseForm(forms.Form):
    """A case opened at the centre: two parties typed, the way it arrived, consent."""

    centre = forms.ModelChoiceField(label=_("Centre"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(label=_("Kind of dispute"), choices=DisputeKind.choices)
    source = forms.ChoiceField(label=_("How it arrived"), choices=MediationCase.Source.choices)
    appeal_number = forms.CharField(
        label=_("Appeal number (if redirected from the appeals inbox)"),
        max_length=30,
        required=False,
    )
    referral_note = forms.CharField(
        label=_("Referral (who referred and the document)"), max_length=300, required=False
    )
    language = forms.ChoiceField(label=_("Language of the parties"), choices=LANGUAGES)
    description = forms.CharField(
        label=_("The dispute in short"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    first_name = forms.CharField(label=_("First party: full name or name of the organisation"))
    first_phone = forms.CharField(label=_("First party: phone"), max_length=40, required=False)
    first_bin = forms.CharField(
        label=_("First party: BIN (organisations)"), max_length=12, required=False
    )
    second_name = forms.CharField(label=_("Second party: full name or name of the organisation"))
    second_phone = forms.CharField(label=_("Second party: phone"), max_length=40, required=False)
    second_bin = forms.CharField(
        label=_("Second party: BIN (organisations)"), max_length=12, required=False
    )
    second_is_organisation = forms.BooleanField(
        label=_("The second party is an organisation"), required=False
    )
    second_is_state_body = forms.BooleanField(
        label=_("The second party is a state body"), required=False
    )
    state_body: forms.ModelChoiceField[StateBody] = forms.ModelChoiceField(
        label=_("State body (if a party)"),
        queryset=StateBody.objects.filter(is_active=True),
        required=False,
    )
    consent = forms.BooleanField(
        label=_("The parties agreed to the processing of their personal data for the mediation"),
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres_of(user)  # type: ignore[attr-defined]
        self.fields["appeal_number"].help_text = _(
            "A case cannot be mediated if a state body is a party: it will be refused."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        number = (cleaned.get("appeal_number") or "").strip()
        cleaned["appeal"] = None
        if cleaned.get("source") == MediationCase.Source.APPEAL:
            if not number:
                self.add_error("appeal_number", _("Give the number of the appeal."))
            else:
                appeal = Appeal.objects.filter(number=number).first()
                if appeal is None:
                    self.add_error("appeal_number", _("There is no appeal with this number."))
                cleaned["appeal"] = appeal
        return cleaned


class AssignForm(forms.Form):
    mediator = forms.ModelChoiceField(label=_("Mediator"), queryset=Mediator.objects.none())

    def __init__(self, *args: Any, case: MediationCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = (  # type: ignore[attr-defined]
            Mediator.objects.filter(centre=case.centre, status=Mediator.Status.ACTIVE)
            .select_related("person")
            .order_by(*collation.order_by("person__last_name", "person__first_name"))
        )


class PartyForm(forms.Form):
    name = forms.CharField(label=_("Full name or name of the organisation"), max_length=300)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    bin = forms.CharField(label=_("BIN (organisations)"), max_length=12, required=False)
    is_organisation = forms.BooleanField(label=_("An organisation"), required=False)
    is_state_body = forms.BooleanField(label=_("A state body"), required=False)


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(label=_("Date and time"), widget=DateTimeLocalInput())
    place = forms.CharField(label=_("Place"), max_length=300)
    present = forms.MultipleChoiceField(
        label=_("Parties present"), choices=[], required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, parties: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [  # type: ignore[attr-defined]
            (str(party.pk), party.name) for party in parties
        ]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=MediationCase.Outcome.choices)
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())
    execution_due = forms.DateField(
        label=_("Agreement to be executed by"), required=False, widget=DateInput()
    )
    reason = forms.CharField(label=_("Reason for refusal"), max_length=500, required=False)


class AgreementForm(forms.Form):
    terms = forms.CharField(
        label=_("What the parties agreed"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of document"),
        choices=[(Document.Kind.SIGNED, _("signed agreement")), (Document.Kind.OTHER, _("other"))],
    )
    file = forms.FileField(
        label=_("File (PDF, JPEG or PNG)"),
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class ExecutionForm(forms.Form):
    execution = forms.ChoiceField(
        label=_("Execution of the agreement"), choices=MediationCase.Execution.choices
    )
    due = forms.DateField(label=_("To be executed by"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class ConflictForm(forms.Form):
    note = forms.CharField(label=_("Why (kept in the case)"), max_length=300, required=False)


# --- Portal ------------------------------------------------------------------------------------


class CentreChoice(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.region.name})" if obj.region_id else str(obj.name)


class RequestForm(forms.Form):
    """ "Ask for a mediator": what a citizen types; the service files it at the centre."""

    centre = CentreChoice(
        label=_("Mediation centre"),
        queryset=Organisation.objects.filter(
            kind__code="mediation_centre", status=Organisation.Status.ACTIVE
        )
        .select_related("region")
        .order_by("region__name", "name"),
        empty_label=_("Choose the centre nearest to you"),
    )
    name = forms.CharField(label=_("Your full name"), max_length=200)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of dispute"), choices=DisputeKind.choices, widget=forms.RadioSelect
    )
    other_party = forms.CharField(
        label=_("The other party (a name, or who they are)"), max_length=300
    )
    description = forms.CharField(
        label=_("The dispute in a few words"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"), choices=LANGUAGES, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data for the mediation"),
        required=False,
    )
    # A trap for robots: hidden from people, who leave it empty.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean_consent(self) -> bool:
        if not self.cleaned_data.get("consent"):
            raise forms.ValidationError(
                _("We need your consent to the processing of your personal data.")
            )
        return True


class MediatorRegisterForm(forms.Form):
    """A member of a centre (a "mediator" term in the registry) entered in the register."""

    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    professional = forms.BooleanField(label=_("Professional mediator"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    specialisations = forms.MultipleChoiceField(
        label=_("Specialisations"),
        choices=DisputeKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    username = forms.CharField(
        label=_("Login of the mediator (optional)"), max_length=150, required=False
    )

    def __init__(self, *args: Any, centre: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = Membership.objects.filter(organisation=centre, end_date__isnull=True).values(
            "person_id"
        )
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            collation.ordered(
                Person.objects.filter(pk__in=members, mediator__isnull=True),
                "last_name",
                "first_name",
            )
        )

    def clean_username(self) -> Any:
        from birlik.access.models import User

        name = self.cleaned_data.get("username", "").strip()
        if not name:
            return None
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no active login with this name."))
        return user


class MediatorStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Mediator.Status.choices)


class TrainingForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=2000)
    provider = forms.CharField(label=_("Provider"), max_length=200)
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=60, required=False
    )
