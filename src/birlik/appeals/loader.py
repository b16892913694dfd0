"""Loads the catalogue of state bodies (ministries, akimats, maslikhats) shipped in data/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "state_bodies.json"


def load_state_bodies(state_body_model: Any, region_model: Any, district_model: Any) -> int:
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    regions = {r.iso: r for r in region_model.objects.all()}
    districts = {d.kato: d for d in district_model.objects.all()}
    for row in rows:
        state_body_model.objects.get_or_create(
            code=row["code"],
            defaults={
                "kind": row["kind"],
                "name": row["name_kk"],
                "name_kk": row["name_kk"],
                "name_ru": row["name_ru"],
                "name_en": row["name_en"],
                "region": regions.get(row["region"]) if row["region"] else None,
                "district": districts.get(row["district"]) if row["district"] else None,
            },
        )
    return len(rows)
