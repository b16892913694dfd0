"""The door of every workspace view: signed in and holding at least one grant."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseBase

from . import policies

View = Callable[..., HttpResponseBase]


def staff_view(view: View) -> View:
    """Signed in and holding at least one grant; everything else is checked inside the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        policies.require(request.user, "workspace.enter")
        return view(request, *args, **kwargs)

    return login_required(wrapper)
