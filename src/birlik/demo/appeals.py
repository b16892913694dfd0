"""Citizens' appeals and proposals to state bodies for the demo: the previous full year and this
year to date, at the network's scale (councils of elders: ~400 appeals considered and ~170
proposals sent a year; houses of friendship, assemblies and the secretariat receive ~600 more).

Everything is decided by a seeded RNG from the bodies in the database and today's date, and
written with ``bulk_create``. Terms follow the working-day rule of ``birlik.core.workdays`` (the
same as ``appeal_register``); numbers continue each year's sequence
(``birlik.core.sequences``).
"""

from __future__ import annotations

import datetime
import random
import secrets
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from birlik.access.models import Grant, Role
from birlik.appeals.models import (
    Appeal,
    AppealHandler,
    AppealStep,
    DeadlineRules,
    Proposal,
    StateBody,
)
from birlik.appeals.services import NUMBER_SCOPE, Terms, extension_latest
from birlik.core import sequences
from birlik.core.workdays import add_working_days, is_working_day
from birlik.registry.models import Organisation

from . import names

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
GROWTH = 1.05  # this year's flow compared with last year's
BATCH_SIZE = 2000
LANGS = ("kk", "ru", "en")
STAFF = (Role.NATIONAL_ADMIN, Role.REGIONAL_COORDINATOR, Role.BODY_STAFF)
MANAGERS = (Role.NATIONAL_ADMIN, Role.REGIONAL_COORDINATOR)


@dataclass(frozen=True)
class Stream:
    key: str
    kinds: tuple[str, ...]  # kinds of body receiving the appeals
    appeals: int  # considered per full year at scale 1.0 (anonymous ones come on top)
    proposals: int  # sent per full year at scale 1.0
    kind_weights: tuple[tuple[str, float], ...]


STREAMS: tuple[Stream, ...] = (
    Stream("elders", ("elders_council",), 400, 170, (
        ("statement", 3), ("complaint", 2), ("request", 3), ("proposal", 1.5), ("response", 0.3),
    )),
    Stream("houses", ("house_of_friendship",), 430, 0, (
        ("statement", 2), ("request", 4), ("proposal", 1.5), ("complaint", 1), ("response", 0.5),
    )),
    Stream("assemblies", ("regional_assembly", "city_assembly"), 100, 0, (
        ("statement", 2), ("request", 2), ("complaint", 2), ("proposal", 1), ("report", 0.2),
    )),
    Stream("secretariat", ("secretariat",), 70, 0, (
        ("statement", 2), ("request", 2), ("complaint", 1.5), ("proposal", 1.5), ("report", 0.2),
    )),
)  # fmt: skip

# What becomes of a considered appeal (the shares of a past period).
FATES: tuple[tuple[str, float], ...] = (
    ("on_time", 0.80),
    ("extended", 0.06),
    ("late", 0.05),
    ("redirected", 0.04),
    ("overdue", 0.03),
    ("closed", 0.02),
)
ANONYMOUS_SHARE = 0.02
CHANNELS: tuple[tuple[str, float], ...] = (
    (Appeal.Channel.PORTAL, 0.45),
    (Appeal.Channel.PAPER, 0.30),
    (Appeal.Channel.MEETING, 0.20),
    (Appeal.Channel.EMAIL, 0.05),
)
LANGUAGE_WEIGHTS: tuple[tuple[str, float], ...] = (("kk", 0.60), ("ru", 0.38), ("en", 0.02))
OUTCOMES: tuple[tuple[str, float], ...] = (
    (Proposal.Outcome.ACCEPTED, 0.36),
    (Proposal.Outcome.PARTLY, 0.25),
    (Proposal.Outcome.REJECTED, 0.39),
)

Text3 = tuple[str, str, str]
StepRow = tuple[str, int | None, str, datetime.datetime]  # action, actor, text, at

TOPICS: tuple[tuple[Text3, Text3], ...] = (
    (("Көршілер арасындағы дау", "Спор между соседями", "A dispute between neighbours"),
     ("Көршілеріммен жер телімінің шекарасы туралы дауды бітімгершілікпен шешуге көмектесуіңізді "
      "сұраймын.", "Прошу помочь мирно урегулировать спор с соседями о границе земельного "
      "участка.", "Please help to settle peacefully a dispute with my neighbours about the "
      "boundary of our plots.")),
    (("Мемлекеттік тіл курсы", "Курсы государственного языка", "State language course"),
     ("Менің ересек балаларымды мемлекеттік тіл курсына жазуға бола ма? Кешкі топ керек.",
      "Можно ли записать моих взрослых детей на курсы государственного языка? Нужна вечерняя "
      "группа.", "Can my adult children join a state language course? An evening group is "
      "needed.")),
    (("Мерекелік шараға қатысу", "Участие в праздничном мероприятии",
      "Taking part in a celebration"),
     ("Біздің этномәдени бірлестіктің ансамблін Наурыз мерекесінің бағдарламасына қосуды "
      "ұсынамыз.", "Предлагаем включить ансамбль нашего этнокультурного объединения в программу "
      "праздника Наурыз.", "We propose to include our ethnocultural association's ensemble in "
      "the Nauryz programme.")),
    (("Жастардың бос уақыты", "Досуг молодежи", "Young people's free time"),
     ("Ауылымызда жастарға арналған спорт секциясы жоқ. Достық үйінің көмегімен ашуды сұраймыз.",
      "В нашем селе нет спортивной секции для молодежи. Просим открыть ее при поддержке Дома "
      "дружбы.", "Our village has no sports club for young people. Please help to open one with "
      "the House of Friendship.")),
    (("Отбасылық жағдай", "Семейная ситуация", "A family matter"),
     ("Немерелерімнің ата-анасы арасындағы дауда медиатордың тегін кеңесін алуға көмектесіңіз.",
      "Помогите получить бесплатную консультацию медиатора в споре между родителями моих "
      "внуков.", "Help me get a free mediator's consultation in a dispute between my "
      "grandchildren's parents.")),
    (("Ескерткішті күтіп ұстау", "Содержание памятника", "Upkeep of a monument"),
     ("Ауылдағы соғыс ардагерлеріне арналған ескерткіш жөндеуді қажет етеді, назар аударуды "
      "сұраймыз.", "Памятник ветеранам войны в селе требует ремонта, просим обратить внимание.",
      "The war veterans' monument in our village needs repair; please look into it.")),
    (("Этносаралық қатынастар", "Межэтнические отношения", "Interethnic relations"),
     ("Әлеуметтік желідегі бір топта ұлтаралық араздықты қоздыратын жазбалар пайда болды.",
      "В одной группе в социальной сети появились записи, разжигающие межнациональную рознь.",
      "Posts stirring up interethnic hatred have appeared in a social network group.")),
    (("Ақсақалдармен кездесу", "Встреча с аксакалами", "Meeting the elders"),
     ("Мектебімізде ақсақалдармен тәрбие сағатын өткізуді ұсынамыз, оқушылар күтеді.",
      "Предлагаем провести в нашей школе классный час с аксакалами, ученики ждут.",
      "We propose a class hour with the elders at our school; the pupils are looking forward "
      "to it.")),
)  # fmt: skip

ANSWERS: Text3 = (
    "Өтінішіңіз қаралды. Мәселе бойынша кездесу өткізіліп, шешім қабылданды. Рақмет.",
    "Ваше обращение рассмотрено. По вопросу проведена встреча и принято решение. Спасибо.",
    "Your appeal has been considered. A meeting was held on the matter and a decision taken.",
)
EXTENSION_REASONS: Text3 = (
    "Мемлекеттік органның жауабы күтілуде.",
    "Ожидается ответ государственного органа.",
    "Waiting for the state body's answer.",
)
REDIRECT_REASONS: Text3 = (
    "Мәселе жергілікті атқарушы органның құзыретінде.",
    "Вопрос относится к компетенции местного исполнительного органа.",
    "The matter is within the competence of the local executive body.",
)
CLOSE_REASONS: Text3 = (
    "Өтініш беруші өтінішін кері қайтарып алды.",
    "Заявитель отозвал обращение.",
    "The applicant withdrew the appeal.",
)

PROPOSAL_TOPICS: tuple[tuple[str, str], ...] = (
    ("Ауылдық клубты жөндеу туралы", "О ремонте сельского клуба"),
    ("Мектеп жанындағы жолға жаяу жүргіншілер өткелін салу туралы",
     "О строительстве пешеходного перехода у школы"),
    ("Қарттарға арналған күндізгі орталық ашу туралы",
     "Об открытии дневного центра для пожилых людей"),
    ("Көшелерді жарықтандыру туралы", "Об освещении улиц"),
    ("Жастар арасындағы құқық бұзушылықтың алдын алу туралы",
     "О профилактике правонарушений среди молодежи"),
    ("Тарихи тұлғаның атын көшеге беру туралы", "О присвоении улице имени исторической личности"),
    ("Ауылға қоғамдық көлік бағытын ашу туралы",
     "Об открытии маршрута общественного транспорта в село"),
    ("Спорт алаңын салу туралы", "О строительстве спортивной площадки"),
)  # fmt: skip
PROPOSAL_TEXT = (
    "Ақсақалдар кеңесі тұрғындармен кездесу қорытындысы бойынша осы ұсынысты енгізеді. "
    "Негіздеме: тұрғындардың ұжымдық өтініші және кеңес отырысының хаттамасы.",
    "Совет аксакалов по итогам встречи с жителями вносит данное предложение. Основание: "
    "коллективное обращение жителей и протокол заседания совета.",
)
ACTIONS_TAKEN = (
    "Келесі жылдың жергілікті бюджетіне енгізілді.",
    "Включено в местный бюджет на следующий год.",
)


@dataclass
class AppealTotals:
    appeals: int = 0
    proposals: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Body:
    pk: int
    path: str
    kind: str
    region_id: int | None
    district_id: int | None
    parent_path: str


def scaled(target: float, scale: float) -> int:
    return max(1, round(target * scale))


def _pick(rng: random.Random, weighted: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([item for item, _w in weighted], [w for _i, w in weighted])[0]


class Calendar:
    """Working-day arithmetic, cached per date: the demo asks about the same days a lot."""

    def __init__(self) -> None:
        self._add: dict[tuple[datetime.date, int], datetime.date] = {}

    def add(self, day: datetime.date, days: int) -> datetime.date:
        key = (day, days)
        if key not in self._add:
            self._add[key] = add_working_days(day, days)
        return self._add[key]

    def working_days(self, start: datetime.date, end: datetime.date) -> list[datetime.date]:
        days = []
        day = start
        while day <= end:
            if is_working_day(day):
                days.append(day)
            day += datetime.timedelta(days=1)
        return days


def _moment(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=ALMATY)


def _applicant(rng: random.Random, language: str) -> tuple[str, str, str, str]:
    female = rng.random() < 0.55
    if language == "kk" or (language == "en" and rng.random() < 0.5):
        first = rng.choice(names.KAZAKH_FEMALE_FIRST if female else names.KAZAKH_MALE_FIRST)
        last = rng.choice(names.KAZAKH_SURNAMES)[1 if female else 0]
    elif rng.random() < 0.8:
        first = rng.choice(names.RUSSIAN_FEMALE_FIRST if female else names.RUSSIAN_MALE_FIRST)
        last = rng.choice(names.RUSSIAN_SURNAMES)[1 if female else 0]
    else:
        group = rng.choice(list(names.OTHER_NAMES.values()))
        first = rng.choice(group["female" if female else "male"])
        last = rng.choice(group["surname_female" if female else "surname_male"])
    street = rng.choice(names.STREET_NAMES)[LANGS.index(language)]
    address = f"{street}, {rng.randint(1, 180)}"
    phone = f"+77{rng.choice(('01', '02', '05', '07', '08', '47', '71', '75', '77'))}"
    phone += f"{rng.randint(0, 9_999_999):07d}"
    email = f"applicant{rng.randint(1000, 999_999)}@mail-demo.kz" if rng.random() < 0.3 else ""
    return f"{last} {first}", address, phone, email


class Writer:
    """Plans and writes the rows; ``bulk_create`` once per table at the end."""

    def __init__(self, *, seed: int, today: datetime.date) -> None:
        self.rng = random.Random(f"birlik-appeals:{seed}:{today.isoformat()}")
        self.today = today
        self.cutoff = today - datetime.timedelta(days=1)  # what has happened: up to yesterday
        self.calendar = Calendar()
        self.bodies: dict[str, list[Body]] = defaultdict(list)
        by_path: dict[str, Body] = {}
        rows = (
            Organisation.objects.filter(status=Organisation.Status.ACTIVE)
            .order_by("path")
            .values_list("pk", "path", "kind__code", "region_id", "district_id", "depth")
        )
        steplen = Organisation.steplen
        for pk, path, kind, region_id, district_id, depth in rows:
            parent = path[: (depth - 1) * steplen] if depth > 1 else ""
            body = Body(pk, path, kind, region_id, district_id, parent)
            by_path[path] = body
            for stream in STREAMS:
                if kind in stream.kinds:
                    self.bodies[stream.key].append(body)
        self.by_path = by_path
        self.root_region_ids = list(
            Organisation.objects.exclude(region__isnull=True)
            .values_list("region_id", flat=True)
            .distinct()
            .order_by("region_id")
        )
        grants = list(
            Grant.objects.filter(revoked_at__isnull=True, role__in=STAFF, user__is_active=True)
            .order_by("pk")
            .values_list("user_id", "role", "organisation__path", "user__full_name")
        )
        self.staff: dict[str, tuple[int, str]] = {}
        self.managers: list[tuple[str, int]] = []
        for user_id, role, path, full_name in grants:
            self.staff.setdefault(path, (user_id, full_name))
            if role in MANAGERS:
                self.managers.append((path, user_id))
        self.answer_days = dict(
            DeadlineRules.objects.values_list("kind__code", "answer_days")
        )  # without a row, the APPC's 15 working days
        # Without a row, the APPC's two months and three working days.
        self.terms = {
            kind: Terms(max_extension_months=months, redirect_days=redirect)
            for kind, months, redirect in DeadlineRules.objects.values_list(
                "kind__code", "max_extension_months", "redirect_days"
            )
        }
        bodies = list(StateBody.objects.filter(is_active=True).order_by("code"))
        self.district_akimat = {
            b.district_id: b.pk for b in bodies if b.kind == "akimat" and b.district_id
        }
        self.region_akimat = {
            b.region_id: b.pk for b in bodies if b.kind == "akimat" and not b.district_id
        }
        self.region_maslikhat = {b.region_id: b.pk for b in bodies if b.kind == "maslikhat"}
        self.ministries = [b.pk for b in bodies if b.kind == "ministry"]
        self.appeals: list[Appeal] = []
        self.after: list[tuple[list[StepRow], list[tuple[int, str]]]] = []
        self.proposals: list[Proposal] = []

    # --- who ------------------------------------------------------------------------------

    def managers_above(self, path: str, exclude: int | None = None) -> list[int]:
        """Managers holding a grant on the body or above it, deepest first."""
        found = sorted(
            ((len(p), uid) for p, uid in self.managers if path.startswith(p) and uid != exclude),
            reverse=True,
        )
        seen: list[int] = []
        for _depth, uid in found:
            if uid not in seen:
                seen.append(uid)
        return seen

    def state_body_for(self, body: Body) -> int:
        roll = self.rng.random()
        district = self.district_akimat.get(body.district_id) if body.district_id else None
        if district and roll < 0.6:
            return district
        if body.region_id and roll < 0.8 and body.region_id in self.region_akimat:
            return self.region_akimat[body.region_id]
        if body.region_id and roll < 0.9 and body.region_id in self.region_maslikhat:
            return self.region_maslikhat[body.region_id]
        return self.rng.choice(self.ministries)

    # --- appeals --------------------------------------------------------------------------

    def period_appeals(
        self, start: datetime.date, end: datetime.date, share: float, scale: float
    ) -> None:
        if end < start:
            return
        working = self.calendar.working_days(start, end)
        span = (end - start).days
        for stream in STREAMS:
            bodies = self.bodies.get(stream.key)
            if not bodies or not working:
                continue
            considered = scaled(stream.appeals * share, scale)
            anonymous = round(considered * ANONYMOUS_SHARE / (1 - ANONYMOUS_SHARE))
            for index in range(considered + anonymous):
                self.appeal(stream, self.rng.choice(bodies), index >= considered, start, span,
                            working)  # fmt: skip

    def appeal(
        self,
        stream: Stream,
        body: Body,
        anonymous: bool,
        start: datetime.date,
        span: int,
        working: list[datetime.date],
    ) -> None:
        rng = self.rng
        channel = _pick(rng, CHANNELS)
        if channel == Appeal.Channel.PORTAL:  # any day, any time
            day = start + datetime.timedelta(days=rng.randint(0, span))
            received_at = _moment(day, rng.randint(7, 23), rng.randint(0, 59))
        else:
            day = rng.choice(working)
            received_at = _moment(day, rng.randint(9, 17), rng.randint(0, 59))
        language = _pick(rng, LANGUAGE_WEIGHTS)
        lang = LANGS.index(language)
        kind = _pick(rng, stream.kind_weights)
        subject, text = rng.choice(TOPICS)
        counted_from = self.calendar.add(day, 0)
        due = self.calendar.add(day, self.answer_days.get(body.kind, 15))
        terms = self.terms.get(body.kind, Terms())
        redirect_by = self.calendar.add(counted_from, terms.redirect_days)
        appeal = Appeal(
            organisation_id=body.pk,
            kind=kind,
            channel=channel,
            language=language,
            subject=subject[lang],
            text=text[lang],
            region_id=body.region_id or rng.choice(self.root_region_ids or [None]),
            received_at=received_at,
            counted_from=counted_from,
            due_date=due,
            effective_due=due,
            redirect_by=redirect_by,
            token=secrets.token_urlsafe(24),
            created_at=received_at,
            updated_at=received_at,
        )
        steps: list[StepRow] = []
        handlers: list[tuple[int, str]] = []
        staff = self.staff.get(body.path)
        registrar = staff[0] if staff and channel != Appeal.Channel.PORTAL else None
        steps.append((AppealStep.Action.REGISTERED, registrar, "", received_at))
        self.after.append((steps, handlers))
        self.appeals.append(appeal)
        if anonymous:
            appeal.anonymous = True
            appeal.status = Appeal.Status.NOT_CONSIDERED
            if registrar:
                handlers.append((registrar, AppealHandler.Role.REGISTRAR))
            return
        (
            appeal.applicant_name,
            appeal.applicant_address,
            appeal.applicant_phone,
            appeal.applicant_email,
        ) = _applicant(rng, language)
        appeal.consent_given_at = received_at
        executor = staff[0] if staff else None
        status = Appeal.Status.REGISTERED
        assigned_on = self.calendar.add(counted_from, 1)
        if executor and assigned_on <= self.cutoff:
            appeal.executor_id = executor
            handlers.append((executor, AppealHandler.Role.EXECUTOR))
            steps.append(
                (AppealStep.Action.ASSIGNED, executor, staff[1] if staff else "",
                 _moment(assigned_on, 9, rng.randint(0, 59)))
            )  # fmt: skip
            status = Appeal.Status.IN_PROGRESS
        elif assigned_on <= self.cutoff:
            status = Appeal.Status.IN_PROGRESS
        fate = _pick(rng, FATES)
        if fate == "extended":
            # Decided before the term runs out, to a working day within the legal cap (two
            # months from the start of the term), as ``appeal_extend`` requires.
            extension_on = self.calendar.add(counted_from, rng.randint(10, 14))
            latest = extension_latest(counted_from=counted_from, terms=terms)
            until = self.calendar.add(
                due + datetime.timedelta(days=rng.randint(10, max(10, (latest - due).days))), 0
            )
            until = min(until, latest)
            if extension_on <= self.cutoff:
                moment = _moment(extension_on, 15, rng.randint(0, 59))
                appeal.extended_until = until
                appeal.effective_due = until
                appeal.extended_on = extension_on
                appeal.extension_reason = EXTENSION_REASONS[lang]
                appeal.extension_notice_at = moment
                status = Appeal.Status.EXTENDED
                steps.append(
                    (AppealStep.Action.EXTENDED, executor, EXTENSION_REASONS[lang], moment)
                )
                days = (until - due).days
                answered_on = self.calendar.add(due, max(1, rng.randint(days // 3, days // 2)))
                if answered_on > until:
                    answered_on = until
                self.answer(appeal, body, executor, answered_on, steps, handlers)
        elif fate in ("on_time", "late", "overdue"):
            # "overdue": answered long after the term, or not at all yet.
            low, high = {"on_time": (3, 15), "late": (16, 26), "overdue": (27, 70)}[fate]
            answered_on = self.calendar.add(counted_from, rng.randint(low, high))
            if fate != "overdue" or rng.random() > 0.15:  # a few are never answered
                self.answer(appeal, body, executor, answered_on, steps, handlers)
        elif fate == "redirected":
            # Mostly within the three working days; about one in eight later.
            late_by = rng.randint(1, 4) if rng.random() < 0.125 else 0
            redirected_on = self.calendar.add(counted_from, rng.randint(1, 3) + late_by)
            if redirected_on <= self.cutoff:
                moment = _moment(redirected_on, 12, rng.randint(0, 59))
                appeal.redirected_to_id = self.state_body_for(body)
                appeal.redirected_late = redirected_on > redirect_by
                appeal.closed_at = appeal.updated_at = moment
                steps.append(
                    (AppealStep.Action.REDIRECTED, executor, REDIRECT_REASONS[lang], moment)
                )
        elif fate == "closed":
            closed_on = self.calendar.add(counted_from, rng.randint(2, 8))
            if closed_on <= self.cutoff:
                moment = _moment(closed_on, 11, rng.randint(0, 59))
                appeal.closed_at = appeal.updated_at = moment
                steps.append((AppealStep.Action.CLOSED, executor, CLOSE_REASONS[lang], moment))
        if appeal.answered_at:
            status = Appeal.Status.ANSWERED
        elif appeal.redirected_to_id:
            status = Appeal.Status.REDIRECTED
        elif appeal.closed_at:
            status = Appeal.Status.CLOSED
        appeal.status = status
        if appeal.is_open and appeal.effective_due < self.today:
            self.escalate(appeal, body, steps, handlers)

    def answer(
        self,
        appeal: Appeal,
        body: Body,
        executor: int | None,
        answered_on: datetime.date,
        steps: list[StepRow],
        handlers: list[tuple[int, str]],
    ) -> None:
        if answered_on > self.cutoff:
            return  # not yet: the appeal is still being considered
        rng = self.rng
        moment = _moment(answered_on, rng.randint(10, 17), rng.randint(0, 59))
        approver = None
        if executor:
            above = self.managers_above(body.path, exclude=executor)
            approver = above[0] if above else executor
            handlers.append((approver, AppealHandler.Role.APPROVER))
        appeal.answer_text = ANSWERS[LANGS.index(appeal.language)]
        appeal.answer_approved_by_id = approver
        appeal.answered_at = appeal.updated_at = moment
        steps.append(
            (AppealStep.Action.DRAFTED, executor, "", moment - datetime.timedelta(hours=2))
        )
        steps.append((AppealStep.Action.APPROVED, approver, "", moment))

    def escalate(
        self,
        appeal: Appeal,
        body: Body,
        steps: list[StepRow],
        handlers: list[tuple[int, str]],
    ) -> None:
        """What the daily job has done by now: overdue → named to the parent's supervisors."""
        parent = self.by_path.get(body.parent_path) or body
        appeal.escalated_to_id = parent.pk
        moment = _moment(appeal.effective_due + datetime.timedelta(days=1), 6, 0)
        for user_id in self.managers_above(parent.path):
            handlers.append((user_id, AppealHandler.Role.SUPERVISOR))
        steps.append((AppealStep.Action.ESCALATED, None, "", moment))

    # --- proposals ------------------------------------------------------------------------

    def period_proposals(
        self, year: int, start: datetime.date, end: datetime.date, share: float, scale: float
    ) -> None:
        if end < start:
            return
        working = self.calendar.working_days(start, end)
        rng = self.rng
        serial = 0
        for stream in STREAMS:
            bodies = self.bodies.get(stream.key)
            if not stream.proposals or not bodies or not working:
                continue
            sent = scaled(stream.proposals * share, scale)
            unsent = round(sent * 0.08) if end >= self.cutoff else 0  # drafts and approved
            for index in range(sent + unsent):
                body = rng.choice(bodies)
                day = rng.choice(working)
                moment = _moment(day, rng.randint(10, 17), rng.randint(0, 59))
                language = 0 if rng.random() < 0.7 else 1
                title = rng.choice(PROPOSAL_TOPICS)[language]
                staff = self.staff.get(body.path)
                drafter = staff[0] if staff else None
                above = self.managers_above(body.path, exclude=drafter) if drafter else []
                proposal = Proposal(
                    organisation_id=body.pk,
                    state_body_id=self.state_body_for(body),
                    title=title,
                    text=f"{title}. {PROPOSAL_TEXT[language]}",
                    drafted_by_id=drafter,
                    created_at=moment - datetime.timedelta(days=rng.randint(3, 12)),
                )
                self.proposals.append(proposal)
                if index >= sent:
                    approved = rng.random() < 0.4
                    proposal.status = (
                        Proposal.Status.APPROVED if approved else Proposal.Status.DRAFT
                    )
                    proposal.approved_by_id = (above[0] if above else None) if approved else None
                    proposal.created_at = _moment(self.cutoff, 10, 0) - datetime.timedelta(
                        days=rng.randint(0, 10)
                    )
                    continue
                serial += 1
                proposal.number = f"{year}/{serial:04d}"
                proposal.approved_by_id = above[0] if above else None
                proposal.status = Proposal.Status.SENT
                proposal.sent_at = moment
                proposal.answer_due = self.calendar.add(day, 15)
                if rng.random() < 0.9:
                    answered_on = self.calendar.add(day, rng.randint(6, 24))
                    if answered_on <= self.cutoff:
                        outcome = _pick(rng, OUTCOMES)
                        proposal.status = Proposal.Status.ANSWERED
                        proposal.answered_at = answered_on
                        proposal.outcome = outcome
                        proposal.answer_text = ANSWERS[language]
                        if outcome != Proposal.Outcome.REJECTED:
                            proposal.actions_taken = ACTIONS_TAKEN[language]

    # --- writing --------------------------------------------------------------------------

    def write(self) -> AppealTotals:
        self.numbers()
        order = sorted(range(len(self.appeals)), key=lambda i: self.appeals[i].received_at)
        appeals = [self.appeals[i] for i in order]
        after = [self.after[i] for i in order]
        created = _bulk(Appeal, appeals)
        steps: list[AppealStep] = []
        handlers: list[AppealHandler] = []
        for appeal, (appeal_steps, appeal_handlers) in zip(created, after, strict=True):
            for action, actor, text, at in appeal_steps:
                steps.append(
                    AppealStep(appeal_id=appeal.pk, action=action, actor_id=actor, text=text, at=at)
                )
            for user_id, role in dict.fromkeys(appeal_handlers):
                handlers.append(
                    AppealHandler(
                        appeal_id=appeal.pk, user_id=user_id, role=role, added_at=appeal.received_at
                    )
                )
        _bulk(AppealStep, steps)
        _bulk(AppealHandler, handlers)
        _bulk(Proposal, self.proposals)
        counts: dict[str, int] = defaultdict(int)
        for appeal in appeals:
            counts[f"appeals_{appeal.status}"] += 1
        return AppealTotals(appeals=len(appeals), proposals=len(self.proposals), counts=counts)

    def numbers(self) -> None:
        """Yearly numbers in order of receipt, continuing each year's sequence."""
        last = sequences.last_numbers(NUMBER_SCOPE)
        for appeal in sorted(self.appeals, key=lambda a: a.received_at):
            year = timezone.localtime(appeal.received_at, ALMATY).year
            last[year] = last.get(year, 0) + 1
            appeal.number = f"{year}-{last[year]:06d}"
        for year, value in last.items():
            sequences.set_last(NUMBER_SCOPE, year, value)


def _bulk(model: type[models.Model], rows: list[Any]) -> list[Any]:
    created: list[Any] = []
    for start in range(0, len(rows), BATCH_SIZE):
        created.extend(model._default_manager.bulk_create(rows[start : start + BATCH_SIZE]))
    return created


def demo_appeals_seed(
    *, scale: float = 1.0, seed: int = 2025, today: datetime.date | None = None
) -> AppealTotals:
    """Appeals and proposals of the previous full year and of this year to date (call inside a
    transaction, on a database with the demo's bodies and logins)."""
    today = today or timezone.localdate()
    writer = Writer(seed=seed, today=today)
    last_year = today.year - 1
    writer.period_appeals(
        datetime.date(last_year, 1, 1), datetime.date(last_year, 12, 31), 1.0, scale
    )
    writer.period_proposals(
        last_year, datetime.date(last_year, 1, 1), datetime.date(last_year, 12, 31), 1.0, scale
    )
    start = datetime.date(today.year, 1, 1)
    end = writer.cutoff
    if end >= start:
        share = GROWTH * ((end - start).days + 1) / 365
        writer.period_appeals(start, end, share, scale)
        writer.period_proposals(today.year, start, end, share, scale)
    return writer.write()
