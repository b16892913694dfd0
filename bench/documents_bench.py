"""Benchmark: the annual report (PDF, XLSX, DOCX) and the open data release at national scale.

    .venv/bin/python bench/documents_bench.py [--events 150000] [--registrations 2000000]
        [--data-dir PATH] [--year 2025] [--keep]

Builds a fresh SQLite data directory with the national demo plus activity up to ``--events``
events and ``--registrations`` registrations, with ``bench/events_bench.py --prepare`` (the same
generator as the events benchmark), unless ``--data-dir`` names a directory already built (e.g.
one kept by ``events_bench.py --keep``). Then, in one process:

- baseline: ``kpi.compute_all`` of the year once, national (cold cache) — what one dashboard
  costs;
- the annual report's figures (national + 20 regions, the dashboard's function), then writing
  each of PDF, XLSX and DOCX from them;
- the open data release (every dataset as CSV + JSON, the dictionary, the ZIP), its size.

Printed: absolute seconds and the ratio of each step to the baseline measured in the same run,
so machines of different speed compare. ``bench/results/documents.json`` keeps the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def measure(args: argparse.Namespace) -> int:
    """Child mode: Django set up on the bench data directory; prints one JSON line."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.utils import translation

    from birlik.core import kpi
    from birlik.events.models import Event
    from birlik.reports.documents import annual, services

    out_dir = Path(tempfile.mkdtemp(prefix="birlik-documents-bench-"))
    result: dict[str, Any] = {"events": Event.objects.count(), "year": args.year}
    cache.clear()
    with translation.override("kk"):
        started = time.perf_counter()
        kpi.compute_all(kpi.Period.year(args.year))
        result["baseline_s"] = time.perf_counter() - started
        cache.clear()
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
    cache.clear()
    started = time.perf_counter()
    release = services.opendata_generate()
    result["opendata_s"] = time.perf_counter() - started
    files = {item["name"]: item for item in release.files}
    result["zip_bytes"] = files[services.ZIP_NAME]["size"]
    result["events_csv_bytes"] = files["events.csv"]["size"]
    result["events_rows"] = files["events.csv"]["rows"]
    result["indicator_rows"] = files["indicators.csv"]["rows"]
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
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        return measure(args)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="birlik.settings", TASKS_BACKEND="immediate")
    env.pop("DATABASE_URL", None)
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
        result = json.loads(
            _child(env, str(Path(__file__).resolve()), "--measure", "--year", str(args.year))
        )
    finally:
        if built and not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    base = result["baseline_s"]
    print()
    print(f"Annual report {result['year']} and open data, {result['events']} events (SQLite)")
    print(f"{'step':<44} {'seconds':>9} {'× baseline':>11} {'size':>12}")
    rows = [
        ("baseline: compute_all once, national", base, None),
        ("report figures: national + 20 regions", result["figures_s"], None),
        ("report PDF (from the figures)", result["pdf_s"], result["pdf_bytes"]),
        ("report XLSX (from the figures)", result["xlsx_s"], result["xlsx_bytes"]),
        ("report DOCX (from the figures)", result["docx_s"], result["docx_bytes"]),
        ("open data release (CSV+JSON+ZIP)", result["opendata_s"], result["zip_bytes"]),
    ]
    for label, seconds, size in rows:
        shown = f"{size / 1_048_576:.1f} MiB" if size else ""
        print(f"{label:<44} {seconds:>9.2f} {seconds / base:>11.1f} {shown:>12}")
    print(
        f"open data: {result['events_rows']} event rows "
        f"({result['events_csv_bytes'] / 1_048_576:.1f} MiB CSV), "
        f"{result['indicator_rows']} indicator rows"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "documents.json").write_text(json.dumps(result, indent=2))
    if args.keep and built:
        print(f"Data directory kept: {data_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
