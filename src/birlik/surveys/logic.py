"""Skip logic: when a question is shown. The one authoritative evaluator — the server drops
answers to hidden questions and requires only visible required ones; the phone's
``static/birlik/surveys/logic.js`` mirrors it and both run ``tests/surveys/logic_cases.json``.

A condition (``Question.show_if``) is a small JSON tree over earlier questions only:

- ``{"all": [c, ...]}`` — every condition holds (an empty list holds);
- ``{"any": [c, ...]}`` — at least one holds (an empty list does not);
- ``{"not": c}``;
- ``{"q": "Q3", "op": "eq" | "ne" | "in" | "gte" | "lte" | "answered", "v": value}``.

``eq``/``ne``/``in`` compare answers as text (an option code, or a number written as text), so
``3`` and ``"3"`` are equal; for a multiple choice ``eq`` and ``in`` hold when any chosen option
matches. ``gte``/``lte`` compare numbers and fail on a missing or non-numeric answer. A
question that is hidden counts as unanswered for the questions after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from django.utils.translation import gettext as _

from birlik.core.errors import DomainError

OPERATORS = ("eq", "ne", "in", "gte", "lte", "answered")
MAX_DEPTH = 8


class HasCondition(Protocol):
    code: str
    show_if: Any


def _answered(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, (list, tuple, dict)):
        return len(value) > 0
    return True


def _texts(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [_text(v) for v in value]
    return [_text(value)]


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, (bool, list, tuple, dict)):
        return None
    try:
        return float(str(value).replace(",", "."))
    except ValueError:
        return None


def evaluate(condition: Any, answers: Mapping[str, Any]) -> bool:
    """Whether ``condition`` holds for ``answers`` (None or ``{}`` always holds)."""
    if not condition:
        return True
    if not isinstance(condition, Mapping):
        return False
    if "all" in condition:
        return all(evaluate(c, answers) for c in condition["all"] or [])
    if "any" in condition:
        return any(evaluate(c, answers) for c in condition["any"] or [])
    if "not" in condition:
        return not evaluate(condition["not"], answers)
    value = answers.get(str(condition.get("q", "")))
    op = condition.get("op", "eq")
    target = condition.get("v")
    if op == "answered":
        return _answered(value)
    if not _answered(value):
        return False
    if op in ("eq", "ne"):
        hit = _text(target) in _texts(value)
        return hit if op == "eq" else not hit
    if op == "in":
        wanted = {_text(t) for t in (target if isinstance(target, (list, tuple)) else [target])}
        return bool(wanted & set(_texts(value)))
    number, bound = _number(value), _number(target)
    if number is None or bound is None:
        return False
    return number >= bound if op == "gte" else number <= bound


def visible_codes(questions: Iterable[HasCondition], answers: Mapping[str, Any]) -> list[str]:
    """The codes of the questions shown, in order; a hidden question's answer is ignored by the
    conditions after it."""
    seen: dict[str, Any] = {}
    shown: list[str] = []
    for question in questions:
        if evaluate(question.show_if, seen):
            shown.append(question.code)
            if question.code in answers:
                seen[question.code] = answers[question.code]
    return shown


def referenced(condition: Any, depth: int = 0) -> list[str]:
    """The question codes a condition reads; refuses a malformed tree."""
    if depth > MAX_DEPTH:
        raise DomainError(_("The condition is nested too deeply."))
    if not condition:
        return []
    if not isinstance(condition, Mapping):
        raise DomainError(_("The condition is not understood."))
    for key in ("all", "any"):
        if key in condition:
            parts = condition[key]
            if not isinstance(parts, list):
                raise DomainError(_("The condition is not understood."))
            return [code for part in parts for code in referenced(part, depth + 1)]
    if "not" in condition:
        return referenced(condition["not"], depth + 1)
    code = condition.get("q")
    if not isinstance(code, str) or not code:
        raise DomainError(_("The condition does not name a question."))
    if condition.get("op", "eq") not in OPERATORS:
        raise DomainError(_("The condition's comparison is not understood."))
    return [code]


def check_condition(condition: Any, earlier: Sequence[str]) -> None:
    """A condition may read only questions that come before it (no forward reference, so no
    cycle); raises ``DomainError`` naming the first code that breaks the rule."""
    for code in referenced(condition):
        if code not in earlier:
            raise DomainError(
                _("The condition reads question %(code)s, which does not come before it.")
                % {"code": code}
            )
