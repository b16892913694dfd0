"""``birlik opendata``: generate the open data release now (the worker does it once a day)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat

from birlik.reports.documents.services import documents_dir, opendata_generate


class Command(BaseCommand):
    help = "Generate the open data release now: every dataset as CSV and JSON, the data "
    "dictionary and a ZIP of all, under the data directory."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="print nothing but errors")

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["quiet"]

        def say(message: str) -> None:
            if not quiet:
                self.stdout.write(f"  {message}")

        release = opendata_generate(progress=say)
        if quiet:
            return
        folder = documents_dir() / "open-data" / release.directory
        self.stdout.write(
            self.style.SUCCESS(
                f"Open data release {release.directory} written to {folder} "
                f"in {release.duration_ms / 1000:.1f} s:"
            )
        )
        for item in release.files:
            rows = "" if item.get("rows") is None else f"{item['rows']:>9} rows  "
            self.stdout.write(f"  {item['name']:<32} {rows}{filesizeformat(item['size']):>10}")
