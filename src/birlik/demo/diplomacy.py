"""Demo people's diplomacy: the register of the People's Diplomacy Centre (about 65 international
requests from 2022 to this year, about 20 in 2025, a few kept by the Pavlodar and Almaty
assemblies), about 15 visits both ways with the demo's diplomacy events as their programme, the
Corps of Friendship Ambassadors (its members, 60 at scale 1) with their countries and about 200
activities a year, and the login ``diplomacy`` (staff of the Centre).

Deterministic from ``seed``; written with ``bulk_create`` (steps and numbers computed beforehand,
the Centre's yearly sequences set after). Requests and visits do not scale: the interview's
"60+ requests" is the figure; ambassadors follow the Corps' size, activities the scale.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q

from birlik.access.models import Grant, Role, User
from birlik.core import sequences
from birlik.core.workdays import legal_midnight, legal_today
from birlik.diplomacy.models import (
    CENTRE_KIND,
    CORPS_KIND,
    Ambassador,
    AmbassadorActivity,
    AmbassadorCountry,
    InternationalRequest,
    RequestStep,
    Visit,
)
from birlik.diplomacy.services import NUMBER_SCOPE
from birlik.events.models import Event
from birlik.geo.models import Region
from birlik.registry.models import Membership, Organisation

LOGIN = "diplomacy"
# (username, description) of the demo logins this module creates; printed by `birlik demo`.
LOGINS: list[tuple[str, str]] = [
    (LOGIN, "staff of the People's Diplomacy Centre — international requests, visits, ambassadors"),
]

FIRST_YEAR = 2022
# Requests a year (the current year: in proportion to the days gone).
REQUESTS_BY_YEAR = {2022: 9, 2023: 11, 2024: 13, 2025: 20}
LATER_YEARS = 18
REGIONAL_SHARE = 0.12  # kept by the Pavlodar or Almaty assembly
VISITS = 15
MIN_OUTGOING = 4
ACTIVITIES_PER_YEAR = 200
BATCH = 2000
Status = InternationalRequest.Status

# (requester, kind, country, language of the request); an international organisation under the
# country of its seat.
REQUESTERS: tuple[tuple[str, str, str, str], ...] = (
    ("OSCE High Commissioner on National Minorities", "international_organisation", "NL", "en"),
    ("OSCE Secretariat, Conflict Prevention Centre", "international_organisation", "AT", "en"),
    ("UNESCO, Section of Intercultural Dialogue", "international_organisation", "FR", "en"),
    ("UN Human Rights Office (OHCHR)", "international_organisation", "CH", "en"),
    ("United Nations Development Programme", "international_organisation", "US", "en"),
    ("Organization of Turkic States, Secretariat", "international_organisation", "TR", "ru"),
    ("Межпарламентская Ассамблея СНГ", "international_organisation", "RU", "ru"),
    ("Shanghai Cooperation Organisation, Secretariat", "international_organisation", "CN", "en"),
    ("Deutscher Bundestag, Ausschuss für Menschenrechte", "foreign_parliament", "DE", "en"),
    ("Türkiye Büyük Millet Meclisi", "foreign_parliament", "TR", "ru"),
    ("Олий Мажлис Республики Узбекистан", "foreign_parliament", "UZ", "ru"),
    ("Sejm Rzeczypospolitej Polskiej", "foreign_parliament", "PL", "en"),
    ("National Assembly of the Republic of Korea", "foreign_parliament", "KR", "en"),
    ("Государственная Дума Федерального Собрания РФ", "foreign_parliament", "RU", "ru"),
    ("National People's Congress, Ethnic Affairs Committee", "foreign_parliament", "CN", "en"),
    ("Konrad-Adenauer-Stiftung", "research_centre", "DE", "en"),
    ("Friedrich-Ebert-Stiftung", "research_centre", "DE", "en"),
    ("Carnegie Endowment for International Peace", "research_centre", "US", "en"),
    ("Институт востоковедения РАН", "research_centre", "RU", "ru"),
    ("Chinese Academy of Social Sciences", "research_centre", "CN", "en"),
    ("University of Warsaw, Centre for East European Studies", "research_centre", "PL", "en"),
    ("Seoul National University, Asia Center", "research_centre", "KR", "en"),
    ("Ташкентский государственный университет востоковедения", "research_centre", "UZ", "ru"),
    ("Embassy of the Republic of Korea", "embassy", "KR", "en"),
    ("Embassy of the United States of America", "embassy", "US", "en"),
    ("Botschaft der Bundesrepublik Deutschland", "embassy", "DE", "en"),
    ("Embassy of Japan", "embassy", "JP", "en"),
    ("Ambasada Rzeczypospolitej Polskiej", "embassy", "PL", "en"),
    ("Türkiye Cumhuriyeti Büyükelçiliği", "embassy", "TR", "ru"),
    ("Посольство Республики Узбекистан", "embassy", "UZ", "ru"),
    ("Deutsche Welle, Russian service", "public_organisation", "DE", "ru"),
    ("Xinhua News Agency", "public_organisation", "CN", "en"),
    ("Association of Koryo-saram in Korea", "public_organisation", "KR", "ru"),
    ("Stowarzyszenie Wspólnota Polska", "public_organisation", "PL", "ru"),
    ("Российский конгресс народов Кавказа", "public_organisation", "RU", "ru"),
    ("University of Tokyo, student exchange group", "other", "JP", "en"),
)
WEIGHT = {
    "international_organisation": 3,
    "foreign_parliament": 2,
    "research_centre": 2,
    "embassy": 2,
    "public_organisation": 1,
    "other": 0.5,
}
TOPIC_WEIGHTS = (
    ("interethnic_practice", 5),
    ("languages", 2),
    ("culture", 2),
    ("religion", 1),
    ("youth", 2),
    ("mediation", 2),
    ("research", 2),
    ("other", 1),
)
TEXTS = {
    "en": {
        "interethnic_practice": "We would like to learn how the Assembly of People of Kazakhstan "
        "works with ethnocultural associations and houses of friendship, and to meet its staff.",
        "languages": "We are studying language policy and would welcome materials on the "
        "teaching of the state language to adults and on the «Uide Soile» project.",
        "culture": "We propose a joint festival of national cultures and ask who could take part.",
        "religion": "We prepare a report on interfaith dialogue and ask for a meeting with the "
        "Assembly's experts.",
        "youth": "Our youth council would like to exchange experience with «Assembly Zhastary».",
        "mediation": "We are interested in the Assembly's mediation centres and ask for statistics "
        "and a visit to a centre.",
        "research": "We propose a joint study of interethnic trust and a round table of experts.",
        "other": "We ask for information about the Assembly's structure and its annual session.",
    },
    "ru": {
        "interethnic_practice": "Просим ознакомить нашу делегацию с опытом Ассамблеи народа "
        "Казахстана по укреплению межэтнического согласия и работой домов дружбы.",
        "languages": "Просим предоставить материалы о практике обучения государственному языку "
        "и о проекте «Үйде сөйле».",
        "culture": "Предлагаем провести совместный фестиваль национальных культур.",
        "religion": "Просим организовать встречу с экспертами по вопросам межконфессионального "
        "диалога.",
        "youth": "Молодежная организация просит о встрече с активистами «Ассамблея жастары».",
        "mediation": "Просим рассказать о работе центров медиации Ассамблеи и организовать "
        "посещение одного из них.",
        "research": "Предлагаем совместное исследование межэтнического доверия.",
        "other": "Просим информацию о структуре Ассамблеи и ее сессии.",
    },
}
ANSWERS = {
    "en": "Thank you for your interest. The materials are attached; the Centre's staff are ready "
    "to meet you and to arrange visits to the houses of friendship.",
    "ru": "Благодарим за обращение. Материалы направлены; сотрудники Центра готовы к встрече и "
    "к организации посещения домов дружбы.",
}
OUTCOME_TEXTS = {
    "information": "Information and materials were sent.",
    "visit": "The delegation visited the House of Friendship and met the ethnocultural "
    "associations.",
    "joint_event": "A joint round table was held.",
    "agreement": "A memorandum of cooperation was signed.",
    "none": "The partner did not follow the request up.",
}
DECLINES = (
    "The request concerns matters outside the Assembly's work; it was sent to the Ministry of "
    "Foreign Affairs.",
    "The dates asked for are taken by the Assembly's session; the partner was offered others.",
)
ACTIVITY_KINDS = (
    ("meeting", 4),
    ("lecture", 2),
    ("media", 3),
    ("event_abroad", 2),
    ("hosting", 1),
    ("other", 1),
)
ACTIVITY_TEXTS = {
    "meeting": "Встреча с представителями диаспоры и общественных организаций.",
    "lecture": "Лекция об опыте Казахстана в сфере межэтнического согласия.",
    "media": "Интервью о модели казахстанского общественного согласия.",
    "event_abroad": "Участие в Днях культуры Казахстана за рубежом.",
    "hosting": "Сопровождение зарубежной делегации в Казахстане.",
    "other": "Подготовка материалов о работе Ассамблеи для зарубежных партнеров.",
}
AMBASSADOR_COUNTRIES = ("DE", "RU", "CN", "TR", "UZ", "US", "KR", "PL", "KG", "AZ", "HU", "IT")
DELEGATIONS_OUT = (
    "Delegation of the Assembly to the OSCE Human Dimension Conference",
    "Делегация Ассамблеи на Днях культуры Казахстана",
    "Delegation of the Assembly to the Forum of the Organization of Turkic States",
)


@dataclass
class Place:
    """What the demo writes into: the Centre, its Corps, the two regional registers."""

    centre: Organisation
    corps: Organisation | None
    regional: list[Organisation] = field(default_factory=list)


def demo_diplomacy_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo's diplomacy records once; returns {what: count}, or {} when they were there."""
    if InternationalRequest.objects.exists() or Ambassador.objects.exists():
        return {}
    centre = (
        Organisation.objects.filter(kind__code=CENTRE_KIND, status=Organisation.Status.ACTIVE)
        .order_by("path")
        .first()
    )
    if centre is None:
        return {}
    corps = (
        Organisation.objects.filter(path__startswith=centre.path, kind__code=CORPS_KIND)
        .order_by("path")
        .first()
    )
    regional = list(
        Organisation.objects.filter(
            kind__code__in=("regional_assembly", "city_assembly"),
            region__iso__in=("KZ-55", "KZ-75"),
            status=Organisation.Status.ACTIVE,
        ).order_by("path")
    )
    with transaction.atomic():
        return _seed(Place(centre, corps, regional), scale=scale, seed=seed)


def _login(centre: Organisation) -> int:
    from .services import DEMO_PASSWORD

    if User.objects.filter(username=LOGIN).exists():
        return 0
    user = User.objects.create(
        username=LOGIN,
        full_name="Мәдина Серікқызы Тұрсынова",
        email=f"{LOGIN}@assembly-demo.kz",
        language="kk",
        password=make_password(DEMO_PASSWORD),
    )
    Grant.objects.create(user=user, role=Role.BODY_STAFF, organisation=centre)
    return 1


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _w in pairs], [weight for _v, weight in pairs])[0]


def _day_in(rng: random.Random, year: int, last: datetime.date) -> datetime.date:
    first = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), last)
    return first + datetime.timedelta(days=rng.randrange((end - first).days + 1))


def _year_count(year: int, today: datetime.date, base: int) -> int:
    if year < today.year:
        return base
    elapsed = (today - datetime.date(year, 1, 1)).days + 1
    return max(1, round(base * elapsed / 365))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return legal_midnight(day) + datetime.timedelta(hours=hour)


@dataclass
class Planned:
    request: InternationalRequest
    steps: list[tuple[str, datetime.date]]
    visit_on: datetime.date | None = None


def _plan_request(
    rng: random.Random, body: Organisation, received: datetime.date, today: datetime.date
) -> Planned:
    requester, kind, country, language = rng.choices(
        REQUESTERS, [WEIGHT[item[1]] for item in REQUESTERS]
    )[0]
    topic = _weighted(rng, TOPIC_WEIGHTS)
    channel = rng.choices(("email", "letter", "meeting", "portal"), (5, 3, 2, 2))[0]
    item = InternationalRequest(
        organisation=body,
        received_on=received,
        channel=channel,
        requester_kind=kind,
        requester_name=requester,
        requester_contact=f"international.office@{country.lower()}-partner.example",
        country=country,
        topic=topic,
        text=TEXTS[language][topic],
        language=language,
        consent_given_at=_at(received, 10) if channel == "portal" else None,
    )
    steps: list[tuple[str, datetime.date]] = [(RequestStep.REGISTERED, received)]
    age = (today - received).days
    taken = received + datetime.timedelta(days=rng.randint(1, 4))
    if age < 3 or taken > today:
        return Planned(item, steps)
    roll = rng.random()
    if roll < 0.07:  # declined at once
        item.status = Status.DECLINED
        item.decline_reason = rng.choice(DECLINES)
        item.closed_on = taken
        return Planned(item, [*steps, (Status.DECLINED, taken)])
    steps.append((Status.IN_PROGRESS, taken))
    item.status = Status.IN_PROGRESS
    wants_visit = topic in ("interethnic_practice", "mediation", "youth") and rng.random() < 0.45
    answered = taken + datetime.timedelta(days=rng.randint(3, 25))
    if answered > today:
        return Planned(item, steps)
    item.status, item.answer_text, item.answered_on = (
        Status.ANSWERED,
        ANSWERS[language],
        answered,
    )
    steps.append((Status.ANSWERED, answered))
    visit_on = None
    if wants_visit:
        arranged = answered + datetime.timedelta(days=rng.randint(2, 10))
        if arranged > today:
            return Planned(item, steps)
        item.status = Status.VISIT_ARRANGED
        steps.append((Status.VISIT_ARRANGED, arranged))
        visit_on = arranged + datetime.timedelta(days=rng.randint(14, 45))
    closed = (visit_on or answered) + datetime.timedelta(days=rng.randint(5, 40))
    if closed > today or rng.random() < 0.08:
        return Planned(item, steps, visit_on)
    item.status, item.closed_on = Status.CLOSED, closed
    if visit_on is not None:
        item.outcome_kind = rng.choice(("visit", "visit", "joint_event", "agreement"))
    else:
        item.outcome_kind = rng.choices(
            ("information", "joint_event", "agreement", "none"), (6, 2, 1, 1)
        )[0]
    item.outcome_text = OUTCOME_TEXTS[item.outcome_kind]
    steps.append((Status.CLOSED, closed))
    return Planned(item, steps, visit_on)


def _requests(
    rng: random.Random, place: Place, today: datetime.date
) -> tuple[list[Planned], dict[tuple[int, int], int]]:
    planned: list[Planned] = []
    for year in range(FIRST_YEAR, today.year + 1):
        base = REQUESTS_BY_YEAR.get(year, LATER_YEARS)
        days = sorted(_day_in(rng, year, today) for _ in range(_year_count(year, today, base)))
        for day in days:
            body = place.centre
            if place.regional and rng.random() < REGIONAL_SHARE:
                body = rng.choice(place.regional)
            planned.append(_plan_request(rng, body, day, today))
    # Numbers in the order received, per register and year.
    last: dict[tuple[int, int], int] = defaultdict(int)
    for item in planned:  # already in the order received
        request = item.request
        key = (request.organisation.pk, request.received_on.year)
        last[key] += 1
        prefix = (
            "PD" if request.organisation.pk == place.centre.pk else f"PD{request.organisation.pk}"
        )
        request.number = f"{prefix}-{request.received_on.year}-{last[key]:04d}"
    return planned, dict(last)


def _visits(
    rng: random.Random,
    place: Place,
    planned: list[Planned],
    today: datetime.date,
    regions: list[Region],
) -> list[tuple[Visit, list[Region], InternationalRequest | None]]:
    visits: list[tuple[Visit, list[Region], InternationalRequest | None]] = []
    for item in (p for p in planned if p.visit_on is not None):
        request = item.request
        starts = item.visit_on or today
        visit = Visit(
            organisation=request.organisation,
            direction=Visit.Direction.INCOMING,
            country=request.country,
            delegation=f"Delegation: {request.requester_name}"[:300],
            head=rng.choice(("Head of department", "Deputy chair", "Director", "Ambassador")),
            size=rng.randint(3, 12),
            starts_on=starts,
            ends_on=starts + datetime.timedelta(days=rng.randint(1, 4)),
            places=rng.choice(("Astana, Almaty", "Astana", "Almaty, Pavlodar", "Astana, Shymkent")),
            request=request,
            status=Visit.Status.HELD if starts <= today else Visit.Status.PLANNED,
            outcome_text=OUTCOME_TEXTS["visit"] if starts <= today else "",
        )
        visits.append((visit, rng.sample(regions, k=min(len(regions), rng.randint(1, 3))), request))
    for index in range(max(MIN_OUTGOING, VISITS - len(visits))):
        year = FIRST_YEAR + index % max(1, today.year - FIRST_YEAR + 1)
        starts = _day_in(rng, year, today)
        visits.append(
            (
                Visit(
                    organisation=place.centre,
                    direction=Visit.Direction.OUTGOING,
                    country=rng.choice(("AT", "TR", "DE", "PL", "UZ", "KR", "CH")),
                    delegation=DELEGATIONS_OUT[index % len(DELEGATIONS_OUT)],
                    head="Deputy Chair of the Assembly",
                    size=rng.randint(3, 8),
                    starts_on=starts,
                    ends_on=starts + datetime.timedelta(days=rng.randint(2, 5)),
                    places=rng.choice(("Vienna", "Istanbul", "Berlin", "Warsaw", "Tashkent")),
                    status=Visit.Status.HELD,
                    outcome_text="The delegation presented the Assembly's experience.",
                ),
                [],
                None,
            )
        )
    return visits


def _seed(place: Place, *, scale: float, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 71 + 5)
    today = legal_today()
    regions = list(Region.objects.order_by("kato"))
    added: dict[str, int] = {"diplomacy_logins": _login(place.centre)}

    planned, last = _requests(rng, place, today)
    InternationalRequest.objects.bulk_create([p.request for p in planned], batch_size=BATCH)
    staff = User.objects.filter(username=LOGIN).first()
    RequestStep.objects.bulk_create(
        [
            RequestStep(
                request=p.request,
                status=status,
                actor=None if status == RequestStep.REGISTERED else staff,
                at=_at(day, 11),
            )
            for p in planned
            for status, day in p.steps
        ],
        batch_size=BATCH,
    )
    for (body_id, year), value in last.items():
        sequences.set_last(sequences.scope(NUMBER_SCOPE, body_id), year, value)
    added["diplomacy_requests"] = len(planned)

    visits = _visits(rng, place, planned, today, regions)
    Visit.objects.bulk_create([visit for visit, _r, _q in visits], batch_size=BATCH)
    region_links: Any = Visit.regions.through
    event_links: Any = Visit.events.through
    region_links.objects.bulk_create(
        [
            region_links(visit=visit, region=region)
            for visit, chosen, _q in visits
            for region in chosen
        ]
    )
    events = list(
        Event.objects.filter(organiser__path__startswith=place.centre.path)
        .exclude(status=Event.Status.CANCELLED)
        .values_list("pk", "starts_at")
    )
    programme = []
    for visit, _chosen, _request in visits:
        if visit.direction != Visit.Direction.INCOMING:
            continue
        near = [
            pk for pk, starts_at in events if abs((starts_at.date() - visit.starts_on).days) <= 30
        ] or [pk for pk, _s in events]
        for pk in rng.sample(near, k=min(len(near), 2)):
            programme.append(event_links(visit=visit, event_id=pk))
    event_links.objects.bulk_create(programme)
    added["diplomacy_visits"] = len(visits)

    ambassadors, activities = _ambassadors(rng, place, today, scale, events)
    added["diplomacy_ambassadors"] = ambassadors
    added["diplomacy_activities"] = activities
    return added


def _ambassadors(
    rng: random.Random,
    place: Place,
    today: datetime.date,
    scale: float,
    events: list[tuple[int, datetime.datetime]],
) -> tuple[int, int]:
    """The Corps' members become ambassadors (a few former ones), with countries and activities."""
    keeper = place.corps or place.centre
    members = list(
        Membership.objects.filter(organisation=keeper, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
    if not members:
        return 0, 0
    rows = []
    for index, person_id in enumerate(members):
        since = min(today, datetime.date(2021, 3, 1) + datetime.timedelta(days=rng.randrange(1100)))
        until = None
        if index % 12 == 11:  # a few left the Corps
            until = min(today, since + datetime.timedelta(days=rng.randint(300, 900)))
        rows.append(Ambassador(organisation=keeper, person_id=person_id, since=since, until=until))
    Ambassador.objects.bulk_create(rows, batch_size=BATCH)
    countries_of: dict[int, list[str]] = {}
    links: list[AmbassadorCountry] = []
    for ambassador in rows:
        chosen = sorted(rng.sample(AMBASSADOR_COUNTRIES, k=rng.choice((1, 1, 2, 3))))
        countries_of[ambassador.pk] = chosen
        links.extend(AmbassadorCountry(ambassador=ambassador, country=code) for code in chosen)
    AmbassadorCountry.objects.bulk_create(links, batch_size=BATCH)

    per_year = max(10, round(ACTIVITIES_PER_YEAR * scale))
    activities = []
    kinds = tuple((kind, float(weight)) for kind, weight in ACTIVITY_KINDS)
    for year in range(FIRST_YEAR, today.year + 1):
        for _ in range(_year_count(year, today, per_year)):
            day = _day_in(rng, year, today)
            active = [a for a in rows if a.since <= day and (a.until is None or a.until >= day)]
            if not active:
                continue
            ambassador = rng.choice(active)
            kind = _weighted(rng, kinds)
            event_id = None
            if kind in ("meeting", "hosting") and events and rng.random() < 0.15:
                event_id = rng.choice(events)[0]
            activities.append(
                AmbassadorActivity(
                    ambassador=ambassador,
                    date=day,
                    kind=kind,
                    country=rng.choice(countries_of[ambassador.pk]),
                    description=ACTIVITY_TEXTS[kind],
                    event_id=event_id,
                )
            )
    AmbassadorActivity.objects.bulk_create(activities, batch_size=BATCH)
    return len(rows), len(activities)
