"""Benchmark: early warning's pipeline on generated media items — speed, memory, alert latency
and quality against the generator's truth.

    .venv/bin/python bench/monitoring_bench.py [--items 100000] [--quick] [--days 365]
        [--seed 2026] [--batch 500] [--labels 3000] [--keep]

In a temporary SQLite data directory (migrated; the two-region network of the tests, so alerts
have an assembly and a House of Friendship to go to in Pavlodar Region; the starter keyword and
alert rules):

1. ``birlik.demo.monitoring_corpus`` generates ``--items`` items over ``--days`` days (kk, ru,
   en, Kazakh in Russian letters, other languages, reprints, four tension episodes, the last one
   in Pavlodar Region in the last two days). Everything collected before the last episode is
   inserted ``NEW``; the rest is held back for step 4.
2. Baseline: the same rows read from the database alone (``Item.objects.values(...)``), in the
   same run.
3. ``items_process`` batches until none wait, each batch on the clock of its last item's
   arrival (the pipeline's near-copy index keeps the last 7 days of that clock). Printed:
   documents per second per core (process CPU time), the wall rate, the ratio to the baseline,
   each step's share (``ProcessResult.timings``), peak RSS (``ru_maxrss``).
4. Alert latency with the worker's schedule: the held-back items arrive at their collection
   times; the worker's tick runs every 60 s and processes what arrived (``items_process``, which
   evaluates the alert rules and queues the notices through the outbox right after the batch).
   The latency of an alert is: tick − arrival of the item that raised it (for a growing story,
   the last item counted before the tick) + the real time the tick's batch took. The source's
   own fetch schedule (10 minutes) comes before arrival and is not included.
5. Quality on the truth: language accuracy per language, copies, places (regions, districts)
   and groups, stories; the demo analyst's labels on ``--labels`` items (through the label
   service: one item in ten held out), a risk model trained on them and its precision/recall per
   topic × language on the held-out items; the cold-start keyword rules' precision/recall per
   language on every item.

Goals (issue 15): ≥ 50 documents/s per core, alert ≤ 5 minutes after arrival. Results:
``bench/results/monitoring.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOAL_PER_CORE = 50
GOAL_LATENCY_S = 300
TICK = datetime.timedelta(seconds=60)


def setup() -> str:
    data_dir = tempfile.mkdtemp(prefix="birlik-bench-monitoring-")
    os.environ["BIRLIK_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birlik.settings")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))  # tests.conftest.build_network
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir


def say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def build(args: argparse.Namespace) -> dict[str, Any]:
    from birlik.demo.monitoring import corpus_refs, sources_from_corpus
    from birlik.demo.monitoring_corpus import generate
    from birlik.monitoring import services
    from tests.conftest import build_network

    network = build_network()
    for user in network.users.values():  # notices go by e-mail, the address staff keep
        user.email = f"{user.username}@bench.example"
        user.save(update_fields=["email"])
    services.keyword_rules_seed()
    services.alert_rules_seed()
    end = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    start = end - datetime.timedelta(days=args.days)
    began = time.perf_counter()
    regions, districts, groups = corpus_refs()
    corpus = generate(
        n_items=args.items,
        start=start,
        days=args.days,
        seed=args.seed,
        regions=regions,
        districts=districts,
        groups=groups,
    )
    generated_s = time.perf_counter() - began
    sources = sources_from_corpus(corpus, now=end)
    return {
        "network": network,
        "corpus": corpus,
        "sources": sources,
        "end": end,
        "generated_s": generated_s,
    }


def insert(world: dict[str, Any], entries: list[dict[str, Any]], seed: int) -> dict[str, int]:
    """Waiting items for ``entries`` (a slice of the corpus), collected 1–12 minutes after
    publication."""
    from birlik.demo.monitoring import items_from_corpus
    from birlik.demo.monitoring_corpus import Corpus

    corpus: Corpus = world["corpus"]
    part = Corpus(corpus.sources, entries, corpus.truth, corpus.episodes, corpus.world)
    return items_from_corpus(part, world["sources"], now=world["end"], seed=seed)


def baseline(ids: list[int]) -> dict[str, float]:
    """Reading the same rows from the database alone: the floor of any processing."""
    from birlik.monitoring.models import Item

    cpu, wall = time.process_time(), time.perf_counter()
    rows = 0
    chars = 0
    for row in (
        Item.objects.filter(pk__in=ids)
        .values("pk", "title", "text", "fetched_at", "source__language", "source__home_region_id")
        .iterator(chunk_size=2000)
    ):
        rows += 1
        chars += len(row["text"])
    return {
        "rows": rows,
        "cpu_s": time.process_time() - cpu,
        "wall_s": time.perf_counter() - wall,
        "chars": chars,
    }


def process_backlog(batch: int) -> dict[str, Any]:
    from birlik.monitoring import processing
    from birlik.monitoring.models import Item

    processing.reset()
    timings: dict[str, float] = {}
    processed = alerts = batches = 0
    cpu, wall = time.process_time(), time.perf_counter()
    while True:
        waiting = list(
            Item.objects.filter(state=Item.State.NEW)
            .order_by("fetched_at", "pk")
            .values_list("fetched_at", flat=True)[:batch]
        )
        if not waiting:
            break
        result = processing.items_process(
            limit=batch, now=waiting[-1] + datetime.timedelta(seconds=30)
        )
        processed += result.processed
        alerts += result.alerts
        batches += 1
        for step, seconds in result.timings.items():
            timings[step] = timings.get(step, 0.0) + seconds
        if batches % 20 == 0:
            rate = processed / max(time.perf_counter() - wall, 1e-9)
            say(f"  … {processed} items, {rate:.0f}/s wall, RSS peak {peak_mb():.0f} MB")
    return {
        "processed": processed,
        "batches": batches,
        "alerts": alerts,
        "cpu_s": time.process_time() - cpu,
        "wall_s": time.perf_counter() - wall,
        "timings": timings,
        "peak_rss_mb": peak_mb(),
    }


def latency(world: dict[str, Any], held: list[dict[str, Any]], seed: int) -> dict[str, Any]:
    """The held-back items arrive at their collection times (inserted then, as a collector
    would); a tick every 60 s processes what arrived."""
    from birlik.monitoring import processing
    from birlik.monitoring.models import Alert, Item
    from birlik.notify.models import Notice

    sources = world["sources"]
    before = set(Alert.objects.values_list("pk", flat=True))
    rng = random.Random(seed)
    pending = [
        (min(e["published_at"] + datetime.timedelta(minutes=rng.uniform(1, 12)), world["end"]), e)
        for e in held
    ]
    pending.sort(key=lambda pair: (pair[0], pair[1]["guid"]))
    tick = pending[0][0].replace(second=0, microsecond=0) + TICK
    index = 0
    arrivals: dict[int, datetime.datetime] = {}
    took: dict[datetime.datetime, float] = {}
    ticks = 0
    while index < len(pending):
        arrived = []
        while index < len(pending) and pending[index][0] <= tick:
            arrived.append(pending[index])
            index += 1
        if arrived:
            rows = Item.objects.bulk_create(
                Item(
                    source=sources[entry["source"]],
                    guid=entry["guid"],
                    url=entry["url"],
                    title=entry["title"],
                    text=entry["text"],
                    published_at=entry["published_at"],
                    fetched_at=moment,
                    state=Item.State.NEW,
                )
                for moment, entry in arrived
            )
            arrivals.update((row.pk, row.fetched_at) for row in rows)
            began = time.perf_counter()
            while processing.items_process(limit=500, now=tick).processed:
                pass
            took[tick] = time.perf_counter() - began
            ticks += 1
        tick += TICK
    order = list(arrivals)
    raised = list(Alert.objects.exclude(pk__in=before).select_related("rule", "region"))
    by_kind: dict[str, list[float]] = {}
    regions: dict[str, int] = {}
    unmatched: list[tuple[Any, ...]] = []
    for alert in raised:
        # The item that tipped the rule is the last one to arrive before the tick that raised
        # the alert (the pipeline may point ``Alert.item`` at a later item of the story).
        members = (
            Item.objects.filter(story_id=alert.story_id).values_list("pk", flat=True)
            if alert.story_id is not None
            else [alert.item_id]
        )
        counted = [
            arrivals[pk] for pk in members if pk in arrivals and arrivals[pk] <= alert.raised_at
        ]
        if not counted:
            unmatched.append(
                (alert.pk, alert.rule.kind, alert.raised_at.isoformat(), alert.story_id)
            )
            continue
        seconds = (alert.raised_at - max(counted)).total_seconds() + took.get(alert.raised_at, 0.0)
        by_kind.setdefault(alert.rule.kind, []).append(seconds)
        regions[alert.region.iso] = regions.get(alert.region.iso, 0) + 1
    notices = sum(
        Notice.objects.filter(idempotency_key__startswith=f"alert:{alert.pk}:").count()
        for alert in raised
    )
    summary = {
        kind: {
            "alerts": len(values),
            "median_s": round(statistics.median(values), 1),
            "p95_s": round(sorted(values)[int(0.95 * (len(values) - 1))], 1),
            "max_s": round(max(values), 1),
        }
        for kind, values in sorted(by_kind.items())
    }
    busy = list(took.values())
    return {
        "items": len(order),
        "ticks_with_arrivals": ticks,
        "tick_batch_s": {
            "median": round(statistics.median(busy), 3) if busy else None,
            "max": round(max(busy), 3) if busy else None,
        },
        "alerts": summary,
        "alerts_by_region": regions,
        "not_from_arrivals": unmatched,
        "notices_queued": notices,
    }


def label_and_train(
    world: dict[str, Any], item_ids: dict[str, int], count: int, seed: int
) -> dict[str, Any]:
    from birlik.demo.monitoring import labels_from_truth
    from birlik.monitoring import services

    analyst = world["network"].users["analyst"]
    began = time.perf_counter()
    labels = labels_from_truth(world["corpus"], item_ids, analyst=analyst, count=count, seed=seed)
    labelled_s = time.perf_counter() - began
    began = time.perf_counter()
    model = services.risk_model_train(by=analyst)
    return {
        "labels": labels,
        "label_s": round(labelled_s, 1),
        "train_s": round(time.perf_counter() - began, 1),
        "metrics": model.metrics,
    }


def keyword_quality(world: dict[str, Any], item_ids: dict[str, int]) -> dict[str, Any]:
    """The running pipeline's topic scores (cold start: keyword rules) against the truth."""
    from birlik.monitoring.models import RISK_TOPICS, Item

    truth = world["corpus"].truth
    by_id = {pk: guid for guid, pk in item_ids.items()}
    counts: dict[str, list[int]] = {}
    rows = Item.objects.filter(pk__in=list(by_id)).values_list("pk", "topics")
    for pk, topics in rows.iterator(chunk_size=5000):
        fact = truth[by_id[pk]]
        language = fact.language
        expected = bool(fact.topics & set(RISK_TOPICS))
        found = any((topics or {}).get(t, 0) >= 0.5 for t in RISK_TOPICS)
        for key in (language, "all"):
            tally = counts.setdefault(key, [0, 0, 0])  # hits, found, expected
            tally[0] += expected and found
            tally[1] += found
            tally[2] += expected
    return {
        key: {
            "precision": round(hits / found, 3) if found else None,
            "recall": round(hits / expected, 3) if expected else None,
            "expected": expected,
        }
        for key, (hits, found, expected) in sorted(counts.items())
    }


def report(args: argparse.Namespace, world: dict[str, Any], results: dict[str, Any]) -> None:
    out = sys.stdout.write
    run, base = results["processing"], results["baseline"]
    per_core = run["processed"] / run["cpu_s"]
    wall_rate = run["processed"] / run["wall_s"]
    read_rate = base["rows"] / base["wall_s"]
    out(
        f"monitoring bench: {run['processed']} items processed in {run['batches']} batches of "
        f"{args.batch} (generated in {world['generated_s']:.1f} s)\n"
    )
    out(
        f"  per core   {per_core:8.1f} docs/s (process CPU {run['cpu_s']:.1f} s)   goal ≥ "
        f"{GOAL_PER_CORE}: {'PASS' if per_core >= GOAL_PER_CORE else 'MISS'}\n"
    )
    out(f"  wall       {wall_rate:8.1f} docs/s ({run['wall_s']:.1f} s)\n")
    out(
        f"  baseline   {read_rate:8.0f} rows/s reading the same rows alone ({base['wall_s']:.2f} s)"
        f" → processing is {run['wall_s'] / base['wall_s']:.0f}× the read\n"
    )
    out(f"  peak RSS   {run['peak_rss_mb']:8.0f} MB\n")
    out("  steps (ms per item, share of the wall time):\n")
    for step, seconds in sorted(run["timings"].items(), key=lambda kv: -kv[1]):
        per_item = 1000 * seconds / run["processed"]
        out(f"    {step:<12}{per_item:7.2f} ms {100 * seconds / run['wall_s']:5.1f} %\n")
    lat = results["latency"]
    out(
        f"alert latency: {lat['items']} items arriving over the last episode, a tick every 60 s "
        f"({lat['ticks_with_arrivals']} ticks with arrivals, batch median "
        f"{lat['tick_batch_s']['median']} s, max {lat['tick_batch_s']['max']} s); "
        f"{lat['notices_queued']} notices queued; alerts by region {lat['alerts_by_region']}\n"
    )
    worst = 0.0
    for kind, row in lat["alerts"].items():
        worst = max(worst, row["max_s"])
        out(
            f"    {kind:<10}{row['alerts']:5d} alerts  median {row['median_s']:6.1f} s  p95 "
            f"{row['p95_s']:6.1f} s  max {row['max_s']:6.1f} s\n"
        )
    verdict = "PASS" if lat["alerts"] and worst <= GOAL_LATENCY_S else "MISS"
    out(f"    goal ≤ {GOAL_LATENCY_S} s after arrival: {verdict}\n")
    quality = results["quality"]
    out("quality on the generator's truth:\n")
    for language, row in quality["language"].items():
        out(f"    language {language:<22} accuracy {row['accuracy']}  ({row['items']} items)\n")
    for key in ("duplicates", "regions", "districts", "groups"):
        row = quality[key]
        out(
            f"    {key:<12} precision {row['precision']}  recall {row['recall']}  "
            f"({row['found']} found, {row['expected']} expected)\n"
        )
    stories = quality["stories"]
    out(
        f"    stories      purity {stories['purity']}  completeness {stories['completeness']}  "
        f"({stories['found']} found, {stories['expected']} true)\n"
    )
    out("    risk, cold start (keyword rules, any risk topic ≥ 0.5), per language:\n")
    for language, row in results["keywords"].items():
        out(
            f"      {language:<6} precision {row['precision']}  recall {row['recall']}  "
            f"({row['expected']} risky)\n"
        )
    learned = results["model"]
    out(
        f"    risk model trained on {learned['labels']} labels ({learned['label_s']} s to label, "
        f"{learned['train_s']} s to train), held-out items "
        f"{learned['metrics'].get('held_out_items')}, "
        f"threshold {learned['metrics'].get('threshold')}:\n"
    )
    for topic, row in learned["metrics"].get("topics", {}).items():
        cells = []
        for language in ("kk", "ru", "en", "all"):
            cell = row.get(language) or {}
            cells.append(
                f"{language} P {_num(cell.get('precision'))} R {_num(cell.get('recall'))} "
                f"n+ {cell.get('support', 0)}"
            )
        trained = "model" if row.get("trained") else "keywords"
        out(f"      {topic:<15}{trained:<9}" + " | ".join(cells) + "\n")


def _num(value: float | None) -> str:
    return "  — " if value is None else f"{value:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="5,000 items, 600 labelled")
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--labels", type=int, default=3000)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    if args.quick:
        args.items, args.labels = 5000, 600
    data_dir = setup()
    try:
        world = build(args)
        corpus = world["corpus"]
        live = corpus.episodes[-1]
        cut = live.start - datetime.timedelta(hours=1)
        early = [e for e in corpus.items if e["published_at"] < cut]
        held = [e for e in corpus.items if e["published_at"] >= cut]
        say(f"inserting {len(early)} items ({len(held)} held back for the latency run)")
        item_ids = insert(world, early, args.seed)
        results: dict[str, Any] = {"baseline": baseline(list(item_ids.values()))}
        say("processing …")
        results["processing"] = process_backlog(args.batch)
        say("latency run …")
        results["latency"] = latency(world, held, args.seed)
        from birlik.demo.monitoring import quality_report
        from birlik.monitoring.models import Item

        all_ids = dict(Item.objects.values_list("guid", "pk"))
        say("quality …")
        results["quality"] = quality_report(corpus, all_ids)
        results["keywords"] = keyword_quality(world, all_ids)
        say("labels and a model …")
        results["model"] = label_and_train(world, all_ids, args.labels, args.seed)
        report(args, world, results)
        out_dir = ROOT / "bench" / "results"
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "monitoring.json").write_text(
            json.dumps({"args": vars(args), **results}, indent=1, default=str), encoding="utf-8"
        )
    finally:
        if args.keep:
            say(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
