"""The public side of charity: open requests for donors (no personal data), pledges, the
request form for citizens, and anonymous stories the beneficiaries agreed to publish."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from birlik.core import ratelimit
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error

from . import forms, queries, services
from .models import HelpRequest


def index(request: HttpRequest) -> HttpResponse:
    form = forms.PortalFilterForm(request.GET)
    rows = queries.open_requests()
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("region"):
        rows = rows.filter(region=filters["region"])
    if filters.get("category"):
        rows = rows.filter(category=filters["category"])
    page = Paginator(rows, settings.BIRLIK_PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode(
        {
            k: str(v)
            for k, v in request.GET.items()
            if v and k in form.fields and k not in form.errors
        }
    )
    return render(
        request,
        "charity/portal/index.html",
        {"form": form, "page": page, "query_string": query, "invalid": bool(form.errors)},
        status=400 if form.errors else 200,
    )


@never_cache
def ask(request: HttpRequest) -> HttpResponse:
    form = forms.PortalRequestForm(request.POST or None)
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data.get("website"):
            # A robot filled in the hidden field: answer as if all went well, keep nothing.
            return render(request, "charity/portal/thanks.html", {"number": ""})
        if refused := ratelimit.limited(request, "charity-request", rate="RATE_CHARITY_REQUESTS"):
            form.add_error(None, ratelimit.wait_message(refused.retry_after))
            return render(request, "charity/portal/ask.html", {"form": form}, status=429)
        try:
            help_request = services.request_register(
                source=HelpRequest.Source.PORTAL,
                category=data["category"],
                urgency=data["urgency"],
                need=data["need"],
                region=data["region"],
                district=data["district"],
                amount=data["amount"],
                items=form.item_lines(),
                beneficiary_name=data["name"],
                beneficiary_phone=data["phone"],
                consent=data["consent"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            return render(request, "charity/portal/thanks.html", {"number": help_request.number})
    return render(request, "charity/portal/ask.html", {"form": form}, status=status)


@never_cache
def open_request(request: HttpRequest, public_id: str) -> HttpResponse:
    help_request = get_object_or_404(queries.open_requests(), public_id=public_id)
    form = forms.PledgeForm(request.POST or None, auto_id="pledge_%s")
    pledged = False
    refused = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data.get("website"):
            pledged = True
        elif refused := ratelimit.limited(request, "charity-pledge", rate="RATE_CHARITY_PLEDGES"):
            form.add_error(None, ratelimit.wait_message(refused.retry_after))
        else:
            try:
                services.pledge_make(
                    help_request=help_request,
                    kind=data["kind"],
                    amount=data["amount"] or 0,
                    item=data["item"],
                    quantity=data["quantity"] or 0,
                    donor_name=data["donor_name"],
                    donor_phone=data["donor_phone"],
                    donor_email=data["donor_email"],
                    language=translation.get_language() or "kk",
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                pledged = True
    return render(
        request,
        "charity/portal/request.html",
        {
            "help_request": help_request,
            "items": list(help_request.items.all()),
            "form": forms.PledgeForm(auto_id="pledge_%s") if pledged else form,
            "pledged": pledged,
        },
        status=429 if refused else 400 if form.is_bound and not pledged else 200,
    )


def stories(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.published_stories(), settings.BIRLIK_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "charity/portal/stories.html", {"page": page})
