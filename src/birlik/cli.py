"""The ``birlik`` command: demo, serve, worker, check, figures, backup, restore, and any other
Django command.

``birlik demo`` is the one-command start: migrate, create the national demo data if the database
is empty, start the background worker and a production WSGI server, print where to go.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
from typing import Any

OWN_COMMANDS = ("demo", "serve", "worker", "check", "figures", "backup", "restore")


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birlik.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as error:
        print(f"Birlik cannot start: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def _manage(*args: str, **options: Any) -> None:
    from django.core.management import call_command

    call_command(*args, **options)


def _ensure_cache_table() -> None:
    """The shared cache's table (embedded default), for a database migrated before it existed;
    `migrate` makes it too. A database that does not answer yet is the server's to report."""
    from django.db import DatabaseError

    from birlik.core.apps import create_cache_table

    try:
        create_cache_table()
    except DatabaseError as error:
        print(f"Birlik: the cache table could not be checked ({error}).", file=sys.stderr)


def _port() -> int:
    raw = os.environ.get("PORT", "8000")
    try:
        port = int(raw)
    except ValueError:
        raise SystemExit(f"PORT must be a number from 1 to 65535, not {raw!r}.") from None
    if not 0 < port < 65536:
        raise SystemExit(f"PORT must be a number from 1 to 65535, not {raw!r}.")
    return port


def _gunicorn_command(host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "birlik.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        os.environ.get("WEB_THREADS", "4"),
        "--timeout",
        "120",
        "--access-logfile",
        "-",
        # Paths without their query strings, and no referrer: a query may carry what must not
        # be logged (the portal search's "near me" position).
        "--access-logformat",
        '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"',
        # ... and the secret of a private link (an appeal's status, a ticket) as [private].
        "--logger-class",
        "birlik.core.accesslog.Logger",
        # The same proxies as Django trusts (settings.FORWARDED_ALLOW_IPS): none by default.
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", ""),
    ]


def _worker_command() -> list[str]:
    return [sys.executable, "-m", "birlik", "worker"]


def cmd_demo(args: argparse.Namespace) -> int:
    # The demo logins open without an authenticator app unless the caller asks for one; the
    # web server and the worker started below inherit the choice.
    os.environ.setdefault("BIRLIK_REQUIRE_2FA", "0")
    _setup()
    from django.conf import settings

    from birlik.demo.services import DEMO_LOGINS, DEMO_PASSWORD, demo_seed

    print("Birlik: preparing the database…", flush=True)
    _manage("migrate", "--no-input", verbosity=0)
    _manage("collectstatic", "--no-input", verbosity=0)
    created = demo_seed(progress=True)
    if not created:
        print("Birlik: demo data already present, kept as it is.", flush=True)
    from django.utils import timezone

    from birlik.core.tasks import figures_snapshot

    figures_snapshot.enqueue(timezone.localdate().year)
    if args.no_serve:
        return 0
    port = _port()
    host = os.environ.get("HOST", "127.0.0.1")
    children: list[subprocess.Popen[Any]] = [
        subprocess.Popen(_worker_command()),
        subprocess.Popen(_gunicorn_command(host, port, int(os.environ.get("WEB_WORKERS", "2")))),
    ]
    shown_host = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host  # noqa: S104
    print()
    print("=" * 72)
    print(f"Birlik is running: http://{shown_host}:{port}/")
    print(f"Data directory: {settings.DATA_DIR}")
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, description in DEMO_LOGINS:
        print(f"  {username:<22} {description}")
    if settings.BIRLIK_REQUIRE_2FA:
        print("Second factor: required for administrators, coordinators, auditors, centre heads,")
        print("mediators and caseworkers (they set up an authenticator app at first sign-in).")
    else:
        print("Second factor: not required in this demo (BIRLIK_REQUIRE_2FA=1 to require it).")
    print("Stop with Ctrl+C.")
    print("=" * 72, flush=True)
    return _supervise(children)


def _supervise(children: list[subprocess.Popen[Any]]) -> int:
    stopping = False

    def stop(_signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for child in children:
            if child.poll() is not None:
                print(f"Birlik: a child process stopped with code {child.returncode}.")
                stopping = True
                code = child.returncode or 1
        time.sleep(0.5)
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
    return code


def cmd_serve(args: argparse.Namespace) -> int:
    _setup()
    if args.migrate:
        _manage("migrate", "--no-input")
    else:
        _ensure_cache_table()
    port = _port()
    host = os.environ.get("HOST", "0.0.0.0")  # noqa: S104 - a server listens where it is told
    workers = int(os.environ.get("WEB_WORKERS", str((os.cpu_count() or 1) * 2 + 1)))
    os.execv(sys.executable, _gunicorn_command(host, port, workers))  # noqa: S606
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    _setup()
    from django.conf import settings

    if not args.batch:
        _ensure_cache_table()
        _start_daily_jobs()
        _start_minute_jobs()
        _start_sweep()
    if settings.TASKS_BACKEND == "rq":
        from birlik.imports.services import resume_interrupted

        resume_interrupted()  # imports whose worker stopped mid-way go on
        return _rq_worker(batch=args.batch)
    elif settings.TASKS_BACKEND == "database":
        return _db_worker(batch=args.batch)
    else:
        print("TASKS_BACKEND=immediate runs jobs inside the request; no worker is needed.")
    return 0


WORKER_MAX_WAIT_S = 30.0
DAILY_CHECK_S = 3600


def enqueue_daily_jobs() -> list[str]:
    """The day's jobs, at most once a day per worker: escalation of overdue appeals, the
    staff digest, the rebuild of the monthly event figures (catching edits made outside the
    events services) and the open data release. All are idempotent (escalated once; one digest
    per user and day; a rebuild or a release replaces the last one whole), so several workers
    enqueueing them is harmless."""
    from django.core.cache import cache
    from django.utils import timezone

    from birlik.appeals.tasks import escalate_overdue
    from birlik.core.tasks import rate_counters_purge
    from birlik.ideas import tasks as ideas_tasks
    from birlik.imports.tasks import imports_sweep
    from birlik.monitoring import tasks as monitoring_tasks
    from birlik.notify.tasks import staff_digest
    from birlik.reports import tasks as report_tasks
    from birlik.reports.documents import tasks as document_tasks

    today = timezone.localdate().isoformat()
    if not cache.add(f"birlik:daily-jobs:{today}", 1, 2 * 24 * 3600):
        return []
    escalate_overdue.enqueue()
    staff_digest.enqueue()
    report_tasks.event_figures_rebuild.enqueue()
    document_tasks.opendata_generate.enqueue()
    imports_sweep.enqueue()  # imports (their rows and files) are kept 24 hours
    rate_counters_purge.enqueue()  # closed windows of the rate limiter
    return [
        "escalate_overdue",
        "staff_digest",
        "event_figures_rebuild",
        "opendata_generate",
        "imports_sweep",
        "rate_counters_purge",
        *monitoring_tasks.daily_jobs(),  # sweeps, stories closed, appeal signals, the index
        *ideas_tasks.daily_jobs(),  # reminders of official answers due and overdue
    ]


MINUTE_S = 60


def enqueue_minute_jobs() -> list[str]:
    """Each minute, once across workers: early warning's due sources and waiting items (and,
    every tenth minute, the escalation of unacknowledged alerts)."""
    from django.core.cache import cache
    from django.utils import timezone

    from birlik.monitoring import tasks as monitoring_tasks

    now = timezone.now()
    if not cache.add(f"birlik:minute-jobs:{now:%Y%m%d%H%M}", 1, 2 * MINUTE_S):
        return []
    return monitoring_tasks.minute_jobs(now=now)


def _start_minute_jobs() -> None:
    import threading

    from django.db import DatabaseError, connections

    def loop() -> None:
        while True:
            try:
                enqueue_minute_jobs()
            except DatabaseError as error:  # the worker itself reports outages
                print(f"Birlik worker: minute jobs not queued ({error}).", file=sys.stderr)
            except Exception:  # Redis down, a bug: the loop must outlive it
                logging.getLogger("birlik.worker").exception("minute jobs not queued")
            finally:
                connections.close_all()
            time.sleep(MINUTE_S)

    threading.Thread(target=loop, name="birlik-minute-jobs", daemon=True).start()


def _start_daily_jobs() -> None:
    import threading

    from django.db import DatabaseError, connections

    def loop() -> None:
        while True:
            try:
                enqueue_daily_jobs()
            except DatabaseError as error:  # the worker itself reports outages; try next hour
                print(f"Birlik worker: daily jobs not queued ({error}).", file=sys.stderr)
            except Exception:  # Redis down, a bug: the loop must outlive it
                logging.getLogger("birlik.worker").exception("daily jobs not queued")
            finally:
                connections.close_all()
            time.sleep(DAILY_CHECK_S)

    threading.Thread(target=loop, name="birlik-daily-jobs", daemon=True).start()


def _redis_answers() -> bool:
    import redis
    from django.conf import settings

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2)
        return bool(client.ping())
    except redis.exceptions.RedisError:
        return False


def _rq_worker(*, batch: bool) -> int:
    """RQ's worker, started again when it stops because Redis went away (back-off 1, 2, 4 …
    30 s): a Redis restart costs the jobs a pause, not the worker (whose daily, minute and
    sweep threads go on meanwhile)."""
    arguments = [
        "rqworker",
        "default",
        "--with-scheduler",
        # django-tasks' job class: RQ's own calls the job's function directly, which fails for
        # every task ("'Task' object is not callable"), so no job would ever run.
        "--job-class",
        "django_tasks_rq.Job",
        *(["--burst"] if batch else []),
    ]
    wait = 1.0
    while True:
        started = time.monotonic()
        try:
            _manage(*arguments)
            return 0
        except SystemExit as stop:  # rqworker exits with 1 when it loses Redis
            if stop.code != 1 or _redis_answers():
                raise
        if time.monotonic() - started > 2 * WORKER_MAX_WAIT_S:
            wait = 1.0  # it ran for a while: a new outage starts its back-off again
        print(
            f"Birlik worker: Redis does not answer; starting again in {wait:.0f} s.",
            file=sys.stderr,
            flush=True,
        )
        time.sleep(wait)
        wait = min(wait * 2, WORKER_MAX_WAIT_S)


SWEEP_S = 5.0


def sweep_once() -> None:
    """The worker's safety net: jobs kept in the database while Redis was down go to Redis,
    and notices due for a while that no job took are sent; one failing leaves the other done."""
    from django.db import DatabaseError

    from birlik.core.tasks import fallback_jobs_move
    from birlik.notify.services import outbox_sweep

    log = logging.getLogger("birlik.worker")
    for name, step in (("jobs moved to Redis", fallback_jobs_move), ("notices sent", outbox_sweep)):
        try:
            if done := step():
                log.info("sweep: %d %s", done, name)
        except DatabaseError as error:  # the worker itself reports outages
            log.warning("sweep: %s: not done (%s)", name, " ".join(str(error).split())[:200])
        except Exception:  # Redis down, a bug: the loop must outlive it
            log.exception("sweep: %s: not done", name)


def _start_sweep() -> None:
    """Every few seconds, in every worker, whatever the queue: ``sweep_once`` (a job lost with
    a killed worker or never queued while Redis was down is not left waiting for a day)."""
    import threading

    from django.db import connections

    def loop() -> None:
        while True:
            time.sleep(SWEEP_S)
            try:
                sweep_once()
            finally:
                connections.close_all()

    threading.Thread(target=loop, name="birlik-sweep", daemon=True).start()


def _db_worker(*, batch: bool) -> int:
    """The database queue's worker, which waits for the database when it is down and resumes.

    django-tasks-db's ``db_worker`` stops on any database error but "locked"; here it is started
    again once the database answers (back-off 1, 2, 4 … 30 s), after putting the outbox's
    waiting notices back in the queue (a worker killed mid-job leaves its job claimed forever).
    """
    from django.db import InterfaceError, OperationalError, connections

    from birlik.imports.services import resume_interrupted as resume_imports
    from birlik.notify.models import Notice
    from birlik.notify.tasks import notices_deliver

    wait = 1.0
    down = False
    while True:
        started = time.monotonic()
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT 1")
            if Notice.objects.filter(status=Notice.Status.PENDING).exists():
                notices_deliver.enqueue()
            resume_imports()
            if down:
                print("Birlik worker: the database answers again; resuming.", flush=True)
                down = False
            _manage("db_worker", "--queue-name", "default", *(["--batch"] if batch else []))
            return 0
        except (OperationalError, InterfaceError) as error:
            down = True
            if time.monotonic() - started > 2 * WORKER_MAX_WAIT_S:
                wait = 1.0  # it ran for a while: a new outage starts its back-off again
            reason = " ".join(str(error).split())[:200] or type(error).__name__
            print(
                f"Birlik worker: the database does not answer ({reason}); "
                f"trying again in {wait:.0f} s.",
                file=sys.stderr,
                flush=True,
            )
            connections.close_all()
            time.sleep(wait)
            wait = min(wait * 2, WORKER_MAX_WAIT_S)


def cmd_check(args: argparse.Namespace) -> int:
    _setup()
    from birlik.core.checks import production_report

    problems = production_report()
    if not problems:
        print("Birlik: ready for production (settings and `check --deploy` are clean).")
        return 0
    print("Birlik: what is missing for production:")
    for problem in problems:
        print(f"  - {problem}")
    return 1


def cmd_figures(args: argparse.Namespace) -> int:
    _setup()
    import json

    from django.utils import timezone, translation

    from birlik.core import kpi
    from birlik.geo.models import Region
    from birlik.reports.interview import INTERVIEW_YEAR, interview_figures, shows_reference

    year = args.year or timezone.localdate().year
    if not 2000 <= year <= 2100:
        print(f"--year must be between 2000 and 2100, not {year}.", file=sys.stderr)
        return 2
    region = None
    if args.region:
        region = Region.objects.filter(iso__iexact=args.region).first()
        if region is None:
            codes = ", ".join(Region.objects.values_list("iso", flat=True))
            print(f"Unknown region {args.region!r}. Use one of: {codes}", file=sys.stderr)
            return 2
    period = kpi.Period.year(year)
    with translation.override(args.lang):
        figures = kpi.compute_all(period, region)
        interview = interview_figures(period, region)
        if args.json:
            payload = {
                "year": year,
                "region": region.iso if region else None,
                "as_of": period.as_of.isoformat(),
                "language": args.lang,
                "interview": interview,
                "indicators": figures,
            }
            print(json.dumps(payload, ensure_ascii=False, indent=2))
            return 0
        title = f"{year}" + (f" · {region.iso} {region.name}" if region else "")
        print(title)
        print()
        # The interview's figures first: what the Assembly states of its year.
        reference = shows_reference(period)
        heading = translation.gettext("The Assembly's figures of the year")
        if reference:
            heading += " · " + translation.gettext("Stated in the interview of %(year)s") % {
                "year": INTERVIEW_YEAR
            }
        print(heading)
        for figure in interview:
            stated = f"  ({figure['interview_text']})" if reference else ""
            print(f"  {figure['label']:<68} {figure['value_text']:>14}{stated}")
            if figure["missing"]:
                print(f"    ! {figure['missing']}")
        for item in figures:
            print()
            total = "–" if item["total"] is None else item["total"]  # rows that do not add up
            print(f"{item['name']} ({item['unit']}): {total}")
            if item["missing"]:
                print(f"  ! {item['missing']}")
            for row in item["rows"]:
                label = " · ".join(
                    str(row.get(f"{dim}_name", row.get(dim))) for dim in item["dimensions"]
                )
                print(f"  {label:<70} {row['value']:>9}")
    return 0


# --- backup and restore (backup)
def cmd_backup(args: argparse.Namespace) -> int:
    _setup()
    from pathlib import Path

    from birlik.core.backup import BackupError, backup_create

    try:
        result = backup_create(output=Path(args.output) if args.output else None)
    except BackupError as error:
        print(f"Birlik: no backup written. {error}", file=sys.stderr)
        return error.exit_code
    print(result.summary())
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    _setup()
    from pathlib import Path

    from birlik.core.backup import BackupError, backup_restore

    try:
        result = backup_restore(archive=Path(args.archive), force=args.force)
    except BackupError as error:
        done = "nothing restored" if error.exit_code == 2 else "the restore failed"
        print(f"Birlik: {done}. {error}", file=sys.stderr)
        return error.exit_code
    print("\n".join(result.lines()))
    return 0


# --- end of backup and restore (backup)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="birlik",
        description="Birlik, the Digital Assembly platform. Any other command is passed to "
        "Django's manage.py (e.g. `birlik migrate`); `birlik manage CMD` reaches Django's own "
        "command of the same name (e.g. `birlik manage check --deploy`).",
    )
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="migrate, load demo data, start web server and worker")
    demo.add_argument("--no-serve", action="store_true", help="prepare the data and exit")
    demo.set_defaults(func=cmd_demo)
    serve = sub.add_parser("serve", help="production WSGI server (gunicorn + whitenoise)")
    serve.add_argument("--migrate", action="store_true", help="apply migrations first")
    serve.set_defaults(func=cmd_serve)
    worker = sub.add_parser("worker", help="run the background job worker")
    worker.add_argument("--batch", action="store_true", help="run waiting jobs, then exit")
    worker.set_defaults(func=cmd_worker)
    check = sub.add_parser("check", help="tell what is missing for production")
    check.set_defaults(func=cmd_check)
    figures = sub.add_parser("figures", help="print every indicator the platform computes")
    figures.add_argument("--json", action="store_true", help="machine-readable output")
    figures.add_argument("--year", type=int, help="calendar year (default: this year)")
    figures.add_argument("--region", help="ISO 3166-2 code of a region, e.g. KZ-55")
    figures.add_argument("--lang", choices=["kk", "ru", "en"], default="kk")
    figures.set_defaults(func=cmd_figures)
    # --- backup and restore (backup)
    backup = sub.add_parser(
        "backup", help="write the database, uploads and private files to one .tar.gz"
    )
    backup.add_argument(
        "--output", help="file or directory (default: ./birlik-backup-<UTC time>.tar.gz)"
    )
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help="restore a `birlik backup` archive, checked")
    restore.add_argument("archive", help="the .tar.gz written by `birlik backup`")
    restore.add_argument(
        "--force", action="store_true", help="replace a database or files already there"
    )
    restore.set_defaults(func=cmd_restore)
    # --- end of backup and restore (backup)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    passthrough = bool(argv) and argv[0] == "manage"
    if passthrough:
        argv = argv[1:] or ["help"]
    if passthrough or (argv and argv[0] not in OWN_COMMANDS and not argv[0].startswith("-")):
        _setup()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["birlik", *argv])
        return 0
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    result: int = args.func(args)
    return result


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
