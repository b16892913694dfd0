from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation


def site(request: HttpRequest) -> dict[str, Any]:
    """The language switch keeps the page: each link is this page's address in that language
    (``absolute_url`` for the ``<link rel="alternate" hreflang>`` of the head, which must be
    absolute)."""
    current = translation.get_language()
    path = request.get_full_path()
    switch = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        switch.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    return {"language_switch": switch, "site_name": settings.SITE_NAME}
