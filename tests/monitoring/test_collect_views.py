"""The sources pages as users see them: who may open each, what the list and the health page
show, adding and changing a source, fetch now, uploads (good and bad files) and items typed
by hand. Pages are read in English (``/en/``)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from freezegun import freeze_time

from birlik.access.models import AuditEntry, Role
from birlik.monitoring.models import Item, Source, SourceFetch

from ..factories import GrantFactory, OrganisationFactory, PersonFactory, UserFactory, kind, region
from ..mediation.factories import MediatorFactory
from .collect_fixtures import (
    local_only_fixture,  # noqa: F401 - a fixture
    telegram_export,
    xlsx_with_title_row,
)
from .conftest import make_item, make_source

BASE = "/en/workspace/monitoring"
NOW = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)

READERS = {"admin", "analyst", "coordinator_pavlodar", "coordinator_almaty"}
MANAGERS = {"admin", "analyst"}
EVERYONE = [
    "admin",
    "analyst",
    "auditor",
    "coordinator_pavlodar",
    "coordinator_almaty",
    "staff_pavlodar_house",
    "staff_pavlodar_elders",
    "mediator",
    "centre_head",
    "nobody",
]


@pytest.fixture
def users(network):
    """The network's users and the other roles of the URL matrix: staff of the Pavlodar
    council of elders, a mediator (no grant) and the head of a mediation centre."""
    found = dict(network.users)
    elders = UserFactory(username="staff_pavlodar_elders")
    GrantFactory(user=elders, role=Role.BODY_STAFF, organisation=network.pavlodar_elders)
    found["staff_pavlodar_elders"] = elders
    centre = OrganisationFactory(
        parent=network.pavlodar_house, kind=kind("mediation_centre"), region=region("KZ-55")
    )
    head = UserFactory(username="centre_head")
    GrantFactory(user=head, role=Role.CENTRE_HEAD, organisation=centre)
    found["centre_head"] = head
    mediator = UserFactory(username="mediator")
    MediatorFactory(person=PersonFactory(registered_by=centre), user=mediator)
    found["mediator"] = mediator
    return found


@pytest.fixture
def dummy_tasks(settings):
    """Jobs queued are kept in a list instead of the database queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    return default_task_backend


@pytest.fixture
def post_committed(client, django_capture_on_commit_callbacks):
    """POST, then run what the request left for after its commit (a test's transaction never
    commits): the job queued by "fetch now"."""

    def post(url, data=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, **kwargs)

    return post


def _page(response) -> str:
    return response.content.decode()


# --- Who may open what ---------------------------------------------------------------------------


def _urls(source: Source, telegram: Source) -> dict[str, tuple[str, set[str]]]:
    return {
        "sources": (f"{BASE}/sources/", READERS),
        "source_health": (f"{BASE}/sources/{source.pk}/", READERS),
        "source_new": (f"{BASE}/sources/new/", MANAGERS),
        "source_edit": (f"{BASE}/sources/{source.pk}/edit/", MANAGERS),
        "source_upload": (f"{BASE}/sources/{telegram.pk}/upload/", MANAGERS),
        "item_enter": (f"{BASE}/items/enter/", READERS),
    }


@pytest.mark.parametrize("who", EVERYONE)
def test_each_page_opens_for_its_roles_only(client, login, users, who):
    source = make_source(url="https://ulys.kz/rss")
    telegram = make_source(kind=Source.Kind.TELEGRAM, url="")
    login(users[who])
    for name, (url, allowed) in _urls(source, telegram).items():
        status = client.get(url).status_code
        assert status == (200 if who in allowed else 403), f"{name}: {status}"


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    source = make_source(url="https://ulys.kz/rss")
    telegram = make_source(kind=Source.Kind.TELEGRAM, url="")
    for url, _allowed in _urls(source, telegram).values():
        response = client.get(url)
        assert response.status_code == 302 and "?next=" in response["Location"]
    response = client.post(f"{BASE}/sources/{source.pk}/fetch/")
    assert response.status_code == 302


@pytest.mark.parametrize("who", EVERYONE)
def test_fetch_now_is_for_managers_only(login, users, who, dummy_tasks, post_committed):
    source = make_source(url="https://ulys.kz/rss")
    login(users[who])
    response = post_committed(f"{BASE}/sources/{source.pk}/fetch/")
    assert response.status_code == (302 if who in MANAGERS else 403)
    assert len(dummy_tasks.results) == (1 if who in MANAGERS else 0)


def test_a_source_that_does_not_exist_is_not_found(client, login, users):
    login(users["analyst"])
    for url in ("sources/999999/", "sources/999999/edit/", "sources/999999/upload/"):
        assert client.get(f"{BASE}/{url}").status_code == 404
    assert client.post(f"{BASE}/sources/999999/fetch/").status_code == 404


# --- The list and the health page ----------------------------------------------------------------


@freeze_time(NOW)
def test_the_list_shows_each_sources_state_last_error_and_items_per_day(
    client, login, users, django_assert_max_num_queries
):
    healthy = make_source(name="Ulys", url="https://ulys.kz/rss", last_success_at=NOW)
    failing = make_source(
        name="Broken",
        url="https://broken.kz/rss",
        failures=3,
        last_error="http_error:503",
        last_error_at=NOW,
    )
    make_source(name="Quiet", url="https://quiet.kz/rss", enabled=False)
    for days_ago in (0, 0, 1, 9):
        make_item(healthy, fetched_at=NOW - datetime.timedelta(days=days_ago))
    login(users["analyst"])
    with django_assert_max_num_queries(8):  # sign-in and menu 5, count, page, per day
        response = client.get(f"{BASE}/sources/")
    page = _page(response)
    assert response.status_code == 200
    assert "3 sources" in page
    assert "The site answered with an error (HTTP 503)." in page
    assert "Failing" in page and "Healthy" in page and "Switched off" in page
    start = page.index(">Ulys<")
    row = page[start : page.index("</tr>", start)]
    assert row.endswith('<td class="num">3</td>\n  ')  # three items in the last seven days
    assert row.count('<td class="num">2</td>') == 1  # two of them today
    assert failing.name in page


def test_the_list_costs_the_same_queries_for_many_sources(
    client, login, users, django_assert_max_num_queries
):
    login(users["analyst"])
    for n in range(3):
        make_item(make_source(url=f"https://s{n}.kz/rss"))
    with django_assert_max_num_queries(8) as few:
        client.get(f"{BASE}/sources/")
    for n in range(3, 20):
        make_item(make_source(url=f"https://s{n}.kz/rss"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(f"{BASE}/sources/")
    assert "20 sources" in _page(response)


def test_the_list_filters_by_state_and_kind(client, login, users):
    make_source(name="Fine feed", url="https://a.kz/rss")
    make_source(name="Failing feed", url="https://b.kz/rss", failures=5)
    make_source(name="Channel", kind=Source.Kind.TELEGRAM, url="")
    login(users["admin"])
    page = _page(client.get(f"{BASE}/sources/?state=failing"))
    assert "Failing feed" in page and "Fine feed" not in page and "1 source" in page
    page = _page(client.get(f"{BASE}/sources/?kind=telegram"))
    assert "Channel" in page and "Fine feed" not in page
    page = _page(client.get(f"{BASE}/sources/?state=nonsense"))
    assert "were not understood" in page and "Fine feed" in page


@freeze_time(NOW)
def test_the_health_page_shows_the_fetch_log_and_thirty_days(
    client, login, users, django_assert_max_num_queries
):
    source = make_source(
        name="Ulys", url="https://ulys.kz/rss", failures=1, last_error="timeout", last_error_at=NOW
    )
    SourceFetch.objects.create(source=source, started_at=NOW, status="error", error="timeout")
    SourceFetch.objects.create(
        source=source,
        started_at=NOW - datetime.timedelta(minutes=10),
        status="ok",
        http_status=200,
        items_new=7,
    )
    make_item(source, fetched_at=NOW - datetime.timedelta(days=29))
    make_item(source, fetched_at=NOW - datetime.timedelta(days=31))
    login(users["coordinator_pavlodar"])
    with django_assert_max_num_queries(11):  # with a coordinator's regions; constant
        response = client.get(f"{BASE}/sources/{source.pk}/")
    page = _page(response)
    assert "The site did not answer in time." in page
    assert "Backing off" in page
    assert "1 item in 30 days." in page
    assert "1 of them failed." in page
    assert '<td class="num">7</td>' in page
    assert "Fetch now" not in page and "Change the source" not in page  # a coordinator reads only


def test_managers_see_the_actions_of_a_source(client, login, users):
    feed = make_source(url="https://ulys.kz/rss")
    channel = make_source(kind=Source.Kind.TELEGRAM, url="")
    login(users["analyst"])
    page = _page(client.get(f"{BASE}/sources/{feed.pk}/"))
    assert "Fetch now" in page and "Change the source" in page and "Upload a file" not in page
    page = _page(client.get(f"{BASE}/sources/{channel.pk}/"))
    assert "Upload a file" in page and "Fetch now" not in page


# --- Adding and changing sources -----------------------------------------------------------------


def _form(**fields):
    data = {
        "name": "Ulys",
        "kind": "rss",
        "url": "https://ulys.kz/rss",
        "language": "kk",
        "home_region": str(region("KZ-55").pk),
        "schedule_minutes": "10",
        "retention_days": "",
        "enabled": "on",
        "club_member": "",
        "club_kind": "",
    }
    data.update(fields)
    return data


def test_an_analyst_adds_a_source(client, login, users):
    login(users["analyst"])
    response = client.post(f"{BASE}/sources/new/", _form())
    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}/sources/{source.pk}/"
    assert (source.name, source.language, source.home_region.iso) == ("Ulys", "kk", "KZ-55")
    assert AuditEntry.objects.filter(object_type="monitoring.Source", action="create").exists()
    assert "The source was added" in _page(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"url": ""}, "Give the address of the feed, sitemap or page."),
        ({"url": "ftp://ulys.kz/feed"}, "Give an address starting with http:// or https://."),
        ({"schedule_minutes": "1"}, "greater than or equal to 2"),
        ({"kind": "manual"}, "Select a valid choice"),
    ],
)
def test_a_bad_source_gets_a_clear_message_and_nothing_is_stored(
    client, login, users, fields, message
):
    login(users["admin"])
    response = client.post(f"{BASE}/sources/new/", _form(**fields))
    assert response.status_code == 400
    assert message in _page(response)
    assert not Source.objects.exists()


def test_a_coordinator_cannot_add_a_source_by_posting(client, login, users):
    login(users["coordinator_pavlodar"])
    assert client.post(f"{BASE}/sources/new/", _form()).status_code == 403
    assert not Source.objects.exists()


def test_a_source_is_changed_and_the_change_audited(client, login, users):
    source = make_source(name="Old", url="https://ulys.kz/rss")
    login(users["admin"])
    page = _page(client.get(f"{BASE}/sources/{source.pk}/edit/"))
    assert 'value="Old"' in page
    response = client.post(f"{BASE}/sources/{source.pk}/edit/", _form(name="New", enabled=""))
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.name, source.enabled) == ("New", False)
    entry = AuditEntry.objects.get(object_type="monitoring.Source", action="update")
    assert entry.changes["name"] == ["Old", "New"] and entry.changes["enabled"] == [True, False]


def test_the_hand_entered_source_is_not_edited(client, login, users):
    manual = make_source(kind=Source.Kind.MANUAL, url="")
    login(users["admin"])
    response = client.get(f"{BASE}/sources/{manual.pk}/edit/")
    assert response.status_code == 302 and response["Location"] == f"{BASE}/sources/{manual.pk}/"


# --- Fetch now -----------------------------------------------------------------------------------


def test_fetch_now_queues_the_job_and_says_so(client, login, users, dummy_tasks, post_committed):
    source = make_source(url="https://ulys.kz/rss")
    login(users["analyst"])
    assert client.get(f"{BASE}/sources/{source.pk}/fetch/").status_code == 405
    response = post_committed(f"{BASE}/sources/{source.pk}/fetch/", follow=True)
    assert "The source will be read in a moment." in _page(response)
    assert [result.args for result in dummy_tasks.results] == [[source.pk]]
    response = post_committed(f"{BASE}/sources/{source.pk}/fetch/", follow=True)
    assert "The source is being read already." in _page(response)
    assert len(dummy_tasks.results) == 1


def test_fetch_now_of_a_switched_off_source_explains_why_not(client, login, users, dummy_tasks):
    source = make_source(url="https://ulys.kz/rss", enabled=False)
    login(users["analyst"])
    response = client.post(f"{BASE}/sources/{source.pk}/fetch/", follow=True)
    assert "The source is switched off. Enable it first." in _page(response)
    assert dummy_tasks.results == []


def test_fetch_now_needs_the_csrf_token(users, dummy_tasks):
    source = make_source(url="https://ulys.kz/rss")
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["analyst"])
    assert client.post(f"{BASE}/sources/{source.pk}/fetch/").status_code == 403
    assert dummy_tasks.results == []


# --- Uploads -------------------------------------------------------------------------------------


def _upload(client, source, name, data):
    return client.post(
        f"{BASE}/sources/{source.pk}/upload/", {"file": SimpleUploadedFile(name, data)}
    )


def test_a_telegram_export_is_uploaded_and_its_posts_counted(client, login, users):
    source = make_source(kind=Source.Kind.TELEGRAM, url="https://t.me/ulys_news")
    login(users["analyst"])
    data = json.dumps(telegram_export(), ensure_ascii=False).encode()
    response = _upload(client, source, "result.json", data)
    assert response.status_code == 200
    assert "2 new items were added." in _page(response)
    assert Item.objects.filter(source=source).count() == 2
    response = _upload(client, source, "result.json", data)
    assert "0 new items were added." in _page(response)


def test_a_vendor_sheet_upload_lists_the_skipped_rows(client, login, users):
    source = make_source(kind=Source.Kind.VENDOR, url="")
    login(users["admin"])
    response = _upload(client, source, "vendor.xlsx", xlsx_with_title_row())
    page = _page(response)
    assert "2 new items were added." in page
    assert "1 row was skipped:" in page and "Row 7" in page


@pytest.mark.parametrize(
    ("kind", "name", "data", "message"),
    [
        (Source.Kind.TELEGRAM, "result.json", b"<html>not json</html>", "not a Telegram channel"),
        (Source.Kind.TELEGRAM, "photo.jpg", b"\xff\xd8\xff\xe0 jpeg", "not a Telegram channel"),
        (
            Source.Kind.VENDOR,
            "list.csv",
            "Имя;Телефон\r\nАйгүл;+77010000000\r\n".encode(),
            "found no table of posts",
        ),
        (Source.Kind.VENDOR, "scan.pdf", b"%PDF-1.4 scan", "PDF document"),
        (Source.Kind.VENDOR, "empty.csv", b"", "The submitted file is empty."),
    ],
)
def test_a_bad_upload_gets_a_message_and_stores_nothing(
    client, login, users, kind, name, data, message
):
    source = make_source(kind=kind, url="")
    login(users["analyst"])
    response = _upload(client, source, name, data)
    assert response.status_code == 400
    assert message in _page(response)
    assert not Item.objects.exists() and not SourceFetch.objects.exists()


def test_an_upload_past_the_limit_is_stopped_early(client, login, users, settings):
    settings.IMPORT_MAX_BYTES = 2048
    source = make_source(kind=Source.Kind.TELEGRAM, url="")
    login(users["analyst"])
    response = _upload(client, source, "result.json", b"{" + b" " * 10_000 + b"}")
    assert response.status_code == 400
    assert "The file is larger than 1 MB. Split it into smaller files." in _page(response)
    assert not Item.objects.exists()


def test_a_fetched_source_takes_no_upload(client, login, users):
    source = make_source(url="https://ulys.kz/rss")
    login(users["analyst"])
    response = client.get(f"{BASE}/sources/{source.pk}/upload/")
    assert response.status_code == 302


# --- Items typed by hand -------------------------------------------------------------------------


def test_a_coordinator_types_an_item_in_their_region(client, login, users):
    login(users["coordinator_pavlodar"])
    page = _page(client.get(f"{BASE}/items/enter/"))
    assert region("KZ-55").name in page and region("KZ-75").name not in page
    response = client.post(
        f"{BASE}/items/enter/",
        {
            "title": "Собрание жителей в Экибастузе",
            "text": "Жители обсудили спор о языке вывесок.",
            "url": "https://ekibastuz.kz/1",
            "published_at": "2026-03-02T10:00",
            "region": str(region("KZ-55").pk),
        },
    )
    item = Item.objects.get()
    assert response.status_code == 302
    assert (item.title, item.source.kind, item.entered_by) == (
        "Собрание жителей в Экибастузе",
        Source.Kind.MANUAL,
        users["coordinator_pavlodar"],
    )
    assert list(item.places.values_list("region__iso", flat=True)) == ["KZ-55"]


def test_a_coordinator_cannot_type_an_item_for_another_region(client, login, users):
    login(users["coordinator_pavlodar"])
    response = client.post(
        f"{BASE}/items/enter/", {"title": "Чужое", "region": str(region("KZ-75").pk)}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in _page(response)
    assert not Item.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"url": "not an address"}, "Enter a valid URL."),
        ({"published_at": "yesterday"}, "Enter a valid date/time."),
    ],
)
def test_a_bad_typed_item_gets_a_message(client, login, users, fields, message):
    login(users["analyst"])
    data = {"title": "Заголовок", "text": "", "url": "", "published_at": "", "region": ""}
    data.update(fields)
    response = client.post(f"{BASE}/items/enter/", data)
    assert response.status_code == 400 and message in _page(response)
    assert not Item.objects.exists()


@freeze_time(NOW)
def test_a_typed_item_dated_in_the_future_is_refused(client, login, users):
    login(users["analyst"])
    response = client.post(
        f"{BASE}/items/enter/", {"title": "Завтрашнее", "published_at": "2026-03-05T10:00"}
    )
    assert response.status_code == 400
    assert "The publication time cannot be in the future." in _page(response)


def test_the_pages_render_in_kazakh_the_default_language(client, login, users):
    feed = make_source(url="https://ulys.kz/rss", last_error="timeout", failures=1)
    channel = make_source(kind=Source.Kind.TELEGRAM, url="")
    make_item(feed)
    login(users["admin"])
    for url in (
        "/kk/workspace/monitoring/sources/",
        f"/kk/workspace/monitoring/sources/{feed.pk}/",
        "/kk/workspace/monitoring/sources/new/",
        f"/kk/workspace/monitoring/sources/{feed.pk}/edit/",
        f"/kk/workspace/monitoring/sources/{channel.pk}/upload/",
        "/kk/workspace/monitoring/items/enter/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="kk"' in _page(response)
