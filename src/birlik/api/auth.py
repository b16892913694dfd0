"""Bearer tokens, allowed actions (scopes) and rate limits of the API.

Limits come from the settings ``API_RATE_ANON`` (per client address, for calls without a token)
and ``API_RATE_TOKEN`` (per token), like ``100/min``; they are read at each call so that a
changed setting applies at once. Calls are counted by ``birlik.core.ratelimit`` in a store all
web processes share, so the limit is the same however many workers answer. The client address
is ``REMOTE_ADDR`` as ``ClientAddressMiddleware`` set it from trusted proxies only, so a forged
``X-Forwarded-For`` cannot buy a fresh allowance.
"""

from __future__ import annotations

import threading
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from birlik.core import ratelimit

from .models import ApiToken
from .problems import ApiProblem
from .services import TokenRejected, api_token_use

DEFAULT_RATE_ANON = "120/min"
DEFAULT_RATE_TOKEN = "600/min"  # noqa: S105 - a rate, not a secret


class TokenAuth(HttpBearer):
    """``Authorization: Bearer bk_…``: the call acts as the integration's account."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if not header:
            raise ApiProblem(401)
        scheme, _sep, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise ApiProblem(401)
        return self.authenticate(request, value.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        try:
            found = api_token_use(secret=token)
        except TokenRejected as error:
            # Failed attempts count against the caller's address: no free guessing of tokens.
            if not AnonymousRate().allow_request(request):
                raise ApiProblem(429) from error
            raise ApiProblem(401, error.message) from error
        request.user = found.user
        return found


def require_scope(request: HttpRequest, scope: str) -> ApiToken:
    """The call's token, if it allows ``scope``; else a 403 problem naming the scope."""
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if scope not in token.scope_codes:
        from django.utils.translation import gettext

        raise ApiProblem(
            403,
            gettext("This token does not allow “%(scope)s”. Ask for a token with this action.")
            % {"scope": scope},
        )
    return token


class _SettingRate(BaseThrottle):
    """A throttle counted by ``birlik.core.ratelimit`` (a store every web process shares) at
    the rate of a setting, read at each call."""

    scope = ""
    setting = ""
    default = ""
    _last = threading.local()  # the instance serves every thread: the wait is per thread

    def ident(self, request: HttpRequest) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: HttpRequest) -> bool:
        ident = self.ident(request)
        if ident is None:
            return True
        rate = ratelimit.parse_rate(str(getattr(settings, self.setting, "") or self.default))
        verdict = ratelimit.check(self.scope, ident, limit=rate.limit, window=rate.window)
        self._last.wait = max(verdict.retry_after, 1)
        return not verdict.over

    def wait(self) -> float | None:
        return float(getattr(self._last, "wait", 1))


class AnonymousRate(_SettingRate):
    """Calls without a token, counted per client address."""

    scope = "api-anon"
    setting = "API_RATE_ANON"
    default = DEFAULT_RATE_ANON

    def ident(self, request: HttpRequest) -> str | None:
        if getattr(request, "auth", None) is not None:
            return None
        return ratelimit.client_ident(request)


class TokenRate(_SettingRate):
    """Calls with a token, counted per token."""

    scope = "api-token"
    setting = "API_RATE_TOKEN"
    default = DEFAULT_RATE_TOKEN

    def ident(self, request: HttpRequest) -> str | None:
        token = getattr(request, "auth", None)
        if token is None:
            return None
        return str(token.pk)
