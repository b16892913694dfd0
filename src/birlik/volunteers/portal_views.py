"""The public side of volunteers: open calls with filters, a call's page with sign-up and
cancel, the volunteer's profile and "my volunteering" with hours, the yearly record (PDF) and
the public check of a record (number, year, total hours, validity — nothing more)."""

from __future__ import annotations

import datetime
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from birlik.access.models import User
from birlik.core import ratelimit
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of
from birlik.core.private_files import private_download, private_page
from birlik.core.workdays import LEGAL_TZ

from . import forms, queries, record_pdf, services
from .models import Call, Profile, SignUp, YearRecord


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _profile_of(request: HttpRequest) -> Profile | None:
    if not request.user.is_authenticated:
        return None
    return Profile.objects.filter(user=_user(request)).first()


def calls(request: HttpRequest) -> HttpResponse:
    form = forms.PortalFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = queries.open_calls()
    if filters.get("region"):
        rows = rows.filter(region=filters["region"])
    if filters.get("district"):
        rows = rows.filter(district=filters["district"])
    if filters.get("skill"):
        rows = rows.filter(skills=filters["skill"])
    if filters.get("date"):
        day = filters["date"]
        start = datetime.datetime.combine(day, datetime.time.min, tzinfo=LEGAL_TZ)
        rows = rows.filter(starts_at__lt=start + datetime.timedelta(days=1), ends_at__gt=start)
    return render(
        request,
        "volunteers/portal/calls.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "query_string": kept_query(request, form),
            "invalid": bool(form.errors),
        },
        status=400 if form.errors else 200,
    )


@never_cache
def call(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(queries.public_calls(), pk=pk)
    profile = _profile_of(request)
    mine = (
        SignUp.objects.filter(call=item, profile=profile)
        .exclude(status=SignUp.Status.CANCELLED)
        .first()
        if profile is not None
        else None
    )
    here = reverse("volunteers_portal:call", kwargs={"pk": item.pk})
    return render(
        request,
        "volunteers/portal/call.html",
        {
            "call": item,
            "mine": mine,
            "profile": profile,
            "here": here,
            "is_open": item.status == Call.Status.OPEN and item.ends_at > timezone.now(),
            "verified": services.account_verified(request.user),
        },
    )


@login_required
@require_POST
@ratelimit.rate_limited("volunteer-sign-up", rate="RATE_EVENT_REGISTRATIONS")
def sign_up(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Call, pk=pk)
    try:
        signup = services.signup_create(user=_user(request), call=item)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if signup.status == SignUp.Status.CONFIRMED:
            messages.success(request, _("You have a place. Thank you for helping."))
        else:
            messages.success(
                request,
                _("All places are taken: you are on the waiting list and will be told when a "
                  "place frees."),
            )  # fmt: skip
    return redirect("volunteers_portal:call", item.pk)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Call, pk=pk)
    signup = (
        SignUp.objects.filter(call=item, profile__user=_user(request))
        .exclude(status=SignUp.Status.CANCELLED)
        .first()
    )
    if signup is None:
        raise Http404
    try:
        services.signup_cancel(user=_user(request), signup=signup)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    return redirect("volunteers_portal:call", item.pk)


@login_required
@never_cache
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    current = _profile_of(request)
    here = reverse("volunteers_portal:profile")
    if not services.account_verified(user):
        return render(request, "volunteers/portal/verify_first.html", {"here": here})
    initial: dict[str, object] = {"full_name": user.full_name, "phone": user.phone}
    if current is not None:
        initial = {
            "full_name": current.full_name,
            "phone": current.phone,
            "region": current.region_id,
            "districts": list(current.districts.values_list("pk", flat=True)),
            "skills": list(current.skills.values_list("pk", flat=True)),
            "languages": current.language_codes,
            "availability": current.availability_codes,
            "about": current.about,
            "consent": True,
        }
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.profile_save(
                user=user,
                full_name=data["full_name"],
                phone=data["phone"],
                region=data["region"],
                districts=data["districts"],
                skills=data["skills"],
                languages=data["languages"],
                availability=data["availability"],
                about=data["about"],
                consent=data["consent"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Your volunteer profile is saved."))
            return redirect("volunteers_portal:mine")
    response = render(
        request,
        "volunteers/portal/profile.html",
        {"form": form, "profile": current},
        status=400 if form.is_bound else 200,
    )
    return private_page(response, has_form=True)


@login_required
@never_cache
def mine(request: HttpRequest) -> HttpResponse:
    current = _profile_of(request)
    context: dict[str, object] = {
        "profile": current,
        "verified": services.account_verified(request.user),
    }
    if current is not None:
        context["page"] = page_of(request, queries.my_signups(current))
        context["years"] = queries.years_of(current)
    return private_page(render(request, "volunteers/portal/mine.html", context), has_form=True)


@login_required
def record(request: HttpRequest, year: int) -> HttpResponse:
    """The yearly record as a PDF, for the volunteer alone (numbered once per set of hours)."""
    current = _profile_of(request)
    if current is None or not 2000 <= year <= 2100:
        raise Http404
    try:
        issued = services.year_record_issue(profile=current, year=year)
    except DomainError as error:
        raise Http404 from error
    link = request.build_absolute_uri(
        reverse("volunteers_portal:verify", kwargs={"code": issued.code})
    )
    data = record_pdf.record_pdf(
        issued,
        lines=list(queries.hours_of(current, year)),
        link=link,
        language=_user(request).language or "kk",
    )
    return private_download(
        data, filename=f"volunteer-record-{issued.number}.pdf", content_type="application/pdf"
    )


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """The public check of a record: its number, year, total hours and validity only."""
    issued = get_object_or_404(YearRecord.objects.only(
        "number", "year", "minutes", "superseded_at", "issued_at"
    ), code=code)  # fmt: skip
    response = render(request, "volunteers/portal/verify.html", {"record": issued})
    return private_page(response)
