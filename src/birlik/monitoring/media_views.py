"""What analysts and coordinators read: the dashboard, the items, the stories, the tension index.

Every page asks ``monitoring.view_items`` (analysts, national administrators and regional
coordinators) and builds its rows with the scope rules: a coordinator sees only what names a
place in their regions, and an item or a story outside them answers 404. Each chart is
followed by its data table. Risk signals are staff-only: nothing here is public.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from birlik.access import policies
from birlik.core.listing import kept_query, page_of
from birlik.geo.labels import region_names
from birlik.reports import charts

from . import queries
from .media_forms import ItemFilterForm, StoryFilterForm, TensionFilterForm
from .models import RISK_TOPICS, Item, Language, Source, Story, Topic

READ = "monitoring.view_items"
TREND_WEEKS = 12
TENSION_WEEKS = 12
TOP_STORY_HOURS = 48
MIX_DAYS = 30
# A story's life is drawn by the hour up to three days, by the day beyond.
HOURLY_CHART_LIMIT = 72


def _crumbs(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"label": label, "url": url} for label, url in pairs]


def _home_crumbs() -> list[tuple[str, str]]:
    return [
        (_("Workspace"), reverse("workspace:home")),
        (_("Media monitoring"), reverse("monitoring:dashboard")),
    ]


def _week_label(monday: datetime.date) -> str:
    return monday.strftime("%d.%m")


def _language_names(codes: list[str]) -> list[str]:
    names = dict(Language.choices)
    return [str(names.get(code, code)) for code in codes]


def _with_language_names(stories: list[Story]) -> list[Story]:
    for story in stories:
        story.language_names = _language_names(list(story.languages or []))  # type: ignore[attr-defined]
    return stories


# --- Dashboard -------------------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    policies.require(user, READ)
    today = timezone.localdate()
    table = queries.tension_table(user=user, weeks=1, today=today)
    topics = queries.trend_by_topic(user=user, weeks=TREND_WEEKS, today=today)
    languages = queries.trend_by_language(user=user, weeks=TREND_WEEKS, today=today)
    mix = queries.source_mix(user=user, days=MIX_DAYS, today=today)
    stories = queries.stories_top(user=user, now=timezone.now(), hours=TOP_STORY_HOURS)
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "crumbs": _crumbs(*_home_crumbs()[:1], (_("Media monitoring"), "")),
            "week": table.weeks[0],
            "week_end": table.weeks[0] + datetime.timedelta(days=6),
            "map": _tension_map(table),
            "map_rows": [(row.region, row.cells[0]) for row in table.rows],
            "topic_trend": _weekly_charts(topics, dict(Topic.choices), _("Items, topic: %(name)s")),
            "topic_labels": [Topic(code).label for code in topics.series],
            "topic_rows": _weekly_rows(topics),
            "language_trend": _weekly_charts(
                languages, dict(Language.choices), _("Items, language: %(name)s")
            ),
            "language_labels": [Language(code).label for code in languages.series],
            "language_rows": _weekly_rows(languages),
            "stories": _with_language_names(stories),
            "story_hours": TOP_STORY_HOURS,
            "mix": mix,
            "mix_days": MIX_DAYS,
            "kind_rows": [(Source.Kind(k).label, n) for k, n in mix.by_kind.items()],
            "language_mix_rows": [(Language(k).label, n) for k, n in mix.by_language.items()],
            **_mix_charts(mix),
        },
    )


def _tension_map(table: queries.TensionTable) -> str:
    """The map of the latest complete week: a coordinator's map carries values for their
    regions only; the others are named as outside their regions."""
    names = region_names()
    shown = {row.region.iso for row in table.rows}
    values = {row.region.iso: row.cells[0].index for row in table.rows if row.cells[0]}
    labels = {
        iso: name if iso in shown else _("%(name)s (not in your regions)") % {"name": name}
        for iso, name in names.items()
    }
    return charts.region_map(
        values,
        title=_("Tension index by region, week from %(date)s")
        % {"date": table.weeks[0].strftime("%d.%m.%Y")},
        labels=labels,
    )


def _weekly_charts(
    series: queries.WeeklySeries, names: dict[str, Any], title: str
) -> list[dict[str, Any]]:
    return [
        {
            "name": names[code],
            "chart": charts.column_chart(
                [(_week_label(m), n) for m, n in zip(series.weeks, counts, strict=True)],
                title=title % {"name": names[code]},
                width=320,
                height=180,
            ),
        }
        for code, counts in series.series.items()
    ]


def _weekly_rows(series: queries.WeeklySeries) -> list[tuple[datetime.date, list[int]]]:
    return [
        (monday, [counts[n] for counts in series.series.values()])
        for n, monday in enumerate(series.weeks)
    ]


def _mix_charts(mix: queries.SourceMix) -> dict[str, str]:
    return {
        "kind_chart": charts.bar_chart(
            [(str(Source.Kind(k).label), n) for k, n in mix.by_kind.items()],
            title=_("Items by kind of source, last %(days)s days") % {"days": MIX_DAYS},
        ),
        "language_mix_chart": charts.bar_chart(
            [(str(Language(k).label), n) for k, n in mix.by_language.items()],
            title=_("Items by language, last %(days)s days") % {"days": MIX_DAYS},
        ),
    }


# --- Items -----------------------------------------------------------------------------------


@login_required
def items(request: HttpRequest) -> HttpResponse:
    user = request.user
    policies.require(user, READ)
    form = ItemFilterForm(request.GET or None, user=user)
    filters = form.filters() if form.is_bound else queries.ItemFilters()
    page = page_of(request, queries.items_listed(user=user, filters=filters))
    return render(
        request,
        "monitoring/items.html",
        {
            "crumbs": _crumbs(*_home_crumbs(), (pgettext("media items", "Items"), "")),
            "form": form,
            "page": page,
            "query_string": kept_query(request, form),
            "filtered": any(value for key, value in request.GET.items() if key in form.fields),
        },
    )


@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    policies.require(user, READ)
    record = queries.item_detail(user=user, pk=pk)
    topics = record.topics or {}
    return render(
        request,
        "monitoring/item.html",
        {
            "crumbs": _crumbs(
                *_home_crumbs(),
                (pgettext("media items", "Items"), reverse("monitoring:items")),
                (record.title or record.guid, ""),
            ),
            "item": record,
            "original_url": record.url if record.url.startswith(("http://", "https://")) else "",
            "scores": [
                {
                    "label": label,
                    "value": topics.get(code),
                    "found": float(topics.get(code) or 0) >= queries.TOPIC_THRESHOLD,
                    "risk": code in RISK_TOPICS,
                }
                for code, label in Topic.choices
            ],
            "duplicates": queries.item_duplicates(user=user, item=record),
            "label_count": queries.item_label_count(item=record),
            "may_label": policies.can(user, "monitoring.label"),
            "story_visible": _story_visible(user, record),
        },
    )


def _story_visible(user: Any, record: Item) -> bool:
    if record.story_id is None:
        return False
    return policies.scoped(Story.objects.filter(pk=record.story_id), user).exists()


# --- Stories ---------------------------------------------------------------------------------


@login_required
def stories(request: HttpRequest) -> HttpResponse:
    user = request.user
    policies.require(user, READ)
    form = StoryFilterForm(request.GET or None, user=user)
    filters = form.filters() if form.is_bound else queries.StoryFilters()
    page = page_of(request, queries.stories_listed(user=user, filters=filters))
    _with_language_names(list(page.object_list))
    return render(
        request,
        "monitoring/stories.html",
        {
            "crumbs": _crumbs(*_home_crumbs(), (pgettext("media stories", "Stories"), "")),
            "form": form,
            "page": page,
            "query_string": kept_query(request, form),
        },
    )


@login_required
def story(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    policies.require(user, READ)
    record = queries.story_detail(user=user, pk=pk)
    _with_language_names([record])
    hours = queries.story_hours(story=record)
    rows = _story_series(hours)
    alerts = queries.story_alerts(user=user, story=record)
    return render(
        request,
        "monitoring/story.html",
        {
            "crumbs": _crumbs(
                *_home_crumbs(),
                (pgettext("media stories", "Stories"), reverse("monitoring:stories")),
                (record.title, ""),
            ),
            "story": record,
            "page": page_of(request, queries.story_items(user=user, story=record)),
            "sources": queries.story_sources(user=user, story=record),
            "hourly": len(hours) <= HOURLY_CHART_LIMIT,
            "series_rows": rows,
            "chart": charts.column_chart(
                rows,
                title=_("Items of the story per hour")
                if len(hours) <= HOURLY_CHART_LIMIT
                else _("Items of the story per day"),
            ),
            "alerts": [(alert, _alert_url(user, alert)) for alert in alerts],
        },
    )


def _alert_url(user: Any, alert: Any) -> str:
    """The alert's page when the user may open it (and the alerts' pages are installed)."""
    if not policies.can(user, "monitoring.view_alerts", alert):
        return ""
    try:
        return reverse("monitoring:alert", args=[alert.pk])
    except NoReverseMatch:
        return ""


def _story_series(hours: list[Any]) -> list[tuple[str, float]]:
    """Items per hour (local time) for a short life, per day for a long one."""
    if len(hours) <= HOURLY_CHART_LIMIT:
        return [(timezone.localtime(h.hour).strftime("%d.%m %H:00"), h.items) for h in hours]
    days: dict[str, float] = {}
    for h in hours:
        key = timezone.localtime(h.hour).strftime("%d.%m.%Y")
        days[key] = days.get(key, 0) + h.items
    return list(days.items())


# --- Tension index ---------------------------------------------------------------------------


@login_required
def tension(request: HttpRequest) -> HttpResponse:
    user = request.user
    policies.require(user, READ)
    form = TensionFilterForm(request.GET or None, user=user)
    region = form.region_id() if form.is_bound else None
    table = queries.tension_table(
        user=user, weeks=TENSION_WEEKS, today=timezone.localdate(), region=region
    )
    media, appeals, mediation = queries.tension_weights()
    return render(
        request,
        "monitoring/tension.html",
        {
            "crumbs": _crumbs(*_home_crumbs(), (_("Tension index"), "")),
            "form": form,
            "table": table,
            "weights": {"media": media, "appeals": appeals, "mediation": mediation},
            "baseline_weeks": queries.TENSION_BASELINE_WEEKS,
        },
    )


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("items/", items, name="items"),
    path("items/<int:pk>/", item, name="item"),
    path("stories/", stories, name="stories"),
    path("stories/<int:pk>/", story, name="story"),
    path("tension/", tension, name="tension"),
]
