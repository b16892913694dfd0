"""Indicators of youth projects, computed in the database. The activists are not a list of
their own: they are the ACTIVIST terms of the registry, counted on the period's last day."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.kpi import Period, Row, indicator
from birlik.geo.labels import NO_REGION
from birlik.geo.models import Region
from birlik.registry.models import Membership, Organisation

from .models import Application

PEOPLE = pgettext_lazy("unit", "people")
STUDENT_ASSEMBLY = "student_assembly"


def _rows(qs: QuerySet, fields: dict[str, str], value: object) -> list[Row]:
    rows = qs.values(*fields.values()).annotate(value=value).order_by(*fields.values())
    return [
        {dim: row[field] or NO_REGION for dim, field in fields.items()} | {"value": row["value"]}
        for row in rows
    ]


def activist_terms(period: Period, region: Region | None = None) -> QuerySet[Membership]:
    """ACTIVIST terms current on the period's last day (or today), in active bodies."""
    day = period.as_of
    qs = Membership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        start_date__lte=day,
        role=Membership.Role.ACTIVIST,
        organisation__status=Organisation.Status.ACTIVE,
    )
    return qs.filter(organisation__region=region) if region is not None else qs


@indicator(
    "youth.activists",
    name=_("Youth activists by region"),
    unit=PEOPLE,
    dimensions=("region",),
    order=1750,
    description=_(
        "People holding an activist term in a body of the Assembly (the youth movement, its "
        "branches, student assemblies and others) at the end of the period; a person counts "
        "once in a region."
    ),
)
def activists(period: Period, region: Region | None) -> list[Row]:
    return _rows(
        activist_terms(period, region),
        {"region": "organisation__region__iso"},
        Count("person_id", distinct=True),
    )


@indicator(
    "youth.student_assemblies",
    name=_("Student assemblies by region"),
    unit=_("bodies"),
    dimensions=("region",),
    order=1751,
    description=_("Student assemblies active at the end of the period (or today)."),
)
def student_assemblies(period: Period, region: Region | None) -> list[Row]:
    day = period.as_of
    qs = Organisation.objects.filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=day),
        Q(closed_on__isnull=True) | Q(closed_on__gt=day),
        kind__code=STUDENT_ASSEMBLY,
    )
    if region is not None:
        qs = qs.filter(region=region)
    return _rows(qs, {"region": "region__iso"}, Count("id"))


def _applications(region: Region | None) -> QuerySet[Application]:
    qs = Application.objects.all()
    return qs.filter(region=region) if region is not None else qs


_BY = {"programme": "cohort__project__programme__code", "region": "region__iso"}


@indicator(
    "youth.applications",
    name=_("Applications to youth projects"),
    unit=_("applications"),
    dimensions=("programme", "region"),
    order=1760,
    description=_("Applications sent in the period, by project and the applicant's region."),
)
def applications(period: Period, region: Region | None) -> list[Row]:
    qs = _applications(region).filter(submitted_at__date__range=(period.start, period.end))
    return _rows(qs, _BY, Count("id"))


@indicator(
    "youth.participants",
    name=_("Participants of youth projects"),
    unit=PEOPLE,
    dimensions=("programme", "region"),
    order=1761,
    description=_(
        "Selected applicants of the cohorts that started in the period, by project and region."
    ),
)
def participants(period: Period, region: Region | None) -> list[Row]:
    qs = _applications(region).filter(
        status__in=(Application.Status.SELECTED, Application.Status.GRADUATED),
        cohort__starts_on__range=(period.start, period.end),
    )
    return _rows(qs, _BY, Count("id"))


@indicator(
    "youth.graduates",
    name=_("Graduates of youth projects"),
    unit=PEOPLE,
    dimensions=("programme", "region"),
    order=1762,
    description=_("Participants who graduated in the period, by project and region."),
)
def graduates(period: Period, region: Region | None) -> list[Row]:
    qs = _applications(region).filter(
        status=Application.Status.GRADUATED, graduated_on__range=(period.start, period.end)
    )
    return _rows(qs, _BY, Count("id"))
