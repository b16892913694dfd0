"""What the club's member and partner media publish is collected from their sources and joins
the club's register once per item: kind from the source, region from the text."""

from __future__ import annotations

import datetime

from django.utils import timezone
from freezegun import freeze_time

from birlik.monitoring import services
from birlik.monitoring.models import ClubPublication, Item, ItemPlace, Source
from birlik.monitoring.tasks import club_publications_sync_job

from ..factories import region
from .club_fixtures import club_fixture, make_publication  # noqa: F401 - fixture
from .conftest import make_item, make_source

NOW = "2025-11-20 10:00:00+05:00"


def at(day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, 11, day, 9, 30))


@freeze_time(NOW)
def test_items_of_club_sources_become_publications_once(club):
    tv = make_source(name="Khabar 24", club_member=club.body, club_kind="tv")
    other = make_source(name="Not a club outlet")
    story = make_item(tv, regions=("KZ-55",), title="Достық үйі", published_at=at(18))
    make_item(tv, title="Without a place", published_at=at(19))
    make_item(tv, title="Waiting", state=Item.State.NEW)
    make_item(other, regions=("KZ-55",), title="Somebody else's")
    assert services.club_publications_sync() == 2
    assert services.club_publications_sync() == 0
    publication = ClubPublication.objects.get(item=story)
    assert publication.organisation == club.body
    assert publication.outlet == "Khabar 24"
    assert publication.kind == ClubPublication.Kind.TV
    assert publication.region.iso == "KZ-55"
    assert publication.published_on == datetime.date(2025, 11, 18)
    assert publication.title == "Достық үйі"
    assert publication.url == story.url
    assert set(ClubPublication.objects.values_list("title", flat=True)) == {
        "Достық үйі",
        "Without a place",
    }


@freeze_time(NOW)
def test_the_region_is_the_first_place_the_text_names_else_the_outlets_home(club):
    channel = make_source(
        name="АНК Telegram",
        kind=Source.Kind.TELEGRAM,
        club_member=club.body,
        home_region=region("KZ-75"),
    )
    named = make_item(channel, regions=("KZ-55", "KZ-75"), title="", text="Пост о Павлодаре\nещё")
    ItemPlace.objects.create(item=named, region=region("KZ-71"), via=ItemPlace.Via.SOURCE)
    unnamed = make_item(channel, title="Без места")
    services.club_publications_sync()
    first = ClubPublication.objects.get(item=named)
    assert first.region.iso == "KZ-55"
    assert first.kind == ClubPublication.Kind.SOCIAL  # a Telegram channel without a kind
    assert first.title == "Пост о Павлодаре"  # a post without a title: its first line
    assert ClubPublication.objects.get(item=unnamed).region.iso == "KZ-75"


@freeze_time(NOW)
def test_a_publication_entered_by_hand_is_not_counted_again_when_collected(club):
    source = make_source(club_member=club.body, club_kind="publication")
    item = make_item(source, url="https://kazinform.kz/club/1")
    by_hand = make_publication(club.body, url="https://kazinform.kz/club/1")
    assert services.club_publications_sync() == 0
    by_hand.refresh_from_db()
    assert by_hand.item == item
    assert ClubPublication.objects.count() == 1


@freeze_time(NOW)
def test_a_collected_publication_deleted_by_staff_is_not_collected_again(club):
    source = make_source(club_member=club.body, club_kind="tv")
    item = make_item(source)
    services.club_publications_sync()
    publication = ClubPublication.objects.get(item=item)
    services.club_publication_delete(actor=club.staff, publication=publication)
    assert services.club_publications_sync() == 0
    assert not ClubPublication.objects.exists()


@freeze_time(NOW)
def test_the_daily_job_looks_back_three_days(club):
    source = make_source(club_member=club.body, club_kind="social")
    make_item(source, title="Fresh", fetched_at=at(19))
    make_item(source, title="Old", fetched_at=at(1))
    assert club_publications_sync_job.call() == 1
    assert list(ClubPublication.objects.values_list("title", flat=True)) == ["Fresh"]
    assert services.club_publications_sync() == 1  # a full catch-up takes the old one too
