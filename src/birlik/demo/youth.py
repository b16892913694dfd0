"""Demo youth projects: «Жаңа толқын» (run by each regional branch of «Ассамблея жастары»),
«ҚХА Көшбасшылар мектебі» and Jastar Generation (run by the movement), each with its 2025
cohort: verified applicants and their answers, the jury's submitted scores, the selection,
sessions with attendance, and graduates as ACTIVIST terms in the registry.

The registry's demo already holds ~10,100 × scale activists in the youth bodies; only what is
missing to reach 10,000 × scale is added. Deterministic from ``seed``, proportional to
``scale``; everything is written with ``bulk_create``."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from birlik.access.models import Grant, Role, User
from birlik.events.models import Programme
from birlik.registry.models import Consent, Membership, Organisation, Person
from birlik.youth.models import (
    Application,
    Attendance,
    Cohort,
    Criterion,
    JurorSubmission,
    Question,
    Score,
    Session,
    YouthProject,
)

from .names import KAZAKH_FEMALE_FIRST, KAZAKH_MALE_FIRST, KAZAKH_SURNAMES

ACTIVISTS = 10_000
YOUTH_KINDS = ("youth_movement", "youth_branch", "student_assembly")
BATCH = 2000

PROGRAMMES = {
    "zhana_tolqyn": ("«Жаңа толқын»", "«Жаңа толқын»", "Zhana Tolqyn"),
    "leaders_school": (
        "ҚХА Көшбасшылар мектебі",
        "Школа лидеров АНК",
        "APK Leaders' School",
    ),
    "jastar_generation": ("Jastar Generation", "Jastar Generation", "Jastar Generation"),
}
# code → (national places, applicants per place, cohort name kk/ru/en, window, dates)
COHORTS = {
    "leaders_school": (
        60,
        3.0,
        ("Көшбасшылар мектебі — 2025 көктем", "Школа лидеров — весна 2025",
         "Leaders' School — spring 2025"),
        (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28)),
        (datetime.date(2025, 3, 15), datetime.date(2025, 6, 15)),
    ),
    "jastar_generation": (
        60,
        3.0,
        ("Jastar Generation — 2025 күз", "Jastar Generation — осень 2025",
         "Jastar Generation — autumn 2025"),
        (datetime.date(2025, 8, 1), datetime.date(2025, 8, 31)),
        (datetime.date(2025, 9, 15), datetime.date(2025, 11, 30)),
    ),
    "zhana_tolqyn": (
        25,
        2.5,
        ("Жаңа толқын — 2025", "Жаңа толқын — 2025", "Zhana Tolqyn — 2025"),
        (datetime.date(2025, 4, 1), datetime.date(2025, 4, 30)),
        (datetime.date(2025, 5, 15), datetime.date(2025, 8, 15)),
    ),
}  # fmt: skip
QUESTIONS = (
    ("long_text", ("Неге қатысқыңыз келеді?", "Почему вы хотите участвовать?",
                   "Why do you want to take part?"), ("", "", "")),
    ("choice", ("Оқу тілі", "Язык обучения", "Language of study"),
     ("қазақ тілі\nорыс тілі", "казахский язык\nрусский язык", "Kazakh\nRussian")),
    ("yes_no", ("Еріктілік тәжірибеңіз бар ма?", "Есть ли у вас опыт волонтерства?",
                "Have you volunteered before?"), ("", "", "")),
)  # fmt: skip
CRITERIA = (
    (("Уәжі", "Мотивация", "Motivation"), 3, 10),
    (("Тәжірибесі", "Опыт", "Experience"), 2, 10),
    (("Жобаның идеясы", "Идея проекта", "Project idea"), 2, 5),
)
TOPICS = (
    ("Қазақстан халқы Ассамблеясының тарихы", "История Ассамблеи народа Казахстана",
     "History of the Assembly"),
    ("Көшбасшылық және команда", "Лидерство и команда", "Leadership and teamwork"),
    ("Жобаны басқару", "Управление проектом", "Project management"),
    ("Медиасауаттылық", "Медиаграмотность", "Media literacy"),
    ("Еріктілік", "Волонтерство", "Volunteering"),
    ("Этносаралық диалог", "Межэтнический диалог", "Interethnic dialogue"),
    ("Жобаларды қорғау", "Защита проектов", "Project pitches"),
    ("Қорытынды кездесу", "Итоговая встреча", "Final meeting"),
)  # fmt: skip


def demo_youth_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo youth once; returns {what: count}, or {} when they were there."""
    if YouthProject.objects.exists():
        return {}
    movement = (
        Organisation.objects.filter(kind__code="youth_movement", status="active")
        .order_by("path")
        .first()
    )
    if movement is None:
        return {}
    with transaction.atomic():
        return _seed(movement, scale=scale, seed=seed)


def _name(rng: random.Random, index: int) -> tuple[str, str, str]:
    female = index % 2 == 1
    surname = rng.choice(KAZAKH_SURNAMES)[1 if female else 0]
    first = rng.choice(KAZAKH_FEMALE_FIRST if female else KAZAKH_MALE_FIRST)
    return surname, first, "f" if female else "m"


def _programmes() -> dict[str, Programme]:
    found = {}
    for position, (code, (kk, ru, en)) in enumerate(PROGRAMMES.items()):
        found[code], _ = Programme.objects.get_or_create(
            code=code,
            defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "position": 500 + position},
        )
    return found


def _jurors(movement: Organisation, seed: int) -> list[User]:
    """Three staff accounts of the movement sit on every jury (created when it has none)."""
    staff = list(
        User.objects.filter(
            grants__organisation=movement,
            grants__role=Role.BODY_STAFF,
            grants__revoked_at__isnull=True,
        ).order_by("pk")[:3]
    )
    unusable = make_password(None)
    while len(staff) < 3:
        user = User.objects.create(
            username=f"youth-juror-{seed}-{len(staff) + 1}",
            password=unusable,
            full_name=f"«Ассамблея жастары» жюри мүшесі {len(staff) + 1}",
        )
        Grant.objects.create(user=user, role=Role.BODY_STAFF, organisation=movement)
        staff.append(user)
    return staff


def _seed(movement: Organisation, *, scale: float, seed: int) -> dict[str, int]:
    rng = random.Random(f"youth-{seed}")
    programmes = _programmes()
    branches = list(
        Organisation.objects.filter(
            kind__code="youth_branch", status="active", path__startswith=movement.path
        ).order_by("path")
    )
    branches = branches[: max(1, round(len(branches) * min(1.0, scale * 20)))]
    projects: list[tuple[YouthProject, str]] = []
    for code in ("leaders_school", "jastar_generation"):
        projects.append((_project(programmes[code], movement), code))
    for branch in branches:
        projects.append((_project(programmes["zhana_tolqyn"], branch), "zhana_tolqyn"))
    jurors = _jurors(movement, seed)
    unusable = make_password(None)
    counts: dict[str, int] = defaultdict(int)
    for project, code in projects:
        places, ratio, names, window, dates = COHORTS[code]
        places = max(2, round(places * scale))
        cohort = Cohort.objects.create(
            project=project,
            name_kk=names[0],
            name_ru=names[1],
            name_en=names[2],
            applications_open_on=window[0],
            applications_close_on=window[1],
            starts_on=dates[0],
            ends_on=dates[1],
            places=places,
            waiting_places=max(1, places // 5),
            status=Cohort.Status.GRADUATED,
            selected_at=_moment(window[1] + datetime.timedelta(days=7)),
            graduated_at=_moment(dates[1]),
        )
        cohort.jury.set(jurors)
        counts["cohorts"] += 1
        counts.update(_cohort(cohort, rng, round(places * ratio), jurors, unusable, seed))
    # The next intake of the two national projects takes applications now, so the public page
    # has something to apply to.
    today = timezone.localdate()
    for project, _code in projects[:2]:
        intake = Cohort.objects.create(
            project=project,
            name_kk=f"{getattr(project, 'title_kk', '')} — {today.year}, келесі қабылдау",
            name_ru=f"{getattr(project, 'title_ru', '')} — {today.year}, следующий набор",
            name_en=f"{getattr(project, 'title_en', '')} — {today.year}, next intake",
            applications_open_on=today - datetime.timedelta(days=10),
            applications_close_on=today + datetime.timedelta(days=20),
            starts_on=today + datetime.timedelta(days=35),
            ends_on=today + datetime.timedelta(days=125),
            places=max(2, round(40 * scale)),
            waiting_places=max(1, round(8 * scale)),
            status=Cohort.Status.OPEN,
        )
        intake.jury.set(jurors)
        counts["cohorts"] += 1
    counts["activists"] = _activists(rng, scale, movement)
    counts["projects"] = len(projects)
    return dict(counts)


def _moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(11), tzinfo=timezone.get_current_timezone())


def _project(programme: Programme, body: Organisation) -> YouthProject:
    project = YouthProject.objects.create(
        programme=programme,
        organisation=body,
        title_kk=getattr(programme, "name_kk", "") or programme.name,
        title_ru=getattr(programme, "name_ru", "") or programme.name,
        title_en=getattr(programme, "name_en", "") or programme.name,
        description_kk="Жастарға арналған оқу, тәлімгерлік және өз жобаларын қорғау.",
        description_ru="Обучение, наставничество и защита собственных проектов для молодежи.",
        description_en="Training, mentoring and pitching their own projects for young people.",
        min_age=16,
        max_age=35,
    )
    Question.objects.bulk_create(
        Question(
            project=project,
            kind=kind,
            label_kk=label[0],
            label_ru=label[1],
            label_en=label[2],
            options_kk=options[0],
            options_ru=options[1],
            options_en=options[2],
            required=kind != "yes_no",
            position=10 * (index + 1),
        )
        for index, (kind, label, options) in enumerate(QUESTIONS)
    )
    Criterion.objects.bulk_create(
        Criterion(
            project=project,
            name_kk=name[0],
            name_ru=name[1],
            name_en=name[2],
            weight=weight,
            max_score=top,
            position=10 * (index + 1),
        )
        for index, (name, weight, top) in enumerate(CRITERIA)
    )
    return project


def _cohort(
    cohort: Cohort,
    rng: random.Random,
    applicants: int,
    jurors: list[User],
    unusable: str,
    seed: int,
) -> dict[str, int]:
    """Applicants, scores, the selection, sessions, attendance and graduates of one cohort."""
    project = cohort.project
    body = project.organisation
    region_id = body.region_id
    regions = _regions(rng) if region_id is None else [region_id]
    questions = list(project.questions.order_by("position"))
    criteria = list(project.criteria.order_by("position"))
    open_on, close_on = cohort.applications_open_on, cohort.applications_close_on
    span = (close_on - open_on).days
    users, applications = [], []
    for index in range(applicants):
        last, first, sex = _name(rng, index)
        users.append(
            User(
                username=f"youth-{seed}-{cohort.pk}-{index:05d}",
                password=unusable,
                full_name=f"{last} {first}",
                phone=f"+7702{rng.randrange(10**7):07d}",
                phone_verified_at=_moment(open_on - datetime.timedelta(days=30)),
            )
        )
    users = User.objects.bulk_create(users, batch_size=BATCH)
    for user in users:
        last, first = user.full_name.split(" ", 1)
        sent = _moment(open_on + datetime.timedelta(days=rng.randrange(span + 1)))
        sent += datetime.timedelta(minutes=rng.randrange(600))
        applications.append(
            Application(
                cohort=cohort,
                applicant=user,
                last_name=last,
                first_name=first,
                birth_date=datetime.date(
                    rng.randrange(1991, 2008), rng.randrange(1, 13), rng.randrange(1, 29)
                ),
                phone=user.phone,
                region_id=rng.choice(regions),
                language=rng.choice(("kk", "kk", "ru")),
                answers={
                    str(questions[0].pk): "Елдің бірлігіне үлес қосқым келеді.",
                    str(questions[1].pk): rng.randrange(2),
                    str(questions[2].pk): rng.random() < 0.5,
                },
                consent_given_on=sent.date(),
                submitted_at=sent,
            )
        )
    applications = Application.objects.bulk_create(applications, batch_size=BATCH)
    # Every juror scores every application; the selection follows the weighted ranking.
    scores: list[Score] = []
    totals: dict[int, int] = defaultdict(int)
    for application in applications:
        talent = rng.random()
        for juror in jurors:
            for criterion in criteria:
                value = max(0, min(criterion.max_score, round(
                    criterion.max_score * (talent + rng.uniform(-0.2, 0.2))
                )))  # fmt: skip
                scores.append(
                    Score(application=application, juror=juror, criterion=criterion, score=value)
                )
                totals[application.pk] += (
                    value * criterion.weight * 1_000_000 // criterion.max_score
                )
    Score.objects.bulk_create(scores, batch_size=BATCH)
    JurorSubmission.objects.bulk_create(
        JurorSubmission(cohort=cohort, juror=juror, submitted_at=_moment(close_on))
        for juror in jurors
    )
    ranked = sorted(applications, key=lambda a: (-totals[a.pk], a.submitted_at, a.pk))
    decided = _moment(close_on + datetime.timedelta(days=7))
    for place, application in enumerate(ranked):
        if place < cohort.places:
            application.status = Application.Status.SELECTED
        elif place < cohort.places + cohort.waiting_places:
            application.status = Application.Status.WAITING
        else:
            application.status = Application.Status.NOT_SELECTED
        application.decided_at = decided
    participants = ranked[: cohort.places]
    # Sessions every ~two weeks, attendance mostly present.
    sessions = Session.objects.bulk_create(
        Session(
            cohort=cohort,
            date=cohort.starts_on + datetime.timedelta(days=12 * index),
            topic_kk=topic[0],
            topic_ru=topic[1],
            topic_en=topic[2],
        )
        for index, topic in enumerate(TOPICS)
        if cohort.starts_on + datetime.timedelta(days=12 * index) <= cohort.ends_on
    )
    marks: list[Attendance] = []
    present: dict[int, int] = defaultdict(int)
    for application in participants:
        diligence = rng.uniform(0.55, 1.0)
        for session in sessions:
            roll = rng.random()
            mark_value = (
                "present"
                if roll < diligence
                else ("excused" if roll < diligence + 0.1 else "absent")
            )
            present[application.pk] += mark_value == "present"
            marks.append(Attendance(session=session, application=application, mark=mark_value))
    Attendance.objects.bulk_create(marks, batch_size=BATCH)
    excused: dict[int, int] = defaultdict(int)
    for row in marks:
        excused[row.application_id] += row.mark == "excused"
    graduates = [
        a
        for a in participants
        if present[a.pk] * 100 // max(1, len(sessions) - excused[a.pk])
        >= cohort.graduation_threshold
    ]
    people = Person.objects.bulk_create(
        Person(
            last_name=a.last_name,
            first_name=a.first_name,
            birth_date=a.birth_date,
            phone=a.phone,
            registered_by=body,
        )
        for a in graduates
    )
    Consent.objects.bulk_create(
        Consent(person=p, purpose=Consent.Purpose.MEMBERSHIP, given_on=a.consent_given_on)
        for p, a in zip(people, graduates, strict=True)
    )
    Membership.objects.bulk_create(
        Membership(
            person=p,
            organisation=body,
            role=Membership.Role.ACTIVIST,
            start_date=cohort.ends_on,
        )
        for p in people
    )
    for application, person in zip(graduates, people, strict=True):
        application.status = Application.Status.GRADUATED
        application.graduated_on = cohort.ends_on
        application.person = person
    Application.objects.bulk_update(
        applications, ["status", "decided_at", "graduated_on", "person"], batch_size=BATCH
    )
    cohort.mentors.set(
        Person.objects.filter(memberships__organisation=body, memberships__end_date__isnull=True)
        .exclude(memberships__role=Membership.Role.ACTIVIST)
        .order_by("pk")[:2]
    )
    return {
        "applications": len(applications),
        "scores": len(scores),
        "attendance": len(marks),
        "graduates": len(graduates),
    }


def _regions(rng: random.Random) -> list[int]:
    from birlik.geo.models import Region

    return list(Region.objects.order_by("kato").values_list("pk", flat=True))


def _activists(rng: random.Random, scale: float, movement: Organisation) -> int:
    """Activists to add so that the youth bodies hold 10,000 × scale current ones."""
    target = round(ACTIVISTS * scale)
    today = timezone.localdate()
    current = (
        Membership.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            role=Membership.Role.ACTIVIST,
            organisation__kind__code__in=YOUTH_KINDS,
            organisation__status="active",
        )
        .values("person_id")
        .distinct()
        .count()
    )
    missing = target - current
    bodies = list(
        Organisation.objects.filter(
            kind__code__in=("youth_branch", "student_assembly"),
            status="active",
            path__startswith=movement.path,
        ).order_by("path")
    )
    if missing <= 0 or not bodies:
        return 0
    people = []
    chosen = [rng.choice(bodies) for _ in range(missing)]
    for index, body in enumerate(chosen):
        last, first, sex = _name(rng, index)
        people.append(
            Person(
                last_name=last,
                first_name=first,
                sex=sex,
                birth_date=datetime.date(rng.randrange(1991, 2008), rng.randrange(1, 13), 1),
                registered_by=body,
            )
        )
    people = Person.objects.bulk_create(people, batch_size=BATCH)
    Consent.objects.bulk_create(
        (
            Consent(
                person=p, purpose=Consent.Purpose.MEMBERSHIP, given_on=datetime.date(2025, 1, 15)
            )
            for p in people
        ),
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        (
            Membership(
                person=p,
                organisation=body,
                role=Membership.Role.ACTIVIST,
                start_date=datetime.date(2025, 1, 15),
            )
            for p, body in zip(people, chosen, strict=True)
        ),
        batch_size=BATCH,
    )
    return len(people)
