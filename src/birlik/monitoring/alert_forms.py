"""Forms of the alert pages: the list's filters, the response steps and an alert rule.

The forms read and clean what was typed; the rules (state order, a growth factor above 1, a
mention rule's place or group) are the services' to enforce.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.geo.models import District, Region
from birlik.registry.models import EthnicGroup

from .models import RISK_TOPICS, Alert, AlertRule, AlertStep, Topic
from .services import ALERT_RULE_FIELDS

RISK_TOPIC_CHOICES = [(code, label) for code, label in Topic.choices if code in RISK_TOPICS]


class DistrictChoice(forms.ModelChoiceField[District]):
    """A district named with its region: several regions have a district of the same name."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.region.name})"


class AlertFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", pgettext_lazy("filter", "Any status")), *Alert.State.choices],
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.order_by("kato"),
        empty_label=_("All regions"),
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        required=False,
        choices=[("", pgettext_lazy("filter", "Any topic")), *RISK_TOPIC_CHOICES],
    )
    overdue = forms.BooleanField(label=_("Only alerts not acknowledged in time"), required=False)

    def filters(self) -> dict[str, Any]:
        """The understood filters (a value that does not fit is left out, and shown as an
        error on the form)."""
        empty: dict[str, Any] = {"state": "", "region": None, "topic": "", "overdue": False}
        if self.is_bound:
            self.is_valid()  # keeps the valid fields in cleaned_data
        cleaned = getattr(self, "cleaned_data", {})
        return {key: cleaned.get(key, default) for key, default in empty.items()}


class AssessForm(forms.Form):
    note = forms.CharField(
        label=_("Assessment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the situation is, as far as you know: who, where, how serious."),
    )


class ActForm(forms.Form):
    action = forms.ChoiceField(label=_("Action taken"), choices=AlertStep.Action.choices)
    note = forms.CharField(
        label=_("Note on the action"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("How it ended"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write how the alert ended before closing it.")},
    )


class AlertRuleForm(forms.ModelForm):
    """Cleans a rule's fields; ``services.alert_rule_save`` checks and writes them."""

    class Meta:
        model = AlertRule
        fields = list(ALERT_RULE_FIELDS)  # the fields the service audits
        field_classes = {"district": DistrictChoice}
        # Scores and factors are typed as the reader writes numbers: «0,7» in kk and ru.
        localized_fields = ("threshold", "growth_factor")
        labels = {
            "region": _("Region"),
            "district": _("District"),
            "ethnic_group": _("Ethnic group named"),
        }
        help_texts = {
            "topic": _(
                "Empty: the highest risk of any topic. A mention rule ignores the topic and "
                "the threshold."
            ),
            "threshold": _(
                "A score from 0 to 1. For a growth rule, the score one of the story's items "
                "must reach (0: any story)."
            ),
            "growth_factor": _(
                "Growth rules: the items of the last hour against the story's mean per hour "
                "over the 24 hours before."
            ),
            "min_per_hour": _("Growth rules: fewer items in the last hour never raise an alert."),
            "region": _("Empty: any region. The alert goes to the region the item names."),
            "district": _("Narrows the rule to items naming this district."),
            "ethnic_group": _("Narrows the rule to items naming this group."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)  # noqa: S101 - a model field with choices
        topic.choices = [("", _("Any topic: the highest risk")), *RISK_TOPIC_CHOICES]
        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)  # noqa: S101
        district.queryset = District.objects.select_related("region").order_by(
            "region__kato", "kato"
        )
        group = self.fields["ethnic_group"]
        assert isinstance(group, forms.ModelChoiceField)  # noqa: S101
        group.queryset = EthnicGroup.objects.order_by("position", "code")
        for name in ("threshold", "growth_factor"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"
