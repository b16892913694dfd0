"""The Platform of creative solutions in the workspace: its home (counters and the ideas in
scope), calls for ideas, the moderation queue, the answers due and an idea's page with its
official answer and follow-up.

Staff of the body an idea or a call belongs to, or of a body above it, act on it; analysts and
auditors covering it read. Out of scope: 404; in scope without the right: 403.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms as django_forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.decorators import staff_view
from birlik.access.models import User
from birlik.charity.models import Project
from birlik.core.due import DaysLeft
from birlik.core.errors import DomainError
from birlik.core.forms import show_domain_error
from birlik.core.listing import kept_query, page_of
from birlik.core.search import contains_q
from birlik.core.workdays import legal_today, working_days_left
from birlik.events.models import Event

from . import queries, services
from . import staff_forms as forms
from .models import Call, Comment, Idea, Milestone

VIEW = "ideas.view_workspace"
MODERATE = "ideas.moderate"
ANSWER = "ideas.answer"
FOLLOW_UP = "ideas.follow_up"
MANAGE_CALLS = "ideas.manage_calls"


def _user(request: HttpRequest) -> User:
    """The signed-in staff member (``staff_view`` let only them in)."""
    return cast(User, request.user)


def public_idea_url(idea: Idea) -> str:
    """The idea's public page (ideas-citizen's), or "" when that page is not routed."""
    for name in ("ideas_portal:detail", "ideas_portal:idea"):
        try:
            return reverse(name, kwargs={"pk": idea.pk})
        except NoReverseMatch:
            continue
    return ""


def working_days_badge(due: Any, today: Any) -> DaysLeft | None:
    """The days-left badge of an answer's due date, counted in working days."""
    if due is None:
        return None
    return DaysLeft(due=due, days=working_days_left(today, due))


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        template,
        {
            "may_moderate": policies.can(user, MODERATE),
            "may_manage_calls": policies.can(user, MANAGE_CALLS),
            **context,
        },
        status=status,
    )


def _ideas(user: User) -> Any:
    return policies.scoped(Idea.objects.all(), user)


def _idea(request: HttpRequest, pk: int) -> Idea:
    return policies.get_scoped_or_404(
        Idea.objects.select_related(
            "organisation",
            "call",
            "category",
            "region",
            "answer_body",
            "event",
            "project",
            "merged_into",
        ),
        request.user,
        pk=pk,
    )


# --- Home ---------------------------------------------------------------------------------------


def _filtered(user: User, form: forms.IdeaFilterForm) -> Any:
    rows = _ideas(user)
    # Filters that were understood apply; the others are named on the page.
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data
    today = legal_today()
    state = data.get("state")
    if state == "pending":
        rows = queries.ideas_awaiting_moderation(rows)
    elif state == "due":
        rows = queries.ideas_answer_open(rows)
    elif state == "overdue":
        rows = queries.ideas_answer_overdue(on=today, qs=rows)
    elif state == "answered":
        rows = rows.filter(answered_on__isnull=False)
    elif state == "late":
        rows = queries.ideas_answered_late(rows)
    elif state == "followed":
        rows = queries.ideas_followed(rows)
    if data.get("call"):
        rows = rows.filter(call=data["call"])
    if data.get("category"):
        rows = rows.filter(category=data["category"])
    words = (data.get("q") or "").strip()
    if words:
        rows = rows.filter(Q(number__iexact=words) | contains_q(("title",), words))
    return rows


@staff_view
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, VIEW)
    calls = policies.scoped(Call.objects.all(), user).order_by("-opens_on", "-pk")
    form = forms.IdeaFilterForm(request.GET or None, calls=calls)
    counts = queries.workspace_counts(
        ideas=_ideas(user),
        comments=policies.scoped(Comment.objects.all(), user),
        on=legal_today(),
    )
    rows = _filtered(user, form).select_related("organisation", "call", "category")
    page = page_of(request, rows.order_by("-created_at", "-pk"))
    return _page(
        request,
        "ideas/staff/home.html",
        {
            "counts": counts,
            "form": form,
            "page": page,
            "query": kept_query(request, form),
            "may_answer": policies.can(user, ANSWER),
        },
    )


# --- Calls --------------------------------------------------------------------------------------


def _call(request: HttpRequest, pk: int) -> Call:
    return policies.get_scoped_or_404(
        Call.objects.select_related("organisation"), request.user, pk=pk
    )


@staff_view
def calls(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    policies.require(user, VIEW)
    rows = (
        policies.scoped(Call.objects.all(), user)
        .select_related("organisation")
        .order_by("-opens_on", "-pk")
    )
    return _page(
        request, "ideas/staff/calls.html", {"page": page_of(request, rows), "today": legal_today()}
    )


def _call_form_page(request: HttpRequest, call: Call | None) -> HttpResponse:
    user = _user(request)
    form = forms.CallForm(
        request.POST if request.method == "POST" else None,
        user=user,
        initial=forms.CallForm.initial_for(call),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = services.call_save(
                actor=user, organisation=data.pop("organisation"), data=data, call=call
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The call is saved."))
            return redirect("ideas:call", pk=saved.pk)
    return _page(
        request,
        "ideas/staff/call_form.html",
        {"form": form, "call": call},
        status=400 if form.is_bound else 200,
    )


@staff_view
def call_new(request: HttpRequest) -> HttpResponse:
    policies.require(_user(request), MANAGE_CALLS)
    return _call_form_page(request, None)


@staff_view
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    policies.require(_user(request), MANAGE_CALLS, call)
    return _call_form_page(request, call)


@staff_view
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    call = _call(request, pk)
    policies.require(user, VIEW, call)
    counts = queries.workspace_counts(
        ideas=_ideas(user).filter(call=call),
        comments=Comment.objects.none(),
        on=legal_today(),
    )
    return _page(
        request,
        "ideas/staff/call.html",
        {
            "call": call,
            "categories": list(call.categories.all()),
            "counts": counts,
            "may_manage": policies.can(user, MANAGE_CALLS, call),
            "cancel_form": forms.CancelForm(auto_id="cancel_%s"),
            "today": legal_today(),
        },
    )


@require_POST
@staff_view
def call_publish(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    call = _call(request, pk)
    policies.require(user, MANAGE_CALLS, call)
    try:
        services.call_publish(actor=user, call=call)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The call is published."))
    return redirect("ideas:call", pk=call.pk)


@require_POST
@staff_view
def call_cancel(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    call = _call(request, pk)
    policies.require(user, MANAGE_CALLS, call)
    form = forms.CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.call_cancel(actor=user, call=call, reason=reason)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The call is cancelled."))
    return redirect("ideas:call", pk=call.pk)


# --- Moderation ---------------------------------------------------------------------------------


def _moderation_page(
    request: HttpRequest,
    reject_forms: dict[int, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    pending = (
        queries.ideas_awaiting_moderation(_ideas(user))
        .select_related("organisation", "call", "category")
        .order_by("created_at", "pk")
    )
    comments = (
        queries.comments_awaiting(policies.scoped(Comment.objects.all(), user))
        .select_related("idea")
        .order_by("created_at", "pk")
    )
    ideas_page = page_of(request, pending)
    bound = reject_forms or {}
    rows = [
        {
            "idea": idea,
            "reject_form": bound.get(idea.pk) or forms.ReasonForm(auto_id=f"reject{idea.pk}_%s"),
        }
        for idea in ideas_page.object_list
    ]
    return _page(
        request,
        "ideas/staff/moderation.html",
        {
            "page": ideas_page,
            "rows": rows,
            "comments": page_of(request, comments, param="comments"),
        },
        status=status,
    )


@staff_view
def moderation(request: HttpRequest) -> HttpResponse:
    policies.require(_user(request), MODERATE)
    return _moderation_page(request)


def _back(request: HttpRequest, fallback: str, **kwargs: Any) -> HttpResponseBase:
    """Back to the page the form was on (the queue or the idea page)."""
    if request.POST.get("back") == "idea" and "pk" in kwargs:
        return redirect("ideas:idea", pk=kwargs["pk"])
    return redirect(fallback)


@require_POST
@staff_view
def idea_publish(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    idea = _idea(request, pk)
    policies.require(user, MODERATE, idea)
    try:
        services.idea_publish(actor=user, idea=idea)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Idea %(number)s is published.") % {"number": idea.number})
    return _back(request, "ideas:moderation", pk=idea.pk)


@require_POST
@staff_view
def idea_reject(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    idea = _idea(request, pk)
    policies.require(user, MODERATE, idea)
    form = forms.ReasonForm(request.POST, auto_id=f"reject{idea.pk}_%s")
    if form.is_valid():
        try:
            services.idea_reject(actor=user, idea=idea, reason=form.cleaned_data["reason"])
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Idea %(number)s is not published; the author is told why.")
                % {"number": idea.number},
            )
            return _back(request, "ideas:moderation", pk=idea.pk)
    if request.POST.get("back") == "idea":
        return _idea_page(request, idea, bound={"reject": form}, status=400)
    return _moderation_page(request, reject_forms={idea.pk: form}, status=400)


def _comment(request: HttpRequest, pk: int) -> Comment:
    return policies.get_scoped_or_404(
        Comment.objects.select_related("idea", "idea__organisation"), request.user, pk=pk
    )


def _moderate_comment(request: HttpRequest, pk: int, *, publish: bool) -> HttpResponseBase:
    user = _user(request)
    comment = _comment(request, pk)
    policies.require(user, MODERATE, comment)
    try:
        services.comment_moderate(actor=user, comment=comment, publish=publish)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("The comment is published.") if publish else _("The comment is hidden.")
        )
    return _back(request, "ideas:moderation", pk=comment.idea_id)


@require_POST
@staff_view
def comment_publish(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _moderate_comment(request, pk, publish=True)


@require_POST
@staff_view
def comment_hide(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _moderate_comment(request, pk, publish=False)


# --- Answers due ---------------------------------------------------------------------------------


@staff_view
def answers(request: HttpRequest) -> HttpResponse:
    """Ideas whose answer clock runs, the earliest due (the overdue ones) first."""
    user = _user(request)
    policies.require(user, ANSWER)
    today = legal_today()
    rows = (
        queries.ideas_answer_open(_ideas(user))
        .select_related("organisation", "call")
        .order_by("answer_due", "pk")
    )
    page = page_of(request, rows)
    items = [
        {"idea": idea, "due": working_days_badge(idea.answer_due, today)}
        for idea in page.object_list
    ]
    overdue = queries.ideas_answer_overdue(on=today, qs=_ideas(user)).count()
    return _page(
        request, "ideas/staff/answers.html", {"page": page, "items": items, "overdue": overdue}
    )


# --- An idea: moderation, the answer, the follow-up ----------------------------------------------


def _answer_form(user: User, idea: Idea, data: Any = None) -> forms.AnswerForm:
    return forms.AnswerForm(
        data,
        bodies=services.answering_bodies(actor=user, idea=idea),
        idea=idea,
        auto_id="answer_%s",
    )


def _follow_up_form(user: User, idea: Idea, data: Any = None) -> forms.FollowUpForm:
    return forms.FollowUpForm(
        data,
        idea=idea,
        events=policies.scoped(Event.objects.all(), user),
        projects=policies.scoped(Project.objects.all(), user),
        auto_id="follow_%s",
    )


def _idea_page(
    request: HttpRequest,
    idea: Idea,
    *,
    bound: dict[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    bound = bound or {}
    today = legal_today()
    may_moderate = policies.can(user, MODERATE, idea)
    may_answer = (
        policies.can(user, ANSWER, idea)
        and idea.status == Idea.Status.PUBLISHED
        and idea.answered_on is None
    )
    may_follow = policies.can(user, FOLLOW_UP, idea) and idea.decision in (
        services.FOLLOWED_DECISIONS
    )
    context: dict[str, Any] = {
        "idea": idea,
        "public_url": public_idea_url(idea),
        "due": working_days_badge(idea.answer_due, today) if idea.answered_on is None else None,
        "late": bool(idea.answered_on and idea.answer_due and idea.answered_on > idea.answer_due),
        "comments": list(
            idea.comments.exclude(status=Comment.Status.HIDDEN).order_by("created_at", "pk")
        ),
        "milestones": list(queries.idea_milestones(idea)),
        "may_moderate_idea": may_moderate,
        "reject_form": bound.get("reject")
        or (forms.ReasonForm(auto_id="reject_%s") if may_moderate else None),
        "answer_form": bound.get("answer") or (_answer_form(user, idea) if may_answer else None),
        "follow_form": bound.get("follow") or (_follow_up_form(user, idea) if may_follow else None),
        "milestone_form": bound.get("milestone")
        or (forms.MilestoneForm(auto_id="milestone_%s") if may_follow else None),
        "may_follow": may_follow,
    }
    return _page(request, "ideas/staff/idea.html", context, status=status)


@staff_view
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea(request, pk)
    policies.require(_user(request), VIEW, idea)
    return _idea_page(request, idea)


@require_POST
@staff_view
def idea_answer(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    idea = _idea(request, pk)
    policies.require(user, ANSWER, idea)
    form = _answer_form(user, idea, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            answered = services.idea_answer(
                actor=user,
                idea=idea,
                body=data["body"],
                text=data["text"],
                decision=data["decision"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            late = (
                answered.answer_due is not None
                and answered.answered_on is not None
                and (answered.answered_on > answered.answer_due)
            )
            messages.success(
                request,
                _("The official answer is recorded, after its due date: it counts as late.")
                if late
                else _("The official answer is recorded; the author is told."),
            )
            return redirect("ideas:idea", pk=idea.pk)
    return _idea_page(request, idea, bound={"answer": form}, status=400)


@require_POST
@staff_view
def idea_follow_up(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    idea = _idea(request, pk)
    policies.require(user, FOLLOW_UP, idea)
    form = _follow_up_form(user, idea, request.POST)
    if form.is_valid():
        try:
            services.idea_follow_up(actor=user, idea=idea, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The implementation is updated."))
            return redirect("ideas:idea", pk=idea.pk)
    return _idea_page(request, idea, bound={"follow": form}, status=400)


@require_POST
@staff_view
def milestone_new(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    idea = _idea(request, pk)
    policies.require(user, FOLLOW_UP, idea)
    form = forms.MilestoneForm(request.POST, auto_id="milestone_%s")
    if form.is_valid():
        try:
            services.milestone_save(actor=user, idea=idea, data=form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The step is added."))
            return redirect("ideas:idea", pk=idea.pk)
    return _idea_page(request, idea, bound={"milestone": form}, status=400)


def _milestone(request: HttpRequest, pk: int, milestone: int) -> tuple[Idea, Milestone]:
    idea = _idea(request, pk)
    try:
        item = idea.milestones.get(pk=milestone)
    except Milestone.DoesNotExist as error:
        raise Http404 from error
    return idea, item


@staff_view
def milestone_edit(request: HttpRequest, pk: int, milestone: int) -> HttpResponse:
    user = _user(request)
    idea, item = _milestone(request, pk, milestone)
    policies.require(user, FOLLOW_UP, idea)
    form = forms.MilestoneForm(
        request.POST if request.method == "POST" else None,
        initial={
            "title": item.title,
            "due_on": item.due_on,
            "done_on": item.done_on,
            "note": item.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_save(actor=user, idea=idea, data=form.cleaned_data, milestone=item)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The step is saved."))
            return redirect("ideas:idea", pk=idea.pk)
    return _page(
        request,
        "ideas/staff/milestone_form.html",
        {"idea": idea, "milestone": item, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_POST
@staff_view
def milestone_done(request: HttpRequest, pk: int, milestone: int) -> HttpResponseBase:
    user = _user(request)
    idea, item = _milestone(request, pk, milestone)
    policies.require(user, FOLLOW_UP, idea)
    try:
        services.milestone_done(actor=user, milestone=item)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The step is marked done."))
    return redirect("ideas:idea", pk=idea.pk)


urlpatterns: list[URLPattern] = [
    path("", home, name="home"),
    path("calls/", calls, name="calls"),
    path("calls/new/", call_new, name="call_new"),
    path("calls/<int:pk>/", call_detail, name="call"),
    path("calls/<int:pk>/edit/", call_edit, name="call_edit"),
    path("calls/<int:pk>/publish/", call_publish, name="call_publish"),
    path("calls/<int:pk>/cancel/", call_cancel, name="call_cancel"),
    path("moderation/", moderation, name="moderation"),
    path("answers/", answers, name="answers"),
    path("ideas/<int:pk>/", idea_detail, name="idea"),
    path("ideas/<int:pk>/publish/", idea_publish, name="idea_publish"),
    path("ideas/<int:pk>/reject/", idea_reject, name="idea_reject"),
    path("ideas/<int:pk>/answer/", idea_answer, name="answer"),
    path("ideas/<int:pk>/follow-up/", idea_follow_up, name="follow_up"),
    path("ideas/<int:pk>/milestones/", milestone_new, name="milestone_new"),
    path("ideas/<int:pk>/milestones/<int:milestone>/", milestone_edit, name="milestone_edit"),
    path("ideas/<int:pk>/milestones/<int:milestone>/done/", milestone_done, name="milestone_done"),
    path("comments/<int:pk>/publish/", comment_publish, name="comment_publish"),
    path("comments/<int:pk>/hide/", comment_hide, name="comment_hide"),
]
