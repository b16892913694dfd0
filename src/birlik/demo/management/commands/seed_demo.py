"""``birlik seed_demo [--scale 0.1] [--seed N]``: create the national demo network once."""

from __future__ import annotations

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from birlik.demo.plan import REFERENCE_DATE
from birlik.demo.services import DEMO_LOGINS, DEMO_PASSWORD, MAX_SCALE, DemoError, demo_seed


def _scale(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a number (try 1 or 0.1)") from None
    if not 0 < value <= MAX_SCALE:
        raise argparse.ArgumentTypeError(
            f"{raw} is out of range: give a number greater than 0 and at most {MAX_SCALE:g}"
        )
    return value


def _seed(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{raw!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the seed must be 0 or a positive whole number")
    return value


class Command(BaseCommand):
    help = (
        "Create the deterministic national demo network (bodies, people, terms, demo logins) "
        "and its activity (events of last year and of this year to date) unless the registry "
        "already holds data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=_scale,
            default=1.0,
            help="share of the national scale, e.g. 0.1 for a tenth (default 1)",
        )
        parser.add_argument(
            "--seed", type=_seed, default=2025, help="random seed; same seed, same data"
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="do not draw the progress bar"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from birlik.events.models import Event, Registration
        from birlik.registry.models import Membership, Organisation, Person

        started = time.perf_counter()
        try:
            created = demo_seed(
                progress=not options["no_progress"], scale=options["scale"], seed=options["seed"]
            )
        except DemoError as error:
            raise CommandError(str(error.message)) from error
        elapsed = time.perf_counter() - started
        if not created:
            self.stdout.write(
                "The registry already holds data: nothing was created (running it again never "
                "duplicates the demo network)."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the demo network in {elapsed:.1f} s (scale {options['scale']:g}, "
                f"seed {options['seed']}, dates up to {REFERENCE_DATE:%Y-%m-%d}): "
                f"{Organisation.objects.count()} bodies, {Person.objects.count()} people, "
                f"{Membership.objects.count()} memberships, {Event.objects.count()} events, "
                f"{Registration.objects.count()} registrations."
            )
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, description in DEMO_LOGINS:
            self.stdout.write(f"  {username:<22} {description}")
