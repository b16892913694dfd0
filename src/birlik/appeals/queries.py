"""Reads of appeals shared by the inbox, the figures, the staff digest and the daily jobs: each
rule about which appeals are overdue, due soon, answered on time or waiting for a redirection is
written here once. Legal dates are Asia/Almaty dates (``birlik.core.workdays``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext, ngettext

from birlik.access.models import User
from birlik.core.listing import LiteralIn
from birlik.core.workdays import LEGAL_TZ, add_working_days, legal_midnight, working_days_left
from birlik.notify.models import Notice
from birlik.registry.models import Organisation

from .models import Appeal, AppealHandler


def _all(qs: QuerySet[Appeal] | None) -> QuerySet[Appeal]:
    # ``qs or ...`` would run the query set to test its truth.
    return qs if qs is not None else Appeal.objects.all()


def open_q() -> Q:
    """Appeals still to be answered: registered, being considered or extended."""
    # Written as the partial index's WHERE (migration 0008), so SQLite can use it too.
    return Q(LiteralIn("status", Appeal.OPEN_STATUSES))


def overdue_q(on: datetime.date) -> Q:
    """Open appeals whose term, extension included, ended before ``on``."""
    return open_q() & Q(effective_due__lt=on)


def to_redirect_q() -> Q:
    """Appeals nobody has started considering (no executor yet) and not sent on: a redirection
    to a competent body is still to be decided."""
    return Q(
        LiteralIn("status", [Appeal.Status.REGISTERED]),
        redirected_to__isnull=True,
        redirect_by__isnull=False,
    )


def appeals_open(*, qs: QuerySet[Appeal] | None = None) -> QuerySet[Appeal]:
    return _all(qs).filter(open_q())


def appeals_overdue(*, on: datetime.date, qs: QuerySet[Appeal] | None = None) -> QuerySet[Appeal]:
    """Open appeals whose term, extension included, ended before ``on``."""
    return _all(qs).filter(overdue_q(on))


# "Due soon": within three working days, today included (the inbox's queue, the page's badge).
DUE_SOON_DAYS = 3


def due_soon_last_day(*, on: datetime.date, days: int) -> datetime.date:
    return add_working_days(on, days)


def appeals_due_soon(
    *, on: datetime.date, days: int, qs: QuerySet[Appeal] | None = None
) -> QuerySet[Appeal]:
    """Open appeals due from ``on`` up to ``days`` working days after it, both included."""
    last = due_soon_last_day(on=on, days=days)
    return _all(qs).filter(open_q(), effective_due__gte=on, effective_due__lte=last)


def appeals_to_redirect(
    *, on: datetime.date, qs: QuerySet[Appeal] | None = None
) -> QuerySet[Appeal]:
    """Appeals received by ``on`` whose redirection is still to be decided, within or past
    their redirect-by date (ordered by it in the inbox)."""
    return _all(qs).filter(
        to_redirect_q(), received_at__lt=legal_midnight(on + datetime.timedelta(days=1))
    )


def appeals_redirection_overdue(
    *, on: datetime.date, qs: QuerySet[Appeal] | None = None
) -> QuerySet[Appeal]:
    """Appeals still to be redirected (or taken on) after their redirect-by date."""
    return appeals_to_redirect(on=on, qs=qs).filter(redirect_by__lt=on)


def appeals_redirected_late(*, qs: QuerySet[Appeal] | None = None) -> QuerySet[Appeal]:
    """Appeals sent on to a competent body after their redirect-by date."""
    return _all(qs).filter(status=Appeal.Status.REDIRECTED, redirected_late=True)


def appeals_not_considered(*, qs: QuerySet[Appeal] | None = None) -> QuerySet[Appeal]:
    """Anonymous appeals, left without consideration (APPC)."""
    return _all(qs).filter(status=Appeal.Status.NOT_CONSIDERED)


def appeals_of_handler(*, user: User, qs: QuerySet[Appeal] | None = None) -> QuerySet[Appeal]:
    """Appeals on which ``user`` is named (``AppealHandler``) or is the executor.

    One ``IN`` over the union of both, not ``IN (...) OR executor = ...``: an ``OR`` with a
    subquery cannot use an index, and would read every appeal to find a user's few."""
    named = AppealHandler.objects.filter(user=user).order_by().values("appeal_id")
    executing = Appeal.objects.filter(executor=user).order_by().values("id")
    return _all(qs).filter(pk__in=named.union(executing))


def appeals_under(*, body: Organisation, qs: QuerySet[Appeal] | None = None) -> QuerySet[Appeal]:
    """Appeals to ``body`` and to the bodies below it, as ``organisation_id IN (...)`` (as the
    scope rule does), so the queues' indexes still give the order."""
    bodies = Organisation.objects.filter(path__startswith=body.path).values("pk")
    return _all(qs).filter(organisation__in=bodies)


# Each queue's order, with the primary key last (keyset pagination); each has an index
# (``Appeal.Meta.indexes``, migration 0008).
INBOX_ORDERS: dict[str, tuple[str, ...]] = {
    "open": ("effective_due", "id"),
    "due_soon": ("effective_due", "id"),
    "overdue": ("effective_due", "id"),
    "to_redirect": ("redirect_by", "id"),
}
INBOX_DEFAULT_ORDER = ("-id",)


def inbox_order(queue: str) -> tuple[str, ...]:
    """The order of an inbox queue: by term for the open ones, newest first for the others."""
    return INBOX_ORDERS.get(queue, INBOX_DEFAULT_ORDER)


def with_overdue_flag(qs: QuerySet[Appeal], *, on: datetime.date) -> QuerySet[Appeal]:
    """Each appeal with ``is_overdue``: pages mark overdue appeals by the same rule."""
    return qs.annotate(is_overdue=ExpressionWrapper(overdue_q(on), output_field=BooleanField()))


def _answered(qs: QuerySet[Appeal] | None, on_time: bool) -> QuerySet[Appeal]:
    answered_on = "answered_on__lte" if on_time else "answered_on__gt"
    return (
        _all(qs)
        .annotate(answered_on=TruncDate("answered_at", tzinfo=LEGAL_TZ))
        .filter(Q(answered_at__isnull=False) & Q(**{answered_on: F("effective_due")}))
    )


def appeals_answered_on_time(*, qs: QuerySet[Appeal] | None = None) -> QuerySet[Appeal]:
    """Answered on or before their term (an extension included), by the day in Almaty."""
    return _answered(qs, on_time=True)


def appeals_answered_late(*, qs: QuerySet[Appeal] | None = None) -> QuerySet[Appeal]:
    """Answered after their term (an extension included), by the day in Almaty."""
    return _answered(qs, on_time=False)


@dataclass(frozen=True)
class NoticeState:
    channel: str
    status: str
    created_at: datetime.datetime
    sent_at: datetime.datetime | None

    @property
    def channel_label(self) -> str:
        return str(Notice.Channel(self.channel).label)


def extension_notices(appeal: Appeal) -> list[NoticeState]:
    """The applicant's notices of the current extension (one per channel) as the outbox has
    them: queued, sent or failed."""
    if appeal.extended_until is None:
        return []
    prefix = f"appeal:{appeal.pk}:extended:{appeal.extended_until}:"
    rows = (
        Notice.objects.filter(idempotency_key__startswith=prefix)
        .order_by("channel")
        .values_list("channel", "status", "created_at", "sent_at")
    )
    return [NoticeState(*row) for row in rows]


@dataclass(frozen=True)
class TermLeft:
    """How an open appeal's term stands on a day, in working days (negative once past), for
    the page's badge (the ``_days_left.html`` partial: ``due``, ``tone``, ``text``)."""

    due: datetime.date
    working_days: int
    # "late", "soon" or "ok", by the rules of ``appeals_overdue`` and ``appeals_due_soon``.
    tone: str

    @property
    def text(self) -> str:
        if self.tone == "late":
            late = -self.working_days
            if late <= 0:  # the day after the term was a day off
                return gettext("overdue")
            return ngettext("%(count)s working day late", "%(count)s working days late", late) % {
                "count": late
            }
        if self.working_days == 0:
            return gettext("last day today")
        return ngettext(
            "%(count)s working day left", "%(count)s working days left", self.working_days
        ) % {"count": self.working_days}


def term_left(appeal: Appeal, *, on: datetime.date, days: int = DUE_SOON_DAYS) -> TermLeft | None:
    """The term of an open appeal (its extension included) on ``on``; None once it is closed,
    answered or sent on."""
    if not appeal.is_open:
        return None
    due = appeal.effective_due
    if due < on:
        tone = "late"
    elif due <= due_soon_last_day(on=on, days=days):
        tone = "soon"
    else:
        tone = "ok"
    return TermLeft(due=due, working_days=working_days_left(on, due), tone=tone)


def person_name(user: User | None) -> str:
    """How staff are named on appeal pages: the full name, never the login (the e-mail, else
    "a member of staff", when an account has no name)."""
    if user is None:
        return ""
    name = str(user.full_name or user.get_full_name() or user.email or "").strip()
    return name or gettext("a member of staff")
