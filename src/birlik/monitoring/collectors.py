"""Readers of what sources publish, each turning bytes into ``ParsedItem``s: RSS/Atom feeds,
news sitemaps, article pages, Telegram Desktop channel exports and monitoring vendors'
spreadsheets. They only parse: fetching is ``fetching``'s, storing is ``services``'.

An author is never kept by name: the public handle of an outlet stays as it is, anything else
(a journalist's byline, a blogger's account, a channel known only by its title) becomes
``author_key(handle)``, a keyed digest that lets items of one author be counted together.
"""

from __future__ import annotations

import calendar
import datetime
import gzip
import hashlib
import hmac
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from birlik.core import cleaning, spreadsheets
from birlik.core.errors import DomainError
from birlik.core.spreadsheets import FieldSpec

from . import fetching

__all__ = [
    "MIN_ARTICLE_CHARS",
    "CollectError",
    "ParsedItem",
    "Sitemap",
    "VendorSheet",
    "author_key",
    "html_to_text",
    "parse_article",
    "parse_feed",
    "parse_sitemap",
    "parse_telegram",
    "parse_vendor_sheet",
    "telegram_handle",
]

MIN_ARTICLE_CHARS = 200
TEXT_LIMIT = 20_000
TITLE_LIMIT = 500
URL_LIMIT = 1000
GUID_LIMIT = 500
AUTHOR_KEY_LENGTH = 32
SITEMAP_MAX_ENTRIES = 5000


class CollectError(DomainError):
    """What was read is not what the source should give (not a feed, not a sitemap, not a
    Telegram export, a sheet without the columns): ``code`` is stored, ``message`` shown."""

    def __init__(self, code: str, message: Any) -> None:
        super().__init__(message, field="file")
        self.code = code


@dataclass
class ParsedItem:
    """One item as a source gives it, ready to be stored."""

    guid: str
    url: str = ""
    title: str = ""
    text: str = ""
    published_at: datetime.datetime | None = None  # aware; None: not said
    author_key: str = ""
    language: str = ""  # a hint (kk, ru, en) or ""
    needs_page: bool = False  # only a link: the article page gives the text
    no_article: bool = False  # a page was read and holds no article


# --- Small helpers -----------------------------------------------------------------------------


def author_key(handle: str) -> str:
    """The key an author is counted by without their name being kept: an HMAC of the handle
    (case and spaces ignored) with the site's secret key."""
    normalised = " ".join(str(handle).split()).casefold()
    digest = hmac.new(settings.SECRET_KEY.encode(), normalised.encode(), hashlib.sha256)
    return digest.hexdigest()[:AUTHOR_KEY_LENGTH]


def _outlet(url: str) -> str:
    """An outlet's public handle: the host of its site, without ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")[:100]


_LANGUAGES = {"kk": "kk", "kz": "kk", "kaz": "kk", "qaz": "kk", "ru": "ru", "rus": "ru"}
_LANGUAGES |= {"en": "en", "eng": "en"}


def _language(value: Any) -> str:
    """kk, ru or en from a language tag ("ru-RU", "kz", "eng"); "" for any other."""
    code = str(value or "").strip().lower().replace("_", "-").split("-", 1)[0]
    return _LANGUAGES.get(code, "")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _guid(value: str) -> str:
    value = value.strip()
    if len(value) <= GUID_LIMIT:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def _url(value: Any) -> str:
    text = str(value or "").strip()
    if len(text) > URL_LIMIT or urlsplit(text).scheme.lower() not in {"http", "https"}:
        return ""
    return text


def _first_line(text: str, limit: int = 200) -> str:
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return _clip(line, limit)
    return ""


def _clean_text(text: str) -> str:
    """Paragraphs kept, runs of spaces made one, at most ``TEXT_LIMIT`` characters."""
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    joined = "\n".join(line for line in lines if line)
    return joined[:TEXT_LIMIT]


_BLOCKS = frozenset(
    {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "section"}
)
_DROPPED = ("script", "style", "iframe", "noscript", "template", "object", "embed")


def html_to_text(html: str) -> str:
    """The text of an HTML fragment (a feed's summary): tags dropped, scripts and styles with
    their content, paragraphs kept as lines."""
    if not html or not html.strip():
        return ""
    if "<" not in html:
        return _clean_text(html)
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return _clean_text(re.sub(r"<[^>]*>", " ", html))
    for element in root.iter(*_DROPPED):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
    return _clean_text(root.text_content())


def _aware(value: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _from_struct(value: Any) -> datetime.datetime | None:
    """feedparser's dates are UTC ``time.struct_time``s."""
    if not value:
        return None
    try:
        return datetime.datetime.fromtimestamp(calendar.timegm(value), tz=datetime.UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _from_text(value: Any) -> datetime.datetime | None:
    """A date or date-time as sites and sheets write it (ISO 8601, dd.mm.yyyy [hh:mm], or a
    day with a month's name); a date alone is midnight in Birlik's time zone."""
    if isinstance(value, datetime.datetime):
        return _aware(value)
    if isinstance(value, datetime.date):
        return _aware(datetime.datetime.combine(value, datetime.time()))
    text = cleaning.clean_text(value)
    if not text:
        return None
    try:
        return _aware(datetime.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    if found := _DAY_FIRST_TIME.match(text):
        day, month, year, hour, minute, second = found.groups()
        try:
            return _aware(
                datetime.datetime(
                    int(year) if len(year) == 4 else 2000 + int(year),
                    int(month),
                    int(day),
                    int(hour),
                    int(minute),
                    int(second or 0),
                )
            )
        except ValueError:
            return None
    try:
        return _from_text(cleaning.parse_date(text))
    except ValueError:
        return None


_DAY_FIRST_TIME = re.compile(
    r"^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?$"
)


# --- RSS and Atom ------------------------------------------------------------------------------

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def _as_utf8_xml(data: bytes, content_type: str) -> bytes:
    """The feed decoded by our own rules (a cp1251 feed without a charset decodes right) and
    given to the parser as UTF-8 without an encoding declaration to contradict it."""
    text = fetching.decode(data, content_type).lstrip("\ufeff")
    return _XML_DECLARATION.sub("", text, count=1).encode("utf-8")


def parse_feed(data: bytes, *, url: str = "", content_type: str = "") -> list[ParsedItem]:
    """The entries of an RSS or Atom feed. A broken (bozo) feed still gives the entries read
    before the break; entries without a link or a title are skipped."""
    import feedparser

    parsed = feedparser.parse(
        io.BytesIO(_as_utf8_xml(data, content_type)),  # a stream: never read as a file name
        response_headers={
            "content-type": "application/xml; charset=utf-8",
            "content-location": url,
        },
        sanitize_html=True,
        resolve_relative_uris=True,
    )
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise CollectError("not_a_feed", _("The address does not give an RSS or Atom feed."))
    feed_language = _language(parsed.feed.get("language"))
    outlet = _outlet(url)
    items = []
    for entry in parsed.entries:
        link = _url(entry.get("link"))
        title = " ".join(html_to_text(entry.get("title", "")).split())
        if not link or not title:
            continue
        contents = entry.get("content") or []
        body = contents[0].get("value", "") if contents else entry.get("summary", "")
        text = html_to_text(body)
        byline = str(entry.get("author", "") or "").strip()
        items.append(
            ParsedItem(
                guid=_guid(str(entry.get("id") or link)),
                url=link,
                title=_clip(title, TITLE_LIMIT),
                text=text,
                published_at=_from_struct(
                    entry.get("published_parsed") or entry.get("updated_parsed")
                ),
                author_key=author_key(byline) if byline else outlet,
                language=_language(entry.get("language")) or feed_language,
                needs_page=not text,
            )
        )
    return items


# --- Sitemaps ----------------------------------------------------------------------------------


@dataclass
class Sitemap:
    """A sitemap's news (``items``, links to read) or, for a sitemap index, its sitemaps."""

    items: list[ParsedItem] = field(default_factory=list)
    sitemaps: list[tuple[str, datetime.datetime | None]] = field(default_factory=list)


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(element: Any, *path: str) -> str:
    current = element
    for name in path:
        current = next((c for c in current if _local(c.tag) == name), None)
        if current is None:
            return ""
    return " ".join((current.text or "").split())


def _xml_root(data: bytes) -> Any:
    import lxml.etree

    if data[:2] == b"\x1f\x8b":  # sitemap.xml.gz
        limit = int(fetching.setting("MONITORING_MAX_BYTES"))
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as unpacked:
                data = unpacked.read(limit + 1)
        except (OSError, EOFError) as error:
            raise CollectError("not_a_sitemap", _not_a_sitemap()) from error
        if len(data) > limit:
            raise CollectError("too_large", fetching.error_message("too_large"))
    # Entities are never expanded and nothing is fetched: no XXE, no "billion laughs".
    parser = lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
    )
    try:
        return lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as error:
        raise CollectError("not_a_sitemap", _not_a_sitemap()) from error


def _not_a_sitemap() -> str:
    return _("The address does not give a sitemap (urlset or sitemapindex).")


def parse_sitemap(data: bytes) -> Sitemap:
    """A news sitemap (``<urlset>``, with ``news:title`` and ``news:publication_date`` when
    the site gives them) or a sitemap index (``<sitemapindex>``), read with entities off."""
    root = _xml_root(data)
    kind = _local(root.tag)
    result = Sitemap()
    if kind == "sitemapindex":
        for element in root:
            if _local(element.tag) == "sitemap" and (loc := _url(_child_text(element, "loc"))):
                result.sitemaps.append((loc, _from_text(_child_text(element, "lastmod"))))
        return result
    if kind != "urlset":
        raise CollectError("not_a_sitemap", _not_a_sitemap())
    for element in root:
        if _local(element.tag) != "url":
            continue
        loc = _url(_child_text(element, "loc"))
        if not loc:
            continue
        published = _from_text(_child_text(element, "news", "publication_date")) or _from_text(
            _child_text(element, "lastmod")
        )
        result.items.append(
            ParsedItem(
                guid=_guid(loc),
                url=loc,
                title=_clip(_child_text(element, "news", "title"), TITLE_LIMIT),
                published_at=published,
                author_key=_outlet(loc),
                language=_language(_child_text(element, "news", "publication", "language")),
                needs_page=True,
            )
        )
        if len(result.items) >= SITEMAP_MAX_ENTRIES:
            break
    return result


# --- Article pages -----------------------------------------------------------------------------

_HTML_LANG = re.compile(r"""<html[^>]*\slang\s*=\s*["']?([A-Za-z-]+)""", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def parse_article(data: bytes, *, url: str, content_type: str = "") -> ParsedItem:
    """The article of a page (trafilatura, precision first). A page with less than
    ``MIN_ARTICLE_CHARS`` characters of article text is marked ``no_article``: menus, lists
    of links and cookie walls are not news."""
    import trafilatura

    html = fetching.decode(data, content_type)
    text = trafilatura.extract(
        html,
        url=url or None,
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        deduplicate=False,
    )
    text = _clean_text(text or "")
    metadata = trafilatura.extract_metadata(html, default_url=url or None)
    title = str(getattr(metadata, "title", "") or "")
    if not title and (found := _TITLE.search(html[:20000])):
        title = html_to_text(found.group(1))
    byline = str(getattr(metadata, "author", "") or "").strip()
    found_lang = _HTML_LANG.search(html[:5000])
    return ParsedItem(
        guid=_guid(url),
        url=_url(url),
        title=_clip(" ".join(title.split()), TITLE_LIMIT),
        text=text if len(text) >= MIN_ARTICLE_CHARS else "",
        published_at=_from_text(getattr(metadata, "date", "") or ""),
        author_key=author_key(byline) if byline else _outlet(url),
        language=_language(found_lang.group(1)) if found_lang else "",
        no_article=len(text) < MIN_ARTICLE_CHARS,
    )


# --- Telegram Desktop exports ------------------------------------------------------------------

_TELEGRAM_LINK = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?:s/)?([A-Za-z][A-Za-z0-9_]{3,31})/?$"
)
NOT_TELEGRAM = gettext_lazy(
    "The file is not a Telegram channel export. In Telegram Desktop open the channel, choose "
    "“Export chat history”, select the JSON format and upload the result.json file."
)


def telegram_handle(url: str) -> str:
    """The public handle (``@name``) of a channel from its address (t.me/name), or ""."""
    found = _TELEGRAM_LINK.match((url or "").strip())
    return f"@{found.group(1)}" if found else ""


def _message_text(value: Any) -> str:
    """A message's ``text``: a string, or a list of strings and entities ({"type", "text"})."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        parts = []
        for part in value:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, dict) and isinstance(part.get("text"), str):
                parts.append(part["text"])
        return "".join(parts)
    return ""


def _message_time(message: dict[str, Any]) -> datetime.datetime | None:
    unix = message.get("date_unixtime")
    if isinstance(unix, (str, int)) and str(unix).isdigit():
        return datetime.datetime.fromtimestamp(int(unix), tz=datetime.UTC)
    # Without the Unix time, ``date`` is the exporting computer's local time: taken as Almaty's.
    return _from_text(message.get("date"))


def _telegram_export(data: bytes) -> dict[str, Any]:
    if data[:2] in {b"PK", b"\xd0\xcf"} or b"\x00" in data[:1024]:
        raise CollectError("not_telegram", NOT_TELEGRAM)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise CollectError("not_telegram", NOT_TELEGRAM) from error
    if isinstance(document, dict) and "chats" in document and "messages" not in document:
        raise CollectError(
            "not_telegram",
            _(
                "This is an export of a whole Telegram account. Export the history of the one "
                "channel instead (in the channel: “Export chat history”, JSON)."
            ),
        )
    if not isinstance(document, dict) or not isinstance(document.get("messages"), list):
        raise CollectError("not_telegram", NOT_TELEGRAM)
    return document


def parse_telegram(data: bytes, *, handle: str = "") -> list[ParsedItem]:
    """The posts of a Telegram Desktop channel export (``result.json``): service messages and
    posts without text skipped. The author is the channel's public handle when known (from
    the source's t.me address), else a digest of its title; a post's signature (a person's
    name) is never read."""
    document = _telegram_export(data)
    name = str(document.get("name") or "")
    channel = str(document.get("id") or author_key(name))
    author = handle or (author_key(name) if name else "")
    items = []
    for message in document["messages"]:
        if not isinstance(message, dict) or message.get("type", "message") != "message":
            continue
        number = message.get("id")
        text = _clean_text(_message_text(message.get("text")))
        if not text or not isinstance(number, int):
            continue
        items.append(
            ParsedItem(
                guid=f"tg:{channel}:{number}",
                url=f"https://t.me/{handle.removeprefix('@')}/{number}" if handle else "",
                title=_first_line(text),
                text=text,
                published_at=_message_time(message),
                author_key=author,
            )
        )
    return items


# --- Monitoring vendors' spreadsheets ----------------------------------------------------------

VENDOR_FIELDS = (
    FieldSpec(
        "date",
        gettext_lazy("Date"),
        (
            "Дата", "Күні", "Күн", "Дата публикации", "Дата и время", "Время публикации",
            "Жарияланған күні", "Жариялану күні", "Күні мен уақыты", "Date", "Published",
            "Publication date", "Date published", "Datetime",
        ),
    ),
    FieldSpec(
        "title",
        gettext_lazy("Title"),
        (
            "Заголовок", "Тақырып", "Тақырыбы", "Название", "Атауы", "Title", "Headline",
            "Заголовок публикации",
        ),
    ),
    FieldSpec(
        "text",
        pgettext_lazy("media item", "Text"),
        (
            "Текст", "Мәтін", "Мәтіні", "Содержание", "Мазмұны", "Текст публикации",
            "Текст сообщения", "Сообщение", "Пост", "Text", "Content", "Body", "Message",
            "Post", "Аннотация", "Фрагмент", "Snippet",
        ),
    ),
    FieldSpec(
        "url",
        gettext_lazy("Address (URL)"),
        (
            "Ссылка", "Сілтеме", "Сілтемесі", "URL", "Link", "Ссылка на публикацию",
            "Ссылка на пост", "Адрес", "Веб-адрес", "Web address",
        ),
    ),
    FieldSpec(
        "outlet",
        gettext_lazy("Outlet"),
        (
            "СМИ", "БАҚ", "Источник", "Дереккөз", "Издание", "Ресурс", "Площадка",
            "Басылым", "Outlet", "Source", "Media", "Publication",
        ),
    ),
    FieldSpec(
        "author",
        gettext_lazy("Author"),
        ("Автор", "Авторы", "Авторы публикации", "Блогер", "Пользователь", "Author", "Username"),
    ),
    FieldSpec("language", gettext_lazy("Language"), ("Язык", "Тілі", "Тіл", "Language")),
)  # fmt: skip


@dataclass
class VendorSheet:
    items: list[ParsedItem]
    skipped: list[tuple[int, str]]  # (line, why)


def _wrong_sheet() -> str:
    return _(
        "Birlik found no table of posts in this file. The sheet needs a row with column names "
        "such as «Дата», «Заголовок», «Текст», «Ссылка» (or Date, Title, Text, URL), with at "
        "least a date and a text or title column."
    )


def parse_vendor_sheet(data: bytes) -> VendorSheet:
    """The posts of a monitoring vendor's XLSX or CSV file, read like every import (the
    header found below a title, merged cells, dates as text, BOM, cp1251 and ``;``). A row
    needs a date and a title or a text; others are skipped with the reason."""
    try:
        head = list(spreadsheets.read_grid(data, first=spreadsheets.HEADER_SCAN))
        if spreadsheets.find_header(head, VENDOR_FIELDS) is None:
            raise CollectError("not_a_sheet", _wrong_sheet())
        table = spreadsheets.extract(data, VENDOR_FIELDS)
    except spreadsheets.ImportFileError as error:  # not a spreadsheet: the message says what
        raise CollectError("not_a_sheet", error.message) from error
    mapped = set(table.mapping.values())
    if "date" not in mapped or not mapped & {"title", "text"}:
        raise CollectError("not_a_sheet", _wrong_sheet())
    items: list[ParsedItem] = []
    skipped = list(table.skipped)
    for line, row in table.rows:
        item = _vendor_item(row)
        if isinstance(item, str):
            skipped.append((line, item))
        else:
            items.append(item)
    return VendorSheet(items=items, skipped=skipped)


def _vendor_item(row: dict[str, str]) -> ParsedItem | str:
    title, text = row.get("title", ""), _clean_text(row.get("text", ""))
    if not title and not text:
        return _("Neither a title nor a text: skipped.")
    published = _from_text(row.get("date", ""))
    if published is None:
        return _("The date «%(date)s» is not understood: skipped.") % {
            "date": row.get("date", "")[:40]
        }
    url = _url(row.get("url", ""))
    byline, outlet = row.get("author", "").strip(), row.get("outlet", "").strip()
    guid = (
        url
        or "sheet:"
        + hashlib.sha256("\n".join((published.isoformat(), title, text)).encode()).hexdigest()[:40]
    )
    return ParsedItem(
        guid=_guid(guid),
        url=url,
        title=_clip(title or _first_line(text), TITLE_LIMIT),
        text=text,
        published_at=published,
        # A byline or an account is a person's: only its digest is kept; an outlet is public.
        author_key=author_key(byline) if byline else outlet[:100],
        language=_language(row.get("language", "")),
    )


def unique(items: Iterable[ParsedItem]) -> list[ParsedItem]:
    """The items with the first of each guid kept (a feed may repeat an entry)."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.guid and item.guid not in seen:
            seen.add(item.guid)
            kept.append(item)
    return kept
