"""The public mediation page: what mediation is, centres by region, anonymous counts, and the
"Ask for a mediator" form. Nothing here shows a case or a mediator's personal data."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from birlik.core import kpi, ratelimit
from birlik.core.forms import show_domain_error
from birlik.geo.labels import region_label

from . import queries, services
from .forms import RequestForm


def _region_name(centre: Any) -> str:
    return region_label(centre.region.name if centre.region_id else None)


def _page_context() -> dict[str, Any]:
    centres = list(queries.centres())
    languages = queries.centre_languages([centre.pk for centre in centres])
    for centre in centres:
        centre.spoken = languages.get(centre.pk, [])
    regions = [(name, list(items)) for name, items in groupby(centres, key=_region_name)]
    today = timezone.localdate()
    since = today.replace(year=today.year - 1)
    counts = kpi.cached(
        f"mediation:portal:{since}:{get_language()}",
        lambda: queries.anonymous_counts(since=since, until=today),
    )
    return {"regions": regions, "counts": counts, "since": since}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "mediation/portal/index.html",
        {**_page_context(), "form": RequestForm(auto_id="request_%s")},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def request_mediator(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return redirect("mediation_portal:index")
    form = RequestForm(request.POST, auto_id="request_%s")
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            # A robot filled the trap: answer as if done, keep nothing.
            request.session["mediation_request"] = ""
            return redirect("mediation_portal:received")
        if ratelimit.limited(request, "mediation-request", rate="RATE_MEDIATION_REQUESTS"):
            form.add_error(
                None, _("Too many requests were sent from your connection. Try again in an hour.")
            )
            status = 429
        else:
            try:
                case = services.case_request(
                    centre=data["centre"],
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    kind=data["kind"],
                    other_party=data["other_party"],
                    description=data["description"],
                    language=data["language"],
                    consent=data["consent"],
                )
            except services.MediationError as error:
                show_domain_error(form, error)
            else:
                request.session["mediation_request"] = case.number
                return redirect("mediation_portal:received")
    response = render(
        request, "mediation/portal/index.html", {**_page_context(), "form": form}, status=status
    )
    return response


@never_cache
@require_GET
def received(request: HttpRequest) -> HttpResponse:
    number = request.session.get("mediation_request")
    if number is None:
        return redirect("mediation_portal:index")
    response = render(request, "mediation/portal/received.html", {"number": number})
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
