"""The public side of appeals: write an appeal without an account, get the receipt, follow it.

The token in the private link is the applicant's only key: the receipt and status pages show
nothing of anyone else and are kept out of search engines and caches.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from birlik.access.models import User
from birlik.appeals.models import Appeal, AppealAttachment, AppealRating, AppealStep
from birlik.appeals.services import (
    MAX_ATTACHMENTS,
    AppealError,
    appeal_rate,
    appeal_rating_allowed,
    appeal_register,
    appeal_send_status_link,
    status_url,
)
from birlik.core import ratelimit, uploads
from birlik.core.private_files import private_download, private_page
from birlik.registry.models import Organisation

from .appeal_receipt_pdf import receipt_pdf
from .appeals_forms import AppealFindForm, AppealForm, RatingForm

# Steps of the history the applicant sees, with the words they see; notes never appear.
PUBLIC_STEPS: dict[str, Any] = {
    AppealStep.Action.REGISTERED: gettext_lazy("Registered"),
    AppealStep.Action.ASSIGNED: gettext_lazy("Being considered"),
    AppealStep.Action.EXTENDED: gettext_lazy("Term extended"),
    AppealStep.Action.REDIRECTED: gettext_lazy("Sent on to the competent body"),
    AppealStep.Action.APPROVED: gettext_lazy("Answered"),
    AppealStep.Action.CLOSED: pgettext_lazy("appeal", "Closed"),
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


def _private(response: HttpResponse, *, with_form: bool = False) -> HttpResponse:
    return private_page(response, has_form=with_form)


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


def _attachments(appeal: Appeal) -> list[AppealAttachment]:
    """The files sent with the appeal, by their names only (never a link to them here)."""
    return list(
        appeal.attachments.order_by("pk").only("pk", "original_name", "content_type", "size")
    )


@never_cache
@require_GET
def appeal_receipt(request: HttpRequest, token: str) -> HttpResponse:
    appeal = _appeal_or_404(token)
    return _private(
        render(
            request,
            "portal/appeals/receipt.html",
            {
                "appeal": appeal,
                "status_url": status_url(appeal),
                "attachments": _attachments(appeal),
            },
        )
    )


@never_cache
@require_GET
def appeal_receipt_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The receipt as a PDF, for whoever holds the private link (as the receipt page)."""
    appeal = _appeal_or_404(token)
    data = receipt_pdf(appeal, link=status_url(appeal), attachments=_attachments(appeal))
    response = private_download(
        data, filename=f"appeal-{appeal.number}.pdf", content_type="application/pdf"
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def public_steps(appeal: Appeal) -> list[PublicStep]:
    steps = appeal.steps.filter(action__in=list(PUBLIC_STEPS)).only("action", "at")
    return [PublicStep(label=str(PUBLIC_STEPS[step.action]), at=step.at) for step in steps]


def _status_page(
    request: HttpRequest,
    appeal: Appeal,
    *,
    rating_form: RatingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_rate = appeal_rating_allowed(appeal=appeal)
    return _private(
        render(
            request,
            "portal/appeals/status.html",
            {
                "appeal": appeal,
                "steps": public_steps(appeal),
                "attachments": _attachments(appeal),
                "rating": AppealRating.objects.filter(appeal=appeal).first(),
                "rating_form": (rating_form or RatingForm()) if can_rate else None,
            },
            status=status,
        ),
        with_form=can_rate,
    )


@never_cache
@require_GET
def appeal_status(request: HttpRequest, token: str) -> HttpResponse:
    return _status_page(request, _appeal_or_404(token))


@never_cache
@require_POST
def appeal_rating(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant rates the answer (the service allows it once, after the answer)."""
    appeal = _appeal_or_404(token)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            appeal_rate(
                appeal=appeal,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except AppealError as error:
            if not appeal_rating_allowed(appeal=appeal):
                messages.error(request, str(error.message))
                return redirect("portal:appeal_status", token=appeal.token)
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Thank you: your rating of the answer is recorded."))
            return redirect("portal:appeal_status", token=appeal.token)
    return _status_page(request, appeal, rating_form=form, status=400)


FIND_SCOPE = "appeals-find"
FIND_NUMBER_SCOPE = "appeals-find-number"


def _find_refused(request: HttpRequest, number: str) -> ratelimit.Verdict | None:
    """Counts the attempt from this client and on this number; the refusal when one of them is
    over its limit (so that neither one client nor many can try contacts against a number)."""
    verdict = ratelimit.limited(request, FIND_SCOPE, rate="RATE_APPEAL_FIND")
    if verdict:
        return verdict
    rate = ratelimit.setting_rate("RATE_APPEAL_FIND_NUMBER")
    verdict = ratelimit.check(FIND_NUMBER_SCOPE, number, limit=rate.limit, window=rate.window)
    return verdict if verdict.over else None


@never_cache
@require_http_methods(["GET", "POST"])
def appeal_find(request: HttpRequest) -> HttpResponse:
    """Find my appeal: the private link is sent again to the phone or e-mail given with the
    appeal, never shown here; the answer is the same whether the number exists or not."""
    form = AppealFindForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif verdict := _find_refused(request, form.cleaned_data["number"]):
            form.add_error(None, ratelimit.wait_message(verdict.retry_after))
            status = 429
        else:
            appeal_send_status_link(
                number=form.cleaned_data["number"], contact=form.cleaned_data["contact"]
            )
            return redirect(reverse("portal:appeal_find") + "?asked=1")
    return _private(
        render(
            request,
            "portal/appeals/find.html",
            {"form": form, "asked": request.GET.get("asked") == "1" and not form.is_bound},
            status=status,
        ),
        with_form=True,
    )
