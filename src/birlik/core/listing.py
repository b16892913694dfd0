"""Paginated staff and public lists: one page of rows, and the query string that keeps understood
filters.

``page_of`` numbers pages with ``OFFSET`` and counts every row: fine for short lists.
``keyset_page`` is for lists that grow without bound (appeals, events): each page continues
after the ordering key of the previous page's last row (a signed cursor), so page 50 costs what
page 1 costs, and the count stops at ``COUNT_LIMIT`` ("more than 1,000").
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, F, Field, Func, Model, Q, QuerySet
from django.http import HttpRequest

M = TypeVar("M", bound=Model)

CURSOR_PARAM = "cursor"
# Counts stop here: a page says "more than 1,000" rather than counting a million rows.
COUNT_LIMIT = 1000
# ``?page=N`` links (from before the cursors, or typed by hand) are answered up to this page by
# skipping rows on the ordering index; further ones show the last page.
MAX_PAGE_NUMBER = 400


class LiteralIn(Func):
    """``field IN ('a', 'b')`` with the values written into the SQL rather than bound.

    SQLite uses a partial index only when the query repeats the index's WHERE term literally;
    a bound parameter (Django binds every value) never matches it. For fixed code constants
    (statuses), never for user input: values must be plain words."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, field: str, values: Sequence[str]) -> None:
        if not values or not all(re.fullmatch(r"[A-Za-z0-9_]+", str(value)) for value in values):
            raise ValueError("LiteralIn takes plain words, written into the SQL as they are")
        self.values = tuple(str(value) for value in values)
        super().__init__(F(field))

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[Any, ...]]:
        column, params = compiler.compile(self.source_expressions[0])
        literals = ", ".join(f"'{value}'" for value in self.values)
        return f"{column} IN ({literals})", tuple(params)


def page_of(
    request: HttpRequest, items: Any, param: str = "page", size: int | None = None
) -> Page[Any]:
    """The page of ``items`` asked for in ``?<param>=`` (the last page for a page too far)."""
    return Paginator(items, size or settings.BIRLIK_PAGE_SIZE).get_page(request.GET.get(param))


def kept_query(request: HttpRequest, form: Any, extra: tuple[str, ...] = ()) -> str:
    """The filters that were understood, for links to other pages of the list."""
    kept: dict[str, str] = {
        key: str(value)
        for key, value in request.GET.items()
        if value
        and ((key in form.fields and key not in form.errors) or key in extra)
        and key not in {"page", CURSOR_PARAM}
    }
    return urlencode(kept)


@dataclass(frozen=True)
class BoundedCount:
    """How many rows a list has, counted up to a limit: ``more`` when there are more than
    ``value`` (then ``value`` is the limit)."""

    value: int
    more: bool


@dataclass(frozen=True)
class KeysetPage(Generic[M]):
    """One page of a keyset-paginated list, with the query strings of its neighbours."""

    object_list: list[M]
    count: BoundedCount
    # 1 for the first page; None when it is not known (the last page reached from far away).
    number: int | None
    has_previous: bool
    has_next: bool
    # Query strings (without "?") of the first, previous and next pages, filters kept.
    first_query: str
    previous_query: str
    next_query: str

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next


@dataclass(frozen=True)
class _Key:
    name: str
    descending: bool


def _field(model: type[Model], key: _Key) -> Field[Any, Any]:
    field = model._meta.pk if key.name == "pk" else model._meta.get_field(key.name)
    if not isinstance(field, Field):
        raise ValueError(f"a keyset ordering orders by columns of the model, not {key.name}")
    return field


def _keys(model: type[Model], order: Sequence[str]) -> list[_Key]:
    keys = [_Key(name.lstrip("-"), name.startswith("-")) for name in order]
    for key in keys:
        _field(model, key)  # a column of the model itself, or an error
    if keys[-1].name not in {"id", "pk"}:
        raise ValueError("a keyset ordering must end with the primary key, to be total")
    return keys


def _plain(value: Any) -> Any:
    """A key value as JSON can carry it in the cursor."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _salt(model: type[Model], keys: list[_Key]) -> str:
    # A cursor only serves the list ordering it was made for.
    order = ",".join(("-" if key.descending else "") + key.name for key in keys)
    return f"birlik.listing:{model._meta.label}:{order}"


def _after(keys: list[_Key], values: Sequence[Any], backwards: bool) -> Q:
    """Rows strictly after ``values`` in the ordering (before them when ``backwards``)."""
    clauses = []
    for index, key in enumerate(keys):
        operator = "lt" if key.descending != backwards else "gt"
        equal = {keys[before].name: values[before] for before in range(index)}
        clauses.append(Q(**equal, **{f"{key.name}__{operator}": values[index]}))
    # The leading column's range alone, so the database can seek in the ordering index.
    lead = keys[0]
    lead_operator = "lte" if lead.descending != backwards else "gte"
    return Q(**{f"{lead.name}__{lead_operator}": values[0]}) & reduce(or_, clauses)


def _ordering(keys: list[_Key], backwards: bool = False) -> list[str]:
    return [("-" if key.descending != backwards else "") + key.name for key in keys]


@dataclass(frozen=True)
class _Cursor:
    values: list[Any]
    backwards: bool
    number: int | None


def _read_cursor(raw: str, model: type[Model], keys: list[_Key]) -> _Cursor | None:
    """The cursor in ``raw``, or None when it is forged, stale or garbled."""
    try:
        data = signing.loads(raw, salt=_salt(model, keys))
        values = data["k"] if isinstance(data, dict) else None
        if not isinstance(values, list) or len(values) != len(keys):
            return None
        typed = [
            _field(model, key).to_python(value) for key, value in zip(keys, values, strict=True)
        ]
        number = data.get("n")
        if number is not None and (not isinstance(number, int) or number < 1):
            number = None
        return _Cursor(values=typed, backwards=data.get("d") == "p", number=number)
    except (signing.BadSignature, ValidationError, KeyError, TypeError, ValueError):
        return None


def _make_cursor(
    row: Model, model: type[Model], keys: list[_Key], *, backwards: bool, number: int | None
) -> str:
    values = [_plain(getattr(row, "pk" if key.name == "pk" else key.name)) for key in keys]
    payload: dict[str, Any] = {"k": values, "d": "p" if backwards else "n"}
    if number is not None:
        payload["n"] = number
    return signing.dumps(payload, salt=_salt(model, keys))


def bounded_count(items: QuerySet[Any], limit: int | None = None) -> BoundedCount:
    """How many rows ``items`` has, counting no further than ``limit`` + 1 rows."""
    limit = limit or COUNT_LIMIT
    seen = items.order_by().values("pk")[: limit + 1].count()
    return BoundedCount(value=min(seen, limit), more=seen > limit)


def keyset_page(
    request: HttpRequest,
    items: QuerySet[M],
    *,
    order: Sequence[str],
    query: str = "",
    size: int | None = None,
    count_limit: int | None = None,
    numbered_pages: int = 0,
) -> KeysetPage[M]:
    """The page of ``items`` in ``order`` that ``?cursor=`` (or an old ``?page=N``) asks for.

    ``order`` names columns of the model, NOT NULL in the listed rows, ending with ``id``.
    ``query`` is the list's filters (``kept_query``), kept in the links to other pages. A cursor
    that is forged, garbled or made for another ordering shows the first page; ``?page=N`` skips
    rows along the ordering (for the first ``MAX_PAGE_NUMBER`` pages), a page too far shows the
    last page. Costs: the rows and the bounded count (two queries, however many rows) and, for
    ``?page=N``, the keys skipped (one more). Links to the first
    ``numbered_pages`` pages are ``?page=N`` (stable addresses for a public list; each skips at
    most that many pages of keys), further ones cursors.
    """
    model = items.model
    keys = _keys(model, order)
    count_limit = count_limit or COUNT_LIMIT
    size = size or settings.BIRLIK_PAGE_SIZE
    forward = _ordering(keys)

    def link(cursor: str | None = None, number: int | None = None) -> str:
        parts = [query] if query else []
        if number is not None:
            parts.append(urlencode({"page": number}))
        elif cursor is not None:
            parts.append(urlencode({CURSOR_PARAM: cursor}))
        return "&".join(parts)

    def link_to(row: M, number: int | None, *, backwards: bool) -> str:
        if number == 1:
            return link()
        if number is not None and number <= numbered_pages:
            return link(number=number)
        return link(_make_cursor(row, model, keys, backwards=backwards, number=number))

    def fetch(after: Q | None, backwards: bool) -> list[M]:
        rows = items.filter(after) if after is not None else items
        return list(rows.order_by(*_ordering(keys, backwards))[: size + 1])

    def build(
        rows: list[M],
        *,
        number: int | None,
        has_previous: bool,
        has_next: bool,
        count: BoundedCount | None = None,
    ) -> KeysetPage[M]:
        previous_query = next_query = ""
        if has_previous and rows:
            previous_query = link_to(rows[0], number - 1 if number else None, backwards=True)
        if has_next and rows:
            next_query = link_to(rows[-1], number + 1 if number else None, backwards=False)
        return KeysetPage(
            object_list=rows,
            count=count or bounded_count(items, count_limit),
            number=number,
            has_previous=has_previous,
            has_next=has_next,
            first_query=link(),
            previous_query=previous_query,
            next_query=next_query,
        )

    def first_page() -> KeysetPage[M]:
        # Counted even when every row is on it: a list costs the same queries for 3 or 3,000.
        rows = fetch(None, backwards=False)
        return build(rows[:size], number=1, has_previous=False, has_next=len(rows) > size)

    def last_page() -> KeysetPage[M]:
        count = bounded_count(items, count_limit)
        if not count.more and count.value <= size:
            return first_page()
        if count.more:  # the last rows, unnumbered: counting the pages would count every row
            rows = fetch(None, backwards=True)[:size]
            return build(rows[::-1], number=None, has_previous=True, has_next=False, count=count)
        number = -(-count.value // size)
        shown = count.value - (number - 1) * size
        rows = list(items.order_by(*_ordering(keys, backwards=True))[:shown])
        return build(rows[::-1], number=number, has_previous=True, has_next=False, count=count)

    raw_cursor = request.GET.get(CURSOR_PARAM)
    if raw_cursor:
        cursor = _read_cursor(raw_cursor, model, keys)
        if cursor is None:
            return first_page()
        rows = fetch(_after(keys, cursor.values, cursor.backwards), cursor.backwards)
        if cursor.backwards:
            if len(rows) <= size:  # back at the start: the first page, full
                return first_page()
            rows = rows[:size][::-1]
            return build(rows, number=cursor.number, has_previous=True, has_next=True)
        return build(
            rows[:size],
            number=cursor.number,
            has_previous=True,
            has_next=len(rows) > size,
        )

    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        number = 1
    if number <= 1:
        return first_page()
    if number > MAX_PAGE_NUMBER:
        return last_page()
    skipped = (number - 1) * size
    # Only the key columns, along the ordering index: no row is read to skip it.
    skipped_keys = list(
        items.order_by(*forward).values_list(*[key.name for key in keys])[skipped - 1 : skipped]
    )
    if not skipped_keys:
        return last_page()
    rows = fetch(_after(keys, list(skipped_keys[0]), backwards=False), backwards=False)
    if not rows:
        return last_page()
    return build(rows[:size], number=number, has_previous=True, has_next=len(rows) > size)
