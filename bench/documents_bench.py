"""Benchmark: the annual report (PDF, XLSX, DOCX) and the open data release at national scale.

    .venv/bin/python bench/documents_bench.py [--events 150000] [--registrations 2000000]
        [--data-dir PATH [--database-url URL]] [--year 2025] [--keep] [--verify]

Builds a fresh SQLite data directory with the national demo plus activity up to ``--events``
events and ``--registrations`` registrations, with ``bench/events_bench.py --prepare`` (the same
generator as the events benchmark), unless ``--data-dir`` names a directory already built (e.g.
one kept by ``events_bench.py --keep``; with ``--database-url``, a database built elsewhere, such
as the 10× set of ``bench/scale.py`` on PostgreSQL with its data directory). Then, in a process
per step (so that each peak RSS is the step's own), after a baseline measured in that same process:

- baseline: ``kpi.compute_all`` of the year once, national (cold cache) — what one dashboard
  costs;
- the annual report's figures (national + 20 regions, the dashboard's function), then writing
  each of PDF, XLSX and DOCX from them;
- the open data release (every dataset as CSV + JSON, the dictionary, the ZIP), its size;
- with ``--verify``, a check that each region's figures in the release (read from the national
  rows of the indicators broken down by region) equal the indicators computed for the region.

Printed: absolute seconds and the ratio of each step to its baseline, so machines of different
speed compare, and the peak RSS (``ru_maxrss``) after the baseline and after the step, for the
annual report and for the release. ``bench/results/documents.json`` keeps the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def _peak_rss_mb() -> float:
    """The process's peak resident set size so far, in MiB (``ru_maxrss`` is in KiB here)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _verify_figures(year: int) -> list[str]:
    """Each (indicator, region) whose release figures differ from the indicator computed for
    the region (``--verify``): the release reads a region's rows of an indicator broken down by
    region from its national rows."""
    from birlik.core import kpi
    from birlik.geo.models import Region
    from birlik.reports.documents import opendata

    def same(left: list[dict[str, Any]], right: list[dict[str, Any]]) -> bool:
        def key(row: dict[str, Any]) -> str:
            return json.dumps(row, sort_keys=True, default=str)

        return sorted(map(key, left)) == sorted(map(key, right))

    period = kpi.Period.year(year)
    regions = list(Region.objects.order_by("kato"))
    return [
        f"{item.key} {region.iso}"
        for region, item, rows in opendata.indicator_figures(period, regions)
        if region is not None and not same(rows, item.compute(period, region))
    ]


def measure(args: argparse.Namespace) -> int:
    """Child mode: Django set up on the bench data directory; prints one JSON line.

    ``--step annual`` or ``--step release``: each step runs in a process of its own, after the
    baseline measured in that process, so that its peak RSS is its own."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.utils import translation

    from birlik.core import kpi
    from birlik.events.models import Event, Registration
    from birlik.reports.documents import annual, services

    out_dir = Path(tempfile.mkdtemp(prefix="birlik-documents-bench-"))
    result: dict[str, Any] = {
        "events": Event.objects.count(),
        "registrations": Registration.objects.count(),
        "year": args.year,
        "step": args.step,
    }
    cache.clear()
    with translation.override("kk"):
        started = time.perf_counter()
        kpi.compute_all(kpi.Period.year(args.year))
        result["baseline_s"] = time.perf_counter() - started
    result["baseline_rss_mb"] = _peak_rss_mb()
    cache.clear()
    if args.step == "annual":
        with translation.override("kk"):
            started = time.perf_counter()
            content = annual.collect(
                year=args.year, language="kk", region=None, progress=lambda _value: None
            )
            result["figures_s"] = time.perf_counter() - started
            for fmt, writer in annual.WRITERS.items():
                target = out_dir / f"report.{fmt}"
                started = time.perf_counter()
                writer(content, target)
                result[f"{fmt}_s"] = time.perf_counter() - started
                result[f"{fmt}_bytes"] = target.stat().st_size
        result["annual_s"] = result["figures_s"] + sum(result[f"{fmt}_s"] for fmt in annual.WRITERS)
        result["annual_rss_mb"] = _peak_rss_mb()
    elif args.step == "verify":
        result["differing"] = _verify_figures(args.year)
    else:
        started = time.perf_counter()
        release = services.opendata_generate()
        result["opendata_s"] = time.perf_counter() - started
        result["opendata_rss_mb"] = _peak_rss_mb()
        files = {item["name"]: item for item in release.files}
        result["zip_bytes"] = files[services.ZIP_NAME]["size"]
        result["events_csv_bytes"] = files["events.csv"]["size"]
        result["events_rows"] = files["events.csv"]["rows"]
        result["indicator_rows"] = files["indicators.csv"]["rows"]
        result["years"] = release.years
    shutil.rmtree(out_dir, ignore_errors=True)
    print(json.dumps(result))
    return 0


def _child(env: dict[str, str], *arguments: str) -> str:
    done = subprocess.run(  # noqa: S603 - this repository's scripts, fixed arguments
        [sys.executable, *arguments], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=150_000)
    parser.add_argument("--registrations", type=int, default=2_000_000)
    parser.add_argument("--data-dir", help="an already built data directory to measure")
    parser.add_argument(
        "--database-url",
        help="measure this already built database (e.g. the 10x set of bench/scale.py on "
        "PostgreSQL) with the data directory of --data-dir (its keys)",
    )
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--step", choices=("annual", "release", "verify"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--verify",
        action="store_true",
        help="also check that every region's figures in the release equal the indicators "
        "computed for the region (slow: every indicator for each region)",
    )
    args = parser.parse_args(argv)
    if args.database_url and not args.data_dir:
        parser.error(
            "--database-url needs --data-dir: the data directory the database was built with"
        )
    if args.measure:
        return measure(args)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="birlik.settings", TASKS_BACKEND="immediate")
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    built = args.data_dir is None
    data_dir = Path(args.data_dir or tempfile.mkdtemp(prefix="birlik-documents-bench-data-"))
    env["BIRLIK_DATA_DIR"] = str(data_dir)
    try:
        if built:
            print(f"Building the national data set in {data_dir} (a few minutes)…", flush=True)
            started = time.perf_counter()
            prepared = json.loads(
                _child(
                    env,
                    str(ROOT / "bench" / "events_bench.py"),
                    "--prepare",
                    "--events",
                    str(args.events),
                    "--registrations",
                    str(args.registrations),
                )
            )
            print(
                f"  {prepared['events']} events, {prepared['registrations']} registrations "
                f"in {time.perf_counter() - started:.0f} s",
                flush=True,
            )
        steps = {
            step: json.loads(
                _child(
                    env,
                    str(Path(__file__).resolve()),
                    "--measure",
                    "--year",
                    str(args.year),
                    "--step",
                    step,
                )
            )
            for step in ("annual", "release", *(("verify",) if args.verify else ()))
        }
    finally:
        if built and not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    annual, release = steps["annual"], steps["release"]
    print()
    print(
        f"Annual report {annual['year']} and open data, {annual['events']} events, "
        f"{annual['registrations']} registrations "
        f"({'PostgreSQL' if args.database_url else 'SQLite'})"
    )
    print("Each step runs in a process of its own after a baseline measured in that process.")
    print(f"{'step':<44} {'seconds':>9} {'× baseline':>11} {'size':>12}")
    base = annual["baseline_s"]
    rows = [
        ("baseline: compute_all once, national", base, base, None),
        ("report figures: national + 20 regions", annual["figures_s"], base, None),
        ("report PDF (from the figures)", annual["pdf_s"], base, annual["pdf_bytes"]),
        ("report XLSX (from the figures)", annual["xlsx_s"], base, annual["xlsx_bytes"]),
        ("report DOCX (from the figures)", annual["docx_s"], base, annual["docx_bytes"]),
        ("annual report, all three", annual["annual_s"], base, None),
        ("baseline (release's process)", release["baseline_s"], release["baseline_s"], None),
        (
            "open data release (CSV+JSON+ZIP)",
            release["opendata_s"],
            release["baseline_s"],
            release["zip_bytes"],
        ),
    ]
    for label, seconds, baseline, size in rows:
        shown = f"{size / 1_048_576:.1f} MiB" if size else ""
        print(f"{label:<44} {seconds:>9.2f} {seconds / baseline:>11.1f} {shown:>12}")
    print(
        f"open data: {release['events_rows']} event rows "
        f"({release['events_csv_bytes'] / 1_048_576:.1f} MiB CSV), "
        f"{release['indicator_rows']} indicator rows, years {release['years']}"
    )
    print()
    print(f"{'peak RSS (MiB)':<44} {'baseline':>9} {'step':>9} {'step − baseline':>16}")
    for label, item, key in (
        ("annual report (figures + PDF, XLSX, DOCX)", annual, "annual_rss_mb"),
        ("open data release", release, "opendata_rss_mb"),
    ):
        print(
            f"{label:<44} {item['baseline_rss_mb']:>9.0f} {item[key]:>9.0f} "
            f"{item[key] - item['baseline_rss_mb']:>16.0f}"
        )
    if "verify" in steps:
        differing = steps["verify"]["differing"]
        print()
        print(
            f"verify {annual['year']}: every region's figures equal the indicators computed for "
            "the region"
            if not differing
            else f"verify: {len(differing)} (indicator, region) differ: {', '.join(differing[:20])}"
        )
    result = {
        "annual": annual,
        "release": release,
        **{k: v for k, v in steps.items() if k == "verify"},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "documents.json").write_text(json.dumps(result, indent=2))
    if args.keep and built:
        print(f"Data directory kept: {data_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
