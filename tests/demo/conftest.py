"""The demo at a small scale, seeded once per test module and rolled back at its end: each
test reads it inside its own savepoint (pytest-django's ``db``), so what a test writes is undone
before the next one. Seeding takes seconds; once per module rather than once per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from birlik.demo.services import demo_seed

SCALE = 0.05
SEED = 2025


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[dict[str, Any]]:
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ),
        transaction.atomic(),
    ):
        assert demo_seed(scale=SCALE, seed=SEED) is True
        yield {"media": media}
        transaction.set_rollback(True)


@pytest.fixture
def seeded(demo_module, db) -> dict[str, Any]:
    return demo_module
