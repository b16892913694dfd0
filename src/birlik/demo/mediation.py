"""Demo mediation: the register of the demo's mediators and their cases for the previous full year
and this year to date (~2,500 cases a year at scale 1), with sessions, outcomes, follow-up and,
for the demo mediator's settled cases, the generated agreement.

Everything is decided by a seeded RNG and written with ``bulk_create``; numbers continue each
centre's yearly sequence. A few cases are refused because a state body is a party.
"""

from __future__ import annotations

import datetime
import random
import secrets
import zoneinfo
from collections import defaultdict
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from birlik.access.models import Grant, Role, User
from birlik.appeals.models import Appeal, StateBody
from birlik.core import sequences
from birlik.mediation import documents, services
from birlik.mediation.models import (
    Assignment,
    Attendance,
    Document,
    MediationCase,
    Mediator,
    Party,
    Session,
    Training,
)
from birlik.registry.models import Membership, Organisation

from . import names

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
CASES_PER_YEAR = 2500
GROWTH = 1.05
BATCH = 2000
AGREEMENTS_GENERATED = 40  # DOCX files written for the demo mediator's settled cases

# (username, description) of the demo logins this module creates; printed by `birlik demo`.
LOGINS: list[tuple[str, str]] = [
    ("mediator_almaty", "mediator of the Almaty mediation centre — sees only their own cases"),
    ("head_mediation_almaty", "head of the Almaty mediation centre — sees its cases, assigns"),
]

KINDS = (
    ("family", 0.34),
    ("neighbourhood", 0.28),
    ("labour", 0.2),
    ("other", 0.12),
    ("interethnic", 0.06),
)
SOURCES = (
    ("walk_in", 0.42),
    ("online", 0.16),
    ("court", 0.16),
    ("akimat", 0.1),
    ("police", 0.1),
    ("appeal", 0.06),
)
OUTCOMES = (
    ("agreement", 0.6),
    ("partly", 0.12),
    ("no_agreement", 0.2),
    ("refused", 0.08),
)
EXECUTIONS = (("executed", 0.8), ("partly", 0.12), ("not_executed", 0.08))
STATE_BODY_SHARE = 0.02
PROVIDERS = (
    "APK Academy",
    "Kazakhstan Mediators' Association",
    "Regional House of Friendship",
)
TERMS = {
    "kk": "Тараптар дауды бейбіт жолмен шешуге келісті.\nШығындар тең бөлінеді.",
    "ru": "Стороны договорились урегулировать спор мирно.\nРасходы делятся поровну.",
    "en": "The parties agreed to settle the dispute peacefully.\nCosts are shared equally.",
}


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([item for item, _w in weighted], [w for _i, w in weighted])[0]


def _person_name(rng: random.Random, language: str) -> str:
    female = rng.random() < 0.5
    if language == "kk" or rng.random() < 0.4:
        first = rng.choice(names.KAZAKH_FEMALE_FIRST if female else names.KAZAKH_MALE_FIRST)
        last = rng.choice(names.KAZAKH_SURNAMES)[1 if female else 0]
    else:
        first = rng.choice(names.RUSSIAN_FEMALE_FIRST if female else names.RUSSIAN_MALE_FIRST)
        last = rng.choice(names.RUSSIAN_SURNAMES)[1 if female else 0]
    return f"{last} {first}"


def _phone(rng: random.Random) -> str:
    operator = rng.choice(("01", "02", "05", "07", "08", "47", "77"))
    return f"+77{operator}{rng.randint(0, 9_999_999):07d}"


def _bulk(model: type[models.Model], rows: list[Any]) -> list[Any]:
    created: list[Any] = []
    for start in range(0, len(rows), BATCH):
        created.extend(model._default_manager.bulk_create(rows[start : start + BATCH]))
    return created


def _register(rng: random.Random) -> dict[int, list[Mediator]]:
    """A Mediator record for every demo person holding a mediator membership at a centre."""
    rows = (
        Membership.objects.filter(
            role=Membership.Role.MEDIATOR,
            organisation__kind__code__in=("mediation_centre", "mediation_council"),
        )
        .order_by("pk")
        .values_list("person_id", "organisation_id", "start_date")
    )
    seen: set[int] = set()
    mediators: list[Mediator] = []
    for person_id, centre_id, start in rows:
        if person_id in seen:
            continue
        seen.add(person_id)
        languages = ["kk", "ru"] if rng.random() < 0.8 else [rng.choice(["kk", "ru"])]
        if rng.random() < 0.12:
            languages.append("en")
        if rng.random() < 0.08:
            languages.append("other")
        specialisations = rng.sample([k for k, _w in KINDS], rng.randint(1, 3))
        status = Mediator.Status.ACTIVE
        roll = rng.random()
        if roll < 0.03:
            status = Mediator.Status.SUSPENDED
        elif roll < 0.05:
            status = Mediator.Status.EXCLUDED
        mediators.append(
            Mediator(
                person_id=person_id,
                centre_id=centre_id,
                professional=rng.random() < 0.4,
                languages=languages,
                specialisations=specialisations,
                status=status,
                registered_on=start,
            )
        )
    created = _bulk(Mediator, mediators)
    trainings = []
    for mediator in created:
        for _ in range(rng.randint(1, 3)):
            day = datetime.date(rng.randint(2015, 2025), rng.randint(1, 12), rng.randint(1, 28))
            trainings.append(
                Training(
                    mediator_id=mediator.pk,
                    completed_on=day,
                    hours=rng.choice((16, 24, 40, 72, 100)),
                    provider=rng.choice(PROVIDERS),
                    certificate_number=f"MED-{day.year}-{rng.randint(1000, 99999)}",
                )
            )
    _bulk(Training, trainings)
    by_centre: dict[int, list[Mediator]] = defaultdict(list)
    for mediator in created:
        if mediator.status == Mediator.Status.ACTIVE:
            by_centre[mediator.centre_id].append(mediator)
    return by_centre


def _almaty_centre() -> Organisation | None:
    return (
        Organisation.objects.filter(kind__code="mediation_centre", region__iso="KZ-75")
        .order_by("path")
        .first()
    )


def _logins(by_centre: dict[int, list[Mediator]]) -> Mediator | None:
    """The two demo logins; the mediator's login is tied to a mediator of the Almaty centre."""
    centre = _almaty_centre()
    if centre is None or User.objects.filter(username__in=[u for u, _d in LOGINS]).exists():
        return None
    password = make_password(_demo_password())
    pool = by_centre.get(centre.pk) or []
    mediator = pool[0] if pool else None
    mediator_user = User.objects.create(
        username="mediator_almaty",
        full_name=mediator.person.full_name if mediator else "Медиатор Алматы",
        email="mediator_almaty@assembly-demo.kz",
        language="ru",
        password=password,
    )
    head = User.objects.create(
        username="head_mediation_almaty",
        full_name="Сәуле Оспанова",
        email="head_mediation_almaty@assembly-demo.kz",
        language="kk",
        password=password,
    )
    Grant.objects.create(user=head, role=Role.CENTRE_HEAD, organisation=centre)
    # Staff of the centre, to enter the workspace; the case rules still show only their cases.
    Grant.objects.create(user=mediator_user, role=Role.BODY_STAFF, organisation=centre)
    if mediator is not None:
        mediator.user = mediator_user
        mediator.save(update_fields=["user"])
    return mediator


def _demo_password() -> str:
    from .services import DEMO_PASSWORD

    return DEMO_PASSWORD


def _case_count(scale: float, days: int) -> int:
    return max(1, round(CASES_PER_YEAR * scale * days / 365))


def demo_mediation_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo mediation records once; returns {what: count}, or {} if they were there."""
    if Mediator.objects.exists() or MediationCase.objects.exists():
        return {}
    centres = list(
        Organisation.objects.filter(kind__code="mediation_centre").select_related("region")
    )
    if not centres:
        return {}
    with transaction.atomic():
        return _seed(centres=centres, scale=scale, seed=seed)


def _seed(*, centres: list[Organisation], scale: float, seed: int) -> dict[str, int]:
    rng = random.Random(f"birlik-mediation:{seed}")
    today = timezone.localdate()
    by_centre = _register(rng)
    demo_mediator = _logins(by_centre)
    centres = [centre for centre in centres if by_centre.get(centre.pk)]
    weights = [len(by_centre[centre.pk]) for centre in centres]
    state_bodies = list(StateBody.objects.filter(is_active=True).values_list("pk", "name"))
    appeal_ids = list(Appeal.objects.order_by("pk").values_list("pk", flat=True)[:500])
    with translation.override("ru"):
        refusal_ru = gettext(str(services.STATE_BODY_REASON))
    last_year = today.year - 1
    periods = [
        (datetime.date(last_year, 1, 1), datetime.date(last_year, 12, 31), 1.0),
        (datetime.date(today.year, 1, 1), today, GROWTH),
    ]
    cases: list[MediationCase] = []
    planned: list[dict[str, Any]] = []
    for start, end, growth in periods:
        days = (end - start).days + 1
        for _ in range(round(_case_count(scale, days) * growth)):
            centre = rng.choices(centres, weights)[0]
            received = start + datetime.timedelta(days=rng.randrange(days))
            kind = _pick(rng, KINDS)
            language = "kk" if rng.random() < 0.55 else "ru"
            source = _pick(rng, SOURCES)
            state_body = rng.random() < STATE_BODY_SHARE and bool(state_bodies)
            duration = max(1, int(rng.triangular(2, 75, 14)))
            closing = received + datetime.timedelta(days=duration)
            outcome = _pick(rng, OUTCOMES)
            if state_body:
                outcome = "refused"
                closing = received + datetime.timedelta(days=rng.randint(0, 2))
            closed_on: datetime.date | None = closing
            if closing > today:
                outcome, closed_on = "", None
            status = MediationCase.Status.OPEN
            if outcome == "refused":
                status = MediationCase.Status.REFUSED
            elif outcome:
                status = MediationCase.Status.CLOSED
            elif (today - received).days < 4 and rng.random() < 0.5:
                status = MediationCase.Status.REQUESTED
            settled = outcome in ("agreement", "partly")
            execution_due = (
                closed_on + datetime.timedelta(days=rng.choice((14, 30, 60)))
                if settled and closed_on
                else None
            )
            execution = (
                _pick(rng, EXECUTIONS)
                if execution_due is not None and execution_due < today
                else ""
            )
            cases.append(
                MediationCase(
                    number="",
                    centre_id=centre.pk,
                    kind=kind,
                    source=source,
                    appeal_id=rng.choice(appeal_ids) if source == "appeal" and appeal_ids else None,
                    language=language,
                    status=status,
                    outcome=outcome,
                    refusal_reason=refusal_ru
                    if state_body
                    else ("Одна из сторон отказалась от медиации." if outcome == "refused" else ""),
                    received_on=received,
                    closed_on=closed_on,
                    duration_days=(closed_on - received).days if closed_on else None,
                    execution_due=execution_due,
                    execution=execution,
                    consent_given_at=datetime.datetime.combine(
                        received, datetime.time(10), tzinfo=ALMATY
                    ),
                    created_at=datetime.datetime.combine(
                        received, datetime.time(10), tzinfo=ALMATY
                    ),
                )
            )
            planned.append({"state_body": state_body})
    # Numbers per centre and year, in order of receipt.
    last: dict[tuple[int, int], int] = {}
    order = sorted(range(len(cases)), key=lambda i: (cases[i].received_on, i))
    for i in order:
        case = cases[i]
        key = (case.centre_id, case.received_on.year)
        last[key] = last.get(key, 0) + 1
        case.number = f"M{case.centre_id}-{key[1]}-{last[key]:05d}"
    for (centre_id, year), value in last.items():
        sequences.set_last(sequences.scope(services.NUMBER_SCOPE, centre_id), year, value)
    created = _bulk(MediationCase, cases)
    parties: list[Party] = []
    for case, plan in zip(created, planned, strict=True):
        parties.append(
            Party(
                case_id=case.pk,
                kind=Party.Kind.PERSON,
                name=_person_name(rng, case.language),
                phone=_phone(rng),
                is_applicant=True,
            )
        )
        if plan["state_body"]:
            body_id, body_name = rng.choice(state_bodies)
            parties.append(
                Party(
                    case_id=case.pk,
                    kind=Party.Kind.ORGANISATION,
                    name=body_name,
                    is_state_body=True,
                    state_body_id=body_id,
                )
            )
        elif case.kind == "labour" and rng.random() < 0.6:
            parties.append(
                Party(
                    case_id=case.pk,
                    kind=Party.Kind.ORGANISATION,
                    name=f"ТОО «{rng.choice(names.KAZAKH_SURNAMES)[0]} Групп»",
                    bin=f"{rng.randint(0, 999_999_999_999):012d}",
                )
            )
        else:
            parties.append(
                Party(
                    case_id=case.pk,
                    kind=Party.Kind.PERSON,
                    name=_person_name(rng, case.language),
                    phone=_phone(rng),
                )
            )
    parties = _bulk(Party, parties)
    parties_of: dict[int, list[Party]] = defaultdict(list)
    for party in parties:
        parties_of[party.case_id].append(party)

    assignments: list[Assignment] = []
    sessions: list[Session] = []
    mine: list[MediationCase] = []
    for case in created:
        if case.status == MediationCase.Status.REQUESTED or (
            case.status == MediationCase.Status.REFUSED and case.refusal_reason == refusal_ru
        ):
            continue
        pool = by_centre[case.centre_id]
        chosen = rng.sample(pool, 2 if rng.random() < 0.12 and len(pool) > 1 else 1)
        if (
            demo_mediator is not None
            and case.centre_id == demo_mediator.centre_id
            and demo_mediator not in chosen
            and rng.random() < 0.35
        ):
            chosen = [demo_mediator]
        for mediator in chosen:
            assignments.append(
                Assignment(
                    case_id=case.pk,
                    mediator_id=mediator.pk,
                    assigned_at=case.created_at,
                )
            )
        if demo_mediator is not None and demo_mediator in chosen:
            mine.append(case)
        end = case.closed_on or today
        for number in range(rng.randint(1, 3) if case.outcome != "refused" else 0):
            span = max((end - case.received_on).days, 0)
            day = case.received_on + datetime.timedelta(days=min(span, (number + 1) * span // 3))
            sessions.append(
                Session(
                    case_id=case.pk,
                    held_at=datetime.datetime.combine(
                        day, datetime.time(rng.choice((10, 11, 14, 15, 16))), tzinfo=ALMATY
                    ),
                    place=rng.choice(("Centre, room 1", "Centre, room 2", "House of Friendship")),
                )
            )
    _bulk(Assignment, assignments)
    sessions = _bulk(Session, sessions)
    attendance = [
        Attendance(session_id=session.pk, party_id=party.pk, present=rng.random() < 0.93)
        for session in sessions
        for party in parties_of[session.case_id]
    ]
    _bulk(Attendance, attendance)
    generated = _agreements(mine, parties_of, demo_mediator)
    return {
        "mediators": sum(len(v) for v in by_centre.values()),
        "mediation_cases": len(created),
        "mediation_sessions": len(sessions),
        "mediation_agreements": generated,
    }


def _agreements(
    cases: list[MediationCase], parties_of: dict[int, list[Party]], mediator: Mediator | None
) -> int:
    """Real DOCX agreements for the demo mediator's latest settled cases (the rest of the demo
    records the outcome only: writing thousands of files would slow the seed down)."""
    if mediator is None:
        return 0
    settled = sorted(
        (case for case in cases if case.outcome in ("agreement", "partly")),
        key=lambda c: c.received_on,
        reverse=True,
    )[:AGREEMENTS_GENERATED]
    centre = mediator.centre
    count = 0
    for case in settled:
        data = documents.agreement_docx(
            case=case,
            parties=[party.name for party in parties_of[case.pk]],
            mediators=[mediator.person.full_name],
            terms=TERMS[case.language],
            centre_name=str(getattr(centre, f"name_{case.language}", "") or centre.name),
        )
        document = Document(
            case=case,
            kind=Document.Kind.AGREEMENT,
            content_type=documents.DOCX,
            size=len(data),
            language=case.language,
        )
        name = f"{case.received_on.year}/{secrets.token_urlsafe(18)}.docx"
        document.file.save(name, ContentFile(data), save=True)
        count += 1
    return count
