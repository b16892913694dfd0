"""Benchmark: mediation pages and indicators with few and with many cases — queries and time.

    .venv/bin/python bench/mediation_bench.py [--small 2000] [--large 40000] [--repeat 15]

In a temporary SQLite data directory: 21 centres under a root body, a centre head, then
``--small`` cases (bulk, with two parties each); the head's case list, the public mediation page
and the five mediation indicators are timed (median of ``--repeat``, in-process) and their
queries counted; then cases are added up to ``--large`` and everything is measured again. A
``SELECT 1`` measured in the same run is the baseline; the ratios large/small should stay near 1
for queries (independent of rows) and grow slowly for time (indexed aggregates).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def setup() -> None:
    os.environ["BIRLIK_DATA_DIR"] = tempfile.mkdtemp(prefix="birlik-bench-mediation-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "birlik.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(rng: random.Random) -> dict[str, Any]:
    from birlik.access.models import Grant, Role, User
    from birlik.geo.models import Region
    from birlik.registry.models import Organisation, OrganisationKind

    secretariat = OrganisationKind.objects.get(code="secretariat")
    centre_kind = OrganisationKind.objects.get(code="mediation_centre")
    root = Organisation.add_root(kind=secretariat, name="Secretariat")
    regions = list(Region.objects.order_by("iso"))
    centres = [
        root.add_child(kind=centre_kind, name=f"Centre {n}", region=regions[n % len(regions)])
        for n in range(21)
    ]
    head = User.objects.create(username="bench_head")
    Grant.objects.create(user=head, role=Role.CENTRE_HEAD, organisation=centres[0])
    return {"centres": centres, "head": head}


def add_cases(centres: list[Any], count: int, rng: random.Random, start: int) -> None:
    from birlik.mediation.models import MediationCase, Party

    today = datetime.date(2026, 11, 25)
    cases = []
    for n in range(count):
        received = today - datetime.timedelta(days=rng.randrange(700))
        closed = received + datetime.timedelta(days=rng.randint(1, 60))
        done = closed <= today
        cases.append(
            MediationCase(
                number=f"B-{start + n}",
                centre=rng.choice(centres),
                kind=rng.choice(["family", "labour", "neighbourhood", "other", "interethnic"]),
                source="walk_in",
                status="closed" if done else "open",
                outcome=rng.choice(["agreement", "partly", "no_agreement"]) if done else "",
                received_on=received,
                closed_on=closed if done else None,
                duration_days=(closed - received).days if done else None,
            )
        )
    created = MediationCase.objects.bulk_create(cases, batch_size=2000)
    Party.objects.bulk_create(
        [
            Party(case=case, kind="person", name=f"Party {case.pk}-{i}")
            for case in created
            for i in (1, 2)
        ],
        batch_size=4000,
    )


def measure(repeat: int, head: Any) -> dict[str, tuple[int, float]]:
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from birlik.core.kpi import Period, indicators

    client = Client(HTTP_HOST="localhost")
    client.force_login(head)
    anonymous = Client(HTTP_HOST="localhost")
    mine = [item for item in indicators() if item.key.startswith("mediation.")]

    def select_one() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    def figures() -> None:
        for item in mine:
            item.compute(Period.year(2026), None)

    probes = {
        "SELECT 1 (baseline)": select_one,
        "case list (head)": lambda: client.get("/en/workspace/mediation/"),
        "case list page 20": lambda: client.get("/en/workspace/mediation/?page=20"),
        "public page": lambda: anonymous.get("/en/mediation/"),
        "five indicators": figures,
    }
    results = {}
    for label, probe in probes.items():
        probe()  # warm
        reset_queries()  # each request empties the log; count from an empty one
        with CaptureQueriesContext(connection) as queries:
            probe()
        count = len(queries.captured_queries)  # read now: the next request resets the log
        times = []
        for _ in range(repeat):
            began = time.perf_counter()
            probe()
            times.append(time.perf_counter() - began)
        results[label] = (count, statistics.median(times) * 1000)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2000)
    parser.add_argument("--large", type=int, default=40000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    setup()
    from django.core.cache import cache

    rng = random.Random(2025)
    world = build(rng)
    add_cases(world["centres"], args.small, rng, 0)
    cache.clear()
    small = measure(args.repeat, world["head"])
    add_cases(world["centres"], args.large - args.small, rng, args.small)
    cache.clear()
    large = measure(args.repeat, world["head"])
    base_small = small["SELECT 1 (baseline)"][1]
    base_large = large["SELECT 1 (baseline)"][1]
    out = sys.stdout.write
    out(f"mediation bench: {args.small} vs {args.large} cases (median of {args.repeat})\n")
    out(
        f"{'probe':<22}{'queries':>10}{'ms small':>10}{'ms large':>10}{'× base S':>10}"
        f"{'× base L':>10}{'L/S':>7}\n"
    )
    for label in small:
        q_s, t_s = small[label]
        q_l, t_l = large[label]
        queries = str(q_s) if q_s == q_l else f"{q_s}->{q_l}"
        out(
            f"{label:<22}{queries:>10}{t_s:>10.2f}{t_l:>10.2f}{t_s / base_small:>10.0f}"
            f"{t_l / base_large:>10.0f}{t_l / t_s:>7.2f}\n"
        )


if __name__ == "__main__":
    main()
