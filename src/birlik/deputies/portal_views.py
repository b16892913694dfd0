"""The public page of initiatives of the deputy group and of Assembly members in maslikhats,
mounted at /<lang>/deputies/: those submitted (never a draft), with the question raised, the
raising body, the state body it went to, its stages with their dates and the act it led to.
Neither the authors nor the proposals and appeals it came from are named: only counted."""

from __future__ import annotations

import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from birlik.core.listing import kept_query, page_of

from . import forms, queries


def initiatives(request: HttpRequest) -> HttpResponse:
    form = forms.PortalFilterForm(request.GET)
    filters = form.filters()
    rows = queries.public_initiatives()
    if filters["year"]:
        year = filters["year"]
        rows = rows.filter(
            submitted_on__gte=datetime.date(year, 1, 1),
            submitted_on__lte=datetime.date(year, 12, 31),
        )
    if filters["stage"]:
        rows = rows.filter(stage=filters["stage"])
    if filters["level"]:
        rows = rows.filter(level=filters["level"])
    rows = (
        rows.select_related("organisation", "state_body")
        .defer("organisation__search_text", "organisation__description")
        .order_by("-submitted_on", "-id")
    )
    return render(
        request,
        "deputies/portal/initiatives.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "query_string": kept_query(request, form),
            "invalid": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )


def initiative(request: HttpRequest, number: str) -> HttpResponse:
    item = get_object_or_404(
        queries.public_initiatives().select_related("organisation", "state_body"), number=number
    )
    proposals, appeals = queries.source_counts(item)
    return render(
        request,
        "deputies/portal/initiative.html",
        {
            "initiative": item,
            # The dates of the stages only: who recorded them and their notes stay internal.
            "stages": item.stages.order_by("on", "id").only("stage", "on", "initiative_id"),
            "proposals": proposals,
            "appeals": appeals,
        },
    )
