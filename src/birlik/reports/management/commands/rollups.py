"""``birlik rollups``: the rollup tables the figures read, rebuilt from the records or checked
against a recount.

    birlik rollups --rebuild   # every rollup again from the records (after a bulk load)
    birlik rollups --check     # exit 1 when a rollup differs from its recount

Both run in the database (``INSERT … SELECT``, ``EXCEPT``): rows never pass through Python.
It lives in ``reports`` because it composes the rollups of several apps (events, appeals).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from birlik.appeals import rollups as appeal_rollups
from birlik.core.kpi import RollupPart
from birlik.events import services as event_services
from birlik.events.models import EventFiguresBuilt


def parts() -> list[tuple[str, bool, list[RollupPart]]]:
    """Each app's rollups: (app, built, parts)."""
    return [
        ("events", EventFiguresBuilt.objects.exists(), event_services.event_rollup_parts()),
        ("appeals", appeal_rollups.rollup_built(), appeal_rollups.appeal_rollup_parts()),
    ]


def rebuild(say: Any) -> None:
    """Every rollup built again from the records."""
    began = time.perf_counter()
    event_services.event_figures_rebuild(progress=say)
    say(f"events rollups rebuilt in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    appeal_rollups.appeal_figures_rebuild(progress=say)
    say(f"appeals rollup rebuilt in {time.perf_counter() - began:.1f} s")


def check(say: Any) -> int:
    """Rows that differ between each built rollup and its recount (0: all in step)."""
    differing = 0
    for app, built, app_parts in parts():
        if not built:
            say(f"{app}: not built, the figures count the records")
            continue
        for part in app_parts:
            began = time.perf_counter()
            found = part.differences()
            differing += found
            state = "ok" if not found else f"{found} rows differ"
            say(f"{part.label}: {state} ({time.perf_counter() - began:.1f} s)")
    return differing


class Command(BaseCommand):
    help = "Rebuild the rollup tables of the figures from the records, or check them."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--rebuild", action="store_true", help="build every rollup again")
        group.add_argument(
            "--check", action="store_true", help="compare with a recount; exit 1 on a difference"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        def say(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        if options["rebuild"]:
            rebuild(say)
            return
        differing = check(say)
        if differing:
            raise CommandError(
                f"{differing} rows of the rollups differ from the records: "
                "run `birlik rollups --rebuild`."
            )
        say("every rollup is in step with the records")
