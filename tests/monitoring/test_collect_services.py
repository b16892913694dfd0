"""Collection end to end on the fixture site: what a fetch stores, how a failing source backs
off, claiming due sources once, uploads, items typed by hand, retention, and the audit."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from freezegun import freeze_time

from birlik.access.models import AuditEntry
from birlik.core.errors import DomainError
from birlik.monitoring import collectors, services, tasks
from birlik.monitoring.models import Alert, AlertRule, Item, ItemPlace, Label, Source, SourceFetch

from ..factories import region
from .collect_fixtures import (
    article,
    csv_cp1251,
    fixture_server_fixture,  # noqa: F401 - a fixture
    local_only_fixture,  # noqa: F401 - a fixture
    menu_page,
    rss,
    site_fixture,  # noqa: F401 - a fixture
    sitemap,
    sitemap_index,
    telegram_export,
    xlsx_with_title_row,
)
from .conftest import make_item, make_source
from .fixture_server import Route

NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


def _feed(*numbers: int, body: str = "Текст новости") -> bytes:
    return rss(*[(f"Новость {n}", f"https://ulys.kz/news/{n}", body) for n in numbers]).encode()


def _fetch(source: Source, now: datetime.datetime = NOW) -> SourceFetch:
    fetch = services.source_fetch(source_id=source.pk, now=now)
    source.refresh_from_db()
    return fetch


# --- Fetching feeds ------------------------------------------------------------------------------


def test_a_feed_fetch_stores_new_items_and_plans_the_next_read(db, site):
    site.routes["/rss.xml"] = Route(body=_feed(1, 2), etag='"v1"')
    source = make_source(url=site.url("/rss.xml"), schedule_minutes=10)
    fetch = _fetch(source)
    assert (fetch.status, fetch.http_status, fetch.items_new) == (SourceFetch.Status.OK, 200, 2)
    assert source.next_fetch_at == NOW + 10 * MINUTE
    assert (source.etag, source.failures, source.last_success_at) == ('"v1"', 0, NOW)
    items = Item.objects.filter(source=source).order_by("guid")
    assert [item.title for item in items] == ["Новость 1", "Новость 2"]
    first = items[0]
    assert (first.state, first.language, first.fetched_at) == (Item.State.NEW, "ru", NOW)
    assert first.text == "Текст новости" and first.url == "https://ulys.kz/news/1"
    assert first.author_key == collectors.author_key("reporter@example.kz (Иван Петров)")


def test_an_unchanged_feed_answers_304_and_is_no_error(db, site):
    site.routes["/rss.xml"] = Route(body=_feed(1), etag='"v1"')
    source = make_source(url=site.url("/rss.xml"))
    _fetch(source)
    fetch = _fetch(source, NOW + 10 * MINUTE)
    assert (fetch.status, fetch.http_status, fetch.items_new) == (
        SourceFetch.Status.NOT_MODIFIED,
        304,
        0,
    )
    assert site.requests[-1][1]["if-none-match"] == '"v1"'
    assert (source.failures, source.last_error, source.etag) == (0, "", '"v1"')
    assert source.next_fetch_at == NOW + 20 * MINUTE
    assert Item.objects.filter(source=source).count() == 1


def test_an_item_seen_before_is_not_stored_twice(db, site):
    site.routes["/rss.xml"] = Route(body=_feed(1, 2))
    source = make_source(url=site.url("/rss.xml"))
    _fetch(source)
    site.routes["/rss.xml"] = Route(body=_feed(2, 3))
    assert _fetch(source, NOW + 10 * MINUTE).items_new == 1
    assert Item.objects.filter(source=source).count() == 3


def test_entries_without_a_body_get_the_text_of_their_pages(db, site):
    site.routes["/rss.xml"] = Route(
        body=rss(
            ("С текстом на странице", site.url("/news/1"), ""),
            ("Меню вместо статьи", site.url("/news/2"), ""),
        ).encode()
    )
    site.routes["/news/1"] = Route(body=article(), headers={"Content-Type": "text/html"})
    site.routes["/news/2"] = Route(body=menu_page(), headers={"Content-Type": "text/html"})
    source = make_source(url=site.url("/rss.xml"))
    assert _fetch(source).items_new == 2
    read = Item.objects.get(source=source, url=site.url("/news/1"))
    assert read.title == "С текстом на странице" and "Доме дружбы" in read.text
    menu = Item.objects.get(source=source, url=site.url("/news/2"))
    assert (menu.text, menu.state) == ("", Item.State.NEW)  # its title is still news


def test_a_busy_site_backs_the_source_off_as_long_as_it_asks(db, site):
    site.routes["/rss.xml"] = Route(status=429, headers={"Retry-After": "600"})
    source = make_source(url=site.url("/rss.xml"))
    fetch = _fetch(source)
    assert (fetch.status, fetch.http_status, fetch.error) == ("error", 429, "http_error:429")
    assert source.failures == 1
    assert source.next_fetch_at == NOW + 10 * MINUTE  # Retry-After over 2¹ minutes
    assert (source.last_error, source.last_error_at) == ("http_error:429", NOW)


def test_failures_back_off_two_to_the_n_minutes_up_to_a_day(db, site):
    site.routes["/rss.xml"] = Route(status=503)
    source = make_source(url=site.url("/rss.xml"))
    waits = []
    now = NOW
    for _attempt in range(12):
        _fetch(source, now)
        waits.append(source.next_fetch_at - now)
        now = source.next_fetch_at
    minutes = [int(wait / MINUTE) for wait in waits]
    assert minutes[:5] == [2, 4, 8, 16, 32]
    assert minutes[-1] == 24 * 60 and max(minutes) == 24 * 60
    assert source.failures == 12


def test_a_success_after_failures_resets_the_back_off(db, site):
    site.routes["/rss.xml"] = Route(status=503)
    source = make_source(url=site.url("/rss.xml"))
    _fetch(source)
    site.routes["/rss.xml"] = Route(body=_feed(1))
    _fetch(source, NOW + 2 * MINUTE)
    assert (source.failures, source.last_success_at) == (0, NOW + 2 * MINUTE)
    assert source.last_error == "http_error:503"  # the last error stays on the health page


def test_a_source_robots_txt_forbids_is_logged_as_refused(db, site):
    site.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /\n")
    site.routes["/rss.xml"] = Route(body=_feed(1))
    source = make_source(url=site.url("/rss.xml"))
    fetch = _fetch(source)
    assert (fetch.status, fetch.error) == (SourceFetch.Status.REFUSED, "refused_by_robots")
    assert source.failures == 1 and not Item.objects.filter(source=source).exists()
    assert site.hits["/rss.xml"] == 0


def test_a_source_that_times_out_fails_and_keeps_nothing(db, site, settings):
    settings.MONITORING_READ_TIMEOUT = 0.3
    site.routes["/rss.xml"] = Route(body=_feed(1), delay=1.5)
    source = make_source(url=site.url("/rss.xml"))
    assert _fetch(source).error == "timeout"
    assert source.failures == 1 and not Item.objects.filter(source=source).exists()


def test_an_address_that_gives_no_feed_fails_with_that_reason(db, site):
    site.routes["/rss.xml"] = Route(body=menu_page(), headers={"Content-Type": "text/html"})
    source = make_source(url=site.url("/rss.xml"))
    assert _fetch(source).error == "not_a_feed"
    assert source.last_error == "not_a_feed"


def test_a_site_read_a_moment_ago_is_postponed_without_a_failure(db, site, settings):
    settings.MONITORING_HOST_INTERVAL_SECONDS = 60
    settings.MONITORING_HOST_WAIT_SECONDS = 0
    site.routes["/rss.xml"] = Route(body=_feed(1))
    source = make_source(url=site.url("/rss.xml"))
    fetch = _fetch(source)
    assert fetch.error == "host_busy"
    assert (source.failures, source.last_error) == (0, "")
    assert source.next_fetch_at >= NOW + MINUTE


# --- Sitemaps and pages --------------------------------------------------------------------------


def test_a_news_sitemap_gives_items_with_the_text_of_their_pages(db, site):
    site.routes["/sitemap.xml"] = Route(
        body=sitemap(
            (site.url("/news/1"), "Форум в Астане", "2026-03-02T09:00:00+05:00"),
            (site.url("/news/old"), "Давняя новость", "2025-01-01"),
        )
    )
    site.routes["/news/1"] = Route(body=article("Форум"), headers={"Content-Type": "text/html"})
    source = make_source(kind=Source.Kind.SITEMAP, url=site.url("/sitemap.xml"))
    assert _fetch(source).items_new == 1
    item = Item.objects.get(source=source)
    assert (item.title, item.url) == ("Форум в Астане", site.url("/news/1"))
    assert "Доме дружбы" in item.text
    assert site.hits["/news/old"] == 0  # older than a week: not read


def test_a_sitemap_index_is_followed_to_its_sitemaps(db, site):
    site.routes["/sitemap-index.xml"] = Route(
        body=sitemap_index((site.url("/sitemap-1.xml"), "2026-03-02"))
    )
    site.routes["/sitemap-1.xml"] = Route(
        body=sitemap((site.url("/news/7"), "Наурыз", "2026-03-02T09:00:00+05:00"))
    )
    site.routes["/news/7"] = Route(body=article("Наурыз"), headers={"Content-Type": "text/html"})
    source = make_source(kind=Source.Kind.SITEMAP, url=site.url("/sitemap-index.xml"))
    assert _fetch(source).items_new == 1
    assert Item.objects.get(source=source).url == site.url("/news/7")


def test_pages_beyond_the_budget_wait_for_the_next_fetch(db, site, settings):
    settings.MONITORING_ARTICLES_PER_FETCH = 1
    site.routes["/sitemap.xml"] = Route(
        etag='"s1"',
        body=sitemap(
            (site.url("/news/1"), "Первая", "2026-03-02T09:00:00+05:00"),
            (site.url("/news/2"), "Вторая", "2026-03-02T10:00:00+05:00"),
        ),
    )
    for n in (1, 2):
        site.routes[f"/news/{n}"] = Route(body=article(), headers={"Content-Type": "text/html"})
    source = make_source(kind=Source.Kind.SITEMAP, url=site.url("/sitemap.xml"))
    assert _fetch(source).items_new == 1
    assert source.etag == ""  # not "not modified" next time: a link is left
    assert _fetch(source, NOW + 10 * MINUTE).items_new == 1
    assert source.etag == '"s1"'
    assert set(Item.objects.filter(source=source).values_list("title", flat=True)) == {
        "Первая",
        "Вторая",
    }


def test_a_page_source_gives_its_article(db, site):
    site.routes["/page.html"] = Route(body=article(), headers={"Content-Type": "text/html"})
    source = make_source(kind=Source.Kind.PAGE, url=site.url("/page.html"))
    assert _fetch(source).items_new == 1
    item = Item.objects.get(source=source)
    assert (item.state, item.guid) == (Item.State.NEW, site.url("/page.html"))


def test_a_page_without_an_article_is_kept_as_such(db, site):
    site.routes["/page.html"] = Route(body=menu_page(), headers={"Content-Type": "text/html"})
    source = make_source(kind=Source.Kind.PAGE, url=site.url("/page.html"))
    assert _fetch(source).status == SourceFetch.Status.OK
    assert Item.objects.get(source=source).state == Item.State.NO_ARTICLE


def test_an_uploaded_or_switched_off_source_is_not_fetched(db, site):
    site.routes["/rss.xml"] = Route(body=_feed(1))
    for source in (
        make_source(kind=Source.Kind.TELEGRAM, url=""),
        make_source(url=site.url("/rss.xml"), enabled=False),
    ):
        with pytest.raises(services.SourceError):
            services.source_fetch(source_id=source.pk, now=NOW)
    assert site.hits["/rss.xml"] == 0 and not SourceFetch.objects.exists()


# --- Claiming and queueing -----------------------------------------------------------------------


def test_due_sources_are_claimed_once(db):
    due = make_source(url="https://a.kz/rss", next_fetch_at=NOW - MINUTE)
    later = make_source(url="https://b.kz/rss", next_fetch_at=NOW + MINUTE)
    off = make_source(url="https://c.kz/rss", next_fetch_at=NOW - MINUTE, enabled=False)
    upload = make_source(kind=Source.Kind.TELEGRAM, url="", next_fetch_at=NOW - MINUTE)
    assert services.sources_claim_due(now=NOW) == [due.pk]
    assert services.sources_claim_due(now=NOW) == []  # a second worker finds nothing
    due.refresh_from_db()
    assert due.next_fetch_at == NOW + services.SOURCE_CLAIM_LEASE
    assert services.sources_claim_due(now=NOW + MINUTE) == [later.pk]
    assert {off.pk, upload.pk}.isdisjoint(services.sources_claim_due(now=NOW + 60 * MINUTE))


def test_a_source_claimed_meanwhile_is_not_claimed_again(db):
    source = make_source(url="https://a.kz/rss", next_fetch_at=NOW - MINUTE)
    assert services._source_claim(source.pk, source.next_fetch_at, NOW)
    assert not services._source_claim(source.pk, source.next_fetch_at, NOW)


def test_a_tick_takes_at_most_its_share_of_sources_and_of_one_site(db, settings):
    settings.MONITORING_FETCHES_PER_TICK = 4
    settings.MONITORING_FETCHES_PER_HOST = 2
    same_site = [
        make_source(url=f"https://ulys.kz/rss/{n}", next_fetch_at=NOW - MINUTE) for n in range(3)
    ]
    others = [make_source(url=f"https://site{n}.kz/rss", next_fetch_at=NOW) for n in range(3)]
    claimed = services.sources_claim_due(now=NOW)
    assert len(claimed) == 4
    assert len(set(claimed) & {s.pk for s in same_site}) == 2
    assert len(set(claimed) & {s.pk for s in others}) == 2


def test_the_minute_job_queues_a_fetch_per_claimed_source(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    first = make_source(url="https://a.kz/rss", next_fetch_at=NOW - MINUTE)
    second = make_source(url="https://b.kz/rss", next_fetch_at=NOW - MINUTE)
    with freeze_time(NOW):
        assert tasks.sources_fetch_due.call() == 2
    queued = [r for r in default_task_backend.results if r.task.name == "source_fetch_job"]
    assert sorted(result.args[0] for result in queued) == sorted([first.pk, second.pk])


def test_the_fetch_job_reads_its_source(db, site):
    site.routes["/rss.xml"] = Route(body=_feed(1))
    source = make_source(url=site.url("/rss.xml"))
    assert tasks.source_fetch_job.call(source.pk) == 1
    assert tasks.source_fetch_job.call(0) == 0  # gone meanwhile


# --- Sources: who may change them, and the audit -------------------------------------------------


def test_an_analyst_adds_a_source_and_it_is_audited(network):
    source = services.source_create(
        actor=network.users["analyst"],
        name="Ulys",
        kind=Source.Kind.RSS,
        url="https://ulys.kz/rss",
        language="kk",
        home_region=region("KZ-55"),
        schedule_minutes=15,
    )
    entry = AuditEntry.objects.get(object_type="monitoring.Source", object_id=str(source.pk))
    assert (entry.action, entry.actor) == (AuditEntry.Action.CREATE, network.users["analyst"])
    assert entry.changes["url"] == "https://ulys.kz/rss"
    assert source.created_by == network.users["analyst"]


@pytest.mark.parametrize("who", ["coordinator_pavlodar", "auditor", "staff_pavlodar_house"])
def test_others_may_not_add_sources(network, who):
    with pytest.raises(PermissionDenied):
        services.source_create(
            actor=network.users[who], name="X", kind=Source.Kind.RSS, url="https://x.kz/rss"
        )
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"url": ""}, "url"),
        ({"url": "ftp://x.kz/feed"}, "url"),
        ({"schedule_minutes": 1}, "schedule_minutes"),
        ({"name": "  "}, "name"),
        ({"retention_days": 0}, "retention_days"),
    ],
)
def test_a_source_with_bad_fields_is_refused_with_the_field(network, fields, field):
    values = {"name": "Ulys", "kind": Source.Kind.RSS, "url": "https://ulys.kz/rss", **fields}
    with pytest.raises(services.SourceError) as caught:
        services.source_create(actor=network.users["admin"], **values)
    assert caught.value.field == field
    assert not Source.objects.exists()


def test_a_new_address_is_read_afresh_and_the_change_audited(network):
    source = make_source(
        url="https://old.kz/rss", etag='"x"', failures=4, next_fetch_at=NOW + 60 * MINUTE
    )
    with freeze_time(NOW):
        services.source_update(
            actor=network.users["admin"], source=source, url="https://new.kz/rss"
        )
    source.refresh_from_db()
    assert (source.url, source.etag, source.failures, source.next_fetch_at) == (
        "https://new.kz/rss",
        "",
        0,
        NOW,
    )
    entry = AuditEntry.objects.get(object_type="monitoring.Source", action="update")
    assert entry.changes == {"url": ["https://old.kz/rss", "https://new.kz/rss"]}


def test_fetch_now_claims_the_source_and_queues_its_job(
    network, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    source = make_source(url="https://ulys.kz/rss", next_fetch_at=NOW + 60 * MINUTE)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.source_fetch_queue(actor=network.users["analyst"], source=source)
    assert [r.args for r in default_task_backend.results] == [[source.pk]]
    off = make_source(url="https://off.kz/rss", enabled=False)
    with pytest.raises(services.SourceError):
        services.source_fetch_queue(actor=network.users["analyst"], source=off)


# --- Uploads -------------------------------------------------------------------------------------


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_a_telegram_export_adds_its_posts_once_and_is_audited(network):
    source = make_source(kind=Source.Kind.TELEGRAM, url="https://t.me/ulys_news")
    data = json.dumps(telegram_export(), ensure_ascii=False).encode()
    analyst = network.users["analyst"]
    assert (
        services.items_from_upload(
            actor=analyst, source=source, upload=_upload("result.json", data)
        )
        == 2
    )
    assert (
        services.items_from_upload(
            actor=analyst, source=source, upload=_upload("result.json", data)
        )
        == 0
    )
    items = Item.objects.filter(source=source).order_by("guid")
    assert [item.url for item in items] == ["https://t.me/ulys_news/2", "https://t.me/ulys_news/3"]
    assert {item.author_key for item in items} == {"@ulys_news"}
    entries = AuditEntry.objects.filter(object_type="monitoring.Source", action="import")
    assert [entry.changes["items_new"] for entry in entries.order_by("at", "id")] == [2, 0]
    assert SourceFetch.objects.filter(source=source).count() == 2


def test_a_vendor_sheet_adds_its_rows_and_tells_the_skipped_ones(network):
    source = make_source(kind=Source.Kind.VENDOR, url="")
    skipped: list[tuple[int, str]] = []
    added = services.items_from_upload(
        actor=network.users["admin"],
        source=source,
        upload=_upload("vendor.xlsx", xlsx_with_title_row()),
        skipped=skipped,
    )
    assert added == 2 and [line for line, _why in skipped] == [7]
    assert (
        services.items_from_upload(
            actor=network.users["admin"], source=source, upload=_upload("v.csv", csv_cp1251())
        )
        == 2
    )


@pytest.mark.parametrize(
    ("kind", "name", "data"),
    [
        (Source.Kind.TELEGRAM, "result.json", b"{not json"),
        (Source.Kind.TELEGRAM, "result.json", b""),
        (Source.Kind.VENDOR, "posts.csv", "Имя;Телефон\r\nАйгүл;+7701\r\n".encode()),
        (Source.Kind.VENDOR, "posts.xlsx", b"%PDF-1.4"),
    ],
)
def test_a_bad_file_stores_nothing(network, kind, name, data):
    source = make_source(kind=kind, url="")
    with pytest.raises(DomainError) as caught:
        services.items_from_upload(
            actor=network.users["admin"], source=source, upload=_upload(name, data)
        )
    assert caught.value.field == "file" and str(caught.value.message)
    assert not Item.objects.exists() and not SourceFetch.objects.exists()


def test_a_file_past_the_size_limit_stores_nothing(network, settings):
    settings.IMPORT_MAX_BYTES = 1024
    source = make_source(kind=Source.Kind.TELEGRAM, url="")
    data = json.dumps(telegram_export(), ensure_ascii=False).encode()
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.items_from_upload(
            actor=network.users["admin"], source=source, upload=_upload("r.json", data)
        )
    assert "larger than 1 MB" in str(caught.value.message)
    assert not Item.objects.exists()


def test_files_go_only_to_uploaded_sources(network):
    source = make_source(url="https://ulys.kz/rss")
    data = json.dumps(telegram_export()).encode()
    with pytest.raises(services.SourceError):
        services.items_from_upload(
            actor=network.users["admin"], source=source, upload=_upload("r.json", data)
        )


# --- Items typed by hand -------------------------------------------------------------------------


def test_an_item_typed_by_hand_joins_the_manual_source_and_is_audited(network):
    analyst = network.users["analyst"]
    item = services.item_enter(
        actor=analyst, title=" Митинг в Павлодаре ", text="Что было.", url="https://x.kz/1"
    )
    again = services.item_enter(actor=analyst, title="Второй", region=region("KZ-75"))
    assert item.source == again.source and item.source.kind == Source.Kind.MANUAL
    assert Source.objects.filter(kind=Source.Kind.MANUAL).count() == 1
    assert (item.title, item.state, item.entered_by) == (
        "Митинг в Павлодаре",
        Item.State.NEW,
        analyst,
    )
    assert list(again.places.values_list("region__iso", flat=True)) == ["KZ-75"]
    assert AuditEntry.objects.filter(object_type="monitoring.Item", action="create").count() == 2
    with pytest.raises(services.SourceError) as caught:
        services.item_enter(actor=analyst, title="Снова", url="https://x.kz/1")
    assert caught.value.field == "url"


def test_a_coordinator_files_a_typed_item_under_their_own_region(network):
    coordinator = network.users["coordinator_pavlodar"]
    with pytest.raises(services.SourceError) as caught:
        services.item_enter(actor=coordinator, title="Без региона")
    assert caught.value.field == "region"
    with pytest.raises(services.SourceError):
        services.item_enter(actor=coordinator, title="Чужой", region=region("KZ-75"))
    item = services.item_enter(actor=coordinator, title="Свой", region=region("KZ-55"))
    assert ItemPlace.objects.get(item=item).region.iso == "KZ-55"


@freeze_time(NOW)
def test_a_typed_item_cannot_be_published_in_the_future(network):
    with pytest.raises(services.SourceError) as caught:
        services.item_enter(
            actor=network.users["admin"],
            title="Завтра",
            published_at=NOW + datetime.timedelta(hours=2),
        )
    assert caught.value.field == "published_at"


def test_staff_of_a_body_may_not_type_items(network):
    with pytest.raises(PermissionDenied):
        services.item_enter(actor=network.users["staff_pavlodar_house"], title="X")


# --- Retention -----------------------------------------------------------------------------------


def test_the_sweep_drops_old_fetches_and_items_past_retention_but_not_alerted_or_labelled(network):
    short = make_source(url="https://a.kz/rss", retention_days=30)
    default = make_source(url="https://b.kz/rss")
    old = NOW - datetime.timedelta(days=40)
    gone = make_item(short, fetched_at=old)
    alerted = make_item(short, fetched_at=old)
    labelled = make_item(short, fetched_at=old)
    fresh = make_item(short, fetched_at=NOW - datetime.timedelta(days=5))
    kept_by_default = make_item(default, fetched_at=old)
    too_old = make_item(default, fetched_at=NOW - datetime.timedelta(days=400))
    rule = AlertRule.objects.create(name="r", kind=AlertRule.Kind.RISK)
    Alert.objects.create(
        rule=rule, item=alerted, title="a", region=region("KZ-55"), ack_due_at=NOW, key="k1"
    )
    Label.objects.create(
        item=labelled, topic="conflict", value="yes", analyst=network.users["analyst"]
    )
    SourceFetch.objects.create(
        source=short, started_at=NOW - datetime.timedelta(days=31), status="ok"
    )
    recent_fetch = SourceFetch.objects.create(source=short, started_at=NOW - MINUTE, status="ok")
    assert services.collected_sweep(now=NOW) == 3
    assert set(Item.objects.values_list("pk", flat=True)) == {
        alerted.pk,
        labelled.pk,
        fresh.pk,
        kept_by_default.pk,
    }
    assert not Item.objects.filter(pk__in=[gone.pk, too_old.pk]).exists()
    assert list(SourceFetch.objects.values_list("pk", flat=True)) == [recent_fetch.pk]
