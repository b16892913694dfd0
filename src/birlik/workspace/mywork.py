"""The "my work" home: what waits for the signed-in user, counted in their scope.

Each item counts the rows of one list page (the rule is the domain app's own query) and tells
the days left to the nearest deadline. The number of queries does not grow with the data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from birlik.access import policies
from birlik.appeals import queries as appeal_queries
from birlik.appeals.models import Appeal, Proposal
from birlik.charity.models import HelpRequest
from birlik.core import due
from birlik.core.workdays import legal_today
from birlik.events import queries as event_queries
from birlik.events.models import Event
from birlik.ideas import queries as idea_queries
from birlik.ideas.models import Idea
from birlik.imports.models import ImportJob
from birlik.mediation import queries as mediation_queries
from birlik.mediation.models import MediationCase
from birlik.surveys import queries as survey_queries
from birlik.surveys.models import Recommendation

# The inbox's "due soon" queue: three working days, today included.
DUE_SOON_WORKING_DAYS = 3
# Imports listed on the home page by name (the oldest first).
IMPORTS_SHOWN = 5


@dataclass(frozen=True)
class Entry:
    """A record named under an item (an import waiting for its owner)."""

    label: str
    url: str


@dataclass(frozen=True)
class WorkItem:
    """One kind of waiting work: how many, where the list is, how near the nearest deadline."""

    key: str
    label: str
    count: int
    url: str
    days_left: int | None = None  # to the nearest deadline; negative once it has passed
    entries: list[Entry] = field(default_factory=list)

    @property
    def tone(self) -> str:
        """The badge's colour, by the rule of every days-left badge; empty without a term."""
        return "" if self.days_left is None else due.tone(self.days_left)

    @property
    def badge(self) -> str:
        """The nearest deadline in words: the badge says it, not its colour alone."""
        if self.days_left is None:
            return ""
        if self.days_left < 0:
            late = -self.days_left
            return ngettext(
                "the oldest %(days)s day overdue", "the oldest %(days)s days overdue", late
            ) % {"days": late}
        if self.days_left == 0:
            return _("the nearest due today")
        return ngettext(
            "the nearest in %(days)s day", "the nearest in %(days)s days", self.days_left
        ) % {"days": self.days_left}


def _url(name: str, **query: str) -> str:
    base = reverse(name)
    return f"{base}?{urlencode(query)}" if query else base


def _days(nearest: datetime.date | None, today: datetime.date) -> int | None:
    return None if nearest is None else (nearest - today).days


def _count_and_nearest(qs: QuerySet[Any], field_name: str) -> tuple[int, Any]:
    """How many rows and the smallest ``field_name`` among them, in one query."""
    row = qs.order_by().aggregate(count=Count("pk"), nearest=Min(field_name))
    return int(row["count"]), row["nearest"]


def _appeals(user: Any, today: datetime.date) -> list[WorkItem]:
    if not policies.can(user, "appeals.view_register"):
        return []
    mine = policies.scoped(Appeal.objects.all(), user)
    items = []
    for key, label, qs, field_name in (
        (
            "overdue",
            _("Appeals overdue"),
            appeal_queries.appeals_overdue(on=today, qs=mine),
            "effective_due",
        ),
        (
            "due_soon",
            _("Appeals due soon"),
            appeal_queries.appeals_due_soon(on=today, days=DUE_SOON_WORKING_DAYS, qs=mine),
            "effective_due",
        ),
        (
            "to_redirect",
            _("Appeals to redirect"),
            appeal_queries.appeals_to_redirect(on=today, qs=mine),
            "redirect_by",
        ),
    ):
        count, nearest = _count_and_nearest(qs, field_name)
        items.append(
            WorkItem(
                key=f"appeals_{key}",
                label=label,
                count=count,
                url=_url("appeals:inbox", queue=key),
                days_left=_days(nearest, today) if count else None,
            )
        )
    return items


def _event_reports(user: Any, today: datetime.date) -> list[WorkItem]:
    if not policies.can(user, "events.report_event"):
        return []
    late = event_queries.events_report_late(
        now=timezone.now(), qs=policies.scoped(Event.objects.all(), user)
    )
    count, ended = _count_and_nearest(late, "ends_at")
    days_left = None
    if count:
        deadline = timezone.localtime(ended).date() + datetime.timedelta(
            days=settings.EVENT_REPORT_DAYS
        )
        days_left = _days(deadline, today)
    return [
        WorkItem(
            key="event_reports_late",
            label=_("Event reports late"),
            count=count,
            url=_url("events:list", late="on"),
            days_left=days_left,
        )
    ]


def _charity(user: Any) -> list[WorkItem]:
    if not policies.can(user, "charity.view_register"):
        return []
    waiting = policies.scoped(HelpRequest.objects.all(), user).filter(
        status=HelpRequest.Status.RECEIVED
    )
    return [
        WorkItem(
            key="charity_to_verify",
            label=_("Requests for help to verify"),
            count=waiting.order_by().count(),
            url=_url("charity:requests", status=HelpRequest.Status.RECEIVED),
        )
    ]


def _mediation(user: Any, today: datetime.date) -> list[WorkItem]:
    # Cases are confidential: only their mediators and the centre's heads count them.
    if not policies.can(user, "mediation.view_cases"):
        return []
    due = mediation_queries.cases_follow_up_due(
        on=today, qs=policies.scoped(MediationCase.objects.all(), user)
    )
    count, nearest = _count_and_nearest(due, "execution_due")
    return [
        WorkItem(
            key="mediation_follow_ups",
            label=_("Mediation follow-ups due"),
            count=count,
            url=_url("mediation:cases", follow_up="1"),
            days_left=_days(nearest, today) if count else None,
        )
    ]


def _imports(user: Any) -> list[WorkItem]:
    """The user's own imports waiting for them: columns to choose or a check to confirm."""
    if not policies.has_role(user, policies.STAFF_ROLES):
        return []
    waiting = list(
        ImportJob.objects.filter(
            user=user, status__in=[ImportJob.Status.UPLOADED, ImportJob.Status.READY]
        )
        .select_related("organisation")
        .order_by("created_at", "id")[: IMPORTS_SHOWN + 1]
    )
    count = len(waiting)
    if count > IMPORTS_SHOWN:
        count = (
            ImportJob.objects.filter(
                user=user, status__in=[ImportJob.Status.UPLOADED, ImportJob.Status.READY]
            )
            .order_by()
            .count()
        )
    entries = [
        Entry(
            label=_("%(file)s into “%(body)s”")
            % {"file": job.filename or job.kind, "body": job.organisation.name},
            url=reverse("workspace:import_review", kwargs={"token": job.token}),
        )
        for job in waiting[:IMPORTS_SHOWN]
    ]
    return [
        WorkItem(
            key="imports_waiting",
            label=_("Imports waiting for review"),
            count=count,
            url=entries[0].url if entries else "",
            entries=entries,
        )
    ]


def _proposals(user: Any) -> list[WorkItem]:
    if not policies.can(user, "appeals.approve_proposal"):
        return []
    drafts = policies.scoped(Proposal.objects.all(), user).filter(status=Proposal.Status.DRAFT)
    return [
        WorkItem(
            key="proposals_to_approve",
            label=_("Proposals awaiting approval"),
            count=drafts.order_by().count(),
            url=_url("appeals:proposals", status=Proposal.Status.DRAFT),
        )
    ]


def _recommendations(user: Any, today: datetime.date) -> list[WorkItem]:
    """The expert council's recommendations awaiting the user's answer (sent to their body, or
    a state body's answer their council records) or their council's decision."""
    keeps = policies.can(user, "surveys.keep_council")
    if not keeps and not policies.has_role(user, policies.STAFF_ROLES):
        return []
    readable = policies.scoped(Recommendation.objects.all(), user)
    to_answer = survey_queries.recommendations_awaiting_answer(user=user, qs=readable)
    count, nearest = _count_and_nearest(to_answer, "response_due")
    items = []
    if count or keeps:  # staff of other bodies see the item only when one is addressed to them
        items.append(
            WorkItem(
                key="recommendations_to_answer",
                label=_("Recommendations awaiting an answer"),
                count=count,
                url=_url("surveys:recommendations", queue="to_answer"),
                days_left=_days(nearest, today) if count else None,
            )
        )
    if keeps:
        to_decide = survey_queries.recommendations_awaiting_decision(user=user, qs=readable)
        items.append(
            WorkItem(
                key="recommendations_to_decide",
                label=_("Recommendations awaiting the council's decision"),
                count=to_decide.order_by().count(),
                url=_url("surveys:recommendations", queue="to_decide"),
            )
        )
    return items


def _ideas(user: Any, today: datetime.date) -> list[WorkItem]:
    """Ideas of the Platform of creative solutions waiting for a moderator or for their
    official answer, in the user's scope; shown only when there are some."""
    if not policies.can(user, "ideas.moderate"):
        return []
    mine = policies.scoped(Idea.objects.all(), user)
    items = []
    pending = idea_queries.ideas_awaiting_moderation(mine).order_by().count()
    if pending:
        items.append(
            WorkItem(
                key="ideas_to_moderate",
                label=_("Ideas awaiting moderation"),
                count=pending,
                url=_url("ideas:moderation"),
            )
        )
    count, nearest = _count_and_nearest(idea_queries.ideas_answer_open(mine), "answer_due")
    if count:
        items.append(
            WorkItem(
                key="ideas_to_answer",
                label=_("Ideas awaiting an official answer"),
                count=count,
                url=_url("ideas:answers"),
                days_left=_days(nearest, today),
            )
        )
    return items


def my_work(user: Any, *, today: datetime.date | None = None) -> list[WorkItem]:
    """Every kind of work the user's roles give them, in their scope, in the menu's order."""
    day = today or legal_today()
    return [
        *_appeals(user, day),
        *_proposals(user),
        *_recommendations(user, day),
        *_ideas(user, day),
        *_event_reports(user, day),
        *_mediation(user, day),
        *_charity(user),
        *_imports(user),
    ]
