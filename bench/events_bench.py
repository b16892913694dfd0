"""Benchmark: events at national scale — registration races, the calendar and the KPI queries.

    .venv/bin/python bench/events_bench.py [--db sqlite|postgres|both] [--events 150000]
        [--registrations 2000000] [--racers 40] [--last 5] [--requests 200] [--concurrency 4]
        [--keep]

For each database: the national demo (registry and a year and a half of activity) plus more
activity from the same generator (``birlik.demo.events``) up to about ``--events`` events and
``--registrations`` registration rows (SQLite: a temporary ``BIRLIK_DATA_DIR``; PostgreSQL: the
database ``birlik_bench_events`` on 127.0.0.1:5432, user ``postgres``, dropped and created again).
Then, with the production server (``birlik serve``, as ``bench/pages_bench.py`` starts it):

(a) a registration race: ``--racers`` citizens POST the public registration form of one event
    at the same moment for its last ``--last`` places (each from its own address, as behind the
    reverse proxy); exactly ``--last`` must be confirmed and the rest waitlisted;
(b) the calendar pages p50/p95 under load with their queries per page, against ``/health/``
    (one ``SELECT 1``) measured the same way in the same run;
(c) the events KPIs for the previous year, national and one region: p50/p95 in-process, against
    a ``SELECT 1`` round trip measured in the same process, with the plan of any query slower
    than 100 ms.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

import pages_bench as common  # the load client, server and PostgreSQL helpers

ROOT = common.ROOT
PG_DB = "birlik_bench_events"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
SLOW_MS = 100.0
REGION = "KZ-55"
PAGES: list[tuple[str, str]] = [
    ("calendar", "/kk/events/"),
    ("calendar region", f"/kk/events/?region={REGION}"),
    ("calendar programme", "/kk/events/?programme=green_certificate"),
    ("calendar audience+lang", "/kk/events/?audience=youth&language=ru"),
    ("calendar page 200", "/kk/events/?page=200"),
    ("event page", "/kk/events/{event}/"),
    ("home kk (figures)", "/kk/"),
]
KPIS = (
    "events.events",
    "events.participants",
    "events.events_by_region",
    "events.participants_by_programme",
    "events.participants_by_audience",
    "events.participants_by_event_kind",
    "events.participants_unique",
)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


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
        log.write_text(done.stderr)
    if done.returncode != 0:
        raise common.BenchError(f"--{mode} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- Child modes (Django set up) ------------------------------------------------------------


def _django() -> None:
    import django

    django.setup()


def prepare(args: argparse.Namespace) -> int:
    """Migrate, seed the demo, then add activity up to the targets, in one transaction each."""
    _django()
    from django.core.management import call_command
    from django.db import connection, transaction

    from birlik.demo import events as demo_events
    from birlik.demo.services import demo_seed
    from birlik.events.models import Event, Registration

    started = time.perf_counter()
    call_command("migrate", "--no-input", verbosity=0)
    demo_seed(progress=True)
    demo_s = time.perf_counter() - started
    events, registrations = Event.objects.count(), Registration.objects.count()
    base = demo_events.build_event_plan(scale=1.0)
    per_scale = len(base.events)
    scale = max(0.0, (args.events - events) / per_scale)
    if scale > 0:
        # The registration share that brings the rows to the target (the planner is cheap).
        wanted = args.registrations - registrations
        chosen = None
        for factor in (1, 2, 3, 4, 6, 8, 12):
            chosen = demo_events.build_event_plan(
                scale=scale, seed=2026, registration_factor=factor
            )
            if sum(plan.registrations for plan in chosen.events) >= wanted:
                break
        assert chosen is not None
        with transaction.atomic():
            demo_events.events_write(chosen, seed=2026, progress=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from django.db.models import Sum

    print(
        json.dumps(
            {
                "demo_seconds": round(demo_s, 1),
                "seconds": round(time.perf_counter() - started, 1),
                "events": Event.objects.count(),
                "registrations": Registration.objects.count(),
                "participants_total": Event.objects.aggregate(n=Sum("participants_total"))["n"],
            }
        )
    )
    return 0


def race_setup(args: argparse.Namespace) -> int:
    """An open event whose places are all taken but the last ``--last``."""
    _django()
    import datetime

    from django.utils import timezone

    from birlik.access.models import User
    from birlik.events import services
    from birlik.registry.models import Organisation

    admin = User.objects.get(username="admin")
    house = Organisation.objects.filter(
        kind__code="house_of_friendship", region__iso=REGION, status="active"
    ).first()
    assert house is not None
    starts = timezone.now() + datetime.timedelta(days=10)
    capacity = args.last + 20
    event = services.event_create(
        actor=admin,
        organiser=house,
        data={
            "title_kk": "Жарыс: соңғы орындар",
            "title_en": "Race for the last places",
            "kind": "concert",
            "venue": house,
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=2),
            "languages": ["kk", "ru"],
            "capacity": capacity,
        },
    )
    event = services.event_publish(actor=admin, event=event)
    for n in range(capacity - args.last):
        phone = f"+7 700 100 {n // 100:02d} {n % 100:02d}"
        services.registration_create(
            event=event, full_name=f"Алдын ала {n}", phone=phone, consent=True
        )
    print(json.dumps({"event": event.pk, "capacity": capacity}))
    return 0


def race_check(args: argparse.Namespace) -> int:
    _django()
    from collections import Counter

    from birlik.events.models import Event, Registration

    event = Event.objects.get(pk=args.event)
    rows = Counter(Registration.objects.filter(event=event).values_list("status", flat=True))
    print(
        json.dumps(
            {
                "capacity": event.capacity,
                "confirmed_count": event.confirmed_count,
                "waitlist_count": event.waitlist_count,
                "rows": dict(rows),
            }
        )
    )
    return 0


def _timed(call: Any, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def inspect(args: argparse.Namespace) -> int:
    """Queries per page (warm cache), in-process timings, and the KPI queries."""
    _django()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone, translation

    from birlik.core import kpi
    from birlik.events.models import Event
    from birlik.geo.models import Region

    event = (
        Event.objects.filter(status="reported", region__iso=REGION, registration_required=True)
        .order_by("-starts_at")
        .first()
    )
    assert event is not None
    client = Client(HTTP_HOST="127.0.0.1")
    pages: dict[str, Any] = {}
    for _name, template in [common.HEALTH, *PAGES]:
        path = template.format(event=event.pk)
        cache.clear()
        response = client.get(path)
        if response.status_code != 200:
            print(f"{path} answered {response.status_code} in-process", file=sys.stderr)
            return 1
        with CaptureQueriesContext(connection) as warm:
            client.get(path)
        sql = [query["sql"] for query in warm.captured_queries]  # before the next request resets
        timings = _timed(lambda path=path: client.get(path), 9)
        pages[path] = {
            "queries": len(sql),
            "queries_cold": len(sql),
            "median_ms": round(statistics.median(timings), 2),
            "sql": sql,
        }

    def select_one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    baseline = _timed(select_one, 200)
    year = timezone.localdate().year - 1
    period = kpi.Period.year(year)
    region = Region.objects.get(iso=REGION)
    kpis = []
    with translation.override("kk"):
        for key in KPIS:
            for where in (None, region):
                with CaptureQueriesContext(connection) as captured:
                    rows = kpi.compute(key, period, where)
                timings = _timed(lambda key=key, where=where: kpi.compute(key, period, where), 11)
                p95 = common.percentile(timings, 0.95)
                entry = {
                    "key": key,
                    "region": where.iso if where else "national",
                    "queries": len(captured.captured_queries),
                    "total": sum(row["value"] for row in rows),
                    "p50_ms": round(common.percentile(timings, 0.5), 2),
                    "p95_ms": round(p95, 2),
                    "plan": [],
                }
                if p95 > SLOW_MS:
                    entry["plan"] = _explain(connection, captured.captured_queries[-1]["sql"])
                kpis.append(entry)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = str(cursor.fetchone()[0]).split()[0]
    print(
        json.dumps(
            {
                "event_id": event.pk,
                "database_version": version,
                "year": year,
                "pages": pages,
                "select1_p50_ms": round(common.percentile(baseline, 0.5), 3),
                "select1_p95_ms": round(common.percentile(baseline, 0.95), 3),
                "kpis": kpis,
            },
            ensure_ascii=False,
        )
    )
    return 0


def _explain(connection: Any, sql: str) -> list[str]:
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else ""
    prefix = prefix or "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql)
        return [" ".join(str(col) for col in row) for row in cursor.fetchall()]


# --- The registration race over HTTP --------------------------------------------------------


def race(port: int, event_id: int, racers: int) -> dict[str, Any]:
    """``racers`` clients fetch the form, wait for each other, then POST at the same moment."""
    path = f"/kk/events/{event_id}/"
    barrier = threading.Barrier(racers)
    lock = threading.Lock()
    statuses: list[int] = []
    latencies: list[float] = []
    errors: list[str] = []

    def racer(n: int) -> None:
        address = f"10.77.{n // 250}.{n % 250 + 1}"  # a different citizen each, via the proxy
        headers = {"X-Forwarded-For": address, "Accept-Encoding": "identity"}
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            page = response.read().decode()
            cookie = response.getheader("Set-Cookie", "")
            token_cookie = re.search(r"csrftoken=([^;]+)", cookie)
            token_input = CSRF_INPUT.search(page)
            if not (token_cookie and token_input):
                raise common.BenchError(f"no registration form on {path} ({response.status})")
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token_input.group(1),
                    "full_name": f"Жарысушы {n}",
                    "phone": f"+7 705 200 {n // 100:02d} {n % 100:02d}",
                    "email": "",
                    "consent": "on",
                }
            )
            post_headers = {
                **headers,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={token_cookie.group(1)}",
            }
            barrier.wait(timeout=60)
            started = time.perf_counter()
            conn.request("POST", path, body=body, headers=post_headers)
            answer = conn.getresponse()
            answer.read()
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                statuses.append(answer.status)
        except (OSError, http.client.HTTPException, common.BenchError) as error:
            with lock:
                errors.append(f"{type(error).__name__}: {error}")
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.abort()
        finally:
            conn.close()

    threads = [threading.Thread(target=racer, args=(n,), daemon=True) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"statuses": statuses, "latencies_ms": latencies, "errors": errors}


# --- One database ---------------------------------------------------------------------------


def run_database(db: str, args: argparse.Namespace) -> dict[str, Any]:
    label = common.DB_LABELS[db]
    data_dir = tempfile.mkdtemp(prefix=f"birlik-events-{db}-")
    env = common.bench_env(db, data_dir)
    # The bench stands in for the reverse proxy: its X-Forwarded-For names each citizen.
    env["FORWARDED_ALLOW_IPS"] = "127.0.0.1"
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
    print(f"\n== {label} ==", flush=True)
    try:
        if db == "postgres":
            common.postgres_recreate(database=PG_DB)
            print(f"Fresh database {PG_DB} on 127.0.0.1:5432", flush=True)
        print(f"Data directory: {data_dir}", flush=True)
        print("Generating the data (demo + more activity from the same generator)…", flush=True)
        prepared = child(
            "prepare",
            env,
            "--events",
            str(args.events),
            "--registrations",
            str(args.registrations),
            log=Path(data_dir) / "prepare.log",
        )
        print(
            f"  {prepared['events']:,} events, {prepared['registrations']:,} registrations, "
            f"{prepared['participants_total']:,} participants counted, in {prepared['seconds']} s "
            f"(the demo alone: {prepared['demo_seconds']} s)",
            flush=True,
        )
        print("Counting queries and timing KPIs in-process…", flush=True)
        inspected = child("inspect", env)
        setup = child("race-setup", env, "--last", str(args.last))
        pages = [(name, path.format(event=inspected["event_id"])) for name, path in PAGES]
        with common.server(env, Path(data_dir) / "server.log") as running:
            print(f"Server: birlik serve on 127.0.0.1:{running.port}, {common.WEB_WORKERS} workers")
            everything = [common.HEALTH, *pages]
            for _round in range(2):
                for _name, path in everything:
                    common.load(running.port, path, 4 * args.concurrency, args.concurrency)
            print(f"Registration race: {args.racers} citizens for the last {args.last} places…")
            raced = race(running.port, setup["event"], args.racers)
            results = []
            for name, path in everything:
                print(f"  {name:<24} {path}", flush=True)
                measured = common.measure(running, path, args.requests, args.concurrency)
                results.append(common.summarise(name, path, measured, inspected["pages"][path]))
        checked = child("race-check", env, "--event", str(setup["event"]))
        health, *page_results = results
        for result in page_results:
            result.ratio_to_health = result.p95_ms / health.p95_ms
            result.meets_goal = result.p95_ms <= common.GOAL_P95_MS and not result.errors
        report = {
            "database": label,
            "database_version": inspected["database_version"],
            "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "cpus": os.cpu_count(),
            "prepared": prepared,
            "race": {**raced, "last_places": args.last, "racers": args.racers, "after": checked},
            "health": health.__dict__,
            "pages": [result.__dict__ for result in page_results],
            "kpis": inspected["kpis"],
            "select1_p50_ms": inspected["select1_p50_ms"],
            "select1_p95_ms": inspected["select1_p95_ms"],
            "year": inspected["year"],
        }
        print_report(report, args)
        common.RESULTS.mkdir(parents=True, exist_ok=True)
        out = common.RESULTS / f"events-{db}.json"
        out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
        print(f"Results written to {out.relative_to(ROOT)}")
        return report
    finally:
        if args.keep:
            kept = f", database {PG_DB}" if db == "postgres" else ""
            print(f"Kept: data directory {data_dir}{kept}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
            if db == "postgres":
                with contextlib.suppress(Exception):
                    common.postgres_recreate(drop_only=True, database=PG_DB)


def print_report(report: dict[str, Any], args: argparse.Namespace) -> None:
    prepared = report["prepared"]
    print()
    print(
        f"{report['database']} {report['database_version']} · {prepared['events']:,} events · "
        f"{prepared['registrations']:,} registrations · {prepared['participants_total']:,} "
        f"participants · {report['cpus']} CPUs"
    )
    race_result = report["race"]
    after = race_result["after"]
    statuses = race_result["statuses"]
    confirmed_new = after["rows"].get("confirmed", 0) - (after["capacity"] - args.last)
    ok = (
        confirmed_new == args.last
        and after["rows"].get("waitlisted", 0) == args.racers - args.last
        and after["confirmed_count"] == after["capacity"]
        and not race_result["errors"]
    )
    print(
        f"(a) registration race over HTTP: {args.racers} POSTs at once for the last {args.last} "
        f"places -> {confirmed_new} confirmed, {after['rows'].get('waitlisted', 0)} waitlisted, "
        f"confirmed_count {after['confirmed_count']}/{after['capacity']}; answers "
        f"{dict(sorted(_count(statuses).items()))}; POST p50 "
        f"{common.percentile(race_result['latencies_ms'], 0.5):.0f} ms, p95 "
        f"{common.percentile(race_result['latencies_ms'], 0.95):.0f} ms — "
        f"{'exactly as many confirmed as places: OK' if ok else 'WRONG'}"
    )
    if race_result["errors"]:
        print("    errors: " + "; ".join(race_result["errors"][:5]))
    print(f"(b) pages, {args.requests} requests each, concurrency {args.concurrency}:")
    header = (
        f"    {'page':<24} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>7} "
        f"{'p95/health':>10} {'in-process ms':>13}"
    )
    print(header)
    print("    " + "-" * (len(header) - 4))
    health = report["health"]
    for row in [health, *report["pages"]]:
        ratio = 1.0 if row is health else row["ratio_to_health"]
        print(
            f"    {row['label']:<24} {row['queries']:>7} {row['p50_ms']:>8.1f} "
            f"{row['p95_ms']:>8.1f} {row['rps']:>7.1f} {ratio:>10.1f} {row['in_process_ms']:>13.1f}"
        )
    errors = [(row["label"], e) for row in [health, *report["pages"]] for e in row["errors"]]
    if errors:
        print(f"    ERRORS: {len(errors)} failed requests, e.g. {errors[:3]}")
    base = report["select1_p50_ms"]
    print(
        f"(c) KPIs for {report['year']}, in-process, 11 runs each; baseline SELECT 1 p50 "
        f"{base:.3f} ms:"
    )
    header = (
        f"    {'indicator':<34} {'where':<9} {'queries':>7} {'total':>10} {'p50 ms':>8} "
        f"{'p95 ms':>8} {'p50/SELECT 1':>12}"
    )
    print(header)
    print("    " + "-" * (len(header) - 4))
    for row in report["kpis"]:
        print(
            f"    {row['key']:<34} {row['region']:<9} {row['queries']:>7} {row['total']:>10,} "
            f"{row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['p50_ms'] / base:>12.0f}"
        )
    for row in report["kpis"]:
        if row["plan"]:
            print(f"    plan of {row['key']} ({row['region']}), p95 {row['p95_ms']:.0f} ms:")
            for line in row["plan"][:25]:
                print(f"      {line}")


def _count(values: list[int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


# --- Entry point ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--events", type=common._positive_int, default=150_000)
    parser.add_argument("--registrations", type=common._positive_int, default=2_000_000)
    parser.add_argument("--racers", type=common._positive_int, default=40)
    parser.add_argument("--last", type=common._positive_int, default=5)
    parser.add_argument("--requests", type=common._positive_int, default=200, help="per page")
    parser.add_argument("--concurrency", type=common._positive_int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep data directory and database")
    parser.add_argument("--event", type=int, help=argparse.SUPPRESS)
    for mode in ("prepare", "inspect", "race-setup", "race-check"):
        parser.add_argument(f"--{mode}", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.prepare:
        return prepare(args)
    if args.inspect:
        return inspect(args)
    if args.race_setup:
        return race_setup(args)
    if args.race_check:
        return race_check(args)
    if args.racers <= args.last:
        parser.error("--racers must be greater than --last")

    def terminate(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(f"Birlik events benchmark: {', '.join(common.DB_LABELS[db] for db in databases)}")
    try:
        for db in databases:
            if db == "postgres":
                why = common.postgres_reachable()
                if why is not None:
                    print(
                        f"\nPostgreSQL is not reachable at 127.0.0.1:5432 ({why}).", file=sys.stderr
                    )
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
