"""Forms of the staff workspace. They shape input; the rules live in ``registry.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core import uploads
from birlik.core.forms import DateInput
from birlik.core.forms import show_domain_error as show_domain_error  # re-exported: views
from birlik.geo.forms import DistrictChoiceField
from birlik.geo.models import District, Region
from birlik.imports import kinds as import_kinds
from birlik.imports.models import ImportJob
from birlik.registry import hours
from birlik.registry.models import EthnicGroup, Membership, Organisation, OrganisationKind


class BodyFilterForm(forms.Form):
    """Filters of the bodies list; a value that is not understood is reported and ignored."""

    q = forms.CharField(
        label=pgettext_lazy("name of a thing", "Name"), required=False, max_length=200
    )
    kind: forms.ModelChoiceField[OrganisationKind] = forms.ModelChoiceField(
        label=_("Kind of body"),
        queryset=OrganisationKind.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All kinds"),
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="iso",
        required=False,
        empty_label=_("All regions"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *Organisation.Status.choices],
        required=False,
    )

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "query": cleaned.get("q") or "",
            "kind": cleaned.get("kind"),
            "region": cleaned.get("region"),
            "status": cleaned.get("status") or "",
        }


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=pgettext_lazy("person", "Name"), required=False, max_length=200)


class BodyForm(forms.Form):
    """The description of a body in the three languages, its territory and contacts."""

    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=300, required=False)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=300, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    description_kk = forms.CharField(
        label=_("Description in Kazakh"), widget=forms.Textarea, required=False
    )
    description_ru = forms.CharField(
        label=_("Description in Russian"), widget=forms.Textarea, required=False
    )
    description_en = forms.CharField(
        label=_("Description in English"), widget=forms.Textarea, required=False
    )
    address_kk = forms.CharField(label=_("Address in Kazakh"), max_length=300, required=False)
    address_ru = forms.CharField(label=_("Address in Russian"), max_length=300, required=False)
    address_en = forms.CharField(label=_("Address in English"), max_length=300, required=False)
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    district = DistrictChoiceField(
        label=_("District"),
        queryset=District.objects.select_related("region").order_by("region__kato", "name"),
        required=False,
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    founded_on = forms.DateField(label=_("Founded on"), required=False, widget=DateInput())
    ethnic_groups: forms.ModelMultipleChoiceField[EthnicGroup] = forms.ModelMultipleChoiceField(
        label=_("Ethnic groups"),
        queryset=EthnicGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for ethnocultural associations."),
    )

    DATA_FIELDS = (
        "name_kk",
        "name_ru",
        "name_en",
        "description_kk",
        "description_ru",
        "description_en",
        "address_kk",
        "address_ru",
        "address_en",
        "region",
        "district",
        "phone",
        "email",
        "website",
        "founded_on",
    )

    def __init__(
        self,
        *args: Any,
        parent: Organisation | None = None,
        with_ethnic_groups: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Below a body tied to a region only that region (and its districts) can be chosen.
        if parent is not None and parent.region_id is not None:
            region_field = self.fields["region"]
            district_field = self.fields["district"]
            assert isinstance(region_field, forms.ModelChoiceField)  # noqa: S101 - typing
            assert isinstance(district_field, forms.ModelChoiceField)  # noqa: S101 - typing
            region_field.queryset = Region.objects.filter(pk=parent.region_id)
            district_field.queryset = District.objects.select_related("region").filter(
                region_id=parent.region_id
            )
            if parent.district_id is not None:
                district_field.queryset = district_field.queryset.filter(pk=parent.district_id)
        if not with_ethnic_groups:
            del self.fields["ethnic_groups"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(f"name_{lang}") for lang in ("kk", "ru", "en")):
            self.add_error("name_kk", _("Give the name of the body."))
        return cleaned

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.DATA_FIELDS}

    def ethnic_groups_for_service(self) -> list[EthnicGroup] | None:
        if "ethnic_groups" not in self.fields:
            return None
        return list(self.cleaned_data.get("ethnic_groups") or [])


class BodyCreateForm(BodyForm):
    kind: forms.ModelChoiceField[OrganisationKind] = forms.ModelChoiceField(
        label=_("Kind of body"),
        queryset=OrganisationKind.objects.none(),
        empty_label=_("Choose a kind of body"),
    )

    field_order = ["kind"]

    def __init__(self, *args: Any, parent: Organisation, **kwargs: Any) -> None:
        kinds = parent.kind.allowed_children.filter(is_active=True).order_by("position", "code")
        super().__init__(
            *args,
            parent=parent,
            with_ethnic_groups=kinds.filter(has_ethnic_groups=True).exists(),
            **kwargs,
        )
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ModelChoiceField)  # noqa: S101 - typing
        kind_field.queryset = kinds
        if parent.region_id is not None:
            self.initial.setdefault("region", parent.region_id)
        if parent.district_id is not None:
            self.initial.setdefault("district", parent.district_id)


class OpeningHoursForm(forms.Form):
    """A body's usual week as seven text fields, one per day ("09:00-13:00, 14:00-18:00";
    empty: closed), with the holiday rule and a note in each language. Works without
    JavaScript; the reading of the times is ``registry.hours.parse_day``'s."""

    PREFIX = "hours"
    LANGS = ("kk", "ru", "en")
    DAY_FIELDS = tuple(f"day_{weekday}" for weekday in range(7))

    # Tells a posted week (perhaps all empty: closed every day) from a post without it.
    sent = forms.CharField(widget=forms.HiddenInput, required=False, initial="1")
    open_on_public_holidays = forms.BooleanField(
        label=_("Open on public holidays as on other days"), required=False
    )
    note_kk = forms.CharField(label=_("Note in Kazakh"), max_length=300, required=False)
    note_ru = forms.CharField(label=_("Note in Russian"), max_length=300, required=False)
    note_en = forms.CharField(label=_("Note in English"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.PREFIX)
        super().__init__(*args, **kwargs)
        for weekday in range(7):
            self.fields[f"day_{weekday}"] = forms.CharField(
                label=capfirst(hours.WEEKDAYS[weekday]),
                max_length=100,
                required=False,
                widget=forms.TextInput(
                    attrs={
                        "autocomplete": "off",
                        "spellcheck": "false",
                        "aria-describedby": "hours-help",
                        "class": "hours-input",
                    }
                ),
            )
        self.order_fields(["sent", *self.DAY_FIELDS, "open_on_public_holidays", "note_kk"])
        self.intervals: tuple[hours.Interval, ...] = ()

    @classmethod
    def sent_in(cls, data: QueryDict) -> bool:
        return f"{cls.PREFIX}-sent" in data

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict[str, Any]:
        week = [
            hours.Interval(row.weekday, row.opens, row.closes)
            for row in organisation.opening_hours.all()
        ]
        initial: dict[str, Any] = {f"day_{d}": hours.day_text(week, d) for d in range(7)}
        initial["open_on_public_holidays"] = organisation.open_on_public_holidays
        for lang in cls.LANGS:
            initial[f"note_{lang}"] = getattr(organisation, f"opening_hours_note_{lang}", "")
        return initial

    def days(self) -> list[forms.BoundField]:
        return [self[f"day_{d}"] for d in range(7)]

    def notes(self) -> list[forms.BoundField]:
        return [self[f"note_{lang}"] for lang in self.LANGS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        intervals: list[hours.Interval] = []
        for weekday in range(7):
            name = f"day_{weekday}"
            if name not in cleaned:
                continue
            try:
                intervals.extend(hours.parse_day(weekday, cleaned[name]))
            except hours.HoursError as error:
                self.add_error(name, str(error.message))
        self.intervals = tuple(intervals)
        return cleaned

    def week_for_service(self) -> hours.OpeningWeek:
        return hours.OpeningWeek(
            intervals=self.intervals,
            note={lang: self.cleaned_data.get(f"note_{lang}") or "" for lang in self.LANGS},
            open_on_public_holidays=bool(self.cleaned_data.get("open_on_public_holidays")),
        )


class BodyCloseForm(forms.Form):
    closed_on = forms.DateField(label=_("Closed on"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log of the body."),
    )


class PersonForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    iin = forms.CharField(
        label=_("IIN"),
        max_length=20,
        required=False,
        help_text=_("12 digits; optional. It is stored so that it can be matched, not read back."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    DATA_FIELDS = ("last_name", "first_name", "patronymic", "phone", "email")

    def data_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) or "" for name in self.DATA_FIELDS}

    def iin_for_service(self) -> str | None:
        value = (self.cleaned_data.get("iin") or "").replace(" ", "")
        return value or None


class PersonCreateForm(PersonForm):
    consent_given_on = forms.DateField(
        label=_("Consent to the processing of personal data given on"),
        widget=DateInput(),
        help_text=_("A person is registered only with their written consent."),
    )


class PersonEditForm(PersonForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["iin"].label = _("New IIN")
        self.fields["iin"].help_text = _("Leave empty to keep the IIN already recorded.")


class MembershipForm(forms.Form):
    """The person is picked from a search result on the page; ``person`` is checked in scope."""

    person = forms.IntegerField(label=_("Person"), widget=forms.HiddenInput, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Start of term"), widget=DateInput())
    end_date = forms.DateField(label=_("End of term"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("start_date", timezone.localdate())
        self.initial.setdefault("role", Membership.Role.MEMBER)


class MembershipEndForm(forms.Form):
    end_date = forms.DateField(label=_("End of term"), widget=DateInput())


class ImportForm(forms.Form):
    # The file comes last: if an upload is stopped for its size, the fields before it are kept.
    import_kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(code, kind.label) for code, kind in import_kinds.KINDS.items()],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        allow_empty_file=True,  # the reader says so in its own words
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "At most %(size)s MB. The file may keep its title, its own column names (in "
            "Kazakh, Russian or English) and its totals: you choose the columns next."
        ) % {"size": uploads.limit_megabytes(uploads.IMPORT_LIMIT)}


def _default_field(key: str) -> forms.Field:
    """The field of the column step that gives one value to every row of a file."""
    from birlik.events.models import Event, Programme

    if key == "role":
        # Ordinary members unless the user says otherwise (the first role listed is "chair").
        return forms.ChoiceField(
            label=_("Role, when the file has none"),
            choices=Membership.Role.choices,
            initial=Membership.Role.MEMBER,
            required=False,
        )
    if key == "start_date":
        return forms.DateField(
            label=_("Start of term, when the file has none"), widget=DateInput(), required=False
        )
    if key == "consent_date":
        return forms.DateField(
            label=_("Written consents to personal data processing were collected on"),
            help_text=_(
                "Give it only if you hold a signed consent of every new person in the file."
            ),
            widget=DateInput(),
            required=False,
        )
    if key == "kind":
        return forms.ChoiceField(
            label=_("Kind, when the file has none"),
            choices=[("", "—")]
            + [(k.code, k.name) for k in OrganisationKind.objects.filter(is_active=True)],
            required=False,
        )
    if key == "event_kind":
        return forms.ChoiceField(
            label=_("Kind of event, when the file has none"),
            choices=[("", "—"), *Event.Kind.choices],
            required=False,
        )
    if key == "region":
        return forms.ChoiceField(
            label=_("Region, when the file has none"),
            choices=[("", "—")] + [(r.iso, r.name) for r in Region.objects.all()],
            required=False,
        )
    if key == "programme":
        return forms.ChoiceField(
            label=_("Programme of every row, when the file has none"),
            choices=[("", "—")] + [(p.code, p.name) for p in Programme.objects.all()],
            required=False,
        )
    if key == "year":
        return forms.IntegerField(
            label=_("Year of every row, when the file has none"),
            min_value=1995,
            max_value=timezone.localdate().year,
            required=False,
        )
    raise KeyError(key)


class ColumnsForm(forms.Form):
    """The column step: which row holds the column names, which Birlik field each column is,
    values for every row, and how to import."""

    header_line = forms.IntegerField(
        label=_("Row with the column names"), min_value=1, max_value=40
    )
    mode = forms.ChoiceField(
        label=_("How to import"),
        choices=ImportJob.Mode.choices,
        widget=forms.RadioSelect,
        initial=ImportJob.Mode.PARTIAL,
    )

    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        kind = import_kinds.KINDS[job.kind]
        choices = [("", _("— not imported —"))] + [(spec.key, spec.label) for spec in kind.fields]
        self.initial.setdefault("header_line", job.header_line or 1)
        self.initial.setdefault("mode", job.mode)
        self.columns: list[tuple[int, str, str]] = []
        for index, text in enumerate(job.header):
            name = f"col_{index}"
            self.fields[name] = forms.ChoiceField(
                label=text or _("Column %(number)s") % {"number": index + 1},
                choices=choices,
                required=False,
            )
            self.initial.setdefault(name, job.mapping.get(str(index), ""))
            self.columns.append((index, name, text))
        self.default_names: list[str] = []
        for key in kind.defaults:
            form_key = "event_kind" if (job.kind == "events" and key == "kind") else key
            self.fields[f"default_{key}"] = _default_field(form_key)
            value = job.defaults.get(key)
            if value:
                self.initial.setdefault(f"default_{key}", value)
            self.default_names.append(f"default_{key}")

    def mapping(self) -> dict[str, str]:
        return {
            str(index): self.cleaned_data.get(name) or "" for index, name, _text in self.columns
        }

    def defaults(self) -> dict[str, str]:
        result = {}
        for name in self.default_names:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            result[name.removeprefix("default_")] = (
                value.isoformat() if hasattr(value, "isoformat") else str(value)
            )
        return result
