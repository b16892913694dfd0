"""The public side of people's diplomacy: the year's figures (aggregates only, never a name),
a partner's request to the People's Diplomacy Centre, and the private status page of a request.

The token of the status link is the partner's only key: the page shows that one request and
nothing of anyone else, and is kept out of search engines and caches.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from birlik.core import kpi, ratelimit
from birlik.core.forms import show_domain_error
from birlik.core.private_files import private_page
from birlik.core.workdays import legal_today

from . import countries, kpis, queries, services
from .forms import FiguresForm, PartnerRequestForm
from .models import InternationalRequest, RequesterKind, Visit

RATE_SETTING = "RATE_DIPLOMACY_REQUESTS"
RATE_SCOPE = "diplomacy-request"
SESSION_KEY = "diplomacy_request"


def _figures(year: int) -> dict[str, Any]:
    """The year's counts from the indicators themselves, so the page and the dashboards agree."""
    period = kpi.Period.year(year)
    by_country: dict[str, int] = defaultdict(int)
    by_kind: dict[str, int] = defaultdict(int)
    for row in kpis.requests(period, None):
        by_country[row["country"]] += row["value"]
        by_kind[row["diplomacy_requester"]] += row["value"]
    visits: dict[str, int] = defaultdict(int)
    visit_countries: dict[str, int] = defaultdict(int)
    for row in kpis.visits(period, None):
        visits[row["diplomacy_direction"]] += row["value"]
        visit_countries[row["country"]] += row["value"]
    activities = sum(row["value"] for row in kpis.ambassador_activities(period, None))
    ambassadors = kpis.ambassadors(period, None)[0]["value"]
    kinds = dict(RequesterKind.choices)
    return {
        "requests": sum(by_country.values()),
        "by_country": sorted(
            ((countries.name(code), count) for code, count in by_country.items()),
            key=lambda item: (-item[1], item[0]),
        ),
        "by_kind": [(str(kinds[code]), by_kind[code]) for code in kinds if by_kind.get(code)],
        "incoming": visits.get(Visit.Direction.INCOMING, 0),
        "outgoing": visits.get(Visit.Direction.OUTGOING, 0),
        "visit_countries": len(visit_countries),
        "ambassadors": ambassadors,
        "activities": activities,
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """What the Centre does, the year's figures and the way to write to it."""
    today = legal_today()
    form = FiguresForm(request.GET)
    year = today.year
    if form.is_valid() and form.cleaned_data.get("year"):
        year = form.cleaned_data["year"]
    years = sorted({*queries.request_years(), today.year}, reverse=True)
    figures = kpi.cached(f"diplomacy:portal:{year}:{get_language()}", lambda: _figures(year))
    return render(
        request,
        "diplomacy/portal/index.html",
        {
            "form": form,
            "year": year,
            "years": years,
            "figures": figures,
            "accepting": queries.active_centre() is not None,
        },
        status=400 if form.errors else 200,
    )


def _not_accepted(request: HttpRequest) -> HttpResponse:
    """No Centre takes requests now: said plainly (a form sent meanwhile is kept nowhere)."""
    status = 503 if request.method == "POST" else 200
    return render(request, "diplomacy/portal/not_accepted.html", status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """A partner's request; without an active Centre, a page saying none is accepted now."""
    if queries.active_centre() is None:
        return _not_accepted(request)
    form = PartnerRequestForm(request.POST or None, auto_id="request_%s")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                # A robot filled the trap: answer as if done, keep nothing.
                request.session[SESSION_KEY] = ""
                return redirect("diplomacy_portal:received")
            if verdict := ratelimit.limited(request, RATE_SCOPE, rate=RATE_SETTING):
                form.add_error(None, ratelimit.wait_message(verdict.retry_after))
                status = 429
            else:
                try:
                    item = services.request_submit(
                        requester_name=data["requester_name"],
                        requester_kind=data["requester_kind"],
                        country=data["country"],
                        email=data["email"],
                        topic=data["topic"],
                        text=data["text"],
                        language=(get_language() or "kk").split("-")[0],
                        consent=data["consent"],
                    )
                except services.NotAccepted:
                    return _not_accepted(request)
                except services.DiplomacyError as error:
                    show_domain_error(form, error)
                else:
                    request.session[SESSION_KEY] = item.token
                    return redirect("diplomacy_portal:received")
    return render(request, "diplomacy/portal/request.html", {"form": form}, status=status)


@never_cache
@require_GET
def received(request: HttpRequest) -> HttpResponse:
    """The number and the private link of the request just sent (kept in the session)."""
    token = request.session.get(SESSION_KEY)
    if token is None:
        return redirect("diplomacy_portal:request")
    item = (
        InternationalRequest.objects.filter(token=token).only("number", "token", "language").first()
        if token
        else None
    )
    context = {"item": item, "status_url": services.status_url(item) if item else ""}
    return private_page(render(request, "diplomacy/portal/received.html", context))


@never_cache
@require_GET
def status(request: HttpRequest, token: str) -> HttpResponse:
    """The partner's view of their request: its number, status and the answer."""
    item = (
        InternationalRequest.objects.select_related("organisation").filter(token=token).first()
        if token and len(token) <= 64
        else None
    )
    if item is None:
        raise Http404(_("There is no request with this link."))
    steps = list(item.steps.exclude(status="registered").only("status", "at"))
    return private_page(
        render(
            request,
            "diplomacy/portal/status.html",
            {
                "item": item,
                "steps": steps,
                "statuses": dict(InternationalRequest.Status.choices),
                "shows_answer": bool(item.answer_text)
                and item.status
                in (
                    InternationalRequest.Status.ANSWERED,
                    InternationalRequest.Status.VISIT_ARRANGED,
                    InternationalRequest.Status.CLOSED,
                ),
            },
        )
    )
