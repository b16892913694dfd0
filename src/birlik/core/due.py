"""Days left to a due date, as record pages show it: a short text and a tone for its colour."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

SOON_DAYS = 3


def tone(days: int) -> str:
    """``late`` (past), ``soon`` (today or within three days) or ``ok``: the CSS suffix of every
    days-left badge (``due-late``, ``due-soon``, ``due-ok``)."""
    if days < 0:
        return "late"
    return "soon" if days <= SOON_DAYS else "ok"


@dataclass(frozen=True)
class DaysLeft:
    """Calendar days from ``today`` to ``due``: negative once the date is past."""

    due: datetime.date
    days: int

    @property
    def tone(self) -> str:
        return tone(self.days)

    @property
    def text(self) -> str:
        if self.days < 0:
            late = -self.days
            return ngettext("%(count)s day overdue", "%(count)s days overdue", late) % {
                "count": late
            }
        if self.days == 0:
            return gettext("due today")
        return ngettext("%(count)s day left", "%(count)s days left", self.days) % {
            "count": self.days
        }


def days_left(due: datetime.date | None, today: datetime.date) -> DaysLeft | None:
    """The badge of a due date, or None when there is no date."""
    if due is None:
        return None
    return DaysLeft(due=due, days=(due - today).days)
