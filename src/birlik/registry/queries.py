"""Reads of the registry shared by the staff workspace, exports and the API.

Every function that returns rows a user sees starts from ``policies.scoped``; counts are computed
in the database so that a national scope costs the same number of queries as one house.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.utils import timezone

from birlik.access import policies
from birlik.access.models import AuditEntry
from birlik.core import collation
from birlik.core.collation import collated
from birlik.core.search import search, words_q
from birlik.geo.models import Region

from .directory import name_in_language
from .models import Membership, Organisation, OrganisationKind, Person


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def active_on(day: datetime.date, prefix: str = "") -> Q:
    """Memberships whose term covers ``day`` (``prefix`` for lookups through a relation)."""
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def _subtree_q(field: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


# --- Bodies ---------------------------------------------------------------------------------


def scoped_bodies(
    *,
    user: Any,
    query: str = "",
    kind: OrganisationKind | None = None,
    region: Region | None = None,
    status: str = "",
    under: Organisation | None = None,
) -> QuerySet[Organisation]:
    """The bodies of the user's subtrees matching the workspace filters, in alphabetical order
    of the name shown in this language."""
    bodies = policies.scoped(Organisation.objects.all(), user).select_related(
        "kind", "region", "district"
    )
    bodies = search(bodies, query)
    if kind is not None:
        bodies = bodies.filter(kind=kind)
    if region is not None:
        bodies = bodies.filter(region=region)
    if status:
        bodies = bodies.filter(status=status)
    if under is not None:
        bodies = bodies.filter(path__startswith=under.path)
    return bodies.annotate(shown_name=name_in_language()).order_by(collated("shown_name"), "pk")


def body_children(body: Organisation) -> QuerySet[Organisation]:
    """The bodies directly under ``body``, active first, in tree order."""
    return (
        Organisation.objects.filter(path__startswith=body.path, depth=body.depth + 1)
        .select_related("kind", "region")
        .order_by("status", "path")
    )


def body_parent(body: Organisation) -> Organisation | None:
    if body.depth <= 1:
        return None
    return Organisation.objects.filter(path=body.path[: -body.steplen]).first()


def body_members(body: Organisation, *, on: datetime.date | None = None) -> QuerySet[Membership]:
    """Terms held in ``body`` on a day, with the person, ordered by role then name."""
    return (
        Membership.objects.filter(active_on(_today(on)), organisation=body)
        .select_related("person")
        .order_by("role", *collation.order_by("person__last_name", "person__first_name"), "pk")
    )


def member_counts_by_role(
    body: Organisation, *, on: datetime.date | None = None
) -> list[dict[str, Any]]:
    """How many people hold each role in ``body`` on a day: counts only, never names."""
    rows = (
        Membership.objects.filter(active_on(_today(on)), organisation=body)
        .values("role")
        .annotate(value=Count("person_id", distinct=True))
        .order_by("role")
    )
    labels = dict(Membership.Role.choices)
    order = list(labels)
    return sorted(
        (
            {
                "role": row["role"],
                "label": labels.get(row["role"], row["role"]),
                "value": row["value"],
            }
            for row in rows
        ),
        key=lambda row: order.index(row["role"]) if row["role"] in order else len(order),
    )


@dataclass(frozen=True)
class KindFigure:
    kind: OrganisationKind
    value: int


@dataclass(frozen=True)
class ScopeFigures:
    bodies: int
    active_bodies: int
    members: int
    by_kind: list[KindFigure]


def scope_figures(*, user: Any, on: datetime.date | None = None) -> ScopeFigures:
    """Active bodies by kind and people holding a term, over all the user's subtrees."""
    paths = policies.roots(user, policies.ALL_ROLES)
    bodies = Organisation.objects.filter(_subtree_q("path", paths))
    totals = bodies.aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(status=Organisation.Status.ACTIVE))
    )
    counts = dict(
        bodies.filter(status=Organisation.Status.ACTIVE)
        .order_by()  # the default ordering (path) would split the groups into one per body
        .values_list("kind_id")
        .annotate(value=Count("pk"))
        .values_list("kind_id", "value")
    )
    kinds = OrganisationKind.objects.filter(pk__in=list(counts)).order_by("position", "code")
    members = (
        Membership.objects.filter(active_on(_today(on)), _subtree_q("organisation__path", paths))
        .values("person_id")
        .distinct()
        .count()
    )
    return ScopeFigures(
        bodies=totals["total"] or 0,
        active_bodies=totals["active"] or 0,
        members=members,
        by_kind=[KindFigure(kind=k, value=counts[k.pk]) for k in kinds],
    )


# --- People ---------------------------------------------------------------------------------


def _data_visible(user: Any, prefix: str = "") -> Case:
    """True on the rows whose person's full data the user may read (``policies.sees_person``)."""
    return Case(
        When(policies.person_data_q(user, prefix), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def scoped_people(*, user: Any, query: str = "") -> QuerySet[Person]:
    """People the user knows of, searched by any part of the name; ``data_visible`` says on
    each whether their full data may be shown (else their name only)."""
    people = (
        policies.scoped(Person.objects.all(), user)
        .select_related("registered_by")
        .annotate(data_visible=_data_visible(user))
    )
    people = people.filter(words_q(("last_name", "first_name", "patronymic"), query, max_words=5))
    return collation.ordered(people, "last_name", "first_name")


def person_memberships(*, user: Any, person: Person) -> QuerySet[Membership]:
    """The person's terms in bodies the user may see, current ones first."""
    return (
        policies.scoped(Membership.objects.filter(person=person), user)
        .select_related("organisation", "organisation__kind")
        .order_by("end_date", "-start_date", "pk")
    )


def members_for_export(body: Organisation, *, user: Any) -> QuerySet[Membership]:
    """Every term (current and past) held in the subtree of ``body``, for a spreadsheet;
    ``person_data_visible`` is False where the member's contacts must be left out."""
    return (
        Membership.objects.filter(organisation__path__startswith=body.path)
        .select_related("person", "organisation")
        .annotate(person_data_visible=_data_visible(user, "person__"))
        .order_by(
            "organisation__path",
            *collation.order_by("person__last_name", "person__first_name"),
            "pk",
        )
    )


# --- Audit ----------------------------------------------------------------------------------


def audit_trail(*, object_type: str, object_id: Any) -> QuerySet[AuditEntry]:
    """Every audit row of one record, newest first, with who did it."""
    return (
        AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id))
        .select_related("actor")
        .order_by("-at", "-pk")
    )


REGION_ASSEMBLY_KINDS = ("regional_assembly", "city_assembly")


def region_assembly(region: Any) -> Organisation | None:
    """The active regional (or city) assembly of a region: where what is addressed "to the
    Assembly" from that region goes (appeals, ideas outside a call)."""
    return (
        Organisation.objects.filter(
            region=region,
            kind__code__in=REGION_ASSEMBLY_KINDS,
            status=Organisation.Status.ACTIVE,
        )
        .order_by("depth", "pk")
        .first()
    )


def root_body() -> Organisation | None:
    """The national secretariat at the root of the network (None on an empty registry)."""
    return Organisation.objects.filter(depth=1).order_by("pk").first()
