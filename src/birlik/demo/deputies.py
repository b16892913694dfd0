"""The demo's initiatives of the deputy group «Бір ел – бір мүдде» and of Assembly members in
maslikhats: a year of initiatives for 2025 (about 25 to the chambers of Parliament raised by the
deputy group, about 15 to regional maslikhats raised by regional assemblies) and some this year,
across every stage, a third of 2025's adopted with the act they led to, many linked to the demo's
proposals and appeals of their region (found by query), the authors taken from the raising
body's members; and the login ``deputy_group`` (staff of the group).

Written through ``deputies.services`` (numbers, stage rows and audit rows as the staff pages
write them), deterministic from ``seed``; a database that already has initiatives is left as it
is. The counts do not follow ``scale``: the group's work does not grow with the network.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from birlik.access.models import Grant, Role, User
from birlik.appeals.models import Appeal, Proposal, StateBody
from birlik.core.workdays import legal_date, legal_today
from birlik.deputies import services
from birlik.deputies.models import ActKind, Initiative, InitiativeLink, Level, Stage
from birlik.registry.models import Membership, Organisation, Person
from birlik.registry.queries import active_on

LOGIN = "deputy_group"
# (username, description) of the demo logins this module creates; printed by `birlik demo`.
LOGINS: list[tuple[str, str]] = [
    (LOGIN, "staff of the deputy group «Бір ел – бір мүдде» — its initiatives in Parliament"),
]
FULL_YEAR = 2025
ASSEMBLY_KINDS = ("regional_assembly", "city_assembly")

Text3 = tuple[str, str, str]

# The stage each initiative of a batch ends at, per level.
PLAN_2025: dict[str, dict[str, int]] = {
    Level.PARLIAMENT: {
        "adopted": 9,
        "rejected": 4,
        "consideration": 5,
        "submitted": 3,
        "withdrawn": 2,
        "drafted": 2,
    },
    Level.MASLIKHAT: {
        "adopted": 5,
        "rejected": 2,
        "consideration": 3,
        "submitted": 1,
        "withdrawn": 2,
        "drafted": 2,
    },
}
PLAN_THIS_YEAR: dict[str, dict[str, int]] = {
    Level.PARLIAMENT: {
        "drafted": 2,
        "submitted": 2,
        "consideration": 2,
        "adopted": 1,
        "rejected": 1,
    },
    Level.MASLIKHAT: {"drafted": 1, "submitted": 1, "consideration": 1, "adopted": 1},
}
PATH = (Stage.SUBMITTED, Stage.CONSIDERATION)
# Days from one stage to the next: submitted after the draft, considered after the submission,
# decided (adopted, rejected or withdrawn) after that.
GAPS: dict[str, tuple[int, int]] = {"submitted": (3, 20), "consideration": (10, 40)}

PARLIAMENT_TOPICS: tuple[tuple[Text3, Text3], ...] = (
    (
        (
            "Этномәдени бірлестіктердің құқықтық мәртебесін нақтылау",
            "Уточнение правового статуса этнокультурных объединений",
            "Clarifying the legal status of ethnocultural associations",
        ),
        (
            "Этномәдени бірлестіктердің құқықтық мәртебесін нақтылау және олардың мемлекеттік "
            "органдармен өзара іс-қимыл тәртібін заңда бекіту ұсынылады.",
            "Предлагается уточнить правовой статус этнокультурных объединений и закрепить в "
            "законе порядок их взаимодействия с государственными органами.",
            "It is proposed to clarify the legal status of ethnocultural associations and to set "
            "in law how they work with state bodies.",
        ),
    ),
    (
        (
            "Медиация туралы заңда қоғамдық медиаторларды қолдау",
            "Поддержка общественных медиаторов в Законе о медиации",
            "Support for public mediators in the Law on Mediation",
        ),
        (
            "Қоғамдық медиаторлардың қызметін заңда тану және оларды оқытуды мемлекеттік тапсырыс "
            "есебінен қаржыландыру ұсынылады.",
            "Предлагается признать в законе деятельность общественных медиаторов и финансировать "
            "их обучение за счет государственного заказа.",
            "It is proposed to recognise the work of public mediators in law and to fund their "
            "training through the state order.",
        ),
    ),
    (
        (
            "Ересектерге мемлекеттік тілді тегін оқыту",
            "Бесплатное обучение взрослых государственному языку",
            "Free state language courses for adults",
        ),
        (
            "Достық үйлері мен тіл орталықтарында ересектерге мемлекеттік тілді тегін оқыту "
            "бағдарламасын республикалық бюджеттен қаржыландыру ұсынылады.",
            "Предлагается финансировать из республиканского бюджета программу бесплатного "
            "обучения взрослых государственному языку в домах дружбы и языковых центрах.",
            "It is proposed to fund from the national budget free state language courses for "
            "adults in houses of friendship and language centres.",
        ),
    ),
    (
        (
            "Интернетте ұлтаралық араздықты қоздырудан қорғау",
            "Защита от разжигания межнациональной розни в интернете",
            "Protection from incitement of interethnic hatred online",
        ),
        (
            "Әлеуметтік желілердегі ұлтаралық араздықты қоздыратын материалдарды жедел бұғаттау "
            "тәртібін заңда нақтылау ұсынылады.",
            "Предлагается уточнить в законе порядок оперативной блокировки материалов в "
            "социальных сетях, разжигающих межнациональную рознь.",
            "It is proposed to set in law a faster way to block social media content that incites "
            "interethnic hatred.",
        ),
    ),
    (
        (
            "Қандастардың бейімделуін қолдау",
            "Поддержка адаптации кандасов",
            "Support for the adaptation of kandas",
        ),
        (
            "Қандастарды бейімдеу және кіріктіру орталықтарының жұмысына Қазақстан халқы "
            "Ассамблеясының құрылымдарын тарту ұсынылады.",
            "Предлагается привлечь структуры Ассамблеи народа Казахстана к работе центров "
            "адаптации и интеграции кандасов.",
            "It is proposed to involve the Assembly's bodies in the work of the centres for the "
            "adaptation and integration of kandas.",
        ),
    ),
    (
        (
            "Этномәдени бірлестіктердің жексенбілік мектептері",
            "Воскресные школы этнокультурных объединений",
            "Sunday schools of ethnocultural associations",
        ),
        (
            "Этномәдени бірлестіктер жанындағы жексенбілік мектептерге мемлекеттік білім беру "
            "гранттарын беру тәртібін белгілеу ұсынылады.",
            "Предлагается установить порядок предоставления государственных образовательных "
            "грантов воскресным школам при этнокультурных объединениях.",
            "It is proposed to set how state education grants are given to the Sunday schools "
            "of ethnocultural associations.",
        ),
    ),
    (
        (
            "Қайырымдылық жасаушыларға салық жеңілдіктері",
            "Налоговые льготы для благотворителей",
            "Tax incentives for charity donors",
        ),
        (
            "Қайырымдылық көмек көрсететін кәсіпкерлер үшін салық жеңілдіктерін кеңейту ұсынылады.",
            "Предлагается расширить налоговые льготы для предпринимателей, оказывающих "
            "благотворительную помощь.",
            "It is proposed to widen tax incentives for entrepreneurs who give charity aid.",
        ),
    ),
    (
        (
            "Достық үйлеріндегі инклюзивті орта",
            "Инклюзивная среда в домах дружбы",
            "An inclusive environment in houses of friendship",
        ),
        (
            "Мүгедектігі бар адамдар үшін достық үйлерінің ғимараттарын бейімдеуге қаражат бөлу "
            "ұсынылады.",
            "Предлагается выделить средства на приспособление зданий домов дружбы для лиц с "
            "инвалидностью.",
            "It is proposed to fund the adaptation of houses of friendship for people with "
            "disabilities.",
        ),
    ),
    (
        (
            "Ақсақалдар кеңестерінің ұсыныстарын қарау",
            "Рассмотрение предложений советов аксакалов",
            "Consideration of the proposals of councils of elders",
        ),
        (
            "Ақсақалдар кеңестерінің ұсыныстарын жергілікті атқарушы органдардың міндетті түрде "
            "қарау тәртібін заңда бекіту ұсынылады.",
            "Предлагается закрепить в законе обязательное рассмотрение местными исполнительными "
            "органами предложений советов аксакалов.",
            "It is proposed to require by law that local executive bodies consider the proposals "
            "of councils of elders.",
        ),
    ),
    (
        (
            "Жастардың еріктілік сағаттарын тану",
            "Признание волонтерских часов молодежи",
            "Recognition of young people's volunteering hours",
        ),
        (
            "Жастардың еріктілік сағаттарын жоғары оқу орындарына түсу кезінде ескеру ұсынылады.",
            "Предлагается учитывать волонтерские часы молодежи при поступлении в высшие учебные "
            "заведения.",
            "It is proposed to count young people's volunteering hours in university admission.",
        ),
    ),
)

MASLIKHAT_TOPICS: tuple[tuple[Text3, Text3], ...] = (
    (
        (
            "Облыстық Достық үйін жөндеуге қаражат бөлу",
            "Средства на ремонт областного Дома дружбы",
            "Funds to renovate the regional House of Friendship",
        ),
        (
            "Облыстық бюджеттен Достық үйінің ғимаратын күрделі жөндеуге қаражат қарастыру "
            "ұсынылады.",
            "Предлагается предусмотреть в областном бюджете средства на капитальный ремонт "
            "здания Дома дружбы.",
            "It is proposed to include in the regional budget the funds for a major renovation "
            "of the House of Friendship.",
        ),
    ),
    (
        (
            "Ауылдық аудандардағы мемлекеттік тіл курстары",
            "Курсы государственного языка в сельских районах",
            "State language courses in rural districts",
        ),
        (
            "Ауылдық аудандарда мемлекеттік тілді оқыту курстарын ашуға жергілікті бюджеттен "
            "қаражат бөлу ұсынылады.",
            "Предлагается выделить из местного бюджета средства на открытие курсов "
            "государственного языка в сельских районах.",
            "It is proposed to fund state language courses in rural districts from the local "
            "budget.",
        ),
    ),
    (
        (
            "Этномәдени бірлестіктерге үй-жай беру",
            "Помещения для этнокультурных объединений",
            "Premises for ethnocultural associations",
        ),
        (
            "Этномәдени бірлестіктерге коммуналдық меншіктегі үй-жайларды өтеусіз пайдалануға "
            "беру ұсынылады.",
            "Предлагается передать этнокультурным объединениям в безвозмездное пользование "
            "помещения коммунальной собственности.",
            "It is proposed to let ethnocultural associations use municipal premises free of "
            "charge.",
        ),
    ),
    (
        (
            "Облыстық этномәдениет фестивалін қаржыландыру",
            "Финансирование областного фестиваля этнических культур",
            "Funding the regional festival of ethnic cultures",
        ),
        (
            "Облыстық этномәдениет фестивалін жыл сайынғы жергілікті бюджетке енгізу ұсынылады.",
            "Предлагается включить областной фестиваль этнических культур в ежегодный местный "
            "бюджет.",
            "It is proposed to make the regional festival of ethnic cultures a yearly item of the "
            "local budget.",
        ),
    ),
    (
        (
            "Аудан орталықтарында медиация кабинеттерін ашу",
            "Кабинеты медиации в районных центрах",
            "Mediation offices in district centres",
        ),
        (
            "Аудан орталықтарында қоғамдық медиаторлар азаматтарды қабылдайтын кабинеттер ашу "
            "ұсынылады.",
            "Предлагается открыть в районных центрах кабинеты, где общественные медиаторы "
            "принимают граждан.",
            "It is proposed to open offices in district centres where public mediators see "
            "citizens.",
        ),
    ),
    (
        (
            "Көпбалалы отбасылардың балаларына мектеп формасы",
            "Школьная форма для детей из многодетных семей",
            "School uniforms for children of large families",
        ),
        (
            "Көпбалалы және аз қамтылған отбасылардың балаларына мектеп формасын сатып алуға "
            "жергілікті бюджеттен көмек көрсету ұсынылады.",
            "Предлагается помогать из местного бюджета в покупке школьной формы детям из "
            "многодетных и малообеспеченных семей.",
            "It is proposed to help children of large and low-income families buy school uniforms "
            "from the local budget.",
        ),
    ),
)

ACTS: dict[str, Text3] = {
    ActKind.LAW: (
        "Қазақстан Республикасының кейбір заңнамалық актілеріне этносаралық келісім мәселелері "
        "бойынша өзгерістер мен толықтырулар енгізу туралы",
        "О внесении изменений и дополнений в некоторые законодательные акты Республики "
        "Казахстан по вопросам межэтнического согласия",
        "On amendments and additions to some legislative acts of the Republic of Kazakhstan on "
        "interethnic accord",
    ),
    ActKind.AMENDMENT: (
        "«Қазақстан халқы Ассамблеясы туралы» Қазақстан Республикасының Заңына өзгерістер "
        "енгізу туралы",
        "О внесении изменений в Закон Республики Казахстан «Об Ассамблее народа Казахстана»",
        "On amendments to the Law of the Republic of Kazakhstan on the Assembly of People of "
        "Kazakhstan",
    ),
    ActKind.MASLIKHAT_DECISION: (
        "Облыстық бюджет туралы шешімге өзгерістер енгізу туралы",
        "О внесении изменений в решение об областном бюджете",
        "On amendments to the decision on the regional budget",
    ),
}
NOTES = {
    Stage.REJECTED: "Қаржыландыру көзі көрсетілмеген деп қабылданбады.",
    Stage.WITHDRAWN: "Мәселе үкіметтің бағдарламасында шешілді, бастама кері қайтарылды.",
}


@dataclass(frozen=True)
class Source:
    pk: int
    path: str
    on: datetime.date


def _login(group: Organisation) -> User:
    from .services import DEMO_PASSWORD

    user = User.objects.filter(username=LOGIN).first()
    if user is None:
        user = User.objects.create(
            username=LOGIN,
            full_name="Әлия Серікқызы Нұрланова",
            email=f"{LOGIN}@assembly-demo.kz",
            language="kk",
            password=make_password(DEMO_PASSWORD),
        )
    if not Grant.objects.filter(user=user, organisation=group, revoked_at__isnull=True).exists():
        Grant.objects.create(user=user, role=Role.BODY_STAFF, organisation=group)
    return user


def _national_admin() -> User | None:
    grant = (
        Grant.objects.filter(
            role=Role.NATIONAL_ADMIN,
            revoked_at__isnull=True,
            organisation__depth=1,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return grant.user if grant is not None else None


def _members(body: Organisation, today: datetime.date) -> list[Person]:
    ids = Membership.objects.filter(active_on(today), organisation=body).values("person_id")
    return list(Person.objects.filter(pk__in=ids).order_by("pk")[:40])


def _sources() -> tuple[list[Source], list[Source]]:
    """Proposals sent and appeals answered, with their body's path and date."""
    proposals = [
        Source(pk, path, legal_date(sent))
        for pk, path, sent in Proposal.objects.filter(
            status__in=(Proposal.Status.SENT, Proposal.Status.ANSWERED), sent_at__isnull=False
        )
        .order_by("pk")
        .values_list("pk", "organisation__path", "sent_at")
        if sent is not None
    ]
    appeals = [
        Source(pk, path, legal_date(received))
        for pk, path, received in Appeal.objects.filter(
            status__in=(Appeal.Status.ANSWERED, Appeal.Status.CLOSED), anonymous=False
        )
        .order_by("pk")
        .values_list("pk", "organisation__path", "received_at")
    ]
    return proposals, appeals


@dataclass
class Writer:
    rng: random.Random
    today: datetime.date
    group: Organisation
    group_user: User
    admin: User | None
    group_members: list[Person]
    chambers: list[StateBody]
    assemblies: list[tuple[Organisation, StateBody, list[Person]]]
    proposals: list[Source]
    appeals: list[Source]
    made: int = 0
    links: int = 0

    def day_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        end = min(end, self.today)
        if end <= start:
            return min(start, self.today)
        return start + datetime.timedelta(days=self.rng.randint(0, (end - start).days))

    def batch(
        self, plan: dict[str, dict[str, int]], first: datetime.date, last: datetime.date
    ) -> None:
        """One period's initiatives, created in the order they were drafted (their numbers
        follow the dates, as the staff's would)."""
        planned: list[tuple[datetime.date, str, str, int]] = []
        for level, ends in plan.items():
            outcomes = [stage for stage, count in ends.items() for _ in range(count)]
            self.rng.shuffle(outcomes)
            for index, outcome in enumerate(outcomes):
                # A late draft of the period stays a draft; the others leave time for stages.
                latest = last if outcome == Stage.DRAFTED else last - datetime.timedelta(days=45)
                drafted = self.day_between(first, max(first, latest))
                planned.append((drafted, str(level), outcome, index))
        for drafted, level, outcome, index in sorted(planned):
            self.one(level, outcome, index, drafted)

    def one(self, level: str, outcome: str, index: int, drafted: datetime.date) -> None:
        rng = self.rng
        if level == Level.PARLIAMENT or not self.assemblies:
            body, state_body = self.group, self.chambers[index % len(self.chambers)]
            actor, members = self.group_user, self.group_members
            topics = PARLIAMENT_TOPICS
        else:
            body, state_body, members = self.assemblies[index % len(self.assemblies)]
            actor = self.admin or self.group_user
            topics = MASLIKHAT_TOPICS
        title, question = topics[(index + rng.randint(0, len(topics) - 1)) % len(topics)]
        authors = rng.sample(members, min(len(members), rng.randint(1, 3))) if members else []
        initiative = services.initiative_create(
            actor=actor,
            organisation=body,
            state_body=state_body,
            titles=dict(zip(("kk", "ru", "en"), title, strict=True)),
            questions=dict(zip(("kk", "ru", "en"), question, strict=True)),
            authors=authors,
            drafted_on=drafted,
        )
        self.made += 1
        self.link(initiative, body, drafted)
        steps = self.steps(outcome)
        on = drafted
        for stage in steps:
            gap = GAPS.get(str(stage), (30, 150))
            on = self.day_between(
                on + datetime.timedelta(days=gap[0]), on + datetime.timedelta(days=gap[1])
            )
            services.initiative_move(
                actor=actor,
                initiative=initiative,
                stage=stage,
                on=on,
                note=NOTES.get(Stage(stage), ""),
            )
        if outcome == Stage.ADOPTED:
            kind = (
                rng.choice((ActKind.LAW, ActKind.AMENDMENT))
                if level == Level.PARLIAMENT
                else ActKind.MASLIKHAT_DECISION
            )
            act_date = self.day_between(on, on + datetime.timedelta(days=20))
            number = (
                f"{rng.randint(120, 260)}-VIII"
                if level == Level.PARLIAMENT
                else f"{rng.randint(100, 420)}/{rng.randint(20, 48)}"
            )
            services.initiative_record_result(
                actor=actor,
                initiative=initiative,
                act_kind=kind,
                act_titles=dict(zip(("kk", "ru", "en"), ACTS[kind], strict=True)),
                act_number=number,
                act_date=act_date,
            )

    def steps(self, outcome: str) -> tuple[str, ...]:
        if outcome == Stage.DRAFTED:
            return ()
        if outcome == Stage.WITHDRAWN:
            reached = self.rng.randint(0, 2)  # withdrawn from drafted, submitted or considered
            return (*PATH[:reached], Stage.WITHDRAWN)
        if outcome in (Stage.SUBMITTED, Stage.CONSIDERATION):
            return PATH[: PATH.index(Stage(outcome)) + 1]
        return (*PATH, outcome)

    def link(self, initiative: Initiative, body: Organisation, drafted: datetime.date) -> None:
        """Many initiatives come from proposals and appeals of their region (the whole country
        for the deputy group), dated before the draft."""
        if self.admin is None or self.rng.random() > 0.7:
            return
        under = "" if body.pk == self.group.pk else str(body.path)
        proposals = [s for s in self.proposals if s.path.startswith(under) and s.on <= drafted]
        appeals = [s for s in self.appeals if s.path.startswith(under) and s.on <= drafted]
        chosen = self.rng.sample(proposals, min(len(proposals), self.rng.randint(1, 2)))
        for source in chosen:
            services.initiative_link(
                actor=self.admin,
                initiative=initiative,
                proposal=Proposal.objects.get(pk=source.pk),
            )
            self.links += 1
        if appeals and self.rng.random() < 0.5:
            source = self.rng.choice(appeals)
            services.initiative_link(
                actor=self.admin, initiative=initiative, appeal=Appeal.objects.get(pk=source.pk)
            )
            self.links += 1


def _assemblies(
    today: datetime.date, rng: random.Random
) -> list[tuple[Organisation, StateBody, list[Person]]]:
    maslikhats = {
        body.region_id: body
        for body in StateBody.objects.filter(kind=StateBody.Kind.MASLIKHAT, is_active=True)
    }
    found = []
    for body in Organisation.objects.filter(
        kind__code__in=ASSEMBLY_KINDS, status=Organisation.Status.ACTIVE, region__isnull=False
    ).order_by("path"):
        if body.region_id in maslikhats:
            found.append((body, maslikhats[body.region_id], _members(body, today)))
    rng.shuffle(found)
    return found[:8]


def demo_deputies_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo's initiatives once; returns {what: count}, or {} when they were there."""
    if Initiative.objects.exists():
        return {}
    group = (
        Organisation.objects.filter(kind__code="deputy_group", status=Organisation.Status.ACTIVE)
        .order_by("depth", "path")
        .first()
    )
    chambers = list(
        StateBody.objects.filter(kind=StateBody.Kind.PARLIAMENT, is_active=True).order_by("code")
    )
    today = legal_today()
    if group is None or not chambers or today.year < FULL_YEAR:
        return {}
    rng = random.Random(f"birlik-deputies:{seed}")
    with transaction.atomic():
        proposals, appeals = _sources()
        writer = Writer(
            rng=rng,
            today=today,
            group=group,
            group_user=_login(group),
            admin=_national_admin(),
            group_members=_members(group, today),
            chambers=chambers,
            assemblies=_assemblies(today, rng),
            proposals=proposals,
            appeals=appeals,
        )
        writer.batch(PLAN_2025, datetime.date(FULL_YEAR, 1, 10), datetime.date(FULL_YEAR, 12, 15))
        if today.year > FULL_YEAR:
            writer.batch(PLAN_THIS_YEAR, datetime.date(today.year, 1, 10), today)
    return {
        "deputy_initiatives": writer.made,
        "deputy_initiative_links": InitiativeLink.objects.count(),
        "deputy_initiatives_adopted": Initiative.objects.filter(stage=Stage.ADOPTED).count(),
    }
