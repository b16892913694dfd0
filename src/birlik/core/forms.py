"""Form pieces every app's pages share: date inputs and the way a service's error is shown."""

from __future__ import annotations

from typing import Any

from django import forms

from birlik.core.errors import DomainError


class DateInput(forms.DateInput):
    """The browser's date picker (ISO value, shown in the reader's locale)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker; the value is read in Asia/Almaty time."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def show_domain_error(form: forms.Form, error: DomainError) -> None:
    """Put a service's message on the field it names, or on the form as a whole."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))
