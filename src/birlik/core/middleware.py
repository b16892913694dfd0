"""Middleware of the platform: language, client address, database outages, idle sessions and
the security headers of every answer.

Language: from the URL prefix, else the visitor's saved choice, else Kazakh. Django's own
LocaleMiddleware would take the browser's Accept-Language; Birlik opens in the state language
unless the visitor chose another, and remembers that choice in a cookie.
"""

from __future__ import annotations

import ipaddress
import logging
import sys
import time
from typing import Any, ClassVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from whitenoise.middleware import WhiteNoiseMiddleware

logger = logging.getLogger("birlik.unavailable")

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with the table of the static finders' files built once per process.

    Without a ``collectstatic`` (``birlik demo``, tests) WhiteNoise lists every file of every
    finder when the middleware is made. Django makes the middleware once per handler: once
    per server process, but once per client in tests (about 50 ms each, most of a short
    test). The files do not change while a process runs (WhiteNoise's autorefresh, used under
    DEBUG, does not take this path)."""

    _finder_files: ClassVar[dict[str, Any] | None] = None

    def add_files_from_finders(self) -> None:
        cls = type(self)
        if cls._finder_files is None:
            before = dict(self.files)
            super().add_files_from_finders()
            cls._finder_files = {
                url: found for url, found in self.files.items() if before.get(url) is not found
            }
        else:
            self.files.update(cls._finder_files)


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        language = translation.get_language_from_path(request.path_info)
        if language is None:
            saved = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            language = saved if saved in SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        from_path = translation.get_language_from_path(request.path_info)
        if from_path and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != from_path:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                from_path,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
        return response


class ClientAddressMiddleware:
    """Behind a reverse proxy, the client's address is the last one the proxy appended.

    Rate limits (``birlik.core.ratelimit``: sign-in, public forms, API) key on ``REMOTE_ADDR``;
    it is replaced from ``X-Forwarded-For`` only when the direct peer is one of
    ``FORWARDED_ALLOW_IPS`` (addresses or networks such as ``10.0.0.0/8``; ``*`` trusts any
    peer). The setting is empty by default, so that a client cannot pick its own address (a
    client on the same machine included) to escape a limit or unlock an account.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        self.trust_all, self.trusted = trusted_networks(settings.FORWARDED_ALLOW_IPS)

    def is_trusted(self, address: str) -> bool:
        if self.trust_all:
            return True
        try:
            parsed = ipaddress.ip_address(address.strip())
        except ValueError:
            return False
        return any(parsed in network for network in self.trusted)

    def __call__(self, request: HttpRequest) -> Any:
        peer = request.META.get("REMOTE_ADDR", "")
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and (self.trust_all or self.trusted) and self.is_trusted(peer):
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            # Walk back from the nearest hop, skipping our own proxies; the first other hop is
            # the client as our proxies saw it (anything before it the client could write).
            for hop in reversed(hops):
                if self.trust_all or not self.is_trusted(hop):
                    if _is_address(hop):
                        request.META["REMOTE_ADDR"] = hop
                    break
        return self.get_response(request)


def trusted_networks(
    values: list[str],
) -> tuple[bool, list[ipaddress.IPv4Network | ipaddress.IPv6Network]]:
    """``FORWARDED_ALLOW_IPS`` read: (any peer trusted, the trusted networks)."""
    networks = []
    trust_all = False
    for value in values:
        if value.strip() == "*":
            trust_all = True
            continue
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"FORWARDED_ALLOW_IPS: {value!r} is not an address or a network."
            ) from error
    return trust_all, networks


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


RETRY_AFTER_SECONDS = 30


def _database_failed(request: HttpRequest, **_kwargs: Any) -> None:
    """Marks a request whose uncaught exception was the database going away."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, (OperationalError, InterfaceError)):
        request.birlik_database_down = True  # type: ignore[attr-defined]


got_request_exception.connect(_database_failed, dispatch_uid="birlik-database-unavailable")


class DatabaseUnavailableMiddleware:
    """The database is down or locked past its busy timeout: a clear 503, never a traceback.

    A view's ``OperationalError``/``InterfaceError`` is answered in ``process_exception``; one
    raised by another middleware (a session saved on the way out) reaches Django's 500 handling,
    which is marked by a ``got_request_exception`` receiver and replaced here. The page is a
    standalone template rendered without the request, so it runs no query (no user, no session).
    JSON clients (``/health/``, the API) get ``{"status": "unavailable"}``.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        try:
            response = self.get_response(request)
        except (OperationalError, InterfaceError):
            return self.unavailable(request)
        if response.status_code == 500 and getattr(request, "birlik_database_down", False):
            return self.unavailable(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if isinstance(exception, (OperationalError, InterfaceError)):
            return self.unavailable(request)
        return None

    @staticmethod
    def unavailable(request: HttpRequest) -> HttpResponseBase:
        logger.error(
            "Database unavailable while serving %s %s",
            request.method,
            request.path,
            exc_info=True,
        )
        response: HttpResponseBase
        wants_json = request.path_info.startswith(("/health/", "/api/")) or (
            "application/json" in request.headers.get("Accept", "")
        )
        if wants_json:
            response = JsonResponse({"status": "unavailable"}, status=503)
        else:
            language = translation.get_language_from_path(request.path_info) or (
                translation.get_language() or settings.LANGUAGE_CODE
            )
            with translation.override(language):
                html = render_to_string("errors/503.html", {"LANGUAGE_CODE": language})
            response = HttpResponse(html, status=503)
            response["Content-Security-Policy"] = content_security_policy(request.path_info)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response


def signed_in(request: HttpRequest) -> bool:
    """Whether the request comes from a signed-in user, without loading a session the browser
    never sent (an anonymous visitor costs no query)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


SEEN_KEY = "birlik_seen_at"
# The last activity is written to the session at most this often (one write a minute, not one
# per request): the idle timeout is exact to within this.
SEEN_RESOLUTION_S = 60


class SessionIdleTimeoutMiddleware:
    """A signed-in session unused for ``SESSION_IDLE_TIMEOUT`` seconds is signed out.

    The next request goes to the sign-in page (then back where it was going) with a message
    saying why; API calls just continue as anonymous (the API answers for itself). Activity
    keeps the session alive. Placed after the auth and messages middleware.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        timeout = int(settings.SESSION_IDLE_TIMEOUT)
        if timeout > 0 and signed_in(request):
            now = int(time.time())
            seen = request.session.get(SEEN_KEY)
            if isinstance(seen, int) and now - seen > timeout:
                logout(request)
                if not request.path_info.startswith("/api/"):
                    messages.info(request, idle_message(timeout))
                    return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            elif not isinstance(seen, int) or now - seen >= SEEN_RESOLUTION_S:
                request.session[SEEN_KEY] = now
        return self.get_response(request)


def session_started(sender: Any, request: HttpRequest, **_kwargs: Any) -> None:
    """Signing in is activity: the idle clock starts with the session (``user_logged_in``),
    so the first pages after it write nothing more to the session."""
    if request is not None and hasattr(request, "session"):
        request.session[SEEN_KEY] = int(time.time())


def idle_message(timeout: int) -> str:
    """Why the visitor is on the sign-in page again, in their language."""
    minutes = max(timeout // 60, 1)
    return translation.ngettext(
        "You were signed out after %(minutes)s minute without activity. Sign in again.",
        "You were signed out after %(minutes)s minutes without activity. Sign in again.",
        minutes,
    ) % {"minutes": minutes}


def content_security_policy(path: str) -> str:
    """The policy of the page at ``path``: ``CONTENT_SECURITY_POLICY`` with the directives of
    the longest matching prefix in ``CONTENT_SECURITY_POLICY_PATHS`` laid over it."""
    directives = dict(settings.CONTENT_SECURITY_POLICY)
    prefixes = [p for p in settings.CONTENT_SECURITY_POLICY_PATHS if path.startswith(p)]
    if prefixes:
        directives.update(settings.CONTENT_SECURITY_POLICY_PATHS[max(prefixes, key=len)])
    return "; ".join(f"{name} {value}" for name, value in directives.items() if value)


PRIVATE = "private, no-store"
POLICED_TYPES = ("text/html", "image/svg+xml")


class SecurityHeadersMiddleware:
    """The headers every answer gets, in one place.

    - ``Content-Security-Policy`` on every HTML page (and SVG): ``content_security_policy``.
    - ``Cache-Control: private, no-store`` on every answer that may hold personal data: any
      answer to a signed-in user or to a caller with an API token, and any answer its view
      marked private (``Cache-Control`` with ``private`` or ``no-store``, e.g. ``never_cache``:
      a private status page, a private download). Public pages keep their own caching.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type in POLICED_TYPES and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = content_security_policy(request.path_info)
        if is_private(request, response):
            response["Cache-Control"] = PRIVATE
            patch_vary_headers(response, ("Cookie",))
        return response


def is_private(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the answer may hold personal data, so no cache may keep it."""
    marked = response.get("Cache-Control", "").lower()
    return (
        "private" in marked
        or "no-store" in marked
        or "HTTP_AUTHORIZATION" in request.META
        or signed_in(request)
    )
