"""Loads regions and districts from the CSV files shipped in ``geo/data`` (idempotent)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_territory(region_model: Any, district_model: Any) -> tuple[int, int]:
    """Create or update every region and district; works with historical models too."""
    regions = {}
    for row in read_rows("regions.csv"):
        region, _ = region_model.objects.update_or_create(
            kato=row["kato"],
            defaults={
                "iso": row["iso"],
                "kind": row["kind"],
                "name": row["name_kk"],
                "name_kk": row["name_kk"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
                "centre": row["centre_kk"],
                "centre_kk": row["centre_kk"],
                "centre_ru": row["centre_ru"],
                "centre_en": row["centre_en"],
            },
        )
        regions[row["iso"]] = region
    count = 0
    for row in read_rows("districts.csv"):
        district_model.objects.update_or_create(
            kato=row["kato"],
            defaults={
                "region": regions[row["region_iso"]],
                "kind": row["kind"],
                "name": row["name_kk"],
                "name_kk": row["name_kk"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
            },
        )
        count += 1
    return len(regions), count
