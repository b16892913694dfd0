"""The national demo network as plain data, computed from a seed without touching the database.

``build_plan`` decides every body, person and term of office; ``birlik.demo.services`` only
writes the plan. Keeping the two apart makes the data reproducible (same seed, same names) and
lets ``planned_counts`` state the national figures without creating anything.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from birlik.geo.loader import read_rows
from birlik.registry.iin import make_iin

from . import names

# Every date is relative to this day, never to the clock: the same seed gives the same data.
REFERENCE_DATE = datetime.date(2026, 1, 1)
LAST_DAY = REFERENCE_DATE - datetime.timedelta(days=1)
EMAIL_DOMAIN = "assembly-demo.kz"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4

# Regions where district assemblies started in 2025 (domain.md).
DISTRICT_ASSEMBLY_REGIONS = ("KZ-19", "KZ-31", "KZ-61", "KZ-33")

# Population in thousands (rounded, early 2025): weights for spreading bodies and people.
POPULATION = {
    "KZ-10": 600, "KZ-11": 780, "KZ-15": 930, "KZ-19": 1500, "KZ-23": 700, "KZ-27": 690,
    "KZ-31": 1220, "KZ-33": 700, "KZ-35": 1130, "KZ-39": 830, "KZ-43": 830, "KZ-47": 780,
    "KZ-55": 750, "KZ-59": 530, "KZ-61": 2100, "KZ-62": 220, "KZ-63": 720, "KZ-71": 1450,
    "KZ-75": 2250, "KZ-79": 1250,
}  # fmt: skip

# Targets at scale 1.0 (domain.md). Member targets count people with a current term.
TARGETS = {
    "national_associations": 20,
    "regional_associations": 380,
    "local_associations": 610,
    "elders_councils": 1230,
    "elders_members": 7150,
    "mothers_councils": 600,
    "mothers_members": 12100,
    "student_assemblies": 105,
    "youth_activists": 10100,
    "mediators": 330,
    "experts": 300,
    "creative_collectives": 150,
    "deputies": 35,
    "young_scientists": 40,
    "journalists": 80,
    "ambassadors": 60,
}
HOUSES_OF_FRIENDSHIP = 36
MEDIATION_CENTRES = 21
MEDIATION_COUNCILS = 21

# Ethnic codes of ``names.py`` -> codes of the EthnicGroup catalogue.
ETHNIC_CODES: dict[str, tuple[str, ...]] = {
    code: (code,) for code in names.ETHNIC_ADJECTIVES if code != "kazakh"
}
ETHNIC_CODES.update(
    {
        "turkish": ("turk",),
        "kurdish": ("kurd",),
        "polish": ("pole",),
        "karachay_balkar": ("karachay", "balkar"),
    }
)
# Associations that often unite two kindred peoples.
KINDRED = {"tatar": "bashkir", "bashkir": "tatar", "chechen": "ingush", "ingush": "chechen"}

# Whose name lists a person of each group gets (names.py has lists for the largest groups).
NAME_SOURCE = {
    "kazakh": "kazakh", "kyrgyz": "kazakh", "karakalpak": "kazakh",
    "uzbek": "uzbek", "tajik": "uzbek", "turk": "uzbek", "azerbaijani": "uzbek", "kurd": "uzbek",
    "chechen": "uzbek", "ingush": "uzbek", "lezgin": "uzbek",
    "ukrainian": "ukrainian", "uyghur": "uyghur", "dungan": "uyghur", "german": "german",
    "tatar": "tatar", "bashkir": "tatar", "karachay": "tatar", "balkar": "tatar",
    "korean": "korean",
}  # fmt: skip

VILLAGES: tuple[tuple[str, str, str], ...] = (
    ("Бірлік", "Бирлик", "Birlik"), ("Жаңаталап", "Жанаталап", "Zhanatalap"),
    ("Ақсу", "Аксу", "Aksu"), ("Қызылжар", "Кызылжар", "Kyzylzhar"),
    ("Достық", "Достык", "Dostyk"), ("Жаңаауыл", "Жанаауыл", "Zhanaauyl"),
    ("Көктерек", "Коктерек", "Kokterek"), ("Алғабас", "Алгабас", "Algabas"),
    ("Қарасу", "Карасу", "Karasu"), ("Ақжар", "Акжар", "Akzhar"), ("Береке", "Береке", "Bereke"),
    ("Ынтымақ", "Ынтымак", "Yntymak"), ("Қайнар", "Кайнар", "Kainar"),
    ("Шұбар", "Шубар", "Shubar"), ("Ақтоғай", "Актогай", "Aktogai"),
    ("Қаратөбе", "Каратобе", "Karatobe"), ("Көкөзек", "Кокозек", "Kokozek"),
    ("Тасқала", "Таскала", "Taskala"), ("Бозой", "Бозой", "Bozoi"),
    ("Жетіген", "Жетыген", "Zhetygen"), ("Сарыбұлақ", "Сарыбулак", "Sarybulak"),
    ("Қоғалы", "Когалы", "Kogaly"), ("Ақбұлақ", "Акбулак", "Akbulak"),
    ("Талапты", "Талапты", "Talapty"), ("Жаңатұрмыс", "Жанатурмыс", "Zhanaturmys"),
    ("Еңбек", "Енбек", "Enbek"), ("Қарабұлақ", "Карабулак", "Karabulak"),
    ("Майқайың", "Майкаин", "Maikain"), ("Шалқар", "Шалкар", "Shalkar"),
    ("Бескөл", "Бесколь", "Beskol"), ("Ақши", "Акши", "Akshi"),
    ("Жаңажол", "Жанажол", "Zhanazhol"), ("Қаракемер", "Каракемер", "Karakemer"),
    ("Үшқоңыр", "Ушконыр", "Ushkonyr"), ("Самсы", "Самсы", "Samsy"),
    ("Ескелді", "Ескельды", "Eskeldi"), ("Бақанас", "Баканас", "Bakanas"),
    ("Көксай", "Коксай", "Koksai"), ("Ащысай", "Ащисай", "Ashchysai"),
    ("Қызылту", "Кызылту", "Kyzyltu"),
)  # fmt: skip

MICRODISTRICTS: tuple[tuple[str, str, str], ...] = (
    ("Самал", "Самал", "Samal"), ("Айнабұлақ", "Айнабулак", "Ainabulak"),
    ("Жетісу", "Жетысу", "Zhetysu"), ("Орбита", "Орбита", "Orbita"),
    ("Шұғыла", "Шугыла", "Shugyla"), ("Көктем", "Коктем", "Koktem"),
    ("Алмагүл", "Алмагуль", "Almagul"), ("Мамыр", "Мамыр", "Mamyr"),
    ("Қарасай", "Карасай", "Karasai"), ("Нұрсат", "Нурсат", "Nursat"),
    ("Ақсай", "Аксай", "Aksai"), ("Төлеби", "Толеби", "Tolebi"),
    ("Жұлдыз", "Жулдыз", "Zhuldyz"), ("Сайран", "Сайран", "Sairan"),
    ("Шапағат", "Шапагат", "Shapagat"), ("Құрылысшы", "Курылысшы", "Kurylysshy"),
    ("Өркен", "Оркен", "Orken"), ("Тұран", "Туран", "Turan"), ("Ұлжан", "Улжан", "Ulzhan"),
    ("Нұркент", "Нуркент", "Nurkent"), ("Арай", "Арай", "Arai"),
    ("Болашақ", "Болашак", "Bolashak"), ("Восток", "Восток", "Vostok"),
    ("Жастар", "Жастар", "Zhastar"),
)  # fmt: skip

# (kk, ru genitive, en) of college profiles; «жоғары» / «высшего» / "Higher" doubles them.
COLLEGE_PROFILES: tuple[tuple[str, str, str], ...] = (
    ("педагогикалық", "педагогического", "Pedagogical"),
    ("медициналық", "медицинского", "Medical"),
    ("политехникалық", "политехнического", "Polytechnic"),
    ("гуманитарлық", "гуманитарного", "Humanities"),
    ("аграрлық-техникалық", "аграрно-технического", "Agrotechnical"),
    ("құрылыс-техникалық", "строительно-технического", "Construction"),
    ("экономикалық", "экономического", "Economics"),
    ("музыкалық", "музыкального", "Music"),
    ("көлік-коммуникациялық", "транспортно-коммуникационного", "Transport and Communications"),
)

NATIONAL_ASSOCIATION_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    (
        "Республикалық {people_kk} этномәдени орталығы",
        "Республиканский {people_ru[adj_m]} этнокультурный центр",
        "Republican {people_en} Ethnocultural Centre",
    ),
    (
        "Республикалық {people_kk} этномәдени бірлестігі",
        "Республиканское {people_ru[adj_n]} этнокультурное объединение",
        "Republican {people_en} Ethnocultural Association",
    ),
)

Text3 = tuple[str, str, str]

DESCRIPTIONS: dict[str, Text3] = {
    "secretariat": (
        "Қазақстан халқы Ассамблеясының жұмысын үйлестіреді, сессияларын әзірлейді және "
        "өңірлік құрылымдармен байланыс жасайды.",
        "Координирует работу Ассамблеи народа Казахстана, готовит ее сессии и поддерживает "
        "связь с региональными структурами.",
        "Coordinates the work of the Assembly of People of Kazakhstan, prepares its sessions "
        "and keeps in touch with the regional bodies.",
    ),
    "regional_assembly": (
        "Өңірдегі этносаралық келісімді нығайту жұмысын үйлестіреді, этномәдени бірлестіктерді, "
        "ақсақалдар және аналар кеңестерін біріктіреді.",
        "Координирует работу по укреплению межэтнического согласия в регионе, объединяет "
        "этнокультурные объединения, советы аксакалов и советы матерей.",
        "Coordinates the work for interethnic accord in the region and brings together "
        "ethnocultural associations, councils of elders and mothers' councils.",
    ),
    "district_assembly": (
        "2025 жылы құрылған аудандық ассамблея аудан мен ауылдардағы қоғамдық келісім "
        "мәселелерімен айналысады.",
        "Районная ассамблея, созданная в 2025 году, занимается вопросами общественного "
        "согласия в районе и его селах.",
        "District assembly set up in 2025; works on public accord in the district and its "
        "villages.",
    ),
    "public_accord_institution": (
        "Ассамблеяның өңірдегі жұмысын ұйымдастырушылық және әдістемелік тұрғыдан қамтамасыз "
        "ететін мемлекеттік мекеме.",
        "Государственное учреждение, которое обеспечивает организационную и методическую "
        "поддержку работы Ассамблеи в регионе.",
        "State institution giving organisational and methodological support to the work of "
        "the Assembly in the region.",
    ),
    "house_of_friendship": (
        "Тіл курстары, мәдени іс-шаралар, жастар жобалары, этномәдени бірлестіктердің "
        "кездесулері және медиация бойынша кеңестер өтетін орталық.",
        "Центр, где проходят языковые курсы, культурные мероприятия, молодежные проекты, "
        "встречи этнокультурных объединений и консультации по медиации.",
        "A hub for language courses, cultural events, youth projects, meetings of "
        "ethnocultural associations and mediation advice.",
    ),
    "ethnocultural_association": (
        "Ана тілін, мәдениет пен дәстүрді сақтайды және дамытады, мүшелеріне мемлекеттік "
        "тілді үйренуге көмектеседі.",
        "Сохраняет и развивает родной язык, культуру и традиции, помогает своим членам "
        "изучать государственный язык.",
        "Keeps and develops its native language, culture and traditions and helps its members "
        "learn the state language.",
    ),
    "elders_council": (
        "Ақсақалдар отбасылық және тұрмыстық дауларды шешуге көмектеседі, жастармен кездеседі, "
        "жергілікті билікке ұсыныстар жолдайды.",
        "Аксакалы помогают разрешать семейные и бытовые споры, встречаются с молодежью и "
        "направляют предложения местным органам власти.",
        "Elders help settle family and everyday disputes, meet young people and send "
        "proposals to local authorities.",
    ),
    "mothers_council": (
        "Отбасы құндылықтарын нығайтады, мектептерде, колледждерде және әскери бөлімдерде "
        "алдын алу жұмысын жүргізеді.",
        "Укрепляет семейные ценности, проводит профилактическую работу в школах, колледжах и "
        "воинских частях.",
        "Strengthens family values and runs prevention work in schools, colleges and military "
        "units.",
    ),
    "youth_movement": (
        "Ел бірлігін нығайтуға арналған жастар жобаларын біріктіретін республикалық қозғалыс.",
        "Республиканское движение, объединяющее молодежные проекты в поддержку единства страны.",
        "National movement bringing together youth projects that support the unity of the country.",
    ),
    "youth_branch": (
        "Өңірдегі жас белсенділерді, еріктілерді және студенттік ассамблеяларды біріктіреді.",
        "Объединяет молодых активистов, волонтеров и студенческие ассамблеи региона.",
        "Brings together young activists, volunteers and student assemblies of the region.",
    ),
    "student_assembly": (
        "Оқу орнындағы студенттердің этносаралық достық және еріктілік жобаларын ұйымдастырады.",
        "Организует проекты студентов учебного заведения по межэтнической дружбе и волонтерству.",
        "Organises students' projects on interethnic friendship and volunteering.",
    ),
    "deputy_group": (
        "Этносаралық келісім мәселелерімен айналысатын Парламент және мәслихат депутаттарының "
        "тобы.",
        "Группа депутатов Парламента и маслихатов, работающих над вопросами межэтнического "
        "согласия.",
        "Group of members of Parliament and of local councils (maslikhats) working on "
        "interethnic accord.",
    ),
    "charity_centre": (
        "Аз қамтылған отбасыларға, төтенше жағдайдан зардап шеккендерге, ауыл мектептері мен "
        "егде жастағы адамдарға нақты көмек ұйымдастырады.",
        "Организует адресную помощь малообеспеченным семьям, пострадавшим от чрезвычайных "
        "ситуаций, сельским школам и пожилым людям.",
        "Arranges targeted help for low-income families, people hit by emergencies, rural "
        "schools and older people.",
    ),
    "mediation_centre": (
        "Отбасылық, еңбек және тұрмыстық дауларды сотқа жеткізбей, бейбіт жолмен шешуге "
        "көмектеседі.",
        "Помогает мирно урегулировать семейные, трудовые и бытовые споры, не доводя их до суда.",
        "Helps settle family, labour and everyday disputes peacefully, before they reach court.",
    ),
    "mediation_council": (
        "Өңірдегі медиаторлардың жұмысын үйлестіреді және олардың біліктілігін арттыруды "
        "ұйымдастырады.",
        "Координирует работу медиаторов региона и организует повышение их квалификации.",
        "Coordinates the mediators of the region and organises their further training.",
    ),
    "scientific_expert_council": (
        "Қоғамдағы үрдістер мен тәуекелдерді зерттейтін ғалымдар мен сарапшылардың желісі.",
        "Сеть ученых и экспертов, изучающих общественные тенденции и риски.",
        "Network of researchers and experts who study social trends and risks.",
    ),
    "scientific_expert_group": (
        "Өңірдегі этносаралық қатынастарды зерттейді және сараптамалық қорытындылар дайындайды.",
        "Изучает межэтнические отношения в регионе и готовит экспертные заключения.",
        "Studies interethnic relations in the region and prepares expert opinions.",
    ),
    "young_scientists_club": (
        "Этносаралық қатынастарды зерттейтін жас ғалымдардың клубы.",
        "Клуб молодых ученых, изучающих межэтнические отношения.",
        "Club of young researchers who study interethnic relations.",
    ),
    "apk_academy": (
        "Достық үйлерінің қызметкерлері мен этномәдени бірлестіктердің мүшелерін жыл сайын "
        "оқытады.",
        "Ежегодно обучает сотрудников домов дружбы и членов этнокультурных объединений.",
        "Trains the staff of Houses of Friendship and members of ethnocultural associations "
        "every year.",
    ),
    "university_department": (
        "Университеттегі этносаралық қатынастар мен қоғамдық келісім бойынша оқыту және "
        "зерттеу орталығы.",
        "Центр обучения и исследований по межэтническим отношениям и общественному согласию "
        "в университете.",
        "University centre for teaching and research on interethnic relations and public accord.",
    ),
    "journalists_club": (
        "Ұлттық және өңірлік БАҚ журналистері мен блогерлерді біріктіреді, оқыту "
        "іс-шараларын өткізеді.",
        "Объединяет журналистов и блогеров национальных и региональных СМИ, проводит "
        "обучающие мероприятия.",
        "Brings together journalists and bloggers of national and regional media and runs "
        "training events.",
    ),
    "peoples_diplomacy_centre": (
        "Халықаралық ұйымдармен, парламенттермен және зерттеу орталықтарымен байланыстарды "
        "дамытады.",
        "Развивает связи с международными организациями, парламентами и исследовательскими "
        "центрами.",
        "Develops ties with international organisations, parliaments and research centres.",
    ),
    "friendship_ambassadors": (
        "Қазақстанның этносаралық келісім тәжірибесін шетелде таныстыратын достық елшілері.",
        "Послы дружбы, которые представляют за рубежом опыт межэтнического согласия Казахстана.",
        "Friendship ambassadors who present Kazakhstan's experience of interethnic accord abroad.",
    ),
    "creative_collective": (
        "Фестивальдерге, концерттерге және мерекелік іс-шараларға қатысатын шығармашылық ұжым.",
        "Творческий коллектив, который выступает на фестивалях, концертах и праздниках.",
        "Creative collective performing at festivals, concerts and celebrations.",
    ),
}
DESCRIPTIONS["city_assembly"] = DESCRIPTIONS["regional_assembly"]

KIND_SLUGS = {
    "secretariat": "secretariat", "regional_assembly": "assembly", "city_assembly": "assembly",
    "district_assembly": "district-assembly", "public_accord_institution": "kelisim",
    "house_of_friendship": "dostyk-uii", "ethnocultural_association": "etno",
    "elders_council": "aksakal", "mothers_council": "analar", "youth_movement": "zhastary",
    "youth_branch": "zhastary", "student_assembly": "student", "deputy_group": "bir-el",
    "charity_centre": "zhomart-zhan", "mediation_centre": "mediation",
    "mediation_council": "mediation-council", "scientific_expert_council": "ses",
    "scientific_expert_group": "ses", "young_scientists_club": "young-scientists",
    "apk_academy": "academy", "university_department": "kafedra",
    "journalists_club": "journalists", "peoples_diplomacy_centre": "diplomacy",
    "friendship_ambassadors": "ambassadors", "creative_collective": "creative",
}  # fmt: skip

MOBILE_CODES = ("00", "01", "02", "05", "07", "08", "47", "71", "75", "76", "77", "78")
PERSON_PHONE_SHARE = 0.4
IIN_SHARE = 0.5


# ---------------------------------------------------------------------------------------------
# Territory
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionInfo:
    iso: str
    kato: str
    kind: str
    name: Text3
    centre: Text3


@dataclass(frozen=True)
class DistrictInfo:
    kato: str
    region_iso: str
    kind: str
    name: Text3


@dataclass(frozen=True)
class Territory:
    regions: tuple[RegionInfo, ...]
    districts: tuple[DistrictInfo, ...]

    @classmethod
    def of(cls, regions: Iterable[RegionInfo], districts: Iterable[DistrictInfo]) -> Territory:
        return cls(
            regions=tuple(sorted(regions, key=lambda r: r.kato)),
            districts=tuple(sorted(districts, key=lambda d: d.kato)),
        )


def territory_from_files() -> Territory:
    """The shipped territory files, the same data the geo migration loads."""
    regions = [
        RegionInfo(
            iso=row["iso"],
            kato=row["kato"],
            kind=row["kind"],
            name=(row["name_kk"], row["name_ru"], row["name_en"]),
            centre=(row["centre_kk"], row["centre_ru"], row["centre_en"]),
        )
        for row in read_rows("regions.csv")
    ]
    districts = [
        DistrictInfo(
            kato=row["kato"],
            region_iso=row["region_iso"],
            kind=row["kind"],
            name=(row["name_kk"], row["name_ru"], row["name_en"]),
        )
        for row in read_rows("districts.csv")
    ]
    return Territory.of(regions, districts)


def ethnic_weights() -> dict[str, float]:
    """Population of each group in the 2021 census (a small default where it is not given)."""
    path = Path(__file__).resolve().parents[1] / "registry" / "data" / "ethnic_groups.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: float(row["population_2021"] or 12000)
            for row in csv.DictReader(handle)
            if row["code"] != "other"
        }


# ---------------------------------------------------------------------------------------------
# Kazakh grammar for generated names
# ---------------------------------------------------------------------------------------------

_KK_BACK = "аоұыя"
_KK_FRONT = "әеөүіэи"


def kk_genitive(phrase: str) -> str:
    """«Абай ауданы» -> «Абай ауданының», «Семей» -> «Семейдің» (vowel harmony, final sound)."""
    word = phrase.split()[-1].lower()
    back = True
    for ch in reversed(word):
        if ch in _KK_BACK or ch in _KK_FRONT:
            back = ch in _KK_BACK
            break
    last = word[-1]
    if last in "аәеоөұүыіэя" or last in "мнң":
        stem = "н"
    elif last in "лрйузжи":
        stem = "д"
    else:
        stem = "т"
    return phrase + stem + ("ың" if back else "ің")


# ---------------------------------------------------------------------------------------------
# Places: the territory a body serves, with the forms its names and addresses need
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    iso: str | None
    kato: str | None
    kk_gen: str  # «Павлодар облысының»
    kk_nom: str  # «Павлодар облысы»
    ru: str  # «Павлодарской области», «(Абайский район)», «города Экибастуз»
    en: str  # "Pavlodar Region"
    address: Text3  # templates with {street_kk} {street_ru} {street_en} {number}
    note: Text3 = ("", "", "")  # « (Абай ауданы)» after names of places below a district

    def name(self, kk: str, ru: str, en: str) -> Text3:
        return (
            f"{self.kk_gen} {kk}{self.note[0]}",
            f"{ru} {self.ru}{self.note[1]}",
            f"{en} of {self.en}{self.note[2]}",
        )


def region_place(region: RegionInfo) -> Place:
    kk_nom, ru_gen, en = names.ASSOCIATION_PLACES.get(
        region.iso, (region.name[0], f"({region.name[1]})", region.name[2])
    )
    centre_kk, centre_ru, centre_en = region.centre
    return Place(
        iso=region.iso,
        kato=None,
        kk_gen=kk_genitive(kk_nom),
        kk_nom=kk_nom,
        ru=ru_gen,
        en=en,
        address=(
            f"{centre_kk} қ., {{street_kk}}, {{number}}",
            f"г. {centre_ru}, {{street_ru}}, {{number}}",
            f"{{number}} {{street_en}}, {centre_en}",
        ),
    )


def district_place(district: DistrictInfo, region: RegionInfo) -> Place:
    kk, ru, en = district.name
    centre_kk, centre_ru, centre_en = region.centre
    if district.kind == "city":
        return Place(
            iso=region.iso,
            kato=district.kato,
            kk_gen=f"{kk} қаласының",
            kk_nom=f"{kk} қаласы",
            ru=f"города {ru}",
            en=en,
            address=(
                f"{kk} қ., {{street_kk}}, {{number}}",
                f"г. {ru}, {{street_ru}}, {{number}}",
                f"{{number}} {{street_en}}, {en}",
            ),
        )
    if district.kind == "city_district":
        return Place(
            iso=region.iso,
            kato=district.kato,
            kk_gen=kk_genitive(f"{centre_kk} қаласы {kk}"),
            kk_nom=f"{centre_kk} қаласы {kk}",
            ru=f"({ru}, г. {centre_ru})",
            en=f"{en}, {centre_en}",
            address=(
                f"{centre_kk} қ., {kk}, {{street_kk}}, {{number}}",
                f"г. {centre_ru}, {ru}, {{street_ru}}, {{number}}",
                f"{{number}} {{street_en}}, {en}, {centre_en}",
            ),
        )
    return Place(
        iso=region.iso,
        kato=district.kato,
        kk_gen=kk_genitive(kk),
        kk_nom=kk,
        ru=f"({ru})",
        en=en,
        address=(
            f"{kk}, {{street_kk}}, {{number}}",
            f"{ru}, {{street_ru}}, {{number}}",
            f"{{number}} {{street_en}}, {en}",
        ),
    )


def village_place(district: Place, district_name: Text3, village: Text3) -> Place:
    kk, ru, en = village
    return Place(
        iso=district.iso,
        kato=district.kato,
        kk_gen=f"{kk} ауылдық округінің",
        kk_nom=f"{kk} ауылдық округі",
        ru=f"сельского округа {ru}",
        en=f"{en} Rural District",
        address=(
            f"{district_name[0]}, {kk} ауылы, {{street_kk}}, {{number}}",
            f"{district_name[1]}, с. {ru}, {{street_ru}}, {{number}}",
            f"{{number}} {{street_en}}, {en} village, {district_name[2]}",
        ),
        note=(f" ({district_name[0]})", f" ({district_name[1]})", f" ({district_name[2]})"),
    )


def microdistrict_place(district: Place, district_name: Text3, micro: Text3) -> Place:
    kk, ru, en = micro
    return Place(
        iso=district.iso,
        kato=district.kato,
        kk_gen=f"{kk} шағын ауданының",
        kk_nom=f"{kk} шағын ауданы",
        ru=f"микрорайона {ru}",
        en=f"{en} Microdistrict",
        address=(
            district.address[0].replace("{street_kk}", f"{kk} шағын ауданы"),
            district.address[1].replace("{street_ru}", f"мкр. {ru}"),
            district.address[2].replace("{street_en}", f"{en} Microdistrict"),
        ),
        note=(f" ({district_name[0]})", f" ({district_name[1]})", f" ({district_name[2]})"),
    )


def school_place(district: Place, district_name: Text3, number: int) -> Place:
    return Place(
        iso=district.iso,
        kato=district.kato,
        kk_gen=f"№ {number} жалпы білім беретін мектептің",
        kk_nom=f"№ {number} жалпы білім беретін мектеп",
        ru=f"общеобразовательной школы № {number}",
        en=f"Secondary School No. {number}",
        address=district.address,
        note=(f" ({district_name[0]})", f" ({district_name[1]})", f" ({district_name[2]})"),
    )


# ---------------------------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class BodyPlan:
    kind: str
    parent: int | None
    name: Text3
    description: Text3
    address: Text3
    region: str | None  # ISO code
    district: str | None  # KATO code
    phone: str
    email: str
    founded_on: datetime.date
    closed_on: datetime.date | None = None
    ethnic_groups: tuple[str, ...] = ()
    children: list[int] = field(default_factory=list)
    path: str = ""


@dataclass(slots=True)
class PersonPlan:
    last_name: str
    first_name: str
    patronymic: str
    sex: str
    birth_date: datetime.date
    iin: str | None
    phone: str
    registered_by: int
    consent_on: datetime.date | None = None


@dataclass(slots=True)
class TermPlan:
    person: int
    body: int
    role: str
    start_date: datetime.date
    end_date: datetime.date | None = None


@dataclass
class Plan:
    bodies: list[BodyPlan]
    people: list[PersonPlan]
    terms: list[TermPlan]
    marks: dict[str, int]  # bodies the demo logins are granted on

    def fingerprint(self) -> str:
        """A short digest of every name, to show two runs made the same network."""
        digest = hashlib.sha256()
        for body in self.bodies:
            digest.update("|".join((body.path, *body.name)).encode())
        for person in self.people:
            digest.update(f"{person.last_name} {person.first_name} {person.birth_date}".encode())
        return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Profile:
    born_from: int
    born_to: int
    female_share: float


ELDER = Profile(1940, 1964, 0.1)
MOTHER = Profile(1962, 1996, 1.0)
YOUTH = Profile(1996, 2008, 0.55)
ADULT = Profile(1958, 1996, 0.5)
SCHOLAR = Profile(1950, 1990, 0.45)
YOUNG_SCHOLAR = Profile(1988, 2000, 0.5)


def scaled(target: int, scale: float, minimum: int) -> int:
    return max(minimum, round(target * scale))


def allocate(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each at least ``minimum``
    when the total allows it."""
    count = len(weights)
    if count == 0:
        return []
    if total < minimum * count:
        order = sorted(range(count), key=lambda i: -weights[i])
        result = [0] * count
        for position, index in enumerate(order):
            result[index] = minimum if total >= minimum * (position + 1) else 0
        return result
    rest = total - minimum * count
    weight_sum = sum(weights) or 1.0
    quotas = [rest * w / weight_sum for w in weights]
    result = [minimum + int(q) for q in quotas]
    left = total - sum(result)
    by_fraction = sorted(range(count), key=lambda i: (-(quotas[i] - int(quotas[i])), i))
    for index in by_fraction[:left]:
        result[index] += 1
    return result


class _Builder:
    def __init__(self, territory: Territory, scale: float, seed: int) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.territory = territory
        self.regions = {r.iso: r for r in territory.regions}
        self.region_places = {r.iso: region_place(r) for r in territory.regions}
        self.district_places = {
            d.kato: district_place(d, self.regions[d.region_iso])
            for d in territory.districts
            if d.region_iso in self.regions
        }
        self.districts_by_region: dict[str, list[DistrictInfo]] = {iso: [] for iso in self.regions}
        for district in territory.districts:
            if district.region_iso in self.districts_by_region:
                self.districts_by_region[district.region_iso].append(district)
        self.weights = ethnic_weights()
        self.bodies: list[BodyPlan] = []
        self.people: list[PersonPlan] = []
        self.terms: list[TermPlan] = []
        self.marks: dict[str, int] = {}
        self.used_iins: set[str] = set()
        self.iin_serial = 0
        self.email_seq: Counter[str] = Counter()
        self.used_local_places: dict[str, set[str]] = {}
        self.ethnic_tables: dict[str, tuple[list[str], list[float]]] = {}
        self.district_info = {d.kato: d for d in territory.districts}

    # -- small helpers ------------------------------------------------------------------------

    def region_weight(self, iso: str) -> float:
        return float(POPULATION.get(iso, 500))

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        if end <= start:
            return start
        return datetime.date.fromordinal(self.rng.randint(start.toordinal(), end.toordinal()))

    def founded(self, first_year: int, last_year: int, parent: int | None) -> datetime.date:
        day = self.date_between(datetime.date(first_year, 1, 1), datetime.date(last_year, 12, 31))
        # A body is not older than its parent, except councils that district assemblies (new in
        # 2025) took under their wing.
        if parent is not None and self.bodies[parent].kind != "district_assembly":
            day = max(day, self.bodies[parent].founded_on)
        return min(day, LAST_DAY)

    def phone(self) -> str:
        rng = self.rng
        return (
            f"+7 7{rng.choice(MOBILE_CODES)} {rng.randint(100, 999)} "
            f"{rng.randint(10, 99)} {rng.randint(10, 99)}"
        )

    def email(self, kind: str, iso: str | None) -> str:
        stem = KIND_SLUGS.get(kind, "body") + (f".{iso.lower().replace('-', '')}" if iso else "")
        self.email_seq[stem] += 1
        number = self.email_seq[stem]
        return f"{stem}{'' if number == 1 else f'.{number}'}@{EMAIL_DOMAIN}"

    def address(self, place: Place | None) -> Text3:
        if place is None:
            place = self.region_places.get("KZ-71") or next(iter(self.region_places.values()))
        street_kk, street_ru, street_en = self.rng.choice(names.STREET_NAMES)
        number = self.rng.randint(1, 180)
        values = {
            "street_kk": street_kk,
            "street_ru": street_ru,
            "street_en": street_en,
            "number": number,
        }
        kk, ru, en = place.address
        return kk.format(**values), ru.format(**values), en.format(**values)

    def body(
        self,
        kind: str,
        parent: int | None,
        name: Text3,
        *,
        place: Place | None,
        founded: tuple[int, int],
        ethnic_groups: tuple[str, ...] = (),
    ) -> int:
        region = place.iso if place is not None else None
        district = place.kato if place is not None else None
        self.bodies.append(
            BodyPlan(
                kind=kind,
                parent=parent,
                name=name,
                description=DESCRIPTIONS[kind],
                address=self.address(place),
                region=region,
                district=district,
                phone=self.phone(),
                email=self.email(kind, region),
                founded_on=self.founded(founded[0], founded[1], parent),
                ethnic_groups=ethnic_groups,
            )
        )
        return len(self.bodies) - 1

    def ethnicity(self, iso: str | None) -> str:
        """A plausible ethnic group for a person living in ``iso``."""
        key = iso or ""
        if key not in self.ethnic_tables:
            weights = dict(self.weights)
            north = {"KZ-55", "KZ-59", "KZ-39", "KZ-11", "KZ-35", "KZ-63", "KZ-71", "KZ-10"}
            south = {"KZ-61", "KZ-79", "KZ-31", "KZ-43", "KZ-19", "KZ-33"}
            west = {"KZ-15", "KZ-23", "KZ-27", "KZ-47"}
            if key in north:
                for code, factor in (("russian", 2.2), ("ukrainian", 2.5), ("german", 2.5)):
                    weights[code] = weights.get(code, 0.0) * factor
            elif key in south:
                for code, factor in (("russian", 0.35), ("uzbek", 3.0), ("uyghur", 2.0)):
                    weights[code] = weights.get(code, 0.0) * factor
            elif key in west:
                weights["russian"] = weights.get("russian", 0.0) * 0.5
            if key in {"KZ-19", "KZ-33", "KZ-75"}:
                weights["uyghur"] = weights.get("uyghur", 0.0) * 3.0
                weights["korean"] = weights.get("korean", 0.0) * 2.0
            codes = list(weights)
            total = 0.0
            cumulative = []
            for code in codes:
                total += weights[code]
                cumulative.append(total)
            self.ethnic_tables[key] = (codes, cumulative)
        codes, cumulative = self.ethnic_tables[key]
        return self.rng.choices(codes, cum_weights=cumulative)[0]

    def full_name(self, ethnic: str, female: bool) -> tuple[str, str, str]:
        rng = self.rng
        source = NAME_SOURCE.get(ethnic, "russian")
        if source == "kazakh":
            first = rng.choice(names.KAZAKH_FEMALE_FIRST if female else names.KAZAKH_MALE_FIRST)
            last = rng.choice(names.KAZAKH_SURNAMES)[1 if female else 0]
            father = rng.choice(names.KAZAKH_PATRONYMIC_ROOTS)
            return last, first, names.kazakh_patronymic(father, female)
        if source == "russian":
            first = rng.choice(names.RUSSIAN_FEMALE_FIRST if female else names.RUSSIAN_MALE_FIRST)
            last = rng.choice(names.RUSSIAN_SURNAMES)[1 if female else 0]
            father = rng.choice(names.RUSSIAN_MALE_FIRST)
            return last, first, names.russian_patronymic(father, female)
        lists = names.OTHER_NAMES[source]
        first = rng.choice(lists["female" if female else "male"])
        last = rng.choice(lists["surname_female" if female else "surname_male"])
        father = rng.choice(lists["male"])
        return last, first, names.russian_patronymic(father, female)

    def iin(self, birth: datetime.date, sex: str) -> str | None:
        for _attempt in range(50):
            self.iin_serial += 1
            value = make_iin(birth, sex, self.iin_serial)
            if value is not None and value not in self.used_iins:
                self.used_iins.add(value)
                return value
        return None

    def person(self, body: int, profile: Profile, ethnic: str | None = None) -> int:
        rng = self.rng
        iso = self.bodies[body].region
        ethnic = ethnic or self.ethnicity(iso)
        female = rng.random() < profile.female_share
        last, first, patronymic = self.full_name(ethnic, female)
        birth = self.date_between(
            datetime.date(profile.born_from, 1, 1), datetime.date(profile.born_to, 12, 31)
        )
        sex = "f" if female else "m"
        iin = self.iin(birth, sex) if rng.random() < IIN_SHARE else None
        phone = self.phone() if rng.random() < PERSON_PHONE_SHARE else ""
        self.people.append(
            PersonPlan(
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                sex=sex,
                birth_date=birth,
                iin=iin,
                phone=phone,
                registered_by=body,
            )
        )
        return len(self.people) - 1

    def term(
        self,
        person: int,
        body: int,
        role: str,
        *,
        start: datetime.date | None = None,
        end: datetime.date | None = None,
    ) -> TermPlan:
        organisation = self.bodies[body]
        birth = self.people[person].birth_date
        adult = datetime.date(birth.year + 16, birth.month, min(birth.day, 28))
        earliest = max(organisation.founded_on, adult)
        latest = organisation.closed_on or LAST_DAY
        if start is None:
            start = self.date_between(earliest, latest)
        start = min(max(start, earliest), latest)
        if end is not None:
            end = max(end, start)
        term = TermPlan(person=person, body=body, role=role, start_date=start, end_date=end)
        self.terms.append(term)
        holder = self.people[person]
        if holder.consent_on is None or start < holder.consent_on:
            holder.consent_on = start
        return term

    def staff(
        self,
        body: int,
        count: int,
        profile: Profile,
        *,
        lead: str = "chair",
        role: str = "member",
        ethnic: str | None = None,
        previous_lead_share: float = 0.0,
    ) -> int | None:
        """``count`` current members: one leader and the rest in ``role``. Returns the leader."""
        if count <= 0:
            return None
        organisation = self.bodies[body]
        leader = None
        if self.rng.random() < previous_lead_share and organisation.closed_on is None:
            # An earlier leader whose term ended: the current one took over afterwards.
            previous = self.person(body, profile, ethnic)
            term = self.term(previous, body, lead)
            if term.start_date < LAST_DAY - datetime.timedelta(days=60):
                term.end_date = self.date_between(
                    term.start_date + datetime.timedelta(days=30),
                    LAST_DAY - datetime.timedelta(days=30),
                )
                successor = self.person(body, profile, ethnic)
                self.term(successor, body, lead, start=term.end_date + datetime.timedelta(days=1))
                leader = successor
            else:
                leader = previous
        else:
            leader = self.person(body, profile, ethnic)
            self.term(leader, body, lead, end=organisation.closed_on)
        for _ in range(count - 1):
            member = self.person(body, profile, ethnic)
            self.term(member, body, role, end=organisation.closed_on)
        return leader

    def officers(self, body: int, roles: Sequence[str]) -> None:
        for role in roles:
            self.term(self.person(body, ADULT), body, role)

    def split(self, total: int, weights: Sequence[float], minimum: int) -> list[int]:
        jittered = [w * self.rng.uniform(0.75, 1.25) for w in weights]
        return allocate(total, jittered, minimum)

    def local_place(self, kato: str, kind: str) -> Place:
        """A village, microdistrict or school inside a district, not used there before."""
        district = self.district_places[kato]
        info = self.district_info[kato]
        if info.kind == "city":
            label_ru = f"г. {info.name[1]}"
        elif info.kind == "city_district":
            label_ru = f"{info.name[1]}, г. {self.regions[info.region_iso].centre[1]}"
        else:
            label_ru = info.name[1]
        label = (district.kk_nom, label_ru, district.en)
        used = self.used_local_places.setdefault(kato, set())
        if kind == "school":
            number = self.rng.randint(1, 60)
            while f"school-{number}" in used:
                number += 1
            used.add(f"school-{number}")
            return school_place(district, label, number)
        pool = VILLAGES if info.kind == "district" else MICRODISTRICTS
        free = [p for p in pool if p[0] not in used]
        if not free:
            return self.local_place(kato, "school")
        choice = self.rng.choice(free)
        used.add(choice[0])
        if info.kind == "district":
            return village_place(district, label, choice)
        return microdistrict_place(district, label, choice)

    def close_some(self, candidates: list[int], share: float) -> list[int]:
        """Close a few leaf bodies (with closed_on), as real registries have."""
        parents = {body.parent for body in self.bodies}
        leaves = [b for b in candidates if b not in parents]
        count = min(len(leaves), max(1, round(len(leaves) * share))) if len(leaves) >= 5 else 0
        closed = sorted(self.rng.sample(leaves, count))
        for index in closed:
            body = self.bodies[index]
            start = body.founded_on + datetime.timedelta(days=365)
            body.closed_on = self.date_between(start, LAST_DAY - datetime.timedelta(days=30))
            if body.closed_on <= body.founded_on:
                body.closed_on = body.founded_on + datetime.timedelta(days=1)
        return closed

    def link_children(self) -> None:
        for index, body in enumerate(self.bodies):
            if body.parent is not None:
                self.bodies[body.parent].children.append(index)

    # -- the network ---------------------------------------------------------------------------

    def build(self) -> Plan:
        rng = self.rng
        isos = list(self.regions)
        region_weights = [self.region_weight(iso) for iso in isos]

        root = self.body(
            "secretariat",
            None,
            (
                "Қазақстан халқы Ассамблеясының Хатшылығы",
                "Секретариат Ассамблеи народа Казахстана",
                "Secretariat of the Assembly of People of Kazakhstan",
            ),
            place=None,
            founded=(1995, 1995),
        )
        self.bodies[root].founded_on = datetime.date(1995, 3, 1)
        self.marks["root"] = root

        # Regional and city assemblies with their institutions.
        assembly: dict[str, int] = {}
        house: dict[str, int] = {}
        for iso in isos:
            place = self.region_places[iso]
            kind = "city_assembly" if self.regions[iso].kind == "city" else "regional_assembly"
            founded = (1995, 1995) if iso not in {"KZ-10", "KZ-33", "KZ-62"} else (2022, 2022)
            assembly[iso] = self.body(
                kind,
                root,
                place.name(
                    "Қазақстан халқы Ассамблеясы",
                    "Ассамблея народа Казахстана",
                    "Assembly of People of Kazakhstan",
                ),
                place=place,
                founded=founded,
            )
            self.body(
                "public_accord_institution",
                assembly[iso],
                (
                    f"{place.kk_nom} әкімдігінің «Қоғамдық келісім» КММ",
                    f"КГУ «Қоғамдық келісім» акимата {place.ru}",
                    f"Qogamdyq Kelisim Public Institution of the Akimat of {place.en}",
                ),
                place=place,
                founded=(2012, 2016) if founded[0] < 2000 else (2022, 2023),
            )
            house[iso] = self.body(
                "house_of_friendship",
                assembly[iso],
                place.name("Достық үйі", "Дом дружбы", "House of Friendship"),
                place=place,
                founded=(1997, 2012) if founded[0] < 2000 else (2022, 2024),
            )
        self.marks["pavlodar"] = assembly.get("KZ-55", assembly[isos[0]])
        self.marks["almaty"] = assembly.get("KZ-75", assembly[isos[-1]])
        self.marks["pavlodar_house"] = house.get("KZ-55", house[isos[0]])
        for iso in isos:
            self.officers(assembly[iso], ("chair", "deputy_chair", "deputy_chair", "secretary"))
        for index, body in enumerate(list(self.bodies)):
            if body.kind == "public_accord_institution":
                self.staff(index, rng.randint(5, 9), ADULT, lead="head", role="staff")
            elif body.kind == "house_of_friendship":
                self.staff(index, rng.randint(4, 8), ADULT, lead="head", role="staff")

        # More houses of friendship in towns of regional significance: 36 in all.
        towns: dict[str, list[DistrictInfo]] = {
            iso: [
                d
                for d in self.districts_by_region[iso]
                if d.kind == "city" and d.name[1] != self.regions[iso].centre[1]
            ]
            for iso in isos
        }
        extra_houses: dict[str, int] = {}  # district KATO -> house
        round_number = 0
        order = sorted(isos, key=lambda iso: (-len(towns[iso]), iso))
        while len(house) + len(extra_houses) < HOUSES_OF_FRIENDSHIP:
            added = False
            for iso in order:
                if len(house) + len(extra_houses) >= HOUSES_OF_FRIENDSHIP:
                    break
                if round_number < len(towns[iso]):
                    town = towns[iso][round_number]
                    place = self.district_places[town.kato]
                    extra_houses[town.kato] = self.body(
                        "house_of_friendship",
                        assembly[iso],
                        place.name("Достық үйі", "Дом дружбы", "House of Friendship"),
                        place=place,
                        founded=(2005, 2024),
                    )
                    self.staff(
                        extra_houses[town.kato], rng.randint(3, 6), ADULT, lead="head", role="staff"
                    )
                    added = True
            round_number += 1
            if not added:
                break

        # District assemblies, new in 2025.
        district_assembly: dict[str, int] = {}
        for iso in DISTRICT_ASSEMBLY_REGIONS:
            if iso not in self.regions:
                continue
            for district in self.districts_by_region[iso]:
                if district.kind != "district":
                    continue
                place = self.district_places[district.kato]
                index = self.body(
                    "district_assembly",
                    assembly[iso],
                    (
                        f"{place.kk_gen} Қазақстан халқы Ассамблеясы",
                        f"Районная ассамблея народа Казахстана {place.ru}",
                        f"Assembly of People of Kazakhstan of {place.en}",
                    ),
                    place=place,
                    founded=(2025, 2025),
                )
                self.bodies[index].founded_on = self.date_between(
                    datetime.date(2025, 2, 1), datetime.date(2025, 10, 31)
                )
                district_assembly[district.kato] = index
                self.officers(index, ("chair", "deputy_chair", "secretary"))
                self.staff(index, rng.randint(3, 6), ADULT, lead="member")

        self.build_associations(
            root, isos, region_weights, assembly, house, extra_houses, district_assembly
        )
        elders_regional, elders_district = self.build_councils(
            "elders_council", isos, assembly, district_assembly
        )
        self.build_councils("mothers_council", isos, assembly, district_assembly)
        pavlodar_elders = [b for b in elders_district if self.bodies[b].region == "KZ-55"]
        self.marks["district_elders"] = (pavlodar_elders or elders_district or elders_regional)[0]
        self.build_youth(root, isos, region_weights)
        self.build_national(root, isos, assembly, house)
        self.build_creative(isos, region_weights, assembly, house, district_assembly)

        # Regional assemblies count the chairs of the region's associations among their members.
        chairs = {
            t.body: t.person
            for t in self.terms
            if t.role == "chair"
            and t.end_date is None
            and self.bodies[t.body].kind == "ethnocultural_association"
        }
        for body_index, person in chairs.items():
            body = self.bodies[body_index]
            if body.region in assembly and body.district is None and body.closed_on is None:
                self.term(person, assembly[body.region], "member")

        return self.finish()

    def build_associations(
        self,
        root: int,
        isos: list[str],
        region_weights: list[float],
        assembly: dict[str, int],
        house: dict[str, int],
        extra_houses: dict[str, int],
        district_assembly: dict[str, int],
    ) -> None:
        scale, rng = self.scale, self.rng
        peoples = list(ETHNIC_CODES)
        weights = [
            sum(self.weights.get(code, 12000) for code in ETHNIC_CODES[p]) ** 0.5 for p in peoples
        ]

        def groups_of(people: str) -> tuple[str, ...]:
            codes = ETHNIC_CODES[people]
            if len(codes) == 1 and codes[0] in KINDRED and rng.random() < 0.3:
                return (codes[0], KINDRED[codes[0]])
            return codes

        founded_span = (1990, 2005)
        national = scaled(TARGETS["national_associations"], scale, 2)
        by_weight = sorted(range(len(peoples)), key=lambda i: -weights[i])[:national]
        for position, index in enumerate(sorted(by_weight)):
            people = peoples[index]
            template = NATIONAL_ASSOCIATION_TEMPLATES[position % 2]
            people_kk, people_ru, people_en = names.ETHNIC_ADJECTIVES[people]
            values = {"people_kk": people_kk, "people_ru": people_ru, "people_en": people_en}
            name = (
                template[0].format(**values),
                template[1].format(**values),
                template[2].format(**values),
            )
            body = self.body(
                "ethnocultural_association",
                root,
                name,
                place=None,
                founded=founded_span,
                ethnic_groups=groups_of(people),
            )
            self.staff(body, rng.randint(4, 7), ADULT, ethnic=ETHNIC_CODES[people][0])

        # Regional associations: at least one in every region, more where more people live.
        regional_by_region: dict[tuple[str, str], int] = {}
        counts = allocate(scaled(TARGETS["regional_associations"], scale, 20), region_weights, 1)
        all_local: list[int] = []
        for iso, count in zip(isos, counts, strict=True):
            place = self.region_places[iso]
            chosen: list[tuple[str, int]] = []
            templates = names.ASSOCIATION_NAME_TEMPLATES
            while len(chosen) < min(count, len(peoples) * len(templates)):
                pair = (rng.choices(peoples, weights=weights)[0], rng.randrange(len(templates)))
                # Every people once before any people gets a second association.
                fresh = pair[0] not in {p for p, _t in chosen} or len(chosen) >= len(peoples)
                if fresh and pair not in chosen:
                    chosen.append(pair)
            for people, template_index in chosen:
                template = templates[template_index]
                name = (
                    names.association_name(template, people, iso)
                    if iso in names.ASSOCIATION_PLACES
                    else _format_association(template, people, place)
                )
                parent = house[iso] if rng.random() < 0.55 else assembly[iso]
                body = self.body(
                    "ethnocultural_association",
                    parent,
                    name,
                    place=place,
                    founded=(1992, 2020),
                    ethnic_groups=groups_of(people),
                )
                regional_by_region.setdefault((iso, people), body)
                self.staff(
                    body,
                    rng.randint(3, 6),
                    ADULT,
                    ethnic=ETHNIC_CODES[people][0],
                    previous_lead_share=0.08,
                )

        # Local associations in districts and towns: under a House of Friendship, a district
        # assembly or as a branch of the regional association of the same people.
        counts = allocate(scaled(TARGETS["local_associations"], scale, 0), region_weights, 0)
        for iso, count in zip(isos, counts, strict=True):
            districts = self.districts_by_region[iso]
            if not districts:
                continue
            used: set[tuple[str, str]] = set()
            made = 0
            attempts = 0
            while made < count and attempts < count * 20:
                attempts += 1
                district = rng.choice(districts)
                people = rng.choices(peoples, weights=weights)[0]
                if (district.kato, people) in used:
                    continue
                used.add((district.kato, people))
                place = self.district_places[district.kato]
                template = rng.choice(names.ASSOCIATION_NAME_TEMPLATES)
                name = _format_association(template, people, place)
                branch_of = regional_by_region.get((iso, people))
                if district.kato in extra_houses and rng.random() < 0.7:
                    parent = extra_houses[district.kato]
                elif district.kato in district_assembly and rng.random() < 0.6:
                    parent = district_assembly[district.kato]
                elif branch_of is not None and rng.random() < 0.4:
                    parent = branch_of
                else:
                    parent = house[iso]
                body = self.body(
                    "ethnocultural_association",
                    parent,
                    name,
                    place=place,
                    founded=(1995, 2024),
                    ethnic_groups=groups_of(people),
                )
                all_local.append(body)
                made += 1
        closed = set(self.close_some(all_local, 0.012))
        for body in all_local:
            ethnic = self.bodies[body].ethnic_groups[0]
            if body in closed:
                self.staff(body, rng.randint(2, 4), ADULT, ethnic=ethnic)
            else:
                self.staff(body, rng.randint(2, 5), ADULT, ethnic=ethnic, previous_lead_share=0.06)

    def build_councils(
        self,
        kind: str,
        isos: list[str],
        assembly: dict[str, int],
        district_assembly: dict[str, int],
    ) -> tuple[list[int], list[int]]:
        """Councils of elders or mothers' councils: regional, one per district, then local ones."""
        scale, rng = self.scale, self.rng
        elders = kind == "elders_council"
        nouns = (
            ("ақсақалдар кеңесі", "Совет аксакалов", "Council of Elders")
            if elders
            else ("аналар кеңесі", "Совет матерей", "Mothers' Council")
        )
        total = scaled(TARGETS["elders_councils" if elders else "mothers_councils"], scale, 20)
        members = TARGETS["elders_members" if elders else "mothers_members"]
        profile = ELDER if elders else MOTHER
        founded = (2000, 2015) if elders else (2010, 2018)

        regional: dict[str, int] = {}
        for iso in isos:
            regional[iso] = self.body(
                kind,
                assembly[iso],
                self.region_places[iso].name(*nouns),
                place=self.region_places[iso],
                founded=founded,
            )
        # District councils: regions take turns so that a small scale still covers them all.
        queues = {iso: list(self.districts_by_region[iso]) for iso in isos}
        for queue in queues.values():
            rng.shuffle(queue)
        picked: list[DistrictInfo] = []
        room = max(0, total - len(regional))
        while len(picked) < room and any(queues.values()):
            for iso in isos:
                if queues[iso] and len(picked) < room:
                    picked.append(queues[iso].pop())
        district: dict[str, int] = {}
        for info in sorted(picked, key=lambda d: d.kato):
            place = self.district_places[info.kato]
            parent = district_assembly.get(info.kato, regional[info.region_iso])
            district[info.kato] = self.body(
                kind, parent, place.name(*nouns), place=place, founded=(founded[0] + 2, 2022)
            )
        # Local councils in villages, microdistricts and schools, more in larger districts.
        local_total = max(0, total - len(regional) - len(district))
        katos = list(district)
        kind_weight = {"district": 1.0, "city": 1.6, "city_district": 2.2}
        infos = {d.kato: d for d in self.territory.districts}
        shares = allocate(local_total, [kind_weight.get(infos[k].kind, 1.0) for k in katos], 0)
        local: list[int] = []
        for kato, count in zip(katos, shares, strict=True):
            for _ in range(count):
                where = "school" if (not elders and rng.random() < 0.5) else "local"
                place = self.local_place(kato, where)
                local.append(
                    self.body(
                        kind, district[kato], place.name(*nouns), place=place, founded=(2008, 2024)
                    )
                )
        closed = set(self.close_some(local, 0.005))
        active = [b for b in [*regional.values(), *district.values(), *local] if b not in closed]
        weight = {**dict.fromkeys(regional.values(), 4.0), **dict.fromkeys(district.values(), 2.0)}
        sizes = self.split(
            scaled(members, scale, 3 * len(active)), [weight.get(b, 1.0) for b in active], 3
        )
        for body, size in zip(active, sizes, strict=True):
            self.staff(body, size, profile, previous_lead_share=0.08)
        for body in sorted(closed):
            self.staff(body, rng.randint(3, 5), profile)
        return list(regional.values()), list(district.values())

    def build_youth(self, root: int, isos: list[str], region_weights: list[float]) -> None:
        scale, rng = self.scale, self.rng
        movement = self.body(
            "youth_movement",
            root,
            (
                "«Ассамблея жастары» республикалық қоғамдық бірлестігі",
                "Республиканское общественное объединение «Ассамблея жастары»",
                "Assembly Zhastary Republican Public Association",
            ),
            place=None,
            founded=(2017, 2017),
        )
        self.staff(movement, 9, YOUTH, role="staff")
        branches: dict[str, int] = {}
        for iso in isos:
            place = self.region_places[iso]
            branches[iso] = self.body(
                "youth_branch",
                movement,
                (
                    f"{place.kk_nom}ндағы «Ассамблея жастары» филиалы",
                    f"Филиал движения «Ассамблея жастары» {place.ru}",
                    f"Assembly Zhastary Branch of {place.en}",
                ),
                place=place,
                founded=(2017, 2019),
            )
        # Student assemblies: every university of names.py, then colleges.
        student: list[int] = []
        total = scaled(TARGETS["student_assemblies"], scale, 2)
        universities = list(names.UNIVERSITIES)[: max(1, min(len(names.UNIVERSITIES), total // 2))]
        for iso, kk, ru, en in universities:
            if iso not in branches:
                continue
            student.append(
                self.body(
                    "student_assembly",
                    branches[iso],
                    (
                        f"{kk_genitive(kk)} студенттік ассамблеясы",
                        f"Студенческая ассамблея ({ru})",
                        f"Student Assembly of {en}",
                    ),
                    place=self.region_places[iso],
                    founded=(2017, 2023),
                )
            )
        colleges = allocate(max(0, total - len(student)), region_weights, 0)
        for iso, count in zip(isos, colleges, strict=True):
            centre_kk, centre_ru, centre_en = self.regions[iso].centre
            options = [(p, higher) for higher in (False, True) for p in COLLEGE_PROFILES]
            rng.shuffle(options)
            for (profile_kk, profile_ru, profile_en), higher in options[:count]:
                kk = f"{centre_kk} {'жоғары ' if higher else ''}{profile_kk} колледжі"
                student.append(
                    self.body(
                        "student_assembly",
                        branches[iso],
                        (
                            f"{kk_genitive(kk)} студенттік ассамблеясы",
                            f"Студенческая ассамблея {'высшего ' if higher else ''}"
                            f"{profile_ru} колледжа ({centre_ru})",
                            f"Student Assembly of {centre_en} {'Higher ' if higher else ''}"
                            f"{profile_en} College",
                        ),
                        place=self.region_places[iso],
                        founded=(2017, 2024),
                    )
                )
        closed = set(self.close_some(student, 0.01))
        activists = scaled(TARGETS["youth_activists"], scale, 2 * (len(isos) + len(student)))
        in_branches = round(activists * 0.35)
        branch_sizes = allocate(in_branches, region_weights, 1)
        for iso, size in zip(isos, branch_sizes, strict=True):
            self.staff(branches[iso], size + 1, YOUTH, lead="head", role="activist")
        active = [b for b in student if b not in closed]
        sizes = self.split(activists - in_branches, [1.0] * len(active), 1)
        for body, size in zip(active, sizes, strict=True):
            self.staff(body, size + 1, YOUTH, role="activist", previous_lead_share=0.1)
        for body in sorted(closed):
            self.staff(body, rng.randint(3, 6), YOUTH, role="activist")

    def build_national(
        self, root: int, isos: list[str], assembly: dict[str, int], house: dict[str, int]
    ) -> None:
        scale, rng = self.scale, self.rng
        self.staff(root, 13, ADULT, lead="head", role="staff")
        deputies = self.body(
            "deputy_group",
            root,
            (
                "«Бір ел – бір мүдде» депутаттық тобы",
                "Депутатская группа «Бір ел – бір мүдде»",
                "Bir El – Bir Mudde Deputy Group",
            ),
            place=None,
            founded=(2016, 2016),
        )
        self.staff(deputies, scaled(TARGETS["deputies"], scale, 5), ADULT)

        for iso in isos:
            place = self.region_places[iso]
            centre = self.body(
                "charity_centre",
                assembly[iso],
                place.name(
                    "«Жомарт жан» қайырымдылық орталығы",
                    "Благотворительный центр «Жомарт жан»",
                    "Zhomart Zhan Charity Centre",
                ),
                place=place,
                founded=(2021, 2023),
            )
            self.staff(centre, rng.randint(6, 13), ADULT, lead="head", role="volunteer")

        # Mediation: a centre at each region's House of Friendship, a council at each assembly,
        # and one more of each for family disputes in the two largest cities.
        centres: list[int] = []
        councils: list[int] = []
        for iso in isos:
            place = self.region_places[iso]
            centres.append(
                self.body(
                    "mediation_centre",
                    house[iso],
                    place.name("медиация орталығы", "Центр медиации", "Mediation Centre"),
                    place=place,
                    founded=(2012, 2020),
                )
            )
            councils.append(
                self.body(
                    "mediation_council",
                    assembly[iso],
                    place.name("медиация кеңесі", "Совет медиации", "Mediation Council"),
                    place=place,
                    founded=(2012, 2020),
                )
            )
        family = ("отбасылық медиация", "семейной медиации", "Family Mediation")
        extra_centre_iso = "KZ-75" if "KZ-75" in house else isos[0]
        extra_council_iso = "KZ-79" if "KZ-79" in assembly else isos[-1]
        while len(centres) < MEDIATION_CENTRES:
            place = self.region_places[extra_centre_iso]
            centres.append(
                self.body(
                    "mediation_centre",
                    house[extra_centre_iso],
                    place.name(
                        f"{family[0]} орталығы", f"Центр {family[1]}", f"{family[2]} Centre"
                    ),
                    place=place,
                    founded=(2018, 2022),
                )
            )
        while len(councils) < MEDIATION_COUNCILS:
            place = self.region_places[extra_council_iso]
            councils.append(
                self.body(
                    "mediation_council",
                    assembly[extra_council_iso],
                    place.name(f"{family[0]} кеңесі", f"Совет {family[1]}", f"{family[2]} Council"),
                    place=place,
                    founded=(2018, 2022),
                )
            )
        mediators = self.split(
            scaled(TARGETS["mediators"], scale, len(centres)), [1.0] * len(centres), 1
        )
        for body, size in zip(centres, mediators, strict=True):
            head = self.person(body, ADULT)
            self.term(head, body, "head")
            for _ in range(size):
                self.term(self.person(body, ADULT), body, "mediator")
        for body in councils:
            self.staff(body, rng.randint(5, 8), ADULT)

        # The scientific-expert council, its regional groups, the young scientists' club.
        council = self.body(
            "scientific_expert_council",
            root,
            (
                "ҚХА Ғылыми-сарапшылық кеңесі",
                "Научно-экспертный совет АНК",
                "Scientific-Expert Council of the APK",
            ),
            place=None,
            founded=(2009, 2009),
        )
        groups = []
        for iso in isos:
            place = self.region_places[iso]
            groups.append(
                self.body(
                    "scientific_expert_group",
                    council,
                    place.name(
                        "ғылыми-сарапшылық тобы",
                        "Научно-экспертная группа",
                        "Scientific-Expert Group",
                    ),
                    place=place,
                    founded=(2010, 2019),
                )
            )
        experts = scaled(TARGETS["experts"], scale, len(groups) + 1)
        national_experts = max(1, round(experts * 20 / TARGETS["experts"]))
        self.staff(council, national_experts + 1, SCHOLAR, role="expert")
        for body, size in zip(
            groups, self.split(experts - national_experts, [1.0] * len(groups), 1), strict=True
        ):
            self.staff(body, size + 1, SCHOLAR, role="expert")
        club = self.body(
            "young_scientists_club",
            council,
            (
                "ҚХА Жас ғалымдар клубы",
                "Клуб молодых ученых АНК",
                "Young Scientists' Club of the APK",
            ),
            place=None,
            founded=(2019, 2019),
        )
        self.staff(club, scaled(TARGETS["young_scientists"], scale, 5), YOUNG_SCHOLAR)

        academy = self.body(
            "apk_academy",
            root,
            ("ҚХА Академиясы", "Академия АНК", "APK Academy"),
            place=None,
            founded=(2015, 2015),
        )
        self.staff(academy, 11, SCHOLAR, lead="head", role="staff")
        for iso, kk, ru, en in names.UNIVERSITIES:
            if iso not in self.region_places:
                continue
            department = self.body(
                "university_department",
                academy,
                (
                    f"{kk_genitive(kk)} ҚХА кафедрасы",
                    f"Кафедра АНК ({ru})",
                    f"APK Department at {en}",
                ),
                place=self.region_places[iso],
                founded=(2015, 2022),
            )
            self.staff(department, rng.randint(3, 5), SCHOLAR, lead="head", role="staff")

        journalists = self.body(
            "journalists_club",
            root,
            ("ҚХА Журналистер клубы", "Клуб журналистов АНК", "APK Journalists' Club"),
            place=None,
            founded=(2012, 2012),
        )
        self.staff(journalists, scaled(TARGETS["journalists"], scale, 5), ADULT)
        diplomacy = self.body(
            "peoples_diplomacy_centre",
            root,
            (
                "Халықтық дипломатия орталығы",
                "Центр народной дипломатии",
                "People's Diplomacy Centre",
            ),
            place=None,
            founded=(2020, 2020),
        )
        self.staff(diplomacy, 7, ADULT, lead="head", role="staff")
        corps = self.body(
            "friendship_ambassadors",
            diplomacy,
            (
                "Достық елшілері корпусы",
                "Корпус послов дружбы АНК",
                "Corps of Friendship Ambassadors",
            ),
            place=None,
            founded=(2021, 2021),
        )
        self.staff(corps, scaled(TARGETS["ambassadors"], scale, 5), ADULT)

    def build_creative(
        self,
        isos: list[str],
        region_weights: list[float],
        assembly: dict[str, int],
        house: dict[str, int],
        district_assembly: dict[str, int],
    ) -> None:
        rng = self.rng
        people_of = {}
        for index, (_kk, _ru, en) in enumerate(names.CREATIVE_COLLECTIVE_NAMES):
            for people, (_pk, _pr, people_en) in names.ETHNIC_ADJECTIVES.items():
                if people_en in en.replace("-", " ").split() and people in ETHNIC_CODES:
                    people_of[index] = ETHNIC_CODES[people][0]
        associations: dict[tuple[str, str], int] = {}
        for index, body in enumerate(self.bodies):
            if body.kind == "ethnocultural_association" and body.region and not body.district:
                associations.setdefault((body.region, body.ethnic_groups[0]), index)
        counts = allocate(scaled(TARGETS["creative_collectives"], self.scale, 3), region_weights)
        made: dict[int, str | None] = {}  # body -> people the ensemble belongs to
        for iso, count in zip(isos, counts, strict=True):
            region = self.regions[iso]
            templates = list(range(len(names.CREATIVE_COLLECTIVE_NAMES)))
            rng.shuffle(templates)
            local_assemblies = [
                b for kato, b in district_assembly.items() if self.bodies[b].region == iso
            ]
            for template in templates[:count]:
                kk, ru, en = names.CREATIVE_COLLECTIVE_NAMES[template]
                ethnic = people_of.get(template)
                roll = rng.random()
                place: Place = self.region_places[iso]
                if ethnic is not None and (iso, ethnic) in associations and roll < 0.7:
                    parent = associations[(iso, ethnic)]
                elif local_assemblies and roll < 0.25:
                    parent = rng.choice(local_assemblies)
                    kato = self.bodies[parent].district or ""
                    place = self.district_places.get(kato, place)
                elif roll < 0.85:
                    parent = house[iso]
                else:
                    parent = assembly[iso]
                name = (
                    f"{kk} ({region.name[0]})",
                    f"{ru} ({region.name[1]})",
                    f"{en} ({region.name[2]})",
                )
                collective = self.body(
                    "creative_collective", parent, name, place=place, founded=(1998, 2024)
                )
                made[collective] = ethnic
        closed = set(self.close_some(list(made), 0.02))
        for collective, ethnic in made.items():
            size = rng.randint(3, 5) if collective in closed else rng.randint(5, 11)
            self.staff(collective, size, ADULT, lead="head", ethnic=ethnic)

    def finish(self) -> Plan:
        self.link_children()
        root_paths = 0
        stack: list[int] = []
        for index, body in enumerate(self.bodies):
            if body.parent is None:
                root_paths += 1
                body.path = _step(root_paths)
                stack.append(index)
        while stack:
            index = stack.pop()
            body = self.bodies[index]
            for position, child in enumerate(body.children, start=1):
                self.bodies[child].path = body.path + _step(position)
                stack.append(child)
        return Plan(bodies=self.bodies, people=self.people, terms=self.terms, marks=self.marks)


def _format_association(template: Text3, people: str, place: Place) -> Text3:
    people_kk, people_ru, people_en = names.ETHNIC_ADJECTIVES[people]
    values = {
        "people_kk": people_kk,
        "people_ru": people_ru,
        "people_en": people_en,
        "place_kk": place.kk_nom,
        "place_ru": place.ru,
        "place_en": place.en,
    }
    kk, ru, en = template
    return kk.format(**values), ru.format(**values), en.format(**values)


def _step(position: int) -> str:
    """The treebeard path step for the ``position``-th child (1-based), base 36, width 4."""
    if not 0 < position < len(ALPHABET) ** STEPLEN:
        raise ValueError("too many children for one body")
    digits = ""
    while position:
        position, rest = divmod(position, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, ALPHABET[0])


def build_plan(territory: Territory, *, scale: float = 1.0, seed: int = 2025) -> Plan:
    """The whole demo network for ``territory``: same arguments, same network."""
    if not scale > 0:
        raise ValueError("scale must be greater than 0")
    return _Builder(territory, scale, seed).build()


def summarise(plan: Plan) -> dict[str, int]:
    """Bodies by kind and the member figures the targets speak of (current terms only)."""
    counts: dict[str, int] = dict(Counter(body.kind for body in plan.bodies))
    current = [t for t in plan.terms if t.end_date is None]
    by_kind: dict[str, set[int]] = {}
    for term in current:
        by_kind.setdefault(plan.bodies[term.body].kind, set()).add(term.person)
    counts["elders_members"] = len(by_kind.get("elders_council", ()))
    counts["mothers_members"] = len(by_kind.get("mothers_council", ()))
    roles = Counter(t.role for t in current)
    counts["youth_activists"] = roles["activist"]
    counts["mediators"] = roles["mediator"]
    counts["experts"] = roles["expert"]
    counts["closed_bodies"] = sum(1 for b in plan.bodies if b.closed_on is not None)
    counts["ended_terms"] = sum(1 for t in plan.terms if t.end_date is not None)
    counts["bodies"] = len(plan.bodies)
    counts["people"] = len(plan.people)
    counts["people_with_iin"] = sum(1 for p in plan.people if p.iin)
    counts["memberships"] = len(plan.terms)
    return counts


def planned_counts(scale: float = 1.0, seed: int = 2025) -> dict[str, int]:
    """What ``demo_seed`` creates at ``scale`` on the shipped territory, by kind and role."""
    return summarise(build_plan(territory_from_files(), scale=scale, seed=seed))
