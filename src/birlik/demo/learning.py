"""The demo's training: eight courses of the APK Academy and three APK departments at
universities (in kk/ru/en, with modules and teachers), their cohorts of last year and of this
year to date (≈ 3,000 trainees a year at scale 1, drawn from the registry's terms of the
courses' audiences), sessions with attendance for a sample of cohorts, results, certificates
numbered without gaps per year (a handful revoked), a few cohorts taking nominations or planned,
the training rules (houses of friendship every year, mediators every two years, chairs of
ethnocultural associations every three), and the login ``academy``.

Everything is decided by a seeded RNG from the registry in the database and today's date, and
written with ``bulk_create``; the certificates' counters are set to the last number given.
"""

from __future__ import annotations

import datetime
import math
import random
import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from birlik.access.models import Grant, Role, User
from birlik.core import sequences
from birlik.learning.models import (
    Attendance,
    Certificate,
    Cohort,
    Course,
    Enrolment,
    Module,
    Session,
    Teacher,
    TrainingRule,
    new_code,
)
from birlik.learning.services import CERTIFICATE_SCOPE, certificate_number
from birlik.registry.models import Membership, Organisation, OrganisationKind

ACADEMY_LOGIN = "academy"
# (username, description) of the demo logins this module creates; printed by `birlik demo`.
LOGINS: list[tuple[str, str]] = [
    (ACADEMY_LOGIN, "staff of the APK Academy — courses, cohorts, results and certificates"),
]
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
BATCH = 2000
REVOKED_PER_YEAR = 6
ATTENDANCE_SAMPLE = 0.25  # the share of cohorts whose attendance is recorded
REVOCATION_REASONS = (
    "Тыңдаушының деректері қате толтырылған",
    "Бағалау нәтижесі қайта қаралды",
    "Сертификат қате тұлғаға берілген",
)

Texts = tuple[str, str, str]  # kk, ru, en


@dataclass(frozen=True)
class CourseSpec:
    key: str
    provider: int  # 0: the Academy; n: the n-th department (in the tree's order)
    title: Texts
    description: Texts
    format: str
    modules: tuple[tuple[Texts, int], ...]
    audience: tuple[tuple[str, tuple[str, ...]], ...]  # (kind of body, roles; () = any)
    per_year: int  # trainees a year at scale 1
    teachers: tuple[str, ...]
    prerequisite: str = ""
    months: tuple[int, int] = (2, 11)  # the months its cohorts start in


COURSES: tuple[CourseSpec, ...] = (
    CourseSpec(
        "accord_basics",
        0,
        ("Қоғамдық келісім негіздері", "Основы общественного согласия",
         "Public accord: the basics"),
        ("Ассамблеяның тарихы мен міндеттері, этносаралық қатынастар және қақтығыстардың "
         "алдын алу.",
         "История и задачи Ассамблеи, межэтнические отношения и профилактика конфликтов.",
         "The Assembly's history and tasks, interethnic relations and conflict prevention."),
        Course.Format.ONLINE,
        (
            (("Қазақстан халқы Ассамблеясының тарихы мен рөлі",
              "История и роль Ассамблеи народа Казахстана",
              "History and role of the Assembly of People of Kazakhstan"), 8),
            (("Этносаралық қатынастар: ұғымдар мен тәжірибе",
              "Межэтнические отношения: понятия и практика",
              "Interethnic relations: concepts and practice"), 8),
            (("Қақтығыстардың алдын алу", "Профилактика конфликтов", "Preventing conflicts"), 8),
        ),
        (("ethnocultural_association", ("chair", "deputy_chair")),
         ("public_accord_institution", ())),
        620,
        ("Әлия Сәрсенбаева", "Игорь Николаевич Ким"),
        months=(2, 7),
    ),
    CourseSpec(
        "house_work",
        0,
        ("Достық үйінің жұмысы: заманауи тәсілдер", "Работа дома дружбы: современные подходы",
         "Running a house of friendship: modern practice"),
        ("Достық үйі қызметкерлерінің жыл сайынғы курсы: міндеттер, бірлестіктермен жұмыс, "
         "жоспарлау және есеп.",
         "Ежегодный курс сотрудников домов дружбы: задачи, работа с объединениями, "
         "планирование и отчетность.",
         "The yearly course of the staff of houses of friendship: tasks, work with "
         "associations, planning and reporting."),
        Course.Format.MIXED,
        (
            (("Достық үйінің міндеттері мен құқықтық негіздері",
              "Задачи и правовые основы дома дружбы",
              "Tasks and legal basis of a house of friendship"), 8),
            (("Этномәдени бірлестіктермен жұмыс", "Работа с этнокультурными объединениями",
              "Working with ethnocultural associations"), 8),
            (("Іс-шараларды жоспарлау және есеп беру", "Планирование мероприятий и отчетность",
              "Planning events and reporting"), 12),
            (("Цифрлық құралдар: «Бірлік» платформасы", "Цифровые инструменты: платформа «Бірлік»",
              "Digital tools: the Birlik platform"), 8),
        ),
        (("house_of_friendship", ()),),
        190,
        ("Ерлан Қожахметов", "Наталья Викторовна Шевченко"),
    ),
    CourseSpec(
        "association_leadership",
        0,
        ("Этномәдени бірлестікке жетекшілік ету", "Руководство этнокультурным объединением",
         "Leading an ethnocultural association"),
        ("Бірлестік төрағаларына арналған курс: құқықтық мәртебе, мүшелермен жұмыс, жобалар, "
         "БАҚ.",
         "Курс для председателей объединений: правовой статус, работа с членами, проекты, СМИ.",
         "A course for the chairs of associations: legal status, members, projects, media."),
        Course.Format.IN_PERSON,
        (
            (("Қоғамдық бірлестіктің құқықтық мәртебесі",
              "Правовой статус общественного объединения",
              "Legal status of a public association"), 8),
            (("Мүшелермен және жастармен жұмыс", "Работа с членами и молодежью",
              "Working with members and young people"), 8),
            (("Жобалар және серіктестік", "Проекты и партнерство", "Projects and partnership"), 8),
            (("Ақпараттық жұмыс және БАҚ", "Информационная работа и СМИ",
              "Public information and the media"), 8),
        ),
        (("ethnocultural_association", ("chair",)),),
        300,
        ("Бауыржан Омаров", "Әлия Сәрсенбаева"),
        prerequisite="accord_basics",
        months=(8, 11),
    ),
    CourseSpec(
        "mediation_basic",
        0,
        ("Этномедиация: базалық курс", "Этномедиация: базовый курс",
         "Ethno-mediation: basic course"),
        ("Жаңа медиаторларға: «Медиация туралы» Заң, рәсім кезеңдері, этносаралық даулар.",
         "Для новых медиаторов: Закон «О медиации», этапы процедуры, межэтнические споры.",
         "For new mediators: the Law on Mediation, the stages of the procedure, interethnic "
         "disputes."),
        Course.Format.IN_PERSON,
        (
            (("«Медиация туралы» Заң", "Закон «О медиации»", "The Law on Mediation"), 8),
            (("Медиация рәсімі кезең-кезеңімен", "Процедура медиации по этапам",
              "The mediation procedure step by step"), 16),
            (("Этносаралық даулардағы медиация", "Медиация в межэтнических спорах",
              "Mediation in interethnic disputes"), 16),
            (("Практикалық сабақтар", "Практические занятия", "Practice sessions"), 8),
        ),
        (("mediation_centre", ("mediator",)),),
        100,
        ("Гүлмира Әбенова", "Сергей Петрович Ли"),
    ),
    CourseSpec(
        "mediation_refresher",
        0,
        ("Этномедиация: біліктілікті арттыру", "Этномедиация: повышение квалификации",
         "Ethno-mediation: refresher course"),
        ("Медиаторлардың екі жылда бір рет өтетін курсы: заңнамадағы өзгерістер, күрделі "
         "істерді талдау.",
         "Курс медиаторов раз в два года: изменения в законодательстве, разбор сложных случаев.",
         "The mediators' course every two years: changes in the law, difficult cases."),
        Course.Format.MIXED,
        (
            (("Заңнамадағы өзгерістер", "Изменения в законодательстве", "Changes in the law"), 4),
            (("Күрделі істерді талдау", "Разбор сложных случаев",
              "Analysis of difficult cases"), 12),
        ),
        (("mediation_centre", ("mediator",)),),
        150,
        ("Гүлмира Әбенова",),
    ),
    CourseSpec(
        "state_language",
        1,
        ("«Мемлекеттік тіл – этносаралық қатынас тілі»",
         "«Мемлекеттік тіл – этносаралық қатынас тілі»",
         "The state language as the language of interethnic communication"),
        ("Бірлестіктер мен кеңестер мүшелеріне арналған қазақ тілі курсы.",
         "Курс казахского языка для членов объединений и советов.",
         "A Kazakh language course for the members of associations and councils."),
        Course.Format.ONLINE,
        (
            (("Күнделікті қарым-қатынас", "Повседневное общение", "Everyday communication"), 16),
            (("Іс қағаздарын мемлекеттік тілде жүргізу",
              "Делопроизводство на государственном языке",
              "Office work in the state language"), 16),
            (("Қазақ мәдениеті мен дәстүрі", "Казахская культура и традиции",
              "Kazakh culture and traditions"), 8),
        ),
        (("ethnocultural_association", ("member",)), ("elders_council", ()),
         ("mothers_council", ())),
        1100,
        ("Айгүл Тұрсынбекова", "Марат Есенов"),
    ),
    CourseSpec(
        "social_projects",
        2,
        ("Әлеуметтік жобалар және гранттар", "Социальные проекты и гранты",
         "Social projects and grants"),
        ("Жобаны әзірлеу, гранттық өтінім жазу, есеп беру және нәтижені бағалау.",
         "Разработка проекта, грантовая заявка, отчетность и оценка результата.",
         "Designing a project, writing a grant application, reporting and evaluation."),
        Course.Format.MIXED,
        (
            (("Жобаны әзірлеу", "Разработка проекта", "Designing a project"), 8),
            (("Гранттық өтінім", "Грантовая заявка", "The grant application"), 8),
            (("Жобаның есебі мен бағалау", "Отчет и оценка проекта",
              "Reporting and evaluating a project"), 8),
        ),
        (("ethnocultural_association", ("member", "deputy_chair")),
         ("house_of_friendship", ()), ("mothers_council", ("chair",))),
        650,
        ("Дина Жақсылықова",),
    ),
    CourseSpec(
        "media_literacy",
        3,
        ("Медиасауаттылық және өшпенділік тіліне қарсы іс-қимыл",
         "Медиаграмотность и противодействие языку вражды",
         "Media literacy and countering hate speech"),
        ("Ақпаратты тексеру, әлеуметтік желілердегі өшпенділік тілін тану, позитивті контент.",
         "Проверка информации, распознавание языка вражды в соцсетях, позитивный контент.",
         "Checking information, recognising hate speech in social media, positive content."),
        Course.Format.ONLINE,
        (
            (("Ақпаратты тексеру", "Проверка информации", "Checking information"), 8),
            (("Әлеуметтік желілердегі өшпенділік тілі", "Язык вражды в социальных сетях",
              "Hate speech in social media"), 6),
            (("Позитивті контент жасау", "Создание позитивного контента",
              "Making positive content"), 6),
        ),
        (("ethnocultural_association", ("member",)), ("student_assembly", ()),
         ("youth_branch", ())),
        520,
        ("Асқар Нұрланов", "Елена Сергеевна Попова"),
    ),
)  # fmt: skip

RULES: tuple[tuple[Texts, str, str, tuple[str, ...], int], ...] = (
    (("Достық үйлерінің қызметкерлері — жыл сайын", "Сотрудники домов дружбы — ежегодно",
      "Staff of houses of friendship — every year"),
     "house_of_friendship", "", ("house_work",), 12),
    (("Медиаторлар — екі жылда бір рет", "Медиаторы — раз в два года",
      "Mediators — every two years"),
     "mediation_centre", "mediator", ("mediation_basic", "mediation_refresher"), 24),
    (("Этномәдени бірлестіктердің төрағалары — үш жылда бір рет",
      "Председатели этнокультурных объединений — раз в три года",
      "Chairs of ethnocultural associations — every three years"),
     "ethnocultural_association", "chair", ("association_leadership",), 36),
)  # fmt: skip


@dataclass(frozen=True)
class Term:
    person_id: int
    organisation_id: int
    role: str
    kind: str


@dataclass
class Written:
    cohorts: list[Cohort] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    # certificates to number: (issued_on, cohort order, enrolment, hours)
    issued: list[tuple[datetime.date, int, Enrolment, int]] = field(default_factory=list)


def _bulk(model: type[models.Model], rows: Sequence[Any]) -> list[Any]:
    created: list[Any] = []
    for start in range(0, len(rows), BATCH):
        created.extend(model._default_manager.bulk_create(list(rows[start : start + BATCH])))
    return created


def _set_texts(item: models.Model, name: str, texts: Texts) -> None:
    for lang, text in zip(("kk", "ru", "en"), texts, strict=True):
        setattr(item, f"{name}_{lang}", text)


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=ALMATY)


# --------------------------------------------------------------------------------------------
# The entry point


@transaction.atomic
def demo_learning_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo's learning records once; returns {what: count}, or {} when they were there
    (or when the registry has no APK Academy)."""
    if Course.objects.exists():
        return {}
    academy = (
        Organisation.objects.filter(kind__code="apk_academy", status=Organisation.Status.ACTIVE)
        .order_by("path")
        .first()
    )
    if academy is None:
        return {}
    departments = list(
        Organisation.objects.filter(
            kind__code="university_department", status=Organisation.Status.ACTIVE
        ).order_by("path")
    )
    providers = [academy, *departments]
    rng = random.Random(f"birlik-learning:{seed}")
    today = timezone.localdate()
    _login(academy)
    courses = _courses(providers, rng)
    terms = _terms(today)
    written = Written()
    certified: dict[str, dict[int, datetime.date]] = defaultdict(dict)  # course → person → day
    for year in (today.year - 1, today.year):
        for spec in COURSES:
            _year_of(
                spec, courses, year, terms, certified, written, rng=rng, scale=scale, today=today
            )
    _coming(courses, terms, written, rng=rng, today=today)
    _bulk(Cohort, written.cohorts)
    _bulk(Enrolment, written.enrolments)  # each takes its cohort's new id (kept cached)
    sessions, marks = _sessions(courses, written, rng=rng, today=today)
    certificates = _certificates(written, rng=rng)
    _rules(courses)
    return {
        "courses": len(courses),
        "cohorts": len(written.cohorts),
        "enrolments": len(written.enrolments),
        "certificates": certificates,
        "training_sessions": sessions,
        "attendance_marks": marks,
    }


def _login(academy: Organisation) -> None:
    """The Academy's staff login (created once; nothing when the username is taken)."""
    from .services import DEMO_PASSWORD

    if User.objects.filter(username=ACADEMY_LOGIN).exists():
        return
    user = User.objects.create(
        username=ACADEMY_LOGIN,
        full_name="Сәуле Мұратқызы Жүсіпова",
        email=f"{ACADEMY_LOGIN}@assembly-demo.kz",
        language="kk",
        password=make_password(DEMO_PASSWORD),
    )
    Grant.objects.create(user=user, role=Role.BODY_STAFF, organisation=academy)


def _courses(providers: list[Organisation], rng: random.Random) -> dict[str, Course]:
    courses: dict[str, Course] = {}
    for spec in COURSES:
        course = Course(provider=providers[spec.provider % len(providers)], format=spec.format)
        _set_texts(course, "title", spec.title)
        _set_texts(course, "description", spec.description)
        courses[spec.key] = course
    _bulk(Course, list(courses.values()))
    modules, teachers = [], []
    staff = list(
        Membership.objects.filter(organisation=providers[0], end_date__isnull=True)
        .select_related("person")
        .order_by("pk")[:6]
    )
    for spec in COURSES:
        course = courses[spec.key]
        for position, (texts, hours) in enumerate(spec.modules, start=1):
            module = Module(course=course, hours=hours, position=position * 10)
            _set_texts(module, "title", texts)
            modules.append(module)
        names = list(spec.teachers)
        if spec.provider == 0 and staff:
            term = rng.choice(staff)
            teachers.append(Teacher(course=course, name=term.person.full_name, person=term.person))
        teachers += [Teacher(course=course, name=name) for name in names]
        if spec.prerequisite:
            course.prerequisites.add(courses[spec.prerequisite])
    _bulk(Module, modules)
    for position, teacher in enumerate(teachers, start=1):
        teacher.position = position
    _bulk(Teacher, teachers)
    return courses


def _terms(today: datetime.date) -> dict[tuple[str, str], list[Term]]:
    """The current terms of the courses' audiences, by (kind, role)."""
    kinds = {kind for spec in COURSES for kind, _roles in spec.audience}
    rows = (
        Membership.objects.filter(
            organisation__kind__code__in=kinds,
            organisation__status=Organisation.Status.ACTIVE,
            start_date__lte=datetime.date(today.year - 1, 1, 1),
        )
        .filter(models.Q(end_date__isnull=True) | models.Q(end_date__gte=today))
        .order_by("pk")
        .values_list("person_id", "organisation_id", "role", "organisation__kind__code")
    )
    found: dict[tuple[str, str], list[Term]] = defaultdict(list)
    for person_id, organisation_id, role, kind_code in rows:
        found[(kind_code, role)].append(Term(person_id, organisation_id, role, kind_code))
    return found


def _audience(spec: CourseSpec, terms: dict[tuple[str, str], list[Term]]) -> list[Term]:
    chosen: list[Term] = []
    for kind_code, roles in spec.audience:
        for (kind, role), rows in terms.items():
            if kind == kind_code and (not roles or role in roles):
                chosen.extend(rows)
    return chosen


def _starts(spec: CourseSpec, year: int, count: int, rng: random.Random) -> list[datetime.date]:
    first, last = spec.months
    span = (datetime.date(year, last, 28) - datetime.date(year, first, 1)).days
    days = sorted(rng.randint(0, span) for _ in range(count))
    return [_weekday(datetime.date(year, first, 1) + datetime.timedelta(days=d)) for d in days]


def _weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def _length(spec: CourseSpec) -> int:
    """Days of a cohort: one of eight hours (online courses spread over a month)."""
    hours = sum(h for _t, h in spec.modules)
    days = max(2, math.ceil(hours / 8))
    return 28 if spec.format == Course.Format.ONLINE else days


def _year_of(
    spec: CourseSpec,
    courses: dict[str, Course],
    year: int,
    terms: dict[tuple[str, str], list[Term]],
    certified: dict[str, dict[int, datetime.date]],
    written: Written,
    *,
    rng: random.Random,
    scale: float,
    today: datetime.date,
) -> None:
    """A year of cohorts of one course, started by ``today``, and their trainees."""
    pool = {term.person_id: term for term in _audience(spec, terms)}
    if spec.prerequisite:
        held = certified[spec.prerequisite]
        pool = {person: term for person, term in pool.items() if person in held}
    wanted = min(len(pool), max(5, round(spec.per_year * scale)))
    if not wanted:
        return
    size = rng.randint(24, 34)
    starts = _starts(spec, year, max(1, math.ceil(wanted / size)), rng)
    people = rng.sample(sorted(pool), wanted)
    course = courses[spec.key]
    for index, start in enumerate(starts):
        group = people[index * size : (index + 1) * size]
        if spec.prerequisite:
            # Nominated only with a certificate of the prerequisite issued before the start.
            held = certified[spec.prerequisite]
            group = [p for p in group if p in held and held[p] < start]
        if not group or start > today:
            continue
        end = start + datetime.timedelta(days=_length(spec) - 1)
        status = Cohort.Status.FINISHED if end < today else Cohort.Status.RUNNING
        cohort = Cohort(
            course=course,
            starts_on=start,
            ends_on=end,
            online=spec.format == Course.Format.ONLINE,
            place=""
            if spec.format == Course.Format.ONLINE
            else (course.provider.address or "Астана"),
            capacity=size + rng.randint(0, 6),
            status=status,
            created_at=_moment(start - datetime.timedelta(days=45)),
        )
        written.cohorts.append(cohort)
        for person_id in group:
            term = pool[person_id]
            enrolment = _enrolment(cohort, term, status, rng)
            written.enrolments.append(enrolment)
            if enrolment.status == Enrolment.Status.COMPLETED:
                hours = sum(h for _t, h in spec.modules)
                written.issued.append((end, len(written.cohorts), enrolment, hours))
                certified[spec.key].setdefault(person_id, end)


def _enrolment(cohort: Cohort, term: Term, status: str, rng: random.Random) -> Enrolment:
    enrolment = Enrolment(
        cohort=cohort,
        person_id=term.person_id,
        organisation_id=term.organisation_id,
        role=term.role,
        nominated_at=_moment(cohort.starts_on - datetime.timedelta(days=rng.randint(7, 30))),
    )
    roll = rng.random()
    if roll < 0.03:
        enrolment.status = Enrolment.Status.WITHDRAWN
        enrolment.withdrawn_at = _moment(cohort.starts_on - datetime.timedelta(days=2))
        enrolment.withdrawal_reason = "Іссапарға байланысты"
    elif status == Cohort.Status.RUNNING:
        enrolment.status = Enrolment.Status.ENROLLED
    elif roll < 0.08:
        enrolment.status = Enrolment.Status.NOT_COMPLETED
        enrolment.score, enrolment.passed = rng.randint(25, 59), False
        enrolment.assessed_at = _moment(cohort.ends_on, 16)
    else:
        enrolment.status = Enrolment.Status.COMPLETED
        enrolment.score, enrolment.passed = rng.randint(60, 100), True
        enrolment.assessed_at = _moment(cohort.ends_on, 16)
        enrolment.completed_on = cohort.ends_on
    return enrolment


def _coming(
    courses: dict[str, Course],
    terms: dict[tuple[str, str], list[Term]],
    written: Written,
    *,
    rng: random.Random,
    today: datetime.date,
) -> None:
    """For each course, a cohort taking nominations (some already nominated) and a planned one."""
    for spec in COURSES:
        if spec.prerequisite:
            continue
        course = courses[spec.key]
        online = spec.format == Course.Format.ONLINE
        for status, offset in ((Cohort.Status.ENROLLING, 20), (Cohort.Status.PLANNED, 80)):
            start = _weekday(today + datetime.timedelta(days=offset + rng.randint(0, 20)))
            cohort = Cohort(
                course=course,
                starts_on=start,
                ends_on=start + datetime.timedelta(days=_length(spec) - 1),
                online=online,
                place="" if online else (course.provider.address or "Астана"),
                capacity=30,
                status=status,
            )
            written.cohorts.append(cohort)
            if status != Cohort.Status.ENROLLING:
                continue
            pool = _audience(spec, terms)
            for term in rng.sample(pool, min(len(pool), rng.randint(5, 14))):
                written.enrolments.append(
                    Enrolment(
                        cohort=cohort,
                        person_id=term.person_id,
                        organisation_id=term.organisation_id,
                        role=term.role,
                        nominated_at=_moment(today - datetime.timedelta(days=rng.randint(0, 10))),
                    )
                )


def _sessions(
    courses: dict[str, Course], written: Written, *, rng: random.Random, today: datetime.date
) -> tuple[int, int]:
    """A session a day (five at most, one a week online) with the course's modules in turn;
    attendance for a sample of the cohorts that have begun."""
    modules: dict[int, list[Module]] = defaultdict(list)
    for module in Module.objects.filter(course__in=list(courses.values())).order_by("position"):
        modules[module.course_id].append(module)
    sessions: list[Session] = []
    for cohort in written.cohorts:
        step = 7 if cohort.online else 1
        day, own = cohort.starts_on, modules[cohort.course_id]
        for index in range(5):
            if day > cohort.ends_on:
                break
            module = own[index % len(own)]
            session = Session(cohort=cohort, date=day, module=module)
            for lang in ("kk", "ru", "en"):
                setattr(session, f"topic_{lang}", getattr(module, f"title_{lang}"))
            sessions.append(session)
            day += datetime.timedelta(days=step)
    _bulk(Session, sessions)
    sampled = {
        c.pk for c in written.cohorts if c.starts_on <= today and rng.random() < ATTENDANCE_SAMPLE
    }
    trainees: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in written.enrolments:
        if enrolment.cohort_id in sampled and enrolment.status != Enrolment.Status.WITHDRAWN:
            trainees[enrolment.cohort_id].append(enrolment)
    marks: list[Attendance] = []
    for session in sessions:
        if session.cohort_id not in sampled or session.date > today:
            continue
        for enrolment in trainees[session.cohort_id]:
            roll = rng.random()
            mark = "present" if roll < 0.9 else ("absent" if roll < 0.96 else "excused")
            marks.append(Attendance(session=session, enrolment=enrolment, mark=mark))
    _bulk(Attendance, marks)
    return len(sessions), len(marks)


def _certificates(written: Written, *, rng: random.Random) -> int:
    """Numbered per year in the order of issue, the counters set to the last number; a few of
    last year's revoked."""
    from birlik.registry.models import Person

    ids = {enrolment.person_id for _day, _order, enrolment, _hours in written.issued}
    names = {
        pk: " ".join(part for part in parts if part)
        for pk, *parts in Person.objects.filter(pk__in=ids).values_list(
            "pk", "last_name", "first_name", "patronymic"
        )
    }
    last = sequences.last_numbers(CERTIFICATE_SCOPE)
    counters: dict[int, int] = {}
    rows: list[Certificate] = []
    ordered = sorted(written.issued, key=lambda row: (row[0], row[1], row[2].pk))
    for day, _order, enrolment, hours in ordered:
        serial = counters[day.year] = counters.get(day.year, last.get(day.year, 0)) + 1
        rows.append(
            Certificate(
                enrolment=enrolment,
                person_id=enrolment.person_id,
                course_id=enrolment.cohort.course_id,
                number=certificate_number(day.year, serial),
                year=day.year,
                code=new_code(),
                holder_name=names.get(enrolment.person_id, ""),
                hours=hours,
                issued_on=day,
            )
        )
    first_year = min(counters) if counters else None
    candidates = [row for row in rows if row.year == first_year]
    for row in rng.sample(candidates, min(REVOKED_PER_YEAR, len(candidates))):
        row.revoked_at = _moment(row.issued_on + datetime.timedelta(days=rng.randint(20, 90)))
        row.revocation_reason = rng.choice(REVOCATION_REASONS)
    _bulk(Certificate, rows)
    for year, value in counters.items():
        sequences.set_last(CERTIFICATE_SCOPE, year, value)
    return len(rows)


def _rules(courses: dict[str, Course]) -> None:
    kinds = {kind.code: kind for kind in OrganisationKind.objects.all()}
    for names, kind_code, role, keys, months in RULES:
        if kind_code not in kinds:
            continue
        rule = TrainingRule(kind=kinds[kind_code], role=role, validity_months=months)
        _set_texts(rule, "name", names)
        rule.save()
        rule.courses.set([courses[key] for key in keys])
