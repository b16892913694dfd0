"""A generated multilingual media corpus for the early-warning demo, the tests and the bench.

Everything is decided by ``random.Random(seed)``: the same arguments give the same items. No
database access here — the caller passes the regions, districts and ethnic groups (with their
ids), and gets back item dicts ready for ``Item`` rows plus the *truth* of each item (language,
the original it reprints, its story, the places and groups it names, its topics), which the
bench and the tests compare with what the pipeline found.

What is in it:

* ~60 invented outlets (national and regional, kk/ru/en, news agencies, TV, bloggers' and local
  Telegram channels, monitoring vendors), some of them journalists' club members;
* ordinary news (culture, unity events of houses of friendship, economy, sport, local life)
  written from templates in each language, the same event often written in two or three
  languages (story truth), agency reprints with small edits (duplicate truth), ~3 % mild risk;
* ~8 % Kazakh typed in Russian letters, ~2 % lines in other languages (Uzbek, Kyrgyz,
  Ukrainian);
* tension episodes in chosen districts: an hourly burst over 2–3 days of incident reports,
  rumours, hostile posts, calls to gather, a language row, official statements, follow-ups.

Place and group names come from the database, inflected with ``geo.morph`` (Kazakh case
endings, Russian cases) and ``kk_plural``, so the mention matchers meet real surface forms.
"""

from __future__ import annotations

import datetime
import math
import random
import re
import string
import zlib
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from birlik.core.cleaning import match_key
from birlik.core.text import fold
from birlik.geo.morph import kk_inflect, kk_plural, morph_analyzer, ru_inflect

from . import names

__all__ = [
    "Corpus",
    "DistrictRef",
    "Episode",
    "GroupRef",
    "RegionRef",
    "SourceSpec",
    "Truth",
    "generate",
    "russian_letters",
]

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
LANGUAGES = ("kk", "ru", "en")

# Shares of the corpus (the rest is ordinary news and its reprints).
EPISODE_SHARE = 0.008  # of all items, per episode
EPISODE_MIN_ITEMS = 30
OTHER_LANGUAGE_SHARE = 0.02
MILD_RISK_SHARE = 0.03  # of ordinary stories
CITY_POST_SHARE = 0.1  # ordinary posts of local Telegram channels and vendors
# Texts this close in time must not read as copies unless they are (the pipeline keeps the
# signatures of the last 7 days).
WINDOW_DAYS = 9
WINDOW_SECONDS = WINDOW_DAYS * 86400


# ---------------------------------------------------------------------------------------------
# What the caller passes in, and what comes back


@dataclass(frozen=True)
class RegionRef:
    id: int
    iso: str
    kind: str  # "region" or "city"
    name: tuple[str, str, str]  # kk, ru, en
    centre: tuple[str, str, str]


@dataclass(frozen=True)
class DistrictRef:
    id: int
    region_id: int
    kato: str
    kind: str  # "district", "city", "city_district"
    name: tuple[str, str, str]


@dataclass(frozen=True)
class GroupRef:
    id: int
    code: str
    name: tuple[str, str, str]  # plural names, as the registry keeps them


@dataclass(frozen=True)
class SourceSpec:
    key: str
    name: str
    kind: str  # Source.Kind value: rss, sitemap, telegram, vendor
    language: str  # declared language, "" for a multilingual source
    home_region_id: int | None
    url: str
    club_kind: str = ""  # ClubPublication.Kind value when a journalists' club member
    agency: bool = False


@dataclass(frozen=True)
class Truth:
    language: str  # kk, ru, en, other
    russian_letters: bool  # Kazakh typed in Russian letters
    duplicate_of: str | None  # guid of the original this item reprints
    story: str
    regions: frozenset[int]
    districts: frozenset[int]
    groups: frozenset[int]
    topics: frozenset[str]
    episode: str | None = None


@dataclass(frozen=True)
class Episode:
    key: str
    region_id: int
    district_id: int
    start: datetime.datetime
    end: datetime.datetime
    peak: datetime.datetime
    groups: tuple[int, int]
    items: int
    language_row: float = 1.0  # how much of it is a row over language


@dataclass
class Corpus:
    sources: list[SourceSpec]
    items: list[dict[str, Any]]  # source, guid, url, title, text, published_at, language
    truth: dict[str, Truth]  # by guid
    episodes: list[Episode]
    world: _World = field(repr=False)

    def titles(self, rng: random.Random, count: int) -> list[tuple[str, str, int | None]]:
        """Fresh ordinary headlines (title, language, region id) — the club's register uses them."""
        out: list[tuple[str, str, int | None]] = []
        for _ in range(count):
            language = rng.choices(LANGUAGES, weights=(0.45, 0.45, 0.1))[0]
            kind = rng.choice(ORDINARY_KINDS)
            place = self.world.place(rng, cities_only=kind == "sport")
            slots = self.world.slots(rng, language, place=place, day=datetime.date(2025, 6, 1))
            frame = rng.choice(ARTICLES[kind][language].frames)
            out.append((_sentence(frame.title.format(**slots)), language, place.region.id))
        return out


# ---------------------------------------------------------------------------------------------
# Letters


_KAZAKH_TO_RUSSIAN = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")
_LATIN = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "gh", "д": "d", "е": "e", "ё": "yo",
    "ж": "zh", "з": "z", "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "ng", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def russian_letters(text: str) -> str:
    """Kazakh as people type it on a Russian keyboard: ә→а, ғ→г, қ→к, ң→н, ө→о, ұ/ү→у, і→и."""
    return text.translate(_KAZAKH_TO_RUSSIAN)


@lru_cache(maxsize=20_000)
def _latin(name: str) -> str:
    """An English spelling of a Kazakh or Russian name («Ержан Сәрсенов» → Yerzhan Sarsenov)."""
    out = []
    for word in name.split(" "):
        letters = []
        for index, ch in enumerate(word):
            low = ch.lower()
            latin = "ye" if low == "е" and index == 0 else _LATIN.get(low, low)
            letters.append(latin.capitalize() if ch.isupper() else latin)
        out.append("".join(letters))
    return " ".join(out)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


_SENTENCE_START = re.compile(r"([.!?]\s+)([a-zа-яёәғқңөұүһі«])")


def _sentence(text: str) -> str:
    """Upper-case the first letter of each sentence (a slot may start one)."""
    text = _cap(text.strip())
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


# ---------------------------------------------------------------------------------------------
# Places, groups and people in three languages

# Names that are also people, words or another unit's name: left out of the ordinary pool so
# that the place truth stays unambiguous (the matchers' traps are tested elsewhere).
_PERSON_NAMES = (
    "Абай", "Жамбыл", "Байзақ", "Бәйдібек", "Төле би", "Тұрар Рысқұлов", "Әуезов", "Әл-Фараби",
    "Махамбет", "Исатай", "Құрманғазы", "Шал ақын", "Мағжан Жұмабаев", "Ғабит Мүсірепов",
    "Бірлік", "Достық", "Наурызбай", "Байқоңыр", "Сарыарқа", "Есіл", "Жетісу", "Нұра",
)  # fmt: skip
_MARKERS_KK = (" ауданы", " облысы", " қаласы")
_KAZAKH_ONLY = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")

# Registry code → ``names.ETHNIC_ADJECTIVES`` code, where they differ.
_ADJECTIVE_CODE = {"turk": "turkish", "kurd": "kurdish", "pole": "polish"}
CORPUS_GROUPS = (
    "kazakh", "russian", "uzbek", "ukrainian", "uyghur", "german", "tatar", "azerbaijani",
    "korean", "turk", "dungan", "belarusian", "tajik", "kurd", "pole",
)  # fmt: skip


def _stem(name: str) -> str:
    for marker in _MARKERS_KK:
        if name.endswith(marker):
            return name[: -len(marker)]
    return name


@dataclass(frozen=True)
class _Place:
    region: RegionRef
    district: DistrictRef | None
    kind: str  # region, centre, city, district
    forms: dict[str, dict[str, str]]  # language → slot suffix → text

    @property
    def district_ids(self) -> frozenset[int]:
        return frozenset({self.district.id}) if self.district else frozenset()


def _kk(phrase: str, case: str) -> str:
    return phrase if case == "nom" else kk_inflect(phrase, case)


_RU_CASE = {"gen": "gent", "dat": "datv", "acc": "accs", "ins": "ablt", "loc": "loct"}


def _ru(phrase: str, case: str) -> str:
    return phrase if case == "nom" else ru_inflect(phrase, _RU_CASE[case])


def _place_forms(kk: str, ru: str, en: str) -> dict[str, dict[str, str]]:
    forms: dict[str, dict[str, str]] = {"kk": {}, "ru": {}, "en": {}}
    for case in ("nom", "gen", "dat", "acc", "loc", "abl", "ins"):
        suffix = "" if case == "nom" else f"_{case}"
        forms["kk"][suffix] = _kk(kk, case)
        forms["ru"][suffix] = _ru(ru, case) if case != "abl" else _ru(ru, "gen")
        forms["en"][suffix] = en
    return forms


def _with_region(
    forms: dict[str, dict[str, str]], kk_gen: str, ru_gen: str, en: str, *, full: bool
) -> None:
    """The first mention names the region too: «Түркістан облысының Сайрам ауданында»."""
    if not full:
        for language in LANGUAGES:
            for case in ("", "_gen", "_loc"):
                forms[language]["r" + case] = forms[language][case]
        return
    for case in ("", "_gen", "_loc"):
        forms["kk"]["r" + case] = f"{kk_gen} {forms['kk'][case]}"
        forms["ru"]["r" + case] = f"{forms['ru'][case]} {ru_gen}"
        forms["en"]["r" + case] = f"{forms['en'][case]}{en}"


def _region_names(region: RegionRef) -> tuple[str, str, str]:
    """How a text names the region: a city of republican significance by its own name."""
    return region.centre if region.kind == "city" else region.name


def _build_places(
    regions: Sequence[RegionRef], districts: Sequence[DistrictRef]
) -> tuple[list[_Place], dict[int, _Place], dict[int, _Place]]:
    """All usable places, and the region place and the district place by id."""
    by_region: dict[int, RegionRef] = {r.id: r for r in regions}
    stems: defaultdict[str, int] = defaultdict(int)
    for district in districts:
        stems[_stem(district.name[0])] += 1
    region_words = {_stem(r.name[0]) for r in regions} | {r.centre[0] for r in regions}
    places: list[_Place] = []
    region_places: dict[int, _Place] = {}
    district_places: dict[int, _Place] = {}
    for region in regions:
        kk, ru, en = _region_names(region)
        forms = _place_forms(kk, ru, en)
        _with_region(forms, "", "", "", full=False)
        place = _Place(region, None, "region", forms)
        places.append(place)
        region_places[region.id] = place
        if region.kind == "region":
            centre_district = next(
                (
                    d
                    for d in districts
                    if d.region_id == region.id
                    and d.kind == "city"
                    and d.name[0] == region.centre[0]
                ),
                None,
            )
            forms = _place_forms(*region.centre)
            _with_region(forms, "", "", "", full=False)
            centre = _Place(region, centre_district, "centre", forms)
            places.append(centre)
            if centre_district is not None:
                district_places[centre_district.id] = centre
    for district in districts:
        home = by_region.get(district.region_id)
        if home is None or district.id in district_places:
            continue
        region = home
        kk, ru, en = district.name
        stem = _stem(kk)
        region_kk, region_ru, region_en = _region_names(region)
        kk_gen = _kk(region_kk, "gen")
        ru_gen = _ru(region_ru, "gen")
        if district.kind == "city":
            forms = _place_forms(kk, ru, en)
            city = _place_forms(f"{kk} қаласы", ru, en)
            forms["kk"]["r"] = f"{kk_gen} {city['kk']['']}"
            forms["kk"]["r_gen"] = f"{kk_gen} {city['kk']['_gen']}"
            forms["kk"]["r_loc"] = f"{kk_gen} {city['kk']['_loc']}"
            for case in ("", "_gen", "_loc"):
                forms["ru"]["r" + case] = f"{forms['ru'][case]} {ru_gen}"
                forms["en"]["r" + case] = f"{en}, {region_en}"
            kind = "city"
        else:
            forms = _place_forms(kk, ru, en)
            _with_region(forms, kk_gen, ru_gen, f" of {region_en}", full=True)
            kind = "district"
        place = _Place(region, district, kind, forms)
        district_places[district.id] = place
        usable = (
            stems[stem] == 1
            and stem not in region_words
            and stem not in _PERSON_NAMES
            and not _KAZAKH_ONLY.search(ru)
            and not ru.startswith(("район ", "город "))
        )
        if usable:
            places.append(place)
    return places, region_places, district_places


@dataclass(frozen=True)
class _Group:
    ref: GroupRef
    forms: dict[str, dict[str, str]]


def _build_groups(groups: Sequence[GroupRef]) -> list[_Group]:
    out = []
    analyzer = morph_analyzer()
    for ref in groups:
        if ref.code not in CORPUS_GROUPS:
            continue
        adjective = names.ETHNIC_ADJECTIVES.get(_ADJECTIVE_CODE.get(ref.code, ref.code))
        if adjective is None:
            continue
        kk_attr, ru_forms, en_adj = adjective
        kk = kk_plural(kk_attr)
        ru = ref.name[1].lower()
        plural = next((p for p in analyzer.parse(ru) if "plur" in p.tag), None)

        def ru_case(case: str, plural: Any = plural, ru: str = ru) -> str:
            form = plural.inflect({"plur", case}) if plural is not None else None
            return form.word if form is not None else ru

        forms = {
            "kk": {
                "": kk, "_gen": _kk(kk, "gen"), "_dat": _kk(kk, "dat"), "_acc": _kk(kk, "acc"),
                "_abl": _kk(kk, "abl"), "_ins": _kk(kk, "ins"), "_adj": kk_attr,
                "_adjf": kk_attr, "_adjn": kk_attr,
            },
            "ru": {
                "": ru, "_gen": ru_forms["gen_pl"], "_dat": ru_case("datv"),
                "_acc": ru_forms["gen_pl"], "_abl": ru_forms["gen_pl"], "_ins": ru_case("ablt"),
                "_adj": ru_forms["adj_m"], "_adjf": ru_forms["adj_gen_f"],
                "_adjn": ru_forms["adj_n"],
            },
            "en": {
                **dict.fromkeys(("", "_gen", "_dat", "_acc", "_abl", "_ins"), ref.name[2]),
                "_adj": en_adj, "_adjf": en_adj, "_adjn": en_adj,
            },
        }  # fmt: skip
        out.append(_Group(ref, forms))
    return out


@dataclass(frozen=True)
class _Person:
    forms: tuple[str, str, str]
    female: bool


def _person(rng: random.Random, *, female: bool | None = None) -> _Person:
    female = rng.random() < 0.4 if female is None else female
    if rng.random() < 0.7:
        first = rng.choice(names.KAZAKH_FEMALE_FIRST if female else names.KAZAKH_MALE_FIRST)
        last = rng.choice(names.KAZAKH_SURNAMES)[1 if female else 0]
        kk = f"{first} {last}"
        ru = russian_letters(kk)
    else:
        first = rng.choice(names.RUSSIAN_FEMALE_FIRST if female else names.RUSSIAN_MALE_FIRST)
        last = rng.choice(names.RUSSIAN_SURNAMES)[1 if female else 0]
        kk = ru = f"{first} {last}"
    return _Person((kk, ru, _latin(ru)), female)


_MONTHS = {
    "kk": (
        "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек",
        "қазан", "қараша", "желтоқсан",
    ),
    "ru": (
        "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
        "октября", "ноября", "декабря",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ),
}  # fmt: skip


def _date(day: datetime.date, language: str) -> str:
    month = _MONTHS[language][day.month - 1]
    if language == "kk":
        return f"{day.day} {month} күні"
    if language == "ru":
        return f"{day.day} {month}"
    return f"on {day.day} {month}"


def _ru_count(number: int, forms: tuple[str, str, str]) -> str:
    if number % 10 == 1 and number % 100 != 11:
        word = forms[0]
    elif 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        word = forms[1]
    else:
        word = forms[2]
    return f"{number} {word}"


_NAMED = {
    "fest": (
        ("Дала сазы", "Дала сазы", "Dala Sazy"),
        ("Достық шеңбері", "Круг дружбы", "Circle of Friendship"),
        ("Көктем әуендері", "Весенние мелодии", "Spring Melodies"),
        ("Ұлы дала үні", "Голос Великой степи", "Voice of the Great Steppe"),
        ("Жас таланттар", "Молодые таланты", "Young Talents"),
        ("Күміс домбыра", "Серебряная домбра", "Silver Dombra"),
        ("Көшпенділер әлемі", "Мир кочевников", "World of Nomads"),
    ),
    "play": (
        ("Қыз Жібек", "Кыз Жибек", "Kyz Zhibek"),
        ("Еңлік – Кебек", "Енлик – Кебек", "Enlik and Kebek"),
        ("Қозы Көрпеш – Баян сұлу", "Козы Корпеш – Баян сулу", "Kozy Korpesh and Bayan Sulu"),
        ("Ақан сері – Ақтоқты", "Акан сери – Актокты", "Akan Seri and Aktokty"),
        ("Шешендер сайысы", "Спор ораторов", "The Orators' Contest"),
    ),
    "expo": (
        ("Түрлі түсті дала", "Разноцветная степь", "The Colourful Steppe"),
        ("Менің қалам", "Мой город", "My City"),
        ("Жарық пен көлеңке", "Свет и тень", "Light and Shadow"),
        ("Ата-бабалар мұрасы", "Наследие предков", "Heritage of Ancestors"),
    ),
    "product": (
        ("сүт өнімдерін", "молочной продукции", "dairy products"),
        ("құрылыс материалдарын", "строительных материалов", "building materials"),
        ("жеміс шырындарын", "фруктовых соков", "fruit juices"),
        ("пластик құбырларды", "пластиковых труб", "plastic pipes"),
        ("ет консервілерін", "мясных консервов", "canned meat"),
        ("жиһаз", "мебели", "furniture"),
    ),
}


# ---------------------------------------------------------------------------------------------
# The world: places, groups, sources


class _World:
    def __init__(
        self,
        regions: Sequence[RegionRef],
        districts: Sequence[DistrictRef],
        groups: Sequence[GroupRef],
    ) -> None:
        self.regions = list(regions)
        self.districts = list(districts)
        self.places, self.region_places, self.district_places = _build_places(regions, districts)
        self.cities = [p for p in self.places if p.kind in ("centre", "city", "region")]
        self.cities = [p for p in self.cities if p.kind != "region" or p.region.kind == "city"]
        self.groups = _build_groups(groups)
        if len(self.groups) < 2:
            raise ValueError("The corpus needs at least two known ethnic groups.")
        self.group_by_code = {g.ref.code: g for g in self.groups}
        self.by_region: defaultdict[int, list[_Place]] = defaultdict(list)
        for place in self.places:
            self.by_region[place.region.id].append(place)

    def group(self, group_id: int) -> _Group:
        return next(g for g in self.groups if g.ref.id == group_id)

    def place(
        self, rng: random.Random, *, region_id: int | None = None, cities_only: bool = False
    ) -> _Place:
        pool = self.cities if cities_only else self.places
        if region_id is not None:
            local = [p for p in pool if p.region.id == region_id]
            pool = local or pool
        weights = [3.0 if p.kind in ("centre", "region") else 1.0 for p in pool]
        return rng.choices(pool, weights=weights)[0]

    def other_city(self, rng: random.Random, place: _Place) -> _Place:
        pool = [p for p in self.cities if p.region.id != place.region.id] or self.cities
        return rng.choice(pool)

    def slots(
        self,
        rng: random.Random,
        language: str,
        *,
        place: _Place,
        day: datetime.date,
        second: _Place | None = None,
        groups: tuple[_Group, _Group] | None = None,
        people: dict[str, _Person] | None = None,
        numbers: dict[str, Any] | None = None,
    ) -> dict[str, str]:
        """Every slot a template may use, in ``language``."""
        index = LANGUAGES.index(language)
        second = second or self.other_city(rng, place)
        first, second_group = groups or rng.sample(self.groups, 2)
        pair = (first, second_group)
        people = people or _people(rng)
        numbers = numbers or _numbers(rng)
        slots: dict[str, str] = {}
        region_place = self.region_places[place.region.id]
        for suffix, text in place.forms[language].items():
            if suffix.startswith("r"):
                slots["p" + suffix] = text  # pr, pr_gen, pr_loc
            else:
                slots["p" + suffix] = text
        for suffix in ("", "_gen", "_loc", "_dat"):
            slots["r" + suffix] = _region_form(region_place, language, suffix)
        for suffix, text in second.forms[language].items():
            if not suffix.startswith("r"):
                slots["q" + suffix] = text
        for letter, group in zip("gh", pair, strict=True):
            for suffix, text in group.forms[language].items():
                slots[letter + suffix] = text
        for role, person in people.items():
            slots[role] = person.forms[index]
            slots[role + "_a"] = "а" if person.female else ""
        for key, value in numbers.items():
            slots[key] = str(value)
        slots["date"] = _date(day, language)
        for key, choices in _NAMED.items():
            slots[key] = choices[int(numbers["pick"]) % len(choices)][index]
        k = int(numbers["k"])
        slots["k_ppl"] = {
            "kk": f"{k} адам",
            "ru": _ru_count(k, ("человек", "человека", "человек")),
            "en": f"{k} people",
        }[language]
        slots["k_users"] = {
            "kk": f"{k} пайдаланушы",
            "ru": _ru_count(k, ("пользователь", "пользователя", "пользователей")),
            "en": f"{k} users",
        }[language]
        return slots


def _region_form(region_place: _Place, language: str, suffix: str) -> str:
    """The region in a case; the region of a city of republican significance says «city»."""
    region = region_place.region
    if region.kind == "city":
        kk = {"": "қаласы", "_gen": "қаласының", "_loc": "қаласында", "_dat": "қаласына"}
        if language == "kk":
            return f"{region.centre[0]} {kk[suffix]}"
        if language == "ru":
            return _ru(f"город {region.centre[1]}", {"": "nom", "_gen": "gen", "_loc": "loc",
                                                     "_dat": "dat"}[suffix])  # fmt: skip
        return region.centre[2]
    return region_place.forms[language][suffix]


def _people(rng: random.Random) -> dict[str, _Person]:
    people = {
        role: _person(rng)
        for role in ("akim", "chair", "police", "expert", "artist", "coach", "director")
    }
    people["athlete"] = _person(rng, female=False)  # wrestlers and footballers in the templates
    return people


def _numbers(rng: random.Random) -> dict[str, Any]:
    a = rng.randint(1, 4)
    return {
        "n": rng.choice((50, 100, 150, 200, 300, 400, 500, 600, 800, 1000, 1200, 1500, 2000)),
        "n2": rng.choice((20, 30, 40, 50, 60, 80, 100, 120, 150, 200, 250, 300)),
        "n3": rng.choice((10, 20, 30, 40, 50, 70, 90, 120, 150, 200, 300)),
        "m": rng.choice((15, 25, 40, 60, 85, 120, 180, 240, 350, 500, 750, 900)),
        "k": rng.randint(2, 9),
        "k2": rng.choice((10, 20, 30, 40, 50, 60, 70, 80, 90, 120)),
        "k3": rng.choice((10, 15, 20, 25, 30)),
        "k4": rng.randint(11, 32),
        "k5": rng.randint(19, 58),
        "k6": rng.choice((6, 8, 10, 12, 18, 30)),
        "pct": rng.randint(4, 27),
        "score": f"{a + rng.randint(1, 2)}:{a - 1}",
        "phone": rng.choice(("109", "1414", "112")),
        "hh": rng.randint(9, 19),
        "pick": rng.randrange(1000),
    }


# Source lists: (key, kk/ru/en name, kind, declared language, region ISO, club kind, weight).
_NATIONAL: tuple[tuple[str, str, str, str, str, float, bool], ...] = (
    ("el-didary", "«Ел дидары»", "rss", "kk", "publication", 3.0, False),
    ("dala-zharshysy", "«Дала жаршысы»", "sitemap", "kk", "", 2.0, False),
    ("tulpar-aqparat", "«Тұлпар ақпарат»", "rss", "kk", "", 2.0, False),
    ("stepnoy-vestnik", "«Степной вестник»", "rss", "ru", "publication", 4.0, False),
    ("evraziyskiy-kurier", "«Евразийский курьер»", "sitemap", "ru", "", 3.0, False),
    ("vecherniy-meridian", "«Вечерний меридиан»", "rss", "ru", "", 2.0, False),
    ("steppe-times", "Steppe Times", "rss", "en", "publication", 2.0, False),
    ("silk-road-wire", "Silk Road Wire", "sitemap", "en", "", 1.5, False),
    ("dala-press", "«Дала-Пресс» агенттігі", "rss", "", "publication", 5.0, True),
    ("shanyrak-news", "Шаңырақ News", "rss", "", "", 4.0, True),
    ("zhetigen-tv", "«Жетіген» телеарнасы", "rss", "kk", "tv", 1.5, False),
    ("efir-24", "Телеканал «Эфир-24»", "rss", "ru", "tv", 1.5, False),
    ("qarlygash-blog", "«Қарлығаш» блогы", "telegram", "kk", "social", 1.0, False),
    ("nash-gorod-blog", "Блог «Наш город»", "telegram", "ru", "social", 1.0, False),
    ("derek-monitoring", "«Дерек» медиамониторинг", "vendor", "", "", 3.0, False),
    ("signal-monitoring", "«Сигнал» мониторинг", "vendor", "", "", 2.0, False),
)
# Per region: (kk outlet, ru outlet); the first kinds are rss/sitemap alternately.
_REGIONAL: dict[str, tuple[str, str]] = {
    "KZ-10": ("«Шыңғыстау жаршысы»", "«Семейский курьер»"),
    "KZ-11": ("«Көкше толқыны»", "«Кокшетауские вести»"),
    "KZ-15": ("«Ақтөбе айнасы»", "«Западный горизонт»"),
    "KZ-19": ("«Іле өңірі»", "«Семиреченский край»"),
    "KZ-23": ("«Каспий нұры»", "«Прикаспийская волна»"),
    "KZ-27": ("«Жайық таңы»", "«Уральская неделя»"),
    "KZ-31": ("«Тараз хабары»", "«Аулие-Ата сегодня»"),
    "KZ-33": ("«Жетісу жаңалығы»", "«Талдыкорганский курьер»"),
    "KZ-35": ("«Сарыарқа сәулесі»", "«Центральный вестник»"),
    "KZ-39": ("«Тобыл таңы»", "«Костанайский обозреватель»"),
    "KZ-43": ("«Сыр бойы таңы»", "«Приаральский вестник»"),
    "KZ-47": ("«Маңғыстау маржаны»", "«Мангистауский меридиан»"),
    "KZ-55": ("«Ертіс таңы»", "«Прииртышская неделя»"),
    "KZ-59": ("«Есіл толқыны»", "«Северный меридиан»"),
    "KZ-61": ("«Түркістан шұғыласы»", "«Южный курьер»"),
    "KZ-62": ("«Ұлытау жұлдызы»", "«Жезказганский вестник»"),
    "KZ-63": ("«Алтай жаршысы»", "«Восточный обозреватель»"),
    "KZ-71": ("«Бас қала тынысы»", "«Столичный курьер»"),
    "KZ-75": ("«Алатау ақшамы»", "«Вечерний Алатау»"),
    "KZ-79": ("«Шымқала хабары»", "«Шымкентская неделя»"),
}
_REGIONAL_CLUB = {"KZ-55", "KZ-61", "KZ-75", "KZ-31"}
# Local Telegram channels: (key, name, language, region ISO, other language it carries).
_LOCAL_CHANNELS = (
    ("sayram-online", "«Сайрам онлайн» арнасы", "", "KZ-61", "uz"),
    ("korday-chat", "«Қордай чаты»", "", "KZ-31", "ky"),
    ("enbek-zhanalyqtary", "«Еңбекші жаңалықтары»", "kk", "KZ-19", ""),
    ("ekibastuz-24", "Канал «Экибастуз 24»", "ru", "KZ-55", ""),
    ("taraz-live", "Канал «Тараз Live»", "ru", "KZ-31", ""),
    ("shymkent-chat", "«Шымкент чат»", "", "KZ-79", "uz"),
)
DEMO_MARK = " (демо)"


def _sources(regions: Sequence[RegionRef]) -> tuple[list[SourceSpec], dict[str, float]]:
    by_iso = {r.iso: r for r in regions}
    out: list[SourceSpec] = []
    weights: dict[str, float] = {}

    def add(key: str, name: str, kind: str, language: str, iso: str | None, club: str,
            weight: float, agency: bool = False) -> None:  # fmt: skip
        region = by_iso.get(iso) if iso else None
        if iso and region is None:
            return
        out.append(
            SourceSpec(
                key=key,
                name=name + DEMO_MARK,
                kind=kind,
                language=language,
                home_region_id=region.id if region else None,
                url=f"https://{key}.example/{'feed.xml' if kind == 'rss' else 'sitemap.xml'}"
                if kind in ("rss", "sitemap")
                else f"https://{key}.example/",
                club_kind=club,
                agency=agency,
            )
        )
        weights[key] = weight

    for key, name, kind, language, club, weight, agency in _NATIONAL:
        add(key, name, kind, language, None, club, weight, agency)
    for n, (iso, (kk_name, ru_name)) in enumerate(sorted(_REGIONAL.items())):
        club = "publication" if iso in _REGIONAL_CLUB else ""
        slug = iso.lower().replace("-", "")
        add(f"{slug}-kk", kk_name, ("rss", "sitemap")[n % 2], "kk", iso, club, 1.0)
        add(f"{slug}-ru", ru_name, ("sitemap", "rss")[n % 2], "ru", iso, "", 1.2)
    for key, name, language, iso, _other in _LOCAL_CHANNELS:
        add(key, name, "telegram", language, iso, "", 0.6)
    return out, weights


# ---------------------------------------------------------------------------------------------
# Templates (written out below): articles per kind and language, posts from fragments


@dataclass(frozen=True)
class _Frame:
    title: str
    lead: str
    details: tuple[str, ...]


@dataclass(frozen=True)
class _Texts:
    frames: tuple[_Frame, ...]
    shared: tuple[str, ...]


def _parse_block(block: str) -> _Texts:
    """``T:`` a title, ``L:`` its lead, ``D:`` the frame's details, ``S:`` the kind's shared
    sentences (usable with any frame)."""
    frames: list[_Frame] = []
    shared: list[str] = []
    title = lead = tag_before = ""
    details: list[str] = []
    for raw in block.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        tag, text = line[:2], line[2:].strip()
        if tag not in ("T:", "L:", "D:", "S:"):  # a long sentence goes on
            if tag_before == "S:":
                shared[-1] += " " + line
            elif tag_before == "D:":
                details[-1] += " " + line
            elif tag_before == "L:":
                lead += " " + line
            else:
                title += " " + line
            continue
        tag_before = tag
        if tag == "T:":
            if title:
                frames.append(_Frame(title, lead, tuple(details)))
            title, lead, details = text, "", []
        elif tag == "L:":
            lead = text
        elif tag == "D:":
            details.append(text)
        elif tag == "S:":
            shared.append(text)
        else:
            raise ValueError(f"Bad template line: {line!r}")
    if title:
        frames.append(_Frame(title, lead, tuple(details)))
    return _Texts(tuple(frames), tuple(shared))


def _parse_fragments(block: str) -> tuple[tuple[str, ...], ...]:
    """Post fragments: ``O:`` openers, ``B:`` bodies, ``C:`` closers."""
    parts: dict[str, list[str]] = {"O:": [], "B:": [], "C:": []}
    tag = "O:"
    for raw in block.strip().splitlines():
        line = raw.strip()
        if line[:2] in parts:
            tag = line[:2]
            parts[tag].append(line[2:].strip())
        elif line:  # a long fragment goes on
            parts[tag][-1] += " " + line
    return tuple(tuple(parts[key]) for key in ("O:", "B:", "C:"))


_FIELDS = string.Formatter()


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in _FIELDS.parse(template) if name}


_PLACE_SLOTS = {"p", "p_gen", "p_dat", "p_acc", "p_loc", "p_abl", "p_ins", "pr", "pr_gen", "pr_loc"}
_REGION_SLOTS = {"r", "r_gen", "r_loc", "r_dat"}
_SECOND_SLOTS = {"q", "q_gen", "q_dat", "q_acc", "q_loc", "q_abl", "q_ins"}
_GROUP_SUFFIXES = ("", "_gen", "_dat", "_acc", "_abl", "_ins", "_adj", "_adjf", "_adjn")


@dataclass
class _Named:
    """What a rendered text names, read from the slots its templates used."""

    regions: set[int] = field(default_factory=set)
    districts: set[int] = field(default_factory=set)
    groups: set[int] = field(default_factory=set)

    def add(
        self, used: set[str], *, place: _Place, second: _Place | None, groups: Sequence[_Group]
    ) -> None:
        if used & _PLACE_SLOTS:
            self.regions.add(place.region.id)
            self.districts |= place.district_ids
        if used & _REGION_SLOTS:
            self.regions.add(place.region.id)
        if second is not None and used & _SECOND_SLOTS:
            self.regions.add(second.region.id)
            self.districts |= second.district_ids
        for letter, group in zip("gh", groups, strict=False):
            if used & {letter + suffix for suffix in _GROUP_SUFFIXES}:
                self.groups.add(group.ref.id)


# ---------------------------------------------------------------------------------------------
# Generation


@dataclass
class _Draft:
    source: SourceSpec
    title: str
    text: str
    published_at: datetime.datetime
    language: str
    russian_letters: bool
    story: str
    topics: frozenset[str]
    named: _Named
    original: _Draft | None = None
    episode: str | None = None


ORDINARY_KINDS = ("culture", "unity", "economy", "sport", "society")
ORDINARY_WEIGHTS = (0.22, 0.2, 0.22, 0.16, 0.2)
MILD_KINDS = ("language_debate", "hate_court", "fake_debunk")
TOPICS: dict[str, frozenset[str]] = {
    "culture": frozenset(),
    "unity": frozenset({"unity"}),
    "economy": frozenset(),
    "sport": frozenset(),
    "society": frozenset(),
    "city_post": frozenset(),
    "language_debate": frozenset({"language"}),
    "hate_court": frozenset({"hate"}),
    "fake_debunk": frozenset({"disinformation"}),
    "incident": frozenset({"conflict"}),
    "language_row": frozenset({"language", "conflict"}),
    "statement": frozenset({"conflict", "unity"}),
    "followup": frozenset({"conflict"}),
    "rumour": frozenset({"disinformation"}),
    "hate": frozenset({"hate"}),
    "violence": frozenset({"violence", "conflict"}),
}


class _Generator:
    def __init__(
        self,
        world: _World,
        sources: list[SourceSpec],
        weights: dict[str, float],
        rng: random.Random,
        start: datetime.datetime,
        end: datetime.datetime,
    ) -> None:
        self.world = world
        self.sources = sources
        self.weights = weights
        self.rng = rng
        self.start = start
        self.end = end
        self.drafts: list[_Draft] = []
        self.seen: dict[str, _Draft] = {}
        self.stories = 0
        # Short posts made of fragments must not repeat within a week: a repeat is a copy.
        self.fragments_used: dict[tuple[Any, ...], list[datetime.datetime]] = {}
        # Sketches of the articles per (kind, language, frame, day): a new one must not read
        # as a copy of one written within the window.
        self.recent: defaultdict[tuple[str, str, int, datetime.date], list[frozenset[int]]] = (
            defaultdict(list)
        )
        self.articles = [s for s in sources if s.kind in ("rss", "sitemap")]
        self.posters = [s for s in sources if s.kind in ("telegram", "vendor")]

    # --- choosing sources -------------------------------------------------------------------

    def _pick(self, pool: Sequence[SourceSpec]) -> SourceSpec:
        return self.rng.choices(pool, weights=[self.weights[s.key] for s in pool])[0]

    def _writer(
        self, language: str, *, region_id: int | None, exclude: Iterable[str] = ()
    ) -> SourceSpec | None:
        """An outlet writing in ``language``: the region's own outlets first, else national."""
        excluded = set(exclude)
        fits = [
            s
            for s in self.articles
            if s.key not in excluded
            and s.language in (language, "")
            and (s.home_region_id is None or s.home_region_id == region_id)
        ]
        local = [s for s in fits if s.home_region_id == region_id]
        if local and self.rng.random() < 0.5:
            return self._pick(local)
        return self._pick(fits) if fits else None

    # --- rendering --------------------------------------------------------------------------

    def _article(
        self,
        kind: str,
        language: str,
        *,
        place: _Place,
        day: datetime.date,
        context: dict[str, Any],
        avoid: set[int],
    ) -> tuple[str, str, _Named, int]:
        """An article from a frame of ``kind``: its lead, one or two of its details, two of the
        kind's sentences and (ordinary news) one or two general ones. Re-drawn while it reads
        like a copy of an article of the same frame written within a week."""
        texts = ARTICLES[kind][language]
        choices = [n for n in range(len(texts.frames)) if n not in avoid] or list(
            range(len(texts.frames))
        )
        rng = self.rng
        slots = self.world.slots(rng, language, place=place, day=day, **context)
        for _attempt in range(6):
            number = rng.choice(choices)
            frame = texts.frames[number]
            details = rng.sample(frame.details, k=min(len(frame.details), rng.randint(1, 2)))
            shared = rng.sample(texts.shared, k=min(len(texts.shared), 2))
            body = [frame.lead, *details, *shared]
            if kind in ORDINARY_KINDS or kind in MILD_KINDS:
                body += rng.sample(_GENERIC_TEXT[language], k=rng.randint(1, 2))
            title = _sentence(frame.title.format(**slots))
            text = " ".join(_sentence(s.format(**slots)) for s in body)
            sketch = _sketch(f"{title} {text}")
            near = (
                other
                for offset in range(-WINDOW_DAYS, WINDOW_DAYS + 1)
                for other in self.recent.get((kind, language, number, day + _DAY * offset), ())
            )
            if not any(_similarity(sketch, other) >= 0.55 for other in near):
                break
        self.recent[(kind, language, number, day)].append(sketch)
        named = _Named()
        used: set[str] = set()
        for template in (frame.title, *body):
            used |= _fields(template)
        named.add(used, place=place, second=context.get("second"), groups=context["groups"])
        return title, text, named, number

    def _post(
        self,
        kind: str,
        language: str,
        *,
        place: _Place,
        day: datetime.date,
        when: datetime.datetime,
        context: dict[str, Any],
        scope: str,
    ) -> tuple[str, str, _Named] | None:
        """A short post of three fragments, or None when every fresh combination is used up:
        the same body twice in a week and a place would be a copy, not a new post."""
        openers, bodies, closers = POSTS[kind][language]
        rng = self.rng
        for _ in range(60):
            choice = (rng.randrange(len(openers)), rng.randrange(len(bodies)),
                      rng.randrange(len(closers)))  # fmt: skip
            keys = (
                ("triple", kind, language, *choice),
                ("body", scope, kind, language, place.region.id, choice[1]),
                ("body-closer", kind, language, choice[1], choice[2]),
            )
            if all(self._fresh(key, when) for key in keys):
                break
        else:
            return None
        for key in keys:
            self.fragments_used.setdefault(key, []).append(when)
        parts = [openers[choice[0]], bodies[choice[1]], closers[choice[2]]]
        slots = self.world.slots(rng, language, place=place, day=day, **context)
        named = _Named()
        used = set().union(*(_fields(p) for p in parts))
        named.add(used, place=place, second=context.get("second"), groups=context["groups"])
        text = _sentence(" ".join(p.format(**slots) for p in parts if p))
        return "", text, named

    def _reposters(self, source: SourceSpec, language: str) -> list[SourceSpec]:
        """Channels that would repost a post in ``language`` (never an empty list)."""
        fits = [s for s in self.posters if s.key != source.key and s.language in (language, "")]
        return fits or [source]

    def _fresh(self, key: tuple[Any, ...], when: datetime.datetime) -> bool:
        return all(abs((when - used).total_seconds()) > WINDOW_SECONDS
                   for used in self.fragments_used.get(key, ()))  # fmt: skip

    def _context(self, place: _Place) -> dict[str, Any]:
        rng = self.rng
        return {
            "second": self.world.other_city(rng, place),
            "groups": tuple(rng.sample(self.world.groups, 2)),
            "people": _people(rng),
            "numbers": _numbers(rng),
        }

    def _add(self, draft: _Draft) -> _Draft:
        """Keep a draft published before the end; the same text seen again is a copy of the
        first one (the pipeline's exact-copy check spans all time)."""
        if draft.published_at >= self.end:
            return draft
        key = match_key(f"{draft.title} {draft.text}")
        first = self.seen.setdefault(key, draft)
        if first is not draft and draft.original is None:
            draft.original = first  # the same words: the same story, places and topics
            draft.story, draft.topics, draft.named = first.story, first.topics, first.named
        self.drafts.append(draft)
        return draft

    def _when(
        self, base: datetime.datetime, low_minutes: float, high_minutes: float
    ) -> datetime.datetime:
        moment = base + datetime.timedelta(minutes=self.rng.uniform(low_minutes, high_minutes))
        return min(moment, self.end - datetime.timedelta(seconds=1 + self.rng.random() * 600))

    # --- reprints ---------------------------------------------------------------------------

    def _reprint(self, original: _Draft, source: SourceSpec, when: datetime.datetime) -> _Draft:
        """A copy with small edits: another title prefix, an attribution line, a dropped
        sentence — or the very same text."""
        title, text = original.title, original.text
        style = self.rng.random()
        if style < 0.3:
            pass  # the same text
        else:
            prefixes = _REPRINT_PREFIX[original.language]
            if title:
                title = self.rng.choice(prefixes) + title
            credit = _CREDIT[original.language].format(
                source=_credit(original.source, original.language)
            )
            sentences = _split_sentences(text)
            if style > 0.75 and len(sentences) >= 5:
                sentences.pop(self.rng.randrange(2, len(sentences)))
            text = " ".join(sentences) + " " + credit
            text = text.replace("«", '"').replace("»", '"') if style > 0.6 else text
            if _jaccard(original.title + " " + original.text, title + " " + text) < 0.8:
                text = original.text + " " + credit
        if original.russian_letters:
            title, text = russian_letters(title), russian_letters(text)
        return _Draft(
            source=source,
            title=title,
            text=text,
            published_at=when,
            language=original.language,
            russian_letters=original.russian_letters,
            story=original.story,
            topics=original.topics,
            named=original.named,
            original=original,
            episode=original.episode,
        )

    def _reprints(self, original: _Draft, mean: float, region_id: int | None) -> None:
        count = _poisson(self.rng, mean)
        used = {original.source.key}
        for _ in range(count):
            source = self._writer(original.language, region_id=region_id, exclude=used)
            if source is None:
                return
            used.add(source.key)
            when = self._when(original.published_at, 4, 600)
            self._add(self._reprint(original, source, when))

    # --- ordinary news ----------------------------------------------------------------------

    def ordinary_story(self, when: datetime.datetime) -> None:
        rng = self.rng
        self.stories += 1
        story = f"s{self.stories}"
        mild = rng.random() < MILD_RISK_SHARE
        kind = rng.choice(MILD_KINDS) if mild else rng.choices(ORDINARY_KINDS, ORDINARY_WEIGHTS)[0]
        origin = self._pick(self.articles)
        language = origin.language or rng.choices(LANGUAGES, weights=(0.45, 0.5, 0.05))[0]
        region_id = origin.home_region_id
        if region_id is not None and rng.random() < 0.15:
            region_id = None
        place = self.world.place(rng, region_id=region_id, cities_only=kind == "sport")
        context = self._context(place)
        day = when.astimezone(ALMATY).date()
        versions: list[tuple[SourceSpec, str, datetime.datetime]] = [(origin, language, when)]
        others = [lang for lang in LANGUAGES if lang != language]
        rng.shuffle(others)
        for other in others:
            chance = 0.6 if origin.agency else 0.22
            if other == "en":
                chance /= 4
            if rng.random() < chance:
                source = origin if origin.agency else self._writer(other, region_id=place.region.id)
                if source is not None:
                    versions.append((source, other, self._when(when, 10, 360)))
        frames_used: defaultdict[str, set[int]] = defaultdict(set)
        for source, version_language, moment in versions:
            title, text, named, frame = self._article(
                kind, version_language, place=place, day=day, context=context,
                avoid=frames_used[version_language],
            )  # fmt: skip
            frames_used[version_language].add(frame)
            letters = version_language == "kk" and rng.random() < 0.1
            if letters:
                title, text = russian_letters(title), russian_letters(text)
            draft = self._add(
                _Draft(
                    source,
                    title,
                    text,
                    moment,
                    version_language,
                    letters,
                    story,
                    TOPICS[kind],
                    named,
                )  # fmt: skip
            )
            mean = 0.6 if source.agency else 0.05
            self._reprints(draft, mean, place.region.id)

    def city_post(self, when: datetime.datetime) -> None:
        rng = self.rng
        self.stories += 1
        source = self._pick(self.posters)
        language = source.language or rng.choice(("kk", "ru"))
        region_id = source.home_region_id
        place = self.world.place(rng, region_id=region_id, cities_only=True)
        context = self._context(place)
        day = when.astimezone(ALMATY).date()
        post = self._post(
            "city_post", language, place=place, day=day, when=when, context=context,
            scope="city",
        )  # fmt: skip
        if post is None:
            return
        _, text, named = post
        letters = language == "kk" and rng.random() < 0.85
        if letters:
            text = russian_letters(text)
        draft = self._add(
            _Draft(
                source,
                "",
                text,
                when,
                language,
                letters,
                f"s{self.stories}",
                TOPICS["city_post"],
                named,
            )  # fmt: skip
        )
        if rng.random() < 0.08:
            others = self._reposters(source, language)
            self._add(self._reprint_exact(draft, rng.choice(others), self._when(when, 3, 240)))

    def _reprint_exact(
        self, original: _Draft, source: SourceSpec, when: datetime.datetime
    ) -> _Draft:
        return _Draft(
            source, original.title, original.text, when, original.language,
            original.russian_letters, original.story, original.topics, original.named,
            original=original, episode=original.episode,
        )  # fmt: skip

    def other_language(self, when: datetime.datetime) -> None:
        rng = self.rng
        self.stories += 1
        channels = {key: other for key, _, _, _, other in _LOCAL_CHANNELS if other}
        pool = [s for s in self.posters if s.key in channels or s.kind == "vendor"]
        source = rng.choice(pool)
        language = channels.get(source.key) or rng.choice(("uz", "ky", "uk"))
        first, middle, last = OTHER_LINES[language]
        for _ in range(60):
            choice = (
                rng.randrange(len(first)),
                rng.randrange(len(middle)),
                rng.randrange(len(last)),
            )
            keys = (("other", language, *choice), ("other-first", language, choice[0], choice[1]))
            if all(self._fresh(key, when) for key in keys):
                break
        else:
            return
        for key in keys:
            self.fragments_used.setdefault(key, []).append(when)
        slots = {"hh": str(rng.randint(9, 19)), "phone": rng.choice(("109", "1414"))}
        text = " ".join(part.format(**slots) for part in (first[choice[0]], middle[choice[1]],
                                                           last[choice[2]]))  # fmt: skip
        self._add(
            _Draft(
                source, "", text, when, "other", False, f"s{self.stories}", frozenset(), _Named()
            )  # fmt: skip
        )

    # --- tension episodes -------------------------------------------------------------------

    def episode(self, episode: Episode, number: int) -> None:
        rng = self.rng
        place = self.world.district_places[episode.district_id]
        groups = (self.world.group(episode.groups[0]), self.world.group(episode.groups[1]))
        base_context = {
            "second": self.world.other_city(rng, place),
            "groups": groups,
            "people": _people(rng),
        }
        local = [s for s in self.posters if s.home_region_id == episode.region_id] or [
            s for s in self.posters if s.kind == "vendor"
        ]
        hours = max(1, int((episode.end - episode.start).total_seconds() // 3600))
        peak_hour = (episode.peak - episode.start).total_seconds() / 3600
        weights = [_burst(h + 0.5, peak_hour, hours) for h in range(hours)]
        written: defaultdict[tuple[str, str], list[_Draft]] = defaultdict(list)
        frames_used: defaultdict[tuple[str, str], set[int]] = defaultdict(set)
        before = len(self.drafts)
        while len(self.drafts) - before < episode.items:
            hour = rng.choices(range(hours), weights=weights)[0]
            when = episode.start + datetime.timedelta(hours=hour, seconds=rng.randrange(3600))
            if when >= self.end:
                continue
            kind = _episode_kind(rng, hour / hours, language_row=episode.language_row)
            day = when.astimezone(ALMATY).date()
            story = f"e{number}-{kind}"
            context = {**base_context, "numbers": _numbers(rng)}
            post = kind in ("rumour", "hate", "violence") or (
                kind in EPISODE_POSTS and rng.random() < 0.45
            )
            if post:
                source = rng.choice(local) if rng.random() < 0.7 else self._pick(self.posters)
                language = source.language or rng.choice(("kk", "ru"))
                made = self._post(
                    EPISODE_POSTS.get(kind, kind), language, place=place, day=day, when=when,
                    context=context, scope=story,
                )  # fmt: skip
                earlier = written[(story, language)]
                if made is None:
                    if earlier:  # every fresh post is written: this one is a repost
                        self._add(self._reprint_exact(rng.choice(earlier), source, when))
                    continue
                _, text, named = made
                letters = language == "kk" and rng.random() < 0.7
                if letters:
                    text = russian_letters(text)
                draft = self._add(
                    _Draft(
                        source,
                        "",
                        text,
                        when,
                        language,
                        letters,
                        story,
                        TOPICS[kind],
                        named,
                        episode=episode.key,
                    )  # fmt: skip
                )
                earlier.append(draft)
                if rng.random() < 0.25:
                    others = self._reposters(source, language)
                    self._add(self._reprint_exact(draft, rng.choice(others),
                                                  self._when(when, 2, 180)))  # fmt: skip
                continue
            language = rng.choices(LANGUAGES, weights=(0.42, 0.48, 0.1))[0]
            earlier = written[(kind, language)]
            frames = frames_used[(kind, language)]
            if earlier and len(frames) >= len(ARTICLES[kind][language].frames):
                # Every way of telling it is written: the others reprint those reports.
                original = rng.choice(earlier)
                copier = self._writer(language, region_id=episode.region_id,
                                      exclude={original.source.key})  # fmt: skip
                if copier is not None:
                    self._add(self._reprint(original, copier, max(when, original.published_at)))
                continue
            writer = self._writer(language, region_id=episode.region_id)
            if writer is None:
                continue
            source = writer
            title, text, named, frame = self._article(
                kind, language, place=place, day=day, context=context, avoid=frames
            )
            frames.add(frame)
            draft = self._add(
                _Draft(
                    source,
                    title,
                    text,
                    when,
                    language,
                    False,
                    story,
                    TOPICS[kind],
                    named,
                    episode=episode.key,
                )  # fmt: skip
            )
            earlier.append(draft)


def _credit(source: SourceSpec, language: str) -> str:
    """The outlet's name as another outlet writes it in a credit line."""
    name = source.name.removesuffix(DEMO_MARK)
    if language == "en":
        return _latin(name.replace("«", "").replace("»", ""))
    return russian_letters(name) if language == "ru" else name


def _poisson(rng: random.Random, mean: float) -> int:
    threshold, count, product = math.exp(-mean), 0, rng.random()
    while product > threshold:
        count += 1
        product *= rng.random()
    return count


def _burst(hour: float, peak: float, hours: int) -> float:
    """Items per hour over an episode: a quick rise to the peak, a slower fall, a low floor."""
    if hour <= peak:
        rise = max(peak, 1.0) / 4
        return 0.03 + math.exp(-((hour - peak) ** 2) / (2 * rise**2))
    return 0.03 + math.exp(-(hour - peak) / max(hours / 8, 1.0))


def _episode_kind(rng: random.Random, phase: float, *, language_row: float = 1.0) -> str:
    """What is written at this point of an episode (0 = its start, 1 = its end)."""
    weights = {
        "incident": 3.0 if phase < 0.3 else 1.0,
        "rumour": 2.5 if 0.05 < phase < 0.6 else 0.5,
        "hate": 1.5 if 0.1 < phase < 0.6 else 0.3,
        "violence": 1.2 if 0.15 < phase < 0.5 else 0.2,
        "language_row": language_row * (1.0 if phase < 0.5 else 0.4),
        "statement": 0.3 if phase < 0.25 else 2.0,
        "followup": 0.1 if phase < 0.4 else 1.5,
    }
    return rng.choices(list(weights), weights=list(weights.values()))[0]


_SPLIT = re.compile(r"(?<=[.!?])\s+")


def _split_sentences(text: str) -> list[str]:
    return [s for s in _SPLIT.split(text) if s]


def _shingles(text: str) -> set[str]:
    key = match_key(text)[:1200]
    return {key[i : i + 5] for i in range(max(1, len(key) - 4))}


def _jaccard(a: str, b: str) -> float:
    left, right = _shingles(a), _shingles(b)
    return len(left & right) / max(1, len(left | right))


SKETCH = 64
_DAY = datetime.timedelta(days=1)


def _sketch(text: str) -> frozenset[int]:
    """The smallest hashes of a text's 5-character shingles (a bottom-k sketch): estimates
    the Jaccard similarity of two texts in 64 numbers instead of a set of every shingle."""
    key = fold(text)[:1200]
    hashes = {zlib.crc32(key[i : i + 5].encode()) for i in range(max(1, len(key) - 4))}
    return frozenset(sorted(hashes)[:SKETCH])


def _similarity(left: frozenset[int], right: frozenset[int]) -> float:
    shared = left & right
    if len(shared) < SKETCH // 2:  # the estimate is at most the shared share of one sketch
        return len(shared) / SKETCH
    union = sorted(left | right)[:SKETCH]
    return sum(1 for value in union if value in shared) / max(1, len(union))


# Episodes: (district KATO, fallback region ISO, groups, position in the period as a share or
# None for the last two days, hours, weight of language rows).
EPISODE_PLAN = (
    ("615200000", "KZ-61", ("uzbek", "kazakh"), 0.3, 60, 1.0),
    ("314800000", "KZ-31", ("dungan", "kazakh"), 0.55, 54, 1.0),
    ("194000000", "KZ-19", ("uyghur", "kazakh"), 0.8, 66, 1.0),
    # live: the last two days, a row over the language of service that turns into a conflict
    ("552200000", "KZ-55", ("russian", "kazakh"), None, 44, 4.0),
)


def _plan_episodes(
    world: _World, rng: random.Random, n_items: int, start: datetime.datetime,
    end: datetime.datetime,
) -> list[Episode]:  # fmt: skip
    episodes = []
    span = end - start
    for number, (kato, iso, codes, position, hours, row) in enumerate(EPISODE_PLAN, start=1):
        district = next((d for d in world.districts if d.kato == kato), None)
        if district is None:
            region = next((r for r in world.regions if r.iso == iso), None)
            pool = [d for d in world.districts if region and d.region_id == region.id]
            pool = pool or world.districts
            district = pool[0]
        if district.id not in world.district_places:
            continue
        groups = [world.group_by_code.get(code) for code in codes]
        if None in groups:
            groups = rng.sample(world.groups, 2)
        length = datetime.timedelta(hours=hours)
        if position is None:
            episode_end = end - datetime.timedelta(minutes=20)
            episode_start = episode_end - length
            peak = episode_end - datetime.timedelta(hours=4)
        else:
            episode_start = start + span * position
            episode_start = episode_start.replace(minute=0, second=0, microsecond=0)
            episode_end = episode_start + length
            peak = episode_start + datetime.timedelta(hours=rng.uniform(10, 20))
        if episode_start < start or episode_end > end:
            continue
        episodes.append(
            Episode(
                key=f"episode-{number}",
                region_id=district.region_id,
                district_id=district.id,
                start=episode_start,
                end=episode_end,
                peak=peak,
                groups=(groups[0].ref.id, groups[1].ref.id),  # type: ignore[union-attr]
                items=max(EPISODE_MIN_ITEMS, round(n_items * EPISODE_SHARE)),
                language_row=row,
            )
        )
    return episodes


def _diurnal(rng: random.Random, day_start: datetime.datetime) -> datetime.datetime:
    """A moment of the day, news being written mostly from 8:00 to 22:00 Almaty time."""
    local_hour = rng.choices(range(24), weights=_HOUR_WEIGHTS)[0]
    local = day_start.astimezone(ALMATY).replace(hour=local_hour, minute=0, second=0, microsecond=0)
    return (local + datetime.timedelta(seconds=rng.randrange(3600))).astimezone(datetime.UTC)


_HOUR_WEIGHTS = (1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 4, 6, 7, 7, 6, 6, 7, 7, 6, 6, 5, 5, 4, 3, 2, 1.5)


def generate(
    *,
    n_items: int,
    start: datetime.datetime,
    days: int,
    seed: int,
    regions: Sequence[RegionRef],
    districts: Sequence[DistrictRef],
    groups: Sequence[GroupRef],
) -> Corpus:
    """About ``n_items`` items published in [start, start + days), with their truth."""
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    rng = random.Random(seed)
    world = _World(regions, districts, groups)
    sources, weights = _sources(regions)
    end = start + datetime.timedelta(days=days)
    generator = _Generator(world, sources, weights, rng, start, end)
    episodes = _plan_episodes(world, rng, n_items, start, end)
    for number, episode in enumerate(episodes, start=1):
        generator.episode(episode, number)
    budget = n_items - len(generator.drafts)
    others = round(n_items * OTHER_LANGUAGE_SHARE)
    posts = round(n_items * CITY_POST_SHARE)
    for _ in range(others):
        generator.other_language(_diurnal(rng, start + (end - start) * rng.random()))
    for _ in range(posts):
        generator.city_post(_diurnal(rng, start + (end - start) * rng.random()))
    budget = n_items - len(generator.drafts)
    while budget > 0:
        when = _diurnal(rng, start + (end - start) * rng.random())
        before = len(generator.drafts)
        generator.ordinary_story(when)
        budget -= len(generator.drafts) - before
    return _finish(generator, episodes, world, seed)


def _finish(generator: _Generator, episodes: list[Episode], world: _World, seed: int) -> Corpus:
    drafts = [d for d in generator.drafts if generator.start <= d.published_at < generator.end]
    drafts.sort(key=lambda d: d.published_at)
    guids: dict[int, str] = {}
    items: list[dict[str, Any]] = []
    truth: dict[str, Truth] = {}
    for index, draft in enumerate(drafts):
        guid = f"{draft.source.key}-{seed}-{index:07d}"
        guids[id(draft)] = guid
    # A copy points to the earliest item of its text family (drafts are made out of order).
    first_of: dict[int, str] = {}
    copy_of: dict[int, str | None] = {}
    for draft in drafts:
        root = draft
        while root.original is not None:
            root = root.original
        first = first_of.setdefault(id(root), guids[id(draft)])
        copy_of[id(draft)] = None if first == guids[id(draft)] else first
    for index, draft in enumerate(drafts):
        guid = guids[id(draft)]
        moment = draft.published_at
        items.append(
            {
                "source": draft.source.key,
                "guid": guid,
                "url": f"https://{draft.source.key}.example/{moment:%Y/%m/%d}/{index:07d}",
                "title": draft.title[:500],
                "text": draft.text,
                "published_at": moment,
                "language": draft.source.language,
            }
        )
        truth[guid] = Truth(
            language=draft.language,
            russian_letters=draft.russian_letters,
            duplicate_of=copy_of[id(draft)],
            story=draft.story,
            regions=frozenset(draft.named.regions),
            districts=frozenset(draft.named.districts),
            groups=frozenset(draft.named.groups),
            topics=draft.topics,
            episode=draft.episode,
        )
    return Corpus(generator.sources, items, truth, episodes, world)


# ---------------------------------------------------------------------------------------------
# Article templates. Slots: {p…} the place (p, p_gen, p_dat, p_acc, p_loc, p_abl, p_ins; pr,
# pr_gen, pr_loc name its region too, for a first mention), {r…} its region, {q…} another city,
# {g…}/{h…} two ethnic groups (…_adj attributive, ru …_adjf feminine genitive), people {akim},
# {chair}, {police}, {expert}, {artist}, {athlete}, {coach}, {director} (ru past tense:
# «сообщил{akim_a}»), numbers {n} {n2} {n3} {m} {k} {k2} {k3} {k4} {k5} {k6} {pct} {score},
# {k_ppl} «3 адам / 3 человека / 3 people», {date}, names {fest} {play} {expo} {product}.

_ARTICLE_TEXT: dict[str, dict[str, str]] = {
    "culture": {
        "kk": """
            T: {p_loc} «{fest}» фестивалі өтті
            L: {date} {pr_loc} «{fest}» фестивалі өтіп, көрермендер саны {n} адамнан асты.
            D: Фестиваль бағдарламасына халық әндері, күйлер мен ұлттық билер енді.
            D: Сахнаға {q_abl} келген өнерпаздар да шықты.
            D: Фестиваль қонақтары шеберлер қалашығында қолөнер бұйымдарын тамашалады.
            T: {p} театры жаңа қойылым ұсынды
            L: {pr_loc} драма театры «{play}» атты жаңа спектаклін көрерменге ұсынды.
            D: Қойылымның режиссері {artist} бұл жұмысқа бір жылдай дайындалғанын айтты.
            D: Премьераға барлық билет бір апта бұрын сатылып кеткен.
            D: Басты рөлдерді театрдың жас актерлері сомдады.
            T: {p_loc} жас суретшілер көрмесі ашылды
            L: {date} {pr_loc} жас суретшілердің «{expo}» атты көрмесі ашылды.
            D: Экспозицияда {k2} кенеп пен графикалық жұмыс қойылған.
            D: Көрме ай соңына дейін тегін жұмыс істейді.
            D: Суретшілердің бірнеше туындысы облыстық мұражай қорына сатып алынды.
            S: Іс-шараны облыстық мәдениет басқармасы ұйымдастырды.
            S: Ұйымдастырушылар жобаны жыл сайын өткізуді жоспарлап отыр.
            S: Балаларға арналған шеберлік сабақтары да өтті.
            S: Жобаға жергілікті бюджеттен {m} миллион теңге бөлінген.
            S: Көрермендер әсіресе жас орындаушылардың өнеріне жоғары баға берді.
            S: Келушілер үшін қалалық көлік кешкі уақытта да жұмыс істеді.
            S: Іс-шара барысында жергілікті кәсіпкерлер демеушілік көрсетті.
            S: Жобаның ақпараттық серіктесі облыстық телеарна болды.
        """,
        "ru": """
            T: В {p_loc} прошел фестиваль «{fest}»
            L: {date} в {pr_loc} прошел фестиваль «{fest}», его посетили более {n} зрителей.
            D: В программе были народные песни, кюи и национальные танцы.
            D: На сцену вышли и артисты из {q_gen}.
            D: Гости фестиваля посетили городок мастеров и ярмарку ремесел.
            T: Театр в {p_loc} показал премьеру
            L: Драматический театр в {pr_loc} представил зрителям новый спектакль «{play}».
            D: Режиссер постановки {artist} рассказал{artist_a}, что работа над ней заняла около
                года.
            D: Все билеты на премьеру были раскуплены за неделю.
            D: Главные роли исполнили молодые актеры театра.
            T: В {p_loc} открылась выставка молодых художников
            L: {date} в {pr_loc} открылась выставка молодых художников «{expo}».
            D: В экспозиции представлено {k2} полотен и графических работ.
            D: Выставка будет работать бесплатно до конца месяца.
            D: Несколько работ приобрел для своих фондов областной музей.
            S: Мероприятие организовало областное управление культуры.
            S: Организаторы планируют проводить проект ежегодно.
            S: Для детей также прошли мастер-классы.
            S: На проект из местного бюджета выделено {m} млн тенге.
            S: Особенно тепло зрители встречали выступления молодых исполнителей.
            S: Для гостей городской транспорт работал и в вечернее время.
            S: Спонсорами выступили местные предприниматели.
            S: Информационным партнером проекта стал областной телеканал.
        """,
        "en": """
            T: {p} hosts the {fest} festival
            L: The {fest} festival took place in {pr} {date}, drawing more than {n} visitors.
            D: The programme included folk songs, kuy pieces for the dombra and traditional dances.
            D: Performers from {q} also took the stage.
            D: Visitors browsed a craft fair set up next to the main stage.
            T: {p} theatre premieres a new play
            L: The drama theatre in {pr} has staged a new production, "{play}".
            D: Director {artist} said the company spent almost a year preparing it.
            D: Tickets for the premiere sold out a week in advance.
            D: The leading roles went to the theatre's young actors.
            T: Young artists exhibit their work in {p}
            L: An exhibition of young artists, "{expo}", opened in {pr} {date}.
            D: It features {k2} paintings and graphic works.
            D: The exhibition is free and runs until the end of the month.
            D: The regional museum has bought several of the works for its collection.
            S: The event was organised by the regional culture department.
            S: The organisers plan to hold it every year.
            S: Workshops for children were held alongside the main programme.
            S: The local budget allocated {m} million tenge to the project.
            S: Audiences gave the young performers a particularly warm reception.
            S: Public transport ran late into the evening for visitors.
            S: Local businesses sponsored the event.
            S: The regional TV channel was the project's media partner.
        """,
    },
    "unity": {
        "kk": """
            T: {r_gen} Достық үйінде этномәдени бірлестіктер фестивалі өтті
            L: {date} {r_gen} Достық үйінде этномәдени бірлестіктердің «{fest}» фестивалі өтті.
            D: Фестивальде {g_adj} және {h_adj} этномәдени орталықтарының өкілдері ұлттық тағамдарын
                ұсынды.
            D: Ақсақалдар бата беріп, жастарды бірлікке шақырды.
            D: Жастар арасында ұлттық ойындардан жарыс ұйымдастырылды.
            T: {p_loc} «Бір шаңырақ астында» кеші өтті
            L: {pr_loc} «Бір шаңырақ астында» атты достық кеші өтіп, оған {n} адам қатысты.
            D: Кеште {g} мен {h} өз әндері мен билерін ұсынды.
            D: Облыстық ассамблея төрағасының орынбасары {chair} бірлік пен келісімнің маңызына
                тоқталды.
            D: Кеш соңында қатысушыларға алғыс хаттар табыс етілді.
            T: {g_adj} этномәдени орталығына {k3} жыл толды
            L: {pr_loc} {g_adj} этномәдени орталығы құрылғанына {k3} жыл толуын атап өтті.
            D: Мерейтойлық кешке облыстық ассамблея мүшелері мен {h_adj} бірлестігінің өкілдері
                келді.
            D: Орталық жанындағы ана тілі курстарында қазір {k2} бала оқиды.
            D: Орталық ардагерлері марапатталып, жаңа мүшелерге куәліктер берілді.
            S: Іс-шара Қазақстан халқы Ассамблеясының жылдық жоспары аясында өтті.
            S: Қатысушылар ел бірлігі ортақ игілік екенін атап өтті.
            S: Кеш соңында барлық этномәдени бірлестіктер бірге ән шырқады.
            S: Мемлекеттік тілді үйрену курстарына жазылу жалғасып жатыр.
            S: Ұйымдастырушылар мұндай кездесулер қоғамдық келісімді нығайтатынын айтты.
            S: Шараға облыстық ассамблеяның ғылыми-сараптамалық тобының мүшелері де қатысты.
            S: Жастар қанаты шараны әлеуметтік желілерде тікелей көрсетті.
            S: Достық үйі биыл {k2} іс-шара өткізуді жоспарлап отыр.
        """,
        "ru": """
            T: В Доме дружбы {r_gen} прошел фестиваль этнокультурных объединений
            L: {date} в Доме дружбы {r_gen} прошел фестиваль этнокультурных объединений «{fest}».
            D: Представители {g_adjf} и {h_adjf} общин угостили гостей национальными блюдами.
            D: Аксакалы дали благословение и призвали молодежь беречь единство.
            D: Для молодежи провели соревнования по национальным играм.
            T: В {p_loc} прошел вечер «Под одним шаныраком»
            L: В {pr_loc} прошел вечер дружбы «Под одним шаныраком», в нем приняли участие {n}
                человек.
            D: {g} и {h} представили свои песни и танцы.
            D: Заместитель председателя областной ассамблеи {chair} говорил{chair_a} о значении
                единства и согласия.
            D: В завершение участникам вручили благодарственные письма.
            T: {k3} лет этнокультурному центру {g_gen}
            L: Этнокультурный центр {g_gen} в {pr_loc} отметил {k3}-летие.
            D: На праздник пришли члены областной ассамблеи и представители {h_adjf} общины.
            D: На курсах родного языка при центре сейчас занимаются {k2} детей.
            D: Ветеранов центра наградили, новым членам вручили удостоверения.
            S: Мероприятие прошло в рамках плана работы Ассамблеи народа Казахстана.
            S: Участники подчеркнули, что единство страны — общее достояние.
            S: В завершение все этнокультурные объединения вместе исполнили песню.
            S: Продолжается запись на курсы государственного языка.
            S: Организаторы отметили, что такие встречи укрепляют общественное согласие.
            S: В мероприятии участвовали и члены научно-экспертной группы областной ассамблеи.
            S: Молодежное крыло вело прямую трансляцию в социальных сетях.
            S: В этом году Дом дружбы планирует провести {k2} мероприятий.
        """,
        "en": """
            T: Festival of ethnocultural associations at the House of Friendship in {r}
            L: Ethnocultural associations held the {fest} festival at the House of Friendship in {r}
                {date}.
            D: Members of the {g_adj} and {h_adj} communities treated guests to traditional dishes.
            D: Elders gave their blessing and urged young people to cherish unity.
            D: Young people competed in traditional games.
            T: "Under One Shanyrak" evening held in {p}
            L: A friendship evening, "Under One Shanyrak", was held in {pr}, bringing together {n}
                people.
            D: {g} and {h} performed their songs and dances.
            D: {chair}, deputy chair of the regional assembly, spoke about the value of unity and
                accord.
            D: Participants received letters of thanks at the end of the evening.
            T: {g_adj} cultural centre marks {k3} years
            L: The {g_adj} ethnocultural centre in {pr} has celebrated its {k3}th anniversary.
            D: Members of the regional assembly and of the {h_adj} association attended the
                celebration.
            D: Some {k2} children now attend the centre's mother-tongue classes.
            D: Veterans of the centre were honoured and new members received their cards.
            S: The event was part of the annual plan of the Assembly of the People of Kazakhstan.
            S: Participants stressed that the country's unity is a shared asset.
            S: At the end, all the ethnocultural associations sang together.
            S: Enrolment in state-language courses remains open.
            S: The organisers said such meetings strengthen public accord.
            S: Members of the regional assembly's research and expert group also attended.
            S: The youth wing streamed the event live on social media.
            S: The House of Friendship plans to hold {k2} events this year.
        """,
    },
    "economy": {
        "kk": """
            T: {p_loc} жаңа зауыт іске қосылды
            L: {date} {pr_loc} {product} шығаратын жаңа зауыт іске қосылды. Жобаның құны {m} миллион
                теңге.
            D: Кәсіпорында {n2} жаңа жұмыс орны ашылды.
            D: Өнімнің бір бөлігі {q_dat} жеткізіледі.
            D: Зауыт жабдықтары толық автоматтандырылған.
            T: {p} диқандары егін жинауды аяқтады
            L: {pr_loc} диқандар егін жинау науқанын аяқтап, әр гектардан орта есеппен {k4}
                центнерден өнім алды.
            D: Барлығы {n2} мың тонна астық қамбаға құйылды.
            D: Биыл жауын-шашын мол болғандықтан өнім былтырғыдан жоғары.
            D: Шаруашылықтар жаңа техника сатып алуға жеңілдікті несие алды.
            T: {p_loc} ауыл шаруашылығы жәрмеңкесі өтті
            L: {pr_loc} ауыл шаруашылығы өнімдерінің жәрмеңкесі өтті, оған {k2} шаруашылық қатысты.
            D: Тұрғындар ет, көкөніс пен жеміс-жидекті базардағыдан арзан бағамен сатып алды.
            D: Келесі жәрмеңке екі аптадан кейін ұйымдастырылады.
            D: Жәрмеңкеде жергілікті балалар жасаған қолөнер бұйымдары да сатылды.
            S: Облыс әкімдігінің мәліметінше, биыл өңірге {m} миллиард теңге инвестиция тартылған.
            S: Жергілікті кәсіпкерлер мемлекеттік қолдау бағдарламаларына қатысып жатыр.
            S: Жоба аясында жастарға кәсіби оқу ұйымдастырылмақ.
            S: Кәсіпорын басшысы {director} өндірісті келесі жылы кеңейтуді жоспарлап отырғанын
                айтты.
            S: Өңірде шағын және орта бизнес субъектілерінің саны {pct} пайызға өсті.
            S: Ауыл шаруашылығы басқармасы өнім өткізу нарығын кеңейтуге көмектесетінін айтты.
            S: Кәсіпкерлер палатасы жоба қатысушыларына кеңес беріп отыр.
            S: Өңірлік даму институты жобаның тиімділігін бағалайды.
        """,
        "ru": """
            T: В {p_loc} запустили новый завод
            L: {date} в {pr_loc} запустили завод по выпуску {product}. Стоимость проекта составила
                {m} млн тенге.
            D: На предприятии создано {n2} новых рабочих мест.
            D: Часть продукции будут поставлять в {q}.
            D: Оборудование завода полностью автоматизировано.
            T: Аграрии {p_gen} завершили уборку
            L: Аграрии {pr_gen} завершили уборочную кампанию, средняя урожайность составила {k4}
                ц/га.
            D: Всего собрано {n2} тысяч тонн зерна.
            D: Благодаря дождливой весне урожай выше прошлогоднего.
            D: Хозяйства получили льготные кредиты на покупку новой техники.
            T: В {p_loc} прошла сельскохозяйственная ярмарка
            L: В {pr_loc} прошла сельскохозяйственная ярмарка, в ней участвовали {k2} хозяйств.
            D: Жители покупали мясо, овощи и фрукты дешевле, чем на рынке.
            D: Следующая ярмарка пройдет через две недели.
            D: На ярмарке продавали и поделки местных школьников.
            S: По данным акимата области, в этом году в регион привлечено {m} млрд тенге инвестиций.
            S: Местные предприниматели участвуют в программах господдержки.
            S: В рамках проекта для молодежи организуют профессиональное обучение.
            S: Руководитель предприятия {director} сообщил{director_a}, что в следующем году
                производство планируют расширить.
            S: Число субъектов малого и среднего бизнеса в регионе выросло на {pct}%.
            S: Управление сельского хозяйства пообещало помочь с рынками сбыта.
            S: Палата предпринимателей консультирует участников проекта.
            S: Эффективность проекта оценит региональный институт развития.
        """,
        "en": """
            T: New plant opens in {p}
            L: A plant making {product} opened in {pr} {date}. The project cost {m} million tenge.
            D: The plant has created {n2} new jobs.
            D: Part of its output will be shipped to {q}.
            D: The plant's equipment is fully automated.
            T: Farmers in {p} finish the harvest
            L: Farmers in {pr} have finished the harvest, with an average yield of {k4} centners per
                hectare.
            D: In total, {n2} thousand tonnes of grain have been brought in.
            D: Thanks to a rainy spring, the harvest is higher than last year's.
            D: Farms received cheap loans to buy new machinery.
            T: Farmers' fair held in {p}
            L: An agricultural fair took place in {pr}, with {k2} farms taking part.
            D: Residents bought meat, vegetables and fruit at prices below those at the bazaar.
            D: The next fair will be held in two weeks.
            D: Crafts made by local schoolchildren were also on sale.
            S: According to the regional akimat, the region has attracted {m} billion tenge of
                investment this year.
            S: Local entrepreneurs are taking part in state support programmes.
            S: The project includes vocational training for young people.
            S: The plant's manager, {director}, said production would be expanded next year.
            S: The number of small and medium-sized businesses in the region has grown by {pct}%.
            S: The agriculture department promised help in finding markets.
            S: The chamber of entrepreneurs is advising those involved.
            S: A regional development institute will assess the project's results.
        """,
    },
    "sport": {
        "kk": """
            T: {p_loc} ұлттық күрестен турнир өтті
            L: {date} {pr_loc} ұлттық күрестен облыстық турнир өтіп, оған {k2} балуан қатысты.
            D: Бас жүлдені {q_abl} келген {athlete} жеңіп алды.
            D: Жарыс жеңімпаздары республикалық чемпионатқа жолдама алды.
            D: Турнирді тамашалауға {n} көрермен жиналды.
            T: {p} командасы {q} командасын жеңді
            L: Футболдан өңірлік біріншілікте {p} командасы өз алаңында {q} командасын {score}
                есебімен жеңді.
            D: Жеңісті голды екінші таймда {athlete} соқты.
            D: Ойынды {n} жанкүйер тамашалады.
            D: Бұл жеңіс команданы турнир кестесінің үшінші орнына көтерді.
            T: {p_loc} қалалық марафон өтті
            L: {pr_loc} өткен қалалық марафонға {n} жүгіруші қатысты.
            D: Ең ұзақ қашықтықта {athlete} үздік атанды.
            D: Жүгірушілер үшін жол бойында су мен медициналық көмек пункттері ұйымдастырылды.
            D: Марафонға мүмкіндігі шектеулі жандар да қатысты.
            S: Жарысты облыстық дене шынықтыру және спорт басқармасы ұйымдастырды.
            S: Жаттықтырушы {coach} жас спортшылардың шеберлігі жыл сайын артып келе жатқанын айтты.
            S: Жеңімпаздар медальдар мен бағалы сыйлықтармен марапатталды.
            S: Келесі кезең {q_loc} өтеді.
            S: Спорт нысандарын жаңарту үшін биыл {m} миллион теңге бөлінді.
            S: Жарыс төрешілері республикалық санаттағы мамандар болды.
            S: Жанкүйерлер спортшыларды қызу қолдады.
            S: Көрермендерге кіру тегін болды.
        """,
        "ru": """
            T: В {p_loc} прошел турнир по национальной борьбе
            L: {date} в {pr_loc} прошел областной турнир по национальной борьбе, в нем участвовали
                {k2} борцов.
            D: Главный приз завоевал {athlete} из {q_gen}.
            D: Победители получили путевки на республиканский чемпионат.
            D: Поединки посмотрели {n} зрителей.
            T: Команда {p_gen} обыграла команду {q_gen}
            L: В региональном первенстве по футболу команда {p_gen} на своем поле обыграла команду
                {q_gen} со счетом {score}.
            D: Победный мяч во втором тайме забил {athlete}.
            D: Матч посмотрели {n} болельщиков.
            D: Эта победа подняла команду на третье место в турнирной таблице.
            T: В {p_loc} прошел городской марафон
            L: В городском марафоне в {pr_loc} приняли участие {n} бегунов.
            D: Победителем на самой длинной дистанции стал{athlete_a} {athlete}.
            D: Вдоль трассы работали пункты с водой и медицинской помощью.
            D: В забеге участвовали и люди с инвалидностью.
            S: Соревнования организовало областное управление физической культуры и спорта.
            S: Тренер {coach} отметил{coach_a}, что мастерство молодых спортсменов растет с каждым
                годом.
            S: Победителей наградили медалями и ценными призами.
            S: Следующий этап пройдет в {q_loc}.
            S: На обновление спортивных объектов в этом году выделено {m} млн тенге.
            S: Судейство обеспечили арбитры республиканской категории.
            S: Болельщики горячо поддерживали спортсменов.
            S: Вход для зрителей был свободным.
        """,
        "en": """
            T: Wrestling tournament held in {p}
            L: A regional tournament in traditional wrestling took place in {pr} {date}, with {k2}
                wrestlers competing.
            D: The main prize went to {athlete} from {q}.
            D: The winners qualified for the national championship.
            D: {n} spectators came to watch the bouts.
            T: {p} beat {q} in the regional football league
            L: In the regional football championship, {p} beat {q} {score} at home.
            D: {athlete} scored the winning goal in the second half.
            D: The match was watched by {n} fans.
            D: The win lifted the team to third place in the table.
            T: Marathon runners take to the streets of {p}
            L: {n} runners took part in the city marathon in {pr}.
            D: {athlete} won the longest distance.
            D: Water and first-aid points were set up along the route.
            D: Runners with disabilities also took part.
            S: The competition was organised by the regional department of physical culture and
                sport.
            S: Coach {coach} said young athletes were getting better every year.
            S: The winners received medals and prizes.
            S: The next stage will be held in {q}.
            S: This year {m} million tenge has been allocated to upgrade sports facilities.
            S: The referees held national-category licences.
            S: Fans cheered the athletes on.
            S: Admission for spectators was free.
        """,
    },
    "society": {
        "kk": """
            T: {p_loc} жаңа мектеп ашылды
            L: {pr_loc} {n} орындық жаңа мектеп пайдалануға берілді.
            D: Мектепте робототехника кабинеті мен спорт залы бар.
            D: Құрылысқа {m} миллион теңге жұмсалды.
            D: Мектепке жақын маңдағы үш ауылдың балалары автобуспен тасымалданады.
            T: {p_loc} жолдар жөнделіп жатыр
            L: {pr_loc} биыл {k2} шақырым жол күрделі жөндеуден өтеді.
            D: Жұмыстар қараша айына дейін аяқталуы тиіс.
            D: Жөндеу кезінде көліктер айналма жолмен жүреді.
            D: Жол бойына жаңа аялдамалар мен жарық бағандары орнатылады.
            T: {p_loc} жылу беру маусымы басталды
            L: {date} {pr_loc} жылу беру маусымы басталды, барлық әлеуметтік нысандар жылумен
                қамтылды.
            D: Коммуналдық қызметтер апатты жағдайлар үшін тәулік бойы кезекшілік ұйымдастырды.
            D: Тұрғындар ақаулар туралы {phone} нөмірі арқылы хабарлай алады.
            D: Жазда жылу желілерінің {k2} шақырымы ауыстырылды.
            S: Әкімдік өкілі {akim} барлық жұмыстар кесте бойынша жүріп жатқанын айтты.
            S: Тұрғындар жаңартуларға ризашылығын білдірді.
            S: Жоба мемлекеттік бағдарлама аясында жүзеге асырылуда.
            S: Келесі жылы {q_loc} осындай жұмыстар басталады.
            S: Өңірде биыл {k2} әлеуметтік нысан салу жоспарланған.
            S: Жұмыстарды жергілікті мердігер компания атқарып жатыр.
            S: Сапаны техникалық қадағалау қызметі тексереді.
            S: Тұрғындар ұсыныстарын әкімдіктің блогына жаза алады.
        """,
        "ru": """
            T: В {p_loc} открылась новая школа
            L: В {pr_loc} сдали в эксплуатацию новую школу на {n} мест.
            D: В школе есть кабинет робототехники и спортивный зал.
            D: На строительство потратили {m} млн тенге.
            D: Детей из трех соседних сел будут подвозить на автобусе.
            T: В {p_loc} ремонтируют дороги
            L: В {pr_loc} в этом году капитально отремонтируют {k2} километров дорог.
            D: Работы должны завершиться к ноябрю.
            D: На время ремонта транспорт пустят в объезд.
            D: Вдоль дорог установят новые остановки и фонари.
            T: В {p_loc} начался отопительный сезон
            L: {date} в {pr_loc} начался отопительный сезон, тепло подано на все социальные объекты.
            D: Коммунальные службы организовали круглосуточное дежурство на случай аварий.
            D: О неполадках жители могут сообщать по номеру {phone}.
            D: Летом заменили {k2} километров тепловых сетей.
            S: Представитель акимата {akim} сообщил{akim_a}, что все работы идут по графику.
            S: Жители поблагодарили за обновления.
            S: Проект реализуется в рамках государственной программы.
            S: В следующем году такие же работы начнутся в {q_loc}.
            S: Всего в регионе в этом году планируется построить {k2} социальных объектов.
            S: Работы выполняет местная подрядная организация.
            S: Качество проверяет служба технического надзора.
            S: Жители могут оставить предложения в блоге акимата.
        """,
        "en": """
            T: New school opens in {p}
            L: A new school for {n} pupils has opened in {pr}.
            D: The school has a robotics lab and a sports hall.
            D: Construction cost {m} million tenge.
            D: Children from three nearby villages will be brought in by bus.
            T: Road repairs under way in {p}
            L: {k2} kilometres of roads in {pr} are being fully repaired this year.
            D: The work is due to be completed by November.
            D: Traffic will be diverted while the repairs are carried out.
            D: New bus stops and street lights will be installed along the roads.
            T: Heating season begins in {p}
            L: The heating season began in {pr} {date}, and all public buildings now have heat.
            D: Utility services are on call around the clock in case of breakdowns.
            D: Residents can report faults by calling {phone}.
            D: {k2} kilometres of heating pipes were replaced over the summer.
            S: Akimat spokesperson {akim} said all work was on schedule.
            S: Residents thanked the authorities for the improvements.
            S: The project is funded under a state programme.
            S: Similar work will start in {q} next year.
            S: In all, {k2} public facilities are to be built in the region this year.
            S: The work is being done by a local contractor.
            S: Technical supervisors are checking the quality.
            S: Residents can leave suggestions on the akimat's blog.
        """,
    },
    "language_debate": {
        "kk": """
            T: {p_loc} дүкен маңдайшаларының тілі талқыланды
            L: {pr_loc} қоғамдық кеңес отырысында дүкендер мен дәмханалар маңдайшаларындағы
                мемлекеттік тілдің қолданылуы талқыланды.
            D: Тексеріс барысында {k2} маңдайшада қателер анықталған.
            D: Кәсіпкерлерге ақауларды бір ай ішінде түзету ұсынылды.
            T: Қызмет көрсету тілі туралы шағым түсті
            L: {pr_loc} тұрғын емханада мемлекеттік тілде қызмет көрсетілмегені туралы шағым жазды.
            D: Емхана әкімшілігі қызметкерлермен түсіндіру жұмысы жүргізілетінін айтты.
            D: Тіл басқармасы мұндай шағымдар биыл {k} есеге азайғанын хабарлады.
            T: {p_loc} тіл саясаты жөнінде дөңгелек үстел өтті
            L: {pr_loc} тіл саясатына арналған дөңгелек үстелде мамандар мемлекеттік тілді қолдану
                аясын кеңейту жолдарын талқылады.
            D: Сарапшы {expert} тіл мәселесін саяси дауға айналдырмау керегін айтты.
            D: Қатысушылар тегін тіл курстарын көбейтуді ұсынды.
            S: Тіл басқармасының дерегінше, биыл өңірде {k2} тіл үйрету курсы жұмыс істеді.
            S: Мәселе бойынша әлеуметтік желілерде пікірталас туындады.
            S: Мамандар дауды заң аясында, сабырмен шешуге шақырды.
        """,
        "ru": """
            T: В {p_loc} обсудили язык вывесок
            L: На заседании общественного совета в {pr_loc} обсудили использование государственного
                языка на вывесках магазинов и кафе.
            D: В ходе проверки ошибки нашли на {k2} вывесках.
            D: Предпринимателям рекомендовали исправить нарушения в течение месяца.
            T: Жалоба на язык обслуживания
            L: Житель {pr_gen} пожаловался, что в поликлинике его отказались обслужить на
                государственном языке.
            D: В администрации поликлиники пообещали провести разъяснительную работу с сотрудниками.
            D: В управлении по развитию языков сообщили, что таких жалоб в этом году стало в {k}
                раза меньше.
            T: Круглый стол о языковой политике прошел в {p_loc}
            L: На круглом столе в {pr_loc} эксперты обсудили, как расширить применение
                государственного языка.
            D: Эксперт {expert} призвал{expert_a} не превращать языковой вопрос в политический спор.
            D: Участники предложили увеличить число бесплатных языковых курсов.
            S: По данным управления по развитию языков, в этом году в регионе работали {k2} языковых
                курсов.
            S: Тема вызвала дискуссию в социальных сетях.
            S: Специалисты призвали решать споры спокойно и в рамках закона.
        """,
        "en": """
            T: Shop-sign language debated in {p}
            L: A public council meeting in {pr} discussed the use of the state language on the signs
                of shops and cafés.
            D: Inspectors found errors on {k2} signs.
            D: Business owners were advised to correct them within a month.
            T: Complaint over language of service
            L: A resident of {pr} has complained that a clinic refused to serve him in the state
                language.
            D: The clinic's management promised to brief its staff.
            D: The language development department said such complaints had fallen {k}-fold this
                year.
            T: Round table on language policy held in {p}
            L: At a round table in {pr}, experts discussed ways to widen the use of the state
                language.
            D: Expert {expert} urged people not to turn the language issue into a political quarrel.
            D: Participants proposed more free language courses.
            S: According to the language development department, {k2} language courses ran in the
                region this year.
            S: The topic sparked a debate on social media.
            S: Specialists called for disputes to be settled calmly and within the law.
        """,
    },
    "hate_court": {
        "kk": """
            T: {p_loc} әлеуметтік желідегі жазбалары үшін тұрғын сотталды
            L: {pr_loc} сот ұлтаралық араздықты қоздыратын жазбалар жариялаған {k5} жастағы тұрғынға
                {k6} ай бас бостандығын шектеу жазасын тағайындады.
            D: Тергеу дерегінше, ол басқа ұлт өкілдерін кемсітетін пікірлер жазған.
            D: Сотталушы кінәсін мойындап, өкінетінін айтты.
            T: Ұлтаралық араздықты қоздырғаны үшін іс қозғалды
            L: {pr_loc} полиция әлеуметтік желіде {g_acc} қорлайтын видео таратқан тұрғынға қатысты
                қылмыстық іс қозғады.
            D: Видео бірнеше сағаттың ішінде өшірілді.
            D: Полиция өкілі {police} араздық тудыратын жазбаларды таратпауға шақырды.
            T: {p_loc} араздық тудыратын парақша бұғатталды
            L: {pr_loc} {g_dat} қарсы өшпенділік сөздер жарияланған парақша прокуратура талабымен
                бұғатталды.
            D: Парақша әкімшісі анықталып, оған қатысты тексеріс жүріп жатыр.
            D: Парақшаның {n2} мыңнан астам жазылушысы болған.
            S: Мамандар мұндай жазбаларға шағымдануды сұрайды.
            S: Қылмыстық кодекстің 174-бабы бойынша бұл әрекет үшін бас бостандығынан айыру жазасы
                қарастырылған.
            S: Прокуратура әлеуметтік желілердегі араздық сөздерді бақылауды күшейтті.
        """,
        "ru": """
            T: Жителя {p_gen} осудили за посты в соцсетях
            L: Суд в {pr_loc} назначил {k5}-летнему жителю {k6} месяцев ограничения свободы за
                публикации, возбуждающие межнациональную рознь.
            D: По данным следствия, он оскорблял людей по национальному признаку.
            D: Подсудимый признал вину и раскаялся.
            T: Возбуждено дело о разжигании розни
            L: Полиция {pr_gen} возбудила уголовное дело против жителя, распространившего в соцсети
                видео с оскорблениями в адрес {g_gen}.
            D: Видео удалили через несколько часов.
            D: Представитель полиции {police} призвал{police_a} не распространять публикации, сеющие
                вражду.
            T: В {p_loc} заблокировали страницу с призывами к вражде
            L: Страница, на которой публиковались враждебные высказывания в адрес {g_gen} из
                {pr_gen}, заблокирована по требованию прокуратуры.
            D: Администратор страницы установлен, в отношении него проводится проверка.
            D: У страницы было более {n2} тысяч подписчиков.
            S: Специалисты просят сообщать о подобных публикациях.
            S: За это по статье 174 Уголовного кодекса предусмотрено лишение свободы.
            S: Прокуратура усилила контроль за проявлениями вражды в социальных сетях.
        """,
        "en": """
            T: Resident of {p} sentenced over social media posts
            L: A court in {pr} has sentenced a {k5}-year-old resident to {k6} months of restricted
                freedom for posts inciting interethnic hatred.
            D: Investigators say he insulted people because of their ethnicity.
            D: The defendant pleaded guilty and expressed remorse.
            T: Case opened over video insulting {g}
            L: Police in {pr} have opened a criminal case against a resident who shared a video
                insulting {g} on social media.
            D: The video was removed within hours.
            D: Police spokesperson {police} urged people not to share posts that spread hostility.
            T: Page spreading hostility towards {g} blocked in {p}
            L: A social media page from {pr} that published hostile remarks about {g} has been
                blocked at the prosecutor's request.
            D: The page's administrator has been identified and is being investigated.
            D: The page had more than {n2} thousand followers.
            S: Specialists ask the public to report such posts.
            S: Article 174 of the Criminal Code provides for prison terms for such offences.
            S: Prosecutors have stepped up monitoring of hostile speech on social media.
        """,
    },
    "fake_debunk": {
        "kk": """
            T: {p_loc} {g} туралы тараған ақпарат жалған болып шықты
            L: Әлеуметтік желілерде {pr_loc} {g} жергілікті тұрғындарды жұмыстан ығыстырып жатыр
                деген хабар тарады, алайда әкімдік бұл ақпаратты жоққа шығарды.
            D: Әкімдік өкілі {akim} видеоның басқа елде бірнеше жыл бұрын түсірілгенін айтты.
            D: Жалған ақпарат таратқандар анықталып жатыр.
            T: Әкімдік жер туралы фейкке түсініктеме берді
            L: {pr_loc} {g} жер телімдерін заңсыз алған деген хабарлама шындыққа сәйкес келмейді,
                деп мәлімдеді әкімдік.
            D: Тексеріс барысында ешқандай заң бұзушылық анықталмаған.
            D: Тұрғындарға ақпаратты тек ресми дереккөздерден алу ұсынылды.
            T: Ескі видео жаңа оқиға ретінде таратылды
            L: {pr_loc} болған төбелес деп таратылған видео шын мәнінде {q_loc} бес жыл бұрын
                түсірілген.
            D: Полиция өкілі {police} видеоның ұлтаралық қақтығысқа қатысы жоқ екенін айтты.
            D: Видеоны алғаш жариялаған парақша бұғатталды.
            S: Мамандар тексерілмеген хабарларды таратпауға шақырады.
            S: Фейк ақпарат таратқаны үшін әкімшілік жауапкершілік қарастырылған.
            S: Ресми түсініктеме облыс әкімдігінің сайтында жарияланды.
        """,
        "ru": """
            T: Акимат {p_gen} опроверг слухи из соцсетей
            L: В соцсетях распространилось сообщение, что в {pr_loc} {g} вытесняют местных жителей с
                рабочих мест, однако акимат опроверг эту информацию.
            D: Представитель акимата {akim} пояснил{akim_a}, что видео снято несколько лет назад в
                другой стране.
            D: Распространителей ложной информации устанавливают.
            T: Акимат прокомментировал фейк о земле
            L: Сообщение о том, что {g} в {pr_loc} незаконно получили земельные участки, не
                соответствует действительности, заявили в акимате.
            D: Проверка не выявила никаких нарушений.
            D: Жителям рекомендовали получать информацию только из официальных источников.
            T: Старое видео выдали за новое
            L: Видео, которое распространяли как драку в {pr_loc}, на самом деле снято пять лет
                назад в {q_loc}.
            D: Представитель полиции {police} сообщил{police_a}, что видео не имеет отношения к
                межнациональному конфликту.
            D: Страницу, впервые опубликовавшую видео, заблокировали.
            S: Специалисты призывают не распространять непроверенные сообщения.
            S: За распространение ложной информации предусмотрена административная ответственность.
            S: Официальный комментарий опубликован на сайте акимата области.
        """,
        "en": """
            T: Claims about {g} in {p} turn out to be fake
            L: Social media posts claimed that {g} in {pr} were pushing local residents out of jobs,
                but the akimat has denied the report.
            D: Akimat spokesperson {akim} said the video had been filmed several years ago in
                another country.
            D: Those who spread the false information are being identified.
            T: Akimat responds to fake land claims
            L: Reports that {g} in {pr} had illegally received plots of land are untrue, the akimat
                said.
            D: An inspection found no violations.
            D: Residents were advised to rely only on official sources.
            T: Old video passed off as new incident
            L: A video shared as footage of a brawl in {pr} was in fact filmed five years ago in
                {q}.
            D: Police spokesperson {police} said the video had nothing to do with any interethnic
                conflict.
            D: The page that first posted the video has been blocked.
            S: Specialists urge people not to share unverified reports.
            S: Spreading false information carries administrative penalties.
            S: The official statement was published on the regional akimat's website.
        """,
    },
    "incident": {
        "kk": """
            T: {p_loc} жастар арасында жаппай төбелес болды
            L: {date} кешке {pr_loc} ауылдардың бірінде жастар арасында жаппай төбелес болып,
                {k_ppl} жарақат алды.
            D: Куәгерлердің айтуынша, дау кафеде басталып, кейін көшеге ұласқан.
            D: Оқиға орнына полиция мен жедел жәрдем жеткен.
            T: {p_loc} болған қақтығыс: полиция тергеу жүргізуде
            L: {pr_loc} {g} мен {h} арасындағы қақтығысқа қатысты полиция тергеу бастады.
            D: Полиция өкілі {police} жағдайдың бақылауда екенін айтты.
            D: Әлеуметтік желіде оқиғаның бірнеше видеосы тарады.
            T: {p_loc} шиеленіс: ауылда полиция күшейтілді
            L: {pr_loc} түнгі төбелестен кейін ауылда полиция патрульдері күшейтілді.
            D: Тұрғындардың айтуынша, бірнеше көлік пен дүкеннің терезелері сындырылған.
            D: Аудан әкімдігі тұрғындарды сабырлы болуға шақырды.
            S: Қазіргі уақытта {k_ppl} ұсталды.
            S: Оқиғаның себептері анықталып жатыр.
            S: Жарақат алғандар аудандық ауруханаға жеткізілді.
            S: Полиция тұрғындардан тексерілмеген ақпарат таратпауды сұрады.
            S: Полиция оқиғаның ұлтаралық қақтығысқа қатысы бар-жоғын анықтап жатыр.
        """,
        "ru": """
            T: Массовая драка в {p_loc}
            L: {date} вечером в одном из сел {pr_gen} произошла массовая драка, пострадали {k_ppl}.
            D: По словам очевидцев, ссора началась в кафе и переросла в драку на улице.
            D: На место выехали полиция и скорая помощь.
            T: Конфликт в {p_loc}: полиция ведет расследование
            L: Полиция начала расследование конфликта между {g_ins} и {h_ins} в {pr_loc}.
            D: Представитель полиции {police} заявил{police_a}, что ситуация под контролем.
            D: В соцсетях распространились несколько видео с места событий.
            T: Напряженность в {p_loc}: в селе усилили патрули
            L: После ночной драки в {pr_loc} в селе усилены полицейские патрули.
            D: По словам жителей, были разбиты окна нескольких машин и магазинов.
            D: Акимат района призвал жителей сохранять спокойствие.
            S: На данный момент задержаны {k_ppl}.
            S: Причины произошедшего выясняются.
            S: Пострадавших доставили в районную больницу.
            S: Полиция просит жителей не распространять непроверенную информацию.
            S: Версию о драке на национальной почве полиция пока не подтверждает.
        """,
        "en": """
            T: Mass brawl in {p}
            L: A mass brawl broke out in a village in {pr} {date}, leaving {k_ppl} injured.
            D: Witnesses say an argument started in a café and spilled out into the street.
            D: Police and ambulances were sent to the scene.
            T: Clash in {p}: police investigating
            L: Police have opened an investigation into a clash between {g} and {h} in {pr}.
            D: Police spokesperson {police} said the situation was under control.
            D: Several videos of the incident spread on social media.
            T: Tension in {p}: police patrols stepped up
            L: Police patrols have been stepped up in a village in {pr} after a night-time brawl.
            D: Residents say the windows of several cars and shops were smashed.
            D: The district akimat urged residents to stay calm.
            S: So far {k_ppl} have been detained.
            S: The causes of the incident are being established.
            S: The injured were taken to the district hospital.
            S: Police asked residents not to share unverified information.
            S: Police have not ruled out that the brawl was an interethnic clash.
        """,
    },
    "language_row": {
        "kk": """
            T: {p_loc} тіл үшін болған дау видеосы тарады
            L: {pr_loc} дүкенде сатушы мен сатып алушы арасында тіл үшін болған дау түсірілген видео
                әлеуметтік желіде кең тарады.
            D: Видеода сатып алушы қызметтің мемлекеттік тілде көрсетілуін талап етеді.
            D: Видео бір тәулікте {n3} мың рет қаралған.
            T: Тіл дауы: дүкен иесі кешірім сұрады
            L: {pr_loc} тіл дауынан кейін дүкен иесі тұтынушыдан кешірім сұрады.
            D: Дүкен әкімшілігі барлық қызметкерлер үшін мемлекеттік тіл курсын ұйымдастыратынын
                айтты.
            D: Оқиға желідегі пікірталасты одан әрі қыздырды.
            T: {p_loc} тіл дауы ушығып барады
            L: {pr_loc} тіл үшін болған даудан кейін әлеуметтік желілерде {g} мен {h} арасында өзара
                айыптаулар көбейді.
            D: Кейбір пайдаланушылар дүкенге наразылық білдіруге шақырды.
            D: Мамандар дауды ушықтырмауға шақырып отыр.
            S: Тіл басқармасы жағдайды тексеріп жатқанын хабарлады.
            S: Полиция видеодағы қатысушыларды анықтады.
            S: Облыстық ассамблея тараптарды сабырға шақырды.
        """,
        "ru": """
            T: В сети распространилось видео языкового конфликта в {p_loc}
            L: В соцсетях широко разошлось видео спора о языке между продавцом и покупателем в
                магазине в {pr_loc}.
            D: На видео покупатель требует обслужить его на государственном языке.
            D: За сутки ролик посмотрели {n3} тысяч раз.
            T: Языковой конфликт: владелец магазина извинился
            L: После языкового конфликта в {pr_loc} владелец магазина принес извинения покупателю.
            D: Администрация магазина пообещала организовать курсы государственного языка для всех
                сотрудников.
            D: Инцидент еще больше подогрел споры в сети.
            T: Языковой спор в {p_loc} набирает обороты
            L: После спора о языке в {pr_loc} в социальных сетях участились взаимные обвинения между
                {g_ins} и {h_ins}.
            D: Некоторые пользователи призвали устроить акцию протеста у магазина.
            D: Специалисты призывают не раздувать конфликт.
            S: Управление по развитию языков сообщило, что проводит проверку.
            S: Полиция установила участников видео.
            S: Областная ассамблея призвала стороны к спокойствию.
        """,
        "en": """
            T: Video of language row in {p} goes viral
            L: A video of an argument over language between a shop assistant and a customer in {pr}
                has spread widely on social media.
            D: In the video the customer demands to be served in the state language.
            D: The clip was viewed {n3} thousand times within a day.
            T: Language row: shop owner apologises
            L: After a language row in {pr}, the owner of the shop apologised to the customer.
            D: The shop's management promised state-language courses for all staff.
            D: The incident further fuelled the debate online.
            T: Language dispute in {p} escalates
            L: After the language row in {pr}, mutual accusations between {g} and {h} have
                multiplied on social media.
            D: Some users called for a protest outside the shop.
            D: Specialists are urging people not to inflame the conflict.
            S: The language development department said it was looking into the case.
            S: Police have identified the people in the video.
            S: The regional assembly called on both sides to remain calm.
        """,
    },
    "statement": {
        "kk": """
            T: {r_gen} ассамблеясы тұрғындарды сабырға шақырды
            L: {pr_loc} болған оқиғаға байланысты облыстық ассамблея тұрғындарды сабырлы болуға және
                арандатуға ермеуге шақырды.
            D: Ассамблея төрағасының орынбасары {chair} барлық этностар бір елдің азаматтары екенін
                атап өтті.
            D: Достық үйінде этномәдени бірлестіктер жетекшілерімен кездесу өтті.
            T: {p_loc} ақсақалдар тұрғындармен кездесті
            L: {pr_loc} ақсақалдар кеңесі мен этномәдени бірлестіктер өкілдері тұрғындармен
                кездесіп, жағдайды талқылады.
            D: Кездесуге {g} мен {h} өкілдері қатысты.
            D: Ақсақалдар жастарды ашу-ызаға берілмеуге шақырды.
            T: Әкім: {p_loc} жағдай тұрақты
            L: Облыс әкімі {akim} {pr_loc} жағдайдың тұрақталғанын, құқық бұзушылардың жазасыз
                қалмайтынын мәлімдеді.
            D: Әкімнің айтуынша, ауылда қосымша полиция күштері қалдырылды.
            D: Зардап шеккен отбасыларға көмек көрсетіледі.
            S: Мемлекеттік органдар жағдайды бақылауда ұстап отыр.
            S: Тұрғындарға ақпаратты тек ресми дереккөздерден алу ұсынылды.
            S: «Достық пен келісімді сақтау – баршамыздың ортақ міндетіміз», – делінген мәлімдемеде.
        """,
        "ru": """
            T: Ассамблея {r_gen} призвала жителей к спокойствию
            L: В связи с событиями в {pr_loc} областная ассамблея призвала жителей сохранять
                спокойствие и не поддаваться на провокации.
            D: Заместитель председателя ассамблеи {chair} подчеркнул{chair_a}, что все этносы —
                граждане одной страны.
            D: В Доме дружбы прошла встреча с руководителями этнокультурных объединений.
            T: Аксакалы {p_gen} встретились с жителями
            L: Совет аксакалов и представители этнокультурных объединений встретились с жителями
                {pr_gen} и обсудили ситуацию.
            D: Во встрече приняли участие представители {g_gen} и {h_gen}.
            D: Аксакалы призвали молодежь не поддаваться эмоциям.
            T: Аким: ситуация в {p_loc} стабильная
            L: Аким области {akim} заявил{akim_a}, что ситуация в {pr_loc} стабилизировалась, а
                виновные понесут наказание.
            D: По словам акима, в селе оставлены дополнительные силы полиции.
            D: Пострадавшим семьям окажут помощь.
            S: Государственные органы держат ситуацию под контролем.
            S: Жителям рекомендовали получать информацию только из официальных источников.
            S: «Сохранение мира и согласия — наша общая задача», — говорится в заявлении.
        """,
        "en": """
            T: Assembly of {r} calls for calm
            L: Following the events in {pr}, the regional assembly has urged residents to stay calm
                and not to give in to provocation.
            D: Deputy chair {chair} stressed that all ethnic groups are citizens of one country.
            D: A meeting with the leaders of ethnocultural associations was held at the House of
                Friendship.
            T: Elders meet residents in {p}
            L: The council of elders and representatives of ethnocultural associations met residents
                of {pr} to discuss the situation.
            D: Representatives of {g} and {h} took part in the meeting.
            D: The elders urged young people not to let emotions take over.
            T: Akim says situation in {p} is stable
            L: Regional akim {akim} said the situation in {pr} had stabilised and that those
                responsible would be punished.
            D: According to the akim, additional police remain in the village.
            D: Families affected will receive assistance.
            S: State bodies are keeping the situation under control.
            S: Residents were advised to rely only on official sources.
            S: "Preserving peace and accord is our common task," the statement said.
        """,
    },
    "followup": {
        "kk": """
            T: {p_loc} болған төбелеске қатысты {k_ppl} ұсталды
            L: {pr_loc} болған жаппай төбелеске қатысты полиция {k} күдіктіні ұстады.
            D: Оларға бұзақылық және ұлтаралық араздықты қоздыру баптары бойынша айып тағылуы
                мүмкін.
            D: Тергеу амалдары жалғасып жатыр.
            T: Әлеуметтік желіде арандатушылық жазбалар жазғандар анықталды
            L: {pr_loc} оқиғадан кейін әлеуметтік желіде араздыққа шақырған {k_users} анықталды.
            D: Олардың бірнешеуі басқа өңірлерде тұратыны белгілі болды.
            D: Прокуратура арандатушылық жазбаларды өшіруді талап етті.
            T: {p_loc} болған қақтығыс бойынша сот басталды
            L: {pr_loc} болған қақтығыс бойынша алғашқы сот отырысы өтті.
            D: Сотталушылардың {k} адамы кінәсін толық мойындады.
            D: Сот отырысы ашық өтіп жатыр.
            S: Полиция оқиғаның барлық қатысушыларын анықтауды жалғастыруда.
            S: Зардап шеккендердің денсаулығы қазір қауіпті емес.
            S: Облыстық ассамблея тергеу барысын қадағалап отыр.
        """,
        "ru": """
            T: По делу о драке в {p_loc} задержаны {k_ppl}
            L: Полиция задержала {k_ppl} по делу о массовой драке в {pr_loc}.
            D: Им могут предъявить обвинения в хулиганстве и возбуждении межнациональной розни.
            D: Следственные действия продолжаются.
            T: Установлены авторы провокационных постов
            L: После событий в {pr_loc} установлены {k_users}, призывавших в соцсетях к вражде.
            D: Некоторые из них, как выяснилось, живут в других регионах.
            D: Прокуратура потребовала удалить провокационные публикации.
            T: В {p_loc} начался суд по делу о конфликте
            L: В {pr_loc} прошло первое судебное заседание по делу о конфликте.
            D: Вину полностью признали {k_ppl} из числа подсудимых.
            D: Заседания проходят в открытом режиме.
            S: Полиция продолжает устанавливать всех участников инцидента.
            S: Жизни пострадавших сейчас ничего не угрожает.
            S: Ход расследования держит на контроле областная ассамблея.
        """,
        "en": """
            T: {k_ppl} detained over brawl in {p}
            L: Police have detained {k_ppl} in connection with the mass brawl in {pr}.
            D: They may face charges of hooliganism and inciting interethnic hatred.
            D: The investigation is continuing.
            T: Authors of provocative posts identified
            L: After the events in {pr}, {k_users} who called for hostility on social media have
                been identified.
            D: Some of them turned out to live in other regions.
            D: Prosecutors demanded that the provocative posts be removed.
            T: Trial opens in {p} over the clash
            L: The first court hearing in the case of the clash in {pr} has taken place.
            D: {k_ppl} among the defendants pleaded guilty.
            D: The hearings are open to the public.
            S: Police are continuing to identify everyone involved.
            S: The injured are no longer in danger.
            S: The regional assembly is following the investigation.
        """,
    },
}

# Short posts of Telegram channels and vendors' social-media sheets: opener, body, closer.
_POST_TEXT: dict[str, dict[str, str]] = {
    "city_post": {
        "kk": """
            O: Назар аударыңыздар!
            O: Қала тынысы.
            O: Тұрғындар хабарлайды:
            O: Маңызды ақпарат!
            O: Қысқаша жаңалық:
            O: Күн жаңалығы.
            B: {p_loc} {date} су берілмейді, жөндеу жұмыстары жүреді.
            B: {p_loc} орталық саябақта кешкі концерт болады, кіру тегін.
            B: {p_loc} орталық көшеде жол жөнделіп жатыр, кептеліс бар.
            B: Синоптиктер {p_loc} ертең қатты жел болатынын ескертті.
            B: {p_loc} жаңа автобус бағыты іске қосылды.
            B: {p_gen} кітапханасында балаларға арналған ертегі кеші өтеді.
            B: {p_loc} жексенбі күні сенбілік ұйымдастырылады.
            B: {p_gen} базарында картоп пен пияз арзандады.
            B: {p_loc} жаңа балалар алаңы ашылды.
            B: {p_loc} қан тапсыру акциясы өтеді, донорларды күтеміз.
            B: {p_gen} емханасында тегін скрининг жүргізілуде.
            B: {p_loc} көшелерге жаңа шамдар орнатылды.
            B: {p_gen} спорт кешенінде жүзу секциясына қабылдау басталды.
            B: {p_loc} сағат {hh}:00-де әуе сапасы нашарлауы мүмкін.
            C: Толығырақ арнамызда.
            C: Достарыңызбен бөлісіңіз.
            C: Сақ болыңыздар!
            C: Пікіріңізді жазыңыз.
            C: Жаңалықтарды бақылаңыз.
            C: Хабарлама тұрғындардан келді.
        """,
        "ru": """
            O: Внимание!
            O: Новости города.
            O: Жители сообщают:
            O: Важно!
            O: Коротко:
            O: Новость дня.
            B: В {p_loc} {date} не будет воды, идут ремонтные работы.
            B: В {p_loc} в центральном парке вечером концерт, вход свободный.
            B: В {p_loc} ремонтируют центральную улицу, образовалась пробка.
            B: Синоптики предупреждают: завтра в {p_loc} сильный ветер.
            B: В {p_loc} запустили новый автобусный маршрут.
            B: В библиотеке {p_gen} пройдет вечер сказок для детей.
            B: В {p_loc} в воскресенье пройдет субботник.
            B: На рынке {p_gen} подешевели картофель и лук.
            B: В {p_loc} открылась новая детская площадка.
            B: В {p_loc} пройдет акция по сдаче крови, ждем доноров.
            B: В поликлинике {p_gen} проводят бесплатный скрининг.
            B: В {p_loc} на улицах установили новые фонари.
            B: В спорткомплексе {p_gen} начался набор в секцию плавания.
            B: В {p_loc} после {hh}:00 может ухудшиться качество воздуха.
            C: Подробности на нашем канале.
            C: Поделитесь с друзьями.
            C: Будьте внимательны!
            C: Пишите в комментариях.
            C: Следите за новостями.
            C: Информация от подписчиков.
        """,
    },
    "incident_post": {
        "kk": """
            O: Шұғыл!
            O: Қазір хабар келді:
            O: Куәгерлер жазады:
            O: Видео желіде тарап жатыр.
            O: Ауылдан хабар:
            O: Жаңа ақпарат:
            B: {p_loc} кеше түнде жастар арасында үлкен төбелес болды, бірнеше адам ауруханада.
            B: {p_loc} {g} мен {h} арасында жанжал шықты, полиция келді.
            B: {p_loc} көшеде тас лақтырып, көліктердің терезесін сындырған.
            B: {p_loc} кафе жанында басталған дау төбелеске ұласты.
            B: {p_loc} түнімен полиция көліктері жүрді, тұрғындар үйден шықпай отыр.
            B: {p_loc} жарақат алғандар бар екен, нақты саны әлі белгісіз.
            B: {p_loc} жаппай төбелестен кейін ауылға қосымша полиция келді.
            C: Жағдай әлі тыныштала қойған жоқ.
            C: Біз жаңалықтарды жазып отырамыз.
            C: Тұрғындар қорқып отыр.
            C: Полиция әлі ресми мәлімдеме жасаған жоқ.
            C: Сақ болыңыздар!
        """,
        "ru": """
            O: Срочно!
            O: Только что сообщили:
            O: Очевидцы пишут:
            O: В сети распространяется видео.
            O: Из села пишут:
            O: Новые подробности:
            B: В {p_loc} ночью была крупная драка между молодежью, несколько человек в больнице.
            B: В {p_loc} произошел конфликт между {g_ins} и {h_ins}, приехала полиция.
            B: В {p_loc} на улице бросали камни и разбили окна машин.
            B: В {p_loc} ссора возле кафе переросла в драку.
            B: В {p_loc} всю ночь ездили полицейские машины, жители не выходят из домов.
            B: В {p_loc} есть пострадавшие, точное число пока неизвестно.
            B: В {p_loc} после массовой драки в село прислали дополнительную полицию.
            C: Обстановка пока неспокойная.
            C: Мы следим за новостями.
            C: Жители напуганы.
            C: Официального заявления полиции пока нет.
            C: Будьте осторожны!
        """,
    },
    "rumour": {
        "kk": """
            O: Айтуларынша,
            O: Естідіңдер ме?
            O: Таныстарым жазып жатыр:
            O: Желіде айтылып жүр:
            O: Ресми ақпарат жоқ, бірақ
            O: Тексерілмеген дерек:
            B: {p_loc} {g} басқа өңірлерден адам жинап жатыр дейді.
            B: {g} {p_loc} жерлерді заңсыз сатып алып жатыр екен.
            B: {p_loc} ертең тағы да төбелес болады дейді.
            B: төбелеске {g} ақша төлеген деген әңгіме бар.
            B: {p_loc} {g_dat} қарсы бірдеңе дайындалып жатыр дейді.
            B: полиция {g_acc} әдейі қорғап отыр деседі.
            B: {p_loc} мектептерде {g_adj} балаларына ғана жеңілдік беріледі екен.
            C: Мұны тексеру керек.
            C: Барлығына таратыңдар!
            C: Неге үкімет үндемейді?
            C: Сақ болыңдар.
            C: Бұл рас па?
            C: Кім біледі, жазыңдар.
        """,
        "ru": """
            O: Говорят,
            O: Слышали?
            O: Знакомые пишут:
            O: В сети пишут:
            O: Официально не подтверждено, но
            O: Непроверенная информация:
            B: в {p_loc} {g} собирают людей из других регионов.
            B: {g} в {p_loc} незаконно скупают землю.
            B: в {p_loc} завтра снова будет драка.
            B: драку якобы оплатили {g}.
            B: в {p_loc} что-то готовят против {g_gen}.
            B: полиция специально защищает {g_acc}.
            B: в школах {p_gen} льготы дают только детям {g_gen}.
            C: Надо проверить.
            C: Распространите!
            C: Почему власти молчат?
            C: Будьте осторожны.
            C: Это правда?
            C: Кто знает, напишите.
        """,
    },
    "hate": {
        "kk": """
            O: Жетті енді!
            O: Шыдамның да шегі бар.
            O: Ашығын айтайық:
            O: Бәрі көріп отыр:
            O: Тағы да сол жағдай.
            B: {p_loc} {g} өздерін қожайын сияқты ұстайды.
            B: {g_dat} бұл жерде орын жоқ.
            B: {g} ешқашан бізбен тату тұрмайды.
            B: барлық мәселе {g_abl} шығады.
            B: {g} бізді сыйламайды, оларға сенуге болмайды.
            B: {g} өз еліне қайтсын.
            B: {g}, өз еліңе кет, мұнда сендерге орын жоқ!
            C: Үндемей отыра бермейміз.
            C: Бәрі түсінеді.
            C: Таратыңдар.
            C: Олармен сөйлесудің керегі жоқ.
        """,
        "ru": """
            O: Хватит!
            O: Терпение кончилось.
            O: Скажем прямо:
            O: Все же видят:
            O: Опять то же самое.
            B: в {p_loc} {g} ведут себя как хозяева.
            B: {g_dat} здесь не место.
            B: {g} никогда не будут жить с нами мирно.
            B: все проблемы от {g_gen}.
            B: {g} нас не уважают, им нельзя доверять.
            B: пусть {g} уезжают к себе.
            B: {g}, убирайтесь в свою страну, вам здесь не место!
            C: Молчать больше не будем.
            C: Все всё понимают.
            C: Распространите.
            C: С ними не о чем разговаривать.
        """,
    },
    "violence": {
        "kk": """
            O: Жігіттер, назар аударыңдар!
            O: Барлығына хабарлаңдар:
            O: Үндемей отыруға болмайды.
            O: Уақыт келді.
            B: ертең кешке {p_loc} орталық алаңға жиналамыз.
            B: бүгін түнде {g_acc} ауылдан қуып шығамыз.
            B: кім батыл болса, сенбі күні базар жанына келсін.
            B: олармен өзіміз есеп айырысамыз.
            B: бәрің бірге келіңдер, сөзбен бітпейді.
            B: {g_acc} ауылдан қуып шығу керек, басқа жол жоқ.
            C: Полицияға сенбейміз.
            C: Қорықпаңдар.
            C: Бәрін өзіміз шешеміз.
            C: Көпшілік болып келіңдер.
        """,
        "ru": """
            O: Мужики, внимание!
            O: Передайте всем:
            O: Молчать нельзя.
            O: Пора.
            B: завтра вечером собираемся на центральной площади в {p_loc}.
            B: сегодня ночью выгоним {g_acc} из села.
            B: кто смелый, в субботу приходите к рынку.
            B: разберемся с ними сами.
            B: приходите все, словами тут не обойтись.
            B: надо выгнать их всех из села, другого выхода нет.
            C: Полиции не верим.
            C: Не бойтесь.
            C: Решим всё сами.
            C: Приходите толпой.
        """,
    },
    "language_row_post": {
        "kk": """
            O: Видеоны көрдіңдер ме?
            O: Тағы да тіл дауы.
            O: Ұят!
            O: Міне, нағыз жағдай:
            B: {p_loc} дүкенде сатушы мемлекеттік тілде сөйлеуден бас тартқан.
            B: {p_loc} сатушы қазақша сөйлеген кісіні дүкеннен қуып шыққан.
            B: {p_loc} дүкенде «орысша сөйле» деп айқайлаған.
            B: {p_loc} емханада мемлекеттік тілде жауап бермеген.
            B: {p_loc} тіл үшін дау төбелеске жетіп қала жаздады.
            C: Мемлекеттік тілді құрметтеу керек!
            C: Дүкенді жабу керек.
            C: Тіл – ел намысы.
            C: Тіл басқармасы қайда қарап отыр?
        """,
        "ru": """
            O: Видели видео?
            O: Опять языковой скандал.
            O: Позор!
            O: Вот, пожалуйста:
            B: в {p_loc} продавщица отказалась говорить на государственном языке.
            B: в {p_loc} покупателя выгнали из магазина за то, что он говорил по-казахски.
            B: в {p_loc} в магазине кричали «говори по-русски».
            B: в {p_loc} в поликлинике отказались отвечать на государственном языке.
            B: в {p_loc} спор из-за языка чуть не дошел до драки.
            C: Уважайте государственный язык!
            C: Магазин надо закрыть.
            C: Язык — это достоинство народа.
            C: Куда смотрит управление по языкам?
        """,
    },
    "statement_post": {
        "kk": """
            O: Ресми ақпарат.
            O: Облыс әкімдігінің мәлімдемесі.
            O: Облыстық ассамблея хабарлайды:
            O: Полиция департаменті хабарлайды:
            B: {p_loc} жағдай толық бақылауда, тұрғындардан сабыр сақтауды сұраймыз.
            B: {p_loc} болған оқиға бойынша тергеу жүріп жатыр, кінәлілер жауапқа тартылады.
            B: {p_loc} ақсақалдар мен этномәдени бірлестіктер өкілдері тұрғындармен кездесті.
            B: {p_loc} болған оқиға туралы әлеуметтік желідегі арандатушылық хабарламалар жалған.
            B: {p_loc} қосымша полиция патрульдері жұмыс істейді.
            C: Ресми ақпаратты ғана таратыңыздар.
            C: Бірлігіміз – басты байлығымыз.
            C: Арандатуға ермеңіздер.
            C: Сенім телефоны: 102.
        """,
        "ru": """
            O: Официально.
            O: Заявление акимата области.
            O: Сообщает областная ассамблея:
            O: Сообщает департамент полиции:
            B: ситуация в {p_loc} полностью под контролем, просим жителей сохранять спокойствие.
            B: по событиям в {p_loc} ведется расследование, виновные будут привлечены к
                ответственности.
            B: в {p_loc} аксакалы и представители этнокультурных объединений встретились с жителями.
            B: провокационные сообщения в соцсетях о событиях в {p_loc} не соответствуют
                действительности.
            B: в {p_loc} работают дополнительные полицейские патрули.
            C: Распространяйте только официальную информацию.
            C: Наше единство — главное богатство.
            C: Не поддавайтесь на провокации.
            C: Телефон доверия: 102.
        """,
    },
}
EPISODE_POSTS = {
    "incident": "incident_post",
    "language_row": "language_row_post",
    "statement": "statement_post",
}

# Lines in languages the detector reads as "other": Uzbek (Latin), Kyrgyz, Ukrainian.
OTHER_LINES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "uz": (
        (
            "Bugun shahar markazida katta bayram konserti bo'lib o'tdi.",
            "Ertaga havo sovuq bo'ladi, iliq kiyinib oling.",
            "Bozorda kartoshka va piyoz narxi tushdi.",
            "Maktab o'quvchilari uchun yangi sport zali ochildi.",
            "Kutubxonada bolalar uchun ertak kechasi bo'ladi.",
            "Yangi avtobus yo'nalishi ishga tushirildi.",
            "Mahallada yangi bolalar maydonchasi qurildi.",
            "Shanba kuni hashar uyushtiriladi.",
        ),
        (
            "Tadbir soat {hh}:00 da boshlanadi.",
            "Bu haqda shahar hokimligi xabar berdi.",
            "Aholi bu yangilikni mamnuniyat bilan kutib oldi.",
            "Ishlar hafta oxirigacha davom etadi.",
            "Kirish bepul.",
            "Qo'shimcha ma'lumot uchun {phone} raqamiga qo'ng'iroq qiling.",
        ),
        (
            "Barchani taklif qilamiz.",
            "Batafsil ma'lumot kanalimizda.",
            "Do'stlaringiz bilan ulashing.",
            "Fikringizni yozib qoldiring.",
            "Ehtiyot bo'ling!",
        ),
    ),
    "ky": (
        (
            "Бүгүн шаардын борборунда чоң майрамдык концерт болуп өттү.",
            "Эртең аба ырайы суук болот, жылуу кийиниңиздер.",
            "Базарда картошка менен пияздын баасы түштү.",
            "Мектеп окуучулары үчүн жаңы спорт зал ачылды.",
            "Китепканада балдар үчүн жомок кечеси болот.",
            "Жаңы автобус каттамы ишке кирди.",
            "Айылда жаңы балдар аянтчасы курулду.",
            "Ишемби күнү ашар уюштурулат.",
        ),
        (
            "Иш-чара кечинде башталат.",
            "Бул тууралуу шаардык мэрия билдирди.",
            "Тургундар бул жаңылыкты кубаныч менен кабыл алышты.",
            "Иштер жуманын аягына чейин уланат.",
            "Кирүү акысыз.",
            "Кошумча маалымат үчүн {phone} номерине чалыңыз.",
        ),
        (
            "Баарыңызды чакырабыз.",
            "Кененирээк маалымат каналыбызда.",
            "Досторуңуз менен бөлүшүңүз.",
            "Пикириңизди жазыңыз.",
            "Этият болуңуз!",
        ),
    ),
    "uk": (
        (
            "Сьогодні в центрі міста відбувся великий святковий концерт.",
            "Завтра буде холодно, одягайтеся тепліше.",
            "На ринку подешевшали картопля та цибуля.",
            "Для школярів відкрили новий спортивний зал.",
            "У бібліотеці відбудеться вечір казок для дітей.",
            "Запустили новий автобусний маршрут.",
            "У дворі збудували новий дитячий майданчик.",
            "У суботу відбудеться толока.",
        ),
        (
            "Захід розпочнеться о {hh}:00.",
            "Про це повідомила міська рада.",
            "Мешканці зустріли цю новину з радістю.",
            "Роботи триватимуть до кінця тижня.",
            "Вхід вільний.",
            "Додаткова інформація за номером {phone}.",
        ),
        (
            "Запрошуємо всіх.",
            "Детальніше на нашому каналі.",
            "Поділіться з друзями.",
            "Напишіть свою думку в коментарях.",
            "Будьте обережні!",
        ),
    ),
}

_REPRINT_PREFIX = {
    "kk": ("", "ЖАҢАЛЫҚ | ", "Жаңалық: ", "Өңір жаңалықтары: "),
    "ru": ("", "НОВОСТИ | ", "Новость: ", "Регион: "),
    "en": ("", "NEWS | ", "Update: ", "Regions: "),
}
_CREDIT = {
    "kk": "Дереккөз: {source}.",
    "ru": "Источник: {source}.",
    "en": "Source: {source}.",
}

ARTICLES: dict[str, dict[str, _Texts]] = {
    kind: {language: _parse_block(block) for language, block in by_language.items()}
    for kind, by_language in _ARTICLE_TEXT.items()
}
POSTS: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {
    kind: {language: _parse_fragments(block) for language, block in by_language.items()}
    for kind, by_language in _POST_TEXT.items()
}

# Sentences that fit any ordinary news item; one or two close an article.
_GENERIC_TEXT: dict[str, tuple[str, ...]] = {
    "kk": (
        "Бұл туралы {r_gen} әкімдігінің баспасөз қызметі хабарлады.",
        "Ақпаратты {p_gen} әкімдігі де растады.",
        "Жаңалыққа тұрғындар әлеуметтік желілерде белсенді пікір білдірді.",
        "Толық ақпарат облыс әкімдігінің ресми сайтында жарияланған.",
        "Жергілікті тұрғын {expert} мұндай бастамалардың көбірек болуын қалайтынын айтты.",
        "Өткен жылы осындай шара {q_loc} өткен болатын.",
        "Бастаманы {q_gen} әріптестері де қолдап отыр.",
        "Жоба аясындағы жұмыстар келесі жылы да жалғасады.",
        "Биыл өңірде мұндай жобаларға {m} миллион теңге бөлінді.",
        "Ұйымдастырушылардың айтуынша, келесі жылы қатысушылар саны {pct} пайызға артуы мүмкін.",
        "Аудандық мәслихат депутаттары да жұмысқа оң баға берді.",
        "«Мұндай жаңалықтар өңірдің дамып келе жатқанын көрсетеді», – деді {expert}.",
        "Келесі аптада {r_gen} басқа аудандарында да осындай кездесулер жоспарланған.",
        "Әкімдік тұрғындардың ұсыныстарын {phone} нөмірі арқылы қабылдайды.",
        "Жұмыс барысын облыстық қоғамдық кеңес мүшелері қадағалап отыр.",
    ),
    "ru": (
        "Об этом сообщила пресс-служба акимата {r_gen}.",
        "Информацию подтвердили и в акимате {p_gen}.",
        "Новость активно обсуждают в местных социальных сетях.",
        "Подробная информация опубликована на официальном сайте акимата области.",
        "По мнению эксперта {expert}, таких инициатив должно быть больше.",
        "В прошлом году подобное мероприятие прошло в {q_loc}.",
        "Инициативу поддержали и коллеги из {q_gen}.",
        "Работы в рамках проекта продолжатся и в следующем году.",
        "В этом году на такие проекты в регионе выделено {m} млн тенге.",
        "По словам организаторов, в следующем году число участников может вырасти на {pct}%.",
        "Депутаты районного маслихата также положительно оценили работу.",
        "«Такие новости показывают, что регион развивается», — отметил{expert_a} {expert}.",
        "На следующей неделе такие встречи запланированы и в других районах {r_gen}.",
        "Предложения жителей акимат принимает по номеру {phone}.",
        "Ход работ контролируют члены областного общественного совета.",
    ),
    "en": (
        "The press service of the {r} akimat announced the news.",
        "The akimat of {p} has confirmed the information.",
        "The news has been widely discussed on local social media.",
        "Full details are published on the regional akimat's website.",
        "Local resident {expert} said such initiatives were very welcome.",
        "A similar event took place in {q} last year.",
        "Colleagues from {q} have backed the initiative.",
        "Work under the project will continue next year.",
        "This year the region has allocated {m} million tenge to such projects.",
        "The organisers say the number of participants could grow by {pct}% next year.",
        "Members of the district council also praised the work.",
        '"News like this shows the region is developing," said {expert}.',
        "Similar meetings are planned in other districts of {r} next week.",
        "The akimat takes residents' suggestions on {phone}.",
        "Members of the regional public council are monitoring the work.",
    ),
}
