"""The client's address behind a reverse proxy."""

from django.http import HttpResponse
from django.test import RequestFactory

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
    assert address("127.0.0.1", "203.0.113.9") == "203.0.113.9"
    assert address("127.0.0.1", "198.51.100.1, 203.0.113.9") == "203.0.113.9"
    assert address("192.0.2.77", "203.0.113.9") == "192.0.2.77"  # spoofed header ignored
    assert address("127.0.0.1") == "127.0.0.1"
