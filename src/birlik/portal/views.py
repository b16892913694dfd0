"""The public portal: home page with figures and map, the directory of bodies, a body's page.

Read-only and public: no personal data of members is ever shown, only counts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from birlik.core import kpi
from birlik.events import queries as event_queries
from birlik.geo import map as region_map
from birlik.geo.models import Region
from birlik.registry import directory as public_reads
from birlik.registry.models import Organisation

from . import events_views
from .forms import DirectoryForm
from .search_forms import SearchForm

HOME_EVENTS = 3
# The search page shows the first few bodies and events; "all results" links give the rest.
SEARCH_SHOWN = 5
SEARCH_WORDS_SUGGESTED = 3
OSM_SEARCH = "https://www.openstreetmap.org/search"
HOUSE_OF_FRIENDSHIP = "house_of_friendship"


def _home_events(year: int) -> dict[str, Any]:
    """Events figures of the year and the next events, cached until the next change."""

    def build() -> dict[str, Any]:
        return {
            **event_queries.year_figures(year),
            "upcoming": event_queries.upcoming_events(limit=HOME_EVENTS),
        }

    value: dict[str, Any] = kpi.cached(f"portal:home:events:{year}", build)
    return value


def _houses_by_region(year: int) -> dict[str, int]:
    """Active Houses of Friendship per region (ISO code), from the registry's indicator."""

    def build() -> dict[str, int]:
        rows = kpi.compute("registry.bodies_by_region", kpi.Period.year(year))
        return {row["region"]: row["value"] for row in rows if row["kind"] == HOUSE_OF_FRIENDSHIP}

    value: dict[str, int] = kpi.cached(f"portal:home:houses:{year}", build)
    return value


def home(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    language = (get_language() or "kk").split("-")[0]
    figures = public_reads.cached_home_figures(year)
    events = _home_events(year)
    houses = _houses_by_region(year)
    shape = region_map.shape()
    bins = region_map.classes(row["value"] for row in figures["regions"])
    directory = reverse("portal:directory")
    regions = [
        {
            **row,
            "path": shape.paths.get(row["iso"], ""),
            "colour": region_map.class_of(row["value"], bins).colour,
            "url": f"{directory}?{urlencode({'region': row['iso']})}",
            "label": region_map.label(row["iso"], str(row["name"]), language=language),
            "centre": shape.centres.get(row["iso"]),
            "houses": houses.get(row["iso"], 0),
            "houses_url": f"{directory}?"
            + urlencode({"region": row["iso"], "kind": HOUSE_OF_FRIENDSHIP}),
        }
        for row in figures["regions"]
    ]
    return render(
        request,
        "portal/home.html",
        {
            "figures": figures,
            "regions": regions,
            "legend": bins,
            "view_box": shape.view_box,
            "events": events,
            "upcoming_events": events_views.items(events["upcoming"]),
            # The search box's regions come from the figures already read: no query more.
            "search_regions": [("", _("All regions"))]
            + [(row["iso"], row["name"]) for row in figures["regions"]],
        },
    )


def _search_suggestions(query: str, region: Region | None) -> list[events_views.Suggestion]:
    """What to change when nothing matches: the whole country, fewer words, or browsing."""
    base = reverse("portal:search")
    suggestions = []
    if region is not None and query:
        suggestions.append(
            events_views.Suggestion(
                _("Search the whole country"), f"{base}?{urlencode({'q': query})}"
            )
        )
    words = query.split()
    if len(words) > 1:
        suggestions += [
            events_views.Suggestion(
                _("Search only for “%(word)s”") % {"word": word},
                f"{base}?{urlencode({'q': word, **({'region': region.iso} if region else {})})}",
            )
            for word in words[:SEARCH_WORDS_SUGGESTED]
        ]
    suggestions += [
        events_views.Suggestion(_("Browse the directory of bodies"), reverse("portal:directory")),
        events_views.Suggestion(_("Open the calendar of events"), reverse("portal:events")),
    ]
    return suggestions


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Bodies (the directory's search) and upcoming events (the calendar's) for the same words
    and region: the first few of each, with links to all of them."""
    form = SearchForm(request.GET)
    query, region = form.terms()
    # form.near: what the "Use my location" button sent (the region it chose, or why none).
    context: dict[str, Any] = {
        "form": form,
        "invalid": bool(form.errors),
        "searched": False,
        "near": form.near,
    }
    if query or region is not None:
        kept = urlencode(form.understood())
        bodies = public_reads.directory_bodies(query=query, region=region)
        body_ids = list(bodies.values_list("pk", flat=True)[: SEARCH_SHOWN + 1])
        events = event_queries.calendar_events(query=query, region=region)
        found_events = list(events[: SEARCH_SHOWN + 1])
        body_total = bodies.count() if len(body_ids) > SEARCH_SHOWN else len(body_ids)
        event_total = events.count() if len(found_events) > SEARCH_SHOWN else len(found_events)
        context.update(
            searched=True,
            query=query,
            region=region,
            bodies=public_reads.bodies_in_order(body_ids[:SEARCH_SHOWN]),
            body_total=body_total,
            bodies_url=f"{reverse('portal:directory')}?{kept}",
            events=events_views.items(found_events[:SEARCH_SHOWN]),
            event_total=event_total,
            events_url=f"{reverse('portal:events')}?{kept}",
            suggestions=[] if body_total or event_total else _search_suggestions(query, region),
        )
    return render(request, "portal/search.html", context)


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryForm(request.GET)
    filters = form.filters()
    ids = public_reads.directory_bodies(**filters).values_list("pk", flat=True)
    paginator = Paginator(ids, settings.BIRLIK_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = public_reads.bodies_in_order(list(page.object_list))
    # Links to other pages keep the filters that were understood, and only those.
    kept = {
        key: value
        for key in form.fields
        if (value := request.GET.get(key, "")) and key not in form.errors
    }
    return render(
        request,
        "portal/directory.html",
        {
            "form": form,
            "page": page,
            "parent": filters.get("parent"),
            "filtered": any(filters.values()),
            "query_string": urlencode(kept),
            "invalid": bool(form.errors),
        },
    )


def body(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = public_reads.body_detail(pk)
    if organisation is None:
        raise Http404(_("There is no body with this number."))
    children = public_reads.active_children(organisation)
    shown = list(children[: public_reads.CHILDREN_SHOWN + 1])
    more = len(shown) > public_reads.CHILDREN_SHOWN
    ethnic_groups = (
        list(organisation.ethnic_groups.order_by("position", "code"))
        if organisation.kind.has_ethnic_groups
        else []
    )
    return render(
        request,
        "portal/body.html",
        {
            "body": organisation,
            "parent": public_reads.body_parent(organisation),
            "children": shown[: public_reads.CHILDREN_SHOWN],
            "children_total": children.count() if more else len(shown),
            "children_url": f"{reverse('portal:directory')}?{urlencode({'parent': pk})}",
            "ethnic_groups": ethnic_groups,
            "member_counts": public_reads.member_counts(organisation),
            "closed": organisation.status == organisation.Status.CLOSED,
            "events": events_views.items(event_queries.upcoming_events(organiser=organisation)),
            "events_url": f"{reverse('portal:events')}?{urlencode({'organiser': pk})}",
            "map_url": _map_search_url(organisation),
            "hours": public_reads.opening_hours_state(organisation),
        },
    )


def _map_search_url(organisation: Organisation) -> str:
    """A plain link to the body's address on OpenStreetMap (nothing is loaded from there on our
    pages): the address with its district and region, so that a street name alone is found."""
    if not organisation.address:
        return ""
    parts = [organisation.address]
    for place in (organisation.district, organisation.region):
        if place is not None and str(place.name) not in organisation.address:
            parts.append(str(place.name))
    return f"{OSM_SEARCH}?{urlencode({'query': ', '.join(parts)})}"
