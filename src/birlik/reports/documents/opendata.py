"""The open data: what each dataset holds, its data dictionary, and how its rows are written.

Only non-personal data is published: the public registry of bodies (the fields the public body
page shows), the territory and the catalogues, public events (no registrations, no addresses of
people), and aggregates from the KPI registry. Every dataset is written as CSV (UTF-8 without a
byte order mark, comma-separated, a header row, RFC 4180 quoting, CRLF line ends) and as JSON (an
array of objects), row by row from database iterators, so size never means memory.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db.models import F, Min, OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from birlik.core import kpi

LANGS = ("kk", "ru", "en")
NATIONAL = "KZ"
YEARS_PUBLISHED = 5  # the indicators of this year and the four before it (those with data)
# Rows read from the database at a time by a dataset: what memory holds of it at most.
CHUNK_SIZE = 2000
CSV_FORMAT = _(
    "CSV files are UTF-8 without a byte order mark, comma-separated, with a header row; "
    "JSON files are arrays of objects with the same field names."
)


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema types: integer, number, string, date, datetime, boolean
    description: str | Promise


@dataclass
class Context:
    """What the computed datasets share during one generation."""

    years: list[int]
    indicator_rows: list[tuple[Any, ...]] | None = None
    progress: Callable[[str], None] = field(default=lambda _message: None)


@dataclass(frozen=True)
class Dataset:
    code: str
    title: str | Promise
    description: str | Promise
    fields: tuple[Field, ...]
    rows: Callable[[Context], Iterable[tuple[Any, ...]]]
    live: bool = True  # rows read straight from the database: may be streamed on request

    @property
    def field_names(self) -> list[str]:
        return [item.name for item in self.fields]


def _names(prefix: str, what: str | Promise) -> tuple[Field, ...]:
    labels = {"kk": _("in Kazakh"), "ru": _("in Russian"), "en": _("in English")}

    def described(language: str | Promise) -> str:
        return gettext("%(what)s, %(language)s") % {"what": what, "language": language}

    return tuple(
        Field(f"{prefix}_{lang}", "string", lazy(described, str)(labels[lang])) for lang in LANGS
    )


# --- Territory and catalogues -----------------------------------------------------------------


def _regions(_context: Context) -> Iterator[tuple[Any, ...]]:
    from birlik.geo.models import Region

    yield from (
        Region.objects.order_by("kato")
        .values_list(
            "iso",
            "kato",
            "kind",
            *(f"name_{lang}" for lang in LANGS),
            *(f"centre_{lang}" for lang in LANGS),
        )
        .iterator()
    )


def _districts(_context: Context) -> Iterator[tuple[Any, ...]]:
    from birlik.geo.models import District

    yield from (
        District.objects.order_by("kato")
        .values_list("kato", "region__iso", "kind", *(f"name_{lang}" for lang in LANGS))
        .iterator()
    )


def _kinds(_context: Context) -> Iterator[tuple[Any, ...]]:
    from birlik.registry.models import OrganisationKind

    yield from (
        OrganisationKind.objects.order_by("position", "code")
        .values_list("code", "level", *(f"name_{lang}" for lang in LANGS), "is_active")
        .iterator()
    )


def _programmes(_context: Context) -> Iterator[tuple[Any, ...]]:
    from birlik.events.models import Programme

    yield from (
        Programme.objects.order_by("position", "code")
        .values_list("code", *(f"name_{lang}" for lang in LANGS), "is_active")
        .iterator()
    )


def _codes(_context: Context) -> Iterator[tuple[Any, ...]]:
    """Every code an indicator's breakdown uses, named in the three languages."""
    kpi.autodiscover()
    dimensions = sorted(kpi.REGISTRY.labels)
    names: dict[str, dict[str, dict[str, str]]] = {}
    for lang in LANGS:
        with translation.override(lang):
            for dim in dimensions:
                for code, label in kpi.REGISTRY.labels[dim]().items():
                    names.setdefault(dim, {}).setdefault(str(code), {})[lang] = str(label)
    for dim in dimensions:
        for code in sorted(names.get(dim, {})):
            labels = names[dim][code]
            yield (dim, code, *(labels.get(lang, "") for lang in LANGS))


# --- Bodies and events ---------------------------------------------------------------------------


def _bodies(_context: Context) -> Iterator[tuple[Any, ...]]:
    from birlik.registry.models import Organisation

    parent = Organisation.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organisation.steplen)
    ).values("pk")[:1]
    qs = (
        Organisation.objects.order_by("pk")
        .annotate(parent_id=Subquery(parent), kind_code=F("kind__code"))
        .values_list(
            "pk",
            "parent_id",
            "kind_code",
            *(f"name_{lang}" for lang in LANGS),
            "region__iso",
            "district__kato",
            *(f"address_{lang}" for lang in LANGS),
            "phone",
            "email",
            "website",
            "founded_on",
            "status",
            "closed_on",
        )
    )
    yield from qs.iterator(chunk_size=CHUNK_SIZE)


def _events(_context: Context) -> Iterator[tuple[Any, ...]]:
    from birlik.events.models import Event
    from birlik.events.queries import PUBLIC_STATUSES

    qs = (
        Event.objects.filter(status__in=PUBLIC_STATUSES)
        .order_by("pk")
        .values_list(
            "pk",
            *(f"title_{lang}" for lang in LANGS),
            "kind",
            "format",
            "status",
            "starts_at",
            "ends_at",
            "organiser_id",
            "region__iso",
            "district__kato",
            "programme__code",
            "languages",
            "capacity",
            "participants_total",
        )
    )
    for row in qs.iterator(chunk_size=CHUNK_SIZE):
        languages = ",".join(code for code in str(row[13] or "").split(",") if code)
        yield (*row[:13], languages, *row[14:])


# --- Indicators ------------------------------------------------------------------------------


def published_years() -> list[int]:
    """This year and the years before it that have data, at most ``YEARS_PUBLISHED``."""
    from birlik.appeals.models import Appeal
    from birlik.events.models import Event, HistoricalFigure

    this_year = timezone.localdate().year
    firsts = [
        value
        for value in (
            Event.objects.aggregate(first=Min("starts_at"))["first"],
            Appeal.objects.aggregate(first=Min("received_at"))["first"],
        )
        if value is not None
    ]
    years = [timezone.localtime(value).year for value in firsts]
    # Yearly totals imported from the records kept before Birlik are published with their year.
    imported = HistoricalFigure.objects.aggregate(first=Min("year"))["first"]
    if imported is not None:
        years.append(imported)
    first = min(years) if years else this_year
    first = max(first, this_year - YEARS_PUBLISHED + 1)
    return list(range(first, this_year + 1))


# Indicators broken down by region whose rows for one region are not their national rows of
# that region (none known today): computed region by region, as the others without a region.
COMPUTED_PER_REGION: frozenset[str] = frozenset()


def indicator_figures(
    period: kpi.Period, regions: list[Any]
) -> Iterator[tuple[Any, kpi.Indicator, list[kpi.Row]]]:
    """Every public indicator of the period for the country (``None``) and each region, in
    that order: ``(region, indicator, rows)``, each computed once.

    An indicator broken down by region is computed once for the country; a region's rows are
    its national rows of that region (the same query, filtered, gives the same rows). The
    others are computed for each region."""
    items = kpi.public_indicators()
    national: dict[str, list[kpi.Row]] = {}
    for item in items:
        national[item.key] = item.compute(period, None)
        yield None, item, national[item.key]
    for region in regions:
        for item in items:
            if "region" in item.dimensions and item.key not in COMPUTED_PER_REGION:
                rows = [row for row in national[item.key] if row.get("region") == region.iso]
            else:
                rows = item.compute(period, region)
            yield region, item, rows


def _indicator_rows(context: Context) -> list[tuple[Any, ...]]:
    """Every indicator for each published year, national and for each region: computed once
    per generation, in the database, by the indicators' own functions
    (``indicator_figures``).

    Confidential work (mediation, charity) is published as the public dashboard shows it:
    totals and whole regions only, never a finer breakdown of a few cases.
    """
    if context.indicator_rows is not None:
        return context.indicator_rows
    from birlik.geo.models import Region
    from birlik.reports.queries import CONFIDENTIAL_APPS, regroup

    regions = list(Region.objects.order_by("kato"))
    rows: list[tuple[Any, ...]] = []
    for year in context.years:
        for region, item, computed in indicator_figures(kpi.Period.year(year), regions):
            scope = region.iso if region is not None else NATIONAL
            dims = list(item.dimensions)
            total = kpi.total_of(item, computed)
            if total is not None:  # averages, shares, overlapping rows: no total row
                rows.append((year, scope, item.key, *[""] * (2 * MAX_DIMENSIONS), total))
            if item.key.split(".", 1)[0] in CONFIDENTIAL_APPS:
                if "region" not in dims:
                    continue
                computed = [
                    {"region": code, "value": value}
                    for code, value in regroup(computed, "region").items()
                ]
                dims = ["region"]
            for row in computed:
                rows.append((year, scope, item.key, *_dimension_cells(dims, row), row["value"]))
        context.progress(f"indicators {year}")
    context.indicator_rows = rows
    return rows


MAX_DIMENSIONS = 3


def _dimension_cells(dims: list[str], row: dict[str, Any]) -> list[str]:
    """dimension_1, code_1 … dimension_3, code_3 (a fourth dimension and more join the third)."""
    cells: list[str] = []
    for index in range(MAX_DIMENSIONS):
        if index == MAX_DIMENSIONS - 1 and len(dims) > MAX_DIMENSIONS:
            rest = dims[index:]
            cells += ["|".join(rest), "|".join(str(row.get(dim)) for dim in rest)]
        elif index < len(dims):
            cells += [dims[index], str(row.get(dims[index]))]
        else:
            cells += ["", ""]
    return cells


def _indicators_of(prefix: str) -> Callable[[Context], Iterator[tuple[Any, ...]]]:
    def rows(context: Context) -> Iterator[tuple[Any, ...]]:
        for row in _indicator_rows(context):
            if not prefix or str(row[2]).startswith(prefix):
                yield row

    return rows


def _catalogue(_context: Context) -> Iterator[tuple[Any, ...]]:
    items = kpi.public_indicators()
    texts: dict[str, dict[str, tuple[str, str, str]]] = {}
    for lang in LANGS:
        with translation.override(lang):
            for item in items:
                texts.setdefault(item.key, {})[lang] = (
                    str(item.name),
                    str(item.unit),
                    str(item.description),
                )
    for item in items:
        by_lang = texts[item.key]
        yield (
            item.key,
            ",".join(item.dimensions),
            *(by_lang[lang][0] for lang in LANGS),
            *(by_lang[lang][1] for lang in LANGS),
            *(by_lang[lang][2] for lang in LANGS),
        )


# --- Surveys: published estimates ----------------------------------------------------------


def _published_cells() -> Any:
    """The cells of published surveys' latest weighting runs that may be shown: never a
    suppressed one (too few respondents), never a response."""
    from birlik.surveys.models import Estimate
    from birlik.surveys.queries import published_surveys, with_latest_run

    runs = [
        run_id
        for run_id in with_latest_run(published_surveys()).values_list("latest_run", flat=True)
        if run_id is not None
    ]
    return Estimate.objects.filter(run_id__in=runs, suppressed=False, value__isnull=False)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _survey_estimates(_context: Context) -> Iterator[tuple[Any, ...]]:
    cells = _published_cells().order_by(
        "run__survey__year",
        "run__survey__wave",
        "run__survey__slug",
        "question",
        "statistic",
        "dimension",
        "category",
    )
    for row in cells.values_list(
        "run__survey__slug",
        "run__survey__year",
        "run__survey__wave",
        "question",
        "statistic",
        "dimension",
        "category",
        "n",
        "effective_n",
        "value",
        "low",
        "high",
        "caution",
    ).iterator(chunk_size=CHUNK_SIZE):
        yield (*row[:8], round(row[8], 1), *(_rounded(v) for v in row[9:12]), row[12])


def _trust_index(_context: Context) -> Iterator[tuple[Any, ...]]:
    from birlik.surveys.models import Estimate

    cells = (
        _published_cells()
        .filter(
            run__survey__is_trust_index=True,
            question=Estimate.TRUST_INDEX,
            statistic="mean",
            dimension__in=("all", "region"),
        )
        .order_by(
            "run__survey__year", "run__survey__wave", "run__survey__slug", "dimension", "category"
        )
    )
    for slug, year, wave, dimension, category, value, low, high, n in cells.values_list(
        "run__survey__slug",
        "run__survey__year",
        "run__survey__wave",
        "dimension",
        "category",
        "value",
        "low",
        "high",
        "n",
    ).iterator(chunk_size=CHUNK_SIZE):
        scope = NATIONAL if dimension == "all" else category
        yield (slug, year, wave, scope, *(_rounded(v) for v in (value, low, high)), n)


INDICATOR_FIELDS = (
    Field("year", "integer", _("Calendar year the figure is for.")),
    Field(
        "region",
        "string",
        _("ISO 3166-2 code of the region (see regions), or KZ for the whole country."),
    ),
    Field("indicator", "string", _("Code of the indicator (see indicator_catalogue).")),
    Field(
        "dimension_1",
        "string",
        _("First breakdown of the figure (see codes); empty on the indicator's total row."),
    ),
    Field("code_1", "string", _("Code in the first breakdown.")),
    Field("dimension_2", "string", _("Second breakdown, if the indicator has one.")),
    Field("code_2", "string", _("Code in the second breakdown.")),
    Field("dimension_3", "string", _("Third breakdown, if the indicator has one.")),
    Field("code_3", "string", _("Code in the third breakdown.")),
    Field("value", "number", _("The figure, in the indicator's unit.")),
)

CODE_FIELD = Field("code", "string", _("Stable code."))

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "regions",
        _("Regions"),
        _("The 17 regions and 3 cities of republican significance."),
        (
            Field("iso", "string", _("ISO 3166-2 code, e.g. KZ-55.")),
            Field("kato", "string", _("KATO code of the region.")),
            Field("kind", "string", _("region, or city (of republican significance)")),
            *_names("name", pgettext_lazy("name of a thing", "Name")),
            *_names("centre", _("Administrative centre")),
        ),
        _regions,
    ),
    Dataset(
        "districts",
        _("Districts and cities"),
        _("Districts and cities of regional status, with their region."),
        (
            Field("kato", "string", _("KATO code.")),
            Field("region", "string", _("ISO 3166-2 code of the region.")),
            Field(
                "kind", "string", _("district, city (of regional significance) or city_district")
            ),
            *_names("name", pgettext_lazy("name of a thing", "Name")),
        ),
        _districts,
    ),
    Dataset(
        "body_kinds",
        _("Kinds of body"),
        _("The kinds of body of the Assembly (regional assemblies, houses of friendship…)."),
        (
            CODE_FIELD,
            Field("level", "string", _("national, regional, district or local")),
            *_names("name", pgettext_lazy("name of a thing", "Name")),
            Field("is_active", "boolean", _("Whether the kind is still in use.")),
        ),
        _kinds,
    ),
    Dataset(
        "programmes",
        _("Programmes"),
        _("Programmes and projects events belong to."),
        (
            CODE_FIELD,
            *_names("name", pgettext_lazy("name of a thing", "Name")),
            Field("is_active", "boolean", _("Whether the programme is still running.")),
        ),
        _programmes,
    ),
    Dataset(
        "bodies",
        _("Bodies of the Assembly"),
        _(
            "Every body of the public registry with its place in the hierarchy and territory "
            "and the contacts its public page shows; members are not published."
        ),
        (
            Field("id", "integer", _("Number of the body (its page is /bodies/<id>/).")),
            Field("parent_id", "integer", _("Number of the body above it; empty at the top.")),
            Field("kind", "string", _("Code of the kind of body (see body_kinds).")),
            *_names("name", pgettext_lazy("name of a thing", "Name")),
            Field("region", "string", _("ISO 3166-2 code of the region; empty if national.")),
            Field("district", "string", _("KATO code of the district, if any.")),
            *_names("address", _("Address of the body")),
            Field("phone", "string", _("Public phone number of the body.")),
            Field("email", "string", _("Public e-mail address of the body.")),
            Field("website", "string", _("Website of the body.")),
            Field("founded_on", "date", _("Date the body was founded.")),
            Field("status", "string", _("active or closed")),
            Field("closed_on", "date", _("Date the body was closed, if it was.")),
        ),
        _bodies,
    ),
    Dataset(
        "events",
        _("Public events"),
        _(
            "Events announced in the public calendar, with their participants count once held; "
            "no data about the people who registered."
        ),
        (
            Field("id", "integer", _("Number of the event.")),
            *_names("title", _("Title")),
            Field("kind", "string", _("Kind of event (see codes, dimension event_kind).")),
            Field("format", "string", _("in_person, online or mixed")),
            Field("status", "string", _("planned, open, held, reported or cancelled")),
            Field("starts_at", "datetime", _("Start, ISO 8601 with the Almaty offset.")),
            Field("ends_at", "datetime", _("End, ISO 8601 with the Almaty offset.")),
            Field("organiser_id", "integer", _("Number of the organising body (see bodies).")),
            Field("region", "string", _("ISO 3166-2 code of the region.")),
            Field("district", "string", _("KATO code of the district, if any.")),
            Field("programme", "string", _("Code of the programme (see programmes), if any.")),
            Field("languages", "string", _("Languages of the event, comma-separated codes.")),
            Field("capacity", "integer", _("Places; empty when not limited.")),
            Field(
                "participants",
                "integer",
                _("People checked in plus those the organiser reported, once held."),
            ),
        ),
        _events,
    ),
    Dataset(
        "codes",
        _("Codes of the breakdowns"),
        _("Names of the codes used in the indicators' breakdowns, in the three languages."),
        (
            Field("dimension", "string", _("Name of the breakdown (kind, region, programme…).")),
            CODE_FIELD,
            *_names("label", _("Label")),
        ),
        _codes,
        live=False,
    ),
    Dataset(
        "indicator_catalogue",
        _("Indicators"),
        _("Every indicator the platform computes: name, unit and how it is counted."),
        (
            Field("indicator", "string", _("Code of the indicator.")),
            Field("dimensions", "string", _("Its breakdowns, comma-separated.")),
            *_names("name", pgettext_lazy("name of a thing", "Name")),
            *_names("unit", _("Unit")),
            *_names("description", _("How it is counted")),
        ),
        _catalogue,
        live=False,
    ),
    Dataset(
        "indicators",
        _("Figures by year and region"),
        _("Every indicator for each year and region, with its breakdowns."),
        INDICATOR_FIELDS,
        _indicators_of(""),
        live=False,
    ),
    Dataset(
        "appeals_figures",
        _("Appeals and proposals: figures"),
        _("Aggregates of appeals and proposals by year and region; never an appeal's text."),
        INDICATOR_FIELDS,
        _indicators_of("appeals."),
        live=False,
    ),
    Dataset(
        "mediation_figures",
        _("Mediation: figures"),
        _(
            "Totals of mediation cases by year and region; cases themselves are confidential "
            "and no finer breakdown is published."
        ),
        INDICATOR_FIELDS,
        _indicators_of("mediation."),
        live=False,
    ),
    Dataset(
        "charity_figures",
        _("Charity: figures"),
        _(
            "Totals of charity aid by year and region; no beneficiary is named and no finer "
            "breakdown is published."
        ),
        INDICATOR_FIELDS,
        _indicators_of("charity."),
        live=False,
    ),
    Dataset(
        "survey_estimates",
        pgettext_lazy("open data", "Survey results"),
        _(
            "Weighted estimates of the published surveys (the latest weighting of each wave): "
            "every question's mean or shares, nationally and by region, ethnic group, age "
            "group, sex, urban or rural and home language. Cells with too few respondents and "
            "open answers are never published; no response is."
        ),
        (
            Field("survey", "string", _("Code of the survey wave (its page address).")),
            Field("year", "integer", _("Year of the wave.")),
            Field("wave", "integer", _("Number of the wave within its year.")),
            Field(
                "question",
                "string",
                _(
                    "Code of the question (a matrix row: code.row); TRUST_INDEX is the index "
                    "of interethnic trust, TRUSTING the share with an index of 60 or more."
                ),
            ),
            Field(
                "statistic",
                "string",
                _("mean, or share:<option code> for the share who chose that answer"),
            ),
            Field(
                "dimension",
                "string",
                _("all, region, ethnic_group, age_group, sex, settlement_type or home_language"),
            ),
            Field(
                "category",
                "string",
                _(
                    "Code within the breakdown: ISO 3166-2 code of a region, code of an ethnic "
                    "group, an age group, female/male, urban/rural, a language; empty for all."
                ),
            ),
            Field("n", "integer", _("Respondents in the cell (unweighted).")),
            Field("effective_n", "number", _("Effective number of respondents after weighting.")),
            Field(
                "value",
                "number",
                _(
                    "The estimate: a mean in the question's own scale (the index on 0–100), or "
                    "a share as a proportion from 0 to 1."
                ),
            ),
            Field("low", "number", _("Lower end of the confidence interval (95 %).")),
            Field("high", "number", _("Upper end of the confidence interval (95 %).")),
            Field(
                "caution",
                "boolean",
                _("true when the cell has few respondents: read the value with caution."),
            ),
        ),
        _survey_estimates,
    ),
    Dataset(
        "trust_index",
        _("Index of interethnic trust"),
        _(
            "The index of interethnic trust (0–100) of each published wave, over all its "
            "respondents and by region, with its confidence interval (95 %). Regions with too "
            "few respondents are left out."
        ),
        (
            Field("survey", "string", _("Code of the survey wave (its page address).")),
            Field("year", "integer", _("Year of the wave.")),
            Field("wave", "integer", _("Number of the wave within its year.")),
            Field(
                "region",
                "string",
                _(
                    "ISO 3166-2 code of the region, or KZ for all respondents of the wave (the "
                    "whole country for a national wave)."
                ),
            ),
            Field("value", "number", _("The weighted mean index, 0–100.")),
            Field("low", "number", _("Lower end of the confidence interval (95 %).")),
            Field("high", "number", _("Upper end of the confidence interval (95 %).")),
            Field("n", "integer", _("Respondents with an index (unweighted).")),
        ),
        _trust_index,
    ),
)

DATASETS_BY_CODE = {dataset.code: dataset for dataset in DATASETS}


# --- Writing ---------------------------------------------------------------------------------


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def csv_lines(dataset: Dataset, rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    """The CSV text of a dataset, a line at a time (for files and streamed responses)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(dataset.field_names)
    yield buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_csv_value(value) for value in row])
        yield buffer.getvalue()


def write_dataset(dataset: Dataset, context: Context, csv_file: TextIO, json_file: TextIO) -> int:
    """Both files of a dataset from one pass over its rows; returns the number of rows."""
    writer = csv.writer(csv_file)
    writer.writerow(dataset.field_names)
    names = dataset.field_names
    count = 0
    json_file.write("[")
    for row in dataset.rows(context):
        writer.writerow([_csv_value(value) for value in row])
        item = {name: _json_value(value) for name, value in zip(names, row, strict=True)}
        json_file.write(",\n" if count else "\n")
        json_file.write(json.dumps(item, ensure_ascii=False))
        count += 1
    json_file.write("\n]\n" if count else "]\n")
    return count


def dictionary(*, generated_at: datetime.datetime | None, years: list[int]) -> dict[str, Any]:
    """The data dictionary: each dataset's files, fields, types and descriptions in kk/ru/en.

    Shaped like a Frictionless Data Package (``resources`` with a Table Schema), with titles
    and descriptions given per language.
    """

    def texts(value: str | Promise) -> dict[str, str]:
        result = {}
        for lang in LANGS:
            with translation.override(lang):
                result[lang] = str(value)
        return result

    return {
        "name": "birlik-open-data",
        "title": texts(_("Open data of the Assembly of People of Kazakhstan")),
        "created": timezone.localtime(generated_at).isoformat() if generated_at else None,
        "years": years,
        "format": texts(CSV_FORMAT),
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "resources": [
            {
                "name": dataset.code,
                "title": texts(dataset.title),
                "description": texts(dataset.description),
                "path": [f"{dataset.code}.csv", f"{dataset.code}.json"],
                "encoding": "utf-8",
                "schema": {
                    "fields": [
                        {
                            "name": item.name,
                            "type": item.type,
                            "description": texts(item.description),
                        }
                        for item in dataset.fields
                    ]
                },
            }
            for dataset in DATASETS
        ],
    }
