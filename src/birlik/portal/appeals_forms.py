"""The public appeal form: addressee, kind (as the APPC names them), text, contact, consent."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core import validators
from django.utils.translation import gettext_lazy as _

from birlik.appeals.models import Appeal
from birlik.appeals.services import MAX_ATTACHMENTS, RATING_COMMENT_MAX, normalise_number
from birlik.core import uploads
from birlik.core.search import search
from birlik.core.text import query_keys
from birlik.geo.models import Region
from birlik.registry.models import Organisation

MATCHES_SHOWN = 20
# A registration number as ``appeals.services`` gives it: the year and a six-digit count.
NUMBER_SHAPE = re.compile(r"^\d{4}-\d{6,}$")

# One line for each kind of appeal of the Administrative Procedural-Process Code (Article 4).
KIND_EXPLANATIONS = {
    Appeal.Kind.STATEMENT: _(
        "Asks for help to exercise your rights or those of others, or tells of a breach of law."
    ),
    Appeal.Kind.COMPLAINT: _("Asks to restore your rights that a decision or an action violated."),
    Appeal.Kind.PROPOSAL: _("Suggests how to improve rules or the work of a body."),
    Appeal.Kind.REQUEST: _("Asks for information or an explanation."),
    Appeal.Kind.RESPONSE: _("Gives your opinion on a decision or a draft under discussion."),
    Appeal.Kind.REPORT: _("Tells of a fact or an event that the body should know of."),
}


class BodyChoice(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Any) -> str:
        if obj.region_id:
            return f"{obj.name} ({obj.region.name})"
        return str(obj.name)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service judges each by its content and size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class AppealForm(forms.Form):
    """What a citizen writes; the service decides the rest (number, term, routing)."""

    TO_ASSEMBLY = "assembly"
    TO_BODY = "body"

    addressee = forms.ChoiceField(
        label=_("To whom"),
        choices=[
            (TO_ASSEMBLY, _("To the Assembly: it reaches the assembly of your region")),
            (TO_BODY, _("To a particular body of the Assembly")),
        ],
        widget=forms.RadioSelect,
        initial=TO_ASSEMBLY,
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Your region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Choose your region"),
    )
    body_query = forms.CharField(
        label=_("Name of the body"),
        max_length=200,
        required=False,
        help_text=_("Type a part of the name and press “Find the body”."),
    )
    body = BodyChoice(
        label=_("Body"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    kind = forms.ChoiceField(
        label=_("Kind of appeal"),
        choices=Appeal.Kind.choices,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    text = forms.CharField(
        label=_("Text of the appeal"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    applicant_name = forms.CharField(label=_("Your full name"), max_length=200, required=False)
    applicant_address = forms.CharField(label=_("Postal address"), max_length=300, required=False)
    applicant_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    applicant_email = forms.EmailField(label=_("E-mail"), required=False)
    security_threat = forms.BooleanField(
        label=_("This is a report of a threat to security"), required=False
    )
    consent = forms.BooleanField(
        label=_(
            "I agree to the processing of my personal data for the consideration of this appeal"
        ),
        required=False,
    )
    # Last: if an upload is stopped for its size, the fields before it are kept.
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        allow_empty_file=True,  # the service says so in its own words
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )

    def __init__(self, *args: Any, preselected: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _(
            "Up to %(count)s files: JPEG, PNG or WebP photos and PDF documents, "
            "at most %(size)s MB each."
        ) % {"count": MAX_ATTACHMENTS, "size": uploads.limit_megabytes(uploads.ATTACHMENT_LIMIT)}
        self.fields["applicant_name"].widget.attrs["autocomplete"] = "name"
        self.fields["applicant_address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["applicant_phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["applicant_email"].widget.attrs["autocomplete"] = "email"
        ids = self.matching_ids(preselected)
        self.fields["body"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(pk__in=ids).select_related("region").order_by("path")
        )

    def matching_ids(self, preselected: Organisation | None) -> list[int]:
        """Bodies offered as choices: those matching the typed name, else the preselected one."""
        query = str(self.data.get("body_query", "")) if self.is_bound else ""
        ids: list[int] = []
        if query_keys(query):
            bodies = search(Organisation.objects.filter(status=Organisation.Status.ACTIVE), query)
            ids = list(bodies.order_by("path").values_list("pk", flat=True)[:MATCHES_SHOWN])
        chosen = self.data.get("body") if self.is_bound else None
        if chosen and str(chosen).isdigit() and int(chosen) not in ids:
            ids.append(int(chosen))
        if preselected is not None and preselected.pk not in ids:
            ids.append(preselected.pk)
        return ids

    @property
    def matches(self) -> list[Organisation]:
        return list(self.fields["body"].queryset)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        wants_body = cleaned.get("addressee") == self.TO_BODY
        if wants_body and not cleaned.get("body") and "body" not in self.errors:
            matches = self.matches
            if len(matches) == 1 and self.data.get("body_query"):
                cleaned["body"] = matches[0]
            elif matches:
                self.add_error("body", _("Several bodies match the name: choose one."))
            else:
                self.add_error(
                    "body_query",
                    _("Type the name of the body and press “Find the body”, then choose it."),
                )
        if cleaned.get("addressee") == self.TO_ASSEMBLY:
            cleaned["body"] = None
        return cleaned

    def kind_options(self) -> list[tuple[Any, Any]]:
        """Each radio button of the kind with its one-line explanation."""
        return [
            (option, KIND_EXPLANATIONS.get(option.data["value"], "")) for option in self["kind"]
        ]


class AppealFindForm(forms.Form):
    """The number on the receipt and the phone or e-mail given with the appeal."""

    number = forms.CharField(
        label=_("Registration number"),
        max_length=40,
        help_text=_("As on your receipt, e.g. 2026-000123."),
    )
    contact = forms.CharField(
        label=_("The phone or e-mail you gave with the appeal"),
        max_length=254,
        help_text=_("The private link is sent there, never shown on this page."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["contact"].widget.attrs["spellcheck"] = "false"

    def clean_number(self) -> str:
        number = normalise_number(self.cleaned_data["number"])
        if not NUMBER_SHAPE.match(number):
            raise forms.ValidationError(
                _("Write the number as on your receipt: the year, a dash and six digits.")
            )
        return number

    def clean_contact(self) -> str:
        contact = " ".join(str(self.cleaned_data["contact"]).split())
        if "@" in contact:
            validators.validate_email(contact)
        elif sum(char.isdigit() for char in contact) < 10:
            raise forms.ValidationError(
                _("Write the phone with its code, e.g. +7 701 234 56 78, or the e-mail.")
            )
        return contact


class RatingForm(forms.Form):
    """The applicant's rating of the answer: 1 (bad) to 5 (good) and an optional comment."""

    score = forms.TypedChoiceField(
        label=_("How useful is the answer?"),
        choices=[
            (5, _("5 — very good")),
            (4, _("4 — good")),
            (3, _("3 — acceptable")),
            (2, _("2 — poor")),
            (1, _("1 — very poor")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=RATING_COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
