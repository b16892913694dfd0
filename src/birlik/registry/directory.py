"""Public reads of the registry: the directory, a body's public facts and the home figures.

The portal's pages and the API's public endpoints both read them here. Nothing here returns
personal data: members are only counted.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import CharField, Count, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import get_language

from birlik.core import kpi
from birlik.core.collation import collated
from birlik.core.search import search
from birlik.geo.models import District, Region
from birlik.registry import hours
from birlik.registry.models import (
    EthnicGroup,
    Membership,
    OpeningHours,
    Organisation,
    OrganisationKind,
)

LANGS = ("kk", "ru", "en")
# The same fallback order as MODELTRANSLATION_FALLBACK_LANGUAGES, so the list is sorted by
# the name each row shows.
FALLBACK = {"kk": ("kk", "ru", "en"), "ru": ("ru", "kk", "en"), "en": ("en", "ru", "kk")}
# Student assemblies are part of the movement: their members are its activists too.
YOUTH_KINDS = ("youth_movement", "youth_branch", "student_assembly")
CHILDREN_SHOWN = 20


def _language() -> str:
    language = (get_language() or "kk").split("-")[0]
    return language if language in FALLBACK else "kk"


def name_in_language() -> Coalesce:
    """The body's name as shown in the active language (empty translations fall back)."""
    names = [
        NullIf(F(f"name_{lang}"), Value(""), output_field=CharField())
        for lang in FALLBACK[_language()]
    ]
    return Coalesce(*names, F("name"), output_field=CharField())


def directory_bodies(
    *,
    query: str = "",
    region: Region | None = None,
    district: District | None = None,
    kind: OrganisationKind | None = None,
    ethnic_group: EthnicGroup | None = None,
    parent: Organisation | None = None,
) -> QuerySet[Organisation]:
    """Bodies matching the directory filters, in alphabetical order of the name shown in this
    language (Kazakh/Russian order, ``core.collation``).

    Only the ids and the sort key go through the sort; ``bodies_in_order`` then loads the
    rows of one page, so a deep page costs what the first one does.
    """
    bodies = Organisation.objects.all()
    # Each word must match one of the body's names, folded or in Latin spelling.
    bodies = search(bodies, query)
    if region is not None:
        bodies = bodies.filter(region=region)
    if district is not None:
        bodies = bodies.filter(district=district)
    if kind is not None:
        bodies = bodies.filter(kind=kind)
    if ethnic_group is not None:
        bodies = bodies.filter(ethnic_groups=ethnic_group)
    if parent is not None:
        bodies = bodies.filter(path__startswith=parent.path, depth=parent.depth + 1)
    return bodies.annotate(shown_name=name_in_language()).order_by(collated("shown_name"), "pk")


def bodies_in_order(ids: list[int]) -> list[Organisation]:
    """The rows a result list shows, for these ids, in this order (one query)."""
    rows = (
        Organisation.objects.select_related("kind", "region", "district")
        .defer("search_text", *(f"description_{lang}" for lang in LANGS), "description")
        .in_bulk(ids)
    )
    return [rows[pk] for pk in ids if pk in rows]


def body_detail(pk: int) -> Organisation | None:
    """A body with what its page shows about it (its week of opening hours comes along)."""
    return (
        Organisation.objects.select_related("kind", "region", "district")
        .prefetch_related(
            Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("weekday", "opens"))
        )
        .filter(pk=pk)
        .first()
    )


def opening_week(body: Organisation) -> tuple[hours.Interval, ...]:
    """The body's usual week, Monday first (prefetched by ``body_detail``)."""
    return tuple(
        hours.Interval(row.weekday, row.opens, row.closes) for row in body.opening_hours.all()
    )


def opening_hours_state(
    body: Organisation, *, moment: datetime.datetime | None = None
) -> hours.HoursState | None:
    """The week as a visitor reads it, with "open now" at ``moment`` (default: now) in
    Asia/Almaty; None when no hours are recorded or the body is closed."""
    if body.status != Organisation.Status.ACTIVE:
        return None
    return hours.hours_state(
        opening_week(body),
        moment=moment or timezone.now(),
        open_on_public_holidays=body.open_on_public_holidays,
    )


def body_parent(body: Organisation) -> Organisation | None:
    if body.depth <= 1:
        return None
    return Organisation.objects.filter(path=body.path[: -body.steplen]).first()


def active_children(body: Organisation) -> QuerySet[Organisation]:
    """The active bodies directly under ``body``, in alphabetical order of their name."""
    return (
        Organisation.objects.filter(
            path__startswith=body.path,
            depth=body.depth + 1,
            status=Organisation.Status.ACTIVE,
        )
        .select_related("kind")
        .annotate(shown_name=name_in_language())
        .order_by(collated("shown_name"), "pk")
    )


def member_counts(body: Organisation, *, on: datetime.date | None = None) -> list[dict[str, Any]]:
    """People holding a term in the body on a day, by role: counts only, never names."""
    day = on or timezone.localdate()
    rows = (
        Membership.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day),
            organisation=body,
            start_date__lte=day,
        )
        .values("role")
        .annotate(value=Count("person_id", distinct=True))
        .order_by("role")
    )
    labels = dict(Membership.Role.choices)
    order = list(labels)
    return sorted(
        (
            {"role": r["role"], "label": labels.get(r["role"], r["role"]), "value": r["value"]}
            for r in rows
        ),
        key=lambda row: order.index(row["role"]) if row["role"] in order else len(order),
    )


def mediators_count(period: kpi.Period) -> int:
    """People holding a mediator's term in any active body at the end of the period."""
    day = period.as_of
    return (
        Membership.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day),
            Q(organisation__closed_on__isnull=True) | Q(organisation__closed_on__gt=day),
            role=Membership.Role.MEDIATOR,
            start_date__lte=day,
        )
        .values("person_id")
        .distinct()
        .count()
    )


def home_figures(year: int) -> dict[str, Any]:
    """The home page numbers for a year, labelled in the active language (cache per language)."""
    period = kpi.Period.year(year)
    bodies = kpi.label_rows(kpi.compute("registry.bodies", period), ("kind",))
    members = {row["kind"]: row["value"] for row in kpi.compute("registry.members", period)}
    by_region: dict[str, int] = {}
    for row in kpi.compute("registry.bodies_by_region", period):
        by_region[row["region"]] = by_region.get(row["region"], 0) + row["value"]
    regions = [
        {"iso": region.iso, "name": region.name, "value": by_region.get(region.iso, 0)}
        for region in Region.objects.order_by("kato")
    ]
    return {
        "year": year,
        "bodies_total": sum(row["value"] for row in bodies),
        "bodies": [
            {"kind": row["kind"], "name": row["kind_name"], "value": row["value"]} for row in bodies
        ],
        "elders": members.get("elders_council", 0),
        "mothers": members.get("mothers_council", 0),
        "youth": sum(members.get(code, 0) for code in YOUTH_KINDS),
        "mediators": mediators_count(period),
        "regions": regions,
    }


def cached_home_figures(year: int) -> dict[str, Any]:
    """The home figures, cached until the next registry change (see ``kpi.invalidate``)."""
    value: dict[str, Any] = kpi.cached(
        f"portal:home:{year}:{_language()}", lambda: home_figures(year)
    )
    return value
