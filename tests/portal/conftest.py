"""Portal fixtures: each test starts with a clean figures cache and the default language.

Requests leave their language active in the thread; factories that set ``Organisation.name``
would then write it into that language's column, so the data is built with Kazakh active.
"""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _clean_state(_empty_cache):
    # The shared cache (a table of the test database) is emptied before each test by
    # tests/conftest.py's _empty_cache.
    translation.activate("kk")
    yield
    translation.deactivate()
