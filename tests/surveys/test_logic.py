"""The skip-logic evaluator (surveys/logic.py) on the shared cases; the browser test runs the
same file on the phone's port (static/birlik/surveys/logic.js)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import translation

from birlik.core.errors import DomainError
from birlik.surveys import logic

CASES = json.loads((Path(__file__).with_name("logic_cases.json")).read_text(encoding="utf-8"))


def _ids(cases: list[dict[str, Any]]) -> list[str]:
    return [case["name"] for case in cases]


def test_the_cases_cover_every_operator_and_combinator():
    seen: set[str] = set()

    def walk(condition: Any) -> None:
        if isinstance(condition, dict):
            for key in ("all", "any"):
                if key in condition:
                    seen.add(key)
                    for part in condition[key]:
                        walk(part)
                    return
            if "not" in condition:
                seen.add("not")
                walk(condition["not"])
                return
            if "q" in condition:
                seen.add(condition.get("op", "eq"))

    for case in CASES["evaluate"]:
        walk(case["condition"])
    for case in CASES["visible"]:
        for question in case["questions"]:
            walk(question["show_if"])
    assert set(logic.OPERATORS) | {"all", "any", "not"} <= seen
    assert len(CASES["evaluate"]) + len(CASES["visible"]) >= 25
    assert len({case["name"] for case in CASES["evaluate"] + CASES["visible"]}) == len(
        CASES["evaluate"]
    ) + len(CASES["visible"])


@pytest.mark.parametrize("case", CASES["evaluate"], ids=_ids(CASES["evaluate"]))
def test_evaluate(case: dict[str, Any]):
    assert logic.evaluate(case["condition"], case["answers"]) is case["expected"]


@pytest.mark.parametrize("case", CASES["visible"], ids=_ids(CASES["visible"]))
def test_visible_codes(case: dict[str, Any]):
    questions = [SimpleNamespace(**question) for question in case["questions"]]
    assert logic.visible_codes(questions, case["answers"]) == case["expected"]


def test_a_condition_may_read_only_earlier_questions():
    logic.check_condition({"all": [{"q": "Q1", "v": "1"}, {"not": {"q": "Q2"}}]}, ["Q1", "Q2"])
    with translation.override("en"), pytest.raises(DomainError) as refused:
        logic.check_condition({"any": [{"q": "Q1", "v": "1"}, {"q": "Q5", "v": "1"}]}, ["Q1"])
    assert "Q5" in str(refused.value.message)


@pytest.mark.parametrize(
    "condition",
    [
        {"all": {"q": "Q1"}},
        {"q": "", "op": "eq"},
        {"q": "Q1", "op": "between"},
        ["Q1"],
        "nested too deeply",
    ],
)
def test_a_malformed_condition_is_refused(condition: Any):
    if condition == "nested too deeply":
        condition = {"q": "Q1", "op": "answered"}
        for _level in range(logic.MAX_DEPTH + 1):
            condition = {"not": condition}
    with pytest.raises(DomainError):
        logic.check_condition(condition, ["Q1"])
