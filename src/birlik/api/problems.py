"""Errors as RFC 9457 problem details, in the caller's language.

Every error the API gives — its own, ninja's validation errors, Django's ``Http404`` and
``PermissionDenied``, a service's ``DomainError``, throttling, unknown paths and methods — is
``application/problem+json`` with ``type``, ``title``, ``status``, ``detail`` and ``instance``;
validation problems add ``errors``. The language is chosen from ``Accept-Language`` (kk, ru,
en; Kazakh when none of them is asked for), not from the site's cookie.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from birlik.core.errors import DomainError

logger = logging.getLogger("birlik.api")

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:birlik:problem:"
SUPPORTED = ("kk", "ru", "en")


class FieldError(Schema):
    location: str
    field: str
    code: str
    detail: str


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = None


# Statuses the API answers with a problem, with their type and title.
KINDS: dict[int, tuple[str, Any]] = {
    400: ("rule-broken", _("The request cannot be carried out")),
    401: ("unauthorised", _("A valid token is needed")),
    403: ("forbidden", _("Not allowed")),
    404: ("not-found", _("Not found")),
    405: ("method-not-allowed", _("Method not allowed")),
    422: ("invalid-request", _("The request is not valid")),
    429: ("too-many-requests", _("Too many requests")),
    500: ("server-error", _("Server error")),
}
DETAILS: dict[int, Any] = {
    400: _("The request breaks a rule of the platform."),
    401: _("Send the integration token in the header Authorization: Bearer <token>."),
    403: _("Your token does not allow this action on this record."),
    404: _("There is no such record, or it is outside the area of your token."),
    405: _("This address does not take this method."),
    422: _("Some values of the request are missing or not valid; see errors."),
    429: _("The limit of requests was reached. Wait and try again."),
    500: _("Something went wrong on our side. The error has been recorded; try again later."),
}


class ApiProblem(Exception):
    """Raised by endpoints for a problem with its own status, detail and field errors."""

    def __init__(
        self,
        status: int,
        detail: Any = None,
        *,
        errors: list[dict[str, str]] | None = None,
        title: Any = None,
    ) -> None:
        super().__init__(str(detail or ""))
        self.status = status
        self.detail = detail
        self.errors = errors
        self.title = title


def language_of(request: HttpRequest) -> str:
    """The first of kk/ru/en the caller accepts (by weight), Kazakh otherwise."""
    header = request.headers.get("Accept-Language", "")
    try:
        accepted = parse_accept_lang_header(header[:255]) if header else ()
    except ValueError:
        accepted = ()
    for code, _weight in accepted:
        base = code.split("-")[0].lower()
        if base in SUPPORTED:
            return base
    return settings.LANGUAGE_CODE


def problem_response(
    request: HttpRequest,
    status: int,
    detail: Any = None,
    *,
    errors: list[dict[str, str]] | None = None,
    title: Any = None,
) -> HttpResponse:
    slug, default_title = KINDS.get(status, KINDS[400])
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug,
        "title": str(title or default_title),
        "status": status,
        "detail": str(detail or DETAILS.get(status, "")),
        "instance": request.get_full_path()[:500],
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=MEDIA_TYPE
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="birlik"'
    return response


# --- Validation errors -------------------------------------------------------------------------

MESSAGES: dict[str, Any] = {
    "missing": _("This value is required."),
    "int_parsing": _("Give a whole number."),
    "int_type": _("Give a whole number."),
    "int_from_float": _("Give a whole number."),
    "bool_parsing": _("Give true or false."),
    "bool_type": _("Give true or false."),
    "date_parsing": _("Give a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": _("Give a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": _("Give a date as YYYY-MM-DD."),
    "date_type": _("Give a date as YYYY-MM-DD."),
    "datetime_parsing": _(
        "Give a date and time in ISO 8601, for example 2026-05-01T10:00:00+05:00."
    ),
    "datetime_from_date_parsing": _(
        "Give a date and time in ISO 8601, for example 2026-05-01T10:00:00+05:00."
    ),
    "datetime_type": _("Give a date and time in ISO 8601, for example 2026-05-01T10:00:00+05:00."),
    "string_type": _("Give a text."),
    "list_type": _("Give a list."),
    "dict_type": _("Give an object."),
    "model_type": _("Give an object."),
    "model_attributes_type": _("Give an object."),
    "json_invalid": _("The body of the request is not valid JSON."),
    "extra_forbidden": _("This field is not known."),
    "url_parsing": _("Give a full address starting with http:// or https://."),
    "url_scheme": _("Give a full address starting with http:// or https://."),
}


def _message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind in MESSAGES:
        return str(MESSAGES[kind])
    if kind in {"greater_than_equal", "greater_than"}:
        return gettext("Give a number of at least %(limit)s.") % {
            "limit": context.get("ge", context.get("gt", ""))
        }
    if kind in {"less_than_equal", "less_than"}:
        return gettext("Give a number of at most %(limit)s.") % {
            "limit": context.get("le", context.get("lt", ""))
        }
    if kind == "string_too_long":
        return gettext("The text is too long: at most %(limit)s characters.") % {
            "limit": context.get("max_length", "")
        }
    if kind == "string_too_short":
        return gettext("The text is too short: at least %(limit)s characters.") % {
            "limit": context.get("min_length", "")
        }
    if kind in {"too_long"}:
        return gettext("The list is too long: at most %(limit)s items.") % {
            "limit": context.get("max_length", "")
        }
    if kind in {"too_short"}:
        return gettext("The list is too short: at least %(limit)s items.") % {
            "limit": context.get("min_length", "")
        }
    if kind in {"enum", "literal_error"}:
        return gettext("Choose one of: %(values)s.") % {"values": context.get("expected", "")}
    if kind == "string_pattern_mismatch":
        return gettext("This value does not have the expected form.")
    return gettext("This value is not valid.")


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Ninja's (pydantic's) errors as ``{location, field, code, detail}`` in the language."""
    result = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        location = loc[0] if loc else ""
        path = [part for part in loc[1:] if part not in {"payload", "filters", "data"}]
        result.append(
            {
                "location": location,
                "field": ".".join(path),
                "code": str(error.get("type", "invalid")),
                "detail": _message(error),
            }
        )
    return result


def field_error(
    field: str, detail: Any, *, location: str = "query", code: str = "invalid"
) -> dict[str, str]:
    return {"location": location, "field": field, "code": code, "detail": str(detail)}


# --- Handlers ------------------------------------------------------------------------------------


def install(api: Any) -> None:
    """Route every exception the API can meet to a problem response."""

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return problem_response(request, 422, errors=field_errors(exc.errors))

    def on_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return problem_response(request, exc.status, exc.detail, errors=exc.errors, title=exc.title)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, Throttled):
            return problem_response(request, 429)
        if isinstance(exc, AuthenticationError):
            return problem_response(request, 401)
        if exc.status_code == 400:
            # Ninja's only 400: a body that cannot be parsed.
            return problem_response(
                request,
                400,
                _("The body of the request could not be read: send valid JSON."),
                errors=[
                    field_error("", MESSAGES["json_invalid"], location="body", code="json_invalid")
                ],
            )
        status = exc.status_code if exc.status_code in KINDS else 400
        return problem_response(request, status)

    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(request, 404)

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem_response(request, 403)

    def on_domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        errors = None
        if exc.field:
            errors = [field_error(exc.field, exc.message, location="body", code="rule")]
        return problem_response(request, 400, exc.message, errors=errors)

    def on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
        if isinstance(exc, (OperationalError, InterfaceError)):
            raise exc  # the database is down: DatabaseUnavailableMiddleware answers 503
        logger.exception("API error on %s %s", request.method, request.path)
        return problem_response(request, 500)

    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(ApiProblem, on_problem)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(DomainError, on_domain)
    api.add_exception_handler(Exception, on_exception)


def in_callers_language(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Wrap a URL's view: answer in the caller's language; a bare 405 becomes a problem."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        language = language_of(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)
            if response.status_code == 405 and not response.get("Content-Type", "").startswith(
                MEDIA_TYPE
            ):
                allowed = response.get("Allow", "")
                response = problem_response(request, 405)
                if allowed:
                    response["Allow"] = allowed
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        return response

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped


@in_callers_language
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any other address under /api/."""
    return problem_response(
        request, 404, _("There is no such address in the API. See /api/v1/docs.")
    )
