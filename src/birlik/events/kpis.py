"""Indicators of events: events held and participants, by kind of body, region, programme and
audience, for a period. Counted in the database from the events' maintained rollups.

A period that covers whole years before this one also counts the totals imported for those
years from the records kept before Birlik (``HistoricalFigure``): by the region, district and
kind of their body and by their programme; they have no month (the cubes give them the year as
their month code), no audience and no kind of event ("none")."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from birlik.core.kpi import Period, Row, dimension_labels, indicator
from birlik.geo.models import Region

from .models import Audience, Event, Programme, Registration
from .queries import historical_rows

HELD = Q(status=Event.Status.HELD) | Q(status=Event.Status.REPORTED, report__held=True)
IMPORTED = _(
    "A period covering whole past years also counts the totals imported for those years from "
    "the records kept before Birlik."
)
NO_MONTH = _("Those totals have no month: the year stands in place of the month.")


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def held_events(period: Period, region: Region | None = None) -> QuerySet[Event]:
    """Events that took place in the period (by their start date in Asia/Almaty)."""
    # A range on the column itself (not ``starts_at__date``, a function of every row) lets the
    # database use the (status, starts_at) and (region, starts_at) indexes.
    qs = Event.objects.filter(HELD).filter(
        starts_at__gte=_local_midnight(period.start),
        starts_at__lt=_local_midnight(period.end + datetime.timedelta(days=1)),
    )
    return qs.filter(region=region) if region is not None else qs


def _with_imported(
    rows: list[Row], period: Period, region: Region | None, dim: str, measure: str
) -> list[Row]:
    """The rows with the imported yearly totals of the period added under their code of
    ``dim`` ("none" for what they do not record: audience, kind of event)."""
    imported = historical_rows(period, region)
    if not imported:
        return rows
    merged = {row[dim]: dict(row) for row in rows}
    for item in imported:
        value = item[measure]
        if not value:
            continue
        code = item.get(dim, "none")
        if code in merged:
            merged[code]["value"] += value
        else:
            merged[code] = {dim: code, "value": value}
    return list(merged.values())


def _rows(
    qs: QuerySet[Event], field: str, dim: str, measure: str, period: Period, region: Region | None
) -> list[Row]:
    value = Count("id", distinct=True) if measure == "events" else Sum("participants_total")
    rows = qs.values(field).annotate(value=value).order_by(field)
    counted = [{dim: r[field] or "none", "value": r["value"] or 0} for r in rows]
    return _with_imported(counted, period, region, dim, measure)


def _declare(measure: str, dim: str, field: str, order: int) -> None:
    names = {
        ("events", "kind"): _("Events held by kind of body"),
        ("events", "region"): _("Events held by region"),
        ("events", "programme"): _("Events held by programme"),
        ("events", "audience"): _("Events held by audience"),
        ("events", "event_kind"): _("Events held by kind of event"),
        ("participants", "kind"): _("Participants by kind of body"),
        ("participants", "region"): _("Participants by region"),
        ("participants", "programme"): _("Participants by programme"),
        ("participants", "audience"): _("Participants by audience"),
        ("participants", "event_kind"): _("Participants by kind of event"),
    }
    unit = _("events") if measure == "events" else _("participants")
    suffix = "" if dim == "kind" else f"_by_{dim}"

    @indicator(
        f"events.{measure}{suffix}",
        name=names[(measure, dim)],
        unit=unit,
        dimensions=(dim,),
        order=order,
        additive=dim != "audience",  # an event with several audiences is in several rows
        description=format_lazy(
            "{} {}",
            _(
                "Participants: people checked in online plus those the organiser reported; an "
                "event with several audiences counts for each of them."
            )
            if measure == "participants"
            else _("Events held (or reported as held) that started in the period."),
            IMPORTED,
        ),
    )
    def compute(period: Period, region: Region | None) -> list[Row]:
        return _rows(held_events(period, region), field, dim, measure, period, region)


for _order, (_dim, _field) in enumerate(
    [
        ("kind", "organiser__kind__code"),
        ("region", "region__iso"),
        ("programme", "programme__code"),
        ("audience", "audiences__code"),
        ("event_kind", "kind"),
    ]
):
    _declare("events", _dim, _field, 100 + _order)
    _declare("participants", _dim, _field, 200 + _order)


@indicator(
    "events.participants_unique",
    name=_("Unique participants identified"),
    unit=pgettext_lazy("unit", "people"),
    dimensions=(),
    order=300,
    description=format_lazy(
        "{} {}",
        _(
            "Different people checked in at events of the period, known by their phone or "
            "e-mail; people only counted on paper without contact are not included."
        ),
        _("Totals imported from the records kept before Birlik are not included either."),
    ),
)
def participants_unique(period: Period, region: Region | None) -> list[Row]:
    qs = Registration.objects.filter(
        checked_in_at__isnull=False,
        event__in=held_events(period, region).values("pk"),
    ).exclude(status=Registration.Status.CANCELLED)
    return [{"value": qs.values("participant_key").distinct().count()}]


@dimension_labels("programme")
def programme_labels() -> dict[str, str]:
    labels = {p.code: p.name for p in Programme.objects.all()}
    labels["none"] = str(_("outside programmes"))
    return labels


@dimension_labels("audience")
def audience_labels() -> dict[str, str]:
    labels = {a.code: a.name for a in Audience.objects.all()}
    labels["none"] = str(_("audience not given"))
    return labels


@dimension_labels("event_kind")
def event_kind_labels() -> dict[str, str]:
    labels = {code: str(label) for code, label in Event.Kind.choices}
    labels["none"] = str(_("not recorded (imported yearly totals)"))
    return labels


# --- Cubes for dashboards: month × region × kind of body ---------------------------------------
# One grouped query gives every breakdown a dashboard draws (by region, by month, by kind, each
# filtered by kind of body), so the figures on a page and in the annual report stay equal.

CUBE_DIMENSIONS = ("month", "region", "kind")


def month_bounds(period: Period) -> list[tuple[str, datetime.datetime, datetime.datetime]]:
    """Each month the period touches: its code and the moments it starts and ends (Almaty)."""
    months = []
    day = period.start
    while day <= period.end:
        following = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        last = min(period.end, following - datetime.timedelta(days=1))
        months.append(
            (
                day.strftime("%Y-%m"),
                _local_midnight(day),
                _local_midnight(last + datetime.timedelta(days=1)),
            )
        )
        day = following
    return months


def monthly_cube(
    qs: QuerySet,  # type: ignore[type-arg]
    moment: str,
    region: str,
    kind: str,
    measures: dict[str, str | None],
    period: Period,
) -> dict[str, list[Row]]:
    """Rows month × region × kind for each measure (name → field to sum, or None to count),
    in one grouped query: one conditional aggregate per month and measure (a range on the
    indexed column, no date function per row), grouped by ids named from the small region and
    kind tables."""
    from birlik.registry.models import OrganisationKind

    months = month_bounds(period)
    aggregates = {}
    for name, field in measures.items():
        for index, (_code, start, end) in enumerate(months):
            within = Q(**{f"{moment}__gte": start, f"{moment}__lt": end})
            aggregates[f"{name}_{index}"] = (
                Sum(field, filter=within) if field else Count("id", filter=within)
            )
    grouped = list(qs.values(region, kind).annotate(**aggregates).order_by())
    regions = dict(Region.objects.values_list("pk", "iso"))
    kinds = dict(OrganisationKind.objects.values_list("pk", "code"))
    result: dict[str, list[Row]] = {}
    for name in measures:
        rows: list[Row] = []
        for group in grouped:
            for index, (code, _start, _end) in enumerate(months):
                amount = group[f"{name}_{index}"] or 0
                if amount:
                    rows.append(
                        {
                            "month": code,
                            "region": regions.get(group[region], "none"),
                            "kind": kinds.get(group[kind], "none"),
                            "value": amount,
                        }
                    )
        rows.sort(key=lambda row: (row["month"], row["region"], row["kind"]))
        result[name] = rows
    return result


def _whole_months(period: Period) -> tuple[list[datetime.date], list[Period]]:
    """The calendar months the period covers whole, and the pieces of months it cuts."""
    whole: list[datetime.date] = []
    pieces: list[Period] = []
    day = period.start
    while day <= period.end:
        first = day.replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        last = following - datetime.timedelta(days=1)
        if day == first and period.end >= last:
            whole.append(first)
        else:
            pieces.append(Period(day, min(period.end, last)))
        day = following
    return whole, pieces


def _from_rollup(period: Period, region: Region | None) -> dict[str, list[Row]]:
    """Whole months from the rollup ``EventMonthFigure``, cut months counted from the events."""
    from birlik.registry.models import OrganisationKind

    from .models import EventMonthFigure

    whole, pieces = _whole_months(period)
    regions = dict(Region.objects.values_list("pk", "iso"))
    kinds = dict(OrganisationKind.objects.values_list("pk", "code"))
    result: dict[str, list[Row]] = {"events": [], "participants": []}
    stored = EventMonthFigure.objects.filter(month__in=whole)
    if region is not None:
        stored = stored.filter(region=region)
    for month, region_id, kind_id, events, participants in stored.values_list(
        "month", "region_id", "kind_id", "events", "participants"
    ):
        base = {
            "month": month.strftime("%Y-%m"),
            "region": regions.get(region_id, "none"),
            "kind": kinds.get(kind_id, "none"),
        }
        if events:
            result["events"].append({**base, "value": events})
        if participants:
            result["participants"].append({**base, "value": participants})
    for piece in pieces:
        counted = _count_cubes(piece, region)
        for name in result:
            result[name].extend(counted[name])
    for rows in result.values():
        rows.sort(key=lambda row: (row["month"], row["region"], row["kind"]))
    return result


def _count_cubes(period: Period, region: Region | None) -> dict[str, list[Row]]:
    return monthly_cube(
        held_events(period, region),
        "starts_at",
        "region_id",
        "organiser__kind_id",
        {"events": None, "participants": "participants_total"},
        period,
    )


def _cubes(period: Period, region: Region | None) -> dict[str, list[Row]]:
    """Events and participants cubes: from the rollup once it is built (whole months), else
    counted from the events in one query; the second indicator asked in the same state of the
    figures reuses the first one's answer."""
    from birlik.core.kpi import cached

    from .models import EventFiguresBuilt

    def build() -> dict[str, list[Row]]:
        if EventFiguresBuilt.objects.exists():
            return _from_rollup(period, region)
        return _count_cubes(period, region)

    def with_imported() -> dict[str, list[Row]]:
        result = build()
        imported = _imported_cubes(period, region)
        for name in result:
            result[name] = sorted(
                [*result[name], *imported[name]],
                key=lambda row: (row["month"], row["region"], row["kind"]),
            )
        return result

    iso = region.iso if region is not None else "all"
    value: dict[str, list[Row]] = cached(
        f"events:cubes:{period.start}:{period.end}:{iso}", with_imported, timeout=60
    )
    return value


def _imported_cubes(period: Period, region: Region | None) -> dict[str, list[Row]]:
    """The imported yearly totals as cube rows: the year is their month code."""
    sums: dict[tuple[str, str, str], dict[str, int]] = {}
    for item in historical_rows(period, region):
        key = (str(item["year"]), item["region"], item["kind"])
        into = sums.setdefault(key, {"events": 0, "participants": 0})
        into["events"] += item["events"]
        into["participants"] += item["participants"]
    result: dict[str, list[Row]] = {"events": [], "participants": []}
    for (month, region_code, kind), values in sums.items():
        for name in result:
            if values[name]:
                result[name].append(
                    {"month": month, "region": region_code, "kind": kind, "value": values[name]}
                )
    return result


@indicator(
    "events.events_cube",
    name=_("Events held by month, region and kind of body"),
    unit=_("events"),
    dimensions=CUBE_DIMENSIONS,
    order=150,
    description=format_lazy(
        "{} {} {}",
        _(
            "Events held (or reported as held) that started in the period, by month of their "
            "start (Almaty time), region of the event and kind of the organising body."
        ),
        IMPORTED,
        NO_MONTH,
    ),
)
def events_cube(period: Period, region: Region | None) -> list[Row]:
    return _cubes(period, region)["events"]


@indicator(
    "events.participants_cube",
    name=_("Participants by month, region and kind of body"),
    unit=_("participants"),
    dimensions=CUBE_DIMENSIONS,
    order=250,
    description=format_lazy(
        "{} {} {}",
        _(
            "Participants of the events held in the period (people checked in online plus those "
            "the organiser reported), by month, region of the event and kind of the organising "
            "body."
        ),
        IMPORTED,
        NO_MONTH,
    ),
)
def participants_cube(period: Period, region: Region | None) -> list[Row]:
    return _cubes(period, region)["participants"]


def _by_district(period: Period, region: Region | None, measure: str) -> list[Row]:
    value = Count("id") if measure == "events" else Sum("participants_total")
    rows = (
        held_events(period, region)
        .values("district__kato")
        .annotate(value=value)
        .order_by("district__kato")
    )
    counted = [{"district": r["district__kato"] or "none", "value": r["value"] or 0} for r in rows]
    return _with_imported(counted, period, region, "district", measure)


@indicator(
    "events.events_by_district",
    name=_("Events held by district"),
    unit=_("events"),
    dimensions=("district",),
    order=160,
    description=format_lazy(
        "{} {}",
        _(
            "Events held (or reported as held) that started in the period, by district of the "
            "event; events with no district given are counted under “district not given”."
        ),
        IMPORTED,
    ),
)
def events_by_district(period: Period, region: Region | None) -> list[Row]:
    return _by_district(period, region, "events")


@indicator(
    "events.participants_by_district",
    name=_("Participants by district"),
    unit=_("participants"),
    dimensions=("district",),
    order=260,
    description=format_lazy(
        "{} {}",
        _(
            "Participants of the events held in the period, by district of the event; events "
            "with no district given are counted under “district not given”."
        ),
        IMPORTED,
    ),
)
def participants_by_district(period: Period, region: Region | None) -> list[Row]:
    return _by_district(period, region, "participants")


# --- programmes (programmes) -------------------------------------------------------------------
# Figures of the programmes that bodies join, by programme and region: the public programme
# pages, the plan's programme targets and the annual report read these, so they show the same
# numbers. Events and participants by programme and region add up, programme by programme, to
# ``events.events_by_programme`` and ``events.participants_by_programme``.

# Kinds of event the interview counts as "performances": concerts, and the plays and shows that
# the imports file under the same kind (``queries._KIND_WORDS``: «спектакль», «қойылым», театр).
PERFORMANCE_KINDS = (Event.Kind.CONCERT,)
FESTIVAL_KINDS = (Event.Kind.FESTIVAL,)
PROGRAMME_REGION = ("programme", "region")


def _programme_region_rows(qs: QuerySet[Event], value: Count | Sum) -> list[Row]:
    rows = qs.values("programme__code", "region__iso").annotate(value=value).order_by()
    return [
        {
            "programme": row["programme__code"] or "none",
            "region": row["region__iso"] or "none",
            "value": row["value"] or 0,
        }
        for row in rows
        if row["value"]
    ]


def _programme_region_with_imported(
    rows: list[Row], period: Period, region: Region | None, measure: str
) -> list[Row]:
    merged = {(row["programme"], row["region"]): dict(row) for row in rows}
    for item in historical_rows(period, region):
        if not item[measure]:
            continue
        key = (item["programme"], item["region"])
        if key in merged:
            merged[key]["value"] += item[measure]
        else:
            merged[key] = {"programme": key[0], "region": key[1], "value": item[measure]}
    return sorted(merged.values(), key=lambda row: (row["programme"], row["region"]))


@indicator(
    "events.programme_bodies",
    name=_("Bodies taking part in programmes, by programme and region"),
    unit=_("bodies"),
    dimensions=PROGRAMME_REGION,
    order=1800,
    # A body in two programmes is in both rows: the rows of one programme add up, not all rows.
    additive=False,
    description=_(
        "Bodies of the Assembly that took part in the programme at any time in the period (joined "
        "on or before its last day and not left before its first), by the region of the body "
        "(“none”: bodies of the whole country). Each body counts once per programme."
    ),
)
def programme_bodies(period: Period, region: Region | None) -> list[Row]:
    from .programme_queries import memberships_during

    qs = memberships_during(period)
    if region is not None:
        qs = qs.filter(organisation__region=region)
    rows = (
        qs.values("programme__code", "organisation__region__iso")
        .annotate(value=Count("organisation", distinct=True))
        .order_by("programme__code", "organisation__region__iso")
    )
    return [
        {
            "programme": row["programme__code"],
            "region": row["organisation__region__iso"] or "none",
            "value": row["value"],
        }
        for row in rows
    ]


@indicator(
    "events.programme_events",
    name=_("Events held by programme and region"),
    unit=_("events"),
    dimensions=PROGRAMME_REGION,
    order=1801,
    description=format_lazy(
        "{} {}",
        _(
            "Events held (or reported as held) that started in the period, by their programme "
            "(“none”: outside programmes) and the region of the event."
        ),
        IMPORTED,
    ),
)
def programme_events(period: Period, region: Region | None) -> list[Row]:
    rows = _programme_region_rows(held_events(period, region), Count("id"))
    return _programme_region_with_imported(rows, period, region, "events")


@indicator(
    "events.programme_participants",
    name=_("Participants by programme and region"),
    unit=_("participants"),
    dimensions=PROGRAMME_REGION,
    order=1802,
    description=format_lazy(
        "{} {}",
        _(
            "Participants of the events held in the period (people checked in online plus those "
            "the organiser reported), by programme and region of the event."
        ),
        IMPORTED,
    ),
)
def programme_participants(period: Period, region: Region | None) -> list[Row]:
    rows = _programme_region_rows(held_events(period, region), Sum("participants_total"))
    return _programme_region_with_imported(rows, period, region, "participants")


@indicator(
    "events.festivals",
    name=_("Festivals held, by programme and region"),
    unit=_("festivals"),
    dimensions=PROGRAMME_REGION,
    order=1803,
    description=_(
        "Events of the kind “festival” held (or reported as held) that started in the period, by "
        "programme and region of the event. Yearly totals imported from earlier records have "
        "no kind of event and are not included."
    ),
)
def festivals(period: Period, region: Region | None) -> list[Row]:
    qs = held_events(period, region).filter(kind__in=FESTIVAL_KINDS)
    return _programme_region_rows(qs, Count("id"))


@indicator(
    "events.performances",
    name=_("Performances given, by programme and region"),
    unit=_("performances"),
    dimensions=PROGRAMME_REGION,
    order=1804,
    description=_(
        "Events of the kind “concert” held (or reported as held) that started in the period: "
        "concerts, plays and other stage performances (imports file «спектакль», «қойылым» "
        "and theatre under this kind), by programme and region of the event. Yearly totals "
        "imported from earlier records have no kind of event and are not included."
    ),
)
def performances(period: Period, region: Region | None) -> list[Row]:
    qs = held_events(period, region).filter(kind__in=PERFORMANCE_KINDS)
    return _programme_region_rows(qs, Count("id"))
