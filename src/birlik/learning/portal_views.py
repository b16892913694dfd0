"""The public side of training: the course catalogue (filters, a course's page with its
modules, teachers, prerequisites and coming cohorts) and the check of a certificate, by the
code in its QR code or typed in a form.

The check shows whether the certificate is valid or revoked (and since when), the holder's
name as printed, the course, its hours, the date of issue, the issuer and the number — nothing
else about the person. Codes typed in the form, and unknown codes asked for by address, count
against ``RATE_CERTIFICATE_CHECKS`` per client address; a QR code of a real certificate is
never refused.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from birlik.core import ratelimit
from birlik.core.listing import kept_query, page_of
from birlik.core.private_files import private_page
from birlik.core.workdays import LEGAL_TZ
from birlik.registry.models import Organisation

from . import forms, queries
from .models import Certificate, Course, normalise_code

# Certificate codes a client may check in an hour (``RATE_CERTIFICATE_CHECKS``, e.g. "30/h").
DEFAULT_RATE = "30/h"
RATE_SCOPE = "learning-certificate-check"


def courses(request: HttpRequest) -> HttpResponse:
    form = forms.CatalogueForm(request.GET)
    form.is_valid()
    filters = form.cleaned_data
    rows = queries.public_courses(
        on=timezone.localdate(),
        provider=filters.get("provider"),
        course_format=filters.get("format") or "",
        query=filters.get("q") or "",
    )
    return render(
        request,
        "learning/portal/courses.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "query_string": kept_query(request, form),
            "invalid": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )


def course(request: HttpRequest, pk: int) -> HttpResponse:
    item: Course = get_object_or_404(
        Course.objects.filter(is_active=True, provider__status=Organisation.Status.ACTIVE)
        .select_related("provider", "provider__region")
        .annotate(hours=queries.hours_of_courses()),
        pk=pk,
    )
    today = timezone.localdate()
    cohorts = queries.with_places_taken(queries.shown_cohorts(item, on=today))
    return render(
        request,
        "learning/portal/course.html",
        {
            "course": item,
            "modules": item.modules.all(),
            "teachers": item.teachers.all(),
            "prerequisites": item.prerequisites.filter(is_active=True).order_by("title", "pk"),
            "cohorts": cohorts[:20],
        },
    )


def _refused(request: HttpRequest) -> ratelimit.Verdict | None:
    rate = ratelimit.parse_rate(str(getattr(settings, "RATE_CERTIFICATE_CHECKS", DEFAULT_RATE)))
    verdict = ratelimit.check(
        RATE_SCOPE, ratelimit.client_ident(request), limit=rate.limit, window=rate.window
    )
    return verdict if verdict.over else None


def _found(code: str) -> Certificate | None:
    if not code:
        return None
    return (
        Certificate.objects.select_related("course", "course__provider").filter(code=code).first()
    )


def _unknown(request: HttpRequest, form: forms.CheckForm) -> HttpResponse:
    response = render(request, "learning/portal/unknown.html", {"form": form}, status=404)
    return private_page(response, has_form=True)


def check(request: HttpRequest) -> HttpResponse:
    """The form to type a code: each code typed counts against the rate."""
    form = forms.CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if refused := _refused(request):
            form.add_error("code", ratelimit.wait_message(refused.retry_after))
            response = render(request, "learning/portal/check.html", {"form": form}, status=429)
            return private_page(response, has_form=True)
        found = _found(normalise_code(form.cleaned_data["code"]))
        if found is None:
            return _unknown(request, forms.CheckForm(initial=form.cleaned_data))
        return redirect("learning_portal:verify", code=found.code)
    status = 400 if form.errors else 200
    response = render(request, "learning/portal/check.html", {"form": form}, status=status)
    return private_page(response, has_form=True)


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """The check of one certificate, reached by its QR code (an unknown code counts against
    the rate, so that addresses cannot be tried in bulk)."""
    normalised = normalise_code(code)
    found = _found(normalised)
    if found is None:
        if refused := _refused(request):
            return ratelimit.refused_response(request, retry_after=refused.retry_after)
        return _unknown(request, forms.CheckForm())
    if normalised != code:
        return redirect("learning_portal:verify", code=normalised)
    response = render(
        request,
        "learning/portal/verify.html",
        {"certificate": found, "revoked_on": _revoked_on(found)},
    )
    return private_page(response)


def _revoked_on(certificate: Certificate) -> datetime.date | None:
    if certificate.revoked_at is None:
        return None
    return timezone.localtime(certificate.revoked_at, LEGAL_TZ).date()
