"""Demo ideas: a year of the Platform of creative solutions — categories, two national calls of
the secretariat and regional calls of a few assemblies, ~3,000 ideas × scale written in kk/ru/en
from templates, ~60,000 supports × scale from generated verified participants, comments, official
answers on time and late, and accepted ideas followed to events of the demo.

Everything is bulk-inserted and deterministic from ``seed``. Ideas are numbered like the service
numbers them (``ИД-<year>-00001``, scope ``ideas.number``) and the counters are set after.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from birlik.access.models import User
from birlik.core import sequences
from birlik.core.workdays import add_working_days
from birlik.events.models import Event
from birlik.ideas.models import Call, Category, Comment, Idea, Milestone, Support
from birlik.registry.models import Organisation

LOGINS: list[tuple[str, str]] = [
    ("participant", "participant — a verified account that submits, supports and comments ideas"),
]
PARTICIPANT_PREFIX = "demo-participant-"
NUMBER_SCOPE = "ideas.number"
BATCH = 2000
IDEAS_AT_SCALE_1 = 3000
SUPPORTS_AT_SCALE_1 = 60_000
REGIONAL_CALL_BODIES = 4

CATEGORIES = (
    ("digital", "Цифрлық шешімдер", "Цифровые решения", "Digital solutions"),
    ("culture", "Мәдениет", "Культура", "Culture"),
    ("sport", "Спорт", "Спорт", "Sport"),
    ("language", "Тілдер", "Языки", "Languages"),
    ("youth", "Жастар", "Молодёжь", "Youth"),
    ("social", "Әлеуметтік жобалар", "Социальные проекты", "Social projects"),
    ("ecology", "Экология", "Экология", "Ecology"),
)

# (category, {lang: (title, problem, solution)}); "{place}" is the idea's town or region.
TEMPLATES: tuple[tuple[str, dict[str, tuple[str, str, str]]], ...] = (
    (
        "sport",
        {
            "kk": (
                "Аудандар арасындағы жастар футбол турнирі",
                "Аудандардың жастары бір-бірімен сирек кездеседі, бос уақыты ұйымдастырылмаған.",
                (
                    "{place} аудандарының жастар командалары арасында "
                    "жазғы футбол турнирін өткізу, "
                    "жеңімпаздарға Достық үйінде марапат."
                ),
            ),
            "ru": (
                "Молодёжный турнир по футболу между районами",
                "Молодёжь разных районов редко встречается, досуг не организован.",
                (
                    "Провести летний турнир по футболу среди молодёжных команд районов ({place}), "
                    "награждение в Доме дружбы."
                ),
            ),
            "en": (
                "Youth football tournament between districts",
                (
                    "Young people of different districts rarely meet and have little organised "
                    "leisure."
                ),
                (
                    "Hold a summer football tournament between the "
                    "districts' youth teams in {place}, "
                    "with awards at the House of Friendship."
                ),
            ),
        },
    ),
    (
        "language",
        {
            "kk": (
                "Мемлекеттік тілді үйренуге арналған сөйлесу клубы",
                "Ересектер қазақ тілін үйренгісі келеді, бірақ сөйлесетін орта жоқ.",
                "{place} Достық үйінде апта сайын тегін сөйлесу клубын ашу, еріктілер жүргізеді.",
            ),
            "ru": (
                "Разговорный клуб казахского языка",
                "Взрослые хотят учить казахский язык, но им негде практиковаться.",
                (
                    "Открыть бесплатный еженедельный разговорный клуб "
                    "в Доме дружбы ({place}), ведут "
                    "волонтёры."
                ),
            ),
            "en": (
                "A Kazakh language conversation club",
                "Adults want to learn Kazakh but have nowhere to practise speaking.",
                (
                    "Open a free weekly conversation club at the House "
                    "of Friendship in {place}, run "
                    "by volunteers."
                ),
            ),
        },
    ),
    (
        "culture",
        {
            "kk": (
                "Этномәдени бірлестіктердің қолөнер фестивалі",
                "Халықтардың қолөнері туралы жастар аз біледі.",
                (
                    "{place} қаласында этномәдени бірлестіктердің шеберлері қатысатын қолөнер "
                    "фестивалін өткізу."
                ),
            ),
            "ru": (
                "Фестиваль ремёсел этнокультурных объединений",
                "Молодёжь мало знает о ремёслах народов Казахстана.",
                (
                    "Провести в {place} фестиваль ремёсел с мастерами этнокультурных объединений и "
                    "мастер-классами."
                ),
            ),
            "en": (
                "A festival of crafts of the ethnocultural associations",
                "Young people know little of the crafts of Kazakhstan's peoples.",
                (
                    "Hold a festival of crafts in {place} with masters of the ethnocultural "
                    "associations and workshops."
                ),
            ),
        },
    ),
    (
        "digital",
        {
            "kk": (
                "Достық үйлерінің іс-шараларына арналған мобильді күнтізбе",
                "Тұрғындар іс-шаралар туралы кеш біледі.",
                (
                    "{place} Достық үйінің барлық іс-шараларын бір мобильді күнтізбеге жинап, еске "
                    "салғыш жіберу."
                ),
            ),
            "ru": (
                "Мобильный календарь мероприятий домов дружбы",
                "Жители поздно узнают о мероприятиях.",
                (
                    "Собрать все мероприятия Дома дружбы ({place}) в один мобильный календарь с "
                    "напоминаниями."
                ),
            ),
            "en": (
                "A mobile calendar of the houses of friendship's events",
                "Residents hear of events too late.",
                (
                    "Gather every event of the House of Friendship in "
                    "{place} in one mobile calendar "
                    "with reminders."
                ),
            ),
        },
    ),
    (
        "youth",
        {
            "kk": (
                "Студенттік ассамблеялардың көшбасшылар мектебі",
                "Студенттік ассамблеялардың белсенділеріне жоба басқару дағдылары жетіспейді.",
                (
                    "{place} жоғары оқу орындарының студенттеріне арналған үш айлық көшбасшылар "
                    "мектебін ұйымдастыру."
                ),
            ),
            "ru": (
                "Школа лидеров студенческих ассамблей",
                "Активистам студенческих ассамблей не хватает навыков управления проектами.",
                "Организовать трёхмесячную школу лидеров для студентов вузов ({place}).",
            ),
            "en": (
                "A leaders' school for the student assemblies",
                "Activists of the student assemblies lack project management skills.",
                "Run a three-month leaders' school for university students in {place}.",
            ),
        },
    ),
    (
        "social",
        {
            "kk": (
                "Қарт адамдарға арналған еріктілер көмегі",
                "Жалғыз тұратын қарттарға күнделікті көмек қажет.",
                "{place} еріктілері қарттарға азық-түлік жеткізіп, дәрігерге апаруға көмектеседі.",
            ),
            "ru": (
                "Волонтёрская помощь пожилым людям",
                "Одиноким пожилым людям нужна помощь в быту.",
                "Волонтёры ({place}) доставляют продукты и сопровождают пожилых к врачу.",
            ),
            "en": (
                "Volunteer help for older people",
                "Older people living alone need everyday help.",
                "Volunteers in {place} deliver food and go with older people to the doctor.",
            ),
        },
    ),
    (
        "ecology",
        {
            "kk": (
                "«Таза өзен» экологиялық акциясы",
                "Өзен жағалауында қоқыс көп.",
                (
                    "{place} өзенінің жағалауын этномәдени "
                    "бірлестіктер мен мектептер бірге тазалайтын"
                    " акция өткізу."
                ),
            ),
            "ru": (
                "Экологическая акция «Чистая река»",
                "На берегу реки много мусора.",
                (
                    "Провести акцию, в которой этнокультурные "
                    "объединения и школы вместе очищают берег"
                    " реки ({place})."
                ),
            ),
            "en": (
                "The “Clean river” ecological action",
                "The river banks are full of litter.",
                (
                    "Hold an action in which ethnocultural "
                    "associations and schools clean the river "
                    "banks in {place} together."
                ),
            ),
        },
    ),
)
COMMENTS = {
    "kk": ("Керемет идея, қолдаймын!", "Біздің ауданға да керек.", "Ерікті болуға дайынмын."),
    "ru": ("Отличная идея, поддерживаю!", "В нашем районе тоже нужно.", "Готов стать волонтёром."),
    "en": ("A great idea, I support it!", "Our district needs it too.", "I am ready to volunteer."),
}
ANSWERS = {
    Idea.Decision.ACCEPTED: "Идея қабылданды: жоспарға енгізілді, Достық үйі іске асырады.",
    Idea.Decision.PARTLY: "Идея ішінара қабылданды: биылғы бюджет шегінде бір бөлігі орындалады.",
    Idea.Decision.REJECTED: "Идея қабылданбады: мұндай жоба өңірде қазірдің өзінде жүзеге асуда.",
}
FIRST_NAMES = ("Айгерім", "Ерлан", "Дана", "Сергей", "Мадина", "Тимур", "Ольга", "Нұрлан")
LAST_NAMES = ("Сапарова", "Ахметов", "Ким", "Иванова", "Жұмабаев", "Шмидт", "Әлиева", "Пак")


def _shown(user: User) -> str:
    """The public name: the first name and the initial of the last («Айгерім С.»)."""
    first, *rest = user.full_name.split()
    return f"{first} {rest[-1][0]}." if rest else first


def _assemblies() -> list[Organisation]:
    return list(
        Organisation.objects.filter(
            kind__code__in=("regional_assembly", "city_assembly"), status="active"
        )
        .select_related("region")
        .order_by("path")
    )


def _participants(count: int, rng: random.Random, now: datetime.datetime) -> list[User]:
    from .services import DEMO_PASSWORD

    users = [
        User(
            username=f"{PARTICIPANT_PREFIX}{n}",
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            phone=f"+7707{n:07d}",
            language=rng.choice(("kk", "kk", "ru", "ru", "en")),
            password=make_password(None),  # unusable: these accounts only carry supports
            phone_verified_at=now,
        )
        for n in range(1, count + 1)
    ]
    users.append(
        User(
            username="participant",
            full_name="Айгерім Сапарова",
            email="participant@assembly-demo.kz",
            phone="+77070000000",
            language="kk",
            password=make_password(DEMO_PASSWORD),
            phone_verified_at=now,
            email_verified_at=now,
        )
    )
    return User.objects.bulk_create(users, batch_size=BATCH)


def _calls(
    root: Organisation, assemblies: list[Organisation], categories: list[Category], scale: float
) -> list[Call]:
    today = timezone.localdate()
    start = today - datetime.timedelta(days=300)
    national = [
        (
            "Жастардың креативті шешімдері",
            "Креативные решения молодёжи",
            "Youth creative solutions",
        ),
        (
            "Бірлікке арналған цифрлық идеялар",
            "Цифровые идеи для единства",
            "Digital ideas for unity",
        ),
    ]
    calls = [
        Call(
            organisation=root,
            title_kk=kk,
            title_ru=ru,
            title_en=en,
            description_kk="Қазақстан халқы Ассамблеясының идеялар байқауы.",
            description_ru="Конкурс идей Ассамблеи народа Казахстана.",
            description_en="A call for ideas of the Assembly of People of Kazakhstan.",
            status=Call.Status.OPEN,
            opens_on=start + datetime.timedelta(days=60 * index),
            collect_until=start + datetime.timedelta(days=60 * index + 90),
            support_until=start + datetime.timedelta(days=60 * index + 150),
            review_until=start + datetime.timedelta(days=60 * index + 210),
            threshold=max(3, round(200 * scale)),
            answer_working_days=15,
        )
        for index, (kk, ru, en) in enumerate(national)
    ]
    for index, body in enumerate(assemblies[:REGIONAL_CALL_BODIES]):
        name = body.region.name if body.region else body.name
        calls.append(
            Call(
                organisation=body,
                title_kk=f"{name}: жастар бастамалары",
                title_ru=f"{name}: молодёжные инициативы",
                title_en=f"{name}: youth initiatives",
                status=Call.Status.OPEN,
                opens_on=start + datetime.timedelta(days=30 * index),
                collect_until=start + datetime.timedelta(days=30 * index + 120),
                support_until=start + datetime.timedelta(days=30 * index + 180),
                review_until=start + datetime.timedelta(days=30 * index + 240),
                threshold=max(2, round(100 * scale)),
                answer_working_days=10,
            )
        )
    calls = Call.objects.bulk_create(calls)
    for call in calls:
        call.categories.set(categories)
    return calls


def demo_ideas_seed(*, scale: float, seed: int, progress: bool = False) -> dict[str, int]:
    """Adds the demo ideas once; returns {what: count}, or {} when they were there."""
    if Idea.objects.exists() or Call.objects.exists():
        return {}
    root = Organisation.objects.filter(depth=1).order_by("path").first()
    assemblies = _assemblies()
    if root is None or not assemblies:
        return {}
    with transaction.atomic():
        return _seed(root=root, assemblies=assemblies, scale=scale, seed=seed)


def _seed(
    *, root: Organisation, assemblies: list[Organisation], scale: float, seed: int
) -> dict[str, int]:
    rng = random.Random(seed * 17 + 1717)
    now = timezone.now()
    today = timezone.localdate()
    categories = Category.objects.bulk_create(
        [
            Category(code=code, name_kk=kk, name_ru=ru, name_en=en, position=index * 10)
            for index, (code, kk, ru, en) in enumerate(CATEGORIES)
        ]
    )
    by_code = {category.code: category for category in categories}
    calls = _calls(root, assemblies, categories, scale)
    n_ideas = max(20, round(IDEAS_AT_SCALE_1 * scale))
    n_supports = max(200, round(SUPPORTS_AT_SCALE_1 * scale))
    n_users = max(40, n_supports // 10)
    users = _participants(n_users, rng, now)
    participants = users[:-1]
    events_by_path = _events(assemblies)

    ideas: list[Idea] = []
    numbers: dict[int, int] = defaultdict(int)
    for _ in range(n_ideas):
        call = rng.choice(calls) if rng.random() < 0.7 else None
        body = call.organisation if call else rng.choice(assemblies)
        if call is not None and call.organisation_id == root.pk:
            body = rng.choice(assemblies)
        region = body.region
        code, texts = rng.choice(TEMPLATES)
        language = rng.choice(("kk", "kk", "kk", "ru", "ru", "en"))
        title, problem, solution = texts[language]
        place = region.name if region else "Астана"
        if call is not None:
            earliest, latest = call.opens_on, min(call.collect_until, today)
        else:
            earliest, latest = today - datetime.timedelta(days=330), today
        created_on = earliest + datetime.timedelta(
            days=rng.randint(0, max((latest - earliest).days, 0))
        )
        created_at = datetime.datetime.combine(
            created_on,
            datetime.time(rng.randint(8, 22), rng.randint(0, 59)),
            tzinfo=timezone.get_current_timezone(),
        )
        numbers[created_on.year] += 1
        status = rng.choices(
            (Idea.Status.PUBLISHED, Idea.Status.PENDING, Idea.Status.REJECTED), (90, 6, 4)
        )[0]
        author = rng.choice(participants)
        ideas.append(
            Idea(
                number=f"ИД-{created_on.year}-{numbers[created_on.year]:05d}",
                call=call,
                organisation=call.organisation if call is not None else body,
                region=region,
                category=by_code[code],
                language=language,
                title=title,
                problem=problem,
                solution=solution.format(place=place),
                author=author,
                author_display=_shown(author),
                status=status,
                moderation_note=(
                    "Ұқсас идея бұрыннан бар: соны қолдаңыз."
                    if status == Idea.Status.REJECTED
                    else ""
                ),
                created_at=created_at,
                published_at=(
                    created_at + datetime.timedelta(hours=rng.randint(2, 48))
                    if status == Idea.Status.PUBLISHED
                    else None
                ),
            )
        )
    ideas = Idea.objects.bulk_create(ideas, batch_size=BATCH)
    for year, last in numbers.items():
        sequences.set_last(NUMBER_SCOPE, year, last)
    published = [idea for idea in ideas if idea.status == Idea.Status.PUBLISHED]

    supports = _supports(published, participants, n_supports, rng)
    _answers(published, calls, events_by_path, rng, today)
    comments = _comments(published, participants, rng, now)
    _index(published)
    return {
        "idea calls": len(calls),
        "ideas": len(ideas),
        "idea supports": supports,
        "idea comments": comments,
        "participants": len(users),
    }


def _events(assemblies: list[Organisation]) -> dict[str, list[int]]:
    """Past events of the demo under each assembly (a few each), to link implemented ideas."""
    found: dict[str, list[int]] = {}
    for body in assemblies:
        found[body.path] = list(
            Event.objects.filter(
                organiser__path__startswith=body.path, starts_at__lt=timezone.now()
            )
            .order_by("-starts_at")
            .values_list("pk", flat=True)[:20]
        )
    return found


def _supports(ideas: list[Idea], participants: list[User], total: int, rng: random.Random) -> int:
    """Supports spread like real ones: a few ideas gather most of them."""
    if not ideas:
        return 0
    weights = [rng.paretovariate(1.2) for _ in ideas]
    scale = total / sum(weights)
    rows: list[Support] = []
    for idea, weight in zip(ideas, weights, strict=True):
        count = min(len(participants), max(0, round(weight * scale)))
        supporters = rng.sample(participants, count)
        start = idea.published_at or idea.created_at
        for user in supporters:
            rows.append(
                Support(
                    idea=idea,
                    user=user,
                    created_at=start + datetime.timedelta(hours=rng.randint(1, 24 * 60)),
                )
            )
        idea.support_count = count
    Support.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _answers(
    ideas: list[Idea],
    calls: list[Call],
    events_by_path: dict[str, list[int]],
    rng: random.Random,
    today: datetime.date,
) -> None:
    """The clock of ideas over their threshold, answers on time and late, and follow-up."""
    call_of = {call.pk: call for call in calls}
    milestones: list[Milestone] = []
    for idea in ideas:
        call = call_of.get(idea.call_id) if idea.call_id else None
        threshold = call.threshold if call else max(3, calls[-1].threshold)
        days = call.answer_working_days if call else 15
        if idea.support_count < threshold:
            continue
        published = timezone.localtime(idea.published_at or idea.created_at).date()
        reached = min(today, published + datetime.timedelta(days=rng.randint(3, 40)))
        idea.threshold_reached_on = reached
        idea.answer_due = add_working_days(reached, days)
        roll = rng.random()
        if idea.answer_due >= today and roll < 0.5:
            continue  # the clock still runs
        if idea.answer_due < today and roll < 0.08:
            continue  # overdue, still unanswered
        late = rng.random() < 0.2
        answered = (
            idea.answer_due + datetime.timedelta(days=rng.randint(1, 12))
            if late
            else (
                reached
                + datetime.timedelta(days=rng.randint(1, max((idea.answer_due - reached).days, 1)))
            )
        )
        idea.answered_on = min(answered, today)
        idea.answer_body = idea.organisation
        idea.decision = rng.choices(list(ANSWERS), (55, 25, 20))[0]
        idea.answer_text = ANSWERS[idea.decision]
        if idea.decision == Idea.Decision.REJECTED:
            continue
        idea.progress = rng.choices(
            (
                Idea.Progress.PLANNED,
                Idea.Progress.IN_PROGRESS,
                Idea.Progress.DONE,
                Idea.Progress.STOPPED,
            ),
            (25, 35, 35, 5),
        )[0]
        steps = ("Жұмыс тобы құрылды", "Серіктестер табылды", "Іс-шара өткізілді")
        done_steps = {Idea.Progress.PLANNED: 0, Idea.Progress.IN_PROGRESS: 1}.get(idea.progress, 3)
        for position, title in enumerate(steps):
            done = position < done_steps
            milestones.append(
                Milestone(
                    idea=idea,
                    title=title,
                    position=position + 1,
                    due_on=idea.answered_on + datetime.timedelta(days=30 * (position + 1)),
                    done_on=min(
                        today, idea.answered_on + datetime.timedelta(days=20 * (position + 1))
                    )
                    if done
                    else None,
                )
            )
        if idea.progress == Idea.Progress.DONE:
            idea.implemented_on = min(today, idea.answered_on + datetime.timedelta(days=60))
            idea.result = "Идея іске асырылды: іс-шара өтті, қатысушылар көп болды."
            events = next(
                (
                    pks
                    for path, pks in events_by_path.items()
                    if idea.organisation.path.startswith(path)
                    or path.startswith(idea.organisation.path)
                ),
                [],
            )
            if events:
                idea.event_id = rng.choice(events)
    Idea.objects.bulk_update(
        ideas,
        [
            "support_count",
            "threshold_reached_on",
            "answer_due",
            "answered_on",
            "answer_body",
            "answer_text",
            "decision",
            "progress",
            "implemented_on",
            "result",
            "event",
        ],
        batch_size=BATCH,
    )
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)


def _comments(
    ideas: list[Idea], participants: list[User], rng: random.Random, now: datetime.datetime
) -> int:
    rows: list[Comment] = []
    counts: dict[int, int] = defaultdict(int)
    for idea in ideas:
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            author = rng.choice(participants)
            status = Comment.Status.PUBLISHED if rng.random() < 0.9 else Comment.Status.PENDING
            created = min(
                now,
                (idea.published_at or idea.created_at)
                + datetime.timedelta(days=rng.randint(1, 30)),
            )
            rows.append(
                Comment(
                    idea=idea,
                    author=author,
                    author_display=_shown(author),
                    text=rng.choice(COMMENTS[rng.choice(("kk", "ru", "en"))]),
                    status=status,
                    created_at=created,
                )
            )
            if status == Comment.Status.PUBLISHED:
                counts[idea.pk] += 1
    Comment.objects.bulk_create(rows, batch_size=BATCH)
    for idea in ideas:
        idea.comment_count = counts[idea.pk]
    Idea.objects.bulk_update(ideas, ["comment_count"], batch_size=BATCH)
    return len(rows)


def _index(ideas: list[Idea]) -> Any:
    """The similarity index of the published ideas (the similarity module's bulk indexer)."""
    from birlik.ideas import similarity

    bulk = getattr(similarity, "index_ideas_bulk", None)
    if bulk is not None:
        return bulk(ideas)
    for idea in ideas:
        similarity.index_idea(idea)
    return len(ideas)
