"""Loads the shipped programmes and audience categories (missing ones only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "catalogues.json"


def load_catalogues(programme_model: Any, audience_model: Any) -> None:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for model, rows in ((programme_model, data["programmes"]), (audience_model, data["audiences"])):
        for position, (code, kk, ru, en) in enumerate(rows, start=1):
            model.objects.get_or_create(
                code=code,
                defaults={
                    "name": kk,
                    "name_kk": kk,
                    "name_ru": ru,
                    "name_en": en,
                    "position": position * 10,
                },
            )
