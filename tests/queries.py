"""Counting the queries a page makes on the records.

The shared cache of the embedded default is a database table (``DatabaseCache``): a figure read
from it is a query on that table, and one written to it a few more inside a savepoint. Those are
what a cache costs, not what a page costs in reads of the records (at scale the cache is Redis
and costs no SQL), so the query-count tests leave them out: ``DataQueriesContext`` is
``CaptureQueriesContext`` without them, and tests/conftest.py gives ``django_assert_num_queries``
and ``django_assert_max_num_queries`` the same view.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.db import connection as default_connection
from django.test.utils import CaptureQueriesContext

SAVEPOINT = re.compile(r'^SAVEPOINT "?(?P<name>\w+)"?')


def cache_table() -> str:
    from django.core.cache.backends.db import DatabaseCache
    from django.utils.module_loading import import_string

    cache = settings.CACHES["default"]
    if not issubclass(import_string(cache["BACKEND"]), DatabaseCache):
        return ""
    return str(cache["LOCATION"])


def data_queries(captured: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The queries on the records: those on the cache table left out, with the savepoint that
    wraps a cache write."""
    table = cache_table()
    if not table:
        return list(captured)
    kept: list[dict[str, Any]] = []
    index = 0
    while index < len(captured):
        sql = captured[index]["sql"]
        opened = SAVEPOINT.match(sql)
        if opened:
            end = index + 1
            while end < len(captured) and table in captured[end]["sql"]:
                end += 1
            closing = re.compile(rf'^(RELEASE|ROLLBACK TO) SAVEPOINT "?{opened["name"]}"?')
            if end > index + 1 and end < len(captured) and closing.match(captured[end]["sql"]):
                index = end + 1
                continue
        if table not in sql:
            kept.append(captured[index])
        index += 1
    return kept


class DataQueriesContext(CaptureQueriesContext):
    """``CaptureQueriesContext`` counting only the queries on the records."""

    @property
    def captured_queries(self) -> list[dict[str, Any]]:
        return data_queries(super().captured_queries)


@contextmanager
def assert_queries(num: int, connection: Any = None, info: str | None = None, *, exact: bool):
    context = DataQueriesContext(connection or default_connection)
    with context:
        yield context
    count = len(context.captured_queries)
    if (count != num) if exact else (count > num):
        expected = f"{num}" if exact else f"{num} or less"
        lines = "\n".join(query["sql"] for query in context.captured_queries)
        pytest.fail(
            f"Expected to perform {expected} queries on the records but {count} were done"
            + (f"\n\n{info}" if info else "")
            + f"\n\nQueries:\n========\n\n{lines}"
        )
