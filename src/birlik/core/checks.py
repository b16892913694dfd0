"""``birlik check``: what a production deployment still lacks; and Birlik's system checks."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

# Imported here, in CoreConfig.ready, so that search's post_migrate repair of the SQLite FTS5
# triggers is connected before any migrate runs (including the test database's).
from birlik.core.search import sqlite_fts_problem


def production_report() -> list[str]:
    """Missing production settings, then every deployment-check warning Django raises."""
    problems: list[str] = []
    if not settings.PRODUCTION:
        problems.append("BIRLIK_ENV is not 'production' (secure cookies, HSTS, TLS are off).")
    if not os.environ.get("SECRET_KEY"):
        problems.append("SECRET_KEY is not set in the environment.")
    if not os.environ.get("PERSONAL_DATA_KEY"):
        problems.append("PERSONAL_DATA_KEY (key of IIN digests) is not set in the environment.")
    if settings.DEBUG:
        problems.append("DEBUG is on.")
    if not os.environ.get("ALLOWED_HOSTS"):
        problems.append("ALLOWED_HOSTS is not set.")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("DATABASE_URL does not point to PostgreSQL (SQLite is for one machine).")
    if not settings.REDIS_URL:
        problems.append("REDIS_URL is not set (shared cache and job queue for several servers).")
    for message in checks.run_checks(include_deployment_checks=True):
        if message.level >= checks.WARNING:
            problems.append(f"{message.id}: {message.msg}")
    return problems


@checks.register(checks.Tags.security)
def site_url_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """SITE_URL, the address in links sent by SMS and e-mail, is required in production and must
    be an absolute http(s) address (without it receipts and tickets would point nowhere)."""
    value = str(getattr(settings, "SITE_URL", "") or "")
    if not value:
        if settings.PRODUCTION:
            return [
                checks.Error(
                    "SITE_URL is not set: links sent by SMS and e-mail (receipts, tickets, "
                    "private status links) need the public address of the site.",
                    hint="Set SITE_URL, e.g. https://birlik.example.kz",
                    id="birlik.E001",
                )
            ]
        return []
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return [
            checks.Error(
                f"SITE_URL {value!r} is not an absolute http(s) address.",
                hint="Set SITE_URL, e.g. https://birlik.example.kz",
                id="birlik.E002",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def site_url_https_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """In production the links people receive go over TLS."""
    value = str(getattr(settings, "SITE_URL", "") or "")
    if settings.PRODUCTION and value.startswith("http://"):
        return [
            checks.Warning(
                "SITE_URL does not start with https://: links sent by SMS and e-mail would "
                "travel without TLS.",
                id="birlik.W001",
            )
        ]
    return []


@checks.register()
def rate_settings_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every rate limit setting (``RATE_*``, ``API_RATE_*``) reads as ``N/[k]unit``."""
    from birlik.core.ratelimit import parse_rate

    errors: list[checks.CheckMessage] = []
    for name in dir(settings):
        if name.startswith(("RATE_", "API_RATE_")):
            try:
                parse_rate(str(getattr(settings, name)))
            except ValueError as error:
                errors.append(checks.Error(str(error), id="birlik.E020", obj=name))
    return errors


@checks.register()
def sqlite_search_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """On SQLite, the search (``core.search``) needs FTS5 with the trigram tokenizer (SQLite
    3.34+); without it every search scans its table, which is correct but slow."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return []
    problem = sqlite_fts_problem()
    if problem is None:
        return []
    return [
        checks.Warning(
            f"{problem}: searches (the directory, events, people) scan their tables instead "
            "of using a full-text index, and slow down as the data grows.",
            hint=(
                "Install Python with SQLite 3.34 or later built with FTS5 (Debian 12, "
                "Ubuntu 22.04 or later have it), or set DATABASE_URL to PostgreSQL, then "
                "run `birlik migrate`."
            ),
            id="birlik.W020",
        )
    ]


@checks.register()
def notify_claim_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A notice's claim (``NOTIFY_CLAIM_SECONDS``) must outlast the slowest channel's time-out,
    or a second worker takes over a slow send and the citizen gets the message twice."""
    slowest = max(20, int(getattr(settings, "EMAIL_TIMEOUT", 0) or 0))
    if slowest < settings.NOTIFY_CLAIM_SECONDS:
        return []
    return [
        checks.Warning(
            f"NOTIFY_CLAIM_SECONDS is {settings.NOTIFY_CLAIM_SECONDS}, not more than the "
            f"slowest channel's time-out ({slowest} s): a slow send may be repeated.",
            hint="Set NOTIFY_CLAIM_SECONDS to 120 (the default) or more than the time-out.",
            id="birlik.W021",
        )
    ]
