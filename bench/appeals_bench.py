"""Benchmark: appeal submission throughput and the staff inbox at 100,000 appeals.

    .venv/bin/python bench/appeals_bench.py [--db sqlite|postgres|both] [--submissions 2000]
                                            [--appeals 100000] [--requests 200] [--keep]
                                            [--reuse DIR]

For each database: a fresh demo registry (``birlik migrate``, ``birlik seed_demo --scale 0.05``),
then, each step in a Django process of this script on that database:

1. submissions: ``appeal_register`` called N times in a row in process (number, term, steps,
   audit row, two receipt notices in the outbox, the delivery job queued), against ``SELECT 1``
   timed the same way in the same process;
2. fill: 100,000 appeals written with ``bulk_create`` over every body of the registry (a mix of
   statuses, a share overdue);
3. inbox: the staff inbox (``appeals:inbox``) through Django's test client as the national
   administrator, a regional coordinator and the staff of one House of Friendship — p50/p95 and
   the queries per page — against ``/health/`` measured the same way in the same run.

Prints a table per database; results also go to ``bench/results/appeals-<db>.json``.
"""

from __future__ import annotations

import argparse
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

SCALE = "0.05"
# Its own PostgreSQL database, so that this bench can run beside the others (pages_bench's
# ``birlik_bench``) without dropping their data.
PG_DB = "birlik_appeals_bench"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
INBOX_PAGES: list[tuple[str, str, str]] = [
    ("admin", "inbox (national admin)", "/en/workspace/appeals/"),
    ("admin", "overdue queue (national admin)", "/en/workspace/appeals/?queue=overdue"),
    ("admin", "all, page 50 (national admin)", "/en/workspace/appeals/?queue=all&page=50"),
    (
        "admin",
        "filter kind+status",
        "/en/workspace/appeals/?queue=all&kind=complaint&status=closed",
    ),
    ("admin", "open, page 50 (national admin)", "/en/workspace/appeals/?page=50"),
    ("admin", "due soon (national admin)", "/en/workspace/appeals/?queue=due_soon"),
    ("admin", "to redirect (national admin)", "/en/workspace/appeals/?queue=to_redirect"),
    ("admin", "mine (national admin)", "/en/workspace/appeals/?queue=mine"),
    ("admin", "not considered (national admin)", "/en/workspace/appeals/?queue=not_considered"),
    ("coordinator_pavlodar", "inbox (regional coordinator)", "/en/workspace/appeals/"),
    ("coordinator_pavlodar", "all (regional coordinator)", "/en/workspace/appeals/?queue=all"),
    ("staff_house", "inbox (House of Friendship staff)", "/en/workspace/appeals/"),
    ("staff_house", "all (House of Friendship staff)", "/en/workspace/appeals/?queue=all"),
]


def child(mode: str, env: dict[str, str], *extra: str) -> dict[str, Any]:
    """Run this script in ``mode`` with Django set up on the bench database; read its JSON."""
    done = subprocess.run(  # noqa: S603 - this script, fixed arguments
        [sys.executable, str(Path(__file__).resolve()), f"--{mode}", *extra],
        env=env,
        cwd=common.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise common.BenchError(f"--{mode} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _timings(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": common.percentile(values, 0.50),
        "p95_ms": common.percentile(values, 0.95),
        "mean_ms": sum(values) / len(values) if values else float("nan"),
    }


# --- Child modes (Django set up) ------------------------------------------------------------


def _django() -> None:
    import django

    django.setup()


def mode_submit(count: int) -> dict[str, Any]:
    import random

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from birlik.appeals.services import appeal_register
    from birlik.geo.models import Region

    regions = list(Region.objects.all())
    chance = random.Random(6)  # noqa: S311 - bench data

    def submit(index: int) -> None:
        appeal_register(
            organisation=None,
            kind="statement",
            text=f"Bench appeal {index}: the street lights in our village do not work.",
            language=chance.choice(["kk", "ru", "en"]),
            applicant_name=f"Bench Applicant {index}",
            applicant_phone=f"+7702{index:07d}",
            applicant_email=f"b{index}@bench.kz",
            consent=True,
            region=chance.choice(regions),
        )

    with CaptureQueriesContext(connection) as captured:
        submit(0)
    queries = len(captured.captured_queries)
    durations = []
    started = time.perf_counter()
    for index in range(1, count + 1):
        begun = time.perf_counter()
        submit(index)
        durations.append((time.perf_counter() - begun) * 1000)
    elapsed = time.perf_counter() - started
    baseline = []
    for _ in range(count):
        begun = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        baseline.append((time.perf_counter() - begun) * 1000)
    return {
        "count": count,
        "per_second": count / elapsed,
        "queries": queries,
        **_timings(durations),
        "baseline": _timings(baseline),
    }


def mode_fill(total: int) -> dict[str, Any]:
    import datetime
    import random

    from django.utils import timezone

    from birlik.appeals.models import Appeal
    from birlik.registry.models import Organisation

    chance = random.Random(7)  # noqa: S311 - bench data
    bodies = list(
        Organisation.objects.filter(status=Organisation.Status.ACTIVE).values_list(
            "pk", "region_id"
        )
    )
    # Regional assemblies and houses get more appeals than a district council: weights by depth.
    weights = [1.0 for _ in bodies]
    statuses = [
        (Appeal.Status.CLOSED, 45),
        (Appeal.Status.ANSWERED, 15),
        (Appeal.Status.IN_PROGRESS, 20),
        (Appeal.Status.REGISTERED, 12),
        (Appeal.Status.EXTENDED, 3),
        (Appeal.Status.NOT_CONSIDERED, 5),
    ]
    kinds = list(Appeal.Kind.values)
    now = timezone.now()
    started = time.perf_counter()
    batch: list[Appeal] = []
    for index in range(total):
        pk, region_id = chance.choices(bodies, weights)[0]
        received = now - datetime.timedelta(minutes=chance.randrange(0, 2 * 365 * 24 * 60))
        status = chance.choices([s for s, _w in statuses], [w for _s, w in statuses])[0]
        batch.append(
            Appeal(
                number=f"B{received.year}-{index:07d}",
                organisation_id=pk,
                kind=chance.choice(kinds),
                language=chance.choice(["kk", "ru", "en"]),
                subject=f"Bench subject {index}",
                text=f"Bench appeal {index}.",
                applicant_name=f"Applicant {index}",
                applicant_phone=f"+7705{index:07d}",
                region_id=region_id,
                received_at=received,
                counted_from=received.date(),
                due_date=received.date() + datetime.timedelta(days=21),
                effective_due=received.date() + datetime.timedelta(days=21),
                status=status,
                consent_given_at=received,
            )
        )
        if len(batch) == 5000:
            Appeal.objects.bulk_create(batch)
            batch = []
    if batch:
        Appeal.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        # Fresh statistics after a bulk load, as an operator's nightly ANALYZE would leave them.
        cursor.execute("ANALYZE")
    return {"appeals": Appeal.objects.count(), "seconds": time.perf_counter() - started}


def mode_inbox(requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from birlik.access.models import User

    def measure(client: Client, path: str) -> dict[str, Any]:
        for _ in range(5):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries = len(captured.captured_queries)  # read now: later requests reset the log
        durations = []
        for _ in range(requests):
            begun = time.perf_counter()
            client.get(path)
            durations.append((time.perf_counter() - begun) * 1000)
        return {"queries": queries, **_timings(durations)}

    anonymous = Client(HTTP_HOST="localhost")
    rows = [{"label": "health (baseline)", "path": "/health/", **measure(anonymous, "/health/")}]
    clients: dict[str, Client] = {}
    for username, label, path in INBOX_PAGES:
        if username not in clients:
            clients[username] = Client(HTTP_HOST="localhost")
            clients[username].force_login(User.objects.get(username=username))
        rows.append({"label": label, "path": path, **measure(clients[username], path)})
    return {"rows": rows}


# --- One database ---------------------------------------------------------------------------


def _env(db: str, data_dir: str) -> dict[str, str]:
    env = common.bench_env(db, data_dir)
    # As in the demo: the bench's staff have no second factor (the admin's inbox would redirect).
    env["BIRLIK_REQUIRE_2FA"] = "0"
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
    return env


def rerun_database(db: str, args: argparse.Namespace) -> dict[str, Any]:
    """The inbox again on a data set kept by ``--keep`` (new migrations applied first): to
    compare two versions of the code on the same rows."""
    data_dir = args.reuse
    env = _env(db, data_dir)
    log = Path(data_dir) / "setup.log"
    with log.open("a") as out:
        code = subprocess.call(  # noqa: S603 - our own console script
            [str(common.BIRLIK), "migrate", "--no-input", "-v0"],
            env=env,
            cwd=common.ROOT,
            stdout=out,
            stderr=out,
        )
    if code:
        raise common.BenchError(f"`birlik migrate` failed:\n{common.tail(log)}")
    report_path = Path(data_dir) / f"appeals-{db}.json"
    kept = json.loads(report_path.read_text()) if report_path.exists() else {}
    print(f"[{db}] inbox on the kept data, {args.requests} requests per page…", flush=True)
    inbox = child("inbox", env, str(args.requests))
    report = {
        "db": db,
        "submit": kept.get("submit"),
        "fill": kept.get("fill"),
        "inbox": inbox["rows"],
    }
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    (common.RESULTS / f"appeals-{db}.json").write_text(json.dumps(report, indent=2))
    return report


def run_database(db: str, args: argparse.Namespace) -> dict[str, Any]:
    if args.reuse:
        return rerun_database(db, args)
    data_dir = tempfile.mkdtemp(prefix=f"birlik-appeals-{db}-")
    env = _env(db, data_dir)
    log = Path(data_dir) / "setup.log"
    if args.keep:
        print(f"[{db}] data kept in {data_dir} (--reuse {data_dir})", flush=True)
    try:
        if db == "postgres":
            problem = common.postgres_reachable()
            if problem:
                raise common.BenchError(f"PostgreSQL does not answer: {problem}")
            common.postgres_recreate(database=PG_DB)
        print(f"[{db}] preparing the demo registry (scale {SCALE})…", flush=True)
        for command in (["migrate", "--no-input", "-v0"], ["seed_demo", "--scale", SCALE]):
            with log.open("a") as out:
                code = subprocess.call(  # noqa: S603 - our own console script
                    [str(common.BIRLIK), *command], env=env, cwd=common.ROOT, stdout=out, stderr=out
                )
            if code:
                raise common.BenchError(f"`birlik {' '.join(command)}` failed:\n{common.tail(log)}")
        print(f"[{db}] {args.submissions} submissions…", flush=True)
        submit = child("submit", env, str(args.submissions))
        print(f"[{db}] writing {args.appeals} appeals…", flush=True)
        fill = child("fill", env, str(args.appeals))
        print(f"[{db}] inbox, {args.requests} requests per page…", flush=True)
        inbox = child("inbox", env, str(args.requests))
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
            if db == "postgres":
                common.postgres_recreate(drop_only=True, database=PG_DB)
    report = {"db": db, "submit": submit, "fill": fill, "inbox": inbox["rows"]}
    if args.keep:
        (Path(data_dir) / f"appeals-{db}.json").write_text(json.dumps(report, indent=2))
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    (common.RESULTS / f"appeals-{db}.json").write_text(json.dumps(report, indent=2))
    return report


def print_report(report: dict[str, Any]) -> None:
    label = common.DB_LABELS[report["db"]]
    submit = report["submit"]
    print()
    if submit is None:  # --reuse of a data set whose first run did not finish
        print(f"{label}: staff inbox on the kept data")
        _print_inbox(report["inbox"])
        return
    base = submit["baseline"]
    print(f"{label}: appeal submission, in process, {submit['count']} in a row")
    print(f"  {'':<34} {'per s':>7} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'× SELECT 1':>11}")
    print(
        f"  {'appeal_register':<34} {submit['per_second']:>7.0f} {submit['p50_ms']:>8.2f} "
        f"{submit['p95_ms']:>8.2f} {submit['queries']:>8} "
        f"{submit['p95_ms'] / base['p95_ms']:>11.0f}"
    )
    print(
        f"  {'SELECT 1 (baseline)':<34} {1000 / base['mean_ms']:>7.0f} {base['p50_ms']:>8.3f} "
        f"{base['p95_ms']:>8.3f} {1:>8} {1:>11}"
    )
    fill = report["fill"]
    print(
        f"{label}: staff inbox at {fill['appeals']:,} appeals (bulk write {fill['seconds']:.0f} s)"
    )
    _print_inbox(report["inbox"])


def _print_inbox(rows: list[dict[str, Any]]) -> None:
    health = rows[0]["p95_ms"]
    print(f"  {'page':<38} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'× /health/':>10}")
    for row in rows:
        print(
            f"  {row['label']:<38} {row['queries']:>7} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['p95_ms'] / health:>10.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in {"--submit", "--fill", "--inbox"}:
        _django()
        mode = {"--submit": mode_submit, "--fill": mode_fill, "--inbox": mode_inbox}[argv[0]]
        print(json.dumps(mode(int(argv[1]))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--submissions", type=common._positive_int, default=2000)
    parser.add_argument("--appeals", type=common._positive_int, default=100_000)
    parser.add_argument("--requests", type=common._positive_int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the data directories")
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="measure the inbox again on a data directory kept by --keep (one --db only)",
    )
    args = parser.parse_args(argv)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    if args.reuse and len(databases) > 1:
        parser.error("--reuse measures one database: give --db sqlite or --db postgres")
    print(f"Machine: {common.platform.platform()}, load average {common.load_average()}")
    code = 0
    for db in databases:
        try:
            print_report(run_database(db, args))
        except common.BenchError as error:
            print(f"[{db}] the benchmark could not run: {error}", file=sys.stderr)
            code = 2
    return code


if __name__ == "__main__":
    raise SystemExit(main())
