"""The network's activity for the demo: events of the previous full year and of this year to date.

``build_event_plan`` decides every event (kind, programme, date, size, status, registrations)
from a seed and a date without touching the database, so ``planned_event_counts`` can state the
year's figures; ``events_write`` maps the plan onto the bodies of the database with bulk inserts.
Most participation is a count the organiser reports after the event; a minority of events take
online registration and get registration rows whose counters match them exactly.
"""

from __future__ import annotations

import datetime
import math
import random
import secrets
import sys
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.db import connection, models
from django.utils import timezone, translation
from tqdm import tqdm

from birlik.events.models import Audience, Event, EventReport, Programme, Registration
from birlik.events.services import participant_key
from birlik.geo.models import District, Region
from birlik.registry.models import Organisation

from . import names

Text3 = tuple[str, str, str]
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
FUTURE_DAYS = 60  # upcoming events are planned this far ahead of today
GROWTH = 1.05  # this year's activity compared with last year's
# Online registration stays a minority: the streams' shares are relative, scaled by this.
REGISTRATION_SHARE = 0.45
MAX_REGISTRATION_CAPACITY = 300
CHUNK = 2000  # events written per round (their registrations follow them)
BATCH_SIZE = 2000


# ---------------------------------------------------------------------------------------------
# What each part of the network does (targets per full year at scale 1.0, from domain.md)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    title: Text3  # may hold {n}: a number (school, group)
    kind: str
    programme: str | None
    audiences: tuple[str, ...]
    weight: float = 1.0
    format: str = Event.Format.IN_PERSON
    months: tuple[int, ...] = ()  # only in these months (schools are closed in summer)
    dates: tuple[tuple[int, int], ...] = ()  # around these days (holidays)
    languages: str = ""  # fixed languages, else the organiser's mix
    place: bool = True  # the place's name follows the title
    registration: float | None = None  # share taking online registration (else the stream's)


@dataclass(frozen=True)
class Stream:
    key: str
    body_kinds: tuple[str, ...]
    events: int
    participants: int
    registration: float  # share of events with online registration
    templates: tuple[Template, ...]
    at_house: float = 0.0  # share of in-person events held at a House of Friendship


SCHOOL_MONTHS = (1, 2, 3, 4, 5, 9, 10, 11, 12)
NAURYZ = ((3, 21), (3, 22))
UNITY_DAY = ((5, 1),)
LANGUAGES_DAY = ((9, 5),)
GRATITUDE_DAY = ((3, 1),)
INDEPENDENCE_DAY = ((12, 16),)
ELDERS_DAY = ((10, 1),)
P = Event.Kind  # short names for the table below
F = Event.Format

STREAMS: tuple[Stream, ...] = (
    Stream("elders", ("elders_council",), 3250, 153_000, 0.02, (
        Template(("Ақсақалдар кеңесінің отырысы", "Заседание совета аксакалов",
                  "Meeting of the council of elders"), P.MEETING, None, ("elderly",), 3),
        Template(("Ақсақалдардың азаматтарды қабылдауы", "Прием граждан советом аксакалов",
                  "The council of elders receives citizens"), P.CONSULTATION, None,
                 ("general_public",), 2),
        Template(("Ақсақал сөзі: мектеп оқушыларымен әңгіме",
                  "Слово аксакала: беседа со школьниками", "An elder's word: a talk with pupils"),
                 P.PREVENTION_TALK, None, ("schools", "youth"), 2, months=SCHOOL_MONTHS),
        Template(("Отбасы құндылықтары туралы дөңгелек үстел",
                  "Круглый стол о семейных ценностях", "Round table on family values"),
                 P.ROUND_TABLE, None, ("families", "elderly"), 1.5),
        Template(("Ұрпақтар сабақтастығы: ақсақалдардың жастармен кездесуі",
                  "Связь поколений: встреча аксакалов с молодежью",
                  "Bond of generations: elders meet young people"),
                 P.MEETING, None, ("youth", "elderly"), 1.5),
        Template(("Еңбек ұжымындағы кездесу", "Встреча в трудовом коллективе",
                  "Meeting at a workplace"), P.MEETING, "labour_assembly",
                 ("work_collectives",), 0.8),
        Template(("Қарттар күні: ақсақалдарды құрметтеу кеші",
                  "День пожилых людей: вечер чествования аксакалов",
                  "Day of Older Persons: an evening honouring elders"), P.CONCERT, None,
                 ("elderly", "families"), 0.4, dates=ELDERS_DAY),
    )),
    Stream("mothers", ("mothers_council",), 4600, 298_000, 0.02, (
        Template(("«Жасыл сертификат»: № {n} мектептегі профилактикалық әңгіме",
                  "«Зеленый сертификат»: профилактическая беседа в школе № {n}",
                  "Green Certificate: prevention talk at School No. {n}"), P.PREVENTION_TALK,
                 "green_certificate", ("schools",), 4, months=SCHOOL_MONTHS),
        Template(("«Жасыл сертификат»: студенттермен профилактикалық кездесу",
                  "«Зеленый сертификат»: профилактическая встреча со студентами",
                  "Green Certificate: prevention meeting with students"), P.PREVENTION_TALK,
                 "green_certificate", ("students", "youth"), 1.5, months=SCHOOL_MONTHS),
        Template(("Аналар кеңесі әскери бөлімде: сарбаздармен кездесу",
                  "Совет матерей в воинской части: встреча с военнослужащими",
                  "Mothers' council visits a military unit"), P.MEETING, "green_certificate",
                 ("military_units", "youth"), 1.5),
        Template(("Балалар үйіндегі мейірім күні", "День доброты в детском доме",
                  "Day of kindness at an orphanage"), P.VOLUNTEERING, None, ("orphanages",
                 "children"), 1),
        Template(("«Жасыл сертификат»: еңбек ұжымындағы профилактикалық әңгіме",
                  "«Зеленый сертификат»: профилактическая беседа в трудовом коллективе",
                  "Green Certificate: prevention talk at a workplace"), P.PREVENTION_TALK,
                 "green_certificate", ("work_collectives",), 1),
        Template(("Ана мен бала: отбасылармен кездесу", "Мать и дитя: встреча с семьями",
                  "Mother and child: a meeting with families"), P.MEETING, None,
                 ("families", "women"), 1.5),
        Template(("Аналар кеңесінің отырысы", "Заседание совета матерей",
                  "Meeting of the mothers' council"), P.MEETING, None, ("women",), 1),
    )),
    Stream("houses", ("house_of_friendship",), 2200, 230_000, 0.2, (
        Template(("Мемлекеттік тіл курсы: № {n} топ", "Курс государственного языка: группа № {n}",
                  "State language course: group No. {n}"), P.COURSE, "language_courses",
                 ("general_public",), 3, languages=",kk,ru,", registration=0.7),
        Template(("«Үйде сөйле»: отбасылық тіл клубы", "«Үйде сөйле»: семейный языковой клуб",
                  "Uide Soile: family language club"), P.COURSE, "uide_soile",
                 ("families", "children"), 1.5, languages=",kk,", registration=0.4),
        Template(("Ұлттық мәдениеттер фестивалі", "Фестиваль национальных культур",
                  "Festival of national cultures"), P.FESTIVAL, None,
                 ("general_public", "ethnocultural_associations"), 1),
        Template(("Этномәдени бірлестіктер төрағаларының кеңесі",
                  "Совет председателей этнокультурных объединений",
                  "Council of chairs of ethnocultural associations"), P.MEETING, None,
                 ("ethnocultural_associations",), 1.2),
        Template(("Медиатордың тегін кеңесі", "Бесплатная консультация медиатора",
                  "Free consultation with a mediator"), P.CONSULTATION, None,
                 ("general_public", "families"), 1),
        Template(("Қолөнер көрмесі", "Выставка ремесел", "Crafts exhibition"), P.EXHIBITION,
                 "crafts_children_art", ("general_public",), 0.8),
        Template(("Наурыз мейрамы", "Праздник Наурыз", "Nauryz celebration"), P.FESTIVAL, None,
                 ("general_public", "families"), 0.6, dates=NAURYZ),
        Template(("1 мамыр – Қазақстан халқының бірлігі мерекесі",
                  "1 Мая – праздник единства народа Казахстана",
                  "1 May – Day of Unity of the People of Kazakhstan"), P.CONCERT, None,
                 ("general_public",), 0.5, dates=UNITY_DAY),
        Template(("Қазақстан халқы тілдері күні", "День языков народа Казахстана",
                  "Day of the Languages of the People of Kazakhstan"), P.FESTIVAL,
                 "language_courses", ("general_public", "schools"), 0.5, dates=LANGUAGES_DAY),
        Template(("Алғыс айту күні", "День благодарности", "Day of Gratitude"), P.MEETING, None,
                 ("general_public", "ethnocultural_associations"), 0.4, dates=GRATITUDE_DAY),
        Template(("«Инклюзивті ассамблея»: ерекше балаларға арналған шеберхана",
                  "«Инклюзивная ассамблея»: мастерская для особых детей",
                  "Inclusive Assembly: workshop for children with special needs"),
                 P.TRAINING, "inclusive_assembly", ("disabilities", "children"), 0.7,
                 registration=0.5),
        Template(("Еріктілер сенбілігі", "Волонтерский субботник", "Volunteers' clean-up day"),
                 P.VOLUNTEERING, None, ("youth",), 0.5),
    ), at_house=1.0),
    Stream("associations", ("ethnocultural_association",), 1500, 160_000, 0.03, (
        Template(("Бірлестік мүшелерінің жалпы жиналысы",
                  "Общее собрание членов объединения",
                  "General meeting of the association's members"), P.MEETING, None,
                 ("ethnocultural_associations",), 1.5),
        Template(("Ана тілі: балаларға арналған жексенбілік мектеп",
                  "Родной язык: воскресная школа для детей",
                  "Mother tongue: Sunday school for children"), P.COURSE, "language_courses",
                 ("children",), 1.5, languages=",ru,kk,"),
        Template(("Ұлттық мереке: ашық есік күні", "Национальный праздник: день открытых дверей",
                  "National holiday: open day"), P.FESTIVAL, None,
                 ("general_public", "families"), 1.5),
        Template(("Балалар шығармашылығы шеберханасы", "Мастерская детского творчества",
                  "Children's art workshop"), P.EXHIBITION, "crafts_children_art",
                 ("children",), 1),
        Template(("«Мың бала»: қазақ тілінде мәнерлеп оқу байқауы",
                  "«Мың бала»: конкурс чтецов на казахском языке",
                  "Myn Bala: poetry reading contest in Kazakh"), P.COMPETITION, "myn_bala",
                 ("children", "schools"), 1, languages=",kk,", months=SCHOOL_MONTHS),
        Template(("Наурыз мейрамы", "Праздник Наурыз", "Nauryz celebration"), P.FESTIVAL, None,
                 ("general_public", "families"), 0.5, dates=NAURYZ),
    ), at_house=0.6),
    Stream("youth", ("youth_branch", "student_assembly", "youth_movement"), 1200, 120_000, 0.12, (
        Template(("«Жеңіс – бірлікте»: жастар арасындағы мини-футбол турнирі",
                  "«Жеңіс – бірлікте»: молодежный турнир по мини-футболу",
                  "Zhenis – Birlikte: youth mini-football tournament"), P.SPORTS,
                 "zhenis_birlikte", ("youth",), 1.5),
        Template(("«Жеңіс – бірлікте»: тоғызқұмалақ жарысы",
                  "«Жеңіс – бірлікте»: турнир по тогызкумалак",
                  "Zhenis – Birlikte: togyz kumalak tournament"), P.SPORTS, "zhenis_birlikte",
                 ("youth", "students"), 0.8),
        Template(("Креативті шешімдер платформасы: жастар идеяларының хакатоны",
                  "Платформа креативных решений: хакатон молодежных идей",
                  "Platform of Creative Solutions: youth ideas hackathon"), P.COMPETITION,
                 "creative_solutions", ("youth", "students"), 1, registration=0.5),
        Template(("«ҚХА көшбасшылар мектебі»: тренинг", "«Школа лидеров АНК»: тренинг",
                  "APK Leaders' School: training"), P.TRAINING, None, ("youth", "students"), 1,
                 registration=0.5),
        Template(("Студенттік ассамблеяның отырысы", "Заседание студенческой ассамблеи",
                  "Meeting of the student assembly"), P.MEETING, None, ("students",), 1.2,
                 months=SCHOOL_MONTHS),
        Template(("«Мың бала»: балаларға қазақ тілі сабағы",
                  "«Мың бала»: урок казахского языка для детей",
                  "Myn Bala: Kazakh lesson for children"), P.COURSE, "myn_bala",
                 ("children", "schools"), 1, languages=",kk,"),
        Template(("Жас еріктілер акциясы", "Акция молодых волонтеров",
                  "Young volunteers' campaign"), P.VOLUNTEERING, None, ("youth",), 1),
    ), at_house=0.3),
    Stream("journalists", ("journalists_club",), 160, 11_500, 0.6, (
        Template(("Журналистер мен блогерлерге арналған тренинг: этносаралық тақырыпты жариялау",
                  "Тренинг для журналистов и блогеров: освещение межэтнической темы",
                  "Training for journalists and bloggers: covering interethnic topics"),
                 P.TRAINING, "journalists_trainings", ("journalists",), 2),
        Template(("Медиасауаттылық семинары", "Семинар по медиаграмотности",
                  "Media literacy seminar"), P.TRAINING, "journalists_trainings",
                 ("journalists",), 1, format=F.MIXED),
        Template(("Фактчекинг шеберханасы", "Мастерская фактчекинга", "Fact-checking workshop"),
                 P.TRAINING, "journalists_trainings", ("journalists",), 1, format=F.ONLINE),
    ), at_house=0.8),
    Stream("creative", ("creative_collective",), 135, 75_000, 0.1, (
        Template(("Шығармашылық ұжымдардың «Достық шаңырағы» фестивалі",
                  "Фестиваль творческих коллективов «Шанырак дружбы»",
                  "Festival of creative collectives «Shanyrak of Friendship»"), P.FESTIVAL,
                 "creative_festivals", ("general_public",), 3),
        Template(("Ұлттық ән мен би кеші", "Вечер национальной песни и танца",
                  "Evening of national song and dance"), P.CONCERT, None, ("general_public",), 2),
        Template(("Этностар театрларының фестивалі", "Фестиваль театров этносов",
                  "Theatre festival of ethnic groups"), P.FESTIVAL, "theatre_festival",
                 ("general_public",), 0.3),
        Template(("Тәуелсіздік күніне арналған концерт", "Концерт ко Дню Независимости",
                  "Independence Day concert"), P.CONCERT, None, ("general_public", "families"),
                 0.3, dates=INDEPENDENCE_DAY),
    ), at_house=0.5),
    Stream("assemblies", ("regional_assembly", "city_assembly", "district_assembly", "secretariat"),
           700, 80_000, 0.05, (
        Template(("Ассамблея сессиясы", "Сессия ассамблеи", "Session of the assembly"),
                 P.MEETING, None, ("ethnocultural_associations", "general_public"), 1),
        Template(("Қоғамдық келісім туралы дөңгелек үстел",
                  "Круглый стол об общественном согласии", "Round table on public accord"),
                 P.ROUND_TABLE, None, ("general_public",), 1.5),
        Template(("«Еңбек ассамблеясы»: еңбек ұжымындағы кездесу",
                  "«Трудовая ассамблея»: встреча в трудовом коллективе",
                  "Labour Assembly: meeting at a workplace"), P.MEETING, "labour_assembly",
                 ("work_collectives",), 1.5),
        Template(("«Инклюзивті ассамблея»: мүгедектігі бар адамдармен кездесу",
                  "«Инклюзивная ассамблея»: встреча с людьми с инвалидностью",
                  "Inclusive Assembly: meeting with people with disabilities"), P.MEETING,
                 "inclusive_assembly", ("disabilities",), 1),
        Template(("«Цифрлық ассамблея»: азаматтарды онлайн қабылдау",
                  "«Цифровая ассамблея»: онлайн-прием граждан",
                  "Digital Assembly: online reception of citizens"), P.CONSULTATION,
                 "digital_assembly", ("general_public",), 1, format=F.ONLINE),
    ), at_house=0.5),
    Stream("accord", ("public_accord_institution",), 200, 16_000, 0.05, (
        Template(("Этносаралық келісім бойынша семинар-кеңес",
                  "Семинар-совещание по межэтническому согласию",
                  "Seminar on interethnic accord"), P.TRAINING, None,
                 ("ethnocultural_associations",), 1),
        Template(("Аудандық әкімдіктермен кездесу", "Встреча с районными акиматами",
                  "Meeting with district administrations"), P.ROUND_TABLE, None,
                 ("general_public",), 1),
    )),
    Stream("academy", ("apk_academy", "university_department"), 260, 12_000, 0.6, (
        Template(("ҚХА Академиясы: Достық үйлері қызметкерлерінің біліктілігін арттыру курсы",
                  "Академия АНК: курс повышения квалификации сотрудников домов дружбы",
                  "APK Academy: refresher course for staff of Houses of Friendship"), P.COURSE,
                 "academy_courses", ("ethnocultural_associations",), 1, format=F.MIXED),
        Template(("Этносаралық қатынастар туралы ашық дәріс",
                  "Открытая лекция о межэтнических отношениях",
                  "Open lecture on interethnic relations"), P.TRAINING, None, ("students",), 1.5,
                 months=SCHOOL_MONTHS),
        Template(("Этномәдени бірлестіктер жетекшілеріне арналған вебинар",
                  "Вебинар для руководителей этнокультурных объединений",
                  "Webinar for leaders of ethnocultural associations"), P.COURSE,
                 "academy_courses", ("ethnocultural_associations",), 1, format=F.ONLINE),
    )),
    Stream("charity", ("charity_centre",), 300, 15_000, 0.05, (
        Template(("«Жомарт жан»: аз қамтылған отбасыларға көмек акциясы",
                  "«Жомарт жан»: акция помощи малообеспеченным семьям",
                  "Zhomart Zhan: aid drive for low-income families"), P.VOLUNTEERING, None,
                 ("families",), 1),
        Template(("«Мектепке жол»: оқушыларға оқу құралдарын тарату",
                  "«Дорога в школу»: раздача школьных принадлежностей",
                  "Road to School: school kits for pupils"), P.VOLUNTEERING, None,
                 ("children", "families"), 0.6, months=(8, 9)),
        Template(("Қарттарға көмек: еріктілер рейді", "Помощь пожилым: рейд волонтеров",
                  "Help for older people: volunteers' round"), P.VOLUNTEERING, None,
                 ("elderly",), 0.8),
    )),
    Stream("mediation", ("mediation_centre", "mediation_council"), 300, 6_000, 0.3, (
        Template(("Медиация күні: тегін кеңес беру", "День медиации: бесплатные консультации",
                  "Mediation day: free consultations"), P.CONSULTATION, None,
                 ("general_public", "families"), 1),
        Template(("Медиаторларға арналған семинар", "Семинар для медиаторов",
                  "Seminar for mediators"), P.TRAINING, None, ("general_public",), 0.6),
    ), at_house=0.6),
    Stream("experts", ("scientific_expert_group", "scientific_expert_council",
                       "young_scientists_club"), 150, 6_000, 0.3, (
        Template(("Ғылыми-сараптамалық топтың дөңгелек үстелі: қоғамдағы әлеуметтік үрдістер",
                  "Круглый стол научно-экспертной группы: социальные тенденции в обществе",
                  "Round table of the expert group: social trends"), P.ROUND_TABLE, None,
                 ("general_public",), 1),
        Template(("Жас ғалымдар конференциясы", "Конференция молодых ученых",
                  "Young scientists' conference"), P.ROUND_TABLE, None, ("students", "youth"),
                 0.5, format=F.MIXED),
    ), at_house=0.5),
    Stream("diplomacy", ("peoples_diplomacy_centre", "friendship_ambassadors", "deputy_group"),
           90, 5_000, 0.1, (
        Template(("Халықтық дипломатия: шетелдік делегациямен кездесу",
                  "Народная дипломатия: встреча с зарубежной делегацией",
                  "People's diplomacy: meeting with a foreign delegation"), P.MEETING, None,
                 ("ethnocultural_associations",), 1),
        Template(("«Бір ел – бір мүдде» депутаттық тобының азаматтармен кездесуі",
                  "Встреча депутатской группы «Бір ел – бір мүдде» с гражданами",
                  "The deputy group «Bir El – Bir Mudde» meets citizens"), P.MEETING, None,
                 ("general_public",), 1),
    ), at_house=0.7),
)  # fmt: skip

DURATION_MINUTES: dict[str, tuple[int, int]] = {
    P.MEETING: (90, 150), P.FESTIVAL: (180, 360), P.TRAINING: (120, 240), P.COURSE: (90, 120),
    P.CONCERT: (90, 150), P.SPORTS: (180, 300), P.PREVENTION_TALK: (45, 90),
    P.CONSULTATION: (120, 240), P.VOLUNTEERING: (120, 240), P.EXHIBITION: (180, 300),
    P.ROUND_TABLE: (90, 150), P.COMPETITION: (120, 240),
}  # fmt: skip
WEEKEND_KINDS = {P.FESTIVAL, P.CONCERT, P.SPORTS, P.VOLUNTEERING, P.EXHIBITION}
START_HOURS = (9, 10, 10, 11, 11, 12, 14, 14, 15, 15, 16, 17)
DESCRIPTIONS: dict[str, Text3] = {
    P.MEETING: ("Ашық кездесу: сұрақтар, ұсыныстар және ортақ жоспарлар.",
                "Открытая встреча: вопросы, предложения и общие планы.",
                "An open meeting: questions, proposals and shared plans."),
    P.FESTIVAL: ("Ән, би, ұлттық тағамдар мен қолөнер — барлық тұрғындарға ашық мереке.",
                 "Песни, танцы, национальная кухня и ремесла — праздник для всех жителей.",
                 "Songs, dances, national cuisine and crafts: a celebration open to everyone."),
    P.TRAINING: ("Тәжірибелік сабақ: жаттығулар, талқылау және сертификат.",
                 "Практическое занятие: упражнения, обсуждение и сертификат.",
                 "A practical session: exercises, discussion and a certificate."),
    P.COURSE: ("Тегін сабақтар шағын топтарда, тәжірибелі оқытушылармен.",
               "Бесплатные занятия в небольших группах с опытными преподавателями.",
               "Free lessons in small groups with experienced teachers."),
    P.CONCERT: ("Шығармашылық ұжымдардың концерттік бағдарламасы. Кіру тегін.",
                "Концертная программа творческих коллективов. Вход свободный.",
                "A concert by creative collectives. Admission free."),
    P.SPORTS: ("Командалық жарыстар, марапаттау және жанкүйерлерге арналған ойындар.",
               "Командные соревнования, награждение и игры для болельщиков.",
               "Team competitions, awards and games for supporters."),
    P.PREVENTION_TALK: ("Құқық бұзушылықтың алдын алу, салауатты өмір салты және отбасы туралы "
                        "әңгіме.",
                        "Беседа о профилактике правонарушений, здоровом образе жизни и семье.",
                        "A talk on preventing offences, healthy living and the family."),
    P.CONSULTATION: ("Азаматтарға тегін кеңес: алдын ала жазылуға немесе келуге болады.",
                     "Бесплатные консультации для граждан: можно записаться или прийти.",
                     "Free advice for citizens: book a time or just come."),
    P.VOLUNTEERING: ("Еріктілер акциясы: көмектесуге келген әркімге қуаныштымыз.",
                     "Волонтерская акция: рады каждому, кто придет помочь.",
                     "A volunteering drive: everyone who comes to help is welcome."),
    P.EXHIBITION: ("Шеберлердің және балалардың жұмыстары, шеберлік сабақтары.",
                   "Работы мастеров и детей, мастер-классы.",
                   "Works by craftspeople and children, with workshops."),
    P.ROUND_TABLE: ("Сарапшылар, қоғам өкілдері мен мемлекеттік органдардың талқылауы.",
                    "Обсуждение с экспертами, общественностью и государственными органами.",
                    "A discussion with experts, the public and state bodies."),
    P.COMPETITION: ("Байқау: қатысушылар, қазылар алқасы және жүлделер.",
                    "Конкурс: участники, жюри и призы.",
                    "A contest with participants, a jury and prizes."),
}  # fmt: skip
OUTCOMES = (
    "Іс-шара жоспар бойынша өтті, қатысушылар ұсыныстар айтты.",
    "Мероприятие прошло по плану; участники внесли предложения.",
    "Қатысушыларға алғыс хаттар табысталды.",
    "Принято обращение к местным исполнительным органам.",
    "Определены темы следующих встреч.",
)


# ---------------------------------------------------------------------------------------------
# The plan (no database)
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class EventPlan:
    stream: int
    template: int
    number: int  # {n} of the title
    pick: float  # which body of the stream's kinds organises it
    region_pick: float  # region of an event of a national body
    venue_pick: float  # negative: not at a House of Friendship
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    created_at: datetime.datetime
    format: str
    languages: str
    accessibility: str
    status: str
    registration: bool
    capacity: int | None = None
    confirmed: int = 0  # confirmed places, checked-in ones included
    waitlisted: int = 0
    cancelled: int = 0
    checked_in: int = 0
    reported: int = 0  # people counted by the organiser beyond online check-in
    report: str = ""  # "", "held" or "not_held"
    report_at: datetime.datetime | None = None
    late: bool = False
    breakdown: bool = False
    co_organised: bool = False

    @property
    def counted(self) -> bool:
        """The figures count it: held, or reported as held."""
        return self.status == Event.Status.HELD or (
            self.status == Event.Status.REPORTED and self.report == "held"
        )

    @property
    def participants(self) -> int:
        """``participants_total`` as ``events.services._recount`` keeps it."""
        if self.report == "not_held":
            return 0
        return self.checked_in + (self.reported if self.report == "held" else 0)

    @property
    def registrations(self) -> int:
        return self.confirmed + self.waitlisted + self.cancelled


@dataclass
class EventPlanSet:
    events: list[EventPlan]
    year: int  # the previous full year
    today: datetime.date
    now: datetime.datetime


def scaled(target: int, scale: float) -> int:
    return max(1, round(target * scale))


def _size(rng: random.Random, mean: float) -> int:
    # Log-normal around the mean: most events small, a few large ones.
    sigma = 0.55
    return max(5, round(mean * rng.lognormvariate(0, sigma) / math.exp(sigma * sigma / 2)))


def _day(
    rng: random.Random, template: Template, start: datetime.date, end: datetime.date
) -> datetime.date:
    span = (end - start).days
    if template.dates:
        for _attempt in range(10):
            month, day = rng.choice(template.dates)
            for year in (start.year, end.year):
                candidate = datetime.date(year, month, day) + datetime.timedelta(
                    days=rng.choice((0, 0, 0, -1, 1, 2))
                )
                if start <= candidate <= end:
                    return candidate
    weekend = template.kind in WEEKEND_KINDS
    candidate = start
    for _attempt in range(20):
        candidate = start + datetime.timedelta(days=rng.randint(0, span))
        if template.months and candidate.month not in template.months:
            continue
        weekday = candidate.weekday()
        if weekday == 6 and not weekend and rng.random() < 0.9:
            continue
        if weekday == 5 and not weekend and rng.random() < 0.6:
            continue
        return candidate
    return candidate


def _languages(rng: random.Random, template: Template) -> str:
    if template.languages:
        return template.languages
    roll = rng.random()
    return (
        ",kk,ru," if roll < 0.45 else ",kk," if roll < 0.8 else ",ru,kk," if roll < 0.97 else ",ru,"
    )


def _accessibility(rng: random.Random, template: Template) -> str:
    if template.programme == "inclusive_assembly" or "disabilities" in template.audiences:
        return ",step_free,sign_language,easy_read,seats_reserved,"
    roll = rng.random()
    if roll < 0.35:
        return ",step_free,"
    if roll < 0.45:
        return ",step_free,accessible_toilet,"
    return ""


def _plan_stream(
    rng: random.Random,
    index: int,
    stream: Stream,
    count: int,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime,
    registration_factor: float,
) -> Iterator[EventPlan]:
    weights = [template.weight for template in stream.templates]
    mean = stream.participants / stream.events
    for _ in range(count):
        template_index = rng.choices(range(len(stream.templates)), weights)[0]
        template = stream.templates[template_index]
        day = _day(rng, template, start, end)
        minutes = rng.randint(*DURATION_MINUTES[template.kind])
        starts_at = datetime.datetime(
            day.year,
            day.month,
            day.day,
            rng.choice(START_HOURS),
            rng.choice((0, 0, 30)),
            tzinfo=ALMATY,
        )
        ends_at = starts_at + datetime.timedelta(minutes=minutes - minutes % 15)
        share = stream.registration if template.registration is None else template.registration
        registration = rng.random() < min(1.0, share * REGISTRATION_SHARE * registration_factor)
        size = _size(rng, mean)
        plan = EventPlan(
            stream=index,
            template=template_index,
            number=rng.randint(1, 60),
            pick=rng.random(),
            region_pick=rng.random(),
            venue_pick=rng.random() if rng.random() < stream.at_house else -1.0,
            starts_at=starts_at,
            ends_at=ends_at,
            created_at=starts_at
            - datetime.timedelta(days=rng.randint(10, 45), hours=rng.randint(0, 8)),
            format=template.format,
            languages=_languages(rng, template),
            accessibility=_accessibility(rng, template),
            status=Event.Status.PLANNED,
            registration=registration,
            co_organised=rng.random() < 0.15,
        )
        _decide(rng, plan, size, now)
        yield plan


def _decide(rng: random.Random, plan: EventPlan, size: int, now: datetime.datetime) -> None:
    """Status, registrations, attendance and report of one event, as of ``now``."""
    past = plan.ends_at <= now
    plan.status = Event.Status.PLANNED
    plan.capacity = None
    plan.confirmed = plan.waitlisted = plan.cancelled = plan.checked_in = plan.reported = 0
    plan.report, plan.report_at, plan.late, plan.breakdown = "", None, False, False
    if plan.registration:
        capacity = min(
            MAX_REGISTRATION_CAPACITY, max(15, int(round(size * rng.uniform(0.8, 1.3), -1)))
        )
        demand = round(min(size, MAX_REGISTRATION_CAPACITY) * rng.uniform(0.85, 1.35))
        if not past:
            # Places fill as the day comes near.
            days_ahead = (plan.starts_at - now).total_seconds() / 86400
            demand = round(demand * max(0.05, 1 - days_ahead / 70))
        plan.capacity = capacity
        plan.confirmed = min(capacity, demand)
        plan.waitlisted = max(0, demand - capacity)
        plan.cancelled = round(demand * rng.uniform(0.0, 0.08))
    roll = rng.random()
    if not past:
        if roll < 0.03:
            plan.status = Event.Status.CANCELLED
        elif plan.registration:
            plan.status = Event.Status.OPEN
        return
    if roll < 0.015:
        plan.status = Event.Status.CANCELLED
        return
    if plan.registration:
        plan.checked_in = round(plan.confirmed * rng.uniform(0.7, 0.95))
    if roll < 0.025:
        plan.status = Event.Status.REPORTED
        plan.report = "not_held"
        plan.checked_in = 0
    else:
        plan.report = "held"
        plan.reported = (
            round(size * rng.uniform(0.0, 0.25))
            if plan.registration and rng.random() < 0.5
            else 0
            if plan.registration
            else size
        )
        plan.breakdown = rng.random() < 0.3
    deadline = plan.ends_at + datetime.timedelta(days=settings.EVENT_REPORT_DAYS)
    late = rng.random() < 0.08
    delay = (
        datetime.timedelta(
            days=rng.randint(settings.EVENT_REPORT_DAYS + 1, 30), hours=rng.randint(0, 9)
        )
        if late
        else datetime.timedelta(
            days=rng.randint(0, settings.EVENT_REPORT_DAYS - 1), hours=rng.randint(1, 9)
        )
    )
    report_at = plan.ends_at + delay
    if report_at > now:
        # Not reported yet (recent, or overdue): counted only when attendance was taken online.
        plan.report = ""
        plan.reported = 0
        plan.breakdown = False
        plan.status = (
            Event.Status.HELD
            if plan.checked_in
            else Event.Status.OPEN
            if plan.registration
            else Event.Status.PLANNED
        )
        return
    overdue = 0.04 if now - plan.ends_at < datetime.timedelta(days=90) else 0.01
    if not late and rng.random() < overdue and now - deadline > datetime.timedelta(days=3):
        # A few overdue reports: the coordinator sees them as late.
        plan.report = ""
        plan.reported = 0
        plan.breakdown = False
        plan.status = Event.Status.HELD if plan.checked_in else Event.Status.PLANNED
        return
    plan.status = Event.Status.REPORTED
    plan.report_at = report_at
    plan.late = report_at > deadline


def _stream_rng(seed: int, label: str) -> random.Random:
    return random.Random(f"birlik-events:{seed}:{label}")


def _plan_period(
    seed: int,
    label: str,
    scale: float,
    share: float,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime,
    registration_factor: float,
) -> list[EventPlan]:
    plans: list[EventPlan] = []
    for index, stream in enumerate(STREAMS):
        rng = _stream_rng(seed, f"{label}:{stream.key}")
        count = max(1, round(stream.events * scale * share))
        plans.extend(_plan_stream(rng, index, stream, count, start, end, now, registration_factor))
    return plans


def _now_of(today: datetime.date) -> datetime.datetime:
    # "Now" is the end of the working day, so the plan depends on the date only.
    return datetime.datetime(today.year, today.month, today.day, 19, 0, tzinfo=ALMATY)


def plan_full_year(
    year: int, *, scale: float = 1.0, seed: int = 2025, registration_factor: float = 1.0
) -> list[EventPlan]:
    """Every event of a past calendar year: all of it has happened and nearly all is reported."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    far = _now_of(datetime.date(year + 1, 3, 1))
    return _plan_period(seed, str(year), scale, 1.0, start, end, far, registration_factor)


def build_event_plan(
    *,
    scale: float = 1.0,
    seed: int = 2025,
    today: datetime.date | None = None,
    registration_factor: float = 1.0,
) -> EventPlanSet:
    """The previous full year, and this year up to today plus the events planned ahead."""
    today = today or timezone.localdate()
    now = _now_of(today)
    year = today.year - 1
    events = plan_full_year(year, scale=scale, seed=seed, registration_factor=registration_factor)
    # The previous year's reports were all in by the time of the demo (unless today is early
    # January): replan its last weeks as of now.
    events = [event for event in events if event.ends_at <= now - datetime.timedelta(days=40)] + [
        event
        for event in _replan(events, now, seed)
        if event.ends_at > now - datetime.timedelta(days=40)
    ]
    start = datetime.date(today.year, 1, 1)
    end = today + datetime.timedelta(days=FUTURE_DAYS)
    share = GROWTH * ((end - start).days + 1) / 365
    events.extend(
        _plan_period(
            seed, f"{today.isoformat()}", scale, share, start, end, now, registration_factor
        )
    )
    return EventPlanSet(events=events, year=year, today=today, now=now)


def _replan(events: list[EventPlan], now: datetime.datetime, seed: int) -> list[EventPlan]:
    rng = _stream_rng(seed, f"late:{now.date().isoformat()}")
    recent = [event for event in events if event.ends_at > now - datetime.timedelta(days=40)]
    for event in recent:
        size = event.reported + event.checked_in or 20
        _decide(rng, event, size, now)
    return recent


def planned_event_counts(
    scale: float = 1.0, seed: int = 2025, year: int | None = None
) -> dict[str, int]:
    """The previous full year's figures the plan writes: events held, participants, by stream."""
    year = year or timezone.localdate().year - 1
    counts: Counter[str] = Counter()
    for event in plan_full_year(year, scale=scale, seed=seed):
        stream = STREAMS[event.stream].key
        counts["planned"] += 1
        counts["registrations"] += event.registrations
        counts["registration_events"] += event.registration
        if event.counted:
            programme = STREAMS[event.stream].templates[event.template].programme
            counts[f"programme_{programme or 'none'}_events"] += 1
            counts["events"] += 1
            counts["participants"] += event.participants
            counts[f"{stream}_events"] += 1
            counts[f"{stream}_participants"] += event.participants
        counts[f"status_{event.status}"] += 1
    return dict(counts)


# ---------------------------------------------------------------------------------------------
# Writing the plan
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    pk: int
    region_id: int | None
    district_id: int | None
    address: Text3


@dataclass
class Context:
    bodies: dict[str, list[Body]]  # by stream key
    places_region: dict[int, Text3]  # region id -> its centre
    places_district: dict[int, Text3]
    houses: dict[int, list[int]]  # region id -> ids of its Houses of Friendship
    region_ids: list[int]
    region_weights: list[float]
    programmes: dict[str, int]
    audiences: dict[str, int]


def _context() -> Context:
    from .plan import POPULATION

    regions = list(Region.objects.order_by("kato"))
    bodies: dict[str, list[Body]] = {}
    houses: dict[int, list[int]] = defaultdict(list)
    rows = (
        Organisation.objects.filter(status=Organisation.Status.ACTIVE)
        .order_by("path")
        .values_list(
            "pk", "kind__code", "region_id", "district_id", "address_kk", "address_ru", "address_en"
        )
    )
    by_kind: dict[str, list[Body]] = defaultdict(list)
    for pk, kind, region_id, district_id, kk, ru, en in rows:
        by_kind[kind].append(Body(pk, region_id, district_id, (kk or "", ru or "", en or "")))
        if kind == "house_of_friendship" and region_id is not None:
            houses[region_id].append(pk)
    for stream in STREAMS:
        bodies[stream.key] = [body for kind in stream.body_kinds for body in by_kind.get(kind, [])]
    return Context(
        bodies=bodies,
        places_region={
            r.pk: (r.centre_kk or "", r.centre_ru or "", r.centre_en or "")  # type: ignore[attr-defined]
            for r in regions
        },
        places_district={
            d.pk: (d.name_kk or "", d.name_ru or "", d.name_en or "")  # type: ignore[attr-defined]
            for d in District.objects.all()
        },
        houses=dict(houses),
        region_ids=[r.pk for r in regions],
        region_weights=[POPULATION.get(r.iso, 500) for r in regions],
        programmes=dict(Programme.objects.values_list("code", "id")),
        audiences=dict(Audience.objects.values_list("code", "id")),
    )


@dataclass
class People:
    """Citizens who register online: one participant key per person, computed once."""

    names: list[str]
    phones: list[str]
    emails: list[str]
    keys: list[str]
    languages: list[str]


def _people(count: int, seed: int) -> People:
    rng = _stream_rng(seed, "people")
    others = list(names.OTHER_NAMES.values())
    result = People([], [], [], [], [])
    seen: set[str] = set()
    from .plan import MOBILE_CODES

    while len(result.names) < count:
        female = rng.random() < 0.55
        roll = rng.random()
        if roll < 0.62:
            first = rng.choice(names.KAZAKH_FEMALE_FIRST if female else names.KAZAKH_MALE_FIRST)
            last = rng.choice(names.KAZAKH_SURNAMES)[1 if female else 0]
            language = "kk" if rng.random() < 0.75 else "ru"
        elif roll < 0.85:
            first = rng.choice(names.RUSSIAN_FEMALE_FIRST if female else names.RUSSIAN_MALE_FIRST)
            last = rng.choice(names.RUSSIAN_SURNAMES)[1 if female else 0]
            language = "ru"
        else:
            group = rng.choice(others)
            first = rng.choice(group["female" if female else "male"])
            last = rng.choice(group["surname_female" if female else "surname_male"])
            language = "ru" if rng.random() < 0.7 else "kk"
        phone = f"+77{rng.choice(MOBILE_CODES)}{rng.randint(0, 9_999_999):07d}"
        if phone in seen:
            continue
        seen.add(phone)
        email = f"user{len(result.names) + 1}@mail-demo.kz" if rng.random() < 0.3 else ""
        result.names.append(f"{last} {first}")
        result.phones.append(phone)
        result.emails.append(email)
        result.keys.append(participant_key(phone=phone, email=email))
        result.languages.append(language)
    return result


@dataclass
class EventTotals:
    events: int = 0
    registrations: int = 0
    reports: int = 0
    counts: Counter[str] = field(default_factory=Counter)


def _insert(model: type[models.Model], rows: Sequence[models.Model]) -> list[Any]:
    created: list[Any] = []
    for start in range(0, len(rows), BATCH_SIZE):
        created.extend(model._default_manager.bulk_create(rows[start : start + BATCH_SIZE]))
    return created


def _insert_rows(
    model: type[models.Model], names: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Plain ``executemany`` for the large tables: ``bulk_create`` spends most of its time
    compiling SQL per row. Values are adapted as the fields would adapt them."""
    if not rows:
        return
    fields = [cast(models.Field[Any, Any], model._meta.get_field(name)) for name in names]
    convert: list[Any] = []
    for model_field in fields:
        if isinstance(model_field, models.DateTimeField):
            convert.append(connection.ops.adapt_datetimefield_value)
        elif isinstance(model_field, models.JSONField):
            convert.append(lambda value, f=model_field: f.get_db_prep_save(value, connection))
        else:
            convert.append(None)
    if any(convert):
        rows = [
            tuple(value if c is None else c(value) for c, value in zip(convert, row, strict=True))
            for row in rows
        ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    if connection.vendor == "postgresql":
        # COPY is an order of magnitude faster than row-by-row INSERTs on PostgreSQL.
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3
            with raw.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(sql, rows[start : start + 10_000])


def _title(template: Template, plan: EventPlan, place: Text3) -> Text3:
    titles = tuple(text.format(n=plan.number) for text in template.title)
    if template.place and all(place):
        return (
            f"{titles[0]} — {place[0]}",
            f"{titles[1]} — {place[1]}",
            f"{titles[2]} — {place[2]}",
        )
    return titles  # type: ignore[return-value]


def events_write(
    plan_set: EventPlanSet, *, seed: int = 2025, progress: bool = False, people: int | None = None
) -> EventTotals:
    """Write the planned events with bulk inserts; counters match the rows written."""
    with translation.override("kk"):
        return _events_write(plan_set, seed=seed, progress=progress, people=people)


def _events_write(
    plan_set: EventPlanSet, *, seed: int, progress: bool, people: int | None
) -> EventTotals:
    context = _context()
    plans = plan_set.events
    total_rows = sum(1 + plan.registrations for plan in plans)
    pool_size = people or max(2000, min(400_000, sum(plan.registrations for plan in plans) // 3))
    pool = _people(pool_size, seed)
    rng = _stream_rng(seed, f"rows:{plan_set.today.isoformat()}")
    totals = EventTotals()
    with tqdm(
        total=total_rows,
        desc="Birlik demo events",
        unit=" rows",
        unit_scale=True,
        file=sys.stderr,
        disable=not progress,
        leave=progress,
    ) as bar:
        for start in range(0, len(plans), CHUNK):
            chunk = plans[start : start + CHUNK]
            _write_chunk(chunk, context, pool, rng, totals)
            bar.update(len(chunk) + sum(plan.registrations for plan in chunk))
    return totals


def _write_chunk(
    chunk: list[EventPlan], context: Context, pool: People, rng: random.Random, totals: EventTotals
) -> None:
    events: list[Event] = []
    for plan in chunk:
        stream = STREAMS[plan.stream]
        template = stream.templates[plan.template]
        candidates = context.bodies[stream.key]
        if not candidates:
            continue
        body = candidates[int(plan.pick * len(candidates))]
        region_id = body.region_id
        if region_id is None:
            region_id = context.region_ids[
                _weighted_index(context.region_weights, plan.region_pick)
            ]
        district_id = body.district_id if body.region_id is not None else None
        place = (
            context.places_district[district_id]
            if district_id is not None
            else context.places_region[region_id]
        )
        houses = context.houses.get(region_id, [])
        venue = (
            houses[int(plan.venue_pick * len(houses))]
            if plan.venue_pick >= 0 and houses and plan.format != Event.Format.ONLINE
            else None
        )
        if venue == body.pk and stream.key != "houses":
            venue = None
        address = (
            body.address if venue is None and plan.format != Event.Format.ONLINE else ("", "", "")
        )
        if venue is None and plan.format != Event.Format.ONLINE and not any(address):
            # A national body without its own address in the region: the region's House hosts it.
            venue = houses[0] if houses else None
        title = _title(template, plan, place)
        description = DESCRIPTIONS[template.kind]
        reported = plan.reported if plan.report == "held" else 0
        event = Event(
            organiser_id=body.pk,
            programme_id=context.programmes.get(template.programme) if template.programme else None,
            title_kk=title[0], title_ru=title[1], title_en=title[2],
            description_kk=description[0], description_ru=description[1],
            description_en=description[2],
            address_kk=address[0], address_ru=address[1], address_en=address[2],
            kind=template.kind,
            format=plan.format,
            region_id=region_id,
            district_id=district_id,
            venue_id=venue,
            online_url=(
                f"https://meet.assembly-demo.kz/e/{plan.number}{int(plan.pick * 1e6):06d}"
                if plan.format != Event.Format.IN_PERSON else ""
            ),
            starts_at=plan.starts_at,
            ends_at=plan.ends_at,
            languages=plan.languages,
            accessibility=plan.accessibility,
            capacity=plan.capacity,
            registration_required=plan.registration,
            status=plan.status,
            confirmed_count=plan.confirmed,
            waitlist_count=plan.waitlisted,
            attended_count=plan.checked_in,
            reported_count=reported,
            participants_total=plan.participants,
            created_at=plan.created_at,
            updated_at=plan.report_at or plan.created_at,
        )  # fmt: skip
        # Through the translated descriptors, in Kazakh (the default language).
        event.title = title[0]  # type: ignore[misc]
        event.description = description[0]  # type: ignore[misc]
        event.address = address[0]  # type: ignore[misc]
        event.refresh_search_text()  # bulk_create does not call save()
        event._demo_plan = plan  # type: ignore[attr-defined]
        event._demo_template = template  # type: ignore[attr-defined]
        event._demo_house = houses[0] if houses and houses[0] != body.pk else None  # type: ignore[attr-defined]
        events.append(event)
    events = _insert(Event, events)
    totals.events += len(events)

    audiences_through = Event.audiences.through
    co_through = Event.co_organisers.through
    links: list[tuple[Any, ...]] = []
    co_links: list[tuple[Any, ...]] = []
    reports: list[tuple[Any, ...]] = []
    registrations: list[tuple[Any, ...]] = []
    for event in events:
        plan = event._demo_plan  # type: ignore[attr-defined]
        template = event._demo_template  # type: ignore[attr-defined]
        for code in template.audiences:
            if code in context.audiences:
                links.append((event.pk, context.audiences[code]))
        house = event._demo_house  # type: ignore[attr-defined]
        if plan.co_organised and house is not None:
            co_links.append((event.pk, house))
        if plan.report:
            reports.append(_report(event, plan, template, rng))
        if plan.registrations:
            registrations.extend(_registrations(event, plan, pool, rng))
        totals.counts[plan.status] += 1
    _insert_rows(audiences_through, ("event", "audience"), links)
    _insert_rows(co_through, ("event", "organisation"), co_links)
    _insert_rows(EventReport, REPORT_COLUMNS, reports)
    _insert_rows(Registration, REGISTRATION_COLUMNS, registrations)
    totals.reports += len(reports)
    totals.registrations += len(registrations)


def _weighted_index(weights: list[float], u: float) -> int:
    target = u * sum(weights)
    running = 0.0
    for index, weight in enumerate(weights):
        running += weight
        if target < running:
            return index
    return len(weights) - 1


REPORT_COLUMNS = (
    "event", "held", "reported_count", "breakdown", "outcomes", "press_links", "submitted_by",
    "submitted_at", "is_late",
)  # fmt: skip
REGISTRATION_COLUMNS = (
    "event", "full_name", "phone", "email", "participant_key", "user", "language", "status",
    "source", "ticket_code", "consent_given_at", "created_at", "cancelled_at", "checked_in_at",
)  # fmt: skip


def _report(
    event: Event, plan: EventPlan, template: Template, rng: random.Random
) -> tuple[Any, ...]:
    held = plan.report == "held"
    breakdown: dict[str, int] = {}
    if held and plan.breakdown:
        people = plan.participants
        codes = list(template.audiences)
        if len(codes) == 1:
            breakdown = {codes[0]: people}
        else:
            first = round(people * rng.uniform(0.4, 0.8))
            breakdown = {codes[0]: first, codes[1]: people - first}
    return (
        event.pk,
        held,
        plan.reported if held else 0,
        {code: value for code, value in breakdown.items() if value},
        rng.choice(OUTCOMES) if held else "Іс-шара ауа райына байланысты өткізілмеді.",
        f"https://assembly-demo.kz/news/{event.pk}" if held and rng.random() < 0.3 else "",
        None,
        plan.report_at,
        plan.late,
    )


def _registrations(
    event: Event, plan: EventPlan, pool: People, rng: random.Random
) -> list[tuple[Any, ...]]:
    """The rows behind the counters: confirmed (some checked in), waitlisted, cancelled."""
    count = plan.registrations
    people = rng.sample(range(len(pool.names)), count)
    opened = plan.created_at
    span = max(
        60.0,
        (min(plan.starts_at, plan.report_at or plan.starts_at) - opened).total_seconds() - 3600,
    )
    # Registration times in order: the first come get the places, later ones the waiting list.
    moments = sorted(opened + datetime.timedelta(seconds=rng.uniform(0, span)) for _ in people)
    statuses = [Registration.Status.CONFIRMED] * plan.confirmed + [
        Registration.Status.WAITLISTED
    ] * plan.waitlisted
    cancelled = set(rng.sample(range(len(people)), min(plan.cancelled, len(people))))
    rows: list[tuple[Any, ...]] = []
    checked = plan.checked_in
    position = 0
    for index, person in enumerate(people):
        created = moments[index]
        if index in cancelled or position >= len(statuses):
            status = Registration.Status.CANCELLED
        else:
            status = statuses[position]
            position += 1
        checked_in_at = None
        if status == Registration.Status.CONFIRMED and checked > 0:
            checked -= 1
            checked_in_at = plan.starts_at + datetime.timedelta(minutes=rng.randint(-30, 20))
        rows.append(
            (
                event.pk,
                pool.names[person],
                pool.phones[person],
                pool.emails[person],
                pool.keys[person],
                None,
                pool.languages[person],
                str(status),
                "staff" if rng.random() < 0.08 else "online",
                secrets.token_urlsafe(16),
                created,
                created,
                (
                    created + datetime.timedelta(hours=rng.randint(1, 72))
                    if status == Registration.Status.CANCELLED
                    else None
                ),
                checked_in_at,
            )
        )
    return rows


def demo_events_seed(
    *,
    scale: float = 1.0,
    seed: int = 2025,
    today: datetime.date | None = None,
    progress: bool = False,
    registration_factor: float = 1.0,
) -> EventTotals:
    """Plan and write the activity (call inside a transaction, on a database with bodies)."""
    plan_set = build_event_plan(
        scale=scale, seed=seed, today=today, registration_factor=registration_factor
    )
    return events_write(plan_set, seed=seed, progress=progress)
