"""The pipeline that reads new items: language, exact and near duplicates, places and groups,
persons and organisations, risk topics, stories, then the alert rules. One batch at a time.

Every step works on the whole batch (one query per kind of row, not per item), and the batch is
written in one transaction: an item is either fully processed or still waiting. Batches are
serialised across workers by a lock in the cache (the database cache on the embedded default,
Redis at scale), so two workers never attach the same item to two stories.
"""

from __future__ import annotations

import datetime
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.utils import timezone

from birlik.geo.mentions import place_mentions
from birlik.registry.mentions import group_mentions

from . import classifier, dedup, entities, language, stories
from .models import Item, ItemEntity, ItemGroup, ItemPlace

log = logging.getLogger(__name__)

LOCK_KEY = "birlik:monitoring-process"
# Signatures of the last days make the near-duplicate index.
NEAR_DAYS = 7
TEXT_FOR_ANALYSIS = 5000
# Persons and organisations are read in the title and the lead: natasha's cost grows with the
# length (4 ms for 500 characters, 28 ms for 5,000), and a story's actors are named early.
ENTITY_CHARS = 1500
LANGUAGE_HINTS = frozenset({"kk", "ru", "en"})
NUMBER = re.compile(r"(?<!\d)\d{2,4}(?!\d)")


@dataclass
class ProcessResult:
    processed: int = 0
    duplicates: int = 0
    alerts: int = 0
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class _Timer:
    timings: dict[str, float]

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start


class _NearIndexCache:
    """The near-duplicate index of this process, kept current with each batch: built from
    the last ``NEAR_DAYS`` days once, then items are added as they are processed."""

    def __init__(self) -> None:
        self.index: dedup.NearIndex | None = None
        self.built_on: datetime.date | None = None

    def get(self, now: datetime.datetime) -> dedup.NearIndex:
        today = now.date()
        if self.index is None or self.built_on != today:
            since = now - datetime.timedelta(days=NEAR_DAYS)
            rows = (
                Item.objects.filter(
                    state=Item.State.PROCESSED, fetched_at__gte=since, minhash__isnull=False
                )
                .values_list("pk", "minhash")
                .iterator(chunk_size=2000)
            )
            self.index = dedup.near_index((pk, bytes(sig or b"")) for pk, sig in rows)
            self.built_on = today
        return self.index

    def reset(self) -> None:
        self.index = None
        self.built_on = None


@cache
def _near_cache() -> _NearIndexCache:
    return _NearIndexCache()


def reset() -> None:
    """Forget the per-process state (tests)."""
    _near_cache().reset()


def _text_of(item: Item) -> str:
    return f"{item.title}\n{item.text}"[:TEXT_FOR_ANALYSIS]


@contextmanager
def _batch_lock(seconds: int = 300) -> Iterator[bool]:
    got = django_cache.add(LOCK_KEY, 1, seconds)
    try:
        yield bool(got)
    finally:
        if got:
            django_cache.delete(LOCK_KEY)


def items_process(*, limit: int = 500, now: datetime.datetime | None = None) -> ProcessResult:
    """Process up to ``limit`` waiting items (oldest first); returns what was done."""
    result = ProcessResult()
    with _batch_lock() as locked:
        if not locked:
            return result
        ids = list(
            Item.objects.filter(state=Item.State.NEW)
            .order_by("fetched_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            _process(ids, now=now or timezone.now(), result=result)
    return result


def _process(ids: list[int], *, now: datetime.datetime, result: ProcessResult) -> None:
    timer = _Timer(result.timings)
    items = list(Item.objects.filter(pk__in=ids).select_related("source").order_by("pk"))
    texts = [_text_of(item) for item in items]

    with timer.step("language"):
        for item, text in zip(items, texts, strict=True):
            # The reader's hint (a feed's or page's own language) before the source's setting.
            hint = item.language if item.language in LANGUAGE_HINTS else item.source.language
            item.language, item.language_confidence = language.detect(text, declared=hint)

    with timer.step("duplicates"):
        result.duplicates = _mark_duplicates(items, now=now)

    with timer.step("places"):
        places_index = place_mentions()
        groups_index = group_mentions()
        given_by_hand: dict[int, list[tuple[int, int | None]]] = {}
        for pk, region_id, district_id in ItemPlace.objects.filter(
            item_id__in=ids, via=ItemPlace.Via.HAND
        ).values_list("item_id", "region_id", "district_id"):
            given_by_hand.setdefault(pk, []).append((region_id, district_id))
        place_rows: list[ItemPlace] = []
        group_rows: list[ItemGroup] = []
        places_of: dict[int, list[tuple[int, int | None]]] = {}
        groups_of: dict[int, list[int]] = {}
        for item, text in zip(items, texts, strict=True):
            home = item.source.home_region_id
            found = places_index.find(text, near=() if home is None else (home,))
            places_of[item.pk] = [(m.region_id, m.district_id) for m in found]
            place_rows += [
                ItemPlace(
                    item=item, region_id=m.region_id, district_id=m.district_id, count=m.count
                )
                for m in found
            ]
            if not found and item.pk in given_by_hand:
                places_of[item.pk] = given_by_hand[item.pk]
            elif not found and item.source.home_region_id is not None:
                place_rows.append(
                    ItemPlace(
                        item=item, region_id=item.source.home_region_id, via=ItemPlace.Via.SOURCE
                    )
                )
            groups = groups_index.find(text)
            groups_of[item.pk] = [g.group_id for g in groups]
            group_rows += [ItemGroup(item=item, group_id=g.group_id, count=g.count) for g in groups]

    with timer.step("entities"):
        entity_rows: list[ItemEntity] = []
        entities_of: dict[int, list[entities.Entity]] = {}
        for item, text in zip(items, texts, strict=True):
            found_entities = entities.entities(text[:ENTITY_CHARS], item.language)
            entities_of[item.pk] = found_entities
            entity_rows += [
                ItemEntity(item=item, kind=e.kind, key=e.key[:200], shown=e.shown[:200])
                for e in found_entities
            ]

    with timer.step("risk"):
        scorer = classifier.current_scorer()
        scores = scorer.score(texts, [item.language for item in items])
        for item, topics in zip(items, scores, strict=True):
            item.topics = {topic: round(float(p), 4) for topic, p in topics.items()}
            item.risk = round(classifier.risk_of(topics), 4)
            item.model_version_id = scorer.model_version_id

    with transaction.atomic():
        with timer.step("write"):
            ItemPlace.objects.filter(item_id__in=ids).exclude(via=ItemPlace.Via.HAND).delete()
            ItemGroup.objects.filter(item_id__in=ids).delete()
            ItemEntity.objects.filter(item_id__in=ids).delete()
            ItemPlace.objects.bulk_create(place_rows, batch_size=1000)
            ItemGroup.objects.bulk_create(group_rows, batch_size=1000)
            ItemEntity.objects.bulk_create(entity_rows, batch_size=1000)
        with timer.step("stories"):
            keys_by_item = {
                item.pk: stories.story_keys(
                    places=places_of[item.pk],
                    groups=groups_of[item.pk],
                    entities=entities_of[item.pk],
                    numbers=NUMBER.findall(item.title),
                )
                for item in items
            }
            stories.attach_many(items, keys_by_item, now=now)
        with timer.step("write"):
            for item in items:
                item.state = Item.State.PROCESSED
                item.processed_at = now
            Item.objects.bulk_update(
                items,
                [
                    "language",
                    "language_confidence",
                    "content_hash",
                    "minhash",
                    "duplicate_of",
                    "topics",
                    "risk",
                    "model_version",
                    "state",
                    "processed_at",
                ],
                batch_size=500,
            )
    result.processed += len(items)

    with timer.step("alerts"):
        from . import services

        result.alerts += len(services.alerts_evaluate(now=now, item_ids=ids))


def _mark_duplicates(items: list[Item], *, now: datetime.datetime) -> int:
    """Exact copies (same normalised text) and near copies (MinHash ≥ 0.7) point to the
    earliest item they copy; a copy keeps its own row for the source mix and the counts."""
    for item in items:
        item.content_hash = dedup.content_hash(item.title, item.text)
        item.minhash = dedup.signature(item.title, item.text)
    hashes = {item.content_hash for item in items}
    batch_ids = [item.pk for item in items]
    earliest: dict[str, int] = {}
    for digest, pk in (
        Item.objects.filter(content_hash__in=hashes)
        .exclude(pk__in=batch_ids)
        .order_by("pk")
        .values_list("content_hash", "pk")
    ):
        earliest.setdefault(digest, pk)
    near = _near_cache().get(now)
    marked = 0
    for item in items:
        signature = bytes(item.minhash or b"")
        original = earliest.get(item.content_hash)
        if original is None:
            candidates = [pk for pk in near.query(signature) if pk != item.pk]
            original = min(candidates) if candidates else None
        if original is not None and original < item.pk:
            item.duplicate_of_id = original
            marked += 1
        else:
            earliest.setdefault(item.content_hash, item.pk)
            near.add(item.pk, signature)
    return marked


def pending() -> int:
    return Item.objects.filter(state=Item.State.NEW).count()


def batch_size() -> int:
    return int(getattr(settings, "MONITORING_BATCH_SIZE", 500))
