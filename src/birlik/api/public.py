"""Public reads (no token): the registry of bodies, territory, events and the figures.

Only what the portal shows: a body's public facts and member counts, never people; figures come
from the KPI registry, so mediation and charity appear only as aggregates.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router

from birlik.core import kpi
from birlik.events import queries as event_queries
from birlik.events.models import Event, Programme
from birlik.geo.models import District, Region
from birlik.registry import directory
from birlik.registry.models import Organisation, OrganisationKind

from . import queries, schemas
from .problems import ApiProblem, field_error
from .responses import errors

router = Router()

LANGS = ("kk", "ru", "en")


def _absolute(name: str, pk: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs={"pk": pk})


def _url_maker(name: str) -> Any:
    """``pk → absolute URL`` of a portal page, reversing once per list rather than per row."""
    marker = 987654321
    template = _absolute(name, marker).replace(str(marker), "{pk}")
    return lambda pk: template.format(pk=pk)


def _unknown(field: str, detail: Any) -> ApiProblem:
    return ApiProblem(422, errors=[field_error(field, detail)])


def _region(code: str | None) -> Region | None:
    if not code:
        return None
    region = queries.region_by_iso(code)
    if region is None:
        raise _unknown("region", _("No region has this code; see /api/v1/regions."))
    return region


# --- Territory, kinds, programmes ------------------------------------------------------------


@router.get(
    "/regions", response={200: list[schemas.RegionOut], **errors(422, 429)}, tags=["territory"]
)
def regions(request: HttpRequest) -> list[dict[str, Any]]:
    """The 20 regions and cities of republican significance (KATO order)."""
    return [
        {"iso": r.iso, "kato": r.kato, "name": r.name, "kind": r.kind, "centre": r.centre}
        for r in Region.objects.order_by("kato")
    ]


@router.get(
    "/regions/{iso}/districts",
    response={200: list[schemas.DistrictOut], **errors(404, 429)},
    tags=["territory"],
)
def districts(request: HttpRequest, iso: str) -> list[dict[str, Any]]:
    """The districts and cities of regional significance of one region."""
    region = queries.region_by_iso(iso[:5])
    if region is None:
        raise ApiProblem(404, _("No region has this code; see /api/v1/regions."))
    return [
        {"kato": d.kato, "name": d.name, "kind": d.kind, "region": region.iso}
        for d in District.objects.filter(region=region).order_by("kato")
    ]


@router.get("/kinds", response={200: list[schemas.KindOut], **errors(429)}, tags=["registry"])
def kinds(request: HttpRequest) -> list[dict[str, Any]]:
    """Kinds of body (data: the Assembly adds them without a release)."""
    return [
        {
            "code": k.code,
            "name": k.name,
            "name_plural": k.name_plural,
            "level": k.level,
            "description": k.description or "",
        }
        for k in OrganisationKind.objects.filter(is_active=True).order_by("position", "code")
    ]


@router.get(
    "/programmes", response={200: list[schemas.ProgrammeOut], **errors(429)}, tags=["events"]
)
def programmes(request: HttpRequest) -> list[dict[str, Any]]:
    """Programmes and projects of the Assembly that events belong to."""
    return [
        {
            "code": p.code,
            "name": p.name,
            "description": p.description or "",
            "is_active": p.is_active,
        }
        for p in Programme.objects.order_by("position", "code")
    ]


# --- Bodies -----------------------------------------------------------------------------------


def _body_row(body: Organisation, url: Any = None) -> dict[str, Any]:
    return {
        "id": body.pk,
        "name": body.name,
        "kind": body.kind.code,
        "kind_name": body.kind.name,
        "status": body.status,
        "region": body.region.iso if body.region else None,
        "district": body.district.kato if body.district else None,
        "address": body.address or "",
        "closed_on": body.closed_on,
        "url": url(body.pk) if url is not None else _absolute("portal:body", body.pk),
    }


@router.get("/bodies", response={200: schemas.BodyPage, **errors(422, 429)}, tags=["registry"])
def bodies(request: HttpRequest, filters: Query[schemas.BodyQuery]) -> dict[str, Any]:
    """Bodies of the Assembly, sorted by name in the language asked for (then id)."""
    region = _region(filters.region)
    district = None
    if filters.district:
        district = queries.district_by_kato(filters.district)
        if district is None:
            raise _unknown("district", _("No district has this KATO code."))
    kind = None
    if filters.kind:
        kind = OrganisationKind.objects.filter(code=filters.kind).first()
        if kind is None:
            raise _unknown("kind", _("No kind of body has this code; see /api/v1/kinds."))
    parent = None
    if filters.parent:
        parent = directory.body_detail(filters.parent)
        if parent is None:
            raise _unknown("parent", _("There is no body with this number."))
    found = directory.directory_bodies(
        query=filters.q, region=region, district=district, kind=kind, parent=parent
    )
    if filters.status:
        found = found.filter(status=filters.status)
    ids = found.values_list("pk", flat=True)
    count = queries.cached_count(found)
    page = list(ids[filters.offset : filters.offset + filters.limit])
    url = _url_maker("portal:body")
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_body_row(body, url) for body in directory.bodies_in_order(page)],
    }


@router.get(
    "/bodies/{pk}", response={200: schemas.BodyDetail, **errors(404, 422, 429)}, tags=["registry"]
)
def body(request: HttpRequest, pk: int) -> dict[str, Any]:
    """A body's public facts: contacts of the body, its place in the tree, member counts."""
    found = directory.body_detail(pk) if 0 < pk < 2**62 else None
    if found is None:
        raise ApiProblem(404, _("There is no body with this number."))
    parent = directory.body_parent(found)
    groups = (
        list(found.ethnic_groups.order_by("position", "code"))
        if found.kind.has_ethnic_groups
        else []
    )
    return {
        **_body_row(found),
        "names": {lang: getattr(found, f"name_{lang}", "") or "" for lang in LANGS},
        "description": found.description or "",
        "phone": found.phone or "",
        "email": found.email or "",
        "website": found.website or "",
        "founded_on": found.founded_on,
        "parent": {"id": parent.pk, "name": parent.name} if parent else None,
        "ethnic_groups": [{"code": g.code, "name": g.name} for g in groups],
        "members_by_role": [
            {"role": row["role"], "label": str(row["label"]), "value": row["value"]}
            for row in directory.member_counts(found)
        ],
        "opening_hours": [
            {"weekday": i.weekday, "opens": f"{i.opens:%H:%M}", "closes": f"{i.closes:%H:%M}"}
            for i in directory.opening_week(found)
        ],
        "opening_hours_note": found.opening_hours_note or "",
        "open_on_public_holidays": found.open_on_public_holidays,
    }


# --- Events -----------------------------------------------------------------------------------


def event_row(item: Event, kinds: dict[str, str] | None = None, url: Any = None) -> dict[str, Any]:
    kinds = kinds if kinds is not None else _kind_names()
    return {
        "id": item.pk,
        "title": item.title or "",
        "kind": item.kind,
        "kind_name": kinds.get(item.kind, item.kind),
        "format": item.format,
        "status": item.status,
        "organiser": {"id": item.organiser_id, "name": item.organiser.name},
        "region": item.region.iso,
        "district": item.district.kato if item.district else None,
        "programme": item.programme.code if item.programme else None,
        "starts_at": item.starts_at,
        "ends_at": item.ends_at,
        "languages": item.language_codes,
        "address": item.address or "",
        "online_url": item.online_url or "",
        "registration_required": item.registration_required,
        "capacity": item.capacity,
        "places_left": item.places_left,
        "participants": item.participants_total if item.is_counted else None,
        "updated_at": item.updated_at,
        "url": url(item.pk) if url is not None else _absolute("portal:event", item.pk),
    }


def _kind_names() -> dict[str, str]:
    return {code: str(label) for code, label in Event.Kind.choices}


def event_detail_row(item: Event) -> dict[str, Any]:
    report = getattr(item, "report", None) if item.status in event_queries.SHOWN_AFTER else None
    return {
        **event_row(item),
        "titles": {lang: getattr(item, f"title_{lang}", "") or "" for lang in LANGS},
        "description": item.description or "",
        "venue": {"id": item.venue.pk, "name": item.venue.name} if item.venue else None,
        "co_organisers": [{"id": b.pk, "name": b.name} for b in item.co_organisers.all()],
        "audiences": [a.code for a in item.audiences.all()],
        "accessibility": item.accessibility_codes,
        "outcomes": (report.outcomes or "") if report is not None and report.held else "",
    }


@router.get("/events", response={200: schemas.EventPage, **errors(422, 429)}, tags=["events"])
def events(request: HttpRequest, filters: Query[schemas.EventQuery]) -> dict[str, Any]:
    """Public events by start, then id. With dates, events overlapping the period."""
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        raise _unknown("date_to", _("The end of the period is before its start."))
    organiser = None
    if filters.body:
        organiser = directory.body_detail(filters.body)
        if organiser is None:
            raise _unknown("body", _("There is no body with this number."))
    programme = None
    if filters.programme:
        programme = Programme.objects.filter(code=filters.programme).first()
        if programme is None:
            raise _unknown("programme", _("No programme has this code; see /api/v1/programmes."))
    updated_since = filters.updated_since
    if updated_since is not None and timezone.is_naive(updated_since):
        updated_since = timezone.make_aware(updated_since)
    found = queries.api_events(
        region=_region(filters.region),
        organiser=organiser,
        kind=filters.kind or "",
        programme=programme,
        date_from=filters.date_from,
        date_to=filters.date_to,
        updated_since=updated_since,
    )
    count = queries.cached_count(found)
    # The page's ids first (no joins while skipping ``offset`` rows), then its rows.
    ids = list(found.values_list("pk", flat=True)[filters.offset : filters.offset + filters.limit])
    loaded = event_queries.public_events().in_bulk(ids)
    rows = [loaded[pk] for pk in ids if pk in loaded]
    kinds, url = _kind_names(), _url_maker("portal:event")
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [event_row(item, kinds, url) for item in rows],
    }


@router.get(
    "/events/{pk}", response={200: schemas.EventDetail, **errors(404, 422, 429)}, tags=["events"]
)
def event(request: HttpRequest, pk: int) -> dict[str, Any]:
    """One public event with its co-organisers, audiences and (once held) its outcomes."""
    item = event_queries.event_detail(pk) if 0 < pk < 2**62 else None
    if item is None:
        raise ApiProblem(404, _("There is no event with this number."))
    return event_detail_row(item)


# --- Figures ----------------------------------------------------------------------------------


def _period(filters: schemas.PeriodQuery) -> kpi.Period:
    if filters.date_from or filters.date_to:
        if filters.year is not None:
            raise _unknown("year", _("Give either a year or a period from–to, not both."))
        if not (filters.date_from and filters.date_to):
            raise _unknown("date_to", _("Give both the start and the end of the period."))
        if filters.date_to < filters.date_from:
            raise _unknown("date_to", _("The end of the period is before its start."))
        if (filters.date_to - filters.date_from).days > 366 * 10:
            raise _unknown("date_from", _("The period can be at most ten years long."))
        return kpi.Period(filters.date_from, filters.date_to)
    return kpi.Period.year(filters.year or timezone.localdate().year)


def _indicator_meta(item: kpi.Indicator) -> dict[str, Any]:
    return {
        "key": item.key,
        "name": str(item.name),
        "unit": str(item.unit),
        "dimensions": list(item.dimensions),
        "description": str(item.description or ""),
    }


def _number(value: Any) -> int | float | None:
    if value is None or isinstance(value, int | float):
        return value
    return float(value)


def _values(item: kpi.Indicator, period: kpi.Period, region: Region | None) -> dict[str, Any]:
    rows = kpi.label_rows(item.compute(period, region), item.dimensions)
    shown = []
    for row in rows:
        shown.append(
            {
                "dimensions": {dim: str(row.get(dim, "")) for dim in item.dimensions},
                "labels": {
                    dim: str(row.get(f"{dim}_name", row.get(dim, ""))) for dim in item.dimensions
                },
                "value": _number(row.get("value")),
            }
        )
    overall = kpi.total_of(item, rows)
    total = None if overall is None else _number(overall)
    return {**_indicator_meta(item), "total": total, "rows": shown}


def _figures(period: kpi.Period, region: Region | None, keys: list[str]) -> HttpResponse:
    """The indicators ``keys``, as JSON checked against the schema once and kept (as bytes)
    until the next change of a figure: the national figures run to megabytes."""
    language = (get_language() or "kk").split("-")[0]
    where = region.iso if region else "all"
    wanted = set(keys)
    digest = hashlib.sha256(",".join(sorted(wanted)).encode()).hexdigest()[:24]
    name = f"api:figures:{language}:{period.start}:{period.end}:{where}:{digest}"

    def build() -> bytes:
        data = {
            "period": {"start": period.start, "end": period.end},
            "region": region.iso if region else None,
            "indicators": [
                _values(item, period, region)
                for item in kpi.public_indicators()
                if item.key in wanted
            ],
        }
        return schemas.Figures.model_validate(data).model_dump_json().encode()

    content: bytes = kpi.cached(name, build)
    return HttpResponse(content, content_type="application/json; charset=utf-8")


def _keys(raw: str) -> list[str]:
    known = [item.key for item in kpi.public_indicators()]
    if not raw.strip():
        return known
    asked = [key.strip() for key in raw.split(",") if key.strip()]
    unknown = [key for key in asked if key not in known]
    if unknown:
        raise _unknown(
            "indicators",
            _("No indicator has this key; see /api/v1/indicators."),
        )
    return asked


@router.get(
    "/indicators", response={200: list[schemas.IndicatorOut], **errors(429)}, tags=["figures"]
)
def indicators(request: HttpRequest) -> list[dict[str, Any]]:
    """Every indicator of the KPI registry, named in the language asked for."""
    return [_indicator_meta(item) for item in kpi.public_indicators()]


@router.get("/figures", response={200: schemas.Figures, **errors(422, 429)}, tags=["figures"])
def figures(request: HttpRequest, filters: Query[schemas.FiguresQuery]) -> HttpResponse:
    """Indicators (all, or those named in ``indicators``) for a year (default: this year) or a
    period, national or one region."""
    period = _period(filters)
    return _figures(period, _region(filters.region), _keys(filters.indicators))


@router.get(
    "/indicators/{key}",
    response={200: schemas.Figures, **errors(404, 422, 429)},
    tags=["figures"],
)
def indicator(request: HttpRequest, key: str, filters: Query[schemas.PeriodQuery]) -> HttpResponse:
    """One indicator for a year or a period, with its rows by dimension."""
    if key not in {item.key for item in kpi.public_indicators()}:
        raise ApiProblem(404, _("No indicator has this key; see /api/v1/indicators."))
    period = _period(filters)
    return _figures(period, _region(filters.region), [key])
