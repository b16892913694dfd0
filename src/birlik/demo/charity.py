"""Demo charity data: the "Zhomart zhan" centres' projects, requests, beneficiaries, donations
and distributions for the previous full year (~476 projects worth ~300 million tenge at scale
1.0) and the current year to date, with ledgers that balance.

Everything is decided by a seeded RNG from the centres in the database and today's date, and
written with ``bulk_create``; running totals, receipt and request counters are set to match.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo
from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from birlik.access.models import Grant, Role, User
from birlik.charity.models import (
    Beneficiary,
    Category,
    Distribution,
    Donation,
    HelpRequest,
    Kind,
    Project,
    RequestItem,
    RequestWorker,
    Stock,
    Story,
)
from birlik.charity.services import RECEIPT_SCOPE, REQUEST_SCOPE
from birlik.core import sequences
from birlik.geo.models import District
from birlik.registry.models import Organisation

from . import names

# (username, description) of the demo logins this module creates; printed by `birlik demo`.
LOGINS: list[tuple[str, str]] = [
    (
        "staff_charity_almaty",
        "worker of the Almaty Zhomart zhan centre — caseworker of some requests, sees only those",
    ),
    ("head_charity_almaty", "head of the Almaty Zhomart zhan centre — sees all its beneficiaries"),
]

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
PROJECTS_PER_YEAR = 476
MONEY_PER_YEAR = 300_000_000
GROWTH = 1.05
REJECTED_REASON = "Көмек басқа бағдарлама арқылы көрсетілді"
SOURCES = ["own", "sponsors", "grants", "crowdfunding"]

CATEGORY_WEIGHTS: tuple[tuple[str, float], ...] = (
    (Category.LOW_INCOME, 0.30),
    (Category.EMERGENCY, 0.14),
    (Category.RURAL_SCHOOL, 0.12),
    (Category.ELDERLY, 0.18),
    (Category.DISABILITY, 0.09),
    (Category.CHILDREN, 0.13),
    (Category.OTHER, 0.04),
)

# (kk, ru, en) titles per category; the region's name is added in each language.
TITLES: dict[str, tuple[tuple[str, str, str], ...]] = {
    Category.LOW_INCOME: (
        ("Аз қамтылған отбасыларға азық-түлік себеті", "Продуктовые наборы малообеспеченным семьям",
         "Food baskets for low-income families"),
        ("Қысқа дайындық: көмір мен отын", "Подготовка к зиме: уголь и дрова",
         "Ready for winter: coal and firewood"),
    ),
    Category.EMERGENCY: (
        ("Өрттен зардап шеккен отбасыларға көмек", "Помощь семьям, пострадавшим от пожара",
         "Help for families after a fire"),
        ("Су тасқынынан кейінгі көмек", "Помощь после паводка", "Help after the flood"),
    ),
    Category.RURAL_SCHOOL: (
        ("Ауыл мектебіне компьютерлер", "Компьютеры для сельской школы",
         "Computers for a rural school"),
        ("Ауыл мектебінің кітапханасы", "Библиотека сельской школы", "A rural school library"),
    ),
    Category.ELDERLY: (
        ("Қарттарға дәрі-дәрмек жеткізу", "Доставка лекарств пожилым людям",
         "Medicines delivered to elderly people"),
        ("Жалғыз қарттарға қамқорлық", "Забота об одиноких пожилых", "Care for lonely elderly"),
    ),
    Category.DISABILITY: (
        ("Мүмкіндігі шектеулі адамдарға арбалар", "Коляски для людей с инвалидностью",
         "Wheelchairs for people with disabilities"),
    ),
    Category.CHILDREN: (
        ("Мектепке жол", "Дорога в школу", "Road to school"),
        ("Балаларға жылы киім", "Теплая одежда детям", "Warm clothes for children"),
    ),
    Category.OTHER: (
        ("Тұрмыстық мәселені шешу", "Решение бытовых проблем", "Solving household problems"),
    ),
}  # fmt: skip

NEEDS: dict[str, tuple[str, str, tuple[str, int]]] = {
    # category: (private need, public need, (item, unit value))
    Category.LOW_INCOME: ("Көпбалалы отбасы, азық-түлік пен киім керек", "Азық-түлік пен киім",
                          ("Азық-түлік себеті", 15_000)),
    Category.EMERGENCY: ("Үй өртеніп кетті, төсек-орын мен ыдыс керек", "Өрттен кейінгі көмек",
                         ("Төсек-орын жинағы", 25_000)),
    Category.RURAL_SCHOOL: ("Ауыл мектебіне компьютер мен кітаптар керек",
                            "Ауыл мектебіне компьютерлер", ("Компьютер", 180_000)),
    Category.ELDERLY: ("Жалғыз тұратын қарт адамға дәрі жеткізу керек", "Дәрі-дәрмек жеткізу",
                       ("Дәрі жинағы", 12_000)),
    Category.DISABILITY: ("Мүгедектігі бар адамға арба керек", "Мүгедектер арбасы",
                          ("Арба", 95_000)),
    Category.CHILDREN: ("Балаға мектеп формасы мен рюкзак керек", "Балаға мектеп жинағы",
                        ("Мектеп жинағы", 30_000)),
    Category.OTHER: ("Тұрмыстық техниканы жөндеу керек", "Тұрмыстық көмек",
                     ("Жөндеу жинағы", 20_000)),
}  # fmt: skip

DONORS = (
    ("company", "ТОО «Дала Құрылыс»"), ("company", "АО «Қазақ Темір»"),
    ("company", "ТОО «Altyn Agro»"), ("company", "ИП «Береке»"), ("company", "ТОО «Нұр Сауда»"),
    ("person", "Сауранбаев Ерлан"), ("person", "Иванова Ольга"), ("person", "Ким Виктор"),
    ("person", "Әбенова Гүлмира"), ("person", "Мамедов Руслан"),
)  # fmt: skip

STORIES = (
    ("Бір көпбалалы отбасы қысқа көмірмен және жылы киіммен қамтамасыз етілді.",
     "Многодетная семья получила уголь на зиму и теплую одежду.",
     "A large family received coal for the winter and warm clothes."),
    ("Өрттен кейін отбасыға төсек-орын мен ыдыс-аяқ жеткізілді.",
     "После пожара семье доставили постельные принадлежности и посуду.",
     "After a fire, a family received bedding and kitchenware."),
    ("Ауыл мектебінің оқушылары жаңа компьютерлермен оқи бастады.",
     "Ученики сельской школы начали заниматься на новых компьютерах.",
     "Pupils of a rural school started learning on new computers."),
    ("Жалғыз тұратын қарт адамға дәрі-дәрмек үйіне жеткізіліп тұрады.",
     "Одинокому пожилому человеку лекарства доставляют на дом.",
     "A lonely elderly person now gets medicines delivered at home."),
)  # fmt: skip


def _pick(rng: random.Random, weights: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([w[0] for w in weights], [w[1] for w in weights])[0]


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(rng.randint(9, 17), rng.randint(0, 59)), tzinfo=ALMATY
    )


def _day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


def _person_name(rng: random.Random) -> str:
    female = rng.random() < 0.55
    if rng.random() < 0.7:
        surname = rng.choice(names.KAZAKH_SURNAMES)[1 if female else 0]
        first = rng.choice(names.KAZAKH_FEMALE_FIRST if female else names.KAZAKH_MALE_FIRST)
    else:
        surname = rng.choice(names.RUSSIAN_SURNAMES)[1 if female else 0]
        first = rng.choice(names.RUSSIAN_FEMALE_FIRST if female else names.RUSSIAN_MALE_FIRST)
    return f"{surname} {first}"


def _logins(centre: Organisation | None) -> tuple[User | None, User | None]:
    if centre is None or User.objects.filter(username__in=[u for u, _d in LOGINS]).exists():
        return None, None
    from .services import DEMO_PASSWORD

    password = make_password(DEMO_PASSWORD)
    staff = User.objects.create(
        username="staff_charity_almaty",
        full_name="Жанар Сейтқали",
        email="staff_charity_almaty@assembly-demo.kz",
        language="kk",
        password=password,
    )
    head = User.objects.create(
        username="head_charity_almaty",
        full_name="Мәдина Оспанова",
        email="head_charity_almaty@assembly-demo.kz",
        language="ru",
        password=password,
    )
    Grant.objects.bulk_create(
        [
            Grant(user=staff, role=Role.BODY_STAFF, organisation=centre),
            Grant(user=head, role=Role.CENTRE_HEAD, organisation=centre),
        ]
    )
    return staff, head


class _Builder:
    """Collects rows in memory, then writes them with a handful of ``bulk_create`` calls."""

    def __init__(self, rng: random.Random, today: datetime.date) -> None:
        self.rng = rng
        self.today = today
        self.request_seq: dict[int, int] = defaultdict(int)
        self.receipt_seq: dict[tuple[int, int], int] = defaultdict(int)
        self.projects: list[Project] = []
        self.public_ids: set[str] = set()

    def public_id(self) -> str:
        while True:
            value = f"{self.rng.getrandbits(32):08X}"
            if value not in self.public_ids:
                self.public_ids.add(value)
                return value

    def request_number(self, year: int) -> str:
        self.request_seq[year] += 1
        return f"ZhZ-{year}-{self.request_seq[year]:06d}"

    def receipt(self, centre_id: int, year: int) -> tuple[int, str]:
        self.receipt_seq[(centre_id, year)] += 1
        seq = self.receipt_seq[(centre_id, year)]
        return seq, f"{centre_id}-{year}-{seq:05d}"


def demo_charity_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo charity records once; returns {what: count}, or {} if they were there."""
    if Project.objects.exists() or HelpRequest.objects.exists():
        return {}
    centres = list(
        Organisation.objects.filter(kind__code="charity_centre", status="active")
        .select_related("region")
        .order_by("path")
    )
    centres = [c for c in centres if c.region_id is not None]
    if not centres:
        return {}
    with transaction.atomic():
        return _seed(centres, scale=scale, seed=seed)


def _seed(centres: list[Organisation], *, scale: float, seed: int) -> dict[str, int]:
    rng = random.Random(seed * 31 + 7)
    today = timezone.localdate()
    almaty = next((c for c in centres if c.region is not None and c.region.iso == "KZ-75"), None)
    staff, _head = _logins(almaty)
    districts: dict[int, list[int | None]] = defaultdict(list)
    for pk, region_id in District.objects.values_list("pk", "region_id").order_by("pk"):
        districts[region_id].append(pk)
    weights = [rng.uniform(0.6, 1.6) for _ in centres]
    region_names = {c.pk: str(c.region.name) if c.region else "" for c in centres}
    builder = _Builder(rng, today)

    years = [(today.year - 1, 1.0), (today.year, GROWTH * (today.timetuple().tm_yday / 365))]
    requests: list[HelpRequest] = []
    beneficiaries: list[Beneficiary] = []
    items: list[RequestItem] = []
    donations: list[Donation] = []
    distributions: list[Distribution] = []
    stocks: list[Stock] = []
    workers: list[tuple[int, User]] = []  # (index in requests, user)
    stories: list[tuple[int, int]] = []  # (index in requests, story index)
    project_rows: list[tuple[Project, list[int]]] = []  # project, indexes of its requests

    for year, share in years:
        count = max(1, round(PROJECTS_PER_YEAR * scale * share))
        mean_budget = MONEY_PER_YEAR / PROJECTS_PER_YEAR
        year_start = datetime.date(year, 1, 1)
        year_end = min(datetime.date(year, 12, 31), today)
        full_year = year < today.year
        for _n in range(count):
            centre = rng.choices(centres, weights)[0]
            category = _pick(rng, CATEGORY_WEIGHTS)
            kk, ru, en = rng.choice(TITLES[category])
            starts = _day_between(rng, year_start, year_end - datetime.timedelta(days=20))
            ends = min(
                starts + datetime.timedelta(days=rng.randint(45, 200)), datetime.date(year, 12, 31)
            )
            budget = int(mean_budget * rng.uniform(0.35, 1.65) / 1000) * 1000
            project = Project(
                centre=centre,
                title=kk,
                title_kk=kk,
                title_ru=ru,
                title_en=en,
                category=category,
                budget=budget,
                starts_on=starts,
                ends_on=ends,
                sources="," + ",".join(sorted(rng.sample(SOURCES, rng.randint(1, 3)))) + ",",
                status=Project.Status.CLOSED if ends < today else Project.Status.OPEN,
            )
            last_day = min(ends, today)
            raised_share = rng.uniform(0.93, 1.08) if full_year else rng.uniform(0.35, 1.0)
            money_in_target = int(budget * raised_share / 100) * 100
            # In-kind help for a third of the projects, a quarter of the value.
            need, public_need, (item_name, unit_value) = NEEDS[category]
            in_kind = rng.random() < 0.33
            kind_value = int(money_in_target * 0.25) if in_kind else 0
            money_in = money_in_target - kind_value
            quantity_in = max(1, kind_value // unit_value) if in_kind else 0
            # Donations: 2–6 gifts summing to money_in.
            gifts = rng.randint(2, 6)
            cuts = sorted(rng.sample(range(1, max(money_in // 100, gifts + 1)), gifts - 1))
            parts = [b - a for a, b in zip([0, *cuts], [*cuts, money_in // 100], strict=True)]
            for part in parts:
                if part <= 0:
                    continue
                day = _day_between(rng, starts, last_day)
                seq, number = builder.receipt(centre.pk, day.year)
                donor_kind, donor_name = rng.choice(DONORS)
                donations.append(
                    Donation(
                        centre=centre,
                        project=project,
                        kind=Kind.MONEY,
                        amount=part * 100,
                        donor_kind=donor_kind,
                        donor_name=donor_name,
                        received_on=day,
                        receipt_year=day.year,
                        receipt_seq=seq,
                        receipt_number=number,
                        created_at=_moment(day, rng),
                    )
                )
            if in_kind:
                day = _day_between(rng, starts, last_day)
                seq, number = builder.receipt(centre.pk, day.year)
                donor_kind, donor_name = rng.choice(DONORS[:5])
                donations.append(
                    Donation(
                        centre=centre,
                        project=project,
                        kind=Kind.IN_KIND,
                        item=item_name,
                        quantity=quantity_in,
                        value=kind_value,
                        donor_kind=donor_kind,
                        donor_name=donor_name,
                        received_on=day,
                        receipt_year=day.year,
                        receipt_seq=seq,
                        receipt_number=number,
                        created_at=_moment(day, rng),
                    )
                )
            recent = donations[-(len(parts) + in_kind) :]
            money_in = sum(d.amount for d in recent if d.project is project)
            # Distributions: to 2–8 requests of the project.
            out_share = rng.uniform(0.86, 1.0) if full_year else rng.uniform(0.3, 0.85)
            money_out = int(money_in * out_share / 100) * 100
            n_requests = rng.randint(2, 8)
            per = [money_out // n_requests] * n_requests
            per[-1] += money_out - sum(per)
            qty_out = int(quantity_in * out_share) if in_kind else 0
            value_out = 0
            if in_kind:
                value_out = (
                    kind_value
                    if qty_out == quantity_in
                    else kind_value * qty_out // max(quantity_in, 1)
                )
            qty_each = [qty_out // n_requests] * n_requests
            qty_each[-1] += qty_out - sum(qty_each)
            values_each = [value_out * q // max(qty_out, 1) for q in qty_each]
            if values_each:
                values_each[-1] += value_out - sum(values_each)
            indexes: list[int] = []
            for index in range(n_requests):
                received = _day_between(rng, starts - datetime.timedelta(days=30), last_day)
                received = max(received, year_start)
                delivered = _day_between(rng, max(received, starts), last_day)
                handed = per[index] > 0 or qty_each[index] > 0
                finished = full_year or delivered < today - datetime.timedelta(days=14)
                status = (
                    (
                        HelpRequest.Status.CLOSED
                        if rng.random() < 0.8
                        else HelpRequest.Status.DELIVERED
                    )
                    if handed and finished
                    else HelpRequest.Status.HELPING
                )
                region_id = centre.region_id
                pool = districts.get(region_id) or [None]
                request = HelpRequest(
                    number=builder.request_number(received.year),
                    public_id=builder.public_id(),
                    centre=centre,
                    source=(
                        "body"
                        if category == Category.RURAL_SCHOOL
                        else rng.choice(["portal", "centre", "centre", "body"])
                    ),
                    category=category,
                    urgency="urgent" if rng.random() < 0.2 else "normal",
                    region_id=region_id,
                    district_id=rng.choice(pool),
                    need=need,
                    public_need=public_need,
                    amount=per[index] or None,
                    project=project,
                    status=status,
                    visit_on=received + datetime.timedelta(days=rng.randint(1, 5))
                    if rng.random() < 0.6
                    else None,
                    visit_note="Жағдай тексерілді, көмек қажет",
                    received_at=_moment(received, rng),
                    verified_at=_moment(min(received + datetime.timedelta(days=3), last_day), rng),
                    delivered_at=_moment(delivered, rng)
                    if status != HelpRequest.Status.HELPING
                    else None,
                    closed_at=_moment(delivered, rng)
                    if status == HelpRequest.Status.CLOSED
                    else None,
                )
                if request.visit_on and request.visit_on > today:
                    request.visit_on = today
                indexes.append(len(requests))
                requests.append(request)
                kind_b = (
                    Beneficiary.Kind.BODY
                    if request.source == "body"
                    else rng.choice([Beneficiary.Kind.PERSON, *[Beneficiary.Kind.FAMILY] * 2])
                )
                beneficiaries.append(
                    Beneficiary(
                        request=request,
                        kind=kind_b,
                        name=(
                            f"{region_names[centre.pk]} — ауыл мектебі №{rng.randint(1, 40)}"
                            if kind_b == Beneficiary.Kind.BODY
                            else _person_name(rng)
                        ),
                        phone=f"+7701{rng.randint(1000000, 9999999)}",
                        household=rng.randint(1, 8),
                        consent_given_at=request.received_at,
                    )
                )
                if in_kind and qty_each[index]:
                    items.append(
                        RequestItem(
                            request=request,
                            name=item_name,
                            quantity=qty_each[index],
                            value=unit_value,
                        )
                    )
                if per[index]:
                    distributions.append(
                        Distribution(
                            project=project,
                            request=request,
                            kind=Kind.MONEY,
                            amount=per[index],
                            delivered_on=delivered,
                            signed_on=delivered,
                            created_at=_moment(delivered, rng),
                        )
                    )
                if in_kind and qty_each[index]:
                    distributions.append(
                        Distribution(
                            project=project,
                            request=request,
                            kind=Kind.IN_KIND,
                            item=item_name,
                            quantity=qty_each[index],
                            value=values_each[index],
                            delivered_on=delivered,
                            signed_on=delivered,
                            created_at=_moment(delivered, rng),
                        )
                    )
                if centre is almaty and staff is not None and rng.random() < 0.4:
                    workers.append((len(requests) - 1, staff))
                if status == HelpRequest.Status.CLOSED and rng.random() < 0.03:
                    stories.append((len(requests) - 1, rng.randrange(len(STORIES))))
            project.money_in = money_in
            project.money_out = money_out
            if in_kind:
                stocks.append(
                    Stock(
                        project=project,
                        name=item_name,
                        key=item_name.casefold(),
                        quantity_in=quantity_in,
                        quantity_out=qty_out,
                        value_in=kind_value,
                        value_out=value_out,
                    )
                )
            project_rows.append((project, indexes))

    # Requests still on the way (this year): received, being verified, open for donors.
    open_statuses = [
        HelpRequest.Status.RECEIVED,
        HelpRequest.Status.VERIFYING,
        HelpRequest.Status.VERIFIED,
        HelpRequest.Status.VERIFIED,
        HelpRequest.Status.REJECTED,
    ]
    for _n in range(max(5, round(180 * scale))):
        centre = rng.choices(centres, weights)[0]
        category = _pick(rng, CATEGORY_WEIGHTS)
        need, public_need, (item_name, unit_value) = NEEDS[category]
        received = _day_between(rng, today - datetime.timedelta(days=60), today)
        status = rng.choice(open_statuses)
        request = HelpRequest(
            number=builder.request_number(received.year),
            public_id=builder.public_id(),
            centre=centre,
            source=rng.choice(["portal", "portal", "centre", "body"]),
            category=category,
            urgency="urgent" if rng.random() < 0.25 else "normal",
            region_id=centre.region_id,
            district_id=rng.choice(districts.get(centre.region_id) or [None]),
            need=need,
            public_need=public_need if status == HelpRequest.Status.VERIFIED else "",
            amount=rng.randint(2, 40) * 5000,
            status=status,
            received_at=_moment(received, rng),
            verified_at=_moment(received, rng) if status == HelpRequest.Status.VERIFIED else None,
            reason=REJECTED_REASON if status == HelpRequest.Status.REJECTED else "",
        )
        requests.append(request)
        beneficiaries.append(
            Beneficiary(
                request=request,
                kind=Beneficiary.Kind.FAMILY,
                name=_person_name(rng),
                phone=f"+7702{rng.randint(1000000, 9999999)}",
                consent_given_at=request.received_at,
            )
        )
        items.append(
            RequestItem(
                request=request, name=item_name, quantity=rng.randint(1, 4), value=unit_value
            )
        )
        if centre is almaty and staff is not None and rng.random() < 0.6:
            workers.append((len(requests) - 1, staff))

    Project.objects.bulk_create([p for p, _i in project_rows], batch_size=1000)
    HelpRequest.objects.bulk_create(requests, batch_size=1000)
    for beneficiary in beneficiaries:
        beneficiary.request_id = beneficiary.request.pk
    Beneficiary.objects.bulk_create(beneficiaries, batch_size=1000)
    for item in items:
        item.request_id = item.request.pk
    RequestItem.objects.bulk_create(items, batch_size=1000)
    for donation in donations:
        donation.project_id = donation.project.pk
    Donation.objects.bulk_create(donations, batch_size=1000)
    for distribution in distributions:
        distribution.project_id = distribution.project.pk
        distribution.request_id = distribution.request.pk
    Distribution.objects.bulk_create(distributions, batch_size=1000)
    for stock in stocks:
        stock.project_id = stock.project.pk
    Stock.objects.bulk_create(stocks, batch_size=1000)
    RequestWorker.objects.bulk_create(
        [RequestWorker(request_id=requests[i].pk, user=user) for i, user in workers],
        batch_size=1000,
    )
    story_rows = []
    for index, which in stories:
        kk, ru, en = STORIES[which]
        delivered = requests[index].delivered_at or timezone.now()
        story_rows.append(
            Story(
                request_id=requests[index].pk,
                text=kk,
                text_kk=kk,
                text_ru=ru,
                text_en=en,
                consent_given_on=delivered.date(),
                published_at=delivered,
            )
        )
    Story.objects.bulk_create(story_rows)
    for year, value in builder.request_seq.items():
        sequences.set_last(REQUEST_SCOPE, year, value)
    for (centre_id, year), value in builder.receipt_seq.items():
        sequences.set_last(sequences.scope(RECEIPT_SCOPE, centre_id), year, value)
    return {
        "charity projects": len(project_rows),
        "charity requests": len(requests),
        "donations": len(donations),
        "distributions": len(distributions),
    }
