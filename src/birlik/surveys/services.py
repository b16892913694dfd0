"""Every write of surveys and the expert council: questionnaires and their
versions, collecting answers, weighting and estimates, the council's plans, studies and
recommendations. Each part keeps its own section."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from birlik.access import policies
from birlik.access.models import AuditEntry, Grant, User
from birlik.access.queries import body_staff
from birlik.access.services import audit_record
from birlik.core.errors import DomainError
from birlik.geo.models import District, Region
from birlik.registry.iin import iin_digest
from birlik.registry.models import EthnicGroup, Organisation

from . import logic, trust_index
from .models import (
    AgeGroup,
    MarginSet,
    Mode,
    Option,
    PanelInvitation,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    SettlementType,
    Sex,
    Survey,
)

# --- Questionnaires, versions and surveys (build) -------------------------------------------------

BUILD_LANGUAGES = ("kk", "ru", "en")
QUESTION_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,29}$")
OPTION_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+\-]{0,29}$")
RESERVED_CODES = frozenset({"TRUST_INDEX", "TRUSTING"})
SCALE_POINTS_MAX = 101
INVITATIONS_MAX = 5000
TRIM_CAP_LOWEST = Decimal("1.5")
TRIM_CAP_HIGHEST = Decimal("10")
MIN_CELL_LOWEST = 10
CHOICE_KINDS = frozenset({Question.Kind.SINGLE, Question.Kind.MULTIPLE})
SCALE_KINDS = frozenset({Question.Kind.SCALE, Question.Kind.MATRIX})
SURVEY_STEPS: dict[str, frozenset[str]] = {
    Survey.Status.PLANNED: frozenset({Survey.Status.FIELDWORK}),
    Survey.Status.FIELDWORK: frozenset({Survey.Status.CLOSED}),
}
PANEL_OPEN: frozenset[str] = frozenset({Survey.Status.PLANNED, Survey.Status.FIELDWORK})


class VersionIncomplete(DomainError):
    """A draft that cannot be launched yet; ``missing`` says, one line each, what to write."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(
            _(
                "The version cannot be launched until every text is written in Kazakh, Russian "
                "and English."
            )
        )
        self.missing = missing


@dataclass(frozen=True)
class OptionSpec:
    """An option (or a matrix row) as the builder gives it: its code and labels by language."""

    code: str
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass
class QuestionData:
    """A question as the builder gives it; texts are ``{language: text}``."""

    code: str
    kind: str
    text: Mapping[str, str]
    help: Mapping[str, str] = field(default_factory=dict)
    required: bool = False
    scale_min: int | None = None
    scale_max: int | None = None
    label_min: Mapping[str, str] = field(default_factory=dict)
    label_max: Mapping[str, str] = field(default_factory=dict)
    number_min: Decimal | None = None
    number_max: Decimal | None = None
    role: str = ""
    show_if: Any = None
    options: tuple[OptionSpec, ...] = ()
    rows: tuple[OptionSpec, ...] = ()


@dataclass
class SurveyData:
    """The settings of a survey wave as the form gives them (interviewers by username)."""

    title: Mapping[str, str]
    slug: str
    year: int
    wave: int = 1
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    modes: tuple[str, ...] = ()
    regions: tuple[Region, ...] = ()
    is_trust_index: bool = False
    margin_set: MarginSet | None = None
    trim_cap: Decimal = Decimal(4)
    min_cell: int = 50
    caution_cell: int = 100
    interviewers: tuple[str, ...] = ()


def _b_texts(prefix: str, values: Mapping[str, str] | str) -> dict[str, str]:
    """``{prefix_kk: …, prefix_ru: …, prefix_en: …}``; a plain string serves all three."""
    if isinstance(values, str):
        return {f"{prefix}_{lang}": values.strip() for lang in BUILD_LANGUAGES}
    return {f"{prefix}_{lang}": (values.get(lang) or "").strip() for lang in BUILD_LANGUAGES}


def _b_language_names(languages: list[str]) -> str:
    names = {"kk": _("Kazakh"), "ru": _("Russian"), "en": _("English")}
    return ", ".join(str(names[lang]) for lang in languages)


def _b_lacking(obj: Any, prefix: str, *, optional: bool = False) -> list[str]:
    """Languages whose text is missing; for an optional text only when another one is given."""
    lacking = [lang for lang in BUILD_LANGUAGES if not (getattr(obj, f"{prefix}_{lang}") or "")]
    if optional and len(lacking) == len(BUILD_LANGUAGES):
        return []
    return lacking


def version_missing_texts(version: QuestionnaireVersion) -> list[str]:
    """What keeps a draft from being launched: each text missing in Kazakh, Russian or English
    (the consent, each question, hint, end label, option and row), one message each."""
    missing: list[str] = []
    if lacking := _b_lacking(version, "consent"):
        missing.append(
            _("The consent text is missing in %(languages)s.")
            % {"languages": _b_language_names(lacking)}
        )
    questions = version.questions.prefetch_related("options").order_by("order", "id")
    for question in questions:
        code = question.code
        checks = [
            (
                _b_lacking(question, "text"),
                _("Question %(code)s: its text is missing in %(languages)s."),
            ),
            (
                _b_lacking(question, "help", optional=True),
                _("Question %(code)s: its hint is missing in %(languages)s."),
            ),
        ]
        if question.kind in SCALE_KINDS:
            checks += [
                (
                    _b_lacking(question, "label_min", optional=True),
                    _(
                        "Question %(code)s: the label of the lowest point is missing in "
                        "%(languages)s."
                    ),
                ),
                (
                    _b_lacking(question, "label_max", optional=True),
                    _(
                        "Question %(code)s: the label of the highest point is missing in "
                        "%(languages)s."
                    ),
                ),
            ]
        for lacking, message in checks:
            if lacking:
                missing.append(message % {"code": code, "languages": _b_language_names(lacking)})
        for option in question.options.all():
            if lacking := _b_lacking(option, "label"):
                message = (
                    _("Question %(code)s, row %(option)s: its label is missing in %(languages)s.")
                    if option.kind == Option.Kind.ROW
                    else _(
                        "Question %(code)s, option %(option)s: its label is missing in "
                        "%(languages)s."
                    )
                )
                missing.append(
                    message
                    % {"code": code, "option": option.code, "languages": _b_language_names(lacking)}
                )
    return missing


def _b_draft(version: QuestionnaireVersion) -> QuestionnaireVersion:
    """The version, locked; refuses a launched one: it never changes."""
    locked = (
        QuestionnaireVersion.objects.select_for_update(of=("self",))
        .select_related("questionnaire__organisation")
        .get(pk=version.pk)
    )
    if locked.status != QuestionnaireVersion.Status.DRAFT:
        raise DomainError(
            _(
                "This version is launched and cannot be changed: make a new version of the "
                "questionnaire and change that one."
            )
        )
    return locked


def _b_questions(version: QuestionnaireVersion) -> list[Question]:
    """The version's questions in order, numbered 1, 2, 3… again."""
    questions = list(version.questions.order_by("order", "id"))
    changed = []
    for position, question in enumerate(questions, start=1):
        if question.order != position:
            question.order = position
            changed.append(question)
    if changed:
        Question.objects.bulk_update(changed, ["order"])
    return questions


def _b_readers(questions: list[Question], code: str) -> list[Question]:
    """The questions whose condition reads ``code``."""
    return [q for q in questions if q.show_if and code in logic.referenced(q.show_if)]


def _b_audit(user: User, action: str, obj: Any, organisation: Organisation, note: str = "") -> None:
    audit_record(
        actor=user, action=action, obj=obj, organisation_path=str(organisation.path), note=note
    )


@transaction.atomic
def questionnaire_create(
    *,
    user: User,
    organisation: Organisation,
    code: str,
    title: Mapping[str, str] | str,
    consent: Mapping[str, str] | str | None = None,
) -> Questionnaire:
    """A questionnaire of a body the user researches, with its first version as a draft."""
    questionnaire = Questionnaire(organisation=organisation, **_b_texts("title", title))
    policies.require(user, "surveys.build", questionnaire)
    code = (code or "").strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,39}", code):
        raise DomainError(
            _("Use up to 40 Latin letters, digits, hyphens and underscores for the code."),
            field="code",
        )
    if Questionnaire.objects.filter(code=code).exists():
        raise DomainError(_("Another questionnaire has this code already."), field="code")
    if not any(getattr(questionnaire, f"title_{lang}") for lang in BUILD_LANGUAGES):
        raise DomainError(_("Give the questionnaire a title."), field="title_kk")
    questionnaire.code = code
    questionnaire.created_by = user
    questionnaire.save()
    QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, **_b_texts("consent", consent or {})
    )
    _b_audit(user, AuditEntry.Action.CREATE, questionnaire, organisation)
    return questionnaire


@transaction.atomic
def version_consent_save(
    *, user: User, version: QuestionnaireVersion, consent: Mapping[str, str]
) -> QuestionnaireVersion:
    """The consent text of a draft, read before the first question, in the three languages."""
    policies.require(user, "surveys.build", version)
    version = _b_draft(version)
    for name, value in _b_texts("consent", consent).items():
        setattr(version, name, value)
    version.save()
    return version


def _b_option_rows(
    specs: tuple[OptionSpec, ...], what: str, *, unique_field: str
) -> list[OptionSpec]:
    seen: set[str] = set()
    kept: list[OptionSpec] = []
    for spec in specs:
        code = spec.code.strip()
        if not OPTION_CODE.fullmatch(code):
            raise DomainError(
                _(
                    "The code %(code)s of %(what)s is not usable: up to 30 Latin letters, "
                    "digits and the signs . _ - +, starting with a letter or a digit."
                )
                % {"code": code or "—", "what": what},
                field=unique_field,
            )
        if code in seen:
            raise DomainError(
                _("The code %(code)s is given twice.") % {"code": code}, field=unique_field
            )
        seen.add(code)
        kept.append(OptionSpec(code, spec.labels))
    return kept


def _b_number(code: str) -> Decimal | None:
    return Decimal(code) if re.fullmatch(r"\d+(\.\d+)?", code) else None


def _b_role_codes(role: str) -> set[str] | None:
    """The option codes a demographic question may offer (None: any)."""
    if role == Question.Role.REGION:
        return set(Region.objects.values_list("iso", flat=True))
    if role == Question.Role.DISTRICT:
        return set(District.objects.values_list("kato", flat=True))
    if role == Question.Role.SETTLEMENT:
        return set(SettlementType.values)
    if role == Question.Role.SEX:
        return set(Sex.values)
    if role == Question.Role.AGE:
        return set(AgeGroup.values)
    if role == Question.Role.ETHNIC:
        return set(EthnicGroup.objects.values_list("code", flat=True))
    return None


def _b_check_kind(data: QuestionData, options: list[OptionSpec], rows: list[OptionSpec]) -> None:
    kind = data.kind
    if kind not in Question.Kind.values:
        raise DomainError(_("Choose the kind of question."), field="kind")
    if kind in CHOICE_KINDS and len(options) < 2:
        raise DomainError(_("Give at least two options to choose from."), field="options")
    if kind == Question.Kind.TEXT and options:
        raise DomainError(_("An open question has no options."), field="options")
    if kind != Question.Kind.MATRIX and rows:
        raise DomainError(_("Only a matrix has rows."), field="rows")
    low: Decimal | None = None
    high: Decimal | None = None
    if kind in SCALE_KINDS:
        if data.scale_min is None or data.scale_max is None:
            raise DomainError(_("Give both ends of the scale."), field="scale_min")
        if data.scale_min >= data.scale_max:
            raise DomainError(_("The scale must end above where it starts."), field="scale_max")
        if data.scale_max - data.scale_min + 1 > SCALE_POINTS_MAX:
            raise DomainError(
                _("A scale has at most %(count)s points.") % {"count": SCALE_POINTS_MAX},
                field="scale_max",
            )
        low, high = Decimal(data.scale_min), Decimal(data.scale_max)
    if kind == Question.Kind.MATRIX and not rows:
        raise DomainError(_("Give the rows of the matrix."), field="rows")
    if kind == Question.Kind.NUMBER:
        low, high = data.number_min, data.number_max
        if low is not None and high is not None and low > high:
            raise DomainError(
                _("The smallest number must not be above the largest."), field="number_max"
            )
    if kind in SCALE_KINDS or kind == Question.Kind.NUMBER:
        # Options of a scale or a number are the codes of "don't know" and "refusal": none may
        # be an answer on the scale or in the range.
        for option in options:
            value = _b_number(option.code)
            if value is None:
                continue
            if (low is None or value >= low) and (high is None or value <= high):
                raise DomainError(
                    _(
                        "The option %(code)s is also a possible answer: give it a code outside "
                        "the range of answers, or narrow the range."
                    )
                    % {"code": option.code},
                    field="options",
                )


def _b_check_role(
    version: QuestionnaireVersion,
    data: QuestionData,
    options: list[OptionSpec],
    question: Question | None,
) -> None:
    if not data.role:
        return
    if data.role not in Question.Role.values:
        raise DomainError(_("Choose a demographic role from the list."), field="role")
    if data.kind != Question.Kind.SINGLE:
        raise DomainError(_("A demographic question is a single choice."), field="role")
    others = version.questions.filter(role=data.role)
    if question is not None:
        others = others.exclude(pk=question.pk)
    if other := others.first():
        raise DomainError(
            _("Question %(code)s fills this demographic column already.") % {"code": other.code},
            field="role",
        )
    allowed = _b_role_codes(data.role)
    if allowed is None:
        return
    unknown = [option.code for option in options if option.code not in allowed]
    if unknown:
        raise DomainError(
            _("These codes are not known for this demographic column: %(codes)s.")
            % {"codes": ", ".join(unknown)},
            field="options",
        )


def _b_check_condition(
    questions: list[Question], data: QuestionData, question: Question | None
) -> None:
    if question is None:
        earlier = [q.code for q in questions]
    else:
        earlier = [q.code for q in questions if q.order < question.order]
    try:
        logic.check_condition(data.show_if, earlier)
    except DomainError as error:
        raise DomainError(error.message, field="show_if") from error


@transaction.atomic
def question_save(
    *,
    user: User,
    version: QuestionnaireVersion,
    data: QuestionData,
    question: Question | None = None,
) -> Question:
    """Adds a question at the end of a draft, or changes one of it. A condition reads only
    earlier questions; a demographic question offers only the codes its column takes; "don't
    know" codes of a scale or a number lie outside its range."""
    policies.require(user, "surveys.build", version)
    version = _b_draft(version)
    if question is not None and question.version_id != version.pk:
        raise DomainError(_("This question belongs to another version."))
    code = data.code.strip()
    if not QUESTION_CODE.fullmatch(code) or "__" in code or code.upper() in RESERVED_CODES:
        raise DomainError(
            _(
                "Use up to 30 Latin letters, digits and single underscores for the code, "
                "starting with a letter (such as Q1 or T1)."
            ),
            field="code",
        )
    questions = _b_questions(version)
    if question is not None:
        question = next(q for q in questions if q.pk == question.pk)
    if any(q.code == code for q in questions if question is None or q.pk != question.pk):
        raise DomainError(
            _("Another question of this version has the code %(code)s.") % {"code": code},
            field="code",
        )
    if question is not None and code != question.code:
        readers = _b_readers(questions, question.code)
        if readers:
            raise DomainError(
                _(
                    "The condition of question %(other)s reads this question by its code: "
                    "change that condition first."
                )
                % {"other": readers[0].code},
                field="code",
            )
    if not any((data.text.get(lang) or "").strip() for lang in BUILD_LANGUAGES):
        raise DomainError(_("Write the question."), field="text_kk")
    options = _b_option_rows(data.options, _("an option"), unique_field="options")
    rows = _b_option_rows(data.rows, _("a row"), unique_field="rows")
    _b_check_kind(data, options, rows)
    _b_check_role(version, data, options, question)
    _b_check_condition(questions, data, question)

    scaled = data.kind in SCALE_KINDS
    numeric = data.kind == Question.Kind.NUMBER
    values: dict[str, Any] = {
        "code": code,
        "kind": data.kind,
        "required": data.required,
        "scale_min": data.scale_min if scaled else None,
        "scale_max": data.scale_max if scaled else None,
        "number_min": data.number_min if numeric else None,
        "number_max": data.number_max if numeric else None,
        "role": data.role or "",
        "show_if": data.show_if or None,
        **_b_texts("text", data.text),
        **_b_texts("help", data.help),
        **_b_texts("label_min", data.label_min if scaled else {}),
        **_b_texts("label_max", data.label_max if scaled else {}),
    }
    if question is None:
        question = Question(version=version, order=len(questions) + 1)
    for name, value in values.items():
        setattr(question, name, value)
    question.save()
    question.options.all().delete()
    Option.objects.bulk_create(
        [
            Option(
                question=question,
                kind=kind,
                code=spec.code,
                order=position,
                **_b_texts("label", spec.labels),
            )
            for kind, specs in ((Option.Kind.CHOICE, options), (Option.Kind.ROW, rows))
            for position, spec in enumerate(specs, start=1)
        ]
    )
    return question


@transaction.atomic
def question_delete(*, user: User, question: Question) -> None:
    """Removes a question of a draft, unless a later question's condition reads it."""
    policies.require(user, "surveys.build", question)
    version = _b_draft(question.version)
    questions = _b_questions(version)
    readers = _b_readers([q for q in questions if q.pk != question.pk], question.code)
    if readers:
        raise DomainError(
            _(
                "The condition of question %(other)s reads this question: change that "
                "condition before removing it."
            )
            % {"other": readers[0].code}
        )
    Question.objects.filter(pk=question.pk, version=version).delete()
    _b_questions(version)


@transaction.atomic
def question_move(*, user: User, question: Question, up: bool) -> None:
    """Swaps a question of a draft with its neighbour; a question never moves above one its
    condition reads."""
    policies.require(user, "surveys.build", question)
    version = _b_draft(question.version)
    questions = _b_questions(version)
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(questions):
        return
    first, second = sorted((index, other_index))
    earlier, later = questions[first], questions[second]
    if later.show_if and earlier.code in logic.referenced(later.show_if):
        raise DomainError(
            _(
                "Question %(later)s is shown depending on question %(earlier)s, so it cannot "
                "come before it."
            )
            % {"later": later.code, "earlier": earlier.code}
        )
    earlier.order, later.order = later.order, earlier.order
    Question.objects.bulk_update([earlier, later], ["order"])


def _b_content(version: QuestionnaireVersion) -> str:
    """A digest of what respondents are asked: consent, questions, options, conditions."""
    questions = version.questions.prefetch_related("options").order_by("order", "id")
    content = {
        "consent": [getattr(version, f"consent_{lang}") or "" for lang in BUILD_LANGUAGES],
        "questions": [
            {
                "code": q.code,
                "kind": q.kind,
                "required": q.required,
                "scale": [q.scale_min, q.scale_max],
                "number": [str(q.number_min), str(q.number_max)],
                "role": q.role,
                "show_if": q.show_if,
                "texts": {
                    name: getattr(q, f"{name}_{lang}") or ""
                    for name in ("text", "help", "label_min", "label_max")
                    for lang in BUILD_LANGUAGES
                },
                "options": [
                    [
                        o.kind,
                        o.code,
                        [getattr(o, f"label_{lang}") or "" for lang in BUILD_LANGUAGES],
                    ]
                    for o in q.options.all()
                ],
            }
            for q in questions
        ],
    }
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@transaction.atomic
def version_launch(*, user: User, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """A complete draft (every text in kk, ru and en) becomes the launched version: from now on
    it never changes, and surveys may use it."""
    policies.require(user, "surveys.build", version)
    version = _b_draft(version)
    if not version.questions.exists():
        raise DomainError(_("Add at least one question before launching the version."))
    missing = version_missing_texts(version)
    if missing:
        raise VersionIncomplete(missing)
    version.content_hash = _b_content(version)
    version.status = QuestionnaireVersion.Status.LAUNCHED
    version.launched_at = timezone.now()
    version.save(update_fields=["content_hash", "status", "launched_at"])
    _b_audit(
        user,
        AuditEntry.Action.UPDATE,
        version,
        version.questionnaire.organisation,
        note="launched",
    )
    return version


@transaction.atomic
def version_new_from(*, user: User, version: QuestionnaireVersion) -> QuestionnaireVersion:
    """A launched version copied into a new draft (number + 1) with its questions and options;
    the launched one stays as it is for the answers given to it."""
    questionnaire = Questionnaire.objects.select_for_update(of=("self",)).get(
        pk=version.questionnaire_id
    )
    version = QuestionnaireVersion.objects.get(pk=version.pk)
    policies.require(user, "surveys.build", version)
    if version.status == QuestionnaireVersion.Status.DRAFT:
        raise DomainError(_("This version is still a draft: change it directly."))
    draft = questionnaire.versions.filter(status=QuestionnaireVersion.Status.DRAFT).first()
    if draft is not None:
        raise DomainError(
            _("Version %(number)s of this questionnaire is a draft already: change that one.")
            % {"number": draft.number}
        )
    number = (questionnaire.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    copy = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire,
        number=number,
        **{f"consent_{lang}": getattr(version, f"consent_{lang}") for lang in BUILD_LANGUAGES},
    )
    copied_fields = [
        f.attname for f in Question._meta.concrete_fields if f.attname not in {"id", "version_id"}
    ]
    option_fields = [
        f.attname for f in Option._meta.concrete_fields if f.attname not in {"id", "question_id"}
    ]
    options: list[Option] = []
    for question in version.questions.prefetch_related("options").order_by("order", "id"):
        new = Question.objects.create(
            version=copy, **{name: getattr(question, name) for name in copied_fields}
        )
        options.extend(
            Option(question=new, **{name: getattr(option, name) for name in option_fields})
            for option in question.options.all()
        )
    Option.objects.bulk_create(options)
    _b_audit(user, AuditEntry.Action.CREATE, copy, questionnaire.organisation)
    return copy


# The standard trust questionnaire: its texts are data in the three languages (like the items
# of ``trust_index``), not interface strings.
TEMPLATE_CONSENT = {
    "kk": "Сауалнама анонимді: атыңыз, мекенжайыңыз бен телефоныңыз сұралмайды және "
    "сақталмайды. Жауаптар тек жалпыланған түрде жарияланады. Кез келген сұраққа жауап бермеуге "
    "немесе сауалнаманы кез келген уақытта тоқтатуға болады. Жалғастыра отырып, сауалнамаға "
    "қатысуға келісесіз.",
    "ru": "Опрос анонимный: ваше имя, адрес и телефон не спрашиваются и не хранятся. Ответы "
    "публикуются только в обобщённом виде. Вы можете не отвечать на любой вопрос или прекратить "
    "опрос в любой момент. Продолжая, вы соглашаетесь участвовать в опросе.",
    "en": "The survey is anonymous: your name, address and phone number are neither asked nor "
    "kept. Answers are published only as totals. You may skip any question or stop at any "
    "time. By continuing you agree to take part.",
}
TEMPLATE_MISSING = (
    OptionSpec("88", {"kk": "Білмеймін", "ru": "Затрудняюсь ответить", "en": "Don't know"}),
    OptionSpec(
        "99", {"kk": "Жауап бергім келмейді", "ru": "Отказ от ответа", "en": "Prefer not to say"}
    ),
)
TEMPLATE_TEXTS = {
    "D_REGION": {
        "kk": "Қай өңірде тұрасыз?",
        "ru": "В каком регионе вы живёте?",
        "en": "Which region do you live in?",
    },
    "D_SETTLEMENT": {
        "kk": "Қалада тұрасыз ба, әлде ауылда ма?",
        "ru": "Вы живёте в городе или в селе?",
        "en": "Do you live in a town or in a village?",
    },
    "D_SEX": {"kk": "Жынысыңыз", "ru": "Ваш пол", "en": "Your sex"},
    "D_AGE": {"kk": "Жасыңыз нешеде?", "ru": "Сколько вам лет?", "en": "How old are you?"},
    "D_ETHNIC": {
        "kk": "Қай этносқа жатасыз?",
        "ru": "К какому этносу вы себя относите?",
        "en": "Which ethnic group do you belong to?",
    },
    "D_LANG": {
        "kk": "Үйде көбінесе қай тілде сөйлейсіз?",
        "ru": "На каком языке вы чаще всего говорите дома?",
        "en": "Which language do you mostly speak at home?",
    },
}
TEMPLATE_CHOICES = {
    "D_SETTLEMENT": (
        OptionSpec(SettlementType.URBAN, {"kk": "қала", "ru": "город", "en": "town or city"}),
        OptionSpec(SettlementType.RURAL, {"kk": "ауыл", "ru": "село", "en": "village"}),
    ),
    "D_SEX": (
        OptionSpec(Sex.FEMALE, {"kk": "әйел", "ru": "женский", "en": "female"}),
        OptionSpec(Sex.MALE, {"kk": "ер", "ru": "мужской", "en": "male"}),
    ),
    "D_AGE": (
        OptionSpec(AgeGroup.A18, {"kk": "18–29", "ru": "18–29", "en": "18–29"}),
        OptionSpec(AgeGroup.A30, {"kk": "30–44", "ru": "30–44", "en": "30–44"}),
        OptionSpec(AgeGroup.A45, {"kk": "45–59", "ru": "45–59", "en": "45–59"}),
        OptionSpec(
            AgeGroup.A60,
            {"kk": "60 және одан жоғары", "ru": "60 и старше", "en": "60 or older"},
        ),
    ),
    "D_LANG": (
        OptionSpec("kk", {"kk": "қазақ тілі", "ru": "казахский", "en": "Kazakh"}),
        OptionSpec("ru", {"kk": "орыс тілі", "ru": "русский", "en": "Russian"}),
        OptionSpec("other", {"kk": "басқа тіл", "ru": "другой", "en": "another language"}),
    ),
}
ETHNIC_SMALL_SHARE = Decimal("0.01")
ETHNIC_OTHER = "other"


def _b_names(obj: Any) -> dict[str, str]:
    return {lang: getattr(obj, f"name_{lang}") or obj.name for lang in BUILD_LANGUAGES}


def _b_ethnic_options() -> tuple[OptionSpec, ...]:
    """Ethnic groups in their census order; groups under 1 % of the 2021 census (or not counted
    by it) answer "other" when the catalogue has such a group."""
    groups = list(EthnicGroup.objects.order_by("position", "code"))
    codes = {group.code for group in groups}
    total = sum(group.population_2021 or 0 for group in groups)
    kept = []
    for group in groups:
        small = (
            not group.population_2021
            or total == 0
            or Decimal(group.population_2021) / Decimal(total) < ETHNIC_SMALL_SHARE
        )
        if ETHNIC_OTHER in codes and small and group.code != ETHNIC_OTHER:
            continue
        kept.append(group)
    kept.sort(key=lambda group: group.code == ETHNIC_OTHER)
    return tuple(OptionSpec(group.code, _b_names(group)) for group in kept)


def template_questions() -> list[QuestionData]:
    """The standard trust questionnaire: demographics, then the five items of the index on
    0–10 with "don't know" (88) and "refusal" (99)."""
    regions = tuple(
        OptionSpec(region.iso, _b_names(region)) for region in Region.objects.order_by("kato")
    )
    demographics = [
        ("D_REGION", Question.Role.REGION, regions, True),
        ("D_SETTLEMENT", Question.Role.SETTLEMENT, TEMPLATE_CHOICES["D_SETTLEMENT"], False),
        ("D_SEX", Question.Role.SEX, TEMPLATE_CHOICES["D_SEX"], True),
        ("D_AGE", Question.Role.AGE, TEMPLATE_CHOICES["D_AGE"], True),
        ("D_ETHNIC", Question.Role.ETHNIC, _b_ethnic_options(), False),
        ("D_LANG", Question.Role.LANGUAGE, TEMPLATE_CHOICES["D_LANG"], False),
    ]
    questions = [
        QuestionData(
            code=code,
            kind=Question.Kind.SINGLE,
            text=TEMPLATE_TEXTS[code],
            required=required,
            role=role,
            options=options,
        )
        for code, role, options, required in demographics
    ]
    questions += [
        QuestionData(
            code=item.code,
            kind=Question.Kind.SCALE,
            text=item.text,
            required=True,
            scale_min=trust_index.SCALE_MIN,
            scale_max=trust_index.SCALE_MAX,
            label_min=item.label_min,
            label_max=item.label_max,
            options=TEMPLATE_MISSING,
        )
        for item in trust_index.ITEMS
    ]
    return questions


@transaction.atomic
def questionnaire_from_template(
    organisation: Organisation,
    *,
    user: User,
    code: str,
    title: Mapping[str, str] | str,
    launch: bool = False,
) -> QuestionnaireVersion:
    """The standard trust questionnaire as a new questionnaire of the body: its first version,
    a draft to review (or launched at once with ``launch``)."""
    questionnaire = questionnaire_create(
        user=user, organisation=organisation, code=code, title=title, consent=TEMPLATE_CONSENT
    )
    version = questionnaire.versions.get()
    for data in template_questions():
        question_save(user=user, version=version, data=data)
    if launch:
        version = version_launch(user=user, version=version)
    return version


def trust_items_problem(version: QuestionnaireVersion) -> str:
    """Why the version cannot measure the trust index ("" when it can): the five items must be
    scales on 0–10."""
    items = {q.code: q for q in version.questions.filter(code__in=trust_index.ITEM_CODES)}
    wrong = [
        code
        for code in trust_index.ITEM_CODES
        if code not in items
        or items[code].kind != Question.Kind.SCALE
        or items[code].scale_min != trust_index.SCALE_MIN
        or items[code].scale_max != trust_index.SCALE_MAX
    ]
    if not wrong:
        return ""
    return _(
        "The trust index needs the questions %(codes)s as scales from %(low)s to %(high)s."
    ) % {"codes": ", ".join(wrong), "low": trust_index.SCALE_MIN, "high": trust_index.SCALE_MAX}


def survey_interviewers(organisation: Organisation, usernames: tuple[str, ...]) -> list[User]:
    """Accounts named by username holding an active role inside the body's network; refuses
    any other name (never a list of the whole country's accounts)."""
    names = sorted({name.strip() for name in usernames if name.strip()})
    if not names:
        return []
    inside = Grant.objects.filter(
        revoked_at__isnull=True, organisation__path__startswith=organisation.path
    ).values("user_id")
    found = list(User.objects.filter(username__in=names, is_active=True, pk__in=inside))
    unknown = sorted(set(names) - {user.username for user in found})
    if unknown:
        raise DomainError(
            _(
                "No account named %(names)s holds a role in the network of the body that "
                "conducts the survey."
            )
            % {"names": ", ".join(unknown)},
            field="interviewers",
        )
    return found


def _b_check_survey(
    user: User, survey: Survey, data: SurveyData, version: QuestionnaireVersion
) -> list[User]:
    for lang in BUILD_LANGUAGES:
        if not (data.title.get(lang) or "").strip():
            raise DomainError(
                _("Give the title in Kazakh, Russian and English."), field=f"title_{lang}"
            )
    slug = data.slug.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}", slug):
        raise DomainError(
            _("Use up to 60 Latin letters, digits and hyphens for the address."), field="slug"
        )
    if Survey.objects.filter(slug=slug).exclude(pk=survey.pk).exists():
        raise DomainError(_("Another survey has this address already."), field="slug")
    if not 2000 <= data.year <= 2100:
        raise DomainError(_("Give the year of the survey."), field="year")
    if not 1 <= data.wave <= 99:
        raise DomainError(_("Number the wave from 1 to 99."), field="wave")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise DomainError(_("The fieldwork cannot end before it starts."), field="ends_on")
    if not data.modes or any(mode not in Mode.values for mode in data.modes):
        raise DomainError(_("Choose at least one way of collecting."), field="modes")
    if data.is_trust_index and (problem := trust_items_problem(version)):
        raise DomainError(problem, field="is_trust_index")
    if data.margin_set is not None and not (
        policies.scoped(MarginSet.objects.filter(pk=data.margin_set.pk), user).exists()
    ):
        raise DomainError(_("Choose population margins from the list."), field="margin_set")
    if not TRIM_CAP_LOWEST <= data.trim_cap <= TRIM_CAP_HIGHEST:
        raise DomainError(
            _("The largest weight is from %(low)s to %(high)s times the mean.")
            % {"low": TRIM_CAP_LOWEST, "high": TRIM_CAP_HIGHEST},
            field="trim_cap",
        )
    if data.min_cell < MIN_CELL_LOWEST:
        raise DomainError(
            _("A cell needs at least %(count)s respondents to be published.")
            % {"count": MIN_CELL_LOWEST},
            field="min_cell",
        )
    if data.caution_cell < data.min_cell:
        raise DomainError(
            _("The number for publishing without caution cannot be below the smallest cell."),
            field="caution_cell",
        )
    survey.slug = slug
    for name, value in _b_texts("title", data.title).items():
        setattr(survey, name, value)
    survey.year = data.year
    survey.wave = data.wave
    survey.starts_on = data.starts_on
    survey.ends_on = data.ends_on
    survey.modes = [mode for mode in Mode.values if mode in data.modes]
    survey.is_trust_index = data.is_trust_index
    survey.margin_set = data.margin_set
    survey.trim_cap = data.trim_cap
    survey.min_cell = data.min_cell
    survey.caution_cell = data.caution_cell
    return survey_interviewers(survey.organisation, data.interviewers)


@transaction.atomic
def survey_create(
    *,
    user: User,
    version: QuestionnaireVersion,
    organisation: Organisation,
    data: SurveyData,
) -> Survey:
    """A new wave of a launched questionnaire version, conducted by a body the user
    researches; interviewers hold a role inside that body's network."""
    survey = Survey(version=version, organisation=organisation, status=Survey.Status.PLANNED)
    policies.require(user, "surveys.manage", survey)
    if not policies.can(user, "surveys.build", version):
        raise DomainError(_("Choose a questionnaire version from the list."), field="version")
    if version.status != QuestionnaireVersion.Status.LAUNCHED:
        raise DomainError(
            _("A survey uses a launched version of a questionnaire: launch the draft first."),
            field="version",
        )
    interviewers = _b_check_survey(user, survey, data, version)
    survey.created_by = user
    survey.save()
    survey.regions.set(data.regions)
    survey.interviewers.set(interviewers)
    _b_audit(user, AuditEntry.Action.CREATE, survey, organisation)
    return survey


@transaction.atomic
def survey_update(*, user: User, survey: Survey, data: SurveyData) -> Survey:
    """Changes a wave's settings (not its questionnaire or body); a published wave is not
    changed."""
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=survey.pk)
    )
    policies.require(user, "surveys.manage", survey)
    if survey.status == Survey.Status.PUBLISHED:
        raise DomainError(
            _("The results of this survey are published: it is not changed any more.")
        )
    interviewers = _b_check_survey(user, survey, data, survey.version)
    survey.save()
    survey.regions.set(data.regions)
    survey.interviewers.set(interviewers)
    _b_audit(user, AuditEntry.Action.UPDATE, survey, survey.organisation)
    return survey


@transaction.atomic
def survey_set_status(*, user: User, survey: Survey, status: str) -> Survey:
    """Planned → fieldwork → closed; closing flags speeding, straightlining and duplicates."""
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=survey.pk)
    )
    policies.require(user, "surveys.manage", survey)
    if status not in SURVEY_STEPS.get(survey.status, frozenset()):
        raise DomainError(
            _("A survey that is %(status)s cannot be moved to this step.")
            % {"status": survey.get_status_display()}
        )
    survey.status = status
    survey.save(update_fields=["status"])
    _b_audit(user, AuditEntry.Action.UPDATE, survey, survey.organisation, note=f"status {status}")
    if status == Survey.Status.CLOSED:
        _b_flag(survey)
    return survey


def _b_flag(survey: Survey) -> None:
    """The collect part's quality flags, when that module is installed."""
    try:
        from .quality import flag_survey
    except ImportError:
        return
    flag_survey(survey)


def invitation_digest(token: str) -> str:
    """The keyed digest an invitation is kept and found by; the token itself is never stored."""
    return iin_digest(token)


@transaction.atomic
def invitations_create(*, user: User, survey: Survey, count: int) -> list[str]:
    """``count`` one-time panel invitations (1–5,000): the tokens are returned once and only
    their keyed digests are kept."""
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=survey.pk)
    )
    policies.require(user, "surveys.manage", survey)
    if Mode.PANEL not in survey.modes:
        raise DomainError(
            _(
                "This survey does not collect by invitation: add the invited panel to its ways "
                "of collecting."
            ),
            field="count",
        )
    if survey.status not in PANEL_OPEN:
        raise DomainError(
            _("Invitations are made only before and during the fieldwork."), field="count"
        )
    if not 1 <= count <= INVITATIONS_MAX:
        raise DomainError(
            _("Make from 1 to %(count)s invitations at a time.") % {"count": INVITATIONS_MAX},
            field="count",
        )
    tokens = [secrets.token_urlsafe(24) for _index in range(count)]
    PanelInvitation.objects.bulk_create(
        [PanelInvitation(survey=survey, token_digest=invitation_digest(t)) for t in tokens],
        batch_size=1000,
    )
    _b_audit(
        user, AuditEntry.Action.CREATE, survey, survey.organisation, note=f"{count} invitations"
    )
    return tokens


# --- Collecting answers: web, panel, interview sync, paper, import (collect) ----------------------

TEXT_MAX_LENGTH = 2000
DURATION_CAP_SECONDS = 24 * 60 * 60
MATRIX_ROW_SEPARATOR = "__"


@dataclass
class Checked:
    """Answers that passed ``response_check``: ``answers`` as stored (``{code: value}``, hidden
    and unknown questions dropped) and ``demographics`` keyed by the Response field they fill."""

    answers: dict[str, Any] = field(default_factory=dict)
    demographics: dict[str, Any] = field(default_factory=dict)


class ResponseInvalid(DomainError):
    """Answers that cannot be stored; ``errors`` maps a question code (or "" for the whole
    form) to a translated message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Some answers need to be corrected."))
        self.errors = errors


class InvitationRefused(DomainError):
    """A panel token that is unknown or already used (the two are never told apart)."""


def _c_questions(version: Any) -> list[Any]:
    """The version's questions with their options, read once per version object."""
    cached = version.__dict__.get("_birlik_questions")
    if cached is None:
        cached = list(version.questions.prefetch_related("options").order_by("order", "id"))
        version.__dict__["_birlik_questions"] = cached
    return list(cached)


def _c_options(question: Any, kind: str = "choice") -> list[str]:
    return [o.code for o in question.options.all() if o.kind == kind]


def _c_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, (list, tuple, dict)):
        return all(_c_blank(v) for v in (value.values() if isinstance(value, dict) else value))
    return False


def _c_code(value: Any) -> str | None:
    """An option code written as text, a number (``3`` or ``3.0``) or a one-item list."""
    if isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool) or value is None or isinstance(value, (list, tuple, dict)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _c_number(value: Any) -> float | int | None:
    """A number written as text ("7", "7,5", "1 200") or as JSON; None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, (str, Decimal)):
        text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            return None
    else:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return int(number) if number.is_integer() else number


def _c_scale_point(question: Any, value: Any, missing: list[str]) -> tuple[Any, str]:
    """A scale answer (a point or a missing code), or an error message."""
    code = _c_code(value)
    if code is not None and code in missing:
        return code, ""
    number = _c_number(value)
    low, high = question.scale_min, question.scale_max
    if (
        number is None
        or not isinstance(number, int)
        or (low is not None and number < low)
        or (high is not None and number > high)
    ):
        if low is not None and high is not None:
            return None, _("Choose a point from %(low)s to %(high)s.") % {
                "low": low,
                "high": high,
            }
        return None, _("Choose a point on the scale.")
    return number, ""


def _c_multiple(value: Any) -> list[str]:
    if isinstance(value, str):
        parts = value.replace(";", ",").split(",")
    elif isinstance(value, (list, tuple)):
        parts = [str(_c_code(v) or "") for v in value]
    else:
        parts = [str(_c_code(value) or "")]
    seen: list[str] = []
    for part in (p.strip() for p in parts):
        if part and part not in seen:
            seen.append(part)
    return seen


def _c_matrix_raw(question: Any, raw: Mapping[str, Any]) -> dict[str, Any]:
    value = raw.get(question.code)
    rows: dict[str, Any] = {}
    if isinstance(value, Mapping):
        rows.update({str(k): v for k, v in value.items()})
    prefix = question.code + MATRIX_ROW_SEPARATOR
    for key, item in raw.items():
        if isinstance(key, str) and key.startswith(prefix):
            rows.setdefault(key[len(prefix) :], item)
    return rows


def _c_value(question: Any, raw: Mapping[str, Any]) -> tuple[Any, str]:
    """One question's answer parsed for storage: (value or None when unanswered, error)."""
    kind = question.kind
    if kind == "matrix":
        given = _c_matrix_raw(question, raw)
        missing = _c_options(question)
        rows: dict[str, Any] = {}
        for row in _c_options(question, "row"):
            item = given.get(row)
            if _c_blank(item):
                continue
            point, error = _c_scale_point(question, item, missing)
            if error:
                return None, error
            rows[row] = point
        if not rows:
            return None, ""
        if question.required and len(rows) < len(_c_options(question, "row")):
            return None, _("Answer every row.")
        return rows, ""
    value = raw.get(question.code)
    if _c_blank(value):
        return None, ""
    if kind == "single":
        code = _c_code(value)
        if code is None or code not in _c_options(question):
            return None, _("Choose one of the options offered.")
        return code, ""
    if kind == "multiple":
        codes = _c_multiple(value)
        allowed = _c_options(question)
        if not codes or any(code not in allowed for code in codes):
            return None, _("Choose among the options offered.")
        return codes, ""
    if kind == "scale":
        return _c_scale_point(question, value, _c_options(question))
    if kind == "number":
        code = _c_code(value)
        if code is not None and code in _c_options(question):
            return code, ""
        number = _c_number(value)
        if number is None:
            return None, _("Enter a number.")
        low, high = question.number_min, question.number_max
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                return None, _("Enter a number from %(low)s to %(high)s.") % {
                    "low": _c_plain(low),
                    "high": _c_plain(high),
                }
            if low is not None:
                return None, _("Enter a number of at least %(low)s.") % {"low": _c_plain(low)}
            return None, _("Enter a number of at most %(high)s.") % {"high": _c_plain(high)}
        return number, ""
    if kind == "text":
        if isinstance(value, (list, tuple, dict)):
            return None, _("Write the answer as text.")
        text = str(value).strip()
        if len(text) > TEXT_MAX_LENGTH:
            return None, _("Keep the answer under %(limit)s characters (it has %(count)s).") % {
                "limit": TEXT_MAX_LENGTH,
                "count": len(text),
            }
        return text, ""
    return None, ""


def _c_plain(number: Any) -> str:
    value = Decimal(str(number))
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value)


def _c_lookup(version: Any, model: Any, field_name: str, code: str) -> Any:
    """A Region/District/EthnicGroup by its code, remembered on the version object (an import
    checks thousands of rows against a handful of regions)."""
    cache: dict[tuple[str, str], Any] = version.__dict__.setdefault("_birlik_lookups", {})
    key = (model.__name__, code)
    if key not in cache:
        cache[key] = model.objects.filter(**{field_name: code}).first()
    return cache[key]


def _c_demographic(version: Any, role: str, value: Any) -> tuple[Any, str]:
    from birlik.geo.models import District, Region
    from birlik.registry.models import EthnicGroup

    from .models import AgeGroup, SettlementType, Sex

    if not isinstance(value, str):
        return None, ""
    if role == "region":
        found = _c_lookup(version, Region, "iso", value)
        return (found, "") if found else (None, _("This region is not known."))
    if role == "district":
        found = _c_lookup(version, District, "kato", value)
        return (found, "") if found else (None, _("This district is not known."))
    if role == "ethnic_group":
        found = _c_lookup(version, EthnicGroup, "code", value)
        return (found, "") if found else (None, _("This ethnic group is not known."))
    choices = {
        "settlement_type": SettlementType.values,
        "sex": Sex.values,
        "age_group": AgeGroup.values,
    }
    if role in choices:
        if value not in choices[role]:
            return None, _("Choose one of the options offered.")
        return value, ""
    if role == "home_language":
        return value[:10], ""
    return None, ""


def response_check(version: Any, raw: Mapping[str, Any]) -> Checked:
    """Check answers against a questionnaire version (the one check of forms, paper entry,
    interview sync and import): answers to hidden questions are dropped, visible required ones
    must be there, every kind is parsed and validated, unknown codes are ignored and
    demographic questions fill the response's columns. Raises ``ResponseInvalid``."""
    from . import logic

    if not isinstance(raw, Mapping):
        raise ResponseInvalid({"": _("The answers are not understood.")})
    questions = _c_questions(version)
    parsed: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        value, error = _c_value(question, raw)
        if error:
            errors[question.code] = error
        elif value is not None:
            parsed[question.code] = value
    shown = set(logic.visible_codes(questions, parsed))
    answers: dict[str, Any] = {}
    demographics: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for question in questions:
        if question.code not in shown:
            continue
        if question.code in errors:
            problems[question.code] = errors[question.code]
            continue
        if question.code not in parsed:
            if question.required:
                problems[question.code] = _("This question needs an answer.")
            continue
        value = parsed[question.code]
        if question.role:
            column, error = _c_demographic(version, question.role, value)
            if error:
                problems[question.code] = error
                continue
            if column is not None:
                demographics[question.role] = column
        answers[question.code] = value
    if problems:
        raise ResponseInvalid(problems)
    return Checked(answers=answers, demographics=demographics)


def _c_canonical(value: Any) -> Any:
    if hasattr(value, "_meta"):
        for attr in ("iso", "kato", "code"):
            if hasattr(value, attr):
                return getattr(value, attr)
        return value.pk
    return value


def response_content_hash(version: Any, checked: Checked) -> str:
    """sha256 of the canonical JSON of the answers, the demographic columns and the version."""
    body = {
        "version": version.pk,
        "answers": checked.answers,
        "demographics": {k: _c_canonical(v) for k, v in checked.demographics.items()},
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _c_open_for(survey: Any, mode: str) -> None:
    from .models import Mode, Survey

    if survey.status != Survey.Status.FIELDWORK:
        raise DomainError(_("This survey is not collecting answers now."))
    if str(mode) not in [str(m) for m in (survey.modes or [])] or str(mode) not in Mode.values:
        raise DomainError(_("This survey does not collect answers this way."))


def _c_repeat(existing: Any, digest: str) -> tuple[Any, str]:
    """The answer to a client_uuid seen before: the same content is success, other content a
    conflict recorded on the first row (which is kept as it is)."""
    if existing.content_hash == digest:
        return existing, "already"
    from .models import Response

    with transaction.atomic():
        row = Response.objects.select_for_update(of=("self",)).get(pk=existing.pk)
        seen = list(row.conflict or [])
        if all(entry.get("hash") != digest for entry in seen if isinstance(entry, dict)):
            seen.append({"hash": digest, "on": timezone.localdate().isoformat()})
            Response.objects.filter(pk=row.pk).update(conflict=seen)
        row.conflict = seen
    return row, "conflict"


def response_new(
    survey: Any,
    checked: Checked,
    *,
    mode: str,
    language: str,
    client_uuid: str,
    digest: str = "",
    duration_seconds: int | None = None,
    entered_by: Any = None,
    device_digest: str = "",
    submitted_on: Any = None,
    import_job_id: int | None = None,
) -> Any:
    """The unsaved row of a new response, as every way of collecting stores one (the checks of
    ``response_store`` come first; an import of many rows inserts them in batches)."""
    from .models import Response

    if duration_seconds is not None:
        duration_seconds = max(0, min(int(duration_seconds), DURATION_CAP_SECONDS))
    columns: dict[str, Any] = {
        "region": None,
        "district": None,
        "settlement_type": "",
        "sex": "",
        "age_group": "",
        "ethnic_group": None,
        "home_language": "",
    }
    columns.update(checked.demographics)
    return Response(
        survey=survey,
        version=survey.version,
        client_uuid=client_uuid,
        content_hash=digest or response_content_hash(survey.version, checked),
        mode=str(mode),
        language=language,
        submitted_on=submitted_on or timezone.localdate(),
        duration_seconds=duration_seconds,
        answers=checked.answers,
        device_digest=device_digest[:64],
        entered_by=entered_by if entered_by is not None and entered_by.pk else None,
        import_job_id=import_job_id,
        **columns,
    )


def response_store(
    survey: Any,
    checked: Checked,
    *,
    mode: str,
    language: str,
    client_uuid: str,
    duration_seconds: int | None = None,
    entered_by: Any = None,
    device_digest: str = "",
    submitted_on: Any = None,
    import_job_id: int | None = None,
) -> tuple[Any, str]:
    """Store checked answers once per ``client_uuid``: ("created" | "already" | "conflict").
    Refuses a survey out of fieldwork or a way of collecting it does not allow."""
    from .models import Response

    _c_open_for(survey, mode)
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise DomainError(_("The language of the answers is not known."))
    client_uuid = str(client_uuid or "").strip()
    if not client_uuid or len(client_uuid) > 120:
        raise DomainError(_("The answers carry no valid identifier."))
    digest = response_content_hash(survey.version, checked)
    existing = Response.objects.filter(client_uuid=client_uuid).first()
    if existing is not None:
        return _c_repeat(existing, digest)
    response = response_new(
        survey,
        checked,
        mode=mode,
        language=language,
        client_uuid=client_uuid,
        digest=digest,
        duration_seconds=duration_seconds,
        entered_by=entered_by,
        device_digest=device_digest,
        submitted_on=submitted_on,
        import_job_id=import_job_id,
    )
    try:
        with transaction.atomic():
            response.save(force_insert=True)
    except IntegrityError:
        existing = Response.objects.filter(client_uuid=client_uuid).first()
        if existing is None:
            raise
        return _c_repeat(existing, digest)
    return response, "created"


def _c_invitation_digest(token: str) -> str:
    """The stored digest of a panel token (the build section's ``invitation_digest``)."""
    return invitation_digest(token)


def device_digest(survey: Any, cookie: str) -> str:
    """The keyed digest of a browser's random per-survey cookie (never the cookie itself)."""
    if not cookie:
        return ""
    key = settings.PERSONAL_DATA_KEY.encode()
    basis = f"survey-device:{survey.pk}:{cookie}"
    return hmac.new(key, basis.encode(), hashlib.sha256).hexdigest()


def invitation_usable(survey: Any, token: str) -> bool:
    """Whether a panel token is known for this survey and not used yet (read only)."""
    from .models import PanelInvitation

    if not token or len(token) > 200:
        return False
    return PanelInvitation.objects.filter(
        survey=survey, token_digest=_c_invitation_digest(token), used_on__isnull=True
    ).exists()


def response_submit(
    survey: Any,
    raw: Mapping[str, Any],
    *,
    language: str,
    token: str | None = None,
    duration_seconds: int | None = None,
    device_digest: str = "",
) -> Any:
    """A web (or, with ``token``, panel) answer: checked, then stored with a server-made
    client_uuid. A panel token is locked, refused when used, marked used and the response
    written in one transaction; the response never references the invitation."""
    from .models import Mode, PanelInvitation, new_client_uuid

    mode = Mode.WEB if token is None else Mode.PANEL
    _c_open_for(survey, mode)
    checked = response_check(survey.version, raw)
    options: dict[str, Any] = {
        "mode": mode,
        "language": language,
        "client_uuid": new_client_uuid(),
        "duration_seconds": duration_seconds,
        "device_digest": device_digest,
    }
    if token is None:
        response, _status = response_store(survey, checked, **options)
        return response
    refused = _("This invitation is not valid or has already been used.")
    if not token or len(token) > 200:
        raise InvitationRefused(refused)
    with transaction.atomic():
        invitation = (
            PanelInvitation.objects.select_for_update(of=("self",))
            .filter(survey=survey, token_digest=_c_invitation_digest(token))
            .first()
        )
        if invitation is None or invitation.used_on is not None:
            raise InvitationRefused(refused)
        # The guarded update holds even where SELECT … FOR UPDATE is a no-op (SQLite).
        taken = PanelInvitation.objects.filter(pk=invitation.pk, used_on__isnull=True).update(
            used_on=timezone.localdate()
        )
        if taken != 1:
            raise InvitationRefused(refused)
        response, _status = response_store(survey, checked, **options)
    return response


def response_sync(survey: Any, payload: Mapping[str, Any], *, user: Any) -> tuple[int, dict]:
    """One interview sent by the phone: ``{client_uuid, version, language, answers,
    duration}``. 201 created, 200 already there, 409 the same uuid with other content (the
    first kept), 400 invalid (``errors``: question code → message)."""
    from .models import Mode

    if not isinstance(payload, Mapping):
        return 400, {"status": "invalid", "errors": {"": _("The answers are not understood.")}}
    client_uuid = payload.get("client_uuid")
    if not isinstance(client_uuid, str) or not client_uuid.strip() or len(client_uuid) > 120:
        return 400, {
            "status": "invalid",
            "errors": {"": _("The answers carry no valid identifier.")},
        }
    version = payload.get("version")
    if str(version) != str(survey.version_id):
        return 400, {
            "status": "invalid",
            "client_uuid": client_uuid,
            "errors": {"": _("These answers were given on another version of the questionnaire.")},
        }
    answers = payload.get("answers")
    if not isinstance(answers, Mapping):
        return 400, {
            "status": "invalid",
            "client_uuid": client_uuid,
            "errors": {"": _("The answers are not understood.")},
        }
    raw: dict[str, Any] = dict(answers)
    extra = payload.get("demographics")
    if isinstance(extra, Mapping):
        for code, value in extra.items():
            raw.setdefault(str(code), value)
    duration = payload.get("duration")
    seconds = None
    if isinstance(duration, (int, float)) and not isinstance(duration, bool) and duration >= 0:
        seconds = int(duration)
    language = str(payload.get("language") or "kk")
    try:
        checked = response_check(survey.version, raw)
        response, status = response_store(
            survey,
            checked,
            mode=Mode.INTERVIEWER,
            language=language,
            client_uuid=client_uuid.strip(),
            duration_seconds=seconds,
            entered_by=user,
        )
    except ResponseInvalid as error:
        return 400, {"status": "invalid", "client_uuid": client_uuid, "errors": error.errors}
    except DomainError as error:
        return 400, {
            "status": "invalid",
            "client_uuid": client_uuid,
            "errors": {"": str(error.message)},
        }
    code = {"created": 201, "already": 200, "conflict": 409}[status]
    body: dict[str, Any] = {"status": status, "client_uuid": client_uuid}
    if status == "conflict":
        body["errors"] = {
            "": _(
                "Answers with this identifier were already sent with other content; "
                "the first ones are kept."
            )
        }
    return code, body


def paper_client_uuid(survey: Any, number: str) -> str:
    return f"paper:{survey.pk}:{number}"


def paper_number(number: Any) -> str:
    """A paper questionnaire's number as typed, trimmed (spaces inside dropped)."""
    return "".join(str(number or "").split())[:60]


def response_exclude(response: Any, *, user: Any, reason: str) -> Any:
    """Leave a response out of the analysis, with the analyst's reason (audited)."""
    from birlik.access.models import AuditEntry
    from birlik.access.services import audit_record

    reason = " ".join(str(reason or "").split())
    if not reason:
        raise DomainError(_("Say why the response is excluded."), field="reason")
    with transaction.atomic():
        response.excluded = True
        response.excluded_reason = reason[:300]
        response.save(update_fields=["excluded", "excluded_reason"])
        audit_record(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            obj=response,
            organisation_path=str(response.survey.organisation.path),
            changes={"excluded": [False, True]},
            note=reason,
        )
    return response


def response_include(response: Any, *, user: Any) -> Any:
    """Take an excluded response back into the analysis (audited)."""
    from birlik.access.models import AuditEntry
    from birlik.access.services import audit_record

    with transaction.atomic():
        was = response.excluded
        response.excluded = False
        response.excluded_reason = ""
        response.save(update_fields=["excluded", "excluded_reason"])
        audit_record(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            obj=response,
            organisation_path=str(response.survey.organisation.path),
            changes={"excluded": [was, False]},
        )
    return response


# --- Margins, weighting, estimates and the trust index (stats) ------------------------------------

# Margins start from the 2021 census (ethnic groups, all ages) and the settings' sex × age
# shares; regions are never invented: the analyst enters the Bureau's release. Weighing reads the
# eligible responses once, rakes them (``weighting``), stores the weights and the run, and writes
# every estimate (``estimates``) in one transaction.

import typing  # noqa: E402 - the stats section's own import

CENSUS_SOURCE = "2021 census, all ages"
CENSUS_DATE = datetime.date(2021, 10, 1)
SEX_AGE_SOURCE = "SURVEY_SEX_AGE_SHARES setting (adults 18+)"
ETHNIC_MERGE_BELOW = 0.01  # groups under 1 % of the census go to "other"
OTHER_GROUP = "other"
SHARE_TOLERANCE = 0.001
WEIGHT_BATCH = 2000
ESTIMATE_BATCH = 1000
WEIGHABLE = frozenset({Survey.Status.CLOSED, Survey.Status.WEIGHTED, Survey.Status.PUBLISHED})


def _s_census() -> tuple[dict[str, float], dict[str, list[tuple[str, float]]]]:
    counts = {
        code: int(count or 0)
        for code, count in EthnicGroup.objects.filter(population_2021__gt=0).values_list(
            "code", "population_2021"
        )
    }
    total = sum(counts.values())
    shares: dict[str, float] = {}
    members: dict[str, list[tuple[str, float]]] = {}
    if not total:
        return shares, members
    other: dict[str, int] = {}
    for code, count in sorted(counts.items(), key=lambda item: -item[1]):
        if code != OTHER_GROUP and count / total >= ETHNIC_MERGE_BELOW:
            shares[code] = count / total
            members[code] = [(code, 1.0)]
        else:
            other[code] = count
    if other:
        merged = sum(other.values())
        shares[OTHER_GROUP] = merged / total
        members[OTHER_GROUP] = [(code, count / merged) for code, count in other.items()]
    return shares, members


def census_ethnic_shares() -> dict[str, float]:
    """Ethnic shares of the 2021 census (all ages): groups of 1 % or more by their code, the
    rest merged into "other"."""
    return _s_census()[0]


def census_ethnic_members() -> dict[str, list[tuple[str, float]]]:
    """For each category of ``census_ethnic_shares``: its groups and their shares within it."""
    return _s_census()[1]


def _s_margin_guard(user: Any, organisation: Organisation) -> None:
    if user is not None:
        policies.require(user, "surveys.weigh", MarginSet(organisation=organisation))


@transaction.atomic
def margin_set_default(organisation: Organisation, *, user: Any, title: str = "") -> MarginSet:
    """A new margin set of ``organisation`` with the census ethnic groups and the default sex ×
    age shares. It has no regional shares: the analyst adds them from the Bureau of National
    Statistics' release (``margin_set_check`` says so until they do)."""
    from .models import MarginTarget

    _s_margin_guard(user, organisation)
    margin_set = MarginSet.objects.create(
        organisation=organisation,
        title=(title or "").strip()[:200]
        or _("Population margins: 2021 census and adult sex × age"),
    )
    targets = [
        MarginTarget(
            margin_set=margin_set,
            dimension=MarginTarget.Dimension.ETHNIC,
            category=code,
            share=Decimal(f"{share:.6f}"),
            source=CENSUS_SOURCE,
            as_of=CENSUS_DATE,
        )
        for code, share in census_ethnic_shares().items()
    ]
    targets += [
        MarginTarget(
            margin_set=margin_set,
            dimension=MarginTarget.Dimension.SEX_AGE,
            category=category,
            share=Decimal(f"{share:.6f}"),
            source=SEX_AGE_SOURCE,
        )
        for category, share in settings.SURVEY_SEX_AGE_SHARES.items()
    ]
    _s_round_to_one(targets)
    MarginTarget.objects.bulk_create(targets)
    if user is not None:
        audit_record(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=margin_set,
            organisation_path=str(organisation.path),
        )
    return margin_set


def _s_round_to_one(targets: list[Any]) -> None:
    """Shares rounded to six places still sum to exactly 1 per dimension (the largest absorbs
    the rounding)."""
    by_dimension: dict[str, list[Any]] = {}
    for target in targets:
        by_dimension.setdefault(target.dimension, []).append(target)
    for group in by_dimension.values():
        gap = Decimal(1) - sum((t.share for t in group), Decimal(0))
        if gap and abs(gap) < Decimal("0.0001"):
            max(group, key=lambda t: t.share).share += gap


# Margin files: messy headers in kk/ru/en are matched by ``core.spreadsheets``.
def _s_margin_fields() -> list[Any]:
    from django.utils.translation import pgettext

    from birlik.core.spreadsheets import FieldSpec

    return [
        FieldSpec(
            "dimension",
            pgettext("margin file", "dimension"),
            ("dimension", "өлшем", "белгі", "измерение", "признак", "variable", "margin"),
            required=True,
        ),
        FieldSpec(
            "category",
            pgettext("margin file", "category"),
            ("category", "санат", "категория", "group", "топ", "группа", "code", "код"),
            required=True,
        ),
        FieldSpec(
            "share",
            pgettext("margin file", "share"),
            ("share", "үлес", "үлесі", "доля", "proportion"),
        ),
        FieldSpec(
            "percent",
            pgettext("margin file", "percent"),
            ("percent", "%", "пайыз", "процент", "pct"),
        ),
        FieldSpec(
            "count",
            pgettext("margin file", "count"),
            (
                "count",
                "саны",
                "халық саны",
                "число",
                "количество",
                "численность",
                "population",
                "n",
            ),
        ),
        FieldSpec(
            "source", pgettext("margin file", "source"), ("source", "дереккөз", "көзі", "источник")
        ),
        FieldSpec(
            "as_of",
            pgettext("margin file", "as of"),
            (
                "as of",
                "as_of",
                "date",
                "күні",
                "жағдай бойынша",
                "дата",
                "на дату",
                "по состоянию на",
            ),
        ),
    ]


_S_DIMENSIONS = {
    "region": ("region", "облыс", "өңір", "аймақ", "область", "регион"),
    "sex_age": (
        "sex_age",
        "sex age",
        "sex and age",
        "sex × age",
        "sex x age",
        "жынысы және жасы",
        "жыныс және жас",
        "жынысы мен жасы",
        "пол и возраст",
        "пол возраст",
    ),
    "ethnic_group": (
        "ethnic_group",
        "ethnic group",
        "ethnicity",
        "этнос",
        "ұлт",
        "ұлты",
        "этникалық топ",
        "национальность",
        "этническая группа",
    ),
    "settlement_type": (
        "settlement_type",
        "settlement",
        "urban or rural",
        "urban rural",
        "қала ауыл",
        "елді мекен түрі",
        "город село",
        "тип поселения",
        "тип местности",
    ),
    "home_language": (
        "home_language",
        "language",
        "language spoken at home",
        "тіл",
        "үйдегі тіл",
        "язык",
        "язык общения дома",
    ),
}
_S_SEXES = {
    "female": ("female", "women", "woman", "f", "әйел", "әйелдер", "ж", "женщины", "женский"),
    "male": ("male", "men", "man", "m", "ер", "еркек", "ерлер", "м", "мужчины", "мужской"),
}
_S_SETTLEMENTS = {
    "urban": ("urban", "city", "town", "қала", "қалалық", "город", "городское", "городская"),
    "rural": ("rural", "village", "ауыл", "ауылдық", "село", "сельское", "сельская"),
}
_S_OTHER = ("other", "others", "басқа", "басқалар", "басқа ұлттар", "другие", "прочие")


def _s_key(text: Any) -> str:
    from birlik.core.spreadsheets import header_key

    return header_key(str(text or ""))


def _s_lookup(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {_s_key(word): value for value, words in table.items() for word in (value, *words)}


def _s_number(text: str) -> float | None:
    cleaned = re.sub(r"[\s\u00a0\u202f']", "", text or "").rstrip("%")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def _s_date(text: str) -> datetime.date | None | str:
    """A date, None when empty, or the text itself when it is not a date."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y"):
        try:
            return datetime.datetime.strptime(text[:10], pattern).date()
        except ValueError:
            continue
    return text


def _s_categories() -> dict[str, Any]:
    """For each dimension, a function from a file's text to the stored category (None when
    unknown)."""
    regions: dict[str, str] = {}
    for region in Region.objects.all():
        regions[_s_key(region.iso)] = region.iso
        regions[_s_key(region.kato)] = region.iso
        for name in {region.name, *(getattr(region, f"name_{c}", "") for c in ("kk", "ru", "en"))}:
            if name:
                regions[_s_key(name)] = region.iso
    groups: dict[str, str] = {}
    for group in EthnicGroup.objects.all():
        groups[_s_key(group.code)] = group.code
        for name in {group.name, *(getattr(group, f"name_{c}", "") for c in ("kk", "ru", "en"))}:
            if name:
                groups[_s_key(name)] = group.code
    for word in _S_OTHER:
        groups[_s_key(word)] = OTHER_GROUP
    sexes = _s_lookup(_S_SEXES)
    settlements = _s_lookup(_S_SETTLEMENTS)
    ages = {_s_key(age.replace("-", "")): age for age in AgeGroup.values}

    def sex_age(text: str) -> str | None:
        text = text.replace("–", "-").replace("—", "-")
        match = re.match(r"^\s*(.*?)[\s:;,/_|×x]*\s*(\d{2})\s*(?:-\s*(\d{2})|\+)\s*$", text)
        if not match:
            return None
        sex = sexes.get(_s_key(match.group(1)))
        age = ages.get(_s_key(match.group(2) + (match.group(3) or "+")))
        return f"{sex}:{age}" if sex and age else None

    return {
        "region": lambda text: regions.get(_s_key(text)),
        "sex_age": sex_age,
        "ethnic_group": lambda text: groups.get(_s_key(text)),
        "settlement_type": lambda text: settlements.get(_s_key(text)),
        "home_language": lambda text: text.strip().lower()[:60] or None,
    }


@transaction.atomic
def margin_set_upload(margin_set: MarginSet, data: bytes, *, user: Any) -> int:
    """Read margins from a CSV or XLSX file (columns dimension, category, share — or percent, or
    count, normalised per dimension —, source, as of; headers in kk/ru/en) and replace the
    targets of the dimensions it names. All or nothing: any problem refuses the whole file,
    naming the lines. The number of targets stored."""
    from birlik.core.spreadsheets import ImportFileError, extract

    from .models import MarginTarget

    if user is not None:
        policies.require(user, "surveys.weigh", margin_set)
    try:
        table = extract(bytes(data), _s_margin_fields())
    except ImportFileError as error:
        raise DomainError(error.message if hasattr(error, "message") else str(error)) from None
    if (
        "share" not in table.mapping.values()
        and "percent" not in table.mapping.values()
        and ("count" not in table.mapping.values())
    ):
        raise DomainError(_("The file needs a column of shares, percentages or counts."))
    dimensions = _s_lookup(_S_DIMENSIONS)
    readers = _s_categories()
    problems: list[str] = []
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for line, row in table.rows:
        dimension = dimensions.get(_s_key(row.get("dimension", "")))
        if dimension is None:
            problems.append(
                _("Line %(line)s: unknown dimension «%(value)s».")
                % {"line": line, "value": row.get("dimension", "")}
            )
            continue
        text = row.get("category", "")
        category = readers[dimension](text)
        if category is None:
            problems.append(
                _("Line %(line)s: unknown category «%(value)s» of «%(dimension)s».")
                % {
                    "line": line,
                    "value": text,
                    "dimension": MarginTarget.Dimension(dimension).label,
                }
            )
            continue
        share_text = row.get("share", "")
        percent_text = row.get("percent", "")
        count_text = row.get("count", "")
        if share_text.strip():
            value, kind = _s_number(share_text), "share"
            if value is not None and share_text.strip().endswith("%"):
                value /= 100
        elif percent_text.strip():
            value, kind = _s_number(percent_text), "share"
            if value is not None:
                value /= 100
        elif count_text.strip():
            value, kind = _s_number(count_text), "count"
        else:
            value, kind = None, "share"
        if value is None or value < 0:
            problems.append(
                _("Line %(line)s: the share or count of «%(value)s» must be a number, 0 or more.")
                % {"line": line, "value": text}
            )
            continue
        as_of = _s_date(row.get("as_of", ""))
        if isinstance(as_of, str):
            problems.append(
                _("Line %(line)s: «%(value)s» is not a date (write 2025-12-01 or 01.12.2025).")
                % {"line": line, "value": as_of}
            )
            continue
        by_category = found.setdefault(dimension, {})
        if category in by_category:
            problems.append(
                _("Line %(line)s: «%(value)s» of «%(dimension)s» is given twice.")
                % {
                    "line": line,
                    "value": text,
                    "dimension": MarginTarget.Dimension(dimension).label,
                }
            )
            continue
        by_category[category] = {
            "value": value,
            "kind": kind,
            "source": row.get("source", "").strip()[:300],
            "as_of": as_of,
        }
    if not found and not problems:
        raise DomainError(_("The file has no margins."))
    targets: list[Any] = []
    for dimension, by_category in found.items():
        label = MarginTarget.Dimension(dimension).label
        kinds = {entry["kind"] for entry in by_category.values()}
        if len(kinds) > 1:
            problems.append(
                _("«%(dimension)s» mixes shares and counts: give one or the other.")
                % {"dimension": label}
            )
            continue
        total = sum(entry["value"] for entry in by_category.values())
        if total <= 0:
            problems.append(_("«%(dimension)s» sums to zero.") % {"dimension": label})
            continue
        if kinds == {"share"} and abs(total - 1) > SHARE_TOLERANCE:
            problems.append(
                _("The shares of «%(dimension)s» sum to %(total)s, not 1 (± %(tolerance)s).")
                % {"dimension": label, "total": f"{total:.4f}", "tolerance": SHARE_TOLERANCE}
            )
            continue
        for category, entry in by_category.items():
            targets.append(
                MarginTarget(
                    margin_set=margin_set,
                    dimension=dimension,
                    category=category,
                    share=Decimal(f"{entry['value'] / total:.6f}"),
                    source=entry["source"],
                    as_of=entry["as_of"],
                )
            )
    if problems:
        shown = problems[:12]
        if len(problems) > len(shown):
            shown.append(_("…and %(count)s more.") % {"count": len(problems) - len(shown)})
        raise DomainError(_("Nothing was stored: %(problems)s") % {"problems": " ".join(shown)})
    _s_round_to_one(targets)
    MarginTarget.objects.filter(margin_set=margin_set, dimension__in=list(found)).delete()
    MarginTarget.objects.bulk_create(targets)
    if user is not None:
        audit_record(
            actor=user,
            action=AuditEntry.Action.IMPORT,
            obj=margin_set,
            organisation_path=str(margin_set.organisation.path),
            note=", ".join(sorted(found)),
        )
    return len(targets)


def margin_set_check(margin_set: MarginSet) -> list[str]:
    """What stops the margin set from weighting a survey, one translated sentence each (an
    empty list: ready)."""
    from .models import MarginTarget

    problems: list[str] = []
    targets = list(margin_set.targets.all())
    if not targets:
        return [_("The margin set has no targets yet.")]
    readers = {
        "region": set(Region.objects.values_list("iso", flat=True)),
        "ethnic_group": set(EthnicGroup.objects.values_list("code", flat=True)) | {OTHER_GROUP},
        "sex_age": {f"{s}:{a}" for s in Sex.values for a in AgeGroup.values},
        "settlement_type": set(SettlementType.values),
    }
    by_dimension: dict[str, list[Any]] = {}
    for target in targets:
        by_dimension.setdefault(target.dimension, []).append(target)
    if MarginTarget.Dimension.REGION not in by_dimension:
        problems.append(
            _(
                "No regional shares yet: enter them from the Bureau of National Statistics' "
                "release for the survey's date, with the source and date (they are never "
                "filled in for you)."
            )
        )
    for dimension, group in sorted(by_dimension.items()):
        try:
            label = MarginTarget.Dimension(dimension).label
        except ValueError:
            problems.append(_("Unknown dimension «%(value)s».") % {"value": dimension})
            continue
        total = sum(float(t.share) for t in group)
        if abs(total - 1) > SHARE_TOLERANCE:
            problems.append(
                _("The shares of «%(dimension)s» sum to %(total)s, not 1 (± %(tolerance)s).")
                % {"dimension": label, "total": f"{total:.4f}", "tolerance": SHARE_TOLERANCE}
            )
        negative = [t.category for t in group if t.share < 0]
        if negative:
            problems.append(
                _("Negative shares in «%(dimension)s»: %(categories)s.")
                % {"dimension": label, "categories": ", ".join(negative)}
            )
        known = readers.get(dimension)
        unknown = sorted(t.category for t in group if known is not None and t.category not in known)
        if unknown:
            problems.append(
                _("Unknown categories of «%(dimension)s»: %(categories)s.")
                % {"dimension": label, "categories": ", ".join(unknown)}
            )
        if any(not t.source.strip() for t in group):
            problems.append(
                _(
                    "«%(dimension)s» has shares without a source: write where each figure "
                    "comes from."
                )
                % {"dimension": label}
            )
    return problems


def _s_frame_value(dimension: str, demographics: Mapping[str, Any], categories: set[str]) -> Any:
    """Each respondent's category of a margin dimension (numpy array of object, None when
    missing); small ethnic groups fall into "other" when the margins merge them."""
    import numpy as np

    if dimension == "sex_age":
        sex = demographics["sex"]
        age = demographics["age_group"]
        joined = np.char.add(np.char.add(sex.astype(str), ":"), age.astype(str)).astype(object)
        joined[(sex == "") | (age == "")] = None
        return joined
    values = demographics[dimension].copy()
    if dimension == "ethnic_group" and OTHER_GROUP in categories:
        values[(values != "") & ~np.isin(values, list(categories))] = OTHER_GROUP
    values[values == ""] = None
    return values


def _s_item_method(sample: Any) -> dict[str, Any]:
    """The trust index's method note: α, first-factor loadings, item non-response."""
    import numpy as np

    from . import estimates

    items = estimates.index_items(sample.table())
    scores = estimates.index_scores(sample.table())
    complete = items[~np.isnan(items).any(axis=1)]
    alpha = trust_index.cronbach_alpha(complete)
    loadings = trust_index.first_factor_loadings(complete)
    n = max(len(sample), 1)
    return {
        "index": trust_index.VERSION,
        "alpha": alpha,
        "alpha_below": alpha is not None and alpha < trust_index.ALPHA_ACCEPTABLE,
        "loadings": dict(zip(trust_index.ITEM_CODES, loadings, strict=True)) if loadings else {},
        "complete_cases": int(len(complete)),
        "item_nonresponse": {
            code: round(float(np.isnan(items[:, i]).sum()) / n, 6)
            for i, code in enumerate(trust_index.ITEM_CODES)
        },
        "without_score": round(float(np.isnan(scores).sum()) / n, 6),
    }


def _s_store_weights(ids: Any, weights: Any) -> None:
    """One parameterised UPDATE per response, sent in batches (``executemany``): ``bulk_update``
    builds a CASE expression per row and takes minutes for 100,000 responses."""
    from django.db import connection

    from .models import Response

    quote = connection.ops.quote_name
    table, weight, key = quote(Response._meta.db_table), quote("weight"), quote("id")
    sql = f"UPDATE {table} SET {weight} = %s WHERE {key} = %s"  # noqa: S608 - names, values bound
    pairs = [(float(w), int(pk)) for pk, w in zip(ids, weights, strict=True)]
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), WEIGHT_BATCH):
            cursor.executemany(sql, pairs[start : start + WEIGHT_BATCH])


def _s_iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


if typing.TYPE_CHECKING:
    from .models import WeightingRun


@transaction.atomic
def survey_weigh(survey: Survey, *, user: Any) -> WeightingRun:
    """Weigh the survey's eligible responses (not excluded) to its margin set, store the
    weights and a new ``WeightingRun`` with its estimates; the survey becomes "weighted" (a
    published one stays published, showing the new run). Refused with a message when the
    fieldwork is still open, the margins are missing or invalid, or the sample cannot meet
    them."""
    from . import estimates

    survey = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    if user is not None:
        policies.require(user, "surveys.weigh", survey)
    if survey.status not in WEIGHABLE:
        raise DomainError(_("Close the fieldwork before weighing the survey."))
    margin_set = survey.margin_set
    if margin_set is None:
        raise DomainError(_("Choose the population margins of the survey before weighing it."))
    problems = margin_set_check(margin_set)
    if problems:
        raise DomainError(
            _("The margins cannot be used yet: %(problems)s") % {"problems": " ".join(problems)}
        )
    targets = list(margin_set.targets.all())
    margins: dict[str, dict[str, float]] = {}
    for target in targets:
        margins.setdefault(target.dimension, {})[target.category] = float(target.share)

    with estimates.no_cyclic_gc():
        return _s_weigh(survey, user, margin_set, targets, margins)


def _s_weigh(
    survey: Survey,
    user: Any,
    margin_set: MarginSet,
    targets: list[Any],
    margins: dict[str, dict[str, float]],
) -> WeightingRun:
    import numpy as np

    from . import estimates, weighting
    from .models import Response, WeightingRun

    sample = estimates.load_sample(survey)
    if not len(sample):
        raise DomainError(_("There are no responses to weigh."))
    frame_columns = {
        dimension: _s_frame_value(dimension, sample.demographics, set(categories))
        for dimension, categories in margins.items()
    }
    complete = np.ones(len(sample), dtype=bool)
    notes: list[str] = []
    for dimension, values in frame_columns.items():
        missing = np.array([v is None for v in values], dtype=bool)
        if missing.any():
            notes.append(
                _(
                    "%(count)s responses have no «%(dimension)s» and are left out of the "
                    "weighted results."
                )
                % {
                    "count": int(missing.sum()),
                    "dimension": weighting._label(dimension),
                }
            )
        complete &= ~missing
    if not complete.any():
        raise DomainError(_("No response has every characteristic the margins weigh by."))
    import pandas as pd

    frame = pd.DataFrame({d: v[complete] for d, v in frame_columns.items()})
    weights = weighting.rake(frame, margins, cap=float(survey.trim_cap))
    kept = sample.subset(complete)
    kept.weights = np.asarray(weights.values, dtype=float)

    # Every response of the survey gets this run's weight or none: the weighed ones are
    # written below; only the others (excluded, or lacking a characteristic) are cleared.
    Response.objects.filter(survey=survey, excluded=True).exclude(weight=None).update(weight=None)
    left_out = [int(pk) for pk in sample.ids[~complete]]
    for start in range(0, len(left_out), WEIGHT_BATCH):
        Response.objects.filter(pk__in=left_out[start : start + WEIGHT_BATCH]).update(weight=None)
    _s_store_weights(kept.ids, kept.weights)
    by_target = {(t.dimension, t.category): t for t in targets}
    errors = weights.margin_errors
    snapshot = {
        "margin_set": {"id": margin_set.pk, "title": margin_set.title},
        "targets": {
            dimension: {
                category: {
                    "share": share,
                    "source": by_target[(dimension, category)].source,
                    "as_of": _s_iso(by_target[(dimension, category)].as_of),
                    "error_pp": round(errors.get(dimension, {}).get(category, 0.0), 8),
                }
                for category, share in by_category.items()
            }
            for dimension, by_category in margins.items()
        },
    }
    method: dict[str, Any] = {
        "eligible": len(sample),
        "weighted": len(kept),
        "min_per_category": weighting.MIN_PER_CATEGORY,
        "convergence": weighting.CONVERGENCE,
        "variance": "Taylor linearisation, with replacement, weights fixed",
        "interval": "95 %; shares on the logit scale",
        "min_cell": survey.min_cell,
        "caution_cell": survey.caution_cell,
    }
    if survey.is_trust_index:
        method.update(_s_item_method(kept))
    run = WeightingRun.objects.create(
        survey=survey,
        margins=snapshot,
        trim_cap=float(survey.trim_cap),
        library=f"{weights.library}; numpy {np.__version__}; pandas {pd.__version__}",
        iterations=weights.iterations,
        n=weights.n,
        deff=weights.deff,
        effective_n=weights.effective_n,
        smallest_weight=weights.smallest,
        largest_weight=weights.largest,
        worst_margin_error=weights.worst_margin_error,
        method=method,
        warnings=[str(note) for note in notes] + list(weights.warnings),
        created_by=user if user is not None and getattr(user, "pk", None) else None,
    )
    estimates.insert(estimates.compute(survey, run, sample=kept), batch=ESTIMATE_BATCH)
    if survey.status != Survey.Status.PUBLISHED:
        survey.status = Survey.Status.WEIGHTED
        survey.save(update_fields=["status"])
    if user is not None:
        audit_record(
            actor=user,
            action=AuditEntry.Action.CREATE,
            obj=run,
            organisation_path=str(survey.organisation.path),
            note=f"n={run.n} deff={run.deff:.3f}",
        )
    return run


@transaction.atomic
def survey_publish(survey: Survey, *, user: Any) -> Survey:
    """Make a weighted survey's results public (its latest run)."""
    survey = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    if user is not None:
        policies.require(user, "surveys.publish", survey)
    if survey.status not in (Survey.Status.WEIGHTED, Survey.Status.PUBLISHED) or (
        not survey.runs.exists()
    ):
        raise DomainError(_("Only a weighted survey can be published: weigh it first."))
    if survey.status != Survey.Status.PUBLISHED or not survey.public:
        survey.status = Survey.Status.PUBLISHED
        survey.public = True
        survey.save(update_fields=["status", "public"])
        if user is not None:
            audit_record(
                actor=user,
                action=AuditEntry.Action.UPDATE,
                obj=survey,
                organisation_path=str(survey.organisation.path),
                changes={"public": [False, True]},
            )
    return survey


@transaction.atomic
def survey_unpublish(survey: Survey, *, user: Any) -> Survey:
    """Withdraw a survey's public results; it stays weighted."""
    survey = Survey.objects.select_for_update(of=("self",)).get(pk=survey.pk)
    if user is not None:
        policies.require(user, "surveys.publish", survey)
    if survey.status != Survey.Status.PUBLISHED and not survey.public:
        raise DomainError(_("The survey's results are not published."))
    survey.status = Survey.Status.WEIGHTED
    survey.public = False
    survey.save(update_fields=["status", "public"])
    if user is not None:
        audit_record(
            actor=user,
            action=AuditEntry.Action.UPDATE,
            obj=survey,
            organisation_path=str(survey.organisation.path),
            changes={"public": [True, False]},
        )
    return survey


# --- The expert council: plans, studies, recommendations (council) --------------------------------

# Imports of this section only (the shared ones are at the top of the module); utilities other
# sections may import too are imported where they are used.
from birlik.appeals.models import StateBody  # noqa: E402
from birlik.core.record_actions import RecordActions  # noqa: E402
from birlik.registry.models import Person  # noqa: E402

from . import policies as survey_policies  # noqa: E402
from . import queries as council_queries  # noqa: E402
from .models import Recommendation, ResearchPlan, Study, StudyMember  # noqa: E402

COUNCIL_LANGUAGES = ("kk", "ru", "en")
# A recommendation's answer is due, unless the council sets a date, in 15 working days from the
# day it was sent: the general term of the APPC (Article 76) that proposals to state bodies
# (``appeals.services.proposal_send``) follow too, counted on the working-day calendar.
RECOMMENDATION_ANSWER_WORKING_DAYS = 15
RECOMMENDATION_TEXT_MIN = 20
PLAN_YEARS = (2000, 2100)
# A study's report: a PDF, or a Word document (DOCX) recognised by its content, within the
# limit of attachments (``core.uploads.ATTACHMENT_LIMIT``, the setting's name).
REPORT_LIMIT = "EVENT_ATTACHMENT_MAX_BYTES"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REPORT_EXTENSIONS = {"application/pdf": "pdf", DOCX: "docx"}
# The stage a study moves to from each stage: draft → approved → fieldwork → analysis → done.
STUDY_NEXT: dict[str, str] = {
    Study.Status.DRAFT: Study.Status.APPROVED,
    Study.Status.APPROVED: Study.Status.FIELDWORK,
    Study.Status.FIELDWORK: Study.Status.ANALYSIS,
    Study.Status.ANALYSIS: Study.Status.DONE,
}
STUDY_PREVIOUS = {after: before for before, after in STUDY_NEXT.items()}


class CouncilError(DomainError):
    pass


def _council_path(obj: ResearchPlan | Study | Recommendation) -> str:
    """The path of the council a plan, study or recommendation belongs to."""
    if isinstance(obj, Study):
        return str(obj.plan.organisation.path)
    return str(obj.organisation.path)


def _council_audit(
    obj: ResearchPlan | Study | Recommendation,
    actor: User,
    action: str,
    changes: dict[str, Any],
    note: str = "",
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=obj,
        organisation_path=_council_path(obj),
        changes=changes,
        note=note,
    )


def _council_invalidate() -> None:
    from birlik.core import kpi

    transaction.on_commit(kpi.invalidate)


def _council_texts(prefix: str, values: Mapping[str, str], limit: int | None) -> dict[str, str]:
    texts = {}
    for language in COUNCIL_LANGUAGES:
        text = str(values.get(language) or "").strip()
        texts[f"{prefix}_{language}"] = text[:limit] if limit else text
    return texts


# --- Research plans


@transaction.atomic
def research_plan_create(
    *, actor: User, organisation: Organisation, year: int, notes: str = ""
) -> ResearchPlan:
    """A council or expert group the actor keeps opens its plan for a year, once."""
    policies.require(actor, "surveys.keep_council", str(organisation.path))
    if organisation.kind.code not in survey_policies.COUNCIL_KINDS:
        raise CouncilError(
            _("A research plan belongs to a scientific-expert council or an expert group."),
            field="organisation",
        )
    if not PLAN_YEARS[0] <= year <= PLAN_YEARS[1]:
        raise CouncilError(_("Give the year of the plan, for example 2027."), field="year")
    duplicate = _("This council already has a research plan for %(year)s.") % {"year": year}
    if ResearchPlan.objects.filter(organisation=organisation, year=year).exists():
        raise CouncilError(duplicate, field="year")
    try:
        with transaction.atomic():
            plan = ResearchPlan.objects.create(
                organisation=organisation, year=year, notes=notes.strip()
            )
    except IntegrityError as error:  # another request made the same plan meanwhile
        raise CouncilError(duplicate, field="year") from error
    _council_audit(plan, actor, AuditEntry.Action.CREATE, {"year": [None, year]})
    return plan


# --- Studies


def _council_study_locked(study: Study) -> Study:
    return (
        Study.objects.select_for_update(of=("self",))
        .select_related("plan", "plan__organisation")
        .get(pk=study.pk)
    )


def _council_check_survey(actor: User, survey: Survey | None) -> None:
    if survey is not None and not (
        policies.scoped(Survey.objects.filter(pk=survey.pk), actor).exists()
    ):
        raise CouncilError(_("Choose a survey from the list."), field="survey")


def _council_check_study_open(actor: User, study: Study) -> None:
    policies.require(actor, "surveys.keep_council", study)
    if study.status == Study.Status.DONE:
        raise CouncilError(_("A completed study is not changed any more."))


@transaction.atomic
def study_create(
    *,
    actor: User,
    plan: ResearchPlan,
    titles: Mapping[str, str],
    method: str = "",
    regions: list[Region] | None = None,
    survey: Survey | None = None,
) -> Study:
    """A council's staff draft a study of the plan: its title in at least one language, the
    method, the regions, and the survey it runs on if any. Another person approves it."""
    policies.require(actor, "surveys.keep_council", plan)
    texts = _council_texts("title", titles, 300)
    if not any(texts.values()):
        raise CouncilError(_("Give the title of the study."), field="title_kk")
    _council_check_survey(actor, survey)
    study = Study.objects.create(
        plan=plan, method=method.strip(), survey=survey, drafted_by=actor, **texts
    )
    study.regions.set(regions or [])
    _council_audit(study, actor, AuditEntry.Action.CREATE, {"status": [None, study.status]})
    return study


@transaction.atomic
def study_update(
    *,
    actor: User,
    study: Study,
    titles: Mapping[str, str],
    method: str,
    regions: list[Region],
    survey: Survey | None,
    findings: Mapping[str, str],
) -> Study:
    """Edit a study until it is completed: title and findings in kk/ru/en, method, regions,
    survey."""
    study = _council_study_locked(study)
    _council_check_study_open(actor, study)
    texts = _council_texts("title", titles, 300)
    if not any(texts.values()):
        raise CouncilError(_("Give the title of the study."), field="title_kk")
    _council_check_survey(actor, survey)
    texts.update(_council_texts("findings", findings, None))
    for name, value in texts.items():
        setattr(study, name, value)
    study.method = method.strip()
    study.survey = survey
    study.save()
    study.regions.set(regions)
    _council_audit(study, actor, AuditEntry.Action.UPDATE, {"fields": [None, "edited"]})
    return study


def _council_check_study_move(actor: User, study: Study, to: str) -> None:
    """The rule of each step, asked by the service and by the page: keepers of the council
    move a study one stage on; a second person, not its drafter, approves it; it is completed
    with its findings (in one language at least) and its report file."""
    policies.require(actor, "surveys.keep_council", study)
    if STUDY_PREVIOUS.get(to) != study.status:
        raise CouncilError(_("The study is not at the stage before this one."))
    if to == Study.Status.APPROVED:
        if study.drafted_by_id is not None and study.drafted_by_id == actor.pk:
            raise CouncilError(_("A second person approves a study, not the one who drafted it."))
        policies.require(actor, "surveys.approve_study", study)
    if to == Study.Status.DONE:
        if not any(getattr(study, f"findings_{lang}") for lang in COUNCIL_LANGUAGES):
            raise CouncilError(
                _("Write the findings in at least one language before completing the study.")
            )
        if not study.report:
            raise CouncilError(_("Upload the report before completing the study."))


def study_actions(user: User, study: Study) -> RecordActions:
    """The stages ``user`` may move ``study`` to now, by the service's own checks; the next
    stage is the next step."""
    from birlik.core.record_actions import evaluate

    checks = {
        str(to): (lambda to=to: _council_check_study_move(user, study, to))
        for to in STUDY_NEXT.values()
    }
    return evaluate(checks, lambda allowed: STUDY_NEXT.get(study.status))


@transaction.atomic
def study_move(*, actor: User, study: Study, to: str) -> Study:
    """Move a study one stage on (see ``_council_check_study_move``)."""
    from birlik.core.workdays import legal_today

    study = _council_study_locked(study)
    _council_check_study_move(actor, study, to)
    before = study.status
    study.status = to
    fields = ["status"]
    if to == Study.Status.APPROVED:
        study.approved_by = actor
        study.approved_on = legal_today()
        fields += ["approved_by", "approved_on"]
    if to == Study.Status.DONE:
        study.completed_on = legal_today()
        fields.append("completed_on")
        _council_invalidate()
    study.save(update_fields=fields)
    _council_audit(study, actor, AuditEntry.Action.UPDATE, {"status": [before, to]})
    return study


@transaction.atomic
def study_member_add(*, actor: User, study: Study, person: Person, role: str) -> StudyMember:
    """Put an expert on the study's team: someone holding an expert membership in a council
    or expert group the actor keeps; one lead researcher at most."""
    from birlik.core.workdays import legal_today

    study = _council_study_locked(study)
    _council_check_study_open(actor, study)
    experts = council_queries.council_experts(user=actor, on=legal_today())
    if not experts.filter(pk=person.pk).exists():
        raise CouncilError(
            _("Choose an expert of a council or an expert group you work for."), field="person"
        )
    if role not in StudyMember.Role.values:
        raise CouncilError(_("Choose the role in the team."), field="role")
    if study.team.filter(person=person).exists():
        raise CouncilError(_("This expert is already on the team."), field="person")
    if role == StudyMember.Role.LEAD and study.team.filter(role=StudyMember.Role.LEAD).exists():
        raise CouncilError(
            _("The study already has a lead researcher: add this expert as a team member."),
            field="role",
        )
    member = StudyMember.objects.create(study=study, person=person, role=role)
    _council_audit(study, actor, AuditEntry.Action.UPDATE, {"team": [None, person.pk]})
    return member


@transaction.atomic
def study_member_remove(*, actor: User, study: Study, member: StudyMember) -> None:
    """Take an expert off the study's team (not once the study is completed)."""
    study = _council_study_locked(study)
    _council_check_study_open(actor, study)
    if member.study_id != study.pk:
        raise CouncilError(_("This expert is not on the team of this study."))
    person_id = member.person_id
    member.delete()
    _council_audit(study, actor, AuditEntry.Action.UPDATE, {"team": [person_id, None]})


def _council_docx(data: bytes) -> bool:
    """A Word document (an OOXML package holding ``word/document.xml``) without macros."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return False
    return {"[Content_Types].xml", "word/document.xml"} <= names


def study_report_check(upload: Any) -> tuple[bytes, str]:
    """The report's bytes and content type: a PDF or a DOCX, judged by the content, within
    the size limit; anything else is refused with a message."""
    from birlik.core import uploads

    if upload is None:
        raise CouncilError(_("Choose a file."), field="file")
    uploads.check_size(getattr(upload, "size", None), REPORT_LIMIT)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        data = upload.read(uploads.limit_bytes(REPORT_LIMIT) + 1)
        uploads.check_size(len(data), REPORT_LIMIT)
        if _council_docx(data):
            return data, DOCX
    elif head.startswith(b"%PDF-"):
        checked = uploads.check_file(upload, kinds={uploads.PDF}, max_bytes=REPORT_LIMIT)
        return checked.data, checked.content_type
    elif not head:
        raise CouncilError(_("The file is empty."), field="file")
    raise CouncilError(_("Upload the report as a PDF or a Word (DOCX) file."), field="file")


@transaction.atomic
def study_report_upload(*, actor: User, study: Study, upload: Any) -> Study:
    """Keep the study's report (PDF or DOCX) under a random name; the name the file had is
    kept for the download. It replaces an earlier report until the study is completed."""
    from django.core.files.base import ContentFile

    from birlik.core import uploads

    study = _council_study_locked(study)
    _council_check_study_open(actor, study)
    try:
        data, content_type = study_report_check(upload)
    except uploads.UploadError as error:
        raise CouncilError(error.message, field="file") from error
    old = study.report.name if study.report else ""
    extension = REPORT_EXTENSIONS[content_type]
    original = str(getattr(upload, "name", "") or "").replace("\\", "/").split("/")[-1]
    study.report.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(data), save=False)
    study.report_name = original[:200] or f"report.{extension}"
    study.save(update_fields=["report", "report_name"])
    if old:
        storage, name = study.report.storage, old
        transaction.on_commit(lambda: storage.delete(name))
    _council_audit(study, actor, AuditEntry.Action.UPDATE, {"report": [old or None, "uploaded"]})
    return study


def study_report_open(*, actor: User, study: Study) -> tuple[Any, str, str]:
    """The report's open file, content type and download name, for a reader of the council."""
    policies.require(actor, "surveys.view_council", study)
    if not study.report:
        raise CouncilError(_("The study has no report yet."))
    extension = str(study.report.name or "").rsplit(".", 1)[-1].lower()
    content_type = next(
        (kind for kind, ext in REPORT_EXTENSIONS.items() if ext == extension),
        "application/octet-stream",
    )
    name = study.report_name or f"study-{study.pk}.{extension}"
    return study.report.open("rb"), content_type, name


# --- Recommendations


def recommendation_state_bodies(councils: list[Organisation]) -> Any:
    """The state bodies a council may address: ministries, and the state bodies of its region
    (a national council: those without a region)."""
    from django.db.models import Q

    near = Q(kind=StateBody.Kind.MINISTRY)
    for council in councils:
        if council.region_id is None:
            near |= Q(region__isnull=True)
        else:
            near |= Q(region_id=council.region_id)
    return StateBody.objects.filter(near, is_active=True).order_by("kind", "name")


@transaction.atomic
def recommendation_draft(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    text: str,
    to_body: Organisation | None = None,
    to_state_body: StateBody | None = None,
    study: Study | None = None,
    alert: Any = None,
) -> Recommendation:
    """A council drafts a recommendation, from one of its studies or from an early-warning
    alert the actor may see, to one addressee: an Assembly body of its region (the whole
    network for the national council) or a state body."""
    policies.require(actor, "surveys.keep_council", str(organisation.path))
    if organisation.kind.code not in survey_policies.COUNCIL_KINDS:
        raise CouncilError(
            _("A recommendation comes from a scientific-expert council or an expert group."),
            field="organisation",
        )
    if study is not None and study.plan.organisation_id != organisation.pk:
        raise CouncilError(
            _("The study belongs to another council: make the recommendation from there."),
            field="organisation",
        )
    if alert is not None and not policies.can(actor, "monitoring.view_alerts", alert):
        raise CouncilError(_("This alert is not one you may see."))
    if (to_body is None) == (to_state_body is None):
        raise CouncilError(
            _("Address the recommendation to one Assembly body or to one state body."),
            field="to_body",
        )
    addressees = council_queries.recommendation_addressees(councils=[organisation])
    if to_body is not None and not addressees.filter(pk=to_body.pk).exists():
        raise CouncilError(_("Choose a body from the list."), field="to_body")
    if to_state_body is not None and not (
        recommendation_state_bodies([organisation]).filter(pk=to_state_body.pk).exists()
    ):
        raise CouncilError(_("Choose a state body from the list."), field="to_state_body")
    if not title.strip():
        raise CouncilError(_("Give the title of the recommendation."), field="title")
    if len(text.strip()) < RECOMMENDATION_TEXT_MIN:
        raise CouncilError(
            _("Write the recommendation and its grounds (at least %(count)s characters).")
            % {"count": RECOMMENDATION_TEXT_MIN},
            field="text",
        )
    recommendation = Recommendation.objects.create(
        organisation=organisation,
        study=study,
        alert=alert,
        title=title.strip()[:300],
        text=text.strip(),
        to_body=to_body,
        to_state_body=to_state_body,
        drafted_by=actor,
    )
    _council_audit(recommendation, actor, AuditEntry.Action.CREATE, {"status": [None, "draft"]})
    return recommendation


def recommendation_answer_due(sent_on: datetime.date) -> datetime.date:
    """The default term of the answer: 15 working days from the day it was sent."""
    from birlik.core.workdays import add_working_days

    return add_working_days(sent_on, RECOMMENDATION_ANSWER_WORKING_DAYS)


def _council_recommendation_locked(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("organisation", "to_body")
        .get(pk=recommendation.pk)
    )


def _council_check_send(actor: User, recommendation: Recommendation) -> None:
    policies.require(actor, "surveys.keep_council", recommendation)
    if recommendation.status != Recommendation.Status.DRAFT:
        raise CouncilError(_("Only a draft recommendation is sent."))


def _council_check_answer(actor: User, recommendation: Recommendation) -> None:
    policies.require(actor, "surveys.answer_recommendation", recommendation)
    if recommendation.status not in {
        Recommendation.Status.SENT,
        Recommendation.Status.ANSWERED,
    }:
        raise CouncilError(_("The answer is recorded once the recommendation has been sent."))


def _council_check_decide(actor: User, recommendation: Recommendation) -> None:
    policies.require(actor, "surveys.keep_council", recommendation)
    if recommendation.status not in {
        Recommendation.Status.ANSWERED,
        Recommendation.Status.DECIDED,
    }:
        raise CouncilError(_("The council decides once the answer has been recorded."))


RECOMMENDATION_NEXT: dict[str, str] = {
    Recommendation.Status.DRAFT: "send",
    Recommendation.Status.SENT: "answer",
    Recommendation.Status.ANSWERED: "decide",
}


def recommendation_actions(user: User, recommendation: Recommendation) -> RecordActions:
    """What ``user`` may do on the recommendation now, by the service's checks: send the
    draft, record the answer, record the council's decision."""
    from birlik.core.record_actions import evaluate

    checks = {
        "send": lambda: _council_check_send(user, recommendation),
        "answer": lambda: _council_check_answer(user, recommendation),
        "decide": lambda: _council_check_decide(user, recommendation),
    }
    return evaluate(checks, lambda allowed: RECOMMENDATION_NEXT.get(recommendation.status))


def _council_notify_sent(recommendation: Recommendation) -> None:
    """An outbox notice to each member of staff of the addressed Assembly body, in their
    language, with the title, the due date and the page's address."""
    from django.urls import reverse
    from django.utils import translation

    from birlik.notify.services import notice_queue

    body = recommendation.to_body
    if body is None or recommendation.response_due is None:
        return
    for user in body_staff(body):
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            path = reverse("surveys:recommendation", kwargs={"pk": recommendation.pk})
            values = {
                "council": recommendation.organisation.name,
                "body": body.name,
                "title": recommendation.title,
                "due": recommendation.response_due.strftime("%d.%m.%Y"),
                "url": settings.SITE_URL.rstrip("/") + path,
            }
            subject = _("A recommendation of the expert council")
            text = (
                _(
                    "The expert council “%(council)s” sent a recommendation to %(body)s: "
                    "%(title)s. Answer due: %(due)s. Open it: %(url)s"
                )
                % values
            )
        notice_queue(
            channel="email",
            recipient=user.email,
            subject=subject,
            body=text,
            language=language,
            key=f"recommendation:{recommendation.pk}:sent:user{user.pk}",
            organisation_path=str(body.path),
        )


@transaction.atomic
def recommendation_send(
    *,
    actor: User,
    recommendation: Recommendation,
    response_due: datetime.date | None = None,
) -> Recommendation:
    """Send a draft: sent today; the answer is due on the date the council sets or in 15
    working days; the staff of an addressed Assembly body get a notice."""
    from birlik.core.workdays import legal_today

    recommendation = _council_recommendation_locked(recommendation)
    _council_check_send(actor, recommendation)
    today = legal_today()
    due = response_due or recommendation_answer_due(today)
    if due <= today:
        raise CouncilError(_("The answer's due date must come after today."), field="response_due")
    recommendation.status = Recommendation.Status.SENT
    recommendation.sent_on = today
    recommendation.response_due = due
    recommendation.save(update_fields=["status", "sent_on", "response_due"])
    _council_audit(recommendation, actor, AuditEntry.Action.UPDATE, {"status": ["draft", "sent"]})
    _council_notify_sent(recommendation)
    _council_invalidate()
    return recommendation


@transaction.atomic
def recommendation_answer(
    *,
    actor: User,
    recommendation: Recommendation,
    answered_on: datetime.date,
    response_text: str,
) -> Recommendation:
    """Record the addressee's answer: by the addressed body's staff, or (a state body's
    answer) by the council's staff; dated between the sending and today."""
    from birlik.core.workdays import legal_today

    recommendation = _council_recommendation_locked(recommendation)
    _council_check_answer(actor, recommendation)
    if recommendation.sent_on and answered_on < recommendation.sent_on:
        raise CouncilError(
            _("The answer cannot come before the recommendation was sent."), field="answered_on"
        )
    if answered_on > legal_today():
        raise CouncilError(_("The answer's date cannot be in the future."), field="answered_on")
    if not response_text.strip():
        raise CouncilError(_("Write what the answer says."), field="response_text")
    before = recommendation.status
    recommendation.status = Recommendation.Status.ANSWERED
    recommendation.answered_on = answered_on
    recommendation.response_text = response_text.strip()
    recommendation.save(update_fields=["status", "answered_on", "response_text"])
    _council_audit(
        recommendation, actor, AuditEntry.Action.UPDATE, {"status": [before, "answered"]}
    )
    return recommendation


@transaction.atomic
def recommendation_decide(
    *,
    actor: User,
    recommendation: Recommendation,
    decision: str,
    decided_on: datetime.date,
    actions_taken: str = "",
) -> Recommendation:
    """The council records whether its recommendation was accepted, partly accepted or
    rejected, when, and what was done."""
    from birlik.core.workdays import legal_today

    recommendation = _council_recommendation_locked(recommendation)
    _council_check_decide(actor, recommendation)
    if decision not in Recommendation.Decision.values:
        raise CouncilError(_("Choose the decision."), field="decision")
    if recommendation.answered_on and decided_on < recommendation.answered_on:
        raise CouncilError(_("The decision cannot come before the answer."), field="decided_on")
    if decided_on > legal_today():
        raise CouncilError(_("The decision's date cannot be in the future."), field="decided_on")
    before = recommendation.decision or None
    recommendation.status = Recommendation.Status.DECIDED
    recommendation.decision = decision
    recommendation.decided_on = decided_on
    recommendation.actions_taken = actions_taken.strip()
    recommendation.save(update_fields=["status", "decision", "decided_on", "actions_taken"])
    _council_audit(
        recommendation, actor, AuditEntry.Action.UPDATE, {"decision": [before, decision]}
    )
    _council_invalidate()
    return recommendation
