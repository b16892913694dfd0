"""Every write of early warning: sources and items, labels and models, alerts and their steps,
the journalists' club's register, the tension index. Each part keeps its own section."""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import statistics
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Model, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncWeek
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from birlik.access.models import AuditEntry, Role, User
from birlik.access.policies import require, scoped
from birlik.access.services import audit_record, diff, snapshot
from birlik.appeals.models import Appeal
from birlik.core import kpi, spreadsheets, uploads
from birlik.core.cleaning import clean_text, match_key
from birlik.core.errors import DomainError
from birlik.core.record_actions import RecordActions, evaluate
from birlik.core.spreadsheets import FieldSpec, ImportFileError
from birlik.geo.models import District, Region
from birlik.geo.names import PlaceIndex
from birlik.imports.rows import date_value
from birlik.mediation.queries import interethnic_cases_by_region_week
from birlik.notify.models import Notice
from birlik.notify.services import notice_queue
from birlik.registry.models import Organisation

from . import classifier, collectors, fetching
from .models import (
    RISK_TOPICS,
    Alert,
    AlertRule,
    AlertStep,
    AppealSignal,
    ClubPublication,
    Item,
    ItemPlace,
    KeywordRule,
    Label,
    Language,
    RiskModel,
    Source,
    SourceFetch,
    Story,
    TensionWeek,
    Topic,
)
from .policies import regions_of
from .queries import (
    TENSION_BASELINE_WEEKS,
    TOPIC_THRESHOLD,
    alerts_overdue,
    club_bodies,
    items_mentioning,
    items_over,
    main_places,
    stories_growing_for,
    story_main_place,
    tension_weights,
)

# --- Sources and collection (collect) ---------------------------------------------------------

# How a source is kept: the fields staff set (the politeness and health fields are the
# fetcher's), and the bounds of its schedule.
SOURCE_EDITABLE = (
    "name",
    "kind",
    "url",
    "language",
    "home_region",
    "club_member",
    "club_kind",
    "schedule_minutes",
    "retention_days",
    "enabled",
)
SOURCE_SCHEDULE_MINUTES = (2, 7 * 24 * 60)
SOURCE_RETENTION_DAYS = (1, 10 * 366)
# A failed fetch waits 2ⁿ minutes (n failures in a row), at most a day; a site's Retry-After
# is honoured up to a week.
SOURCE_BACKOFF_CAP = datetime.timedelta(hours=24)
SOURCE_RETRY_AFTER_CAP = datetime.timedelta(days=7)
# A claimed source is not due again for this long: a worker that died mid-fetch is retried.
SOURCE_CLAIM_LEASE = datetime.timedelta(minutes=15)
SOURCE_FETCH_LOG_DAYS = 30
COLLECT_DEFAULTS: dict[str, Any] = {
    "MONITORING_FETCHES_PER_TICK": 50,
    "MONITORING_FETCHES_PER_HOST": 3,
    "MONITORING_RETENTION_DAYS": 365,
    "MONITORING_ARTICLES_PER_FETCH": 10,
    "MONITORING_SITEMAP_CHILDREN": 5,
    "MONITORING_SITEMAP_MAX_AGE_DAYS": 7,
}


def collect_setting(name: str) -> Any:
    """A setting of collection, read at each call; the defaults are in ``COLLECT_DEFAULTS``."""
    return getattr(settings, name, COLLECT_DEFAULTS[name])


class SourceError(DomainError):
    """A source that cannot be saved, read or fed as asked, with what to do."""


# --- Sources


def _source_clean(values: dict[str, Any]) -> dict[str, Any]:
    """Check a source's fields whoever calls: views, the API, the shell."""
    unknown = set(values) - set(SOURCE_EDITABLE)
    if unknown:
        raise SourceError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if "name" in values:
        values["name"] = clean_text(values["name"])[:200]
        if not values["name"]:
            raise SourceError(_("Give the source a name."), field="name")
    if "kind" in values and values["kind"] not in Source.Kind.values:
        raise SourceError(_("Choose a kind of source."), field="kind")
    if "url" in values:
        values["url"] = str(values["url"] or "").strip()
    if "schedule_minutes" in values:
        low, high = SOURCE_SCHEDULE_MINUTES
        minutes = int(values["schedule_minutes"] or 0)
        if not low <= minutes <= high:
            raise SourceError(
                _("Fetch a source every %(low)s to %(high)s minutes.") % {"low": low, "high": high},
                field="schedule_minutes",
            )
    if values.get("retention_days") is not None:
        low, high = SOURCE_RETENTION_DAYS
        if not low <= int(values["retention_days"]) <= high:
            raise SourceError(
                _("Keep items for %(low)s to %(high)s days, or leave it empty for the default.")
                % {"low": low, "high": high},
                field="retention_days",
            )
    return values


def _source_check_address(source: Source) -> None:
    """A fetched source has an http(s) address (the fetcher refuses private ones when it
    reads them); a Telegram source may give its t.me address for the channel's handle."""
    if source.kind in Source.FETCHED:
        if not source.url:
            raise SourceError(_("Give the address of the feed, sitemap or page."), field="url")
        try:
            URLValidator(schemes=["http", "https"])(source.url)
        except ValidationError as error:
            raise SourceError(
                _("Give an address starting with http:// or https://."), field="url"
            ) from error
    elif source.url:
        try:
            URLValidator(schemes=["http", "https"])(source.url)
        except ValidationError as error:
            raise SourceError(
                _("Give an address starting with http:// or https://, or leave it empty."),
                field="url",
            ) from error


def _source_audit_value(value: Any) -> Any:
    if isinstance(value, Model):
        return str(value)
    return value


@transaction.atomic
def source_create(*, actor: User, **fields: Any) -> Source:
    """National administrators and analysts add the sources watched; a fetched source needs
    a public http(s) address. Audited."""
    require(actor, "monitoring.manage_sources")
    values = _source_clean(dict(fields))
    source = Source(created_by=actor, **values)
    _source_check_address(source)
    source.next_fetch_at = timezone.now()
    source.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=source,
        changes={name: _source_audit_value(getattr(source, name)) for name in values},
    )
    return source


@transaction.atomic
def source_update(*, actor: User, source: Source, **fields: Any) -> Source:
    """Change a source (audited, old and new values). A new address or kind is read afresh
    (no cached ETag, no back-off); a source switched on again is due at once."""
    require(actor, "monitoring.manage_sources")
    source = Source.objects.select_for_update(of=("self",)).get(pk=source.pk)
    values = _source_clean(dict(fields))
    changes: dict[str, list[Any]] = {}
    for name, value in values.items():
        old = getattr(source, name)
        if old != value:
            changes[name] = [_source_audit_value(old), _source_audit_value(value)]
            setattr(source, name, value)
    _source_check_address(source)
    if not changes:
        return source
    if {"url", "kind"} & set(changes) or (changes.get("enabled") == [False, True]):
        source.etag = source.last_modified = ""
        source.failures = 0
        source.next_fetch_at = timezone.now()
    source.save()
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=source, changes=changes)
    return source


# --- Claiming and fetching


def _source_reading_key(source_id: int) -> str:
    return f"birlik:monitoring-reading:{source_id}"


def _source_claim(source_id: int, due_at: datetime.datetime, now: datetime.datetime) -> bool:
    """Take a source for one fetch: the conditional UPDATE succeeds for one worker only. The
    shared cache marks it as being read until the fetch ends (or the lease runs out)."""
    claimed = bool(
        Source.objects.filter(pk=source_id, next_fetch_at=due_at).update(
            next_fetch_at=now + SOURCE_CLAIM_LEASE
        )
    )
    if claimed:
        cache.set(_source_reading_key(source_id), 1, int(SOURCE_CLAIM_LEASE.total_seconds()))
    return claimed


def sources_claim_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Claim the sources due now (at most ``MONITORING_FETCHES_PER_TICK``, and at most
    ``MONITORING_FETCHES_PER_HOST`` of one site); their ids, to be fetched by jobs."""
    from .queries import sources_due

    now = now or timezone.now()
    limit = int(collect_setting("MONITORING_FETCHES_PER_TICK"))
    per_host = int(collect_setting("MONITORING_FETCHES_PER_HOST"))
    hosts: dict[str, int] = {}
    claimed: list[int] = []
    for source_id, url, due_at in sources_due(now=now, limit=limit * 3).values_list(
        "pk", "url", "next_fetch_at"
    ):
        host = (urlsplit(url).hostname or "").lower()
        if hosts.get(host, 0) >= per_host:
            continue
        if _source_claim(source_id, due_at, now):
            hosts[host] = hosts.get(host, 0) + 1
            claimed.append(source_id)
        if len(claimed) >= limit:
            break
    return claimed


def source_fetch_queue(*, actor: User, source: Source) -> bool:
    """Fetch now: an enabled fetched source is claimed and its job queued at once; False
    when another worker holds it already."""
    require(actor, "monitoring.manage_sources")
    source = Source.objects.get(pk=source.pk)
    if source.kind not in Source.FETCHED:
        raise SourceError(_("This source is not read over the internet: upload its files."))
    if not source.enabled:
        raise SourceError(_("The source is switched off. Enable it first."))
    if cache.get(_source_reading_key(source.pk)) is not None:
        return False  # claimed by the minute's tick or an earlier "fetch now"
    if not _source_claim(source.pk, source.next_fetch_at, timezone.now()):
        return False
    from .tasks import source_fetch_job

    transaction.on_commit(lambda: source_fetch_job.enqueue(source.pk))
    return True


@dataclass
class _Collected:
    items: list[collectors.ParsedItem] = field(default_factory=list)
    http_status: int | None = None
    not_modified: bool = False
    etag: str = ""
    last_modified: str = ""
    complete: bool = True  # False: items left for the next fetch (validators not kept)


def _collect_known(source: Source, guids: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(guids), 500):
        chunk = guids[start : start + 500]
        known |= set(
            Item.objects.filter(source=source, guid__in=chunk).values_list("guid", flat=True)
        )
    return known


def _collect_new(source: Source, items: list[collectors.ParsedItem]) -> list[collectors.ParsedItem]:
    items = collectors.unique(items)
    known = _collect_known(source, [item.guid for item in items])
    return [item for item in items if item.guid not in known]


def _collect_pages(items: list[collectors.ParsedItem]) -> bool:
    """Read the article pages of links that came without text, at most
    ``MONITORING_ARTICLES_PER_FETCH`` a fetch; False when some are left for the next one."""
    budget = int(collect_setting("MONITORING_ARTICLES_PER_FETCH"))
    for item in items:
        if not item.needs_page:
            continue
        if budget <= 0:
            return False
        budget -= 1
        try:
            page = fetching.fetch(item.url)
        except fetching.FetchError as error:
            if error.kind in {"host_busy", "robots_unavailable"}:
                return False  # not now: these links wait for the next fetch
            item.needs_page = False  # refused, gone or too slow: what the feed said is kept
            item.no_article = not item.title
            continue
        article = collectors.parse_article(page.body, url=page.url, content_type=page.content_type)
        item.text = article.text
        item.title = item.title or article.title
        item.published_at = item.published_at or article.published_at
        item.language = item.language or article.language
        item.no_article = article.no_article and not item.title
        item.needs_page = False
    return True


def _collect_feed(source: Source) -> _Collected:
    answer = fetching.fetch(source.url, etag=source.etag, last_modified=source.last_modified)
    if answer.not_modified:
        return _Collected(http_status=answer.status, not_modified=True)
    items = _collect_new(
        source, collectors.parse_feed(answer.body, url=answer.url, content_type=answer.content_type)
    )
    complete = _collect_pages(items)
    return _Collected(
        items=[item for item in items if not item.needs_page],
        http_status=answer.status,
        etag=answer.etag,
        last_modified=answer.last_modified,
        complete=complete,
    )


def _collect_sitemap_children(index_url: str, children: list[Any]) -> list[Any]:
    """The newest sitemaps of an index on the index's own site, read one by one."""
    host = urlsplit(index_url).hostname
    own = [(url, when) for url, when in children if urlsplit(url).hostname == host]
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    own.sort(key=lambda pair: pair[1] or oldest, reverse=True)
    items: list[Any] = []
    for url, _when in own[: int(collect_setting("MONITORING_SITEMAP_CHILDREN"))]:
        items += collectors.parse_sitemap(fetching.fetch(url).body).items
    return items


def _collect_sitemap(source: Source, now: datetime.datetime) -> _Collected:
    answer = fetching.fetch(source.url, etag=source.etag, last_modified=source.last_modified)
    if answer.not_modified:
        return _Collected(http_status=answer.status, not_modified=True)
    sitemap = collectors.parse_sitemap(answer.body)
    entries = sitemap.items or _collect_sitemap_children(answer.url, sitemap.sitemaps)
    since = now - datetime.timedelta(days=int(collect_setting("MONITORING_SITEMAP_MAX_AGE_DAYS")))
    recent = [item for item in entries if item.published_at is None or item.published_at >= since]
    recent.sort(key=lambda item: item.published_at or now, reverse=True)
    items = _collect_new(source, recent)
    complete = _collect_pages(items)
    return _Collected(
        items=[item for item in items if not item.needs_page],
        http_status=answer.status,
        etag=answer.etag,
        last_modified=answer.last_modified,
        complete=complete,
    )


def _collect_page(source: Source) -> _Collected:
    answer = fetching.fetch(source.url, etag=source.etag, last_modified=source.last_modified)
    if answer.not_modified:
        return _Collected(http_status=answer.status, not_modified=True)
    item = collectors.parse_article(answer.body, url=answer.url, content_type=answer.content_type)
    item.guid = source.url[:500]  # the page as configured, whatever it redirects to
    return _Collected(
        items=_collect_new(source, [item]),
        http_status=answer.status,
        etag=answer.etag,
        last_modified=answer.last_modified,
    )


def _collect_store(
    source: Source, items: list[collectors.ParsedItem], *, now: datetime.datetime
) -> int:
    """Insert the items a source gave that it had not given before; their number."""
    fresh = _collect_new(source, items)
    rows = [
        Item(
            source=source,
            guid=item.guid,
            url=item.url,
            title=item.title[:500],
            text=item.text[: collectors.TEXT_LIMIT],
            language=item.language or Language.UNKNOWN,
            published_at=min(item.published_at or now, now),
            fetched_at=now,
            author_key=item.author_key[:100],
            state=Item.State.NO_ARTICLE if item.no_article else Item.State.NEW,
        )
        for item in fresh
    ]
    Item.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def _source_backoff(failures: int, retry_after: int | None) -> datetime.timedelta:
    delay = min(datetime.timedelta(minutes=2 ** min(failures, 20)), SOURCE_BACKOFF_CAP)
    if retry_after:
        delay = max(delay, min(datetime.timedelta(seconds=retry_after), SOURCE_RETRY_AFTER_CAP))
    return delay


@transaction.atomic
def _source_failed(
    source: Source,
    *,
    code: str,
    now: datetime.datetime,
    ms: int,
    http_status: int | None = None,
    retry_after: int | None = None,
    status: str = SourceFetch.Status.ERROR,
) -> SourceFetch:
    if code.startswith("host_busy"):  # not the site's failure: only later
        status = SourceFetch.Status.POSTPONED
        Source.objects.filter(pk=source.pk).update(
            next_fetch_at=now + datetime.timedelta(seconds=max(retry_after or 0, 60))
        )
    else:
        failures = source.failures + 1
        Source.objects.filter(pk=source.pk).update(
            failures=failures,
            next_fetch_at=now + _source_backoff(failures, retry_after),
            last_error=code[:500],
            last_error_at=now,
        )
    return SourceFetch.objects.create(
        source=source, started_at=now, status=status, http_status=http_status, ms=ms, error=code
    )


@transaction.atomic
def _source_succeeded(
    source: Source, collected: _Collected, *, now: datetime.datetime, ms: int
) -> SourceFetch:
    new = _collect_store(source, collected.items, now=now)
    if collected.not_modified:
        validators = {"etag": source.etag, "last_modified": source.last_modified}
    elif collected.complete:
        validators = {"etag": collected.etag, "last_modified": collected.last_modified}
    else:  # links left unread: the next request must not be answered "not modified"
        validators = {"etag": "", "last_modified": ""}
    Source.objects.filter(pk=source.pk).update(
        failures=0,
        next_fetch_at=now + datetime.timedelta(minutes=source.schedule_minutes),
        last_success_at=now,
        **validators,
    )
    return SourceFetch.objects.create(
        source=source,
        started_at=now,
        status=SourceFetch.Status.NOT_MODIFIED if collected.not_modified else SourceFetch.Status.OK,
        http_status=collected.http_status,
        items_new=new,
        ms=ms,
    )


def source_fetch(*, source_id: int, now: datetime.datetime | None = None) -> SourceFetch:
    """Read a fetched source once: new items stored (once per source and guid), the next
    fetch planned by its schedule, or, on failure, after 2ⁿ minutes (at most a day) or the
    site's Retry-After; every attempt logged for the health page."""
    source = Source.objects.get(pk=source_id)
    if source.kind not in Source.FETCHED:
        raise SourceError(_("This source is not read over the internet: upload its files."))
    if not source.enabled:
        cache.delete(_source_reading_key(source.pk))
        raise SourceError(_("The source is switched off. Enable it first."))
    now = now or timezone.now()
    try:
        return _source_read(source, now)
    finally:
        cache.delete(_source_reading_key(source.pk))


def _source_read(source: Source, now: datetime.datetime) -> SourceFetch:
    started = time.monotonic()

    def spent() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        if source.kind == Source.Kind.RSS:
            collected = _collect_feed(source)
        elif source.kind == Source.Kind.SITEMAP:
            collected = _collect_sitemap(source, now)
        else:
            collected = _collect_page(source)
    except fetching.FetchError as error:
        refused = error.kind == "refused_by_robots"
        return _source_failed(
            source,
            code=error.code,
            now=now,
            ms=spent(),
            http_status=error.http_status,
            retry_after=error.retry_after,
            status=SourceFetch.Status.REFUSED if refused else SourceFetch.Status.ERROR,
        )
    except collectors.CollectError as error:
        return _source_failed(source, code=error.code, now=now, ms=spent())
    return _source_succeeded(source, collected, now=now, ms=spent())


# --- Uploads and items typed by hand


def _collect_upload_bytes(upload: Any) -> bytes:
    if upload is None:
        raise SourceError(_("Choose a file."), field="file")
    uploads.check_size(getattr(upload, "size", None), uploads.IMPORT_LIMIT, split=True)
    upload.seek(0)
    data: bytes = upload.read(uploads.limit_bytes(uploads.IMPORT_LIMIT) + 1)
    uploads.check_size(len(data), uploads.IMPORT_LIMIT, split=True)
    if not data:
        raise SourceError(_("The file is empty."), field="file")
    return data


def items_from_upload(
    *,
    actor: User,
    source: Source,
    upload: Any,
    skipped: list[tuple[int, str]] | None = None,
) -> int:
    """Add the posts of a Telegram channel export or a monitoring vendor's sheet to their
    source; the number of new items. A file that is not one, or too large, stores nothing;
    rows a sheet could not give are appended to ``skipped`` (line, why). Audited."""
    require(actor, "monitoring.manage_sources")
    if source.kind not in {Source.Kind.TELEGRAM, Source.Kind.VENDOR}:
        raise SourceError(
            _("Files are uploaded only to a Telegram channel or a monitoring vendor's source."),
            field="file",
        )
    data = _collect_upload_bytes(upload)
    if source.kind == Source.Kind.TELEGRAM:
        items = collectors.parse_telegram(data, handle=collectors.telegram_handle(source.url))
    else:
        sheet = collectors.parse_vendor_sheet(data)
        items = sheet.items
        if skipped is not None:
            skipped.extend(sheet.skipped)
    if not items:
        raise SourceError(_("The file holds no posts with a text to add."), field="file")
    now = timezone.now()
    with transaction.atomic():
        new = _collect_store(source, items, now=now)
        Source.objects.filter(pk=source.pk).update(last_success_at=now, failures=0)
        SourceFetch.objects.create(
            source=source, started_at=now, status=SourceFetch.Status.OK, items_new=new
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            obj=source,
            changes={"items_new": new, "items_in_file": len(items)},
            note=str(getattr(upload, "name", "") or "")[:200],
        )
    return new


def _manual_source() -> Source:
    """The one "entered by hand" source, created the first time someone types an item."""
    found = Source.objects.filter(kind=Source.Kind.MANUAL).order_by("pk").first()
    if found is not None:
        return found
    with translation.override(settings.LANGUAGE_CODE):
        name = str(Source.Kind.MANUAL.label)
    return Source.objects.create(name=name[:1].upper() + name[1:], kind=Source.Kind.MANUAL)


def _item_enter_region(actor: User, region: Region | None) -> None:
    regions = regions_of(actor)
    if regions is None:
        return
    if region is None:
        raise SourceError(_("Choose the region the item is about."), field="region")
    if region.pk not in regions:
        raise SourceError(_("Choose one of your regions."), field="region")


@transaction.atomic
def item_enter(
    *,
    actor: User,
    title: str,
    text: str = "",
    url: str = "",
    published_at: datetime.datetime | None = None,
    region: Region | None = None,
) -> Item:
    """An item typed by hand joins the "entered by hand" source and the pipeline like any
    other; a coordinator files it under one of their regions. Audited."""
    require(actor, "monitoring.enter_item")
    title = clean_text(title)[:500]
    text = "\n".join(" ".join(line.split()) for line in str(text or "").splitlines()).strip()
    url = str(url or "").strip()
    now = timezone.now()
    if not title:
        raise SourceError(_("Give the title."), field="title")
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise SourceError(
                _("Give an address starting with http:// or https://."), field="url"
            ) from error
    published_at = published_at or now
    if published_at > now + datetime.timedelta(minutes=5):
        raise SourceError(_("The publication time cannot be in the future."), field="published_at")
    _item_enter_region(actor, region)
    source = _manual_source()
    guid = url[:500] if url else f"manual:{uuid.uuid4().hex}"
    if Item.objects.filter(source=source, guid=guid).exists():
        raise SourceError(_("An item with this address was already entered."), field="url")
    item = Item.objects.create(
        source=source,
        guid=guid,
        url=url,
        title=title,
        text=text[: collectors.TEXT_LIMIT],
        published_at=published_at,
        fetched_at=now,
        entered_by=actor,
    )
    if region is not None:
        ItemPlace.objects.create(item=item, region=region, via=ItemPlace.Via.HAND)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=item,
        changes={"title": title, "url": url, "region": str(region or "")},
    )
    return item


# --- Retention


def _collect_sweep_source(source_id: int, cutoff: datetime.datetime) -> int:
    """Items of one source older than the cutoff, in short batches; kept when an alert or an
    analyst's label refers to them."""
    deleted = 0
    while True:
        ids = list(
            Item.objects.filter(source_id=source_id, fetched_at__lt=cutoff)
            .exclude(pk__in=Alert.objects.filter(item__isnull=False).values("item_id"))
            .exclude(pk__in=Label.objects.values("item_id"))
            .values_list("pk", flat=True)[:1000]
        )
        if not ids:
            return deleted
        with transaction.atomic():
            Item.objects.filter(duplicate_of_id__in=ids).update(duplicate_of=None)
            deleted += Item.objects.filter(pk__in=ids).delete()[1].get(Item._meta.label, 0)


def collected_sweep(*, now: datetime.datetime | None = None) -> int:
    """Daily: the fetch log older than 30 days, and items past their source's retention
    (``retention_days``, else ``MONITORING_RETENTION_DAYS``); the number of rows deleted."""
    now = now or timezone.now()
    deleted, _kinds = SourceFetch.objects.filter(
        started_at__lt=now - datetime.timedelta(days=SOURCE_FETCH_LOG_DAYS)
    ).delete()
    default_days = int(collect_setting("MONITORING_RETENTION_DAYS"))
    for source_id, days in Source.objects.values_list("pk", "retention_days"):
        cutoff = now - datetime.timedelta(days=days or default_days)
        deleted += _collect_sweep_source(source_id, cutoff)
    return deleted


# --- Labels, risk models and keyword rules (learn) -------------------------------------------

HELD_OUT_EVERY = 10  # one item in ten is kept out of training, for evaluation
EVALUATED_LANGUAGES = ("kk", "ru", "en", "all")
EVALUATION_THRESHOLD = 0.5
EVALUATION_BATCH = 500
KEYWORD_LANGUAGES = ("", "kk", "ru", "en")
KEYWORD_MIN_CHARS = 3
KEYWORDS_FILE = Path(__file__).resolve().parent / "data" / "keywords.json"
TRAINING_LOCK = classifier.TRAINING_LOCK
TRAINING_STATUS = classifier.TRAINING_STATUS
TRAINING_LOCK_SECONDS = 3600  # a worker that died while training lets the next request in


class LearningError(DomainError):
    """A label, a risk model or a keyword rule breaks a rule of learning."""


class NotEnoughLabelsError(LearningError):
    """No topic has enough labels yet to fit a model."""


def label_held_out(item_id: int) -> bool:
    """One item in ten is held out, the same for every analyst, topic and machine: a digest of
    the item's id (Python's ``hash`` is not stable across processes for text)."""
    digest = hashlib.sha256(f"monitoring-item:{item_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % HELD_OUT_EVERY == 0


def _label_allowed(analyst: User, item: Item) -> None:
    require(analyst, "monitoring.label")
    if not scoped(Item.objects.filter(pk=item.pk), analyst).exists():
        raise PermissionDenied("monitoring.label")


@transaction.atomic
def label_record(*, analyst: User, item: Item, topic: str, value: str) -> Label:
    """An analyst's judgement of an item in their scope: one per item, topic and analyst (a new
    answer replaces the old one); every change is audited."""
    _label_allowed(analyst, item)
    if topic not in Topic.values:
        raise LearningError(_("Choose a topic from the list."), field="topic")
    if value not in Label.Value.values:
        raise LearningError(_("Answer yes, no or not sure."), field=topic)
    earlier = Label.objects.filter(item=item, topic=topic, analyst=analyst).first()
    if earlier is not None and earlier.value == value:
        return earlier
    label, created = Label.objects.update_or_create(
        item=item,
        topic=topic,
        analyst=analyst,
        defaults={"value": value, "created_at": timezone.now()},
        create_defaults={
            "value": value,
            "created_at": timezone.now(),
            "held_out": label_held_out(item.pk),
        },
    )
    audit_record(
        actor=analyst,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=label,
        changes={"value": [earlier.value if earlier else None, value]},
        note=f"item {item.pk}, {topic}",
    )
    return label


@transaction.atomic
def labels_record(*, analyst: User, item: Item, values: dict[str, str]) -> list[Label]:
    """The answers of one labelling form, all or none; a topic left blank is not judged."""
    answered = {topic: value for topic, value in values.items() if value}
    if not answered:
        raise LearningError(_("Answer on at least one topic."))
    return [
        label_record(analyst=analyst, item=item, topic=topic, value=value)
        for topic, value in answered.items()
    ]


def _majority(*, held_out: bool) -> dict[tuple[int, str], bool]:
    """The agreed answer per item and topic: the majority of yes and no, "not sure" ignored,
    ties left out."""
    rows = (
        Label.objects.filter(held_out=held_out)
        .exclude(value=Label.Value.UNSURE)
        .order_by()
        .values("item_id", "topic")
        .annotate(
            yes=Count("pk", filter=Q(value=Label.Value.YES)),
            no=Count("pk", filter=Q(value=Label.Value.NO)),
        )
    )
    return {
        (row["item_id"], row["topic"]): row["yes"] > row["no"]
        for row in rows.iterator()
        if row["yes"] != row["no"]
    }


@dataclass
class LabelledTexts:
    texts: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    labels: dict[str, list[bool | None]] = field(default_factory=dict)


def _labelled_texts(majority: dict[tuple[int, str], bool], *, held_out: bool) -> LabelledTexts:
    by_item: dict[int, dict[str, bool]] = {}
    for (item_id, topic), answer in majority.items():
        by_item.setdefault(item_id, {})[topic] = answer
    data = LabelledTexts(labels={topic: [] for topic in Topic.values})
    items = (
        Item.objects.filter(pk__in=Label.objects.filter(held_out=held_out).values("item_id"))
        .order_by("pk")
        .values_list("pk", "title", "text", "language")
    )
    for pk, title, text, language in items.iterator(chunk_size=2000):
        if pk not in by_item:
            continue
        data.texts.append(classifier.item_text(title, text))
        data.languages.append(language)
        for topic, column in data.labels.items():
            column.append(by_item[pk].get(topic))
    return data


def _measures(pairs: list[tuple[bool, bool]]) -> dict[str, float | int | None]:
    """Precision, recall and F1 of (truth, predicted) pairs; None where undefined."""
    true_positive = sum(1 for truth, guess in pairs if truth and guess)
    predicted = sum(1 for _truth, guess in pairs if guess)
    support = sum(1 for truth, _guess in pairs if truth)
    precision = true_positive / predicted if predicted else None
    recall = true_positive / support if support else None
    f1 = None
    if precision is not None and recall is not None:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "support": support,
        "n": len(pairs),
    }


def _evaluate(model: classifier.TrainedModel) -> dict[str, Any]:
    """How the new version would score, measured on the held-out labels: the model together
    with today's keyword rules (max of both, as ``classifier.Scorer`` scores items)."""
    data = _labelled_texts(_majority(held_out=True), held_out=True)
    scorer = classifier.Scorer(rules=list(KeywordRule.objects.filter(enabled=True)), model=model)
    scores: list[dict[str, float]] = []
    for start in range(0, len(data.texts), EVALUATION_BATCH):
        end = start + EVALUATION_BATCH
        scores += scorer.score(data.texts[start:end], data.languages[start:end])
    topics: dict[str, Any] = {}
    for topic in Topic.values:
        pairs: dict[str, list[tuple[bool, bool]]] = {lang: [] for lang in EVALUATED_LANGUAGES}
        for row, language, truth in zip(scores, data.languages, data.labels[topic], strict=True):
            if truth is None:
                continue
            pair = (truth, row[topic] >= EVALUATION_THRESHOLD)
            pairs["all"].append(pair)
            if language in pairs:
                pairs[language].append(pair)
        topics[topic] = {
            "trained": topic in model.topics,
            **{language: _measures(found) for language, found in pairs.items()},
        }
    return {
        "threshold": EVALUATION_THRESHOLD,
        "held_out_items": len(data.texts),
        "topics": topics,
    }


def risk_model_train(*, by: User) -> RiskModel:
    """A new version fitted on the labels outside the held-out tenth and measured on that tenth
    per topic × language; stored switched off, for a national trainer to compare and switch on."""
    require(by, "monitoring.label")
    majority = _majority(held_out=False)
    data = _labelled_texts(majority, held_out=False)
    try:
        model = classifier.train(data.texts, data.languages, data.labels)
    except classifier.NotEnoughLabels as error:
        raise NotEnoughLabelsError(
            _(
                "Too few labels to train a model: a topic needs at least %(count)s answers "
                "“yes” and %(count)s answers “no” on items outside the held-out tenth."
            )
            % {"count": classifier.MIN_PER_CLASS}
        ) from error
    metrics = _evaluate(model)
    with transaction.atomic():
        # Two trainings never overlap (``TRAINING_LOCK``); the unique version is the last guard.
        last = RiskModel.objects.aggregate(last=Max("version"))["last"]
        version = (last or 0) + 1
        path = classifier.model_path(version)
        try:
            risk_model = RiskModel.objects.create(
                version=version,
                created_by=by,
                params=model.params,
                weights_name=path.name,
                weights_sha256=classifier.save(model, path),
                metrics=metrics,
                label_count=len(majority),
            )
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        audit_record(
            actor=by,
            action=AuditEntry.Action.CREATE,
            obj=risk_model,
            note=f"topics: {', '.join(model.topics)}; labels: {risk_model.label_count}",
        )
    return risk_model


def risk_model_train_request(*, by: User) -> None:
    """Queue the training of a new version; while one is queued or running a second request is
    refused rather than queued twice."""
    require(by, "monitoring.label")
    if not cache.add(TRAINING_LOCK, by.pk, timeout=TRAINING_LOCK_SECONDS):
        raise LearningError(
            _("A new version is being trained already. Look at this page again in a few minutes.")
        )
    cache.set(TRAINING_STATUS, {"state": "queued", "at": timezone.now().isoformat()}, None)
    from .tasks import risk_model_train_job

    user_id = by.pk
    transaction.on_commit(lambda: risk_model_train_job.enqueue(user_id))


def risk_model_train_run(*, user_id: int) -> RiskModel | None:
    """The training job: train for the analyst who asked, record how it ended for the models
    page, and let the next request in."""
    status: dict[str, Any] = {"state": "failed", "reason": "error"}
    cache.set(TRAINING_STATUS, {"state": "running", "at": timezone.now().isoformat()}, None)
    try:
        risk_model = risk_model_train(by=User.objects.get(pk=user_id))
        status = {"state": "done", "version": risk_model.version}
        return risk_model
    except NotEnoughLabelsError:
        status = {"state": "failed", "reason": "few_labels"}
        return None
    except (User.DoesNotExist, PermissionDenied):
        status = {"state": "failed", "reason": "not_allowed"}
        return None
    finally:
        cache.set(TRAINING_STATUS, {**status, "at": timezone.now().isoformat()}, None)
        cache.delete(TRAINING_LOCK)


@transaction.atomic
def risk_model_activate(*, by: User, model: RiskModel) -> RiskModel:
    """Switch a version on (national trainers only): one version is active at a time, and a
    version whose file fails its checksum is refused."""
    require(by, "monitoring.manage_models")
    model = RiskModel.objects.select_for_update(of=("self",)).get(pk=model.pk)
    if model.active:
        raise LearningError(_("This version is already switched on."))
    try:
        classifier.load(
            classifier.models_dir() / Path(model.weights_name).name, model.weights_sha256
        )
    except classifier.ModelFileError as error:
        raise LearningError(
            _(
                "The file of version %(version)s is missing or does not match its checksum, so "
                "it cannot be switched on. Train a new version."
            )
            % {"version": model.version}
        ) from error
    now = timezone.now()
    for previous in RiskModel.objects.select_for_update(of=("self",)).filter(active=True):
        previous.active = False
        previous.save(update_fields=["active"])
        audit_record(
            actor=by,
            action=AuditEntry.Action.UPDATE,
            obj=previous,
            changes={"active": [True, False]},
            note=f"replaced by v{model.version}",
        )
    model.active = True
    model.activated_by = by
    model.activated_at = now
    model.save(update_fields=["active", "activated_by", "activated_at"])
    audit_record(
        actor=by, action=AuditEntry.Action.UPDATE, obj=model, changes={"active": [False, True]}
    )
    return model


def _clean_terms(terms: Any) -> str:
    lines = [clean_text(line) for line in str(terms or "").splitlines()]
    kept: dict[str, str] = {}
    for line in lines:
        key = match_key(line)
        if not key:
            continue
        if len(key.replace(" ", "")) < KEYWORD_MIN_CHARS:
            raise LearningError(
                _("“%(term)s” is too short: a term needs at least three letters.") % {"term": line},
                field="terms",
            )
        kept.setdefault(key, line)
    if not kept:
        raise LearningError(_("Write at least one word or phrase, one per line."), field="terms")
    return "\n".join(kept.values())


def _clean_weight(weight: Any) -> float:
    try:
        value = float(weight)
    except (TypeError, ValueError):
        value = math.nan
    if not 0 < value <= 1:
        raise LearningError(_("The weight is a number above 0 and at most 1."), field="weight")
    return value


def _clean_rule(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - {"topic", "language", "terms", "weight", "enabled"}
    if unknown:
        raise TypeError(f"unknown fields of a keyword rule: {sorted(unknown)}")
    cleaned: dict[str, Any] = {}
    if "topic" in fields:
        if fields["topic"] not in Topic.values:
            raise LearningError(_("Choose a topic from the list."), field="topic")
        cleaned["topic"] = fields["topic"]
    if "language" in fields:
        if (fields["language"] or "") not in KEYWORD_LANGUAGES:
            raise LearningError(
                _("Choose Kazakh, Russian, English or every language."), field="language"
            )
        cleaned["language"] = fields["language"] or ""
    if "terms" in fields:
        cleaned["terms"] = _clean_terms(fields["terms"])
    if "weight" in fields:
        cleaned["weight"] = _clean_weight(fields["weight"])
    if "enabled" in fields:
        cleaned["enabled"] = bool(fields["enabled"])
    return cleaned


@transaction.atomic
def keyword_rule_save(*, by: User, rule: KeywordRule | None = None, **fields: Any) -> KeywordRule:
    """Create or change a keyword rule (national trainers); audited, and read by every worker's
    scorer at its next batch (``classifier.current_scorer``)."""
    require(by, "monitoring.manage_rules")
    values = _clean_rule(fields)
    if rule is None:
        if not {"topic", "terms"} <= set(values):
            raise LearningError(_("A rule needs a topic and its terms."))
        rule = KeywordRule()
        before: dict[str, Any] = {}
    else:
        rule = KeywordRule.objects.select_for_update(of=("self",)).get(pk=rule.pk)
        before = {name: getattr(rule, name) for name in values}
    for name, value in values.items():
        setattr(rule, name, value)
    created = rule.pk is None
    rule.updated_by = by
    rule.updated_at = timezone.now()
    rule.save()
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=rule,
        changes={
            name: [before.get(name), value]
            for name, value in values.items()
            if before.get(name) != value
        },
    )
    return rule


@transaction.atomic
def keyword_rule_delete(*, by: User, rule: KeywordRule) -> None:
    """Delete a keyword rule (national trainers); the audit entry keeps its terms."""
    require(by, "monitoring.manage_rules")
    rule = KeywordRule.objects.select_for_update(of=("self",)).get(pk=rule.pk)
    audit_record(
        actor=by,
        action=AuditEntry.Action.DELETE,
        obj=rule,
        changes={"terms": [rule.terms, None], "weight": [rule.weight, None]},
    )
    rule.delete()


def keyword_rules_starter() -> list[dict[str, Any]]:
    """The starter lists shipped in ``data/keywords.json`` (the data migration reads them)."""
    entries: list[dict[str, Any]] = json.loads(KEYWORDS_FILE.read_text(encoding="utf-8"))
    return entries


@transaction.atomic
def keyword_rules_seed() -> int:
    """Load the starter lists when there is no keyword rule yet; returns the rules added."""
    if KeywordRule.objects.exists():
        return 0
    rules = [
        KeywordRule(
            topic=entry["topic"],
            language=entry["language"],
            weight=float(entry["weight"]),
            terms="\n".join(entry["terms"]),
        )
        for entry in keyword_rules_starter()
    ]
    KeywordRule.objects.bulk_create(rules)
    return len(rules)


# --- Alerts and their response (alerts) -------------------------------------------------------

# Bodies an alert is routed to in its region (registry kind codes): the assembly of the region
# (or of the city) and its House of Friendship.
ALERT_ASSEMBLY_KINDS = ("regional_assembly", "city_assembly")
ALERT_ROUTED_KINDS = (*ALERT_ASSEMBLY_KINDS, "house_of_friendship")
ALERT_RECIPIENT_ROLES = (Role.BODY_STAFF, Role.CENTRE_HEAD)
# The first evaluation (or one whose watermark the cache lost) looks this far back; raising is
# idempotent (``Alert.key``), so looking back again never raises an alert twice.
ALERT_LOOKBACK = datetime.timedelta(hours=24)
# A batch writes ``processed_at`` before it commits: items are read again this far before the
# watermark, so a batch committed late is never skipped.
ALERT_WATERMARK_OVERLAP = datetime.timedelta(minutes=10)
ALERT_WATERMARK_KEY = "birlik:monitoring:alerts-watermark"
ALERT_RULES_FILE = Path(__file__).resolve().parent / "data" / "alert_rules.json"
ALERT_RULE_FIELDS = (
    "name",
    "kind",
    "topic",
    "threshold",
    "growth_factor",
    "min_per_hour",
    "region",
    "district",
    "ethnic_group",
    "enabled",
)


class AlertError(DomainError):
    """A broken rule of alerts, their response or their rules."""


def alert_ack_hours() -> int:
    """Hours a routed body has to acknowledge an alert (setting ``MONITORING_ACK_HOURS``)."""
    return int(getattr(settings, "MONITORING_ACK_HOURS", 2))


# --- Alert rules


def _alert_rule_problem(rule: AlertRule) -> tuple[str, str] | None:
    """The first broken rule of ``rule`` as (field, message), or None."""
    if not rule.name.strip():
        return "name", _("Give the rule a name.")
    if rule.kind not in AlertRule.Kind.values:
        return "kind", _("Choose the kind of rule.")
    if rule.topic and rule.topic not in RISK_TOPICS:
        return "topic", _("Positive coverage of unity never raises an alert: choose a risk topic.")
    if not 0 <= rule.threshold <= 1:
        return "threshold", _("The threshold is a score from 0 to 1, for example 0.7.")
    if rule.kind == AlertRule.Kind.GROWTH and not rule.growth_factor > 1:
        return "growth_factor", _(
            "A story grows when it has more items per hour than usual: give a factor above 1, "
            "for example 3."
        )
    if rule.kind == AlertRule.Kind.GROWTH and rule.min_per_hour < 1:
        return "min_per_hour", _("Give at least one item per hour.")
    no_place = rule.region_id is None and rule.district_id is None
    if rule.kind == AlertRule.Kind.MENTION and no_place and rule.ethnic_group_id is None:
        return "region", _("A mention rule watches a place or an ethnic group: choose one.")
    if rule.district is not None and rule.region_id not in (None, rule.district.region_id):
        return "district", _("This district is not in the region chosen.")
    return None


def _alert_rule_check(rule: AlertRule) -> None:
    if rule.district is not None and rule.region_id is None:
        rule.region_id = rule.district.region_id
    problem = _alert_rule_problem(rule)
    if problem is not None:
        raise AlertError(problem[1], field=problem[0])


@transaction.atomic
def alert_rule_save(*, by: User, rule: AlertRule | None = None, **fields: Any) -> AlertRule:
    """A national analyst or administrator writes a rule: a growth rule needs a factor above 1,
    a mention rule a place or a group, never the topic of positive coverage; audited."""
    require(by, "monitoring.manage_rules")
    unknown = sorted(set(fields) - set(ALERT_RULE_FIELDS))
    if unknown:
        raise TypeError(f"alert_rule_save() got unknown fields: {', '.join(unknown)}")
    if rule is None:
        target, before = AlertRule(created_by=by), {}
    else:
        target = AlertRule.objects.select_for_update(of=("self",)).get(pk=rule.pk)
        before = snapshot(target, list(ALERT_RULE_FIELDS))
    for name, value in fields.items():
        setattr(target, name, value.strip() if isinstance(value, str) else value)
    _alert_rule_check(target)
    target.save()
    audit_record(
        actor=by,
        action=AuditEntry.Action.CREATE if rule is None else AuditEntry.Action.UPDATE,
        obj=target,
        changes=diff(before, snapshot(target, list(ALERT_RULE_FIELDS))),
    )
    return target


@transaction.atomic
def alert_rules_seed() -> int:
    """Starter rules (``data/alert_rules.json``) when there is none yet; returns how many."""
    if AlertRule.objects.exists():
        return 0
    data = json.loads(ALERT_RULES_FILE.read_text(encoding="utf-8"))
    created = 0
    for row in data["rules"]:
        names = row.pop("name")
        rule = AlertRule(name=names.get(settings.LANGUAGE_CODE) or names["en"], **row)
        _alert_rule_check(rule)
        rule.save()
        audit_record(
            actor=None,
            action=AuditEntry.Action.CREATE,
            obj=rule,
            changes=diff({}, snapshot(rule, list(ALERT_RULE_FIELDS))),
            note="starter rule",
        )
        created += 1
    return created


# --- Raising and routing


def alert_key(rule: AlertRule, story: Story | None, item: Item | None) -> str:
    """One alert per rule and story, or per rule and item for an item in no story."""
    if story is not None:
        return f"rule:{rule.pk}:story:{story.pk}"
    if item is None:
        raise ValueError("An alert needs a story or an item.")
    return f"rule:{rule.pk}:item:{item.pk}"


def _alert_watermark(now: datetime.datetime) -> datetime.datetime:
    stored = cache.get(ALERT_WATERMARK_KEY)
    if not stored:
        return now - ALERT_LOOKBACK
    return datetime.datetime.fromisoformat(str(stored)) - ALERT_WATERMARK_OVERLAP


def _alert_watermark_advance(items: Any) -> None:
    """Remember the newest ``processed_at`` read, in the cache every worker shares."""
    newest = items.order_by().aggregate(newest=Max("processed_at"))["newest"]
    stored = cache.get(ALERT_WATERMARK_KEY)
    if newest is not None and (not stored or newest > datetime.datetime.fromisoformat(str(stored))):
        cache.set(ALERT_WATERMARK_KEY, newest.isoformat(), None)


def _top_topic(item: Item | None) -> str:
    """The item's highest-scored risk topic, or blank."""
    topics = item.topics if item is not None and isinstance(item.topics, dict) else {}
    scored = [(float(topics[topic]), topic) for topic in RISK_TOPICS if topics.get(topic)]
    return max(scored)[1] if scored else ""


@dataclass(frozen=True)
class _AlertCandidate:
    rule: AlertRule
    story: Story | None
    item: Item
    region_id: int
    district_id: int | None


def _item_candidates(
    rule: AlertRule, items: list[Item], places: dict[int, tuple[int, int | None]]
) -> list[_AlertCandidate]:
    """The first item (in publishing order) of each story, or each item without a story, that
    names a place: an item that names none cannot be routed."""
    found: dict[str, _AlertCandidate] = {}
    for item in items:
        key = alert_key(rule, item.story, item)
        place = (rule.region_id, rule.district_id) if rule.region_id else places.get(item.pk)
        if key in found or place is None or place[0] is None:
            continue
        found[key] = _AlertCandidate(rule, item.story, item, place[0], place[1])
    return list(found.values())


def _story_candidates(rule: AlertRule, now: datetime.datetime) -> list[_AlertCandidate]:
    found = []
    for story in stories_growing_for(rule=rule, now=now):
        place = (rule.region_id, rule.district_id) if rule.region_id else story_main_place(story)
        item = story.items.order_by("-risk", "published_at", "pk").first()
        if place is None or place[0] is None or item is None:
            continue
        found.append(_AlertCandidate(rule, story, item, place[0], place[1]))
    return found


def alerts_evaluate(*, now: datetime.datetime, item_ids: list[int] | None = None) -> list[Alert]:
    """Run every enabled rule over newly processed items (``item_ids``, or those processed since
    the last evaluation without them) and the growing stories; each (rule, story) — or (rule,
    item) for an item in no story — raises at most one alert, ever."""
    scope = None if item_ids is None else Item.objects.filter(pk__in=item_ids)
    since = _alert_watermark(now) if item_ids is None else None
    candidates: list[_AlertCandidate] = []
    for rule in AlertRule.objects.filter(enabled=True).order_by("pk"):
        if rule.kind == AlertRule.Kind.GROWTH:
            candidates += _story_candidates(rule, now)
            continue
        finder = items_over if rule.kind == AlertRule.Kind.RISK else items_mentioning
        items = list(finder(rule=rule, since=since, qs=scope).select_related("story"))
        places = main_places([item.pk for item in items]) if items and not rule.region_id else {}
        candidates += _item_candidates(rule, items, places)
    keys = {alert_key(c.rule, c.story, c.item): c for c in candidates}
    known = set(Alert.objects.filter(key__in=list(keys)).values_list("key", flat=True))
    new = [candidate for key, candidate in keys.items() if key not in known]
    regions = Region.objects.in_bulk({c.region_id for c in new})
    districts = District.objects.in_bulk({c.district_id for c in new if c.district_id})
    raised = []
    for candidate in new:
        alert = alert_raise(
            rule=candidate.rule,
            story=candidate.story,
            item=candidate.item,
            region=regions[candidate.region_id],
            district=districts.get(candidate.district_id) if candidate.district_id else None,
            now=now,
        )
        if alert is not None:
            raised.append(alert)
    if item_ids is None:
        _alert_watermark_advance(Item.objects.filter(processed_at__gte=since))
    return raised


def _alert_bodies(region: Region) -> list[Organisation]:
    """The active assembly and House of Friendship of the region."""
    return list(
        Organisation.objects.filter(
            region=region,
            kind__code__in=ALERT_ROUTED_KINDS,
            status=Organisation.Status.ACTIVE,
        )
        .select_related("kind")
        .order_by("path")
    )


def _alert_path(bodies: Any) -> str:
    """The body an alert is filed under in the audit log: the region's assembly (the bodies'
    shortest path), or none (the national level) for a region without one."""
    paths = sorted((str(body.path) for body in bodies), key=len)
    return paths[0] if paths else ""


def _alert_recipients(bodies: list[Organisation]) -> list[User]:
    """Staff of the routed bodies and the coordinators of the region's assembly."""
    assemblies = [body for body in bodies if body.kind.code in ALERT_ASSEMBLY_KINDS]
    return list(
        User.objects.filter(
            Q(grants__role__in=ALERT_RECIPIENT_ROLES, grants__organisation__in=bodies)
            | Q(grants__role=Role.REGIONAL_COORDINATOR, grants__organisation__in=assemblies),
            grants__revoked_at__isnull=True,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _national_admins() -> list[User]:
    """Holders of the national administrator's role on the root body."""
    return list(
        User.objects.filter(
            grants__role=Role.NATIONAL_ADMIN,
            grants__organisation__depth=1,
            grants__revoked_at__isnull=True,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def alert_url(alert: Alert) -> str:
    """The alert's page, as an absolute address in the active language (for notices)."""
    return settings.SITE_URL.rstrip("/") + reverse("monitoring:alert", kwargs={"pk": alert.pk})


def _alert_notice_text(alert: Alert, what: str) -> tuple[str, str]:
    """Subject and text in the active language: the title, topic and region only, never the
    scores or the items."""
    hours = alert_ack_hours()
    values: dict[str, Any] = {
        "region": alert.region.name,
        "title": alert.title,
        "topic": str(Topic(alert.topic).label) if alert.topic else "",
        "due": timezone.localtime(alert.ack_due_at).strftime("%d.%m.%Y, %H:%M"),
        "url": alert_url(alert),
        "hours": hours,
    }
    subject = _("Early warning: %(region)s") % values
    if what == "escalate":
        text = ngettext(
            "An alert in %(region)s was not acknowledged within %(hours)s hour: %(title)s. "
            "Open it: %(url)s",
            "An alert in %(region)s was not acknowledged within %(hours)s hours: %(title)s. "
            "Open it: %(url)s",
            hours,
        )
    elif alert.topic:
        text = _(
            "Alert in %(region)s: %(title)s. Topic: %(topic)s. Acknowledge it by %(due)s: %(url)s"
        )
    else:
        text = _("Alert in %(region)s: %(title)s. Acknowledge it by %(due)s: %(url)s")
    return subject, text % values


# SMS and Telegram carry the title cut to this many characters, the region and the link: an
# SMS in Cyrillic holds 70 characters a part, and a phone's lock screen shows two lines.
ALERT_SHORT_TITLE = 80


def _alert_short_text(alert: Alert, what: str) -> str:
    """The SMS and Telegram text in the active language: title, region and link only."""
    title = alert.title
    if len(title) > ALERT_SHORT_TITLE:
        title = title[: ALERT_SHORT_TITLE - 1].rstrip() + "…"
    values = {"region": alert.region.name, "title": title, "url": alert_url(alert)}
    if what == "escalate":
        return _("Alert not acknowledged in time, %(region)s: %(title)s %(url)s") % values
    return _("Early warning, %(region)s: %(title)s %(url)s") % values


def _alert_addresses(user: User) -> list[tuple[str, str]]:
    """(channel, address) for each channel the user chose for alerts; a chosen channel whose
    address the account lacks falls back to e-mail, so that no alert is lost for a missing
    number. E-mail is sent once however many channels fall back to it."""
    chosen = user.alert_channels if isinstance(user.alert_channels, list) else []
    found: dict[str, str] = {}
    for wanted in chosen or [Notice.Channel.EMAIL.value]:
        channel, address = str(wanted), user.alert_address(str(wanted))
        if not address:
            channel, address = Notice.Channel.EMAIL.value, user.email.strip()
        if address:
            found.setdefault(channel, address)
    return list(found.items())


def _alert_notify(alert: Alert, users: list[User], what: str, path: str) -> int:
    """Queue the notice to each user in their language by every channel they chose for alerts
    (``User.alert_channels``): e-mail in full, SMS and Telegram short; one notice per channel,
    keyed ``alert:<id>:<step><user>:<channel>`` so that a retry never sends it twice."""
    queued = 0
    step = "" if what == "raised" else f"{what}:"
    for user in users:
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject, body = _alert_notice_text(alert, what)
            short = _alert_short_text(alert, what)
        for channel, address in _alert_addresses(user):
            notice = notice_queue(
                channel=channel,
                recipient=address,
                subject=subject,
                body=body if channel == Notice.Channel.EMAIL else short,
                key=f"alert:{alert.pk}:{step}{user.pk}:{channel}",
                language=language,
                organisation_path=path,
            )
            queued += notice is not None
    return queued


def alert_raise(
    *,
    rule: AlertRule,
    story: Story | None,
    item: Item | None,
    region: Region,
    district: District | None,
    now: datetime.datetime,
) -> Alert | None:
    """Raise the alert of (rule, story or item) unless it exists: route it to the region's
    active assembly and House of Friendship, give them ``MONITORING_ACK_HOURS`` to acknowledge
    it, tell their staff and the region's coordinators; audited. None when already raised."""
    if story is None and item is None:
        raise ValueError("An alert needs a story or an item.")
    title = (story.title if story is not None else "") or (
        (item.title or item.guid) if item is not None else ""
    )
    risk = max(item.risk if item is not None else 0, story.risk if story is not None else 0)
    with transaction.atomic():
        try:
            with transaction.atomic():
                alert = Alert.objects.create(
                    rule=rule,
                    story=story,
                    item=item,
                    title=title[:500],
                    topic=rule.topic or _top_topic(item),
                    risk=risk,
                    region=region,
                    district=district,
                    raised_at=now,
                    ack_due_at=now + datetime.timedelta(hours=alert_ack_hours()),
                    key=alert_key(rule, story, item),
                )
        except IntegrityError:
            return None  # raised meanwhile by another worker
        bodies = _alert_bodies(region)
        alert.routed_to.set(bodies)
        path = _alert_path(bodies)
        audit_record(
            actor=None,
            action=AuditEntry.Action.CREATE,
            obj=alert,
            organisation_path=path,
            changes={
                "rule": [None, rule.pk],
                "region": [None, region.iso],
                "routed_to": [None, [body.pk for body in bodies]],
            },
        )
        _alert_notify(alert, _alert_recipients(bodies), "raised", path)
        transaction.on_commit(kpi.invalidate)
    return alert


# --- The response: acknowledged → assessed → action taken (repeatable) → closed


def _alert_locked(alert: Alert) -> Alert:
    return (
        Alert.objects.select_for_update(of=("self",))
        .select_related("region")
        .prefetch_related("routed_to")
        .get(pk=alert.pk)
    )


def _check_handler(actor: User, alert: Alert) -> None:
    require(actor, "monitoring.handle_alert", alert)
    if alert.state == Alert.State.CLOSED:
        raise AlertError(_("This alert is closed."))


def _check_acknowledge(actor: User, alert: Alert) -> None:
    _check_handler(actor, alert)
    if alert.state != Alert.State.RAISED:
        raise AlertError(_("This alert is already acknowledged."))


def _check_assess(actor: User, alert: Alert) -> None:
    _check_handler(actor, alert)
    if alert.state == Alert.State.RAISED:
        raise AlertError(_("Acknowledge the alert before assessing it."))
    if alert.state != Alert.State.ACKNOWLEDGED:
        raise AlertError(_("This alert is already assessed."))


def _check_act(actor: User, alert: Alert) -> None:
    _check_handler(actor, alert)
    if alert.state not in (Alert.State.ASSESSED, Alert.State.ACTED):
        raise AlertError(_("Record the assessment before the action taken."))


def _check_close(actor: User, alert: Alert) -> None:
    _check_handler(actor, alert)
    if alert.state not in (Alert.State.ASSESSED, Alert.State.ACTED):
        raise AlertError(_("An alert is closed once it is assessed."))


# In the order the page lists them, with the state each one leads from.
ALERT_ACTIONS = ("acknowledge", "assess", "act", "close")
_ALERT_NEXT = {
    Alert.State.RAISED: "acknowledge",
    Alert.State.ACKNOWLEDGED: "assess",
    Alert.State.ASSESSED: "act",
    Alert.State.ACTED: "close",
}


def alert_actions(user: User, alert: Alert) -> RecordActions:
    """What ``user`` may do on ``alert`` now, by the checks the step services run; the next
    step follows the state: acknowledge, assess, act, close."""
    checks = {
        "acknowledge": lambda: _check_acknowledge(user, alert),
        "assess": lambda: _check_assess(user, alert),
        "act": lambda: _check_act(user, alert),
        "close": lambda: _check_close(user, alert),
    }
    return evaluate(checks, lambda allowed: _ALERT_NEXT.get(Alert.State(alert.state)))


def _alert_step(
    alert: Alert,
    *,
    actor: User,
    step: str,
    state: str,
    stamp: str | None = None,
    action: str = "",
    note: str = "",
) -> AlertStep:
    """Move the alert to ``state``, write the step and its audit row."""
    now = timezone.now()
    before = snapshot(alert, ["state"])
    alert.state = state
    fields = ["state"]
    if stamp is not None and getattr(alert, stamp) is None:
        setattr(alert, stamp, now)
        fields.append(stamp)
    alert.save(update_fields=fields)
    written = AlertStep.objects.create(
        alert=alert, step=step, action=action, note=note, actor=actor, at=now
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CLOSE
        if step == AlertStep.Step.CLOSE
        else AuditEntry.Action.UPDATE,
        obj=alert,
        organisation_path=_alert_path(alert.routed_to.all()),
        changes={
            **diff(before, snapshot(alert, ["state"])),
            **({"action": [None, action]} if action else {}),
        },
        note=note,
    )
    transaction.on_commit(kpi.invalidate)
    return written


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert) -> Alert:
    """A routed body's staff, the region's coordinator or a national administrator takes the
    alert in hand (the two-hour target is measured to this step)."""
    alert = _alert_locked(alert)
    _check_acknowledge(actor, alert)
    _alert_step(
        alert,
        actor=actor,
        step=AlertStep.Step.ACKNOWLEDGE,
        state=Alert.State.ACKNOWLEDGED,
        stamp="acknowledged_at",
    )
    return alert


@transaction.atomic
def alert_assess(*, actor: User, alert: Alert, note: str = "") -> Alert:
    """The acknowledged alert is assessed, with what was found."""
    alert = _alert_locked(alert)
    _check_assess(actor, alert)
    _alert_step(
        alert,
        actor=actor,
        step=AlertStep.Step.ASSESS,
        state=Alert.State.ASSESSED,
        note=note.strip(),
    )
    return alert


@transaction.atomic
def alert_act(*, actor: User, alert: Alert, action: str, note: str = "") -> Alert:
    """An action taken on an assessed alert (meeting, statement, mediation, referral, other);
    several may be recorded."""
    alert = _alert_locked(alert)
    _check_act(actor, alert)
    if action not in AlertStep.Action.values:
        raise AlertError(_("Choose the action taken."), field="action")
    _alert_step(
        alert,
        actor=actor,
        step=AlertStep.Step.ACT,
        state=Alert.State.ACTED,
        stamp="acted_at",
        action=action,
        note=note.strip(),
    )
    return alert


@transaction.atomic
def alert_close(*, actor: User, alert: Alert, note: str) -> Alert:
    """An assessed alert (acted on or not) is closed with a note saying how it ended."""
    alert = _alert_locked(alert)
    _check_close(actor, alert)
    if not note.strip():
        raise AlertError(_("Write how the alert ended before closing it."), field="note")
    _alert_step(
        alert,
        actor=actor,
        step=AlertStep.Step.CLOSE,
        state=Alert.State.CLOSED,
        stamp="closed_at",
        note=note.strip(),
    )
    return alert


def alerts_escalate(*, now: datetime.datetime) -> int:
    """Alerts unacknowledged past their term go to the national administrators, once: the
    alert is marked escalated, an ``escalate`` step written, audited. Returns how many."""
    count = 0
    for pk in list(alerts_overdue(now=now).order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            # Acknowledged or escalated by another worker since the list was read: skip.
            alert = alerts_overdue(
                now=now, qs=Alert.objects.select_for_update(of=("self",))
            ).filter(pk=pk)
            locked = alert.select_related("region").first()
            if locked is None:
                continue
            locked.escalated_at = now
            locked.save(update_fields=["escalated_at"])
            AlertStep.objects.create(alert=locked, step=AlertStep.Step.ESCALATE, at=now)
            path = _alert_path(locked.routed_to.all())
            audit_record(
                actor=None,
                action=AuditEntry.Action.UPDATE,
                obj=locked,
                organisation_path=path,
                changes={"escalated_at": [None, now.isoformat()]},
                note="not acknowledged in time: escalated to the national level",
            )
            _alert_notify(locked, _national_admins(), "escalate", path)
        count += 1
    return count


# --- Club register, appeal signals and the tension index (media) ------------------------------

# the journalists' club

# A file of the club's output larger than this is split (a month of the network is far less).
CLUB_IMPORT_MAX_ROWS = 10_000
# The daily sync looks back this far, so a missed day is caught up.
CLUB_SYNC_WINDOW = datetime.timedelta(days=3)
CLUB_SYNC_BATCH = 500
CLUB_FIRST_DAY = datetime.date(2000, 1, 1)
CLUB_EDITABLE = frozenset(
    {"organisation", "outlet", "kind", "published_on", "title", "url", "region"}
)


class ClubError(DomainError):
    """A publication the club's register cannot take, with what to correct."""


@dataclass
class ImportResult:
    """What a club import did: rows stored, duplicates skipped, rows refused (by the number of
    their line in the file) with the reasons, and lines that are not data."""

    stored: int = 0
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    errors: list[tuple[int, list[str]]] = field(default_factory=list)  # (line, reasons)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, why)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (line, worth a look)


CLUB_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "date",
        gettext_lazy("Date of publication"),
        (
            "date", "Дата", "Күні", "Күн", "Дата публикации", "Дата выхода", "Дата эфира",
            "Дата размещения", "Жарияланған күні", "Жарияланым күні", "Эфир күні",
            "Шыққан күні", "Date", "Publication date", "Published", "Published on", "Air date",
        ),
        kind="date",
        required=True,
    ),
    FieldSpec(
        "outlet",
        gettext_lazy("Outlet"),
        (
            "outlet", "СМИ", "БАҚ", "Наименование СМИ", "Название СМИ", "БАҚ атауы", "Издание",
            "Басылым", "Телеканал", "Арна", "Канал", "Источник", "Дереккөз", "Ресурс",
            "Платформа", "Медиа", "Outlet", "Media", "Media outlet", "Channel", "Source",
        ),
        required=True,
    ),
    FieldSpec(
        "kind",
        gettext_lazy("Kind of publication"),
        (
            "kind", "Вид", "Тип", "Түрі", "Түр", "Вид материала", "Тип материала",
            "Материал түрі", "Формат", "Жанр", "Kind", "Type", "Format",
        ),
        required=True,
    ),
    FieldSpec(
        "title",
        gettext_lazy("Title of the publication"),
        (
            "title", "Заголовок", "Название", "Название материала", "Наименование материала",
            "Тема", "Тақырып", "Тақырыбы", "Атауы", "Материалдың атауы", "Title", "Headline",
        ),
        required=True,
    ),
    FieldSpec(
        "url",
        gettext_lazy("Link"),
        (
            "url", "Ссылка", "Ссылка на материал", "Ссылка на публикацию", "Сілтеме",
            "Сілтемесі", "Адрес", "Веб-адрес", "Link", "URL", "Web address",
        ),
    ),
    FieldSpec(
        "region",
        gettext_lazy("Region"),
        (
            "region", "Регион", "Область", "Облыс", "Өңір", "Область/город", "Облыс/қала",
            "Region",
        ),
    ),
)  # fmt: skip

# What staff write in the kind column, by their key (``cleaning.match_key``): whole cells
# first, then any word of the cell.
_CLUB_KIND_WORDS: dict[str, tuple[str, ...]] = {
    ClubPublication.Kind.PUBLICATION: (
        "publication", "article", "print", "online", "web", "site", "news", "публикация",
        "публикации", "статья", "статьи", "материал", "газета", "журнал", "печать", "сайт",
        "интернет", "новость", "жарияланым", "жарияланымдар", "мақала", "мақалалар", "басылым",
        "газет", "пуб", "публ", "ст", "мақ",
    ),
    ClubPublication.Kind.TV: (
        "tv", "television", "broadcast", "video", "тв", "телесюжет", "телесюжеты", "сюжет",
        "сюжеты", "телевидение", "теле", "видеосюжет", "видео", "эфир", "репортаж",
        "бейнесюжет", "телехабар", "хабар", "тс", "тврепортаж",
    ),
    ClubPublication.Kind.SOCIAL: (
        "post", "posts", "social", "smm", "instagram", "facebook", "telegram", "tiktok",
        "youtube", "vk", "пост", "посты", "соцсети", "соцсеть", "соц", "социальные",
        "жазба", "жазбалар", "желі", "әлеуметтік", "инстаграм", "фейсбук", "телеграм",
        "тикток", "ютуб", "вконтакте",
    ),
}  # fmt: skip
_CLUB_KIND_INDEX = {
    match_key(word): kind for kind, words in _CLUB_KIND_WORDS.items() for word in words
}
# A region cell that means the whole country: the publication has no region.
_CLUB_NATIONAL_WORDS = frozenset(
    match_key(word)
    for word in (
        "РК", "ҚР", "Республика", "Республика Казахстан", "Қазақстан Республикасы",
        "Казахстан", "Қазақстан", "республиканский", "республикалық", "national",
        "Kazakhstan", "вся страна", "бүкіл ел",
    )
)  # fmt: skip


def club_kind_of(text: str) -> str | None:
    """The kind a cell names («ТВ-сюжет», «пост в Instagram», «мақала», "TV"), or None."""
    key = match_key(text)
    if not key:
        return None
    if key in _CLUB_KIND_INDEX:
        return _CLUB_KIND_INDEX[key]
    for word in key.split():
        if word in _CLUB_KIND_INDEX:
            return _CLUB_KIND_INDEX[word]
    return None


def _club_may_file_under(actor: User, organisation: Organisation | None) -> bool:
    return organisation is not None and club_bodies(user=actor).filter(pk=organisation.pk).exists()


def _club_url_problem(url: str, *, exclude: int | None = None) -> str:
    if not url:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return _("“%(value)s” is not a web address: start it with https://.") % {"value": url[:80]}
    same = ClubPublication.objects.filter(url=url)
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        return _("A publication with this link is already in the register.")
    return ""


def _club_problems(
    *,
    outlet: str,
    kind: str,
    published_on: datetime.date | None,
    title: str,
) -> list[tuple[str, str]]:
    """(field, message) for each broken rule of one publication, the link and body aside."""
    problems: list[tuple[str, str]] = []
    if not outlet:
        problems.append(("outlet", _("Give the outlet that published it.")))
    elif len(outlet) > 200:
        problems.append(("outlet", _("The outlet's name may have at most 200 characters.")))
    if kind not in ClubPublication.Kind.values:
        problems.append(
            ("kind", _("Choose the kind: a publication, a TV story or a social-media post."))
        )
    if published_on is None:
        problems.append(("published_on", _("Give the date of publication.")))
    elif published_on > timezone.localdate():
        problems.append(("published_on", _("The date of publication is in the future.")))
    elif published_on < CLUB_FIRST_DAY:
        problems.append(("published_on", _("The date of publication is before 2000.")))
    if not title:
        problems.append(("title", _("Give the title of the publication.")))
    elif len(title) > 500:
        problems.append(("title", _("The title may have at most 500 characters.")))
    return problems


def _club_check(
    actor: User, values: dict[str, Any], *, exclude: int | None = None
) -> dict[str, Any]:
    """The cleaned fields of a publication, or ClubError naming the first broken rule."""
    unknown = set(values) - CLUB_EDITABLE
    if unknown:
        raise TypeError(f"not a field of a club publication: {sorted(unknown)}")
    cleaned: dict[str, Any] = {
        "organisation": values.get("organisation"),
        "outlet": clean_text(values.get("outlet", "")),
        "kind": str(values.get("kind") or ""),
        "published_on": values.get("published_on"),
        "title": clean_text(values.get("title", "")),
        "url": (values.get("url") or "").strip(),
        "region": values.get("region"),
    }
    if not _club_may_file_under(actor, cleaned["organisation"]):
        raise ClubError(
            _("Choose the journalists' club or a member or partner body that you keep."),
            field="organisation",
        )
    problems = _club_problems(
        outlet=cleaned["outlet"],
        kind=cleaned["kind"],
        published_on=cleaned["published_on"],
        title=cleaned["title"],
    )
    if problems:
        name, message = problems[0]
        raise ClubError(message, field=name)
    if problem := _club_url_problem(cleaned["url"], exclude=exclude):
        raise ClubError(problem, field="url")
    return cleaned


def _club_in_scope(actor: User, publication: ClubPublication) -> None:
    require(actor, "monitoring.register_club")
    if not scoped(ClubPublication.objects.filter(pk=publication.pk), actor).exists():
        raise PermissionDenied("monitoring.register_club")


def _club_audit(
    actor: User | None, action: str, publication: ClubPublication, changes: dict[str, Any]
) -> None:
    organisation = publication.organisation
    audit_record(
        actor=actor,
        action=action,
        obj=publication,
        organisation_path=organisation.path if organisation is not None else "",
        changes=changes,
    )


def _club_value(value: Any) -> Any:
    """A field's value as the audit log keeps it (ids and ISO dates)."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


@transaction.atomic
def club_publication_register(*, actor: User, **fields: Any) -> ClubPublication:
    """A publication, TV story or post of the club's member or partner media enters the
    register once (its link is unique), filed under a club body the actor keeps."""
    require(actor, "monitoring.register_club")
    cleaned = _club_check(actor, fields)
    try:
        with transaction.atomic():
            publication = ClubPublication.objects.create(created_by=actor, **cleaned)
    except IntegrityError as error:  # the same link registered a moment ago
        raise ClubError(
            _("A publication with this link is already in the register."), field="url"
        ) from error
    _club_audit(
        actor,
        AuditEntry.Action.CREATE,
        publication,
        {name: [None, _club_value(value)] for name, value in cleaned.items()},
    )
    transaction.on_commit(kpi.invalidate)
    return publication


@transaction.atomic
def club_publication_update(
    *, actor: User, publication: ClubPublication, **fields: Any
) -> ClubPublication:
    """A publication in the actor's register is corrected; the same rules as on entry."""
    publication = ClubPublication.objects.select_for_update(of=("self",)).get(pk=publication.pk)
    _club_in_scope(actor, publication)
    current = {
        "organisation": publication.organisation,
        "outlet": publication.outlet,
        "kind": publication.kind,
        "published_on": publication.published_on,
        "title": publication.title,
        "url": publication.url,
        "region": publication.region,
    }
    cleaned = _club_check(actor, {**current, **fields}, exclude=publication.pk)
    changes = {
        name: [_club_value(current[name]), _club_value(value)]
        for name, value in cleaned.items()
        if _club_value(current[name]) != _club_value(value)
    }
    if not changes:
        return publication
    for name, value in cleaned.items():
        setattr(publication, name, value)
    try:
        with transaction.atomic():
            publication.save()
    except IntegrityError as error:
        raise ClubError(
            _("A publication with this link is already in the register."), field="url"
        ) from error
    _club_audit(actor, AuditEntry.Action.UPDATE, publication, changes)
    transaction.on_commit(kpi.invalidate)
    return publication


@transaction.atomic
def club_publication_delete(*, actor: User, publication: ClubPublication) -> None:
    """A publication leaves the register; one collected from a club source is not collected
    again (the audit row remembers its item)."""
    publication = ClubPublication.objects.select_related("organisation").get(pk=publication.pk)
    _club_in_scope(actor, publication)
    _club_audit(
        actor,
        AuditEntry.Action.DELETE,
        publication,
        {
            "item": [publication.item_id, None],
            "title": [publication.title, None],
            "published_on": [publication.published_on.isoformat(), None],
        },
    )
    publication.delete()
    transaction.on_commit(kpi.invalidate)


# --- The club's spreadsheets


def _club_default_body(actor: User, organisation: Organisation | None) -> Organisation:
    if organisation is not None:
        if not _club_may_file_under(actor, organisation):
            raise ClubError(
                _("Choose the journalists' club or a member or partner body that you keep."),
                field="organisation",
            )
        return organisation
    bodies = list(club_bodies(user=actor)[:2])
    if len(bodies) != 1:
        raise ClubError(
            _("Choose the body the publications are filed under."), field="organisation"
        )
    return bodies[0]


def _club_read_upload(upload: Any) -> bytes:
    if upload is None:
        raise ClubError(_("Choose a file."), field="file")
    if isinstance(upload, (bytes, bytearray)):
        uploads.check_size(len(upload), uploads.IMPORT_LIMIT, split=True)
        return bytes(upload)
    uploads.check_size(getattr(upload, "size", None), uploads.IMPORT_LIMIT, split=True)
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(uploads.limit_bytes(uploads.IMPORT_LIMIT) + 1)
    uploads.check_size(len(data), uploads.IMPORT_LIMIT, split=True)
    return bytes(data)


@dataclass
class _ClubRow:
    line: int
    values: dict[str, Any]
    url_key: str
    text_key: tuple[str, datetime.date, str]


def _club_text_key(outlet: str, day: datetime.date, title: str) -> tuple[str, datetime.date, str]:
    return match_key(outlet), day, match_key(title)


def _club_region_of(
    text: str, places: PlaceIndex, errors: list[str], notes: list[str]
) -> Region | None:
    if not text or match_key(text) in _CLUB_NATIONAL_WORDS:
        return None
    found = places.region(text)
    if found.error:
        errors.append(found.error)
    elif found.warning:
        notes.append(found.warning)
    return found.value


def _club_row(
    line: int, row: dict[str, str], places: PlaceIndex, result: ImportResult
) -> _ClubRow | None:
    """One row read and checked: the publication's values, or None with its reasons kept."""
    errors: list[str] = []
    notes: list[str] = []
    day = date_value(row, "date", CLUB_FIELDS[0].label, errors)
    kind_text = clean_text(row.get("kind", ""))
    kind = club_kind_of(kind_text) or ""
    if kind_text and not kind:
        errors.append(
            _(
                "Kind: “%(value)s” is not a kind Birlik counts; write a publication, a TV "
                "story or a post."
            )
            % {"value": kind_text[:60]}
        )
    region = _club_region_of(clean_text(row.get("region", "")), places, errors, notes)
    outlet, title, url = (
        clean_text(row.get("outlet", "")),
        clean_text(row.get("title", "")),
        row.get("url", "").strip(),
    )
    values: dict[str, Any] = {
        "outlet": outlet,
        "kind": kind,
        "published_on": day,
        "title": title,
        "url": url,
        "region": region,
    }
    # A date or a kind that was written but not understood has its message already.
    told = {"published_on"} if row.get("date") and day is None else set()
    told |= {"kind"} if kind_text and not kind else set()
    errors += [
        message
        for name, message in _club_problems(outlet=outlet, kind=kind, published_on=day, title=title)
        if name not in told
    ]
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors.append(
                _("Link: “%(value)s” is not a web address; start it with https://.")
                % {"value": url[:80]}
            )
    result.notes += [(line, note) for note in notes]
    if errors or day is None:
        result.errors.append((line, errors))
        return None
    return _ClubRow(
        line=line,
        values=values,
        url_key=url,
        text_key=_club_text_key(outlet, day, title),
    )


def _club_known(rows: list[_ClubRow]) -> tuple[set[str], set[tuple[str, datetime.date, str]]]:
    """The links and (outlet, day, title) keys of the register that the file's rows meet."""
    urls = sorted({row.url_key for row in rows if row.url_key})
    known_urls: set[str] = set()
    for start in range(0, len(urls), 500):
        known_urls.update(
            ClubPublication.objects.filter(url__in=urls[start : start + 500]).values_list(
                "url", flat=True
            )
        )
    days = [row.text_key[1] for row in rows]
    known_texts: set[tuple[str, datetime.date, str]] = set()
    if days:
        for outlet, day, title in ClubPublication.objects.filter(
            published_on__range=(min(days), max(days))
        ).values_list("outlet", "published_on", "title"):
            known_texts.add(_club_text_key(outlet, day, title))
    return known_urls, known_texts


def _club_new_rows(rows: list[_ClubRow], result: ImportResult) -> list[_ClubRow]:
    """The rows not yet in the register nor earlier in the file; the others are counted."""
    known_urls, known_texts = _club_known(rows)
    seen_urls: dict[str, int] = {}
    seen_texts: dict[tuple[str, datetime.date, str], int] = {}
    fresh: list[_ClubRow] = []
    for row in rows:
        earlier = seen_urls.get(row.url_key) if row.url_key else None
        earlier = earlier or seen_texts.get(row.text_key)
        if earlier is not None:
            why = _("The same publication as row %(line)s of the file.") % {"line": earlier}
        elif (row.url_key and row.url_key in known_urls) or row.text_key in known_texts:
            why = _("Already in the register.")
        else:
            why = ""
        if why:
            result.duplicates.append((row.line, why))
            continue
        if row.url_key:
            seen_urls[row.url_key] = row.line
        seen_texts[row.text_key] = row.line
        fresh.append(row)
    return fresh


def club_import(
    *, actor: User, upload: Any, organisation: Organisation | None = None
) -> ImportResult:
    """A spreadsheet of the club's output (XLSX or CSV, headers in kk/ru/en, a title above
    the table, totals below): good rows are stored, duplicates (the same link, or the same
    outlet, day and title) skipped and counted, rows with errors reported by their line.
    Nothing is stored from a file that cannot be read."""
    require(actor, "monitoring.register_club")
    body = _club_default_body(actor, organisation)
    data = _club_read_upload(upload)
    try:
        table = spreadsheets.extract(data, CLUB_FIELDS, max_rows=CLUB_IMPORT_MAX_ROWS)
    except ImportFileError as error:
        raise ClubError(error.message, field="file") from error
    result = ImportResult(skipped=list(table.skipped))
    places = PlaceIndex()
    checked = [
        row
        for line, values in table.rows
        if (row := _club_row(line, values, places, result)) is not None
    ]
    fresh = _club_new_rows(checked, result)
    _club_store(actor, body, fresh, result)
    return result


@transaction.atomic
def _club_store(
    actor: User, body: Organisation, rows: list[_ClubRow], result: ImportResult
) -> None:
    for row in rows:
        publication = ClubPublication.objects.create(
            organisation=body, created_by=actor, **row.values
        )
        _club_audit(
            actor,
            AuditEntry.Action.IMPORT,
            publication,
            {name: [None, _club_value(value)] for name, value in row.values.items()},
        )
    result.stored = len(rows)
    if rows:
        transaction.on_commit(kpi.invalidate)


# --- Collected from the club's sources


def _club_kind_of_source(source: Source) -> str:
    if source.club_kind in ClubPublication.Kind.values:
        return source.club_kind
    if source.kind == Source.Kind.TELEGRAM:
        return ClubPublication.Kind.SOCIAL
    return ClubPublication.Kind.PUBLICATION


def _club_withdrawn_items() -> set[int]:
    """Items whose publication staff deleted from the register: never collected again."""
    rows = AuditEntry.objects.filter(
        object_type=ClubPublication._meta.label, action=AuditEntry.Action.DELETE
    ).values_list("changes", flat=True)
    found: set[int] = set()
    for changes in rows:
        item = (changes or {}).get("item") or [None]
        if isinstance(item, list) and isinstance(item[0], int):
            found.add(item[0])
    return found


def _club_sync_candidates(since: datetime.datetime | None) -> Any:
    first_text_place = Subquery(
        ItemPlace.objects.filter(
            item=OuterRef("pk"), via__in=[ItemPlace.Via.TEXT, ItemPlace.Via.HAND]
        )
        .order_by("id")
        .values("region_id")[:1]
    )
    items = Item.objects.filter(
        source__club_member__isnull=False,
        state=Item.State.PROCESSED,
        club_publication__isnull=True,
    )
    if since is not None:
        items = items.filter(fetched_at__gte=since)
    return (
        items.annotate(first_region=first_text_place)
        .select_related("source")
        .only(
            "pk", "url", "title", "text", "published_at", "source__name", "source__kind",
            "source__club_member_id", "source__club_kind", "source__home_region_id",
        )
        .order_by("pk")
    )  # fmt: skip


def _club_from_item(item: Item) -> ClubPublication:
    source = item.source
    title = item.title or (item.text.strip().splitlines() or ["—"])[0]
    return ClubPublication(
        organisation_id=source.club_member_id,
        outlet=source.name[:200],
        kind=_club_kind_of_source(source),
        published_on=timezone.localdate(item.published_at),
        title=clean_text(title)[:500] or "—",
        url=item.url,
        region_id=getattr(item, "first_region", None) or source.home_region_id,
        item=item,
    )


@transaction.atomic
def _club_sync_batch(items: list[Item]) -> int:
    urls = [item.url for item in items if item.url]
    by_url = {
        publication.url: publication
        for publication in ClubPublication.objects.select_for_update(of=("self",)).filter(
            url__in=urls
        )
    }
    new: list[ClubPublication] = []
    taken: set[str] = set()
    for item in items:
        if item.url and item.url in by_url:
            # Entered by hand (or from a file) before it was collected: the same publication.
            publication = by_url[item.url]
            if publication.item_id is None:
                publication.item = item
                publication.save(update_fields=["item"])
            continue
        if item.url and item.url in taken:
            continue
        if item.url:
            taken.add(item.url)
        new.append(_club_from_item(item))
    if not new:
        return 0
    ClubPublication.objects.bulk_create(new, ignore_conflicts=True)
    return ClubPublication.objects.filter(item__in=[p.item for p in new]).count()


def club_publications_sync(*, since: datetime.datetime | None = None) -> int:
    """Items collected from the club's sources (``Source.club_member``) become the club's
    publications, once per item: kind from ``Source.club_kind``, region from the first place
    the text names (else the outlet's home region). ``since``: items fetched since then only
    (None: every item not yet counted). Returns the publications added."""
    withdrawn = _club_withdrawn_items()
    added = 0
    batch: list[Item] = []
    for item in _club_sync_candidates(since).iterator(chunk_size=CLUB_SYNC_BATCH):
        if item.pk in withdrawn:
            continue
        batch.append(item)
        if len(batch) >= CLUB_SYNC_BATCH:
            added += _club_sync_batch(batch)
            batch = []
    if batch:
        added += _club_sync_batch(batch)
    if added:
        kpi.invalidate()
    return added


# tension and appeal signals

# Appeals received in this many days are scored again at each run (a newer model may read them
# differently); older ones only once.
APPEAL_SIGNAL_DAYS = 14
APPEAL_SIGNAL_BATCH = 500
# What of an appeal's text the classifier reads: enough for its topics, as for an item.
APPEAL_TEXT_READ = 5000


def appeal_signals_update(*, since: datetime.date | None = None) -> int:
    """Score the appeals received since ``since`` (default: the last 14 days) and every appeal
    never scored; only the topics and the highest risk are kept, never the text."""
    start = since or timezone.localdate() - datetime.timedelta(days=APPEAL_SIGNAL_DAYS)
    scored = AppealSignal.objects.values("appeal_id")
    rows = (
        Appeal.objects.filter(Q(received_at__gte=_day_start(start)) | ~Q(pk__in=scored))
        .annotate(region_key=Coalesce("region_id", "organisation__region_id"))
        .order_by("pk")
        .values_list("pk", "region_key", "received_at", "language", "subject", "text")
    )
    stored = 0
    batch: list[tuple[Any, ...]] = []
    for row in rows.iterator(chunk_size=APPEAL_SIGNAL_BATCH):
        batch.append(row)
        if len(batch) == APPEAL_SIGNAL_BATCH:
            stored += _appeal_signals_store(batch)
            batch = []
    if batch:
        stored += _appeal_signals_store(batch)
    return stored


def _appeal_signals_store(rows: list[tuple[Any, ...]]) -> int:
    # Loaded here, not at import: the detector and the model are for the worker, and every web
    # process imports this module.
    from .classifier import current_scorer
    from .language import detect

    texts = [f"{subject}\n{text}"[:APPEAL_TEXT_READ] for *_head, subject, text in rows]
    languages = [
        detect(text, declared=row[3] or "")[0] for text, row in zip(texts, rows, strict=True)
    ]
    scores = current_scorer().score(texts, languages)
    signals = [
        AppealSignal(
            appeal_id=pk,
            region_id=region_id,
            received_on=timezone.localdate(received_at),
            risk=_risk_of(topics),
            topics={topic: round(float(p), 4) for topic, p in topics.items()},
        )
        for (pk, region_id, received_at, *_rest), topics in zip(rows, scores, strict=True)
    ]
    AppealSignal.objects.bulk_create(
        signals,
        update_conflicts=True,
        unique_fields=["appeal_id"],
        update_fields=["region", "received_on", "risk", "topics"],
    )
    return len(signals)


def _risk_of(topics: dict[str, float]) -> float:
    return round(max((float(topics.get(topic, 0.0)) for topic in RISK_TOPICS), default=0.0), 4)


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _week_of(value: datetime.date | datetime.datetime) -> datetime.date:
    """The Monday of a value ``TruncWeek`` gave (a date, or a local datetime)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return _monday(value)


def tension_rebuild(*, today: datetime.date, weeks: int = 12) -> int:
    """The index of every region for the ``weeks`` complete ISO weeks before ``today``'s week and
    for ``today``'s week so far, each weighed against the median of its region's 12 weeks
    before; the rows of those weeks are replaced whole, so a second run changes nothing."""
    if weeks < 1:
        raise DomainError(_("The index needs at least one week."), field="weeks")
    current = _monday(today)
    first = current - datetime.timedelta(weeks=weeks)
    history = first - datetime.timedelta(weeks=TENSION_BASELINE_WEEKS)
    mondays = [
        history + datetime.timedelta(weeks=n) for n in range(weeks + TENSION_BASELINE_WEEKS + 1)
    ]
    counts = TensionCounts(
        media=_media_by_region_week(start=history, end=today),
        appeals=_appeals_by_region_week(start=history, end=today),
        mediation=interethnic_cases_by_region_week(start=history, end=today),
    )
    weights = tension_weights()
    rows = [
        _tension_week(
            region_id,
            week=mondays[n],
            previous=mondays[n - TENSION_BASELINE_WEEKS : n],
            counts=counts,
            weights=weights,
            complete=mondays[n] < current,
        )
        for region_id in Region.objects.order_by("pk").values_list("pk", flat=True)
        for n in range(TENSION_BASELINE_WEEKS, len(mondays))
    ]
    with transaction.atomic():
        TensionWeek.objects.filter(week__gte=first, week__lte=current).delete()
        TensionWeek.objects.bulk_create(rows)
    return len(rows)


@dataclass(frozen=True)
class TensionCounts:
    """The three counts by (region id, Monday): M (stories' weight), A (appeals), D (cases)."""

    media: dict[tuple[int, datetime.date], float]
    appeals: dict[tuple[int, datetime.date], int]
    mediation: dict[tuple[int, datetime.date], int]


def tension_index(
    normalised: tuple[float, float, float], weights: tuple[float, float, float]
) -> int:
    """Index = min(100, round(50 × (w_M·M̃ + w_A·Ã + w_D·D̃))), halves rounded up: 50 is a week
    as usual, 100 twice usual or more."""
    total = sum(w * x for w, x in zip(weights, normalised, strict=True))
    return min(100, math.floor(50 * total + 0.5))


def _tension_week(
    region_id: int,
    *,
    week: datetime.date,
    previous: list[datetime.date],
    counts: TensionCounts,
    weights: tuple[float, float, float],
    complete: bool,
) -> TensionWeek:
    parts: dict[str, dict[str, float]] = {}
    for name, by_week in (
        ("media", counts.media),
        ("appeals", counts.appeals),
        ("mediation", counts.mediation),
    ):
        count = float(by_week.get((region_id, week), 0))
        baseline = float(statistics.median(by_week.get((region_id, day), 0) for day in previous))
        parts[name] = {
            "count": round(count, 4),
            "baseline": round(baseline, 4),
            "normalised": round(count / (baseline + 1), 4),
        }
    normalised = (
        parts["media"]["normalised"],
        parts["appeals"]["normalised"],
        parts["mediation"]["normalised"],
    )
    return TensionWeek(
        region_id=region_id,
        week=week,
        media=parts["media"]["count"],
        appeals=int(parts["appeals"]["count"]),
        mediation=int(parts["mediation"]["count"]),
        index=tension_index(normalised, weights),
        components={
            **parts,
            "weights": dict(zip(("media", "appeals", "mediation"), weights, strict=True)),
            "complete": complete,
        },
    )


def _media_by_region_week(
    *, start: datetime.date, end: datetime.date
) -> dict[tuple[int, datetime.date], float]:
    """M: for each story and week, the highest risk of its items that week × log2(1 + the
    distinct sources that carried it that week), added to each region the story touches: a
    reprinted rumour counts once, weighed by its reach."""
    items = Item.objects.filter(
        story__isnull=False,
        published_at__gte=_day_start(start),
        published_at__lt=_day_start(end + datetime.timedelta(days=1)),
    )
    weight: dict[tuple[int, datetime.date], float] = {}
    for story_id, week, risk, sources in (
        items.annotate(week=TruncWeek("published_at"))
        .values_list("story_id", "week")
        .annotate(risk=Max("risk"), sources=Count("source_id", distinct=True))
        .order_by()
    ):
        weight[(story_id, _week_of(week))] = float(risk or 0) * math.log2(1 + sources)
    regions: dict[int, list[int]] = {}
    for story_id, region_id in Story.regions.through.objects.filter(
        story_id__in=items.values("story_id")
    ).values_list("story_id", "region_id"):
        regions.setdefault(story_id, []).append(region_id)
    media: dict[tuple[int, datetime.date], float] = {}
    for (story_id, week), value in weight.items():
        for region_id in regions.get(story_id, []):
            media[(region_id, week)] = media.get((region_id, week), 0.0) + value
    return media


def _appeals_by_region_week(
    *, start: datetime.date, end: datetime.date
) -> dict[tuple[int, datetime.date], int]:
    """A: appeals whose text the classifier reads as a risk (p ≥ 0.5). The appeals register has
    no kind or topic that says "interethnic", so the classifier is the only reader."""
    rows = (
        AppealSignal.objects.filter(
            received_on__gte=start,
            received_on__lte=end,
            risk__gte=TOPIC_THRESHOLD,
            region__isnull=False,
        )
        .annotate(week=TruncWeek("received_on"))
        .values_list("region_id", "week")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(region_id, _week_of(week)): n for region_id, week, n in rows}
