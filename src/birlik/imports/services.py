"""The import pipeline: upload → columns → check (background) → review → commit (background).

    job = services.start(user=u, under=body, kind="members", filename="list.xlsx", data=data)
    job = services.choose_columns(user=u, job=job, header_line=4, mapping={1: "full_name"},
                                  defaults={"role": "member"}, mode="partial")   # checks
    job = services.confirm(user=u, job=job)                                         # writes

The file is kept private (mode 600) under ``DATA_DIR/imports`` while the job lives: the check
reads it once, the rejected rows are given back from it. IINs never reach the database: rows
keep the IIN's key (``protect_iins``). Jobs and files older than a day are swept.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from birlik.access import policies
from birlik.core import ratelimit, spreadsheets, uploads
from birlik.core.cleaning import clean_text
from birlik.core.errors import DomainError
from birlik.core.spreadsheets import ImportFileError, header_key
from birlik.registry.models import Organisation

from . import fields as catalogue
from . import kinds
from .models import ImportJob, ImportMapping, ImportRow

__all__ = [
    "ImportError_",
    "cancel",
    "choose_columns",
    "confirm",
    "file_path",
    "preview",
    "start",
    "sweep_expired",
]

JOB_TTL = datetime.timedelta(hours=24)
# Columns offered in the column step: a row of thousands of filled cells is not a header.
MAX_COLUMNS = 80
# Uploads per user and hour (each keeps a file for a day): generous for staff, a wall for a
# script filling the disk.
UPLOADS_PER_HOUR = 60
STALE_AFTER = datetime.timedelta(minutes=2)
PREVIEW_ROWS = 40
HEADER_SCAN = 15


class ImportError_(DomainError):  # noqa: N801 - "ImportError" is Python's own
    """The step cannot be taken; ``message`` says why, in the user's language."""


def cell_text(value: Any) -> str:
    """A cell as the user sees it in the column step."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date() if not value.time() else value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value)


def _store_dir() -> Path:
    directory = Path(settings.DATA_DIR) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def file_path(job: ImportJob) -> Path | None:
    if not job.file_path:
        return None
    path = _store_dir() / Path(job.file_path).name
    return path if path.exists() else None


def read_file(job: ImportJob) -> bytes:
    path = file_path(job)
    if path is None:
        raise ImportError_(_("The uploaded file is no longer kept. Upload it again."))
    return path.read_bytes()


def _write_private(name: str, data: bytes) -> Path:
    path = _store_dir() / name
    # Created with its final mode: the rows are personal data from the first byte.
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(data)
    return path


def preview(job: ImportJob) -> list[list[str]]:
    """The first rows of the file as text, for the column step."""
    data = read_file(job)
    rows = []
    for values in spreadsheets.read_grid(data, first=PREVIEW_ROWS):
        rows.append([cell_text(value) for value in values])
    return rows


def _saved(organisation: Organisation, kind: str) -> ImportMapping | None:
    return ImportMapping.objects.filter(organisation=organisation, kind=kind).first()


def detect(
    rows: list[list[Any]], kind: str, *, header_line: int | None, saved: ImportMapping | None
) -> tuple[int, list[str], dict[str, str]]:
    """The header line (1-based, 0 when none was found), its texts and the mapping: the body's
    saved choices first (by header text), then the catalogue's synonyms."""
    specs = catalogue.with_labels(catalogue.FIELDS[kind])
    if header_line is None:
        found = spreadsheets.find_header(rows[:HEADER_SCAN], specs, scan=HEADER_SCAN)
        if found is None and saved is not None:
            found = _by_saved_headers(rows[:HEADER_SCAN], saved)
        header_line = 0 if found is None else found + 1
    if not header_line or header_line > len(rows):
        return 0, [], {}
    header = [cell_text(value) for value in rows[header_line - 1]][:MAX_COLUMNS]
    mapping = {str(i): key for i, key in spreadsheets.detect_mapping(header, specs).items()}
    if saved is not None:
        for index, text in enumerate(header):
            choice = saved.columns.get(header_key(text))
            if choice is None:
                continue
            if choice:
                for other, key in list(mapping.items()):
                    if key == choice:
                        del mapping[other]
                mapping[str(index)] = choice
            else:
                mapping.pop(str(index), None)
    known = {spec.key for spec in specs}
    return header_line, header, {k: v for k, v in mapping.items() if v in known}


def _by_saved_headers(rows: list[list[Any]], saved: ImportMapping) -> int | None:
    best, best_count = None, 0
    for index, values in enumerate(rows):
        count = sum(1 for v in values if saved.columns.get(header_key(v)))
        if count > best_count:
            best, best_count = index, count
    return best if best_count >= 2 else None


def start(*, user: Any, under: Organisation, kind: str, filename: str, data: bytes) -> ImportJob:
    """Keep the file and find its header and columns; nothing is read into the registry yet."""
    if kind not in kinds.KINDS:
        raise ImportError_(_("Choose what the file holds."))
    policies.require(user, kinds.KINDS[kind].permission, under)
    verdict = ratelimit.check("imports-upload", str(user.pk), limit=UPLOADS_PER_HOUR, window=3600)
    if verdict.over:
        raise ImportError_(
            _("You have uploaded too many files in the last hour. Upload this one later.")
        )
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > uploads.limit_bytes(uploads.IMPORT_LIMIT):
        raise ImportFileError(uploads.too_large_message(uploads.IMPORT_LIMIT, split=True))
    file_type = spreadsheets.file_kind(data)
    rows = list(spreadsheets.read_grid(data, first=PREVIEW_ROWS))
    if not any(any(cell_text(v) for v in row) for row in rows):
        raise ImportFileError(_("The file is empty."))
    sweep_expired()
    saved = _saved(under, kind)
    header_line, header, mapping = detect(rows, kind, header_line=None, saved=saved)
    job = ImportJob(
        user=user,
        organisation=under,
        kind=kind,
        filename=(filename or "")[:200],
        header_line=header_line,
        header=header,
        mapping=mapping,
        defaults=dict(saved.defaults) if saved else {},
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    path = _write_private(f"{job.token}.{file_type}", data)
    job.file_path = path.name
    job.save()
    return job


def set_header_line(*, user: Any, job: ImportJob, header_line: int) -> ImportJob:
    """Another row holds the column names: detect the columns again from it."""
    _require_step(user, job, {ImportJob.Status.UPLOADED})
    rows = list(spreadsheets.read_grid(read_file(job), first=PREVIEW_ROWS))
    if not 1 <= header_line <= min(len(rows), PREVIEW_ROWS):
        raise ImportError_(
            _("Give the number of the row with the column names, from 1 to %(count)s.")
            % {"count": min(len(rows), PREVIEW_ROWS)}
        )
    line, header, mapping = detect(
        rows, job.kind, header_line=header_line, saved=_saved(job.organisation, job.kind)
    )
    job.header_line, job.header, job.mapping = line, header, mapping
    job.updated_at = timezone.now()
    job.save(update_fields=["header_line", "header", "mapping", "updated_at"])
    return job


def _require_step(user: Any, job: ImportJob, allowed: set[str]) -> None:
    if job.user_id != getattr(user, "pk", None):
        raise ImportError_(_("This import belongs to another user."))
    policies.require(user, kinds.KINDS[job.kind].permission, job.organisation)
    if job.status not in allowed:
        raise ImportError_(
            _("This import is %(status)s; this step is no longer possible.")
            % {"status": job.get_status_display()}
        )


def choose_columns(
    *,
    user: Any,
    job: ImportJob,
    header_line: int,
    mapping: Mapping[Any, str],
    defaults: Mapping[str, str],
    mode: str,
) -> ImportJob:
    """Fix the columns (remembered for the body's next upload) and start the check."""
    _require_step(user, job, {ImportJob.Status.UPLOADED})
    kind = kinds.KINDS[job.kind]
    known = {spec.key for spec in kind.fields}
    chosen = {str(index): key for index, key in mapping.items() if key}
    unknown = set(chosen.values()) - known
    if unknown:
        raise ImportError_(_("Choose a Birlik field from the list for every column."))
    used: dict[str, str] = {}
    for index, key in sorted(chosen.items(), key=lambda item: int(item[0])):
        if key in used:
            label = catalogue.field(job.kind, key).label
            raise ImportError_(
                _("Two columns are given as “%(field)s”; choose one.") % {"field": label}
            )
        used[key] = index
    cleaned_defaults = {k: str(v).strip() for k, v in defaults.items() if str(v).strip()}
    missing = kind.missing(set(used), cleaned_defaults)
    if missing:
        raise ImportError_(
            _("These fields have no column and no value for all rows: %(fields)s.")
            % {"fields": ", ".join(str(label) for label in missing)}
        )
    if mode not in ImportJob.Mode.values:
        raise ImportError_(_("Choose how to import."))
    header_keys = {str(i): header_key(text) for i, text in enumerate(job.header)}
    columns = {header_keys[i]: chosen.get(i, "") for i in header_keys if header_keys[i]}
    with transaction.atomic():
        ImportMapping.objects.update_or_create(
            organisation=job.organisation,
            kind=job.kind,
            defaults={
                "columns": columns,
                "defaults": cleaned_defaults,
                "updated_by": user,
                "updated_at": timezone.now(),
            },
        )
        job.header_line = header_line
        job.mapping = chosen
        job.defaults = cleaned_defaults
        job.mode = mode
        job.status = ImportJob.Status.CHECKING
        job.rows_done = 0
        job.heartbeat = None
        job.updated_at = timezone.now()
        job.save()
    from . import tasks

    transaction.on_commit(lambda: tasks.import_check.enqueue(job.pk))
    return job


def confirm(*, user: Any, job: ImportJob) -> ImportJob:
    """Write the checked rows (in the background, in short batches)."""
    _require_step(user, job, {ImportJob.Status.READY})
    if job.mode == ImportJob.Mode.ALL and job.rejected:
        raise ImportError_(
            _(
                "Some rows cannot be imported and you chose all or nothing: fix the file and "
                "upload it again, or import the valid rows only."
            )
        )
    if not job.created + job.changed:
        raise ImportError_(
            _("There is nothing to import: every row is already recorded or rejected.")
        )
    job.status = ImportJob.Status.COMMITTING
    job.heartbeat = None
    job.updated_at = timezone.now()
    job.save(update_fields=["status", "heartbeat", "updated_at"])
    from . import tasks

    transaction.on_commit(lambda: tasks.import_commit.enqueue(job.pk))
    return job


def switch_to_partial(*, user: Any, job: ImportJob) -> ImportJob:
    _require_step(user, job, {ImportJob.Status.READY})
    job.mode = ImportJob.Mode.PARTIAL
    job.save(update_fields=["mode"])
    return job


def cancel(*, user: Any, job: ImportJob) -> None:
    """Drop an import that has not been written (and its file)."""
    _require_step(user, job, {ImportJob.Status.UPLOADED, ImportJob.Status.READY})
    _delete(job)


def _delete(job: ImportJob) -> None:
    path = file_path(job)
    if path is not None:
        path.unlink(missing_ok=True)
    job.delete()


def resume_interrupted() -> int:
    """Jobs whose worker stopped mid-way (no heartbeat for a while) are queued again: a check
    starts over, a commit goes on with the rows not yet written."""
    from . import tasks

    stale = timezone.now() - STALE_AFTER
    count = 0
    for job in ImportJob.objects.filter(
        status__in=[ImportJob.Status.CHECKING, ImportJob.Status.COMMITTING],
        updated_at__lt=stale,
    ):
        if job.heartbeat is not None and job.heartbeat >= stale:
            continue
        if job.status == ImportJob.Status.CHECKING:
            tasks.import_check.enqueue(job.pk)
        else:
            tasks.import_commit.enqueue(job.pk)
        count += 1
    return count


def sweep_expired() -> int:
    """Jobs (with their rows and files) untouched for a day, and files left without a job."""
    cutoff = timezone.now() - JOB_TTL
    removed = 0
    for job in ImportJob.objects.filter(updated_at__lt=cutoff).exclude(
        status__in=[ImportJob.Status.CHECKING, ImportJob.Status.COMMITTING]
    ):
        _delete(job)
        removed += 1
    kept = set(ImportJob.objects.values_list("file_path", flat=True))
    limit = timezone.now().timestamp() - JOB_TTL.total_seconds()
    for path in _store_dir().iterdir():
        try:
            if path.name not in kept and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def rows_page(job: ImportJob, status: str = "") -> Any:
    rows = ImportRow.objects.filter(job=job).only(
        "line", "status", "label", "errors", "notes", "committed"
    )
    if status in ImportRow.Status.values:
        rows = rows.filter(status=status)
    return rows.order_by("line")


def rejected_rows_xlsx(job: ImportJob) -> bytes:
    """The rejected rows as they are in the file (its own header and columns), with a last
    column saying why, in the user's language: fix them and upload this file again."""
    from . import blanks

    reasons = dict(
        ImportRow.objects.filter(job=job, status=ImportRow.Status.REJECT).values_list(
            "line", "errors"
        )
    )
    if not reasons:
        raise ImportError_(_("No row was rejected."))
    data = read_file(job)

    def rows() -> Any:
        for number, values in enumerate(spreadsheets.read_grid(data), start=1):
            if number in reasons:
                yield (
                    [str(v) if isinstance(v, spreadsheets.Formula) else v for v in values],
                    [str(e) for e in reasons[number]],
                )

    header = list(job.header)
    return blanks.rejected_xlsx(header=header, rows=rows(), reason_label=_("Why it was rejected"))
