"""The shared cache over Redis, which answers as an empty cache while Redis does not answer.

Nothing Birlik keeps in the cache is the only copy of anything (figures, their version, short
leases and flags are recomputed or taken again), so a request never fails because Redis is
restarting: reads miss, writes are dropped, ``add`` says "not added" (a once-a-day flag is then
tried again later rather than run twice), and the outage is logged, at most every 30 seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
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
