"""The shared caches: over Redis, answering as an empty cache while Redis does not answer; and
the embedded default's table, whose ``set`` is one statement.

Nothing Birlik keeps in the cache is the only copy of anything (figures, their version, short
leases and flags are recomputed or taken again), so a request never fails because Redis is
restarting: reads miss, writes are dropped, ``add`` says "not added" (a once-a-day flag is then
tried again later rather than run twice), and the outage is logged, at most every 30 seconds.
"""

from __future__ import annotations

import base64
import datetime
import itertools
import logging
import pickle
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, router
from redis.exceptions import RedisError

logger = logging.getLogger("birlik.cache")
T = TypeVar("T")

_WARN_EVERY_S = 30.0
_last_warning = 0.0
_warning_lock = threading.Lock()


def redis_down(what: str, error: Exception) -> None:
    """Log that Redis does not answer (at most every 30 s per process), saying what goes on
    without it."""
    global _last_warning
    with _warning_lock:
        now = time.monotonic()
        if now - _last_warning < _WARN_EVERY_S:
            return
        _last_warning = now
    logger.warning("Redis does not answer (%s): %s", error.__class__.__name__, what)


class FailSafeRedisCache(RedisCache):
    """Django's Redis cache, which degrades to "nothing cached" when Redis fails."""

    def _safe(self, call: Callable[[], T], fallback: T) -> T:
        try:
            return call()
        except RedisError as error:
            redis_down("the cache is bypassed until it answers again", error)
            return fallback

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._safe(
            lambda: super(FailSafeRedisCache, self).add(key, value, timeout, version), False
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._safe(
            lambda: super(FailSafeRedisCache, self).get(key, default, version), default
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._safe(lambda: super(FailSafeRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._safe(
            lambda: super(FailSafeRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._safe(lambda: super(FailSafeRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        return self._safe(lambda: super(FailSafeRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._safe(lambda: super(FailSafeRedisCache, self).has_key(key, version), False)

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._safe(
            lambda: super(FailSafeRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        self._safe(lambda: super(FailSafeRedisCache, self).delete_many(keys, version), None)

    def clear(self) -> None:
        self._safe(lambda: super(FailSafeRedisCache, self).clear(), None)


class SharedTableCache(DatabaseCache):
    """Django's database cache (the embedded default's cache, shared by every process), with
    ``set`` as one ``INSERT … ON CONFLICT DO UPDATE``. Django's own ``set`` counts every row of
    the table first (to cull it), then reads the key and updates or inserts it in a transaction:
    five statements, a table count among them, for each figure cached and each ``kpi.invalidate``
    after a public submission. Here every ``CULL_EVERY``-th set takes Django's way, so the table
    is still culled to ``MAX_ENTRIES``; the others are the single upsert."""

    CULL_EVERY = 50
    _sets = itertools.count(1)  # the 50th set of a process culls, not its first

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        if next(self._sets) % self.CULL_EVERY == 0:
            super().set(key, value, timeout, version)
            return
        key = self.make_and_validate_key(key, version=version)
        seconds = self.get_backend_timeout(timeout)
        if seconds is None:
            expires = datetime.datetime.max
        else:
            zone = datetime.UTC if settings.USE_TZ else None
            expires = datetime.datetime.fromtimestamp(seconds, tz=zone)
        connection = connections[router.db_for_write(self.cache_model_class)]
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]  # set by BaseDatabaseCache
        column_key = quote("cache_key")
        column_value, column_expires = quote("value"), quote("expires")
        pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({column_key}, {column_value}, {column_expires}) "  # noqa: S608
                f"VALUES (%s, %s, %s) ON CONFLICT ({column_key}) DO UPDATE SET "
                f"{column_value} = EXCLUDED.{column_value}, "
                f"{column_expires} = EXCLUDED.{column_expires}",
                [
                    key,
                    pickled,
                    connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0)),
                ],
            )
