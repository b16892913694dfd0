"""Similar ideas while typing: ``GET /<lang>/ideas/similar/?title=…&text=…`` → JSON for
``static/ideas/similar.js`` on the submit form.

Anyone may ask (published ideas only are answered). Input is cut to a sane length, never
refused; too little input answers an empty list. Each client is rate limited generously
(``RATE_IDEAS_SIMILAR``, default "120/min": a debounced form asks a few times a minute); over
it, a 429 with the same JSON shape. Answers are never cached (they follow what is typed).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET

from birlik.core import ratelimit

from . import similarity

RATE_SCOPE = "ideas_similar"
RATE_SETTING = "RATE_IDEAS_SIMILAR"
RATE_DEFAULT = "120/min"
LIMIT_DEFAULT = 5
LIMIT_MAX = 10


def _answer(body: dict[str, Any], *, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _refused(message: str, *, status: int, retry_after: int = 0) -> JsonResponse:
    response = _answer({"ideas": [], "error": message}, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def _text(request: HttpRequest, name: str, limit: int) -> str:
    # Cut first: a megabyte of text costs no more than the first few thousand characters.
    return request.GET.get(name, "")[:limit].replace("\x00", " ")


@require_GET
def similar(request: HttpRequest) -> JsonResponse:
    rate = ratelimit.parse_rate(str(getattr(settings, RATE_SETTING, RATE_DEFAULT)))
    verdict = ratelimit.check(
        RATE_SCOPE, ratelimit.client_ident(request), limit=rate.limit, window=rate.window
    )
    if verdict.over:
        return _refused(
            ratelimit.wait_message(verdict.retry_after),
            status=429,
            retry_after=verdict.retry_after,
        )
    raw_limit = request.GET.get("limit", "")
    if raw_limit and not (raw_limit.isdigit() and 1 <= int(raw_limit) <= LIMIT_MAX):
        message = gettext("The number of similar ideas asked for must be from 1 to %(max)s.")
        return _refused(message % {"max": LIMIT_MAX}, status=400)
    limit = int(raw_limit) if raw_limit else LIMIT_DEFAULT
    title = _text(request, "title", similarity.QUERY_TITLE_CHARS)
    text = _text(request, "text", similarity.QUERY_TEXT_CHARS)
    found = similarity.similar_ideas(title=title, text=text, limit=limit)
    return _answer(
        {
            "heading": gettext("Similar ideas — support one instead of repeating it"),
            "ideas": [
                {
                    "number": idea.number,
                    "title": idea.title,
                    "language": idea.language,
                    "url": reverse("ideas_portal:idea", kwargs={"pk": idea.pk}),
                    "supports": idea.support_count,
                    "supports_label": ngettext(
                        "%(count)s support", "%(count)s supports", idea.support_count
                    )
                    % {"count": idea.support_count},
                    "score": score,
                }
                for idea, score in found
            ],
        }
    )


urlpatterns: list[URLPattern] = [
    path("similar/", similar, name="similar"),
]
