"""Questionnaires, surveys and responses for the surveys tests, made straight in the database.

``make_version(organisation, [spec, ...])`` builds a questionnaire version from short specs:
``("Q1", "single", {"options": ["1", "2"], "required": True, "show_if": {...}, "role": ""})``.
Option codes double as their labels (in kk/ru/en: "<code> kk" etc.). ``trust_version`` makes
the standard questionnaire: demographics and the five trust items of ``trust_index``.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.utils import timezone

from birlik.geo.models import Region
from birlik.registry.models import EthnicGroup, Organisation
from birlik.surveys import trust_index
from birlik.surveys.models import (
    AgeGroup,
    Mode,
    Option,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    SettlementType,
    Sex,
    Survey,
    new_client_uuid,
)

_numbers = itertools.count(1)

Spec = tuple[str, str, dict[str, Any]]


def _texts(field: str, text: str) -> dict[str, str]:
    return {f"{field}_kk": f"{text} (kk)", f"{field}_ru": f"{text} (ru)", f"{field}_en": text}


def make_version(
    organisation: Organisation,
    specs: list[Spec],
    *,
    launched: bool = True,
    questionnaire: Questionnaire | None = None,
) -> QuestionnaireVersion:
    n = next(_numbers)
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(
            organisation=organisation, code=f"q{n}", **_texts("title", f"Questionnaire {n}")
        )
    number = questionnaire.versions.count() + 1
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=number,
        status=QuestionnaireVersion.Status.LAUNCHED
        if launched
        else QuestionnaireVersion.Status.DRAFT,
        launched_at=timezone.now() if launched else None,
        **_texts("consent", "I agree to answer anonymously"),
    )
    for order, (code, kind, extra) in enumerate(specs, start=1):
        extra = dict(extra)
        options = extra.pop("options", [])
        rows = extra.pop("rows", [])
        question = Question.objects.create(
            version=version,
            code=code,
            kind=kind,
            order=order,
            **_texts("text", extra.pop("text", f"Question {code}")),
            **extra,
        )
        for position, option in enumerate(options, start=1):
            Option.objects.create(
                question=question, code=str(option), order=position, **_texts("label", str(option))
            )
        for position, row in enumerate(rows, start=1):
            Option.objects.create(
                question=question,
                kind=Option.Kind.ROW,
                code=str(row),
                order=position,
                **_texts("label", str(row)),
            )
    return version


def demographic_specs() -> list[Spec]:
    regions = list(Region.objects.values_list("iso", flat=True))
    groups = list(EthnicGroup.objects.values_list("code", flat=True)) or ["kazakh", "russian"]
    return [
        ("D_REGION", "single", {"options": regions, "required": True, "role": "region"}),
        (
            "D_SETTLEMENT",
            "single",
            {"options": list(SettlementType.values), "role": "settlement_type"},
        ),
        ("D_SEX", "single", {"options": list(Sex.values), "required": True, "role": "sex"}),
        (
            "D_AGE",
            "single",
            {"options": list(AgeGroup.values), "required": True, "role": "age_group"},
        ),
        ("D_ETHNIC", "single", {"options": groups, "role": "ethnic_group"}),
        ("D_LANG", "single", {"options": ["kk", "ru", "other"], "role": "home_language"}),
    ]


def trust_specs() -> list[Spec]:
    return [
        (
            item.code,
            "scale",
            {
                "scale_min": trust_index.SCALE_MIN,
                "scale_max": trust_index.SCALE_MAX,
                "options": list(trust_index.MISSING),
                "required": True,
            },
        )
        for item in trust_index.ITEMS
    ]


def trust_version(organisation: Organisation) -> QuestionnaireVersion:
    return make_version(organisation, demographic_specs() + trust_specs())


def make_survey(
    version: QuestionnaireVersion, organisation: Organisation | None = None, **fields: Any
) -> Survey:
    n = next(_numbers)
    values: dict[str, Any] = {
        "version": version,
        "organisation": organisation or version.questionnaire.organisation,
        "slug": f"survey-{n}",
        "year": 2026,
        "wave": 1,
        "modes": [m.value for m in Mode],
        "status": Survey.Status.FIELDWORK,
        **_texts("title", f"Survey {n}"),
    }
    values.update(fields)
    return Survey.objects.create(**values)


def make_response(survey: Survey, answers: dict[str, Any], **fields: Any) -> Response:
    """A stored response (no checks: the services' tests make theirs through the services)."""
    values: dict[str, Any] = {
        "survey": survey,
        "version": survey.version,
        "client_uuid": new_client_uuid(),
        "content_hash": "-",
        "mode": Mode.WEB,
        "language": "kk",
        "answers": answers,
    }
    values.update(fields)
    return Response.objects.create(**values)
