"""Exports of a survey's responses and of a questionnaire's codebook, for staff holding
``surveys.export`` (the views check the permission and audit each download).

* ``responses_csv`` — UTF-8 with a byte-order mark (Excel opens it as UTF-8), one row per
  response not excluded, codes as values, the weight of the current run; open text only with
  ``include_text=True``;
* ``responses_sav`` — SPSS by pyreadstat: question texts as variable labels and option labels
  as value labels in the chosen language, "don't know" (88) and "refusal" (99) declared
  user-missing, the weight variable;
* ``codebook_xlsx`` — every question's code, texts in kk/ru/en, kind, options with their labels,
  the skip condition in words (and as JSON), whether it is required, the version.

Variables: demographic columns of the response first (region as ISO code, district as KATO
code, …), then one variable per question in order; a multiple choice becomes one 0/1 variable
per option (``<code>.<option>``), a matrix one variable per row (``<code>.<row>``); then the
trust index score when the survey measures it, then the weight. In SPSS every name is made
valid: letters, digits and underscores (dots become underscores), starting with a letter, at
most 64 characters, unique regardless of case, never a reserved word.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from birlik.core import spreadsheets

from .models import Option, Question, QuestionnaireVersion, Response

if TYPE_CHECKING:
    from .models import Survey

LANGUAGES = ("kk", "ru", "en")
MISSING = tuple(int(code) for code in Option.MISSING_CODES)  # 88, 99
MISSING_OUTSIDE = (9988, 9999)  # when 88 or 99 lie on the question's own scale
SPSS_RESERVED = frozenset(
    {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}
)
SPSS_NAME_LENGTH = 64
DEMOGRAPHICS = (
    "region",
    "district",
    "settlement_type",
    "sex",
    "age_group",
    "ethnic_group",
    "home_language",
)


@dataclass
class Column:
    """One exported variable."""

    name: str  # question code, "<code>.<option>", "<code>.<row>" or a response field
    label: str  # variable label in the chosen language
    kind: str  # "string" | "number" | "flag" | "date"
    value_labels: dict[Any, str] = field(default_factory=dict)
    missing: tuple[float, ...] = ()
    measure: str = "nominal"  # nominal | ordinal | scale
    read: Any = None  # function(response values) → the cell value


def _verbose(name: str) -> str:
    """A response field's name in the active language."""
    return str(getattr(Response._meta.get_field(name), "verbose_name", name))


def _text(obj: Any, name: str, language: str) -> str:
    return str(getattr(obj, f"{name}_{language}", None) or getattr(obj, name, "") or "")


def _version_questions(version: QuestionnaireVersion) -> list[Question]:
    return list(
        Question.objects.filter(version=version).prefetch_related("options").order_by("order", "id")
    )


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _missing_codes(question: Question) -> dict[str, int]:
    """Missing option codes → the number they are stored as in SPSS."""
    codes = [o.code for o in question.options.all() if o.code in Option.MISSING_CODES]
    low = question.scale_min if question.scale_min is not None else None
    high = question.scale_max if question.scale_max is not None else None
    clash = low is not None and high is not None and any(low <= m <= high for m in MISSING)
    return {
        code: (MISSING_OUTSIDE if clash else MISSING)[Option.MISSING_CODES.index(code)]
        for code in codes
    }


def columns_of(survey: Survey, language: str, *, include_text: bool = False) -> list[Column]:
    """The exported variables of the survey's version, labelled in ``language``."""
    language = language if language in LANGUAGES else LANGUAGES[0]
    with translation.override(language):
        columns: list[Column] = [
            Column("id", _("number of the response"), "number", measure="scale"),
            Column("mode", _verbose("mode"), "string"),
            Column("language", _verbose("language"), "string"),
            Column(
                "submitted_on",
                _verbose("submitted_on"),
                "date",
                measure="scale",
            ),
        ]
        demographic_labels = {name: _verbose(name) for name in DEMOGRAPHICS}
        chosen = pgettext("survey export", "chosen")
        not_chosen = pgettext("survey export", "not chosen")
        index_label = _("interethnic trust index (0–100)")
        weight_label = pgettext("survey export", "weight")
    for name in DEMOGRAPHICS:
        columns.append(Column(name, demographic_labels[name], "string"))
    for question in _version_questions(survey.version):
        text = _text(question, "text", language)
        options = list(question.options.all())
        choices = [o for o in options if o.kind == Option.Kind.CHOICE]
        kind = question.kind
        if kind == Question.Kind.TEXT:
            if include_text:
                columns.append(Column(question.code, text, "string", read=_plain(question.code)))
            continue
        if kind == Question.Kind.MULTIPLE:
            for option in choices:
                if option.code in Option.MISSING_CODES:
                    continue
                columns.append(
                    Column(
                        f"{question.code}.{option.code}",
                        f"{text}: {_text(option, 'label', language)}",
                        "flag",
                        value_labels={0: not_chosen, 1: chosen},
                        read=_flag(question.code, option.code),
                    )
                )
            continue
        missing = _missing_codes(question)
        labels_of_missing = {
            missing[o.code]: _text(o, "label", language) for o in choices if o.code in missing
        }
        if kind == Question.Kind.MATRIX:
            scale_labels = _end_labels(question, language)
            scale_labels.update(labels_of_missing)
            for row in (o for o in options if o.kind == Option.Kind.ROW):
                columns.append(
                    Column(
                        f"{question.code}.{row.code}",
                        f"{text}: {_text(row, 'label', language)}",
                        "number",
                        value_labels=scale_labels,
                        missing=tuple(sorted(missing.values())),
                        measure="ordinal",
                        read=_scale(question.code, missing, row.code),
                    )
                )
            continue
        if kind == Question.Kind.SCALE:
            labels = _end_labels(question, language)
            labels.update(labels_of_missing)
            columns.append(
                Column(
                    question.code,
                    text,
                    "number",
                    value_labels=labels,
                    missing=tuple(sorted(missing.values())),
                    measure="scale",
                    read=_scale(question.code, missing),
                )
            )
        elif kind == Question.Kind.NUMBER:
            columns.append(Column(question.code, text, "number", measure="scale"))
        else:  # single choice
            numeric = all(re.fullmatch(r"-?\d{1,9}", o.code) for o in choices)
            labels = {
                (int(o.code) if numeric else o.code): _text(o, "label", language) for o in choices
            }
            columns.append(
                Column(
                    question.code,
                    text,
                    "number" if numeric else "string",
                    value_labels=labels,
                    missing=tuple(sorted(int(c) for c in missing)) if numeric else (),
                    read=_plain(question.code),
                )
            )
    if survey.is_trust_index:
        columns.append(Column("TRUST_INDEX", index_label, "number", measure="scale"))
    columns.append(Column("weight", weight_label, "number", measure="scale"))
    return columns


def _end_labels(question: Question, language: str) -> dict[Any, str]:
    labels: dict[Any, str] = {}
    if question.scale_min is not None and _text(question, "label_min", language):
        labels[question.scale_min] = _text(question, "label_min", language)
    if question.scale_max is not None and _text(question, "label_max", language):
        labels[question.scale_max] = _text(question, "label_max", language)
    return labels


def _plain(code: str) -> Any:
    return lambda answers: answers.get(code)


def _flag(code: str, option: str) -> Any:
    def read(answers: dict[str, Any]) -> Any:
        value = answers.get(code)
        if not isinstance(value, list):
            return None
        return 1 if option in value else 0

    return read


def _scale(code: str, missing: dict[str, int], row: str = "") -> Any:
    def read(answers: dict[str, Any]) -> Any:
        value = answers.get(code)
        if row:
            value = value.get(row) if isinstance(value, dict) else None
        if isinstance(value, str) and value in missing:
            return missing[value]
        return value

    return read


def _rows(survey: Survey) -> Iterable[dict[str, Any]]:
    """Each response not excluded, in id order, as the values the columns read."""
    from birlik.geo.models import District, Region
    from birlik.registry.models import EthnicGroup

    regions = dict(Region.objects.values_list("pk", "iso"))
    districts = dict(District.objects.values_list("pk", "kato"))
    groups = dict(EthnicGroup.objects.values_list("pk", "code"))
    fields = (
        "pk",
        "mode",
        "language",
        "submitted_on",
        "region_id",
        "district_id",
        "settlement_type",
        "sex",
        "age_group",
        "ethnic_group_id",
        "home_language",
        "weight",
        "answers",
    )
    queryset = (
        Response.objects.filter(survey=survey, excluded=False).order_by("pk").values_list(*fields)
    )
    for row in queryset.iterator(chunk_size=2000):
        values = dict(zip(fields, row, strict=True))
        answers = values["answers"] if isinstance(values["answers"], dict) else {}
        yield {
            "id": values["pk"],
            "mode": values["mode"],
            "language": values["language"],
            "submitted_on": values["submitted_on"],
            "region": regions.get(values["region_id"], ""),
            "district": districts.get(values["district_id"], ""),
            "settlement_type": values["settlement_type"],
            "sex": values["sex"],
            "age_group": values["age_group"],
            "ethnic_group": groups.get(values["ethnic_group_id"], ""),
            "home_language": values["home_language"],
            "weight": values["weight"],
            "answers": answers,
        }


def _cell(column: Column, row: dict[str, Any]) -> Any:
    if column.name == "TRUST_INDEX":
        from . import trust_index

        return trust_index.score(row["answers"])
    if column.read is None:
        if column.name in row:
            return row[column.name]
        return row["answers"].get(column.name)
    return column.read(row["answers"])


def responses_csv(survey: Survey, language: str, *, include_text: bool = False) -> bytes:
    """The responses as CSV (UTF-8 with BOM): a header of variable names, codes as values (the
    codebook gives their texts; ``language`` is taken for the same call as ``responses_sav``)."""
    columns = columns_of(survey, language, include_text=include_text)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    for row in _rows(survey):
        cells = []
        for column in columns:
            value = _cell(column, row)
            if value is None:
                cells.append("")
            elif isinstance(value, float) and value.is_integer() and column.name != "weight":
                cells.append(str(int(value)))
            elif isinstance(value, (list, dict)):
                cells.append(json.dumps(value, ensure_ascii=False))
            else:
                cells.append(value if isinstance(value, str) else str(value))
        writer.writerow(spreadsheets.safe_row(cells))
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def spss_names(names: Iterable[str]) -> list[str]:
    """Valid, unique SPSS variable names for ``names`` (same order)."""
    used: set[str] = set()
    out: list[str] = []
    for original in names:
        name = re.sub(r"[^A-Za-z0-9_]", "_", original)
        if not name or not name[0].isalpha():
            name = "v_" + name
        name = name.rstrip("_") or "v"
        if name.upper() in SPSS_RESERVED:
            name += "_"
        name = name[:SPSS_NAME_LENGTH]
        candidate, number = name, 1
        while candidate.upper() in used:
            number += 1
            suffix = f"_{number}"
            candidate = name[: SPSS_NAME_LENGTH - len(suffix)] + suffix
        used.add(candidate.upper())
        out.append(candidate)
    return out


def responses_sav(survey: Survey, language: str, *, include_text: bool = False) -> bytes:
    """The responses as an SPSS ``.sav`` file labelled in ``language``."""
    import pandas as pd
    import pyreadstat

    columns = columns_of(survey, language, include_text=include_text)
    names = spss_names(c.name for c in columns)
    data: dict[str, list[Any]] = {name: [] for name in names}
    for row in _rows(survey):
        for name, column in zip(names, columns, strict=True):
            value = _cell(column, row)
            if column.kind in ("number", "flag"):
                value = _as_number(value)
            elif column.kind == "string":
                value = "" if value is None else str(value)
            data[name].append(value)
    frame = pd.DataFrame(data, columns=names)
    for name, column in zip(names, columns, strict=True):
        if column.kind in ("number", "flag"):
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
        elif column.kind == "string":
            frame[name] = frame[name].astype(object)
    labels: dict[str, str | None] = {
        name: column.label[:250] for name, column in zip(names, columns, strict=True)
    }
    value_labels: dict[str, Any] = {
        name: {
            (float(k) if column.kind in ("number", "flag") else str(k)): v[:120]
            for k, v in column.value_labels.items()
        }
        for name, column in zip(names, columns, strict=True)
        if column.value_labels
    }
    missing: dict[str, list[Any]] = {
        name: [float(v) for v in column.missing]
        for name, column in zip(names, columns, strict=True)
        if column.missing
    }
    measures = {name: column.measure for name, column in zip(names, columns, strict=True)}
    handle, path = tempfile.mkstemp(suffix=".sav")
    os.close(handle)
    try:
        pyreadstat.write_sav(
            frame,
            path,
            column_labels=labels,
            variable_value_labels=value_labels,
            missing_ranges=missing,
            variable_measure=measures,
        )
        with open(path, "rb") as stored:
            return stored.read()
    finally:
        os.unlink(path)


def codebook_xlsx(version: QuestionnaireVersion) -> bytes:
    """The questionnaire's codebook: a sheet of questions and a sheet of options; skip
    conditions in words (``queries.condition_text``, the current language) and as JSON."""
    from .queries import condition_text

    questions = _version_questions(version)
    by_code = {question.code: question for question in questions}
    book = spreadsheets.Book()
    sheet = book.sheet(pgettext("codebook", "Questions"))
    sheet.append(
        [
            pgettext("codebook", "code"),
            _("question (Kazakh)"),
            _("question (Russian)"),
            _("question (English)"),
            pgettext("codebook", "kind of question"),
            _("required"),
            pgettext("codebook", "scale from"),
            pgettext("codebook", "scale to"),
            pgettext("codebook", "options"),
            pgettext("codebook", "shown when"),
            pgettext("codebook", "shown when (JSON)"),
            pgettext("codebook", "demographic role"),
            pgettext("codebook", "version"),
        ]
    )
    for question in questions:
        options = "\n".join(
            f"{o.code} = " + " / ".join(_text(o, "label", lang) for lang in LANGUAGES)
            for o in question.options.all()
        )
        sheet.append(
            [
                question.code,
                _text(question, "text", "kk"),
                _text(question, "text", "ru"),
                _text(question, "text", "en"),
                str(question.get_kind_display()),
                _("yes") if question.required else _("no"),
                question.scale_min,
                question.scale_max,
                options,
                condition_text(question.show_if, by_code),
                json.dumps(question.show_if, ensure_ascii=False) if question.show_if else "",
                str(question.get_role_display()) if question.role else "",
                version.number,
            ]
        )
    options_sheet = book.sheet(pgettext("codebook", "Options"))
    options_sheet.append(
        [
            pgettext("codebook", "question"),
            pgettext("codebook", "code"),
            pgettext("codebook", "matrix row"),
            _("label (Kazakh)"),
            _("label (Russian)"),
            _("label (English)"),
        ]
    )
    for question in questions:
        for option in question.options.all():
            options_sheet.append(
                [
                    question.code,
                    option.code,
                    _("yes") if option.kind == Option.Kind.ROW else "",
                    _text(option, "label", "kk"),
                    _text(option, "label", "ru"),
                    _text(option, "label", "en"),
                ]
            )
    return book.bytes()
