"""``birlik check``: what a production deployment still lacks."""

from __future__ import annotations

import os

from django.conf import settings
from django.core import checks


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
