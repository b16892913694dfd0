"""Every read rule of early warning: which items, stories, alerts and figures, in what order."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, TypedDict

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.fields.json import KT
from django.db.models.functions import (
    Abs,
    Cast,
    Coalesce,
    RowNumber,
    TruncDate,
    TruncMonth,
    TruncWeek,
)
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from birlik.access.models import Role
from birlik.access.policies import get_scoped_or_404, prefix_q, scoped
from birlik.core import kpi
from birlik.core.search import contains_q
from birlik.geo.labels import NO_REGION
from birlik.geo.models import Region
from birlik.registry.models import Organisation

from . import classifier
from . import policies as club_policies
from .models import (
    Alert,
    AlertRule,
    ClubPublication,
    Item,
    ItemEntity,
    ItemGroup,
    ItemPlace,
    KeywordRule,
    Label,
    Language,
    RiskModel,
    Source,
    SourceFetch,
    Story,
    StoryHour,
    TensionWeek,
    Topic,
)
from .policies import regions_of

# --- Sources and collection (collect) ---------------------------------------------------------

# A source's state on the sources page. Failing: this many failed fetches in a row (someone
# should look); backing off: fewer, waiting longer than its schedule before the next try.
SOURCE_FAILING_AFTER = 3
SOURCE_STATES: dict[str, Any] = {
    "healthy": pgettext_lazy("source state", "healthy"),
    "backing_off": pgettext_lazy("source state", "backing off"),
    "failing": pgettext_lazy("source state", "failing"),
    "disabled": pgettext_lazy("source state", "switched off"),
}


def source_state_q(state: str) -> Q:
    """The sources in one state (a key of ``SOURCE_STATES``), as a filter."""
    if state == "disabled":
        return Q(enabled=False)
    if state == "healthy":
        return Q(enabled=True, failures=0)
    if state == "backing_off":
        return Q(enabled=True, failures__gt=0, failures__lt=SOURCE_FAILING_AFTER)
    if state == "failing":
        return Q(enabled=True, failures__gte=SOURCE_FAILING_AFTER)
    return Q()


def source_state(source: Source) -> str:
    """The state of one source (the same rule as ``source_state_q``)."""
    if not source.enabled:
        return "disabled"
    if source.failures == 0:
        return "healthy"
    return "failing" if source.failures >= SOURCE_FAILING_AFTER else "backing_off"


def sources_due(*, now: datetime.datetime, limit: int) -> QuerySet[Source]:
    """Enabled fetched sources whose next fetch (schedule or back-off) has come, oldest due
    first."""
    return Source.objects.filter(
        enabled=True, kind__in=Source.FETCHED, next_fetch_at__lte=now
    ).order_by("next_fetch_at", "pk")[:limit]


def _collect_days(now: datetime.datetime, days: int) -> list[datetime.date]:
    today = timezone.localdate(now)
    return [today - datetime.timedelta(days=back) for back in range(days - 1, -1, -1)]


def items_per_day(
    source_ids: list[int], *, now: datetime.datetime, days: int
) -> dict[int, list[tuple[datetime.date, int]]]:
    """Items collected per day (Almaty days, oldest first, ``days`` up to today) for each
    source: one aggregate query, whatever the number of sources."""
    dates = _collect_days(now, days)
    start = timezone.make_aware(datetime.datetime.combine(dates[0], datetime.time()))
    counts: dict[tuple[int, datetime.date], int] = {}
    rows = (
        Item.objects.filter(source_id__in=source_ids, fetched_at__gte=start)
        .annotate(day=TruncDate("fetched_at", tzinfo=timezone.get_current_timezone()))
        .values_list("source_id", "day")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for source_id, day, count in rows:
        counts[(source_id, day)] = count
    return {
        source_id: [(day, counts.get((source_id, day), 0)) for day in dates]
        for source_id in source_ids
    }


@dataclass
class SourceHealth:
    """A source with its state and what it collected, as the sources page shows it."""

    source: Source
    state: str
    per_day: list[tuple[datetime.date, int]]

    @property
    def state_label(self) -> str:
        return str(SOURCE_STATES[self.state])

    @property
    def total(self) -> int:
        return sum(count for _day, count in self.per_day)

    @property
    def most(self) -> int:
        return max((count for _day, count in self.per_day), default=0)

    @property
    def error_message(self) -> str:
        from .fetching import error_message

        return error_message(self.source.last_error) if self.source.last_error else ""


def source_health_rows(qs: Any, *, now: datetime.datetime, days: int = 7) -> list[SourceHealth]:
    """The sources of ``qs`` (a page of them) with their state and items per day over the
    last ``days`` days, in two queries."""
    sources = list(qs)
    per_day = items_per_day([source.pk for source in sources], now=now, days=days)
    return [
        SourceHealth(source=source, state=source_state(source), per_day=per_day[source.pk])
        for source in sources
    ]


def source_fetches_recent(source: Source, *, limit: int = 50) -> list[SourceFetch]:
    """The last fetches of a source, newest first (the health page's log)."""
    return list(SourceFetch.objects.filter(source=source).order_by("-started_at", "-id")[:limit])


# --- Text understanding (understand) ----------------------------------------------------------


def stories_open(*, since: datetime.datetime) -> QuerySet[Story]:
    """Open stories whose last item is at or after ``since``: the stories still going on."""
    return Story.objects.filter(open=True, last_item_at__gte=since).order_by("-last_item_at", "pk")


def stories_near(*, start: datetime.datetime, end: datetime.datetime) -> QuerySet[Story]:
    """Stories that were going on at some moment between ``start`` and ``end`` (last item at
    or after ``start``, first at or before ``end``): those an item of that time may join, open
    or closed, so that items read late land where they would have landed live."""
    return Story.objects.filter(last_item_at__gte=start, opened_at__lte=end).order_by(
        "-last_item_at", "pk"
    )


# --- Labels, risk models and keyword rules (learn) -------------------------------------------

MODEL_LANGUAGES = ("kk", "ru", "en", "all")
MODEL_MEASURES = ("precision", "recall", "f1")


def active_learning_queue(*, user: Any, topic: str, limit: int = 20) -> list[Item]:
    """The next items for ``user`` to judge on ``topic``, in their scope and not judged by them:
    first those two analysts answered differently (the user is the third), then those nobody
    answered yes or no, the one the scores are least sure of (|p − 0.5|) first, then the newest.

    Reprints (``duplicate_of``) are left out: their original is judged once. Items with an agreed
    answer are done and left out too. One query, whatever the page shows of each item.
    """
    if topic not in Topic.values:
        return []
    judged = Label.objects.filter(topic=topic, item_id=OuterRef("pk"))
    probability = Coalesce(Cast(KT(f"topics__{topic}"), FloatField()), Value(0.0))
    items = (
        scoped(Item.objects.filter(state=Item.State.PROCESSED, duplicate_of__isnull=True), user)
        .exclude(pk__in=Label.objects.filter(topic=topic, analyst=user).values("item_id"))
        .annotate(
            said_yes=Exists(judged.filter(value=Label.Value.YES)),
            said_no=Exists(judged.filter(value=Label.Value.NO)),
            probability=probability,
        )
        .filter(Q(said_yes=True, said_no=True) | Q(said_yes=False, said_no=False))
        .annotate(
            disputed=Case(
                When(said_yes=True, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            doubt=Abs(F("probability") - Value(0.5)),
        )
        .select_related("source")
        .order_by("-disputed", "doubt", "-published_at", "-pk")
    )
    return list(items[:limit])


@dataclass(frozen=True)
class TopicLabels:
    """The judgements given on one topic (every analyst, held-out ones included)."""

    topic: str
    name: str
    yes: int
    no: int
    unsure: int
    held_out: int
    items: int


def label_counts() -> list[TopicLabels]:
    """Labels per topic, every topic listed (zeros included), in one query."""
    rows: dict[str, dict[str, Any]] = {
        row["topic"]: dict(row)
        for row in Label.objects.order_by()
        .values("topic")
        .annotate(
            yes=Count("pk", filter=Q(value=Label.Value.YES)),
            no=Count("pk", filter=Q(value=Label.Value.NO)),
            unsure=Count("pk", filter=Q(value=Label.Value.UNSURE)),
            held_out=Count("pk", filter=Q(held_out=True)),
            items=Count("item", distinct=True),
        )
    }
    names = ("yes", "no", "unsure", "held_out", "items")
    return [
        TopicLabels(
            topic=topic.value,
            name=str(topic.label),
            **{name: int(rows.get(topic.value, {}).get(name, 0)) for name in names},
        )
        for topic in Topic
    ]


def risk_models() -> QuerySet[RiskModel]:
    """Every version, newest first, with who trained and who switched it on."""
    return RiskModel.objects.select_related("created_by", "activated_by").order_by("-version")


def active_risk_model() -> RiskModel | None:
    return RiskModel.objects.filter(active=True).order_by("-version").first()


def risk_model_training_status() -> dict[str, Any] | None:
    """How the last training request ended (queued, running, done, failed), for the models page."""
    status: dict[str, Any] | None = cache.get(classifier.TRAINING_STATUS)
    return status


@dataclass(frozen=True)
class Measure:
    name: str  # precision, recall or f1
    value: float | None
    active: float | None

    @property
    def worse(self) -> bool:
        """Lower than the active version's on the same measure (both measured)."""
        return self.value is not None and self.active is not None and self.value < self.active


@dataclass(frozen=True)
class MetricCell:
    language: str  # kk, ru, en or all
    support: int  # held-out items answered "yes"
    n: int  # held-out items answered at all
    measures: list[Measure]


@dataclass(frozen=True)
class MetricRow:
    topic: str
    name: str
    trained: bool
    cells: list[MetricCell]


def _measured(metrics: dict[str, Any], topic: str, language: str) -> dict[str, Any]:
    found: dict[str, Any] = metrics.get("topics", {}).get(topic, {}).get(language, {})
    return found


def risk_model_metrics(model: RiskModel, active: RiskModel | None) -> list[MetricRow]:
    """The version's precision, recall and F1 per topic × language on its held-out labels, each
    next to the active version's (none when ``model`` is the active one)."""
    other = active.metrics if active is not None and active.pk != model.pk else {}
    rows = []
    for topic in Topic:
        cells = []
        for language in MODEL_LANGUAGES:
            mine = _measured(model.metrics, topic, language)
            theirs = _measured(other, topic, language)
            cells.append(
                MetricCell(
                    language=language,
                    support=int(mine.get("support", 0)),
                    n=int(mine.get("n", 0)),
                    measures=[
                        Measure(name, mine.get(name), theirs.get(name)) for name in MODEL_MEASURES
                    ],
                )
            )
        trained = bool(model.metrics.get("topics", {}).get(topic, {}).get("trained"))
        rows.append(
            MetricRow(topic=topic.value, name=str(topic.label), trained=trained, cells=cells)
        )
    return rows


@dataclass(frozen=True)
class Regression:
    topic: str
    language: str
    measure: Measure


def risk_model_regressions(model: RiskModel, active: RiskModel | None) -> list[Regression]:
    """Where ``model`` measures worse than the active version: what a national trainer confirms
    before switching it on."""
    return [
        Regression(topic=row.name, language=cell.language, measure=measure)
        for row in risk_model_metrics(model, active)
        for cell in row.cells
        for measure in cell.measures
        if measure.worse
    ]


def labels_of(*, item: Item, analyst: Any) -> dict[str, str]:
    """The analyst's own answers on an item, per topic (others' answers are not shown: each
    analyst judges blind)."""
    return dict(Label.objects.filter(item=item, analyst=analyst).values_list("topic", "value"))


def keyword_rules(*, topic: str = "", language: str = "") -> QuerySet[KeywordRule]:
    """Keyword rules by topic and language; ``language="*"`` gives the rules for every language."""
    rules = KeywordRule.objects.select_related("updated_by").order_by("topic", "language", "pk")
    if topic:
        rules = rules.filter(topic=topic)
    if language:
        rules = rules.filter(language="" if language == "*" else language)
    return rules


# --- Alerts and their response (alerts) -------------------------------------------------------

HOUR = datetime.timedelta(hours=1)
# The baseline of a story's growth: its mean items per hour over this many hours before.
GROWTH_BASELINE_HOURS = 24
# An alert counts for "acted on" once it is closed or this old: time enough to act.
ACTED_ON_AFTER = datetime.timedelta(days=1)


def _floor_hour(moment: datetime.datetime) -> datetime.datetime:
    """The start of the hour bucket of ``StoryHour`` (an item's published hour)."""
    return moment.replace(minute=0, second=0, microsecond=0)


def _named_places() -> QuerySet[ItemPlace]:
    """Places named in an item's text: a source's home region alone neither matches a rule's
    place nor routes an alert (design §1.5)."""
    return ItemPlace.objects.filter(via=ItemPlace.Via.TEXT)


def alert_rule_place_q(rule: AlertRule) -> Q:
    """Items naming the rule's district (else its region) and its ethnic group; every item
    for a rule without them."""
    q = Q()
    if rule.district_id is not None:
        q &= Q(pk__in=_named_places().filter(district_id=rule.district_id).values("item_id"))
    elif rule.region_id is not None:
        q &= Q(pk__in=_named_places().filter(region_id=rule.region_id).values("item_id"))
    if rule.ethnic_group_id is not None:
        groups = ItemGroup.objects.filter(group_id=rule.ethnic_group_id)
        q &= Q(pk__in=groups.values("item_id"))
    return q


def alert_rule_score_q(rule: AlertRule) -> Q:
    """Items whose score on the rule's topic (or whose risk, the highest topic score, for a
    rule without a topic) reaches the rule's threshold."""
    if rule.topic:
        return Q(**{f"topics__{rule.topic}__gte": rule.threshold})
    return Q(risk__gte=rule.threshold)


def _processed_since(since: datetime.datetime | None, qs: QuerySet[Item] | None) -> QuerySet[Item]:
    items = (Item.objects.all() if qs is None else qs).filter(state=Item.State.PROCESSED)
    if since is not None:
        items = items.filter(processed_at__gte=since)
    return items.order_by("published_at", "pk")


def items_over(
    *, rule: AlertRule, since: datetime.datetime | None, qs: QuerySet[Item] | None = None
) -> QuerySet[Item]:
    """Items processed since ``since`` (any time: None) whose risk or topic score reaches the
    rule's threshold, naming the rule's place and group when it has them."""
    return _processed_since(since, qs).filter(alert_rule_score_q(rule), alert_rule_place_q(rule))


def items_mentioning(
    *, rule: AlertRule, since: datetime.datetime | None, qs: QuerySet[Item] | None = None
) -> QuerySet[Item]:
    """Items processed since ``since`` naming the rule's place and group, whatever their score:
    a watch on a place or a group. A rule naming neither matches nothing."""
    if rule.region_id is None and rule.district_id is None and rule.ethnic_group_id is None:
        return Item.objects.none()
    return _processed_since(since, qs).filter(alert_rule_place_q(rule))


def stories_growing(*, now: datetime.datetime, factor: float, min_per_hour: int) -> list[Story]:
    """Stories with at least ``min_per_hour`` items published in the hour before ``now`` and at
    least ``factor`` times their baseline.

    The baseline is the story's mean items per hour over the 24 hour buckets before the last
    hour's, counted over the hours the story existed in them; a story with no earlier hour
    (new) has a baseline of 1. Each story returned carries ``items_last_hour`` and
    ``baseline_per_hour``. Three queries, whatever the number of stories.
    """
    start = now - HOUR
    recent = dict(
        Item.objects.filter(story__isnull=False, published_at__gt=start, published_at__lte=now)
        .values("story_id")
        .annotate(items=Count("pk"))
        .filter(items__gte=max(min_per_hour, 1))
        .values_list("story_id", "items")
    )
    if not recent:
        return []
    window_end = _floor_hour(start)
    window_start = window_end - GROWTH_BASELINE_HOURS * HOUR
    earlier = dict(
        StoryHour.objects.filter(
            story_id__in=list(recent), hour__gte=window_start, hour__lt=window_end
        )
        .values("story_id")
        .annotate(items=Sum("items"))
        .values_list("story_id", "items")
    )
    growing = []
    for story in Story.objects.filter(pk__in=list(recent)):
        since = max(window_start, _floor_hour(story.opened_at))
        hours = (window_end - since) // HOUR
        baseline = (earlier.get(story.pk) or 0) / hours if hours > 0 else 1.0
        if recent[story.pk] >= factor * baseline:
            # Read like annotations of a query set: what made the story count as growing.
            setattr(story, "items_last_hour", recent[story.pk])  # noqa: B010
            setattr(story, "baseline_per_hour", round(baseline, 2))  # noqa: B010
            growing.append(story)
    growing.sort(key=lambda story: (-recent[story.pk], story.pk))
    return growing


def stories_growing_for(*, rule: AlertRule, now: datetime.datetime) -> list[Story]:
    """The growing stories a growth rule watches: with an item naming the rule's place and
    group and, for a threshold above 0, an item whose score reaches it."""
    growing = stories_growing(now=now, factor=rule.growth_factor, min_per_hour=rule.min_per_hour)
    if not growing:
        return []
    items = Item.objects.filter(story_id__in=[story.pk for story in growing])
    items = items.filter(alert_rule_place_q(rule))
    if rule.threshold > 0:
        items = items.filter(alert_rule_score_q(rule))
    kept = set(items.values_list("story_id", flat=True).distinct())
    return [story for story in growing if story.pk in kept]


def main_places(item_ids: list[int]) -> dict[int, tuple[int, int | None]]:
    """Each item's region (the one its text names most; ties to the lower id) and district
    (the most named in that region, or None): where an alert on it is routed."""
    counts: dict[int, dict[tuple[int, int | None], int]] = {}
    rows = _named_places().filter(item_id__in=item_ids)
    for item_id, region_id, district_id, count in rows.values_list(
        "item_id", "region_id", "district_id", "count"
    ):
        place = counts.setdefault(item_id, {})
        place[(region_id, district_id)] = place.get((region_id, district_id), 0) + count
    return {item_id: _main_place(places) for item_id, places in counts.items()}


def _main_place(places: dict[tuple[int, int | None], int]) -> tuple[int, int | None]:
    by_region: dict[int, int] = {}
    for (region_id, _district), count in places.items():
        by_region[region_id] = by_region.get(region_id, 0) + count
    region_id = min(by_region, key=lambda pk: (-by_region[pk], pk))
    districts = {d: n for (r, d), n in places.items() if r == region_id and d is not None}
    district_id = min(districts, key=lambda pk: (-districts[pk], pk)) if districts else None
    return region_id, district_id


def story_main_place(story: Story) -> tuple[int, int | None] | None:
    """The region (and district) the story's items name most, or None when none names one."""
    rows = (
        _named_places()
        .filter(item__story=story)
        .values("region_id", "district_id")
        .annotate(named=Sum("count"))
        .values_list("region_id", "district_id", "named")
    )
    places: dict[tuple[int, int | None], int] = {
        (region_id, district_id): named for region_id, district_id, named in rows
    }
    return _main_place(places) if places else None


def alert_unacknowledged_q(now: datetime.datetime) -> Q:
    """Alerts nobody acknowledged within their term (``ack_due_at``, two hours from raising):
    shown as overdue, escalated or not."""
    return Q(state=Alert.State.RAISED, ack_due_at__lt=now)


def alert_is_unacknowledged(alert: Alert, *, now: datetime.datetime) -> bool:
    """``alert_unacknowledged_q`` for one alert in hand."""
    return alert.state == Alert.State.RAISED and alert.ack_due_at < now


def alerts_unacknowledged(
    *, now: datetime.datetime, qs: QuerySet[Alert] | None = None
) -> QuerySet[Alert]:
    """The alerts of ``qs`` past their term unacknowledged (``alert_unacknowledged_q``)."""
    alerts = Alert.objects.all() if qs is None else qs
    return alerts.filter(alert_unacknowledged_q(now))


def alerts_overdue(*, now: datetime.datetime, qs: QuerySet[Alert] | None = None) -> QuerySet[Alert]:
    """Unacknowledged alerts past their term and not yet escalated: the national level is told
    once."""
    return alerts_unacknowledged(now=now, qs=qs).filter(escalated_at__isnull=True)


def alerts_listed(
    *,
    user: Any,
    now: datetime.datetime,
    state: str = "",
    region: Region | None = None,
    topic: str = "",
    overdue: bool = False,
) -> QuerySet[Alert]:
    """The alerts the user sees, newest first, each marked ``is_overdue``; one query for any
    number of rows."""
    alerts = scoped(Alert.objects.all(), user)
    if state:
        alerts = alerts.filter(state=state)
    if region is not None:
        alerts = alerts.filter(region=region)
    if topic:
        alerts = alerts.filter(topic=topic)
    if overdue:
        alerts = alerts_unacknowledged(now=now, qs=alerts)
    late = alert_unacknowledged_q(now)
    return (
        alerts.select_related("region", "district", "rule")
        .annotate(is_overdue=ExpressionWrapper(late, output_field=BooleanField()))
        .order_by("-raised_at", "-pk")
    )


def alert_rules_listed() -> QuerySet[AlertRule]:
    """Every alert rule, by name, with how many alerts each raised (``alerts_raised``)."""
    return (
        AlertRule.objects.select_related("region", "district", "ethnic_group")
        .annotate(alerts_raised=Count("alerts"))
        .order_by("name", "pk")
    )


def alert_items(*, user: Any, alert: Alert, limit: int = 50) -> list[Item]:
    """The items behind an alert that the user may read: its story's, else its own item."""
    if alert.story_id is not None:
        items = Item.objects.filter(story_id=alert.story_id)
    elif alert.item_id is not None:
        items = Item.objects.filter(pk=alert.item_id)
    else:
        return []
    visible = scoped(items, user).select_related("source")
    return list(visible.order_by("-risk", "-published_at", "-pk")[:limit])


def _wait() -> ExpressionWrapper:
    """The time from raising to acknowledgement."""
    return ExpressionWrapper(F("acknowledged_at") - F("raised_at"), output_field=DurationField())


def ack_minutes_median(qs: QuerySet[Alert]) -> float | None:
    """The median time from raising to acknowledgement, in minutes, of the acknowledged alerts
    of ``qs`` (None when none is): the one or two middle rows, read by the database."""
    acknowledged = qs.order_by().filter(acknowledged_at__isnull=False).annotate(wait=_wait())
    size = acknowledged.count()
    if not size:
        return None
    middle = acknowledged.order_by("wait", "pk").values_list("wait", flat=True)
    waits = list(middle[(size - 1) // 2 : size // 2 + 1])
    return _minutes(waits)


def ack_minutes_median_by_region(qs: QuerySet[Alert]) -> dict[str, float]:
    """The same median per region (ISO code), in one query: each region's middle rows are
    picked by a window over the region's acknowledged alerts."""
    region = [F("region_id")]
    ranked = (qs.order_by().filter(acknowledged_at__isnull=False).annotate(wait=_wait())).annotate(
        position=Window(RowNumber(), partition_by=region, order_by=[F("wait").asc(), F("pk")]),
        size=Window(Count("pk"), partition_by=region),
    )
    middle = ranked.filter(position__gte=(F("size") + 1) / 2, position__lte=F("size") / 2 + 1)
    waits: dict[str, list[datetime.timedelta]] = {}
    for iso, wait in middle.values_list("region__iso", "wait"):
        waits.setdefault(iso, []).append(wait)
    return {iso: _minutes(values) for iso, values in sorted(waits.items())}


def _minutes(waits: list[datetime.timedelta]) -> float:
    return round(sum(wait.total_seconds() for wait in waits) / len(waits) / 60, 1)


def alerts_acted_on(*, qs: QuerySet[Alert], now: datetime.datetime) -> dict[str, Any]:
    """The share of alerts acted on: of the alerts that had time to be (closed, or raised more
    than a day before ``now``), those with at least one action taken (an ``act`` step, whose
    first one sets ``acted_at``). An alert closed without any action counts against it."""
    considered = qs.order_by().filter(
        Q(state=Alert.State.CLOSED) | Q(raised_at__lte=now - ACTED_ON_AFTER)
    )
    totals = considered.aggregate(
        considered=Count("pk"), acted=Count("pk", filter=Q(acted_at__isnull=False))
    )
    share = round(100 * totals["acted"] / totals["considered"], 1) if totals["considered"] else None
    return {"considered": totals["considered"], "acted": totals["acted"], "share": share}


def alerts_by_region_topic(qs: QuerySet[Alert]) -> list[dict[str, Any]]:
    """Alerts counted by region (ISO code) and topic (blank: none)."""
    rows = (
        qs.order_by()
        .values("region__iso", "topic")
        .annotate(count=Count("pk"))
        .order_by("region__iso", "topic")
    )
    return [
        {"region": row["region__iso"], "topic": row["topic"], "count": row["count"]} for row in rows
    ]


def alert_figures(*, qs: QuerySet[Alert], now: datetime.datetime | None = None) -> dict[str, Any]:
    """The response figures of the alerts ``qs``: counts by region and topic, the median
    minutes to acknowledge (overall and by region) and the share acted on (see
    ``alerts_acted_on`` for what counts)."""
    now = now or timezone.now()
    return {
        "total": qs.count(),
        "by_region_topic": alerts_by_region_topic(qs),
        "median_ack_minutes": ack_minutes_median(qs),
        "median_ack_by_region": ack_minutes_median_by_region(qs),
        "acted_on": alerts_acted_on(qs=qs, now=now),
    }


# --- Club register, appeal signals and the tension index (media) ------------------------------

# dashboards, items, stories and the tension index

# A topic "is present" in an item (or an appeal) from this probability on.
TOPIC_THRESHOLD = 0.5
# The baseline of each component of the index: the median of the region's previous weeks.
TENSION_BASELINE_WEEKS = 12
DEFAULT_TENSION_WEIGHTS = (0.5, 0.3, 0.2)
SORT_NEWEST = "newest"
SORT_RISKIEST = "riskiest"


def tension_weights() -> tuple[float, float, float]:
    """The weights of media, appeals and mediation in the index: the setting
    ``MONITORING_TENSION_WEIGHTS`` (three numbers), 0.5, 0.3 and 0.2 by default."""
    value = getattr(settings, "MONITORING_TENSION_WEIGHTS", DEFAULT_TENSION_WEIGHTS)
    media, appeals, mediation = (float(weight) for weight in value)
    return (media, appeals, mediation)


def _local_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _week_key(value: datetime.date | datetime.datetime) -> datetime.date:
    """The Monday of a value ``TruncWeek`` gave (a date, or a datetime)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _monday_of(value)


def regions_read(*, user: Any) -> QuerySet[Region]:
    """The regions whose media the user reads, in their order: every region for the national
    level and analysts, their own for a coordinator, none for anyone else."""
    regions = regions_of(user)
    if regions is None:
        return Region.objects.all()
    return Region.objects.filter(pk__in=sorted(regions))


@dataclass(frozen=True)
class ItemFilters:
    """What the items list is narrowed to; every field optional (the form cleans them)."""

    q: str = ""
    language: str = ""
    topic: str = ""
    region: int | None = None
    min_risk: float | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    state: str = ""
    source: int | None = None
    sort: str = SORT_NEWEST


def _places() -> Prefetch[Any]:
    return Prefetch(
        "places",
        queryset=ItemPlace.objects.select_related("region").order_by("region__kato", "pk"),
    )


def _title_contains(text: str) -> Q:
    """``icontains`` on the title, with the word's usual cases spelt out: SQLite folds the case
    of Latin letters only, so «КОНФЛИКТ» would not find «Конфликт» there. To be replaced by a
    folded search column (``core.text.search_key``), as events and the directory have."""
    return contains_q(("title",), text)


def items_listed(*, user: Any, filters: ItemFilters) -> QuerySet[Item]:
    """The items the user may read that pass the filters, newest (or riskiest) first, each with
    its source and places: the same queries for a page of 10 or of 10,000 rows. The text
    search is, for now, ``icontains`` on the title only."""
    qs = scoped(Item.objects.all(), user)
    if filters.q.strip():
        qs = qs.filter(_title_contains(filters.q.strip()))
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.topic in Topic.values:
        qs = qs.filter(**{f"topics__{filters.topic}__gte": TOPIC_THRESHOLD})
    if filters.region is not None:
        qs = qs.filter(pk__in=ItemPlace.objects.filter(region_id=filters.region).values("item_id"))
    if filters.min_risk is not None:
        qs = qs.filter(risk__gte=filters.min_risk)
    if filters.date_from is not None:
        qs = qs.filter(published_at__gte=_local_start(filters.date_from))
    if filters.date_to is not None:
        qs = qs.filter(published_at__lt=_local_start(filters.date_to + datetime.timedelta(days=1)))
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.source is not None:
        qs = qs.filter(source_id=filters.source)
    order = (
        ("-risk", "-published_at", "-pk")
        if filters.sort == SORT_RISKIEST
        else ("-published_at", "-pk")
    )
    return (
        qs.select_related("source")
        .prefetch_related(_places())
        .defer("text", "minhash", "topics")
        .order_by(*order)
    )


def item_detail(*, user: Any, pk: int) -> Item:
    """One item the user may read, with what its page shows (404 outside the user's regions)."""
    qs = Item.objects.select_related("source", "story", "model_version").prefetch_related(
        Prefetch(
            "places",
            queryset=ItemPlace.objects.select_related("region", "district").order_by(
                "region__kato", "district__kato", "pk"
            ),
        ),
        Prefetch("groups", queryset=ItemGroup.objects.select_related("group").order_by("-count")),
        Prefetch("entities", queryset=ItemEntity.objects.order_by("kind", "shown")),
    )
    return get_scoped_or_404(qs.defer("minhash"), user, pk=pk)


def item_duplicates(*, user: Any, item: Item, limit: int = 50) -> list[Item]:
    """The item it repeats and the items that repeat it, as far as the user may read them."""
    related = Q(duplicate_of=item)
    if item.duplicate_of_id is not None:
        related |= Q(pk=item.duplicate_of_id)
    qs = scoped(Item.objects.filter(related), user).select_related("source")
    return list(
        qs.only(
            "pk",
            "title",
            "guid",
            "url",
            "published_at",
            "language",
            "source__name",
            "duplicate_of_id",
        ).order_by("published_at", "pk")[:limit]
    )


def item_label_count(*, item: Item) -> int:
    """How many judgements analysts gave the item, every topic together."""
    return Label.objects.filter(item=item).count()


@dataclass(frozen=True)
class StoryFilters:
    open_only: bool = True
    region: int | None = None
    min_risk: float | None = None


def stories_listed(*, user: Any, filters: StoryFilters) -> QuerySet[Story]:
    """The stories the user may read (they touch one of the user's regions), the most recent
    first, each with its regions."""
    qs = scoped(Story.objects.all(), user)
    if filters.open_only:
        qs = qs.filter(open=True)
    if filters.region is not None:
        qs = qs.filter(regions=filters.region)
    if filters.min_risk is not None:
        qs = qs.filter(risk__gte=filters.min_risk)
    return (
        qs.prefetch_related(_story_regions())
        .defer("embedding", "keys")
        .order_by("-last_item_at", "-pk")
    )


def _story_regions() -> Prefetch[Any]:
    return Prefetch("regions", queryset=Region.objects.order_by("kato"))


def stories_top(
    *, user: Any, now: datetime.datetime, hours: int = 48, limit: int = 10
) -> list[Story]:
    """The stories of the last ``hours`` the user may read, by risk × growth, where growth is
    the items of those hours against the hours before (items / (items before + 1)): a risky
    story that is spreading comes first. Each has ``recent``, ``growth`` and ``score``."""
    since = (now - datetime.timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)
    before = since - datetime.timedelta(hours=hours)
    recent = Coalesce(Sum("hours__items", filter=Q(hours__hour__gte=since)), 0)
    earlier = Coalesce(
        Sum("hours__items", filter=Q(hours__hour__gte=before, hours__hour__lt=since)), 0
    )
    growth = Cast("recent", FloatField()) / (Cast("earlier", FloatField()) + 1.0)
    qs = (
        scoped(Story.objects.filter(last_item_at__gte=since), user)
        .annotate(recent=recent, earlier=earlier)
        .annotate(growth=ExpressionWrapper(growth, output_field=FloatField()))
        .annotate(score=ExpressionWrapper(F("risk") * F("growth"), output_field=FloatField()))
        .prefetch_related(_story_regions())
        .defer("embedding", "keys")
        .order_by("-score", "-last_item_at", "-pk")
    )
    return list(qs[:limit])


def story_detail(*, user: Any, pk: int) -> Story:
    """One story the user may read, with its regions (404 outside the user's regions)."""
    qs = Story.objects.prefetch_related(_story_regions()).defer("embedding")
    return get_scoped_or_404(qs, user, pk=pk)


def story_items(*, user: Any, story: Story) -> QuerySet[Item]:
    """The story's items the user may read, in the order they were published."""
    qs = scoped(Item.objects.filter(story=story), user)
    return (
        qs.select_related("source")
        .defer("text", "minhash", "topics")
        .order_by("published_at", "pk")
    )


def story_sources(*, user: Any, story: Story) -> list[dict[str, Any]]:
    """The sources that carried the story's items the user may read, with how many each."""
    rows = (
        scoped(Item.objects.filter(story=story), user)
        .values("source_id", "source__name", "source__kind")
        .annotate(items=Count("pk"))
        .order_by("-items", "source__name")
    )
    return [dict(row) for row in rows]


def story_hours(*, story: Story) -> list[StoryHour]:
    """The story's items per hour, oldest first (kept 14 days)."""
    return list(StoryHour.objects.filter(story=story).order_by("hour"))


def story_alerts(*, user: Any, story: Story) -> list[Alert]:
    """The alerts raised on the story that the user may see, newest first."""
    qs = scoped(Alert.objects.filter(story=story), user)
    return list(
        qs.select_related("region").prefetch_related("routed_to").order_by("-raised_at", "-pk")
    )


@dataclass(frozen=True)
class TensionRow:
    region: Region
    cells: list[TensionWeek | None]  # the complete weeks, oldest first
    current: TensionWeek | None  # the week so far


@dataclass(frozen=True)
class TensionTable:
    weeks: list[datetime.date]  # Mondays of the complete weeks, oldest first
    current_week: datetime.date
    rows: list[TensionRow]


def tension_table(
    *, user: Any, weeks: int, today: datetime.date, region: int | None = None
) -> TensionTable:
    """The index of the user's regions (or one of them) for the ``weeks`` complete weeks before
    ``today``'s week and for the week so far, as ``tension_rebuild`` left it (two queries)."""
    current = _monday_of(today)
    mondays = [current - datetime.timedelta(weeks=n) for n in range(weeks, 0, -1)]
    readable = regions_read(user=user)
    regions = list(readable.filter(pk=region) if region is not None else readable)
    stored = {
        (row.region_id, row.week): row
        for row in TensionWeek.objects.filter(
            region__in=[region.pk for region in regions],
            week__gte=mondays[0] if mondays else current,
            week__lte=current,
        )
    }
    rows = [
        TensionRow(
            region=region,
            cells=[stored.get((region.pk, monday)) for monday in mondays],
            current=stored.get((region.pk, current)),
        )
        for region in regions
    ]
    return TensionTable(weeks=mondays, current_week=current, rows=rows)


@dataclass(frozen=True)
class WeeklySeries:
    weeks: list[datetime.date]  # Mondays, oldest first
    series: dict[str, list[int]]  # code (topic or language) -> one count per week


def _weeks_back(weeks: int, today: datetime.date) -> list[datetime.date]:
    current = _monday_of(today)
    return [current - datetime.timedelta(weeks=n) for n in range(weeks, 0, -1)]


def _items_in_weeks(user: Any, mondays: list[datetime.date]) -> QuerySet[Item]:
    end = mondays[-1] + datetime.timedelta(weeks=1)
    return scoped(
        Item.objects.filter(
            published_at__gte=_local_start(mondays[0]), published_at__lt=_local_start(end)
        ),
        user,
    )


def trend_by_topic(*, user: Any, weeks: int, today: datetime.date) -> WeeklySeries:
    """Items the user may read with each topic present (p ≥ 0.5), per complete week before
    ``today``'s: one query."""
    mondays = _weeks_back(weeks, today)
    counts = {
        topic: Count("pk", filter=Q(**{f"topics__{topic}__gte": TOPIC_THRESHOLD}))
        for topic in Topic.values
    }
    rows = (
        _items_in_weeks(user, mondays)
        .annotate(week=TruncWeek("published_at"))
        .values("week")
        .annotate(**counts)
        .order_by()
    )
    found: dict[datetime.date, dict[str, Any]] = {_week_key(row["week"]): dict(row) for row in rows}
    return WeeklySeries(
        weeks=mondays,
        series={
            topic: [int(found[monday][topic]) if monday in found else 0 for monday in mondays]
            for topic in Topic.values
        },
    )


def trend_by_language(*, user: Any, weeks: int, today: datetime.date) -> WeeklySeries:
    """Items the user may read per language, per complete week before ``today``'s: one query."""
    mondays = _weeks_back(weeks, today)
    rows = (
        _items_in_weeks(user, mondays)
        .annotate(week=TruncWeek("published_at"))
        .values_list("week", "language")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[datetime.date, str], int] = {}
    for week, language, n in rows:
        key = (_week_key(week), language)
        counts[key] = counts.get(key, 0) + n
    return WeeklySeries(
        weeks=mondays,
        series={
            language: [counts.get((monday, language), 0) for monday in mondays]
            for language in Language.values
        },
    )


@dataclass(frozen=True)
class SourceMix:
    since: datetime.date
    total: int
    by_kind: dict[str, int]  # Source.Kind -> items (every kind, zeros included)
    by_language: dict[str, int]  # Language -> items (every language, zeros included)


def source_mix(*, user: Any, days: int, today: datetime.date) -> SourceMix:
    """Items the user may read published in the last ``days`` days (``today`` included), by
    the kind of their source and by language: two queries."""
    since = today - datetime.timedelta(days=days - 1)
    items = scoped(
        Item.objects.filter(
            published_at__gte=_local_start(since),
            published_at__lt=_local_start(today + datetime.timedelta(days=1)),
        ),
        user,
    ).order_by()
    by_kind = dict(items.values_list("source__kind").annotate(n=Count("pk")))
    by_language = dict(items.values_list("language").annotate(n=Count("pk")))
    return SourceMix(
        since=since,
        total=sum(by_kind.values()),
        by_kind={kind: int(by_kind.get(kind, 0)) for kind in Source.Kind.values},
        by_language={code: int(by_language.get(code, 0)) for code in Language.values},
    )


# the journalists' club and public coverage

# Public coverage figures start with the Assembly's own records.
COVERAGE_FIRST_YEAR = 2015


class Coverage(TypedDict):
    """What the public coverage page shows: counts only (see ``coverage_public``)."""

    year: int
    total: int
    by_region: dict[str, int]  # ISO code -> items
    by_language: dict[str, int]  # language code -> items
    by_month: dict[str, int]  # "2025-03" -> items, every month of the year


def _club_year_days(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _club_day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def club_bodies(*, user: Any) -> QuerySet[Organisation]:
    """The bodies a user may file the club's output under: the journalists' clubs they keep
    (every club for a national administrator) and the member or partner bodies below them."""
    if not club_policies.keeps_club_register(user):
        return Organisation.objects.none()
    if club_policies.national(user, frozenset({Role.NATIONAL_ADMIN})):
        paths = list(
            Organisation.objects.filter(kind__code=club_policies.CLUB_KIND).values_list(
                "path", flat=True
            )
        )
    else:
        paths = club_policies._club_paths(user)
    if not paths:
        return Organisation.objects.none()
    return Organisation.objects.filter(prefix_q("path", paths)).order_by("path")


def club_publications(
    *,
    user: Any,
    year: int | None = None,
    kind: str = "",
    region: Region | None = None,
    outlet: str = "",
) -> QuerySet[ClubPublication]:
    """The register as a user sees it (their clubs; every club for the national level),
    newest first, filtered."""
    rows = scoped(ClubPublication.objects.all(), user)
    if year is not None:
        rows = rows.filter(published_on__range=_club_year_days(year))
    if kind:
        rows = rows.filter(kind=kind)
    if region is not None:
        rows = rows.filter(region=region)
    if outlet.strip():
        rows = rows.filter(contains_q(("outlet",), outlet.strip()))
    return rows.select_related("organisation", "region").order_by("-published_on", "-id")


def club_counts(
    *, year: int, region: Region | None = None, qs: QuerySet[ClubPublication] | None = None
) -> dict[str, int]:
    """Publications, TV stories and social-media posts of a calendar year (every kind, zeros
    included), in ``qs`` (the whole register by default)."""
    rows = (qs if qs is not None else ClubPublication.objects.all()).filter(
        published_on__range=_club_year_days(year)
    )
    if region is not None:
        rows = rows.filter(region=region)
    found = dict(rows.order_by().values_list("kind").annotate(count=Count("id")))
    return {kind.value: int(found.get(kind.value, 0)) for kind in ClubPublication.Kind}


def _club_main_region() -> Subquery:
    """An item's main region: the one its text names most, else its outlet's home region."""
    return Subquery(
        ItemPlace.objects.filter(item=OuterRef("pk"))
        .order_by(
            Case(When(via=ItemPlace.Via.TEXT, then=Value(0)), default=Value(1)), "-count", "id"
        )
        .values("region__iso")[:1]
    )


def media_items(
    *,
    start: datetime.date,
    end: datetime.date,
    region: Region | None = None,
    by_month: bool = False,
) -> list[dict[str, Any]]:
    """Items collected from the media, published between two days (inclusive), counted in
    the database by main region (``none``: no region), language and, ``by_month``, month
    ("2025-03"). Each item is counted once, so the rows add up to the items collected. Only
    counts: nothing of an item's risk, topics, story, title or source."""
    items = Item.objects.filter(
        state=Item.State.PROCESSED,
        published_at__gte=_club_day_start(start),
        published_at__lt=_club_day_start(end + datetime.timedelta(days=1)),
    ).annotate(main_region=_club_main_region())
    if region is not None:
        items = items.filter(
            pk__in=ItemPlace.objects.filter(region=region).values("item_id"),
            main_region=region.iso,
        )
    fields = ["main_region", "language"]
    if by_month:
        items = items.annotate(month=TruncMonth("published_at"))
        fields.append("month")
    rows = items.order_by().values(*fields).annotate(value=Count("id"))
    result = []
    for row in rows:
        cell: dict[str, Any] = {
            "region": row["main_region"] or NO_REGION,
            "language": row["language"],
            "value": int(row["value"]),
        }
        if by_month:
            cell["month"] = timezone.localtime(row["month"]).strftime("%Y-%m")
        result.append(cell)
    return result


def coverage_public(*, year: int, region: Region | None = None) -> Coverage:
    """The public coverage figures of a year: media items collected by region, language and
    month. Aggregates only, never a risk signal; cached like the public figures."""

    def build() -> Coverage:
        start, end = _club_year_days(year)
        cells = media_items(start=start, end=end, region=region, by_month=True)
        coverage = Coverage(
            year=year,
            total=sum(cell["value"] for cell in cells),
            by_region={},
            by_language={},
            by_month={f"{year}-{month:02d}": 0 for month in range(1, 13)},
        )
        for cell in cells:
            if cell["region"] != NO_REGION:
                by_region = coverage["by_region"]
                by_region[cell["region"]] = by_region.get(cell["region"], 0) + cell["value"]
            by_language = coverage["by_language"]
            by_language[cell["language"]] = by_language.get(cell["language"], 0) + cell["value"]
            coverage["by_month"][cell["month"]] += cell["value"]
        return coverage

    iso = region.iso if region is not None else "all"
    value: Coverage = kpi.cached(f"monitoring:coverage:{year}:{iso}", build)
    return value
