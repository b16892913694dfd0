"""The annual report request form: year, language, scope and formats."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from birlik.geo.models import Region

from . import queries
from .models import LANGUAGES, ReportFormat
from .policies import report_scope

NATIONAL = "national"


class ReportRequestForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        error_messages={
            "required": _("Give the year of the report."),
            "invalid": _("Give the year as a number, e.g. 2025."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=LANGUAGES,
        error_messages={
            "invalid_choice": _("Choose the language of the report: Kazakh, Russian or English.")
        },
    )
    scope = forms.ChoiceField(
        label=_("Figures of"),
        error_messages={"invalid_choice": _("Choose the country or one of your regions.")},
    )
    formats = forms.MultipleChoiceField(
        label=_("Formats"),
        choices=ReportFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one format: PDF, XLSX or DOCX."),
            "invalid_choice": _("Choose at least one format: PDF, XLSX or DOCX."),
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = report_scope(user)
        regions = Region.objects.order_by("kato")
        if not scope.national:
            regions = regions.filter(iso__in=sorted(scope.regions))
        choices: list[tuple[str, str]] = []
        if scope.national:
            choices.append((NATIONAL, str(_("Kazakhstan: national figures and every region"))))
        choices.extend((region.iso, region.name) for region in regions)
        self.regions = {region.iso: region for region in regions}
        self.fields["scope"].choices = choices  # type: ignore[attr-defined]
        self.fields["year"].initial = queries.last_year() - 1
        self.fields["language"].initial = (get_language() or "kk").split("-")[0]
        self.fields["scope"].initial = choices[0][0] if choices else None
        self.fields["formats"].initial = [ReportFormat.PDF, ReportFormat.XLSX]

    def region(self) -> Region | None:
        code = self.cleaned_data.get("scope")
        return None if code in (None, NATIONAL) else self.regions.get(code)
