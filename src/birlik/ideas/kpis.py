"""Indicators of the ideas platform: ideas, supporters and supports (ideas-citizen), answers on
time and implementation (ideas-staff). Each slice keeps its own section."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from birlik.core.kpi import Period, Row, dimension_labels, indicator
from birlik.geo.labels import NO_REGION

from . import queries
from .models import Call, Idea, Support

# --- (ideas-citizen) ------------------------------------------------------------------------------
# Ideas submitted count every idea that entered the platform in the period: published, waiting
# for moderation, merged into another (a duplicate is still an idea someone wrote) and withdrawn
# after publication; ideas the moderators did not publish and those withdrawn before it are left
# out. An idea's region is its own, else its body's (a call's ideas without one count in the
# call's region; open-platform ideas without one, with the national bodies).

OPEN_PLATFORM = "open"  # the ``idea_call`` code of ideas given to no call


def _moments(field: str, period: Period) -> Q:
    def midnight(day: datetime.date) -> datetime.datetime:
        return datetime.datetime.combine(
            day, datetime.time.min, tzinfo=timezone.get_current_timezone()
        )

    return Q(
        **{
            f"{field}__gte": midnight(period.start),
            f"{field}__lt": midnight(period.end + datetime.timedelta(days=1)),
        }
    )


def _in_region(prefix: str, region: Any) -> Q:
    return Q(**{f"{prefix}region": region}) | Q(
        **{f"{prefix}region__isnull": True, f"{prefix}organisation__region": region}
    )


def ideas_submitted(period: Period, region: Any = None) -> QuerySet[Idea]:
    """Ideas that entered the platform in the period (see above)."""
    qs = Idea.objects.filter(_moments("created_at", period)).filter(
        Q(status__in=(Idea.Status.PUBLISHED, Idea.Status.PENDING, Idea.Status.MERGED))
        | Q(status=Idea.Status.WITHDRAWN, published_at__isnull=False)
    )
    return qs.filter(_in_region("", region)) if region is not None else qs


def supports_given(period: Period, region: Any = None) -> QuerySet[Support]:
    """Supports given in the period (a support moved by a merge keeps its day)."""
    qs = Support.objects.filter(_moments("created_at", period))
    return qs.filter(_in_region("idea__", region)) if region is not None else qs


def _by_region(qs: QuerySet[Any], prefix: str, value: Any) -> list[Row]:
    rows = (
        qs.annotate(code=Coalesce(f"{prefix}region__iso", f"{prefix}organisation__region__iso"))
        .values("code")
        .annotate(value=value)
        .order_by("code")
    )
    return [{"region": row["code"] or NO_REGION, "value": row["value"]} for row in rows]


@indicator(
    "ideas.submitted",
    name=_("Ideas submitted by region"),
    unit=_("ideas"),
    dimensions=("region",),
    order=1700,
    description=_(
        "Ideas submitted in the period that entered the platform: published, waiting for "
        "moderation, merged into a similar idea or withdrawn after publication. Ideas not "
        "published by the moderators are left out."
    ),
)
def submitted_by_region(period: Period, region: Any) -> list[Row]:
    return _by_region(ideas_submitted(period, region), "", Count("id"))


@indicator(
    "ideas.submitted_by_call",
    name=_("Ideas submitted by call"),
    unit=_("ideas"),
    dimensions=("idea_call",),
    order=1701,
    description=_(
        "The same ideas by the call they answer; ideas given to no call are those of the open "
        "platform."
    ),
)
def submitted_by_call(period: Period, region: Any) -> list[Row]:
    rows = (
        ideas_submitted(period, region)
        .values("call_id")
        .annotate(value=Count("id"))
        .order_by("call_id")
    )
    return [
        {
            "idea_call": str(row["call_id"]) if row["call_id"] else OPEN_PLATFORM,
            "value": row["value"],
        }
        for row in rows
    ]


@indicator(
    "ideas.supporters",
    name=_("Supporters of ideas"),
    unit=_("people"),
    order=1710,
    additive=False,
    description=_(
        "Verified accounts that supported at least one idea in the period, each counted once."
    ),
)
def supporters(period: Period, region: Any) -> list[Row]:
    return [{"value": supports_given(period, region).values("user_id").distinct().count()}]


@indicator(
    "ideas.supports",
    name=_("Supports of ideas by region"),
    unit=_("supports"),
    dimensions=("region",),
    order=1711,
    description=_(
        "Supports given to ideas in the period (one per person and idea), by the idea's region; "
        "withdrawn supports are not counted."
    ),
)
def supports_by_region(period: Period, region: Any) -> list[Row]:
    return _by_region(supports_given(period, region), "idea__", Count("id"))


@dimension_labels("idea_call")
def call_labels() -> dict[str, str]:
    labels = {str(call.pk): str(call.title) for call in Call.objects.all()}
    labels[OPEN_PLATFORM] = str(_("the open platform"))
    return labels


# --- (ideas-staff) --------------------------------------------------------------------------------
# The answer clock: an idea whose support reached the threshold is due an official answer on
# ``answer_due``. An answer given on or before that day is on time; one given later stays late
# for good, and an idea still unanswered after it counts as not answered on time. Shares are
# taken over the ideas whose due date falls in the period; the implementation share over the
# ideas accepted (or partly) by an answer given in the period.

FOLLOWED = (Idea.Decision.ACCEPTED, Idea.Decision.PARTLY)


def ideas_over_threshold(period: Period, region: Any = None) -> QuerySet[Idea]:
    """Ideas whose support reached the threshold in the period (the clock started)."""
    qs = Idea.objects.filter(threshold_reached_on__range=(period.start, period.end))
    return qs.filter(_in_region("", region)) if region is not None else qs


def ideas_answered(period: Period, region: Any = None) -> QuerySet[Idea]:
    """Ideas given their official answer in the period."""
    qs = Idea.objects.filter(answered_on__range=(period.start, period.end))
    return qs.filter(_in_region("", region)) if region is not None else qs


def ideas_due(period: Period, region: Any = None) -> QuerySet[Idea]:
    """Ideas whose official answer was due in the period and which count for the on-time share
    on the period's last day (answered, or their due date has passed)."""
    qs = queries.ideas_answer_counted(
        on=period.as_of + datetime.timedelta(days=1),
        qs=Idea.objects.filter(answer_due__range=(period.start, period.end)),
    )
    return qs.filter(_in_region("", region)) if region is not None else qs


def _call_rows(qs: QuerySet[Idea], value: Any) -> list[Row]:
    rows = qs.values("call_id").annotate(value=value).order_by("call_id")
    return [
        {
            "idea_call": str(row["call_id"]) if row["call_id"] else OPEN_PLATFORM,
            "value": row["value"],
        }
        for row in rows
    ]


def _share_rows(qs: QuerySet[Idea], dimension: str, part: Q) -> list[Row]:
    """The share (%) of ``part`` among the rows of ``qs``, per region or per call, counted in
    the database in one grouped query."""
    if dimension == "region":
        grouped = qs.annotate(code=Coalesce("region__iso", "organisation__region__iso"))
        key = "code"
    else:
        grouped = qs.annotate(code=Coalesce("call_id", Value(0)))
        key = "code"
    rows = (
        grouped.values(key).annotate(total=Count("id"), part=Count("id", filter=part)).order_by(key)
    )
    result = []
    for row in rows:
        if dimension == "region":
            code = row[key] or NO_REGION
        else:
            code = str(row[key]) if row[key] else OPEN_PLATFORM
        result.append({dimension: code, "value": round(100 * row["part"] / row["total"], 1)})
    return result


ON_TIME = Q(answered_on__isnull=False, answered_on__lte=F("answer_due"))
IMPLEMENTED = Q(progress=Idea.Progress.DONE)


@indicator(
    "ideas.over_threshold",
    name=_("Ideas that reached their support threshold, by region"),
    unit=_("ideas"),
    dimensions=("region",),
    order=1720,
    description=_(
        "Ideas whose supports reached the threshold of their call (or of the open platform) in "
        "the period: each is owed an official answer within the set working days."
    ),
)
def over_threshold_by_region(period: Period, region: Any) -> list[Row]:
    return _by_region(ideas_over_threshold(period, region), "", Count("id"))


@indicator(
    "ideas.over_threshold_by_call",
    name=_("Ideas that reached their support threshold, by call"),
    unit=_("ideas"),
    dimensions=("idea_call",),
    order=1721,
    description=_("The same ideas by the call they answer."),
)
def over_threshold_by_call(period: Period, region: Any) -> list[Row]:
    return _call_rows(ideas_over_threshold(period, region), Count("id"))


@indicator(
    "ideas.answered",
    name=_("Ideas given an official answer, by region"),
    unit=_("ideas"),
    dimensions=("region",),
    order=1722,
    description=_("Ideas that received their official answer in the period, on time or late."),
)
def answered_by_region(period: Period, region: Any) -> list[Row]:
    return _by_region(ideas_answered(period, region), "", Count("id"))


@indicator(
    "ideas.answered_late",
    name=_("Official answers given late, by region"),
    unit=_("ideas"),
    dimensions=("region",),
    order=1723,
    description=_("Ideas answered in the period after the day their answer was due."),
)
def answered_late_by_region(period: Period, region: Any) -> list[Row]:
    return _by_region(queries.ideas_answered_late(ideas_answered(period, region)), "", Count("id"))


@indicator(
    "ideas.answered_on_time_share",
    name=_("Share of official answers given on time, by region"),
    unit=_("%"),
    dimensions=("region",),
    order=1724,
    description=_(
        "Of the ideas whose official answer was due in the period and that were answered or "
        "whose due date has passed, the share answered on or before the due date. A late "
        "answer counts as late; an idea still unanswered counts as not on time."
    ),
)
def answered_on_time_share_by_region(period: Period, region: Any) -> list[Row]:
    return _share_rows(ideas_due(period, region), "region", ON_TIME)


@indicator(
    "ideas.answered_on_time_share_by_call",
    name=_("Share of official answers given on time, by call"),
    unit=_("%"),
    dimensions=("idea_call",),
    order=1725,
    description=_("The same share by the call the ideas answer."),
)
def answered_on_time_share_by_call(period: Period, region: Any) -> list[Row]:
    return _share_rows(ideas_due(period, region), "idea_call", ON_TIME)


@indicator(
    "ideas.answers_overdue",
    name=_("Official answers overdue, by region"),
    unit=_("ideas"),
    dimensions=("region",),
    order=1726,
    description=_(
        "Ideas whose official answer was due in the period and that are still unanswered on "
        "the period's last day (today for the current period)."
    ),
)
def answers_overdue_by_region(period: Period, region: Any) -> list[Row]:
    qs = queries.ideas_answer_overdue(
        on=period.as_of + datetime.timedelta(days=1),
        qs=Idea.objects.filter(answer_due__range=(period.start, period.end)),
    )
    if region is not None:
        qs = qs.filter(_in_region("", region))
    return _by_region(qs, "", Count("id"))


def ideas_followed(period: Period, region: Any = None) -> QuerySet[Idea]:
    """Ideas accepted or partly accepted by an answer given in the period."""
    return ideas_answered(period, region).filter(decision__in=FOLLOWED)


@indicator(
    "ideas.implemented_share",
    name=_("Share of accepted ideas implemented, by region"),
    unit=_("%"),
    dimensions=("region",),
    order=1728,
    description=_(
        "Of the ideas accepted or partly accepted by an official answer given in the period, "
        "the share implemented by now."
    ),
)
def implemented_share_by_region(period: Period, region: Any) -> list[Row]:
    return _share_rows(ideas_followed(period, region), "region", IMPLEMENTED)


@indicator(
    "ideas.implemented_share_by_call",
    name=_("Share of accepted ideas implemented, by call"),
    unit=_("%"),
    dimensions=("idea_call",),
    order=1729,
    description=_("The same share by the call the ideas answer."),
)
def implemented_share_by_call(period: Period, region: Any) -> list[Row]:
    return _share_rows(ideas_followed(period, region), "idea_call", IMPLEMENTED)


# --- (ideas-similar) ------------------------------------------------------------------------------
