"""The kinds of import: what each reads, who may run it, how its rows are checked and written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from birlik.core.spreadsheets import FieldSpec

from . import bodies, events, members
from . import fields as catalogue
from .rows import Context, RowPlan


@dataclass(frozen=True)
class ImportKind:
    code: str
    label: Any
    fields: tuple[FieldSpec, ...]
    permission: str
    plan: Callable[[Context, list[tuple[int, dict[str, str]]]], list[RowPlan]]
    apply: Callable[[Context, list[Any]], Any]
    missing: Callable[[set[str], dict[str, str]], list[Any]]
    # Fields a value may be given for every row in the column step (the file lacks them).
    defaults: tuple[str, ...] = ()


KINDS: dict[str, ImportKind] = {
    catalogue.MEMBERS: ImportKind(
        code=catalogue.MEMBERS,
        label=catalogue.KIND_LABELS[catalogue.MEMBERS],
        fields=catalogue.MEMBER_FIELDS,
        permission="registry.import",
        plan=members.plan,
        apply=members.apply,
        missing=members.missing,
        defaults=("role", "start_date", "consent_date"),
    ),
    catalogue.BODIES: ImportKind(
        code=catalogue.BODIES,
        label=catalogue.KIND_LABELS[catalogue.BODIES],
        fields=catalogue.BODY_FIELDS,
        permission="registry.import",
        plan=bodies.plan,
        apply=bodies.apply,
        missing=bodies.missing,
        defaults=("kind", "region"),
    ),
    catalogue.EVENTS: ImportKind(
        code=catalogue.EVENTS,
        label=catalogue.KIND_LABELS[catalogue.EVENTS],
        fields=catalogue.EVENT_FIELDS,
        permission="registry.import",
        plan=events.plan_events,
        apply=events.apply_events,
        missing=events.missing_events,
        defaults=("kind", "programme"),
    ),
    catalogue.HISTORY: ImportKind(
        code=catalogue.HISTORY,
        label=catalogue.KIND_LABELS[catalogue.HISTORY],
        fields=catalogue.HISTORY_FIELDS,
        permission="registry.import",
        plan=events.plan_history,
        apply=events.apply_history,
        missing=events.missing_history,
        defaults=("year", "programme"),
    ),
}
