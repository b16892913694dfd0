"""Helpers for the accounts pages: English URLs, a clean rate-limit cache, TOTP codes."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def clean_cache(django_db_setup, django_db_blocker):
    """Failed sign-ins may be counted in the cache; every test starts from zero."""
    with django_db_blocker.unblock():
        cache.clear()
    yield
    with django_db_blocker.unblock():
        cache.clear()


def url(name: str, *args, query: str = "") -> str:
    with translation.override("en"):
        address = reverse(name, args=args)
    return f"{address}?{query}" if query else address


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    """The code the user's phone shows now (``offset`` steps later or earlier)."""
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{code:06d}"
