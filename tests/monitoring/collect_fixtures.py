"""Fixtures of the collection tests: the local fixture site, settings that point the fetcher at
it, and a guard that fails any connection leaving 127.0.0.1.

Test modules import what they use (``from .collect_fixtures import site_fixture``): each
fixture is registered under its short name (``site``, ``local_only``, ``fixture_server``)."""

from __future__ import annotations

import errno
import io
import ipaddress
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest

from birlik.monitoring import fetching

from .fixture_server import FixtureServer

LOCAL_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def _service_hosts() -> set[str]:
    """The database and Redis the suite may be told to use (the CI's second stage)."""
    from django.conf import settings

    hosts = {str(db.get("HOST") or "") for db in settings.DATABASES.values()}
    redis = str(getattr(settings, "REDIS_URL", "") or "")
    if redis:
        hosts.add(urlsplit(redis).hostname or "")
    return {host for host in hosts if host}


def _literal(host: Any) -> bool:
    try:
        ipaddress.ip_address(str(host).split("%", 1)[0])
    except ValueError:
        return False
    return True


@pytest.fixture(autouse=True, name="local_only")
def local_only_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every socket connection and name lookup of the test must stay on this machine; an
    attempt to go further is refused and fails the test. Yields the list of attempts."""
    attempts: list[Any] = []
    allowed = LOCAL_HOSTS | _service_hosts()
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(sock: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and str(address[0]) not in allowed:
            attempts.append(address)
            raise OSError(errno.ENETUNREACH, "tests never leave 127.0.0.1")
        return real_connect(sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and str(host) not in allowed and not _literal(host):
            attempts.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "tests never look names up")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    assert not attempts, f"the test tried to leave 127.0.0.1: {attempts}"


@pytest.fixture(scope="session", name="fixture_server")
def fixture_server_fixture() -> Iterator[FixtureServer]:
    server = FixtureServer().start()
    yield server
    server.stop()


@pytest.fixture(name="site")
def site_fixture(fixture_server: FixtureServer, settings: Any) -> Iterator[FixtureServer]:
    """The fixture site, emptied, with the fetcher allowed to read it: private addresses
    allowed (it is 127.0.0.1), no wait between requests, short timeouts, robots forgotten."""
    fixture_server.reset()
    settings.MONITORING_ALLOW_PRIVATE_HOSTS = True
    settings.MONITORING_HOST_INTERVAL_SECONDS = 0
    settings.MONITORING_CONNECT_TIMEOUT = 2
    settings.MONITORING_READ_TIMEOUT = 2
    fetching.forget_robots()
    yield fixture_server
    fetching.forget_robots()
    fixture_server.reset()


# --- What the fixture site serves ----------------------------------------------------------------

PARAGRAPH_RU = (
    "В Доме дружбы Павлодарской области прошёл областной праздник единства народа "
    "Казахстана. Этнокультурные объединения представили песни, танцы и национальные блюда, "
    "а ветераны рассказали молодёжи о традициях добрососедства."
)


def rss(*items: tuple[str, str, str], language: str = "ru", declaration: str = "") -> str:
    """An RSS 2.0 feed of (title, link, description) items."""
    entries = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<description>{description}</description>"
        f"<pubDate>Mon, 02 Mar 2026 10:00:00 +0500</pubDate>"
        f"<author>reporter@example.kz (Иван Петров)</author></item>"
        for title, link, description in items
    )
    return (
        f'{declaration}<rss version="2.0"><channel><title>Новости региона</title>'
        f"<link>http://127.0.0.1/</link><language>{language}</language>{entries}"
        f"</channel></rss>"
    )


def atom(*entries: tuple[str, str, str]) -> str:
    """An Atom feed of (title, link, content) entries."""
    body = "".join(
        f'<entry><title>{title}</title><link href="{link}"/><id>{link}</id>'
        f"<updated>2026-03-02T05:00:00Z</updated>"
        f'<content type="html">{content}</content></entry>'
        for title, link, content in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="kk">'
        "<title>Жаңалықтар</title><id>urn:feed</id><updated>2026-03-02T05:00:00Z</updated>"
        f"{body}</feed>"
    )


def article(title: str = "Праздник единства в Павлодаре", paragraphs: int = 3) -> bytes:
    text = "".join(f"<p>{PARAGRAPH_RU} Абзац {n}.</p>" for n in range(paragraphs))
    return (
        '<!doctype html><html lang="ru"><head><meta charset="utf-8">'
        f"<title>{title} | Новости</title>"
        '<meta property="article:published_time" content="2026-03-02T10:00:00+05:00">'
        '<meta name="author" content="Иван Петров"></head><body>'
        '<nav><a href="/">Главная</a> <a href="/news">Новости</a></nav>'
        f"<article><h1>{title}</h1>{text}</article><footer>© 2026</footer></body></html>"
    ).encode()


def menu_page() -> bytes:
    links = "".join(
        f'<li><a href="/news/{n}">Новость номер {n} о жизни региона</a></li>' for n in range(40)
    )
    return f"<!doctype html><html><body><ul>{links}</ul></body></html>".encode()


def sitemap(*urls: tuple[str, str, str]) -> bytes:
    """A news sitemap of (loc, title, publication date) entries."""
    body = "".join(
        f"<url><loc>{loc}</loc><news:news><news:publication><news:name>Ulys</news:name>"
        f"<news:language>ru</news:language></news:publication>"
        f"<news:publication_date>{date}</news:publication_date>"
        f"<news:title>{title}</news:title></news:news></url>"
        for loc, title, date in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{body}</urlset>"
    ).encode()


def sitemap_index(*locs: tuple[str, str]) -> bytes:
    body = "".join(
        f"<sitemap><loc>{loc}</loc><lastmod>{lastmod}</lastmod></sitemap>" for loc, lastmod in locs
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}'
        "</sitemapindex>"
    ).encode()


def telegram_export() -> dict[str, Any]:
    """A Telegram Desktop channel export: a plain post, a post with entities, a service
    message, a photo without text, and a signed post (the signature is a person's name)."""
    return {
        "name": "Ulys News",
        "type": "public_channel",
        "id": 1234567890,
        "messages": [
            {
                "id": 1,
                "type": "service",
                "date": "2026-03-01T09:00:00",
                "date_unixtime": "1772337600",
                "actor": "Ulys News",
                "action": "create_channel",
                "title": "Ulys News",
                "text": "",
            },
            {
                "id": 2,
                "type": "message",
                "date": "2026-03-02T10:00:00",
                "date_unixtime": "1772427600",
                "from": "Ulys News",
                "from_id": "channel1234567890",
                "text": (
                    "Павлодарда достық апталығы басталды\nБарлық этномәдени бірлестіктер қатысады."
                ),
            },
            {
                "id": 3,
                "type": "message",
                "date": "2026-03-02T11:30:00",
                "date_unixtime": "1772433000",
                "from": "Ulys News",
                "author": "Айгүл Серікова",
                "text": [
                    "В Алматы прошёл ",
                    {"type": "bold", "text": "форум молодёжи"},
                    " Ассамблеи. Подробнее: ",
                    {"type": "link", "text": "https://example.kz/forum"},
                ],
            },
            {
                "id": 4,
                "type": "message",
                "date": "2026-03-02T12:00:00",
                "date_unixtime": "1772434800",
                "photo": "photos/photo_1.jpg",
                "text": "",
            },
        ],
    }


def xlsx_with_title_row() -> bytes:
    """A vendor's sheet: a title and an "as of" line above the header, dates as text."""
    import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Мониторинг СМИ: упоминания Ассамблеи"])
    sheet.append(["по состоянию на 03.03.2026"])
    sheet.append([])
    sheet.append(["№", "Дата", "СМИ", "Заголовок", "Текст", "Ссылка", "Автор"])
    sheet.append(
        [
            1,
            "02.03.2026 14:30",
            "Kazinform",
            "Форум в Астане",
            "Делегаты обсудили единство.",
            "https://example.kz/a",
            "",
        ]
    )
    sheet.append(
        [
            2,
            datetime.datetime(2026, 3, 1, 9, 15),
            "",
            "",
            "Пост блогера о празднике Наурыз",
            "",
            "@blogger_kz",
        ]
    )
    sheet.append([3, "не дата", "Tengri", "Без даты", "Текст", "https://example.kz/c", ""])
    sheet.merge_cells("A1:G1")
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def csv_cp1251() -> bytes:
    return (
        "Дата;Источник;Заголовок;Текст;Ссылка\r\n"
        "01.03.2026;Хабар;Новости дня;В Павлодаре открылся Дом дружбы;https://example.kz/h1\r\n"
        "02.03.2026;Хабар;Погода;;https://example.kz/h2\r\n"
    ).encode("cp1251")
