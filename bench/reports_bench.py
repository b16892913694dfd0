"""Benchmark: dashboards at national scale, cold and warm, national and one region.

    .venv/bin/python bench/reports_bench.py [--db sqlite|postgres|both] [--events 150000]
        [--registrations 2000000] [--appeals 100000] [--requests 50] [--cold 5] [--keep]

For each database, a fresh data set built by the other benchmarks' own code (imported, not
copied): the national demo (``demo_seed``: ≈5k bodies, last year and this year to date), more
events from the demo generator up to ``--events`` events and ``--registrations`` registration
rows (``events_bench.prepare``), and appeals up to ``--appeals`` (``appeals_bench.mode_fill``).
SQLite: a temporary ``BIRLIK_DATA_DIR``; PostgreSQL: the database ``birlik_bench_reports`` on
127.0.0.1:5432, user ``postgres``, dropped and created again.

Then, in one Django process on that database, through Django's test client (in process, no
server): the staff dashboard of the national administrator (national and KZ-55), the staff
dashboard of the Pavlodar coordinator, the public dashboard (national, KZ-55, one kind), the
plan progress page, and ``/health/`` (one ``SELECT 1``) timed the same way as the baseline.
Each page: queries per page, p50/p95 warm (figures cached) and cold (cache emptied before each
request, ``--cold`` times), and p95 as a ratio to ``/health/`` p95. Goal: p95 ≤ 100 ms.
Results go to ``bench/results/reports-<db>.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages_bench as common  # noqa: E402 - environment, PostgreSQL and percentile helpers

ROOT = common.ROOT
PG_DB = "birlik_bench_reports"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
GOAL_MS = 100.0
# (user or "" for anonymous, label, path); {year} is the previous year, {plan} its plan.
PAGES: list[tuple[str, str, str]] = [
    ("admin", "staff dashboard, national", "/kk/workspace/reports/?year={year}"),
    ("admin", "staff dashboard, KZ-55", "/kk/workspace/reports/?year={year}&region=KZ-55"),
    ("admin", "staff dashboard, Q2 kind", "/kk/workspace/reports/?year={year}&quarter=2"
     "&kind=house_of_friendship"),
    ("coordinator_pavlodar", "coordinator dashboard", "/kk/workspace/reports/?year={year}"),
    ("", "public dashboard, national", "/kk/figures/?year={year}"),
    ("", "public dashboard, KZ-55", "/kk/figures/?year={year}&region=KZ-55"),
    ("admin", "plan progress, national", "/kk/workspace/reports/plans/{plan}/"),
    ("coordinator_pavlodar", "plan progress, KZ-55", "/kk/workspace/reports/plans/{plan}/"
     "regions/KZ-55/"),
]  # fmt: skip
HEALTH = ("", "health (baseline)", "/health/")


def child(mode: str, env: dict[str, str], *extra: str, log: Path | None = None) -> dict[str, Any]:
    """Run this script in ``mode`` with Django set up on the bench database; read its JSON."""
    done = subprocess.run(  # noqa: S603 - this script, fixed arguments
        [sys.executable, str(Path(__file__).resolve()), f"--{mode}", *extra],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if log is not None:
        log.write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"--{mode} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _django() -> None:
    import django

    django.setup()


def mode_prepare(args: argparse.Namespace) -> int:
    """The events benchmark's data set, then appeals up to the target; one JSON line."""
    import io
    from contextlib import redirect_stdout

    import appeals_bench
    import events_bench

    started = time.perf_counter()
    captured = io.StringIO()
    with redirect_stdout(captured):
        events_bench.prepare(args)  # sets Django up, migrates, seeds, adds events
    events = json.loads(captured.getvalue().strip().splitlines()[-1])
    from birlik.appeals.models import Appeal
    from birlik.events.services import event_figures_rebuild

    # More events were written in bulk after the demo: the nightly job would rebuild the rollup.
    event_figures_rebuild()
    missing = max(0, args.appeals - Appeal.objects.count())
    if missing:
        appeals_bench.mode_fill(missing)
    from django.core.management import call_command

    # Appeals were written in bulk too: every rollup of the figures is rebuilt, as after a load.
    call_command("rollups", "--rebuild")
    from django.db import connection

    from birlik.registry.models import Organisation

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        json.dumps(
            {
                **events,
                "appeals": Appeal.objects.count(),
                "bodies": Organisation.objects.count(),
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    )
    return 0


def _timings(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(common.percentile(values, 0.5), 1),
        "p95_ms": round(common.percentile(values, 0.95), 1),
        "max_ms": round(max(values), 1),
    }


def mode_measure(args: argparse.Namespace) -> int:
    _django()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from birlik.access.models import User
    from birlik.reports.models import Plan

    year = timezone.localdate().year - 1
    plan = Plan.objects.filter(year=year).first()
    clients: dict[str, Client] = {}

    def client_for(username: str) -> Client:
        if username not in clients:
            client = Client(HTTP_HOST="localhost")
            if username:
                client.force_login(User.objects.get(username=username))
            clients[username] = client
        return clients[username]

    # One request per page first: the process loads its templates, URLs and translations once.
    for username, _label, template in [HEALTH, *PAGES]:
        if "{plan}" not in template or plan is not None:
            client_for(username).get(template.format(year=year, plan=plan.pk if plan else 0))
    results = []
    for username, label, template in [HEALTH, *PAGES]:
        if "{plan}" in template and plan is None:
            continue
        path = template.format(year=year, plan=plan.pk if plan else 0)
        client = client_for(username)
        cold: list[float] = []
        cold_queries = 0
        for index in range(args.cold):
            cache.clear()
            begun = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            cold.append((time.perf_counter() - begun) * 1000)
            if index == 0:
                cold_queries = len(captured.captured_queries)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        warm_queries = len(captured.captured_queries)
        warm: list[float] = []
        for _ in range(args.requests):
            begun = time.perf_counter()
            client.get(path)
            warm.append((time.perf_counter() - begun) * 1000)
        results.append(
            {
                "label": label,
                "path": path,
                "queries_warm": warm_queries,
                "queries_cold": cold_queries,
                "warm": _timings(warm),
                "cold": _timings(cold),
                "bytes": len(response.content),
            }
        )
    print(json.dumps({"year": year, "database_version": _version(), "pages": results}))
    return 0


def _version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def run_database(db: str, args: argparse.Namespace) -> dict[str, Any]:
    label = common.DB_LABELS[db]
    data_dir = tempfile.mkdtemp(prefix=f"birlik-reports-{db}-")
    env = common.bench_env(db, data_dir)
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
    print(f"\n== {label} ==", flush=True)
    try:
        if db == "postgres":
            common.postgres_recreate(database=PG_DB)
        print(f"Data directory: {data_dir}", flush=True)
        print("Generating the data (demo, more events, appeals)…", flush=True)
        prepared = child(
            "prepare",
            env,
            "--events",
            str(args.events),
            "--registrations",
            str(args.registrations),
            "--appeals",
            str(args.appeals),
            log=Path(data_dir) / "prepare.log",
        )
        print(
            f"  {prepared['bodies']:,} bodies, {prepared['events']:,} events, "
            f"{prepared['registrations']:,} registrations, {prepared['appeals']:,} appeals "
            f"in {prepared['seconds']} s",
            flush=True,
        )
        print("Measuring the dashboards in-process…", flush=True)
        measured = child("measure", env, "--requests", str(args.requests), "--cold", str(args.cold))
        report = {"database": label, "prepared": prepared, **measured}
        print_report(report)
        common.RESULTS.mkdir(parents=True, exist_ok=True)
        out = common.RESULTS / f"reports-{db}.json"
        out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        print(f"Results written to {out.relative_to(ROOT)}")
        return report
    finally:
        if args.keep:
            print(f"Kept: data directory {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
            if db == "postgres":
                with contextlib.suppress(Exception):
                    common.postgres_recreate(drop_only=True, database=PG_DB)


def print_report(report: dict[str, Any]) -> None:
    pages = report["pages"]
    health = next(page for page in pages if page["label"] == "health (baseline)")
    base = health["warm"]["p95_ms"] or 0.1
    print(f"\n{report['database']} ({report['database_version']}), figures of {report['year']}")
    header = (
        f"{'page':<28} {'q warm':>6} {'q cold':>6} {'warm p50':>9} {'warm p95':>9} "
        f"{'× health':>8} {'cold p50':>9} {'cold p95':>9} {'goal':>5}"
    )
    print(header)
    print("-" * len(header))
    for page in pages:
        warm, cold = page["warm"], page["cold"]
        goal = "ok" if warm["p95_ms"] <= GOAL_MS else "MISS"
        print(
            f"{page['label']:<28} {page['queries_warm']:>6} {page['queries_cold']:>6} "
            f"{warm['p50_ms']:>8.1f} {warm['p95_ms']:>9.1f} {warm['p95_ms'] / base:>8.1f} "
            f"{cold['p50_ms']:>9.1f} {cold['p95_ms']:>9.1f} {goal:>5}"
        )
    print("(ms; warm = figures cached, cold = cache emptied before each request; goal on warm p95)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--events", type=common._positive_int, default=150_000)
    parser.add_argument("--registrations", type=common._positive_int, default=2_000_000)
    parser.add_argument("--appeals", type=common._positive_int, default=100_000)
    parser.add_argument("--requests", type=common._positive_int, default=50)
    parser.add_argument("--cold", type=common._positive_int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep data directory and database")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        return mode_prepare(args)
    if args.measure:
        return mode_measure(args)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    for db in databases:
        if db == "postgres":
            problem = common.postgres_reachable()
            if problem is not None:
                if args.db == "postgres":
                    print(f"PostgreSQL is not reachable: {problem}", file=sys.stderr)
                    return 1
                print(f"\nPostgreSQL skipped: {problem}")
                continue
        run_database(db, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
