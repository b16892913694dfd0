"""Generated documents go to a temporary directory per test; jobs run at once."""

from __future__ import annotations

import pytest

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def documents_dir(settings, tmp_path):
    settings.BIRLIK_DOCUMENTS_DIR = str(tmp_path / "documents")
    return tmp_path / "documents"


@pytest.fixture
def immediate_jobs(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture(autouse=True)
def _urls_loaded_before_time_is_frozen():
    """The URLconf imports the API's schemas, which pydantic cannot build while freezegun
    replaces ``date``: load it once before any test freezes time."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
