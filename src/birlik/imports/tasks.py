"""The background half of an import: the check of every row, and the commit in short batches.

The commit writes a batch, marks its rows committed and moves the job's counters in one
transaction, then lets go of the database: on SQLite no other user waits for the write lock
longer than one batch, which is sized to stay well under a second (``LOCK_TARGET``). A worker
that dies mid-way leaves the job with an old heartbeat; ``services.resume_interrupted`` queues
it again and the commit goes on with the rows not yet written.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from birlik.core import spreadsheets
from birlik.core.errors import DomainError
from birlik.core.spreadsheets import ImportFileError

from . import fields as catalogue
from . import kinds, members, services
from .models import ImportJob, ImportRow
from .rows import REJECT, Context, RowPlan

CHECK_CHUNK = 2000
FIRST_BATCH = 100
MAX_BATCH = 2000
LOCK_TARGET = 0.3  # seconds a batch should hold the write lock


def _claim(job_id: int, status: str) -> ImportJob | None:
    """The job, if it is in ``status`` and no live worker holds it (heartbeat)."""
    stale = timezone.now() - services.STALE_AFTER
    now = timezone.now()
    claimed = (
        ImportJob.objects.filter(pk=job_id, status=status)
        .exclude(heartbeat__gte=stale)
        .update(heartbeat=now, updated_at=now)
    )
    if not claimed:
        return None
    return ImportJob.objects.select_related("user", "organisation").get(pk=job_id)


def _beat(job: ImportJob, **fields: Any) -> None:
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(heartbeat=now, updated_at=now, **fields)


def _context(job: ImportJob) -> Context:
    return Context(
        user=job.user,
        under=job.organisation,
        defaults=dict(job.defaults),
        source=job.filename,
    )


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, message=message, heartbeat=None, updated_at=timezone.now()
    )


def run_check(job_id: int) -> None:
    """Read the whole file with the chosen columns and check every row; nothing is written
    to the registry. The results are kept row by row for the review."""
    job = _claim(job_id, ImportJob.Status.CHECKING)
    if job is None:
        return
    with translation.override(job.language):
        try:
            _check(job)
        except (ImportFileError, DomainError) as error:
            _fail(job, str(error.message))


def _check(job: ImportJob) -> None:
    kind = kinds.KINDS[job.kind]
    ImportRow.objects.filter(job=job).delete()
    extracted = spreadsheets.extract(
        services.read_file(job),
        catalogue.with_labels(kind.fields),
        header_line=job.header_line or None,
        mapping={int(index): key for index, key in job.mapping.items()},
    )
    rows = extracted.rows
    if not rows:
        # Said plainly: an empty review would leave the user guessing.
        raise ImportFileError(_("The file has no rows below the column names."))
    _beat(job, rows_total=len(rows), rows_done=0, skipped=[list(s) for s in extracted.skipped])
    ctx = _context(job)
    totals = dict.fromkeys(ImportRow.Status.values, 0)
    done = 0
    for start in range(0, len(rows), CHECK_CHUNK):
        chunk = rows[start : start + CHECK_CHUNK]
        if job.kind == catalogue.MEMBERS:
            # IINs become their keys before anything is kept (looked up chunk by chunk).
            members.protect_iins(user=job.user, under=job.organisation, rows=chunk)
        plans = kind.plan(ctx, chunk)
        data = dict(chunk)
        records = []
        for plan in plans:
            flags = extracted.flags.get(plan.line, [])
            totals[plan.status] += 1
            records.append(
                ImportRow(
                    job=job,
                    line=plan.line,
                    status=plan.status,
                    label=plan.label[:400],
                    errors=[str(e) for e in plan.errors],
                    notes=[str(n) for n in (*flags, *plan.notes)],
                    data=data.get(plan.line, {}),
                )
            )
        ImportRow.objects.bulk_create(records, batch_size=500)
        rows[start : start + CHECK_CHUNK] = [(line, {}) for line, _row in chunk]  # kept now
        done += len(chunk)
        _beat(job, rows_done=done)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.READY,
        created=totals["create"],
        changed=totals["change"],
        unchanged=totals["unchanged"],
        rejected=totals["reject"],
        committed=0,
        rows_done=done,
        heartbeat=None,
        updated_at=timezone.now(),
    )


def run_commit(job_id: int) -> None:
    """Write the rows the check accepted, in batches, checking each batch again just before."""
    job = _claim(job_id, ImportJob.Status.COMMITTING)
    if job is None:
        return
    with translation.override(job.language):
        try:
            _commit(job)
        except DomainError as error:
            _fail(job, str(error.message))


def _pending(job: ImportJob) -> Any:
    return ImportRow.objects.filter(
        job=job, status__in=[ImportRow.Status.CREATE, ImportRow.Status.CHANGE], committed=False
    ).order_by("line")


def _replan(job: ImportJob, ctx: Context, rows: list[ImportRow]) -> list[RowPlan]:
    return kinds.KINDS[job.kind].plan(ctx, [(r.line, dict(r.data)) for r in rows])


def _commit(job: ImportJob) -> None:
    kind = kinds.KINDS[job.kind]
    if job.mode == ImportJob.Mode.ALL and not job.committed:
        # All or nothing: every row is checked again (reads only) before the first write.
        ctx = _context(job)
        refused = [p for p in _replan(job, ctx, list(_pending(job))) if p.status == REJECT]
        if refused:
            _fail(
                job,
                _(
                    "Nothing was imported: %(count)s rows can no longer be imported (the "
                    "registry has changed since the check). Upload the file again."
                )
                % {"count": len(refused)},
            )
            return
    size = FIRST_BATCH
    longest = job.max_lock_ms
    ctx = _context(job)
    while True:
        batch = list(_pending(job)[:size])
        if not batch:
            break
        # The indexes (bodies, places, roles) are kept; what the rows written changed is not.
        ctx.seen.clear()
        for name in ("new_iins", "may_manage", "may"):
            ctx.cache.pop(name, None)
        plans = {p.line: p for p in _replan(job, ctx, batch)}
        items = []
        now_refused: list[ImportRow] = []  # the registry changed since the check
        for row in batch:
            plan = plans.get(row.line)
            if plan is not None and plan.item is not None:
                items.append(plan.item)
                continue
            if plan is not None and plan.status != REJECT:
                row.status, row.errors = ImportRow.Status.UNCHANGED, []
            else:
                row.status = ImportRow.Status.REJECT
                row.errors = [str(e) for e in (plan.errors if plan else [])] or [
                    _("This row can no longer be imported.")
                ]
            now_refused.append(row)
        refused_ids = {row.pk for row in now_refused}
        started = time.monotonic()
        with transaction.atomic():
            if items:
                kind.apply(ctx, items)
            ImportRow.objects.filter(
                pk__in=[r.pk for r in batch if r.pk not in refused_ids]
            ).update(committed=True)
            if now_refused:
                ImportRow.objects.bulk_update(now_refused, ["status", "errors"])
            rejected = sum(1 for r in now_refused if r.status == REJECT)
            ImportJob.objects.filter(pk=job.pk).update(
                committed=F("committed") + len(items),
                rejected=F("rejected") + rejected,
                heartbeat=timezone.now(),
                updated_at=timezone.now(),
            )
        held = time.monotonic() - started
        longest = max(longest, int(held * 1000))
        ImportJob.objects.filter(pk=job.pk).update(max_lock_ms=longest)
        if held > LOCK_TARGET and size > 10:
            size = max(10, size // 2)
        elif held < LOCK_TARGET / 3:
            size = min(MAX_BATCH, size * 2)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, heartbeat=None, updated_at=timezone.now()
    )


@task()
def import_check(job_id: int) -> None:
    run_check(job_id)


@task()
def import_commit(job_id: int) -> None:
    run_commit(job_id)


@task()
def imports_sweep() -> int:
    """Daily: jobs, rows and files of imports untouched for a day."""
    return services.sweep_expired()
