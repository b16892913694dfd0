"""Forms of the labelling screens, the models page and the keyword lists. They shape input; the
rules (scope, one label per analyst, weights, terms) live in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import RISK_TOPICS, Label, Language, Topic

# Rules for every language are stored with a blank language; the list filter names them so.
EVERY_LANGUAGE = "*"
RULE_LANGUAGES = [
    ("", _("every language")),
    (Language.KK.value, Language.KK.label),
    (Language.RU.value, Language.RU.label),
    (Language.EN.value, Language.EN.label),
]


def _topic_choices() -> list[tuple[str, Any]]:
    return [(value, capfirst(label)) for value, label in Topic.choices]


class QueueForm(forms.Form):
    """Which topic to label next (GET); an unknown topic falls back to the first risk topic."""

    topic = forms.ChoiceField(label=_("Topic"), choices=_topic_choices, required=False)

    def topic_or_default(self) -> str:
        if self.is_valid() and self.cleaned_data["topic"]:
            return str(self.cleaned_data["topic"])
        return RISK_TOPICS[0]


class LabelForm(forms.Form):
    """One answer per topic: yes, no, not sure, or none (the topic is not judged)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", pgettext_lazy("label answer", "no answer")), *Label.Value.choices]
        for value, label in Topic.choices:
            self.fields[value] = forms.ChoiceField(
                label=capfirst(label),
                choices=choices,
                required=False,
                initial="",
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[str, str]:
        return {topic: str(self.cleaned_data.get(topic) or "") for topic in Topic.values}


class KeywordRuleForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=_topic_choices)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=RULE_LANGUAGES,
        required=False,
        help_text=_("A rule for one language is read only on items detected in it."),
    )
    terms = forms.CharField(
        label=_("Terms"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "One word or phrase per line. Case, punctuation and Kazakh letters typed as "
            "Russian ones do not matter. A word of five letters or more also matches its "
            "forms with other endings (its final vowels dropped, the rest must begin the word "
            "in the text); shorter words match only whole."
        ),
    )
    weight = forms.FloatField(
        label=_("Weight"),
        min_value=0.01,
        max_value=1,
        initial=0.6,
        widget=forms.NumberInput(attrs={"step": "0.05"}),
        help_text=_(
            "The score one term found gives the topic, from 0.01 to 1; each further term "
            "found raises it towards 1."
        ),
    )
    enabled = forms.BooleanField(label=_("Rule in use"), required=False, initial=True)


class KeywordFilterForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=lambda: [("", _("All topics")), *_topic_choices()],
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[
            ("", pgettext_lazy("keyword rules", "Any language")),
            (Language.KK.value, Language.KK.label),
            (Language.RU.value, Language.RU.label),
            (Language.EN.value, Language.EN.label),
            (EVERY_LANGUAGE, _("Rules for every language")),
        ],
        required=False,
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"topic": "", "language": ""}
        return {name: str(self.cleaned_data.get(name) or "") for name in ("topic", "language")}
