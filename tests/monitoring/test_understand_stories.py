"""Stories without a model: items about one event join across languages through a shared
district or person, unrelated news of the same region stays apart, stories close after 72 quiet
hours, reprints follow their original, and a batch costs the same queries at any size."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from birlik.geo.models import District
from birlik.monitoring.entities import Entity
from birlik.monitoring.models import Item, Story, StoryHour
from birlik.monitoring.stories import (
    attach,
    attach_many,
    stories_close_quiet,
    story_keys,
    title_tokens,
)

from ..queries import DataQueriesContext, assert_queries
from .conftest import make_item, make_source

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 3, 12, 10, 20, tzinfo=datetime.UTC)
AHMETOV = Entity("PER", "ahmetov", "Ахметов")


def districts(iso: str, n: int) -> list[District]:
    return list(District.objects.filter(region__iso=iso).order_by("kato")[:n])


def place_keys(district: District, *extra: str, entities=(), groups=()) -> list[str]:
    keys = story_keys(
        places=[(district.region_id, district.pk)],
        groups=list(groups),
        entities=list(entities),
        numbers=[],
    )
    return keys + list(extra)


def new_item(*, language="ru", at=NOW, title="", risk=0.0, source=None, **fields) -> Item:
    return make_item(
        source or make_source(),
        language=language,
        published_at=at,
        title=title,
        risk=risk,
        state=Item.State.NEW,
        **fields,
    )


def test_story_keys_put_strong_keys_first_and_leave_years_out():
    keys = story_keys(
        places=[(5, 123), (5, None), (7, None)],
        groups=[3],
        entities=[AHMETOV, Entity("ORG", "dom drujbi", "Дом дружбы")],
        numbers=["17", "2025", "017", "3", "17"],
    )
    assert keys == ["d:123", "e:ahmetov", "e:dom drujbi", "g:3", "r:5", "r:7", "n:17", "n:3"]


def test_the_same_event_in_kazakh_and_russian_joins_one_story(network):
    district = districts("KZ-55", 1)[0]
    kk = new_item(language="kk", title="Екібастұзда жанжал болды", risk=0.4)
    ru = new_item(
        language="ru",
        at=NOW + datetime.timedelta(hours=2),
        title="В Экибастузе произошёл конфликт",
        risk=0.8,
    )
    story = attach(kk, keys=place_keys(district, entities=[AHMETOV]), now=NOW)
    joined = attach(
        ru,
        keys=place_keys(district, entities=[AHMETOV]),
        now=NOW + datetime.timedelta(hours=2),
    )
    assert joined.pk == story.pk
    story.refresh_from_db()
    assert (story.item_count, story.source_count) == (2, 2)
    assert story.languages == ["kk", "ru"]
    assert story.risk == 0.8
    assert story.last_item_at == NOW + datetime.timedelta(hours=2)
    assert story.title == "Екібастұзда жанжал болды"
    assert list(story.regions.values_list("iso", flat=True)) == ["KZ-55"]
    assert set(Item.objects.filter(pk__in=[kk.pk, ru.pk]).values_list("story", flat=True)) == {
        story.pk
    }


def test_a_district_and_an_ethnic_group_join_languages_without_a_person(network):
    district = districts("KZ-55", 1)[0]
    kk = new_item(language="kk", title="Ауылда төбелес")
    ru = new_item(language="ru", title="Драка в селе", at=NOW + datetime.timedelta(hours=1))
    first = attach_many([kk, ru], {kk.pk: place_keys(district, groups=[4])}, now=NOW)
    assert first[kk.pk] != first[ru.pk]  # the Russian item had no keys: a story of its own
    later = new_item(language="ru", title="Драка в селе", at=NOW + datetime.timedelta(hours=3))
    story = attach(later, keys=place_keys(district, groups=[4]), now=NOW)
    assert story == first[kk.pk]


def test_an_unrelated_item_of_the_same_region_opens_a_new_story(network):
    first, second = districts("KZ-55", 2)
    concert = new_item(title="В Павлодаре прошёл концерт хора")
    story = attach(concert, keys=place_keys(first), now=NOW)
    # Same region, another district, nothing else in common.
    harvest = new_item(title="Фермеры собрали урожай", at=NOW + datetime.timedelta(hours=1))
    assert attach(harvest, keys=place_keys(second), now=NOW) != story
    # Same region only: a region is too weak to join on.
    storm = new_item(title="Ожидается буря", at=NOW + datetime.timedelta(hours=1))
    assert attach(storm, keys=[f"r:{first.region_id}"], now=NOW) != story
    assert Story.objects.count() == 3


def test_two_events_in_one_district_stay_apart_unless_their_titles_agree(network):
    district = districts("KZ-55", 1)[0]
    fight = new_item(title="Драка у торгового центра в Экибастузе")
    story = attach(fight, keys=place_keys(district), now=NOW)
    fair = new_item(title="Ярмарка выходного дня открылась", at=NOW + datetime.timedelta(hours=1))
    assert attach(fair, keys=place_keys(district), now=NOW) != story
    follow_up = new_item(
        title="Драка у торгового центра: задержаны трое", at=NOW + datetime.timedelta(hours=2)
    )
    assert attach(follow_up, keys=place_keys(district), now=NOW) == story


def test_a_story_quiet_for_72_hours_takes_no_item_and_closes(network):
    district = districts("KZ-55", 1)[0]
    first = new_item(title="Конфликт в селе")
    story = attach(first, keys=place_keys(district, entities=[AHMETOV]), now=NOW)
    with freeze_time(NOW + datetime.timedelta(hours=71)):
        now = timezone.now()
        assert stories_close_quiet(now=now) == 0
        inside = new_item(title="Конфликт в селе", at=now)
        assert attach(inside, keys=place_keys(district, entities=[AHMETOV]), now=now) == story
    last = NOW + datetime.timedelta(hours=71)
    with freeze_time(last + datetime.timedelta(hours=73)):
        now = timezone.now()
        late = new_item(title="Конфликт в селе", at=now)
        assert attach(late, keys=place_keys(district, entities=[AHMETOV]), now=now) != story
        assert stories_close_quiet(now=now) == 1
    story.refresh_from_db()
    assert story.open is False
    assert story.item_count == 2


def test_a_duplicate_joins_its_originals_story_without_a_score(network):
    district = districts("KZ-55", 1)[0]
    original = new_item(title="Заявление акима")
    story = attach(original, keys=place_keys(district), now=NOW)
    # Days later, the story closed, a reprint with no keys at all still follows its original.
    Story.objects.filter(pk=story.pk).update(open=False)
    later = NOW + datetime.timedelta(days=5)
    copy = new_item(title="Заявление акима", at=later, duplicate_of=original)
    assert attach(copy, keys=[], now=later) == story
    # In one batch, a copy follows an original of the same batch.
    first = new_item(title="Новость агентства", at=later)
    second = new_item(title="Перепечатка", at=later, duplicate_of=first)
    chosen = attach_many([second, first], {first.pk: [], second.pk: []}, now=later)
    assert chosen[second.pk] == chosen[first.pk] != story
    story.refresh_from_db()
    assert story.item_count == 2


def test_story_hours_count_the_items_of_each_published_hour(network):
    district = districts("KZ-55", 1)[0]
    keys = place_keys(district, entities=[AHMETOV])
    hour = NOW.replace(minute=0)
    batch = [new_item(at=hour + datetime.timedelta(minutes=m)) for m in (5, 25, 55)]
    batch.append(new_item(at=hour + datetime.timedelta(minutes=65)))
    later = NOW + datetime.timedelta(hours=2)
    chosen = attach_many(batch, {item.pk: keys for item in batch}, now=later)
    story = chosen[batch[0].pk]
    assert set(chosen.values()) == {story}
    counted = dict(StoryHour.objects.filter(story=story).values_list("hour", "items"))
    assert counted == {hour: 3, hour + datetime.timedelta(hours=1): 1}
    one_more = new_item(at=hour + datetime.timedelta(minutes=45))
    attach(one_more, keys=keys, now=later)
    counted = dict(StoryHour.objects.filter(story=story).values_list("hour", "items"))
    assert counted == {hour: 4, hour + datetime.timedelta(hours=1): 1}
    story.refresh_from_db()
    assert story.item_count == 5


def test_items_read_late_form_the_stories_they_would_have_formed_live(network):
    district = districts("KZ-55", 1)[0]
    keys = place_keys(district, entities=[AHMETOV])
    month_ago = NOW - datetime.timedelta(days=30)
    backlog = [new_item(at=month_ago + datetime.timedelta(hours=h)) for h in (0, 5, 30)]
    chosen = attach_many(backlog, {item.pk: keys for item in backlog}, now=NOW)
    assert len(set(chosen.values())) == 1
    story = chosen[backlog[0].pk]
    assert story.last_item_at == month_ago + datetime.timedelta(hours=30)
    # Another late item of that week joins the old story, even once it is closed.
    assert stories_close_quiet(now=NOW) == 1
    late = new_item(at=month_ago + datetime.timedelta(days=2))
    assert attach(late, keys=keys, now=NOW) == story
    # Today's news about the same person and district is another story.
    assert attach(new_item(at=NOW), keys=keys, now=NOW) != story


def test_an_item_dated_in_the_future_counts_as_published_now(network):
    district = districts("KZ-55", 1)[0]
    future = new_item(at=NOW + datetime.timedelta(days=3))
    story = attach(future, keys=place_keys(district), now=NOW)
    assert story.last_item_at == NOW
    assert list(StoryHour.objects.filter(story=story).values_list("hour", flat=True)) == [
        NOW.replace(minute=0)
    ]


def test_title_tokens_ignore_case_endings_and_function_words():
    assert title_tokens("Павлодарда мереке өтті") & title_tokens("Павлодарлық мерекесі")
    assert title_tokens("После концерта в Павлодаре") == title_tokens("ПОСЛЕ концерт Павлодара")
    assert "после" not in title_tokens("После концерта")


def _batch(size: int, districts_: list[District], offset: datetime.timedelta) -> tuple:
    """Half the items join the open story of the first district, the rest open new stories
    in other districts; one in five is a reprint of an item already stored."""
    source = make_source()
    original = new_item(title="Исходная новость", source=source, at=NOW + offset)
    attach(original, keys=place_keys(districts_[0], entities=[AHMETOV]), now=NOW + offset)
    items, keys = [], {}
    for n in range(size):
        at = NOW + offset + datetime.timedelta(minutes=n)
        if n % 5 == 4:
            item = new_item(title="Перепечатка", source=source, at=at, duplicate_of=original)
            keys[item.pk] = []
        elif n % 2:
            item = new_item(title=f"Продолжение {n}", source=source, at=at)
            keys[item.pk] = place_keys(districts_[0], entities=[AHMETOV])
        else:
            item = new_item(title=f"Новость {n}", source=source, at=at)
            keys[item.pk] = place_keys(districts_[1 + n % (len(districts_) - 1)])
        items.append(item)
    return items, keys


def test_a_batch_costs_the_same_queries_whatever_its_size(network):
    places = districts("KZ-55", 10) + districts("KZ-75", 5)
    small, small_keys = _batch(5, places, datetime.timedelta(0))
    with DataQueriesContext(connection) as few:
        attach_many(small, small_keys, now=NOW)
    # A week later, so the first batch's stories are out of the window.
    week = datetime.timedelta(days=7)
    large, large_keys = _batch(60, places, week)
    with assert_queries(len(few.captured_queries), exact=True):
        chosen = attach_many(large, large_keys, now=NOW + week)
    assert len(chosen) == 60
    assert Item.objects.filter(pk__in=[i.pk for i in large], story__isnull=True).count() == 0
