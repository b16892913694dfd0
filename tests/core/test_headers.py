"""What every answer carries: the Content-Security-Policy of HTML pages, no-store on answers with
personal data, and the sign-out of a session left idle."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from freezegun import freeze_time

import birlik
from birlik.core.middleware import SEEN_KEY, SecurityHeadersMiddleware

pytestmark = pytest.mark.django_db

SRC = Path(birlik.__file__).resolve().parent
EXPECTED_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)


def url(name: str, language: str = "kk", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


# --- Content-Security-Policy ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/kk/",  # the portal's home, with the inline SVG map
        "/ru/figures/",  # the public dashboard, with inline SVG charts
        "/en/open-data/",
        "/kk/account/login/",
        "/kk/no-such-page/",  # the 404 page
        "/api/v1/docs",  # Swagger UI, from local static files
    ],
)
def test_every_public_page_kind_carries_the_policy(client, network, path):
    response = client.get(path)
    assert response.status_code in {200, 404}
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Security-Policy"] == EXPECTED_POLICY


@pytest.mark.parametrize(
    "name",
    ["workspace:home", "workspace:bodies", "reports:dashboard", "access:profile", "admin:index"],
)
def test_pages_of_signed_in_staff_carry_the_policy_and_are_never_stored(client, network, name):
    client.force_login(network.users["admin"])
    response = client.get(url(name, "en"))
    assert response["Content-Security-Policy"] == EXPECTED_POLICY
    assert response["Cache-Control"] == "private, no-store"
    assert "Cookie" in response["Vary"]


def test_json_answers_carry_no_page_policy(client, network):
    response = client.get("/api/v1/regions")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


def test_a_path_may_have_its_own_policy(client, network, settings):
    settings.CONTENT_SECURITY_POLICY_PATHS = {"/api/": {"img-src": "'self' data: blob:"}}
    policy = client.get("/api/v1/docs")["Content-Security-Policy"]
    assert "img-src 'self' data: blob:" in policy
    assert "script-src 'self'" in policy
    assert client.get("/kk/")["Content-Security-Policy"] == EXPECTED_POLICY


TEMPLATES = sorted(SRC.glob("**/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE = re.compile(r"\sstyle\s*=|<style\b", re.IGNORECASE)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(SRC)))
def test_no_template_has_inline_script_handlers_or_styles(template):
    """The policy forbids them: the page would silently lose its behaviour or its look."""
    source = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(source), "inline <script>: move it to a static .js file"
    assert not HANDLER.search(source), "on…= handler: bind it from a static .js file"
    assert not STYLE.search(source), "inline style: use a class in a static .css file"


def test_the_receipt_print_button_works_from_a_static_file(client, network):
    """The one handler there was (the receipt's Print button) now lives in birlik/print.js."""
    script = (SRC / "core" / "static" / "birlik" / "print.js").read_text()
    assert "data-print" in script
    receipt = (SRC / "charity" / "templates" / "charity" / "receipt.html").read_text()
    assert "birlik/print.js" in receipt
    assert "data-print" in receipt


# --- Cache-Control: private, no-store ---------------------------------------------------------


def test_a_public_page_for_a_visitor_keeps_its_own_caching(client, network):
    response = client.get("/kk/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_public_page_seen_by_a_signed_in_user_is_not_stored(client, network):
    client.force_login(network.users["coordinator_pavlodar"])
    assert client.get("/kk/")["Cache-Control"] == "private, no-store"


def test_a_private_status_page_is_never_stored(client, network):
    from birlik.appeals.models import Appeal
    from tests.portal.test_appeals_portal import appeal_form

    client.post(url("portal:appeal_new"), appeal_form())
    appeal = Appeal.objects.get()
    for name in ("portal:appeal_status", "portal:appeal_receipt"):
        response = client.get(url(name, token=appeal.token))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Security-Policy"] == EXPECTED_POLICY


def test_a_view_marked_private_and_an_api_token_call_are_never_stored():
    factory = RequestFactory()
    public = SecurityHeadersMiddleware(lambda request: _cached_publicly())
    marked = SecurityHeadersMiddleware(never_cache(lambda request: HttpResponse("personal")))
    assert public(factory.get("/kk/"))["Cache-Control"] == "public, max-age=3600"
    assert marked(factory.get("/kk/"))["Cache-Control"] == "private, no-store"
    with_token = factory.get("/api/v1/events", HTTP_AUTHORIZATION="Bearer bk_x")
    assert public(with_token)["Cache-Control"] == "private, no-store"


def _cached_publicly() -> HttpResponse:
    response = HttpResponse("public")
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --- Idle sessions ------------------------------------------------------------------------------

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def test_activity_keeps_the_session_and_idleness_ends_it(client, network, settings):
    settings.SESSION_IDLE_TIMEOUT = 1800
    home = url("workspace:home", "en")
    with freeze_time(START) as clock:
        client.force_login(network.users["coordinator_pavlodar"])
        assert client.get(home).status_code == 200
        for _ in range(3):  # every 29 minutes: never idle for 30
            clock.tick(datetime.timedelta(minutes=29))
            assert client.get(home).status_code == 200
        clock.tick(datetime.timedelta(minutes=31))
        response = client.get(home)
        assert response.status_code == 302
        assert response["Location"] == f"{url('access:login', 'en')}?next={home}"
        login = client.get(response["Location"])
        assert "You were signed out after 30 minutes without activity. Sign in again." in (
            login.content.decode()
        )
        assert "_auth_user_id" not in client.session
        again = client.get(home)  # still signed out, no second message
        assert again.status_code == 302
        assert "without activity" not in client.get(again["Location"]).content.decode()


def test_the_message_is_in_the_language_of_the_page(client, network, settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    with freeze_time(START) as clock:
        client.force_login(network.users["coordinator_pavlodar"])
        client.get(url("workspace:home", "ru"))
        clock.tick(datetime.timedelta(minutes=5))
        response = client.get(url("workspace:home", "ru"), follow=True)
    assert response.request["PATH_INFO"] == url("access:login", "ru")
    messages = [str(message) for message in response.context["messages"]]
    with translation.override("ru"):
        expected = translation.ngettext(
            "You were signed out after %(minutes)s minute without activity. Sign in again.",
            "You were signed out after %(minutes)s minutes without activity. Sign in again.",
            1,
        ) % {"minutes": 1}
    assert messages == [expected]


def test_activity_is_written_at_most_once_a_minute(client, network, settings):
    settings.SESSION_IDLE_TIMEOUT = 1800
    with freeze_time(START) as clock:
        client.force_login(network.users["coordinator_pavlodar"])
        client.get(url("workspace:home", "en"))
        first = client.session[SEEN_KEY]
        clock.tick(datetime.timedelta(seconds=30))
        client.get(url("workspace:home", "en"))
        assert client.session[SEEN_KEY] == first
        clock.tick(datetime.timedelta(seconds=31))
        client.get(url("workspace:home", "en"))
        assert client.session[SEEN_KEY] == first + 61


def test_a_zero_timeout_never_signs_out(client, network, settings):
    settings.SESSION_IDLE_TIMEOUT = 0
    with freeze_time(START) as clock:
        client.force_login(network.users["coordinator_pavlodar"])
        client.get(url("workspace:home", "en"))
        clock.tick(datetime.timedelta(hours=6))
        assert client.get(url("workspace:home", "en")).status_code == 200
