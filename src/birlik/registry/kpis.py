"""Indicators of the registry: bodies by kind and region, members by kind of body."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.kpi import Period, Row, cached, dimension_labels, indicator
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


# --- interview figures (figures) ---------------------------------------------------------------
# The bodies and people the Assembly's annual interview counts: bodies of one kind and the
# people holding a term in them, by region ("none": bodies of the whole country), read on the
# period's last day (or today) by the rules of ``_bodies`` and ``_members`` above.

ELDERS_COUNCIL = "elders_council"
MOTHERS_COUNCIL = "mothers_council"
EXPERT_KINDS = ("scientific_expert_council", "scientific_expert_group")


def _region_rows(qs: QuerySet, field: str, value: Count) -> list[Row]:  # type: ignore[type-arg]
    rows = qs.order_by().values(field).annotate(value=value).order_by(field)
    return [{"region": r[field] or geo_labels.NO_REGION, "value": r["value"]} for r in rows]


def _region_kind_rows(qs: QuerySet, prefix: str, value: Count) -> list[Row]:  # type: ignore[type-arg]
    region, kind = f"{prefix}region__iso", f"{prefix}kind__code"
    rows = qs.order_by().values(region, kind).annotate(value=value).order_by(region, kind)
    return [
        {"region": r[region] or geo_labels.NO_REGION, "kind": r[kind], "value": r["value"]}
        for r in rows
    ]


def _cached(name: str, period: Period, region: Region | None, build: Any) -> list[Row]:
    # One grouped query shared by the indicators of one kind each, while the figures stand.
    iso = region.iso if region is not None else "all"
    rows: list[Row] = cached(f"registry:{name}:{period.start}:{period.end}:{iso}", build, 60)
    return rows


def bodies_by_region_and_kind(period: Period, region: Region | None) -> list[Row]:
    """Bodies active at the end of the period (or today), by region ("none": bodies of the
    whole country) and kind: one grouped query."""
    return _cached(
        "bodies",
        period,
        region,
        lambda: _region_kind_rows(_bodies(period, region), "", Count("id")),
    )


def members_by_region_and_kind(period: Period, region: Region | None) -> list[Row]:
    """People holding a term at the end of the period (or today), by region of the body
    ("none": bodies of the whole country) and kind of body; a person in two bodies of one kind
    in a region counts once there."""
    return _cached(
        "members",
        period,
        region,
        lambda: _region_kind_rows(
            _members(period, region), "organisation__", Count("person_id", distinct=True)
        ),
    )


def _of_kind(rows: list[Row], kind: str) -> list[Row]:
    return [{"region": row["region"], "value": row["value"]} for row in rows if row["kind"] == kind]


def members_of_kinds(period: Period, region: Region | None, kinds: tuple[str, ...]) -> list[Row]:
    """People holding a term in a body of any of these kinds at the end of the period (or
    today), by region of the body; a person in two such bodies of a region counts once there."""
    qs = _members(period, region).filter(organisation__kind__code__in=kinds)
    return _region_rows(qs, "organisation__region__iso", Count("person_id", distinct=True))


def _bodies_indicator(
    key: str, kind: str, name: Promise, description: Promise | str, order: int
) -> None:
    @indicator(
        key,
        name=name,
        unit=_("bodies"),
        dimensions=("region",),
        order=order,
        description=description,
    )
    def compute(period: Period, region: Region | None) -> list[Row]:
        return _of_kind(bodies_by_region_and_kind(period, region), kind)


def _members_indicator(
    key: str, kind: str, name: Promise, description: Promise | str, order: int
) -> None:
    @indicator(
        key,
        name=name,
        unit=pgettext_lazy("unit", "people"),
        dimensions=("region",),
        order=order,
        description=description,
    )
    def compute(period: Period, region: Region | None) -> list[Row]:
        return _of_kind(members_by_region_and_kind(period, region), kind)


_AT_THE_END = _(
    "Active at the end of the period (or today), by region; bodies of the whole country have no "
    "region."
)
_HOLDING_A_TERM = _(
    "People holding a term in them at the end of the period (or today), by region of the body; "
    "a person in two of them in a region counts once there."
)
_bodies_indicator(
    "registry.ethnocultural_associations",
    "ethnocultural_association",
    _("Ethnocultural associations"),
    format_lazy("{} {}", _("Ethnocultural associations of the Assembly."), _AT_THE_END),
    50,
)
_bodies_indicator(
    "registry.elders_councils",
    ELDERS_COUNCIL,
    _("Councils of elders"),
    format_lazy("{} {}", _("Councils of elders (ақсақалдар кеңесі)."), _AT_THE_END),
    51,
)
_members_indicator(
    "registry.elders_council_members",
    ELDERS_COUNCIL,
    _("Members of the councils of elders"),
    format_lazy("{} {}", _("Members of the councils of elders."), _HOLDING_A_TERM),
    52,
)
_members_indicator(
    "registry.mothers_council_members",
    MOTHERS_COUNCIL,
    _("Members of the mothers' councils"),
    format_lazy("{} {}", _("Members of the mothers' councils."), _HOLDING_A_TERM),
    53,
)
_bodies_indicator(
    "registry.houses_of_friendship",
    "house_of_friendship",
    _("Houses of Friendship"),
    format_lazy("{} {}", _("Houses of Friendship of the regions."), _AT_THE_END),
    54,
)
_bodies_indicator(
    "registry.mediation_centres",
    "mediation_centre",
    _("Mediation centres"),
    format_lazy("{} {}", _("Mediation centres of the Assembly."), _AT_THE_END),
    55,
)
_bodies_indicator(
    "registry.mediation_councils",
    "mediation_council",
    _("Mediation councils"),
    format_lazy("{} {}", _("Mediation councils of the Assembly."), _AT_THE_END),
    56,
)


@indicator(
    "registry.experts",
    name=_("Experts of the scientific-expert council and groups"),
    unit=pgettext_lazy("unit", "people"),
    dimensions=("region",),
    order=57,
    description=format_lazy(
        "{} {}",
        _("Members of the Scientific-Expert Council and of the regional scientific-expert groups."),
        _HOLDING_A_TERM,
    ),
)
def experts(period: Period, region: Region | None) -> list[Row]:
    # A person in the council and in a group counts once: not the rows of two kinds added up.
    return members_of_kinds(period, region, EXPERT_KINDS)
