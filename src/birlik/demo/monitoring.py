"""Demo early warning: the invented outlets, a year of generated media items waiting for the
worker's pipeline, the demo analyst's labels, the journalists' club's register and the starter
keyword and alert rules.

The items come from ``birlik.demo.monitoring_corpus`` (deterministic for a seed) and are
written ``NEW``: the worker processes them as it would collected items, so languages, copies,
places, stories, risk and the alerts of the tension episodes (one in the last two days, so
alerts fire live) are the real pipeline's work. Nothing here goes to the internet: fetched
sources are switched off, due in a century, on ``.example`` addresses, and say «демо» in their
name.
"""

from __future__ import annotations

import datetime
import random
import sys
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from birlik.access.models import User
from birlik.geo.models import District, Region
from birlik.monitoring import services as monitoring_services
from birlik.monitoring.models import (
    ClubPublication,
    Item,
    ItemGroup,
    ItemPlace,
    Label,
    Source,
    Topic,
)
from birlik.registry.models import EthnicGroup, Organisation

from .monitoring_corpus import Corpus, DistrictRef, GroupRef, RegionRef, generate

__all__ = ["ITEMS_PER_YEAR", "corpus_refs", "demo_monitoring_seed", "items_from_corpus"]

ITEMS_PER_YEAR = 40_000
LABELLED_ITEMS = 1_500
# The journalists' club's own figures for 2025 (issue 15).
CLUB_PER_YEAR = {
    ClubPublication.Kind.PUBLICATION: 63_000,
    ClubPublication.Kind.TV: 7_700,
    ClubPublication.Kind.SOCIAL: 44_000,
}
CLUB_GROWTH = 1.05
CLUB_PARTNERS = (
    "«Ел дидары»", "«Степной вестник»", "Steppe Times", "«Жетіген» телеарнасы",
    "Телеканал «Эфир-24»", "«Қарлығаш» блогы", "Блог «Наш город»", "«Ертіс таңы»",
    "«Түркістан шұғыласы»", "«Тараз хабары»", "«Вечерний Алатау»", "«Дала-Пресс» агенттігі",
)  # fmt: skip
ANALYST_LOGIN = "analyst"  # the demo analyst of ``demo.services.DEMO_USERS``
BATCH = 2000
NEVER = datetime.timedelta(days=365 * 100)


def corpus_refs() -> tuple[list[RegionRef], list[DistrictRef], list[GroupRef]]:
    """The regions, districts and ethnic groups as the database holds them, for the generator."""
    regions = [
        RegionRef(
            id=region.pk,
            iso=region.iso,
            kind=region.kind,
            name=(region.name_kk or "", region.name_ru or "", region.name_en or ""),  # type: ignore[attr-defined]
            centre=(region.centre_kk or "", region.centre_ru or "", region.centre_en or ""),  # type: ignore[attr-defined]
        )
        for region in Region.objects.order_by("kato")
    ]
    districts = [
        DistrictRef(
            id=district.pk,
            region_id=district.region_id,
            kato=district.kato,
            kind=district.kind,
            name=(district.name_kk or "", district.name_ru or "", district.name_en or ""),  # type: ignore[attr-defined]
        )
        for district in District.objects.order_by("kato")
    ]
    groups = [
        GroupRef(
            id=group.pk,
            code=group.code,
            name=(group.name_kk or "", group.name_ru or "", group.name_en or ""),  # type: ignore[attr-defined]
        )
        for group in EthnicGroup.objects.order_by("position", "code")
    ]
    return regions, districts, groups


def sources_from_corpus(corpus: Corpus, *, now: datetime.datetime) -> dict[str, Source]:
    """``Source`` rows for the corpus's outlets: fetched kinds switched off and due in a century."""
    club = Organisation.objects.filter(kind__code="journalists_club").order_by("path").first()
    rows = []
    for spec in corpus.sources:
        fetched = spec.kind in Source.FETCHED
        rows.append(
            Source(
                name=spec.name,
                kind=spec.kind,
                url=spec.url,
                language=spec.language,
                home_region_id=spec.home_region_id,
                club_member=club if spec.club_kind and club is not None else None,
                club_kind=spec.club_kind if club is not None else "",
                enabled=not fetched,
                next_fetch_at=now + NEVER,
            )
        )
    created = Source.objects.bulk_create(rows)
    return {spec.key: source for spec, source in zip(corpus.sources, created, strict=True)}


def items_from_corpus(
    corpus: Corpus,
    sources: dict[str, Source],
    *,
    now: datetime.datetime,
    seed: int,
    progress: bool = False,
    delay_minutes: tuple[float, float] = (1, 12),
) -> dict[str, int]:
    """The corpus's items as waiting ``Item`` rows, collected a few minutes after publication
    and inserted in the order they were collected (ids follow time, as the pipeline expects);
    returns the item id by guid."""
    rng = random.Random(seed)
    rows = []
    for entry in corpus.items:
        fetched = entry["published_at"] + datetime.timedelta(minutes=rng.uniform(*delay_minutes))
        rows.append(
            Item(
                source=sources[entry["source"]],
                guid=entry["guid"],
                url=entry["url"],
                title=entry["title"],
                text=entry["text"],
                published_at=entry["published_at"],
                fetched_at=min(fetched, now),
                state=Item.State.NEW,
            )
        )
    rows.sort(key=lambda item: (item.fetched_at, item.guid))
    ids: dict[str, int] = {}
    with tqdm(
        total=len(rows), desc="Media items", unit=" items", unit_scale=True, file=sys.stderr,
        disable=not progress, leave=progress,
    ) as bar:  # fmt: skip
        for start in range(0, len(rows), BATCH):
            batch = Item.objects.bulk_create(rows[start : start + BATCH])
            ids.update((item.guid, item.pk) for item in batch)
            bar.update(len(batch))
    return ids


def _labelled(corpus: Corpus, count: int, rng: random.Random) -> list[str]:
    """Items for the analyst: originals only, in every language; nearly half with a risk
    topic (rare in the stream, so oversampled as an analyst's queue would), some unity
    coverage, the rest ordinary news."""
    truth = corpus.truth
    originals = [e["guid"] for e in corpus.items if truth[e["guid"]].duplicate_of is None]
    risky = [g for g in originals if truth[g].topics - {"unity"}]
    unity = [g for g in originals if truth[g].topics == {"unity"}]
    plain = [g for g in originals if not truth[g].topics]
    chosen = rng.sample(risky, min(len(risky), round(count * 0.45)))
    chosen += rng.sample(unity, min(len(unity), round(count * 0.15)))
    chosen += rng.sample(plain, min(len(plain), count - len(chosen)))
    return chosen


def labels_from_truth(
    corpus: Corpus, item_ids: dict[str, int], *, analyst: User, count: int, seed: int
) -> int:
    """The analyst's answers on every topic for ``count`` items, through the label service
    (which audits each and holds one item in ten out)."""
    rng = random.Random(seed)
    guids = _labelled(corpus, count, rng)
    items = Item.objects.in_bulk([item_ids[g] for g in guids])
    made = 0
    for guid in guids:
        item = items[item_ids[guid]]
        topics = corpus.truth[guid].topics
        values: dict[str, str] = {
            topic: Label.Value.YES.value if topic in topics else Label.Value.NO.value
            for topic in Topic.values
        }
        made += len(monitoring_services.labels_record(analyst=analyst, item=item, values=values))
    return made


def _club_counts(scale: float, today: datetime.date) -> Iterable[tuple[int, str, int]]:
    """(year, kind, count): the previous full year at the club's figures, this year to date."""
    year_share = (today - datetime.date(today.year, 1, 1)).days / 365
    for kind, per_year in CLUB_PER_YEAR.items():
        yield today.year - 1, kind, round(per_year * scale)
        yield today.year, kind, round(per_year * scale * CLUB_GROWTH * year_share)


def club_publications(corpus: Corpus, *, scale: float, seed: int, today: datetime.date) -> int:
    """The club's register at the scale of its yearly figures, with fresh headlines."""
    rng = random.Random(seed)
    club = Organisation.objects.filter(kind__code="journalists_club").order_by("path").first()
    titles = corpus.titles(rng, 3000)
    made = 0
    for year, kind, count in _club_counts(scale, today):
        last_day = today if year == today.year else datetime.date(year, 12, 31)
        days = (last_day - datetime.date(year, 1, 1)).days + 1
        rows = []
        for number in range(count):
            title, _language, region_id = rng.choice(titles)
            outlet = rng.choice(CLUB_PARTNERS)
            rows.append(
                ClubPublication(
                    organisation=club,
                    outlet=outlet,
                    kind=kind,
                    published_on=datetime.date(year, 1, 1)
                    + datetime.timedelta(days=rng.randrange(days)),
                    title=title,
                    url=f"https://club-{kind}.example/{year}/{number + 1}",
                    region_id=region_id if rng.random() < 0.7 else None,
                )
            )
        ClubPublication.objects.bulk_create(rows, batch_size=BATCH)
        made += len(rows)
    return made


@transaction.atomic
def demo_monitoring_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo's media monitoring once: nothing when any source exists already."""
    if Source.objects.exists():
        return {}
    now = timezone.now()
    regions, districts, groups = corpus_refs()
    if not regions or not districts:
        return {}
    corpus = generate(
        n_items=max(200, round(ITEMS_PER_YEAR * scale)),
        start=now - datetime.timedelta(days=365),
        days=365,
        seed=seed,
        regions=regions,
        districts=districts,
        groups=groups,
    )
    sources = sources_from_corpus(corpus, now=now)
    item_ids = items_from_corpus(corpus, sources, now=now, seed=seed, progress=progress)
    added = {"monitoring_sources": len(sources), "monitoring_items": len(item_ids)}
    for name in ("keyword_rules_seed", "alert_rules_seed"):
        seeder: Any = getattr(monitoring_services, name, None)
        if seeder is not None:
            added[f"monitoring_{name.removesuffix('_seed')}"] = seeder()
    analyst = User.objects.filter(username=ANALYST_LOGIN, is_active=True).first()
    if analyst is not None:
        count = max(60, round(LABELLED_ITEMS * min(scale, 1.0)))
        added["monitoring_labels"] = labels_from_truth(
            corpus, item_ids, analyst=analyst, count=count, seed=seed
        )
    added["club_publications"] = club_publications(
        corpus, scale=scale, seed=seed, today=timezone.localdate(now)
    )
    return added


# ---------------------------------------------------------------------------------------------
# What the pipeline found, against the corpus's truth (the bench and the quality test)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _precision_recall(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict[str, Any]:
    hits = len(found & truth)
    return {
        "precision": _ratio(hits, len(found)),
        "recall": _ratio(hits, len(truth)),
        "found": len(found),
        "expected": len(truth),
    }


def _clusters(assigned: dict[int, str]) -> dict[str, list[int]]:
    clusters: dict[str, list[int]] = {}
    for item_id, key in assigned.items():
        clusters.setdefault(key, []).append(item_id)
    return clusters


def _purity(clusters: dict[str, list[int]], labels: dict[int, str]) -> float | None:
    """Items in the largest true class of their cluster, over all items."""
    total = sum(len(members) for members in clusters.values())
    best = 0
    for members in clusters.values():
        counts: dict[str, int] = {}
        for member in members:
            counts[labels[member]] = counts.get(labels[member], 0) + 1
        best += max(counts.values())
    return _ratio(best, total)


def quality_report(corpus: Corpus, item_ids: dict[str, int]) -> dict[str, Any]:
    """Language accuracy per language, copies, places and groups (precision/recall), stories
    (purity and completeness) of the processed items of ``corpus``."""
    by_id = {item_id: guid for guid, item_id in item_ids.items()}
    rows = Item.objects.filter(pk__in=list(by_id), state=Item.State.PROCESSED).values_list(
        "pk", "language", "duplicate_of_id", "story_id"
    )
    truth = corpus.truth
    language_hits: dict[str, list[int]] = {}
    found_copies = true_copies = copies_right = copies_found = 0
    story_of: dict[int, str] = {}
    processed: set[int] = set()

    def group(guid: str) -> str:
        return truth[guid].duplicate_of or guid

    for pk, language, duplicate_of, story_id in rows.iterator(chunk_size=5000):
        processed.add(pk)
        fact = truth[by_id[pk]]
        key = "kk (Russian letters)" if fact.russian_letters else fact.language
        hits = language_hits.setdefault(key, [0, 0])
        hits[0] += language == fact.language
        hits[1] += 1
        same = (
            duplicate_of is not None
            and duplicate_of in by_id
            and (group(by_id[duplicate_of]) == group(by_id[pk]))
        )
        if duplicate_of is not None:
            found_copies += 1
            copies_right += same
        if fact.duplicate_of is not None:
            true_copies += 1
            copies_found += same
        story_of[pk] = f"s{story_id}" if story_id is not None else f"alone{pk}"

    places = ItemPlace.objects.filter(item_id__in=processed, via=ItemPlace.Via.TEXT).values_list(
        "item_id", "region_id", "district_id"
    )
    found_regions: set[tuple[int, int]] = set()
    found_districts: set[tuple[int, int]] = set()
    for item_id, region_id, district_id in places.iterator(chunk_size=5000):
        found_regions.add((item_id, region_id))
        if district_id is not None:
            found_districts.add((item_id, district_id))
    groups = ItemGroup.objects.filter(item_id__in=processed).values_list("item_id", "group_id")
    found_groups = set(groups.iterator(chunk_size=5000))
    true_regions = {(pk, r) for pk in processed for r in truth[by_id[pk]].regions}
    true_districts = {(pk, d) for pk in processed for d in truth[by_id[pk]].districts}
    true_groups = {(pk, g) for pk in processed for g in truth[by_id[pk]].groups}

    true_story = {pk: truth[by_id[pk]].story for pk in processed}
    return {
        "items": len(processed),
        "language": {
            key: {"accuracy": _ratio(right, total), "items": total}
            for key, (right, total) in sorted(language_hits.items())
        },
        "duplicates": {
            "precision": _ratio(copies_right, found_copies),
            "recall": _ratio(copies_found, true_copies),
            "found": found_copies,
            "expected": true_copies,
        },
        "regions": _precision_recall(found_regions, true_regions),
        "districts": _precision_recall(found_districts, true_districts),
        "groups": _precision_recall(found_groups, true_groups),
        "stories": {
            "purity": _purity(_clusters(story_of), true_story),
            "completeness": _purity(_clusters(true_story), story_of),
            "found": len(set(story_of.values())),
            "expected": len(set(true_story.values())),
        },
    }
