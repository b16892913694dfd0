"""Filters of the pages analysts and coordinators read: items, stories, the tension index.

Every field is optional; a value that is not understood is reported and left out, and the list
is narrowed by the rest (``filters()``)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.widgets import FastSelect

from .models import Item, Language, Source, Topic
from .queries import SORT_NEWEST, SORT_RISKIEST, ItemFilters, StoryFilters, regions_read

DATE_ERROR = {"invalid": _("Enter a date as YYYY-MM-DD.")}
RISK_ERRORS = {
    "invalid": _("Enter the risk as a number from 0 to 1, for example 0.7."),
    "min_value": _("Enter the risk as a number from 0 to 1, for example 0.7."),
    "max_value": _("Enter the risk as a number from 0 to 1, for example 0.7."),
}


def _region_field(user: Any) -> forms.ModelChoiceField[Any]:
    return forms.ModelChoiceField(
        label=_("Region"),
        queryset=regions_read(user=user),
        required=False,
        empty_label=_("All regions"),
        error_messages={"invalid_choice": _("Choose one of your regions from the list.")},
    )


def _risk_field() -> forms.FloatField:
    return forms.FloatField(
        label=_("Risk at least (0 to 1)"),
        min_value=0,
        max_value=1,
        required=False,
        error_messages=RISK_ERRORS,
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
    )


class ItemFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Title contains"),
        max_length=200,
        required=False,
        help_text=_("For now the search looks in titles only."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("In any language")), *Language.choices],
        required=False,
    )
    topic = forms.ChoiceField(
        label=_("Topic found (probability 0.5 or more)"),
        choices=[("", _("Any topic")), *Topic.choices],
        required=False,
    )
    min_risk = _risk_field()
    date_from = forms.DateField(
        label=_("Published from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERROR,
    )
    date_to = forms.DateField(
        label=_("Published until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE_ERROR,
    )
    state = forms.ChoiceField(
        label=_("Processing"),
        choices=[("", _("Any state")), *Item.State.choices],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[(SORT_NEWEST, _("Newest first")), (SORT_RISKIEST, _("Highest risk first"))],
        required=False,
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = _region_field(user)
        self.fields["source"] = forms.ModelChoiceField(
            label=pgettext_lazy("media", "Source"),
            queryset=Source.objects.order_by("name", "pk"),
            required=False,
            empty_label=_("All sources"),
            widget=FastSelect,
            error_messages={"invalid_choice": _("Choose a source from the list.")},
        )
        self.order_fields(
            ["q", "language", "topic", "region", "min_risk", "date_from", "date_to", "state"]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> ItemFilters:
        """The filters that were understood (an invalid field is left out)."""
        self.is_valid()
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        region, source = data.get("region"), data.get("source")
        return ItemFilters(
            q=data.get("q") or "",
            language=data.get("language") or "",
            topic=data.get("topic") or "",
            region=region.pk if region is not None else None,
            min_risk=data.get("min_risk"),
            date_from=_date(data.get("date_from")),
            date_to=_date(data.get("date_to")),
            state=data.get("state") or "",
            source=source.pk if source is not None else None,
            sort=data.get("sort") or SORT_NEWEST,
        )


def _date(value: Any) -> datetime.date | None:
    return value if isinstance(value, datetime.date) else None


class StoryFilterForm(forms.Form):
    shown = forms.ChoiceField(
        label=pgettext_lazy("media stories", "Stories"),
        choices=[("open", _("Open stories")), ("all", _("All stories"))],
        required=False,
    )
    min_risk = _risk_field()

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = _region_field(user)
        self.order_fields(["shown", "region", "min_risk"])

    def filters(self) -> StoryFilters:
        self.is_valid()
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        region = data.get("region")
        return StoryFilters(
            open_only=(data.get("shown") or "open") == "open",
            region=region.pk if region is not None else None,
            min_risk=data.get("min_risk"),
        )


class TensionFilterForm(forms.Form):
    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = _region_field(user)

    def region_id(self) -> int | None:
        self.is_valid()
        region = getattr(self, "cleaned_data", {}).get("region")
        return region.pk if region is not None else None
