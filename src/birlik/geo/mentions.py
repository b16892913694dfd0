"""Regions and districts mentioned in running text (news, posts, appeals) in kk, ru and en.

    place_mentions().find("Ақтөбеде және Павлодар облысының Ақсу қаласында…")
    # [PlaceMention(region_id=<Aktobe Region>, district_id=<Aktobe>, count=1, surface="Ақтөбеде"),
    #  PlaceMention(region_id=<Pavlodar Region>, district_id=None, count=1, …),
    #  PlaceMention(region_id=<Pavlodar Region>, district_id=<Aksu>, count=1, …)]

Every surface form is generated once per process from the names ``geo.names`` knows (kk, ru,
en names, centres, old names, abbreviations): Kazakh case endings by vowel harmony and the last
sound, Russian ones through pymorphy2, English as written. The text is only tokenised and its
1–N-grams looked up in one dict; it is never stemmed.

A form that may name several units (a district name shared by regions), or a unit whose name
is also a word or a person («Абай», «Жамбыл», «Ақсу», «Шу» = "noise"), is counted only with a
marker of its kind («ауданы», «района», "District"…) that leaves one unit, or when the text's
other places (or the regions the caller already knows, ``near``) are in that unit's region.
Russian adjectives alone («павлодарские», «алматинский») are not read as places: they need
the noun («Павлодарской области»).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TypeVar

from birlik.core.cleaning import match_key
from birlik.core.text import fold, latin_key

from .models import District, Region
from .morph import KK_CASES, RU_CASES, kk_demonym, kk_inflect, kk_plural, ru_inflect
from .names import (
    _DISTRICT_ALIASES,
    _MARKERS,
    _NOISE_WORDS,
    _REGION_ALIASES,
    CITY,
    DISTRICT,
    REGION,
    _centre_names,
    _names,
    loose_key,
    name_key,
)

__all__ = [
    "PlaceMention",
    "PlaceMentions",
    "first_keys",
    "kk_inflect",
    "longest_matches",
    "place_mentions",
    "prepared",
    "reset",
    "ru_inflect",
    "text_keys",
    "tokens",
]

Place = tuple[int, int | None]  # (region id, district id or None)
T = TypeVar("T")


@dataclass(frozen=True)
class PlaceMention:
    """A unit named in a text: its region, its district (None: the region as a whole or a city
    of republican significance), how many times, and the words of its first mention."""

    region_id: int
    district_id: int | None
    count: int
    surface: str


# ---------------------------------------------------------------------------------------------
# Tokens and keys: the same function reads the names at build time and the text at find time.

_TOKEN = re.compile(r"\w+")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# ``loose_key`` without dropping spaces: applied to one token.
_LOOSE_TOKEN = str.maketrans({"х": "к", "ы": "и", "э": "е", "h": "k"})
_RAION = loose_key(name_key("район"))


@lru_cache(maxsize=200_000)
def _strict_key(token: str) -> str:
    """The key of one word: folded (case, Kazakh letters typed as Russian, Latin look-alikes),
    Latin words spelled one way."""
    if token.isascii():
        return latin_key(token).replace(" ", "")
    # Latin look-alikes inside a Cyrillic word («Пaвлoдap») need ``match_key``; others fold.
    key = match_key(token) if _ASCII_LETTER.search(token) else fold(token)
    key = key.replace(" ", "")
    return latin_key(key).replace(" ", "") if key.isascii() else key


@lru_cache(maxsize=200_000)
def _token_key(token: str) -> str:
    """The strict key with х/к, ы/і, э/е ignored («Казахстан» meets «Қазақстан»)."""
    return _strict_key(token).translate(_LOOSE_TOKEN)


def tokens(text: str, *, loose: bool = True) -> list[tuple[str, int, int]]:
    """(key, start, end) of each word of a text, as the mention indexes compare them; ``loose``
    also ignores х/к, ы/і, э/е (places: yes; ethnic groups: no, «казахи» is not «казаки»)."""
    return list(_tokens(_prepared(text), _token_key if loose else _strict_key))


def _tokens(text: str, key_of: Callable[[str], str] = _token_key) -> Iterator[tuple[str, int, int]]:
    """(key, start, end) of each word; «р-н» is read as «район»."""
    previous: tuple[str, int, int] | None = None
    for match in _TOKEN.finditer(text):
        key = key_of(match.group(0))
        if not key:
            continue
        if previous is not None and previous[0] == "р" and key == "н":
            previous = (_RAION, previous[1], match.end())
            continue
        if previous is not None:
            yield previous
        previous = (key, match.start(), match.end())
    if previous is not None:
        yield previous


def text_keys(text: str, *, loose: bool = True) -> list[str]:
    """The word keys of a text (see ``tokens``)."""
    return [key for key, _start, _end in tokens(text, loose=loose)]


def _prepared(text: str) -> str:
    """NFC, invisible characters (soft hyphens of news sites) dropped; offsets then refer to
    this text."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text or ""))


def prepared(text: str) -> str:
    """The text that ``tokens`` offsets refer to."""
    return _prepared(text)


def _phrase_key(phrase: str) -> str:
    return " ".join(text_keys(phrase))


# ---------------------------------------------------------------------------------------------
# Words around a name

_KK, _RU, _EN = "kk", "ru", "en"
_MARKER_LANGUAGE = {
    **{name_key(w): _KK for w in ("облысы", "облыс", "ауданы", "аудан", "қаласы", "қала")},
    **{name_key(w): _RU for w in ("область", "обл", "район", "р-н", "город", "г", "гор")},
    **{name_key(w): _EN for w in ("region", "oblast", "province", "district", "rayon", "city")},
}
_GENERIC = set(_MARKERS) | {name_key(word) for word in _NOISE_WORDS}
# Markers written with a name of each kind of unit, by language: (Kazakh possessive marker,
# its adjective), the Russian noun, the English words.
_KK_MARKER = {
    REGION: ("облысы", "облыстық"),
    DISTRICT: ("ауданы", "аудандық"),
    CITY: ("қаласы", "қалалық"),
}
_RU_MARKER = {DISTRICT: "район", CITY: "город"}
_EN_MARKERS = {
    REGION: ("{} Region", "{} Oblast", "{} Province"),
    DISTRICT: ("{} District", "{} Rayon"),
    CITY: ("{} city", "city of {}"),
}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

# How much context a bare name needs, from none to a marker of its kind.
NONE, CAPITAL, CONTEXT, MARKER = 0, 1, 2, 3
# Units named after a person: in a text about Semey «Абай» is the poet, so only a marker
# («Абай ауданы», «Абайская область») makes these names places.
_PERSON_NAMES = (
    "Абай", "Жамбыл", "Байзақ", "Исатай", "Махамбет", "Құрманғазы", "Сырым", "Жәнібек",
    "Әйтеке би", "Төле би", "Бәйдібек", "Байғанин", "Тұрар Рысқұлов", "Мағжан Жұмабаев",
    "Ғабит Мүсірепов", "Бейімбет Майлин", "Шал ақын", "Біржан сал", "Бұқар жырау",
    "Уәлиханов", "Алтынсарин", "Амангелді", "Жангелдин", "Денисов", "Федоров", "Тимирязев",
    "Панфилов", "Осакаров", "Райымбек", "Қарасай", "Ескелді", "Казталов", "Бәйтерек", "Ұйғыр",
)  # fmt: skip
# Units whose bare name may well be something else: cities named after a person, first names
# (Темір, Ұлан, Шалқар), rivers longer than their district, places abroad, and «Ақсу» (a town
# in Pavlodar Region, a district of Zhetysu Region, many a river): a marker, or other places
# of the same region.
_CONTEXT_NAMES = (
    "Қонаев", "Курчатов", "Сәтбаев", "Сатпаев", "Темір", "Ұлан", "Шалқар", "Тұран",
    "Бостандық", "Ертіс", "Іле", "Сырдария", "Алтай", "Самар", "Астрахан", "Ақсу",
)  # fmt: skip
# Units whose bare name is also a common word: a capital letter inside a sentence also says
# it is the place («шу» noise, «талас» dispute, «алға» forward, «жақсы» good, «шет» edge,
# «май» butter, «рудный» of ore, «глубокое» deep, «мұнайлы» oil-bearing).
_WORD_NAMES = (
    "Шу", "Талас", "Алға", "Жақсы", "Шет", "Май", "Рудный", "Глубокое", "Мұнайлы",
)  # fmt: skip
# Single forms that are words in one language: «семей» (ru "of families"), «орал» (ru "was
# yelling"), «око» (ОҚО folded, ru "eye"), "oral"; "May" is a month, capital letter and all.
_FORMS_NEEDING = {
    "семей": CAPITAL,
    "орал": CAPITAL,
    "око": CAPITAL,
    "oral": CAPITAL,
    "may": CONTEXT,
}
# Spellings of districts and cities ``geo.names`` does not list: (name, KATO code).
_EXTRA_NAMES = (("Байконур", "431900000"),)
# A bare name next to one of these is a lake, a river, a sea or mountains («Балқаш көлі»,
# «озеро Балхаш», "the Aral Sea"), not the unit.
_FEATURES_AFTER_KK = ("көлі", "өзені", "теңізі", "тауы", "таулары", "асуы", "шөлі", "бөгені")
_FEATURES_AFTER_EN = ("lake", "river", "sea", "mountains", "range", "reservoir", "desert")
_FEATURES_BEFORE = (
    "озеро", "река", "море", "горы", "хребет", "водохранилище", "пустыня", "lake", "river",
    "mount",
)  # fmt: skip

# How sure a bare name is of each kind of unit: a city before a region of the same name
# («Ақтөбе» is the city), a region before a district («Маңғыстау»), a district of a city last.
_TIER_CITY, _TIER_REGION, _TIER_DISTRICT, _TIER_CITY_DISTRICT = 0, 1, 2, 3


@dataclass(frozen=True)
class _Entry:
    place: Place
    tier: int
    marked: bool
    needs: int  # NONE, CAPITAL, CONTEXT or MARKER


@dataclass(frozen=True)
class _Target:
    """What a key names: ``sure`` when it names one place on its own; ``capital`` when it
    does so written with a capital letter inside a sentence; else the ``options``
    (place, tier) that the text's other places may choose from (none: it needs a marker).
    ``bare``: no marker in it."""

    sure: Place | None
    options: tuple[tuple[Place, int], ...]
    capital: Place | None = None
    bare: bool = True


@dataclass(frozen=True)
class _Unit:
    place: Place
    kind: str  # REGION, CITY or DISTRICT: the markers that go with its name
    tier: int


def _feature_keys() -> tuple[frozenset[str], frozenset[str]]:
    after = [
        kk_inflect(word, case, possessive=True) for word in _FEATURES_AFTER_KK for case in KK_CASES
    ]
    after += _FEATURES_AFTER_EN
    before = [ru_inflect(word, case) for word in _FEATURES_BEFORE for case in RU_CASES]
    return (
        frozenset(_phrase_key(word) for word in after),
        frozenset(_phrase_key(word) for word in before),
    )


class _Builder:
    """Collects every surface key of every unit, then decides what each key names."""

    def __init__(self) -> None:
        self.entries: dict[str, list[_Entry]] = {}
        self.names_needing = {
            **{_phrase_key(name): CAPITAL for name in _WORD_NAMES},
            **{_phrase_key(name): CONTEXT for name in _CONTEXT_NAMES},
            **{_phrase_key(name): MARKER for name in _PERSON_NAMES},
        }
        self.forms_needing = {_phrase_key(form): level for form, level in _FORMS_NEEDING.items()}

    # -- forms ------------------------------------------------------------------------------

    def add_unit(self, names: Iterable[str], unit: _Unit) -> None:
        """All names of one unit; if one is a person or a word, its bare forms in every
        language need context (districts of a city always do: Абай, Есіл, Алатау…)."""
        names = list(names)
        parsed = [_parse_name(name) for name in names]
        needs = max(self.names_needing.get(_phrase_key(core), NONE) for core, _lang in parsed)
        if unit.tier == _TIER_CITY_DISTRICT:
            needs = max(needs, CONTEXT)
        for name, (core, language) in zip(names, parsed, strict=True):
            self._add_name(name, core, language, unit, needs)

    def _add_name(self, name: str, core: str, language: str, unit: _Unit, needs: int) -> None:
        if not core:
            return
        if language == _RU:
            # «Аягозский район», «район Ақсуат»: the Russian phrase in its six cases; the bare
            # core comes from the Kazakh and English names (an adjective alone is no place).
            self._add_russian_phrase(name, unit)
            return
        for form in _bare_forms(core):
            self._add(form, unit, marked=False, needs=needs)
        for form in _marked_forms(core, unit.kind):
            self._add(form, unit, marked=True)

    def _add_russian_phrase(self, name: str, unit: _Unit) -> None:
        for case in RU_CASES:
            phrase = ru_inflect(name, case)
            self._add(phrase, unit, marked=True)
            words = phrase.split()
            if unit.kind == REGION and words and name_key(words[-1]).startswith("област"):
                self._add(" ".join([*words[:-1], "обл"]), unit, marked=True)
            if "имени" in words:  # «района имени Габита Мусрепова» and «района Габита …»
                without = " ".join(word for word in words if word != "имени")
                self._add(without, unit, marked=True)

    def _add(self, form: str, unit: _Unit, *, marked: bool, needs: int = NONE) -> None:
        key = _phrase_key(form)
        if not key:
            return
        if not marked:
            needs = max(needs, self.forms_needing.get(key, NONE))
        entry = _Entry(unit.place, unit.tier, marked, NONE if marked else needs)
        entries = self.entries.setdefault(key, [])
        if entry not in entries:
            entries.append(entry)

    # -- decisions --------------------------------------------------------------------------

    def targets(self) -> dict[str, _Target]:
        return {key: _target(entries) for key, entries in self.entries.items()}


def _parse_name(name: str) -> tuple[str, str]:
    """(the name without its marker and noise words, the language of its marker or "")."""
    words = name.replace("«", " ").replace("»", " ").split()
    core = " ".join(word for word in words if name_key(word) not in _GENERIC)
    languages = {_MARKER_LANGUAGE.get(name_key(word), "") for word in words} - {""}
    language = next((code for code in (_RU, _KK, _EN) if code in languages), "")
    return core, language


def _bare_forms(core: str) -> list[str]:
    forms = [core]
    if not _CYRILLIC.search(core):
        return forms
    forms.append(latin_key(core))  # «Усть-Каменогорск» in an English text
    if core.isupper() and len(core) <= 5:  # an abbreviation: «ВКО»; «ШҚО-да» splits at «-»
        return forms
    forms += [kk_inflect(core, case) for case in KK_CASES[1:]]
    forms.append(_kk_attributive(core))
    demonym = kk_demonym(core)
    forms += [demonym, *(kk_inflect(kk_plural(demonym), case) for case in KK_CASES)]
    forms += [ru_inflect(core, case) for case in RU_CASES[1:]]
    return forms


def _marked_forms(core: str, kind: str) -> list[str]:
    forms = [pattern.format(core) for pattern in _EN_MARKERS[kind]]
    if not _CYRILLIC.search(core):
        return forms
    marker, adjective = _KK_MARKER[kind]
    forms += [f"{core} {kk_inflect(marker, case)}" for case in KK_CASES]
    forms += [f"{core} {_kk_attributive(marker)}", f"{core} {adjective}"]
    noun = _RU_MARKER.get(kind)
    if noun is not None:
        forms += [f"{ru_inflect(noun, case)} {core}" for case in RU_CASES]
    if kind == CITY:
        forms.append(f"г. {core}")
    return forms


def _kk_attributive(word: str) -> str:
    """«…дағы / …дегі»: «which is in»: «Шымкенттегі», «облысындағы»."""
    located = kk_inflect(word, "loc")
    return located + ("ғы" if located.endswith("а") else "гі")


def _target(entries: list[_Entry]) -> _Target:
    options: dict[Place, int] = {}
    for entry in sorted(entries, key=lambda e: e.tier):
        options.setdefault(entry.place, entry.tier)
    marked = [entry for entry in entries if entry.marked]
    considered = marked or entries
    best = min(entry.tier for entry in considered)
    top = [entry for entry in considered if entry.tier == best]
    place = _one_place(entry.place for entry in top)
    needs = max(entry.needs for entry in top)
    options_ = tuple(options.items())
    bare = not marked
    if needs == NONE:
        return _Target(place, options_, bare=bare)
    if needs == MARKER:
        return _Target(None, (), bare=bare)
    return _Target(None, options_, capital=place if needs == CAPITAL else None, bare=bare)


def _one_place(places: Iterable[Place]) -> Place | None:
    """The place all of these are, at the finest level they agree on; None if their regions
    differ."""
    unique = set(places)
    regions = {region for region, _district in unique}
    if len(regions) != 1:
        return None
    districts = {district for _region, district in unique}
    region = regions.pop()
    return (region, districts.pop()) if len(districts) == 1 else (region, None)


# ---------------------------------------------------------------------------------------------
# The index


@dataclass(frozen=True)
class _Found:
    target: _Target
    surface: str
    capital: bool  # written with a capital letter inside a sentence


class PlaceMentions:
    """Every surface form of every region and district, each to what it names."""

    def __init__(self, targets: dict[str, _Target]) -> None:
        self._targets = targets
        self._after, self._before = _feature_keys()
        self.longest = max((key.count(" ") + 1 for key in targets), default=1)
        self._starts = first_keys(targets)

    @classmethod
    def from_database(cls) -> PlaceMentions:
        """Reads the regions and districts (2 queries) and generates their forms."""
        builder = _Builder()
        regions = list(Region.objects.all())
        districts = list(District.objects.all())
        cities = {
            (district.region_id, _phrase_key(name)): district.pk
            for district in districts
            if district.kind == District.Kind.CITY
            for name in _names(district)
        }
        for region in regions:
            is_city = region.kind == Region.Kind.CITY
            kind, tier = (CITY, _TIER_CITY) if is_city else (REGION, _TIER_REGION)
            builder.add_unit(_names(region), _Unit((region.pk, None), kind, tier))
            for name in _centre_names(region):
                district_id = cities.get((region.pk, _phrase_key(name)))
                builder.add_unit([name], _Unit((region.pk, district_id), CITY, _TIER_CITY))
        by_iso = {region.iso: region for region in regions}
        for alias in _REGION_ALIASES:
            target = by_iso.get(alias.target)
            if target is not None:
                is_city = target.kind == Region.Kind.CITY
                kind, tier = (CITY, _TIER_CITY) if is_city else (REGION, _TIER_REGION)
                builder.add_unit([alias.name], _Unit((target.pk, None), kind, tier))
        for district in districts:
            builder.add_unit(_names(district), _district_unit(district))
        by_kato = {district.kato: district for district in districts}
        for alias in _DISTRICT_ALIASES:
            found = by_kato.get(alias.target)
            if found is not None:
                builder.add_unit([alias.name], _district_unit(found))
        for name, kato in _EXTRA_NAMES:
            found = by_kato.get(kato)
            if found is not None:
                builder.add_unit([name], _district_unit(found))
        return cls(builder.targets())

    def find(self, text: str, *, near: Iterable[int] = ()) -> list[PlaceMention]:
        """The places a text names, in the order of their first mention. ``near``: regions
        known from elsewhere (the source's home region) that settle an ambiguous name but are
        not mentions themselves."""
        found = list(self._scan(_prepared(text)))
        context = {f.target.sure[0] for f in found if f.target.sure is not None} | set(near)
        counts: dict[Place, int] = {}
        surfaces: dict[Place, str] = {}
        for item in found:
            target = item.target
            place = target.sure or (target.capital if item.capital else None)
            place = place or _in_context(target, context)
            if place is not None:
                counts[place] = counts.get(place, 0) + 1
                surfaces.setdefault(place, item.surface)
        return [
            PlaceMention(region, district, count, surfaces[(region, district)])
            for (region, district), count in counts.items()
        ]

    def _scan(self, text: str) -> Iterator[_Found]:
        words = list(_tokens(text))
        keys = [key for key, _start, _end in words]
        matches = longest_matches(keys, self._targets, self.longest, self._starts)
        for target, first, last in matches:
            if target.bare and (
                (last < len(keys) and keys[last] in self._after)
                or (first > 0 and keys[first - 1] in self._before)
            ):
                continue  # «Балқаш көлі», «озеро Балхаш»
            start = words[first][1]
            surface = text[start : words[last - 1][2]]
            yield _Found(
                target, surface, surface[:1].isupper() and not _starts_sentence(text, start)
            )


def longest_matches(
    keys: list[str], table: Mapping[str, T], longest: int, starts: Container[str] | None = None
) -> Iterator[tuple[T, int, int]]:
    """(value, first, last + 1) of each run of keys found in ``table``, left to right, the
    longest run first (at most ``longest`` keys), runs never overlapping. ``starts``: the
    first keys of the runs longer than one (the others are looked up alone, which is faster)."""
    index = 0
    count = len(keys)
    while index < count:
        key = keys[index]
        sizes = min(longest, count - index) if starts is None or key in starts else 1
        for size in range(sizes, 0, -1):
            value = table.get(key if size == 1 else " ".join(keys[index : index + size]))
            if value is not None:
                yield value, index, index + size
                index += size
                break
        else:
            index += 1


def first_keys(table: Iterable[str]) -> frozenset[str]:
    """The first word of every key of several words (for ``longest_matches``)."""
    return frozenset(key.split(" ", 1)[0] for key in table if " " in key)


_OPENING = frozenset(" \t\r\u00a0«\"“„'([—–-")


def _starts_sentence(text: str, start: int) -> bool:
    """True when only spaces, quotes or brackets stand between a sentence's end and ``start``:
    there a capital letter says nothing."""
    index = start - 1
    while index >= 0 and text[index] in _OPENING:
        index -= 1
    return index < 0 or text[index] in ".!?…\n"


def _district_unit(district: District) -> _Unit:
    if district.kind == District.Kind.CITY:
        return _Unit((district.region_id, district.pk), CITY, _TIER_CITY)
    tier = _TIER_CITY_DISTRICT if district.kind == District.Kind.CITY_DISTRICT else _TIER_DISTRICT
    return _Unit((district.region_id, district.pk), DISTRICT, tier)


def _in_context(target: _Target, context: set[int]) -> Place | None:
    """The option of an ambiguous form whose region the text's other places share."""
    inside = [(place, tier) for place, tier in target.options if place[0] in context]
    if not inside:
        return None
    best = min(tier for _place, tier in inside)
    return _one_place(place for place, tier in inside if tier == best)


@cache
def place_mentions() -> PlaceMentions:
    """The index, built once per process from the database."""
    return PlaceMentions.from_database()


def reset() -> None:
    """Forget the index (tests, or after the territory tables change)."""
    place_mentions.cache_clear()
