from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils import translation


def site(request: HttpRequest) -> dict[str, Any]:
    """The language switch keeps the page: each link is this page's address in that language."""
    current = translation.get_language()
    path = request.get_full_path()
    switch = [
        {
            "code": code,
            "name": name,
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, name in settings.LANGUAGES
    ]
    return {"language_switch": switch, "site_name": settings.SITE_NAME}
