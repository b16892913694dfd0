"""``birlik check``: what a production deployment still lacks."""

from __future__ import annotations

import io
import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def production_report() -> list[str]:
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
        problems.append("REDIS_URL is not set (shared cache, rate limits and job queue).")
    out = io.StringIO()
    try:
        call_command("check", deploy=True, stdout=out, stderr=out, fail_level="WARNING")
    except SystemCheckError as error:
        problems.extend(line for line in str(error).splitlines() if line.startswith("?:") or
                        line.startswith("birlik") or "W0" in line or "E0" in line)
    return problems
