"""The one rate limiter of Birlik: public forms, the sign-in lockout and the API throttles.

Counters live in a store that every web process shares, so a limit holds exactly however many
workers serve the site: the database table ``core.RateCounter`` in the embedded default (one
atomic ``INSERT … ON CONFLICT … DO UPDATE … RETURNING``, SQLite ≥ 3.35 and PostgreSQL), or
Redis when ``REDIS_URL`` is set (``SET NX EX`` + ``INCR`` in one ``MULTI``). The cache is never
used: it may be per process. While Redis does not answer, the database's counters stand in
(the limits hold; the switch is logged).

Windows are fixed: the first event of a (scope, client) opens a window of ``window`` seconds;
events inside it are counted; the first event after it opens a new one.

    hit(scope, ident, limit=, window=)   count one event; True when it is over the limit
    peek(scope, ident, limit=, window=)  True when the limit is used up (the next hit would be
                                         over), without counting
    reset(scope, ident)                  forget the counter (e.g. after a good sign-in)
    undo(scope, ident)                   take back one event (an attempt that turned out well)
    client_ident(request)                the hashed client address (IPv6: its /64 network)

Views use ``@rate_limited(scope, rate="RATE_…")`` (a translated 429 page) or, where the form
re-renders with an error, the one-line ``limited(request, scope, rate="RATE_…")``. Rates are
settings such as ``"10/h"`` or ``"5/15min"``, read at each call.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import connection
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from birlik.core.cache import redis_down

__all__ = [
    "Rate",
    "Verdict",
    "check",
    "client_ident",
    "hit",
    "limited",
    "parse_rate",
    "peek",
    "purge_expired",
    "rate_limited",
    "refused_response",
    "reset",
    "setting_rate",
    "undo",
    "wait_message",
]

View = TypeVar("View", bound=Callable[..., Any])
Result = TypeVar("Result")

# --- Rates ---------------------------------------------------------------------------------

UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
}
RATE_SHAPE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]*)\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int


def parse_rate(value: str) -> Rate:
    """``"10/h"``, ``"120/min"``, ``"5/15min"`` → Rate(limit, window in seconds)."""
    match = RATE_SHAPE.match(str(value).lower())
    if not match:
        raise ValueError(f"Not a rate: {value!r} (expected e.g. '10/h', '120/min', '5/15min').")
    count, multiple, unit = match.groups()
    if not unit and multiple:  # "5/30": a window in seconds
        return _positive(value, int(count), int(multiple))
    if unit not in UNITS and unit.endswith("s"):  # "5/15mins", "2/hours"
        unit = unit[:-1]
    if unit not in UNITS:
        raise ValueError(f"Not a rate: {value!r} (expected e.g. '10/h', '120/min', '5/15min').")
    return _positive(value, int(count), int(multiple or 1) * UNITS[unit])


def _positive(value: str, limit: int, window: int) -> Rate:
    if limit < 1 or window < 1:
        raise ValueError(f"Not a rate: {value!r} (the limit and the window must be positive).")
    return Rate(limit, window)


def setting_rate(setting: str) -> Rate:
    """The rate kept in a setting (read now, so that tests and operators may change it)."""
    return parse_rate(getattr(settings, setting))


# --- Counting ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    over: bool  # this event is beyond the limit (or, for a peek, the limit is used up)
    count: int  # events counted in the current window
    retry_after: int  # seconds until the window closes (0 when no window is open)


def check(scope: str, ident: str, *, limit: int, window: int, count: bool = True) -> Verdict:
    """Count one event (unless ``count=False``) and say where the counter stands."""
    if count:
        counted, expires = _fail_safe(lambda store: store.incr(_key(scope), ident, window))
        return Verdict(counted > limit, counted, max(expires - _now(), 0))
    counted, expires = _fail_safe(lambda store: store.get(_key(scope), ident))
    return Verdict(counted >= limit, counted, max(expires - _now(), 0))


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Count one event for (scope, ident); True when it is over `limit` in `window` seconds."""
    return check(scope, ident, limit=limit, window=window).over


def peek(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """True when `limit` events were already counted in the window (the next hit would be
    over), without counting one."""
    return check(scope, ident, limit=limit, window=window, count=False).over


def reset(scope: str, ident: str) -> None:
    """Forget the counter of (scope, ident)."""
    _fail_safe(lambda store: store.delete(_key(scope), ident))


def undo(scope: str, ident: str) -> None:
    """Take back one counted event of (scope, ident): an attempt, counted before it was
    judged (so that parallel requests get no more than the limit), that turned out well."""
    _fail_safe(lambda store: store.undo(_key(scope), ident))


def purge_expired() -> int:
    """Delete the database counters whose window has closed (the daily job); their number."""
    from birlik.core.models import RateCounter

    deleted, _kinds = RateCounter.objects.filter(expires__lte=_now()).delete()
    return deleted


def client_ident(request: HttpRequest) -> str:
    """The client's address, keyed-hashed (never stored in clear). ``REMOTE_ADDR`` is the
    client only after ``ClientAddressMiddleware`` (which trusts ``X-Forwarded-For`` from
    ``FORWARDED_ALLOW_IPS`` alone). An IPv6 client counts as its /64 network, which one
    subscriber usually holds whole."""
    address = str(request.META.get("REMOTE_ADDR", "") or "").strip()
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
            network = str(parsed.ipv4_mapped)
        elif isinstance(parsed, ipaddress.IPv6Address):
            network = str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
        else:
            network = str(parsed)
    return salted_hmac("birlik.core.ratelimit", network).hexdigest()[:40]


def _now() -> int:
    return int(time.time())


def _key(scope: str) -> str:
    if not scope or len(scope) > 64:
        raise ValueError("A rate limit scope is 1–64 characters.")
    return scope


# One statement, atomic on SQLite (≥ 3.35) and PostgreSQL: a new row, a counted event, or (the
# window being over) a new window. SET expressions read the row as it was before the update.
UPSERT = """
INSERT INTO "core_ratecounter" ("scope", "ident", "count", "expires") VALUES (%s, %s, 1, %s)
ON CONFLICT ("scope", "ident") DO UPDATE SET
  "count" = CASE WHEN "core_ratecounter"."expires" <= %s THEN 1
            ELSE "core_ratecounter"."count" + 1 END,
  "expires" = CASE WHEN "core_ratecounter"."expires" <= %s THEN excluded."expires"
              ELSE "core_ratecounter"."expires" END
RETURNING "count", "expires"
"""


class _DatabaseStore:
    """The counters in ``core.RateCounter``; one statement per event, atomic in SQL."""

    def incr(self, scope: str, ident: str, window: int) -> tuple[int, int]:
        now = _now()
        with connection.cursor() as cursor:
            cursor.execute(UPSERT, [scope, ident[:128], now + window, now, now])
            row = cursor.fetchone()
        return int(row[0]), int(row[1])

    def get(self, scope: str, ident: str) -> tuple[int, int]:
        from birlik.core.models import RateCounter

        row = (
            RateCounter.objects.filter(scope=scope, ident=ident[:128], expires__gt=_now())
            .values_list("count", "expires")
            .first()
        )
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def undo(self, scope: str, ident: str) -> None:
        from birlik.core.models import RateCounter

        RateCounter.objects.filter(
            scope=scope, ident=ident[:128], count__gt=0, expires__gt=_now()
        ).update(count=F("count") - 1)

    def delete(self, scope: str, ident: str) -> None:
        from birlik.core.models import RateCounter

        RateCounter.objects.filter(scope=scope, ident=ident[:128]).delete()


class _RedisStore:
    """The counters in Redis: a key per (scope, client) that expires with its window."""

    PREFIX = "birlik:rate:"

    def __init__(self, url: str) -> None:
        import redis

        # Short time-outs: a Redis that hangs makes the limiter fall back, not the request wait.
        self.client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)

    def _name(self, scope: str, ident: str) -> str:
        return f"{self.PREFIX}{scope}:{ident[:128]}"

    def incr(self, scope: str, ident: str, window: int) -> tuple[int, int]:
        name = self._name(scope, ident)
        pipe = self.client.pipeline(transaction=True)
        pipe.set(name, 0, ex=window, nx=True)
        pipe.incr(name)
        pipe.ttl(name)
        _created, counted, ttl = pipe.execute()
        if int(ttl) < 0:  # never expected: a key without expiry would lock out for good
            self.client.expire(name, window)
            ttl = window
        return int(counted), _now() + int(ttl)

    def get(self, scope: str, ident: str) -> tuple[int, int]:
        name = self._name(scope, ident)
        pipe = self.client.pipeline(transaction=True)
        pipe.get(name)
        pipe.ttl(name)
        value, ttl = pipe.execute()
        if value is None or int(ttl) == -2:
            return 0, 0
        return int(value), _now() + max(int(ttl), 0)

    UNDO = (
        "local n = tonumber(redis.call('GET', KEYS[1]) or '0') "
        "if n > 0 then return redis.call('DECR', KEYS[1]) end return 0"
    )

    def undo(self, scope: str, ident: str) -> None:
        self.client.eval(self.UNDO, 1, self._name(scope, ident))

    def delete(self, scope: str, ident: str) -> None:
        self.client.delete(self._name(scope, ident))


def _fail_safe(call: Callable[[_DatabaseStore | _RedisStore], Result]) -> Result:
    """Run ``call`` on the shared store; while Redis does not answer, on the database's counters
    instead. The limits keep holding (never "unlimited while Redis is down"), each counter
    starting again from zero in the database; the switch is logged, at most every 30 s."""
    store = _store()
    if isinstance(store, _DatabaseStore):
        return call(store)
    from redis.exceptions import RedisError

    try:
        return call(store)
    except RedisError as error:
        redis_down("rate limits are counted in the database until it answers again", error)
        return call(_database_store)


_stores: dict[str, _RedisStore] = {}
_stores_lock = threading.Lock()
_database_store = _DatabaseStore()


def _store() -> _DatabaseStore | _RedisStore:
    url = str(getattr(settings, "REDIS_URL", "") or "")
    if not url:
        return _database_store
    with _stores_lock:
        if url not in _stores:
            _stores[url] = _RedisStore(url)
        return _stores[url]


# --- Views ---------------------------------------------------------------------------------


def limited(request: HttpRequest, scope: str, *, rate: str) -> Verdict | None:
    """Count this request from its client under the rate kept in the setting ``rate``; the
    verdict when it is over the limit, else None. The one-line form for views that re-render
    their form with the refusal as an error (``wait_message(verdict.retry_after)``)."""
    value = setting_rate(rate)
    verdict = check(scope, client_ident(request), limit=value.limit, window=value.window)
    return verdict if verdict.over else None


def refused_response(request: HttpRequest, *, retry_after: int = 0) -> HttpResponse:
    """The translated 429 page, with ``Retry-After`` and never cached."""
    response = render(
        request,
        "errors/429.html",
        {"retry_minutes": max(1, -(-retry_after // 60)) if retry_after else 0},
        status=429,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(
    scope: str, *, rate: str, methods: Iterable[str] = ("POST",)
) -> Callable[[View], View]:
    """Refuse with a 429 page the requests (of ``methods``) of a client beyond the rate kept in
    the setting ``rate``; every such request counts, whatever its outcome."""
    methods = frozenset(method.upper() for method in methods)
    setting = rate

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.method in methods and (verdict := limited(request, scope, rate=setting)):
                return refused_response(request, retry_after=verdict.retry_after)
            return view(request, *args, **kwargs)

        return cast(View, wrapped)

    return decorate


def wait_message(retry_after: int) -> str:
    """The refusal as a form error: "try again in N minutes"."""
    minutes = max(1, -(-int(retry_after) // 60))
    return ngettext(
        "Too many attempts from your connection. Try again in %(count)s minute.",
        "Too many attempts from your connection. Try again in %(count)s minutes.",
        minutes,
    ) % {"count": minutes}
