"""Stories: items about the same event, in any language, grouped without a model.

An item's keys name what it is about: its districts ``d:<id>``, regions ``r:<id>``, ethnic
groups ``g:<id>``, persons and organisations ``e:<latin key>`` and numbers ``n:<digits>``
(casualties, dates). An item may join a story whose last item was published at most
``MONITORING_STORY_WINDOW_HOURS`` (72) before it and that shares a *strong* key with it: a
district or an entity. A region alone is too weak (a region has several events a day). Time is
the items' publication time, not the clock's, so a backlog (a vendor's sheet, the demo's year
of items) forms the stories it would have formed live; an item dated in the future counts as
published now.

The score of a candidate adds, per kind of shared key, ``weight × shared keys`` up to a cap:

    district 0.5 (cap 0.5) · entity 0.35 (cap 0.7) · group 0.2 (cap 0.3)
    number 0.15 (cap 0.3) · region 0.1 (cap 0.1)

and, when the story already has an item in the item's language, 0.5 × the Jaccard similarity
of the title word stems (first five letters, so Kazakh and Russian case endings agree). The
item joins the best story scoring at least 0.7, else it opens a story. So the same event in
Kazakh and Russian joins on district + entity (0.95) or district + group (0.8) without a
shared word; two events in one district need a second key or similar titles (0.6 + title);
a person in the news everywhere needs more than their name. A near-duplicate joins its
original's story without a score (docs/design/monitoring.md §1.3).

``attach_many`` works on a pipeline batch with a fixed number of queries (plus, on SQLite
only, one more per 99 new or 124 changed stories: Django splits bulk writes under its
999-variable limit).
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, Value, When

from birlik.core.cleaning import match_key

from .entities import Entity
from .models import Item, Story, StoryHour
from .queries import stories_near

__all__ = [
    "JOIN_AT",
    "attach",
    "attach_many",
    "hour_of",
    "score",
    "stories_close_quiet",
    "story_keys",
    "title_tokens",
    "window",
]

# (weight per shared key, cap for the kind); see the module's docstring.
WEIGHTS: dict[str, tuple[float, float]] = {
    "d": (0.5, 0.5),
    "e": (0.35, 0.7),
    "g": (0.2, 0.3),
    "n": (0.15, 0.3),
    "r": (0.1, 0.1),
}
STRONG = ("d", "e")
TITLE_WEIGHT = 0.5
JOIN_AT = 0.7
# A story keeps its first keys: what it was about when it opened decides who joins it.
KEYS_KEPT = 60
NUMBERS_KEPT = 5
STEM = 5
TITLE_MAX = 500

_NUMBER = re.compile(r"\d+")
# Long function words that would make unrelated titles look alike (compared folded).
_STOP = frozenset(
    match_key(word)
    for word in (
        *("после", "более", "также", "который", "которые", "которая", "этого", "через"),
        *("туралы", "және", "бойынша", "кейін", "арналған", "with", "from", "that", "this"),
        *("after", "about", "over", "into", "will", "have", "their"),
    )
)


def window() -> datetime.timedelta:
    """How long a story waits for its next item before it closes."""
    return datetime.timedelta(hours=int(getattr(settings, "MONITORING_STORY_WINDOW_HOURS", 72)))


def _is_year(number: int) -> bool:
    # Nearly every item names the year; it says nothing about the event.
    return 1900 <= number <= 2100


def story_keys(
    *,
    places: Iterable[tuple[int, int | None]],
    groups: Iterable[int],
    entities: Iterable[Entity],
    numbers: Iterable[str],
) -> list[str]:
    """An item's story keys, strong ones first: "d:123", "e:akhmetov", "g:7", "r:5", "n:17".
    Years are left out of the numbers, and at most five numbers are kept."""
    places = list(places)
    keys = [f"d:{district}" for _region, district in places if district is not None]
    keys += [f"e:{entity.key}" for entity in entities if entity.key]
    keys += [f"g:{group}" for group in groups]
    keys += [f"r:{region}" for region, _district in places]
    kept_numbers = []
    for number in numbers:
        digits = "".join(_NUMBER.findall(str(number))).lstrip("0")
        if digits and len(digits) <= 6 and not _is_year(int(digits)):
            kept_numbers.append(f"n:{digits}")
    keys += list(dict.fromkeys(kept_numbers))[:NUMBERS_KEPT]
    return list(dict.fromkeys(keys))


def title_tokens(title: str) -> frozenset[str]:
    """The stems of a title's words (four letters or more, not numbers, not function words)."""
    return frozenset(
        word[:STEM]
        for word in match_key(title).split()
        if len(word) >= 4 and not word.isdigit() and word not in _STOP
    )


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def score(
    item_keys: Iterable[str],
    story_keys_: Iterable[str],
    *,
    same_language: bool = False,
    item_title: frozenset[str] = frozenset(),
    story_title: frozenset[str] = frozenset(),
) -> float:
    """How strongly an item belongs to a story (see the module's docstring for the weights)."""
    shared = Counter(key.split(":", 1)[0] for key in set(item_keys) & set(story_keys_))
    total = sum(min(cap, weight * shared.get(kind, 0)) for kind, (weight, cap) in WEIGHTS.items())
    if same_language:
        total += TITLE_WEIGHT * _jaccard(item_title, story_title)
    return round(total, 6)


@dataclass(eq=False)
class _Open:
    """A story as the batch sees it: loaded, or opened by an item of the batch."""

    story: Story
    keys: list[str]
    tokens: frozenset[str]
    languages: list[str]
    opened: datetime.datetime
    last: datetime.datetime
    order: int
    new: bool = False
    items: list[Item] = field(default_factory=list)
    regions: set[int] = field(default_factory=set)  # named by the batch's items

    def strong_keys(self) -> list[str]:
        return [key for key in self.keys if key.startswith(tuple(f"{k}:" for k in STRONG))]

    def take(self, item: Item, keys: Sequence[str], moment: datetime.datetime) -> None:
        self.items.append(item)
        self.regions |= {int(key[2:]) for key in keys if key.startswith("r:") and key[2:].isdigit()}
        self.keys = list(dict.fromkeys([*self.keys, *keys]))[:KEYS_KEPT]
        if item.language not in self.languages:
            self.languages.append(item.language)
        self.last = max(self.last, moment)
        self.opened = min(self.opened, moment)


class _Batch:
    """The stories near the batch's time, indexed by their strong keys, and the choices made."""

    def __init__(self, stories: Iterable[Story], moments: Mapping[int, datetime.datetime]) -> None:
        self.moments = moments  # item pk → when it counts as published
        self.by_key: dict[str, list[_Open]] = {}
        self.touched: dict[int, _Open] = {}  # id(_Open) → _Open, in the order first touched
        self.story_of: dict[int, _Open] = {}  # item pk → its story
        self._count = 0
        for story in stories:
            self._index(
                _Open(
                    story=story,
                    keys=list(story.keys or []),
                    tokens=title_tokens(story.title),
                    languages=list(story.languages or []),
                    opened=story.opened_at,
                    last=story.last_item_at,
                    order=self._next(),
                )
            )

    def _next(self) -> int:
        self._count += 1
        return self._count

    def _index(self, entry: _Open, keys: Iterable[str] | None = None) -> None:
        strong = entry.strong_keys() if keys is None else keys
        for key in strong:
            bucket = self.by_key.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)

    def best(self, item: Item, keys: Sequence[str], tokens: frozenset[str]) -> _Open | None:
        span = window()
        candidates: dict[int, _Open] = {}
        for key in keys:
            if key.startswith(tuple(f"{k}:" for k in STRONG)):
                for entry in self.by_key.get(key, []):
                    candidates[id(entry)] = entry
        best: tuple[float, datetime.datetime, int] | None = None
        chosen = None
        moment = self.moments[item.pk]
        for entry in candidates.values():
            if entry.last < moment - span or entry.opened > moment + span:
                continue
            value = score(
                keys,
                entry.keys,
                same_language=item.language in entry.languages,
                item_title=tokens,
                story_title=entry.tokens,
            )
            rank = (value, entry.last, -entry.order)
            if value >= JOIN_AT and (best is None or rank > best):
                best, chosen = rank, entry
        return chosen

    def join(self, entry: _Open, item: Item, keys: Sequence[str]) -> None:
        entry.take(item, keys, self.moments[item.pk])
        self._index(entry, [k for k in keys if k.startswith(tuple(f"{s}:" for s in STRONG))])
        self.touched.setdefault(id(entry), entry)
        self.story_of[item.pk] = entry

    def open(self, item: Item, keys: Sequence[str], tokens: frozenset[str]) -> None:
        title = (item.title or item.text or "").strip()[:TITLE_MAX] or str(item.pk)
        moment = self.moments[item.pk]
        story = Story(title=title, opened_at=moment, last_item_at=moment)
        entry = _Open(
            story=story,
            keys=[],
            tokens=tokens,
            languages=[],
            opened=moment,
            last=moment,
            order=self._next(),
            new=True,
        )
        self.join(entry, item, keys)

    def adopt(self, story: Story) -> _Open:
        """A loaded story outside the window (a duplicate's original's): joined, not indexed."""
        for entry in self.touched.values():
            if entry.story.pk == story.pk:
                return entry
        for bucket in self.by_key.values():
            for entry in bucket:
                if entry.story.pk == story.pk:
                    return entry
        return _Open(
            story=story,
            keys=list(story.keys or []),
            tokens=title_tokens(story.title),
            languages=list(story.languages or []),
            opened=story.opened_at,
            last=story.last_item_at,
            order=self._next(),
        )


def _originals(items: Sequence[Item], batch_pks: set[int]) -> dict[int, Story | None]:
    """The stories of the originals of the batch's duplicates that are not in the batch."""
    wanted = {
        item.duplicate_of_id
        for item in items
        if item.duplicate_of_id is not None and item.duplicate_of_id not in batch_pks
    }
    if not wanted:
        return {}
    rows = Item.objects.filter(pk__in=wanted).select_related("story").only("pk", "story")
    return {row.pk: row.story for row in rows}


def _choose(
    batch: _Batch,
    items: Sequence[Item],
    keys_by_item: Mapping[int, Sequence[str]],
    originals: Mapping[int, Story | None],
    tokens_by_item: Mapping[int, frozenset[str]],
) -> None:
    for item in items:
        keys = list(keys_by_item.get(item.pk, ()))
        original = item.duplicate_of_id
        if original is not None:
            if original in batch.story_of:
                batch.join(batch.story_of[original], item, keys)
                continue
            story = originals.get(original)
            if story is not None:
                batch.join(batch.adopt(story), item, keys)
                continue
        tokens = tokens_by_item.get(item.pk)
        if tokens is None:
            tokens = title_tokens(item.title)
        entry = batch.best(item, keys, tokens)
        if entry is None:
            batch.open(item, keys, tokens)
        else:
            batch.join(entry, item, keys)


def _batch_stats(entry: _Open) -> tuple[int, set[int], float]:
    sources = {item.source_id for item in entry.items}
    risk = max((item.risk or 0.0) for item in entry.items)
    return len(entry.items), sources, risk


def _create(new: list[_Open]) -> None:
    for entry in new:
        count, sources, risk = _batch_stats(entry)
        story = entry.story
        story.keys = entry.keys
        story.languages = entry.languages
        story.item_count = count
        story.source_count = len(sources)
        story.risk = risk
        story.opened_at = entry.opened
        story.last_item_at = entry.last
    Story.objects.bulk_create([entry.story for entry in new])


def _refresh(existing: list[_Open], batch_pks: list[int], now: datetime.datetime) -> None:
    """Recount the stories that gained items: their stored items (read under a lock on the
    stories, so two batches cannot both miss each other's items) plus the batch's."""
    pks = [entry.story.pk for entry in existing]
    fresh_keys = dict(
        Story.objects.select_for_update(of=("self",))
        .filter(pk__in=pks)
        .order_by()
        .values_list("pk", "keys")
    )
    stored = Item.objects.filter(story_id__in=pks).exclude(pk__in=batch_pks).order_by()
    per_language = stored.values("story_id", "language").annotate(
        n=Count("pk"), risk=Max("risk"), last=Max("published_at"), first=Min("published_at")
    )
    counts: dict[int, int] = Counter()
    risks: dict[int, float] = {}
    lasts: dict[int, datetime.datetime] = {}
    languages: dict[int, list[tuple[datetime.datetime, str]]] = {}
    for row in per_language:
        pk = row["story_id"]
        counts[pk] += row["n"]
        risks[pk] = max(risks.get(pk, 0.0), row["risk"] or 0.0)
        lasts[pk] = max(lasts[pk], row["last"]) if pk in lasts else row["last"]
        languages.setdefault(pk, []).append((row["first"], row["language"]))
    sources: dict[int, set[int]] = {}
    for pk, source_id in stored.values_list("story_id", "source_id").distinct():
        sources.setdefault(pk, set()).add(source_id)
    changed = []
    for entry in existing:
        pk = entry.story.pk
        count, batch_sources, risk = _batch_stats(entry)
        seen = [language for _first, language in sorted(languages.get(pk, []))]
        for item in sorted(entry.items, key=lambda i: (i.published_at, i.pk)):
            if item.language not in seen:
                seen.append(item.language)
        keys = list(dict.fromkeys([*(fresh_keys.get(pk) or []), *entry.keys]))[:KEYS_KEPT]
        last = min(now, max([entry.last, *([lasts[pk]] if pk in lasts else [])]))
        story = Story(
            pk=pk,
            item_count=counts.get(pk, 0) + count,
            source_count=len(sources.get(pk, set()) | batch_sources),
            risk=max(risks.get(pk, 0.0), risk),
            last_item_at=last,
            languages=seen,
            keys=keys,
        )
        entry.story.item_count, entry.story.source_count = story.item_count, story.source_count
        entry.story.risk, entry.story.last_item_at = story.risk, story.last_item_at
        entry.story.languages, entry.story.keys = story.languages, story.keys
        changed.append(story)
    Story.objects.bulk_update(
        changed, ["item_count", "source_count", "risk", "last_item_at", "languages", "keys"]
    )


def _link_items(touched: list[_Open]) -> None:
    """One UPDATE setting every item's story."""
    whens = []
    pks = []
    for entry in touched:
        members = [item.pk for item in entry.items]
        pks += members
        whens.append(When(pk__in=members, then=Value(entry.story.pk)))
        for item in entry.items:
            item.story = entry.story
    Item.objects.filter(pk__in=pks).update(
        story_id=Case(*whens, default=F("story_id"), output_field=IntegerField())
    )


def _link_regions(touched: list[_Open]) -> None:
    through = Story.regions.through
    rows = {(entry.story.pk, region_pk) for entry in touched for region_pk in entry.regions}
    through.objects.bulk_create(
        [through(story_id=story_pk, region_id=region_pk) for story_pk, region_pk in sorted(rows)],
        ignore_conflicts=True,
    )


def hour_of(moment: datetime.datetime) -> datetime.datetime:
    """The ``StoryHour`` bucket of a moment: its hour, in UTC."""
    return moment.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)


def _count_hours(touched: list[_Open], moments: Mapping[int, datetime.datetime]) -> None:
    """Add the batch's items to their stories' hours: missing rows are created at 0, then one
    UPDATE adds to each row in the database (``items = items + n``), so two batches that
    count the same hour do not overwrite each other."""
    added: Counter[tuple[int, datetime.datetime]] = Counter(
        (entry.story.pk, hour_of(moments[item.pk])) for entry in touched for item in entry.items
    )
    if not added:
        return
    StoryHour.objects.bulk_create(
        [StoryHour(story_id=pk, hour=hour, items=0) for pk, hour in added], ignore_conflicts=True
    )
    by_count: dict[int, Q] = {}
    for (pk, hour), n in added.items():
        by_count[n] = by_count.get(n, Q()) | Q(story_id=pk, hour=hour)
    matches = Q()
    for q in by_count.values():
        matches |= q
    StoryHour.objects.filter(matches).update(
        items=F("items")
        + Case(
            *[When(q, then=Value(n)) for n, q in by_count.items()],
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def attach_many(
    items: Sequence[Item],
    keys_by_item: Mapping[int, Sequence[str]],
    *,
    now: datetime.datetime,
    tokens_by_item: Mapping[int, frozenset[str]] | None = None,
) -> dict[int, Story]:
    """Put each item of a batch in a story (joined or opened), oldest first, and keep the
    stories' counters, keys, regions and hours current. Items must be saved, with their
    language, risk and ``duplicate_of`` already set; their ``story`` is set and saved.
    ``now`` only caps future publication dates; ``tokens_by_item`` (``title_tokens``) is read
    from the titles when not given.
    Returns each item's story by item pk."""
    if not items:
        return {}
    moments = {item.pk: min(item.published_at, now) for item in items}
    ordered = sorted(items, key=lambda item: (moments[item.pk], item.pk))
    batch_pks = [item.pk for item in ordered]
    span = window()
    with transaction.atomic():
        near = stories_near(
            start=min(moments.values()) - span, end=max(moments.values()) + span
        ).defer("embedding")
        batch = _Batch(near, moments)
        originals = _originals(ordered, set(batch_pks))
        _choose(batch, ordered, keys_by_item, originals, tokens_by_item or {})
        touched = list(batch.touched.values())
        new = [entry for entry in touched if entry.new]
        existing = [entry for entry in touched if not entry.new]
        if new:
            _create(new)
        if existing:
            _refresh(existing, batch_pks, now)
        _link_items(touched)
        _link_regions(touched)
        _count_hours(touched, moments)
    return {pk: entry.story for pk, entry in batch.story_of.items()}


def attach(
    item: Item,
    *,
    keys: Sequence[str],
    title_tokens: frozenset[str] | None = None,
    now: datetime.datetime,
) -> Story:
    """``attach_many`` for one item."""
    tokens = {item.pk: title_tokens} if title_tokens is not None else None
    return attach_many([item], {item.pk: list(keys)}, now=now, tokens_by_item=tokens)[item.pk]


def stories_close_quiet(*, now: datetime.datetime) -> int:
    """Close the open stories without an item for the window (72 h); returns how many."""
    return Story.objects.filter(open=True, last_item_at__lt=now - window()).update(open=False)
