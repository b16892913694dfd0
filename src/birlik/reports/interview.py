"""The figures of the Assembly's annual interview, each read off an indicator of the KPI registry.

``FIGURES`` is the one list of them: what the interview of 2025 stated ("about 1,000", "over
1,200") and which indicator (and, for one row of a dimensioned indicator, which rows) gives the
figure from the records. ``interview_figures`` computes them for any year and region, so that
next year's interview can be read off Birlik: the figures pages, the annual report and
``birlik figures`` show the same numbers, with what the records still lack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from birlik.core import kpi
from birlik.core.templatetags.birlik_format import money, number
from birlik.geo.models import Region

from . import queries

# The year of the interview the reference values are from.
INTERVIEW_YEAR = 2025

# How the interview states a value.
ABOUT = "about"
OVER = "over"
EXACT = "exact"


@dataclass(frozen=True)
class InterviewFigure:
    """A figure of the interview: its code, what a reader calls it (None: the indicator's own
    name), the indicator that gives it, the rows of that indicator it adds up (``(dimension,
    code)`` pairs; none: the indicator's total), the value the interview of 2025 stated and how
    it stated it."""

    code: str
    label: str | Promise | None
    key: str
    value: int | None
    stated: str = EXACT
    rows: tuple[tuple[str, str], ...] = ()
    note: str | Promise = ""  # how the interview's figure differs from one year's count

    def selects(self, row: kpi.Row) -> bool:
        return all(str(row.get(dimension)) == code for dimension, code in self.rows)


ELDERS = (("kind", "elders_council"),)
MOTHERS = (("kind", "mothers_council"),)

FIGURES: tuple[InterviewFigure, ...] = (
    InterviewFigure(
        "ethnocultural_associations",
        None,
        "registry.ethnocultural_associations",
        1_000,
        ABOUT,
    ),
    InterviewFigure(
        "elders_councils",
        None,
        "registry.elders_councils",
        1_200,
        OVER,
    ),
    InterviewFigure(
        "elders_members",
        None,
        "registry.elders_council_members",
        7_000,
        OVER,
    ),
    InterviewFigure(
        "elders_events",
        gettext_lazy("Events held by the councils of elders"),
        "events.events",
        3_000,
        OVER,
        ELDERS,
    ),
    InterviewFigure(
        "elders_reached",
        gettext_lazy("People reached by the councils of elders"),
        "events.participants",
        140_000,
        OVER,
        ELDERS,
    ),
    InterviewFigure(
        "elders_appeals",
        gettext_lazy("Appeals considered by the councils of elders"),
        "appeals.considered",
        400,
        ABOUT,
        ELDERS,
    ),
    InterviewFigure(
        "elders_proposals",
        gettext_lazy("Proposals of the councils of elders to state bodies"),
        "appeals.proposals_sent",
        170,
        ABOUT,
        ELDERS,
    ),
    InterviewFigure(
        "mothers_members",
        None,
        "registry.mothers_council_members",
        12_000,
        OVER,
    ),
    InterviewFigure(
        "mothers_events",
        gettext_lazy("Events held by the mothers' councils"),
        "events.events",
        4_300,
        OVER,
        MOTHERS,
    ),
    InterviewFigure(
        "mothers_reached",
        gettext_lazy("People reached by the mothers' councils"),
        "events.participants",
        275_000,
        OVER,
        MOTHERS,
    ),
    InterviewFigure(
        "youth_activists",
        gettext_lazy("Youth activists"),
        "youth.activists",
        10_000,
        OVER,
    ),
    InterviewFigure(
        "student_assemblies",
        gettext_lazy("Student assemblies"),
        "youth.student_assemblies",
        100,
        OVER,
    ),
    InterviewFigure(
        "houses_of_friendship",
        None,
        "registry.houses_of_friendship",
        36,
    ),
    InterviewFigure(
        "charity_projects",
        gettext_lazy("Charity projects of the “Zhomart zhan” centres"),
        "charity.projects",
        476,
    ),
    InterviewFigure(
        "charity_budgets",
        gettext_lazy("Sum of the charity projects"),
        "charity.project_budgets",
        300_000_000,
        OVER,
    ),
    InterviewFigure(
        "mediation_centres",
        None,
        "registry.mediation_centres",
        21,
    ),
    InterviewFigure(
        "mediation_councils",
        None,
        "registry.mediation_councils",
        21,
    ),
    InterviewFigure(
        "mediators",
        None,
        "mediation.mediators",
        330,
    ),
    InterviewFigure(
        "events",
        gettext_lazy("Events held"),
        "events.events",
        10_000,
        OVER,
    ),
    InterviewFigure(
        "participants",
        gettext_lazy("Participants of the events"),
        "events.participants",
        1_000_000,
        OVER,
    ),
    InterviewFigure(
        "festivals",
        pgettext_lazy("interview figure", "Festivals"),
        "events.festivals",
        75,
    ),
    InterviewFigure(
        "performances",
        gettext_lazy("Performances and concerts"),
        "events.performances",
        50,
        OVER,
    ),
    InterviewFigure(
        "myn_bala_decade",
        None,
        "events.myn_bala_decade",
        130_000,
        ABOUT,
        note=gettext_lazy("Counted over the ten years to the end of the year, not in one year."),
    ),
    InterviewFigure(
        "academy_trainees",
        gettext_lazy("Trainees of the Academy and the university departments"),
        "learning.trainees",
        None,
        note=gettext_lazy("The interview gives no number: it says they are trained every year."),
    ),
    InterviewFigure(
        "experts",
        None,
        "registry.experts",
        300,
        ABOUT,
    ),
    InterviewFigure(
        "media_trainings",
        None,
        "events.media_trainings",
        150,
        OVER,
    ),
    InterviewFigure(
        "media_training_participants",
        gettext_lazy("Journalists and bloggers at the media trainings"),
        "events.media_training_participants",
        10_000,
        ABOUT,
    ),
    InterviewFigure(
        "publications",
        gettext_lazy("Media publications"),
        "monitoring.club_publications",
        63_000,
        OVER,
        (("club_kind", "publication"),),
    ),
    InterviewFigure(
        "tv_stories",
        gettext_lazy("TV stories"),
        "monitoring.club_publications",
        7_700,
        rows=(("club_kind", "tv"),),
    ),
    InterviewFigure(
        "social_posts",
        gettext_lazy("Social-media posts"),
        "monitoring.club_publications",
        44_000,
        OVER,
        (("club_kind", "social"),),
    ),
    InterviewFigure(
        "international_requests",
        gettext_lazy("Requests from international organisations, parliaments and centres"),
        "diplomacy.requests",
        60,
        OVER,
        note=gettext_lazy("The interview counts the requests of recent years, not of one year."),
    ),
)


def figure_codes() -> list[str]:
    return [figure.code for figure in FIGURES]


def value_text(value: float | None, unit: str) -> str:
    """A computed value as the UI writes it: tenge as money, a count as a number; "–" when
    there is none."""
    if value is None:
        return "–"
    if unit == str(queries.MONEY_UNIT):
        return money(round(float(value)))
    if float(value).is_integer():
        return number(int(value))
    return number(round(float(value), 1))


def stated_text(figure: InterviewFigure, unit: str) -> str:
    """The interview's value as it was said: «about 1 000», «over 1 200», «36»."""
    if figure.value is None:
        return "–"
    written = value_text(figure.value, unit)
    if figure.stated == ABOUT:
        return pgettext("interview figure", "about %(value)s") % {"value": written}
    if figure.stated == OVER:
        return pgettext("interview figure", "over %(value)s") % {"value": written}
    return written


def _not_registered(figure: InterviewFigure) -> dict[str, Any]:
    return {
        "code": figure.code,
        "label": str(figure.label if figure.label is not None else figure.key),
        "key": figure.key,
        "rows": dict(figure.rows),
        "unit": "",
        "interview_value": figure.value,
        "interview_stated": figure.stated,
        "interview_text": stated_text(figure, ""),
        "value": None,
        "value_text": "–",
        "missing": _("Not computed yet: the indicator %(key)s is not part of this installation.")
        % {"key": figure.key},
        "note": str(figure.note),
    }


def _hidden_from_public(item: kpi.Indicator, figure: InterviewFigure) -> bool:
    """The public sees public indicators only, and of confidential work only totals and whole
    regions (as the public dashboards do)."""
    if not item.public:
        return True
    confidential = queries.app_of(item.key) in queries.CONFIDENTIAL_APPS
    return confidential and any(dimension != "region" for dimension, _code in figure.rows)


def interview_figures(
    period: kpi.Period, region: Region | None = None, *, public: bool = False
) -> list[dict[str, Any]]:
    """Every figure of the interview computed for the period (and region), in ``FIGURES``
    order, labelled in the active language.

    Each is ``{"code", "label", "key", "rows", "unit", "interview_value", "interview_stated",
    "interview_text", "value", "value_text", "missing", "note"}``: ``rows`` the
    ``{dimension: code}`` the figure selects of the indicator (empty: its total); ``value``
    the indicator's total over those rows (None when it has no honest total); ``missing``
    what the records lack for the figure to be whole ("" when nothing). An indicator not
    registered (an app not installed) gives ``value`` None and says so in ``missing``. With
    ``public=True``, figures the public may not see are left out. The rows are read through
    ``reports.queries.rows``: the dashboards' cached rows, one computation per indicator."""
    known = queries.indicator_map()
    result: list[dict[str, Any]] = []
    for figure in FIGURES:
        item = known.get(figure.key)
        if item is None:
            result.append(_not_registered(figure))
            continue
        if public and _hidden_from_public(item, figure):
            continue
        data = queries.rows(figure.key, period, region)
        selected = [row for row in data if figure.selects(row)] if figure.rows else data
        value = kpi.total_of(item, selected)
        unit = str(item.unit)
        result.append(
            {
                "code": figure.code,
                "label": str(figure.label if figure.label is not None else item.name),
                "key": figure.key,
                "rows": dict(figure.rows),
                "unit": unit,
                "interview_value": figure.value,
                "interview_stated": figure.stated,
                "interview_text": stated_text(figure, unit),
                "value": value,
                "value_text": value_text(value, unit),
                "missing": queries.missing(item, period, region),
                "note": str(figure.note),
            }
        )
    return result


def shows_reference(period: kpi.Period) -> bool:
    """The interview's values are a reference for the figures of its own year only."""
    return period.start.year == period.end.year == INTERVIEW_YEAR
