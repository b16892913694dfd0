"""Forms of charity (workspace and portal). They shape input; the rules live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birlik.access.models import Role, User
from birlik.access.policies import prefix_q, roots
from birlik.core.forms import DateInput
from birlik.geo.models import District, Region
from birlik.registry.models import Organisation

from .models import Beneficiary, Category, Document, HelpRequest, Kind, Project

TENGE = {"min": "1", "step": "1", "inputmode": "numeric"}


def _tenge(label: Any, *, required: bool = True, min_value: int = 1) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=10_000_000_000,
        widget=forms.NumberInput(attrs={**TENGE, "min": str(min_value)}),
    )


class DistrictField(forms.ModelChoiceField[District]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.region.name})"


class ItemFieldsMixin(forms.Form):
    """Up to three items: name, quantity, estimated value."""

    ITEMS = 3

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(1, self.ITEMS + 1):
            self.fields[f"item_{index}"] = forms.CharField(
                label=_("Item %(number)s") % {"number": index}, required=False, max_length=200
            )
            self.fields[f"quantity_{index}"] = forms.IntegerField(
                label=_("Quantity of item %(number)s") % {"number": index},
                required=False,
                min_value=1,
                max_value=1_000_000,
            )
            self.fields[f"value_{index}"] = forms.IntegerField(
                label=_("Estimated value of item %(number)s, KZT") % {"number": index},
                required=False,
                min_value=0,
                max_value=10_000_000_000,
            )

    def item_lines(self) -> list[Any]:
        from .services import ItemLine

        lines = []
        for index in range(1, self.ITEMS + 1):
            name = self.cleaned_data.get(f"item_{index}") or ""
            if name.strip():
                lines.append(
                    ItemLine(
                        name,
                        self.cleaned_data.get(f"quantity_{index}") or 1,
                        self.cleaned_data.get(f"value_{index}") or 0,
                    )
                )
        return lines


class RequestFields(ItemFieldsMixin):
    category = forms.ChoiceField(label=_("Category of help"), choices=Category.choices)
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=HelpRequest.Urgency.choices,
        initial=HelpRequest.Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), empty_label=_("Choose the region")
    )
    district = DistrictField(
        label=_("District or city"),
        queryset=District.objects.select_related("region"),
        required=False,
        empty_label=_("Choose the district"),
    )
    need = forms.CharField(
        label=_("What is needed"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: a school kit for a child, help after a fire, medicines."),
    )
    amount = _tenge(_("Amount needed, KZT"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region, district = data.get("region"), data.get("district")
        if region is not None and district is not None and district.region_id != region.pk:
            self.add_error("district", _("The district is not in the chosen region."))
        return data


class PortalRequestForm(RequestFields):
    """A citizen asks for help on the portal; the centre of the region takes it."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    phone = forms.CharField(
        label=_("Phone"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "tel"})
    )
    consent = forms.BooleanField(
        label=_("I agree to the processing of my personal data to consider this request."),
        required=True,
    )
    # A field people never see: a robot that fills it in is turned away.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    ITEMS = 2


class IntakeForm(RequestFields):
    """A worker takes a request at the centre, from a citizen or from a body."""

    centre: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Charity centre"), queryset=Organisation.objects.none()
    )
    source = forms.ChoiceField(
        label=_("Received from"),
        choices=[
            (HelpRequest.Source.CENTRE, _("a citizen, at the centre")),
            (HelpRequest.Source.BODY, _("a body (organisation)")),
        ],
        initial=HelpRequest.Source.CENTRE,
    )
    beneficiary_kind = forms.ChoiceField(
        label=_("Who is to be helped"), choices=Beneficiary.Kind.choices
    )
    beneficiary_name = forms.CharField(
        label=_("Name of the person, family or body"), max_length=200
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    iin = forms.CharField(label=_("IIN"), max_length=12, required=False)
    household = forms.IntegerField(
        label=_("People in the household"), min_value=1, max_value=50, initial=1
    )
    body: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Body asking for help"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Only when a body asks, for example a rural school."),
    )
    consent = forms.BooleanField(
        label=_("The requester agreed to the processing of personal data."), required=True
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        paths = roots(
            user,
            {Role.NATIONAL_ADMIN, Role.REGIONAL_COORDINATOR, Role.BODY_STAFF, Role.CENTRE_HEAD},
        )
        self.fields["centre"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(prefix_q("path", paths), kind__code="charity_centre")
            .filter(status=Organisation.Status.ACTIVE)
            .order_by("path")
        )
        self.fields["body"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            status=Organisation.Status.ACTIVE
        ).order_by("path")
        self.fields["body"].widget = forms.NumberInput(attrs={"min": "1"})
        self.fields["body"].label = _("Number of the body asking for help")


class ProjectForm(forms.Form):
    centre: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Charity centre"), queryset=Organisation.objects.none()
    )
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)
    category = forms.ChoiceField(label=_("Category of help"), choices=Category.choices)
    budget = _tenge(_("Budget, KZT"), min_value=0)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    sources = forms.MultipleChoiceField(
        label=_("Sources"),
        choices=Project.Source.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partners = forms.CharField(
        label=_("Partner bodies"),
        required=False,
        max_length=300,
        help_text=_("Numbers of the bodies in the registry, separated by commas."),
    )

    def clean_partners(self) -> list[Organisation]:
        raw = self.cleaned_data.get("partners") or ""
        numbers = [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]
        if not all(number.isdigit() for number in numbers):
            raise forms.ValidationError(_("Write the numbers of the bodies, separated by commas."))
        found = list(Organisation.objects.filter(pk__in=[int(n) for n in numbers]))
        if len(found) != len(set(numbers)):
            raise forms.ValidationError(_("No body has one of these numbers."))
        return found

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        paths = roots(
            user,
            {Role.NATIONAL_ADMIN, Role.REGIONAL_COORDINATOR, Role.BODY_STAFF, Role.CENTRE_HEAD},
        )
        self.fields["centre"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            prefix_q("path", paths), kind__code="charity_centre", status="active"
        ).order_by("path")


class GiftFields(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of help"), choices=Kind.choices, initial=Kind.MONEY, widget=forms.RadioSelect
    )
    amount = _tenge(_("Amount, KZT"), required=False)
    item = forms.CharField(label=_("Item"), max_length=200, required=False)
    quantity = forms.IntegerField(
        label=_("Quantity"), required=False, min_value=1, max_value=1_000_000
    )


class DonationForm(GiftFields):
    value = _tenge(_("Value of the items, KZT"), required=False, min_value=0)
    donor_kind = forms.ChoiceField(
        label=_("Donor"), choices=[("person", _("a person")), ("company", _("a company"))]
    )
    donor_name = forms.CharField(label=_("Donor's name or company"), max_length=200)
    donor_bin = forms.CharField(label=_("BIN of the company"), max_length=12, required=False)
    donor_iin = forms.CharField(label=_("IIN of the person"), max_length=12, required=False)
    donor_phone = forms.CharField(label=_("Donor's phone"), max_length=40, required=False)
    donor_email = forms.EmailField(label=_("Donor's e-mail"), required=False)
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), initial=timezone.localdate
    )


class DistributionForm(GiftFields):
    delivered_on = forms.DateField(
        label=_("Delivered on"), widget=DateInput(), initial=timezone.localdate, required=False
    )
    proof_file = forms.FileField(
        label=_("Signed acknowledgement (PDF or photo)"),
        required=False,
        help_text=_("Or tick the box below if the recipient signed in your presence."),
    )
    signed = forms.BooleanField(
        label=_("The recipient signed for the help in my presence"), required=False
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput(), required=False)


class PledgeForm(GiftFields):
    donor_name = forms.CharField(label=_("Your name or company"), max_length=200)
    donor_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    donor_email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class VisitForm(forms.Form):
    visit_on = forms.DateField(label=_("Date of the home visit"), widget=DateInput())
    note = forms.CharField(
        label=_("What the visit found"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DocumentForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Document"),
        choices=[(Document.Purpose.VERIFICATION, Document.Purpose.VERIFICATION.label)],
        initial=Document.Purpose.VERIFICATION,
        widget=forms.HiddenInput,
    )
    file = forms.FileField(label=_("File (PDF or photo)"))


class VerifyForm(forms.Form):
    public_need = forms.CharField(
        label=_("What is needed, for donors"),
        max_length=300,
        help_text=_("Shown on the portal. No names, addresses or phone numbers."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AttachForm(forms.Form):
    project: forms.ModelChoiceField[Project] = forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none()
    )

    def __init__(self, *args: Any, centre_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(  # type: ignore[attr-defined]
            centre_id=centre_id, status=Project.Status.OPEN
        ).order_by("-starts_on", "-id")


class AssignForm(forms.Form):
    worker: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Caseworker"), queryset=User.objects.none()
    )

    def __init__(self, *args: Any, centre: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ancestors = [centre.path[: i * centre.steplen] for i in range(1, centre.depth + 1)]
        self.fields["worker"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                grants__organisation__path__in=ancestors,
                grants__role__in=[Role.BODY_STAFF, Role.CENTRE_HEAD],
                grants__revoked_at__isnull=True,
                is_active=True,
            )
            .distinct()
            .order_by("full_name", "username")
        )


class StoryForm(forms.Form):
    text_kk = forms.CharField(
        label=_("Story in Kazakh"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    text_ru = forms.CharField(
        label=_("Story in Russian"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    text_en = forms.CharField(
        label=_("Story in English"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    consent_given_on = forms.DateField(
        label=_("The beneficiary agreed to publish on"), widget=DateInput()
    )


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *HelpRequest.Status.choices],
        required=False,
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All categories")), *Category.choices], required=False
    )
    mine = forms.BooleanField(label=_("Only requests I am named on"), required=False)


class PortalFilterForm(forms.Form):
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="iso",
        required=False,
        empty_label=_("All regions"),
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("All categories")), *Category.choices], required=False
    )
