"""Language from the URL prefix, else the visitor's saved choice, else Kazakh.

Django's own LocaleMiddleware would take the browser's Accept-Language; Birlik opens in the
state language unless the visitor chose another, and remembers that choice in a cookie.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

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
