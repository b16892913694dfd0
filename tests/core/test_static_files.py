"""Static files are served by WhiteNoise from the finders (no ``collectstatic`` in tests or the
demo), with the finders listed once per process rather than once per middleware."""

from __future__ import annotations

from unittest import mock

from django.contrib.staticfiles import finders
from django.test import Client

from birlik.core.middleware import StaticFilesMiddleware


def test_the_finders_are_listed_once_and_every_client_serves_the_files(db) -> None:
    StaticFilesMiddleware(lambda request: None)  # the table exists from here on
    with mock.patch.object(finders, "get_finders", wraps=finders.get_finders) as listed:
        first = Client().get("/static/birlik/check-in.js")
        second = Client().get("/static/birlik/check-in.js")
    assert listed.call_count == 0
    assert first.status_code == second.status_code == 200
    assert b"".join(second.streaming_content) == b"".join(first.streaming_content)


def test_a_missing_static_file_is_not_found(db) -> None:
    assert Client().get("/static/birlik/no-such-file.js").status_code == 404
