"""The directory's search form: every value from the query string is checked, none trusted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from birlik.core import kpi
from birlik.core.widgets import FastSelect
from birlik.geo.models import District, Region
from birlik.registry.models import EthnicGroup, Organisation, OrganisationKind


class TerritoryFilterForm(forms.Form):
    """Region and district filters shared by the directory and the calendar: options cached per
    language, rendered by ``FastSelect``; a district outside the chosen region is reported."""

    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("kato"),
        to_field_name="iso",
        required=False,
        empty_label=_("All regions"),
        error_messages={"invalid_choice": _("Unknown region: choose one from the list.")},
    )
    district: forms.ModelChoiceField[District] = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.select_related("region").order_by("kato"),
        to_field_name="kato",
        required=False,
        empty_label=_("All districts"),
        error_messages={"invalid_choice": _("Unknown district: choose one from the list.")},
    )

    # The fields whose options come from the cached ``directory_choices``: only the territory
    # here, so that a subclass's own field of the same name (the calendar's kind of event) keeps
    # its choices.
    cached_choices: tuple[str, ...] = ("region", "district")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_code = str(self.data.get("region") or "").strip() if self.is_bound else ""
        for name, options in directory_choices(region_code).items():
            if name in self.cached_choices and name in self.fields:
                field = self.fields[name]
                field.widget = FastSelect(attrs=field.widget.attrs)
                field.widget.choices = options

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region = data.get("region")
        district = data.get("district")
        if district is not None and region is not None and district.region_id != region.pk:
            self.add_error(
                "district",
                _("This district is not in the chosen region: choose a district of that region."),
            )
        return data


class DirectoryForm(TerritoryFilterForm):
    field_order = ["q", "region", "district", "kind", "ethnic_group", "parent"]
    cached_choices = ("region", "district", "kind", "ethnic_group")

    q = forms.CharField(
        label=_("Name of the body"),
        required=False,
        max_length=200,
        strip=True,
        help_text=_("In Kazakh, Russian or English; Latin spelling works too."),
        error_messages={"max_length": _("The search text is too long: use at most 200 letters.")},
    )
    kind: forms.ModelChoiceField[OrganisationKind] = forms.ModelChoiceField(
        label=_("Kind of body"),
        queryset=OrganisationKind.objects.order_by("position", "code"),
        to_field_name="code",
        required=False,
        empty_label=_("All kinds"),
        error_messages={"invalid_choice": _("Unknown kind of body: choose one from the list.")},
    )
    ethnic_group: forms.ModelChoiceField[EthnicGroup] = forms.ModelChoiceField(
        label=_("Ethnic group"),
        queryset=EthnicGroup.objects.order_by("position", "code"),
        to_field_name="code",
        required=False,
        empty_label=_("All ethnic groups"),
        error_messages={"invalid_choice": _("Unknown ethnic group: choose one from the list.")},
    )
    parent: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Bodies under"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("Unknown body: the list is shown without this filter."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        district = data.get("district")
        if district is not None and data.get("region") is None and "region" not in self.errors:
            # A district alone implies its region; show that region as chosen.
            data["region"] = district.region
            self.data = {**self.data, "region": district.region.iso}
        return data

    def filters(self) -> dict[str, Any]:
        """The values that passed validation; invalid ones are left out (and reported)."""
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "region": data.get("region"),
            "district": data.get("district"),
            "kind": data.get("kind"),
            "ethnic_group": data.get("ethnic_group"),
            "parent": data.get("parent"),
        }


def directory_choices(region_code: str = "") -> dict[str, list[tuple[Any, Any]]]:
    """The options of the directory's selects in the active language (reference data, cached).

    Districts are those of the chosen region; with no region (or an unknown one), all of them
    grouped by region.
    """
    language = (get_language() or "kk").split("-")[0]
    value: dict[str, list[tuple[Any, Any]]] = kpi.cached(
        f"portal:directory-choices:{language}:{region_code[:10]}",
        lambda: _build_choices(region_code),
        timeout=3600,
    )
    return value


def _build_choices(region_code: str) -> dict[str, list[tuple[Any, Any]]]:
    regions = list(Region.objects.order_by("kato"))
    names = {region.pk: str(region.name) for region in regions}
    districts = list(District.objects.order_by("region__kato", "kato"))
    chosen = [r for r in regions if r.iso == region_code]
    district_choices: list[tuple[Any, Any]] = [("", str(_("All districts")))]
    if chosen:
        district_choices += [
            (d.kato, str(d.name)) for d in districts if d.region_id == chosen[0].pk
        ]
    else:
        groups: dict[str, list[tuple[str, str]]] = {}
        for district in districts:
            groups.setdefault(names[district.region_id], []).append(
                (district.kato, str(district.name))
            )
        district_choices += list(groups.items())
    return {
        "region": [("", str(_("All regions")))] + [(r.iso, str(r.name)) for r in regions],
        "district": district_choices,
        "kind": [("", str(_("All kinds")))]
        + [
            (k.code, str(k.name_plural))
            for k in OrganisationKind.objects.order_by("position", "code")
        ],
        "ethnic_group": [("", str(_("All ethnic groups")))]
        + [(g.code, str(g.name)) for g in EthnicGroup.objects.order_by("position", "code")],
    }
