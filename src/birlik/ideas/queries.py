"""Every read of the ideas platform that pages, jobs and indicators share. Each slice keeps its
own section."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from birlik.access import policies

from .models import Call, Comment, Idea, Milestone, Support

# --- (ideas-citizen) ------------------------------------------------------------------------------
# Public: published ideas, and those merged into another or withdrawn after publication (their
# pages say so and link on). Pending and rejected ideas are the author's and the staff's only.


def published_ideas(qs: QuerySet[Idea] | None = None) -> QuerySet[Idea]:
    """Ideas anyone reads and supports: published, neither merged nor withdrawn."""
    return (Idea.objects.all() if qs is None else qs).filter(status=Idea.Status.PUBLISHED)


def public_idea_q() -> Q:
    """Ideas with a public page: published, merged into another, or withdrawn once published."""
    return Q(status__in=(Idea.Status.PUBLISHED, Idea.Status.MERGED)) | Q(
        status=Idea.Status.WITHDRAWN, published_at__isnull=False
    )


def is_public(idea: Idea) -> bool:
    """Whether the idea has a public page (the rule of ``public_idea_q`` for one row)."""
    if idea.status in (Idea.Status.PUBLISHED, Idea.Status.MERGED):
        return True
    return idea.status == Idea.Status.WITHDRAWN and idea.published_at is not None


def visible_idea_or_404(request_user: Any, **lookup: Any) -> Idea:
    """An idea this user may read: public, or their own, or in the scope of their staff role;
    anything else is "not found"."""
    idea = (
        Idea.objects.select_related(
            "call", "call__organisation", "organisation", "region", "category", "merged_into"
        )
        .filter(**lookup)
        .first()
    )
    if idea is None:
        raise Http404
    if is_public(idea):
        return idea
    if getattr(request_user, "is_authenticated", False) and (
        idea.author_id == request_user.pk
        or policies.can(request_user, "ideas.view_workspace", idea)
    ):
        return idea
    raise Http404


def supported_by(user: Any, ideas: Iterable[Idea | int]) -> set[int]:
    """The ids among ``ideas`` that ``user`` supports (one query; none for the anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    ids = [item if isinstance(item, int) else item.pk for item in ideas]
    if not ids:
        return set()
    return set(
        Support.objects.filter(user_id=user.pk, idea_id__in=ids).values_list("idea_id", flat=True)
    )


def support_threshold(idea: Idea) -> int:
    """Supports an idea needs for an official answer: its call's threshold, or the open
    platform's (``IDEAS_OPEN_THRESHOLD``)."""
    if idea.call_id is not None and idea.call is not None:
        return int(idea.call.threshold)
    return int(getattr(settings, "IDEAS_OPEN_THRESHOLD", 100))


def answer_working_days(idea: Idea) -> int:
    """Working days the body has for the official answer: its call's, or the open platform's
    (``IDEAS_ANSWER_WORKING_DAYS``)."""
    if idea.call_id is not None and idea.call is not None:
        return int(idea.call.answer_working_days)
    return int(getattr(settings, "IDEAS_ANSWER_WORKING_DAYS", 15))


def calls_collecting(*, on: Any) -> QuerySet[Call]:
    """Published calls that accept ideas on the day ``on``."""
    return Call.objects.filter(
        status=Call.Status.OPEN, opens_on__lte=on, collect_until__gte=on
    ).select_related("organisation")


def calls_supporting(*, on: Any) -> QuerySet[Call]:
    """Published calls whose ideas may be supported on ``on`` (collecting and support phases)."""
    return Call.objects.filter(status=Call.Status.OPEN, opens_on__lte=on, support_until__gte=on)


def support_closed_reason(idea: Idea, *, on: datetime.date) -> str:
    """Why the idea takes no support (nor its withdrawal) on ``on``; "" when it does."""
    if idea.status == Idea.Status.MERGED and idea.merged_into_id is not None:
        into = Idea.objects.filter(pk=idea.merged_into_id).values_list("number", flat=True).first()
        return _("This idea was merged into %(number)s: support that idea instead.") % {
            "number": into or ""
        }
    if idea.status != Idea.Status.PUBLISHED:
        return _("Only published ideas can be supported.")
    call = idea.call
    if call is None:
        return ""
    if call.status == Call.Status.OPEN and on > call.support_until:
        return _("Support for the ideas of this call was gathered until %(date)s.") % {
            "date": call.support_until.strftime("%d.%m.%Y")
        }
    if call.status != Call.Status.OPEN or call.phase_on(on) not in (
        Call.Phase.COLLECTING,
        Call.Phase.SUPPORT,
    ):
        return _("This call does not gather support now.")
    return ""


def ideas_of_author(user: Any) -> QuerySet[Idea]:
    """An author's own ideas, whatever their status, newest first."""
    return (
        Idea.objects.filter(author_id=user.pk)
        .select_related("call", "category", "region", "merged_into")
        .order_by("-created_at", "-id")
    )


# --- (ideas-staff) --------------------------------------------------------------------------------


def _ideas(qs: QuerySet[Idea] | None) -> QuerySet[Idea]:
    return qs if qs is not None else Idea.objects.all()


def ideas_awaiting_moderation(qs: QuerySet[Idea] | None = None) -> QuerySet[Idea]:
    """Ideas submitted and not yet published or rejected by a moderator."""
    return _ideas(qs).filter(status=Idea.Status.PENDING)


def comments_awaiting(qs: QuerySet[Comment] | None = None) -> QuerySet[Comment]:
    """Comments waiting for a moderator, on ideas that are still public."""
    return (qs if qs is not None else Comment.objects.all()).filter(
        status=Comment.Status.PENDING, idea__status=Idea.Status.PUBLISHED
    )


def ideas_answer_open(qs: QuerySet[Idea] | None = None) -> QuerySet[Idea]:
    """Published ideas whose answer clock runs: the threshold was reached, no answer yet."""
    return _ideas(qs).filter(
        status=Idea.Status.PUBLISHED, answer_due__isnull=False, answered_on__isnull=True
    )


def ideas_answer_overdue(*, on: datetime.date, qs: QuerySet[Idea] | None = None) -> QuerySet[Idea]:
    """Ideas still without their official answer after the day it was due."""
    return ideas_answer_open(qs).filter(answer_due__lt=on)


def ideas_answered_late(qs: QuerySet[Idea] | None = None) -> QuerySet[Idea]:
    """Ideas answered after their due date (a late answer stays late)."""
    return _ideas(qs).filter(answered_on__isnull=False, answered_on__gt=F("answer_due"))


def ideas_answered_on_time(qs: QuerySet[Idea] | None = None) -> QuerySet[Idea]:
    """Ideas whose clock ran and that were answered on or before the due date."""
    return _ideas(qs).filter(answered_on__isnull=False, answered_on__lte=F("answer_due"))


def ideas_answer_counted(*, on: datetime.date, qs: QuerySet[Idea] | None = None) -> QuerySet[Idea]:
    """The ideas the on-time share is taken of: their clock ran and they were answered, or
    their due date has passed (an open one past its date counts as not on time)."""
    return (
        _ideas(qs)
        .filter(answer_due__isnull=False)
        .filter(Q(answered_on__isnull=False) | Q(answer_due__lt=on))
    )


def ideas_followed(qs: QuerySet[Idea] | None = None) -> QuerySet[Idea]:
    """Ideas accepted or partly accepted: followed to a result."""
    return _ideas(qs).filter(decision__in=[Idea.Decision.ACCEPTED, Idea.Decision.PARTLY])


def calls_public(qs: QuerySet[Call] | None = None) -> QuerySet[Call]:
    """Calls the public sees: published ones (a cancelled call stays readable by its address)."""
    return (qs if qs is not None else Call.objects.all()).filter(status=Call.Status.OPEN)


def published_comments(idea: Idea) -> QuerySet[Comment]:
    return Comment.objects.filter(idea=idea, status=Comment.Status.PUBLISHED).order_by(
        "created_at", "id"
    )


def idea_milestones(idea: Idea) -> QuerySet[Milestone]:
    return Milestone.objects.filter(idea=idea).order_by("position", "id")


def workspace_counts(
    *, ideas: QuerySet[Idea], comments: QuerySet[Comment], on: datetime.date
) -> dict[str, int]:
    """The workspace's counters for the ideas and comments in scope, in two queries."""
    counts = ideas.aggregate(
        pending=Count("pk", filter=Q(status=Idea.Status.PENDING)),
        answers_due=Count(
            "pk",
            filter=Q(
                status=Idea.Status.PUBLISHED, answer_due__isnull=False, answered_on__isnull=True
            ),
        ),
        overdue=Count(
            "pk",
            filter=Q(
                status=Idea.Status.PUBLISHED,
                answer_due__lt=on,
                answered_on__isnull=True,
            ),
        ),
    )
    counts["comments"] = comments_awaiting(comments).count()
    return {key: int(value or 0) for key, value in counts.items()}


# --- (ideas-similar) ------------------------------------------------------------------------------
