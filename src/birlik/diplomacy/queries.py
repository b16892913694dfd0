"""Reads of people's diplomacy shared by the pages, the services and the indicators: the lists in
a user's scope, what a user may pick (keeping bodies, people, bodies, events, requests), the
centre that receives the portal's requests, and "active ambassador"."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from birlik.access import policies
from birlik.core.search import contains_q
from birlik.core.workdays import legal_today
from birlik.events.models import Event
from birlik.registry import queries as registry_queries
from birlik.registry.models import Membership, Organisation, Person

from .models import (
    CENTRE_KIND,
    CORPS_KIND,
    KEEPER_KINDS,
    Ambassador,
    AmbassadorActivity,
    InternationalRequest,
    Visit,
)
from .policies import staff_paths

SEARCH_WORDS = 5


def keepers(user: Any) -> QuerySet[Organisation]:
    """Active bodies that keep a diplomacy register, in the subtrees the user works on."""
    return (
        Organisation.objects.filter(
            policies.prefix_q("path", staff_paths(user)),
            kind__code__in=KEEPER_KINDS,
            status=Organisation.Status.ACTIVE,
        )
        .select_related("kind")
        .order_by("path")
    )


def active_centre() -> Organisation | None:
    """The body that receives the portal's requests: the active People's Diplomacy Centre (the
    oldest, should there be two)."""
    return (
        Organisation.objects.filter(kind__code=CENTRE_KIND, status=Organisation.Status.ACTIVE)
        .order_by("path")
        .first()
    )


# --- What staff may pick: the policy's scope, searched --------------------------------------


def pickable_people(user: Any, search: str = "") -> QuerySet[Person]:
    """People of the registry the user knows of (``policies.scoped``), searched by name."""
    return registry_queries.scoped_people(user=user, query=search[:100])


def pickable_bodies(user: Any, search: str = "") -> QuerySet[Organisation]:
    """Active bodies of the user's subtrees, searched by name."""
    return registry_queries.scoped_bodies(
        user=user, query=search[:100], status=Organisation.Status.ACTIVE
    )


def pickable_events(user: Any, search: str = "") -> QuerySet[Event]:
    """Events organised by a body the user works on (staff subtrees), not cancelled."""
    events = (
        policies.scoped(Event.objects.all(), user)
        .filter(policies.prefix_q("organiser__path", staff_paths(user)))
        .exclude(status=Event.Status.CANCELLED)
    )
    for word in search.split()[:SEARCH_WORDS]:
        events = events.filter(_any_case("title", word))
    return events.order_by("-starts_at", "-pk")


def pickable_requests(user: Any) -> QuerySet[InternationalRequest]:
    """Requests a visit may answer: those the user keeps, being worked on or done with."""
    return (
        policies.scoped(InternationalRequest.objects.all(), user)
        .filter(
            policies.prefix_q("organisation__path", staff_paths(user)),
            status__in=InternationalRequest.VISIT_STATUSES,
        )
        .order_by("-received_on", "-pk")
    )


def _any_case(field: str, word: str) -> Q:
    return contains_q((field,), word)


# --- Lists -------------------------------------------------------------------------------------


def requests_list(user: Any, filters: dict[str, Any]) -> QuerySet[InternationalRequest]:
    """The register in the user's scope, filtered by year, status, country, kind and words
    (number, requester or text)."""
    rows = policies.scoped(InternationalRequest.objects.all(), user)
    if filters.get("year"):
        rows = rows.filter(received_on__year=filters["year"])
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("country"):
        rows = rows.filter(country=filters["country"])
    if filters.get("kind"):
        rows = rows.filter(requester_kind=filters["kind"])
    if filters.get("topic"):
        rows = rows.filter(topic=filters["topic"])
    for word in str(filters.get("q") or "").split()[:SEARCH_WORDS]:
        rows = rows.filter(
            _any_case("number", word) | _any_case("requester_name", word) | _any_case("text", word)
        )
    return rows.select_related("organisation").order_by("-received_on", "-pk")


def visits_list(user: Any, filters: dict[str, Any]) -> QuerySet[Visit]:
    rows = policies.scoped(Visit.objects.all(), user)
    if filters.get("year"):
        rows = rows.filter(starts_on__year=filters["year"])
    if filters.get("direction"):
        rows = rows.filter(direction=filters["direction"])
    if filters.get("country"):
        rows = rows.filter(country=filters["country"])
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    return (
        rows.select_related("organisation", "request")
        .annotate(event_count=Count("events", distinct=True))
        .order_by("-starts_on", "-pk")
    )


def ambassadors_active(on: datetime.date) -> Q:
    """Ambassadors in the Corps on ``on``: the term has begun and not ended."""
    return Q(since__lte=on) & (Q(until__isnull=True) | Q(until__gte=on))


def ambassadors_list(
    user: Any, filters: dict[str, Any], *, on: datetime.date
) -> QuerySet[Ambassador]:
    rows = policies.scoped(Ambassador.objects.all(), user)
    if filters.get("country"):
        rows = rows.filter(countries__country=filters["country"])
    if filters.get("active") == "yes":
        rows = rows.filter(ambassadors_active(on))
    elif filters.get("active") == "no":
        rows = rows.exclude(ambassadors_active(on))
    for word in str(filters.get("q") or "").split()[:SEARCH_WORDS]:
        rows = rows.filter(
            _any_case("person__last_name", word) | _any_case("person__first_name", word)
        )
    return (
        rows.select_related("person", "organisation")
        .prefetch_related("countries")
        .annotate(activity_count=Count("activities", distinct=True))
        .distinct()
        .order_by("person__last_name", "person__first_name", "pk")
    )


def ambassador_candidates(user: Any) -> QuerySet[Person]:
    """People with a current term in a Corps of Friendship Ambassadors the user works on who
    are not its ambassadors yet: whom the "new ambassador" page offers first."""
    today = legal_today()
    corps = Organisation.objects.filter(
        policies.prefix_q("path", staff_paths(user)), kind__code=CORPS_KIND
    )
    terms = Membership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        organisation__in=corps,
        start_date__lte=today,
    )
    return (
        pickable_people(user)
        .filter(pk__in=terms.values("person_id"))
        .exclude(pk__in=Ambassador.objects.filter(organisation__in=corps).values("person_id"))
    )


def activities_of(ambassador: Ambassador) -> QuerySet[AmbassadorActivity]:
    return ambassador.activities.select_related("event").order_by("-date", "-pk")


def request_years() -> list[int]:
    """The years that have requests, newest first (the filters' choices)."""
    years = InternationalRequest.objects.dates("received_on", "year", order="DESC")
    return [day.year for day in years]
