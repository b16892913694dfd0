"""The daily digest for staff: one e-mail a day, in the user's language, with what needs them.

For each active user holding a staff grant and an e-mail address: appeals on which they are named
(executor or handler) that are due within three working days or overdue, events they manage that
start tomorrow, and event reports overdue in their scope. A user with nothing to report gets no
e-mail. The idempotency key ``digest:<user>:<date>`` makes a second run on the same day a no-op.

Only registration numbers, bodies and dates are listed: the applicant's data and the text of an
appeal stay in the workspace.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from birlik.access import policies
from birlik.access.models import User
from birlik.core.workdays import LEGAL_TZ, legal_date, legal_today

from .models import Notice
from .services import notice_queue

DUE_SOON_WORKING_DAYS = 3
# Each section lists at most this many rows, then says how many more wait in the workspace.
SECTION_LIMIT = 20
UPCOMING = ("planned", "open")


@dataclass
class Digest:
    user: User
    day: datetime.date
    due_soon: list[Any] = field(default_factory=list)
    due_soon_total: int = 0
    overdue: list[Any] = field(default_factory=list)
    overdue_total: int = 0
    tomorrow: list[Any] = field(default_factory=list)
    tomorrow_total: int = 0
    reports: list[Any] = field(default_factory=list)
    reports_total: int = 0

    @property
    def empty(self) -> bool:
        totals = (self.due_soon_total, self.overdue_total, self.tomorrow_total, self.reports_total)
        return not any(totals)


def digest_key(user: User, day: datetime.date) -> str:
    return f"digest:{user.pk}:{day.isoformat()}"


def staff_recipients() -> QuerySet[User]:
    """Active users with an e-mail address and at least one active staff grant."""
    return (
        User.objects.filter(
            is_active=True,
            grants__revoked_at__isnull=True,
            grants__role__in=policies.STAFF_ROLES,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _first(qs: QuerySet[Any]) -> tuple[list[Any], int]:
    rows = list(qs[: SECTION_LIMIT + 1])
    if len(rows) <= SECTION_LIMIT:
        return rows, len(rows)
    return rows[:SECTION_LIMIT], qs.count()


def _appeals(digest: Digest) -> None:
    if not apps.is_installed("birlik.appeals"):
        return
    from birlik.appeals import queries
    from birlik.appeals.models import Appeal, AppealHandler

    user, day = digest.user, digest.day
    named = AppealHandler.objects.filter(user=user).values("appeal_id")
    mine = (
        Appeal.objects.filter(Q(executor=user) | Q(pk__in=named))
        .select_related("organisation")
        .order_by("effective_due", "number")
    )
    digest.overdue, digest.overdue_total = _first(queries.appeals_overdue(on=day, qs=mine))
    digest.due_soon, digest.due_soon_total = _first(
        queries.appeals_due_soon(on=day, days=DUE_SOON_WORKING_DAYS, qs=mine)
    )


def _events(digest: Digest) -> None:
    from birlik.events import queries as event_queries
    from birlik.events.models import Event

    user, day = digest.user, digest.day
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), LEGAL_TZ)
    end = start + datetime.timedelta(days=1)
    managed = policies.roots(user, policies.STAFF_ROLES)
    if managed:
        tomorrow = (
            Event.objects.filter(policies.prefix_q("organiser__path", managed))
            .filter(status__in=UPCOMING, starts_at__gte=start, starts_at__lt=end)
            .select_related("organiser")
            .order_by("starts_at", "pk")
        )
        digest.tomorrow, digest.tomorrow_total = _first(tomorrow)
    late = policies.scoped(
        event_queries.events_report_late(now=timezone.now()), user
    ).select_related("organiser")
    digest.reports, digest.reports_total = _first(late.order_by("ends_at", "pk"))


def digest_for(user: User, day: datetime.date) -> Digest:
    digest = Digest(user=user, day=day)
    _appeals(digest)
    _events(digest)
    return digest


def _date(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def _more(shown: int, total: int) -> list[str]:
    rest = total - shown
    if rest <= 0:
        return []
    return [
        ngettext(
            "… and %(count)d more in the workspace.", "… and %(count)d more in the workspace.", rest
        )
        % {"count": rest}
    ]


def _workspace_url() -> str:
    try:
        return settings.SITE_URL.rstrip("/") + reverse("workspace:home")
    except NoReverseMatch:
        return settings.SITE_URL


def digest_render(digest: Digest) -> tuple[str, str]:
    """Subject and text of the digest in the active language."""
    user = digest.user
    subject = gettext("Birlik: your summary for %(date)s") % {"date": _date(digest.day)}
    lines = [gettext("Hello, %(name)s.") % {"name": user.full_name or user.username}, ""]
    if digest.overdue_total:
        lines.append(
            ngettext(
                "%(count)d appeal you handle is overdue:",
                "%(count)d appeals you handle are overdue:",
                digest.overdue_total,
            )
            % {"count": digest.overdue_total}
        )
        for appeal in digest.overdue:
            lines.append(
                "- "
                + gettext("%(number)s, %(body)s: the answer was due on %(due)s")
                % {
                    "number": appeal.number,
                    "body": appeal.organisation.name,
                    "due": _date(appeal.effective_due),
                }
            )
        lines += _more(len(digest.overdue), digest.overdue_total) + [""]
    if digest.due_soon_total:
        lines.append(
            ngettext(
                "%(count)d appeal you handle is due within %(days)s working days:",
                "%(count)d appeals you handle are due within %(days)s working days:",
                digest.due_soon_total,
            )
            % {"count": digest.due_soon_total, "days": DUE_SOON_WORKING_DAYS}
        )
        for appeal in digest.due_soon:
            lines.append(
                "- "
                + gettext("%(number)s, %(body)s: answer due on %(due)s")
                % {
                    "number": appeal.number,
                    "body": appeal.organisation.name,
                    "due": _date(appeal.effective_due),
                }
            )
        lines += _more(len(digest.due_soon), digest.due_soon_total) + [""]
    if digest.tomorrow_total:
        lines.append(
            ngettext(
                "%(count)d event you manage starts tomorrow:",
                "%(count)d events you manage start tomorrow:",
                digest.tomorrow_total,
            )
            % {"count": digest.tomorrow_total}
        )
        for event in digest.tomorrow:
            lines.append(
                "- "
                + gettext("%(time)s %(title)s (%(body)s)")
                % {
                    "time": event.starts_at.astimezone(LEGAL_TZ).strftime("%H:%M"),
                    "title": event.title,
                    "body": event.organiser.name,
                }
            )
        lines += _more(len(digest.tomorrow), digest.tomorrow_total) + [""]
    if digest.reports_total:
        lines.append(
            ngettext(
                "%(count)d event report is overdue:",
                "%(count)d event reports are overdue:",
                digest.reports_total,
            )
            % {"count": digest.reports_total}
        )
        for event in digest.reports:
            lines.append(
                "- "
                + gettext("%(title)s (%(body)s), ended on %(date)s")
                % {
                    "title": event.title,
                    "body": event.organiser.name,
                    "date": _date(legal_date(event.ends_at)),
                }
            )
        lines += _more(len(digest.reports), digest.reports_total) + [""]
    lines.append(gettext("Open the workspace: %(url)s") % {"url": _workspace_url()})
    lines.append(
        gettext("You receive this summary once a day because you are a member of staff in Birlik.")
    )
    return subject, "\n".join(lines)


def staff_digest_queue(*, day: datetime.date | None = None) -> int:
    """Queue today's digest for every member of staff who has something to do; returns how
    many were queued. Running it again the same day queues nothing more."""
    day = day or legal_today()
    queued = 0
    for user in staff_recipients():
        key = digest_key(user, day)
        if Notice.objects.filter(idempotency_key=key).exists():
            continue
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            digest = digest_for(user, day)
            if digest.empty:
                continue
            subject, body = digest_render(digest)
        paths = policies.roots(user, policies.STAFF_ROLES)
        if notice_queue(
            channel=Notice.Channel.EMAIL,
            recipient=user.email,
            subject=subject,
            body=body,
            key=key,
            language=language,
            organisation_path=paths[0] if len(paths) == 1 else "",
        ):
            queued += 1
    return queued
