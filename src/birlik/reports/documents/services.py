"""Writes of the report documents: asking for an annual report, generating it (the job's body),
handing its files out (audited), and generating an open data release.

Files are written to a temporary name next to their final place and renamed into it, so a
reader never sees half a file; an open data release is a new directory renamed into place as a
whole, then recorded.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
import os
import secrets
import shutil
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from birlik.access import policies
from birlik.access.models import AuditEntry, User
from birlik.access.services import audit_record
from birlik.core.errors import DomainError
from birlik.geo.models import Region

from . import annual, opendata, queries
from .models import OpenDataRelease, ReportFormat, ReportRun

logger = logging.getLogger(__name__)

LANGUAGE_CODES = ("kk", "ru", "en")
STALE_AFTER = datetime.timedelta(hours=1)
RELEASES_KEPT = 2  # the published release and the one before it (downloads in flight)
ZIP_NAME = "birlik-open-data.zip"
DICTIONARY_NAME = "dictionary.json"


class ReportError(DomainError):
    pass


def documents_dir() -> Path:
    """Where generated documents live: ``BIRLIK_DOCUMENTS_DIR``, else ``<data dir>/documents``
    (never a public directory; files go out through the views)."""
    configured = getattr(settings, "BIRLIK_DOCUMENTS_DIR", None) or os.environ.get(
        "BIRLIK_DOCUMENTS_DIR"
    )
    return Path(configured) if configured else Path(settings.DATA_DIR) / "documents"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _audit_path(region: Region | None) -> str:
    """Audit rows of a region's report are filed under the region's top body."""
    if region is None:
        return ""
    from birlik.registry.models import Organisation

    path = (
        Organisation.objects.filter(region=region, depth=2)
        .order_by("path")
        .values_list("path", flat=True)
        .first()
    )
    return path or ""


# --- The annual report -----------------------------------------------------------------------


def report_run_request(
    *,
    actor: User,
    year: Any,
    language: str,
    region: Region | None,
    formats: list[str],
) -> ReportRun:
    """Queue the annual report of a year in one language; the job writes its files.

    Allowed to national administrators and analysts (any scope) and to regional coordinators
    (their region). The year must lie between 1995 (``queries.FIRST_YEAR``) and this year and
    have data; asking again while the same report is being generated returns that run.
    """
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ReportError(_("Give the year as a number, e.g. 2025."), field="year") from None
    this_year = queries.last_year()
    if not queries.FIRST_YEAR <= year <= this_year:
        raise ReportError(
            _("There is no report for %(year)s: choose a year from %(first)s to %(last)s.")
            % {"year": year, "first": queries.FIRST_YEAR, "last": this_year},
            field="year",
        )
    if language not in LANGUAGE_CODES:
        raise ReportError(
            _("Choose the language of the report: Kazakh, Russian or English."), field="language"
        )
    chosen = [fmt for fmt in ReportFormat.values if fmt in set(formats)]
    if not chosen or len(chosen) != len(set(formats)):
        raise ReportError(_("Choose at least one format: PDF, XLSX or DOCX."), field="formats")
    if not policies.can(actor, "report_documents.request_report", region or "national"):
        raise PermissionDenied("report_documents.request_report")
    if not queries.year_has_data(year, region):
        message = (
            _("Nothing is recorded for %(year)s yet (no event held, no appeal received).")
            % {"year": year}
            if region is None
            else _(
                "Nothing is recorded for %(year)s in %(region)s yet (no event held, no appeal "
                "received)."
            )
            % {"year": year, "region": region.name}
        )
        raise ReportError(message, field="year")
    with transaction.atomic():
        pending = (
            ReportRun.objects.select_for_update(of=("self",))
            .filter(
                year=year,
                language=language,
                region=region,
                status__in=[ReportRun.Status.QUEUED, ReportRun.Status.RUNNING],
            )
            .order_by("-created_at")
            .first()
        )
        if pending is not None and pending.created_at < timezone.now() - STALE_AFTER:
            # Its worker was stopped half-way: say so, and generate the report afresh.
            ReportRun.objects.filter(pk=pending.pk).update(
                status=ReportRun.Status.FAILED,
                finished_at=timezone.now(),
                message="interrupted: no progress for an hour",
            )
            pending = None
        if pending is not None and set(pending.formats) >= set(chosen):
            return pending
        run = ReportRun.objects.create(
            year=year, language=language, region=region, formats=chosen, requested_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            obj=run,
            organisation_path=_audit_path(region),
            changes={"year": year, "language": language, "formats": chosen},
        )
        transaction.on_commit(lambda: _enqueue_report(run.pk))
    return run


def _enqueue_report(run_id: int) -> None:
    from .tasks import report_generate

    report_generate.enqueue(run_id)


def _set_progress(run_id: int, progress: int) -> None:
    ReportRun.objects.filter(pk=run_id).update(progress=max(0, min(100, progress)))


def report_run_generate(*, run_id: int) -> ReportRun | None:
    """The job's body: compute every figure, write each asked format, record the files.

    A run already finished is left alone (a job delivered twice does nothing); on any error the
    run is marked failed with the reason and the error raised again for the worker's log.
    """
    claimed = ReportRun.objects.filter(
        pk=run_id, status__in=[ReportRun.Status.QUEUED, ReportRun.Status.RUNNING]
    ).update(status=ReportRun.Status.RUNNING, started_at=timezone.now(), progress=1)
    if not claimed:
        return None
    run = ReportRun.objects.select_related("region").get(pk=run_id)
    started = time.monotonic()
    folder = documents_dir() / "reports" / str(run.pk)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        files: dict[str, dict[str, Any]] = {}
        with translation.override(run.language):
            content = annual.collect(
                year=run.year,
                language=run.language,
                region=run.region,
                progress=lambda value: _set_progress(run_id, value),
                # Only the XLSX has a sheet of every figure of each region.
                with_regions=ReportFormat.XLSX in run.formats,
            )
            scope = run.region.iso if run.region is not None else "KZ"
            step = 40 // max(1, len(run.formats))
            for index, fmt in enumerate(run.formats, start=1):
                name = f"birlik-annual-report-{run.year}-{scope}-{run.language}.{fmt}"
                target = folder / name
                temporary = folder / f".{name}.{secrets.token_hex(4)}.tmp"
                try:
                    annual.WRITERS[fmt](content, temporary)
                    os.replace(temporary, target)
                finally:
                    temporary.unlink(missing_ok=True)
                files[fmt] = {
                    "name": name,
                    "size": target.stat().st_size,
                    "sha256": _sha256(target),
                }
                _set_progress(run_id, 60 + step * index)
    except Exception as error:
        logger.exception("annual report run %s failed", run_id)
        ReportRun.objects.filter(pk=run_id).update(
            status=ReportRun.Status.FAILED,
            finished_at=timezone.now(),
            message=f"{type(error).__name__}: {error}"[:500],
        )
        raise
    seconds = time.monotonic() - started
    ReportRun.objects.filter(pk=run_id).update(
        status=ReportRun.Status.DONE,
        progress=100,
        files=files,
        finished_at=timezone.now(),
        message=f"{seconds:.1f} s",
    )
    run.refresh_from_db()
    return run


def report_file(*, actor: User, run: ReportRun, fmt: str) -> tuple[Path, dict[str, Any]]:
    """The file of a finished run for a user allowed to see it; the download is audited."""
    if not policies.can(actor, "report_documents.view_report", run):
        raise PermissionDenied("report_documents.view_report")
    item = run.file_of(fmt) if run.status == ReportRun.Status.DONE else None
    if item is None:
        raise ReportError(_("This file is not ready: the report has not been generated in it."))
    path = documents_dir() / "reports" / str(run.pk) / str(item["name"])
    if path.name != item["name"] or not path.is_file():
        raise ReportError(_("This file is no longer kept: ask for the report again."))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        obj=run,
        organisation_path=_audit_path(run.region),
        note=fmt,
    )
    return path, item


# --- Open data -------------------------------------------------------------------------------


def opendata_generate(*, progress: Callable[[str], None] | None = None) -> OpenDataRelease:
    """Write every dataset (CSV and JSON), the data dictionary and a ZIP of all into a new
    directory, rename it into place, record the release, and prune older ones.

    Each dataset's rows are read once, in chunks, and written to both files as they come; each
    file's size and SHA-256 are taken as it is written, and it joins the ZIP (compressed on a
    second thread, in order) as soon as it is closed. Memory holds a chunk of rows and the
    indicators' figures, never a whole dataset or file."""
    say = progress or (lambda _message: None)
    started = time.monotonic()
    root = documents_dir() / "open-data"
    root.mkdir(parents=True, exist_ok=True)
    generated_at = timezone.now()
    name = f"{timezone.localtime(generated_at):%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"
    work = root / f".tmp-{name}"
    work.mkdir()
    try:
        context = opendata.Context(years=opendata.published_years(), progress=say)
        files: list[dict[str, Any]] = []
        zip_path = work / ZIP_NAME
        with _ZipWriter(zip_path) as archive:
            for dataset in opendata.DATASETS:
                csv_path = work / f"{dataset.code}.csv"
                json_path = work / f"{dataset.code}.json"
                with (
                    _HashedText(csv_path, newline="") as csv_file,
                    _HashedText(json_path) as json_file,
                ):
                    rows = opendata.write_dataset(dataset, context, csv_file, json_file)
                for hashed, fmt in ((csv_file, "csv"), (json_file, "json")):
                    files.append(hashed.described(dataset.code, fmt, rows))
                    archive.add(hashed.path)
                say(f"{dataset.code}: {rows} rows")
            dictionary_path = work / DICTIONARY_NAME
            with _HashedText(dictionary_path) as dictionary_file:
                json.dump(
                    opendata.dictionary(generated_at=generated_at, years=context.years),
                    dictionary_file,
                    ensure_ascii=False,
                    indent=2,
                )
            files.append(dictionary_file.described("dictionary", "json", None))
            archive.add(dictionary_path)
        files.append(_described(zip_path, "all", "zip"))
        say(f"{ZIP_NAME}: {zip_path.stat().st_size} bytes")
        os.rename(work, root / name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    release = OpenDataRelease.objects.create(
        generated_at=generated_at,
        directory=name,
        files=files,
        years=context.years,
        duration_ms=round(1000 * (time.monotonic() - started)),
    )
    _prune_releases(root)
    return release


class _HashingRaw(io.RawIOBase):
    """A file opened for writing that keeps the SHA-256 and size of what goes through it."""

    def __init__(self, path: Path) -> None:
        self.handle = path.open("wb")
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self.digest.update(view)
        self.size += view.nbytes
        self.handle.write(view)
        return view.nbytes

    def close(self) -> None:
        if not self.closed:
            self.handle.close()
        super().close()


class _HashedText(io.TextIOWrapper):
    """A UTF-8 text file whose bytes are hashed as they are written (no second read)."""

    def __init__(self, path: Path, *, newline: str | None = None) -> None:
        self.path = path
        self.raw_file = _HashingRaw(path)
        super().__init__(
            io.BufferedWriter(self.raw_file, buffer_size=1 << 16),
            encoding="utf-8",
            newline=newline,
        )

    def described(self, dataset: str, fmt: str, rows: int | None) -> dict[str, Any]:
        return {
            "name": self.path.name,
            "dataset": dataset,
            "format": fmt,
            "rows": rows,
            "size": self.raw_file.size,
            "sha256": self.raw_file.digest.hexdigest(),
        }


class _ZipWriter:
    """The release's ZIP, written on disk as the files are done: each closed file is
    compressed into it on one worker thread (zlib lets the database work go on meanwhile), in
    the order given; an error there is raised again here."""

    def __init__(self, path: Path) -> None:
        self.archive = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="opendata-zip")
        self.pending: list[Future[None]] = []

    def add(self, path: Path) -> None:
        self.pending.append(self.pool.submit(self.archive.write, path, arcname=path.name))

    def __enter__(self) -> _ZipWriter:
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if kind is not None:
            for item in self.pending:
                item.cancel()
        self.pool.shutdown(wait=True)
        try:
            for item in self.pending:
                if not item.cancelled():
                    item.result()
        finally:
            self.archive.close()


def _described(path: Path, dataset: str, fmt: str) -> dict[str, Any]:
    return {
        "name": path.name,
        "dataset": dataset,
        "format": fmt,
        "rows": None,
        "size": path.stat().st_size,
        "sha256": _sha256(path),
    }


def _prune_releases(root: Path) -> None:
    """Keep the newest releases' directories and rows; remove the older ones."""
    kept = list(OpenDataRelease.objects.order_by("-generated_at", "-pk")[:RELEASES_KEPT])
    if not kept:
        return
    OpenDataRelease.objects.exclude(pk__in=[release.pk for release in kept]).delete()
    # Names begin with their time: only directories older than every kept release go (one
    # another worker has just renamed into place, not yet recorded, is newer and stays).
    oldest_kept = min(release.directory for release in kept)
    stale = time.time() - 24 * 3600
    for entry in root.iterdir():
        if not entry.is_dir():
            continue
        if entry.name.startswith(".tmp-"):
            # Left by a generation that was killed half-way.
            if entry.stat().st_mtime < stale:
                shutil.rmtree(entry, ignore_errors=True)
        elif entry.name < oldest_kept:
            shutil.rmtree(entry, ignore_errors=True)


def opendata_path(release: OpenDataRelease, name: str) -> Path | None:
    """The file ``name`` of a release, if the release lists it and it is on disk."""
    if release.file(name) is None or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = documents_dir() / "open-data" / release.directory / name
    return path if path.is_file() else None
