"""Indicators of events: events held and participants, by kind of body, region, programme and
audience, for a period. Counted in the database from the events' maintained rollups.

A period that covers whole years before this one also counts the totals imported for those
years from the records kept before Birlik (``HistoricalFigure``): by the region, district and
kind of their body and by their programme; they have no month (the cubes give them the year as
their month code), no audience and no kind of event ("none")."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from birlik.core.kpi import (
    Period,
    Row,
    dimension_labels,
    indicator,
    missing_part,
    whole_months,
)
from birlik.geo.models import Region

from .models import Audience, Event, Programme, Registration
from .queries import historical_rows
from .services import held_q, month_of

HELD = held_q()
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


# --- Figures from the rollups ---------------------------------------------------------------------
# Each dimension as the rollups name it and as the events do: whole months are read from the
# rollups (``EventFigure``, ``EventAudienceFigure`` for the audience) once they are built, the
# pieces of months a period cuts (and everything before the first build) from the events.

FIGURE_FIELDS: dict[str, tuple[str, str]] = {
    "region": ("region__iso", "region__iso"),
    "district": ("district__kato", "district__kato"),
    "kind": ("kind__code", "organiser__kind__code"),
    "programme": ("programme__code", "programme__code"),
    "event_kind": ("event_kind", "kind"),
    "audience": ("audience__code", "audiences__code"),
}


def _lookups(conditions: dict[str, Any], side: int) -> dict[str, Any]:
    """``{"programme": "x", "event_kind__in": [...]}`` as lookups of the rollup (side 0) or of
    the events (side 1)."""
    named = {}
    for key, value in conditions.items():
        dim, _sep, lookup = key.partition("__")
        named[FIGURE_FIELDS[dim][side] + (f"__{lookup}" if lookup else "")] = value
    return named


def rollup_built() -> bool:
    """Whether the figures may read the rollups, asked once per state of the figures."""
    from birlik.core.kpi import cached

    from .models import EventFiguresBuilt

    return bool(cached("events:rollup-built", EventFiguresBuilt.objects.exists, timeout=60))


def figures(
    period: Period,
    region: Region | None,
    group: tuple[str, ...],
    where: dict[str, Any] | None = None,
    exclude: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Events held in the period and their participants, grouped by ``group`` (dimension codes,
    "none" for no value; ``month`` gives the first day of the month), filtered by ``where`` and
    ``exclude`` (dimension lookups): rows with ``events`` and ``participants``."""
    from .models import EventAudienceFigure, EventFigure

    where, exclude = where or {}, exclude or {}
    dims = [dim for dim in group if dim != "month"]
    by_audience = any(key.partition("__")[0] == "audience" for key in [*dims, *where, *exclude])
    sums: dict[tuple[Any, ...], list[int]] = {}

    def add(key: tuple[Any, ...], events: int, participants: int) -> None:
        into = sums.setdefault(key, [0, 0])
        into[0] += int(events or 0)
        into[1] += int(participants or 0)

    def from_events(part: Period) -> None:
        fields = [FIGURE_FIELDS[dim][1] for dim in dims]
        events = (
            held_events(part, region).filter(**_lookups(where, 1)).exclude(**_lookups(exclude, 1))
        )
        if "month" in group:
            events = events.annotate(event_month=month_of("starts_at"))
        names = ["event_month", *fields] if "month" in group else fields
        rows = (
            events.values(*names)
            .annotate(events=Count("id"), participants=Sum("participants_total"))
            .order_by()
        )
        for row in rows:
            codes = tuple(row[field] or "none" for field in fields)
            key = (row["event_month"], *codes) if "month" in group else codes
            add(key, row["events"], row["participants"])

    if rollup_built():
        whole, pieces = whole_months(period)
        if whole:
            model = EventAudienceFigure if by_audience else EventFigure
            fields = [FIGURE_FIELDS[dim][0] for dim in dims]
            stored = model.objects.filter(month__in=whole, **_lookups(where, 0)).exclude(
                **_lookups(exclude, 0)
            )
            if region is not None:
                stored = stored.filter(region=region)
            names = ["month", *fields] if "month" in group else fields
            for row in (
                stored.values(*names)
                .annotate(n_events=Sum("events"), n_participants=Sum("participants"))
                .order_by()
            ):
                codes = tuple(row[field] or "none" for field in fields)
                key = (row["month"], *codes) if "month" in group else codes
                add(key, row["n_events"], row["n_participants"])
    else:
        pieces = [period]
    for piece in pieces:
        from_events(piece)
    ordered = ["month", *dims] if "month" in group else dims
    result = []
    for key, (events, participants) in sums.items():
        if events:
            figure: dict[str, Any] = dict(zip(ordered, key, strict=True))
            figure.update(events=events, participants=participants)
            result.append(figure)
    result.sort(key=lambda figure: tuple(str(figure[dim]) for dim in ordered))
    return result


def _measure_rows(
    period: Period, region: Region | None, dim: str, measure: str, **conditions: Any
) -> list[Row]:
    return [
        {dim: row[dim], "value": row[measure]}
        for row in figures(period, region, (dim,), **conditions)
    ]


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


def _declare(measure: str, dim: str, order: int) -> None:
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
        rows = _measure_rows(period, region, dim, measure)
        return _with_imported(rows, period, region, dim, measure)


for _order, _dim in enumerate(["kind", "region", "programme", "audience", "event_kind"]):
    _declare("events", _dim, 100 + _order)
    _declare("participants", _dim, 200 + _order)


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
    return [{"value": unique_participants(period, region)}]


def _checked_in_keys(period: Period, region: Region | None) -> QuerySet[Any]:
    return (
        Registration.objects.filter(
            checked_in_at__isnull=False, event__in=held_events(period, region).values("pk")
        )
        .exclude(status=Registration.Status.CANCELLED)
        .values("participant_key")
    )


def unique_participants(period: Period, region: Region | None = None) -> int:
    """Different people checked in at events held in the period (and region). From the
    per-person rollups once built: a period of whole months from January of one year is a sum of
    at most twelve ``ParticipantYearCount`` rows, one month a count of ``ParticipantMonth`` rows;
    other periods count the different people of their months' rows, with the check-ins of the
    months they cut."""
    from .models import COUNTRY, ParticipantMonth, ParticipantYearCount

    if not rollup_built():
        return _checked_in_keys(period, region).distinct().count()
    scope = region.pk if region is not None else COUNTRY
    whole, pieces = whole_months(period)
    if whole and not pieces:
        first, last = whole[0], whole[-1]
        if first.month == 1 and first.year == last.year:
            people = ParticipantYearCount.objects.filter(
                scope=scope, year=first.year, first_month__lte=last.month
            ).aggregate(people=Sum("people"))["people"]
            return int(people or 0)
        if len(whole) == 1:
            return ParticipantMonth.objects.filter(scope=scope, month=first).count()
    parts: list[QuerySet[Any]] = [_checked_in_keys(piece, region).order_by() for piece in pieces]
    if whole:
        parts.append(
            ParticipantMonth.objects.filter(scope=scope, month__in=whole)
            .values("participant_key")
            .order_by()
        )
    if len(parts) == 1:
        return parts[0].distinct().count()
    return parts[0].union(*parts[1:]).count()


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


def _from_rollup(period: Period, region: Region | None) -> dict[str, list[Row]]:
    """Whole months from the rollup ``EventMonthFigure``, cut months counted from the events."""
    from birlik.registry.models import OrganisationKind

    from .models import EventMonthFigure

    whole, pieces = whole_months(period)
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
    rows = _measure_rows(period, region, "district", measure)
    return _with_imported(rows, period, region, "district", measure)


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


def _programme_region_rows(
    period: Period, region: Region | None, measure: str, **conditions: Any
) -> list[Row]:
    return [
        {"programme": row["programme"], "region": row["region"], "value": row[measure]}
        for row in figures(period, region, PROGRAMME_REGION, **conditions)
        if row[measure]
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
    rows = _programme_region_rows(period, region, "events")
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
    rows = _programme_region_rows(period, region, "participants")
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
    where = {"event_kind__in": FESTIVAL_KINDS}
    return _programme_region_rows(period, region, "events", where=where)


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
    where = {"event_kind__in": PERFORMANCE_KINDS}
    return _programme_region_rows(period, region, "events", where=where)


# --- interview figures (figures) ---------------------------------------------------------------
# Figures of the Assembly's annual interview that events give: «Мың бала» over ten years and
# the media trainings for journalists and bloggers; and what the festivals and performances
# cannot count (imported yearly totals do not give the kind of their events).

MYN_BALA = "myn_bala"
DECADE_YEARS = 10
# Media trainings: the events of the Journalists' Club's trainings programme, and trainings and
# courses held for the audience "journalists and bloggers" whoever organised them.
MEDIA_PROGRAMME = "journalists_trainings"
MEDIA_AUDIENCE = "journalists"
MEDIA_KINDS = (Event.Kind.TRAINING, Event.Kind.COURSE)


def decade(period: Period) -> Period:
    """The ten calendar years to the period's end: the year of its end and the nine before it,
    up to the period's last day."""
    return Period(datetime.date(period.end.year - DECADE_YEARS + 1, 1, 1), period.end)


def programme_years(period: Period, region: Region | None, code: str) -> dict[tuple[int, str], int]:
    """Events of one programme held in the period, by calendar year (Almaty) and region of the
    event, the yearly totals imported for the whole years it covers included (by the region of
    their body): {(year, region): events}."""
    cells: dict[tuple[int, str], int] = {}
    for row in figures(period, region, ("month", "region"), where={"programme": code}):
        key = (row["month"].year, row["region"])
        cells[key] = cells.get(key, 0) + row["events"]
    for item in historical_rows(period, region):
        if item["programme"] == code and item["events"]:
            key = (item["year"], item["region"])
            cells[key] = cells.get(key, 0) + item["events"]
    return dict(sorted(cells.items()))


def _decade_of(period: Period, region: Region | None) -> dict[str, list[Any]]:
    """«Мың бала» in the ten years to the period's end: its events by year and region
    (``cells``: [year, region, events]) and the years with no record at all though the
    programme ran then (``absent``, by its first and last year), shared by the figure and what
    it lacks (cached while the figures stand)."""
    from birlik.core.kpi import cached

    span = decade(period)

    def build() -> dict[str, list[Any]]:
        cells = programme_years(span, region, MYN_BALA)
        recorded = {year for year, _region in cells}
        absent = [
            year for year in range(span.start.year, span.end.year + 1) if year not in recorded
        ]
        if absent:
            programme = Programme.objects.filter(code=MYN_BALA).first()
            absent = [year for year in absent if programme is None or programme.active_in(year)]
        return {
            "cells": [[year, code, value] for (year, code), value in cells.items()],
            "absent": absent,
        }

    iso = region.iso if region is not None else "all"
    value: dict[str, list[Any]] = cached(
        f"events:decade:{MYN_BALA}:{span.start}:{span.end}:{iso}", build, timeout=60
    )
    return value


def _decade_missing(period: Period, region: Region | None) -> str:
    absent = _decade_of(period, region)["absent"]
    if not absent:
        return ""
    return ngettext(
        "No record at all for %(years)s: neither events of the programme held then nor a yearly "
        "total imported from earlier records.",
        "No record at all for %(years)s: neither events of the programme held in those years "
        "nor their yearly totals imported from earlier records.",
        len(absent),
    ) % {"years": ", ".join(str(year) for year in absent)}


@indicator(
    "events.myn_bala_decade",
    name=_("Events of «Myn Bala» over ten years"),
    unit=_("events"),
    dimensions=("region",),
    order=1810,
    description=_(
        "Events of the programme «Myn Bala» held (or reported as held) in the ten calendar years "
        "to the end of the period (the year of its end and the nine before it), by region; the "
        "totals imported for those years from the records kept before Birlik are included. "
        "Years the programme did not run (by its first and last year) are not expected."
    ),
    missing=_decade_missing,
)
def myn_bala_decade(period: Period, region: Region | None) -> list[Row]:
    by_region: dict[str, int] = {}
    for _year, code, value in _decade_of(period, region)["cells"]:
        by_region[code] = by_region.get(code, 0) + value
    return [{"region": code, "value": value} for code, value in sorted(by_region.items())]


def media_trainings_held(period: Period, region: Region | None = None) -> QuerySet[Event]:
    """Media trainings held in the period: the Journalists' Club trainings programme, and
    trainings and courses for journalists and bloggers."""
    for_journalists = Event.objects.filter(audiences__code=MEDIA_AUDIENCE).values("pk")
    return held_events(period, region).filter(
        Q(programme__code=MEDIA_PROGRAMME) | Q(kind__in=MEDIA_KINDS, pk__in=for_journalists)
    )


def _media_rows(period: Period, region: Region | None, measure: str) -> list[Row]:
    """Media trainings (``events``) or their participants by region of the event, the yearly
    totals imported for the trainings programme included: both measures come from one grouped
    query (cached while the figures stand)."""
    from birlik.core.kpi import cached

    def build() -> dict[str, dict[str, int]]:
        # The trainings programme, then the trainings for journalists outside it: no event is
        # in both parts, so they add up to ``media_trainings_held``.
        grouped = [
            *figures(period, region, ("region",), where={"programme": MEDIA_PROGRAMME}),
            *figures(
                period,
                region,
                ("region",),
                where={"audience": MEDIA_AUDIENCE, "event_kind__in": MEDIA_KINDS},
                exclude={"programme": MEDIA_PROGRAMME},
            ),
        ]
        merged: dict[str, dict[str, int]] = {"events": {}, "participants": {}}
        for row in grouped:
            for name, by_region in merged.items():
                by_region[row["region"]] = by_region.get(row["region"], 0) + row[name]
        for item in historical_rows(period, region):
            if item["programme"] == MEDIA_PROGRAMME:
                for name, by_region in merged.items():
                    by_region[item["region"]] = by_region.get(item["region"], 0) + item[name]
        return merged

    iso = region.iso if region is not None else "all"
    merged: dict[str, dict[str, int]] = cached(
        f"events:media:{period.start}:{period.end}:{iso}", build, timeout=60
    )
    return [
        {"region": code, "value": value} for code, value in sorted(merged[measure].items()) if value
    ]


_MEDIA_TRAININGS = _(
    "Trainings, seminars and courses for journalists and bloggers held (or reported as held) "
    "that started in the period: the events of the Journalists' Club trainings programme and "
    "the trainings and courses whose audience is journalists and bloggers, by region of the "
    "event."
)


@indicator(
    "events.media_trainings",
    name=_("Media trainings for journalists and bloggers"),
    unit=_("events"),
    dimensions=("region",),
    order=1811,
    description=format_lazy("{} {}", _MEDIA_TRAININGS, IMPORTED),
)
def media_trainings(period: Period, region: Region | None) -> list[Row]:
    return _media_rows(period, region, "events")


@indicator(
    "events.media_training_participants",
    name=_("Participants of the media trainings"),
    unit=_("participants"),
    dimensions=("region",),
    order=1812,
    description=format_lazy(
        "{} {} {}",
        _MEDIA_TRAININGS,
        _("Participants: people checked in online plus those the organiser reported."),
        IMPORTED,
    ),
)
def media_training_participants(period: Period, region: Region | None) -> list[Row]:
    return _media_rows(period, region, "participants")


def _kind_not_imported(period: Period, region: Region | None) -> str:
    years = sorted({item["year"] for item in historical_rows(period, region) if item["events"]})
    if not years:
        return ""
    return ngettext(
        "The yearly total imported from earlier records for %(years)s does not give the kind of "
        "its events: those of this kind among them are not counted.",
        "The yearly totals imported from earlier records for %(years)s do not give the kind of "
        "their events: those of this kind among them are not counted.",
        len(years),
    ) % {"years": ", ".join(str(year) for year in years)}


missing_part("events.festivals")(_kind_not_imported)
missing_part("events.performances")(_kind_not_imported)
