"""Benchmark: generate the national registry (the demo network) in a fresh SQLite data directory.

    .venv/bin/python bench/registry_bench.py [--scale 1.0] [--seed 2025] [--keep]

Prints the time, the rows per table, the peak memory and two ratios against baselines measured
in the same run on the same disk: a raw ``executemany`` of as many plain rows into a scratch
table (what the hardware can do), and building the plan alone (the part without a database).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time


def _positive(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number") from None
    if not 0 < value <= 10:
        raise argparse.ArgumentTypeError("give a scale greater than 0 and at most 10")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=_positive, default=1.0, help="share of national scale")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args(argv)

    data_dir = tempfile.mkdtemp(prefix="birlik-bench-")
    os.environ["BIRLIK_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)  # the embedded default: SQLite in WAL mode
    os.environ["DJANGO_SETTINGS_MODULE"] = "birlik.settings"
    try:
        return _run(args, data_dir)
    finally:
        if args.keep:
            print(f"\nData directory kept: {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


def _run(args: argparse.Namespace, data_dir: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from birlik.access.models import AuditEntry, Grant, User
    from birlik.demo.plan import build_plan
    from birlik.demo.services import demo_seed, territory_from_database
    from birlik.registry.models import Consent, Membership, Organisation, Person

    print(f"Birlik registry benchmark: scale {args.scale:g}, seed {args.seed}")
    print(f"Data directory: {data_dir} ({connection.vendor})")

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started

    started = time.perf_counter()
    plan = build_plan(territory_from_database(), scale=args.scale, seed=args.seed)
    plan_s = time.perf_counter() - started
    del plan

    started = time.perf_counter()
    created = demo_seed(scale=args.scale, seed=args.seed)
    seed_s = time.perf_counter() - started
    if not created:
        print("The fresh database already held data: nothing to measure.", file=sys.stderr)
        return 1
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    models = [
        Organisation,
        Organisation.ethnic_groups.through,
        Person,
        Consent,
        Membership,
        User,
        Grant,
        AuditEntry,
    ]
    counts = [(model._meta.db_table, model._default_manager.count()) for model in models]
    total_rows = sum(count for _table, count in counts)

    # Baseline: the same number of plain rows, inserted with one raw executemany.
    rows = [(f"name {i}", f"code {i % 97}", "2025-01-01", i) for i in range(total_rows)]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_scratch "
            "(id INTEGER PRIMARY KEY, name TEXT, code TEXT, day TEXT, n INTEGER)"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO bench_scratch (name, code, day, n) VALUES (%s, %s, %s, %s)", rows
        )
    baseline_s = time.perf_counter() - started

    print()
    print(f"{'table':<40} {'rows':>10}")
    print("-" * 51)
    for table, count in counts:
        print(f"{table:<40} {count:>10,}")
    print("-" * 51)
    print(f"{'total':<40} {total_rows:>10,}")
    print()
    print(f"{'phase':<44} {'seconds':>8} {'rows/s':>10}")
    print("-" * 64)
    print(f"{'migrate (fresh database)':<44} {migrate_s:>8.2f} {'':>10}")
    print(f"{'plan only (no database)':<44} {plan_s:>8.2f} {'':>10}")
    print(f"{'demo_seed (plan + write, one transaction)':<44} {seed_s:>8.2f} "
          f"{total_rows / seed_s:>10,.0f}")  # fmt: skip
    print(f"{'baseline: raw executemany of as many rows':<44} {baseline_s:>8.2f} "
          f"{total_rows / baseline_s:>10,.0f}")  # fmt: skip
    print("-" * 64)
    print(f"ratio demo_seed / raw insert baseline: {seed_s / baseline_s:.1f}x")
    print(f"share of demo_seed spent planning:     {plan_s / seed_s:.0%}")
    print(f"peak memory (ru_maxrss):               {peak_mb:.0f} MB")
    print(f"goal: under 60 s (target 20 s) -> {'met' if seed_s < 20 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
