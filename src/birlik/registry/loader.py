"""Loads the shipped catalogues: kinds of body with their hierarchy rules, and ethnic groups."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_kinds(kind_model: Any) -> int:
    """Create the kinds that are missing; kinds an admin already edited are left as they are."""
    items = json.loads((DATA_DIR / "kinds.json").read_text(encoding="utf-8"))
    by_code = {}
    for item in items:
        defaults = {key: value for key, value in item.items() if key not in {"code", "parents"}}
        defaults["name"] = item["name_kk"]
        defaults["name_plural"] = item["name_plural_kk"]
        kind, created = kind_model.objects.get_or_create(code=item["code"], defaults=defaults)
        by_code[item["code"]] = (kind, created)
    for item in items:
        kind, created = by_code[item["code"]]
        if created:
            kind.allowed_parents.set([by_code[code][0] for code in item["parents"]])
    return len(items)


def load_ethnic_groups(group_model: Any) -> int:
    with (DATA_DIR / "ethnic_groups.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for position, row in enumerate(rows, start=1):
        group_model.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name_kk"],
                "name_kk": row["name_kk"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
                "population_2021": int(row["population_2021"]) if row["population_2021"] else None,
                "position": position * 10,
            },
        )
    return len(rows)
