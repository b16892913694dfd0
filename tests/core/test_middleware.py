"""The client's address behind a reverse proxy."""

import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from birlik import settings as project_settings
from birlik.core.middleware import ClientAddressMiddleware


def address(remote, forwarded=None):
    seen = {}

    def view(request):
        seen["addr"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    ClientAddressMiddleware(view)(RequestFactory().get("/", **extra))
    return seen["addr"]


def test_forwarded_address_is_used_only_from_a_trusted_proxy(settings):
    settings.FORWARDED_ALLOW_IPS = ["127.0.0.1"]
    assert address("127.0.0.1", "203.0.113.9") == "203.0.113.9"
    assert address("127.0.0.1", "198.51.100.1, 203.0.113.9") == "203.0.113.9"
    assert address("192.0.2.77", "203.0.113.9") == "192.0.2.77"  # spoofed header ignored
    assert address("127.0.0.1") == "127.0.0.1"


def test_no_proxy_is_trusted_by_default_not_even_loopback(settings):
    if "FORWARDED_ALLOW_IPS" not in os.environ:
        assert project_settings.FORWARDED_ALLOW_IPS == []
    settings.FORWARDED_ALLOW_IPS = []
    assert address("127.0.0.1", "203.0.113.9") == "127.0.0.1"
    assert address("::1", "203.0.113.9") == "::1"


def test_proxies_may_be_networks_and_our_own_hops_are_skipped(settings):
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/8", "127.0.0.1"]
    assert address("10.1.2.3", "203.0.113.9, 10.9.9.9") == "203.0.113.9"
    assert address("10.1.2.3", "203.0.113.9, not-an-address") == "10.1.2.3"
    assert address("172.16.0.1", "203.0.113.9") == "172.16.0.1"


def test_a_wrong_proxy_setting_stops_the_start(settings):
    settings.FORWARDED_ALLOW_IPS = ["proxy.example"]
    with pytest.raises(ImproperlyConfigured):
        ClientAddressMiddleware(lambda request: HttpResponse())
