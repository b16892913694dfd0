"""Indicators of charity, computed in the database: projects (by the year they start in),
money and in-kind value raised and distributed (by the day received or delivered, cancelled
entries left out), beneficiaries helped and requests received or delivered."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.kpi import Period, Row, dimension_labels, indicator
from birlik.geo.models import Region

from .models import Category, Distribution, Donation, HelpRequest, Kind, Project

# The unit of amounts: the dashboards write these figures in tenge («1 250 000 ₸»).
KZT = pgettext_lazy("unit", "KZT")


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _moments(field: str, period: Period) -> Q:
    return Q(
        **{
            f"{field}__gte": _local_midnight(period.start),
            f"{field}__lt": _local_midnight(period.end + datetime.timedelta(days=1)),
        }
    )


def projects(period: Period, region: Region | None = None) -> QuerySet[Project]:
    """Projects that started in the period."""
    qs = Project.objects.filter(starts_on__range=(period.start, period.end))
    return qs.filter(centre__region=region) if region is not None else qs


def donations(period: Period, region: Region | None = None) -> QuerySet[Donation]:
    qs = Donation.objects.filter(
        received_on__range=(period.start, period.end), cancelled_at__isnull=True
    )
    return qs.filter(centre__region=region) if region is not None else qs


def distributions(period: Period, region: Region | None = None) -> QuerySet[Distribution]:
    qs = Distribution.objects.filter(
        delivered_on__range=(period.start, period.end), cancelled_at__isnull=True
    )
    return qs.filter(project__centre__region=region) if region is not None else qs


def _by(qs: QuerySet, fields: dict[str, str], value: object) -> list[Row]:
    rows = qs.values(*fields.values()).annotate(value=value).order_by(*fields.values())
    return [
        {dim: row[field] or "none" for dim, field in fields.items()} | {"value": row["value"] or 0}
        for row in rows
    ]


@indicator(
    "charity.projects",
    name=_("Charity projects by region"),
    unit=_("projects"),
    dimensions=("region",),
    order=700,
    description=_("Projects of the “Zhomart zhan” centres that started in the period."),
)
def projects_by_region(period: Period, region: Region | None) -> list[Row]:
    return _by(projects(period, region), {"region": "centre__region__iso"}, Count("id"))


@indicator(
    "charity.projects_by_category",
    name=_("Charity projects by category"),
    unit=_("projects"),
    dimensions=("charity_category",),
    order=701,
)
def projects_by_category(period: Period, region: Region | None) -> list[Row]:
    return _by(projects(period, region), {"charity_category": "category"}, Count("id"))


@indicator(
    "charity.project_budgets",
    name=_("Budgets of charity projects"),
    unit=KZT,
    dimensions=("region",),
    order=702,
)
def project_budgets(period: Period, region: Region | None) -> list[Row]:
    return _by(projects(period, region), {"region": "centre__region__iso"}, Sum("budget"))


@indicator(
    "charity.money_raised",
    name=_("Money raised for charity"),
    unit=KZT,
    dimensions=("region",),
    order=710,
    description=_("Donations in money received in the period, cancelled ones left out."),
)
def money_raised(period: Period, region: Region | None) -> list[Row]:
    qs = donations(period, region).filter(kind=Kind.MONEY)
    return _by(qs, {"region": "centre__region__iso"}, Sum("amount"))


@indicator(
    "charity.in_kind_raised",
    name=_("Value of in-kind help raised"),
    unit=KZT,
    dimensions=("region",),
    order=711,
)
def in_kind_raised(period: Period, region: Region | None) -> list[Row]:
    qs = donations(period, region).filter(kind=Kind.IN_KIND)
    return _by(qs, {"region": "centre__region__iso"}, Sum("value"))


@indicator(
    "charity.money_distributed",
    name=_("Money distributed to beneficiaries"),
    unit=KZT,
    dimensions=("region",),
    order=712,
)
def money_distributed(period: Period, region: Region | None) -> list[Row]:
    qs = distributions(period, region).filter(kind=Kind.MONEY)
    return _by(qs, {"region": "project__centre__region__iso"}, Sum("amount"))


@indicator(
    "charity.in_kind_distributed",
    name=_("Value of in-kind help distributed"),
    unit=KZT,
    dimensions=("region",),
    order=713,
)
def in_kind_distributed(period: Period, region: Region | None) -> list[Row]:
    qs = distributions(period, region).filter(kind=Kind.IN_KIND)
    return _by(qs, {"region": "project__centre__region__iso"}, Sum("value"))


@indicator(
    "charity.beneficiaries",
    name=_("Beneficiaries helped"),
    unit=_("beneficiaries"),
    dimensions=("region", "charity_category"),
    order=720,
    description=_(
        "Persons, families and bodies that received help in the period (one per request)."
    ),
)
def beneficiaries(period: Period, region: Region | None) -> list[Row]:
    return _by(
        distributions(period, region),
        {"region": "request__region__iso", "charity_category": "request__category"},
        Count("request_id", distinct=True),
    )


def _requests(period: Period, region: Region | None, field: str) -> QuerySet[HelpRequest]:
    qs = HelpRequest.objects.filter(_moments(field, period))
    return qs.filter(region=region) if region is not None else qs


@indicator(
    "charity.requests_received",
    name=_("Requests for help received"),
    unit=_("requests"),
    dimensions=("region",),
    order=730,
)
def requests_received(period: Period, region: Region | None) -> list[Row]:
    return _by(_requests(period, region, "received_at"), {"region": "region__iso"}, Count("id"))


@indicator(
    "charity.requests_delivered",
    name=_("Requests for help delivered"),
    unit=_("requests"),
    dimensions=("region",),
    order=731,
)
def requests_delivered(period: Period, region: Region | None) -> list[Row]:
    return _by(_requests(period, region, "delivered_at"), {"region": "region__iso"}, Count("id"))


@dimension_labels("charity_category")
def category_labels() -> dict[str, str]:
    return {code: str(label) for code, label in Category.choices}
