"""Forms of the sources pages: a source, the filter of the list, an upload for a source and an
item typed by hand. They check what a form can; the rules are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.access.policies import prefix_q
from birlik.core import uploads
from birlik.core.forms import DateTimeLocalInput
from birlik.geo.models import Region
from birlik.registry.models import Organisation

from .models import ClubPublication, Language, Source
from .policies import CLUB_KIND, regions_of
from .queries import SOURCE_STATES

# What staff choose from: the hand-entered source is made by Birlik itself.
KINDS = [(value, label) for value, label in Source.Kind.choices if value != Source.Kind.MANUAL]
DECLARED_LANGUAGES = [
    ("", pgettext_lazy("declared language", "not declared")),
    (Language.KK, Language.KK.label),
    (Language.RU, Language.RU.label),
    (Language.EN, Language.EN.label),
]


def club_bodies() -> Any:
    """The journalists' clubs and the member and partner bodies registered under them."""
    paths = list(Organisation.objects.filter(kind__code=CLUB_KIND).values_list("path", flat=True))
    if not paths:
        return Organisation.objects.none()
    return Organisation.objects.filter(prefix_q("path", paths)).order_by("path")


class SourceForm(forms.Form):
    name = forms.CharField(label=_("Name of the source"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of source"), choices=KINDS)
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=1000,
        required=False,
        help_text=_(
            "For a feed, a sitemap or a page: its address (http:// or https://). For a "
            "Telegram channel: its t.me address, so that posts link to it."
        ),
    )
    language = forms.ChoiceField(
        label=_("Declared language"),
        choices=DECLARED_LANGUAGES,
        required=False,
        help_text=_("Used when a text is too short to tell its language."),
    )
    home_region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Home region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Whole country (a national outlet)"),
    )
    club_member = forms.ModelChoiceField(
        label=_("Journalists' club member or partner"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=pgettext_lazy("club member", "none"),
        help_text=_("Its publications are then counted in the club's output."),
    )
    club_kind = forms.ChoiceField(
        label=_("Counted by the club as"),
        choices=[("", pgettext_lazy("club kind", "not counted")), *ClubPublication.Kind.choices],
        required=False,
    )
    schedule_minutes = forms.IntegerField(
        label=_("Fetch every (minutes)"), min_value=2, max_value=7 * 24 * 60, initial=10
    )
    retention_days = forms.IntegerField(
        label=_("Keep items for (days)"),
        min_value=1,
        max_value=3660,
        required=False,
        help_text=_("Empty: the default (a year)."),
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bodies: Any = self.fields["club_member"]
        bodies.queryset = club_bodies()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in Source.FETCHED and not data.get("url"):
            self.add_error("url", _("Give the address of the feed, sitemap or page."))
        if data.get("club_member") and not data.get("club_kind"):
            self.add_error("club_kind", _("Say how the club counts this outlet's items."))
        return data

    def values(self) -> dict[str, Any]:
        """The fields as the services take them."""
        data = dict(self.cleaned_data)
        data["retention_days"] = data.get("retention_days") or None
        return data


def source_initial(source: Source) -> dict[str, Any]:
    return {
        "name": source.name,
        "kind": source.kind,
        "url": source.url,
        "language": source.language,
        "home_region": source.home_region_id,
        "club_member": source.club_member_id,
        "club_kind": source.club_kind,
        "schedule_minutes": source.schedule_minutes,
        "retention_days": source.retention_days,
        "enabled": source.enabled,
    }


class SourceFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of source"),
        choices=[("", _("All kinds")), *Source.Kind.choices],
        required=False,
    )
    state = forms.ChoiceField(
        label=pgettext_lazy("source state", "State"),
        choices=[("", _("Any state")), *SOURCE_STATES.items()],
        required=False,
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"kind": "", "state": ""}
        return {"kind": self.cleaned_data["kind"], "state": self.cleaned_data["state"]}


class SourceUploadForm(forms.Form):
    file = forms.FileField(label=pgettext_lazy("upload", "File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("Up to %(size)s MB.") % {
            "size": uploads.limit_megabytes(uploads.IMPORT_LIMIT)
        }


class ItemEnterForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    text = forms.CharField(
        label=pgettext_lazy("media item", "Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20_000,
    )
    url = forms.URLField(
        label=_("Address (URL)"), required=False, max_length=1000, assume_scheme="https"
    )
    published_at = forms.DateTimeField(
        label=_("Published at"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        required=False,
        help_text=_("Empty: now."),
    )
    region: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=_("Region the item is about"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Not said"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = regions_of(user)
        if regions is not None:
            field: Any = self.fields["region"]
            field.queryset = Region.objects.filter(pk__in=sorted(regions))
            field.required = True
