"""Fixtures of the security tests: one world per module, built once and rolled back at the end;
each test runs inside it in its own savepoint (pytest-django's ``db``), so what a POST stores
is undone before the next test."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from .world import World, build_world


def pytest_configure(config):
    config.addinivalue_line("markers", "matrix: every URL × every role × in/out-of-scope objects")
    config.addinivalue_line("markers", "crawl: every role follows every link of a small demo")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        # One session per role, made once: the tests send its cookie (see ``client_for``).
        for name, user in built.users.items():
            client = Client()
            client.force_login(user)
            built.sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield built
        transaction.set_rollback(True)
