"""Workspace pages of integration tokens: list, make (the secret shown once) and revoke."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.access.models import User
from birlik.registry.models import Organisation

from . import queries, services
from .forms import TokenFilterForm, TokenForm
from .models import ApiToken


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = request.user
    policies.require(user, "api.manage_tokens")
    form = TokenFilterForm(request.GET)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    status = status or "active"
    rows = queries.tokens_of(user=user, status=status)
    page = Paginator(rows, settings.BIRLIK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "page": page,
            "status": status,
            "query_string": urlencode({"status": status}),
        },
    )


@login_required
def token_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    policies.require(user, "api.manage_tokens")
    form = TokenForm(request.POST or None, initial={"body": request.GET.get("body", "")})
    if request.method == "POST" and form.is_valid():
        body = (
            policies.scoped(Organisation.objects.select_related("kind"), user)
            .filter(pk=form.cleaned_data["body"])
            .first()
        )
        if body is None or not policies.can(user, "api.manage_tokens", body):
            form.add_error("body", _("There is no body with this number in your area."))
        else:
            try:
                made = services.api_token_create(
                    actor=user,
                    name=form.cleaned_data["name"],
                    organisation=body,
                    scopes=form.cleaned_data["scopes"],
                    expires_at=form.expires_at(),
                )
            except services.TokenError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, str(error.message))
            else:
                # The secret is on this page only: never cached, never stored in clear.
                response = render(
                    request,
                    "api/token_made.html",
                    {"token": made.token, "secret": made.secret},
                    status=201,
                )
                add_never_cache_headers(response)
                return response
    status = 400 if request.method == "POST" else 200
    return render(request, "api/token_new.html", {"form": form}, status=status)


@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    policies.require(user, "api.manage_tokens")
    token = policies.get_scoped_or_404(
        ApiToken.objects.select_related("organisation", "organisation__kind", "created_by"),
        user,
        pk=pk,
    )
    if request.method == "POST":
        try:
            services.api_token_revoke(actor=user, token=token)
        except services.TokenError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(
                request,
                _("The token “%(name)s” was revoked: it no longer works.") % {"name": token.name},
            )
        return redirect("api_tokens:list")
    return render(request, "api/token_revoke.html", {"token": token})
