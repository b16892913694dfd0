"""Indicators of surveys and the expert council: surveys run, respondents, the interethnic trust
index by region and year (read from stored estimates, never from responses), studies,
recommendations made and acted on. Each part keeps its own section."""

from __future__ import annotations

# --- Surveys and the trust index (stats) ----------------------------------------------------------
import datetime
from typing import Any, cast

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from birlik.core.kpi import Period, Row, dimension_labels, indicator
from birlik.geo import labels as geo_labels
from birlik.geo.models import Region

from .models import Estimate, Mode, Response, Survey

# Public figures: counts of surveys and respondents, and the trust index of published waves read
# from the stored estimates of each wave's latest weighting run (never from the responses).
# Suppressed cells (too few respondents) are left out; non-public surveys give counts only.

# Codes of the ``survey_region`` dimension besides the regions' ISO codes.
WHOLE_SURVEY = "all"  # the estimate over every respondent of the wave
REGION_NOT_GIVEN = geo_labels.NO_REGION  # a respondent who gave no region


def _ended_in(period: Period) -> tuple[datetime.date, datetime.date]:
    """The days on which a wave's fieldwork may have ended to count for the period: within
    it and not after today."""
    return period.start, min(period.end, timezone.localdate())


@indicator(
    "surveys.run",
    name=pgettext_lazy("indicator", "Surveys conducted"),
    unit=pgettext_lazy("unit", "surveys"),
    dimensions=("region",),
    order=1600,
    description=_(
        "Survey waves whose fieldwork ended in the period, by the region of the body that "
        "conducted them (national bodies have no region)."
    ),
)
def surveys_run(period: Period, region: Region | None) -> list[Row]:
    waves = Survey.objects.exclude(status=Survey.Status.PLANNED).filter(
        ends_on__range=_ended_in(period)
    )
    if region is not None:
        waves = waves.filter(organisation__region=region)
    counted = (
        waves.order_by()
        .values("organisation__region__iso")
        .annotate(value=Count("id"))
        .order_by("organisation__region__iso")
    )
    return [
        {"region": r["organisation__region__iso"] or geo_labels.NO_REGION, "value": r["value"]}
        for r in counted
    ]


@indicator(
    "surveys.respondents",
    name=pgettext_lazy("indicator", "Survey respondents"),
    unit=pgettext_lazy("unit", "respondents"),
    dimensions=("survey_region", "survey_mode"),
    order=1601,
    description=_(
        "Answers to the surveys submitted in the period and kept for the analysis, by the "
        "region the respondent gave and the way they were collected. Counts only: answers are "
        "anonymous and never published."
    ),
)
def survey_respondents(period: Period, region: Region | None) -> list[Row]:
    answers = Response.objects.filter(
        excluded=False, submitted_on__range=(period.start, period.end)
    )
    if region is not None:
        answers = answers.filter(region=region)
    counted = (
        answers.order_by()
        .values("region__iso", "mode")
        .annotate(value=Count("id"))
        .order_by("region__iso", "mode")
    )
    return [
        {
            "survey_region": r["region__iso"] or REGION_NOT_GIVEN,
            "survey_mode": r["mode"],
            "value": r["value"],
        }
        for r in counted
    ]


def published_trust_waves() -> QuerySet[Survey]:
    """Published waves that measure the trust index, each with the id of its latest run."""
    from .queries import published_surveys, with_latest_run

    return with_latest_run(published_surveys().filter(is_trust_index=True)).filter(
        latest_run__isnull=False
    )


@indicator(
    "surveys.trust_index",
    name=_("Index of interethnic trust"),
    unit=pgettext_lazy("unit", "points of 100"),
    dimensions=("survey_wave", "survey_region"),
    order=1602,
    additive=False,
    description=_(
        "The weighted mean index (0–100) of the published survey waves whose fieldwork ended "
        "in the period: over all respondents of the wave and by region. A region with too few "
        "respondents is left out."
    ),
)
def trust_index_by_region(period: Period, region: Region | None) -> list[Row]:
    waves: dict[int, str] = {
        cast(Any, wave).latest_run: wave.slug
        for wave in published_trust_waves().filter(ends_on__range=_ended_in(period))
    }
    cells = Estimate.objects.filter(
        run_id__in=list(waves),
        question=Estimate.TRUST_INDEX,
        statistic="mean",
        suppressed=False,
        value__isnull=False,
    )
    if region is not None:
        cells = cells.filter(dimension="region", category=region.iso)
    else:
        cells = cells.filter(dimension__in=("all", "region"))
    rows = [
        {
            "survey_wave": waves[run_id],
            "survey_region": WHOLE_SURVEY if dimension == "all" else category,
            "value": round(value, 1),
        }
        for run_id, dimension, category, value in cells.values_list(
            "run_id", "dimension", "category", "value"
        )
        if value is not None
    ]
    return sorted(rows, key=lambda r: (r["survey_wave"], r["survey_region"] != WHOLE_SURVEY))


@dimension_labels("survey_region")
def survey_region_labels() -> dict[str, str]:
    return {
        WHOLE_SURVEY: pgettext("estimate", "all respondents"),
        **geo_labels.region_names(),
        REGION_NOT_GIVEN: str(_("region not given")),
    }


@dimension_labels("survey_mode")
def survey_mode_labels() -> dict[str, str]:
    return {str(mode.value): str(mode.label) for mode in Mode}


@dimension_labels("survey_wave")
def survey_wave_labels() -> dict[str, str]:
    waves = published_trust_waves().order_by("year", "wave", "pk")
    return {wave.slug: str(wave.title) for wave in waves}


# --- The expert council (council) -----------------------------------------------------------------

# Studies and recommendations of the scientific-expert council and its regional groups, by the
# region of the council's body (the national council: no region). No personal data: public.
from .models import Recommendation, Study  # noqa: E402

COUNCIL_ACTED_ON = (Recommendation.Decision.ACCEPTED, Recommendation.Decision.PARTLY)


def _council_in_region(qs: QuerySet, field: str, region: Region | None) -> QuerySet:
    return qs.filter(**{field: region}) if region is not None else qs


def _council_by_region(qs: QuerySet, field: str) -> list[Row]:
    rows = qs.order_by().values(field).annotate(value=Count("pk")).order_by(field)
    return [{"region": r[field] or geo_labels.NO_REGION, "value": r["value"]} for r in rows]


def studies_completed(period: Period, region: Region | None = None) -> QuerySet[Study]:
    """Studies completed (report and findings in) within the period."""
    qs = Study.objects.filter(
        status=Study.Status.DONE,
        completed_on__gte=period.start,
        completed_on__lte=period.end,
    )
    return _council_in_region(qs, "plan__organisation__region", region)


def recommendations_sent(period: Period, region: Region | None = None) -> QuerySet[Recommendation]:
    """Recommendations the council made (sent to their addressee) within the period."""
    qs = Recommendation.objects.filter(sent_on__gte=period.start, sent_on__lte=period.end)
    return _council_in_region(qs, "organisation__region", region)


def recommendations_decided(
    period: Period, region: Region | None = None
) -> QuerySet[Recommendation]:
    """Recommendations whose fate (accepted, partly, rejected) was recorded within the period."""
    qs = Recommendation.objects.filter(
        status=Recommendation.Status.DECIDED,
        decided_on__gte=period.start,
        decided_on__lte=period.end,
    )
    return _council_in_region(qs, "organisation__region", region)


@indicator(
    "surveys.studies",
    name=_("Studies completed by the expert council"),
    unit=pgettext_lazy("unit", "studies"),
    dimensions=("region",),
    order=1610,
    description=_(
        "Studies of the Scientific-Expert Council and the regional expert groups completed in "
        "the period, by the region of the group (the national council has no region)."
    ),
)
def studies(period: Period, region: Region | None) -> list[Row]:
    return _council_by_region(studies_completed(period, region), "plan__organisation__region__iso")


@indicator(
    "surveys.recommendations",
    name=_("Recommendations of the expert council"),
    unit=pgettext_lazy("unit", "recommendations"),
    dimensions=("region",),
    order=1611,
    description=_(
        "Recommendations the Scientific-Expert Council and the regional expert groups sent to "
        "Assembly bodies and state bodies in the period, by the region of the group."
    ),
)
def recommendations(period: Period, region: Region | None) -> list[Row]:
    return _council_by_region(recommendations_sent(period, region), "organisation__region__iso")


@indicator(
    "surveys.recommendations_acted_on",
    name=_("Share of the expert council's recommendations acted on"),
    unit=_("%"),
    dimensions=(),
    order=1612,
    additive=False,
    description=_(
        "Of the recommendations decided in the period, the share accepted in full or in part; "
        "the row also gives how many were decided and how many acted on."
    ),
)
def recommendations_acted_on(period: Period, region: Region | None) -> list[Row]:
    from django.db.models import Q

    totals = recommendations_decided(period, region).aggregate(
        decided=Count("pk"), acted_on=Count("pk", filter=Q(decision__in=COUNCIL_ACTED_ON))
    )
    if not totals["decided"]:
        return []
    share = round(100 * totals["acted_on"] / totals["decided"], 1)
    return [{"value": share, "decided": totals["decided"], "acted_on": totals["acted_on"]}]
