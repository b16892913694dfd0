"""The pipeline on a held-out labelled set the test generates: ~2,000 items of the demo corpus
(kk, ru, en, Kazakh in Russian letters, other languages, reprints, a tension episode) run
through ``items_process`` batch by batch, then compared with the corpus's truth."""

from __future__ import annotations

import datetime
import sys

from birlik.demo.monitoring import (
    corpus_refs,
    items_from_corpus,
    quality_report,
    sources_from_corpus,
)
from birlik.demo.monitoring_corpus import generate
from birlik.monitoring import processing
from birlik.monitoring.models import Item

ITEMS = 2000
START = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
DAYS = 20  # about 100 items a day, as dense as the demo's 40,000 a year


def run_pipeline() -> None:
    """Batches of 500, each on the clock of its last item's arrival (as the worker would)."""
    processing.reset()
    while True:
        waiting = list(
            Item.objects.filter(state=Item.State.NEW)
            .order_by("fetched_at", "pk")
            .values_list("fetched_at", flat=True)[:500]
        )
        if not waiting:
            return
        processing.items_process(limit=500, now=waiting[-1] + datetime.timedelta(minutes=1))


def test_the_pipeline_meets_the_quality_floors_on_the_generated_set(db, capsys):
    regions, districts, groups = corpus_refs()
    corpus = generate(
        n_items=ITEMS, start=START, days=DAYS, seed=2026, regions=regions,
        districts=districts, groups=groups,
    )  # fmt: skip
    end = START + datetime.timedelta(days=DAYS)
    item_ids = items_from_corpus(corpus, sources_from_corpus(corpus, now=end), now=end, seed=2026)
    run_pipeline()
    report = quality_report(corpus, item_ids)
    with capsys.disabled():  # the figures, for whoever runs the test
        sys.stdout.write(f"\nquality on the generated set: {report}\n")

    assert report["items"] == len(item_ids) >= ITEMS - 20  # every item processed
    languages = report["language"]
    right = sum(v["accuracy"] * v["items"] for v in languages.values())
    assert right / sum(v["items"] for v in languages.values()) >= 0.95
    for language in ("kk", "ru", "en"):
        assert languages[language]["accuracy"] >= 0.93, language
    assert languages["kk (Russian letters)"]["accuracy"] >= 0.85

    copies = report["duplicates"]
    assert copies["expected"] >= 200
    assert copies["precision"] >= 0.95
    assert copies["recall"] >= 0.8

    assert report["regions"]["precision"] >= 0.9
    assert report["regions"]["recall"] >= 0.8
    assert report["districts"]["precision"] >= 0.9

    assert report["stories"]["purity"] >= 0.7
    assert report["stories"]["found"] < report["items"]
