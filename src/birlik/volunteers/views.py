"""The staff side of volunteers: calls of the bodies in scope, their sign-ups and waiting list,
check-in and check-out on a phone, hours entered afterwards, and a volunteer's profile (only
for staff of a body whose call the volunteer signed up for). Out of scope → 404."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.models import User
from birlik.access.services import audit_read
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of

from . import forms, queries, services
from .models import Call, Profile, SignUp


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _call(request: HttpRequest, pk: int) -> Call:
    policies.require(request.user, "volunteers.view_calls")
    return policies.get_scoped_or_404(
        Call.objects.select_related("organisation", "region", "district", "event"),
        request.user,
        pk=pk,
    )


@staff_view
def calls(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "volunteers.view_calls")
    form = forms.CallFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = policies.scoped(Call.objects.all(), request.user)
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    rows = rows.select_related("organisation", "region", "district").order_by("-starts_at", "-id")
    return render(
        request,
        "volunteers/calls.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "query_string": kept_query(request, form),
            "can_create": policies.can(request.user, "volunteers.add_call"),
        },
        status=400 if form.errors else 200,
    )


def _save(request: HttpRequest, form: forms.CallForm, call: Call | None) -> Call | None:
    data = form.cleaned_data
    try:
        return services.call_save(
            actor=_actor(request),
            organisation=data["organisation"],
            data=data,
            skills=data["skills"],
            call=call,
        )
    except DomainError as error:
        show_domain_error(form, error)
        return None


@staff_view
def call_new(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "volunteers.add_call")
    initial = {"places": 10}
    form = forms.CallForm(request.POST or None, user=_actor(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        call = _save(request, form, None)
        if call is not None:
            messages.success(request, _("The call for volunteers is published."))
            return redirect("volunteers:call", call.pk)
    return render(
        request,
        "volunteers/call_form.html",
        {"form": form, "call": None},
        status=400 if form.is_bound else 200,
    )


@staff_view
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    policies.require(request.user, "volunteers.change_call", call)
    initial = {
        "organisation": call.organisation_id,
        "purpose": call.purpose,
        "event": call.event_id,
        "project": call.project_id,
        "help_request": call.help_request_id,
        "skills": list(call.skills.values_list("pk", flat=True)),
        "places": call.places,
        "starts_at": call.starts_at,
        "ends_at": call.ends_at,
        "region": call.region_id,
        "district": call.district_id,
        "address": call.address,
        **{
            f"{name}_{lang}": getattr(call, f"{name}_{lang}", "") or ""
            for name in ("title", "description")
            for lang in services.LANGS
        },
    }
    form = forms.CallForm(request.POST or None, user=_actor(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, call)
        if saved is not None:
            messages.success(request, _("The call is saved."))
            return redirect("volunteers:call", saved.pk)
    return render(
        request,
        "volunteers/call_form.html",
        {"form": form, "call": call},
        status=400 if form.is_bound else 200,
    )


@staff_view
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    return render(
        request,
        "volunteers/call.html",
        {
            "call": call,
            "skills": list(call.skills.all()),
            "confirmed": page_of(request, queries.roster(call)),
            "waiting": page_of(request, queries.waiting_list(call), param="waiting"),
            "can_change": policies.can(request.user, "volunteers.change_call", call),
            "status_form": forms.StatusForm(auto_id="status_%s"),
        },
    )


@staff_view
@require_POST
def call_status(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the new status."))
    else:
        try:
            services.call_set_status(
                actor=_actor(request),
                call=call,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The status of the call is changed."))
    return redirect("volunteers:call", call.pk)


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@staff_view
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone page of a call: every volunteer with a place, a button to check in or out."""
    call = _call(request, pk)
    policies.require(request.user, "volunteers.record_hours", call)
    here = reverse("volunteers:attendance", kwargs={"pk": call.pk})
    if request.method == "POST":
        raw = request.POST.get("signup", "")
        action = request.POST.get("action", "")
        if not raw.isdigit() or action not in {"in", "out"}:
            raise Http404
        signup = SignUp.objects.filter(call=call, pk=int(raw)).select_related("profile").first()
        if signup is None:
            raise Http404
        try:
            if action == "in":
                services.signup_check_in(actor=_actor(request), signup=signup)
                messages.success(
                    request, _("%(name)s is checked in.") % {"name": signup.profile.full_name}
                )
            else:
                done = services.signup_check_out(actor=_actor(request), signup=signup)
                messages.success(
                    request,
                    _("%(name)s is checked out: %(hours)s h.")
                    % {"name": signup.profile.full_name, "hours": f"{done.hours:g}"},
                )
        except DomainError as error:
            messages.error(request, str(error.message))
        return redirect(_next_or(request, here))
    return render(
        request,
        "volunteers/attendance.html",
        {
            "call": call,
            "page": page_of(request, queries.roster(call)),
            "here": request.get_full_path(),
        },
    )


@staff_view
def hours(request: HttpRequest, pk: int, signup: int) -> HttpResponse:
    call = _call(request, pk)
    policies.require(request.user, "volunteers.record_hours", call)
    record = (
        SignUp.objects.filter(call=call, pk=signup, status=SignUp.Status.CONFIRMED)
        .select_related("profile")
        .first()
    )
    if record is None:
        raise Http404
    form = forms.HoursForm(
        request.POST or None,
        initial={"hours": record.hours, "reason": record.hours_reason},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.signup_hours_set(
                actor=_actor(request),
                signup=record,
                minutes=form.minutes,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("The hours of %(name)s are saved.") % {"name": record.profile.full_name}
            )
            return redirect("volunteers:call", call.pk)
    return render(
        request,
        "volunteers/hours.html",
        {"call": call, "signup": record, "form": form},
        status=400 if form.is_bound else 200,
    )


@staff_view
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A volunteer's profile, for the staff of a body whose call they signed up for."""
    record = policies.get_scoped_or_404(
        Profile.objects.select_related("region").prefetch_related("skills", "districts"),
        request.user,
        pk=pk,
    )
    # A volunteer's contact is personal data: each read by staff is logged.
    audit_read(actor=_actor(request), obj=record, organisation_path="", note="volunteer profile")
    signups = policies.scoped(queries.my_signups(record), request.user)
    return render(
        request,
        "volunteers/profile.html",
        {"profile": record, "page": page_of(request, signups)},
    )
