"""The collectors on the bytes sources give: feeds (RSS 2.0, Atom, broken, cp1251), sitemaps,
article pages, Telegram exports and vendors' sheets. Authors' names are never kept."""

from __future__ import annotations

import datetime
import gzip
import json

import pytest

from birlik.monitoring import collectors
from birlik.monitoring.collectors import CollectError

from .collect_fixtures import (
    PARAGRAPH_RU,
    article,
    atom,
    csv_cp1251,
    local_only_fixture,  # noqa: F401 - a fixture
    menu_page,
    rss,
    sitemap,
    sitemap_index,
    telegram_export,
    xlsx_with_title_row,
)

UTC = datetime.UTC


def test_rss_entries_become_items_with_clean_text_and_a_hashed_author():
    feed = rss(
        (
            "Праздник в Павлодаре",
            "https://ulys.kz/news/1",
            "&lt;p&gt;Первый &lt;b&gt;абзац&lt;/b&gt;&lt;/p&gt;&lt;script&gt;steal()&lt;/script&gt;"
            "&lt;p&gt;Второй абзац&lt;/p&gt;",
        )
    )
    [item] = collectors.parse_feed(feed.encode(), url="https://ulys.kz/rss")
    assert item.title == "Праздник в Павлодаре"
    assert item.url == item.guid == "https://ulys.kz/news/1"
    assert item.text == "Первый абзац\nВторой абзац"
    assert item.published_at == datetime.datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    assert item.language == "ru"
    assert item.author_key == collectors.author_key("reporter@example.kz (Иван Петров)")
    assert "Иван" not in item.author_key and len(item.author_key) == 32
    assert not item.needs_page


def test_atom_entries_are_read_with_their_language():
    feed = atom(("Достық үйінде мереке", "https://ulys.kz/kk/1", "&lt;p&gt;Мәтін&lt;/p&gt;"))
    [item] = collectors.parse_feed(feed.encode(), url="https://ulys.kz/atom")
    assert (item.title, item.url, item.text) == (
        "Достық үйінде мереке",
        "https://ulys.kz/kk/1",
        "Мәтін",
    )
    assert item.language == "kk"
    assert item.published_at == datetime.datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    assert item.author_key == "ulys.kz"  # no byline: the outlet's public handle


def test_entries_without_a_link_or_a_title_are_skipped():
    feed = rss(
        ("", "https://ulys.kz/news/1", "text"),
        ("Title", "", "text"),
        ("Kept", "https://ulys.kz/2", "x"),
    )
    assert [item.title for item in collectors.parse_feed(feed.encode())] == ["Kept"]


def test_a_truncated_feed_still_gives_the_entries_before_the_break():
    entries = [(f"Новость {n}", f"https://ulys.kz/news/{n}", PARAGRAPH_RU) for n in range(30)]
    whole = rss(*entries).encode()
    items = collectors.parse_feed(whole[: len(whole) * 2 // 3], url="https://ulys.kz/rss")
    assert 15 <= len(items) < 30
    assert items[0].title == "Новость 0" and items[0].text.startswith("В Доме дружбы")


def test_a_cp1251_feed_without_a_declared_charset_decodes_right():
    feed = rss(("Заголовок новости", "https://ulys.kz/1", "Текст новости о Павлодаре"))
    [item] = collectors.parse_feed(feed.encode("cp1251"), url="https://ulys.kz/rss")
    assert item.title == "Заголовок новости" and item.text == "Текст новости о Павлодаре"


def test_a_feed_wrongly_declaring_utf8_is_read_by_its_bytes():
    feed = rss(
        ("Заголовок", "https://ulys.kz/1", "Текст новости"),
        declaration='<?xml version="1.0" encoding="utf-8"?>',
    )
    [item] = collectors.parse_feed(feed.encode("cp1251"))
    assert item.title == "Заголовок"


def test_an_entry_without_a_body_asks_for_its_page():
    [item] = collectors.parse_feed(rss(("Только заголовок", "https://ulys.kz/1", "")).encode())
    assert item.text == "" and item.needs_page


def test_a_page_that_is_not_a_feed_is_refused():
    with pytest.raises(CollectError) as caught:
        collectors.parse_feed(b"<html><body><p>Hello</p></body></html>")
    assert caught.value.code == "not_a_feed"


def test_a_news_sitemap_gives_links_titles_and_dates():
    data = sitemap(
        ("https://ulys.kz/news/1", "Форум в Астане", "2026-03-02T10:00:00+05:00"),
        ("https://ulys.kz/news/2", "Наурыз", "2026-03-01"),
    )
    result = collectors.parse_sitemap(data)
    assert result.sitemaps == []
    first, second = result.items
    assert (first.url, first.title, first.language) == (
        "https://ulys.kz/news/1",
        "Форум в Астане",
        "ru",
    )
    assert first.published_at == datetime.datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    assert second.published_at.date() == datetime.date(2026, 3, 1)
    assert all(item.needs_page for item in result.items)


def test_a_sitemap_index_lists_its_sitemaps():
    data = sitemap_index(
        ("https://ulys.kz/sitemap-news-1.xml", "2026-03-01"),
        ("https://ulys.kz/sitemap-news-2.xml", "2026-03-02"),
    )
    result = collectors.parse_sitemap(data)
    assert result.items == []
    assert [url for url, _when in result.sitemaps] == [
        "https://ulys.kz/sitemap-news-1.xml",
        "https://ulys.kz/sitemap-news-2.xml",
    ]


def test_a_gzipped_sitemap_is_read():
    data = gzip.compress(sitemap(("https://ulys.kz/n/1", "Title", "2026-03-02")))
    assert [item.url for item in collectors.parse_sitemap(data).items] == ["https://ulys.kz/n/1"]


def test_a_sitemap_never_expands_entities_nor_reads_files(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = (
        f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        "<loc>https://ulys.kz/1</loc><news:news><news:title>T &xxe;</news:title></news:news>"
        "</url></urlset>"
    ).encode()
    [item] = collectors.parse_sitemap(data).items
    assert "TOP-SECRET" not in item.title


def test_something_else_is_not_a_sitemap():
    with pytest.raises(CollectError) as caught:
        collectors.parse_sitemap(b"<html><body>no</body></html>")
    assert caught.value.code == "not_a_sitemap"
    with pytest.raises(CollectError):
        collectors.parse_sitemap(b"not xml at all")


def test_an_article_page_gives_its_text_title_and_date_but_not_its_menu():
    item = collectors.parse_article(article(), url="https://ulys.kz/news/1")
    assert not item.no_article
    assert item.title == "Праздник единства в Павлодаре"
    assert "Доме дружбы" in item.text and len(item.text) >= collectors.MIN_ARTICLE_CHARS
    assert "Главная" not in item.text and "© 2026" not in item.text
    assert item.published_at is not None and item.published_at.date() == datetime.date(2026, 3, 2)
    assert item.language == "ru"
    assert item.author_key == collectors.author_key("Иван Петров")


def test_a_page_without_an_article_is_marked_so():
    item = collectors.parse_article(menu_page(), url="https://ulys.kz/")
    assert item.no_article and item.text == ""


def test_a_short_page_is_not_an_article():
    item = collectors.parse_article(
        b"<html><body><article><p>Too short to be news.</p></article></body></html>",
        url="https://ulys.kz/short",
    )
    assert item.no_article


def test_a_telegram_export_gives_its_posts_without_service_messages_or_signatures():
    data = json.dumps(telegram_export(), ensure_ascii=False).encode()
    items = collectors.parse_telegram(data, handle="@ulys_news")
    assert [item.guid for item in items] == ["tg:1234567890:2", "tg:1234567890:3"]
    plain, rich = items
    assert plain.title == "Павлодарда достық апталығы басталды"
    assert plain.text.endswith("Барлық этномәдени бірлестіктер қатысады.")
    assert plain.published_at == datetime.datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
    assert (
        rich.text == "В Алматы прошёл форум молодёжи Ассамблеи. Подробнее: https://example.kz/forum"
    )
    assert rich.url == "https://t.me/ulys_news/3"
    assert {item.author_key for item in items} == {"@ulys_news"}
    assert all(
        "Айгүл" not in value
        for item in items
        for value in vars(item).values()
        if isinstance(value, str)
    )


def test_a_telegram_channel_without_a_handle_is_known_by_a_digest_of_its_name():
    data = json.dumps(telegram_export(), ensure_ascii=False).encode()
    items = collectors.parse_telegram(data)
    assert {item.author_key for item in items} == {collectors.author_key("Ulys News")}
    assert all(item.url == "" for item in items)


def test_a_telegram_post_without_unix_time_is_read_in_almaty_time():
    export = telegram_export()
    del export["messages"][1]["date_unixtime"]
    [first, _second] = collectors.parse_telegram(json.dumps(export).encode())
    assert first.published_at == datetime.datetime(2026, 3, 2, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "data",
    [
        b"not json",
        b'{"name": "x"}',
        b"[1, 2]",
        b"PK\x03\x04rest of a zip",
        json.dumps({"chats": {"list": []}}).encode(),
    ],
)
def test_what_is_not_a_channel_export_is_refused(data):
    with pytest.raises(CollectError) as caught:
        collectors.parse_telegram(data)
    assert caught.value.code == "not_telegram"
    assert "Telegram" in str(caught.value.message)


@pytest.mark.django_db
def test_a_vendor_xlsx_with_a_title_row_gives_its_posts_and_skips_bad_rows():
    sheet = collectors.parse_vendor_sheet(xlsx_with_title_row())
    first, second = sheet.items
    assert (first.title, first.url, first.text) == (
        "Форум в Астане",
        "https://example.kz/a",
        "Делегаты обсудили единство.",
    )
    assert first.published_at == datetime.datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # 14:30 Almaty
    assert first.author_key == "Kazinform"  # an outlet is public
    assert second.title == "Пост блогера о празднике Наурыз"  # no title: the text's first line
    assert second.author_key == collectors.author_key("@blogger_kz")
    assert second.guid.startswith("sheet:")
    [(line, why)] = sheet.skipped
    assert line == 7 and "не дата" in why


@pytest.mark.django_db
def test_a_vendor_csv_in_cp1251_with_semicolons_is_read():
    sheet = collectors.parse_vendor_sheet(csv_cp1251())
    assert [item.title for item in sheet.items] == ["Новости дня", "Погода"]
    assert sheet.items[0].text == "В Павлодаре открылся Дом дружбы"
    assert sheet.items[0].author_key == "Хабар"
    assert sheet.items[0].published_at.date() == datetime.date(2026, 3, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        "Имя;Фамилия;Телефон\r\nАйгүл;Серікова;+77010000000\r\n".encode(),
        b"%PDF-1.4 a document",
        "Дата;Ссылка\r\n01.03.2026;https://example.kz/1\r\n".encode(),
    ],
)
def test_a_sheet_that_is_not_a_table_of_posts_is_refused(data):
    with pytest.raises(CollectError) as caught:
        collectors.parse_vendor_sheet(data)
    assert caught.value.code == "not_a_sheet"
