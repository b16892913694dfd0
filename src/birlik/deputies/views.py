"""The staff pages of initiatives, mounted at /<lang>/workspace/deputies/: the list with its
filters, a new initiative (for a raising body of the user's scope), changes while drafted, and an
initiative's page with its stages, its act, and the proposals and appeals it came from.

Out of scope → 404, in scope without the right → 403; every write goes through
``deputies.services``. A linked appeal shows its registration number to those who may read its
register and its subject only to the staff named on it (that read is audited); never the
applicant.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.models import User
from birlik.appeals import services as appeals_services
from birlik.appeals.models import Appeal, Proposal
from birlik.core import collation
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of
from birlik.registry.models import Organisation

from . import forms, queries, services
from .models import RAISING_KINDS, Initiative, InitiativeLink, Stage


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _initiative(request: HttpRequest, pk: int) -> Initiative:
    item = policies.get_scoped_or_404(
        Initiative.objects.select_related(
            "organisation", "organisation__kind", "state_body", "created_by"
        ),
        request.user,
        pk=pk,
    )
    policies.require(request.user, "deputies.view", item)
    return item


def _page_url(item: Initiative) -> str:
    return reverse("deputies:initiative", kwargs={"pk": item.pk})


# --- The list ------------------------------------------------------------------------------------


@staff_view
def initiatives(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, "deputies.view")
    form = forms.FilterForm(request.GET)
    filters = form.filters()
    rows = policies.scoped(Initiative.objects.all(), user)
    if filters["q"]:
        rows = rows.filter(queries.search_q(filters["q"]))
    if filters["year"]:
        rows = rows.filter(year=filters["year"])
    if filters["stage"]:
        rows = rows.filter(stage=filters["stage"])
    if filters["level"]:
        rows = rows.filter(level=filters["level"])
    if filters["state_body"]:
        rows = rows.filter(state_body=filters["state_body"])
    rows = (
        rows.select_related("organisation", "state_body")
        .defer("organisation__search_text", "organisation__description")
        .order_by("-drafted_on", "-id")
    )
    return render(
        request,
        "deputies/initiatives.html",
        {
            "form": form,
            "page": page_of(request, rows),
            "query_string": kept_query(request, form),
            "invalid": bool(form.errors),
            "can_create": policies.can(user, "deputies.manage"),
        },
        status=400 if form.errors else 200,
    )


# --- Drafting ------------------------------------------------------------------------------------


@staff_view
def initiative_choose(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, "deputies.manage")
    form = forms.ChooseBodyForm(request.GET or None, user=user)
    if form.is_bound and form.is_valid():
        return redirect("deputies:initiative_create", body=form.cleaned_data["body"].pk)
    if not form.is_bound:
        only = list(queries.raising_bodies(user).values_list("pk", flat=True)[:2])
        if len(only) == 1:  # the deputy group's own staff: nothing to choose
            return redirect("deputies:initiative_create", body=only[0])
    return render(
        request,
        "deputies/choose.html",
        {"form": form, "has_bodies": queries.raising_bodies(user).exists()},
        status=400 if form.is_bound else 200,
    )


def _raising_body(request: HttpRequest, pk: int) -> Organisation:
    body = policies.get_scoped_or_404(
        Organisation.objects.select_related("kind", "region"), request.user, pk=pk
    )
    if body.kind.code not in RAISING_KINDS:
        raise Http404
    return body


@staff_view
def initiative_create(request: HttpRequest, body: int) -> HttpResponse:
    user = _user(request)
    organisation = _raising_body(request, body)
    policies.require(user, "deputies.manage", organisation)
    form = forms.InitiativeForm(request.POST or None, body=organisation, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.initiative_create(
                actor=user,
                organisation=organisation,
                state_body=form.cleaned_data["state_body"],
                titles=form.texts("title"),
                questions=form.texts("question"),
                authors=form.cleaned_data["authors"],
                drafted_on=form.cleaned_data["drafted_on"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The initiative is drafted under number %(number)s.") % {"number": item.number},
            )
            return redirect(_page_url(item))
    return render(
        request,
        "deputies/form.html",
        {
            "form": form,
            "organisation": organisation,
            "heading": _("New initiative"),
        },
        status=400 if form.errors else 200,
    )


@staff_view
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = _initiative(request, pk)
    policies.require(user, "deputies.manage", item)
    if item.stage != Stage.DRAFTED:
        messages.error(request, _("An initiative can be changed only while it is drafted."))
        return redirect(_page_url(item))
    form = forms.InitiativeForm(
        request.POST or None, body=item.organisation, user=user, initiative=item
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_update(
                actor=user,
                initiative=item,
                state_body=form.cleaned_data["state_body"],
                titles=form.texts("title"),
                questions=form.texts("question"),
                authors=form.cleaned_data["authors"],
                drafted_on=form.cleaned_data["drafted_on"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The initiative is saved."))
            return redirect(_page_url(item))
    return render(
        request,
        "deputies/form.html",
        {
            "form": form,
            "organisation": item.organisation,
            "initiative": item,
            "heading": _("Change the initiative %(number)s") % {"number": item.number},
        },
        status=400 if form.errors else 200,
    )


# --- An initiative -------------------------------------------------------------------------------

# Each action's heading and button.
ACTION_TEXTS: dict[str, tuple[Promise, Promise]] = {
    Stage.SUBMITTED: (
        gettext_lazy("Record the submission"),
        gettext_lazy("Record as submitted"),
    ),
    Stage.CONSIDERATION: (
        gettext_lazy("Record that it is under consideration"),
        gettext_lazy("Record as under consideration"),
    ),
    Stage.ADOPTED: (gettext_lazy("Record the adoption"), gettext_lazy("Record as adopted")),
    Stage.REJECTED: (gettext_lazy("Record the rejection"), gettext_lazy("Record as rejected")),
    Stage.WITHDRAWN: (gettext_lazy("Withdraw the initiative"), gettext_lazy("Withdraw")),
    "result": (gettext_lazy("Record the act it led to"), gettext_lazy("Save the act")),
}


def _action_form(name: str, item: Initiative) -> django_forms.Form:
    if name == "result":
        return forms.ResultForm(initiative=item, auto_id="result_%s")
    return forms.StageForm(auto_id=f"{name}_%s", initial={"stage": name})


def _offered(
    item: Initiative, names: tuple[str, ...], bound: dict[str, django_forms.Form]
) -> list[dict[str, Any]]:
    offered = []
    for name in names:
        heading, button = ACTION_TEXTS[name]
        url_name = "deputies:initiative_result" if name == "result" else "deputies:initiative_stage"
        offered.append(
            {
                "id": name,
                "heading": heading,
                "button": button,
                "url": reverse(url_name, kwargs={"pk": item.pk}),
                "form": bound.get(name) or _action_form(name, item),
                "multipart": False,
                "danger": name == Stage.WITHDRAWN,
                "open": name in bound,
            }
        )
    return offered


def _render(
    request: HttpRequest,
    item: Initiative,
    *,
    bound: dict[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    bound = bound or {}
    actions = services.initiative_actions(user, item)
    next_step = (actions.next_step,) if actions.next_step else ()
    may_manage = policies.can(user, "deputies.manage", item)
    shown = queries.sources(item, user)
    for appeal in shown.appeals:
        if appeal.subject:  # the subject is part of the appeal's content: its read is audited
            appeals_services.appeal_read(actor=user, appeal=appeal.appeal)
    find_form = forms.FindForm(request.GET or None)
    found = None
    if may_manage and find_form.is_valid() and find_form.cleaned_data["find"]:
        found = queries.find_sources(user, find_form.cleaned_data["find"], exclude=item)
    return render(
        request,
        "deputies/initiative.html",
        {
            "initiative": item,
            "authors": collation.ordered(item.authors.all(), "last_name", "first_name"),
            "stages": item.stages.select_related("actor").order_by("on", "id"),
            "sources": shown,
            "may_manage": may_manage,
            "may_edit": may_manage and item.stage == Stage.DRAFTED,
            "next_action": next(iter(_offered(item, next_step, bound)), None),
            "other_actions": _offered(item, actions.others, bound),
            "find_form": find_form,
            "found": found,
        },
        status=status,
    )


@staff_view
def initiative(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, _initiative(request, pk))


def _step(
    request: HttpRequest,
    pk: int,
    name: str,
    make_form: Callable[[Initiative], django_forms.Form],
    call: Callable[[Initiative, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    """One step on an initiative: a step it does not allow now is refused with the service's
    reason, bad input is shown on the form again (400), nothing half-written."""
    user = _user(request)
    item = _initiative(request, pk)
    policies.require(user, "deputies.manage", item)
    actions = services.initiative_actions(user, item)
    if name not in actions:
        messages.error(request, actions.refusal(name))
        return redirect(_page_url(item))
    form = make_form(item)
    if form.is_valid():
        try:
            call(item, form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect(_page_url(item))
    return _render(request, item, bound={name: form}, status=400)


STAGE_DONE: dict[str, Promise] = {
    Stage.SUBMITTED: gettext_lazy("The submission is recorded."),
    Stage.CONSIDERATION: gettext_lazy("The initiative is recorded as under consideration."),
    Stage.ADOPTED: gettext_lazy("The adoption is recorded. Now record the act it led to."),
    Stage.REJECTED: gettext_lazy("The rejection is recorded."),
    Stage.WITHDRAWN: gettext_lazy("The initiative is withdrawn."),
}


@require_POST
@staff_view
def initiative_stage(request: HttpRequest, pk: int) -> HttpResponse:
    name = str(request.POST.get("stage", ""))
    if name not in STAGE_DONE:
        item = _initiative(request, pk)
        policies.require(request.user, "deputies.manage", item)
        messages.error(request, _("Choose the stage to record."))
        return redirect(_page_url(item))
    return _step(
        request,
        pk,
        name,
        lambda item: forms.StageForm(request.POST, auto_id=f"{name}_%s", initial={"stage": name}),
        lambda item, data: services.initiative_move(
            actor=_user(request),
            initiative=item,
            stage=data["stage"],
            on=data["on"],
            note=data["note"],
        ),
        str(STAGE_DONE[name]),
    )


@require_POST
@staff_view
def initiative_result(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        "result",
        lambda item: forms.ResultForm(request.POST, initiative=item, auto_id="result_%s"),
        lambda item, data: services.initiative_record_result(
            actor=_user(request),
            initiative=item,
            act_kind=data["act_kind"],
            act_titles={lang: data.get(f"act_title_{lang}") or "" for lang in forms.LANGS},
            act_number=data["act_number"],
            act_date=data["act_date"],
            act_url=data["act_url"],
        ),
        _("The act is recorded."),
    )


@require_POST
@staff_view
def initiative_link(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = _initiative(request, pk)
    policies.require(user, "deputies.manage", item)
    form = forms.LinkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect(_page_url(item) + "#sources-heading")
    proposal_id, appeal_id = form.cleaned_data["proposal"], form.cleaned_data["appeal"]
    # An unknown number and one out of the user's scope get the same answer.
    proposal = Proposal.objects.filter(pk=proposal_id).first() if proposal_id else None
    appeal = Appeal.objects.filter(pk=appeal_id).first() if appeal_id else None
    try:
        if proposal_id and proposal is None:
            raise services.InitiativeError(_("No proposal you may read has this number."))
        if appeal_id and appeal is None:
            raise services.InitiativeError(_("No appeal you may read has this number."))
        services.initiative_link(actor=user, initiative=item, proposal=proposal, appeal=appeal)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("The proposal is linked.") if proposal is not None else _("The appeal is linked."),
        )
    return redirect(_page_url(item) + "#sources-heading")


@require_POST
@staff_view
def initiative_unlink(request: HttpRequest, pk: int, link: int) -> HttpResponse:
    user = _user(request)
    item = _initiative(request, pk)
    policies.require(user, "deputies.manage", item)
    record = get_object_or_404(
        InitiativeLink.objects.select_related("appeal"), pk=link, initiative=item
    )
    try:
        services.initiative_unlink(actor=user, initiative=item, link=record)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The source is taken off the initiative."))
    return redirect(_page_url(item) + "#sources-heading")
