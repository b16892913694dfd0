"""The public side of surveys: a survey's public link and a panel invitation.

No account, no IIN, nothing that names the respondent is asked or kept. The questionnaire is
in the page's language (the address prefix kk/ru/en), consent first, the whole form rendered by
the server (works without script). Submits are rate limited per connection
(``RATE_SURVEY_RESPONSES``). A random per-survey cookie lets the analyst see repeats from one
browser (its keyed digest is kept, never the cookie); a repeat is flagged, never refused.
Panel pages send no referrer and are never cached: the address holds the invitation.
"""

from __future__ import annotations

import secrets
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse, translate_url
from django.utils import translation
from django.views.decorators.cache import never_cache

from birlik.core import ratelimit
from birlik.core.errors import DomainError

from . import collect_forms, services
from .models import Mode, Survey

COOKIE_PREFIX = "birlik_sv_"
COOKIE_AGE = 365 * 24 * 60 * 60
RATE_SCOPE = "survey_response"
LOGIC_SCRIPT = "birlik/surveys/logic.js"


def _survey(slug: str) -> Survey:
    return get_object_or_404(Survey.objects.select_related("version"), slug=slug)


def _open(survey: Survey, mode: str) -> bool:
    return survey.status == Survey.Status.FIELDWORK and mode in (survey.modes or [])


@cache
def _logic_script_present() -> bool:
    """Whether the skip-logic script is installed (it only hides questions early)."""
    return bool(finders.find(LOGIC_SCRIPT))


def _other_languages(request: HttpRequest) -> list[dict[str, str]]:
    current = translation.get_language()
    return [
        {"code": code, "name": str(name), "url": translate_url(request.path, code)}
        for code, name in settings.LANGUAGES
        if code != current
    ]


def _device_cookie(request: HttpRequest, survey: Survey) -> tuple[str, bool]:
    """This browser's random mark for the survey, and whether it is new (to be set)."""
    value = request.COOKIES.get(f"{COOKIE_PREFIX}{survey.pk}", "")
    if value and 16 <= len(value) <= 64 and value.replace("-", "").replace("_", "").isalnum():
        return value, False
    return secrets.token_urlsafe(18), True


def _with_cookie(
    request: HttpRequest, response: HttpResponse, survey: Survey, value: str, new: bool
) -> HttpResponse:
    if new:
        response.set_cookie(
            f"{COOKIE_PREFIX}{survey.pk}",
            value,
            max_age=COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure() or bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        )
    return response


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _closed(request: HttpRequest, survey: Survey, message: Any = "") -> HttpResponse:
    return render(
        request, "surveys/portal/closed.html", {"survey": survey, "message": message}, status=200
    )


def _answer(request: HttpRequest, survey: Survey, *, token: str | None) -> HttpResponse:
    """The questionnaire: shown, or submitted and stored (then the thank-you page)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    version = survey.version
    cookie, new_cookie = _device_cookie(request, survey)
    status = 200
    if request.method == "POST":
        form = collect_forms.answer_form(version, language, request.POST, survey_pk=survey.pk)
        status = 400
        if form.is_valid():
            if form.cleaned_data.get(collect_forms.TRAP):
                # A robot filled in the hidden field: thank it, keep nothing.
                return redirect("surveys_portal:thanks", slug=survey.slug)
            try:
                services.response_check(version, form.raw())
            except services.ResponseInvalid as error:
                form.show_check_errors(error.errors)
            else:
                refused = ratelimit.limited(request, RATE_SCOPE, rate="RATE_SURVEY_RESPONSES")
                if refused:
                    form.add_error(None, ratelimit.wait_message(refused.retry_after))
                    status = 429
                else:
                    try:
                        services.response_submit(
                            survey,
                            form.raw(),
                            language=language,
                            token=token,
                            duration_seconds=collect_forms.duration_from(
                                form.cleaned_data.get(collect_forms.STARTED, ""), survey.pk
                            ),
                            device_digest=services.device_digest(survey, cookie),
                        )
                    except services.InvitationRefused as error:
                        return _closed(request, survey, error.message)
                    except services.ResponseInvalid as error:
                        form.show_check_errors(error.errors)
                    except DomainError as error:
                        form.add_error(None, str(error.message))
                    else:
                        done = redirect("surveys_portal:thanks", slug=survey.slug)
                        return _with_cookie(request, done, survey, cookie, new_cookie)
    else:
        form = collect_forms.answer_form(version, language, survey_pk=survey.pk)
    response = render(
        request,
        "surveys/portal/survey.html",
        {
            "survey": survey,
            "form": form,
            "blocks": form.blocks(),
            "problems": form.summary() if form.is_bound else [],
            "other_languages": _other_languages(request),
            "logic_script": _logic_script_present(),
            "panel": token is not None,
        },
        status=status,
    )
    return _with_cookie(request, response, survey, cookie, new_cookie)


@never_cache
def survey_page(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    if not _open(survey, Mode.WEB):
        return _closed(request, survey)
    response = _answer(request, survey, token=None)
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def panel(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    survey = _survey(slug)
    if request.method not in ("GET", "HEAD", "POST"):
        return _private(HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"}))
    if not _open(survey, Mode.PANEL):
        return _private(_closed(request, survey))
    if not services.invitation_usable(survey, token):
        refused = services.InvitationRefused(
            translation.gettext("This invitation is not valid or has already been used.")
        )
        return _private(_closed(request, survey, refused.message))
    return _private(_answer(request, survey, token=token))


def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    return render(
        request,
        "surveys/portal/thanks.html",
        {"survey": survey, "home": reverse("portal:home")},
    )


urlpatterns: list[URLPattern] = [
    path("<slug:slug>/", survey_page, name="survey"),
    path("<slug:slug>/thanks/", thanks, name="thanks"),
    path("<slug:slug>/t/<str:token>/", panel, name="panel"),
]
