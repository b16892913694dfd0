"""The reads behind the dashboard: top stories by risk × growth, weekly trends and the source
mix, each within the reader's regions."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from birlik.access.policies import grants_of
from birlik.monitoring import queries
from birlik.monitoring.models import Source

from ..queries import DataQueriesContext
from .conftest import make_item, make_source
from .media_fixtures import at, hours, make_story

pytestmark = pytest.mark.django_db

NOW = "2025-10-15 05:00:00"  # Wednesday, 10:00 in Almaty
TODAY = datetime.date(2025, 10, 15)


@freeze_time(NOW)
def test_top_stories_come_by_risk_times_growth(network):
    now = timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)
    steady = make_story(title="Steady and risky", risk=0.9, last_item_at=now)
    hours(steady, {hour - datetime.timedelta(hours=5): 2, hour - datetime.timedelta(hours=60): 10})
    spreading = make_story(title="Spreading", risk=0.5, last_item_at=now)
    hours(spreading, {hour - datetime.timedelta(hours=1): 6})
    calm = make_story(title="Calm", risk=0.0, last_item_at=now)
    hours(calm, {hour - datetime.timedelta(hours=1): 50})
    old = make_story(title="Old", risk=1.0, last_item_at=now - datetime.timedelta(days=3))
    hours(old, {hour - datetime.timedelta(hours=72): 40})
    elsewhere = make_story(regions=("KZ-75",), title="Almaty", risk=1.0, last_item_at=now)
    hours(elsewhere, {hour: 100})

    top = queries.stories_top(user=network.users["coordinator_pavlodar"], now=now)

    # 0.5 × 6 / (0 + 1) = 3 before 0.9 × 2 / (10 + 1) ≈ 0.16 before 0 × 50.
    assert [story.title for story in top] == ["Spreading", "Steady and risky", "Calm"]
    assert top[0].recent == 6
    assert top[1].growth == pytest.approx(2 / 11)
    assert top[1].score == pytest.approx(0.9 * 2 / 11)
    analyst = queries.stories_top(user=network.users["analyst"], now=now, limit=2)
    assert [story.title for story in analyst] == ["Almaty", "Spreading"]


@freeze_time(NOW)
def test_the_trends_count_complete_weeks_in_the_readers_regions(network):
    source = make_source()
    monday = datetime.date(2025, 10, 6)
    make_item(
        source, regions=("KZ-55",), language="kk", topics={"conflict": 0.5}, published_at=at(monday)
    )
    make_item(
        source,
        regions=("KZ-55",),
        language="ru",
        topics={"conflict": 0.49},
        published_at=at(monday),
    )
    make_item(
        source,
        regions=("KZ-55",),
        language="ru",
        topics={"hate": 0.9},
        published_at=at(monday - datetime.timedelta(days=1)),
    )
    make_item(
        source, regions=("KZ-75",), language="ru", topics={"conflict": 0.9}, published_at=at(monday)
    )
    make_item(
        source, regions=("KZ-55",), language="ru", topics={"conflict": 0.9}, published_at=at(TODAY)
    )
    user = network.users["coordinator_pavlodar"]

    topics = queries.trend_by_topic(user=user, weeks=12, today=TODAY)
    languages = queries.trend_by_language(user=user, weeks=12, today=TODAY)

    assert topics.weeks[-1] == monday and len(topics.weeks) == 12
    assert topics.weeks[0] == monday - datetime.timedelta(weeks=11)
    assert topics.series["conflict"][-1] == 1  # 0.5 counts, 0.49 does not; Almaty is not read
    assert topics.series["hate"][-2:] == [1, 0]  # a Sunday belongs to the week before
    assert languages.series["kk"][-1] == 1
    assert languages.series["ru"][-2:] == [1, 1]
    assert sum(languages.series["en"]) == 0


@freeze_time(NOW)
def test_the_source_mix_counts_the_last_days_by_kind_and_language(network):
    feed = make_source(kind=Source.Kind.RSS)
    channel = make_source(kind=Source.Kind.TELEGRAM)
    make_item(feed, regions=("KZ-55",), language="kk", published_at=at(TODAY))
    make_item(
        channel,
        regions=("KZ-55",),
        language="ru",
        published_at=at(TODAY - datetime.timedelta(days=29), hour=1),
    )
    make_item(
        channel,
        regions=("KZ-55",),
        language="ru",
        published_at=at(TODAY - datetime.timedelta(days=30), hour=23),
    )
    make_item(channel, regions=("KZ-75",), language="en", published_at=at(TODAY))

    mix = queries.source_mix(user=network.users["coordinator_pavlodar"], days=30, today=TODAY)

    assert mix.since == TODAY - datetime.timedelta(days=29)
    assert mix.total == 2
    assert mix.by_kind["rss"] == 1 and mix.by_kind["telegram"] == 1 and mix.by_kind["manual"] == 0
    assert mix.by_language == {"kk": 1, "ru": 1, "en": 0, "other": 0, "unknown": 0}


@freeze_time(NOW)
def test_the_tension_table_reads_two_queries_for_any_number_of_regions(network):
    analyst = network.users["analyst"]
    grants_of(analyst)  # read once per request by every page
    with DataQueriesContext(connection) as context:
        table = queries.tension_table(user=analyst, weeks=12, today=TODAY)
    assert len(table.rows) == 20
    assert len(context.captured_queries) == 2
    assert table.current_week == datetime.date(2025, 10, 13)
    assert table.weeks[-1] == datetime.date(2025, 10, 6)
    nobody = queries.tension_table(user=network.users["auditor"], weeks=12, today=TODAY)
    assert nobody.rows == []
