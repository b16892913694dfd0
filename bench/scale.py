"""Benchmark: the national data set at N times its yearly size, and every page timed cold and warm.

    .venv/bin/python bench/scale.py [build|measure|all] [--factor 10] [--db postgres|sqlite]
        [--requests 40] [--cold 8] [--concurrency 4] [--fresh] [--only TEXT] [--drop]

``build``: the demo generator (``demo_seed``) writes the base at scale ``min(factor, 1)`` (kept
as a template: PostgreSQL ``birlik_scale_base_<scale>``, SQLite a copy of the data directory
under ``bench/results/``; ``--fresh`` writes it again), then ``bench/scale_build.py`` clones its
rows up to ``factor`` × the national year (PostgreSQL ``COPY``, SQLite ``executemany``),
rebuilds the rollups and analyses the tables. Each phase prints its time and the rows.
``measure``: every GET page of the staff workspace and the public site (from the URL
configuration, see ``bench/scale_pages.py``) as the national administrator or anonymous, plus the
inbox and dashboards as a regional coordinator: queries (in process), p50/p95 warm under load
(``birlik serve``) and cold (the cache emptied before each request), and p95 / ``/health/`` p95.
``all`` (the default): build, measure, then ``bench/drill.py --short`` if it exists.
Results: ``bench/results/scale-<db>.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages_bench as common  # noqa: E402 - load client, server, PostgreSQL helpers

ROOT = common.ROOT
RESULTS = common.RESULTS
PG_DB = "birlik_scale"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
REDIS_URL = "redis://127.0.0.1:6379/12"


def _tag(scale: float) -> str:
    return f"{scale:g}".replace(".", "_")


def base_scale(factor: float) -> float:
    return min(factor, 1.0)


def pg_base(factor: float) -> str:
    return f"birlik_scale_base_{_tag(base_scale(factor))}"


def data_dir(args: argparse.Namespace) -> Path:
    """The data directory (secret keys, uploads; SQLite: the database) the data set belongs to."""
    if args.data_dir:
        return Path(args.data_dir).resolve()
    if args.db == "postgres":  # the base's keys: the demo's digests were made with them
        return RESULTS / f"scale-data-postgres-{_tag(base_scale(args.factor))}"
    return RESULTS / "scale-data-sqlite"


def environment(args: argparse.Namespace) -> dict[str, str]:
    env = common.bench_env(args.db, str(data_dir(args)))
    if args.db == "postgres":
        env["DATABASE_URL"] = PG_URL
        env["REDIS_URL"] = REDIS_URL  # the cache, as at scale; jobs stay in the database
    env["TASKS_BACKEND"] = "database"
    return env


def _apply(env: dict[str, str]) -> None:
    for name in ("BIRLIK_ENV", "DEBUG", "REDIS_URL", "DATABASE_URL", "PORT", "HOST"):
        os.environ.pop(name, None)
    os.environ.update(env)


def _pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(common.PG_ADMIN_URL, autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            is not None
        )


def _pg_copy(source: str, target: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(common.PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(target))
        )
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(target), sql.Identifier(source)
            )
        )


class Phases:
    """Prints each phase's time as it ends and keeps them for the summary."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    @contextlib.contextmanager
    def phase(self, name: str) -> Any:
        print(f"- {name}…", flush=True)
        started = time.perf_counter()
        yield
        self.times[name] = round(time.perf_counter() - started, 1)
        print(f"  {name}: {self.times[name]:.1f} s", flush=True)


def build(args: argparse.Namespace) -> dict[str, Any]:
    """The data set in the target database; returns phases, rows and the plan."""
    env = environment(args)
    base = base_scale(args.factor)
    target_dir = data_dir(args)
    phases = Phases()
    started = time.perf_counter()
    print(
        f"Building the scale data set: factor {args.factor:g} on {args.db} "
        f"(demo base at scale {base:g}); data directory {target_dir}",
        flush=True,
    )
    reuse = False
    if args.db == "postgres":
        why = common.postgres_reachable()
        if why is not None:
            raise SystemExit(f"PostgreSQL is not reachable at 127.0.0.1:5432 ({why})")
        template = pg_base(args.factor)
        reuse = not args.fresh and _pg_exists(template) and target_dir.exists()
        with phases.phase("database"):
            if reuse:
                _pg_copy(template, PG_DB)
                print(f"  {PG_DB} copied from the template {template}")
            else:
                common.postgres_recreate(database=PG_DB)
                shutil.rmtree(target_dir, ignore_errors=True)
    else:
        base_dir = RESULTS / f"scale-base-sqlite-{_tag(base)}"
        reuse = not args.fresh and (base_dir / "birlik.sqlite3").exists()
        with phases.phase("database"):
            shutil.rmtree(target_dir, ignore_errors=True)
            if reuse:
                shutil.copytree(base_dir, target_dir)
                print(f"  copied from {base_dir}")
    target_dir.mkdir(parents=True, exist_ok=True)
    _apply(env)
    import django

    django.setup()
    import scale_build
    from django.core.management import call_command, get_commands
    from django.db import connection, connections

    with phases.phase("migrate"):
        call_command("migrate", "--no-input", verbosity=0)
    if not reuse:
        from birlik.demo.services import demo_seed

        with phases.phase(f"demo_seed(scale={base:g})"):
            demo_seed(progress=True, scale=base, seed=2025)
        connections.close_all()
        if args.db == "postgres":
            _pg_copy(PG_DB, pg_base(args.factor))
        else:
            base_dir = RESULTS / f"scale-base-sqlite-{_tag(base)}"
            shutil.rmtree(base_dir, ignore_errors=True)
            shutil.copytree(target_dir, base_dir)
    base_rows = row_counts()
    with phases.phase("plan"):
        plan = scale_build.make_plan(args.factor, base)
        for line in scale_build.describe(plan):
            print(line, flush=True)
    with phases.phase("clone (COPY)" if args.db == "postgres" else "clone (executemany)"):
        if args.db == "postgres":
            written = scale_build.clone_postgres(plan)
        else:
            written = scale_build.clone_sqlite(plan)
        scale_build.after_clone(plan)
    with phases.phase("rollups"):
        if "rollups" in get_commands():
            call_command("rollups", "--rebuild")
            print("  birlik rollups --rebuild")
        else:
            from birlik.events.services import event_figures_rebuild

            event_figures_rebuild()
            print("  (no `birlik rollups` yet) events.services.event_figures_rebuild()")
        from django.core.cache import cache

        cache.clear()
    with phases.phase("VACUUM ANALYZE" if args.db == "postgres" else "ANALYZE"):
        if args.db == "postgres":
            connection.ensure_connection()
            raw = connection.connection
            raw.autocommit = True
            raw.execute("VACUUM ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    rows = row_counts()
    total = round(time.perf_counter() - started, 1)
    print_rows(base_rows, rows)
    print(
        f"Built in {total:.0f} s ({total / 60:.1f} min): "
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in phases.times.items()),
        flush=True,
    )
    connections.close_all()
    return {
        "factor": args.factor,
        "db": args.db,
        "base_scale": base,
        "seconds": total,
        "phases": phases.times,
        "multipliers": plan.multipliers,
        "not_cloned": plan.skipped,
        "rows_base": base_rows,
        "rows": rows,
        "written": written,
    }


# The tables named in issue 19, then every other table of the cloned apps with rows.
HEADLINE = {
    "events_event": "events",
    "events_registration": "registrations",
    "appeals_appeal": "appeals",
    "registry_organisation": "bodies",
    "registry_person": "people",
}


def row_counts() -> dict[str, int]:
    import scale_build
    from django.db import connection

    names = sorted(
        {m._meta.db_table for m in scale_build._models()} | set(HEADLINE)  # noqa: SLF001
    )
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f'SELECT COUNT(*) FROM "{name}"')  # noqa: S608 - table names from models
            counts[name] = int(cursor.fetchone()[0])
    return counts


def print_rows(before: dict[str, int], after: dict[str, int]) -> None:
    print(f"{'table':<44} {'demo':>11} {'built':>12} {'×':>6}")
    shown = [*HEADLINE, *sorted(set(after) - set(HEADLINE))]
    for name in shown:
        if not after.get(name):
            continue
        base = before.get(name, 0)
        ratio = f"{after[name] / base:.1f}" if base else "-"
        label = f"{name} ({HEADLINE[name]})" if name in HEADLINE else name
        print(f"{label:<44} {base:>11,} {after[name]:>12,} {ratio:>6}")


def run_drill() -> None:
    drill = ROOT / "bench" / "drill.py"
    if not drill.exists():
        print("\nbench/drill.py is not there yet: no fault drill in this run.")
        return
    print("\n== Fault drill: bench/drill.py --short ==", flush=True)
    subprocess.run([sys.executable, str(drill), "--short"], cwd=ROOT, check=False)  # noqa: S603


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["build", "measure", "all"], default="all")
    parser.add_argument("--factor", type=float, default=10.0, help="times the national year")
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--data-dir", help="data directory (default under bench/results/)")
    parser.add_argument("--fresh", action="store_true", help="write the demo base again")
    parser.add_argument("--requests", type=int, default=40, help="warm requests per page")
    parser.add_argument("--cold", type=int, default=8, help="cold requests per page")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (warm)")
    parser.add_argument("--only", help="measure only pages whose path contains this text")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    parser.add_argument("--json", help="also write the build's figures to this file")
    args = parser.parse_args(argv)
    if not 0 < args.factor <= 20:
        parser.error("--factor must be greater than 0 and at most 20")
    RESULTS.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"when": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    if args.command in {"build", "all"}:
        report["build"] = build(args)
        out = Path(args.json) if args.json else RESULTS / f"scale-build-{args.db}.json"
        out.write_text(json.dumps(report["build"], indent=2) + "\n")
    if args.command in {"measure", "all"}:
        import scale_pages

        code = scale_pages.run(args, environment(args))
        if code:
            return code
    if args.command == "all":
        run_drill()
    if args.drop and args.db == "postgres":
        common.postgres_recreate(drop_only=True, database=PG_DB)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
