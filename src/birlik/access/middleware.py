"""The one place where the second factor is required.

Holders of a managing, auditing or confidential role (``policies.needs_second_factor``) reach
no page of the workspace, the accounts pages or the admin until this session has passed a
second factor: without an authenticator app they are sent to set one up, with one to enter its
code. The public portal and the API (which signs in with tokens) are not concerned.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import policies

# Staff areas, behind the optional language prefix.
PROTECTED = re.compile(r"^/(?:[a-z]{2}(?:-[a-z]+)?/)?(?:workspace|account|admin)/")
# Pages that a session waiting for its second factor still reaches.
EXEMPT = frozenset({"access:login", "access:logout", "access:totp", "access:verify"})


def second_factor_passed(request: HttpRequest) -> bool:
    """Whether this session may use the staff pages as far as the second factor goes."""
    user = request.user
    if not policies.needs_second_factor(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class SecondFactorMiddleware:
    """Sends a signed-in account that must use a second factor to set it up or to enter it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not PROTECTED.match(request.path_info):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT:
            return None
        if second_factor_passed(request):
            return None
        from django_otp.plugins.otp_totp.models import TOTPDevice

        enrolled = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
        target = reverse("access:verify" if enrolled else "access:totp")
        next_url = request.get_full_path() if request.method == "GET" else ""
        return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
