"""Forms of the staff's event pages. They shape input; the rules live in ``events.services``."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.core import uploads
from birlik.core.forms import DateInput, DateTimeLocalInput
from birlik.geo.forms import DistrictChoiceField
from birlik.geo.models import District, Region
from birlik.registry.models import Organisation

from .models import Audience, Event, EventAttachment, EventReport, Programme

LANGS = ("kk", "ru", "en")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
HOUSE_OF_FRIENDSHIP = "house_of_friendship"
CO_ORGANISERS_MAX = 20


def _yes(value: str) -> bool:
    return value == "yes"


class VenueChoiceField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


# --- Planning --------------------------------------------------------------------------------


class EventForm(forms.Form):
    """What, when, where and for whom: the description of an event in the three languages."""

    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300, required=False)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)
    description_kk = forms.CharField(
        label=_("Description in Kazakh"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_ru = forms.CharField(
        label=_("Description in Russian"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_en = forms.CharField(
        label=_("Description in English"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.filter(is_active=True),
        required=False,
        empty_label=_("No programme: the body's own event"),
    )
    kind = forms.ChoiceField(
        label=_("Kind of event"), choices=[("", _("Choose a kind of event")), *Event.Kind.choices]
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=Event.Format.choices,
        initial=Event.Format.IN_PERSON,
        widget=forms.RadioSelect,
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    district = DistrictChoiceField(
        label=_("District"),
        queryset=District.objects.select_related("region").order_by("region__kato", "name"),
        required=False,
    )
    venue = VenueChoiceField(
        label=_("Venue"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("No venue: the address below"),
        help_text=_("A House of Friendship of the region, if the event is held there."),
    )
    address_kk = forms.CharField(label=_("Address in Kazakh"), max_length=300, required=False)
    address_ru = forms.CharField(label=_("Address in Russian"), max_length=300, required=False)
    address_en = forms.CharField(label=_("Address in English"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("For online and mixed events."),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=DateTimeLocalInput(),
        help_text=_("Astana and Almaty time."),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"),
        widget=DateTimeLocalInput(),
        help_text=_("Astana and Almaty time."),
    )
    audiences: forms.ModelMultipleChoiceField[Audience] = forms.ModelMultipleChoiceField(
        label=_("Audience"),
        queryset=Audience.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages of the event"),
        choices=Event.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        initial=["kk"],
    )
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"),
        choices=Event.Accessibility.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=1_000_000,
        required=False,
        help_text=_("Leave empty when the number of places is not limited."),
    )
    registration_required = forms.TypedChoiceField(
        label=_("Registration online"),
        choices=YES_NO,
        coerce=_yes,
        initial="yes",
        widget=forms.RadioSelect,
        help_text=_("Without it, the attendance is reported after the event."),
    )
    co_organisers = forms.CharField(
        label=_("Co-organisers"),
        required=False,
        max_length=400,
        help_text=_(
            "Numbers of the co-organising bodies, separated by commas. A body's number is shown "
            "on its page."
        ),
    )

    DATA_FIELDS = (
        *(f"title_{lang}" for lang in LANGS),
        *(f"description_{lang}" for lang in LANGS),
        *(f"address_{lang}" for lang in LANGS),
        "programme",
        "kind",
        "format",
        "region",
        "district",
        "venue",
        "online_url",
        "starts_at",
        "ends_at",
        "languages",
        "accessibility",
        "capacity",
        "registration_required",
    )

    def __init__(self, *args: Any, organiser: Organisation, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        district_field = self.fields["district"]
        venue_field = self.fields["venue"]
        assert isinstance(region_field, forms.ModelChoiceField)  # noqa: S101 - typing
        assert isinstance(district_field, forms.ModelChoiceField)  # noqa: S101 - typing
        assert isinstance(venue_field, forms.ModelChoiceField)  # noqa: S101 - typing
        venues: QuerySet[Organisation] = Organisation.objects.filter(
            kind__code=HOUSE_OF_FRIENDSHIP, status=Organisation.Status.ACTIVE
        )
        if organiser.region_id is not None:
            # A body tied to a region plans its events there, in that region's houses.
            region_field.queryset = Region.objects.filter(pk=organiser.region_id)
            district_field.queryset = District.objects.select_related("region").filter(
                region_id=organiser.region_id
            )
            venues = venues.filter(region_id=organiser.region_id)
            self.initial.setdefault("region", organiser.region_id)
            if organiser.district_id is not None:
                self.initial.setdefault("district", organiser.district_id)
        else:
            venues = policies.scoped(venues, user)
        venue_field.queryset = venues.order_by("name")

    def clean_co_organisers(self) -> list[Organisation]:
        raw = self.cleaned_data.get("co_organisers") or ""
        parts = [part for part in re.split(r"[\s,;]+", raw) if part]
        if any(not part.isdigit() for part in parts):
            raise ValidationError(_("Write the numbers of the bodies, separated by commas."))
        numbers = list(dict.fromkeys(int(part) for part in parts))
        if len(numbers) > CO_ORGANISERS_MAX:
            raise ValidationError(
                _("At most %(count)s co-organisers.") % {"count": CO_ORGANISERS_MAX}
            )
        bodies = list(
            Organisation.objects.filter(pk__in=numbers, status=Organisation.Status.ACTIVE)
        )
        unknown = sorted(set(numbers) - {body.pk for body in bodies})
        if unknown:
            raise ValidationError(
                _("No active body has these numbers: %(numbers)s.")
                % {"numbers": ", ".join(str(n) for n in unknown)}
            )
        return bodies

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(f"title_{lang}") for lang in LANGS):
            self.add_error("title_kk", _("Give the title of the event."))
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if (
            isinstance(starts, datetime.datetime)
            and isinstance(ends, datetime.datetime)
            and ends < starts
        ):
            self.add_error("ends_at", _("The event cannot end before it starts."))
        return cleaned

    def data_for_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.DATA_FIELDS}
        for name in ("region",):
            if data[name] is None:
                del data[name]
        return data

    def audiences_for_service(self) -> list[Audience]:
        return list(self.cleaned_data.get("audiences") or [])

    def co_organisers_for_service(self) -> list[Organisation]:
        return list(self.cleaned_data.get("co_organisers") or [])

    @classmethod
    def initial_from(cls, event: Event) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(event, name)
            for name in cls.DATA_FIELDS
            if name not in {"region", "district", "venue", "programme"}
        }
        initial.update(
            region=event.region_id,
            district=event.district_id,
            venue=event.venue_id,
            programme=event.programme_id,
            languages=event.language_codes,
            accessibility=event.accessibility_codes,
            registration_required="yes" if event.registration_required else "no",
            audiences=[audience.pk for audience in event.audiences.all()],
            co_organisers=", ".join(str(body.pk) for body in event.co_organisers.all()),
        )
        return initial


class EventCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log of the event."),
    )


# --- Lists -----------------------------------------------------------------------------------


class EventFilterForm(forms.Form):
    """Filters of the events list; a value that is not understood is reported and ignored."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Event.Status.choices], required=False
    )
    programme: forms.ModelChoiceField[Programme] = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All programmes"),
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="iso",
        required=False,
        empty_label=_("All regions"),
    )
    body = forms.IntegerField(
        label=_("Body number"),
        required=False,
        min_value=1,
        help_text=_("Events of this body and the bodies below it."),
    )
    late = forms.BooleanField(
        label=_("Only late reports"),
        required=False,
        help_text=_("Events not reported in time, and reports that came late."),
    )

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {key: cleaned.get(key) for key in self.fields if key not in self.errors}


class RegistrationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or phone"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


# --- Registration and check-in ---------------------------------------------------------------


class RegisterForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the notices"),
        choices=settings.LANGUAGES,
        initial="kk",
    )
    consent = forms.BooleanField(
        label=_("The person agrees to the processing of their personal data for this event."),
        error_messages={
            "required": _("Registration needs the person's consent to the processing of data.")
        },
    )


TICKET_CODE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Ticket code"),
        max_length=300,
        help_text=_("Scan the QR code of the ticket or type the code printed under it."),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args: Any, scanning: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if scanning:
            # The camera fills the field: focusing it would open the phone's keyboard over the
            # camera's picture after every scan.
            self.fields["code"].widget.attrs.pop("autofocus", None)

    def clean_code(self) -> str:
        # The QR code holds the ticket code; a scanner may also read the ticket's address
        # (…/tickets/<code>/, from the SMS), which ends with the code.
        value = (self.cleaned_data.get("code") or "").strip()
        value = value.split("?", 1)[0].split("#", 1)[0].rstrip("/")
        code = value.rsplit("/", 1)[-1]
        if not TICKET_CODE.match(code):
            raise ValidationError(_("No ticket of this event has this code."))
        return code


# --- Report ----------------------------------------------------------------------------------


class EventReportForm(forms.Form):
    held = forms.TypedChoiceField(
        label=_("Was the event held?"),
        choices=YES_NO,
        coerce=_yes,
        initial="yes",
        widget=forms.RadioSelect,
    )
    reported_count = forms.IntegerField(
        label=_("Participants not registered online"),
        min_value=0,
        max_value=1_000_000,
        initial=0,
        help_text=_(
            "People who came without an online registration and are not on an imported "
            "sign-in sheet. Registered people checked in at the door are counted already."
        ),
    )
    outcomes = forms.CharField(
        label=_("Outcomes"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    press_links = forms.CharField(
        label=_("Press links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One address per line, starting with https://"),
    )

    BREAKDOWN_PREFIX = "audience_"

    def __init__(self, *args: Any, event: Event, audiences: list[Audience], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audiences = audiences
        for audience in audiences:
            self.fields[self.BREAKDOWN_PREFIX + audience.code] = forms.IntegerField(
                label=capfirst(audience.name),
                min_value=0,
                max_value=1_000_000,
                required=False,
            )

    @property
    def breakdown_fields(self) -> list[forms.BoundField]:
        return [self[self.BREAKDOWN_PREFIX + audience.code] for audience in self.audiences]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in ("held", "reported_count", "outcomes", "press_links")
            if name in self.fields
        ]

    def clean_press_links(self) -> str:
        validate = URLValidator(schemes=["http", "https"])
        lines = [line.strip() for line in (self.cleaned_data.get("press_links") or "").splitlines()]
        links = [line for line in lines if line]
        bad: list[str] = []
        for link in links:
            try:
                validate(link)
            except ValidationError:
                bad.append(link[:80])
        if bad:
            raise ValidationError(
                _("These lines are not web addresses: %(lines)s. Write one address per line.")
                % {"lines": "; ".join(bad)}
            )
        return "\n".join(dict.fromkeys(links))

    def breakdown_for_service(self) -> dict[str, int]:
        return {
            audience.code: value
            for audience in self.audiences
            if (value := self.cleaned_data.get(self.BREAKDOWN_PREFIX + audience.code))
        }

    @classmethod
    def initial_from(cls, report: EventReport | None) -> dict[str, Any]:
        if report is None:
            return {}
        initial: dict[str, Any] = {
            "held": "yes" if report.held else "no",
            "reported_count": report.reported_count,
            "outcomes": report.outcomes,
            "press_links": report.press_links,
        }
        for code, value in (report.breakdown or {}).items():
            initial[cls.BREAKDOWN_PREFIX + str(code)] = value
        return initial


class AttachmentForm(forms.Form):
    # The file comes last: if an upload is stopped for its size, the fields before it are kept.
    kind = forms.ChoiceField(
        label=_("What the file is"),
        choices=EventAttachment.Kind.choices,
        initial=EventAttachment.Kind.PHOTO,
        widget=forms.RadioSelect,
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    file = forms.FileField(
        label=_("Photo or document"),
        allow_empty_file=True,  # uploads.check_file says so in its own words
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "JPEG, PNG or WebP photos and PDF documents, at most %(size)s MB."
        ) % {"size": uploads.limit_megabytes(uploads.ATTACHMENT_LIMIT)}


class SheetForm(forms.Form):
    # The files are the last fields: an upload stopped for its size keeps nothing else to lose.
    file = forms.FileField(
        label=_("Sign-in sheet (XLSX or CSV)"),
        allow_empty_file=True,  # the reader says so in its own words
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    scan = forms.FileField(
        label=_("Scan of the signed sheet (optional)"),
        required=False,
        allow_empty_file=True,  # uploads.check_file says so in its own words
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "At most %(size)s MB, one person per line. The columns are found by their headers "
            "in Kazakh, Russian or English: full name (or last and first name), phone, e-mail; "
            "title lines above the list and totals or signatures below it are skipped."
        ) % {"size": uploads.limit_megabytes(uploads.IMPORT_LIMIT)}
        self.fields["scan"].help_text = _(
            "A photo (JPEG, PNG) or a PDF of the paper sheet with the signatures, at most "
            "%(size)s MB: it is kept with the event's documents as evidence."
        ) % {"size": uploads.limit_megabytes(uploads.ATTACHMENT_LIMIT)}

    def clean_scan(self) -> Any:
        scan = self.cleaned_data.get("scan")
        if scan:
            try:
                uploads.check_file(
                    scan, kinds=uploads.PDF_JPEG_PNG, max_bytes=uploads.ATTACHMENT_LIMIT
                )
            except uploads.UploadError as error:
                raise ValidationError(str(error.message)) from error
        return scan or None
