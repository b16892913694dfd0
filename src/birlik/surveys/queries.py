"""Every read of surveys and the expert council that pages, the API and indicators share:
questionnaires and their versions, collecting answers, weighting and estimates, the council's
plans, studies and recommendations. Each part keeps its own section."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from birlik.access import policies
from birlik.access.models import Role
from birlik.core.search import contains_q, words_q
from birlik.registry.models import Organisation

from .models import (
    Mode,
    Option,
    PanelInvitation,
    Question,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    Survey,
)
from .policies import RESEARCHERS

# --- Questionnaires, versions and surveys (build) -------------------------------------------------


def research_bodies(user: Any) -> QuerySet[Organisation]:
    """The bodies whose questionnaires and surveys the user builds and runs."""
    paths = policies.roots(user, RESEARCHERS)
    return Organisation.objects.filter(policies.prefix_q("path", paths)).order_by("path")


def questionnaires_listed(user: Any, *, search: str = "") -> QuerySet[Questionnaire]:
    """The questionnaires of the user's research scope with their latest version's number and
    status and how many waves use them, in one query."""
    latest = QuestionnaireVersion.objects.filter(questionnaire=OuterRef("pk")).order_by("-number")
    items = (
        policies.scoped(Questionnaire.objects.all(), user)
        .select_related("organisation")
        .annotate(
            latest_number=Subquery(latest.values("number")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            surveys_count=Subquery(
                Survey.objects.filter(version__questionnaire=OuterRef("pk"))
                .order_by()
                .values("version__questionnaire")
                .annotate(total=Count("pk"))
                .values("total")[:1]
            ),
        )
        .order_by("-created_at", "-pk")
    )
    if search.strip():
        words = search.strip()
        items = items.filter(contains_q(("code", "title_kk", "title_ru", "title_en"), words))
    return items


def versions_listed(questionnaire: Questionnaire) -> QuerySet[QuestionnaireVersion]:
    """A questionnaire's versions, newest first, with their questions and waves counted."""
    questions = (
        Question.objects.filter(version=OuterRef("pk"))
        .order_by()
        .values("version")
        .annotate(total=Count("pk"))
        .values("total")[:1]
    )
    surveys = (
        Survey.objects.filter(version=OuterRef("pk"))
        .order_by()
        .values("version")
        .annotate(total=Count("pk"))
        .values("total")[:1]
    )
    return questionnaire.versions.annotate(
        questions_count=Subquery(questions), surveys_count=Subquery(surveys)
    ).order_by("-number")


def version_questions(version: QuestionnaireVersion) -> list[Question]:
    """The questions of a version in order, with their options and rows."""
    return list(version.questions.prefetch_related("options").order_by("order", "id"))


def launched_versions(user: Any) -> QuerySet[QuestionnaireVersion]:
    """Launched versions of the questionnaires in the user's research scope: what a new wave
    may use."""
    questionnaires = policies.scoped(Questionnaire.objects.all(), user)
    return (
        QuestionnaireVersion.objects.filter(
            status=QuestionnaireVersion.Status.LAUNCHED, questionnaire__in=questionnaires
        )
        .select_related("questionnaire")
        .order_by("questionnaire__code", "-number")
    )


def surveys_listed(
    user: Any, *, status: str = "", year: int | None = None, search: str = ""
) -> QuerySet[Survey]:
    """The waves the user sees (researched, collected for or interviewed for), with their
    questionnaire, body and number of responses, in one query."""
    responses = (
        Response.objects.filter(survey=OuterRef("pk"))
        .order_by()
        .values("survey")
        .annotate(total=Count("pk"))
        .values("total")[:1]
    )
    items = (
        policies.scoped(Survey.objects.all(), user)
        .select_related("organisation", "version__questionnaire")
        .annotate(responses_count=Coalesce(Subquery(responses), 0))
        .order_by("-year", "-wave", "-pk")
    )
    if status:
        items = items.filter(status=status)
    if year is not None:
        items = items.filter(year=year)
    if search.strip():
        words = search.strip()
        items = items.filter(contains_q(("title_kk", "title_ru", "title_en", "slug"), words))
    return items


def survey_mode_counts(survey: Survey) -> list[tuple[str, int]]:
    """Responses of a wave by way of collecting: (label, count) for each mode it allows or
    has answers from."""
    counts = dict(
        Response.objects.filter(survey=survey)
        .order_by()
        .values_list("mode")
        .annotate(total=Count("pk"))
        .values_list("mode", "total")
    )
    labels = dict(Mode.choices)
    return [
        (str(labels[mode]), counts.get(mode, 0))
        for mode in Mode.values
        if mode in survey.modes or counts.get(mode)
    ]


def invitation_counts(survey: Survey) -> dict[str, int]:
    """How many panel invitations of a wave were used and how many are still open."""
    totals = PanelInvitation.objects.filter(survey=survey).aggregate(
        used=Count("pk", filter=Q(used_on__isnull=False)),
        unused=Count("pk", filter=Q(used_on__isnull=True)),
    )
    return {"used": totals["used"] or 0, "unused": totals["unused"] or 0}


def _b_value(question: Question | None, value: Any) -> str:
    code = str(value)
    if question is not None:
        for option in question.options.all():
            if option.kind == Option.Kind.CHOICE and option.code == code:
                label = option.label or ""
                return code if label in ("", code) else f"{label} ({code})"
    return code


def condition_text(condition: Any, questions: Mapping[str, Question]) -> str:
    """A skip condition in words in the current language, option codes with their labels
    (``questions``: the version's questions by code, options prefetched)."""
    if not condition:
        return ""
    if not isinstance(condition, Mapping):
        return str(condition)
    for key in ("all", "any"):
        if key in condition:
            items = "; ".join(condition_text(part, questions) for part in condition[key] or [])
            template = _("all of: %(items)s") if key == "all" else _("any of: %(items)s")
            return template % {"items": items}
    if "not" in condition:
        return _("not (%(condition)s)") % {"condition": condition_text(condition["not"], questions)}
    code = str(condition.get("q", ""))
    question = questions.get(code)
    op = condition.get("op", "eq")
    target = condition.get("v")
    if op == "answered":
        return _("question %(code)s is answered") % {"code": code}
    if op == "in":
        values = target if isinstance(target, (list, tuple)) else [target]
        return _("the answer to %(code)s is one of: %(values)s") % {
            "code": code,
            "values": ", ".join(_b_value(question, v) for v in values),
        }
    templates = {
        "eq": _("the answer to %(code)s is %(value)s"),
        "ne": _("the answer to %(code)s is not %(value)s"),
        "gte": _("the answer to %(code)s is %(value)s or more"),
        "lte": _("the answer to %(code)s is %(value)s or less"),
    }
    template = templates.get(str(op), templates["eq"])
    return template % {"code": code, "value": _b_value(question, target)}


# --- Collecting answers: web, panel, interview sync, paper, import (collect) ----------------------


def responses_listed(
    survey: Any, *, mode: str = "", flag: str = "", excluded: bool | None = None
) -> Any:
    """A survey's responses for the analyst's list, newest first, with the region joined:
    by way of collecting, quality flag and exclusion."""
    from .models import Response

    rows = Response.objects.filter(survey=survey).select_related("region")
    if mode:
        rows = rows.filter(mode=mode)
    if flag:
        rows = rows.filter(flags__has_key=flag)
    if excluded is not None:
        rows = rows.filter(excluded=excluded)
    return rows.order_by("-submitted_on", "-id")


def _collect_label(options: dict[str, Any], value: Any) -> str:
    option = options.get(str(value))
    return str(option.label) if option is not None else str(value)


def response_answer_rows(response: Any) -> list[dict[str, Any]]:
    """The answers of one response with the question texts and option labels in the active
    language, in the questionnaire's order: ``{code, text, value, rows}`` (``rows``, for a
    matrix: ``[(row label, value)]``). Questions not answered or hidden are left out."""
    from .models import Option, Question

    answers = response.answers if isinstance(response.answers, dict) else {}
    found: list[dict[str, Any]] = []
    questions = Question.objects.filter(version_id=response.version_id).prefetch_related("options")
    for question in questions.order_by("order", "id"):
        if question.code not in answers:
            continue
        value = answers[question.code]
        choices = {o.code: o for o in question.options.all() if o.kind == Option.Kind.CHOICE}
        row_labels = {o.code: o for o in question.options.all() if o.kind == Option.Kind.ROW}
        shown = ""
        rows: list[tuple[str, str]] = []
        if question.kind == Question.Kind.MATRIX and isinstance(value, dict):
            rows = [
                (_collect_label(row_labels, row), _collect_label(choices, point))
                for row, point in value.items()
            ]
        elif isinstance(value, list):
            shown = "; ".join(_collect_label(choices, v) for v in value)
        else:
            shown = _collect_label(choices, value)
        found.append({"code": question.code, "text": question.text, "value": shown, "rows": rows})
    return found


# --- Margins, weighting, estimates and the trust index (stats) ------------------------------------


def latest_run(survey: Survey) -> Any:
    """The survey's newest weighting run, or None."""
    from .models import WeightingRun

    return WeightingRun.objects.filter(survey=survey).order_by("-created_at", "-id").first()


def estimates_table(run: Any, question: str, dimension: str) -> list[Any]:
    """The run's estimates of one question (or ``TRUST_INDEX`` / ``TRUSTING``) by one dimension,
    ordered by statistic and category."""
    from .models import Estimate

    return list(
        Estimate.objects.filter(run=run, question=question, dimension=dimension).order_by(
            "statistic", "category"
        )
    )


def _s_cell(estimate: Any) -> dict[str, Any]:
    return {
        "value": estimate.value,
        "low": estimate.low,
        "high": estimate.high,
        "se": estimate.se,
        "n": estimate.n,
        "effective_n": estimate.effective_n,
        "suppressed": estimate.suppressed,
        "caution": estimate.caution,
    }


def published_surveys() -> QuerySet[Survey]:
    """The surveys whose results are public: the one definition the public pages, the
    indicators and open data read."""
    return Survey.objects.filter(public=True, status=Survey.Status.PUBLISHED)


def with_latest_run(surveys: QuerySet[Survey]) -> Any:  # annotated: beyond the stubs
    """``surveys`` annotated with ``latest_run``, the id of each one's latest weighting run
    (None before the first)."""
    from .models import WeightingRun

    latest = WeightingRun.objects.filter(survey=OuterRef("pk")).order_by("-created_at", "-id")
    return surveys.annotate(latest_run=Subquery(latest.values("pk")[:1]))


def trust_series(*, public_only: bool = True) -> list[dict[str, Any]]:
    """One entry per trust-index survey with a weighting run (published ones only by default),
    oldest first: the survey, its latest run, year, wave, n, the national index (value, low,
    high, se, suppressed, caution) and the index per region (ISO code → the same cells); three
    queries in all."""
    from .models import Estimate, WeightingRun

    if public_only:
        surveys = published_surveys().filter(is_trust_index=True)
    else:
        surveys = Survey.objects.filter(
            is_trust_index=True, status__in=[Survey.Status.WEIGHTED, Survey.Status.PUBLISHED]
        )
    surveys_list = list(surveys.order_by("year", "wave", "id"))
    runs: dict[int, Any] = {}
    for run in WeightingRun.objects.filter(survey__in=surveys_list).order_by(
        "survey_id", "-created_at", "-id"
    ):
        runs.setdefault(run.survey_id, run)
    cells: dict[int, list[Any]] = {}
    for estimate in Estimate.objects.filter(
        run__in=list(runs.values()),
        question=Estimate.TRUST_INDEX,
        statistic="mean",
        dimension__in=["all", "region"],
    ):
        cells.setdefault(estimate.run_id, []).append(estimate)
    series = []
    for survey in surveys_list:
        latest = runs.get(survey.pk)
        if latest is None:
            continue
        run = latest
        national = None
        regions: dict[str, dict[str, Any]] = {}
        for estimate in cells.get(run.pk, []):
            if estimate.dimension == "all":
                national = _s_cell(estimate)
            else:
                regions[estimate.category] = _s_cell(estimate)
        empty = {"value": None, "low": None, "high": None, "se": None, "n": 0}
        entry = {
            "survey": survey,
            "run": run,
            "year": survey.year,
            "wave": survey.wave,
            "n": run.n,
            "effective_n": run.effective_n,
            "national": national,
            "regions": dict(sorted(regions.items())),
        }
        entry.update({key: (national or empty).get(key) for key in empty})
        entry["n"] = run.n
        series.append(entry)
    return series


def trend_change(a: Any, b: Any) -> tuple[float | None, float | None, bool]:
    """The change from estimate ``a`` to estimate ``b`` (Estimate rows or mappings with value
    and se) of independent samples: ``(b − a, √(se_a² + se_b²), significant)``, significant when
    the 95 % interval of the change excludes 0; ``(None, None, False)`` when either is missing
    or suppressed."""

    def get(obj: Any, key: str) -> Any:
        return obj.get(key) if isinstance(obj, Mapping) else getattr(obj, key, None)

    if a is None or b is None:
        return None, None, False
    values = [get(a, "value"), get(b, "value"), get(a, "se"), get(b, "se")]
    if any(v is None for v in values) or get(a, "suppressed") or get(b, "suppressed"):
        return None, None, False
    value_a, value_b, se_a, se_b = (float(v) for v in values)
    diff = value_b - value_a
    se = (se_a**2 + se_b**2) ** 0.5
    return diff, se, bool(se > 0 and abs(diff) > 1.959963984540054 * se)


# --- The expert council: plans, studies, recommendations (council) --------------------------------

# Imports of this section only; the shared ones are at the top of the module.
from birlik.registry.models import Membership, Person  # noqa: E402

from . import policies as survey_policies  # noqa: E402
from .models import Recommendation, ResearchPlan, Study  # noqa: E402

# Bodies a recommendation may be addressed to: every level but the local one (ethnocultural
# associations, councils of elders and mothers are reached through their assembly).
ADDRESSEE_LEVELS = ("national", "regional", "district")
# How many recommendations the council's landing page lists under each heading.
COUNCIL_LANDING_ROWS = 10


def _keeps_everything(user: Any) -> bool:
    return survey_policies.national(user, frozenset({Role.NATIONAL_ADMIN}))


def council_bodies(*, user: Any) -> QuerySet[Organisation]:
    """The active councils and expert groups whose plans, studies and recommendations the user
    keeps (``surveys.keep_council``)."""
    bodies = Organisation.objects.filter(
        kind__code__in=survey_policies.COUNCIL_KINDS,
        status=Organisation.Status.ACTIVE,
    ).order_by("path")
    if _keeps_everything(user):
        return bodies
    paths = survey_policies.council_paths(user)
    return bodies.filter(policies.prefix_q("path", paths)) if paths else bodies.none()


def _keep_q(user: Any, field: str = "organisation__path") -> Q:
    """Rows of the councils the user keeps."""
    if _keeps_everything(user):
        return Q()
    paths = survey_policies.council_paths(user)
    return policies.prefix_q(field, paths) if paths else Q(pk__in=[])


def council_experts(*, user: Any, on: datetime.date, search: str = "") -> QuerySet[Person]:
    """People of the registry holding an expert membership, current on ``on``, in a council or
    expert group the user keeps: the only people a study's team is chosen from."""
    terms = Membership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on),
        role=Membership.Role.EXPERT,
        start_date__lte=on,
        organisation__in=council_bodies(user=user),
    )
    people = Person.objects.filter(pk__in=terms.values("person_id"))
    people = people.filter(words_q(("last_name", "first_name", "patronymic"), search, max_words=5))
    from birlik.core import collation

    return collation.ordered(people, "last_name", "first_name")


def recommendation_addressees(
    *, councils: QuerySet[Organisation] | list[Organisation]
) -> QuerySet[Organisation]:
    """The Assembly bodies a council may address: active bodies of its region above the local
    level (a national council: of the whole country), councils and expert groups left out."""
    near = Q(pk__in=[])
    for council in councils:
        if council.region_id is None:
            near = Q()
            break
        near |= Q(region_id=council.region_id)
    return (
        Organisation.objects.filter(
            near,
            status=Organisation.Status.ACTIVE,
            kind__level__in=ADDRESSEE_LEVELS,
        )
        .exclude(kind__code__in=survey_policies.COUNCIL_KINDS)
        .order_by("path")
    )


def plans_listed(*, user: Any) -> QuerySet[ResearchPlan]:
    """Research plans the user may read, the latest year first, each with its number of
    studies (``studies_count``)."""
    return (
        policies.scoped(ResearchPlan.objects.all(), user)
        .select_related("organisation", "organisation__region")
        .annotate(studies_count=Count("studies"))
        .order_by("-year", "organisation__path", "pk")
    )


def study_status_counts(*, user: Any) -> list[tuple[str, str, int]]:
    """(status, its label, how many) for every status of a study, over the studies the user
    may read."""
    counts = dict(
        policies.scoped(Study.objects.all(), user)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return [(code, str(label), counts.get(code, 0)) for code, label in Study.Status.choices]


def plan_studies(plan: ResearchPlan) -> QuerySet[Study]:
    """The studies of a plan with their team's people, for its page."""
    return plan.studies.prefetch_related("team__person", "regions").order_by("pk")


def recommendations_overdue(
    *, on: datetime.date, qs: QuerySet[Recommendation] | None = None
) -> QuerySet[Recommendation]:
    """Sent recommendations whose answer was due before ``on`` and has not been recorded."""
    base = Recommendation.objects.all() if qs is None else qs
    return base.filter(status=Recommendation.Status.SENT, response_due__lt=on)


def recommendations_awaiting_answer(
    *, user: Any, qs: QuerySet[Recommendation] | None = None
) -> QuerySet[Recommendation]:
    """Sent recommendations whose answer the user records: to a body of their staff scope, or
    to a state body from a council they keep (``surveys.answer_recommendation``)."""
    base = Recommendation.objects.all() if qs is None else qs
    mine = Q(to_state_body__isnull=False) & _keep_q(user)
    staff = policies.roots(user, policies.STAFF_ROLES)
    if staff:
        mine |= policies.prefix_q("to_body__path", staff)
    if _keeps_everything(user):
        mine = Q()
    return base.filter(mine, status=Recommendation.Status.SENT)


def recommendations_awaiting_decision(
    *, user: Any, qs: QuerySet[Recommendation] | None = None
) -> QuerySet[Recommendation]:
    """Answered recommendations of the councils the user keeps: the council decides whether
    they were accepted."""
    base = Recommendation.objects.all() if qs is None else qs
    return base.filter(_keep_q(user), status=Recommendation.Status.ANSWERED)


def recommendations_listed(
    *,
    user: Any,
    on: datetime.date,
    status: str = "",
    addressee: str = "",
    overdue: bool = False,
    queue: str = "",
) -> QuerySet[Recommendation]:
    """The recommendations the user may read, filtered, the latest first; the same number of
    queries for any number of rows."""
    rows = policies.scoped(Recommendation.objects.all(), user)
    if status:
        rows = rows.filter(status=status)
    if addressee == "body":
        rows = rows.filter(to_body__isnull=False)
    elif addressee == "state_body":
        rows = rows.filter(to_state_body__isnull=False)
    if overdue:
        rows = recommendations_overdue(on=on, qs=rows)
    if queue == "to_answer":
        rows = recommendations_awaiting_answer(user=user, qs=rows)
    elif queue == "to_decide":
        rows = recommendations_awaiting_decision(user=user, qs=rows)
    return (
        rows.select_related("organisation", "to_body", "to_state_body", "study")
        .defer("text", "response_text", "actions_taken")
        .order_by("-created_at", "-pk")
    )


def council_overview(*, user: Any, on: datetime.date) -> dict[str, Any]:
    """The council's landing page: plans by year, studies by status, and the recommendations
    awaiting an answer or a decision (counts and the first rows)."""
    readable = policies.scoped(Recommendation.objects.all(), user)
    waiting = {
        "to_answer": readable.filter(status=Recommendation.Status.SENT),
        "to_decide": readable.filter(status=Recommendation.Status.ANSWERED),
    }
    overview: dict[str, Any] = {
        "plans": list(plans_listed(user=user)),
        "study_counts": study_status_counts(user=user),
        "overdue_count": recommendations_overdue(on=on, qs=readable).order_by().count(),
    }
    for key, rows in waiting.items():
        overview[f"{key}_count"] = rows.order_by().count()
        overview[key] = list(
            rows.select_related("organisation", "to_body", "to_state_body")
            .defer("text", "response_text", "actions_taken")
            .order_by("response_due", "pk")[:COUNCIL_LANDING_ROWS]
        )
    return overview
