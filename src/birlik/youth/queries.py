"""Reads of youth projects shared by the pages, the services and the indicators: one function
per rule (open cohorts, what the jury scores, the ranking, participants, attendance rates)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from birlik.access.models import User

from .models import Application, Attendance, Cohort, Criterion, JurorSubmission, Score, YouthProject

# Points are summed as whole millionths of a criterion's weight: the same scores give exactly
# the same points whatever the order of the sum, so ties are ties (and go to the earlier one).
POINT = 1_000_000


def open_cohorts(*, on: datetime.date, qs: QuerySet[Cohort] | None = None) -> QuerySet[Cohort]:
    """Cohorts taking applications on ``on`` (status open, the day within the window)."""
    base = Cohort.objects.all() if qs is None else qs
    return base.filter(
        status=Cohort.Status.OPEN,
        applications_open_on__lte=on,
        applications_close_on__gte=on,
        project__is_active=True,
    )


def public_projects(*, on: datetime.date) -> QuerySet[YouthProject]:
    """Active projects with a cohort taking applications, the public list."""
    open_now = open_cohorts(on=on).filter(project=OuterRef("pk"))
    return (
        YouthProject.objects.filter(is_active=True)
        .filter(Exists(open_now))
        .select_related("programme", "organisation", "organisation__region")
        .order_by("title", "pk")
    )


def to_score(cohort: Cohort) -> QuerySet[Application]:
    """The applications the jury scores and the ranking orders: all but withdrawn ones."""
    return Application.objects.filter(cohort=cohort).exclude(status=Application.Status.WITHDRAWN)


def submitted_jurors(cohort: Cohort) -> QuerySet[JurorSubmission]:
    return JurorSubmission.objects.filter(cohort=cohort)


def has_submitted(cohort: Cohort, juror: Any) -> bool:
    return submitted_jurors(cohort).filter(juror_id=getattr(juror, "pk", None)).exists()


def visible_scores(cohort: Cohort, juror: User) -> QuerySet[Score]:
    """The scores a juror may read: their own; every submitted juror's once they submitted."""
    own = Score.objects.filter(application__cohort=cohort, juror=juror)
    if not has_submitted(cohort, juror):
        return own
    return Score.objects.filter(
        application__cohort=cohort,
        juror_id__in=submitted_jurors(cohort).values("juror_id"),
    )


@dataclass(frozen=True)
class Ranked:
    application: Application
    rank: int
    points: int  # in millionths of a weight, summed over submitted jurors and criteria
    percent: float  # the weighted mean, 0–100
    jurors: int  # submitted jurors who scored it


def ranking(cohort: Cohort) -> list[Ranked]:
    """The applications by the weighted mean of the submitted jurors' scores, best first;
    equal means go to the earlier application. Two queries whatever the number of rows."""
    jurors = submitted_jurors(cohort).values("juror_id")
    counted = Q(scores__juror_id__in=jurors)
    points = ExpressionWrapper(
        F("scores__score")
        * F("scores__criterion__weight")
        * Value(POINT)
        / F("scores__criterion__max_score"),
        output_field=IntegerField(),
    )
    rows = (
        to_score(cohort)
        .select_related("region")
        .annotate(
            points=Coalesce(Sum(points, filter=counted), 0),
            jurors=Count("scores__juror", filter=counted, distinct=True),
        )
        .order_by("-points", "submitted_at", "pk")
    )
    weights = Criterion.objects.filter(project_id=cohort.project_id).aggregate(
        total=Coalesce(Sum("weight"), 0)
    )["total"]
    juror_count = submitted_jurors(cohort).count()
    scale = weights * juror_count * POINT
    return [
        Ranked(
            application=row,
            rank=index,
            points=row.points,
            percent=round(100 * row.points / scale, 1) if scale else 0.0,
            jurors=row.jurors,
        )
        for index, row in enumerate(rows, start=1)
    ]


def participants(cohort: Cohort) -> QuerySet[Application]:
    """The selected applicants of a cohort (graduates among them)."""
    return Application.objects.filter(
        cohort=cohort,
        status__in=(Application.Status.SELECTED, Application.Status.GRADUATED),
    )


def attendance_rates(cohort: Cohort) -> QuerySet[Application]:
    """Participants with ``present``, ``excused`` and ``rate``: the share of the sessions held
    that they attended, excused absences left out of the count (a whole percent)."""
    sessions = cohort.sessions.count()
    mark = "attendance__mark"
    rows = participants(cohort).annotate(
        present=Count("attendance", filter=Q(**{mark: Attendance.Mark.PRESENT})),
        excused=Count("attendance", filter=Q(**{mark: Attendance.Mark.EXCUSED})),
    )
    counted = ExpressionWrapper(Value(sessions) - F("excused"), output_field=IntegerField())
    return (
        rows.annotate(counted=counted)
        .annotate(
            rate=ExpressionWrapper(
                F("present") * Value(100) / _at_least_one(F("counted")),
                output_field=IntegerField(),
            )
        )
        .order_by("last_name", "first_name", "pk")
    )


def _at_least_one(expression: Any) -> Any:
    from django.db.models.functions import Greatest

    return Greatest(expression, Value(1))


def may_graduate(cohort: Cohort, row: Application) -> bool:
    """Attendance (``attendance_rates``) reaches the cohort's threshold, over at least one
    session attended."""
    return bool(
        getattr(row, "present", 0) > 0 and getattr(row, "rate", 0) >= cohort.graduation_threshold
    )


def my_applications(user: User) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=user)
        .select_related("cohort", "cohort__project")
        .order_by("-submitted_at", "-pk")
    )
