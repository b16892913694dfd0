"""Demo surveys and the expert council: three yearly national waves of the interethnic trust
survey (≈ 5,000 generated respondents each, weighed and published), a few regional surveys (one
unpublished, one still in the field with panel invitations and interviewers), the council's
research plans for the last three years, studies with teams of the registry's experts, findings
and PDF reports, and recommendations to Assembly and state bodies with their answers and
decisions.

Everything is decided by seeded RNGs from the database and today's date. The respondents come
from ``birlik.demo.survey_sample`` with a known truth per region that moves a little each year,
so the published index can be checked against it; weighting and estimates are the stats
services' own work. The council's history (dated years back) is written with ``bulk_create``,
as the other demo steps write theirs.
"""

from __future__ import annotations

import datetime
import functools
import random
import secrets
import sys
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from tqdm import tqdm

from birlik.access.models import Grant, Role, User
from birlik.appeals.models import StateBody
from birlik.geo.models import Region
from birlik.registry.models import Membership, Organisation
from birlik.surveys.models import (
    MarginSet,
    MarginTarget,
    Mode,
    PanelInvitation,
    Questionnaire,
    QuestionnaireVersion,
    Recommendation,
    ResearchPlan,
    Study,
    StudyMember,
    Survey,
    WeightingRun,
)
from birlik.surveys.policies import COUNCIL_KINDS

if TYPE_CHECKING:
    from birlik.surveys.services import QuestionData

__all__ = [
    "COUNCIL_LOGIN",
    "LOGINS",
    "demo_surveys_seed",
    "plan_years",
    "recommendations_target",
    "regional_questionnaire",
    "report_pdf",
    "respondents_per_wave",
    "studies_target",
    "wave_truths",
    "wave_years",
]

# (username, description) of the demo logins this module creates; printed by `birlik demo`.
COUNCIL_LOGIN = "expert_council"
LOGINS: list[tuple[str, str]] = [
    (
        COUNCIL_LOGIN,
        "staff of the Scientific-Expert Council — research plans, studies, recommendations",
    ),
]
# Logins of ``demo.services.DEMO_USERS`` that run the surveys and approve studies.
ADMIN_LOGIN = "admin"
ANALYST_LOGIN = "analyst"
COORDINATOR_LOGINS = ("coordinator_pavlodar", "coordinator_almaty")
INTERVIEWER_LOGINS = ("staff_house", "staff_elders")
RESPONDENTS = 5000  # per national wave at scale 1
# Smaller scales keep at least this many: raking needs every region and ethnic category of the
# margins answered (5 respondents at least), and a thin one gets a top-up (``_weigh``).
MIN_RESPONDENTS = 1800
TOP_UP = 300  # respondents added to a wave whose weighting found a category too thin
TOP_UPS = 5
STUDIES = 40  # at scale 1, over the three years' plans
MIN_STUDIES = 16  # every status and a few reports even at a small scale
RECOMMENDATIONS = 120
MIN_RECOMMENDATIONS = 28  # every state, a few overdue, even at a small scale
CYCLE_DAYS = 60  # a source study completed this long ago leaves room to send, answer, decide
BATCH = 2000
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


def wave_years(today: datetime.date) -> tuple[int, int, int]:
    """The years of the three national waves: this year's once its autumn fieldwork is over."""
    last = today.year if today >= datetime.date(today.year, 11, 1) else today.year - 1
    return (last - 2, last - 1, last)


def plan_years(today: datetime.date) -> tuple[int, int, int]:
    return (today.year - 2, today.year - 1, today.year)


def studies_target(scale: float) -> int:
    return max(MIN_STUDIES, round(STUDIES * scale))


def recommendations_target(scale: float) -> int:
    return max(MIN_RECOMMENDATIONS, round(RECOMMENDATIONS * scale))


def _bulk(model: type[models.Model], rows: Sequence[Any]) -> list[Any]:
    created: list[Any] = []
    for start in range(0, len(rows), BATCH):
        created.extend(model._default_manager.bulk_create(list(rows[start : start + BATCH])))
    return created


def _moment(day: datetime.date, hour: int = 11) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ALMATY)


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


# --------------------------------------------------------------------------------------------
# The entry point


def demo_surveys_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo surveys (when no questionnaire or survey exists) and the expert council's
    work (when no research plan exists); returns {what: count}, or {} when both were there."""
    added: dict[str, int] = {}
    added.update(_surveys_seed(scale=scale, seed=seed, progress=progress))
    added.update(_council_seed(scale=scale, seed=seed))
    return added


# --------------------------------------------------------------------------------------------
# Surveys


def respondents_per_wave(scale: float) -> int:
    return max(MIN_RESPONDENTS, round(RESPONDENTS * scale))


def wave_truths(seed: int, years: Sequence[int]) -> dict[int, dict[str, float]]:
    """The generator's true index per region for each wave: ``TRUE_INDEX`` for the first,
    then a small national rise and a regional wobble each year."""
    from .survey_sample import TRUE_INDEX

    rng = random.Random(f"birlik-trust-truth:{seed}")
    truths: dict[int, dict[str, float]] = {}
    current = dict(TRUE_INDEX)
    for position, year in enumerate(years):
        if position:
            rise = rng.uniform(0.5, 1.5)
            current = {
                iso: round(min(90.0, max(30.0, value + rise + rng.uniform(-1.5, 1.5))), 1)
                for iso, value in current.items()
            }
        truths[year] = dict(current)
    return truths


@dataclass
class Researchers:
    analyst: User
    admin: User | None
    coordinators: dict[str, tuple[User, Organisation]]  # region ISO -> coordinator, assembly


def _researchers() -> Researchers | None:
    analyst = User.objects.filter(username=ANALYST_LOGIN, is_active=True).first()
    if analyst is None:
        return None
    admin = User.objects.filter(username=ADMIN_LOGIN, is_active=True).first()
    coordinators: dict[str, tuple[User, Organisation]] = {}
    for grant in (
        Grant.objects.filter(
            user__username__in=COORDINATOR_LOGINS,
            role=Role.REGIONAL_COORDINATOR,
            revoked_at__isnull=True,
            organisation__region__isnull=False,
        )
        .select_related("user", "organisation__region")
        .order_by("pk")
    ):
        region = grant.organisation.region
        if region is not None:
            coordinators.setdefault(region.iso, (grant.user, grant.organisation))
    return Researchers(analyst, admin, coordinators)


def _surveys_seed(*, scale: float, seed: int, progress: bool) -> dict[str, int]:
    if Survey.objects.exists() or Questionnaire.objects.exists():
        return {}
    root = Organisation.objects.filter(depth=1).order_by("path").first()
    people = _researchers()
    if root is None or people is None or not Region.objects.exists():
        return {}
    with transaction.atomic():
        added = _national_waves(root, people, scale=scale, seed=seed, progress=progress)
        added.update(_regional_surveys(people, seed=seed))
    return added


def _national_waves(
    root: Organisation, people: Researchers, *, scale: float, seed: int, progress: bool
) -> dict[str, int]:
    from birlik.surveys import services

    from . import survey_sample

    today = timezone.localdate()
    years = wave_years(today)
    truths = wave_truths(seed, years)
    analyst = people.analyst
    version = services.questionnaire_from_template(
        root, user=analyst, code=TRUST_CODE, title=TRUST_TITLE, launch=True
    )
    margins = _national_margins(root, analyst)
    n = respondents_per_wave(scale)
    responses = 0
    with tqdm(
        total=n * len(years), desc="Survey respondents", unit=" responses", unit_scale=True,
        file=sys.stderr, disable=not progress, leave=progress,
    ) as bar:  # fmt: skip
        for position, year in enumerate(years):
            survey = services.survey_create(
                user=analyst,
                version=version,
                organisation=root,
                data=services.SurveyData(
                    title={lang: text.format(year=year) for lang, text in TRUST_WAVE_TITLE.items()},
                    slug=f"trust-index-{year}",
                    year=year,
                    wave=position + 1,
                    starts_on=datetime.date(year, 9, 1),
                    ends_on=datetime.date(year, 10, 15),
                    modes=(Mode.INTERVIEWER, Mode.WEB, Mode.PAPER),
                    is_trust_index=True,
                    margin_set=margins,
                ),
            )
            services.survey_set_status(user=analyst, survey=survey, status=Survey.Status.FIELDWORK)
            wave_seed = seed * 1000 + year
            for part, (mode, count) in enumerate(_by_mode(n)):
                responses += survey_sample.generate(
                    survey, count, seed=wave_seed + part, true_index=truths[year], mode=mode
                )
            bar.update(n)
            services.survey_set_status(user=analyst, survey=survey, status=Survey.Status.CLOSED)
            responses += _weigh(survey, analyst, truths[year], seed=wave_seed)
            services.survey_publish(survey, user=people.admin or analyst)
            _backdate(survey, today)
        _backdate_version(version, datetime.date(years[0], 8, 1))
    return {"trust_surveys": len(years), "survey_responses": responses}


def _backdate(survey: Survey, today: datetime.date) -> None:
    """The wave was set up before its fieldwork and weighed after it, not today."""
    if survey.starts_on is None:
        return
    created = min(survey.starts_on - datetime.timedelta(days=14), today)
    Survey.objects.filter(pk=survey.pk).update(created_at=_moment(created, 10))
    if survey.ends_on is not None and survey.ends_on < today:
        weighed = min(survey.ends_on + datetime.timedelta(days=14), today)
        WeightingRun.objects.filter(survey=survey).update(created_at=_moment(weighed, 15))


def _backdate_version(version: QuestionnaireVersion, day: datetime.date) -> None:
    moment = _moment(min(day, timezone.localdate()), 10)
    QuestionnaireVersion.objects.filter(pk=version.pk).update(created_at=moment, launched_at=moment)
    Questionnaire.objects.filter(pk=version.questionnaire_id).update(created_at=moment)


def _by_mode(n: int) -> list[tuple[str, int]]:
    """Most national respondents are interviewed, some answer the public link or on paper."""
    web, paper = round(n * 0.2), round(n * 0.08)
    return [(Mode.INTERVIEWER, n - web - paper), (Mode.WEB, web), (Mode.PAPER, paper)]


def _national_margins(root: Organisation, user: User) -> MarginSet:
    """The default margins (sex and age, the census's ethnic groups) with the generator's
    region shares, marked illustrative."""
    from birlik.surveys import services

    from . import survey_sample

    margins = services.margin_set_default(root, user=user, title=MARGINS_TITLE)
    regions = survey_sample.population_shares()["region"]
    MarginTarget.objects.filter(
        margin_set=margins, dimension=MarginTarget.Dimension.REGION
    ).delete()
    MarginTarget.objects.bulk_create(
        MarginTarget(
            margin_set=margins,
            dimension=MarginTarget.Dimension.REGION,
            category=iso,
            share=Decimal(str(round(share, 6))),
            source=survey_sample.REGION_SOURCE,
            as_of=datetime.date(2025, 12, 1),
        )
        for iso, share in _rounded(regions).items()
    )
    return margins


def _rounded(shares: dict[str, float]) -> dict[str, float]:
    """Shares rounded to six places that still sum to exactly 1 (the rest on the largest)."""
    rounded = {key: round(value, 6) for key, value in shares.items()}
    largest = max(rounded, key=lambda key: rounded[key])
    rounded[largest] = round(rounded[largest] + 1 - sum(rounded.values()), 6)
    return rounded


def _weigh(survey: Survey, user: User, truth: dict[str, float], *, seed: int) -> int:
    """The stats service's run; a margin category left too thin by chance gets a few more
    respondents (from the same population) and the run is tried again. Returns how many
    respondents were added."""
    from birlik.core.errors import DomainError
    from birlik.surveys import services

    from . import survey_sample

    added = 0
    for attempt in range(TOP_UPS + 1):
        try:
            services.survey_weigh(survey, user=user)
            return added
        except DomainError:
            if attempt == TOP_UPS:
                raise
            added += survey_sample.generate(
                survey, TOP_UP, seed=seed + 100 + attempt, true_index=truth, mode=Mode.PAPER
            )
    return added


@dataclass(frozen=True)
class Regional:
    """A regional survey of the demo: its body's region, questionnaire and how far it got."""

    region: str  # ISO code; the coordinator of that region runs it
    questionnaire: str  # key of ``REGIONAL_QUESTIONNAIRES``
    slug: str
    title: dict[str, str]
    respondents: int
    stage: str  # "published" | "weighted" | "fieldwork"
    years_back: int = 0
    wave: int = 1
    invitations: int = 0
    invitations_used: int = 0


REGIONAL: tuple[Regional, ...] = (
    Regional(
        "KZ-55", "neighbours", "pavlodar-neighbours-{year}",
        {
            "kk": "Павлодар облысы: көршілік, тіл және достық ({year})",
            "ru": "Павлодарская область: соседство, язык и дружба ({year})",
            "en": "Pavlodar Region: neighbours, language and friendship ({year})",
        },
        respondents=420, stage="published", years_back=1,
    ),
    Regional(
        "KZ-75", "city", "almaty-city-life-{year}",
        {
            "kk": "Алматы: қала өмірі және этносаралық достық ({year})",
            "ru": "Алматы: городская жизнь и межэтническая дружба ({year})",
            "en": "Almaty: city life and interethnic friendship ({year})",
        },
        respondents=320, stage="weighted",
    ),
    Regional(
        "KZ-55", "neighbours", "pavlodar-neighbours-{year}",
        {
            "kk": "Павлодар облысы: көршілік, тіл және достық ({year})",
            "ru": "Павлодарская область: соседство, язык и дружба ({year})",
            "en": "Pavlodar Region: neighbours, language and friendship ({year})",
        },
        respondents=140, stage="fieldwork", wave=2, invitations=80, invitations_used=22,
    ),
)  # fmt: skip


def _regional_surveys(people: Researchers, *, seed: int) -> dict[str, int]:
    from birlik.surveys import services

    from . import survey_sample

    today = timezone.localdate()
    versions: dict[tuple[str, str], QuestionnaireVersion] = {}
    margin_sets: dict[int, MarginSet] = {}
    made = responses = invitations = 0
    for index, spec in enumerate(REGIONAL):
        if spec.region not in people.coordinators:
            continue
        user, body = people.coordinators[spec.region]
        key = (spec.region, spec.questionnaire)
        if key not in versions:
            versions[key] = _regional_version(body, user, spec)
        if body.pk not in margin_sets:
            margin_sets[body.pk] = _regional_margins(body, spec.region)
        fieldwork = spec.stage == "fieldwork"
        # Spring fieldwork, done by June; the open survey started three weeks ago.
        year = today.year - spec.years_back - (0 if fieldwork or today.month >= 6 else 1)
        starts = today - datetime.timedelta(days=20) if fieldwork else datetime.date(year, 4, 1)
        ends = today + datetime.timedelta(days=25) if fieldwork else datetime.date(year, 5, 15)
        modes = (Mode.INTERVIEWER, Mode.WEB, Mode.PANEL) if fieldwork else (Mode.INTERVIEWER,)
        survey = services.survey_create(
            user=user,
            version=versions[key],
            organisation=body,
            data=services.SurveyData(
                title={lang: text.format(year=year) for lang, text in spec.title.items()},
                slug=spec.slug.format(year=year),
                year=year,
                wave=spec.wave,
                starts_on=starts,
                ends_on=ends,
                modes=modes,
                regions=tuple(Region.objects.filter(iso=spec.region)),
                margin_set=margin_sets[body.pk],
                min_cell=30,
                caution_cell=60,
                interviewers=_interviewers(body) if fieldwork else (),
            ),
        )
        services.survey_set_status(user=user, survey=survey, status=Survey.Status.FIELDWORK)
        made += 1
        survey_seed = seed * 1000 + 500 + index
        if fieldwork:
            tokens = services.invitations_create(user=user, survey=survey, count=spec.invitations)
            invitations += len(tokens)
            rng = random.Random(survey_seed)
            used = list(survey.invitations.order_by("pk")[: spec.invitations_used])
            for invitation in used:
                invitation.used_on = _between(rng, starts, today)
            PanelInvitation.objects.bulk_update(used, ["used_on"])
            # Answers so far are dated up to today, not to the planned end of the fieldwork.
            survey.ends_on = today
            parts = [
                (Mode.PANEL, spec.invitations_used),
                (Mode.WEB, (spec.respondents - spec.invitations_used) // 3),
            ]
            parts.append((Mode.INTERVIEWER, spec.respondents - sum(c for _m, c in parts)))
        else:
            parts = [(Mode.INTERVIEWER, spec.respondents)]
        for part, (mode, count) in enumerate(parts):
            responses += survey_sample.generate(
                survey, count, seed=survey_seed * 10 + part, mode=mode
            )
        if fieldwork:
            survey.refresh_from_db()
            _backdate(survey, today)
            continue
        services.survey_set_status(user=user, survey=survey, status=Survey.Status.CLOSED)
        services.survey_weigh(survey, user=user)
        if spec.stage == "published":
            services.survey_publish(survey, user=user)
        _backdate(survey, today)
    for version in versions.values():
        first = version.surveys.order_by("starts_on").values_list("starts_on", flat=True).first()
        if first is not None:
            _backdate_version(version, first - datetime.timedelta(days=30))
    return {
        "regional_surveys": made,
        "survey_responses_regional": responses,
        "panel_invitations": invitations,
    }


def _interviewers(body: Organisation) -> tuple[str, ...]:
    """The demo's staff logins inside the body's network (the service checks it again)."""
    inside = Grant.objects.filter(
        user__username__in=INTERVIEWER_LOGINS,
        revoked_at__isnull=True,
        organisation__path__startswith=body.path,
    )
    return tuple(sorted(set(inside.values_list("user__username", flat=True))))


def _regional_margins(body: Organisation, iso: str) -> MarginSet:
    """The body's region (all of the sample), sex × age and urban/rural: a few hundred
    respondents are too few for ethnic margins (each category needs its respondents)."""
    from . import survey_sample

    shares = survey_sample.population_shares()
    margins = MarginSet.objects.create(
        title=f"{body.name} — {MARGINS_REGIONAL_TITLE}", organisation=body
    )
    rows = [
        MarginTarget(
            margin_set=margins,
            dimension=MarginTarget.Dimension.REGION,
            category=iso,
            share=Decimal(1),
            source=REGION_ONLY_SOURCE,
        )
    ]
    for dimension, source, as_of in (
        (MarginTarget.Dimension.SEX_AGE, SEX_AGE_SOURCE, None),
        (MarginTarget.Dimension.SETTLEMENT, SETTLEMENT_SOURCE, datetime.date(2025, 1, 1)),
    ):
        rows += [
            MarginTarget(
                margin_set=margins,
                dimension=dimension,
                category=category,
                share=Decimal(str(share)),
                source=source,
                as_of=as_of,
            )
            for category, share in _rounded(shares[dimension]).items()
        ]
    MarginTarget.objects.bulk_create(rows)
    return margins


def _regional_version(body: Organisation, user: User, spec: Regional) -> QuestionnaireVersion:
    """A short regional questionnaire of the body: the template's demographics (without the
    region) and the body's own questions, launched."""
    from birlik.surveys import services

    title, questions = regional_questionnaire(spec.questionnaire)
    questionnaire = services.questionnaire_create(
        user=user,
        organisation=body,
        code=f"{spec.questionnaire}-{spec.region.lower()}",
        title=title,
        consent=services.TEMPLATE_CONSENT,
    )
    version = questionnaire.versions.get()
    for data in services.template_questions():
        if data.code in REGIONAL_DEMOGRAPHICS:
            services.question_save(user=user, version=version, data=data)
    for data in questions:
        services.question_save(user=user, version=version, data=data)
    return services.version_launch(user=user, version=version)


# --------------------------------------------------------------------------------------------
# The expert council


@dataclass
class Council:
    council: Organisation
    groups: dict[int, Organisation]  # region id -> the region's expert group
    experts: dict[int, list[int]]  # organisation id -> person ids holding an expert term
    user: User | None
    approver: User | None


def _council_user(council: Organisation) -> User | None:
    """The demo login of council staff (created once; None when its username is taken)."""
    from .services import DEMO_PASSWORD

    if User.objects.filter(username=COUNCIL_LOGIN).exists():
        return None
    user = User.objects.create(
        username=COUNCIL_LOGIN,
        full_name="Гүлнар Сейітқызы Әбдірахманова",
        email=f"{COUNCIL_LOGIN}@assembly-demo.kz",
        language="kk",
        password=make_password(DEMO_PASSWORD),
    )
    Grant.objects.create(user=user, role=Role.BODY_STAFF, organisation=council)
    return user


def _experts(today: datetime.date) -> dict[int, list[int]]:
    rows = (
        Membership.objects.filter(
            role=Membership.Role.EXPERT,
            organisation__kind__code__in=COUNCIL_KINDS,
            start_date__lte=today,
        )
        .filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=today))
        .order_by("organisation_id", "person_id")
        .values_list("organisation_id", "person_id")
    )
    experts: dict[int, list[int]] = defaultdict(list)
    for organisation_id, person_id in rows:
        if person_id not in experts[organisation_id]:
            experts[organisation_id].append(person_id)
    return dict(experts)


def _council() -> Council | None:
    council = (
        Organisation.objects.filter(kind__code="scientific_expert_council").order_by("path").first()
    )
    if council is None:
        return None
    groups = {
        group.region_id: group
        for group in Organisation.objects.filter(
            kind__code="scientific_expert_group", path__startswith=council.path
        ).order_by("path")
        if group.region_id is not None
    }
    today = timezone.localdate()
    user = _council_user(council) or User.objects.filter(username=COUNCIL_LOGIN).first()
    approver = User.objects.filter(username=ADMIN_LOGIN, is_active=True).first()
    return Council(council, groups, _experts(today), user, approver)


def _council_seed(*, scale: float, seed: int) -> dict[str, int]:
    if ResearchPlan.objects.exists():
        return {}
    with transaction.atomic():
        council = _council()
        if council is None:
            return {}
        rng = random.Random(f"birlik-council:{seed}")
        studies = _studies(council, rng, scale=scale)
        reports = _reports(studies, rng)
        recommendations = _recommendations(council, studies, rng, scale=scale)
    return {
        "research_plans": ResearchPlan.objects.count(),
        "studies": len(studies),
        "study_reports": reports,
        "recommendations": len(recommendations),
    }


@dataclass
class Topic:
    title: tuple[str, str, str]  # kk, ru, en
    method: tuple[str, str]  # kk, ru
    finding: tuple[str, str, str]  # with {share} (a percentage) and {n} (people asked)
    recommendation: tuple[tuple[str, str], tuple[str, str]]  # (title, text) in kk and ru
    national: bool = True  # suits the national council (else a regional group's topic)


def _study_statuses(year: int, today: datetime.date, count: int) -> list[str]:
    """Past years' studies are done (a few still in analysis the year after); this year's
    run through every status."""
    S = Study.Status
    if year <= today.year - 2:
        return [S.DONE] * count
    if year == today.year - 1:
        return [S.ANALYSIS if index % 5 == 4 else S.DONE for index in range(count)]
    cycle = [S.DRAFT, S.APPROVED, S.FIELDWORK, S.ANALYSIS, S.DONE, S.DONE, S.FIELDWORK]
    return [cycle[index % len(cycle)] for index in range(count)]


def _team(council: Council, organisation: Organisation, rng: random.Random, size: int) -> list[int]:
    """2–6 experts: the study's group first, then the national council's, then anyone's."""
    own = list(council.experts.get(organisation.pk, []))
    national = list(council.experts.get(council.council.pk, []))
    rest = sorted({p for ids in council.experts.values() for p in ids} - set(own) - set(national))
    rng.shuffle(own)
    rng.shuffle(national)
    rng.shuffle(rest)
    chosen: list[int] = []
    for person in own + national + rest:
        if person not in chosen:
            chosen.append(person)
        if len(chosen) == size:
            break
    return chosen


@dataclass
class Planned:
    organisation: Organisation
    topic: Topic
    status: str
    year: int
    regions: list[int]
    survey: Survey | None = None


def _linked(council: Council, today: datetime.date) -> list[Planned]:
    """Studies that ran the demo's surveys: the national council analyses each trust wave (the
    latest still in analysis), a regional group each regional survey."""
    S = Study.Status
    planned: list[Planned] = []
    trust = list(Survey.objects.filter(is_trust_index=True).order_by("year", "pk"))
    status: str
    for survey in trust:
        status = S.ANALYSIS if survey is trust[-1] else S.DONE
        planned.append(Planned(council.council, TRUST_TOPIC, status, survey.year, [], survey))
    stage: dict[str, str] = {
        Survey.Status.PUBLISHED: S.DONE,
        Survey.Status.WEIGHTED: S.ANALYSIS,
        Survey.Status.CLOSED: S.ANALYSIS,
        Survey.Status.FIELDWORK: S.FIELDWORK,
    }
    for survey in Survey.objects.filter(is_trust_index=False).order_by("year", "pk"):
        region_ids = list(survey.regions.values_list("pk", flat=True))
        group = council.groups.get(region_ids[0]) if len(region_ids) == 1 else None
        if group is None or survey.status not in stage:
            continue
        status = stage[survey.status]
        if status == S.DONE and survey.year == today.year:
            status = S.ANALYSIS
        planned.append(Planned(group, REGIONAL_TOPIC, status, survey.year, region_ids, survey))
    return planned


def _studies(council: Council, rng: random.Random, *, scale: float) -> list[Study]:
    today = timezone.localdate()
    planned = _linked(council, today)
    total = max(studies_target(scale) - len(planned), 0)
    per_year = [round(total * share) for share in (0.3, 0.35)]
    per_year.append(total - sum(per_year))
    group_regions = sorted(council.groups)
    national_topics = [t for t in TOPICS if t.national]
    for year, count in zip(plan_years(today), per_year, strict=True):
        for index, status in enumerate(_study_statuses(year, today, count)):
            if index % 5 in (0, 3) or not group_regions:
                topic = national_topics[(year + index) % len(national_topics)]
                regions = rng.sample(group_regions, min(len(group_regions), rng.randint(0, 4)))
                planned.append(Planned(council.council, topic, status, year, regions))
            else:
                region_id = group_regions[(index * 7 + year) % len(group_regions)]
                topic = TOPICS[(index * 3 + year) % len(TOPICS)]
                planned.append(Planned(council.groups[region_id], topic, status, year, [region_id]))
    plans: dict[tuple[int, int], ResearchPlan] = {}
    studies: list[Study] = []
    teams: list[list[int]] = []
    for item in planned:
        key = (item.organisation.pk, item.year)
        if key not in plans:
            plans[key] = ResearchPlan.objects.create(
                organisation=item.organisation, year=item.year, notes=PLAN_NOTE
            )
        study = _study(plans[key], item.topic, item.status, item.year, today, council, rng)
        study.survey = item.survey
        if item.survey is not None and item.survey.ends_on and study.completed_on:
            # The report follows the fieldwork and the weighting.
            after = item.survey.ends_on + datetime.timedelta(days=rng.randint(20, 45))
            study.completed_on = min(max(study.completed_on, after), today)
        studies.append(study)
        teams.append(_team(council, item.organisation, rng, rng.randint(2, 6)))
    created = _bulk(Study, studies)
    through = Study.regions.through
    _bulk(
        through,
        [
            through(study_id=study.pk, region_id=region_id)
            for study, item in zip(created, planned, strict=True)
            for region_id in item.regions
        ],
    )
    _bulk(
        StudyMember,
        [
            StudyMember(
                study_id=study.pk,
                person_id=person,
                role=StudyMember.Role.LEAD if position == 0 else StudyMember.Role.MEMBER,
            )
            for study, team in zip(created, teams, strict=True)
            for position, person in enumerate(team)
        ],
    )
    return created


def _study(
    plan: ResearchPlan,
    topic: Topic,
    status: str,
    year: int,
    today: datetime.date,
    council: Council,
    rng: random.Random,
) -> Study:
    S = Study.Status
    language = 0 if rng.random() < 0.6 else 1
    year_start = datetime.date(year, 1, 10)
    if status == S.DRAFT:
        created = today - datetime.timedelta(days=rng.randint(3, 40))
    else:
        created = _between(rng, year_start, min(datetime.date(year, 3, 31), today))
    study = Study(
        plan=plan,
        title_kk=f"{topic.title[0]} ({year})",
        title_ru=f"{topic.title[1]} ({year})",
        title_en=f"{topic.title[2]} ({year})",
        method=topic.method[language],
        status=status,
        drafted_by=council.user,
        created_at=_moment(created, 10),
    )
    study.title = study.title_kk  # type: ignore[attr-defined]
    if status != S.DRAFT:
        study.approved_by = council.approver
        study.approved_on = min(created + datetime.timedelta(days=rng.randint(7, 30)), today)
    if status == S.DONE:
        approved = study.approved_on or created
        if year < today.year:
            end = datetime.date(year, 12, 20)
            start = max(approved + datetime.timedelta(days=60), datetime.date(year, 9, 1))
        else:  # done well before today, so its recommendations can be late or answered
            end = today - datetime.timedelta(days=50)
            start = approved + datetime.timedelta(days=30)
        study.completed_on = min(_between(rng, start, end), today)
        _findings(study, topic, rng)
    elif status == S.ANALYSIS and rng.random() < 0.5:
        _findings(study, topic, rng, preliminary=True)
    return study


def _findings(study: Study, topic: Topic, rng: random.Random, *, preliminary: bool = False) -> None:
    share = rng.randint(18, 74)
    n = rng.choice((400, 600, 800, 1200, 1500))
    kk, ru, en = (text.format(share=share, n=n) for text in topic.finding)
    if preliminary:
        kk = f"{PRELIMINARY[0]} {kk}"
        ru = f"{PRELIMINARY[1]} {ru}"
        en = f"{PRELIMINARY[2]} {en}"
    else:
        kk, ru, en = (f"{a}\n\n{b}" for a, b in zip((kk, ru, en), CLOSING, strict=True))
    study.findings_kk = kk  # type: ignore[attr-defined]
    study.findings_ru = ru  # type: ignore[attr-defined]
    study.findings_en = en  # type: ignore[attr-defined]
    study.findings = kk


def _reports(studies: list[Study], rng: random.Random) -> int:
    """A generated PDF report for every completed study (the council completes a study only
    with its report), kept under a random name as the upload service keeps one."""
    done = [s for s in studies if s.status == Study.Status.DONE]
    names = _team_names([s.pk for s in done])
    for study in done:
        language = "kk" if rng.random() < 0.6 else "ru"
        data = report_pdf(study, language=language, team=names.get(study.pk, []))
        study.report_name = f"{REPORT_NAME[language]}-{study.plan.year}-{study.pk}.pdf"
        study.report.save(f"{secrets.token_hex(16)}.pdf", ContentFile(data), save=False)
        study.save(update_fields=["report", "report_name"])
    return len(done)


def _team_names(study_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    for member in (
        StudyMember.objects.filter(study_id__in=study_ids)
        .select_related("person")
        .order_by("study_id", "role", "id")
    ):
        names[member.study_id].append(member.person.full_name)
    return dict(names)


def report_pdf(study: Study, *, language: str, team: list[str]) -> bytes:
    """A short report of a completed study: title, council, team, method and findings."""
    body = study.plan.organisation
    return _pdf(
        language,
        str(getattr(body, f"name_{language}", "") or body.name),
        str(getattr(study, f"title_{language}", "") or study.title),
        study.completed_on.strftime("%d.%m.%Y") if study.completed_on else "",
        tuple(team),
        study.method,
        str(getattr(study, f"findings_{language}", "") or study.findings),
    )


@functools.lru_cache(maxsize=128)
def _pdf(
    language: str,
    body: str,
    title: str,
    completed: str,
    team: tuple[str, ...],
    method: str,
    findings: str,
) -> bytes:
    """The PDF itself; the same texts give the same bytes (a reseeded demo, as in the tests,
    does not parse the font again: that is most of the time a report takes)."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    from birlik.core.pdf import FONT_FAMILY, add_fonts

    words = REPORT_WORDS[language]
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_lang(language)
    pdf.set_title(title)
    pdf.set_author(body)
    pdf.set_creator("Birlik (demo)")
    add_fonts(pdf, bold=False)  # one face: fonts are slow
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(20, 18, 20)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, size=10)
    pdf.multi_cell(0, 6, body, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT_FAMILY, size=16)
    pdf.multi_cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FONT_FAMILY, size=10)
    pdf.multi_cell(
        0, 6, f"{words['completed']}: {completed} · {words['demo']}",
        new_x=XPos.LMARGIN, new_y=YPos.NEXT,
    )  # fmt: skip
    for heading, text in (
        (words["team"], ", ".join(team)),
        (words["method"], method),
        (words["findings"], findings),
    ):
        if not text:
            continue
        pdf.ln(3)
        pdf.set_font(FONT_FAMILY, size=13)
        pdf.cell(0, 7, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT_FAMILY, size=11)
        pdf.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


# --- Recommendations ------------------------------------------------------------------------


# Shares of the recommendations in each state; overdue ones are sent with their due date past.
STATES: tuple[tuple[str, float], ...] = (
    ("draft", 0.07),
    ("sent", 0.08),
    ("overdue", 0.05),
    ("answered", 0.15),
    ("accepted", 0.32),
    ("partly", 0.19),
    ("rejected", 0.14),
)


def _state_list(count: int, rng: random.Random) -> list[str]:
    """``count`` states in the shares of ``STATES``, each at least once."""
    from .plan import allocate

    counts = allocate(count, [share for _state, share in STATES], minimum=1)
    states = [state for (state, _share), n in zip(STATES, counts, strict=True) for _ in range(n)]
    rng.shuffle(states)
    return states


@dataclass
class Addressees:
    assembly: dict[int | None, list[int]]  # region id (None: national) -> Assembly body ids
    state: dict[int | None, list[int]]  # region id (None: ministries) -> state body ids
    demo_bodies: list[int]  # bodies of the demo's staff logins, to see answers to give


def _addressees() -> Addressees:
    assembly: dict[int | None, list[int]] = defaultdict(list)
    for pk, region_id, kind in (
        Organisation.objects.filter(
            kind__code__in=("regional_assembly", "house_of_friendship"),
            status=Organisation.Status.ACTIVE,
        )
        .order_by("path")
        .values_list("pk", "region_id", "kind__code")
    ):
        assembly[region_id].append(pk)
        if kind == "regional_assembly":
            assembly[None].append(pk)
    state: dict[int | None, list[int]] = defaultdict(list)
    for pk, region_id in (
        StateBody.objects.filter(is_active=True, district__isnull=True)
        .order_by("kind", "code")
        .values_list("pk", "region_id")
    ):
        state[region_id].append(pk)
    demo_bodies = list(
        Grant.objects.filter(
            user__username__in=("staff_house", "coordinator_pavlodar"), revoked_at__isnull=True
        )
        .order_by("pk")
        .values_list("organisation_id", flat=True)
    )
    return Addressees(dict(assembly), dict(state), demo_bodies)


def _recommendations(
    council: Council, studies: list[Study], rng: random.Random, *, scale: float
) -> list[Recommendation]:
    today = timezone.localdate()
    addressees = _addressees()
    # Sources: completed studies early enough for a whole answer cycle before today.
    done = [
        s
        for s in studies
        if s.status == Study.Status.DONE
        and s.completed_on is not None
        and s.completed_on <= today - datetime.timedelta(days=CYCLE_DAYS)
    ]
    if not done:
        return []
    regions: dict[int, int] = dict(
        Study.regions.through.objects.filter(study_id__in=[s.pk for s in done]).values_list(
            "study_id", "region_id"
        )
    )
    topics = {s.pk: _topic_of(s) for s in done}
    alerts = _alerts()
    total = recommendations_target(scale)
    states = _state_list(total, rng)
    rows: list[Recommendation] = []
    demo_left = 3  # sent or overdue recommendations to the demo staff's own bodies
    national = [s for s in done if s.plan.organisation_id == council.council.pk] or done
    for index, state in enumerate(states):
        alert = alerts[index] if index < len(alerts) and state != "draft" else None
        to_demo = state in ("sent", "overdue") and demo_left > 0 and bool(addressees.demo_bodies)
        study = None if alert is not None else done[index % len(done)]
        if study is not None and to_demo:
            study = national[index % len(national)]  # the national council writes to them
        region_id = alert["region_id"] if alert else regions.get(study.pk if study else 0)
        language = 0 if rng.random() < 0.6 else 1
        topic = topics[study.pk] if study is not None else TOPICS[-1]
        title, text = topic.recommendation[language]
        organisation = (
            council.groups.get(region_id, council.council)
            if study is None and region_id
            else (study.plan.organisation if study else council.council)
        )
        rec = Recommendation(
            organisation=organisation,
            study=study,
            alert_id=alert["id"] if alert else None,
            title=title,
            text=text,
            drafted_by=council.user,
        )
        to_state = rng.random() < 0.55
        if to_demo:
            rec.to_body_id = addressees.demo_bodies[demo_left % len(addressees.demo_bodies)]
            demo_left -= 1
        elif to_state and (addressees.state.get(region_id) or addressees.state.get(None)):
            pool = addressees.state.get(region_id) or addressees.state[None]
            rec.to_state_body_id = rng.choice(pool)
        else:
            pool = addressees.assembly.get(region_id) or addressees.assembly.get(None) or []
            if pool:
                rec.to_body_id = rng.choice(pool)
        start = (
            (study.completed_on if study and study.completed_on else today)
            if alert is None
            else alert["day"]
        )
        if (
            alert is not None
            and state not in ("draft", "sent")
            and (today - start).days < CYCLE_DAYS
        ):
            state = "sent"  # a recent alert: its recommendation has just gone out
        _dates(rec, state, start, today, language, rng)
        rows.append(rec)
    return _bulk(Recommendation, rows)


def _dates(
    rec: Recommendation,
    state: str,
    start: datetime.date,
    today: datetime.date,
    language: int,
    rng: random.Random,
) -> None:
    """Dates and texts that agree with ``state``, all after ``start`` and up to today; the
    answer is due by the council's rule (``recommendation_answer_due``)."""
    from birlik.surveys.services import recommendation_answer_due

    R = Recommendation
    if state == "draft":
        rec.status = R.Status.DRAFT
        rec.created_at = _moment(today - datetime.timedelta(days=rng.randint(1, 20)), 10)
        return
    if state == "sent":
        sent = today - datetime.timedelta(days=rng.randint(1, 10))
    elif state == "overdue":
        sent = today - datetime.timedelta(days=rng.randint(40, CYCLE_DAYS - 5))
    else:
        sent = _between(
            rng, start + datetime.timedelta(days=5), today - datetime.timedelta(days=45)
        )
    sent = min(max(sent, start), today)
    rec.status = R.Status.SENT
    rec.created_at = _moment(sent - datetime.timedelta(days=rng.randint(2, 10)), 10)
    rec.sent_on = sent
    rec.response_due = recommendation_answer_due(sent)
    if state in ("sent", "overdue"):
        return
    answered = min(sent + datetime.timedelta(days=rng.randint(5, 28)), today)
    rec.status = R.Status.ANSWERED
    rec.answered_on = answered
    rec.response_text = rng.choice(ANSWERS)[language]
    if state == "answered":
        return
    rec.status = R.Status.DECIDED
    rec.decision = state
    rec.decided_on = min(answered + datetime.timedelta(days=rng.randint(3, 14)), today)
    if state != "rejected":
        rec.actions_taken = rng.choice(ACTIONS)[language]


def _topic_of(study: Study) -> Topic:
    title = str(getattr(study, "title_en", "") or "")
    for topic in (*TOPICS, TRUST_TOPIC):
        if title.startswith(topic.title[2]):
            return topic
    return TOPICS[0]


def _alerts() -> list[dict[str, Any]]:
    """A few of early warning's alerts (when the worker has raised any) as sources."""
    try:
        from birlik.monitoring.models import Alert
    except ImportError:  # pragma: no cover - monitoring is installed with the demo
        return []
    return [
        {"id": pk, "region_id": region_id, "day": timezone.localdate(raised)}
        for pk, region_id, raised in Alert.objects.order_by("-risk", "pk").values_list(
            "pk", "region_id", "raised_at"
        )[:4]
    ]


# --------------------------------------------------------------------------------------------
# Texts of the demo's surveys (data in kk/ru/en, like the questionnaire template's)

TRUST_CODE = "trust-index"
TRUST_TITLE = {
    "kk": "Этносаралық сенім индексі: ұлттық сауалнама",
    "ru": "Индекс межэтнического доверия: национальный опрос",
    "en": "Interethnic trust index: national survey",
}
TRUST_WAVE_TITLE = {
    "kk": "Этносаралық сенім индексі — {year}",
    "ru": "Индекс межэтнического доверия — {year}",
    "en": "Interethnic trust index — {year}",
}
MARGINS_TITLE = "Ұлттық үлестер: жыныс пен жас, этнос, өңір (өңірлер — иллюстрациялық, демо)"
MARGINS_REGIONAL_TITLE = "жыныс пен жас, қала мен ауыл (демо)"
SEX_AGE_SOURCE = "SURVEY_SEX_AGE_SHARES setting (adults 18+)"
REGION_ONLY_SOURCE = "the survey covers this region only"
SETTLEMENT_SOURCE = "Bureau of National Statistics, 1 January 2025: urban and rural population"
REGIONAL_DEMOGRAPHICS = ("D_SETTLEMENT", "D_SEX", "D_AGE", "D_ETHNIC", "D_LANG")


def _t(kk: str, ru: str, en: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru, "en": en}


AGREE = (
    _t("мүлде келіспеймін", "совершенно не согласен", "strongly disagree"),
    _t("толық келісемін", "полностью согласен", "strongly agree"),
)
DONT_KNOW = _t("Білмеймін", "Затрудняюсь ответить", "Don't know")


def regional_questionnaire(key: str) -> tuple[dict[str, str], list[QuestionData]]:
    """The title and the own questions of a regional questionnaire of the demo."""
    from birlik.surveys.services import OptionSpec, QuestionData

    def options(*items: tuple[str, dict[str, str]]) -> tuple[OptionSpec, ...]:
        return tuple(OptionSpec(code, labels) for code, labels in items)

    if key == "neighbours":
        return _t(
            "Көршілік, тіл және достық",
            "Соседство, язык и дружба",
            "Neighbours, language and friendship",
        ), [
            QuestionData(
                code="N1",
                kind="single",
                required=True,
                text=_t(
                    "Достық үйінің іс-шараларына қаншалықты жиі барасыз?",
                    "Как часто вы бываете на мероприятиях Дома дружбы?",
                    "How often do you go to events of the House of Friendship?",
                ),
                options=options(
                    ("often", _t("жиі", "часто", "often")),
                    ("sometimes", _t("кейде", "иногда", "sometimes")),
                    ("rarely", _t("сирек", "редко", "rarely")),
                    ("never", _t("ешқашан", "никогда", "never")),
                ),
            ),
            QuestionData(
                code="N2",
                kind="single",
                text=_t(
                    "Қандай іс-шараларға көбірек барасыз?",
                    "На какие мероприятия вы ходите чаще всего?",
                    "Which events do you go to most?",
                ),
                show_if={"q": "N1", "op": "in", "v": ["often", "sometimes"]},
                options=options(
                    (
                        "concerts",
                        _t(
                            "концерттер мен мерекелер",
                            "концерты и праздники",
                            "concerts and festivals",
                        ),
                    ),
                    ("courses", _t("тіл курстары", "языковые курсы", "language courses")),
                    ("talks", _t("дөңгелек үстелдер", "круглые столы", "round tables")),
                    (
                        "sport",
                        _t("спорт жарыстары", "спортивные соревнования", "sports competitions"),
                    ),
                ),
            ),
            QuestionData(
                code="N3",
                kind="multiple",
                text=_t(
                    "Қай тілдерде еркін сөйлейсіз?",
                    "На каких языках вы свободно говорите?",
                    "Which languages do you speak freely?",
                ),
                options=options(
                    ("kk", _t("қазақ тілі", "казахский", "Kazakh")),
                    ("ru", _t("орыс тілі", "русский", "Russian")),
                    ("en", _t("ағылшын тілі", "английский", "English")),
                    ("other", _t("басқа тіл", "другой", "another language")),
                ),
            ),
            QuestionData(
                code="N4",
                kind="scale",
                required=True,
                scale_min=1,
                scale_max=5,
                text=_t(
                    "Көршілеріңізбен қарым-қатынасқа қаншалықты ризасыз?",
                    "Насколько вы довольны отношениями с соседями?",
                    "How satisfied are you with relations with your neighbours?",
                ),
                label_min=_t("мүлде риза емеспін", "совсем не доволен", "not at all satisfied"),
                label_max=_t("толық ризамын", "полностью доволен", "fully satisfied"),
                options=options(("88", DONT_KNOW)),
            ),
            QuestionData(
                code="N5",
                kind="matrix",
                scale_min=1,
                scale_max=5,
                text=_t(
                    "Келесі пікірлермен қаншалықты келісесіз?",
                    "Насколько вы согласны со следующими утверждениями?",
                    "How far do you agree with the following statements?",
                ),
                label_min=AGREE[0],
                label_max=AGREE[1],
                rows=options(
                    (
                        "help",
                        _t(
                            "Біздің елді мекенде әр түрлі этнос өкілдері бір-біріне көмектеседі",
                            "В нашем населённом пункте люди разных этносов помогают друг другу",
                            "In our town people of different ethnic groups help each other",
                        ),
                    ),
                    (
                        "culture",
                        _t(
                            "Көршілерімнің мәдениеті туралы көбірек білгім келеді",
                            "Я хотел бы больше узнать о культуре моих соседей",
                            "I would like to know more about my neighbours' culture",
                        ),
                    ),
                    (
                        "fair",
                        _t(
                            "Жергілікті билік барлық этностарға әділ қарайды",
                            "Местная власть справедливо относится ко всем этносам",
                            "The local authorities treat every ethnic group fairly",
                        ),
                    ),
                ),
            ),
            QuestionData(
                code="N6",
                kind="number",
                number_min=Decimal(0),
                number_max=Decimal(99),
                text=_t(
                    "Осы елді мекенде неше жыл тұрып келесіз?",
                    "Сколько лет вы живёте в этом населённом пункте?",
                    "How many years have you lived in this town?",
                ),
            ),
            QuestionData(
                code="N7",
                kind="text",
                text=_t(
                    "Елді мекеніңізде достықты нығайту үшін не ұсынар едіңіз?",
                    "Что бы вы предложили для укрепления дружбы в вашем населённом пункте?",
                    "What would you suggest to strengthen friendship in your town?",
                ),
            ),
        ]
    return _t(
        "Қала өмірі және этносаралық достық",
        "Городская жизнь и межэтническая дружба",
        "City life and interethnic friendship",
    ), [
        QuestionData(
            code="C1",
            kind="scale",
            required=True,
            scale_min=0,
            scale_max=10,
            text=_t(
                "Басқа этнос өкілдері арасында достарыңыз қаншалықты көп?",
                "Сколько у вас друзей среди людей других этносов?",
                "How many of your friends are people of other ethnic groups?",
            ),
            label_min=_t("мүлде жоқ", "совсем нет", "none at all"),
            label_max=_t("өте көп", "очень много", "very many"),
            options=options(("88", DONT_KNOW)),
        ),
        QuestionData(
            code="C2",
            kind="multiple",
            text=_t(
                "Басқа этнос өкілдерімен көбінесе қайда араласасыз?",
                "Где вы чаще всего общаетесь с людьми других этносов?",
                "Where do you mostly meet people of other ethnic groups?",
            ),
            options=options(
                ("work", _t("жұмыста немесе оқуда", "на работе или учёбе", "at work or study")),
                ("yard", _t("ауладағы көршілермен", "с соседями во дворе", "with neighbours")),
                ("sport", _t("спорт пен үйірмелерде", "в спорте и кружках", "in sport and clubs")),
                ("online", _t("әлеуметтік желілерде", "в социальных сетях", "on social media")),
            ),
        ),
        QuestionData(
            code="C3",
            kind="single",
            required=True,
            text=_t(
                "Соңғы бір жылда Ассамблея іс-шараларына қатыстыңыз ба?",
                "Участвовали ли вы в мероприятиях Ассамблеи за последний год?",
                "Did you take part in events of the Assembly in the past year?",
            ),
            options=options(
                ("yes", _t("иә", "да", "yes")),
                ("no", _t("жоқ", "нет", "no")),
            ),
        ),
        QuestionData(
            code="C4",
            kind="text",
            text=_t(
                "Қалада қандай іс-шаралар жетіспейді?",
                "Каких мероприятий не хватает в городе?",
                "Which events does the city lack?",
            ),
        ),
    ]


# --------------------------------------------------------------------------------------------
# Texts of the demo's council (data, in the council's languages)

PLAN_NOTE = "Жоспар Кеңестің отырысында бекітілді. / План утвержден на заседании Совета. (демо)"
PRELIMINARY = ("Алдын ала нәтижелер:", "Предварительные результаты:", "Preliminary results:")
CLOSING = (
    "Толық есеп пен ұсынымдар Кеңестің отырысында талқыланды.",
    "Полный отчет и рекомендации обсуждены на заседании Совета.",
    "The full report and the recommendations were discussed at a meeting of the Council.",
)
REPORT_NAME = {"kk": "esep", "ru": "otchet"}
REPORT_WORDS = {
    "kk": {
        "completed": "Аяқталған күні",
        "demo": "демо деректер",
        "team": "Зерттеу тобы",
        "method": "Әдіс",
        "findings": "Негізгі қорытындылар",
    },
    "ru": {
        "completed": "Дата завершения",
        "demo": "демонстрационные данные",
        "team": "Исследовательская группа",
        "method": "Метод",
        "findings": "Основные выводы",
    },
}
ANSWERS: tuple[tuple[str, str], ...] = (
    (
        "Ұсыным қаралды. Тиісті бөлімдерге орындау үшін жіберілді.",
        "Рекомендация рассмотрена и направлена в профильные отделы для исполнения.",
    ),
    (
        "Ұсыным келесі жылдың жұмыс жоспарына енгізу үшін қаралуда.",
        "Рекомендация рассматривается для включения в план работы на следующий год.",
    ),
    (
        "Ұсынылған шаралар қаражат бөлінген жағдайда іске асырылады.",
        "Предложенные меры будут реализованы при выделении финансирования.",
    ),
)
ACTIONS: tuple[tuple[str, str], ...] = (
    (
        "Өңірде үш дөңгелек үстел өтті, ақпараттық материалдар екі тілде шығарылды.",
        "В регионе проведены три круглых стола, выпущены информационные материалы на двух языках.",
    ),
    (
        "Мектептер мен колледждерде 40 сағаттық оқыту бағдарламасы енгізілді.",
        "В школах и колледжах внедрена 40-часовая обучающая программа.",
    ),
    (
        "Әкімдікте тұрақты жұмыс тобы құрылды, тоқсан сайын есеп береді.",
        "При акимате создана постоянная рабочая группа, отчитывается ежеквартально.",
    ),
)

TOPICS: tuple[Topic, ...] = (
    Topic(
        (
            "Көпэтносты аудандарда мемлекеттік тілдің қолданылуы",
            "Использование государственного языка в полиэтничных районах",
            "Use of the state language in multiethnic districts",
        ),
        (
            "Сауалнама (n ≈ 800) және 6 фокус-топ.",
            "Опрос (n ≈ 800) и 6 фокус-групп.",
        ),
        (
            "Сұралған {n} адамның {share}%-ы қазақ тілін күнделікті өмірде жиі қолданатынын "
            "айтты; тілдік курстарға сұраныс жоғары.",
            "{share}% из {n} опрошенных сказали, что часто используют казахский язык в "
            "повседневной жизни; спрос на языковые курсы высок.",
            "{share}% of the {n} people asked said they often use Kazakh in everyday life; "
            "demand for language courses is high.",
        ),
        (
            (
                "Тегін тіл курстарын кеңейту",
                "Аудан орталықтарында ересектерге арналған тегін қазақ тілі курстарын "
                "кеңейтуді ұсынамыз.",
            ),
            (
                "Расширить бесплатные языковые курсы",
                "Рекомендуем расширить бесплатные курсы казахского языка для взрослых в "
                "районных центрах.",
            ),
        ),
    ),
    Topic(
        (
            "Жастардың этносаралық некеге көзқарасы",
            "Отношение молодежи к межэтническим бракам",
            "Young people's attitudes to interethnic marriage",
        ),
        (
            "Студенттер арасында онлайн-сауалнама және 20 терең сұхбат.",
            "Онлайн-опрос студентов и 20 глубинных интервью.",
        ),
        (
            "Жас респонденттердің {share}%-ы этносаралық некеге оң көзқараста ({n} адам сұралды).",
            "{share}% молодых респондентов положительно относятся к межэтническим бракам "
            "(опрошено {n} человек).",
            "{share}% of young respondents view interethnic marriage positively ({n} people "
            "asked).",
        ),
        (
            (
                "Жастар үшін мәдениетаралық клубтар",
                "Жоғары оқу орындарында мәдениетаралық диалог клубтарын ашуды ұсынамыз.",
            ),
            (
                "Межкультурные клубы для молодежи",
                "Рекомендуем открыть клубы межкультурного диалога в вузах.",
            ),
        ),
    ),
    Topic(
        (
            "Әлеуметтік желілердегі этникалық сипаттағы қауесеттер",
            "Слухи с этническим подтекстом в социальных сетях",
            "Ethnically charged rumours on social media",
        ),
        (
            "Әлеуметтік желілердегі 12 000 жарияланымның контент-талдауы.",
            "Контент-анализ 12 000 публикаций в социальных сетях.",
        ),
        (
            "Талданған жарияланымдардың {share}%-ы тексерілмеген ақпаратқа сілтеме жасаған; "
            "{n} жарияланым жеке қаралды.",
            "{share}% проанализированных публикаций ссылались на непроверенную информацию; "
            "{n} публикаций разобраны отдельно.",
            "{share}% of the posts analysed cited unverified information; {n} posts were "
            "examined one by one.",
        ),
        (
            (
                "Жалған ақпаратқа жедел жауап беру",
                "Облыстық баспасөз қызметтеріне қауесеттерге 24 сағат ішінде жауап беру тәртібін "
                "енгізуді ұсынамыз.",
            ),
            (
                "Оперативно отвечать на недостоверную информацию",
                "Рекомендуем пресс-службам областей ввести порядок ответа на слухи в течение "
                "24 часов.",
            ),
        ),
    ),
    Topic(
        (
            "Достық үйлерінің жергілікті қоғамдастықтағы рөлі",
            "Роль домов дружбы в местных сообществах",
            "The role of Houses of Friendship in local communities",
        ),
        (
            "Келушілер сауалнамасы және қызметкерлермен сұхбат.",
            "Опрос посетителей и интервью с сотрудниками.",
        ),
        (
            "Келушілердің {share}%-ы Достық үйінің іс-шараларына жылына кемінде екі рет "
            "қатысады ({n} келуші сұралды).",
            "{share}% посетителей бывают на мероприятиях Дома дружбы не реже двух раз в год "
            "(опрошено {n} посетителей).",
            "{share}% of visitors attend events of the House of Friendship at least twice a year "
            "({n} visitors asked).",
        ),
        (
            (
                "Ауылдық жерлерге көшпелі бағдарламалар",
                "Достық үйлеріне ауылдық округтерге көшпелі мәдени бағдарламалар өткізуді "
                "ұсынамыз.",
            ),
            (
                "Выездные программы в сельской местности",
                "Рекомендуем домам дружбы проводить выездные культурные программы в сельских "
                "округах.",
            ),
        ),
        national=False,
    ),
    Topic(
        (
            "Қандастардың бейімделуі және жұмысқа орналасуы",
            "Адаптация и трудоустройство кандасов",
            "Adaptation and employment of returning ethnic Kazakhs (qandas)",
        ),
        (
            "Сауалнама (n ≈ 600) және жергілікті атқарушы органдардың деректерін талдау.",
            "Опрос (n ≈ 600) и анализ данных местных исполнительных органов.",
        ),
        (
            "Қандастардың {share}%-ы алғашқы екі жылда тұрақты жұмыс тапқан ({n} адам сұралды).",
            "{share}% кандасов нашли постоянную работу в первые два года (опрошено {n} человек).",
            "{share}% of qandas found a steady job within two years ({n} people asked).",
        ),
        (
            (
                "Қандастарға арналған кеңес орталықтары",
                "Қандастар көп қоныстанған аудандарда бір терезе қағидаты бойынша кеңес "
                "орталықтарын ашуды ұсынамыз.",
            ),
            (
                "Консультационные центры для кандасов",
                "Рекомендуем открыть консультационные центры по принципу одного окна в районах "
                "компактного расселения кандасов.",
            ),
        ),
    ),
    Topic(
        (
            "Этномәдени бірлестіктердің қызметі және қамтуы",
            "Деятельность и охват этнокультурных объединений",
            "Activity and reach of ethnocultural associations",
        ),
        (
            "Бірлестіктер есептерін талдау және 30 жетекшімен сұхбат.",
            "Анализ отчетов объединений и 30 интервью с руководителями.",
        ),
        (
            "Бірлестіктердің {share}%-ы жастар арасында тұрақты жұмыс жүргізеді; {n} "
            "іс-шараның деректері талданды.",
            "{share}% объединений ведут постоянную работу с молодежью; проанализированы данные "
            "{n} мероприятий.",
            "{share}% of associations work with young people regularly; data of {n} events "
            "were analysed.",
        ),
        (
            (
                "Бірлестіктерге шағын гранттар",
                "Жастар жобаларына арналған шағын гранттар конкурсын жыл сайын өткізуді ұсынамыз.",
            ),
            (
                "Малые гранты объединениям",
                "Рекомендуем ежегодно проводить конкурс малых грантов на молодежные проекты.",
            ),
        ),
        national=False,
    ),
    Topic(
        (
            "Тұрмыстық жанжалдардағы этникалық аспект және медиация",
            "Этнический аспект бытовых конфликтов и медиация",
            "The ethnic aspect of everyday conflicts and mediation",
        ),
        (
            "Медиация істерінің деректерін талдау және медиаторлармен сұхбат.",
            "Анализ данных дел медиации и интервью с медиаторами.",
        ),
        (
            "Қаралған істердің {share}%-ы келісіммен аяқталды; {n} істің материалдары талданды.",
            "{share}% рассмотренных дел завершились соглашением; проанализированы материалы "
            "{n} дел.",
            "{share}% of the cases considered ended in an agreement; the files of {n} cases "
            "were analysed.",
        ),
        (
            (
                "Медиацияны ерте кезеңде ұсыну",
                "Полиция мен әкімдіктерге тұрмыстық дауларда медиацияны алғашқы өтініш кезінде "
                "ұсынуды ұсынамыз.",
            ),
            (
                "Предлагать медиацию на раннем этапе",
                "Рекомендуем полиции и акиматам предлагать медиацию по бытовым спорам при "
                "первом обращении.",
            ),
        ),
    ),
    Topic(
        (
            "Ассамблея институттарына қоғамдық сенім",
            "Общественное доверие к институтам Ассамблеи",
            "Public trust in the Assembly's institutions",
        ),
        (
            "Ұлттық сауалнама деректерінің қайталама талдауы.",
            "Вторичный анализ данных национального опроса.",
        ),
        (
            "Респонденттердің {share}%-ы Ассамблеяның жергілікті жұмысын біледі ({n} адам "
            "сұралды).",
            "{share}% респондентов знают о работе Ассамблеи на местах (опрошено {n} человек).",
            "{share}% of respondents know about the Assembly's local work ({n} people asked).",
        ),
        (
            (
                "Ассамблея жұмысы туралы ақпаратты кеңейту",
                "Облыстық ассамблеяларға жұмыс нәтижелерін жергілікті БАҚ-та тоқсан сайын "
                "жариялауды ұсынамыз.",
            ),
            (
                "Больше информации о работе Ассамблеи",
                "Рекомендуем ассамблеям областей ежеквартально публиковать итоги работы в "
                "местных СМИ.",
            ),
        ),
    ),
    Topic(
        (
            "Шекара маңындағы аудандардағы этносаралық келісім",
            "Межэтническое согласие в приграничных районах",
            "Interethnic accord in border districts",
        ),
        (
            "Далалық зерттеу: 4 аудандағы сауалнама мен сұхбаттар.",
            "Полевое исследование: опрос и интервью в 4 районах.",
        ),
        (
            "Тұрғындардың {share}%-ы көршілермен қарым-қатынасты жақсы деп бағалады ({n} адам "
            "сұралды).",
            "{share}% жителей оценили отношения с соседями как хорошие (опрошено {n} человек).",
            "{share}% of residents rated relations with their neighbours as good ({n} people "
            "asked).",
        ),
        (
            (
                "Шекара маңы аудандарына мәдени бағдарламалар",
                "Шекара маңындағы аудандарда ортақ мерекелер мен мәдени алмасуды қолдауды "
                "ұсынамыз.",
            ),
            (
                "Культурные программы для приграничья",
                "Рекомендуем поддержать совместные праздники и культурные обмены в приграничных "
                "районах.",
            ),
        ),
        national=False,
    ),
    Topic(
        (
            "Ата-аналардың оқыту тілін таңдауы",
            "Выбор родителями языка обучения",
            "Parents' choice of the language of schooling",
        ),
        (
            "Мектептердегі ата-аналар сауалнамасы.",
            "Опрос родителей в школах.",
        ),
        (
            "Ата-аналардың {share}%-ы балаларын екі тілде оқытуды қалайды ({n} ата-ана сұралды).",
            "{share}% родителей хотели бы обучения детей на двух языках (опрошено {n} родителей).",
            "{share}% of parents would like their children taught in two languages ({n} "
            "parents asked).",
        ),
        (
            (
                "Екі тілде оқытатын сыныптар",
                "Көпэтносты аудандарда екі тілде оқытатын сыныптар санын арттыруды ұсынамыз.",
            ),
            (
                "Классы с обучением на двух языках",
                "Рекомендуем увеличить число классов с обучением на двух языках в полиэтничных "
                "районах.",
            ),
        ),
    ),
    Topic(
        (
            "Жергілікті шиеленістердің ерте белгілері",
            "Ранние признаки локальной напряженности",
            "Early signs of local tension",
        ),
        (
            "Мониторинг деректері мен сарапшылар сұхбатын талдау.",
            "Анализ данных мониторинга и экспертных интервью.",
        ),
        (
            "Ескертулердің {share}%-ы тұрмыстық жанжалдардан басталған; {n} оқиға талданды.",
            "{share}% сигналов начинались с бытовых конфликтов; проанализировано {n} случаев.",
            "{share}% of the alerts began with everyday conflicts; {n} cases were analysed.",
        ),
        (
            (
                "Ерте ескерту жүйесіне жедел әрекет ету",
                "Аудан әкімдіктеріне ерте ескерту сигналдарына 48 сағат ішінде жауап беретін "
                "жауапты тұлғаларды белгілеуді ұсынамыз.",
            ),
            (
                "Оперативно реагировать на сигналы раннего предупреждения",
                "Рекомендуем акиматам районов назначить ответственных за реакцию на сигналы "
                "раннего предупреждения в течение 48 часов.",
            ),
        ),
    ),
)

REGIONAL_TOPIC = TOPICS[3]  # the role of Houses of Friendship: the regional surveys' subject
TRUST_TOPIC = Topic(
    (
        "Этносаралық сенім индексі: ұлттық сауалнама",
        "Индекс межэтнического доверия: национальный опрос",
        "Interethnic trust index: national survey",
    ),
    (
        "Квоталық іріктеме бойынша ұлттық сауалнама, өңір, жыныс пен жас және этнос бойынша "
        "салмақтандыру.",
        "Национальный опрос по квотной выборке, взвешивание по региону, полу и возрасту и этносу.",
    ),
    (
        "Сенім индексі бұрынғы толқынмен салыстырғанда аздап өсті; респонденттердің {share}%-ы "
        "«сенімді» топқа жатады ({n} адам сұралды).",
        "Индекс доверия немного вырос по сравнению с прошлой волной; {share}% респондентов "
        "относятся к «доверяющим» (опрошено {n} человек).",
        "The trust index rose slightly on the previous wave; {share}% of respondents are "
        "\u201ctrusting\u201d ({n} people asked).",
    ),
    (
        (
            "Сенім төмен өңірлерге назар аудару",
            "Сенім индексі ең төмен өңірлерде диалог алаңдарын ұйымдастыруды ұсынамыз.",
        ),
        (
            "Внимание регионам с низким доверием",
            "Рекомендуем организовать диалоговые площадки в регионах с самым низким индексом "
            "доверия.",
        ),
    ),
)
