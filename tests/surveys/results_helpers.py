"""Weighting runs and estimates made straight in the database for the results pages' tests (the
stats slice's own tests weigh real samples): the pages only read these rows.

``make_run(survey, cells=[...])`` stores a run with the given cells; ``index_cells(...)`` makes
the trust index's rows of a wave: over everyone, Pavlodar shown, Almaty suppressed (too few
respondents), two ethnic groups (one to read with caution), the sexes, and the "trusting" share.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from birlik.geo.models import Region
from birlik.registry.models import Organisation
from birlik.surveys.models import Estimate, Mode, Survey, WeightingRun

from .factories import make_survey, trust_version

INDEX = Estimate.TRUST_INDEX
TRUSTING = Estimate.TRUSTING
TRUSTING_STATISTIC = "share:TRUSTING"
# A value stored in a suppressed cell by mistake: no page, file or figure may ever show it.
HIDDEN_VALUE = 13.579


def cell(
    question: str,
    dimension: str,
    category: str,
    value: float | None,
    *,
    statistic: str = "mean",
    n: int = 500,
    se: float = 0.8,
    suppressed: bool = False,
    caution: bool = False,
) -> dict[str, Any]:
    share = statistic.startswith("share:")
    half = 0.02 if share else 1.96 * se
    return {
        "question": question,
        "statistic": statistic,
        "dimension": dimension,
        "category": category,
        "n": n,
        "effective_n": n * 0.8,
        "value": HIDDEN_VALUE if suppressed else value,
        "se": None if value is None else (0.01 if share else se),
        "low": None if value is None else value - half,
        "high": None if value is None else value + half,
        "suppressed": suppressed,
        "caution": caution,
    }


def index_cells(national: float = 66.4, *, se: float = 0.8) -> list[dict[str, Any]]:
    return [
        cell(INDEX, "all", "", national, n=1500, se=se),
        cell(INDEX, "region", "KZ-55", 71.2, n=700),
        cell(INDEX, "region", "KZ-75", None, n=31, suppressed=True),
        cell(INDEX, "ethnic_group", "kazakh", 68.3, n=900),
        cell(INDEX, "ethnic_group", "russian", 62.7, n=80, caution=True),
        cell(INDEX, "sex", "female", 67.0, n=800),
        cell(INDEX, "sex", "male", 65.8, n=700),
        cell(TRUSTING, "all", "", 0.614, statistic=TRUSTING_STATISTIC, n=1500),
        cell(TRUSTING, "region", "KZ-55", 0.702, statistic=TRUSTING_STATISTIC, n=700),
        cell(
            TRUSTING, "region", "KZ-75", None, statistic=TRUSTING_STATISTIC, n=31, suppressed=True
        ),
    ]


def make_run(
    survey: Survey,
    cells: list[dict[str, Any]],
    *,
    n: int = 1500,
    alpha: float | None = 0.82,
    created_at: datetime.datetime | None = None,
    **fields: Any,
) -> WeightingRun:
    values: dict[str, Any] = {
        "survey": survey,
        "trim_cap": 4.0,
        "n": n,
        "deff": 1.239,
        "effective_n": n / 1.239,
        "smallest_weight": 0.39,
        "largest_weight": 4.0,
        "worst_margin_error": 0.00004,
        "margins": {
            "margin_set": {"id": 1, "title": "Margins"},
            "targets": {
                "region": {
                    "KZ-55": {
                        "share": 0.5,
                        "source": "Bureau of National Statistics",
                        "as_of": "2025-01-01",
                    },
                    "KZ-75": {
                        "share": 0.5,
                        "source": "Bureau of National Statistics",
                        "as_of": "2025-01-01",
                    },
                },
                "ethnic_group": {
                    "kazakh": {
                        "share": 0.7,
                        "source": "2021 census, all ages",
                        "as_of": "2021-10-01",
                    },
                    "other": {
                        "share": 0.3,
                        "source": "2021 census, all ages",
                        "as_of": "2021-10-01",
                    },
                },
            },
        },
        "method": {
            "alpha": alpha,
            "alpha_below": alpha is not None and alpha < 0.7,
            "loadings": {"T1": 0.81, "T2": 0.74, "T3": 0.7, "T4": 0.66, "T5": 0.58},
        },
        "warnings": [],
    }
    values.update(fields)
    run = WeightingRun.objects.create(**values)
    if created_at is not None:
        WeightingRun.objects.filter(pk=run.pk).update(created_at=created_at)
        run.refresh_from_db()
    Estimate.objects.bulk_create(Estimate(run=run, **item) for item in cells)
    return run


def trust_wave(
    organisation: Organisation,
    *,
    published: bool = True,
    year: int = 2025,
    wave: int = 1,
    national: float = 66.4,
    se: float = 0.8,
    regions: list[str] | None = None,
    **fields: Any,
) -> Survey:
    """A weighted trust-index wave with a run of ``index_cells`` (published by default)."""
    survey = make_survey(
        trust_version(organisation),
        organisation,
        is_trust_index=True,
        year=year,
        wave=wave,
        starts_on=datetime.date(year, 9, 1),
        ends_on=datetime.date(year, 10, 15),
        modes=[Mode.WEB.value, Mode.INTERVIEWER.value],
        status=Survey.Status.PUBLISHED if published else Survey.Status.WEIGHTED,
        public=published,
        title_en=f"Trust survey {year}/{wave}",
        title_kk=f"Сенім сауалнамасы {year}/{wave}",
        title_ru=f"Опрос доверия {year}/{wave}",
        **fields,
    )
    if regions:
        survey.regions.set(Region.objects.filter(iso__in=regions))
    make_run(survey, index_cells(national, se=se), created_at=timezone.now())
    return survey
