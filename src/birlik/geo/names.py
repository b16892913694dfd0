"""Regions and districts found by the names staff write in spreadsheets: kk, ru or en, with or
without «облысы / обл. / г. / қ. / район / р-н», Russian letters typed for Kazakh ones, Latin
look-alikes, old names (read with a warning), and the ISO and KATO codes of the old template.

    places = PlaceIndex()                       # two queries, then everything is in memory
    places.region("Шыгыс Казахстан обл.")       # Found(East Kazakhstan Region)
    places.district("Аягозский район", east, region_text="ВКО")
                                                # Found(Ayagoz District, warning="... Abai Region")

Names are compared by keys made of ``birlik.core.cleaning.match_key`` in four stages, the first
that finds something wins: the whole text, the text without the generic words («облысы»,
«город», «район»…), a looser key (х/к, ы/і, э/е and spaces ignored, so «Казахстан» meets
«Қазақстан»), and the stem of a Russian adjective («Аксуатский» meets «Ақсуат»).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.utils.translation import gettext as _

from birlik.core.cleaning import clean_text, match_key
from birlik.core.text import latin_key

from .models import District, Region

__all__ = ["Found", "PlaceIndex", "loose_key", "name_key"]

T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    """What a name was read as: a value, or an error saying what to write instead. A warning
    says the value was read from an old or unusual name and is worth a look."""

    value: T | None
    warning: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


# ---------------------------------------------------------------------------------------------
# Keys


def name_key(text: str) -> str:
    """``match_key`` with Latin words spelled one way («Zhetysu» = «Jetisu»): the key two
    spellings of one name share."""
    return " ".join(_words(text))


def _words(text: str) -> list[str]:
    key = _RN.sub(f" {_RAION} ", match_key(text))
    return [latin_key(word) if word.isascii() else word for word in key.split()]


_RN = re.compile(r"(?<!\w)р н(?!\w)")  # «р-н», «р.н.» once punctuation is dropped
_RAION = match_key("район")
# Letters that Russian spellings of Kazakh names put where Kazakh has another sound:
# «Казахстан»/«Қазақстан», «Жетысу»/«Жетісу», «Экибастуз»/«Екібастұз».
_LOOSE = str.maketrans({"х": "к", "ы": "и", "э": "е", "h": "k", " ": ""})


def loose_key(key: str) -> str:
    """A looser form of a key: х/к, ы/і, э/е and spaces ignored."""
    return key.translate(_LOOSE)


# Russian adjective endings, folded («й» is «и» in a key): «Аксуатский», «Павлодарской».
_ADJECTIVE = re.compile(r"ск(?:ии|ая|ое|ие|ого|ои|ую|их|ому|им)$")


def _stems(word: str) -> list[str]:
    """The stems an adjective may come from: «аршалынскии» -> «аршалын», «аршалы», «аршал»."""
    found = _ADJECTIVE.search(word)
    if found is None or found.start() < 3:
        return [word]
    stem = word[: found.start()]
    stems = [stem]
    if stem.endswith(("ин", "ын")) and len(stem) >= 5:
        stems.append(stem[:-2])
    if stem.endswith("н") and len(stem) >= 4:
        stems.append(stem[:-1])
    return stems


REGION, CITY, DISTRICT = "region", "city", "district"

# Words that say what kind of unit a name is, and words that say nothing about which one.
_MARKER_WORDS = {
    REGION: (
        "облысы", "облысының", "облыс", "обл", "область", "области", "region", "oblast",
        "oblysy", "obl", "province",
    ),
    CITY: (
        "г", "гор", "город", "города", "қ", "қала", "қаласы", "қаласының", "city", "qala",
        "qalasy", "kalasy", "g",
    ),
    DISTRICT: (
        "район", "района", "районы", "аудан", "ауданы", "ауданының", "ауд", "district",
        "rayon", "raion", "audany", "audan",
    ),
}  # fmt: skip
_NOISE_WORDS = (
    "имени", "им", "атындағы", "республиканского", "областного", "районного", "значения",
    "республикалық", "облыстық", "маңызы", "бар", "of", "the",
)  # fmt: skip
_MARKERS = {word: kind for kind, words in _MARKER_WORDS.items() for word in map(name_key, words)}
_GENERIC = set(_MARKERS) | {name_key(word) for word in _NOISE_WORDS}


@dataclass(frozen=True)
class _Query:
    text: str  # cleaned, for messages
    full: str
    stripped: str
    marker: str  # REGION, CITY, DISTRICT or ""
    stems: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> _Query:
        words = _words(text)
        kinds = {_MARKERS[word] for word in words if word in _MARKERS}
        # The most specific marker wins: «Алмалинский район г. Алматы» is a district.
        marker = next((kind for kind in (DISTRICT, CITY, REGION) if kind in kinds), "")
        core = [word for word in words if word not in _GENERIC]
        return cls(
            text=clean_text(text)[:80],
            full=" ".join(words),
            stripped=" ".join(core),
            marker=marker,
            stems=tuple(_stem_keys(core)),
        )

    @property
    def loose(self) -> str:
        return loose_key(self.stripped)


def _stem_keys(words: list[str]) -> list[str]:
    keys = [""]
    for word in words:
        keys = [f"{key} {stem}".strip() for key in keys for stem in _stems(word)]
    return [loose_key(key) for key in keys if key]


# ---------------------------------------------------------------------------------------------
# Old names. Each is read as today's unit with a warning. Sources: the laws and decrees named
# on each line (texts at adilet.zan.kz) and the units' own histories; a name is listed only
# when the unit it means today is certain.


@dataclass(frozen=True)
class _Alias:
    name: str
    target: str  # ISO code of a region, KATO code of a district
    old: bool = True  # False: an abbreviation or other current name, read without a warning


_REGION_ALIASES = (
    # Abbreviations in everyday use (current names, no warning).
    _Alias("ВКО", "KZ-63", old=False),
    _Alias("ШҚО", "KZ-63", old=False),
    _Alias("ЗКО", "KZ-27", old=False),
    _Alias("БҚО", "KZ-27", old=False),
    _Alias("СКО", "KZ-59", old=False),
    _Alias("СҚО", "KZ-59", old=False),
    _Alias("Turkestan Region", "KZ-61", old=False),
    # South Kazakhstan Region became Turkistan Region, and Shymkent a city of republican
    # significance, by the Presidential Decree of 19 June 2018 No. 702. It was Chimkent Region
    # until 1992.
    _Alias("ЮКО", "KZ-61"),
    _Alias("ОҚО", "KZ-61"),
    _Alias("Южно-Казахстанская область", "KZ-61"),
    _Alias("Оңтүстік Қазақстан облысы", "KZ-61"),
    _Alias("South Kazakhstan Region", "KZ-61"),
    _Alias("Чимкентская область", "KZ-61"),
    # The capital: Akmolinsk until 1961, Tselinograd 1961-1992, Akmola 1992-1998, Astana,
    # Nur-Sultan 2019-2022 (Constitutional Law of 23 March 2019), Astana again since
    # 17 September 2022. «Акмола» alone is Akmola Region; only «г. Акмола» is the city.
    _Alias("Нур-Султан", "KZ-71"),
    _Alias("Нұр-Сұлтан", "KZ-71"),
    _Alias("Nur-Sultan", "KZ-71"),
    _Alias("Целиноград", "KZ-71"),
    _Alias("г. Акмола", "KZ-71"),
    _Alias("Ақмола қаласы", "KZ-71"),
    _Alias("Акмолинск", "KZ-71"),
    # Tselinograd Region was renamed Akmola Region in 1992.
    _Alias("Целиноградская область", "KZ-11"),
    # Alma-Ata became Almaty in 1993 (Law of 8 September 1993 on transliteration of names).
    _Alias("Алма-Ата", "KZ-75"),
    _Alias("Алма-Атинская область", "KZ-19"),
    # Chimkent became Shymkent in 1993.
    _Alias("Чимкент", "KZ-79"),
    # Regions abolished in 1997 (Presidential Decrees of 22 April and 3 May 1997) whose
    # land makes up the regions formed on 8 June 2022: Semipalatinsk -> Abai,
    # Taldykorgan -> Zhetysu, Zhezkazgan -> Ulytau (centres Semey, Taldykorgan, Zhezkazgan).
    _Alias("Семипалатинская область", "KZ-10"),
    _Alias("Семей облысы", "KZ-10"),
    _Alias("Талдыкорганская область", "KZ-33"),
    _Alias("Талдықорған облысы", "KZ-33"),
    _Alias("Жезказганская область", "KZ-62"),
    _Alias("Джезказганская область", "KZ-62"),
    _Alias("Жезқазған облысы", "KZ-62"),
    # Renamed with their centres: Guryev -> Atyrau (1992), Uralsk Region -> West Kazakhstan
    # (1992), Kustanai -> Kostanay (1997), Kzyl-Orda -> Kyzylorda, Dzhambul -> Zhambyl (1993),
    # Mangyshlak -> Mangystau.
    _Alias("Гурьевская область", "KZ-23"),
    _Alias("Гурьев", "KZ-23"),
    _Alias("Уральская область", "KZ-27"),
    _Alias("Кустанайская область", "KZ-39"),
    _Alias("Кустанай", "KZ-39"),
    _Alias("Кзыл-Ординская область", "KZ-43"),
    _Alias("Кзыл-Орда", "KZ-43"),
    _Alias("Джамбулская область", "KZ-31"),
    _Alias("Мангышлакская область", "KZ-47"),
)
# Regions abolished in 1997 whose districts went to several of today's regions (Kokchetav:
# North Kazakhstan and Akmola; Turgai: Kostanay and Akmola): no single answer.
_GONE_REGIONS = (
    "Кокчетавская область",
    "Көкшетау облысы",
    "Тургайская область",
    "Торғай облысы",
)
# ISO 3166-2:KZ letter codes used until the numeric codes replaced them (ISO Online Browsing
# Platform, change history of KZ).
_OLD_ISO = {
    "AKM": "KZ-11", "AKT": "KZ-15", "ALM": "KZ-19", "ATY": "KZ-23", "ZAP": "KZ-27",
    "ZHA": "KZ-31", "KAR": "KZ-35", "KUS": "KZ-39", "KZY": "KZ-43", "MAN": "KZ-47",
    "PAV": "KZ-55", "SEV": "KZ-59", "YUZ": "KZ-61", "VOS": "KZ-63", "AST": "KZ-71",
    "ALA": "KZ-75", "SHY": "KZ-79",
}  # fmt: skip

_DISTRICT_ALIASES = (
    # Cities renamed: Kapchagay -> Konaev (2022), Semipalatinsk -> Semey (2007), Guryev ->
    # Atyrau (1992), Kustanai -> Kostanay (1997), Aktyubinsk -> Aktobe (1999), Dzhezkazgan ->
    # Zhezkazgan, Shevchenko -> Aktau (1991), Kokchetav -> Kokshetau (1993), Taldy-Kurgan ->
    # Taldykorgan (1993), Dzhambul -> Taraz (1997), Leninsk -> Baikonur (1995), Yermak -> Aksu
    # (1993), Leninogorsk -> Ridder (2002), Kzyl-Orda -> Kyzylorda.
    _Alias("Капшагай", "191000000"),
    _Alias("Қапшағай", "191000000"),
    _Alias("Капчагай", "191000000"),  # the Soviet spelling
    _Alias("Семипалатинск", "101000000"),
    _Alias("Гурьев", "231000000"),
    _Alias("Кустанай", "391000000"),
    _Alias("Кустанайский район", "395400000"),
    _Alias("Актюбинск", "151000000"),
    _Alias("Джезказган", "621000000"),
    _Alias("Шевченко", "471000000"),
    _Alias("Кокчетав", "111000000"),
    _Alias("Талды-Курган", "331000000"),
    _Alias("Джамбул", "311000000"),
    _Alias("Ленинск", "431900000"),
    _Alias("Ермак", "551600000"),
    _Alias("Лениногорск", "632400000"),
    _Alias("Кзыл-Орда", "431000000"),
    # Districts renamed: Shchuchinsk -> Burabay, Zelenov -> Baiterek.
    _Alias("Щучинский район", "117000000"),
    _Alias("Зеленовский район", "274400000"),
)


@dataclass(frozen=True)
class _Move:
    """Districts that the region ``source`` held and ``target`` holds since ``year``."""

    source: str
    target: str
    year: int
    only_old_name: bool  # the source is named only by its old name (South Kazakhstan)


_MOVES = (
    # Presidential Decree of 8 June 2022 No. 887: Abai, Zhetysu and Ulytau regions formed
    # from East Kazakhstan, Almaty and Karaganda regions.
    _Move("KZ-63", "KZ-10", 2022, only_old_name=False),
    _Move("KZ-19", "KZ-33", 2022, only_old_name=False),
    _Move("KZ-35", "KZ-62", 2022, only_old_name=False),
    # Decree of 19 June 2018 No. 702: Shymkent left South Kazakhstan Region (now Turkistan).
    _Move("KZ-61", "KZ-79", 2018, only_old_name=True),
)


# ---------------------------------------------------------------------------------------------
# The index


@dataclass(frozen=True)
class _Entry:
    pk: int
    kind: str  # REGION, CITY or DISTRICT: what the name names
    alias: _Alias | None = None
    is_region: bool = False  # a city of republican significance, in the districts' index


class _Names:
    """Keys of every name at the four stages, each to the entries that bear it."""

    def __init__(self) -> None:
        self.full: dict[str, list[_Entry]] = {}
        self.stripped: dict[str, list[_Entry]] = {}
        self.loose: dict[str, list[_Entry]] = {}
        self.stem: dict[str, list[_Entry]] = {}

    def add(self, text: str, entry: _Entry) -> None:
        if not text:
            return
        query = _Query.of(text)
        for table, key in (
            (self.full, query.full),
            (self.stripped, query.stripped),
            (self.loose, query.loose),
            (self.stem, query.loose),
            (self.stem, query.stems[0] if query.stems else ""),
        ):
            if key and entry not in table.setdefault(key, []):
                table[key].append(entry)

    def stages(self, query: _Query) -> Iterator[list[_Entry]]:
        """The entries each stage finds, marker-filtered and current names first."""
        yield _prefer(self.full.get(query.full, []), query)
        yield _prefer(self.stripped.get(query.stripped, []), query)
        yield _prefer(self.loose.get(query.loose, []), query)
        stems = [entry for key in query.stems for entry in self.stem.get(key, [])]
        yield _prefer(list(dict.fromkeys(stems)), query)


def _prefer(entries: list[_Entry], query: _Query) -> list[_Entry]:
    """Entries of the kind the text's marker names (if any), current names before old ones,
    one per unit."""
    if query.marker:
        marked = [entry for entry in entries if entry.kind == query.marker]
        entries = marked or entries
    current = [entry for entry in entries if entry.alias is None or not entry.alias.old]
    entries = current or entries
    seen: dict[tuple[bool, int], _Entry] = {}
    for entry in entries:
        seen.setdefault((entry.is_region, entry.pk), entry)
    return list(seen.values())


_DIGITS = re.compile(r"^(\d+)(?:[.,]0+)?$")
_ISO = re.compile(r"^KZ\s*[-–—]?\s*(\d{2}|[A-Z]{3})$")


class PlaceIndex:
    """All regions and districts in memory (2 queries), built once per import."""

    def __init__(self) -> None:
        self.regions: dict[int, Region] = {r.pk: r for r in Region.objects.all()}
        self.districts: dict[int, District] = {}
        for district in District.objects.all():
            district.region = self.regions[district.region_id]
            self.districts[district.pk] = district
        self._region_by_iso = {r.iso: r for r in self.regions.values()}
        self._region_by_kato = {r.kato: r for r in self.regions.values()}
        self._district_by_kato = {d.kato: d for d in self.districts.values()}
        self._region_names = _Names()
        self._district_names = _Names()
        self._gone = {key for name in _GONE_REGIONS for key in _keys(name)}
        for region in self.regions.values():
            kind = CITY if region.kind == Region.Kind.CITY else REGION
            for name in _names(region):
                self._region_names.add(name, _Entry(region.pk, kind))
            # The centre in the region column means the region («г. Караганда»); a bare
            # «Алматы» is the city of republican significance, in either column.
            for name in _centre_names(region):
                self._region_names.add(name, _Entry(region.pk, CITY))
                if kind == CITY:
                    self._district_names.add(name, _Entry(region.pk, CITY, is_region=True))
        for alias in _REGION_ALIASES:
            target = self._region_by_iso.get(alias.target)
            if target is None:
                continue
            marker = _Query.of(alias.name).marker
            kind = marker or (CITY if target.kind == Region.Kind.CITY else REGION)
            self._region_names.add(alias.name, _Entry(target.pk, kind, alias))
            if target.kind == Region.Kind.CITY:
                self._district_names.add(alias.name, _Entry(target.pk, CITY, alias, is_region=True))
        for district in self.districts.values():
            kind = CITY if district.kind == District.Kind.CITY else DISTRICT
            for name in _names(district):
                self._district_names.add(name, _Entry(district.pk, kind))
        for alias in _DISTRICT_ALIASES:
            found = self._district_by_kato.get(alias.target)
            if found is not None:
                kind = CITY if found.kind == District.Kind.CITY else DISTRICT
                self._district_names.add(alias.name, _Entry(found.pk, kind, alias))

    # -- regions ----------------------------------------------------------------------------

    def region(self, text: str) -> Found[Region]:
        """The region (or city of republican significance) a text names."""
        region, alias, error = self._region(text)
        if error:
            return Found(None, error=error)
        return Found(region, warning=_old_name_warning(text, region, alias))

    def _region(self, text: str) -> tuple[Region | None, _Alias | None, str]:
        query = _Query.of(text)
        if not query.full:
            return None, None, ""
        by_code = self._region_by_code(query.text)
        if by_code is not None:
            return by_code, None, ""
        stages = self._region_names.stages(query) if query.marker != DISTRICT else iter(())
        for entries in stages:
            if len(entries) == 1:
                return self.regions[entries[0].pk], entries[0].alias, ""
            if entries:
                regions = sorted((self.regions[e.pk] for e in entries), key=lambda r: r.kato)
                names = ", ".join(str(r.name) for r in regions)
                return None, None, _ambiguous(query.text, names)
        in_parts = {self._region(part) for part in _parts(text)}
        named = {(region, alias) for region, alias, error in in_parts if region and not error}
        if len(named) == 1:  # «Павлодарская область, г. Экибастуз»
            region, alias = named.pop()
            return region, alias, ""
        if query.stripped and ({query.stripped, query.loose} | set(query.stems)) & self._gone:
            return (
                None,
                None,
                _(
                    "The region «%(value)s» no longer exists and its districts are now in "
                    "several regions: write today's region."
                )
                % {"value": query.text},
            )
        example = self._region_by_iso.get("KZ-55") or next(iter(self.regions.values()), None)
        return (
            None,
            None,
            _("Unknown region «%(value)s»: write its name, e.g. %(example)s.")
            % {"value": query.text, "example": example.name if example else "—"},
        )

    def _region_by_code(self, text: str) -> Region | None:
        iso = _ISO.match(text.upper())
        if iso:
            code = iso.group(1)
            return self._region_by_iso.get(_OLD_ISO.get(code, f"KZ-{code}"))
        digits = _DIGITS.match(text.replace(" ", ""))
        if digits:
            kato = digits.group(1)
            if len(kato) == 2:
                return self._region_by_kato.get(kato)
            if len(kato) == 9 and kato.endswith("0000000"):
                return self._region_by_kato.get(kato[:2])
        return None

    # -- districts --------------------------------------------------------------------------

    def district(
        self, text: str, region: Region | None = None, *, region_text: str = ""
    ) -> Found[District]:
        """The district (or city of regional significance) a text names, inside ``region`` when
        given. A district the region held before 2022 (or, named by its old name, South
        Kazakhstan before 2018) is found where it is now, with a warning."""
        query = _Query.of(text)
        if not query.full:
            return Found(None)
        old_region_name = False
        if region_text:
            named, alias, _error = self._region(region_text)
            old_region_name = alias is not None and alias.old
            region = region or named
        digits = _DIGITS.match(query.text.replace(" ", ""))
        if digits:
            return self._district_by_code(digits.group(1), query, region)
        first: list[_Entry] = []
        # «… область» in the district column names no district.
        stages = self._district_names.stages(query) if query.marker != REGION else iter(())
        for entries in stages:
            inside = entries if region is None else [e for e in entries if self._in(e, region)]
            if inside:
                return self._chosen(inside, query, region)
            first = first or entries
        if not first:
            in_parts = [
                self.district(part, region, region_text=region_text) for part in _parts(text)
            ]
            districts = {found.value for found in in_parts if found.value is not None}
            if len(districts) == 1:  # «Алмалинский район, г. Алматы»
                return next(found for found in in_parts if found.value is not None)
            example = self._example_district(region)
            return Found(
                None,
                error=_("Unknown district «%(value)s»: write its name, e.g. %(example)s.")
                % {"value": query.text, "example": example},
            )
        if region is None:  # without a region every entry is inside: not reached
            return Found(None, error=_republican_city(query.text))
        moved = [e for e in first if self._moved(e, region, old_region_name)]
        if len(moved) == 1 and not moved[0].is_region:
            district = self.districts[moved[0].pk]
            warning = _("The district has been in %(region)s since %(year)s.") % {
                "region": district.region.name,
                "year": self._move_year(region, district.region),
            }
            old = _old_name_warning(text, district, moved[0].alias)
            return Found(district, warning=" ".join(filter(None, (old, warning))))
        if all(entry.is_region for entry in first):
            return Found(None, error=_republican_city(query.text))
        regions = sorted({self._region_of(e) for e in first}, key=lambda r: r.kato)
        places = ", ".join(str(r.name) for r in regions)
        return Found(
            None,
            error=_(
                "«%(value)s» is not in %(region)s: a place of this name is in %(places)s. "
                "Check the region and the district."
            )
            % {"value": query.text, "region": region.name, "places": places},
        )

    def _chosen(
        self, entries: list[_Entry], query: _Query, region: Region | None
    ) -> Found[District]:
        if len(entries) > 1:
            entries = sorted(entries, key=self._order)
            names = ", ".join(self._label(e, with_region=region is None) for e in entries)
            if region is None:
                return Found(
                    None,
                    error=_("Several places are named «%(value)s»: %(places)s. Give the region.")
                    % {"value": query.text, "places": names},
                )
            return Found(None, error=_ambiguous(query.text, names))
        entry = entries[0]
        if entry.is_region:
            # The district column names the city of republican significance itself.
            if region is not None and region.pk == entry.pk:
                return Found(None)
            return Found(None, error=_republican_city(query.text))
        district = self.districts[entry.pk]
        return Found(district, warning=_old_name_warning(query.text, district, entry.alias))

    def _district_by_code(self, code: str, query: _Query, region: Region | None) -> Found[District]:
        district = self._district_by_kato.get(code)
        if district is None:
            return Found(
                None,
                error=_("Unknown district «%(value)s»: write its name, e.g. %(example)s.")
                % {"value": query.text, "example": self._example_district(region)},
            )
        if region is not None and district.region_id != region.pk:
            return Found(
                None,
                error=_(
                    "«%(value)s» is not in %(region)s: a place of this name is in %(places)s. "
                    "Check the region and the district."
                )
                % {"value": query.text, "region": region.name, "places": district.region.name},
            )
        return Found(district)

    def place(self, region_text: str, district_text: str) -> tuple[Found[Region], Found[District]]:
        """Both columns at once: the region may be left out when the district says it, and a
        city of republican significance may stand in the district column."""
        found_region = self.region(region_text)
        found_district = self.district(district_text, found_region.value, region_text=region_text)
        district = found_district.value
        if district is not None and found_region.value != district.region:
            found_region = Found(district.region, warning=found_region.warning)
        elif found_region.value is None and not found_region.error and district_text:
            as_region = self.region(district_text)
            if as_region.value is not None and as_region.value.kind == Region.Kind.CITY:
                return as_region, Found(None)
        return found_region, found_district

    # -- helpers ----------------------------------------------------------------------------

    def _region_of(self, entry: _Entry) -> Region:
        return self.regions[entry.pk] if entry.is_region else self.districts[entry.pk].region

    def _in(self, entry: _Entry, region: Region) -> bool:
        return self._region_of(entry).pk == region.pk

    def _moved(self, entry: _Entry, region: Region, old_region_name: bool) -> bool:
        now = self._region_of(entry)
        return any(
            move.source == region.iso
            and move.target == now.iso
            and (old_region_name or not move.only_old_name)
            for move in _MOVES
        )

    @staticmethod
    def _move_year(source: Region, target: Region) -> int:
        return next(m.year for m in _MOVES if m.source == source.iso and m.target == target.iso)

    def _order(self, entry: _Entry) -> tuple[str, str]:
        if entry.is_region:
            return self.regions[entry.pk].kato, ""
        return self._region_of(entry).kato, self.districts[entry.pk].kato

    def _label(self, entry: _Entry, *, with_region: bool) -> str:
        if entry.is_region:
            return str(self.regions[entry.pk].name)
        district = self.districts[entry.pk]
        if with_region:
            return f"{district.name} ({district.region.name})"
        return str(district.name)

    def _example_district(self, region: Region | None) -> str:
        districts = [d for d in self.districts.values() if d.kind == District.Kind.DISTRICT]
        if region is not None:
            districts = [d for d in districts if d.region_id == region.pk] or districts
        example = next(iter(districts), None)
        return str(example.name) if example else "—"


def _parts(text: str) -> list[str]:
    """The comma-separated parts of a text that has several."""
    parts = [part for part in clean_text(text).split(",") if part.strip()]
    return parts if len(parts) > 1 else []


def _names(unit: Region | District) -> list[str]:
    names = [getattr(unit, f"name_{code}", "") or "" for code in ("kk", "ru", "en")]
    return [name for name in dict.fromkeys([*names, unit.name]) if name]


def _centre_names(region: Region) -> list[str]:
    names = [getattr(region, f"centre_{code}", "") or "" for code in ("kk", "ru", "en")]
    return [name for name in dict.fromkeys(names) if name]


def _keys(name: str) -> set[str]:
    query = _Query.of(name)
    return {query.stripped, query.loose, *query.stems} - {""}


def _old_name_warning(text: str, unit: Region | District | None, alias: _Alias | None) -> str:
    if unit is None or alias is None or not alias.old:
        return ""
    return _("«%(value)s» is an old name: read as %(name)s.") % {
        "value": clean_text(text)[:80],
        "name": unit.name,
    }


def _ambiguous(value: str, names: str) -> str:
    return _("«%(value)s» may be %(names)s: write the full name.") % {
        "value": value,
        "names": names,
    }


def _republican_city(value: str) -> str:
    return _(
        "«%(value)s» is a city of republican significance, not a district: write it in the "
        "region column."
    ) % {"value": value}
