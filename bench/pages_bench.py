"""Benchmark: the public pages over the national demo data, on SQLite and PostgreSQL.

    .venv/bin/python bench/pages_bench.py [--db sqlite|postgres|both] [--requests N]
                                          [--concurrency C] [--keep]

For each database: a fresh national demo database (``birlik demo --no-serve``), then the
production server (``birlik serve``: gunicorn, 2 workers) on a free loopback port, loaded by a
small keep-alive HTTP client with C threads, N requests per page. Prints, per page, the database
queries (counted in a Django process of this script with ``django.test.Client``), p50/p95/max
latency, requests per second and the ratio of p95 to the p95 of ``/health/`` (one ``SELECT 1``)
measured the same way in the same run. Goal: p95 <= 100 ms on each page.
Results are also written to ``bench/results/pages-<db>.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
BIRLIK = BIN / "birlik"
RESULTS = ROOT / "bench" / "results"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_DB = "birlik_bench"
PG_BENCH_URL = f"postgres://postgres@127.0.0.1:5432/{PG_BENCH_DB}"
GOAL_P95_MS = 100.0
BUSY_ELSEWHERE = 0.25  # cores used by other processes above which the numbers are flagged
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WEB_WORKERS = 2
HEALTH = ("health (baseline)", "/health/")
# (label, path); the body page's path is filled in once a House of Friendship is picked.
PAGES: list[tuple[str, str]] = [
    ("home kk", "/kk/"),
    ("directory", "/kk/bodies/"),
    ("directory region+kind", "/kk/bodies/?region=KZ-55&kind=house_of_friendship"),
    ("directory search", "/kk/bodies/?q=dostyk"),
    ("directory page 50", "/kk/bodies/?page=50"),
    ("body (House of Friendship)", "/kk/bodies/{body}/"),
    ("home ru", "/ru/"),
]
DB_LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


class BenchError(Exception):
    """A step failed: the message says which and why."""


# --- Load client ----------------------------------------------------------------------------


@dataclass
class Load:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    server_cpu_s: float = 0.0  # CPU time of gunicorn (master and workers) during the load
    database_cpu_s: float = 0.0  # CPU time of PostgreSQL's processes during the load
    other_cpu_s: float = 0.0  # CPU time of every other process on the machine meanwhile


def load(
    port: int,
    path: str,
    requests: int,
    concurrency: int,
    *,
    headers: Mapping[str, str] | None = None,
    seconds: float | None = None,
) -> Load:
    """``requests`` GETs of ``path`` from ``concurrency`` threads, each on one keep-alive link,
    with ``headers`` (a session cookie, an API token), stopping after ``seconds`` if given."""
    result = Load()
    lock = threading.Lock()
    tickets = iter(range(requests))
    deadline = None if seconds is None else time.monotonic() + seconds
    sent = {"Accept-Encoding": "identity", **(headers or {})}

    def take() -> bool:
        with lock:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            return next(tickets, None) is not None

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        own: list[float] = []
        errors: list[str] = []
        try:
            while take():
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers=sent)
                    response = conn.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException) as error:
                    errors.append(f"{type(error).__name__}: {error}")
                    conn.close()  # the next request opens a new connection
                    continue
                own.append((time.perf_counter() - started) * 1000)
                if response.status != 200:
                    errors.append(f"HTTP {response.status} {response.reason}")
        finally:
            conn.close()
            with lock:
                result.latencies_ms.extend(own)
                result.errors.extend(errors)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed_s = time.perf_counter() - started
    return result


def machine_busy_s() -> float:
    """CPU seconds the whole machine has been busy since boot (all cores, from /proc/stat)."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:9]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields) - idle) / CLOCK_TICKS


def process_cpu_s(pgid: int) -> tuple[float, float]:
    """CPU seconds used so far by the server's process group, and by PostgreSQL's processes."""
    server = database = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                name, rest = stat.read().split(" (", 1)[1].rsplit(")", 1)
        except (OSError, ValueError):
            continue
        fields = rest.split()  # state, ppid, pgrp, ... utime is the 12th, stime the 13th
        used = int(fields[11]) + int(fields[12])
        if int(fields[2]) == pgid:
            server += used
        elif name == "postgres":
            database += used
    return server / CLOCK_TICKS, database / CLOCK_TICKS


def measure(server: Server, path: str, requests: int, concurrency: int) -> Load:
    """``load`` with CPU accounting: the server's, the database server's, and all the rest."""
    busy, (served, db), own = machine_busy_s(), process_cpu_s(server.pgid), _own_cpu_s()
    result = load(server.port, path, requests, concurrency)
    served_after, db_after = process_cpu_s(server.pgid)
    result.server_cpu_s = served_after - served
    result.database_cpu_s = db_after - db
    own = _own_cpu_s() - own
    result.other_cpu_s = max(
        0.0, machine_busy_s() - busy - result.server_cpu_s - result.database_cpu_s - own
    )
    return result


def _own_cpu_s() -> float:
    times = os.times()
    return times.user + times.system


def percentile(values: list[float], share: float) -> float:
    """Linear interpolation between closest ranks (share in 0..1)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class PageResult:
    label: str
    path: str
    queries: int
    queries_cold: int
    in_process_ms: float
    requests: int
    ok: int
    errors: list[str]
    p50_ms: float
    p95_ms: float
    max_ms: float
    rps: float
    server_cpu_ms_per_request: float
    database_cpu_ms_per_request: float
    other_cpu_cores: float
    sql: list[str]
    ratio_to_health: float = 0.0
    meets_goal: bool = False


def summarise(label: str, path: str, measured: Load, inspected: dict[str, Any]) -> PageResult:
    latencies = measured.latencies_ms
    return PageResult(
        label=label,
        path=path,
        queries=inspected["queries"],
        queries_cold=inspected["queries_cold"],
        in_process_ms=inspected["median_ms"],
        requests=len(latencies),
        ok=len(latencies) - sum(1 for e in measured.errors if e.startswith("HTTP")),
        errors=measured.errors,
        p50_ms=percentile(latencies, 0.50),
        p95_ms=percentile(latencies, 0.95),
        max_ms=max(latencies, default=float("nan")),
        rps=len(latencies) / measured.elapsed_s if measured.elapsed_s else 0.0,
        server_cpu_ms_per_request=measured.server_cpu_s * 1000 / max(len(latencies), 1),
        database_cpu_ms_per_request=measured.database_cpu_s * 1000 / max(len(latencies), 1),
        other_cpu_cores=measured.other_cpu_s / measured.elapsed_s if measured.elapsed_s else 0.0,
        sql=inspected["sql"],
    )


# --- Environment, database and server -------------------------------------------------------


def bench_env(db: str, data_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("BIRLIK_ENV", "DEBUG", "REDIS_URL", "DATABASE_URL", "PORT", "HOST"):
        env.pop(name, None)
    env.update(
        {
            "BIRLIK_DATA_DIR": data_dir,
            "TASKS_BACKEND": "database",
            "DJANGO_SETTINGS_MODULE": "birlik.settings",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if db == "postgres":
        env["DATABASE_URL"] = PG_BENCH_URL
    return env


def postgres_reachable() -> str | None:
    """None if PostgreSQL answers, else why not."""
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def postgres_recreate(*, drop_only: bool = False, database: str = PG_BENCH_DB) -> None:
    import psycopg
    from psycopg import sql

    name = sql.Identifier(database)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(name))


def prepare_demo(env: dict[str, str], log: Path) -> float:
    started = time.perf_counter()
    with log.open("w") as out:
        done = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
            [str(BIRLIK), "demo", "--no-serve"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    if done.returncode != 0:
        raise BenchError(f"`birlik demo --no-serve` failed ({done.returncode}):\n{tail(log)}")
    return time.perf_counter() - started


def inspect_pages(env: dict[str, str]) -> dict[str, Any]:
    """Run this script's ``--inspect`` mode (Django set up on this database) and read its JSON."""
    done = subprocess.run(  # noqa: S603 - this script, fixed arguments
        [sys.executable, str(Path(__file__).resolve()), "--inspect"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"counting queries failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def load_average() -> str:
    with open("/proc/loadavg") as loadavg:
        return " ".join(loadavg.read().split()[:3])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@dataclass(frozen=True)
class Server:
    port: int
    pgid: int  # the process group of gunicorn's master and workers


@contextlib.contextmanager
def server(env: dict[str, str], log: Path) -> Iterator[Server]:
    """``birlik serve`` on a free loopback port until the block ends (also on errors/Ctrl+C)."""
    port = free_port()
    server_env = {**env, "PORT": str(port), "HOST": "127.0.0.1", "WEB_WORKERS": str(WEB_WORKERS)}
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
            [str(BIRLIK), "serve"],
            env=server_env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped by us, not by the tty
        )
    try:
        wait_healthy(process, port, log)
        yield Server(port=port, pgid=process.pid)
    finally:
        stop(process)


def wait_healthy(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"`birlik serve` stopped with code {process.returncode}:\n{tail(log)}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", HEALTH[1])
            if conn.getresponse().status == 200:
                return
        except (OSError, http.client.HTTPException):
            pass
        finally:
            conn.close()
        time.sleep(0.3)
    raise BenchError(f"`birlik serve` did not answer /health/ within 90 s:\n{tail(log)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # gunicorn: graceful stop of master and workers
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


# --- One database ---------------------------------------------------------------------------


def run_database(db: str, args: argparse.Namespace) -> dict[str, Any]:
    label = DB_LABELS[db]
    data_dir = tempfile.mkdtemp(prefix=f"birlik-pages-{db}-")
    env = bench_env(db, data_dir)
    print(f"\n== {label} ==", flush=True)
    try:
        if db == "postgres":
            postgres_recreate()
            print(f"Fresh database {PG_BENCH_DB} on 127.0.0.1:5432", flush=True)
        print(f"Data directory: {data_dir}", flush=True)
        print("Preparing the national demo data (birlik demo --no-serve)…", flush=True)
        demo_s = prepare_demo(env, Path(data_dir) / "demo.log")
        print(f"  done in {demo_s:.1f} s", flush=True)
        print("Counting queries per page in-process (django.test.Client)…", flush=True)
        inspected = inspect_pages(env)
        pages = [(name, path.format(body=inspected["body_id"])) for name, path in PAGES]
        with server(env, Path(data_dir) / "server.log") as running:
            print(f"Server: birlik serve on 127.0.0.1:{running.port}, {WEB_WORKERS} workers")
            print(f"Load average before the run: {load_average()}", flush=True)
            everything = [HEALTH, *pages]
            for _round in range(3):  # every worker loads templates, caches and connections
                for _name, path in everything:
                    load(running.port, path, 4 * args.concurrency, args.concurrency)
            results: list[PageResult] = []
            for name, path in everything:
                print(f"  {name:<28} {path}", flush=True)
                load(running.port, path, 2 * args.concurrency, args.concurrency)  # warm-up
                measured = measure(running, path, args.requests, args.concurrency)
                results.append(summarise(name, path, measured, inspected["pages"][path]))
        health, *page_results = results
        for result in page_results:
            result.ratio_to_health = result.p95_ms / health.p95_ms
            result.meets_goal = result.p95_ms <= GOAL_P95_MS and not result.errors
        report = {
            "database": label,
            "database_version": inspected["database_version"],
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            "requests_per_page": args.requests,
            "concurrency": args.concurrency,
            "web_workers": WEB_WORKERS,
            "web_threads": int(env.get("WEB_THREADS", "4")),
            "demo_seconds": round(demo_s, 1),
            "rows": inspected["rows"],
            "body_id": inspected["body_id"],
            "goal_p95_ms": GOAL_P95_MS,
            "health": asdict(health),
            "pages": [asdict(result) for result in page_results],
        }
        print_table(report, health, page_results)
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"pages-{db}.json"
        out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        print(f"Results written to {out.relative_to(ROOT)}")
        return report
    finally:
        if args.keep:
            kept = f", database {PG_BENCH_DB}" if db == "postgres" else ""
            print(f"Kept: data directory {data_dir}{kept}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
            if db == "postgres":
                with contextlib.suppress(Exception):
                    postgres_recreate(drop_only=True)


def print_table(report: dict[str, Any], health: PageResult, pages: list[PageResult]) -> None:
    print()
    print(
        f"{report['database']} {report['database_version']} · {report['rows']['organisations']:,}"
        f" bodies · {report['requests_per_page']} requests per page · concurrency "
        f"{report['concurrency']} · gunicorn {report['web_workers']} workers x "
        f"{report['web_threads']} threads · {report['machine']['cpus']} CPUs"
    )
    header = (
        f"{'page':<28} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7} "
        f"{'p95 / health p95':>17} | {'in-process ms':>13} {'CPU ms: web':>11} {'db':>5} "
        f"{'other cores':>11}"
    )
    print(header)
    print("-" * len(header))
    for row in [health, *pages]:
        ratio = "1.0" if row is health else f"{row.ratio_to_health:.1f}"
        print(
            f"{row.label:<28} {row.queries:>7} {row.p50_ms:>8.1f} {row.p95_ms:>8.1f} "
            f"{row.max_ms:>8.1f} {row.rps:>7.1f} {ratio:>17} | {row.in_process_ms:>13.1f} "
            f"{row.server_cpu_ms_per_request:>11.1f} {row.database_cpu_ms_per_request:>5.1f} "
            f"{row.other_cpu_cores:>11.2f}"
        )
    print("-" * len(header))
    print(
        "in-process ms: median of one request through django.test.Client (no server, no load); "
        "CPU ms: CPU time per request of gunicorn (web) and of PostgreSQL (db) under the load; "
        "other cores: CPU used meanwhile by the rest of the machine (not this client)."
    )
    busy = [row.label for row in [health, *pages] if row.other_cpu_cores > BUSY_ELSEWHERE]
    if busy:
        print(
            f"WARNING: other processes used more than {BUSY_ELSEWHERE} of a core while measuring "
            f"{', '.join(busy)}: those latencies are pessimistic; run again on a quiet machine."
        )
    colder = [f"{row.label} {row.queries_cold}" for row in pages if row.queries_cold != row.queries]
    if colder:
        print("queries with a cold cache (first request of a worker): " + ", ".join(colder))
    errors = [(row, error) for row in [health, *pages] for error in row.errors]
    if errors:
        print(f"ERRORS: {len(errors)} failed requests")
        for row, error in errors[:20]:
            print(f"  {row.label}: {error}")
    verdicts = ", ".join(f"{row.label} {'met' if row.meets_goal else 'NOT met'}" for row in pages)
    met = sum(row.meets_goal for row in pages)
    print(f"goal p95 <= {GOAL_P95_MS:.0f} ms: {met}/{len(pages)} pages — {verdicts}")


# --- In-process inspection (a child process with Django set up on the bench database) -------


def inspect() -> int:
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from birlik.registry.models import Membership, Organisation, Person

    body = (
        Organisation.objects.filter(kind__code="house_of_friendship", region__iso="KZ-55")
        .order_by("depth", "pk")
        .first()
    ) or Organisation.objects.filter(kind__code="house_of_friendship").order_by("pk").first()
    if body is None:
        print("The demo data holds no House of Friendship.", file=sys.stderr)
        return 1
    client = Client(HTTP_HOST="127.0.0.1")
    pages: dict[str, Any] = {}
    for _name, template in [HEALTH, *PAGES]:
        path = template.format(body=body.pk)
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            response = client.get(path)
        if response.status_code != 200:
            print(f"{path} answered {response.status_code} in-process", file=sys.stderr)
            return 1
        cold_count = len(cold.captured_queries)  # read now: the next request resets the log
        with CaptureQueriesContext(connection) as warm:
            client.get(path)
        warm_sql = [query["sql"] for query in warm.captured_queries]
        timings = []
        for _ in range(15):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        pages[path] = {
            "queries": len(warm_sql),
            "queries_cold": cold_count,
            "median_ms": round(statistics.median(timings), 2),
            "sql": warm_sql,
        }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = str(cursor.fetchone()[0]).split()[0]
    print(
        json.dumps(
            {
                "body_id": body.pk,
                "database_version": version,
                "rows": {
                    "organisations": Organisation.objects.count(),
                    "people": Person.objects.count(),
                    "memberships": Membership.objects.count(),
                },
                "pages": pages,
            },
            ensure_ascii=False,
        )
    )
    return 0


# --- Entry point ----------------------------------------------------------------------------


def _positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("give a number of at least 1")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=_positive_int, default=200, help="per page")
    parser.add_argument("--concurrency", type=_positive_int, default=4, help="client threads")
    parser.add_argument("--keep", action="store_true", help="keep data directory and database")
    parser.add_argument("--inspect", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inspect:
        return inspect()
    if not BIRLIK.exists():
        print(f"{BIRLIK} is missing: install the project into .venv first.", file=sys.stderr)
        return 2

    # SIGTERM ends the run like Ctrl+C, so the server is always stopped.
    def terminate(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)

    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(f"Birlik page benchmark: {', '.join(DB_LABELS[db] for db in databases)}")
    try:
        for db in databases:
            if db == "postgres":
                why = postgres_reachable()
                if why is not None:
                    print(
                        f"\nPostgreSQL is not reachable at 127.0.0.1:5432 ({why}). Start it, e.g. "
                        "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main "
                        "start`.",
                        file=sys.stderr,
                    )
                    if args.db == "postgres":
                        return 2
                    print("Skipping PostgreSQL.", file=sys.stderr)
                    continue
            run_database(db, args)
    except BenchError as error:
        print(f"\nBenchmark failed: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted: the server is stopped.", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
