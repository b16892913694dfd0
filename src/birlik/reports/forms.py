"""Forms of the dashboards (filters) and of plans (plan, one target, an XLSX import)."""

from __future__ import annotations

import calendar
import datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birlik.core import kpi
from birlik.events.models import FOUNDING_YEAR, Programme
from birlik.geo.models import Region
from birlik.registry.models import OrganisationKind

MAX_SPAN_DAYS = 5 * 366
FIRST_YEAR = FOUNDING_YEAR  # yearly totals imported from earlier records go back so far
PLAN_FIRST_YEAR = 2000  # plans: ``services.plan_create`` takes years from 2000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class RegionField(forms.ModelChoiceField[Region]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Region.objects.order_by("kato"), to_field_name="iso", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class KindField(forms.ModelChoiceField[OrganisationKind]):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=OrganisationKind.objects.order_by("position", "code"),
            to_field_name="code",
            **kwargs,
        )

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name_plural)


def month_names() -> list[tuple[str, str]]:
    """The twelve months named in the active language ("қаңтар", "январь", "January")."""
    from babel.dates import get_month_names
    from django.utils.translation import get_language

    from birlik.core.templatetags.birlik_format import LOCALES

    locale = LOCALES.get((get_language() or "kk").split("-")[0], "kk_KZ")
    names = get_month_names("wide", context="stand-alone", locale=locale)
    return [(str(number), str(names[number])) for number in range(1, 13)]


def last_year() -> int:
    """The last year figures may be asked for: next year (plans are made ahead)."""
    return timezone.localdate().year + 1


def checked_year(year: int | None) -> int | None:
    """A year figures may be asked for, or a translated error."""
    if year is not None and not FIRST_YEAR <= year <= last_year():
        raise forms.ValidationError(
            _("Give a year between %(first)s and %(last)s."),
            params={"first": FIRST_YEAR, "last": last_year()},
        )
    return year


def _narrow_regions(form: forms.Form, regions: list[Region] | None) -> None:
    """A user who sees some regions only is offered those only."""
    if regions is None:
        return
    field = cast(RegionField, form.fields["region"])
    field.queryset = Region.objects.filter(pk__in=[r.pk for r in regions]).order_by("kato")
    field.empty_label = None


class FigureFilterForm(forms.Form):
    """The period (a year, a quarter or a month of it, or two dates), a region, a kind."""

    year = forms.IntegerField(label=_("Year"), required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("whole year"))] + [(str(q), str(q)) for q in range(1, 5)],
    )
    month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("whole year"))] + [(str(m), str(m)) for m in range(1, 13)],
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    region = RegionField(label=_("Region"), required=False, empty_label=_("all regions"))
    kind = KindField(label=_("Kind of body"), required=False, empty_label=_("all kinds"))

    def __init__(self, *args: Any, regions: list[Region] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow_regions(self, regions)
        month = cast(forms.TypedChoiceField, self.fields["month"])
        month.choices = [("", _("whole year")), *month_names()]
        self.fields["year"].widget.attrs.update({"min": FIRST_YEAR, "max": last_year()})
        self.fields["year"].initial = timezone.localdate().year

    def clean_year(self) -> int | None:
        return checked_year(self.cleaned_data.get("year"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start or end:
            if not (start and end):
                self.add_error(
                    "date_to" if start else "date_from",
                    _("Give both dates of the period, or neither."),
                )
            elif start > end:
                self.add_error("date_to", _("The end of the period is before its start."))
            elif (end - start).days > MAX_SPAN_DAYS:
                self.add_error("date_to", _("A period may cover at most five years."))
            elif start.year < FIRST_YEAR or end.year > last_year():
                self.add_error(
                    "date_from",
                    _("Give dates between %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": last_year()},
                )
        if data.get("quarter") and data.get("month"):
            self.add_error("month", _("Choose a quarter or a month, not both."))
        return data

    def chosen_period(self) -> kpi.Period:
        """The period asked for, or the current year when the input was not understood."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("date_from") and data.get("date_to"):
            return kpi.Period(data["date_from"], data["date_to"])
        year = data.get("year") or timezone.localdate().year
        if data.get("quarter"):
            first = 3 * (data["quarter"] - 1) + 1
            last = first + 2
            return kpi.Period(
                datetime.date(year, first, 1),
                datetime.date(year, last, calendar.monthrange(year, last)[1]),
            )
        if data.get("month"):
            month = data["month"]
            return kpi.Period(
                datetime.date(year, month, 1),
                datetime.date(year, month, calendar.monthrange(year, month)[1]),
            )
        return kpi.Period.year(year)

    def chosen_region(self) -> Region | None:
        return self.cleaned_data.get("region") if self.is_valid() else None

    def chosen_kind(self) -> str | None:
        kind = self.cleaned_data.get("kind") if self.is_valid() else None
        return kind.code if kind is not None else None


class InterviewFilterForm(forms.Form):
    """(figures) The year and region of the Assembly's figures of the year."""

    year = forms.IntegerField(label=_("Year"), required=False)
    region = RegionField(label=_("Region"), required=False, empty_label=_("all regions"))

    def __init__(self, *args: Any, regions: list[Region] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _narrow_regions(self, regions)
        self.fields["year"].widget.attrs.update({"min": FIRST_YEAR, "max": last_year()})
        self.fields["year"].initial = timezone.localdate().year

    def clean_year(self) -> int | None:
        return checked_year(self.cleaned_data.get("year"))

    def chosen_period(self) -> kpi.Period:
        """The year asked for, or this year when the input was not understood."""
        year = (self.cleaned_data.get("year") if self.is_valid() else None) or (
            timezone.localdate().year
        )
        return kpi.Period.year(year)

    def chosen_region(self) -> Region | None:
        return self.cleaned_data.get("region") if self.is_valid() else None


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=PLAN_FIRST_YEAR, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300)


class PlanTitleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)


def indicator_choices() -> list[tuple[str, str]]:
    return [(item.key, f"{item.name} ({item.unit})") for item in kpi.indicators()]


class ProgrammeField(forms.ModelChoiceField[Programme]):
    """(programmes) A programme in use, by its code."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            queryset=Programme.objects.filter(is_active=True).order_by("position", "code"),
            to_field_name="code",
            **kwargs,
        )

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=())
    region = RegionField(label=_("Region"), required=False, empty_label=_("whole country"))
    kind = KindField(label=_("Kind of body"), required=False, empty_label=_("all kinds"))
    programme = ProgrammeField(
        label=_("Programme"),
        required=False,
        empty_label=_("all programmes"),
        help_text=_("Only for indicators counted by programme."),
    )
    value = forms.DecimalField(
        label=_("Target value"),
        min_value=Decimal(0),
        max_value=Decimal("999999999999.9"),
        max_digits=14,
        decimal_places=1,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["indicator"])
        field.choices = indicator_choices()


class TargetImportForm(forms.Form):
    file = forms.FileField(
        label=_("Targets (XLSX)"),
        help_text=_("The sheet exported from this page, filled in; at most 2 MB."),
    )
