"""Benchmark: the REST API's list endpoints at national scale — p50/p95 and queries per page.

    .venv/bin/python bench/api_bench.py [--db sqlite|postgres|both] [--events 150000]
        [--registrations 2000000] [--requests 200] [--concurrency 4] [--keep]

For each database: the data set of ``bench/events_bench.py`` (the national demo plus activity
from the same generator up to about ``--events`` events and ``--registrations`` registrations;
SQLite in a temporary ``BIRLIK_DATA_DIR``, PostgreSQL in ``birlik_bench_api`` on 127.0.0.1:5432).
Then an integration token is made for the Pavlodar regional assembly, the queries of each list
are counted in-process (warm cache), and the production server (``birlik serve``) is loaded
with ``--requests`` calls per endpoint from ``--concurrency`` clients; ``/health/`` (one
``SELECT 1``) is measured the same way in the same run and every p95 is given as a ratio to it.
Rate limits are lifted for the run (``API_RATE_ANON``/``API_RATE_TOKEN``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import events_bench
import pages_bench as common

ROOT = common.ROOT
PG_DB = "birlik_bench_api"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
REGION = "KZ-55"
# (label, path, needs the token)
ENDPOINTS: list[tuple[str, str, bool]] = [
    ("bodies", "/api/v1/bodies?limit=100", False),
    ("bodies region", f"/api/v1/bodies?region={REGION}&limit=100", False),
    ("bodies search", "/api/v1/bodies?q=%D0%B4%D0%BE%D1%81%D1%82%D1%8B%D2%9B&limit=100", False),
    ("bodies deep page", "/api/v1/bodies?limit=100&offset=4000", False),
    ("events", "/api/v1/events?limit=100", False),
    (
        "events region+year",
        f"/api/v1/events?region={REGION}&date_from={{year}}-01-01&date_to={{year}}-12-31&limit=100",
        False,
    ),
    ("events deep page", "/api/v1/events?limit=100&offset={deep}", False),
    ("events updated since", "/api/v1/events?limit=100&updated_since={since}", False),
    ("figures (cached)", "/api/v1/figures?year={year}", False),
    ("appeals register (token)", "/api/v1/appeals?limit=100", True),
]


def child(mode: str, env: dict[str, str], *extra: str) -> dict[str, Any]:
    """Run this script in ``mode`` with Django on the bench database; read its JSON."""
    import subprocess

    done = subprocess.run(  # noqa: S603 - this script, fixed arguments
        [sys.executable, str(Path(__file__).resolve()), f"--{mode}", *extra],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise common.BenchError(f"--{mode} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def inspect() -> int:
    """A token for the Pavlodar assembly; queries per list and in-process timings (warm)."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from birlik.access.models import Grant, Role
    from birlik.api.services import api_token_create
    from birlik.events.models import Event
    from birlik.registry.models import Organisation

    admin = Grant.objects.filter(role=Role.NATIONAL_ADMIN, revoked_at__isnull=True).first()
    body = Organisation.objects.filter(
        kind__code="regional_assembly", region__iso=REGION, status="active"
    ).first()
    if admin is None or body is None:
        print("no national admin or no regional assembly in the data", file=sys.stderr)
        return 1
    made = api_token_create(
        actor=admin.user, name="Benchmark", organisation=body, scopes=["appeals:write"]
    )
    year = timezone.localdate().year - 1
    values = {
        "year": str(year),
        "deep": str(max(0, Event.objects.count() // 2)),
        "since": (timezone.now() - timezone.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S"),
    }
    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"Authorization": f"Bearer {made.secret}", "Accept-Language": "kk"}
    endpoints: dict[str, Any] = {}
    for label, template, token in [(*common.HEALTH, False), *ENDPOINTS]:
        path = template.format(**values)
        extra = headers if token else {"Accept-Language": "kk"}
        cache.clear()
        first = client.get(path, headers=extra)
        if first.status_code != 200:
            print(f"{path} answered {first.status_code}: {first.content[:300]!r}", file=sys.stderr)
            return 1
        with CaptureQueriesContext(connection) as warm:
            client.get(path, headers=extra)
        queries = len(warm.captured_queries)  # before the next request resets the log
        timings = []
        for _ in range(7):
            started = time.perf_counter()
            client.get(path, headers=extra)
            timings.append((time.perf_counter() - started) * 1000)
        payload = first.json() if label != common.HEALTH[0] else {}
        endpoints[label] = {
            "path": path,
            "token": token,
            "queries": queries,
            "rows": len(payload.get("items", [])) if isinstance(payload, dict) else 0,
            "count": payload.get("count") if isinstance(payload, dict) else None,
            "median_ms": round(statistics.median(timings), 2),
        }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = str(cursor.fetchone()[0]).split()[0]
    print(
        json.dumps(
            {"secret": made.secret, "endpoints": endpoints, "database_version": version},
            ensure_ascii=False,
        )
    )
    return 0


def run_database(db: str, args: argparse.Namespace) -> dict[str, Any]:
    label = common.DB_LABELS[db]
    data_dir = tempfile.mkdtemp(prefix=f"birlik-api-{db}-")
    env = common.bench_env(db, data_dir)
    unlimited = "100000000/min"
    env["API_RATE_ANON"] = env["API_RATE_TOKEN"] = unlimited
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
    print(f"\n== {label} ==", flush=True)
    try:
        if db == "postgres":
            common.postgres_recreate(database=PG_DB)
        print(f"Data directory: {data_dir}", flush=True)
        print("Generating the data (bench/events_bench.py)…", flush=True)
        prepared = events_bench.child(
            "prepare",
            env,
            "--events",
            str(args.events),
            "--registrations",
            str(args.registrations),
            log=Path(data_dir) / "prepare.log",
        )
        print(
            f"  {prepared['events']:,} events, {prepared['registrations']:,} registrations "
            f"in {prepared['seconds']} s",
            flush=True,
        )
        inspected = child("inspect", env)
        auth = {"Authorization": f"Bearer {inspected['secret']}", "Accept-Language": "kk"}
        rows = []
        with common.server(env, Path(data_dir) / "server.log") as running:
            everything = [(common.HEALTH[0], inspected["endpoints"][common.HEALTH[0]])]
            everything += [(name, inspected["endpoints"][name]) for name, _p, _t in ENDPOINTS]
            for _name, spec in everything:  # warm the workers
                headers = auth if spec["token"] else {"Accept-Language": "kk"}
                common.load(
                    running.port, spec["path"], 4 * args.concurrency, args.concurrency,
                    headers=headers,
                )  # fmt: skip
            for name, spec in everything:
                headers = auth if spec["token"] else {"Accept-Language": "kk"}
                measured = common.load(
                    running.port, spec["path"], args.requests, args.concurrency, headers=headers
                )
                latencies = measured.latencies_ms
                rows.append(
                    {
                        "label": name,
                        "path": spec["path"],
                        "queries": spec["queries"],
                        "rows": spec["rows"],
                        "count": spec["count"],
                        "in_process_ms": spec["median_ms"],
                        "p50_ms": round(common.percentile(latencies, 0.5), 2),
                        "p95_ms": round(common.percentile(latencies, 0.95), 2),
                        "rps": round(len(latencies) / measured.elapsed_s, 1),
                        "errors": measured.errors[:5],
                    }
                )
        health = rows[0]
        for row in rows:
            row["ratio_to_health"] = round(row["p95_ms"] / health["p95_ms"], 1)
        report = {
            "database": label,
            "database_version": inspected["database_version"],
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "cpus": os.cpu_count(),
            "prepared": prepared,
            "endpoints": rows,
        }
        print_report(report)
        common.RESULTS.mkdir(parents=True, exist_ok=True)
        out = common.RESULTS / f"api-{db}.json"
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
    prepared = report["prepared"]
    print(
        f"\n{report['database']} {report['database_version']} · {prepared['events']:,} events · "
        f"{prepared['registrations']:,} registrations · {report['cpus']} CPUs · {report['when']}"
    )
    print(
        f"{'endpoint':<26}{'queries':>8}{'rows':>6}{'in-proc ms':>11}{'p50 ms':>9}"
        f"{'p95 ms':>9}{'×health':>9}{'req/s':>8}  errors"
    )
    for row in report["endpoints"]:
        print(
            f"{row['label']:<26}{row['queries']:>8}{row['rows']:>6}{row['in_process_ms']:>11.1f}"
            f"{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}{row['ratio_to_health']:>9.1f}"
            f"{row['rps']:>8.1f}  {len(row['errors']) or ''}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--events", type=common._positive_int, default=150_000)
    parser.add_argument("--registrations", type=common._positive_int, default=2_000_000)
    parser.add_argument("--requests", type=common._positive_int, default=200, help="per endpoint")
    parser.add_argument("--concurrency", type=common._positive_int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    parser.add_argument("--inspect", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inspect:
        return inspect()

    def terminate(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    try:
        for db in databases:
            if db == "postgres" and (why := common.postgres_reachable()) is not None:
                print(f"\nPostgreSQL is not reachable ({why}).", file=sys.stderr)
                if args.db == "postgres":
                    return 2
                continue
            run_database(db, args)
    except common.BenchError as error:
        print(f"\nBenchmark failed: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted: the server is stopped.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
