"""Indicators of training, computed in the database. A trainee's region and kind of body are
those of the body that sent them (the enrolment's body); the training needs (coverage,
overdue) are read on the period's last day (or today) from ``queries.coverage_by_region``."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.kpi import Period, Row, dimension_labels, indicator
from birlik.geo.labels import NO_REGION
from birlik.geo.models import Region

from . import queries
from .models import Certificate, Cohort, Course, Enrolment

PEOPLE = pgettext_lazy("unit", "people")
REGION = "organisation__region__iso"


def _rows(qs: QuerySet, fields: dict[str, str], value: object) -> list[Row]:
    rows = qs.values(*fields.values()).annotate(value=value).order_by(*fields.values())
    return [
        {dim: row[field] or NO_REGION for dim, field in fields.items()} | {"value": row["value"]}
        for row in rows
    ]


def completed(period: Period, region: Region | None) -> QuerySet[Enrolment]:
    """Enrolments completed in the period (by the sending body's region)."""
    qs = Enrolment.objects.filter(
        status=Enrolment.Status.COMPLETED, completed_on__range=(period.start, period.end)
    )
    return qs.filter(organisation__region=region) if region is not None else qs


def issued(period: Period, region: Region | None) -> QuerySet[Certificate]:
    qs = Certificate.objects.filter(issued_on__range=(period.start, period.end))
    return qs.filter(enrolment__organisation__region=region) if region is not None else qs


@indicator(
    "learning.trainees",
    name=_("Trainees of the APK Academy and the university departments"),
    unit=PEOPLE,
    dimensions=("region", "kind"),
    order=1850,
    description=_(
        "People who completed a course in the period, counted once per person, by the region "
        "and the kind of the body that sent them."
    ),
)
def trainees(period: Period, region: Region | None) -> list[Row]:
    return _rows(
        completed(period, region),
        {"region": REGION, "kind": "organisation__kind__code"},
        Count("person_id", distinct=True),
    )


@indicator(
    "learning.trainees_by_course",
    name=_("Trainees by course"),
    unit=PEOPLE,
    dimensions=("learning_course",),
    order=1851,
    description=_("People who completed each course in the period, counted once per course."),
)
def trainees_by_course(period: Period, region: Region | None) -> list[Row]:
    rows = (
        completed(period, region)
        .values("cohort__course_id")
        .annotate(value=Count("person_id", distinct=True))
        .order_by("cohort__course_id")
    )
    return [{"learning_course": str(r["cohort__course_id"]), "value": r["value"]} for r in rows]


@indicator(
    "learning.certificates",
    name=_("Training certificates issued"),
    unit=_("certificates"),
    dimensions=("region",),
    order=1852,
    description=_(
        "Certificates issued in the period (revoked ones included: they were issued), by the "
        "region of the body that sent the trainee."
    ),
)
def certificates(period: Period, region: Region | None) -> list[Row]:
    return _rows(issued(period, region), {"region": f"enrolment__{REGION}"}, Count("id"))


@indicator(
    "learning.training_hours",
    name=_("Hours of training completed"),
    unit=_("person-hours"),
    dimensions=("region",),
    order=1853,
    description=_(
        "The hours stated on the certificates issued in the period, summed over their holders."
    ),
)
def training_hours(period: Period, region: Region | None) -> list[Row]:
    return _rows(issued(period, region), {"region": f"enrolment__{REGION}"}, Sum("hours"))


@indicator(
    "learning.cohorts",
    name=_("Training cohorts finished"),
    unit=pgettext_lazy("unit", "cohorts"),
    dimensions=("kind",),
    order=1854,
    description=_(
        "Cohorts of the Academy and the university departments that ended in the period and "
        "were not cancelled, by the kind of the provider."
    ),
)
def cohorts(period: Period, region: Region | None) -> list[Row]:
    qs = Cohort.objects.filter(
        status__in=(Cohort.Status.RUNNING, Cohort.Status.FINISHED),
        ends_on__range=(period.start, period.end),
    )
    if region is not None:
        qs = qs.filter(course__provider__region=region)
    return _rows(qs, {"kind": "course__provider__kind__code"}, Count("id"))


@indicator(
    "learning.coverage",
    name=_("Coverage of the required training"),
    unit="%",
    dimensions=("region",),
    order=1855,
    additive=False,
    description=_(
        "Of the people a training rule requires to be trained (holding a term of that role in "
        "that kind of body), the share holding a valid certificate of one of the rule's "
        "courses issued within its period, at the end of the period (or today)."
    ),
)
def coverage(period: Period, region: Region | None) -> list[Row]:
    return [
        {"region": row.region, "value": row.percent}
        for row in queries.coverage_by_region(on=period.as_of, region=region)
        if row.percent is not None
    ]


@indicator(
    "learning.overdue",
    name=_("People overdue for required training"),
    unit=PEOPLE,
    dimensions=("region",),
    order=1856,
    description=_(
        "People a training rule requires to be trained whose training is missing or out of "
        "date at the end of the period (or today)."
    ),
)
def overdue(period: Period, region: Region | None) -> list[Row]:
    return [
        {"region": row.region, "value": row.overdue}
        for row in queries.coverage_by_region(on=period.as_of, region=region)
        if row.overdue
    ]


@dimension_labels("learning_course")
def course_labels() -> dict[str, str]:
    return {str(course.pk): str(course.title) for course in Course.objects.all()}
