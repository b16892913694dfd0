"""The public side of youth projects: projects with an open intake, a project's page, the
application form (a verified account, once per cohort) and "my applications"."""

from __future__ import annotations

from typing import cast
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from birlik.access.models import User
from birlik.core import ratelimit
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import page_of

from . import forms, queries, services
from .models import Application, Cohort, YouthProject

# Applications a client may send in an hour (``RATE_YOUTH_APPLICATIONS``, e.g. "10/h").
DEFAULT_RATE = "10/h"


def projects(request: HttpRequest) -> HttpResponse:
    rows = queries.public_projects(on=timezone.localdate())
    return render(request, "youth/portal/projects.html", {"page": page_of(request, rows)})


def project(request: HttpRequest, pk: int) -> HttpResponse:
    item: YouthProject = get_object_or_404(
        YouthProject.objects.select_related("programme", "organisation", "organisation__region"),
        pk=pk,
        is_active=True,
    )
    today = timezone.localdate()
    cohorts = queries.open_cohorts(on=today, qs=item.cohorts.all()).order_by(
        "applications_close_on", "pk"
    )
    return render(
        request,
        "youth/portal/project.html",
        {"project": item, "cohorts": cohorts, "questions": item.questions.all()},
    )


def _limited(request: HttpRequest) -> ratelimit.Verdict | None:
    rate = ratelimit.parse_rate(str(getattr(settings, "RATE_YOUTH_APPLICATIONS", DEFAULT_RATE)))
    verdict = ratelimit.check(
        "youth-application",
        ratelimit.client_ident(request),
        limit=rate.limit,
        window=rate.window,
    )
    return verdict if verdict.over else None


@never_cache
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    cohort: Cohort = get_object_or_404(
        Cohort.objects.select_related("project", "project__organisation", "project__programme"),
        pk=pk,
        project__is_active=True,
    )
    if cohort.status == Cohort.Status.PLANNED:
        raise Http404
    here = quote(request.get_full_path())
    context = {"cohort": cohort, "project": cohort.project, "next": here}
    if not request.user.is_authenticated:
        return render(request, "youth/portal/apply_sign_in.html", context)
    user = cast(User, request.user)
    if not cohort.window_open_on(timezone.localdate()):
        return render(request, "youth/portal/apply_closed.html", context)
    if not services.account_verified(user):
        return render(request, "youth/portal/apply_verify.html", context)
    earlier = Application.objects.filter(cohort=cohort, applicant=user).first()
    if earlier is not None:
        return render(request, "youth/portal/apply_done.html", {**context, "application": earlier})
    initial = {"email": user.email, "phone": user.phone}
    if user.full_name:
        parts = user.full_name.split()
        initial.update({"last_name": parts[0], "first_name": " ".join(parts[1:2])})
    form = forms.ApplyForm(request.POST or None, project=cohort.project, initial=initial)
    status = 400 if form.is_bound else 200
    if request.method == "POST" and form.is_valid():
        if refused := _limited(request):
            form.add_error(None, ratelimit.wait_message(refused.retry_after))
            return render(request, "youth/portal/apply.html", {**context, "form": form}, status=429)
        data = form.cleaned_data
        try:
            services.application_submit(
                applicant=user,
                cohort=cohort,
                last_name=data["last_name"],
                first_name=data["first_name"],
                patronymic=data["patronymic"],
                birth_date=data["birth_date"],
                region=data["region"],
                phone=data["phone"],
                email=data["email"],
                answers=form.answers(),
                consent=data["consent"],
                language=form.language,
            )
        except DomainError as error:
            show_domain_error(form, error)
            if error.field and error.field.startswith("q_") and error.field not in form.fields:
                form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _("Your application is sent. We will tell you the result of the selection."),
            )
            return redirect("youth_portal:mine")
    return render(request, "youth/portal/apply.html", {**context, "form": form}, status=status)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    rows = queries.my_applications(cast(User, request.user))
    return render(request, "youth/portal/mine.html", {"page": page_of(request, rows)})


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Application, pk=pk, applicant_id=request.user.pk)
    try:
        services.application_withdraw(applicant=cast(User, request.user), application=item)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("youth_portal:mine")
