"""The appeals' rollup (``AppealMonthFigure``): kept by the services, read by ``appeals.kpis``.

Each service that changes what the figures count (registration, status, answer, extension,
redirection) calls one function here in its own transaction, before it saves the appeal: the
appeal leaves the rollup row of its stored state and joins the row of its new one. Inside the
transaction, not on commit: the figure changes with the appeal or not at all, two handlers
moving appeals at once add their ones to the same row without a lost update (``F()``), and no
lock on the whole rollup is taken on a busy inbox. ``birlik rollups --rebuild`` builds it whole
from the appeals, ``--check`` compares it with a recount.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Case, Count, DateField, F, Q, Value, When
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncMonth

from birlik.core import kpi
from birlik.core.workdays import LEGAL_TZ, legal_date

from .models import Appeal, AppealFiguresBuilt, AppealMonthFigure

ON_TIME = "on_time"
LATE = "late"
NOT_ANSWERED = ""

# Row of the rollup → alias in the recount (``appeal_rollup_parts``).
COLUMNS = {
    "month": "m",
    "region_key": "r",
    "district_key": "d",
    "body_kind_key": "bk",
    "kind": "ak",
    "status": "st",
    "answer": "an",
    "redirected_late": "rl",
    "appeals": "n",
}
STATE_FIELDS = (
    "received_at",
    "kind",
    "status",
    "answered_at",
    "due_date",
    "extended_until",
    "redirected_late",
    "organisation__region_id",
    "organisation__district_id",
    "organisation__kind_id",
)


def answer_of(*, answered_at: datetime.datetime | None, due: datetime.date) -> str:
    """On time when answered on or before the term (an extension included) by the day in
    Almaty, as ``queries.appeals_answered_on_time`` counts."""
    if answered_at is None:
        return NOT_ANSWERED
    return ON_TIME if legal_date(answered_at) <= due else LATE


def _row(state: dict[str, Any]) -> dict[str, Any]:
    return {
        "month": legal_date(state["received_at"]).replace(day=1),
        "region_key": state["organisation__region_id"] or 0,
        "district_key": state["organisation__district_id"] or 0,
        "body_kind_key": state["organisation__kind_id"] or 0,
        "kind": state["kind"],
        "status": state["status"],
        "answer": answer_of(
            answered_at=state["answered_at"], due=state["extended_until"] or state["due_date"]
        ),
        "redirected_late": bool(state["redirected_late"]),
    }


def _state(appeal: Appeal) -> dict[str, Any]:
    organisation = appeal.organisation
    return {
        **{name: getattr(appeal, name) for name in STATE_FIELDS if "__" not in name},
        "organisation__region_id": organisation.region_id,
        "organisation__district_id": organisation.district_id,
        "organisation__kind_id": organisation.kind_id,
    }


def _add(row: dict[str, Any], amount: int) -> None:
    updated = AppealMonthFigure.objects.filter(**row).update(appeals=F("appeals") + amount)
    if updated:
        return
    try:
        with transaction.atomic():  # a savepoint: another writer may create the row first
            AppealMonthFigure.objects.create(**row, appeals=amount)
    except IntegrityError:
        AppealMonthFigure.objects.filter(**row).update(appeals=F("appeals") + amount)


def _built() -> bool:
    return AppealFiguresBuilt.objects.exists()


def appeal_added(appeal: Appeal) -> None:
    """A new appeal joins the rollup (called by ``appeal_register`` after it is created)."""
    if _built():
        _add(_row(_state(appeal)), 1)


def appeal_moved(appeal: Appeal) -> None:
    """The appeal, changed but not saved yet, leaves the rollup row of its stored state for the
    row of its new state (nothing when both are the same row)."""
    if not _built():
        return
    stored = Appeal.objects.filter(pk=appeal.pk).values(*STATE_FIELDS).first()
    new = _row(_state(appeal))
    old = _row(stored) if stored is not None else None
    if old == new:
        return
    changes = [(new, 1)] if old is None else [(old, -1), (new, 1)]
    # Rows are updated in one order by every writer: two appeals moved in opposite directions
    # at once wait for each other instead of deadlocking.
    for row, amount in sorted(changes, key=lambda item: [str(v) for v in item[0].values()]):
        _add(row, amount)


def appeal_rollup_parts() -> list[kpi.RollupPart]:
    """The rollup as a recount from the appeals (``birlik rollups``)."""
    answer = Case(
        When(answered_at__isnull=True, then=Value(NOT_ANSWERED)),
        When(answered_on__lte=F("effective_due"), then=Value(ON_TIME)),
        default=Value(LATE),
    )
    appeals = Appeal.objects.annotate(answered_on=TruncDate("answered_at", tzinfo=LEGAL_TZ))
    recount = kpi.grouped(
        appeals.order_by(),
        {
            "m": Cast(TruncMonth("received_at", tzinfo=LEGAL_TZ), DateField()),
            "r": Coalesce("organisation__region_id", 0),
            "d": Coalesce("organisation__district_id", 0),
            "bk": Coalesce("organisation__kind_id", 0),
            "ak": "kind",
            "st": "status",
            "an": answer,
            "rl": "redirected_late",
        },
    ).annotate(n=Count("id"))
    stored = kpi.grouped(
        AppealMonthFigure.objects.filter(~Q(appeals=0)).order_by(),
        {alias: field for field, alias in COLUMNS.items()},
    )
    return [kpi.RollupPart("AppealMonthFigure", AppealMonthFigure, COLUMNS, recount, stored)]


def appeal_figures_rebuild(*, progress: Any = None) -> int:
    """Build the rollup again from the appeals, in the database; returns its rows."""
    rows = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The services' additions wait for the rebuild (and the rebuild for those begun).
            table = connection.ops.quote_name(AppealMonthFigure._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        AppealFiguresBuilt.objects.all().delete()
        AppealMonthFigure.objects.all().delete()
        for part in appeal_rollup_parts():
            rows += part.rebuild()
            if progress is not None:
                progress(f"{part.label}: {rows} rows")
        AppealFiguresBuilt.objects.create()
        kpi.invalidate()  # now for this transaction's readers, and again for everyone's
        transaction.on_commit(kpi.invalidate)
    return rows


def rollup_built() -> bool:
    """Whether the figures may read the rollup, asked once per state of the figures (the
    services ask the database itself)."""
    return bool(kpi.cached("appeals:rollup-built", _built, timeout=60))
