"""The processing pipeline end to end: new items come out with their language, places, groups,
duplicates, story and risk, in one transaction per batch, with a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from birlik.monitoring import processing
from birlik.monitoring.models import Alert, AlertRule, Item, KeywordRule, Source

from ..factories import region
from ..queries import DataQueriesContext
from .conftest import make_item, make_source

pytestmark = pytest.mark.django_db

CONFLICT_RU = (
    "В Павлодаре произошёл межнациональный конфликт между жителями двух сёл, "
    "аким района провёл встречу со старейшинами, полиция проверяет сообщения о драке."
)
UNITY_KK = (
    "Павлодар облысының Достық үйінде этномәдени бірлестіктер Наурыз мерекесіне "
    "арналған концерт өткізді, оған мыңнан астам адам қатысты."
)


@pytest.fixture(autouse=True)
def _fresh_pipeline(db):
    processing.reset()
    cache.delete(processing.LOCK_KEY)
    KeywordRule.objects.all().delete()
    AlertRule.objects.all().delete()
    KeywordRule.objects.create(
        topic="conflict", language="", weight=0.8, terms="межнациональный конфликт\nдрака"
    )
    AlertRule.objects.create(
        name="Conflict", kind=AlertRule.Kind.RISK, topic="conflict", threshold=0.7
    )


def new(source: Source, text: str, title: str = "", **fields) -> Item:
    return make_item(
        source, title=title, text=text, state=Item.State.NEW, processed_at=None, **fields
    )


def test_an_item_comes_out_read(network):
    source = make_source(language="ru")
    item = new(source, CONFLICT_RU, title="Конфликт в Павлодаре")
    result = processing.items_process()
    item.refresh_from_db()
    assert result.processed == 1
    assert item.state == Item.State.PROCESSED
    assert item.language == "ru"
    assert list(item.places.values_list("region__iso", flat=True)) == ["KZ-55"]
    assert item.topics["conflict"] >= 0.7
    assert item.risk == max(item.topics[t] for t in item.topics if t != "unity")
    assert item.story is not None
    assert set(result.timings) >= {"language", "duplicates", "places", "risk", "stories"}


def test_a_reprint_is_a_duplicate_and_joins_the_story(network):
    agency, paper = make_source(), make_source()
    first = new(agency, CONFLICT_RU, title="Конфликт в Павлодаре")
    processing.items_process()
    copy = new(
        paper, CONFLICT_RU.replace("двух сёл", "двух соседних сёл"), title="Конфликт в Павлодаре!"
    )
    processing.items_process()
    first.refresh_from_db()
    copy.refresh_from_db()
    assert copy.duplicate_of_id == first.pk
    assert copy.story_id == first.story_id


def test_the_source_home_region_places_an_item_that_names_none(network):
    source = make_source(home_region=region("KZ-75"))
    item = new(source, "Жаңа кітапхана ашылды, оқырмандар көп келді, кітап қоры толықтырылды.")
    processing.items_process()
    place = item.places.get()
    assert (place.region.iso, place.via) == ("KZ-75", "source")


def test_a_risky_item_raises_one_alert_routed_to_its_region(network):
    new(make_source(), CONFLICT_RU, title="Драка в Павлодаре")
    processing.items_process()
    processing.items_process()  # nothing new: no second alert
    alert = Alert.objects.get()
    assert alert.region.iso == "KZ-55"
    assert network.pavlodar_house in alert.routed_to.all()
    assert network.almaty_house not in alert.routed_to.all()


def test_a_second_worker_waits_for_the_batch_in_hand(network):
    new(make_source(), UNITY_KK)
    cache.add(processing.LOCK_KEY, 1, 60)
    assert processing.items_process().processed == 0
    cache.delete(processing.LOCK_KEY)
    assert processing.items_process().processed == 1


def test_queries_do_not_grow_with_the_batch(network):
    source = make_source()
    for n in range(3):
        new(source, f"{UNITY_KK} Кеш №{n}.", title=f"Кеш {n}")
    processing.items_process()  # warm the per-process indexes
    for n in range(3):
        new(source, f"{CONFLICT_RU} Сообщение {n}.", title=f"Сообщение {n}")
    with DataQueriesContext(connection) as small:
        processing.items_process()
    for n in range(30):
        new(source, f"Екібастұзда {n} жаңа мектеп салынды, ата-аналар риза.", title=f"Мектеп {n}")
    with DataQueriesContext(connection) as large:
        processing.items_process()
    assert len(large.captured_queries) <= len(small.captured_queries) + 4


def test_old_items_are_not_read_again(network):
    source = make_source()
    old = new(source, UNITY_KK)
    processing.items_process()
    old.refresh_from_db()
    stamp = old.processed_at
    later = timezone.now() + datetime.timedelta(minutes=5)
    processing.items_process(now=later)
    old.refresh_from_db()
    assert old.processed_at == stamp


def test_the_worker_queues_the_minute_jobs_once_a_minute(db, settings):
    from freezegun import freeze_time

    from birlik.cli import enqueue_minute_jobs

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()
    with freeze_time("2026-03-02 09:00:05"):
        first = enqueue_minute_jobs()
        assert enqueue_minute_jobs() == []  # another worker, the same minute
    with freeze_time("2026-03-02 09:01:05"):
        second = enqueue_minute_jobs()
    assert {"sources_fetch_due", "items_process_job", "alerts_evaluate_job"} <= set(first)
    assert "alerts_escalate_job" in first  # every tenth minute
    assert "alerts_escalate_job" not in second and "items_process_job" in second
