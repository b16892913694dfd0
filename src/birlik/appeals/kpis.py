"""Indicators of appeals and proposals, computed in the database.

Appeals are counted by the period they were received in (Asia/Almaty): of those, how many were
answered on time or late, are still open past their term today, were not considered (anonymous),
redirected, or redirected after their 3-working-day term. Which appeals are overdue, on time or
late is decided in ``appeals.queries``, nowhere else. Proposals are counted by the period they
were sent in: of those, how many the state body answered and how many it took into account
(accepted or partly accepted).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db.models import Count, DateField, Q, QuerySet, Sum
from django.db.models.functions import Cast, TruncMonth
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from birlik.core.kpi import Period, Row, dimension_labels, indicator, whole_months
from birlik.core.workdays import LEGAL_TZ, legal_midnight, legal_today
from birlik.geo.models import Region

from . import queries
from .models import Appeal, Proposal
from .rollups import LATE, ON_TIME

Select = Callable[[QuerySet[Appeal]], QuerySet[Appeal]]


def _moment_range(field: str, period: Period) -> Q:
    # A range on the column itself lets the database use its index.
    return Q(
        **{
            f"{field}__gte": legal_midnight(period.start),
            f"{field}__lt": legal_midnight(period.end + datetime.timedelta(days=1)),
        }
    )


def received(period: Period, region: Region | None = None) -> QuerySet[Appeal]:
    """Appeals received in the period (by their date in Asia/Almaty)."""
    qs = Appeal.objects.filter(_moment_range("received_at", period))
    return qs.filter(organisation__region=region) if region is not None else qs


def sent_proposals(period: Period, region: Region | None = None) -> QuerySet[Proposal]:
    qs = Proposal.objects.filter(_moment_range("sent_at", period))
    return qs.filter(organisation__region=region) if region is not None else qs


def _on_time(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return queries.appeals_answered_on_time(qs=qs)


def _late(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return queries.appeals_answered_late(qs=qs)


def _overdue_today(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return queries.appeals_overdue(on=legal_today(), qs=qs)


def _redirected_late(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return queries.appeals_redirected_late(qs=qs)


def _answered(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return qs.filter(answered_at__isnull=False)


ANSWERED_Q = Q(answer__in=[ON_TIME, LATE])
CUBE = ("month", "region", "kind")


TAKEN_INTO_ACCOUNT = Q(
    status=Proposal.Status.ANSWERED,
    outcome__in=[Proposal.Outcome.ACCEPTED, Proposal.Outcome.PARTLY],
)


def _count_by(qs: QuerySet, field: str, dim: str) -> list[Row]:  # type: ignore[type-arg]
    rows = qs.values(field).annotate(value=Count("id")).order_by(field)
    return [{dim: r[field] or "none", "value": r["value"]} for r in rows]


# --- Figures from the rollup ------------------------------------------------------------------
# Whole months from ``AppealMonthFigure`` once it is built, the pieces of months a period cuts
# (and everything before the first build) from the appeals: the same rule on both sides, a
# condition on the rollup's row beside the selection of appeals it stands for.

RECORD_FIELDS = {
    "appeal_kind": "kind",
    "region": "organisation__region__iso",
    "kind": "organisation__kind__code",
    "district": "organisation__district__kato",
}
ROLLUP_FIELDS = {
    "appeal_kind": "kind",
    "region": "region_key",
    "kind": "body_kind_key",
    "district": "district_key",
}


def _codes(dimension: str) -> dict[int, str]:
    from birlik.geo.models import District
    from birlik.registry.models import OrganisationKind

    if dimension == "region":
        return dict(Region.objects.values_list("pk", "iso"))
    if dimension == "kind":
        return dict(OrganisationKind.objects.values_list("pk", "code"))
    return dict(District.objects.values_list("pk", "kato"))


def counted(
    period: Period,
    region: Region | None,
    group: tuple[str, ...],
    condition: Q = Q(),  # noqa: B008 - a Q is not changed
    select: Select = lambda qs: qs,
) -> list[Row]:
    """Appeals received in the period meeting ``condition`` (on the rollup's rows) and
    ``select`` (on the appeals), grouped by ``group``: rows of codes ("none" for no value;
    ``month``: "YYYY-MM") and ``value``."""
    from .models import AppealMonthFigure
    from .rollups import rollup_built

    sums: dict[tuple[str, ...], int] = {}
    dims = [dim for dim in group if dim != "month"]
    pieces = [period]
    if rollup_built():
        whole, pieces = whole_months(period)
        if whole:
            stored = AppealMonthFigure.objects.filter(condition, month__in=whole)
            if region is not None:
                stored = stored.filter(region_key=region.pk)
            fields = [ROLLUP_FIELDS[dim] for dim in dims]
            names = ["month", *fields] if "month" in group else fields
            maps = {dim: _codes(dim) for dim in dims if dim != "appeal_kind"}
            for row in stored.values(*names).annotate(n=Sum("appeals")).order_by():
                codes = tuple(
                    str(maps[dim].get(row[field], "none")) if dim in maps else row[field]
                    for dim, field in zip(dims, fields, strict=True)
                )
                key = (row["month"].strftime("%Y-%m"), *codes) if "month" in group else codes
                sums[key] = sums.get(key, 0) + int(row["n"] or 0)
    for piece in pieces:
        fields = [RECORD_FIELDS[dim] for dim in dims]
        appeals = select(received(piece, region))
        if "month" in group:
            month = Cast(TruncMonth("received_at", tzinfo=LEGAL_TZ), DateField())
            appeals = appeals.annotate(received_month=month)
        names = ["received_month", *fields] if "month" in group else fields
        for row in appeals.values(*names).annotate(n=Count("id")).order_by():
            codes = tuple(row[field] or "none" for field in fields)
            if "month" in group:
                codes = (row["received_month"].strftime("%Y-%m"), *codes)
            sums[codes] = sums.get(codes, 0) + row["n"]
    ordered = ["month", *dims] if "month" in group else dims
    rows = [
        {**dict(zip(ordered, key, strict=True)), "value": value}
        for key, value in sums.items()
        if value
    ]
    rows.sort(key=lambda row: tuple(str(row[dim]) for dim in ordered))
    return rows


# --- Appeals received ---------------------------------------------------------------------------

RECEIVED_HELP = _(
    "Appeals received in the period (by their date in Almaty), anonymous ones included."
)


@indicator(
    "appeals.received",
    name=_("Appeals received by kind of appeal"),
    unit=_("appeals"),
    dimensions=("appeal_kind",),
    order=400,
    description=RECEIVED_HELP,
)
def received_by_kind(period: Period, region: Region | None) -> list[Row]:
    return counted(period, region, ("appeal_kind",))


@indicator(
    "appeals.received_by_region",
    name=_("Appeals received by region"),
    unit=_("appeals"),
    dimensions=("region",),
    order=401,
    description=RECEIVED_HELP,
)
def received_by_region(period: Period, region: Region | None) -> list[Row]:
    return counted(period, region, ("region",))


@indicator(
    "appeals.received_by_body",
    name=_("Appeals received by kind of body"),
    unit=_("appeals"),
    dimensions=("kind",),
    order=402,
    description=RECEIVED_HELP,
)
def received_by_body(period: Period, region: Region | None) -> list[Row]:
    return counted(period, region, ("kind",))


# --- What became of them -----------------------------------------------------------------------


def _outcome(
    key: str,
    name: str | Promise,
    select: Select,
    order: int,
    help_text: str | Promise,
    condition: Q | None = None,
) -> None:
    @indicator(
        key,
        name=name,
        unit=_("appeals"),
        dimensions=("kind",),
        order=order,
        description=help_text,
    )
    def compute(period: Period, region: Region | None) -> list[Row]:
        if condition is None:  # a rule of today, not of a stored state: from the appeals
            return _count_by(select(received(period, region)), "organisation__kind__code", "kind")
        return counted(period, region, ("kind",), condition, select)


_outcome(
    "appeals.answered_on_time",
    _("Appeals answered on time"),
    _on_time,
    410,
    _("Appeals received in the period and answered by their term (an extension included)."),
    Q(answer=ON_TIME),
)
_outcome(
    "appeals.answered_late",
    _("Appeals answered late"),
    _late,
    411,
    _("Appeals received in the period and answered after their term."),
    Q(answer=LATE),
)
_outcome(
    "appeals.overdue",
    _("Appeals overdue and still open today"),
    _overdue_today,
    412,
    _("Appeals received in the period, still without an answer today, past their term."),
)
_outcome(
    "appeals.not_considered",
    _("Anonymous appeals not considered"),
    lambda qs: qs.filter(status=Appeal.Status.NOT_CONSIDERED),
    413,
    _("Anonymous appeals are registered but not considered, as the law says."),
    Q(status=Appeal.Status.NOT_CONSIDERED),
)
_outcome(
    "appeals.redirected",
    _("Appeals redirected to a competent body"),
    lambda qs: qs.filter(status=Appeal.Status.REDIRECTED),
    414,
    _("Appeals received in the period and sent on to a competent state body."),
    Q(status=Appeal.Status.REDIRECTED),
)
_outcome(
    "appeals.redirected_late",
    _("Appeals redirected after the three-working-day term"),
    _redirected_late,
    416,
    _(
        "Appeals received in the period and sent on to a competent state body later than three "
        "working days after their registration, the term the law sets."
    ),
    Q(status=Appeal.Status.REDIRECTED, redirected_late=True),
)


@indicator(
    "appeals.answered_on_time_share",
    name=_("Share of answers given on time"),
    unit=_("%"),
    dimensions=(),
    order=415,
    description=_(
        "Of the appeals received in the period and answered, the share answered on time."
    ),
)
def answered_on_time_share(period: Period, region: Region | None) -> list[Row]:
    totals = {"answered": 0, "on_time": 0}
    for row in counted(period, region, (), ANSWERED_Q, _answered):
        totals["answered"] += row["value"]
    for row in counted(period, region, (), Q(answer=ON_TIME), _on_time):
        totals["on_time"] += row["value"]
    if not totals["answered"]:
        return []
    return [{"value": round(100 * totals["on_time"] / totals["answered"], 1)}]


# --- Proposals to state bodies -----------------------------------------------------------------


def _proposals(key: str, name: str | Promise, condition: Q, by_region: bool, order: int) -> None:
    dimensions = ("region", "kind") if by_region else ("kind",)

    @indicator(
        key,
        name=name,
        unit=_("proposals"),
        dimensions=dimensions,
        order=order,
        description=_(
            "Proposals to state bodies sent in the period; answered and taken into account "
            "(accepted or partly accepted) as recorded so far."
        ),
    )
    def compute(period: Period, region: Region | None) -> list[Row]:
        qs = sent_proposals(period, region).filter(condition)
        if not by_region:
            return _count_by(qs, "organisation__kind__code", "kind")
        rows = (
            qs.values("organisation__region__iso", "organisation__kind__code")
            .annotate(value=Count("id"))
            .order_by("organisation__region__iso", "organisation__kind__code")
        )
        return [
            {
                "region": r["organisation__region__iso"] or "none",
                "kind": r["organisation__kind__code"],
                "value": r["value"],
            }
            for r in rows
        ]


_ANSWERED = Q(status=Proposal.Status.ANSWERED)
for _offset, (_key, _name, _condition) in enumerate(
    [
        ("sent", _("Proposals sent to state bodies"), Q()),
        ("answered", _("Proposals answered by state bodies"), _ANSWERED),
        ("taken", _("Proposals taken into account"), TAKEN_INTO_ACCOUNT),
    ]
):
    _proposals(f"appeals.proposals_{_key}", _name, _condition, False, 420 + 2 * _offset)
    _proposals(
        f"appeals.proposals_{_key}_by_region",
        {
            "sent": _("Proposals sent to state bodies by region"),
            "answered": _("Proposals answered by state bodies by region"),
            "taken": _("Proposals taken into account by region"),
        }[_key],
        _condition,
        True,
        421 + 2 * _offset,
    )


@dimension_labels("appeal_kind")
def appeal_kind_labels() -> dict[str, str]:
    return {code: str(label) for code, label in Appeal.Kind.choices}


# --- Cubes for dashboards: month × region × kind of body ---------------------------------------


@indicator(
    "appeals.received_cube",
    name=_("Appeals received by month, region and kind of body"),
    unit=_("appeals"),
    dimensions=("month", "region", "kind"),
    order=430,
    description=_(
        "Appeals received in the period (anonymous ones included), by month received (Almaty "
        "time), region and kind of the body that received them."
    ),
)
def received_cube(period: Period, region: Region | None) -> list[Row]:
    return counted(period, region, CUBE)


@indicator(
    "appeals.answered_on_time_cube",
    name=_("Appeals answered on time by month, region and kind of body"),
    unit=_("appeals"),
    dimensions=("month", "region", "kind"),
    order=431,
    description=_(
        "Appeals received in the period and answered by their term (an extension included), by "
        "month received, region and kind of the body that received them."
    ),
)
def answered_on_time_cube(period: Period, region: Region | None) -> list[Row]:
    return counted(period, region, CUBE, Q(answer=ON_TIME), _on_time)


@indicator(
    "appeals.received_by_district",
    name=_("Appeals received by district"),
    unit=_("appeals"),
    dimensions=("district",),
    order=432,
    description=_(
        "Appeals received in the period, by district of the body that received them; bodies of "
        "a whole region are counted under “district not given”."
    ),
)
def received_by_district(period: Period, region: Region | None) -> list[Row]:
    return counted(period, region, ("district",))


@indicator(
    "appeals.answered_on_time_by_district",
    name=_("Appeals answered on time by district"),
    unit=_("appeals"),
    dimensions=("district",),
    order=433,
    description=_(
        "Appeals received in the period and answered by their term, by district of the body "
        "that received them."
    ),
)
def answered_on_time_by_district(period: Period, region: Region | None) -> list[Row]:
    return counted(period, region, ("district",), Q(answer=ON_TIME), _on_time)


# --- interview figures (figures) ---------------------------------------------------------------
# "Appeals considered" of the Assembly's annual interview: those received in the period and
# answered on their substance (on time or late), by region and kind of the body.


def considered(period: Period, region: Region | None = None) -> QuerySet[Appeal]:
    """Appeals received in the period and answered (considered on their substance)."""
    return _on_time(received(period, region)) | _late(received(period, region))


@indicator(
    "appeals.considered",
    name=_("Appeals considered"),
    unit=_("appeals"),
    dimensions=("region", "kind"),
    order=440,
    description=_(
        "Appeals received in the period (by their date in Almaty) and answered on their "
        "substance, on time or late, by region and kind of the body that received them; "
        "anonymous appeals not considered and appeals redirected to a competent body are not "
        "counted."
    ),
)
def considered_by_region(period: Period, region: Region | None) -> list[Row]:
    condition = Q(answer__in=[ON_TIME, LATE])
    return counted(period, region, ("region", "kind"), condition, _considered)


def _considered(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return _on_time(qs) | _late(qs)
