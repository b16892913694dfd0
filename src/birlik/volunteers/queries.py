"""Reads of volunteers shared by the pages, the yearly record and the indicators: one function
per rule (a call open for sign-up, the hours a check-in and check-out give, a year's total)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from birlik.core.workdays import LEGAL_TZ

from .models import Call, Profile, SignUp

COUNTED = ~Q(status=SignUp.Status.CANCELLED) | Q(minutes__gt=0)


def minutes_between(
    call: Call, checked_in: datetime.datetime, checked_out: datetime.datetime
) -> int:
    """Whole minutes between check-in and check-out that fall inside the call's window: never
    negative, never more than the window."""
    start = max(checked_in, call.starts_at)
    end = min(checked_out, call.ends_at)
    if end <= start:
        return 0
    return int((end - start).total_seconds() // 60)


def public_calls(qs: QuerySet[Call] | None = None) -> QuerySet[Call]:
    """Calls the public may open (every status: a volunteer must see a call was cancelled),
    with what their cards show."""
    qs = qs if qs is not None else Call.objects.all()
    return qs.select_related("organisation", "region", "district", "event").prefetch_related(
        "skills"
    )


def open_calls(*, now: datetime.datetime | None = None) -> QuerySet[Call]:
    """Calls open for sign-up: open, and not over yet; soonest first."""
    return public_calls(
        Call.objects.filter(status=Call.Status.OPEN, ends_at__gt=now or timezone.now())
    ).order_by("starts_at", "id")


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime(year, 1, 1, tzinfo=LEGAL_TZ)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=LEGAL_TZ)


def hours_of(profile: Profile, year: int | None = None) -> QuerySet[SignUp]:
    """A volunteer's sign-ups with hours (in ``year``: the year in Almaty the call started)."""
    qs = SignUp.objects.filter(profile=profile, minutes__gt=0)
    if year is not None:
        start, end = _year_bounds(year)
        qs = qs.filter(call__starts_at__gte=start, call__starts_at__lt=end)
    return qs.select_related("call", "call__organisation", "call__organisation__kind").order_by(
        "call__starts_at", "id"
    )


@dataclass(frozen=True)
class YearTotal:
    year: int
    minutes: int
    calls: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


def year_total(profile: Profile, year: int) -> YearTotal:
    """Minutes and calls with hours of ``year``, summed in the database."""
    row = hours_of(profile, year).aggregate(
        minutes=Sum("minutes"), calls=Count("call", distinct=True)
    )
    return YearTotal(year=year, minutes=int(row["minutes"] or 0), calls=int(row["calls"] or 0))


def years_of(profile: Profile) -> list[YearTotal]:
    """Every year the volunteer gave hours in, latest first (one query)."""
    from django.db.models.functions import ExtractYear

    rows = (
        SignUp.objects.filter(profile=profile, minutes__gt=0)
        .annotate(year=ExtractYear("call__starts_at", tzinfo=LEGAL_TZ))
        .values("year")
        .annotate(minutes=Sum("minutes"), calls=Count("call", distinct=True))
        .order_by("-year")
    )
    return [
        YearTotal(year=r["year"], minutes=int(r["minutes"]), calls=int(r["calls"])) for r in rows
    ]


def my_signups(profile: Profile) -> QuerySet[SignUp]:
    """A volunteer's sign-ups that still count, latest call first."""
    return (
        SignUp.objects.filter(profile=profile)
        .filter(COUNTED)
        .select_related("call", "call__organisation", "call__region")
        .order_by("-call__starts_at", "-id")
    )


def roster(call: Call) -> QuerySet[SignUp]:
    """The volunteers with a place on a call, by name: the check-in page."""
    return (
        call.signups.filter(status=SignUp.Status.CONFIRMED)
        .select_related("profile")
        .order_by("profile__full_name", "id")
    )


def waiting_list(call: Call) -> QuerySet[SignUp]:
    return (
        call.signups.filter(status=SignUp.Status.WAITLISTED)
        .select_related("profile")
        .order_by("created_at", "id")
    )


def held_calls(start: datetime.datetime, end: datetime.datetime) -> QuerySet[Call]:
    """Calls held between ``start`` and ``end``: not cancelled, started in the period, and at
    least one volunteer has hours on it."""
    with_hours = SignUp.objects.filter(call=OuterRef("pk"), minutes__gt=0)
    return (
        Call.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .exclude(status=Call.Status.CANCELLED)
        .filter(Exists(with_hours))
    )
