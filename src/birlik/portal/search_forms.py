"""The portal's search box (home page and search page): words and a region, both checked."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from birlik.geo.models import Region

from .forms import TerritoryFilterForm


class SearchForm(TerritoryFilterForm):
    """Bodies and events by words of their names, in one region or the whole country."""

    field_order = ["q", "region"]
    cached_choices = ("region",)

    q = forms.CharField(
        label=_("Find a House of Friendship, an association or an event near you"),
        required=False,
        max_length=200,
        strip=True,
        help_text=_("In Kazakh, Russian or English, or only a region."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"max_length": _("The search text is too long: use at most 200 letters.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["district"]  # the search box asks for a region only

    def terms(self) -> tuple[str, Region | None]:
        """The words and the region that passed validation (an invalid one is reported)."""
        self.is_valid()
        data: dict[str, Any] = self.cleaned_data
        return data.get("q") or "", data.get("region")

    def understood(self) -> dict[str, str]:
        """The values understood, for the links to the directory and the calendar."""
        return {
            key: value
            for key in self.fields
            if (value := str(self.data.get(key, "")).strip()) and key not in self.errors
        }
