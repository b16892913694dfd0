"""Language from the URL prefix, else the visitor's saved choice, else Kazakh.

Django's own LocaleMiddleware would take the browser's Accept-Language; Birlik opens in the
state language unless the visitor chose another, and remembers that choice in a cookie.
"""

from __future__ import annotations

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
