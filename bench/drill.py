"""Fault drill: the deployment at scale, on loopback, loses machines under a steady load.

    .venv/bin/python bench/drill.py [--short] [--threads 6] [--scale 0.02] [--keep]

It builds the topology of ``deploy/`` out of local processes: its own PostgreSQL cluster
(``initdb`` into a temporary directory, port 55440), its own ``redis-server`` (port 56390,
``appendonly yes`` as in compose), three ``birlik serve`` (gunicorn, ``WEB_WORKERS=2``) on
loopback ports behind Caddy (a Caddyfile derived from ``deploy/Caddyfile``: ``least_conn``,
``lb_try_duration 10s``, active health checks on ``/health/``), and two ``birlik worker`` (RQ).
Each app server and worker is supervised as its systemd unit is (``Restart=on-failure``,
``RestartSec`` 2 s for the web, 5 s for a worker). The data: ``birlik migrate``, then the demo's
registry, logins and appeals at scale S (``seed_demo``'s first steps, without its year of events
and the later apps), one open event with room for everyone.

Notices leave through real channels to sinks in this script, which record every delivery:
e-mail over SMTP (``EMAIL_HOST``, a loopback SMTP server that keeps each message's
``X-Birlik-Notice``) and SMS through the HTTP provider (``SMS_GATEWAY=http``, a loopback
endpoint that keeps each ``idempotency_key``). Neither drops a repeat, so a notice delivered
twice is counted as such.

Load: K threads, a third each sending public appeals (CSRF, through the proxy), registering for
the event, and reading the staff appeals inbox signed in as the national administrator. The
proxy replaces ``X-Forwarded-For`` with its own view (every client is 127.0.0.1 here), so the
drill raises ``RATE_APPEALS`` and ``RATE_EVENT_REGISTRATIONS`` by environment for its servers
(the product's defaults are untouched; the limiter still counts every request).

Faults, in sequence, each followed by a quiet phase: ``kill -9`` of one app server (its
process group; restarted after 2 s), ``kill -9`` of one worker while it runs a job (main
process and work horse; restarted after 5 s), Redis stopped for 30 s then started, PostgreSQL
restarted (``pg_ctl restart -m fast``). For each: the errors by kind, the error window and the
time to recover (from the fault to the end of the last failed request; after it, every request
succeeded), and the first notice delivered after it.

At the end the workers drain the outbox, then the drill checks: every appeal answered with a
receipt is stored with the number its receipt showed, every registration answered with a ticket
is stored (lost: goal 0); every notice reached its sink at most once (twice: goal 0) and every
notice sent reached it; the outbox holds nothing waiting but retries of failures. It prints the
tally and exits 1 when a goal is missed (2 when the drill itself could not run). ``--short``
runs the same faults in a load of about 2 minutes (``make bench-scale`` calls it).
"""

from __future__ import annotations

import argparse
import contextlib
import email
import http.client
import http.server
import json
import os
import random
import re
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages_bench import free_port, tail  # noqa: E402 - the benchmarks' shared helpers

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
BIRLIK = BIN / "birlik"
PYTHON = BIN / "python"

PG_PORT = 55440
REDIS_PORT = 56390
APP_SERVERS = 3
WORKERS = 2
WEB_RESTART_S = 2.0  # birlik-web@.service RestartSec
WORKER_RESTART_S = 5.0  # birlik-worker@.service RestartSec
REDIS_DOWN_S = 30.0
ANSWER_TIMEOUT_S = 30
STAFF_LOGIN = "admin"
DEMO_PASSWORD = "birlik-demo-2026"  # noqa: S105 - the published demo password
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NUMBER = re.compile(r"\b(\d{4}-\d{6})\b")


class DrillError(Exception):
    """The drill itself could not be set up or run."""


def say(*args: Any) -> None:
    print(time.strftime("%H:%M:%S"), *args, flush=True)


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


# --- Sinks: the mail server and the SMS provider, recording every delivery ------------------


@dataclass
class Delivery:
    channel: str
    key: str
    at: float
    message_id: str = ""


class Sinks:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.deliveries: list[Delivery] = []
        self.smtp_port = free_port()
        self.sms_port = free_port()
        self._servers: list[socketserver.BaseServer] = []

    def record(self, delivery: Delivery) -> None:
        with self.lock:
            self.deliveries.append(delivery)

    def start(self) -> None:
        sinks = self

        class Smtp(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self) -> None:
                self.reply("220 drill ESMTP")
                data: list[bytes] | None = None
                while line := self.rfile.readline():
                    if data is not None:
                        if line in (b".\r\n", b".\n"):
                            message = email.message_from_bytes(b"".join(data))
                            sinks.record(
                                Delivery(
                                    "email",
                                    str(message.get("X-Birlik-Notice", "")),
                                    time.monotonic(),
                                    str(message.get("Message-ID", "")),
                                )
                            )
                            data = None
                            self.reply("250 2.0.0 queued")
                        else:
                            data.append(line[1:] if line.startswith(b"..") else line)
                        continue
                    verb = line[:4].upper()
                    if verb == b"EHLO":
                        self.wfile.write(b"250-drill\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                    elif verb == b"DATA":
                        data = []
                        self.reply("354 go on")
                    elif verb == b"QUIT":
                        self.reply("221 bye")
                        return
                    else:  # HELO, MAIL, RCPT, RSET, NOOP
                        self.reply("250 ok")

        class Sms(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the standard library's name
                length = int(self.headers.get("Content-Length", "0"))
                payload = json.loads(self.rfile.read(length) or b"{}")
                sinks.record(
                    Delivery("sms", str(payload.get("idempotency_key", "")), time.monotonic())
                )
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args: Any) -> None:
                return

        class Threading(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        smtp = Threading(("127.0.0.1", self.smtp_port), Smtp)
        sms = http.server.ThreadingHTTPServer(("127.0.0.1", self.sms_port), Sms)
        sms.daemon_threads = True
        for server in (smtp, sms):
            self._servers.append(server)
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def counts(self) -> dict[str, Counter[str]]:
        result: dict[str, Counter[str]] = defaultdict(Counter)
        with self.lock:
            for delivery in self.deliveries:
                result[delivery.channel][delivery.key] += 1
        return result

    def first_after(self, moment: float) -> float | None:
        with self.lock:
            times = [d.at for d in self.deliveries if d.at >= moment]
        return min(times) if times else None


# --- PostgreSQL, Redis, Caddy -----------------------------------------------------------------


def as_postgres(*args: str) -> list[str]:
    """initdb and pg_ctl refuse to run as root: as the postgres user then."""
    runuser = shutil.which("runuser") or "/usr/sbin/runuser"
    return [runuser, "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)


class Postgres:
    def __init__(self, home: Path) -> None:
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not found:
            raise DrillError("PostgreSQL's server binaries are not installed (postgresql-15)")
        self.bin = found[-1].parent
        self.data = home / "pgdata"
        self.log = home / "postgres.log"

    def _run(self, *args: str) -> None:
        done = subprocess.run(  # noqa: S603 - PostgreSQL's own tools, fixed arguments
            as_postgres(*args), capture_output=True, text=True, check=False, timeout=120
        )
        if done.returncode != 0:
            raise DrillError(f"{args[0]} failed: {done.stderr[-2000:]}\n{tail(self.log)}")

    def init(self) -> None:
        if not port_free(PG_PORT):
            raise DrillError(f"port {PG_PORT} is taken: another drill running?")
        self.data.mkdir(mode=0o700)
        self.log.touch()
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
            shutil.chown(self.log, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        self.start()
        self.psql("CREATE DATABASE birlik")

    def options(self) -> str:
        return (
            f"-p {PG_PORT} -c listen_addresses=127.0.0.1 -k {self.data} -c max_connections=200 "
            "-c fsync=on"
        )

    def start(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-l", str(self.log),
            "-o", self.options(), "start",
        )  # fmt: skip

    def restart(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-m", "fast", "-l",
            str(self.log), "-o", self.options(), "restart",
        )  # fmt: skip

    def stop(self) -> None:
        with contextlib.suppress(DrillError, subprocess.TimeoutExpired):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")

    def psql(self, sql: str) -> None:
        self._run(
            str(self.bin / "psql"), "-X", "-q", "-h", "127.0.0.1", "-p", str(PG_PORT),
            "-U", "postgres", "-d", "postgres", "-c", sql,
        )  # fmt: skip


class Redis:
    def __init__(self, home: Path) -> None:
        self.dir = home / "redis"
        self.dir.mkdir()
        self.log = home / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("a") as out:
            self.process = subprocess.Popen(  # noqa: S603 - redis-server, fixed arguments
                [
                    shutil.which("redis-server") or "/usr/bin/redis-server",
                    "--port",
                    str(REDIS_PORT),
                    "--bind",
                    "127.0.0.1",
                    "--dir",
                    str(self.dir),
                    "--appendonly",
                    "yes",
                    "--save",
                    "",
                    "--maxmemory-policy",
                    "noeviction",
                ],  # fmt: skip
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 20
        while port_free(REDIS_PORT):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise DrillError(f"redis-server did not start:\n{tail(self.log)}")
            time.sleep(0.1)

    def stop(self) -> None:
        """SIGTERM: Redis writes its append-only file and exits, as `systemctl stop` does."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


CADDYFILE = """\
# Derived from deploy/Caddyfile for the drill: plain HTTP on loopback, three fixed upstreams
# (the compose file finds its replicas through Docker's DNS), active health checks on /health/.
{{
	admin off
	auto_https off
}}

http://127.0.0.1:{port} {{
	request_body {{
		max_size 32MB
	}}
	reverse_proxy {upstreams} {{
		lb_policy least_conn
		lb_try_duration 10s
		lb_try_interval 250ms
		fail_duration 10s
		health_uri /health/
		health_interval 2s
		health_timeout 2s
		header_up X-Forwarded-For {{remote_host}}
		header_up X-Forwarded-Proto {{scheme}}
		transport http {{
			dial_timeout 2s
			response_header_timeout 125s
		}}
	}}
}}
"""


# --- Supervised services (as systemd units) ---------------------------------------------------


class Service:
    """One app server or worker, restarted after it exits (``Restart=on-failure``)."""

    def __init__(
        self, name: str, args: list[str], env: dict[str, str], log: Path, delay: float
    ) -> None:
        self.name, self.args, self.env, self.log, self.delay = name, args, env, log, delay
        self.process: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.killed_by_drill = False
        self.unplanned_exits: list[int] = []
        self.restarts = 0
        self.thread = threading.Thread(target=self._supervise, daemon=True)

    def _spawn(self) -> None:
        with self.log.open("a") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own console script
                [str(BIRLIK), *self.args],
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start(self) -> None:
        self._spawn()
        self.thread.start()

    def _supervise(self) -> None:
        while not self.stopping.is_set():
            process = self.process
            assert process is not None
            code = process.wait()
            if self.stopping.is_set():
                return
            with self.lock:
                if not self.killed_by_drill:
                    self.unplanned_exits.append(code)
                self.killed_by_drill = False
            if self.stopping.wait(self.delay):
                return
            with self.lock:
                self._spawn()
                self.restarts += 1

    def pid(self) -> int | None:
        process = self.process
        return process.pid if process is not None and process.poll() is None else None

    def kill(self) -> None:
        """SIGKILL to the whole tree (a machine lost): the process group and any descendant
        that left it (RQ's work horse)."""
        with self.lock:
            pid = self.pid()
            if pid is None:
                return
            self.killed_by_drill = True
            family = descendants(pid)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            for child in family:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child, signal.SIGKILL)

    def stop(self) -> None:
        self.stopping.set()
        process = self.process
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        for child in descendants(process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)


def descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        current = frontier.pop()
        children = [child for child, parent in parents.items() if parent == current]
        found.extend(children)
        frontier.extend(children)
    return found


# --- Load ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # appeal, registration, staff
    started: float
    ended: float
    result: str  # ok, http-NNN, timeout, connection
    marker: str = ""
    number: str = ""
    ticket: str = ""


@dataclass
class Load:
    port: int
    run_id: str
    region: int
    event: int
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    counter: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def next_index(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter

    def add(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)


def request(
    port: int, method: str, path: str, *, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=ANSWER_TIMEOUT_S)
    try:
        conn.request(method, path, body=body.encode() if body else None, headers=headers or {})
        response = conn.getresponse()
        payload = response.read().decode("utf-8", "replace")
        answer: dict[str, str] = {}
        for name, value in response.getheaders():
            key = name.lower()
            answer[key] = f"{answer[key]}, {value}" if key in answer else value
        return response.status, answer, payload
    finally:
        conn.close()


def cookie(headers: dict[str, str], name: str) -> str:
    found = re.search(rf"{name}=([^;,]+)", headers.get("set-cookie", ""))
    return found.group(1) if found else ""


def failure(error: BaseException) -> str:
    return "timeout" if isinstance(error, TimeoutError | socket.timeout) else "connection"


class Client:
    """One thread of the load: appeals, registrations or staff reads, until told to stop."""

    def __init__(self, load: Load, kind: str, seed: int) -> None:
        self.load, self.kind = load, kind
        self.random = random.Random(seed)  # noqa: S311 - load timing, not security
        self.csrf = ""
        self.session = ""

    def run(self) -> None:
        while not self.load.stop.is_set():
            started = time.monotonic()
            outcome = Outcome(self.kind, started, started, "")
            try:
                getattr(self, self.kind)(outcome)
            except (OSError, http.client.HTTPException) as error:
                outcome.result = failure(error)
            outcome.ended = time.monotonic()
            self.load.add(outcome)
            if outcome.result != "ok":
                self.csrf = "" if outcome.result == "http-403" else self.csrf
            self.load.stop.wait(self.random.uniform(0.05, 0.25))

    def _csrf(self, path: str) -> tuple[str, str]:
        status, headers, page = request(self.load.port, "GET", path)
        if status != 200:
            raise http.client.HTTPException(f"GET {path}: {status}")
        found = CSRF_INPUT.search(page)
        return cookie(headers, "csrftoken"), found.group(1) if found else ""

    def appeal(self, outcome: Outcome) -> None:
        form = "/kk/appeals/new/"
        if not self.csrf:
            self.csrf, _token = self._csrf(form)
        index = self.load.next_index()
        outcome.marker = f"DRILL-{self.load.run_id}-{index:06d}"
        body = urllib.parse.urlencode(
            {
                "addressee": "assembly",
                "region": self.load.region,
                "kind": "statement",
                "subject": f"Drill {index}",
                "text": f"The street lights in our village do not work. Marker {outcome.marker}.",
                "applicant_name": f"Drill Citizen {index}",
                "applicant_address": "",
                "applicant_phone": f"+7702{index:07d}",
                "applicant_email": f"d{index:06d}@drill.kz",
                "consent": "on",
            }
        )
        status, headers, _page = request(
            self.load.port,
            "POST",
            form,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={self.csrf}",
                "X-CSRFToken": self.csrf,
            },
        )
        location = headers.get("location", "")
        if status == 302 and "/appeals/receipt/" in location:
            outcome.result = "ok"
            outcome.number = self._receipt_number(urllib.parse.urlsplit(location).path)
        else:
            outcome.result = f"http-{status}"

    def _receipt_number(self, path: str) -> str:
        """The number on the receipt page (asked again while a fault lasts)."""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _headers, page = request(self.load.port, "GET", path)
                if status == 200:
                    found = NUMBER.search(page)
                    return found.group(1) if found else "?"
            time.sleep(0.5)
        return "?"

    def registration(self, outcome: Outcome) -> None:
        path = f"/kk/events/{self.load.event}/"
        csrf, token = self._csrf(path)
        index = self.load.next_index()
        outcome.marker = f"Drill Guest {self.load.run_id} {index}"
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "full_name": outcome.marker,
                "phone": f"+7 705 {index // 10000 % 1000:03d} {index // 100 % 100:02d} "
                f"{index % 100:02d}",
                "email": f"g{index:06d}@drill.kz",
                "consent": "on",
            }
        )
        status, headers, _page = request(
            self.load.port,
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
            },
        )
        location = headers.get("location", "")
        if status == 302 and "/tickets/" in location:
            outcome.result = "ok"
            outcome.ticket = location.rstrip("/").rsplit("/", 1)[-1]
        else:
            outcome.result = f"http-{status}"

    def sign_in(self) -> None:
        path = "/kk/account/login/"
        csrf, token = self._csrf(path)
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": STAFF_LOGIN, "password": DEMO_PASSWORD}
        )
        status, headers, _page = request(
            self.load.port,
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
            },
        )
        self.session = cookie(headers, "sessionid")
        if status != 302 or not self.session:
            raise DrillError(f"the staff sign-in answered {status} without a session")

    def staff(self, outcome: Outcome) -> None:
        status, headers, _page = request(
            self.load.port,
            "GET",
            "/kk/workspace/appeals/",
            headers={"Cookie": f"sessionid={self.session}"},
        )
        if status == 200:
            outcome.result = "ok"
        elif status == 302 and "/login/" in headers.get("location", ""):
            outcome.result = "signed-out"
            with contextlib.suppress(OSError, http.client.HTTPException, DrillError):
                self.sign_in()
        else:
            outcome.result = f"http-{status}"


# --- Django-side set-up and checks (child processes on the drill's database) -----------------

# The demo's registry (territory, bodies, people, the demo logins) and its appeals, as
# ``birlik seed_demo`` makes them, without the year of events and the later apps' data: the
# drill needs somewhere to send appeals, an inbox to read and a house to hold its event.
SEED = r"""
from django.db import transaction
from django.utils import translation
from birlik.demo import services as demo

scale = float(sys.argv[1])
with transaction.atomic():
    plan = demo.build_plan(demo.territory_from_database(), scale=scale, seed=2025)
    with translation.override("kk"):
        demo._write(plan, progress=False)
    appeals = demo.demo_appeals_seed(scale=scale, seed=2025)
print(json.dumps({"bodies": len(plan.bodies), "people": len(plan.people),
                  "appeals": appeals.appeals}))
"""

SETUP = r"""
import datetime
from django.utils import timezone
from birlik.access.models import User
from birlik.appeals.services import route
from birlik.events import services
from birlik.geo.models import Region
from birlik.registry.models import Organisation

region = next(r for r in Region.objects.order_by("pk") if route(region=r).depth > 1)
admin = User.objects.get(username="admin")
house = Organisation.objects.filter(kind__code="house_of_friendship", status="active").first()
starts = timezone.now() + datetime.timedelta(days=10)
event = services.event_create(
    actor=admin,
    organiser=house,
    data={
        "title_kk": "Жаттығу: көп орын",
        "title_en": "Drill: room for everyone",
        "kind": "concert",
        "venue": house,
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "languages": ["kk", "ru"],
        "capacity": 1000000,
    },
)
event = services.event_publish(actor=admin, event=event)
print(json.dumps({"region": region.pk, "event": event.pk}))
"""

OUTBOX = r"""
from django.db.models import Count
from birlik.notify.models import Notice
rows = Notice.objects.values("status").annotate(n=Count("pk"))
waiting = Notice.objects.filter(status__in=["pending", "sending"])
print(json.dumps({
    "by_status": {row["status"]: row["n"] for row in rows},
    "waiting_first_attempt": waiting.filter(attempts=0).count(),
    "waiting": waiting.count(),
}))
"""

VERIFY = r"""
import re
from birlik.appeals.models import Appeal
from birlik.events.models import Registration
from birlik.notify.models import Notice

run_id = sys.argv[1]
appeals = {}
for number, text in Appeal.objects.filter(text__contains=f"DRILL-{run_id}-").values_list(
    "number", "text"
):
    marker = re.search(r"DRILL-\d+-\d{6}", text).group(0)
    appeals.setdefault(marker, []).append(number)
tickets = list(
    Registration.objects.filter(full_name__startswith=f"Drill Guest {run_id} ").values_list(
        "ticket_code", flat=True
    )
)
since = sys.argv[2]
notices = list(
    Notice.objects.filter(created_at__gte=since).values(
        "pk", "idempotency_key", "channel", "status", "attempts", "last_error"
    )
)
print(json.dumps({"appeals": appeals, "tickets": tickets, "notices": notices}, default=str))
"""


def django_json(env: dict[str, str], code: str, *args: str) -> Any:
    prelude = "import django, json, sys\ndjango.setup()\n"
    done = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [str(PYTHON), "-c", prelude + code, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise DrillError(f"a check process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def birlik(env: dict[str, str], *args: str, log: Path) -> None:
    with log.open("a") as out:
        code = subprocess.call(  # noqa: S603 - our own console script
            [str(BIRLIK), *args], env=env, cwd=ROOT, stdout=out, stderr=out
        )
    if code != 0:
        raise DrillError(f"`birlik {' '.join(args)}` failed:\n{tail(log)}")


def wait_http(port: int, path: str, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError, http.client.HTTPException):
            if request(port, "GET", path)[0] == 200:
                return
        time.sleep(0.3)
    raise DrillError(f"{what} did not answer {path} within {seconds:.0f} s")


# --- Faults and their measures ------------------------------------------------------------------


@dataclass
class Fault:
    name: str
    at: float  # when it was injected (monotonic)
    back_at: float = 0.0  # Redis: when it was started again; else the same as `at`
    note: str = ""


@dataclass
class Phase:
    fault: Fault
    until: float
    requests: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    error_window_s: float = 0.0
    recover_s: float = 0.0
    first_notice_s: float | None = None


def measure(faults: list[Fault], outcomes: list[Outcome], end: float, sinks: Sinks) -> list[Phase]:
    phases = []
    for index, fault in enumerate(faults):
        until = faults[index + 1].at if index + 1 < len(faults) else end
        phase = Phase(fault, until)
        inside = [o for o in outcomes if fault.at <= o.started < until]
        phase.requests = len(inside)
        failed = [o for o in inside if o.result != "ok"]
        for outcome in failed:
            phase.errors[f"{outcome.kind}: {outcome.result}"] += 1
        if failed:
            first = min(o.started for o in failed)
            last = max(o.ended for o in failed)
            phase.error_window_s = last - first
            phase.recover_s = last - fault.at
        first_notice = sinks.first_after(fault.at)
        phase.first_notice_s = first_notice - fault.at if first_notice is not None else None
        phases.append(phase)
    return phases


# --- The run --------------------------------------------------------------------------------


@dataclass
class Plan:
    warm_s: float  # load before the first fault
    gap_s: float  # load between two faults (after the previous one is over)
    tail_s: float  # load after the last fault


PLANS = {"short": Plan(10, 15, 15), "full": Plan(45, 45, 60)}


class Drill:
    def __init__(self, home: Path, *, threads: int, scale: float, plan: Plan) -> None:
        self.home, self.threads, self.scale, self.plan = home, threads, scale, plan
        self.logs = home / "logs"
        self.logs.mkdir(parents=True)
        self.postgres = Postgres(home)
        self.redis = Redis(home)
        self.sinks = Sinks()
        self.caddy: subprocess.Popen[bytes] | None = None
        self.web: list[Service] = []
        self.workers: list[Service] = []
        self.faults: list[Fault] = []
        self.problems: list[str] = []

    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("BIRLIK_", "DATABASE_", "REDIS_", "RATE_", "EMAIL_", "SMS_"))
            and key not in {"DEBUG", "PORT", "HOST", "TASKS_BACKEND", "SITE_URL"}
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "birlik.settings",
                "BIRLIK_DATA_DIR": str(self.home / "data"),
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/birlik",
                "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(self.sinks.smtp_port),
                "EMAIL_USE_TLS": "0",
                "SMS_GATEWAY": "http",
                "SMS_HTTP_URL": f"http://127.0.0.1:{self.sinks.sms_port}/sms",
                # Caddy names the client in X-Forwarded-For; only Caddy (loopback) is believed.
                "FORWARDED_ALLOW_IPS": "127.0.0.1",
                # Every drill client reaches the servers as 127.0.0.1 (the proxy's view): the
                # public forms' limits are raised for this run only.
                "RATE_APPEALS": "1000000/h",
                "RATE_EVENT_REGISTRATIONS": "1000000/h",
                "BIRLIK_REQUIRE_2FA": "0",
                "LOG_LEVEL": "WARNING",
                "PYTHONUNBUFFERED": "1",
            }
        )
        return env

    # -- topology

    def build(self) -> tuple[int, dict[str, int]]:
        say(f"Drill home {self.home}")
        say(f"PostgreSQL: initdb and start on 127.0.0.1:{PG_PORT}…")
        self.postgres.init()
        say(f"Redis: redis-server on 127.0.0.1:{REDIS_PORT} (appendonly yes)…")
        self.redis.start()
        self.sinks.start()
        env = self.env()
        say(f"Data: birlik migrate; the demo registry, logins and appeals at scale {self.scale:g}…")
        birlik(env, "migrate", "--no-input", "-v0", log=self.logs / "setup.log")
        say(f"  {django_json(env, SEED, str(self.scale))}")
        prepared = django_json(env, SETUP)
        ports = [free_port() for _ in range(APP_SERVERS)]
        for number, port in enumerate(ports, 1):
            service = Service(
                f"web-{number}",
                ["serve"],
                {**env, "PORT": str(port), "HOST": "127.0.0.1", "WEB_WORKERS": "2"},
                self.logs / f"web-{number}.log",
                WEB_RESTART_S,
            )
            self.web.append(service)
        for number in range(1, WORKERS + 1):
            self.workers.append(
                Service(
                    f"worker-{number}",
                    ["worker"],
                    env,
                    self.logs / f"worker-{number}.log",
                    WORKER_RESTART_S,
                )  # fmt: skip
            )
        say(f"{APP_SERVERS} × birlik serve (2 workers each), {WORKERS} × birlik worker (RQ)…")
        for service in [*self.web, *self.workers]:
            service.start()
        for port in ports:
            wait_http(port, "/health/", 120, "an app server")
        proxy_port = free_port()
        caddyfile = self.home / "Caddyfile"
        caddyfile.write_text(
            CADDYFILE.format(
                port=proxy_port, upstreams=" ".join(f"127.0.0.1:{port}" for port in ports)
            )
        )
        caddy = shutil.which("caddy")
        if caddy is None:
            raise DrillError("caddy is not installed: run scripts/setup-system")
        caddy_env = {
            **os.environ,
            "XDG_DATA_HOME": str(self.home / "caddy"),
            "XDG_CONFIG_HOME": str(self.home / "caddy"),
        }
        with (self.logs / "caddy.log").open("a") as out:
            self.caddy = subprocess.Popen(  # noqa: S603 - caddy, fixed arguments
                [caddy, "run", "--config", str(caddyfile), "--adapter", "caddyfile"],
                env=caddy_env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_http(proxy_port, "/health/", 30, "Caddy")
        say(f"Caddy on 127.0.0.1:{proxy_port} in front of ports {', '.join(map(str, ports))}")
        return proxy_port, prepared

    def teardown(self) -> None:
        for service in [*self.web, *self.workers]:
            service.stop()
        if self.caddy is not None and self.caddy.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.caddy.pid, signal.SIGTERM)
            try:
                self.caddy.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.caddy.kill()
                self.caddy.wait()
        self.redis.stop()
        self.postgres.stop()
        self.sinks.stop()

    # -- faults

    def kill_web(self) -> Fault:
        service = self.web[0]
        fault = Fault("kill -9 an app server", time.monotonic(), note=service.name)
        service.kill()
        fault.back_at = fault.at
        return fault

    def kill_worker(self) -> Fault:
        """The worker found running a job (RQ forks a work horse per job), or after 30 s of
        looking, whichever comes first."""
        deadline = time.monotonic() + 30
        while True:
            for service in self.workers:
                pid = service.pid()
                if pid is not None and descendants(pid):
                    fault = Fault("kill -9 a worker mid-job", time.monotonic(), note=service.name)
                    service.kill()
                    fault.back_at = fault.at
                    return fault
            if time.monotonic() > deadline:
                service = self.workers[0]
                fault = Fault("kill -9 a worker (idle)", time.monotonic(), note=service.name)
                service.kill()
                fault.back_at = fault.at
                return fault
            time.sleep(0.01)

    def stop_redis(self) -> Fault:
        fault = Fault(f"Redis stopped {REDIS_DOWN_S:.0f} s", time.monotonic())
        self.redis.stop()
        time.sleep(REDIS_DOWN_S)
        self.redis.start()
        fault.back_at = time.monotonic()
        return fault

    def restart_postgres(self) -> Fault:
        fault = Fault("PostgreSQL restarted (-m fast)", time.monotonic())
        self.postgres.restart()
        fault.back_at = time.monotonic()
        fault.note = f"down {fault.back_at - fault.at:.1f} s"
        return fault

    def run(self) -> int:
        started_at = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
        proxy, prepared = self.build()
        run_id = f"{int(time.time()) % 1000000:06d}"
        load = Load(proxy, run_id, prepared["region"], prepared["event"])
        kinds = ["appeal", "registration", "staff"]
        clients = [Client(load, kinds[n % 3], n) for n in range(self.threads)]
        for client in clients:
            if client.kind == "staff":
                client.sign_in()
        threads = [threading.Thread(target=c.run, daemon=True) for c in clients]
        say(
            f"Load: {self.threads} threads (appeals, registrations, staff inbox) through Caddy; "
            f"faults after {self.plan.warm_s:.0f} s, then every {self.plan.gap_s:.0f} s…"
        )
        load_started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(self.plan.warm_s)
        for inject in (self.kill_web, self.kill_worker, self.stop_redis, self.restart_postgres):
            fault = inject()
            self.faults.append(fault)
            say(f"fault: {fault.name} {fault.note}".rstrip())
            time.sleep(self.plan.gap_s)
        time.sleep(max(self.plan.tail_s - self.plan.gap_s, 0))
        load.stop.set()
        for thread in threads:
            thread.join(timeout=ANSWER_TIMEOUT_S * 4)
        load_ended = time.monotonic()
        say(f"Load stopped after {load_ended - load_started:.0f} s; draining the outbox…")
        drained_in = self.drain()
        phases = measure(self.faults, load.outcomes, load_ended, self.sinks)
        verdict = self.verify(load, run_id, started_at)
        self.report(load, phases, verdict, load_ended - load_started, drained_in)
        return 1 if self.problems else 0

    def drain(self) -> float | None:
        """Wait until nothing waits for a first attempt or an interrupted claim (the claim of a
        notice whose worker was killed runs out after 2 minutes)."""
        started = time.monotonic()
        deadline = started + 240
        env = self.env()
        while time.monotonic() < deadline:
            outbox = django_json(env, OUTBOX)
            if not outbox["waiting"]:
                return time.monotonic() - started
            time.sleep(2)
        return None

    def verify(self, load: Load, run_id: str, since: str) -> dict[str, Any]:
        seen = django_json(self.env(), VERIFY, run_id, since)
        outbox = django_json(self.env(), OUTBOX)
        appeals: dict[str, list[str]] = seen["appeals"]
        tickets = set(seen["tickets"])
        lost = 0
        accepted = Counter()
        for outcome in load.outcomes:
            if outcome.result != "ok" or outcome.kind == "staff":
                continue
            accepted[outcome.kind] += 1
            if outcome.kind == "appeal":
                stored = appeals.get(outcome.marker, [])
                if not stored:
                    lost += 1
                    self.problems.append(
                        f"LOST: appeal {outcome.marker} (receipt {outcome.number})"
                    )
                elif outcome.number not in ("?", stored[0]):
                    lost += 1
                    self.problems.append(
                        f"WRONG NUMBER: {outcome.marker} receipt {outcome.number}, "
                        f"stored {stored[0]}"
                    )
            elif outcome.ticket not in tickets:
                lost += 1
                self.problems.append(f"LOST: registration with ticket {outcome.ticket}")
        twice = [m for m, numbers in appeals.items() if len(numbers) > 1]
        for marker in twice:
            self.problems.append(f"STORED TWICE: {marker}")
        counts = self.sinks.counts()
        delivered_twice = 0
        missing = 0
        sent = 0
        for notice in seen["notices"]:
            copies = counts.get(notice["channel"], Counter()).get(notice["idempotency_key"], 0)
            if copies > 1:
                delivered_twice += 1
                self.problems.append(
                    f"DELIVERED {copies} TIMES: notice #{notice['pk']} "
                    f"({notice['channel']}, {notice['attempts']} attempts)"
                )
            if notice["status"] == "sent":
                sent += 1
                if copies == 0:
                    missing += 1
                    self.problems.append(f"MISSING: notice #{notice['pk']} sent, never received")
        if lost:
            pass
        waiting = outbox["waiting"]
        by_status = outbox["by_status"]
        retries_pending = waiting - outbox["waiting_first_attempt"]
        if outbox["waiting_first_attempt"]:
            self.problems.append(
                f"OUTBOX NOT DRAINED: {outbox['waiting_first_attempt']} notice(s) never attempted"
            )
        if by_status.get("failed"):
            self.problems.append(f"FAILED NOTICES: {by_status['failed']}")
        unplanned = {
            s.name: s.unplanned_exits for s in [*self.web, *self.workers] if s.unplanned_exits
        }
        for name, codes in unplanned.items():
            self.problems.append(f"UNPLANNED EXIT: {name} stopped by itself with {codes}")
        return {
            "accepted": accepted,
            "lost": lost,
            "stored_twice": len(twice),
            "notices": len(seen["notices"]),
            "sent": sent,
            "delivered_twice": delivered_twice,
            "missing": missing,
            "deliveries": sum(sum(c.values()) for c in counts.values()),
            "outbox": by_status,
            "retries_pending": retries_pending,
        }

    def report(
        self,
        load: Load,
        phases: list[Phase],
        verdict: dict[str, Any],
        load_s: float,
        drained_in: float | None,
    ) -> None:
        outcomes = load.outcomes
        answered = [o for o in outcomes if o.result not in ("timeout", "connection")]
        by_kind = Counter(o.kind for o in outcomes)
        ok_by_kind = Counter(o.kind for o in outcomes if o.result == "ok")
        errors = Counter(f"{o.kind}: {o.result}" for o in outcomes if o.result != "ok")
        print()
        print("=" * 78)
        print(
            f"Fault drill: {APP_SERVERS} app servers behind Caddy, {WORKERS} RQ workers, "
            f"PostgreSQL, Redis; {self.threads} client threads, load {load_s:.0f} s"
        )
        print("=" * 78)
        print(f"{'requests sent':<52} {len(outcomes):>10}")
        print(f"{'requests answered (any HTTP status)':<52} {len(answered):>10}")
        for kind in ("appeal", "registration", "staff"):
            print(
                f"{'  ' + kind + ': succeeded / sent':<52} {ok_by_kind[kind]:>5} / {by_kind[kind]}"
            )
        print("errors by kind:")
        for name, count in sorted(errors.items()):
            print(f"  {name:<50} {count:>10}")
        if not errors:
            print("  none")
        print()
        print(
            f"{'fault':<34} {'requests':>8} {'errors':>6} {'window s':>9} {'recover s':>9} "
            f"{'notice s':>9}"
        )
        print("-" * 78)
        for phase in phases:
            notice = f"{phase.first_notice_s:.1f}" if phase.first_notice_s is not None else "-"
            print(
                f"{phase.fault.name:<34} {phase.requests:>8} {sum(phase.errors.values()):>6} "
                f"{phase.error_window_s:>9.1f} {phase.recover_s:>9.1f} {notice:>9}"
            )
            for name, count in sorted(phase.errors.items()):
                print(f"    {name:<40} {count:>6}")
        print("-" * 78)
        print(
            "recover s: from the fault to the end of the last failed request (after it, every "
            "request succeeded); notice s: to the first notice delivered after the fault."
        )
        print()
        drained = f"{drained_in:.0f} s" if drained_in is not None else "NOT within 240 s"
        lines = [
            ("appeals accepted (receipt shown)", verdict["accepted"]["appeal"]),
            ("registrations accepted (ticket shown)", verdict["accepted"]["registration"]),
            ("accepted submissions lost (goal 0)", verdict["lost"]),
            ("submissions stored twice", verdict["stored_twice"]),
            ("notices queued during the drill", verdict["notices"]),
            ("notices sent", verdict["sent"]),
            ("deliveries received by the sinks (e-mail, SMS)", verdict["deliveries"]),
            ("notices delivered twice (goal 0)", verdict["delivered_twice"]),
            ("notices sent but never received", verdict["missing"]),
            ("retries of failures still pending", verdict["retries_pending"]),
        ]
        for label, value in lines:
            print(f"{label:<52} {value:>10}")
        print(f"{'outbox by status':<52} {json.dumps(verdict['outbox'], sort_keys=True):>10}")
        print(f"{'outbox drained in':<52} {drained:>10}")
        restarts = ", ".join(f"{s.name} {s.restarts}" for s in [*self.web, *self.workers])
        print(f"restarts by the supervisor: {restarts}")
        with open("/proc/loadavg") as loadavg:
            print(f"load average {' '.join(loadavg.read().split()[:3])} (2 shared cores: noisy)")
        if self.problems:
            print(f"\nGOAL MISSED: {len(self.problems)} problem(s)")
            for problem in self.problems[:40]:
                print(f"  {problem}")
        else:
            print("\nAll goals met: nothing accepted was lost, no notice was delivered twice.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="a load of about 2 minutes")
    parser.add_argument("--threads", type=int, default=6, help="client threads (K)")
    parser.add_argument("--scale", type=float, default=0.02, help="demo registry scale")
    parser.add_argument("--keep", action="store_true", help="keep the drill's directory")
    args = parser.parse_args(argv)
    if args.threads < 3:
        parser.error("--threads must be at least 3 (one of each kind)")
    if not port_free(REDIS_PORT):
        print(f"Port {REDIS_PORT} is taken: another drill running?", file=sys.stderr)
        return 2
    home = Path(tempfile.mkdtemp(prefix="birlik-drill-"))
    home.chmod(0o755)  # the postgres user reaches its data directory inside
    drill = Drill(
        home, threads=args.threads, scale=args.scale, plan=PLANS["short" if args.short else "full"]
    )

    def interrupted(_signum: int, _frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        return drill.run()
    except DrillError as error:
        print(f"The drill could not run: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted; stopping everything.", file=sys.stderr)
        return 2
    finally:
        drill.teardown()
        if args.keep:
            print(f"Drill directory kept: {home}")
        else:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
