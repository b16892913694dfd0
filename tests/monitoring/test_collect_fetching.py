"""The polite fetcher against the local fixture site: conditional GET, robots.txt, errors with
Retry-After, timeouts, caps, redirects, the private-address guard and encodings."""

from __future__ import annotations

import socket

import pytest

from birlik.monitoring import fetching
from birlik.monitoring.fetching import FetchError

from .collect_fixtures import (
    fixture_server_fixture,  # noqa: F401 - a fixture
    local_only_fixture,  # noqa: F401 - a fixture
    site_fixture,  # noqa: F401 - a fixture
)
from .fixture_server import Route

MB = 1024 * 1024


def _fails(url: str, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as caught:
        fetching.fetch(url, **kwargs)
    return caught.value


def test_a_page_is_read_with_birliks_user_agent_and_its_validators(site):
    site.routes["/feed.xml"] = Route(
        body=b"<rss/>",
        headers={"Content-Type": "application/rss+xml"},
        etag='"v1"',
        last_modified="Mon, 02 Mar 2026 05:00:00 GMT",
    )
    answer = fetching.fetch(site.url("/feed.xml"))
    assert answer.status == 200 and answer.body == b"<rss/>"
    assert answer.etag == '"v1"' and answer.last_modified == "Mon, 02 Mar 2026 05:00:00 GMT"
    path, headers = site.requests[-1]
    assert path == "/feed.xml"
    assert headers["user-agent"].startswith("BirlikMonitor/")


def test_an_unchanged_resource_answers_not_modified_without_a_body(site):
    site.routes["/feed.xml"] = Route(body=b"<rss/>", etag='"v1"')
    answer = fetching.fetch(site.url("/feed.xml"), etag='"v1"')
    assert answer.not_modified and answer.body == b""
    assert site.requests[-1][1]["if-none-match"] == '"v1"'


def test_robots_txt_disallow_is_obeyed_and_the_page_never_asked(site):
    site.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /private/\n")
    site.routes["/private/feed.xml"] = Route(body=b"<rss/>")
    site.routes["/public.xml"] = Route(body=b"<rss/>")
    assert _fails(site.url("/private/feed.xml")).kind == "refused_by_robots"
    assert site.hits["/private/feed.xml"] == 0
    assert fetching.fetch(site.url("/public.xml")).body == b"<rss/>"
    assert site.hits["/robots.txt"] == 1  # read once, then cached


def test_robots_txt_naming_birlik_is_obeyed(site):
    site.routes["/robots.txt"] = Route(body=b"User-agent: BirlikMonitor\nDisallow: /\n")
    site.routes["/feed.xml"] = Route(body=b"<rss/>")
    assert _fails(site.url("/feed.xml")).kind == "refused_by_robots"


def test_a_missing_robots_txt_allows_everything(site):
    site.routes["/feed.xml"] = Route(body=b"<rss/>")
    assert fetching.fetch(site.url("/feed.xml")).body == b"<rss/>"
    assert site.hits["/robots.txt"] == 1


def test_a_failing_robots_txt_means_try_later_and_is_not_cached(site):
    site.routes["/robots.txt"] = Route(status=503, headers={"Retry-After": "120"})
    site.routes["/feed.xml"] = Route(body=b"<rss/>")
    error = _fails(site.url("/feed.xml"))
    assert error.kind == "robots_unavailable" and error.retry_after == 120
    assert site.hits["/feed.xml"] == 0
    site.routes["/robots.txt"] = Route(status=404)
    assert fetching.fetch(site.url("/feed.xml")).status == 200
    assert site.hits["/robots.txt"] == 2


@pytest.mark.parametrize(
    ("status", "retry_after", "expected"),
    [(429, "30", 30), (503, "600", 600), (503, "Wed, 21 Oct 2015 07:28:00 GMT", 0)],
)
def test_busy_sites_say_when_to_come_back(site, status, retry_after, expected):
    site.routes["/feed.xml"] = Route(status=status, headers={"Retry-After": retry_after})
    error = _fails(site.url("/feed.xml"))
    assert (error.kind, error.http_status, error.retry_after) == ("http_error", status, expected)
    assert error.code == f"http_error:{status}"
    assert str(status) in error.message


def test_a_page_slower_than_the_read_timeout_fails_as_a_timeout(site, settings):
    settings.MONITORING_READ_TIMEOUT = 0.3
    site.routes["/slow.xml"] = Route(body=b"<rss/>", delay=1.5)
    assert _fails(site.url("/slow.xml")).kind == "timeout"


def test_a_huge_page_announced_as_such_is_refused_before_reading(site):
    site.routes["/huge.html"] = Route(chunks=20 * 16)  # 20 MB
    error = _fails(site.url("/huge.html"))
    assert error.kind == "too_large" and "announced" in error.detail


def test_a_huge_page_without_a_length_is_cut_at_the_cap(site, settings):
    settings.MONITORING_MAX_BYTES = 5 * MB
    site.routes["/huge.html"] = Route(chunks=20 * 16, declare_length=False)
    error = _fails(site.url("/huge.html"))
    assert error.kind == "too_large"
    assert error.detail == f"more than {5 * MB} bytes"


def test_redirects_are_followed_and_a_loop_is_stopped(site):
    site.routes["/old.xml"] = Route(status=301, headers={"Location": "/new.xml"})
    site.routes["/new.xml"] = Route(body=b"<rss/>")
    answer = fetching.fetch(site.url("/old.xml"))
    assert answer.url == site.url("/new.xml") and answer.body == b"<rss/>"

    site.routes["/loop-a"] = Route(status=302, headers={"Location": "/loop-b"})
    site.routes["/loop-b"] = Route(status=302, headers={"Location": "/loop-a"})
    assert _fails(site.url("/loop-a")).kind == "redirect_loop"
    assert site.hits["/loop-a"] == 1 and site.hits["/loop-b"] == 1


def test_more_than_five_redirects_are_refused(site):
    for n in range(7):
        site.routes[f"/hop-{n}"] = Route(status=302, headers={"Location": f"/hop-{n + 1}"})
    assert _fails(site.url("/hop-0")).kind == "redirect_loop"
    assert site.hits["/hop-5"] == 1 and site.hits["/hop-6"] == 0


def test_a_redirect_to_another_scheme_is_refused(site):
    site.routes["/ftp"] = Route(status=302, headers={"Location": "ftp://127.0.0.1/feed"})
    assert _fails(site.url("/ftp")).kind == "bad_address"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/feed.xml",
        "http://localhost:{port}/feed.xml",
        "http://10.1.2.3/feed.xml",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:{port}/feed.xml",
        "http://100.64.0.1/feed.xml",
    ],
)
def test_private_addresses_are_refused_unless_allowed(site, settings, url):
    settings.MONITORING_ALLOW_PRIVATE_HOSTS = False
    site.routes["/feed.xml"] = Route(body=b"<rss/>")
    error = _fails(url.format(port=site.port))
    assert error.kind == "bad_address"
    assert site.hits["/robots.txt"] == 0 and site.hits["/feed.xml"] == 0


def test_the_private_address_guard_is_what_lets_the_tests_through(site, settings):
    site.routes["/feed.xml"] = Route(body=b"<rss/>")
    settings.MONITORING_ALLOW_PRIVATE_HOSTS = True
    assert fetching.fetch(site.url("/feed.xml")).status == 200


@pytest.mark.parametrize(
    "url", ["ftp://example.kz/feed", "file:///etc/passwd", "javascript:alert(1)", "http://"]
)
def test_only_http_and_https_addresses_are_read(site, url):
    assert _fails(url).kind == "bad_address"


@pytest.mark.django_db
def test_a_host_is_not_asked_twice_within_its_interval(site, settings):
    settings.MONITORING_HOST_INTERVAL_SECONDS = 60
    settings.MONITORING_HOST_WAIT_SECONDS = 0
    site.routes["/robots.txt"] = Route(status=404)
    site.routes["/a.xml"] = Route(body=b"<rss/>")
    error = _fails(site.url("/a.xml"))  # robots.txt took the host's turn
    assert error.kind == "host_busy" and error.retry_after > 0
    assert site.hits["/robots.txt"] == 1 and site.hits["/a.xml"] == 0


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("<p>Павлодар облысы</p>".encode("cp1251"), "text/html", "<p>Павлодар облысы</p>"),
        ("<p>Ақтөбе облысында жиын өтті</p>".encode("kz1048"), "", "Ақтөбе облысында жиын өтті"),
        ("Павлодар".encode("koi8_r"), "text/plain; charset=koi8-r", "Павлодар"),
        (
            '<meta charset="windows-1251"><p>Новости</p>'.encode("cp1251"),
            "text/html",
            "Новости",
        ),
        ("\ufeffҚазақстан".encode(), "text/plain; charset=cp1251", "Қазақстан"),
        ("Қазақстан".encode(), "", "Қазақстан"),
    ],
)
def test_text_is_decoded_by_header_bom_declaration_or_guess(body, content_type, expected):
    assert expected in fetching.decode(body, content_type)


def test_the_guard_refuses_any_connection_leaving_this_machine(local_only):
    with pytest.raises(OSError, match="never leave"):
        socket.create_connection(("192.0.2.10", 80), timeout=0.5)
    with pytest.raises(socket.gaierror):
        socket.getaddrinfo("example.org", 80)
    assert local_only == [("192.0.2.10", 80), "example.org"]
    local_only.clear()
