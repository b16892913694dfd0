"""The workspace of mediation: the cases one may see, a case and its actions, the registers.

A case page is shown only to its mediators and its centre's head (anyone else: 404), and every
view of it, of one of its files, and every export is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.models import User
from birlik.core.due import days_left
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import page_of as _page
from birlik.core.private_files import private_download, private_file_response

from . import forms, queries, services
from .models import Document, MediationCase, Mediator, Party

View = Callable[..., HttpResponseBase]
PAGE_SIZE = settings.BIRLIK_PAGE_SIZE


def signed_in(view: View) -> View:
    """Signed in; every permission is checked inside (mediators may hold no grant)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


# --- Cases -----------------------------------------------------------------------------------


@signed_in
def cases(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not policies.can(user, "mediation.view_cases"):
        raise Http404
    form = forms.CaseFilterForm(request.GET)
    filters = form.filters()
    items = policies.scoped(MediationCase.objects.all(), user)
    if filters["status"]:
        items = items.filter(status=filters["status"])
    if filters["kind"]:
        items = items.filter(kind=filters["kind"])
    if filters["follow_up"]:
        items = queries.cases_follow_up_due(on=timezone.localdate(), qs=items)
    items = items.select_related("centre").defer("description", "centre__description")
    page = _page(request, items.order_by("-received_on", "-id"))
    query = "&".join(f"{key}={value}" for key, value in filters.items() if value)
    return render(
        request,
        "mediation/cases.html",
        {
            "form": form,
            "page": page,
            "query_string": query,
            "may_export": policies.can(user, "mediation.export"),
            "may_open": forms.centres_of(user).exists(),
        },
    )


def _case(request: HttpRequest, pk: int) -> MediationCase:
    case = policies.get_scoped_or_404(
        MediationCase.objects.select_related("centre", "centre__region", "appeal"),
        request.user,
        pk=pk,
    )
    if not policies.can(request.user, "mediation.view_case", case):
        raise Http404
    return case


def _detail_url(case: MediationCase) -> str:
    return reverse("mediation:case", kwargs={"pk": case.pk})


def _forms(case: MediationCase, parties: list[Party]) -> dict[str, django_forms.Form]:
    today = timezone.localdate()
    return {
        "assign": forms.AssignForm(case=case, auto_id="assign_%s"),
        "party": forms.PartyForm(auto_id="party_%s"),
        "session": forms.SessionForm(
            parties=parties,
            auto_id="session_%s",
            initial={"present": [str(party.pk) for party in parties]},
        ),
        "close": forms.CloseForm(auto_id="close_%s", initial={"closed_on": today}),
        "agreement": forms.AgreementForm(auto_id="agreement_%s"),
        "upload": forms.UploadForm(auto_id="upload_%s"),
        "execution": forms.ExecutionForm(
            auto_id="execution_%s",
            initial={"execution": case.execution or None, "due": case.execution_due},
        ),
        "conflict": forms.ConflictForm(auto_id="conflict_%s"),
    }


# How each action of ``services.CASE_ACTIONS`` is offered: heading, button, URL name, and
# whether its form sends a file or the button warns.
ACTION_LABELS: dict[str, tuple[Any, Any, str, bool, bool]] = {
    "assign": (
        gettext_lazy("Assign a mediator"),
        gettext_lazy("Assign"),
        "mediation:assign",
        False,
        False,
    ),
    "session": (
        gettext_lazy("Record a session"),
        gettext_lazy("Record the session"),
        "mediation:session",
        False,
        False,
    ),
    "close": (
        gettext_lazy("Record the outcome and close"),
        gettext_lazy("Close the case"),
        "mediation:close",
        False,
        False,
    ),
    "agreement": (
        gettext_lazy("Generate the written agreement"),
        gettext_lazy("Generate the agreement"),
        "mediation:agreement",
        False,
        False,
    ),
    "upload": (
        gettext_lazy("Upload a signed agreement or a document"),
        gettext_lazy("Upload"),
        "mediation:upload",
        True,
        False,
    ),
    "execution": (
        gettext_lazy("Follow up the execution"),
        pgettext_lazy("verb", "Record"),
        "mediation:execution",
        False,
        False,
    ),
    "party": (
        gettext_lazy("Add a party"),
        gettext_lazy("Add the party"),
        "mediation:add_party",
        False,
        False,
    ),
    "conflict": (
        gettext_lazy("Declare a conflict of interest"),
        gettext_lazy("Step down from the case"),
        "mediation:conflict",
        False,
        True,
    ),
}


def _offered(
    case: MediationCase, names: tuple[str, ...], action_forms: dict[str, django_forms.Form]
) -> list[dict[str, Any]]:
    offered = []
    for name in names:
        heading, button, url_name, multipart, danger = ACTION_LABELS[name]
        form = action_forms[name]
        offered.append(
            {
                "id": name,
                "heading": heading,
                "button": button,
                "url": reverse(url_name, kwargs={"pk": case.pk}),
                "form": form,
                "multipart": multipart,
                "danger": danger,
                "open": form.is_bound,
            }
        )
    return offered


def _render_case(
    request: HttpRequest,
    case: MediationCase,
    *,
    bound: dict[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    services.case_read(actor=user, case=case)
    parties = list(case.parties.select_related("state_body"))
    assignments = list(case.assignments.select_related("mediator__person"))
    sessions = list(case.sessions.prefetch_related("attendance__party"))
    action_forms = _forms(case, parties)
    action_forms.update(bound or {})
    actions = services.available_actions(user, case)
    next_step = (actions.next_step,) if actions.next_step else ()
    return render(
        request,
        "mediation/case.html",
        {
            "case": case,
            "parties": parties,
            "assignments": assignments,
            "sessions": sessions,
            "documents": list(case.documents.order_by("uploaded_at", "pk")),
            "next_action": next(iter(_offered(case, next_step, action_forms)), None),
            "other_actions": _offered(case, actions.others, action_forms),
            "follow_up": days_left(services.follow_up_due(case), timezone.localdate()),
        },
        status=status,
    )


@signed_in
def case(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, _case(request, pk))


def _act(
    request: HttpRequest,
    pk: int,
    name: str,
    make_form: Callable[[MediationCase], django_forms.Form],
    call: Callable[[MediationCase, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    case = _case(request, pk)
    actions = services.available_actions(_user(request), case)
    if name not in actions:
        # Not offered on the page (the case moved on, or not this user's step): say why.
        messages.error(request, actions.refusal(name))
        return redirect(_detail_url(case))
    form = make_form(case)
    if form.is_valid():
        try:
            call(case, form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect(_detail_url(case))
    return _render_case(request, case, bound={name: form}, status=400)


@require_POST
@signed_in
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "assign",
        lambda c: forms.AssignForm(request.POST, case=c, auto_id="assign_%s"),
        lambda c, d: services.case_assign(actor=_user(request), case=c, mediator=d["mediator"]),
        _("The mediator is assigned."),
    )


@require_POST
@signed_in
def add_party(request: HttpRequest, pk: int) -> HttpResponse:
    def call(c: MediationCase, d: dict[str, Any]) -> Any:
        party = services.party_add(
            actor=_user(request),
            case=c,
            party=services.PartyData(
                name=d["name"],
                phone=d["phone"],
                bin=d["bin"],
                kind=Party.Kind.ORGANISATION if d["is_organisation"] else Party.Kind.PERSON,
                is_state_body=d["is_state_body"],
            ),
        )
        if party.is_state_body:
            messages.warning(request, str(services.STATE_BODY_REASON))
        return party

    return _act(
        request,
        pk,
        "party",
        lambda c: forms.PartyForm(request.POST, auto_id="party_%s"),
        call,
        _("The party is added."),
    )


@require_POST
@signed_in
def session(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "session",
        lambda c: forms.SessionForm(
            request.POST, parties=list(c.parties.all()), auto_id="session_%s"
        ),
        lambda c, d: services.session_record(
            actor=_user(request),
            case=c,
            held_at=d["held_at"],
            place=d["place"],
            present=[int(pk) for pk in d["present"]],
            note=d["note"],
        ),
        _("The session is recorded."),
    )


@require_POST
@signed_in
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "close",
        lambda c: forms.CloseForm(request.POST, auto_id="close_%s"),
        lambda c, d: services.case_close(
            actor=_user(request),
            case=c,
            outcome=d["outcome"],
            closed_on=d["closed_on"],
            execution_due=d["execution_due"],
            reason=d["reason"],
        ),
        _("The outcome is recorded and the case is closed."),
    )


@require_POST
@signed_in
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "agreement",
        lambda c: forms.AgreementForm(request.POST, auto_id="agreement_%s"),
        lambda c, d: services.agreement_generate(actor=_user(request), case=c, terms=d["terms"]),
        _("The agreement is generated in the parties' language. Print it for signing."),
    )


@require_POST
@signed_in
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "upload",
        lambda c: forms.UploadForm(request.POST, request.FILES, auto_id="upload_%s"),
        lambda c, d: services.document_upload(
            actor=_user(request), case=c, file=d["file"], kind=d["kind"]
        ),
        _("The document is uploaded."),
    )


@require_POST
@signed_in
def execution(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "execution",
        lambda c: forms.ExecutionForm(request.POST, auto_id="execution_%s"),
        lambda c, d: services.execution_record(
            actor=_user(request), case=c, execution=d["execution"], note=d["note"], due=d["due"]
        ),
        _("The execution of the agreement is recorded."),
    )


@require_POST
@signed_in
def conflict(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "conflict",
        lambda c: forms.ConflictForm(request.POST, auto_id="conflict_%s"),
        lambda c, d: services.case_declare_conflict(actor=_user(request), case=c, note=d["note"]),
        _("Your conflict of interest is recorded; the centre head assigns another mediator."),
    )


@signed_in
def document(request: HttpRequest, pk: int, document: int) -> HttpResponseBase:
    """A case's file, checked against the policy at each request: never by a public URL."""
    case = _case(request, pk)
    record = get_object_or_404(Document, pk=document, case=case)
    try:
        handle = services.document_open(actor=_user(request), case=case, document=record)
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    return private_file_response(
        handle,
        content_type=record.content_type,
        filename=f"{case.number}-{record.kind}-{record.pk}.{record.extension}",
    )


@signed_in
def export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not policies.can(user, "mediation.export"):
        raise Http404
    data = services.cases_export(actor=user, cases=MediationCase.objects.all())
    return private_download(data, filename="mediation-cases.xlsx")


@signed_in
def case_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not forms.centres_of(user).exists():
        raise Http404
    initial = {}
    if request.GET.get("appeal"):
        # "Refer to mediation" from an appeal's page.
        initial = {
            "source": MediationCase.Source.APPEAL,
            "appeal_number": request.GET["appeal"][:30],
        }
    form = forms.CaseForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        second_org = data["second_is_organisation"] or data["second_is_state_body"]
        parties = [
            services.PartyData(
                name=data["first_name"],
                phone=data["first_phone"],
                bin=data["first_bin"],
                kind=Party.Kind.ORGANISATION if data["first_bin"] else Party.Kind.PERSON,
                is_applicant=True,
            ),
            services.PartyData(
                name=data["second_name"],
                phone=data["second_phone"],
                bin=data["second_bin"],
                kind=Party.Kind.ORGANISATION if second_org else Party.Kind.PERSON,
                is_state_body=data["second_is_state_body"],
                state_body=data["state_body"],
            ),
        ]
        try:
            case = services.case_open(
                actor=user,
                centre=data["centre"],
                kind=data["kind"],
                source=data["source"],
                parties=parties,
                language=data["language"],
                description=data["description"],
                appeal=data["appeal"],
                referral_note=data["referral_note"],
                consent=data["consent"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            if case.status == MediationCase.Status.REFUSED:
                messages.warning(
                    request,
                    _("The case %(number)s is refused: %(reason)s")
                    % {"number": case.number, "reason": case.refusal_reason},
                )
            else:
                messages.success(
                    request,
                    _("The case is opened under number %(number)s.") % {"number": case.number},
                )
            return redirect(_detail_url(case))
    return render(
        request, "mediation/case_new.html", {"form": form}, status=400 if form.errors else 200
    )


# --- Registers --------------------------------------------------------------------------------


@signed_in
def mediators(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not policies.can(user, "mediation.view_mediators"):
        raise Http404
    items = (
        policies.scoped(Mediator.objects.all(), user)
        .select_related("person", "centre", "centre__region")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    status = request.GET.get("status", "")
    if status in Mediator.Status.values:
        items = items.filter(status=status)
    return render(
        request,
        "mediation/mediators.html",
        {"page": _page(request, items), "status": status, "statuses": Mediator.Status.choices},
    )


@signed_in
def mediator(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = policies.get_scoped_or_404(
        Mediator.objects.select_related("person", "centre"), user, pk=pk
    )
    manage = policies.can(user, "mediation.manage_mediators", item.centre)
    status_form = forms.MediatorStatusForm(
        request.POST if "status" in request.POST else None,
        initial={"status": item.status},
        auto_id="status_%s",
    )
    training_form = forms.TrainingForm(
        request.POST if "provider" in request.POST else None, auto_id="training_%s"
    )
    code = 200
    if request.method == "POST":
        if not manage:
            raise Http404
        form = status_form if status_form.is_bound else training_form
        if form.is_valid():
            try:
                if form is status_form:
                    services.mediator_set_status(
                        actor=user, mediator=item, status=form.cleaned_data["status"]
                    )
                else:
                    services.training_add(actor=user, mediator=item, **form.cleaned_data)
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("The register is updated."))
                return redirect("mediation:mediator", pk=item.pk)
        code = 400
    return render(
        request,
        "mediation/mediator.html",
        {
            "mediator": item,
            "trainings": list(item.trainings.all()),
            "manage": manage,
            "status_form": status_form,
            "training_form": training_form,
        },
        status=code,
    )


@signed_in
def centres(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not policies.can(user, "mediation.view_mediators"):
        raise Http404
    items = list(queries.centres())
    for item in items:
        item.manage = policies.can(user, "mediation.manage_mediators", item)
    return render(request, "mediation/centres.html", {"centres": items})


@signed_in
def mediator_new(request: HttpRequest, centre: int) -> HttpResponse:
    """The centre head enters a member of the centre in the register of mediators."""
    user = _user(request)
    body = get_object_or_404(queries.centres(), pk=centre)
    if not policies.can(user, "mediation.manage_mediators", body):
        raise Http404
    form = forms.MediatorRegisterForm(request.POST or None, centre=body)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.mediator_register(
                actor=user,
                person=data["person"],
                centre=body,
                professional=data["professional"],
                languages=data["languages"],
                specialisations=data["specialisations"],
                user=data["username"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The mediator is entered in the register."))
            return redirect("mediation:mediator", pk=item.pk)
    return render(
        request,
        "mediation/mediator_new.html",
        {"form": form, "centre": body},
        status=400 if form.errors else 200,
    )


@signed_in
def figures(request: HttpRequest) -> HttpResponse:
    """Anonymous counts for analysts and staff: by region, kind, outcome, duration."""
    if not policies.has_role(request.user, policies.ALL_ROLES) and not policies.can(
        request.user, "mediation.view_cases"
    ):
        raise Http404
    today = timezone.localdate()
    since = today.replace(year=today.year - 1)
    return render(
        request,
        "mediation/figures.html",
        {"counts": queries.anonymous_counts(since=since, until=today), "since": since},
    )
