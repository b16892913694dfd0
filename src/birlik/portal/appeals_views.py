"""The public side of appeals: write an appeal without an account, get the receipt, follow it.

The token in the private link is the applicant's only key: the receipt and status pages show
nothing of anyone else and are kept out of search engines and caches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from birlik.access.models import User
from birlik.appeals.models import Appeal, AppealStep
from birlik.appeals.services import MAX_ATTACHMENTS, AppealError, appeal_register, status_url
from birlik.core import ratelimit, uploads
from birlik.registry.models import Organisation

from .appeals_forms import AppealForm

# Steps of the history the applicant sees, with the words they see; notes never appear.
PUBLIC_STEPS: dict[str, Any] = {
    AppealStep.Action.REGISTERED: gettext_lazy("Registered"),
    AppealStep.Action.ASSIGNED: gettext_lazy("Being considered"),
    AppealStep.Action.EXTENDED: gettext_lazy("Term extended"),
    AppealStep.Action.REDIRECTED: gettext_lazy("Sent on to the competent body"),
    AppealStep.Action.APPROVED: gettext_lazy("Answered"),
    AppealStep.Action.CLOSED: gettext_lazy("Closed"),
}


@dataclass(frozen=True)
class PublicStep:
    label: str
    at: Any


def _preselected(request: HttpRequest) -> Organisation | None:
    value = request.GET.get("body", "")
    if not value.isdigit():
        return None
    return Organisation.objects.filter(pk=int(value), status=Organisation.Status.ACTIVE).first()


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@csrf_exempt
def appeal_new(request: HttpRequest) -> HttpResponse:
    # The size guard must be in place before the body is read, so the CSRF check (which reads
    # the form) runs just after, in ``_appeal_new``.
    uploads.guard_upload_size(request, uploads.ATTACHMENT_LIMIT, max_files=MAX_ATTACHMENTS)
    return _appeal_new(request)


@csrf_protect
def _appeal_new(request: HttpRequest) -> HttpResponse:
    preselected = _preselected(request)
    initial = {"addressee": AppealForm.TO_BODY, "body": preselected.pk} if preselected else None
    posted = request.method == "POST"
    refused = uploads.refusal_message(request, uploads.ATTACHMENT_LIMIT, max_files=MAX_ATTACHMENTS)
    form = AppealForm(
        request.POST if posted else None,
        ({} if refused else request.FILES) if posted else None,
        initial=initial,
        preselected=preselected,
    )
    status = 200
    if refused:
        form.is_valid()
        form.add_error("attachments", refused)
        status = 400
    elif request.method == "POST" and "find" in request.POST:
        # Only the search for the body: show the matches, judge nothing yet.
        form._errors = ErrorDict()  # type: ignore[attr-defined]
    elif request.method == "POST":
        if form.is_valid() and ratelimit.limited(request, "appeals-submit", rate="RATE_APPEALS"):
            form.add_error(
                None,
                _("Too many appeals were sent from your connection. Please try again in an hour."),
            )
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            user = cast(User, request.user) if request.user.is_authenticated else None
            try:
                appeal = appeal_register(
                    organisation=data["body"],
                    kind=data["kind"],
                    text=data["text"],
                    language=(get_language() or "kk").split("-")[0],
                    applicant_name=data["applicant_name"],
                    applicant_address=data["applicant_address"],
                    applicant_phone=data["applicant_phone"],
                    applicant_email=data["applicant_email"],
                    consent=data["consent"],
                    security_threat=data["security_threat"],
                    region=data["region"] or (data["body"].region if data["body"] else None),
                    subject=data["subject"],
                    applicant_user=user,
                    attachments=data["attachments"],
                )
            except AppealError as error:
                field = error.field if error.field in form.fields else None
                if error.field == "organisation":
                    field = "body"
                form.add_error(field, str(error.message))
            else:
                return redirect("portal:appeal_receipt", token=appeal.token)
        if form.errors and status == 200:
            status = 400
    return render(
        request,
        "portal/appeals/new.html",
        {"form": form, "kind_options": form.kind_options(), "matches": form.matches},
        status=status,
    )


def _appeal_or_404(token: str) -> Appeal:
    appeal = (
        Appeal.objects.select_related("organisation", "redirected_to").filter(token=token).first()
        if token
        else None
    )
    if appeal is None:
        raise Http404(_("There is no appeal with this link."))
    return appeal


@never_cache
@require_GET
def appeal_receipt(request: HttpRequest, token: str) -> HttpResponse:
    appeal = _appeal_or_404(token)
    return _private(
        render(
            request,
            "portal/appeals/receipt.html",
            {"appeal": appeal, "status_url": status_url(appeal)},
        )
    )


def public_steps(appeal: Appeal) -> list[PublicStep]:
    steps = appeal.steps.filter(action__in=list(PUBLIC_STEPS)).only("action", "at")
    return [PublicStep(label=str(PUBLIC_STEPS[step.action]), at=step.at) for step in steps]


@never_cache
@require_GET
def appeal_status(request: HttpRequest, token: str) -> HttpResponse:
    appeal = _appeal_or_404(token)
    return _private(
        render(
            request,
            "portal/appeals/status.html",
            {"appeal": appeal, "steps": public_steps(appeal)},
        )
    )
