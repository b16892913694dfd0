"""Forms of the journalists' club's register and of the public coverage page. They shape input;
the rules (which body, a link once, no date in the future) live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.forms import DateInput
from birlik.geo.models import Region
from birlik.registry.models import Organisation

from .models import ClubPublication
from .queries import COVERAGE_FIRST_YEAR, club_bodies
from .services import CLUB_FIRST_DAY


class RegionChoice(forms.ModelChoiceField[Region]):
    """A region chosen by its ISO code (the code stays in links to other pages)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Region.objects.order_by("kato"), to_field_name="iso", **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class BodyChoice(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(label=_("Year"), required=False)


def _year_bounds(form: forms.Form, first: int) -> None:
    form.fields["year"].widget.attrs.update({"min": first, "max": timezone.localdate().year})


def _check_year(year: int | None, first: int) -> int | None:
    last = timezone.localdate().year
    if year is not None and not first <= year <= last:
        raise forms.ValidationError(
            _("Give a year from %(first)s to %(last)s."), params={"first": first, "last": last}
        )
    return year


class ClubFilterForm(forms.Form):
    """The register's filters: a year (this year by default), a kind, a region, an outlet."""

    year = _year_field()
    kind = forms.ChoiceField(
        label=pgettext_lazy("club publication", "Kind"),
        required=False,
        choices=[("", _("All kinds")), *ClubPublication.Kind.choices],
    )
    region = RegionChoice(label=_("Region"), required=False, empty_label=_("All regions"))
    outlet = forms.CharField(label=_("Outlet"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _year_bounds(self, CLUB_FIRST_DAY.year)

    def clean_year(self) -> int | None:
        return _check_year(self.cleaned_data.get("year"), CLUB_FIRST_DAY.year)

    def filters(self) -> dict[str, Any]:
        """The filters understood; a value not understood is left out (the page says so)."""
        self.is_valid()
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        return {
            "year": data.get("year") or timezone.localdate().year,
            "kind": data.get("kind") or "",
            "region": data.get("region"),
            "outlet": data.get("outlet") or "",
        }


class ClubPublicationForm(forms.Form):
    organisation = BodyChoice(
        label=_("Club member or partner"),
        queryset=Organisation.objects.none(),
        help_text=_("The journalists' club, or a member or partner body under it."),
    )
    outlet = forms.CharField(
        label=_("Outlet"),
        max_length=200,
        help_text=_("The newspaper, website, TV channel or social-media account."),
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("club publication", "Kind"), choices=ClubPublication.Kind.choices
    )
    published_on = forms.DateField(label=_("Published on"), widget=DateInput())
    title = forms.CharField(label=_("Title"), max_length=500)
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=_("A link is in the register once."),
    )
    region = RegionChoice(
        label=_("Region"),
        required=False,
        empty_label=_("Whole country"),
        help_text=_("The region the publication is about."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = club_bodies(user=user)
        field: Any = self.fields["organisation"]
        field.queryset = bodies
        only = list(bodies[:2])
        if len(only) == 1 and not self.is_bound and "organisation" not in self.initial:
            self.initial["organisation"] = only[0].pk


class ClubImportForm(forms.Form):
    organisation = BodyChoice(
        label=_("Club member or partner"),
        queryset=Organisation.objects.none(),
        help_text=_("Every publication of the file is filed under this body."),
    )
    file = forms.FileField(
        label=_("Spreadsheet (XLSX or CSV)"),
        help_text=_(
            "Columns: date, outlet, kind (publication, TV story or post), title, link, "
            "region. A title above the table and totals below it are fine."
        ),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies = club_bodies(user=user)
        field: Any = self.fields["organisation"]
        field.queryset = bodies
        only = list(bodies[:2])
        if len(only) == 1 and not self.is_bound:
            self.initial["organisation"] = only[0].pk


class CoverageForm(forms.Form):
    """The year of the public coverage figures (this year by default)."""

    year = _year_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _year_bounds(self, COVERAGE_FIRST_YEAR)

    def clean_year(self) -> int | None:
        return _check_year(self.cleaned_data.get("year"), COVERAGE_FIRST_YEAR)

    def chosen_year(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return timezone.localdate().year
