"""Fixtures of the workspace tests: the shared network plus helpers to sign in."""

from __future__ import annotations

import pytest


@pytest.fixture
def as_user(client, network):
    """Sign in one of the network's users by name and return the client."""

    def do(name: str):
        client.force_login(network.users[name])
        return client

    return do


@pytest.fixture(autouse=True)
def _english_pages(_kazakh_by_default):
    """These tests read the English texts; Kazakh and Russian completeness is checked by
    tests/test_translations.py and the pages in each language by tests/browser."""
    from django.utils import translation

    translation.activate("en")
    yield
