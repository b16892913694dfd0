"""The staff side of appeals and proposals: the inbox, an appeal's page and its actions, paper
appeals, proposals to state bodies.

The register (number, kind, body, dates, status) is shown to staff in scope; the applicant's
data, the text, notes and the answer only to the handlers named on the appeal, and each such
page view is audited through ``services.appeal_read``. Out of scope → 404, not allowed → 403.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.core import uploads
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query as _kept_query
from birlik.core.listing import keyset_page
from birlik.core.listing import page_of as _page
from birlik.core.private_files import private_file_response
from birlik.core.templatetags.birlik_format import long_date
from birlik.core.workdays import legal_today, working_days_left
from birlik.registry.models import Organisation

from . import forms, queries, services
from .models import Appeal, AppealAttachment, AppealStep, Proposal

View = Callable[..., HttpResponseBase]
PAGE_SIZE = settings.BIRLIK_PAGE_SIZE
DUE_SOON_DAYS = queries.DUE_SOON_DAYS


def _body_in_scope(request: HttpRequest, pk: int) -> Organisation:
    return policies.get_scoped_or_404(
        Organisation.objects.select_related("kind", "region"), request.user, pk=pk
    )


# --- Inbox -----------------------------------------------------------------------------------


def queue_filter(appeals: QuerySet[Appeal], queue: str, user: Any) -> QuerySet[Appeal]:
    """The inbox's queues (the rules are in ``appeals.queries``); "due soon" is within three
    working days, today included."""
    today = legal_today()
    if queue == "open":
        return queries.appeals_open(qs=appeals)
    if queue == "due_soon":
        return queries.appeals_due_soon(on=today, days=DUE_SOON_DAYS, qs=appeals)
    if queue == "overdue":
        return queries.appeals_overdue(on=today, qs=appeals)
    if queue == "to_redirect":
        return queries.appeals_to_redirect(on=today, qs=appeals)
    if queue == "mine":
        return queries.appeals_of_handler(user=user, qs=appeals)
    if queue == "not_considered":
        return queries.appeals_not_considered(qs=appeals)
    return appeals


@dataclass(frozen=True)
class RedirectTerm:
    """How the redirect-by date stands today, in words for the inbox."""

    text: str
    late: bool


def _redirect_term(appeal: Appeal, today: datetime.date) -> RedirectTerm | None:
    if appeal.redirect_by is None:
        return None
    left = working_days_left(today, appeal.redirect_by)
    if appeal.redirect_by < today:
        # A weekend just after the last day is late, but not yet by a working day.
        text = (
            ngettext("%(count)s working day late", "%(count)s working days late", -left)
            % {"count": -left}
            if left
            else ""
        )
        return RedirectTerm(text=text, late=True)
    if left == 0:
        return RedirectTerm(text=_("last day today"), late=False)
    text = ngettext("%(count)s working day left", "%(count)s working days left", left) % {
        "count": left
    }
    return RedirectTerm(text=text, late=False)


@staff_view
def inbox(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "appeals.view_register")
    form = forms.InboxFilterForm(request.GET)
    filters = form.filters()
    appeals = policies.scoped(Appeal.objects.all(), request.user)
    appeals = queue_filter(appeals, filters["queue"], request.user)
    if filters["status"]:
        appeals = appeals.filter(status=filters["status"])
    if filters["kind"]:
        appeals = appeals.filter(kind=filters["kind"])
    body: Organisation | None = None
    if filters["body"]:
        body = policies.scoped(
            Organisation.objects.filter(pk=filters["body"]), request.user
        ).first()
        if body is None:
            form.add_error("body", _("No body in your scope has this number."))
        else:
            appeals = queries.appeals_under(body=body, qs=appeals)
    # The register only: the text and the applicant's data are not even read.
    appeals = appeals.select_related("organisation", "executor").defer(
        "text",
        "answer_text",
        "applicant_name",
        "applicant_address",
        "applicant_phone",
        "applicant_email",
        "organisation__search_text",
        "organisation__description",
    )
    today = legal_today()
    appeals = queries.with_overdue_flag(appeals, on=today)
    # Keyset pages along each queue's index: page 50 costs what page 1 costs, and the count
    # stops at a thousand.
    page = keyset_page(
        request,
        appeals,
        order=queries.inbox_order(filters["queue"]),
        query=_kept_query(request, form),
    )
    to_redirect = filters["queue"] == "to_redirect"
    if to_redirect:
        rows: list[Any] = page.object_list  # each row gets its term in words
        for appeal in rows:
            appeal.redirect_term = _redirect_term(appeal, today)
    register_ids = list(forms.staff_bodies(request.user).values_list("pk", flat=True)[:2])
    registers_any, registers_for_one = bool(register_ids), len(register_ids) == 1
    return render(
        request,
        "appeals/inbox.html",
        {
            "form": form,
            "page": page,
            "body": body,
            "queue": filters["queue"],
            "queues": forms.QUEUES,
            "to_redirect": to_redirect,
            "queue_query": urlencode(
                {
                    key: str(value)
                    for key, value in request.GET.items()
                    if key in {"status", "kind", "body"} and value
                }
            ),
            "invalid": bool(form.errors),
            # One body: chosen on the inbox itself; several: on their own page (a list of
            # hundreds of options would cost every inbox page its rendering).
            "choose_form": (
                forms.ChooseBodyForm(user=request.user, auto_id="register_%s")
                if registers_for_one
                else None
            ),
            "register_elsewhere": not registers_for_one and registers_any,
        },
    )


# --- Paper appeals -----------------------------------------------------------------------------


@staff_view
def register_choose(request: HttpRequest) -> HttpResponse:
    form = forms.ChooseBodyForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        return redirect("appeals:register", body=form.cleaned_data["body"].pk)
    return render(
        request,
        "appeals/choose_body.html",
        {
            "form": form,
            "title": _("Register an appeal"),
            "action": reverse("appeals:register_choose"),
        },
        status=400 if form.is_bound else 200,
    )


@staff_view
def register(request: HttpRequest, body: int) -> HttpResponse:
    organisation = _body_in_scope(request, body)
    policies.require(request.user, "appeals.register_appeal", organisation)
    form = forms.PaperAppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = services.appeal_register(
                organisation=organisation,
                kind=data["kind"],
                text=data["text"],
                language=data["language"],
                applicant_name=data["applicant_name"],
                applicant_address=data["applicant_address"],
                applicant_phone=data["applicant_phone"],
                applicant_email=data["applicant_email"],
                consent=data["consent"],
                security_threat=data["security_threat"],
                region=organisation.region,
                channel=data["channel"],
                subject=data["subject"],
                received_at=form.received_at(),
                actor=request.user,  # type: ignore[arg-type]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The appeal is registered under number %(number)s, due %(due)s.")
                % {"number": appeal.number, "due": appeal.due_date.strftime("%d.%m.%Y")},
            )
            return redirect("appeals:detail", pk=appeal.pk)
    return render(
        request,
        "appeals/register.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


# --- An appeal ---------------------------------------------------------------------------------


PUBLIC_SHOWN = {
    AppealStep.Action.REGISTERED,
    AppealStep.Action.ASSIGNED,
    AppealStep.Action.EXTENDED,
    AppealStep.Action.REDIRECTED,
    AppealStep.Action.APPROVED,
    AppealStep.Action.CLOSED,
    AppealStep.Action.ESCALATED,
}


def _appeal(request: HttpRequest, pk: int) -> Appeal:
    appeal = policies.get_scoped_or_404(
        queries.with_overdue_flag(
            Appeal.objects.select_related(
                "organisation", "organisation__kind", "executor", "redirected_to", "escalated_to"
            ),
            on=legal_today(),
        ),
        request.user,
        pk=pk,
    )
    policies.require(request.user, "appeals.view_register", appeal)
    return appeal


def _detail_url(appeal: Appeal) -> str:
    return reverse("appeals:detail", kwargs={"pk": appeal.pk})


def _extension_latest(appeal: Appeal) -> datetime.date:
    return services.extension_latest(
        counted_from=appeal.counted_from, terms=services.terms_for(appeal.organisation)
    )


def _action_form(name: str, appeal: Appeal) -> django_forms.Form | None:
    """The empty form of an action (None for a button alone)."""
    organisation = appeal.organisation
    if name == "assign":
        return forms.AssignForm(
            organisation=organisation, auto_id="assign_%s", initial={"executor": appeal.executor_id}
        )
    if name == "note":
        return forms.NoteForm(auto_id="note_%s")
    if name == "draft":
        return forms.AnswerForm(auto_id="draft_%s", initial={"text": appeal.answer_text})
    if name == "extend":
        return forms.ExtendForm(auto_id="extend_%s", latest=_extension_latest(appeal))
    if name == "redirect":
        return forms.RedirectForm(organisation=organisation, auto_id="redirect_%s")
    if name == "close":
        return forms.CloseForm(auto_id="close_%s")
    return None


# Each action's heading and button; the services decide which are offered.
ACTION_TEXTS: dict[str, tuple[Promise, Promise]] = {
    "take_on": (gettext_lazy("Take on this appeal"), gettext_lazy("Take on this appeal")),
    "assign": (gettext_lazy("Assign the executor"), gettext_lazy("Assign")),
    "draft": (gettext_lazy("Draft the answer"), gettext_lazy("Save the draft")),
    "approve": (gettext_lazy("Approve and send the answer"), gettext_lazy("Approve and send")),
    "extend": (gettext_lazy("Extend the term"), gettext_lazy("Extend")),
    "redirect": (gettext_lazy("Redirect to a competent state body"), gettext_lazy("Redirect")),
    "note": (gettext_lazy("Add an internal note"), gettext_lazy("Add the note")),
    "close": (gettext_lazy("Close the appeal"), gettext_lazy("Close")),
}
LANGUAGE_NAMES: dict[str, Promise] = {
    "kk": gettext_lazy("Kazakh"),
    "ru": gettext_lazy("Russian"),
    "en": gettext_lazy("English"),
}


@dataclass
class ShownAction:
    """An action as ``_record_actions.html`` shows it: the next step open, the others folded
    (a form sent back with errors is shown open)."""

    id: str
    heading: str
    button: str
    url: str
    form: django_forms.Form | None
    is_next: bool
    open: bool = False
    multipart: bool = False

    @property
    def danger(self) -> bool:
        return self.id == "close"


def _shown_actions(
    appeal: Appeal, actions: list[services.Action], bound: dict[str, django_forms.Form]
) -> list[ShownAction]:
    shown = []
    for action in actions:
        heading, button = ACTION_TEXTS[action.name]
        shown.append(
            ShownAction(
                id=action.name,
                heading=str(heading),
                button=str(button),
                url=reverse(f"appeals:{action.name}", kwargs={"pk": appeal.pk}),
                form=bound.get(action.name) or _action_form(action.name, appeal),
                is_next=action.is_next,
                open=action.name in bound,
            )
        )
    return shown


def _tell_refusals(
    request: HttpRequest, bound: dict[str, django_forms.Form], offered: set[str]
) -> None:
    """A refused action that the page no longer offers (the appeal was closed meanwhile, or
    the request was forged) has no form to show its errors on: they become messages."""
    for name, form in bound.items():
        if name in offered:
            continue
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))


def _render_detail(
    request: HttpRequest,
    appeal: Appeal,
    *,
    bound: dict[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    sees_content = policies.can(user, "appeals.view_content", appeal)
    if sees_content:
        services.appeal_read(actor=user, appeal=appeal)
    steps = list(
        appeal.steps.select_related("actor")
        if sees_content
        else appeal.steps.select_related("actor").filter(action__in=PUBLIC_SHOWN)
    )
    for step in steps:
        step.actor_name = queries.person_name(step.actor)  # type: ignore[attr-defined]
    handlers = list(appeal.handlers.select_related("user")) if sees_content else []
    for handler in handlers:
        handler.name = queries.person_name(handler.user)  # type: ignore[attr-defined]
    actions = services.available_actions(user=user, appeal=appeal)
    bound = bound or {}
    shown = _shown_actions(appeal, actions, bound)
    _tell_refusals(request, bound, {action.name for action in actions})
    next_action = next((action for action in shown if action.is_next), None)
    today = legal_today()
    return render(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "sees_content": sees_content,
            "next_action": next_action,
            "other_actions": [action for action in shown if not action.is_next],
            "approve_offered": any(action.name == "approve" for action in actions),
            # The drafter of an answer waits for a colleague to approve it.
            "awaits_approval": sees_content
            and appeal.is_open
            and bool(appeal.answer_text)
            and services.answer_drafted_by_actor(actor=user, appeal=appeal),
            "term": queries.term_left(appeal, on=today),
            "executor_name": queries.person_name(appeal.executor),
            "language_name": LANGUAGE_NAMES.get(appeal.language, appeal.language),
            "steps": steps,
            "handlers": handlers,
            "attachments": list(appeal.attachments.order_by("pk")) if sees_content else [],
            "extension_notices": queries.extension_notices(appeal) if sees_content else [],
            "extension_notice_due": services.extension_notice_due(appeal=appeal),
            "extension_notice_late": sees_content
            and services.extension_notice_late(appeal=appeal, on=today),
        },
        status=status,
    )


@staff_view
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _appeal(request, pk))


@staff_view
def attachment(request: HttpRequest, pk: int, attachment: int) -> HttpResponseBase:
    """An appeal's file, to its handlers only (the read is audited): never by MEDIA_URL."""
    appeal = _appeal(request, pk)
    services.appeal_read(actor=request.user, appeal=appeal)  # type: ignore[arg-type]
    record = get_object_or_404(AppealAttachment, pk=attachment, appeal=appeal)
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    extension = uploads.EXTENSIONS.get(record.content_type, "bin")
    return private_file_response(
        handle,
        content_type=record.content_type,
        inline=record.content_type.startswith("image/"),
        filename=f"appeal-{appeal.number}-{record.pk}.{extension}",
    )


@require_POST
@staff_view
def take_on(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal(request, pk)
    try:
        services.appeal_take_on(actor=request.user, appeal=appeal)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("You are now named on this appeal and can handle it."))
    return redirect(_detail_url(appeal))


def _act(
    request: HttpRequest,
    pk: int,
    name: str,
    make_form: Callable[[Appeal], django_forms.Form],
    call: Callable[[Appeal, dict[str, Any]], Any],
    done: str,
    warn: Callable[[Any], str | None] = lambda result: None,
) -> HttpResponse:
    """A handler's action: bind the form, call the service, show its message on the field;
    ``warn`` may add a warning about what the service did."""
    appeal = _appeal(request, pk)
    policies.require(request.user, "appeals.handle", appeal)
    form = make_form(appeal)
    if form.is_valid():
        try:
            result = call(appeal, form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, done)
            warning = warn(result)
            if warning:
                messages.warning(request, warning)
            return redirect(_detail_url(appeal))
    return _render_detail(request, appeal, bound={name: form}, status=400)


@require_POST
@staff_view
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "assign",
        lambda a: forms.AssignForm(request.POST, organisation=a.organisation, auto_id="assign_%s"),
        lambda a, d: services.appeal_assign(
            actor=request.user,  # type: ignore[arg-type]
            appeal=a,
            executor=d["executor"],
        ),
        _("The executor is assigned."),
    )


@require_POST
@staff_view
def note(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "note",
        lambda a: forms.NoteForm(request.POST, auto_id="note_%s"),
        lambda a, d: services.appeal_note(actor=request.user, appeal=a, text=d["text"]),  # type: ignore[arg-type]
        _("The note is added."),
    )


@require_POST
@staff_view
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "draft",
        lambda a: forms.AnswerForm(request.POST, auto_id="draft_%s"),
        lambda a, d: services.appeal_draft_answer(actor=request.user, appeal=a, text=d["text"]),  # type: ignore[arg-type]
        _("The answer is saved as a draft. Another member of staff approves and sends it."),
    )


@require_POST
@staff_view
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "extend",
        lambda a: forms.ExtendForm(request.POST, auto_id="extend_%s", latest=_extension_latest(a)),
        lambda a, d: services.appeal_extend(
            actor=request.user,  # type: ignore[arg-type]
            appeal=a,
            until=d["until"],
            reason=d["reason"],
        ),
        _("The term is extended and the applicant is told."),
    )


@require_POST
@staff_view
def redirect_to_state_body(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "redirect",
        lambda a: forms.RedirectForm(
            request.POST, organisation=a.organisation, auto_id="redirect_%s"
        ),
        lambda a, d: services.appeal_redirect(
            actor=request.user,  # type: ignore[arg-type]
            appeal=a,
            state_body=d["state_body"],
            reason=d["reason"],
        ),
        _("The appeal is sent on to the competent body and the applicant is told."),
        warn=_late_redirection,
    )


def _late_redirection(appeal: Appeal) -> str | None:
    if not appeal.redirected_late or appeal.redirect_by is None:
        return None
    return _(
        "The redirection is late: the law gives three working days, until %(date)s. "
        "It is recorded on the appeal and counted in the figures."
    ) % {"date": long_date(appeal.redirect_by)}


@require_POST
@staff_view
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "close",
        lambda a: forms.CloseForm(request.POST, auto_id="close_%s"),
        lambda a, d: services.appeal_close(actor=request.user, appeal=a, reason=d["reason"]),  # type: ignore[arg-type]
        _("The appeal is closed."),
    )


@require_POST
@staff_view
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal(request, pk)
    policies.require(request.user, "appeals.approve_answer", appeal)
    try:
        services.appeal_approve_answer(actor=request.user, appeal=appeal)  # type: ignore[arg-type]
    except DomainError as error:
        # Refused (the drafter, no draft, a closed appeal): the page says why, nothing changes.
        messages.error(request, str(error.message))
        return _render_detail(request, appeal, status=400)
    messages.success(request, _("The answer is approved and sent to the applicant."))
    return redirect(_detail_url(appeal))


# --- Proposals ---------------------------------------------------------------------------------


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    return policies.get_scoped_or_404(
        Proposal.objects.select_related("organisation", "state_body", "drafted_by", "approved_by"),
        request.user,
        pk=pk,
    )


@staff_view
def proposals(request: HttpRequest) -> HttpResponse:
    form = forms.ProposalFilterForm(request.GET)
    filters = form.filters()
    items = policies.scoped(Proposal.objects.all(), request.user)
    if filters["status"]:
        items = items.filter(status=filters["status"])
    if filters["outcome"]:
        items = items.filter(outcome=filters["outcome"])
    items = items.select_related("organisation", "state_body").defer("text", "answer_text")
    page = _page(request, items.order_by("-created_at", "-id"))
    return render(
        request,
        "appeals/proposals.html",
        {
            "form": form,
            "page": page,
            "query_string": _kept_query(request, form),
            "invalid": bool(form.errors),
            "may_draft": policies.can(request.user, "appeals.draft_proposal"),
        },
    )


@staff_view
def proposal_choose(request: HttpRequest) -> HttpResponse:
    policies.require(request.user, "appeals.draft_proposal")
    form = forms.ChooseBodyForm(request.GET or None, user=request.user)
    if form.is_bound and form.is_valid():
        return redirect("appeals:proposal_create", body=form.cleaned_data["body"].pk)
    return render(
        request,
        "appeals/choose_body.html",
        {
            "form": form,
            "title": _("New proposal to a state body"),
            "action": reverse("appeals:proposal_choose"),
        },
        status=400 if form.is_bound else 200,
    )


@staff_view
def proposal_create(request: HttpRequest, body: int) -> HttpResponse:
    organisation = _body_in_scope(request, body)
    policies.require(request.user, "appeals.draft_proposal", organisation)
    form = forms.ProposalForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_draft(
                actor=request.user,  # type: ignore[arg-type]
                organisation=organisation,
                state_body=form.cleaned_data["state_body"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("The proposal is saved as a draft. The chair approves it next.")
            )
            return redirect("appeals:proposal", pk=proposal.pk)
    return render(
        request,
        "appeals/proposal_form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


def _render_proposal(
    request: HttpRequest,
    proposal: Proposal,
    *,
    bound: dict[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    may_change = policies.can(user, "appeals.change_proposal", proposal)
    context_forms: dict[str, django_forms.Form] = {
        "send": forms.SendForm(auto_id="send_%s"),
        "answer": forms.ProposalAnswerForm(
            auto_id="answer_%s",
            initial={
                "answered_on": proposal.answered_at,
                "outcome": proposal.outcome,
                "answer_text": proposal.answer_text,
                "actions_taken": proposal.actions_taken,
            },
        ),
    }
    context_forms.update(bound or {})
    return render(
        request,
        "appeals/proposal.html",
        {
            "proposal": proposal,
            "can_approve": proposal.status == Proposal.Status.DRAFT
            and policies.can(user, "appeals.approve_proposal", proposal),
            "can_send": proposal.status == Proposal.Status.APPROVED and may_change,
            "can_answer": proposal.status in {Proposal.Status.SENT, Proposal.Status.ANSWERED}
            and may_change,
            "forms": context_forms,
        },
        status=status,
    )


@staff_view
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_proposal(request, _proposal(request, pk))


@require_POST
@staff_view
def proposal_approve(request: HttpRequest, pk: int) -> HttpResponse:
    item = _proposal(request, pk)
    policies.require(request.user, "appeals.approve_proposal", item)
    try:
        services.proposal_approve(actor=request.user, proposal=item)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The proposal is approved and can be sent."))
    return redirect("appeals:proposal", pk=item.pk)


@require_POST
@staff_view
def proposal_send(request: HttpRequest, pk: int) -> HttpResponse:
    item = _proposal(request, pk)
    policies.require(request.user, "appeals.change_proposal", item)
    form = forms.SendForm(request.POST, auto_id="send_%s")
    if form.is_valid():
        try:
            services.proposal_send(
                actor=request.user,  # type: ignore[arg-type]
                proposal=item,
                number=form.cleaned_data["number"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The proposal is recorded as sent."))
            return redirect("appeals:proposal", pk=item.pk)
    return _render_proposal(request, item, bound={"send": form}, status=400)


@require_POST
@staff_view
def proposal_answer(request: HttpRequest, pk: int) -> HttpResponse:
    item = _proposal(request, pk)
    policies.require(request.user, "appeals.change_proposal", item)
    form = forms.ProposalAnswerForm(request.POST, auto_id="answer_%s")
    if form.is_valid():
        try:
            services.proposal_record_answer(
                actor=request.user,  # type: ignore[arg-type]
                proposal=item,
                answered_on=form.cleaned_data["answered_on"],
                outcome=form.cleaned_data["outcome"],
                answer_text=form.cleaned_data["answer_text"],
                actions_taken=form.cleaned_data["actions_taken"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The state body's answer is recorded."))
            return redirect("appeals:proposal", pk=item.pk)
    return _render_proposal(request, item, bound={"answer": form}, status=400)
