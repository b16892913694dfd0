"""Reads shared by the workspace, the portal and the figures: never a name in the anonymous ones."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.db.models.functions import TruncWeek

from birlik.geo.labels import NO_REGION, region_labels
from birlik.registry.models import Organisation

from .models import CENTRE_KINDS, DisputeKind, MediationCase, Mediator

DURATION_BUCKETS = (
    ("0-7", 0, 7),
    ("8-30", 8, 30),
    ("31-90", 31, 90),
    ("91+", 91, None),
)


def centres() -> QuerySet[Organisation]:
    """Active mediation centres and councils with the count of active mediators."""
    return (
        Organisation.objects.filter(kind__code__in=CENTRE_KINDS, status=Organisation.Status.ACTIVE)
        .select_related("kind", "region")
        .annotate(
            active_mediators=Count(
                "mediators", filter=Q(mediators__status=Mediator.Status.ACTIVE), distinct=True
            )
        )
        .order_by("region__name", "kind__position", "name", "pk")
    )


def centre_languages(centre_ids: list[int]) -> dict[int, list[str]]:
    """The languages spoken by a centre's active mediators (one query for every centre)."""
    languages: dict[int, set[str]] = {pk: set() for pk in centre_ids}
    rows = Mediator.objects.filter(
        centre_id__in=centre_ids, status=Mediator.Status.ACTIVE
    ).values_list("centre_id", "languages")
    for centre_id, codes in rows:
        languages[centre_id].update(codes or [])
    order = ["kk", "ru", "en", "other"]
    return {pk: sorted(codes, key=order.index) for pk, codes in languages.items()}


def duration_bucket() -> Case:
    whens = []
    for label, low, high in DURATION_BUCKETS:
        condition = Q(duration_days__gte=low)
        if high is not None:
            condition &= Q(duration_days__lte=high)
        whens.append(When(condition, then=Value(label)))
    return Case(*whens, default=Value(""), output_field=CharField())


def anonymous_counts(*, since: datetime.date, until: datetime.date) -> dict[str, Any]:
    """Counts of cases received in a range: by kind, by outcome, by duration bucket, by region
    (``{"region": iso or "none", "name": in the active language, "total", "settled"}``).
    Nothing here names a person; used by the portal and the analysts' page."""
    qs = MediationCase.objects.filter(received_on__gte=since, received_on__lte=until)
    by_kind = dict(qs.values_list("kind").annotate(n=Count("id")).order_by())
    by_outcome = dict(
        qs.exclude(outcome="").values_list("outcome").annotate(n=Count("id")).order_by()
    )
    by_duration = dict(
        qs.exclude(outcome="")
        .exclude(outcome=MediationCase.Outcome.REFUSED)
        .annotate(bucket=duration_bucket())
        .values_list("bucket")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_region = {
        row["centre__region__iso"] or NO_REGION: row
        for row in qs.values("centre__region__iso")
        .annotate(
            total=Count("id"),
            settled=Count("id", filter=Q(outcome__in=MediationCase.SETTLED)),
        )
        .order_by()
    }
    # Names in the reader's language, read once; the regions in their order, national last.
    by_region = [
        {"region": code, "name": name, "total": row["total"], "settled": row["settled"]}
        for code, name in region_labels().items()
        if (row := per_region.get(code)) is not None
    ]
    return {
        "total": sum(by_kind.values()),
        "by_kind": [(label, by_kind.get(code, 0)) for code, label in DisputeKind.choices],
        "by_outcome": [
            (label, by_outcome.get(code, 0)) for code, label in MediationCase.Outcome.choices
        ],
        "by_duration": [(label, by_duration.get(label, 0)) for label, _l, _h in DURATION_BUCKETS],
        "by_region": by_region,
    }


def cases_follow_up_due(
    *, on: datetime.date, qs: QuerySet[MediationCase] | None = None
) -> QuerySet[MediationCase]:
    """Settled cases whose agreement was to be executed before ``on`` and whose execution is
    not yet recorded (the follow-up the centre owes)."""
    cases = qs if qs is not None else MediationCase.objects.all()
    return cases.filter(outcome__in=MediationCase.SETTLED, execution="", execution_due__lt=on)


def interethnic_cases_by_region_week(
    *, start: datetime.date, end: datetime.date
) -> dict[tuple[int, datetime.date], int]:
    """Cases of the interethnic kind received from ``start`` to ``end`` (both included), counted
    by the region of the centre and the ISO week (its Monday): the only trace of a case the
    early-warning index reads, a count, never a text or a party."""
    rows = (
        MediationCase.objects.filter(
            kind=DisputeKind.INTERETHNIC,
            received_on__gte=start,
            received_on__lte=end,
            centre__region__isnull=False,
        )
        .annotate(week=TruncWeek("received_on"))
        .values_list("centre__region_id", "week")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(region_id, _as_date(week)): n for region_id, week, n in rows}


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value
