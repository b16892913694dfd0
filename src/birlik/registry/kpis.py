"""Indicators of the registry: bodies by kind and region, members by kind of body."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.kpi import Period, Row, dimension_labels, indicator
from birlik.geo import labels as geo_labels
from birlik.geo.models import Region

from .models import Membership, Organisation, OrganisationKind


def _bodies(period: Period, region: Region | None) -> QuerySet[Organisation]:
    day = period.as_of
    qs = Organisation.objects.filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=day),
        Q(closed_on__isnull=True) | Q(closed_on__gt=day),
    )
    return qs.filter(region=region) if region is not None else qs


def _members(period: Period, region: Region | None) -> QuerySet[Membership]:
    day = period.as_of
    qs = Membership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day),
        start_date__lte=day,
        organisation__kind__counts_members=True,
    )
    return qs.filter(organisation__region=region) if region is not None else qs


@indicator(
    "registry.bodies",
    name=_("Bodies of the Assembly by kind"),
    unit=_("bodies"),
    dimensions=("kind",),
    description=_("Bodies active at the end of the period (or today), by kind of body."),
    order=10,
)
def bodies_by_kind(period: Period, region: Region | None) -> list[Row]:
    rows = _bodies(period, region).values("kind__code").annotate(value=Count("id"))
    return [{"kind": r["kind__code"], "value": r["value"]} for r in rows.order_by("kind__position")]


@indicator(
    "registry.members",
    name=_("Members by kind of body"),
    unit=pgettext_lazy("unit", "people"),
    dimensions=("kind",),
    description=_("People holding a term in a body at the end of the period (or today)."),
    order=20,
)
def members_by_kind(period: Period, region: Region | None) -> list[Row]:
    rows = (
        _members(period, region)
        .values("organisation__kind__code")
        .annotate(value=Count("person_id", distinct=True))
        .order_by("organisation__kind__position")
    )
    return [{"kind": r["organisation__kind__code"], "value": r["value"]} for r in rows]


@indicator(
    "registry.bodies_by_region",
    name=_("Bodies by region"),
    unit=_("bodies"),
    dimensions=("region", "kind"),
    order=30,
    description=_(
        "Bodies active at the end of the period (or today), by region and kind of body; bodies "
        "with no region (national ones) are not counted here."
    ),
)
def bodies_by_region(period: Period, region: Region | None) -> list[Row]:
    rows = (
        _bodies(period, region)
        .filter(region__isnull=False)
        .values("region__iso", "kind__code")
        .annotate(value=Count("id"))
        .order_by("region__iso", "kind__position")
    )
    return [
        {"region": r["region__iso"], "kind": r["kind__code"], "value": r["value"]} for r in rows
    ]


@indicator(
    "registry.members_by_region",
    name=_("Members by region"),
    unit=pgettext_lazy("unit", "people"),
    dimensions=("region", "kind"),
    order=40,
    description=_(
        "People holding a term in a body at the end of the period (or today), by region and kind "
        "of body; a person in two bodies of a region counts once there."
    ),
)
def members_by_region(period: Period, region: Region | None) -> list[Row]:
    rows = (
        _members(period, region)
        .filter(organisation__region__isnull=False)
        .values("organisation__region__iso", "organisation__kind__code")
        .annotate(value=Count("person_id", distinct=True))
        .order_by("organisation__region__iso", "organisation__kind__position")
    )
    return [
        {
            "region": r["organisation__region__iso"],
            "kind": r["organisation__kind__code"],
            "value": r["value"],
        }
        for r in rows
    ]


@dimension_labels("kind")
def kind_labels() -> dict[str, str]:
    return {kind.code: kind.name_plural for kind in OrganisationKind.objects.all()}


@dimension_labels("region")
def region_labels() -> dict[str, str]:
    return geo_labels.region_labels()


@dimension_labels("district")
def district_labels() -> dict[str, str]:
    from birlik.geo.models import District

    labels = {district.kato: district.name for district in District.objects.all()}
    labels["none"] = str(_("district not given"))
    return labels
