"""The staff side of charity: requests and their verification, projects and ledgers, donations
and receipts, distributions with proof, pledges.

The register (number, category, district, amounts, status) is shown to staff in scope; the
beneficiary, the private need, documents and proofs only to the caseworkers named on the
request and the centre's heads, and each such page view, file or export row is audited.
Out of scope → 404; a confidential file to anyone else → 404 too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.models import AuditEntry
from birlik.access.services import audit_record
from birlik.core import spreadsheets, uploads
from birlik.core.due import days_left
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query as _kept_query
from birlik.core.listing import page_of as _page
from birlik.core.private_files import private_download, private_file_response

from . import forms, queries, services
from .models import Distribution, Document, Donation, HelpRequest, Pledge, Project, RequestWorker

View = Callable[..., HttpResponseBase]
PAGE_SIZE = settings.BIRLIK_PAGE_SIZE
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _help_request(request: HttpRequest, pk: int) -> HelpRequest:
    return policies.get_scoped_or_404(
        HelpRequest.objects.select_related(
            "centre", "centre__kind", "region", "district", "project"
        ),
        request.user,
        pk=pk,
    )


def _personal_or_404(request: HttpRequest, pk: int, note: str = "") -> HelpRequest:
    """A request whose personal data this user may read (the read is audited), else 404."""
    help_request = _help_request(request, pk)
    if not policies.can(request.user, "charity.view_personal", help_request):
        raise Http404
    services.request_read(actor=request.user, help_request=help_request, note=note)  # type: ignore[arg-type]
    return help_request


# --- Requests --------------------------------------------------------------------------------


@staff_view
def requests(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "charity.view_register")
    form = forms.RequestFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = policies.scoped(HelpRequest.objects.all(), request.user)
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("category"):
        rows = rows.filter(category=filters["category"])
    if filters.get("mine"):
        rows = rows.filter(
            pk__in=RequestWorker.objects.filter(user_id=int(request.user.pk or 0)).values(
                "request_id"
            )
        )
    # The register only: the private need and the beneficiary are not even read.
    rows = rows.select_related("centre", "region", "district").defer(
        "need", "visit_note", "centre__description", "centre__search_text"
    )
    page = _page(request, rows.order_by("-received_at", "-id"))
    return render(
        request,
        "charity/requests.html",
        {
            "form": form,
            "page": page,
            "query_string": _kept_query(request, form),
            "can_intake": policies.can(request.user, "charity.intake"),
            "can_export": policies.has_role(request.user, policies.STAFF_ROLES),
        },
    )


@staff_view
def intake(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "charity.intake")
    form = forms.IntakeForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            help_request = services.request_register(
                source=data["source"],
                category=data["category"],
                urgency=data["urgency"],
                need=data["need"],
                region=data["region"],
                district=data["district"],
                centre=data["centre"],
                amount=data["amount"],
                items=form.item_lines(),
                beneficiary_kind=data["beneficiary_kind"],
                beneficiary_name=data["beneficiary_name"],
                beneficiary_phone=data["phone"],
                beneficiary_address=data["address"],
                beneficiary_iin=data["iin"],
                household=data["household"],
                body=data["body"],
                consent=data["consent"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("Request %(number)s registered.") % {"number": help_request.number}
            )
            return redirect("charity:request", help_request.pk)
    return render(
        request,
        "charity/intake.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def _action_forms(
    help_request: HelpRequest, data: Any = None, files: Any = None, which: str = ""
) -> dict[str, django_forms.Form]:
    """Every action form of the page; only the one submitted (``which``) is bound."""

    def bound(name: str, *, with_files: bool = False) -> dict[str, Any]:
        if name != which:
            return {"auto_id": f"{name}_%s"}
        extra = {"files": files} if with_files else {}
        return {"data": data, "auto_id": f"{name}_%s", **extra}

    return {
        "visit": forms.VisitForm(**bound("visit")),
        "document": forms.DocumentForm(**bound("document", with_files=True)),
        "verify": forms.VerifyForm(**bound("verify")),
        "reject": forms.ReasonForm(**bound("reject")),
        "withdraw": forms.ReasonForm(**bound("withdraw")),
        "attach": forms.AttachForm(**bound("attach"), centre_id=help_request.centre_id),
        "distribute": forms.DistributionForm(**bound("distribute", with_files=True)),
        "assign": forms.AssignForm(**bound("assign"), centre=help_request.centre),
        "story": forms.StoryForm(**bound("story")),
    }


# How each action of ``services.REQUEST_ACTIONS`` is offered: heading, button, whether its form
# sends a file, whether the button warns. Start, deliver and close have no form.
ACTION_LABELS: dict[str, tuple[Any, Any, bool, bool]] = {
    "start": (gettext_lazy("Start the verification"), gettext_lazy("Start"), False, False),
    "visit": (gettext_lazy("Record a home visit"), gettext_lazy("Record the visit"), False, False),
    "document": (gettext_lazy("Attach a document"), gettext_lazy("Attach"), True, False),
    "verify": (gettext_lazy("Verify the request"), gettext_lazy("Verify"), False, False),
    "attach": (
        gettext_lazy("Attach to a project"),
        gettext_lazy("Attach to the project"),
        False,
        False,
    ),
    "distribute": (
        gettext_lazy("Hand out help"),
        gettext_lazy("Record the distribution"),
        True,
        False,
    ),
    "deliver": (gettext_lazy("Help delivered"), gettext_lazy("Mark as delivered"), False, False),
    "close": (gettext_lazy("Close the request"), gettext_lazy("Close"), False, False),
    "story": (
        gettext_lazy("Publish an anonymous story"),
        gettext_lazy("Publish"),
        False,
        False,
    ),
    "assign": (gettext_lazy("Name a caseworker"), pgettext_lazy("appoint", "Name"), False, False),
    "reject": (gettext_lazy("Reject the request"), gettext_lazy("Reject"), False, True),
    "withdraw": (
        gettext_lazy("The requester withdraws the request"),
        gettext_lazy("Withdraw"),
        False,
        True,
    ),
}


def _offered(
    help_request: HelpRequest, names: tuple[str, ...], action_forms: dict[str, django_forms.Form]
) -> list[dict[str, Any]]:
    offered = []
    for name in names:
        heading, button, multipart, danger = ACTION_LABELS[name]
        form = action_forms.get(name)
        offered.append(
            {
                "id": name,
                "heading": heading,
                "button": button,
                "url": reverse("charity:action", args=[help_request.pk, name]),
                "form": form,
                "multipart": multipart,
                "danger": danger,
                "open": form is not None and form.is_bound,
            }
        )
    return offered


def _render_detail(
    request: HttpRequest,
    help_request: HelpRequest,
    *,
    action_forms: dict[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    personal = policies.can(user, "charity.view_personal", help_request)
    if personal:
        services.request_read(actor=user, help_request=help_request)  # type: ignore[arg-type]
    context: dict[str, Any] = {
        "help_request": help_request,
        "personal": personal,
        "items": list(help_request.items.all()),
        "today": timezone.localdate(),
        "verification_due": days_left(queries.verification_due(help_request), timezone.localdate()),
    }
    if personal or policies.can(user, "charity.assign", help_request):
        # Only someone named on the request (or its centre's head) is offered anything.
        actions = services.available_actions(user, help_request)  # type: ignore[arg-type]
        all_forms = action_forms or _action_forms(help_request)
        next_step = (actions.next_step,) if actions.next_step else ()
        context["next_action"] = next(iter(_offered(help_request, next_step, all_forms)), None)
        context["other_actions"] = _offered(help_request, actions.others, all_forms)
    if personal:
        context.update(
            beneficiary=getattr(help_request, "beneficiary", None),
            documents=list(help_request.documents.all()),
            distributions=list(
                help_request.distributions.select_related("proof", "signature_recorded_by")
            ),
            workers=list(help_request.workers.select_related("user")),
            pledges=list(help_request.pledges.all()),
        )
        story = getattr(help_request, "story", None) if hasattr(help_request, "story") else None
        context["story"] = story
    return render(request, "charity/request.html", context, status=status)


@staff_view
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    help_request = _help_request(request, pk)
    return _render_detail(request, help_request)


@staff_view
def document(request: HttpRequest, pk: int, document: int) -> HttpResponseBase:
    """A verification document or a proof of delivery, to the caseworkers and the head only."""
    help_request = _personal_or_404(request, pk, note=f"document {document}")
    record = get_object_or_404(Document, pk=document, request=help_request)
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    extension = uploads.EXTENSIONS.get(record.content_type, "bin")
    return private_file_response(
        handle,
        content_type=record.content_type,
        inline=record.content_type.startswith("image/"),
        filename=f"{help_request.number}-{record.pk}.{extension}",
    )


ACTIONS = {
    "start": "request_start_verification",
    "visit": "request_record_visit",
    "document": "document_add",
    "verify": "request_verify",
    "reject": "request_reject",
    "withdraw": "request_withdraw",
    "attach": "request_attach",
    "distribute": "distribution_record",
    "deliver": "request_deliver",
    "close": "request_close",
    "assign": "request_assign",
    "story": "story_publish",
}

DONE = {
    "start": gettext_lazy("Verification started."),
    "visit": gettext_lazy("Home visit recorded."),
    "document": gettext_lazy("Document attached."),
    "verify": gettext_lazy("The request is verified and open for help."),
    "reject": gettext_lazy("The request is rejected."),
    "withdraw": gettext_lazy("The request is withdrawn."),
    "attach": gettext_lazy("The request is attached to the project."),
    "distribute": gettext_lazy("The distribution is recorded."),
    "deliver": gettext_lazy("The help is marked as delivered."),
    "close": gettext_lazy("The request is closed."),
    "assign": gettext_lazy("The caseworker is named on the request."),
    "story": gettext_lazy("The story is published."),
}


@require_POST
@staff_view
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    help_request = _help_request(request, pk)
    actor = request.user
    if action == "assign":
        if not policies.can(actor, "charity.assign", help_request):
            raise Http404
    elif not policies.can(actor, "charity.handle", help_request):
        raise Http404
    actions = services.available_actions(actor, help_request)  # type: ignore[arg-type]
    if action not in actions:
        # Not offered on the page (the request moved on): say why, change nothing.
        messages.error(request, actions.refusal(action))
        return redirect("charity:request", help_request.pk)
    all_forms = _action_forms(help_request, request.POST, request.FILES, which=action)
    form = all_forms.get(action)
    kwargs: dict[str, Any] = {"actor": actor, "help_request": help_request}
    if form is not None:
        if not form.is_valid():
            return _render_detail(request, help_request, action_forms=all_forms, status=400)
        kwargs.update(form.cleaned_data)
    if action == "distribute":
        kwargs.pop("proof_file", None)
        kwargs["proof_file"] = form.cleaned_data.get("proof_file") if form else None
        kwargs["amount"] = kwargs.get("amount") or 0
        kwargs["quantity"] = kwargs.get("quantity") or 0
    if action == "document":
        kwargs.pop("purpose", None)
    try:
        getattr(services, ACTIONS[action])(**kwargs)
    except DomainError as error:
        if form is None:
            messages.error(request, str(error.message))
            return redirect("charity:request", help_request.pk)
        show_domain_error(form, error)
        return _render_detail(
            request, _help_request(request, pk), action_forms=all_forms, status=400
        )
    messages.success(request, str(DONE[action]))
    return redirect("charity:request", help_request.pk)


@staff_view
def export(request: HttpRequest) -> HttpResponse:
    """The beneficiaries this user may read, as a spreadsheet: each row read is audited."""
    policies.require(request.user, "charity.view_register")
    rows = queries.readable_beneficiaries(request.user)
    book = spreadsheets.Book()
    sheet = book.sheet(_("Beneficiaries"))
    sheet.append(
        [
            pgettext("registration number", "Number"),
            _("Category"),
            _("Status"),
            pgettext("person", "Name"),
            _("Phone"),
            _("Address"),
        ]
    )
    audits = []
    for beneficiary in rows:
        help_request = beneficiary.request
        sheet.append(
            [
                help_request.number,
                help_request.get_category_display(),
                help_request.get_status_display(),
                beneficiary.name,
                beneficiary.phone,
                beneficiary.address,
            ]
        )
        audits.append(
            AuditEntry(
                actor_id=request.user.pk,
                action=AuditEntry.Action.READ,
                object_type=HelpRequest._meta.label,
                object_id=str(help_request.pk),
                object_repr=help_request.number,
                organisation_path=help_request.centre.path,
                note="export",
            )
        )
    AuditEntry.objects.bulk_create(audits)
    return private_download(book.bytes(), filename="beneficiaries.xlsx")


# --- Projects and the ledger ----------------------------------------------------------------


@staff_view
def projects(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "charity.view_projects")
    rows = (
        policies.scoped(Project.objects.all(), request.user)
        .select_related("centre", "centre__region")
        .defer("centre__description", "centre__search_text")
        .order_by("-starts_on", "-id")
    )
    return render(
        request,
        "charity/projects.html",
        {
            "page": _page(request, rows),
            "can_create": policies.can(request.user, "charity.manage_project"),
        },
    )


@staff_view
def project_new(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "charity.manage_project")
    form = forms.ProjectForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("Project created."))
            return redirect("charity:project", project.pk)
    return render(
        request, "charity/project_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _project(request: HttpRequest, pk: int) -> Project:
    return policies.get_scoped_or_404(
        Project.objects.select_related("centre", "centre__region"), request.user, pk=pk
    )


def _render_project(
    request: HttpRequest, project: Project, form: django_forms.Form | None = None, status: int = 200
) -> HttpResponse:
    ledger = queries.ledger(project)
    can_record = policies.can(request.user, "charity.record_donation", project)
    return render(
        request,
        "charity/project.html",
        {
            "project": project,
            "ledger": ledger,
            "partners": list(project.partners.all()),
            "requests": list(project.requests.only("pk", "number", "status", "category")[:200]),
            "can_record": can_record,
            "form": form or (forms.DonationForm(auto_id="donation_%s") if can_record else None),
        },
        status=status,
    )


@staff_view
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_project(request, _project(request, pk))


@require_POST
@staff_view
def donate(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    policies.require(request.user, "charity.record_donation", project)
    form = forms.DonationForm(request.POST, auto_id="donation_%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            donation = services.donation_record(
                actor=request.user,  # type: ignore[arg-type]
                project=project,
                kind=data["kind"],
                amount=data["amount"] or 0,
                item=data["item"],
                quantity=data["quantity"] or 0,
                value=data["value"] or 0,
                donor_kind=data["donor_kind"],
                donor_name=data["donor_name"],
                donor_bin=data["donor_bin"],
                donor_iin=data["donor_iin"],
                donor_phone=data["donor_phone"],
                donor_email=data["donor_email"],
                received_on=data["received_on"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Donation recorded, receipt %(number)s.") % {"number": donation.receipt_number},
            )
            return redirect("charity:receipt", donation.pk)
    return _render_project(request, _project(request, pk), form, status=400)


@staff_view
def ledger_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The ledger with its totals; donors appear by receipt number only."""
    project = _project(request, pk)
    content = queries.ledger_workbook(project)
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditEntry.Action.EXPORT,
        obj=project,
        organisation_path=project.centre.path,
    )
    return private_download(content, filename=f"ledger-{project.pk}.xlsx")


@staff_view
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable receipt: it names the donor, so only those who may see the donor."""
    donation = policies.get_scoped_or_404(
        Donation.objects.select_related("project", "centre", "centre__region", "request"),
        request.user,
        pk=pk,
    )
    if not policies.can(request.user, "charity.view_donor", donation):
        raise Http404
    audit_record(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditEntry.Action.READ,
        obj=donation,
        organisation_path=donation.centre.path,
        note="receipt",
    )
    return render(
        request,
        "charity/receipt.html",
        {
            "donation": donation,
            "can_cancel": donation.cancelled_at is None
            and policies.can(request.user, "charity.record_donation", donation.project),
            "cancel_form": forms.ReasonForm(auto_id="cancel_%s"),
        },
    )


@require_POST
@staff_view
def donation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """A gift recorded in error is cancelled while the project still holds it."""
    donation = policies.get_scoped_or_404(
        Donation.objects.select_related("project"), request.user, pk=pk
    )
    if not policies.can(request.user, "charity.view_donor", donation):
        raise Http404
    try:
        services.donation_cancel(
            actor=request.user,  # type: ignore[arg-type]
            donation=donation,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The donation is cancelled; its receipt number stays used."))
    return redirect("charity:receipt", donation.pk)


@require_POST
@staff_view
def distribution_cancel(request: HttpRequest, pk: int, distribution: int) -> HttpResponse:
    """A distribution recorded in error goes back to what remains in the project."""
    help_request = _help_request(request, pk)
    if not policies.can(request.user, "charity.handle", help_request):
        raise Http404
    record = get_object_or_404(Distribution, pk=distribution, request=help_request)
    try:
        services.distribution_cancel(actor=request.user, distribution=record)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The distribution is cancelled."))
    return redirect("charity:request", help_request.pk)


# --- Pledges ---------------------------------------------------------------------------------


@staff_view
def pledges(request: HttpRequest) -> HttpResponse:
    rows = (
        policies.scoped(Pledge.objects.all(), request.user)
        .select_related("request", "request__centre")
        .defer("request__need", "request__centre__description", "request__centre__search_text")
        .order_by("status", "-created_at", "-id")
    )
    audits = []
    page = _page(request, rows)
    for pledge in page.object_list:
        audits.append(
            AuditEntry(
                actor_id=request.user.pk,
                action=AuditEntry.Action.READ,
                object_type=Pledge._meta.label,
                object_id=str(pledge.pk),
                object_repr=str(pledge.pk),
                organisation_path=pledge.request.centre.path,
                note="pledge list",
            )
        )
    AuditEntry.objects.bulk_create(audits)
    return render(request, "charity/pledges.html", {"page": page})


def _pledge(request: HttpRequest, pk: int) -> Pledge:
    return policies.get_scoped_or_404(
        Pledge.objects.select_related("request", "request__centre"), request.user, pk=pk
    )


@require_POST
@staff_view
def pledge_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    pledge = _pledge(request, pk)
    try:
        if decision == "confirm":
            value = request.POST.get("value") or 0
            services.pledge_confirm(actor=request.user, pledge=pledge, value=value)  # type: ignore[arg-type]
            messages.success(request, _("The pledge is confirmed and recorded as a donation."))
        elif decision == "decline":
            services.pledge_decline(actor=request.user, pledge=pledge)  # type: ignore[arg-type]
            messages.success(request, _("The pledge is declined."))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("charity:pledges")
