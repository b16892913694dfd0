"""Benchmark: the rate limits hold exactly across the web processes of the production server.

    .venv/bin/python bench/ratelimit_bench.py [--workers 4] [--attempts 20] [--db sqlite|postgres]

A fresh database in a temporary ``BIRLIK_DATA_DIR`` (migrated, one regional assembly, one
staff account), then ``birlik serve`` (gunicorn, ``WEB_WORKERS`` processes, one thread each so
that each request may land on another process) on a free loopback port. From loopback:

* the sign-in: N wrong passwords for one account, each request on a new connection, then the
  right password; every other attempt carries a different forged ``X-Forwarded-For``;
* the appeal form (a public form): N valid appeals, half with a forged ``X-Forwarded-For``;
* the health check as the baseline of the same run.

Prints a tally per case (allowed / refused against the limit; how many web processes ran)
and the p50 latency against the health check's. It fails (exit 1) when a limit lets through
more or fewer requests than it should. Before the shared limiter, each process counted on its
own and the sign-in let 4 × 5 wrong passwords through instead of 5.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
BIRLIK = BIN / "birlik"
RESULTS = ROOT / "bench" / "results"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_DB = "birlik_bench_ratelimit"
USERNAME = "bench.coordinator"
PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - a throwaway bench account
SIGN_IN_LIMIT = 5  # RATE_SIGN_IN_FAILURES below
APPEALS_LIMIT = 7  # RATE_APPEALS below
TIME_LIMIT_S = 120.0


class BenchError(Exception):
    pass


# --- Setting up the database (run as ``--setup`` in a Django process) ----------------------


def setup_data() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from birlik.access.models import Role
    from tests.factories import GrantFactory, OrganisationFactory, UserFactory, kind, region

    root = OrganisationFactory(kind=kind("secretariat"), name_en="Secretariat")
    assembly = OrganisationFactory(
        parent=root, kind=kind("regional_assembly"), region=region("KZ-55"), name_en="Assembly"
    )
    user = UserFactory(username=USERNAME)
    user.set_password(PASSWORD)
    user.save()
    GrantFactory(user=user, organisation=assembly, role=Role.REGIONAL_COORDINATOR)
    print(json.dumps({"region": region("KZ-55").pk}))


# --- HTTP -------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    ms: float
    body: str
    cookies: dict[str, str]


def request(
    port: int,
    method: str,
    path: str,
    *,
    form: dict[str, str] | None = None,
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request on a new connection (so gunicorn may hand it to any of its processes)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent = {"Accept-Encoding": "identity", "Connection": "close", **(headers or {})}
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urlencode(form)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
    finally:
        conn.close()
    elapsed = (time.perf_counter() - started) * 1000
    got: dict[str, str] = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _sep, rest = value.partition("=")
            got[key.strip()] = rest.split(";", 1)[0]
    return Answer(response.status, elapsed, text, got)


def csrf(port: int, path: str) -> tuple[str, dict[str, str]]:
    page = request(port, "GET", path)
    if page.status != 200:
        raise BenchError(f"GET {path} answered {page.status}")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if not match or "csrftoken" not in page.cookies:
        raise BenchError(f"no CSRF token on {path}")
    return match.group(1), {"csrftoken": page.cookies["csrftoken"]}


# --- Server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def tail(path: Path, lines: int = 30) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


@contextlib.contextmanager
def server(env: dict[str, str], workers: int, log: Path) -> Iterator[tuple[int, int]]:
    port = free_port()
    server_env = {
        **env,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "WEB_WORKERS": str(workers),
        "WEB_THREADS": "1",
    }
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
            [str(BIRLIK), "serve"],
            env=server_env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise BenchError(f"`birlik serve` stopped ({process.returncode}):\n{tail(log)}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if request(port, "GET", "/health/").status == 200:
                    break
            if time.monotonic() > deadline:
                raise BenchError(f"`birlik serve` did not answer within 90 s:\n{tail(log)}")
            time.sleep(0.3)
        yield port, process.pid
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


def worker_pids(pgid: int) -> set[int]:
    pids = set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError):
                if os.getpgid(int(entry.name)) == pgid and int(entry.name) != pgid:
                    pids.add(int(entry.name))
    return pids


# --- Cases ------------------------------------------------------------------------------------


@dataclass
class Tally:
    name: str
    limit: int
    sent: int = 0
    allowed: int = 0
    refused: int = 0
    other: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)

    def add(self, answer: Answer, ok: int) -> None:
        self.sent += 1
        self.latencies.append(answer.ms)
        if answer.status == ok:
            self.allowed += 1
        elif answer.status == 429:
            self.refused += 1
        else:
            self.other[answer.status] += 1

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0


def sign_in_case(port: int, attempts: int) -> tuple[Tally, bool]:
    tally = Tally("sign-in: wrong passwords", SIGN_IN_LIMIT)
    for number in range(attempts):
        token, cookies = csrf(port, "/en/account/login/")
        forged = {"X-Forwarded-For": f"203.0.113.{number + 1}"} if number % 2 else {}
        answer = request(
            port,
            "POST",
            "/en/account/login/",
            form={"csrfmiddlewaretoken": token, "username": USERNAME, "password": "wrong"},
            cookies=cookies,
            headers=forged,
        )
        tally.add(answer, 200)
    token, cookies = csrf(port, "/en/account/login/")
    right = request(
        port,
        "POST",
        "/en/account/login/",
        form={"csrfmiddlewaretoken": token, "username": USERNAME, "password": PASSWORD},
        cookies=cookies,
        headers={"X-Forwarded-For": "198.51.100.200"},
    )
    return tally, right.status == 429


def appeals_case(port: int, attempts: int, region: int) -> Tally:
    tally = Tally("appeal form: valid appeals", APPEALS_LIMIT)
    for number in range(attempts):
        token, cookies = csrf(port, "/en/appeals/new/")
        forged = {"X-Forwarded-For": f"198.51.100.{number + 1}"} if number % 2 else {}
        answer = request(
            port,
            "POST",
            "/en/appeals/new/",
            form={
                "csrfmiddlewaretoken": token,
                "addressee": "assembly",
                "region": str(region),
                "kind": "request",
                "subject": "Жол жөндеу",
                "text": "Біздің ауылда жол жөндеуді сұраймыз, көктемде өту мүмкін емес.",
                "applicant_name": "Асқар Сейітов",
                "applicant_address": "Павлодар, Достық көшесі, 1",
                "applicant_phone": "+7 701 123 45 67",
                "applicant_email": "askar@example.kz",
                "consent": "on",
            },
            cookies=cookies,
            headers=forged,
        )
        tally.add(answer, 302)
    return tally


def health_case(port: int, attempts: int) -> Tally:
    tally = Tally("health (baseline)", 0)
    for _ in range(attempts):
        tally.add(request(port, "GET", "/health/"), 200)
    return tally


# --- Main -------------------------------------------------------------------------------------


def bench_env(data_dir: str, db: str) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("BIRLIK_ENV", "DEBUG", "REDIS_URL", "DATABASE_URL", "FORWARDED_ALLOW_IPS"):
        env.pop(name, None)
    env.update(
        {
            "BIRLIK_DATA_DIR": data_dir,
            "TASKS_BACKEND": "database",
            "DJANGO_SETTINGS_MODULE": "birlik.settings",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "RATE_SIGN_IN_FAILURES": f"{SIGN_IN_LIMIT}/15min",
            "RATE_APPEALS": f"{APPEALS_LIMIT}/h",
        }
    )
    if db == "postgres":
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
    return env


def postgres_recreate(*, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    name = sql.Identifier(PG_DB)
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8'").format(name))


def run(args: argparse.Namespace) -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="birlik-ratelimit-") as data_dir:
        env = bench_env(data_dir, args.db)
        if args.db == "postgres":
            postgres_recreate()
        log = Path(data_dir) / "bench.log"
        try:
            subprocess.run(  # noqa: S603 - our own module, fixed arguments
                [sys.executable, "-m", "birlik", "migrate", "--no-input", "-v", "0"],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            done = subprocess.run(  # noqa: S603 - this script, fixed arguments
                [sys.executable, str(Path(__file__).resolve()), "--setup"],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise BenchError(f"setting up the data failed:\n{done.stderr[-3000:]}")
            region = int(json.loads(done.stdout.strip().splitlines()[-1])["region"])
            with server(env, args.workers, log) as (port, pgid):
                workers = worker_pids(pgid)
                baseline = health_case(port, max(args.attempts, 20))
                sign_in, right_refused = sign_in_case(port, args.attempts)
                appeals = appeals_case(port, args.attempts, region)
        finally:
            if args.db == "postgres":
                with contextlib.suppress(Exception):
                    postgres_recreate(drop_only=True)
    elapsed = time.monotonic() - started

    print(f"Rate limits across {args.workers} web processes ({len(workers)} seen), {args.db}, ")
    print(f"{args.attempts} attempts per case from 127.0.0.1, forged X-Forwarded-For on half.")
    print(f"{'case':<30} {'limit':>5} {'sent':>5} {'allowed':>8} {'refused':>8} "
          f"{'p50 ms':>8} {'× health':>9}")  # fmt: skip
    ok = True
    for tally in (baseline, sign_in, appeals):
        ratio = tally.p50 / baseline.p50 if baseline.p50 else 0.0
        print(
            f"{tally.name:<30} {tally.limit or '-':>5} {tally.sent:>5} {tally.allowed:>8} "
            f"{tally.refused:>8} {tally.p50:>8.1f} {ratio:>9.2f}"
        )
        if tally.other:
            print(f"   unexpected answers: {dict(tally.other)}")
            ok = False
        if tally.limit:
            expected = min(tally.limit, tally.sent)
            exact = tally.allowed == expected and tally.refused == tally.sent - expected
            print(f"   {'exact' if exact else 'NOT EXACT'}: {expected} expected through")
            ok = ok and exact
    print(f"right password after the lockout, forged address: "
          f"{'refused (429)' if right_refused else 'LET IN'}")  # fmt: skip
    ok = ok and right_refused
    print(f"total {elapsed:.1f} s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"ratelimit-{args.db}.json").write_text(
        json.dumps(
            {
                "workers": args.workers,
                "attempts": args.attempts,
                "cases": {
                    t.name: {
                        "limit": t.limit,
                        "sent": t.sent,
                        "allowed": t.allowed,
                        "refused": t.refused,
                        "p50_ms": round(t.p50, 2),
                    }
                    for t in (baseline, sign_in, appeals)
                },  # fmt: skip
                "right_password_refused": right_refused,
                "exact": ok,
            },
            indent=2,
        )
    )
    if elapsed > TIME_LIMIT_S:
        print(f"(took longer than {TIME_LIMIT_S:.0f} s)")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--attempts", type=int, default=20, help="requests per case (≤ 200)")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        setup_data()
        return 0
    args.attempts = max(1, min(args.attempts, 200))
    try:
        return run(args)
    except (BenchError, subprocess.CalledProcessError) as error:
        print(f"ratelimit bench failed: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
