"""Public pages of calls for ideas (the list with each call's phase, a call's page with its
phase timeline and its ideas) and the comment form of an idea's page.

Comments come from signed-in accounts with a verified phone or e-mail, a limited number a day
per account, and wait for a moderator; they are plain text, always shown escaped.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from birlik.access import policies
from birlik.access.models import User
from birlik.core import ratelimit
from birlik.core.errors import DomainError
from birlik.core.listing import page_of
from birlik.core.workdays import legal_today

from . import queries, services
from .models import Call, Idea
from .staff_forms import CommentForm
from .staff_views import public_idea_url

# The most supported ideas shown on a call's page; the list page has all of them.
CALL_TOP_IDEAS = 5


def ideas_list_url(**filters: Any) -> str:
    """The public list of ideas (ideas-citizen's) with filters, or "" when it is not routed."""
    try:
        url = reverse("ideas_portal:list")
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(filters)}" if filters else url


def phase_steps(call: Call) -> list[dict[str, Any]]:
    """The four phases of a call with their dates, the current one marked."""
    today = legal_today()
    current = call.phase_on(today)
    steps = [
        (Call.Phase.COLLECTING, call.opens_on, call.collect_until),
        (Call.Phase.SUPPORT, call.collect_until, call.support_until),
        (Call.Phase.REVIEW, call.support_until, call.review_until),
        (Call.Phase.RESULTS, call.review_until, None),
    ]
    order = [str(step) for step, _start, _end in steps]
    position = order.index(current) if current in order else -1
    return [
        {
            "label": Call.Phase(step).label,
            "starts": start if index == 0 else None,
            "after": start if index > 0 else None,
            "ends": end,
            "current": index == position,
            "past": index < position,
        }
        for index, (step, start, end) in enumerate(steps)
    ]


def calls(request: HttpRequest) -> HttpResponse:
    rows = queries.calls_public().select_related("organisation").order_by("-opens_on", "-pk")
    page = page_of(request, rows)
    today = legal_today()
    items = [
        {"call": call, "phase": Call.Phase(call.phase_on(today)).label} for call in page.object_list
    ]
    return render(request, "ideas/portal/calls.html", {"page": page, "items": items})


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = (
        Call.objects.select_related("organisation")
        .exclude(status=Call.Status.DRAFT)
        .filter(pk=pk)
        .first()
    )
    if call is None:
        raise Http404
    published = queries.published_ideas().filter(call=call)
    top = list(
        published.select_related("category").order_by("-support_count", "-pk")[:CALL_TOP_IDEAS]
    )
    return render(
        request,
        "ideas/portal/call.html",
        {
            "call": call,
            "phase": Call.Phase(call.phase_on(legal_today())).label,
            "steps": phase_steps(call),
            "categories": list(call.categories.all()),
            "idea_count": published.count(),
            "top": [{"idea": idea, "url": public_idea_url(idea)} for idea in top],
            "list_url": ideas_list_url(call=call.pk),
        },
    )


def _idea_page(idea: Idea) -> str:
    return (public_idea_url(idea) or reverse("ideas_portal:calls")) + "#comments"


@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A verified account's comment on a published idea, queued for moderation."""
    idea = Idea.objects.filter(pk=pk, status=Idea.Status.PUBLISHED).first()
    if idea is None:
        raise Http404
    back = _idea_page(idea)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('access:login')}?{urlencode({'next': back})}")
    user = cast(User, request.user)
    if not policies.can(user, "ideas.comment"):
        messages.error(
            request, _("Verify your phone or e-mail first: only verified accounts comment.")
        )
        return redirect(back)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write your comment (at most 2,000 characters)."))
        return redirect(back)
    rate = ratelimit.setting_rate("RATE_IDEA_COMMENTS")
    verdict = ratelimit.check(
        "idea-comment", f"user:{user.pk}", limit=rate.limit, window=rate.window
    )
    if verdict.over:
        messages.error(request, ratelimit.wait_message(verdict.retry_after))
        return redirect(back)
    try:
        services.comment_add(author=user, idea=idea, text=form.cleaned_data["text"])
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("Thank you. Your comment is published once a moderator reads it.")
        )
    return redirect(back)


urlpatterns: list[URLPattern] = [
    path("calls/", calls, name="calls"),
    path("calls/<int:pk>/", call_detail, name="call"),
    path("<int:pk>/comments/", comment_add, name="comment_add"),
]
