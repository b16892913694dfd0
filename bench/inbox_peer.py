"""Benchmark: Birlik's appeal inbox and public submission beside django-helpdesk, in one run.

    .venv/bin/python bench/inbox_peer.py [--db sqlite|postgres|both] [--appeals 100000]
        [--appeals-large] [--n 300] [--c 4] [--peer-results DIR] [--keep]

1. The peer: ``../shared/peers/helpdesk/run.sh`` (django-helpdesk 2.6.1, its own venv, 100k
   tickets, gunicorn ``-w 2 -k sync``, its ``loadclient.py``: N=300 per page, 4 client threads,
   3 uncounted requests per thread first) with ``DBS`` and ``TICKETS`` passed through; its
   results JSON is read from its results directory. ``--peer-results DIR`` reads an earlier
   run's directory instead of running it again (then it is not "the same run": say so).
2. Birlik, per database: the demo registry (as ``appeals_bench.py``: ``migrate``,
   ``seed_demo --scale 0.05``) and ``--appeals`` appeals by bulk insert (``appeals_bench``'s fill,
   imported); ``--appeals-large`` then grows the PostgreSQL set to 1,000,000 and measures again.
   Served like the peer: ``birlik serve`` with 2 workers and 1 thread each, which is gunicorn's
   sync worker (no keep-alive, as the peer). Loaded by the peer's own client: this script runs
   itself under the peer's venv (``$PEER_HOME/venv``, which has httpx) and drives Birlik with
   ``loadclient.Runner.run`` (same N, C, warm-up, latency and CPU accounting); only the login
   and the pages differ. Staff threads sign in through the real login form as the national
   admin; the public threads are anonymous, get one CSRF token each from the form, and each
   submission comes from its own address (``X-Forwarded-For`` from the trusted loopback proxy,
   ``FORWARDED_ALLOW_IPS=127.0.0.1`` for this server only), so the per-address limit of the
   product (``RATE_APPEALS``) stays as it is and does not throttle the bench.
3. Queries per page are counted in process (``django.test.Client``, one warm-up call, then one
   measured call, as the peer's ``count_queries.py``), and after the load the submissions are
   checked: each has its number, its audit row and its receipt notices in the outbox.

Prints one table per database (page | peer p50/p95 | Birlik p50/p95 | ratio | queries | req/s)
with ``/health/`` of the same run, and writes ``bench/results/inbox-peer.json``.
The ratio is the peer's p95 over Birlik's. The peer's list "as a user sees it" is its HTML shell
plus its DataTables JSON, fetched one after the other: its p95 is taken as the sum of both p95s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages_bench as common  # noqa: E402 - environment, server, PostgreSQL helpers

ROOT = common.ROOT
PEER_DIR = (ROOT / ".." / "shared" / "peers" / "helpdesk").resolve()
PEER_HOME = Path(os.environ.get("PEER_HOME", Path(tempfile.gettempdir()) / "helpdesk-peer"))
PG_DB = "birlik_peer"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
LARGE = 1_000_000
LANG = "kk"
ADMIN = "admin"
INBOX = f"/{LANG}/workspace/appeals/"
FORM = f"/{LANG}/appeals/new/"
LOGIN = f"/{LANG}/account/login/"
# (key, label, path or None for the random appeal page, the peer scenario(s) it is set beside)
PAGES: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    ("health", "/health/ (baseline)", "/health/", ()),
    ("inbox", "inbox, first page", INBOX, ("list", "datatables")),
    ("inbox_page50", "inbox, page 50", INBOX + "?queue=all&page=50", ("list", "datatables")),
    ("overdue", "overdue queue", INBOX + "?queue=overdue", ("list", "datatables")),
    ("detail", "an appeal's page", None, ("detail",)),
    ("form", "public form (GET)", FORM, ("form",)),
    ("submit", "public submission (POST)", FORM, ("submit",)),
]
TITLES = [
    "Нет отопления в квартире",
    "Ремонт дороги во дворе",
    "Көше жарығы жұмыс істемейді",
    "Жол жөндеу қажет",
]
BODY = (
    "Прошу рассмотреть моё обращение. Жители дома неоднократно обращались в акимат, "
    "однако ответа не получили. Просим принять меры и сообщить о сроках устранения. "
    "Құрметті әкімдік, мәселені тезірек шешуге көмектесуіңізді сұраймыз."
)
SUBMIT_MARK = "нагрузка"


def submission_data(k: int, region: int, token: str = "") -> dict[str, str]:
    """What a browser posts for an appeal "to the Assembly" of a region (no file chosen)."""
    data = {
        "addressee": "assembly",
        "region": str(region),
        "body_query": "",
        "kind": "statement",
        "subject": f"{TITLES[k % len(TITLES)]} ({SUBMIT_MARK} #{k})",
        "text": BODY,
        "applicant_name": f"Нагрузка Тест {k}",
        "applicant_address": "",
        "applicant_phone": f"+7701{k % 10_000_000:07d}",
        "applicant_email": f"loadtest{k}@mail.kz",
        "consent": "on",
    }
    if token:
        data["csrfmiddlewaretoken"] = token
    return data


# --- The peer -------------------------------------------------------------------------------


def run_peer(dbs: list[str], tickets: int, out: Path) -> Path:
    """``run.sh`` of the peer with DBS and TICKETS; returns its results directory."""
    results = out / "peer-results"
    env = {**os.environ, "DBS": " ".join(dbs), "TICKETS": str(tickets), "RESULTS": str(results)}
    env["PEER_HOME"] = str(PEER_HOME)
    log = out / "peer-run.log"
    print(f"Peer: bash {PEER_DIR / 'run.sh'} (DBS={' '.join(dbs)}, TICKETS={tickets}), log {log}")
    started = time.perf_counter()
    with log.open("w") as handle:
        code = subprocess.call(  # noqa: S603 - the peer's own recipe
            ["bash", str(PEER_DIR / "run.sh")],  # noqa: S607
            env=env,
            cwd=PEER_DIR,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    print(f"  peer run took {time.perf_counter() - started:.0f} s (exit {code})", flush=True)
    if code:
        raise common.BenchError(f"the peer's run.sh failed ({code}):\n{common.tail(log)}")
    return results


def read_peer(results: Path, db: str) -> dict[str, Any]:
    if not (results / db / "load.json").exists():
        print(f"Peer: no results for {db} in {results}", file=sys.stderr)
        return {"load": {}, "queries": {}}
    load = json.loads((results / db / "load.json").read_text())["scenarios"]
    queries_file = results / db / "queries.json"
    queries = json.loads(queries_file.read_text()) if queries_file.exists() else {}
    return {"load": load, "queries": queries}


def _peer_queries(queries: dict[str, Any], scenario: str) -> int | None:
    """The peer's SQL count of a scenario, whatever the shape of its queries.json."""
    for key, value in queries.get("pages", queries).items():
        if key.split()[0].lower() == scenario:
            if isinstance(value, dict):
                for name in ("queries", "n_queries", "count"):
                    if isinstance(value.get(name), int):
                        return int(value[name])
            if isinstance(value, int):
                return value
    return None


# --- Birlik: data, counts, server -----------------------------------------------------------


def birlik_env(db: str, data_dir: str) -> dict[str, str]:
    env = common.bench_env(db, data_dir)
    env["BIRLIK_REQUIRE_2FA"] = "0"  # as in the demo; the peer's staff have no second factor
    if db == "postgres":
        env["DATABASE_URL"] = PG_URL
    return env


def pg_recreate(*, drop_only: bool = False) -> None:
    common.postgres_recreate(drop_only=drop_only, database=PG_DB)


def birlik_prepare(db: str, env: dict[str, str], appeals: int, log: Path) -> dict[str, Any]:
    import appeals_bench

    started = time.perf_counter()
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["seed_demo", "--scale", appeals_bench.SCALE],
    ):
        with log.open("a") as out:
            code = subprocess.call(  # noqa: S603 - our own console script
                [str(common.BIRLIK), *command], env=env, cwd=ROOT, stdout=out, stderr=out
            )
        if code:
            raise common.BenchError(f"`birlik {' '.join(command)}` failed:\n{common.tail(log)}")
    seeded = time.perf_counter() - started
    fill = appeals_bench.child("fill", env, str(appeals))
    return {"seed_s": round(seeded, 1), "fill": fill}


def child(mode: str, env: dict[str, str], *extra: str, python: str = sys.executable) -> Any:
    done = subprocess.run(  # noqa: S603 - this script, fixed arguments
        [python, str(Path(__file__).resolve()), f"--{mode}", *extra],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise common.BenchError(f"--{mode} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def postmaster_pid() -> int | None:
    """The PostgreSQL server's pid (its CPU is counted with the server's), if readable."""
    import psycopg

    with contextlib.suppress(Exception), psycopg.connect(common.PG_ADMIN_URL) as conn:
        row = conn.execute("SHOW data_directory").fetchone()
        if row:
            return int(Path(row[0], "postmaster.pid").read_text().split()[0])
    return None


# --- Child: in-process counts (Birlik's venv, Django set up) ---------------------------------


def mode_grow(total: int) -> dict[str, Any]:
    """Grows the set to ``total`` appeals: the bulk fill again, its numbers kept apart."""
    import django

    django.setup()
    import appeals_bench
    from django.db import connection

    from birlik.appeals.models import Appeal

    have = Appeal.objects.count()
    with connection.cursor() as cursor:
        # The fill numbers its rows B<year>-<index>: those already there become A<year>-<index>.
        cursor.execute(
            "UPDATE appeals_appeal SET number = 'A' || substr(number, 2) WHERE number LIKE 'B%%'"
        )
    result: dict[str, Any] = appeals_bench.mode_fill(max(total - have, 0))
    return result


def mode_inspect() -> dict[str, Any]:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max, Min
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from birlik.access.models import AuditEntry, User
    from birlik.appeals.models import Appeal
    from birlik.geo.models import Region
    from birlik.notify.models import Notice

    bounds = Appeal.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    staff = Client(HTTP_HOST="127.0.0.1")
    staff.force_login(User.objects.get(username=ADMIN))
    anonymous = Client(HTTP_HOST="127.0.0.1")
    counts: dict[str, Any] = {}

    def count(key: str, client: Client, path: str) -> None:
        first = client.get(path)  # warm-up: caches, templates
        if first.status_code != 200:
            raise SystemExit(f"{path} answered {first.status_code}")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counts[key] = {
            "path": path,
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "sql": [query["sql"] for query in captured.captured_queries],
        }

    detail = f"{INBOX}{(bounds['lo'] + bounds['hi']) // 2}/"
    for key, _label, path, _peer in PAGES:
        if key == "submit":
            continue
        if key == "detail":
            count(key, staff, detail)
        elif key in {"health", "form"}:
            count(key, anonymous, path or "")
        else:
            count(key, staff, path or "")
    regions = list(Region.objects.order_by("pk").values_list("pk", flat=True))
    # One submission as the browser sends it, counted (the test client skips the CSRF check).
    _post_as_browser(anonymous, FORM, submission_data(0, regions[0]))
    audits, notices = AuditEntry.objects.count(), Notice.objects.count()
    with CaptureQueriesContext(connection) as captured:
        response = _post_as_browser(
            anonymous, FORM, submission_data(1, regions[1]), REMOTE_ADDR="127.0.0.2"
        )
    if response.status_code != 302:
        raise SystemExit(f"the submission answered {response.status_code}")
    counts["submit"] = {
        "path": FORM,
        "status": response.status_code,
        "queries": len(captured.captured_queries),
        "sql": [query["sql"] for query in captured.captured_queries],
        "audit_rows": AuditEntry.objects.count() - audits,
        "notices": Notice.objects.count() - notices,
    }
    return {
        "pages": counts,
        "appeal_ids": [bounds["lo"], bounds["hi"]],
        "regions": regions,
        "appeals": Appeal.objects.count(),
        "vendor": connection.vendor,
    }


def _post_as_browser(client: Any, path: str, data: dict[str, str], **extra: Any) -> Any:
    """A multipart POST with the empty file part a browser sends when no file is chosen
    (the test client cannot make a file without a name)."""
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    body = encode_multipart(BOUNDARY, data).rstrip(b"\r\n")
    closing = f"--{BOUNDARY}--".encode()
    empty = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="attachments"; filename=""\r\n'
        "Content-Type: application/octet-stream\r\n\r\n\r\n"
    ).encode()
    body = body[: -len(closing)] + empty + closing + b"\r\n"
    return client.generic("POST", path, body, content_type=MULTIPART_CONTENT, **extra)


def mode_verify(since_pk: int) -> dict[str, Any]:
    """The appeals the load submitted: each with a number, an audit row, its receipt notices."""
    import django

    django.setup()
    from birlik.access.models import AuditEntry
    from birlik.appeals.models import Appeal
    from birlik.notify.models import Notice

    appeals = list(
        Appeal.objects.filter(pk__gt=since_pk, subject__contains=SUBMIT_MARK).values_list(
            "pk", "number"
        )
    )
    ids = [str(pk) for pk, _number in appeals]
    audited = set(
        AuditEntry.objects.filter(
            object_type=Appeal._meta.label, object_id__in=ids, action=AuditEntry.Action.CREATE
        ).values_list("object_id", flat=True)
    )
    keys = set(
        Notice.objects.filter(
            idempotency_key__startswith="appeal:", idempotency_key__contains=":receipt:"
        ).values_list("idempotency_key", flat=True)
    )
    with_notices = {key.split(":")[1] for key in keys}
    return {
        "submitted": len(appeals),
        "numbered": sum(1 for _pk, number in appeals if number),
        "with_audit_row": sum(1 for pk in ids if pk in audited),
        "with_receipt_notices": sum(1 for pk in ids if pk in with_notices),
    }


def mode_max_pk() -> dict[str, Any]:
    import django

    django.setup()
    from django.db.models import Max

    from birlik.appeals.models import Appeal

    return {"max_pk": Appeal.objects.aggregate(m=Max("pk"))["m"] or 0}


# --- Child: the load (the peer's venv: httpx and the peer's loadclient) ----------------------

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def mode_load(options: dict[str, Any]) -> dict[str, Any]:
    import random
    import threading

    sys.path.insert(0, str(PEER_DIR))
    import loadclient  # the peer's client, unchanged

    args = argparse.Namespace(
        base=options["base"],
        watch_pid=[str(pid) for pid in options["watch"]],
        seed=7,
        warmup=3,
        max_s=900.0,
        timeout=300.0,
    )
    runner = loadclient.Runner(args)
    base = runner.base
    n, c = options["n"], options["c"]

    def login(client: Any) -> Any:
        page = client.get(base + LOGIN)
        page.raise_for_status()
        token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
        answer = client.post(
            base + LOGIN,
            data={
                "username": ADMIN,
                "password": options["password"],
                "csrfmiddlewaretoken": token,
                "next": INBOX,
            },
            headers={"Referer": base + LOGIN},
        )
        if answer.status_code != 302:
            raise RuntimeError(f"login of {ADMIN} failed: {answer.status_code}")
        return client

    rng = random.Random(args.seed)  # noqa: S311 - bench data
    lo, hi = options["appeal_ids"]
    ids = [rng.randint(lo, hi) for _ in range(n + 1000)]
    staff = [login(runner.new_client()) for _ in range(c)]
    anonymous = [runner.new_client() for _ in range(c)]

    def get(path: str) -> Any:
        return lambda client, _i: client.get(base + path)

    runner.run("health", n, get("/health/"), anonymous)
    for key, _label, path, _peer in PAGES:
        if key in {"health", "form", "submit"}:
            continue
        if key == "detail":
            runner.run(
                key,
                n,
                lambda client, i: client.get(f"{base}{INBOX}{ids[i if i is not None else -1]}/"),
                staff,
            )
        else:
            runner.run(key, n, get(path or ""), staff)
    tokens = {}
    for client in anonymous:
        page = client.get(base + FORM)
        page.raise_for_status()
        tokens[id(client)] = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
    runner.run("form", n, get(FORM), anonymous)

    regions = options["regions"]
    sequence = iter(range(10**9))
    sequence_lock = threading.Lock()
    choose = random.Random(args.seed + 1)  # noqa: S311 - bench data

    def submit(client: Any, _i: Any) -> Any:
        with sequence_lock:
            k = next(sequence)
            region = choose.choice(regions)
        # Each submission from its own address, named by the trusted proxy (the bench).
        address = f"10.{(k >> 16) & 255}.{(k >> 8) & 255}.{k & 255}"
        return client.post(
            base + FORM,
            data=submission_data(k, region, tokens[id(client)]),
            # browsers send an empty file part when no file is chosen
            files={"attachments": ("", b"", "application/octet-stream")},
            headers={"Referer": base + FORM, "X-Forwarded-For": address},
        )

    runner.run("submit", n, submit, anonymous, ok_status=(302,))
    return runner.results


# --- One database ---------------------------------------------------------------------------


def measure_birlik(
    db: str, env: dict[str, str], data_dir: str, args: argparse.Namespace, label: str
) -> dict[str, Any]:
    print(f"[{db}] {label}: queries per page in process…", flush=True)
    before = child("max-pk", env)["max_pk"]
    inspected = child("inspect", env)
    server_env = {**env, "WEB_THREADS": "1", "FORWARDED_ALLOW_IPS": "127.0.0.1"}
    log = Path(data_dir) / f"server-{label.replace(' ', '-')}.log"
    with common.server(server_env, log) as running:
        watch = [running.pgid]
        if db == "postgres" and (pid := postmaster_pid()):
            watch.append(pid)
        options = {
            "base": f"http://127.0.0.1:{running.port}",
            "watch": watch,
            "n": args.n,
            "c": args.c,
            "password": _demo_password(),
            "appeal_ids": inspected["appeal_ids"],
            "regions": inspected["regions"],
        }
        print(
            f"[{db}] {label}: birlik serve on 127.0.0.1:{running.port} (2 sync workers), load "
            f"N={args.n} C={args.c}, the peer's client ({peer_python()})",
            flush=True,
        )
        load = child("load", env, json.dumps(options), python=peer_python())
    worker = "sync" if "Using worker: sync" in log.read_text(errors="replace") else "?"
    verified = child("verify", env, str(before))
    return {
        "label": label,
        "appeals": inspected["appeals"],
        "worker": worker,
        "load": load,
        "queries": {key: value["queries"] for key, value in inspected["pages"].items()},
        "submission_in_process": {
            key: inspected["pages"]["submit"][key] for key in ("audit_rows", "notices")
        },
        "sql": {key: value["sql"] for key, value in inspected["pages"].items()},
        "submissions_checked": verified,
    }


def _demo_password() -> str:
    text = (ROOT / "src" / "birlik" / "demo" / "services.py").read_text()
    found = re.search(r'^DEMO_PASSWORD = "([^"]+)"', text, re.MULTILINE)
    if not found:
        raise common.BenchError("DEMO_PASSWORD not found in birlik/demo/services.py")
    return found.group(1)


def peer_python() -> str:
    return str(PEER_HOME / "venv" / "bin" / "python")


def run_database(db: str, args: argparse.Namespace) -> dict[str, Any]:
    data_dir = tempfile.mkdtemp(prefix=f"birlik-peer-{db}-")
    env = birlik_env(db, data_dir)
    runs = []
    try:
        if db == "postgres":
            problem = common.postgres_reachable()
            if problem:
                raise common.BenchError(f"PostgreSQL does not answer: {problem}")
            pg_recreate()
        print(f"[{db}] Birlik: demo registry + {args.appeals:,} appeals…", flush=True)
        prepared = birlik_prepare(db, env, args.appeals, Path(data_dir) / "setup.log")
        print(
            f"[{db}]   seeded in {prepared['seed_s']} s, {prepared['fill']['appeals']:,} appeals "
            f"written in {prepared['fill']['seconds']:.0f} s",
            flush=True,
        )
        runs.append(measure_birlik(db, env, data_dir, args, f"{args.appeals // 1000}k"))
        if db == "postgres" and args.appeals_large:
            print(f"[{db}] growing to {LARGE:,} appeals…", flush=True)
            grown = child("grow", env, str(LARGE))
            print(f"[{db}]   {grown['appeals']:,} appeals ({grown['seconds']:.0f} s)", flush=True)
            runs.append(measure_birlik(db, env, data_dir, args, f"{LARGE // 1_000_000}M"))
    finally:
        if args.keep:
            print(f"[{db}] kept: {data_dir}" + (f", database {PG_DB}" if db == "postgres" else ""))
        else:
            import shutil

            shutil.rmtree(data_dir, ignore_errors=True)
            if db == "postgres":
                with contextlib.suppress(Exception):
                    pg_recreate(drop_only=True)
    return {"db": db, "prepared": prepared, "runs": runs}


# --- Report ---------------------------------------------------------------------------------


def peer_figures(peer: dict[str, Any], scenarios: tuple[str, ...]) -> dict[str, Any] | None:
    load = peer["load"]
    if not scenarios or any(name not in load for name in scenarios):
        return None
    parts = [load[name] for name in scenarios]
    queries = [_peer_queries(peer["queries"], name) for name in scenarios]
    return {
        "p50_ms": sum(part["p50_ms"] for part in parts),
        "p95_ms": sum(part["p95_ms"] for part in parts),
        "rps": min(part["throughput_rps"] for part in parts),
        "server_cpu_ms": sum(part["server_cpu_ms_per_req"] for part in parts),
        "queries": None if None in queries else sum(q or 0 for q in queries),
    }


def table(report: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for run in report["runs"]:
        for key, label, _path, scenarios in PAGES:
            own = run["load"].get(key)
            if own is None:
                continue
            peer = peer_figures(report["peer"], scenarios)
            rows.append(
                {
                    "set": run["label"],
                    "page": label,
                    "key": key,
                    "peer": peer,
                    "p50_ms": own["p50_ms"],
                    "p95_ms": own["p95_ms"],
                    "rps": own["throughput_rps"],
                    "ok": own["ok"],
                    "requests": own["requests"],
                    "server_cpu_ms": own["server_cpu_ms_per_req"],
                    "busy_pct": own["machine_cpu"]["busy_pct"],
                    "queries": run["queries"].get(key),
                    "ratio_p95": (peer["p95_ms"] / own["p95_ms"]) if peer else None,
                    "ratio_rps": (own["throughput_rps"] / peer["rps"]) if peer else None,
                }
            )
    return rows


def print_report(report: dict[str, Any]) -> None:
    db = common.DB_LABELS[report["db"]]
    rows = table(report)
    report["table"] = rows
    print()
    print(
        f"{db}: Birlik beside django-helpdesk 2.6.1, gunicorn 2 sync workers, "
        f"client N={rows[0]['requests'] if rows else '?'} C=4, p95 ratio = peer / Birlik"
    )
    head = (
        f"{'set':<5} {'page':<26} {'peer p50/p95 ms':>17} {'Birlik p50/p95 ms':>18} "
        f"{'ratio':>6} {'queries B/peer':>14} {'req/s B/peer':>14} {'CPU ms B/peer':>14} {'ok':>8}"
    )
    print(head)
    print("-" * len(head))
    for row in rows:
        peer = row["peer"]
        peer_lat = f"{peer['p50_ms']:.0f}/{peer['p95_ms']:.0f}" if peer else "—"
        peer_q = str(peer["queries"]) if peer and peer["queries"] is not None else "—"
        peer_rps = f"{peer['rps']:.1f}" if peer else "—"
        peer_cpu = f"{peer['server_cpu_ms']:.1f}" if peer else "—"
        ratio = f"{row['ratio_p95']:.1f}×" if row["ratio_p95"] else ""
        queries = f"{row['queries']}/{peer_q}"
        rps = f"{row['rps']:.1f}/{peer_rps}"
        cpu = f"{row['server_cpu_ms']:.1f}/{peer_cpu}"
        print(
            f"{row['set']:<5} {row['page']:<26} {peer_lat:>17} "
            f"{row['p50_ms']:>8.1f}/{row['p95_ms']:<9.1f} {ratio:>6} "
            f"{queries:>14} {rps:>14} {cpu:>14} {row['ok']:>4}/{row['requests']:<3}"
        )
    print("-" * len(head))
    for run in report["runs"]:
        checked = run["submissions_checked"]
        print(
            f"{run['label']}: {run['appeals']:,} appeals, gunicorn worker {run['worker']}; "
            f"submissions under load: {checked['submitted']} stored, {checked['numbered']} "
            f"numbered, {checked['with_audit_row']} with their audit row, "
            f"{checked['with_receipt_notices']} with receipt notices in the outbox "
            f"(in process: {run['submission_in_process']['audit_rows']} audit row, "
            f"{run['submission_in_process']['notices']} notices per submission)"
        )
    print(
        "The peer's list = its HTML shell + its DataTables JSON (p50s and p95s added, CPU added, "
        "req/s the slower one). CPU = server CPU ms per request (gunicorn tree; PostgreSQL's "
        "server tree as well on PostgreSQL — for Birlik that is the shared cluster, other "
        "sessions' work included). The machine's 2 cores are shared: compare within one run."
    )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    modes = {
        "--inspect": lambda: mode_inspect(),
        "--max-pk": lambda: mode_max_pk(),
        "--verify": lambda: mode_verify(int(argv[1])),
        "--grow": lambda: mode_grow(int(argv[1])),
        "--load": lambda: mode_load(json.loads(argv[1])),
    }
    if argv and argv[0] in modes:
        print(json.dumps(modes[argv[0]](), ensure_ascii=False))
        return 0
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--appeals", type=common._positive_int, default=100_000)
    parser.add_argument("--appeals-large", action="store_true", help="then 1M on PostgreSQL")
    parser.add_argument("--n", type=common._positive_int, default=300)
    parser.add_argument("--c", type=common._positive_int, default=4)
    parser.add_argument("--peer-results", type=Path, help="an earlier run.sh results directory")
    parser.add_argument("--no-peer", action="store_true", help="Birlik only (a smoke test)")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)

    def terminate(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    out = Path(tempfile.mkdtemp(prefix="birlik-inbox-peer-"))
    print(f"Machine: {common.platform.platform()}, load average {common.load_average()}")
    try:
        if args.no_peer:
            results = None
            print("Peer: not run (--no-peer, a smoke test of Birlik's side)")
        elif args.peer_results:
            results = args.peer_results
            print(f"Peer: results of an earlier run read from {results} (not the same run)")
        else:
            results = run_peer(dbs, args.appeals, out)
        if not Path(peer_python()).exists():
            raise common.BenchError(f"the peer's venv is missing: {peer_python()}")
        reports = []
        for db in dbs:
            report = run_database(db, args)
            # Read now: an earlier peer run given with --peer-results may have been finishing.
            report["peer"] = read_peer(results, db) if results else {"load": {}, "queries": {}}
            print_report(report)
            reports.append(report)
    except common.BenchError as error:
        print(f"\nBenchmark failed: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nInterrupted: the server is stopped.", file=sys.stderr)
        return 130
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    target = common.RESULTS / "inbox-peer.json"
    target.write_text(
        json.dumps(
            {
                "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "peer_results": str(results),
                "same_run": not args.peer_results and not args.no_peer,
                "n": args.n,
                "c": args.c,
                "databases": reports,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )
    print(f"Results written to {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
