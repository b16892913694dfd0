"""Benchmark: weighing a national survey — reading the answers, raking, every estimate table
and the trust index by every dimension — on 100,000 generated responses to 60 questions.

    .venv/bin/python bench/surveys_bench.py [--responses 100000] [--seed 2026] [--quick] [--keep]

In a temporary SQLite data directory (migrated; the two-region network of the tests):

1. A launched questionnaire of 60 questions: the standard demographics (6) and trust items
   (T1–T5), 20 more 0–10 scales with "don't know"/"refusal", 14 single choices, 6 multiple
   choices, 4 numbers, 2 matrices of 3 rows, 3 open texts; a margin set (census ethnic groups,
   the settings' sex × age, the generator's region shares); ``birlik.demo.survey_sample``
   writes ``--responses`` answers with its known biases (not timed).
2. Timed, each in the same run, with peak Python memory (tracemalloc) around it:
   (a) baseline: the answers alone read from the database and decoded
       (``values_list("answers")`` iterated in chunks) — the floor of any pass over them;
   (b) raking: ``weighting.rake`` on the frame of margins (region, sex × age, ethnic group);
   (c) the estimates: ``estimates.compute`` — every question × statistic × dimension ×
       category with Taylor SEs and intervals, the trust index and the trusting share;
   (d) the whole job ``services.survey_weigh`` (read, rake, store 100,000 weights, compute,
       write the estimate rows, one transaction) — the goal applies to it.
   Printed: seconds, ratio to the baseline, peak memory, and the process's peak RSS
   (``ru_maxrss``); PASS/MISS of (d) against 10 s (issue 16). Results:
   ``bench/results/surveys.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOAL_S = 10.0


def setup() -> str:
    data_dir = tempfile.mkdtemp(prefix="birlik-bench-surveys-")
    os.environ["BIRLIK_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birlik.settings")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))  # tests.conftest.build_network, tests.surveys.factories
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data_dir


def say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def specs() -> list[tuple[str, str, dict[str, Any]]]:
    from tests.surveys.factories import demographic_specs, trust_specs

    out = demographic_specs() + trust_specs()
    missing = {"options": ["88", "99"]}
    out += [(f"S{i:02d}", "scale", {"scale_min": 0, "scale_max": 10, **missing}) for i in range(20)]
    out += [(f"C{i:02d}", "single", {"options": ["1", "2", "3", "4", "5"]}) for i in range(14)]
    out += [(f"M{i}", "multiple", {"options": ["a", "b", "c", "d", "e"]}) for i in range(6)]
    out += [(f"N{i}", "number", {"number_min": 0, "number_max": 100}) for i in range(4)]
    out += [
        (f"G{i}", "matrix", {"scale_min": 1, "scale_max": 5, "rows": ["r1", "r2", "r3"]})
        for i in range(2)
    ]
    out += [(f"X{i}", "text", {}) for i in range(3)]
    return out


def build(args: argparse.Namespace) -> Any:
    from birlik.demo import survey_sample
    from birlik.surveys import services
    from birlik.surveys.models import MarginTarget, Survey
    from tests.conftest import build_network
    from tests.surveys.factories import make_survey, make_version

    network = build_network()
    version = make_version(network.root, specs())
    assert version.questions.count() == 60
    margin_set = services.margin_set_default(network.root, user=None, title="Bench margins")
    regions = survey_sample.population_shares()["region"]
    targets = [
        MarginTarget(
            margin_set=margin_set,
            dimension="region",
            category=iso,
            share=Decimal(f"{share:.6f}"),
            source=survey_sample.REGION_SOURCE,
            as_of=datetime.date(2025, 12, 1),
        )
        for iso, share in regions.items()
    ]
    targets[0].share += Decimal(1) - sum(t.share for t in targets)
    MarginTarget.objects.bulk_create(targets)
    survey = make_survey(
        version, network.root, is_trust_index=True, margin_set=margin_set, slug="bench"
    )
    began = time.perf_counter()
    written = survey_sample.generate(survey, args.responses, seed=args.seed)
    say(f"generated {written} responses in {time.perf_counter() - began:.1f} s")
    survey.status = Survey.Status.CLOSED
    survey.save(update_fields=["status"])
    return survey


def measure(step: Callable[[], Any], *, memory: bool = True) -> tuple[Any, dict[str, float]]:
    """The step's result, its wall and CPU seconds, and (run again under tracemalloc, which
    slows Python several times, so never in the same pass as the clock) its peak traced
    Python memory in MB."""
    began, cpu = time.perf_counter(), time.process_time()
    result = step()
    figures = {"seconds": time.perf_counter() - began, "cpu_seconds": time.process_time() - cpu}
    if memory:
        tracemalloc.start()
        step()
        figures["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result, figures


def run(survey: Any) -> dict[str, Any]:
    import numpy as np
    import pandas as pd
    import weightipy  # noqa: F401 - imported once before timing, like a warm worker

    from birlik.surveys import estimates, services, weighting
    from birlik.surveys.models import Estimate, Response, WeightingRun

    results: dict[str, Any] = {}

    def baseline() -> int:
        count = 0
        for _answers in (
            Response.objects.filter(survey=survey, excluded=False)
            .values_list("answers", flat=True)
            .iterator(chunk_size=5000)
        ):
            count += 1
        return count

    count, figures = measure(baseline)
    results["a_baseline"] = {**figures, "responses": count}
    say(f"(a) baseline {figures['seconds']:.2f} s")

    sample = estimates.load_sample(survey)
    margins: dict[str, dict[str, float]] = {}
    for target in survey.margin_set.targets.all():
        margins.setdefault(target.dimension, {})[target.category] = float(target.share)
    frame = pd.DataFrame(
        {d: services._s_frame_value(d, sample.demographics, set(by)) for d, by in margins.items()}
    )
    weights, figures = measure(lambda: weighting.rake(frame, margins, cap=float(survey.trim_cap)))
    results["b_raking"] = {
        **figures,
        "iterations": weights.iterations,
        "deff": weights.deff,
        "worst_margin_error_pp": weights.worst_margin_error,
    }
    say(f"(b) raking {figures['seconds']:.2f} s")

    sample.weights = np.asarray(weights.values, dtype=float)
    scratch = WeightingRun.objects.create(survey=survey, trim_cap=float(survey.trim_cap))
    rows, figures = measure(lambda: estimates.compute(survey, scratch, sample=sample))
    results["c_estimates"] = {**figures, "cells": len(rows)}
    say(f"(c) estimates {figures['seconds']:.2f} s, {len(rows)} cells")
    scratch.delete()

    run_, figures = measure(lambda: services.survey_weigh(survey, user=None))
    results["d_survey_weigh"] = {
        **figures,
        "estimates": Estimate.objects.filter(run=run_).count(),
        "n": run_.n,
        "deff": run_.deff,
        "effective_n": run_.effective_n,
        "alpha": run_.method.get("alpha"),
    }
    say(f"(d) survey_weigh {figures['seconds']:.2f} s")
    index = Estimate.objects.get(
        run=run_, question=Estimate.TRUST_INDEX, statistic="mean", dimension="all"
    )
    from birlik.demo import survey_sample

    results["index"] = {
        "value": index.value,
        "low": index.low,
        "high": index.high,
        "truth": survey_sample.national_truth(),
    }
    results["load_average"] = os.getloadavg()
    results["peak_rss_mb"] = peak_rss_mb()
    return results


def report(args: argparse.Namespace, results: dict[str, Any]) -> None:
    base = results["a_baseline"]["seconds"]
    print(f"Surveys bench: {args.responses:,} responses × 60 questions, SQLite, seed {args.seed}")
    print(f"{'step':<44}{'seconds':>9}{'cpu s':>8}{'× baseline':>12}{'peak MB':>10}")
    for key, title in (
        ("a_baseline", "(a) read the answers (baseline)"),
        ("b_raking", "(b) raking (region, sex × age, ethnic group)"),
        ("c_estimates", "(c) every estimate table and the index"),
        ("d_survey_weigh", "(d) the whole job: services.survey_weigh"),
    ):
        step = results[key]
        ratio = step["seconds"] / base if base else float("nan")
        print(
            f"{title:<44}{step['seconds']:>9.2f}{step['cpu_seconds']:>8.2f}{ratio:>12.2f}"
            f"{step['peak_mb']:>10.1f}"
        )
    b, c, d = results["b_raking"], results["c_estimates"], results["d_survey_weigh"]
    print(
        f"raking: {b['iterations']} iterations, deff {b['deff']:.3f}, worst margin error "
        f"{b['worst_margin_error_pp']:.2e} pp; estimates: {c['cells']:,} cells "
        f"({d['estimates']:,} rows written); α {d['alpha']:.3f}"
    )
    index = results["index"]
    print(
        f"trust index {index['value']:.2f} [{index['low']:.2f}, {index['high']:.2f}], "
        f"generator's truth {index['truth']:.2f}"
    )
    load = results["load_average"]
    print(f"peak RSS {results['peak_rss_mb']:.0f} MB; load average {load[0]:.1f} (2 cores)")
    verdict = "PASS" if d["seconds"] <= GOAL_S else "MISS"
    print(f"{verdict}: the whole job took {d['seconds']:.2f} s (goal ≤ {GOAL_S:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="10,000 responses")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    if args.quick:
        args.responses = 10_000
    data_dir = setup()
    try:
        survey = build(args)
        results = run(survey)
        report(args, results)
        out_dir = ROOT / "bench" / "results"
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "surveys.json").write_text(
            json.dumps({"args": vars(args), **results}, indent=1, default=str), encoding="utf-8"
        )
    finally:
        if args.keep:
            say(f"kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
