"""Kill test: appeals submitted while the web server and the worker are killed with SIGKILL.

    .venv/bin/python bench/appeals_kill.py [--count 1000] [--threads 8] [--every 1-3]
                                           [--scale 0.05] [--keep]

A fresh embedded data directory (``birlik migrate``, ``birlik seed_demo --scale S``), then
``birlik serve`` (gunicorn, 2 workers, its own process group) and ``birlik worker`` as child
processes. A loopback client sends COUNT appeals through the portal form (``portal:appeal_new``,
each from its own address behind the trusted proxy, each text with a unique marker, each
applicant with their own phone and e-mail), while a killer thread sends SIGKILL to the web
server's process group or to the worker (or both) every 1–3 s and starts them again.

A submission is a *success* when the form answered 302 to the receipt; the number is read from
the receipt page. At the end the worker drains the outbox (``birlik worker --batch`` until no
notice waits), then the script checks:

- every success is stored, with the number its receipt showed; no marker stored twice;
- no registration number twice;
- every receipt notice (``appeal:<id>:receipt:…``) is sent, and reached the applicant exactly
  once: one line per key in ``DATA_DIR/sms.log``, one message per applicant in
  ``DATA_DIR/outbox/``.

Prints a tally and exits 1 on any loss or duplicate (2 when the run itself could not be made).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages_bench as common  # noqa: E402 - the server helpers live next to this script

PYTHON = common.BIN / "python"
FORM = "/kk/appeals/new/"
NUMBER = re.compile(r"\b(\d{4}-\d{6})\b")
ANSWER_TIMEOUT_S = 30


# --- Child processes ------------------------------------------------------------------------


def django_json(env: dict[str, str], code: str, *args: str) -> Any:
    """Runs ``code`` in a Django process on the run's data directory; it prints JSON."""
    prelude = "import django, json, sys\ndjango.setup()\n"
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [str(PYTHON), "-c", prelude + code, *args],
        env=env,
        cwd=common.ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise common.BenchError(f"a check process failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def birlik(env: dict[str, str], *args: str, log: Path) -> None:
    with log.open("a") as out:
        code = subprocess.call(  # noqa: S603 - our own console script
            [str(common.BIRLIK), *args], env=env, cwd=common.ROOT, stdout=out, stderr=out
        )
    if code != 0:
        raise common.BenchError(f"`birlik {' '.join(args)}` failed:\n{common.tail(log)}")


class Children:
    """The web server and the worker, each in its own process group, killed and restarted."""

    def __init__(self, env: dict[str, str], port: int, logs: Path) -> None:
        self.env = {**env, "PORT": str(port), "HOST": "127.0.0.1", "WEB_WORKERS": "2"}
        self.port = port
        self.logs = logs
        self.lock = threading.Lock()
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.kills: Counter[str] = Counter()

    def _start(self, args: list[str], log: str) -> subprocess.Popen[bytes]:
        with (self.logs / log).open("a") as out:
            return subprocess.Popen(  # noqa: S603 - our own console script, fixed arguments
                [str(common.BIRLIK), *args],
                env=self.env,
                cwd=common.ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start_web(self) -> None:
        self.web = self._start(["serve"], "web.log")

    def start_worker(self) -> None:
        self.worker = self._start(["worker"], "worker.log")

    def kill(self, which: str) -> None:
        with self.lock:
            process = self.web if which == "web" else self.worker
            if process is None:
                return
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            self.kills[which] += 1
            (self.start_web if which == "web" else self.start_worker)()

    def wait_web(self) -> None:
        assert self.web is not None
        common.wait_healthy(self.web, self.port, self.logs / "web.log")

    def stop(self) -> None:
        with self.lock:
            for process in (self.web, self.worker):
                if process is not None:
                    common.stop(process)
            self.web = self.worker = None


def killer(
    children: Children, stop: threading.Event, every: tuple[float, float], limit: int | None
) -> None:
    chance = random.Random(6)  # noqa: S311 - test timing, not security
    rounds = 0
    while not stop.wait(chance.uniform(*every)) and (limit is None or rounds < limit):
        target = chance.choice(["web", "web", "worker", "both"])
        for which in ("web", "worker") if target == "both" else (target,):
            children.kill(which)
        rounds += 1


# --- Loopback client ------------------------------------------------------------------------


@dataclass
class Outcome:
    index: int
    marker: str
    result: str = ""  # success, refused-503, rejected-<status>, no-answer
    token: str = ""
    number: str = ""
    detail: str = ""


@dataclass
class Tally:
    outcomes: list[Outcome] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_index: int = 0


def _request(
    port: int, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=ANSWER_TIMEOUT_S)
    try:
        conn.request(method, path, body=body.encode() if body else None, headers=headers or {})
        response = conn.getresponse()
        payload = response.read().decode("utf-8", "replace")
        answer: dict[str, str] = {}
        for name, value in response.getheaders():  # Set-Cookie comes once per cookie
            name = name.lower()
            answer[name] = f"{answer[name]}, {value}" if name in answer else value
        return response.status, answer, payload
    finally:
        conn.close()


def _until_up(port: int, method: str, path: str, deadline: float, **kwargs: Any) -> Any:
    """Retries while nothing listens (connection refused: the request never left)."""
    while True:
        try:
            return _request(port, method, path, **kwargs)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def client(port: int, tally: Tally, count: int, run_id: str, region: int) -> None:
    csrf = ""
    while True:
        with tally.lock:
            index = tally.next_index
            if index >= count:
                return
            tally.next_index += 1
        marker = f"KILL-{run_id}-{index:05d}"
        outcome = Outcome(index=index, marker=marker)
        forwarded = f"10.{index >> 16 & 255}.{index >> 8 & 255}.{index & 255}"
        deadline = time.monotonic() + 120
        try:
            if not csrf:
                _status, headers, _page = _until_up(port, "GET", FORM, deadline)
                cookie = headers.get("set-cookie", "")
                found = re.search(r"csrftoken=([^;]+)", cookie)
                csrf = found.group(1) if found else ""
            body = urllib.parse.urlencode(
                {
                    "addressee": "assembly",
                    "region": region,
                    "kind": "statement",
                    "subject": f"Street lights {index}",
                    "text": f"The street lights in our village do not work. Marker {marker}.",
                    "applicant_name": f"Kill Test {index}",
                    "applicant_address": "",
                    "applicant_phone": f"+7701{index:07d}",
                    "applicant_email": f"k{index:05d}@kill-test.kz",
                    "consent": "on",
                }
            )
            status, headers, page = _until_up(
                port,
                "POST",
                FORM,
                deadline,
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={csrf}",
                    "X-CSRFToken": csrf,
                    "X-Forwarded-For": forwarded,
                },
            )
        except (OSError, http.client.HTTPException) as error:
            outcome.result, outcome.detail = "no-answer", type(error).__name__
        else:
            location = headers.get("location", "")
            if status == 302 and "/appeals/receipt/" in location:
                outcome.result = "success"
                outcome.token = location.rstrip("/").rsplit("/", 1)[-1]
                outcome.number = _receipt_number(port, location)
            elif status == 503:
                outcome.result = "refused-503"
            else:
                outcome.result = f"rejected-{status}"
                outcome.detail = page[:300]
                if status == 403:
                    csrf = ""
        with tally.lock:
            tally.outcomes.append(outcome)


def _receipt_number(port: int, location: str) -> str:
    """The number the receipt page shows (asked again while the server is being restarted)."""
    path = urllib.parse.urlsplit(location).path
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _headers, page = _request(port, "GET", path)
        except (OSError, http.client.HTTPException):
            time.sleep(0.2)
            continue
        if status == 200:
            found = NUMBER.search(page)
            return found.group(1) if found else ""
        time.sleep(0.2)
    return ""


# --- Checks ---------------------------------------------------------------------------------

PENDING = """
from birlik.notify.models import Notice
print(json.dumps(Notice.objects.filter(status__in=["pending", "sending"]).count()))
"""

REGION = """
from birlik.appeals.services import route
from birlik.geo.models import Region
region = next(r for r in Region.objects.order_by("pk") if route(region=r).depth > 1)
print(json.dumps(region.pk))
"""

VERIFY = r"""
import collections, email, pathlib, re
from django.conf import settings
from birlik.appeals.models import Appeal
from birlik.notify.models import Notice

run_id = sys.argv[1]
stored = list(
    Appeal.objects.filter(text__contains=f"KILL-{run_id}-")
    .values_list("pk", "number", "text", "token")
)
by_marker = collections.defaultdict(list)
for pk, number, text, token in stored:
    marker = re.search(r"KILL-\S+-\d{5}", text).group(0)
    by_marker[marker].append({"pk": pk, "number": number, "token": token})
numbers = collections.Counter(Appeal.objects.values_list("number", flat=True))
ids = [pk for pk, *_ in stored]
receipts = list(
    Notice.objects.filter(idempotency_key__regex=r"^appeal:[0-9]+:receipt:")
    .values("idempotency_key", "channel", "recipient", "status")
)
receipts = [r for r in receipts if int(r["idempotency_key"].split(":")[1]) in set(ids)]
sms_lines = collections.Counter()
log = pathlib.Path(settings.DATA_DIR) / "sms.log"
if log.exists():
    for line in log.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t", 3)
        if len(parts) == 4:
            sms_lines[parts[1]] += 1
mails = collections.Counter()
outbox = pathlib.Path(settings.DATA_DIR) / "outbox"
if outbox.exists():
    for path in outbox.iterdir():
        if path.name.startswith("."):
            continue
        raw = path.read_bytes()
        for chunk in raw.split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk.lstrip(b"\n"))
                key = message.get("X-Birlik-Notice") or (
                    "to:" + str(message.get("To", "")) + ":" + str(message.get("Subject", ""))
                )
                mails[key] += 1
print(json.dumps({
    "by_marker": by_marker,
    "duplicate_numbers": [n for n, c in numbers.items() if c > 1],
    "receipts": receipts,
    "sms_lines": sms_lines,
    "mails": mails,
    "numbers_of": {str(pk): number for pk, number, *_ in stored},
}))
"""


def verify(
    env: dict[str, str], run_id: str, outcomes: list[Outcome]
) -> tuple[list[str], dict[str, int]]:
    """The problems found (empty when none) and the tally."""
    seen = django_json(env, VERIFY, run_id)
    problems: list[str] = []
    by_marker: dict[str, list[dict[str, Any]]] = seen["by_marker"]
    results = Counter(
        outcome.result.split("-")[0] if outcome.result.startswith("rejected") else outcome.result
        for outcome in outcomes
    )
    successes = [o for o in outcomes if o.result == "success"]
    for outcome in successes:
        rows = by_marker.get(outcome.marker, [])
        if not rows:
            problems.append(
                f"LOST: {outcome.marker} got receipt {outcome.number} but is not stored"
            )
        elif outcome.number and rows[0]["number"] != outcome.number:
            problems.append(
                f"WRONG NUMBER: {outcome.marker} receipt {outcome.number}, "
                f"stored {rows[0]['number']}"
            )
        elif outcome.token and rows[0]["token"] != outcome.token:
            problems.append(f"WRONG LINK: {outcome.marker}")
    for marker, rows in by_marker.items():
        if len(rows) > 1:
            problems.append(f"STORED TWICE: {marker} as {[r['number'] for r in rows]}")
    for number in seen["duplicate_numbers"]:
        problems.append(f"NUMBER TWICE: {number}")
    sms_lines: dict[str, int] = seen["sms_lines"]
    mails: dict[str, int] = seen["mails"]
    numbers_of: dict[str, str] = seen["numbers_of"]
    sent = delivered_once = 0
    for notice in seen["receipts"]:
        key = notice["idempotency_key"]
        if notice["status"] != "sent":
            problems.append(f"NOT SENT: {key} is {notice['status']}")
            continue
        sent += 1
        if notice["channel"] == "sms":
            copies = sms_lines.get(key, 0)
        else:
            number = numbers_of[key.split(":")[1]]
            copies = mails.get(key, 0) or mails.get(f"to:{notice['recipient']}:{number}", 0)
        if copies == 0:
            problems.append(f"MISSING: {key} was marked sent but never reached the applicant")
        elif copies > 1:
            problems.append(f"DELIVERED {copies} TIMES: {key}")
        else:
            delivered_once += 1
    if not successes:
        problems.append("NO SUCCESS: the form accepted no submission at all")
    if results["rejected"]:
        problems.append(f"REJECTED: the form refused {results['rejected']} valid submission(s)")
    stored_appeals = sum(len(rows) for rows in by_marker.values())
    expected = 2 * stored_appeals  # one SMS and one e-mail receipt per stored appeal
    if len(seen["receipts"]) != expected:
        problems.append(f"RECEIPTS QUEUED: {len(seen['receipts'])}, expected {expected}")
    tally = {
        "submissions": len(outcomes),
        "success (302 to the receipt)": results["success"],
        "receipts showing a number": sum(1 for o in successes if o.number),
        "refused with 503": results["refused-503"],
        "no answer (killed mid-request)": results["no-answer"],
        "rejected (4xx, other)": results["rejected"],
        "stored appeals of this run": stored_appeals,
        "successes stored with their number": results["success"]
        - sum(1 for p in problems if p.startswith(("LOST", "WRONG"))),
        "receipt notices queued": len(seen["receipts"]),
        "receipt notices sent": sent,
        "receipts delivered exactly once": delivered_once,
        "duplicate numbers": len(seen["duplicate_numbers"]),
    }
    return problems, tally


# --- The run --------------------------------------------------------------------------------


@dataclass
class Report:
    tally: dict[str, int]
    problems: list[str]
    kills: dict[str, int]
    elapsed_s: float
    rejected_samples: list[str]
    no_answer: dict[str, int] = field(default_factory=dict)


def run(
    *,
    count: int,
    threads: int,
    every: tuple[float, float],
    scale: float,
    data_dir: Path,
    kills: int | None = None,
    progress: bool = True,
) -> Report:
    started = time.monotonic()
    env = common.bench_env("sqlite", str(data_dir))
    # The bench stands in for the reverse proxy: its X-Forwarded-For names each citizen.
    env["FORWARDED_ALLOW_IPS"] = "127.0.0.1"
    # A worker killed mid-send leaves its notice claimed until the claim runs out; the channels
    # here write files, so a short claim lets the drain below send it again within the run.
    env["NOTIFY_CLAIM_SECONDS"] = "25"
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    say = print if progress else (lambda *a, **k: None)
    say(f"Preparing {data_dir} (migrate, seed_demo --scale {scale:g})…", flush=True)
    birlik(env, "migrate", "--no-input", "-v0", log=logs / "setup.log")
    birlik(env, "seed_demo", "--scale", str(scale), "--no-progress", log=logs / "setup.log")
    region = django_json(env, REGION)
    run_id = f"{int(time.time()) % 100000:05d}"
    children = Children(env, common.free_port(), logs)
    children.start_web()
    children.start_worker()
    tally = Tally()
    stop = threading.Event()
    try:
        children.wait_web()
        say(
            f"Sending {count} appeals from {threads} threads; "
            f"SIGKILL every {every[0]:g}–{every[1]:g} s…",
            flush=True,
        )
        load_started = time.monotonic()
        kill_thread = threading.Thread(
            target=killer, args=(children, stop, every, kills), daemon=True
        )
        kill_thread.start()
        clients = [
            threading.Thread(target=client, args=(children.port, tally, count, run_id, region))
            for _ in range(threads)
        ]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
        stop.set()
        kill_thread.join()
        say(
            f"Load done in {time.monotonic() - load_started:.1f} s; draining the outbox…",
            flush=True,
        )
    finally:
        stop.set()
        children.stop()
    drain_deadline = time.monotonic() + 120
    while True:
        birlik(env, "worker", "--batch", log=logs / "drain.log")
        waiting = django_json(env, PENDING)
        if not waiting or time.monotonic() > drain_deadline:
            break
        time.sleep(0.5)
    problems, counts = verify(env, run_id, tally.outcomes)
    rejected = [o.detail for o in tally.outcomes if o.result.startswith("rejected")][:3]
    return Report(
        tally=counts,
        problems=problems,
        kills=dict(children.kills),
        elapsed_s=time.monotonic() - started,
        rejected_samples=rejected,
        no_answer=dict(Counter(o.detail for o in tally.outcomes if o.result == "no-answer")),
    )


def print_report(report: Report) -> None:
    print()
    print(f"{'Kill test':<44} {'count':>8}")
    print("-" * 53)
    for label, value in report.tally.items():
        print(f"{label:<44} {value:>8}")
    for which in ("web", "worker"):
        print(f"{'SIGKILL sent to the ' + which:<44} {report.kills.get(which, 0):>8}")
    print("-" * 53)
    print(f"Run time {report.elapsed_s:.0f} s. Load average {common.load_average()}.")
    if report.problems:
        print(f"\n{len(report.problems)} problem(s):")
        for problem in report.problems[:50]:
            print(f"  {problem}")
    else:
        print("Nothing lost, nothing twice.")
    if report.no_answer:
        reasons = ", ".join(f"{name} {count}" for name, count in report.no_answer.items())
        print(f"No answer (the request was cut by a kill): {reasons}.")
    for sample in report.rejected_samples:
        print(f"A rejected answer began: {sample[:200]!r}")


def _every(raw: str) -> tuple[float, float]:
    try:
        low, high = (float(part) for part in raw.split("-", 1))
    except ValueError:
        raise argparse.ArgumentTypeError(f"use LOW-HIGH seconds, e.g. 1-3, not {raw!r}") from None
    if not 0 < low <= high:
        raise argparse.ArgumentTypeError("LOW must be above 0 and at most HIGH")
    return low, high


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=common._positive_int, default=1000)
    parser.add_argument("--threads", type=common._positive_int, default=8)
    parser.add_argument("--every", type=_every, default=(1.0, 3.0), help="seconds between kills")
    parser.add_argument("--scale", type=float, default=0.05, help="demo registry scale")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="birlik-kill-"))
    try:
        report = run(
            count=args.count,
            threads=args.threads,
            every=args.every,
            scale=args.scale,
            data_dir=data_dir,
        )
    except common.BenchError as error:
        print(f"The kill test could not run: {error}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            print(f"Data directory kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)
    print_report(report)
    return 1 if report.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
