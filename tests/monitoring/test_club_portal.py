"""The public media-coverage page: counts of items collected by region, language and month and
the club's output by kind; never a risk signal, a topic, a story or an item's title."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone, translation
from freezegun import freeze_time

from birlik.monitoring.models import Alert, AlertRule, Story, Topic

from ..factories import region
from .club_fixtures import club_fixture, make_publication  # noqa: F401 - fixture
from .conftest import make_item, make_source

URL = "/en/media/"
NOW = "2025-11-20 10:00:00+05:00"


@pytest.fixture(autouse=True)
def _in_november_2025():
    with freeze_time(NOW):
        yield


def at(month: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, month, 12, 12))


@pytest.fixture
def media(network, club):
    """Four items of 2025 (one of them risky, in a story with an alert) and the club's output."""
    source = make_source(name="Secret Outlet Name")
    story = Story.objects.create(title="Secret story title")
    risky = make_item(
        source,
        regions=("KZ-55",),
        language="ru",
        title="Secret risky headline",
        text="Secret risky text",
        risk=0.97,
        topics={"hate": 0.97, "conflict": 0.8},
        story=story,
        published_at=at(3),
    )
    rule = AlertRule.objects.create(name="Secret rule name", kind=AlertRule.Kind.RISK)
    Alert.objects.create(
        rule=rule,
        story=story,
        item=risky,
        title="Secret alert title",
        topic="hate",
        risk=0.97,
        region=region("KZ-55"),
        ack_due_at=at(3),
        key="secret",
    )
    make_item(source, regions=("KZ-55",), language="kk", title="Calm one", published_at=at(3))
    make_item(source, regions=("KZ-75",), language="kk", title="Calm two", published_at=at(7))
    make_item(source, language="en", title="Calm three", published_at=at(7))
    make_publication(club.body, kind="tv", title="Secret club title")
    make_publication(club.body, kind="social")
    return risky


def test_the_public_sees_counts_by_region_language_month_and_the_club(client, media):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Media coverage in 2025" in page
    assert "Risk signals are never published" in page
    assert re.search(
        r'figure-value">4</span> <span class="figure-label">media items collected', page
    )
    assert re.search(r'figure-value">2</span> <span class="figure-label">publications, TV', page)
    assert '<th scope="row">Pavlodar Region</th><td class="num">2</td>' in page
    assert '<th scope="row">Almaty</th><td class="num">1</td>' in page
    assert '<th scope="row">Kazakh</th><td class="num">2</td>' in page
    assert '<th scope="row">Russian</th><td class="num">1</td>' in page
    assert '<th scope="row">English</th><td class="num">1</td>' in page
    months = re.findall(r'<th scope="row">([^<]+ 2025)</th><td class="num">(\d+)</td>', page)
    assert [value for _month, value in months] == ["0", "0", "2", "0", "0", "0", "2", "0", "0",
                                                   "0", "0", "0"]  # fmt: skip
    assert '<th scope="row">TV story</th><td class="num">1</td>' in page
    assert '<th scope="row">Social-media post</th><td class="num">1</td>' in page


def test_the_public_page_shows_no_risk_no_topic_no_title_no_source(client, media):
    page = client.get(URL).content.decode()
    for secret in (
        "Secret risky headline",
        "Secret risky text",
        "Secret Outlet Name",
        "Secret story title",
        "Secret alert title",
        "Secret rule name",
        "Secret club title",
        "0.97",
        "0,97",
    ):
        assert secret not in page, secret
    with translation.override("en"):
        topics = [str(label) for _code, label in Topic.choices]
    for topic in topics:
        assert topic.lower() not in page.lower(), topic
    with translation.override("kk"):
        kazakh = client.get("/kk/media/").content.decode()
        assert "Secret risky headline" not in kazakh
        for _code, label in Topic.choices:
            assert str(label) not in kazakh


@pytest.mark.parametrize("year", ["abc", "1990", "2031", "2025.5"])
def test_a_year_not_understood_is_said_and_this_years_figures_shown(client, media, year):
    response = client.get(URL, {"year": year})
    assert response.status_code == 200
    page = response.content.decode()
    assert "The year was not understood" in page
    assert "Media coverage in 2025" in page


def test_another_year_can_be_chosen(client, media):
    page = client.get(URL, {"year": "2024"}).content.decode()
    assert "Media coverage in 2024" in page
    assert re.search(
        r'figure-value">0</span> <span class="figure-label">media items collected', page
    )


def test_the_page_costs_the_same_queries_for_few_or_many_items(
    client, media, django_assert_max_num_queries
):
    from django.core.cache import cache

    with django_assert_max_num_queries(10) as few:
        assert client.get(URL).status_code == 200
    source = make_source()
    for index in range(30):
        make_item(source, regions=("KZ-55",), language="ru", published_at=at(1 + index % 12))
    cache.clear()  # computed again, not read from the cache
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL).content.decode()
    assert re.search(r'figure-value">34</span> <span class="figure-label">media items', page)
    # Cached like the public figures: the next reader costs no count at all.
    with django_assert_max_num_queries(len(few.captured_queries) - 2):
        assert client.get(URL).status_code == 200
