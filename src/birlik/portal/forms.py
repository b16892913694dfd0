"""The directory's search form: every value from the query string is checked, none trusted."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from birlik.geo.models import District, Region
from birlik.registry.models import EthnicGroup, Organisation, OrganisationKind


class DirectoryForm(forms.Form):
    q = forms.CharField(
        label=_("Name of the body"),
        required=False,
        max_length=200,
        strip=True,
        help_text=_("In Kazakh, Russian or English; Latin spelling works too."),
        error_messages={"max_length": _("The search text is too long: use at most 200 letters.")},
    )
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].widget.choices = self._district_choices()

    def _district_choices(self) -> list[tuple[Any, Any]]:
        """The chosen region's districts; with no region, all of them grouped by region."""
        region_code = str(self.data.get("region") or "").strip() if self.is_bound else ""
        everywhere = District.objects.select_related("region").order_by("region__kato", "kato")
        districts = list(everywhere.filter(region__iso=region_code)) if region_code else []
        if not districts:  # no region chosen, or an unknown one: offer every district
            region_code = ""
            districts = list(everywhere)
        choices: list[tuple[Any, Any]] = [("", _("All districts"))]
        groups: dict[str, list[tuple[str, str]]] = {}
        for district in districts:
            groups.setdefault(str(district.region.name), []).append(
                (district.kato, str(district.name))
            )
        if region_code:
            for options in groups.values():
                choices.extend(options)
        else:
            choices.extend(groups.items())
        return choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region = data.get("region")
        district = data.get("district")
        if district is not None and region is not None and district.region_id != region.pk:
            self.add_error(
                "district",
                _("This district is not in the chosen region: choose a district of that region."),
            )
        elif district is not None and region is None and "region" not in self.errors:
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
