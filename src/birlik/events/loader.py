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


# --- (programmes): what a programme is, its goal, its owner and its partners ----------------


def load_programme_details(
    programme_model: Any, organisation_model: Any = None, state_body_model: Any = None
) -> None:
    """Fill what the shipped catalogue says of each programme where it is still unset: the
    kind (while it is the default), the goal (while empty), the body in charge (the network's
    root, while none) and the partners from the state bodies' catalogue (while it has none).
    What admins changed stays as they left it."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    kinds: dict[str, str] = data.get("programme_kinds", {})
    goals: dict[str, list[str]] = data.get("programme_goals", {})
    root = None
    if organisation_model is not None:
        root = organisation_model.objects.filter(depth=1).order_by("path").first()
    for programme in programme_model.objects.filter(code__in=set(kinds) | set(goals)):
        changed = []
        if programme.kind == "programme" and kinds.get(programme.code, "programme") != "programme":
            programme.kind = kinds[programme.code]
            changed.append("kind")
        goal = goals.get(programme.code)
        if goal and not programme.goal_kk and not programme.goal_ru:
            programme.goal, programme.goal_kk, programme.goal_ru, programme.goal_en = (
                goal[0],
                *goal,
            )
            changed += ["goal", "goal_kk", "goal_ru", "goal_en"]
        if root is not None and programme.owner_id is None:
            programme.owner = root
            changed.append("owner")
        if changed:
            programme.save(update_fields=changed)
    if state_body_model is None:
        return
    partner_model = programme_model._meta.get_field("partners").related_model
    for code, body_code, kk, ru, en in data.get("programme_partners", []):
        programme = programme_model.objects.filter(code=code).first()
        body = state_body_model.objects.filter(code=body_code).first()
        if (
            programme is None
            or body is None
            or partner_model.objects.filter(programme=programme).exists()
        ):
            continue
        partner_model.objects.create(
            programme=programme,
            state_body=body,
            role=kk,
            role_kk=kk,
            role_ru=ru,
            role_en=en,
        )
