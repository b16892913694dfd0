"""Benchmark: import a members spreadsheet of 60,000 rows as regional staff keep it.

    .venv/bin/python bench/import_bench.py [--rows 60000] [--bad 5] [--seed 1]
                                           [--no-tracemalloc] [--profile] [--keep]

In a fresh SQLite data directory (migrated; the secretariat, the Pavlodar assembly and a
national admin): the file ``members_large`` of ``tests/imports/messy.py`` builds (title lines,
the header on row 4, dates and IINs in mixed forms, ``--bad`` wrong rows, a totals line). The
baseline, measured in the same run: the same file read with openpyxl alone (read-only, every
value). Then the import as a user runs it: ``services.start`` and ``choose_columns`` (the
upload), ``tasks.run_check`` (the dry run of every row), ``services.confirm`` and
``tasks.run_commit`` (the writes, in batches). The queued tasks are run here, in process.

Printed: seconds, rows/s, peak memory (tracemalloc's peak of Python allocations per phase and
the process's ``ru_maxrss``) and the ratio to the openpyxl read, the longest write
transaction (``job.max_lock_ms``), and PASS/MISS against the goals of issue 13: the whole import
within 60 s and 300 MB, no write lock held over 1 s. tracemalloc slows Python code down (the
factor, measured on the baseline, is printed); ``--no-tracemalloc`` gives plain times.
Results: ``bench/results/import.json``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
GOAL_SECONDS = 60.0
GOAL_MB = 300.0
GOAL_LOCK_MS = 1000
T = TypeVar("T")


def _rows(raw: str) -> int:
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number") from None
    if not 10 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError("give from 10 to 1,000,000 rows")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=_rows, default=60_000, help="data rows in the file")
    parser.add_argument("--bad", type=int, default=5, help="rows with an error among them")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-tracemalloc", action="store_true", help="plain times, no Python allocation peaks"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the check and the commit (slower)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args(argv)
    if not 0 <= args.bad < args.rows:
        parser.error("--bad must be at least 0 and less than --rows")

    data_dir = tempfile.mkdtemp(prefix="birlik-bench-import-")
    os.environ["BIRLIK_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)  # the embedded default: SQLite in WAL mode
    os.environ.pop("REDIS_URL", None)
    os.environ["TASKS_BACKEND"] = "database"  # queued, not run: the bench runs the tasks itself
    os.environ["DJANGO_SETTINGS_MODULE"] = "birlik.settings"
    sys.path.insert(0, str(ROOT))  # tests.imports.messy and tests.factories
    try:
        return _run(args, data_dir)
    finally:
        if args.keep:
            print(f"\nData directory kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


class Phase:
    """Times one step; with tracemalloc on, also the peak of Python allocations within it."""

    def __init__(self, name: str, traced: bool, profiled: bool = False) -> None:
        self.name, self.traced, self.profiled = name, traced, profiled
        self.seconds = 0.0
        self.peak_mb: float | None = None
        self.rss_mb = 0.0

    def run(self, step: Callable[[], T]) -> T:
        if self.traced:
            tracemalloc.reset_peak()
        profile = cProfile.Profile() if self.profiled else None
        started = time.perf_counter()
        if profile is not None:
            profile.enable()
        result = step()
        if profile is not None:
            profile.disable()
        self.seconds = time.perf_counter() - started
        if profile is not None:
            print(f"\n--- profile of {self.name} (top 25 by cumulative time)")
            pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
        if self.traced:
            self.peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        self.rss_mb = _rss_mb()
        return result


def _read_with_openpyxl(data: bytes) -> int:
    """The baseline: every value of every sheet, read-only, nothing else."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += sum(1 for value in row if value is not None)
    workbook.close()
    return cells


def _setup_network() -> tuple[Any, Any]:
    """The test suite's small network: its national admin and the Pavlodar assembly."""
    from tests.conftest import build_network

    network = build_network()
    return network.users["admin"], network.pavlodar


def _run(args: argparse.Namespace, data_dir: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    try:
        from birlik.imports import services, tasks
        from birlik.imports.models import ImportJob, ImportRow
    except ImportError as error:
        print(f"The import pipeline is not there yet: {error}", file=sys.stderr)
        return 2
    from birlik.registry.models import Membership, Person
    from tests.imports import messy

    traced = not args.no_tracemalloc
    expected_created, expected_rejected = args.rows - args.bad, args.bad
    print(f"Birlik import benchmark: {args.rows:,} rows ({args.bad} wrong), seed {args.seed}")
    print(f"Data directory: {data_dir}")

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started
    admin, assembly = _setup_network()

    started = time.perf_counter()
    data = messy.members_large(args.rows, args.bad, args.seed, body=assembly.name_ru)
    generate_s = time.perf_counter() - started
    print(f"File: {len(data) / 2**20:.1f} MB XLSX, generated in {generate_s:.1f} s; "
          f"migrate {migrate_s:.1f} s")  # fmt: skip

    # Baseline, plain and (when asked) under tracemalloc: the factor is tracemalloc's cost.
    plain = Phase("openpyxl read (baseline)", traced=False)
    cells = plain.run(lambda: _read_with_openpyxl(data))
    baseline = plain
    if traced:
        tracemalloc.start()
        baseline = Phase("openpyxl read (baseline), traced", traced)
        baseline.run(lambda: _read_with_openpyxl(data))
    overhead = baseline.seconds / plain.seconds

    persons_before, memberships_before = Person.objects.count(), Membership.objects.count()
    upload = Phase("upload: start + choose columns", traced)

    def upload_step() -> Any:
        job = services.start(
            user=admin, under=assembly, kind="members", filename="members.xlsx", data=data
        )
        return services.choose_columns(
            user=admin,
            job=job,
            header_line=job.header_line,
            mapping=job.mapping,
            defaults={"role": "member", "start_date": "2025-01-01", "consent_date": "2025-01-01"},
            mode="partial",
        )

    job = upload.run(upload_step)
    header_line, mapping = job.header_line, dict(job.mapping)
    check = Phase("check: dry run of every row", traced, args.profile)
    check.run(lambda: tasks.run_check(job.pk))
    job.refresh_from_db()
    checked = {"status": job.status, "created": job.created, "rejected": job.rejected,
               "changed": job.changed, "unchanged": job.unchanged, "message": job.message,
               "skipped": job.skipped}  # fmt: skip
    rejected_rows = list(
        ImportRow.objects.filter(job=job, status=ImportRow.Status.REJECT)
        .order_by("line")
        .values_list("line", "errors")[:20]
    )
    commit = Phase("commit: writes in batches", traced, args.profile)
    if job.status == ImportJob.Status.READY and job.created + job.changed:

        def commit_step() -> None:
            confirmed = services.confirm(user=admin, job=job)
            tasks.run_commit(confirmed.pk)

        commit.run(commit_step)
    else:
        print(f"\nThe check did not end ready to commit: {job.status} {job.message}")
    if traced:
        tracemalloc.stop()
    job.refresh_from_db()
    persons = Person.objects.count() - persons_before
    memberships = Membership.objects.count() - memberships_before

    phases = [upload, check, commit]
    total_s = sum(p.seconds for p in phases)
    peak_rss = max(p.rss_mb for p in phases)
    traced_peaks = [p.peak_mb for p in phases if p.peak_mb is not None]
    peak_traced = max(traced_peaks) if traced_peaks else None

    def mb(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f}"

    print(f"\nHeader found on line {header_line}; columns: {mapping}")
    print(f"Check: {checked['status']}, created {checked['created']:,} (expected "
          f"{expected_created:,}), rejected {checked['rejected']:,} (expected "
          f"{expected_rejected:,}), changed {checked['changed']}, unchanged "
          f"{checked['unchanged']}")  # fmt: skip
    if checked["skipped"]:
        print(f"Lines skipped as not data: {checked['skipped']}")
    for line, errors in rejected_rows:
        print(f"  rejected line {line}: {'; '.join(map(str, errors))}")
    print(f"Commit: {job.status}, committed {job.committed:,}; new people {persons:,}, "
          f"new memberships {memberships:,}")  # fmt: skip

    print()
    print(f"{'phase':<34} {'seconds':>8} {'rows/s':>9} {'x read':>7} "
          f"{'traced MB':>9} {'rss MB':>7}")  # fmt: skip
    print("-" * 79)
    for phase in dict.fromkeys((plain, baseline, *phases)):
        rate = args.rows / max(phase.seconds, 1e-9)
        print(f"{phase.name:<34} {phase.seconds:>8.2f} {rate:>9,.0f} "
              f"{phase.seconds / baseline.seconds:>7.1f} {mb(phase.peak_mb):>9} "
              f"{phase.rss_mb:>7.0f}")  # fmt: skip
    print("-" * 79)
    print(f"{'import total (upload+check+commit)':<34} {total_s:>8.2f} "
          f"{args.rows / total_s:>9,.0f} {total_s / baseline.seconds:>7.1f} "
          f"{mb(peak_traced):>9} {peak_rss:>7.0f}")  # fmt: skip
    if traced:
        print(f"(times under tracemalloc, which slowed the openpyxl read {overhead:.1f}x; "
              "--no-tracemalloc for plain times)")  # fmt: skip

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    scale = args.rows / 60_000
    print()
    print(f"goal: import within {GOAL_SECONDS:.0f} s{' (scaled to the rows)' if scale != 1 else ''}"
          f": {total_s:.1f} s -> {verdict(total_s <= GOAL_SECONDS * scale)}")  # fmt: skip
    print(f"goal: within {GOAL_MB:.0f} MB (process peak, ru_maxrss): {peak_rss:.0f} MB -> "
          f"{verdict(peak_rss <= GOAL_MB)}   (Python allocations, tracemalloc: "
          f"{mb(peak_traced)} MB)")  # fmt: skip
    print(f"goal: longest write lock within {GOAL_LOCK_MS} ms: {job.max_lock_ms} ms -> "
          f"{verdict(job.max_lock_ms <= GOAL_LOCK_MS)}")  # fmt: skip

    right = (checked["created"], checked["rejected"]) == (expected_created, expected_rejected)
    committed_all = job.status == ImportJob.Status.DONE and job.committed == checked["created"]
    if not right:
        print("WRONG: the check did not accept and reject the rows it should have.")
    if not committed_all:
        print("WRONG: not every accepted row was written.")

    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "rows": args.rows,
        "bad": args.bad,
        "seed": args.seed,
        "file_mb": len(data) / 2**20,
        "cells": cells,
        "tracemalloc": traced,
        "tracemalloc_overhead": overhead,
        "phases": {
            p.name: {"seconds": p.seconds, "traced_peak_mb": p.peak_mb, "rss_mb": p.rss_mb}
            for p in phases
        },
        "baseline_seconds": baseline.seconds,
        "baseline_plain_seconds": plain.seconds,
        "total_seconds": total_s,
        "peak_rss_mb": peak_rss,
        "peak_traced_mb": peak_traced,
        "max_lock_ms": job.max_lock_ms,
        "check": {k: v for k, v in checked.items() if k != "skipped"},
        "committed": job.committed,
        "status": job.status,
        "new_people": persons,
        "new_memberships": memberships,
    }
    (RESULTS / "import.json").write_text(json.dumps(result, indent=2, default=str))
    return 0 if right and committed_all else 1


if __name__ == "__main__":
    raise SystemExit(main())
