"""Answers typed into a spreadsheet, imported into a survey: upload → preview → apply.

Staff's files are messy: a title above the table, the columns named by question codes or by
the questions' texts in Kazakh, Russian or English, answers written as option codes or as the
options' labels, CSV files saved by Excel in Windows-1251. ``core.spreadsheets`` finds the
table and reads the cells; this module turns each row into raw answers and checks it with
``services.response_check`` — the same check as the forms, paper entry and the phone's sync.

A row's ``client_uuid`` is ``import:<sha256 of the file>:<line>``, so importing the same file
again adds nothing: its rows are "already imported". New rows are written in batches (one INSERT
of the rows ``services.response_store`` would write one by one); a batch that meets a uuid taken
meanwhile goes through ``response_store`` row by row, which tells "already" from "conflict".

Between the preview and the apply the file is kept private (mode 600) under
``DATA_DIR/survey-imports``, named by a random token; the preview page carries a signed
reference to it (survey, user, file digest), valid for a day.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from birlik.access import policies
from birlik.core import cleaning, ratelimit, spreadsheets, uploads
from birlik.core.errors import DomainError
from birlik.core.spreadsheets import FieldSpec, ImportFileError, header_key

from .models import Mode, Option, Question, Response, Survey

__all__ = [
    "ADD",
    "ALREADY",
    "CHANGED",
    "ERROR",
    "ImportPlan",
    "ImportResult",
    "RowVerdict",
    "answer_fields",
    "import_apply",
    "import_plan",
    "import_refused",
    "import_sweep",
    "import_upload",
]

ADD = "add"
ALREADY = "already"
CHANGED = "changed"  # the uuid is taken by other content (the questionnaire or file changed)
ERROR = "error"

# Rows per file: checked twice (preview, apply) within a request each.
MAX_ROWS = 5_000
BATCH = 500
FILE_TTL = datetime.timedelta(hours=24)
UPLOADS_PER_HOUR = 60
SIGNING_SALT = "birlik.surveys.answer-import"
DATE_KEY = "__date"
DATE_SYNONYMS = (
    "date",
    "date filled in",
    "submitted on",
    "дата",
    "дата заполнения",
    "дата опроса",
    "күні",
    "толтырылған күні",
    "сауалнама күні",
)
LANGUAGES = ("kk", "ru", "en")


@dataclass
class RowVerdict:
    line: int
    status: str  # ADD | ALREADY | CHANGED | ERROR
    errors: list[tuple[str, str]] = field(default_factory=list)  # (question, message)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    """What importing the file would do, row by row (nothing is written)."""

    digest: str
    header_line: int
    rows: list[RowVerdict]
    skipped: list[tuple[int, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    reference: str = ""  # the signed reference of the kept file (import_upload sets it)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def to_add(self) -> int:
        return self.count(ADD)


@dataclass
class ImportResult:
    created: int = 0
    already: int = 0
    changed: int = 0
    rejected: int = 0


@dataclass
class _Row:
    line: int
    raw: dict[str, Any]
    submitted_on: datetime.date | None
    errors: list[tuple[str, str]]
    notes: list[str]


# --- The columns a survey's file may have -------------------------------------------------------


def _texts(obj: Any, name: str) -> list[str]:
    found = []
    for language in LANGUAGES:
        value = str(getattr(obj, f"{name}_{language}", "") or "").strip()
        if value and value not in found:
            found.append(value)
    return found


def _questions(survey: Survey) -> list[Question]:
    version = survey.version
    cached = version.__dict__.get("_birlik_import_questions")
    if cached is None:
        cached = list(version.questions.prefetch_related("options").order_by("order", "id"))
        version.__dict__["_birlik_import_questions"] = cached
    return list(cached)


def _options(question: Question, kind: str = Option.Kind.CHOICE) -> list[Option]:
    return [option for option in question.options.all() if option.kind == kind]


def _question_label(question: Question) -> str:
    return f"{question.code}. {question.text}" if question.text else question.code


def answer_fields(survey: Survey) -> list[FieldSpec]:
    """The columns a file of answers to ``survey`` may hold: one per question (a matrix: one per
    row), named by the code or the question's text in any of the three languages; and the date
    the questionnaire was filled in."""
    specs: list[FieldSpec] = []
    for question in _questions(survey):
        texts = _texts(question, "text")
        kind = "number" if question.kind in (Question.Kind.SCALE, Question.Kind.NUMBER) else "text"
        if question.kind == Question.Kind.MATRIX:
            for row in _options(question, Option.Kind.ROW):
                key = f"{question.code}__{row.code}"
                synonyms = [f"{question.code}.{row.code}", f"{question.code}_{row.code}"]
                for label in _texts(row, "label"):
                    synonyms.append(label)
                    synonyms.extend(f"{text}: {label}" for text in texts)
                specs.append(
                    FieldSpec(
                        key=key,
                        label=f"{_question_label(question)}: {row.label}",
                        synonyms=tuple(synonyms),
                        kind="number",
                    )
                )
            continue
        synonyms = list(texts)
        synonyms.extend(f"{question.code}. {text}" for text in texts)
        specs.append(
            FieldSpec(
                key=question.code,
                label=_question_label(question),
                synonyms=tuple(synonyms),
                kind=kind,
            )
        )
    specs.append(
        FieldSpec(
            key=DATE_KEY,
            label=gettext_lazy("Date filled in"),
            synonyms=DATE_SYNONYMS,
            kind="date",
        )
    )
    return specs


# --- Cells to raw answers -----------------------------------------------------------------------


def _label_index(options: Iterable[Option]) -> dict[str, str]:
    """Option code by the key of its code and of its labels in every language."""
    index: dict[str, str] = {}
    for option in options:
        index.setdefault(header_key(option.code), option.code)
    for option in options:
        for label in _texts(option, "label"):
            index.setdefault(header_key(label), option.code)
    index.pop("", None)
    return index


def _one_code(value: str, codes: list[str], index: Mapping[str, str]) -> str:
    if value in codes:
        return value
    return index.get(header_key(value), value)


def _several_codes(value: str, codes: list[str], index: Mapping[str, str]) -> str:
    whole = _one_code(value.strip(), codes, index)
    if whole in codes:
        return whole
    for separators in ((";", "\n"), (";", "\n", ",")):
        text = value
        for separator in separators[1:]:
            text = text.replace(separator, separators[0])
        parts = [part.strip() for part in text.split(separators[0]) if part.strip()]
        mapped = [_one_code(part, codes, index) for part in parts]
        if all(code in codes for code in mapped):
            return ";".join(mapped)
    return value


def _scale_value(question: Question, value: str, index: Mapping[str, str]) -> str:
    """A point on the scale as written, a missing option's code for its label ("Білмеймін"),
    or an end of the scale for its label."""
    key = header_key(value)
    if key in index:
        return index[key]
    ends = {
        **{header_key(text): question.scale_min for text in _texts(question, "label_min")},
        **{header_key(text): question.scale_max for text in _texts(question, "label_max")},
    }
    found = ends.get(key)
    return str(found) if key and found is not None else value


def _raw_value(question: Question, value: str) -> str:
    choices = _options(question)
    codes = [option.code for option in choices]
    index = question.__dict__.get("_birlik_label_index")
    if index is None:
        index = _label_index(choices)
        question.__dict__["_birlik_label_index"] = index
    if question.kind == Question.Kind.SINGLE:
        return _one_code(value, codes, index)
    if question.kind == Question.Kind.MULTIPLE:
        return _several_codes(value, codes, index)
    if question.kind in (Question.Kind.SCALE, Question.Kind.MATRIX):
        return _scale_value(question, value, index)
    if question.kind == Question.Kind.NUMBER and not _numeric(value):
        return index.get(header_key(value), value)
    return value


def _numeric(value: str) -> bool:
    try:
        float(value.replace(",", ".").replace(" ", ""))
    except ValueError:
        return False
    return True


def _rows(survey: Survey, data: bytes) -> tuple[spreadsheets.Extracted, list[_Row]]:
    questions = {question.code: question for question in _questions(survey)}
    try:
        table = spreadsheets.extract(data, answer_fields(survey), max_rows=MAX_ROWS)
    except ImportFileError as error:
        raise DomainError(error.message, field="file") from error
    rows: list[_Row] = []
    for line, cells in table.rows:
        raw: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        submitted_on = None
        for key, value in cells.items():
            if not value:
                continue
            if key == DATE_KEY:
                try:
                    submitted_on = cleaning.parse_date(value)
                except ValueError:
                    errors.append(
                        (
                            _("Date filled in"),
                            _("“%(value)s” is not a date; write it as 01.03.2026.")
                            % {"value": value[:40]},
                        )
                    )
                continue
            code = key.split("__", 1)[0]
            question = questions.get(code)
            if question is None:
                continue
            raw[key] = _raw_value(question, value)
        if not any(key != DATE_KEY for key in cells if cells[key]):
            continue  # only the date is filled: not an answered questionnaire
        rows.append(_Row(line, raw, submitted_on, errors, list(table.flags.get(line, []))))
    return table, rows


def _uuid(digest: str, line: int) -> str:
    return f"import:{digest}:{line}"


def _existing(uuids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(uuids), 500):
        chunk = uuids[start : start + 500]
        found.update(
            Response.objects.filter(client_uuid__in=chunk).values_list(
                "client_uuid", "content_hash"
            )
        )
    return found


def _checked(survey: Survey, rows: list[_Row], digest: str) -> list[tuple[_Row, Any, str]]:
    """Each row with its checked answers (None when invalid) and its verdict."""
    from . import services

    questions = {question.code: question for question in _questions(survey)}
    existing = _existing([_uuid(digest, row.line) for row in rows])
    result: list[tuple[_Row, Any, str]] = []
    for row in rows:
        checked = None
        try:
            checked = services.response_check(survey.version, row.raw)
        except services.ResponseInvalid as error:
            for code, message in error.errors.items():
                question = questions.get(code)
                row.errors.append((_question_label(question) if question else "", str(message)))
        if row.errors or checked is None:
            result.append((row, None, ERROR))
            continue
        stored = existing.get(_uuid(digest, row.line))
        if stored is None:
            status = ADD
        elif stored == services.response_content_hash(survey.version, checked):
            status = ALREADY
        else:
            status = CHANGED
        result.append((row, checked, status))
    return result


# --- The steps ------------------------------------------------------------------------------------


def import_refused(survey: Survey) -> str:
    """Why answers cannot be imported into the survey now ("" when they can)."""
    if Mode.IMPORT.value not in [str(mode) for mode in survey.modes or []]:
        return _("This survey does not take answers from spreadsheets.")
    if survey.status != Survey.Status.FIELDWORK:
        return _("This survey is not collecting answers now.")
    return ""


def import_plan(survey: Survey, data: bytes) -> ImportPlan:
    """Read the file and check every row; nothing is written."""
    digest = hashlib.sha256(data).hexdigest()
    table, rows = _rows(survey, data)
    verdicts = [
        RowVerdict(line=row.line, status=status, errors=row.errors, notes=row.notes)
        for row, _checked_answers, status in _checked(survey, rows, digest)
    ]
    if not verdicts:
        raise DomainError(
            _("The file has no rows of answers under the column names."), field="file"
        )
    return ImportPlan(
        digest=digest,
        header_line=table.header_line,
        rows=verdicts,
        skipped=table.skipped,
        unknown=table.unknown,
    )


def _store_dir() -> Path:
    directory = Path(settings.DATA_DIR) / "survey-imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def import_sweep() -> int:
    """Kept files older than a day (previews never confirmed)."""
    limit = timezone.now().timestamp() - FILE_TTL.total_seconds()
    removed = 0
    for path in _store_dir().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def import_upload(survey: Survey, data: bytes, *, user: Any) -> ImportPlan:
    """Check an uploaded file and keep it for the apply step; the plan carries the signed
    reference the preview page posts back."""
    policies.require(user, "surveys.import", survey)
    if refused := import_refused(survey):
        raise DomainError(refused)
    verdict = ratelimit.check(
        "survey-answers-upload", str(user.pk), limit=UPLOADS_PER_HOUR, window=3600
    )
    if verdict.over:
        raise DomainError(
            _("You have uploaded too many files in the last hour. Upload this one later.")
        )
    if not data:
        raise DomainError(_("The file is empty."), field="file")
    if len(data) > uploads.limit_bytes(uploads.IMPORT_LIMIT):
        raise DomainError(uploads.too_large_message(uploads.IMPORT_LIMIT, split=True), field="file")
    plan = import_plan(survey, data)
    import_sweep()
    token = secrets.token_urlsafe(18)
    path = _store_dir() / f"{token}.bin"
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
        out.write(data)
    plan.reference = signing.dumps(
        {"s": survey.pk, "u": user.pk, "f": token, "d": plan.digest}, salt=SIGNING_SALT
    )
    return plan


def _kept_file(survey: Survey, reference: str, *, user: Any) -> tuple[Path, bytes]:
    gone = _("The uploaded file is no longer kept. Upload it again.")
    try:
        ref = signing.loads(reference, salt=SIGNING_SALT, max_age=int(FILE_TTL.total_seconds()))
    except signing.BadSignature as error:
        raise DomainError(gone) from error
    if not isinstance(ref, dict) or ref.get("s") != survey.pk or ref.get("u") != user.pk:
        raise DomainError(gone)
    token = str(ref.get("f", ""))
    if not token or "/" in token or "." in token:
        raise DomainError(gone)
    path = _store_dir() / f"{token}.bin"
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DomainError(gone) from error
    if hashlib.sha256(data).hexdigest() != ref.get("d"):
        raise DomainError(gone)
    return path, data


def _new_response(
    survey: Survey, row: _Row, checked: Any, *, client_uuid: str, user: Any, language: str
) -> Response:
    """The row as ``services.response_store`` writes a new response (mode "import")."""
    from . import services

    return services.response_new(
        survey,
        checked,
        mode=Mode.IMPORT,
        language=language,
        client_uuid=client_uuid,
        entered_by=user,
        submitted_on=row.submitted_on,
    )


def _store_batch(
    survey: Survey, batch: list[tuple[_Row, Any, str]], *, user: Any, language: str
) -> list[str]:
    """Write a batch of new rows in one INSERT; when another import wrote one of them meanwhile
    (the uuid is taken), each row goes through ``services.response_store`` instead, which says
    whether it was already there."""
    from django.db import IntegrityError

    from . import services

    objects = [
        _new_response(
            survey, row, checked, client_uuid=_uuid(digest, row.line), user=user, language=language
        )
        for row, checked, digest in batch
    ]
    try:
        with transaction.atomic():
            Response.objects.bulk_create(objects)
    except IntegrityError:
        return [
            services.response_store(
                survey,
                checked,
                mode=Mode.IMPORT,
                language=language,
                client_uuid=_uuid(digest, row.line),
                entered_by=user,
                submitted_on=row.submitted_on,
            )[1]
            for row, checked, digest in batch
        ]
    return ["created"] * len(objects)


def import_apply(survey: Survey, reference: str, *, user: Any, language: str) -> ImportResult:
    """Add the valid rows of the kept file as responses (mode "import"); rows already imported
    are left as they are. The file is deleted afterwards."""
    policies.require(user, "surveys.import", survey)
    if refused := import_refused(survey):
        raise DomainError(refused)
    if language not in [code for code, _name in settings.LANGUAGES]:
        raise DomainError(_("Choose the language the questionnaires were filled in."))
    path, data = _kept_file(survey, reference, user=user)
    digest = hashlib.sha256(data).hexdigest()
    _table, rows = _rows(survey, data)
    result = ImportResult()
    to_add: list[tuple[_Row, Any, str]] = []
    for row, checked, status in _checked(survey, rows, digest):
        if status == ERROR:
            result.rejected += 1
        elif status == ADD:
            to_add.append((row, checked, digest))
        else:
            setattr(result, status, getattr(result, status) + 1)
    with transaction.atomic():
        for start in range(0, len(to_add), BATCH):
            for stored in _store_batch(
                survey, to_add[start : start + BATCH], user=user, language=language
            ):
                if stored == "created":
                    result.created += 1
                elif stored == "already":
                    result.already += 1
                else:
                    result.changed += 1
    path.unlink(missing_ok=True)
    return result
