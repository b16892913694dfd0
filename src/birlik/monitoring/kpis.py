"""Indicators of early warning. Public ones (coverage, the club's output) are aggregates that
never carry a risk signal; alert figures are for staff dashboards.

Each part keeps its own section (add code only under your own header)."""

from __future__ import annotations

import datetime

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.kpi import Period, Row, dimension_labels, indicator
from birlik.geo.labels import NO_REGION
from birlik.geo.models import Region

from .models import Alert, ClubPublication, Language, TensionWeek, Topic
from .queries import (
    ack_minutes_median_by_region,
    alerts_acted_on,
    alerts_by_region_topic,
    media_items,
)

# --- Alerts (alerts) --------------------------------------------------------------------------

# Staff-only (``public=False``): where and on what alerts were raised, and how fast the routed
# bodies answered, are risk signals; the public figures page and open data never show them.


def _alerts_raised_in(period: Period, region: Region | None) -> QuerySet[Alert]:
    """Alerts raised in the period (by the day in Asia/Almaty), in one region or all."""
    start = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min)
    )
    alerts = Alert.objects.filter(raised_at__gte=start, raised_at__lt=end)
    return alerts.filter(region=region) if region is not None else alerts


@indicator(
    "monitoring.alerts_raised",
    name=_("Early-warning alerts raised"),
    unit=pgettext_lazy("unit", "alerts"),
    dimensions=("region", "alert_topic"),
    order=1450,
    public=False,
    description=_(
        "Alerts raised in the period by the region they were routed to and the topic of the "
        "risk that raised them (blank: a story's growth or a mention without a topic)."
    ),
)
def alerts_raised(period: Period, region: Region | None) -> list[Row]:
    return [
        {"region": row["region"], "alert_topic": row["topic"] or "none", "value": row["count"]}
        for row in alerts_by_region_topic(_alerts_raised_in(period, region))
    ]


@indicator(
    "monitoring.alert_ack_minutes",
    name=_("Median time to acknowledge an alert"),
    unit=_("minutes"),
    dimensions=("region",),
    order=1451,
    additive=False,
    public=False,
    description=_(
        "Of the alerts raised in the period and acknowledged, the median minutes from raising "
        "to acknowledgement, by region (the target is two hours)."
    ),
)
def alert_ack_minutes(period: Period, region: Region | None) -> list[Row]:
    medians = ack_minutes_median_by_region(_alerts_raised_in(period, region))
    return [{"region": iso, "value": minutes} for iso, minutes in medians.items()]


@indicator(
    "monitoring.alerts_acted_on",
    name=_("Share of alerts acted on"),
    unit=_("%"),
    order=1452,
    public=False,
    description=_(
        "Of the alerts raised in the period that are closed or more than a day old, the share "
        "on which the routed body recorded at least one action (meeting, statement, "
        "mediation, referral to a state body or other)."
    ),
)
def alerts_acted_on_share(period: Period, region: Region | None) -> list[Row]:
    acted = alerts_acted_on(qs=_alerts_raised_in(period, region), now=timezone.now())
    return [] if acted["share"] is None else [{"value": acted["share"]}]


@dimension_labels("alert_topic")
def alert_topic_labels() -> dict[str, str]:
    labels = {code: str(label) for code, label in Topic.choices}
    labels["none"] = str(_("no topic"))
    return labels


# --- Coverage, the club's output and the tension index (media) -------------------------------

# coverage and the club


@indicator(
    "monitoring.club_publications",
    name=_("Output of the journalists' club"),
    unit=_("publications"),
    dimensions=("club_kind", "region"),
    order=1500,
    description=_(
        "Publications, TV stories and social-media posts of the APK Journalists' Club's "
        "members and partner media published in the period, by kind and by the region they "
        "are about: collected from their sources, entered by hand or imported."
    ),
)
def club_publications(period: Period, region: Region | None) -> list[Row]:
    rows = ClubPublication.objects.filter(published_on__range=(period.start, period.end))
    if region is not None:
        rows = rows.filter(region=region)
    counted = (
        rows.order_by()
        .values("kind", "region__iso")
        .annotate(value=Count("id"))
        .order_by("kind", "region__iso")
    )
    return [
        {"club_kind": r["kind"], "region": r["region__iso"] or NO_REGION, "value": r["value"]}
        for r in counted
    ]


@indicator(
    "monitoring.media_items",
    name=_("Media items collected"),
    unit=pgettext_lazy("media", "items"),
    dimensions=("region", "media_language"),
    order=1501,
    description=_(
        "Items of the media that early warning collected and read, published in the period, "
        "by region and language. Each item is counted once, in the region its text names most "
        "(else its outlet's home region); items that name no region are national."
    ),
)
def media_items_collected(period: Period, region: Region | None) -> list[Row]:
    cells = media_items(start=period.start, end=period.end, region=region)
    return [
        {"region": c["region"], "media_language": c["language"], "value": c["value"]}
        for c in sorted(cells, key=lambda c: (c["region"], c["language"]))
    ]


@dimension_labels("club_kind")
def club_kind_labels() -> dict[str, str]:
    return {str(kind.value): str(kind.label) for kind in ClubPublication.Kind}


@dimension_labels("media_language")
def media_language_labels() -> dict[str, str]:
    return {str(language.value): str(language.label) for language in Language}


# the tension index


@indicator(
    "monitoring.tension_index",
    name=_("Interethnic tension index"),
    unit=_("points"),
    dimensions=("region",),
    order=1510,
    additive=False,
    public=False,
    description=_(
        "The index of the last complete week of the period, by region: 50 is a week as usual, "
        "100 twice usual or more (media, appeals and mediation signals against the median of "
        "the 12 weeks before)."
    ),
)
def tension_index_latest(period: Period, region: Region | None) -> list[Row]:
    # The last Monday whose week (to Sunday) lies wholly within the period.
    last_day = period.as_of
    week = last_day - datetime.timedelta(days=last_day.weekday() + 7 * (last_day.weekday() < 6))
    rows = TensionWeek.objects.filter(week=week, week__gte=period.start)
    if region is not None:
        rows = rows.filter(region=region)
    return [
        {"region": iso, "value": index}
        for iso, index in rows.order_by("region__kato").values_list("region__iso", "index")
    ]
