"""Fixtures of the appeals tests: English pages (see tests/events/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _english_pages(_kazakh_by_default):
    """These tests read the English texts."""
    from django.utils import translation

    translation.activate("en")
    yield
