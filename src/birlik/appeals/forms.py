"""Forms of the staff's appeal and proposal pages. They shape input; the rules live in
``appeals.services``."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.access import policies
from birlik.access.models import User
from birlik.core.forms import DateInput
from birlik.core.templatetags.birlik_format import long_date
from birlik.core.workdays import LEGAL_TZ, legal_today
from birlik.registry.models import Organisation

from . import queries
from .models import Appeal, Proposal, StateBody

QUEUES = [
    ("open", _("All open")),
    ("due_soon", _("Due soon")),
    ("overdue", _("Overdue")),
    ("to_redirect", _("To redirect")),
    ("mine", _("Mine")),
    ("not_considered", _("Not considered")),
    ("all", _("All appeals")),
]


class InboxFilterForm(forms.Form):
    """Queue and filters of the inbox; a value that is not understood is reported and ignored."""

    queue = forms.ChoiceField(label=_("Queue"), choices=QUEUES, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Appeal.Status.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind of appeal"),
        choices=[("", _("Any kind")), *Appeal.Kind.choices],
        required=False,
    )
    body = forms.IntegerField(label=_("Body number"), required=False, min_value=1)

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "queue": cleaned.get("queue") or "open",
            "status": cleaned.get("status") or "",
            "kind": cleaned.get("kind") or "",
            "body": cleaned.get("body"),
        }


class ProposalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *Proposal.Status.choices],
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Any outcome")), *Proposal.Outcome.choices],
        required=False,
    )

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {"status": cleaned.get("status") or "", "outcome": cleaned.get("outcome") or ""}


def staff_bodies(user: Any) -> QuerySet[Organisation]:
    """Active bodies on which the user works as staff (where they may register and draft)."""
    return Organisation.objects.filter(
        policies.prefix_q("path", policies.roots(user, policies.STAFF_ROLES)),
        status=Organisation.Status.ACTIVE,
    ).order_by("path")


class BodyField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ChooseBodyForm(forms.Form):
    """Which body a paper appeal or a proposal is for."""

    BODIES_SHOWN = 300

    body = BodyField(label=_("Body"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = list(staff_bodies(user).values_list("pk", flat=True)[: self.BODIES_SHOWN])
        self.fields["body"].queryset = Organisation.objects.filter(pk__in=ids).order_by("path")  # type: ignore[attr-defined]


class PaperAppealForm(forms.Form):
    """An appeal received on paper, at a meeting or by e-mail, registered by staff."""

    channel = forms.ChoiceField(
        label=pgettext_lazy("how received", "Received"),
        choices=[
            (Appeal.Channel.PAPER, Appeal.Channel.PAPER.label),
            (Appeal.Channel.MEETING, Appeal.Channel.MEETING.label),
            (Appeal.Channel.EMAIL, Appeal.Channel.EMAIL.label),
        ],
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=DateInput(), required=False, help_text=_("Today if empty.")
    )
    kind = forms.ChoiceField(label=_("Kind of appeal"), choices=Appeal.Kind.choices)
    language = forms.ChoiceField(
        label=_("Language of the appeal"),
        choices=[("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))],
    )
    subject = forms.CharField(label=_("Subject"), max_length=300, required=False)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=200, required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=300, required=False)
    applicant_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    applicant_email = forms.EmailField(label=_("E-mail"), required=False)
    security_threat = forms.BooleanField(label=_("Reports a threat to security"), required=False)
    consent = forms.BooleanField(
        label=_("The applicant consented to the processing of their personal data"),
        required=False,
    )

    def clean_received_on(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("received_on")
        if day is not None and day > legal_today():
            raise forms.ValidationError(_("The date of receipt cannot be in the future."))
        return day

    def received_at(self) -> datetime.datetime:
        day = self.cleaned_data.get("received_on")
        if day is None or day == legal_today():
            return timezone.now()
        return datetime.datetime.combine(day, datetime.time(12), tzinfo=LEGAL_TZ)


def executors_for(organisation: Organisation) -> QuerySet[User]:
    """Users with an active staff grant on the body or on a body above it."""
    ancestors = [
        organisation.path[: i * organisation.steplen] for i in range(1, organisation.depth + 1)
    ]
    return (
        User.objects.filter(
            grants__organisation__path__in=ancestors,
            grants__role__in=list(policies.STAFF_ROLES),
            grants__revoked_at__isnull=True,
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "username")
    )


class UserField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: Any) -> str:
        return queries.person_name(obj)


class AssignForm(forms.Form):
    executor = UserField(label=_("Executor"), queryset=User.objects.none())

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["executor"].queryset = executors_for(organisation)  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Seen by the staff handling the appeal only, never by the applicant."),
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Write the answer in the language of the appeal."),
    )


class ExtendForm(forms.Form):
    until = forms.DateField(label=_("New due date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=1000,
        help_text=_("The applicant is told the new date and this reason at once."),
    )

    def __init__(self, *args: Any, latest: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if latest is not None:
            self.fields["until"].widget.attrs["max"] = latest.isoformat()
            self.fields["until"].help_text = _(
                "A working day, %(date)s at the latest (two months from the registration)."
            ) % {"date": long_date(latest)}


class StateBodyField(forms.ModelChoiceField[StateBody]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def state_bodies_for(organisation: Organisation) -> QuerySet[StateBody]:
    """The ministries and the state bodies of the body's region."""
    near = Q(kind=StateBody.Kind.MINISTRY)
    if organisation.region_id:
        near |= Q(region_id=organisation.region_id)
    else:
        near |= Q(region__isnull=True)
    return StateBody.objects.filter(near, is_active=True).order_by("kind", "name")


class RedirectForm(forms.Form):
    state_body = StateBodyField(label=_("Competent state body"), queryset=StateBody.objects.none())
    reason = forms.CharField(label=_("Why it is outside the body's competence"), max_length=1000)

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state_body"].queryset = state_bodies_for(organisation)  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for closing"),
        max_length=1000,
        required=False,
        help_text=_("Required when the appeal is closed without an answer."),
    )


class ProposalForm(forms.Form):
    state_body = StateBodyField(label=_("State body"), queryset=StateBody.objects.none())
    title = forms.CharField(label=_("Title"), max_length=300)
    text = forms.CharField(
        label=_("Proposal and its grounds"), widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["state_body"].queryset = state_bodies_for(organisation)  # type: ignore[attr-defined]


class SendForm(forms.Form):
    number = forms.CharField(label=_("Outgoing number"), max_length=30, required=False)


class ProposalAnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Proposal.Outcome.choices)
    answer_text = forms.CharField(
        label=_("Answer of the state body"), widget=forms.Textarea(attrs={"rows": 6})
    )
    actions_taken = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
