"""Loaded by pytest with ``-p birlik.pytest_env`` before Django reads its settings.

A test run gets its own throw-away data directory (database, generated keys, uploads), so it
never touches the embedded default's ``var/`` nor a developer's demo data.
"""

import os
import tempfile

os.environ.setdefault("BIRLIK_DATA_DIR", tempfile.mkdtemp(prefix="birlik-test-"))
