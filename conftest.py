"""Test-run environment, set before Django's settings are read: a throw-away data directory."""

import os
import tempfile

os.environ.setdefault("BIRLIK_DATA_DIR", tempfile.mkdtemp(prefix="birlik-test-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birlik.settings")
