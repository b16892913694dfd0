"""Form fields of the territory, shared by every app's pages."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import District


class DistrictChoiceField(forms.ModelChoiceField[District]):
    """A district named with its region ("Ақсу (Павлодар облысы)"): many names repeat."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.region.name})"
