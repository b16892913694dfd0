"""Forms of the staff side of ideas (calls, moderation, answers, follow-up) and the public
comment form. They shape input; the rules live in ``services``."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.access.models import User
from birlik.access.policies import MANAGER_ROLES, prefix_q, roots
from birlik.charity.models import Project
from birlik.core.forms import DateInput
from birlik.core.workdays import legal_today
from birlik.events.models import Event
from birlik.registry.models import Organisation

from .models import Call, Category, Idea

# Bodies that open calls: the secretariat (national calls) and the assemblies (regional ones).
CALL_BODY_KINDS = ("secretariat", "regional_assembly", "city_assembly")
# Events and projects offered to link to an idea: of the idea's body subtree, this far around.
LINK_WINDOW_DAYS = 730


class BodyField(forms.ModelChoiceField[Organisation]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def call_bodies(user: User) -> QuerySet[Organisation]:
    """The bodies a manager may open a call for: the assemblies and secretariat under their
    grants, and the bodies the grants are on."""
    paths = roots(user, MANAGER_ROLES)
    return (
        Organisation.objects.filter(prefix_q("path", paths))
        .filter(Q(kind__code__in=CALL_BODY_KINDS) | Q(path__in=paths))
        .order_by("path")
    )


class CallForm(forms.Form):
    organisation = BodyField(label=_("Body"), queryset=Organisation.objects.none())
    title_kk = forms.CharField(label=_("Title in Kazakh"), max_length=300)
    title_ru = forms.CharField(label=_("Title in Russian"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=300, required=False)
    description_kk = forms.CharField(
        label=_("Description in Kazakh"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    description_ru = forms.CharField(
        label=_("Description in Russian"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    description_en = forms.CharField(
        label=_("Description in English"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    categories: forms.ModelMultipleChoiceField[Category] = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("ideas", "Categories"),
        queryset=Category.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None chosen: ideas of every category."),
    )
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    collect_until = forms.DateField(label=_("Ideas accepted until"), widget=DateInput())
    support_until = forms.DateField(label=_("Support gathered until"), widget=DateInput())
    review_until = forms.DateField(label=_("Review until"), widget=DateInput())
    threshold = forms.IntegerField(
        label=_("Supports needed for an official answer"), min_value=1, max_value=1_000_000
    )
    answer_working_days = forms.IntegerField(
        label=_("Working days for the official answer"), min_value=1, max_value=90
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Any], self.fields["organisation"])
        field.queryset = call_bodies(user)

    @staticmethod
    def initial_for(call: Call | None) -> dict[str, Any]:
        if call is None:
            today = legal_today()
            return {
                "opens_on": today,
                "collect_until": today + datetime.timedelta(days=30),
                "support_until": today + datetime.timedelta(days=60),
                "review_until": today + datetime.timedelta(days=90),
                "threshold": 100,
                "answer_working_days": 15,
            }
        names = [name for name in CallForm.base_fields if name != "categories"]
        initial = {name: getattr(call, name) for name in names if name != "organisation"}
        initial["organisation"] = call.organisation_id
        initial["categories"] = list(call.categories.values_list("pk", flat=True))
        return initial


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The author reads it on “My ideas”."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(forms.Form):
    body = BodyField(label=_("Answering body"), queryset=Organisation.objects.none())
    decision = forms.ChoiceField(
        label=_("Decision"), choices=Idea.Decision.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Official answer"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Written for the author and the public: what will be done, by whom, when."),
    )

    def __init__(self, *args: Any, bodies: QuerySet[Organisation], idea: Idea, **kwargs: Any):
        kwargs.setdefault("initial", {"body": idea.organisation_id})
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Any], self.fields["body"])
        field.queryset = bodies


class EventField(forms.ModelChoiceField[Event]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({obj.starts_at:%d.%m.%Y})"


class FollowUpForm(forms.Form):
    progress = forms.ChoiceField(label=_("Implementation"), choices=Idea.Progress.choices)
    event = EventField(label=_("Event"), queryset=Event.objects.none(), required=False)
    project: forms.ModelChoiceField[Project] = forms.ModelChoiceField(
        label=_("Charity project"), queryset=Project.objects.none(), required=False
    )
    result = forms.CharField(
        label=_("Result"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the idea's public page once the idea is implemented."),
    )
    implemented_on = forms.DateField(label=_("Implemented on"), required=False, widget=DateInput())

    def __init__(
        self,
        *args: Any,
        idea: Idea,
        events: QuerySet[Event],
        projects: QuerySet[Project],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "progress": idea.progress or Idea.Progress.PLANNED,
                "event": idea.event_id,
                "project": idea.project_id,
                "result": idea.result,
                "implemented_on": idea.implemented_on,
            },
        )
        super().__init__(*args, **kwargs)
        today = legal_today()
        window = datetime.timedelta(days=LINK_WINDOW_DAYS)
        event_field = cast(forms.ModelChoiceField[Any], self.fields["event"])
        event_field.queryset = (
            events.filter(
                organiser__path__startswith=idea.organisation.path,
                starts_at__date__gte=today - window,
                starts_at__date__lte=today + window,
            )
            | events.filter(pk=idea.event_id or 0)
        ).order_by("-starts_at")
        project_field = cast(forms.ModelChoiceField[Any], self.fields["project"])
        project_field.queryset = (
            projects.filter(centre__path__startswith=idea.organisation.path)
            | projects.filter(pk=idea.project_id or 0)
        ).order_by("-starts_on")


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Step"), max_length=300)
    due_on = forms.DateField(label=_("Planned for"), required=False, widget=DateInput())
    done_on = forms.DateField(label=_("Done on"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


ANSWER_STATES = [
    ("", _("any")),
    ("pending", _("awaiting moderation")),
    ("due", _("answer due")),
    ("overdue", _("answer overdue")),
    ("answered", _("answered")),
    ("late", _("answered late")),
    ("followed", _("accepted, followed up")),
]


class IdeaFilterForm(forms.Form):
    q = forms.CharField(label=_("Number or words of the title"), max_length=100, required=False)
    state = forms.ChoiceField(label=_("State"), choices=ANSWER_STATES, required=False)
    call: forms.ModelChoiceField[Call] = forms.ModelChoiceField(
        label=_("Call for ideas"), queryset=Call.objects.none(), required=False
    )
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=pgettext_lazy("ideas", "Category"), queryset=Category.objects.all(), required=False
    )

    def __init__(self, *args: Any, calls: QuerySet[Call], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Any], self.fields["call"])
        field.queryset = calls


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": "2000"}),
        help_text=_("Comments are published after a moderator reads them."),
    )
