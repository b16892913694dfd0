"""Language from the URL prefix, else the visitor's saved choice, else Kazakh.

Django's own LocaleMiddleware would take the browser's Accept-Language; Birlik opens in the
state language unless the visitor chose another, and remembers that choice in a cookie.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger("birlik.unavailable")

SUPPORTED = {code for code, _name in settings.LANGUAGES}


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

    Rate limits (sign-in, registration) key on ``REMOTE_ADDR``; it is replaced from
    ``X-Forwarded-For`` only when the direct peer is one of ``FORWARDED_ALLOW_IPS``.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response
        self.trusted = set(settings.FORWARDED_ALLOW_IPS)

    def __call__(self, request: HttpRequest) -> Any:
        peer = request.META.get("REMOTE_ADDR", "")
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and ("*" in self.trusted or peer in self.trusted):
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            # Walk back from the nearest hop, skipping our own proxies.
            for hop in reversed(hops):
                if hop not in self.trusted:
                    request.META["REMOTE_ADDR"] = hop
                    break
        return self.get_response(request)


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
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
