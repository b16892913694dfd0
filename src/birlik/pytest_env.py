"""Loaded by pytest with ``-p birlik.pytest_env`` before Django reads its settings.

A test run gets its own throw-away data directory (database, generated keys, uploads), so it
never touches the embedded default's ``var/`` nor a developer's demo data.
"""

import os
import tempfile

os.environ.setdefault("BIRLIK_DATA_DIR", tempfile.mkdtemp(prefix="birlik-test-"))
# Tests sign staff in with ``force_login``; the second factor is switched on (``settings``
# fixture) in the tests that are about it (tests/access).
os.environ.setdefault("BIRLIK_REQUIRE_2FA", "0")
# Tests move the clock (freezegun) days ahead of a signed-in client: that is an idle session,
# signed out. The idle timeout is switched on (``settings`` fixture) in the tests about it
# (tests/core/test_headers.py).
os.environ.setdefault("SESSION_IDLE_TIMEOUT", "0")

# Under pytest-xdist each worker gets its own data directory (uploads, dry-run files swept by
# age while tests move the clock) and, at scale, its own Redis database: `cache.clear()` of one
# worker must not empty the cache another worker is reading.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and _worker[2:].isdigit():
    os.environ["BIRLIK_DATA_DIR"] = tempfile.mkdtemp(prefix=f"birlik-test-{_worker}-")
    _redis = os.environ.get("REDIS_URL", "")
    _base, _, _db = _redis.rpartition("/")
    if _redis and _db.isdigit():
        os.environ["REDIS_URL"] = f"{_base}/{int(_db) + int(_worker[2:])}"
